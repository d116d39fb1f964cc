// grep against GNU grep 3.8 (the reference) over a fixture tree: every option, alone and combined,
// on inputs with every byte value, long lines, no final newline, CRLF and binary data; and against
// BusyBox grep where BusyBox has the option and agrees.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../src/core/bytes.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 0));
const TEXT = [
  'hello world',
  'Hello World again',
  'foo bar baz',
  'foobar',
  'the quick brown fox',
  'jumps over the lazy dog',
  '',
  'abc abcabc ab',
  'a+b=c (x) [y] {z}',
  'tab\there',
  'trailing space ',
  'UPPER lower MiXeD',
  '12345 678 9',
  'word_with_underscores and-dashes',
  'hello again',
  'last line',
].join('\n');

const FILES: Record<string, string | Buffer> = {
  'text.txt': TEXT + '\n',
  'nonl.txt': 'first\nsecond hello\nno newline hello',
  'crlf.txt': 'dos line\r\nhello dos\r\nend\r\n',
  'bytes.txt': Buffer.concat([ALL_BYTES, Buffer.from('\nhigh \xe9\xe8 bytes\n', 'latin1')]),
  'binary.bin': Buffer.from('text before\nhello\0binary\nmore hello\n'),
  'empty.txt': '',
  'long.txt': `${'x'.repeat(200000)}hello${'y'.repeat(100000)}\nshort hello\n`,
  'numbers.txt': Array.from({ length: 30 }, (_, i) => `${i + 1}`).join('\n') + '\n',
  'patterns.txt': 'hello\nfoo\n',
  'badpatterns.txt': 'ok\n[\nalso\\(\n',
  'dir/a.c': 'int hello;\n',
  'dir/b.h': 'hello header\n',
  'dir/sub/c.c': 'nested hello\n',
  'dir/sub/d.txt': 'no match here\n',
  'dir/.hidden': 'hidden hello\n',
};

const dir = tempDir('grep-diff-');
for (const [name, content] of Object.entries(FILES)) {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
}

type Case = string[] | { argv: string[]; stdin?: string | Buffer; env?: Record<string, string>; because?: string };

async function compare(c: Case, tool = 'grep') {
  const { argv, stdin, env } = Array.isArray(c) ? { argv: c, stdin: undefined, env: undefined } : c;
  const ref = runTool([tool, ...argv], { cwd: dir, stdin, env });
  // The reference gets its arguments as UTF-8 bytes, and so do we (as main.ts passes them on).
  const ours = await run(['grep', ...argv.map(fromUtf8)], { cwd: dir, stdin, env });
  expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status }, `grep ${argv.join(' ')}`).toEqual(ref);
}

// One option at a time and the common pairs, over the text files.
const FLAGS = ['', '-i', '-v', '-n', '-c', '-l', '-L', '-o', '-q', '-s', '-w', '-x', '-H', '-h', '-b', '-Z', '-T', '-y', '-a', '-I'];
const PATTERNS = ['hello', 'o', 'l*', '^h', 'o$', '\\bab', 'a\\{2\\}', 'x*', '[[:upper:]]', '\\(ab\\)\\1', '.'];
const single: string[][] = [];
for (const flag of FLAGS) {
  for (const pattern of PATTERNS) single.push([...(flag ? [flag] : []), '-e', pattern, 'text.txt', 'nonl.txt']);
}

describe.skipIf(!hasTool('grep'))('grep vs GNU grep', () => {
  it.each(single.map((c) => [c.join(' '), c]))('%s', async (_, c) => compare(c as string[]));

  it.each(
    [
      // ERE and fixed strings
      ['-E', 'hel+o|foo', 'text.txt'],
      ['-E', '(ab)+', '-o', 'text.txt'],
      ['-E', 'a|ab|abc', '-o', 'text.txt'],
      ['-E', '(a|ab)(c|bcd)', '-o', 'text.txt'],
      ['-E', '[0-9]{3}', '-o', 'text.txt'],
      ['-E', '\\(x\\)', 'text.txt'],
      ['-E', 'a)', 'text.txt'],
      ['-E', 'a{1', 'text.txt'],
      ['-F', 'a+b=c (x)', 'text.txt'],
      ['-F', '[y]', '-o', 'text.txt'],
      ['-F', '-x', 'foobar', 'text.txt'],
      ['-F', '-w', 'foo', 'text.txt'],
      ['-F', '-i', 'HELLO', 'text.txt'],
      ['-F', '-e', 'ab', '-e', 'abc', '-o', 'text.txt'],
      ['-G', 'a\\+b', 'text.txt'],
      ['-e', 'hello', '-e', 'foo', 'text.txt'],
      ['-e', 'hello\nfoo', 'text.txt'],
      ['-f', 'patterns.txt', 'text.txt'],
      ['-f', 'patterns.txt', '-e', 'lazy', '-n', 'text.txt'],
      ['-f', 'empty.txt', 'text.txt'],
      ['-v', '-f', 'empty.txt', 'text.txt'],
      ['-e', '', 'text.txt'],
      ['-v', '-e', '', 'text.txt'],
      ['-c', '-v', '-e', '', 'text.txt'],
      ['-w', 'ab', '-o', 'text.txt'],
      ['-w', 'abc', 'text.txt'],
      ['-x', '-e', '', 'text.txt'],
      ['-ow', '[a-z]*', 'text.txt'],
      ['-i', '-o', 'hello', 'text.txt'],
      ['-i', '[[:lower:]]x', 'text.txt'],
      ['-o', '-b', 'o', 'text.txt'],
      ['-o', '-v', 'o', 'text.txt'],
      ['-o', '-n', '-e', 'o', '-e', 'l', 'text.txt'],
      // context
      ['-A', '1', 'hello', 'text.txt'],
      ['-B', '2', 'hello', 'text.txt'],
      ['-C', '1', 'foo', 'text.txt'],
      ['-2', 'lazy', 'text.txt'],
      ['-1n', 'lazy', 'text.txt'],
      ['-n', '-C', '1', '-e', '5', '-e', '20', 'numbers.txt'],
      ['-A', '0', '-e', '5', '-e', '20', 'numbers.txt'],
      ['--group-separator=::', '-A', '1', '-e', '5', '-e', '20', 'numbers.txt'],
      ['--no-group-separator', '-A', '1', '-e', '5', '-e', '20', 'numbers.txt'],
      ['-v', '-A', '1', '[0-9]', 'text.txt'],
      ['-c', '-A', '3', '1', 'numbers.txt'],
      ['-m', '2', '1', 'numbers.txt'],
      ['-m', '2', '-A', '3', '1', 'numbers.txt'],
      ['-m', '1', '-c', '1', 'numbers.txt'],
      ['-m', '0', '1', 'numbers.txt'],
      ['-m', '2', '-v', '1', 'numbers.txt'],
      ['-nb', '-B', '1', '9', 'numbers.txt'],
      // several files, names
      ['hello', 'text.txt', 'nonl.txt', 'crlf.txt'],
      ['-h', 'hello', 'text.txt', 'nonl.txt'],
      ['-H', 'hello', 'nonl.txt'],
      ['-c', 'hello', 'text.txt', 'nonl.txt', 'empty.txt'],
      ['-l', 'hello', 'text.txt', 'nonl.txt', 'empty.txt'],
      ['-L', 'hello', 'text.txt', 'nonl.txt', 'empty.txt'],
      ['-lZ', 'hello', 'text.txt', 'nonl.txt'],
      ['-cZ', 'hello', 'text.txt', 'nonl.txt'],
      ['-HZn', 'hello', 'text.txt'],
      ['-Tn', 'hello', 'text.txt', 'nonl.txt'],
      ['-Tb', 'hello', 'text.txt'],
      ['-T', 'hello', 'text.txt'],
      ['--label=LBL', '-H', 'x', '-'],
      // inputs
      ['hello', 'crlf.txt'],
      ['dos$', 'crlf.txt'],
      ['-c', '.', 'bytes.txt'],
      ['-a', '-o', '[^[:print:]]', 'bytes.txt'],
      ['high', 'bytes.txt'],
      ['-o', '[\xe8-\xe9]', 'bytes.txt'],
      ['hello', 'long.txt'],
      ['-o', 'hello', 'long.txt'],
      ['-b', '-o', 'y', 'nonl.txt'],
      ['hello', 'binary.bin'],
      ['-c', 'hello', 'binary.bin'],
      ['-o', 'hello', 'binary.bin'],
      ['-v', 'zzz', 'binary.bin'],
      ['-a', 'hello', 'binary.bin'],
      ['-I', 'hello', 'binary.bin', 'text.txt'],
      ['--binary-files=without-match', 'hello', 'binary.bin'],
      ['--binary-files=text', '-c', 'hello', 'binary.bin'],
      ['-s', 'hello', 'binary.bin'],
      ['-l', 'hello', 'binary.bin'],
      ['-z', 'hello', 'binary.bin'],
      ['-z', '-c', '.', 'text.txt'],
      ['-z', 'b.c', 'text.txt'],
      ['-z', '^a', 'text.txt'],
      ['x', 'empty.txt'],
      // recursion
      ['-r', 'hello', 'dir'],
      ['-rn', 'hello', 'dir'],
      ['-rl', 'hello', 'dir'],
      ['-rc', 'hello', 'dir'],
      ['-rh', 'hello', 'dir'],
      ['-r', 'hello', 'dir/a.c'],
      ['-r', '--include=*.c', 'hello', 'dir'],
      ['-r', '--exclude=*.c', 'hello', 'dir'],
      ['-r', '--include=*.c', '--exclude=a*', 'hello', 'dir'],
      ['-r', '--exclude=a*', '--include=*.c', 'hello', 'dir'],
      ['-r', '--exclude-dir=sub', 'hello', 'dir'],
      ['-r', '--exclude-dir=dir', 'hello', 'dir'],
      ['--include=*.c', 'hello', 'dir/a.c', 'dir/b.h'],
      ['--exclude=dir/*', 'hello', 'dir/a.c', 'text.txt'],
      ['--exclude=*.c', 'hello', 'dir/a.c', 'text.txt'],
      ['-R', 'hello', 'dir'],
      ['-d', 'skip', 'hello', 'dir', 'text.txt'],
      ['-d', 'recurse', 'hello', 'dir'],
      ['hello', 'dir'],
      ['-s', 'hello', 'dir'],
      // errors and exit statuses
      ['hello', 'nosuch', 'text.txt'],
      ['-s', 'hello', 'nosuch', 'text.txt'],
      ['-q', 'hello', 'nosuch', 'text.txt'],
      ['-q', 'hello', 'text.txt', 'nosuch'],
      ['-q', 'zzz', 'text.txt', 'nosuch'],
      ['-sq', 'zzz', 'nosuch'],
      ['[', 'text.txt'],
      ['[[:alpha:]', 'text.txt'],
      ['[[:foo:]]', 'text.txt'],
      ['\\(', 'text.txt'],
      ['a\\{2,1\\}', 'text.txt'],
      ['\\', 'text.txt'],
      ['[:space:]', 'text.txt'],
      ['-E', '*a', 'text.txt'],
      ['-E', 'a|+b', 'text.txt'],
      ['-E', '{1}a', 'text.txt'],
      ['-e', '[', '-e', '\\(', 'text.txt'],
      ['-f', 'badpatterns.txt', 'text.txt'],
      ['-f', 'nosuch', 'text.txt'],
      ['-E', '-F', 'x', 'text.txt'],
      ['-P', 'x', 'text.txt'],
      ['-P', '\\d+', '-o', 'text.txt'],
      ['-P', 'a(?=b)', '-o', 'text.txt'],
      ['-P', '(', 'text.txt'],
      ['-P', '[', 'text.txt'],
      ['-P', 'a{2,1}', 'text.txt'],
      ['-Pw', 'ab', 'text.txt'],
      ['-Px', 'foobar', 'text.txt'],
      ['-Pc', '', 'text.txt'],
      ['-P', '-e', 'a', '-e', 'b', 'text.txt'],
      ['-m', 'x', 'y', 'text.txt'],
      ['-A', 'x', 'y', 'text.txt'],
      ['--binary-files=foo', 'x', 'text.txt'],
      ['-D', 'foo', 'x', 'text.txt'],
      ['-k', 'x'],
      ['--bogus', 'x'],
      [],
      ['--colour=always', 'hello', 'text.txt'],
      ['--color=always', '-n', '-H', '-b', 'o', 'text.txt'],
      ['--color=always', '-o', 'o', 'text.txt'],
      ['--color=always', '-v', '-A1', 'hello', 'text.txt'],
      ['--color=always', '-C1', 'lazy', 'text.txt'],
      ['--color=always', 'x*', 'text.txt'],
      ['--color=always', '-c', 'hello', 'text.txt', 'nonl.txt'],
      ['--color=always', '-l', 'hello', 'text.txt', 'nonl.txt'],
      ['--color=always', 'dos', 'crlf.txt'],
      ['--color=never', 'hello', 'text.txt'],
      ['--color=auto', 'hello', 'text.txt'],
    ].map((c) => [c.join(' '), c]),
  )('%s', async (_, c) => compare(c as string[]));

  it.each<Case & object>([
    { argv: ['--color=always', 'hello', 'text.txt'], env: { GREP_COLORS: 'ms=04;32:fn=33:sl=1:cx=2' } },
    { argv: ['--color=always', '-v', '-A1', 'hello', 'text.txt'], env: { GREP_COLORS: 'sl=1:cx=2:rv' } },
    { argv: ['--color=always', 'hello', 'text.txt'], env: { GREP_COLORS: 'ne' } },
    { argv: ['--color=always', 'hello', 'text.txt'], env: { GREP_COLOR: '1;32' } },
    { argv: ['--color=always', 'hello', 'text.txt'], env: { GREP_COLOR: '1;32', GREP_COLORS: 'mt=1;33' } },
    { argv: ['hello'], stdin: 'hello\nbye\n' },
    { argv: ['-c', 'hello', '-'], stdin: 'hello\nbye\n' },
    { argv: ['-H', 'hello'], stdin: 'hello\nbye\n' },
    { argv: ['hello', '-', 'text.txt'], stdin: 'hello stdin\n' },
    { argv: ['-f', '-', 'text.txt'], stdin: 'lazy\nfoo\n' },
    { argv: ['-z', 'b'], stdin: Buffer.from('ab\0cd\0b\nb\0') },
    { argv: ['-zo', 'b.'], stdin: Buffer.from('ab\ncd\0bb\0') },
    { argv: ['a'], stdin: Buffer.from('a\0a\nb\n') },
    { argv: ['-c', 'a'], stdin: Buffer.from('a\0a\nb\n') },
    { argv: ['-v', 'zz'], stdin: Buffer.from('x\0y\nb\n') },
    { argv: ['-n', 'b'], stdin: Buffer.from('x\0y\nb\n') },
    { argv: ['b'], stdin: Buffer.concat([Buffer.from('b\n'), Buffer.alloc(100000, 0x61), Buffer.from('\nb\0\nb\n')]) },
  ])('$argv with env/stdin', async (c) => compare(c));
});

// BusyBox grep: the options it shares with GNU where the two agree. (BusyBox differs in messages,
// binary files, context separators and -T, which we do not compare.)
describe.skipIf(!hasTool('busybox'))('grep vs BusyBox grep', () => {
  it.each(
    [
      ['hello', 'text.txt'],
      ['-i', 'hello', 'text.txt'],
      ['-v', 'o', 'text.txt'],
      ['-n', 'o', 'text.txt', 'nonl.txt'],
      ['-c', 'o', 'text.txt', 'nonl.txt'],
      ['-l', 'hello', 'text.txt', 'nonl.txt', 'empty.txt'],
      ['-L', 'hello', 'text.txt', 'nonl.txt', 'empty.txt'],
      ['-o', 'ab*', 'text.txt'],
      ['-w', 'ab', 'text.txt'],
      ['-x', 'foobar', 'text.txt'],
      ['-E', 'fo+|ba[rz]', 'text.txt'],
      ['-F', 'a+b', 'text.txt'],
      ['-e', 'hello', '-e', 'lazy', 'text.txt'],
      ['-h', 'hello', 'text.txt', 'nonl.txt'],
      ['-q', 'hello', 'text.txt'],
      ['-m', '1', 'hello', 'text.txt'],
      ['-A', '1', 'lazy', 'text.txt'],
      ['-r', 'hello', 'dir/sub'],
    ].map((c) => [c.join(' '), c]),
  )('%s', async (_, argv) => {
    const bb = runTool(['busybox', 'grep', ...(argv as string[])], { cwd: dir });
    const ours = await run(['grep', ...(argv as string[])], { cwd: dir });
    expect({ stdout: ours.stdout, status: ours.status }).toEqual({ stdout: bb.stdout, status: bb.status });
  });
});
