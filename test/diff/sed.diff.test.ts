// sed against GNU sed 4.9 (the reference): every command, address form, flag and option, the
// error messages with their positions, on inputs with every byte value, long lines, no final
// newline and CRLF; in-place editing compared on copies of the same files; and BusyBox sed as a
// second opinion where it agrees with GNU.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../src/core/bytes.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

const FILES: Record<string, string | Buffer> = {
  'n.txt': '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n',
  'text.txt': 'hello world\nfoo bar\n\nHello Again\nabc abc abc\nthe end\n',
  'nonl.txt': 'first\nsecond',
  'crlf.txt': 'one\r\ntwo\r\n',
  'bytes.txt': Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 10)), Buffer.from('\n\xe9t\xe9\n', 'latin1')]),
  'long.txt': `${'ab'.repeat(100000)}\nshort\n`,
  'empty.txt': '',
  'script.sed': '# a script\ns/foo/FOO/\n/^$/d\n$a\\\nappended\n',
  'quiet.sed': '#n\n/foo/p\n',
  'nul.txt': 'a\0b\0c\n\0',
  'r.txt': 'read line 1\nread line 2\n',
};

const dir = tempDir('sed-diff-');
for (const [name, content] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), content);

interface Case {
  argv: string[];
  stdin?: string | Buffer;
  env?: Record<string, string>;
}

async function compare(c: Case | string[]) {
  const { argv, stdin, env } = Array.isArray(c) ? { argv: c, stdin: undefined, env: undefined } : c;
  const ref = runTool(['sed', ...argv], { cwd: dir, stdin, env });
  const ours = await run(['sed', ...argv.map(fromUtf8)], { cwd: dir, stdin, env });
  expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status }, `sed ${argv.join(' ')}`).toEqual(ref);
}

const SCRIPTS = [
  // printing, deleting, quitting
  'p', '-n p', '-n 3p', '3d', '$d', '$!d', '2q', '2q5', '2Q', '2Q3', '-n $=', '=', 'l', '-n l', 'l 5', 'l 0', 'l 1',
  // addresses and ranges
  '2,4d', '4,2d', '2,/5/d', '/3/,/5/d', '/3/,+2d', '/3/,~4d', '0,/1/d', '1,/1/d', '3,$d', '1~3d', '2~0d', '0~4d',
  '$!N;s/\\n/-/', '/1/,/0/!d', '2!d', '/^[0-9]$/d', '\\%5%d', '\\,5,d', '/5/I,/7/d', '5,3p', '5,5p', '/2/,3p', '7,/./p',
  // blocks, labels, branches
  '2{p;p}', '/2/,/4/{/3/d}', ':a;N;$!ba;s/\\n/+/g', 'b;p', 'bend;s/1/X/;:end', 's/1/X/;ta;s/$/ no/;:a', 's/1/X/;Ta;s/$/ yes/;:a',
  '2{h;d};4{G}', '1!G;h;$!d', 'x;$!d;x', 'H;$!d;x;s/\\n/,/g', '$!{h;d};x;G',
  // n N D P
  'n;d', '$!n;d', 'N;P;D', '$!N;P;D', 'N', 'N;N', 'P', 'N;P', 'D', '$!N;D',
  // s
  's/1/X/', 's/[0-9]/<&>/g', 's/./X/2', 's/./X/2g', 's/x*/-/g', 's/\\(.\\)\\(.\\)/\\2\\1/', 's/.*/\\U&/', 's/.*/\\u&x/',
  's/\\(1\\)\\(0\\)/\\U\\1\\E\\2/', 's/1/a\\nb/', 's/1/a\\tb/', 's/$/\\x41/', 's/^/\\o101/', 's/^/\\d065/', 's/1/\\cA/', 's/1/&&/',
  's/1/\\&/', 's|1|/|', 's,1,\\,,', 's/1/x/p', '-n s/1/x/p', 's/1/x/w /dev/stdout', 's/1/X/I', 's/0$/Z/M', '-E s/(1)|(2)/[\\1\\2]/',
  '-E s/(a|ab)(c|bcd)(d*)/[&|\\1|\\2|\\3]/', '-r s/([0-9])+/<\\1>/', 's/\\b/|/g', 's/\\B/-/g', 's/\\</[/g', 's/\\>/]/g',
  's/\\`/S/', "s/\\'/E/", 's/[[:digit:]]\\{2\\}/two/', 's/a\\|1/X/g', 's/\\(1\\|10\\)/<\\1>/', 's/1\\+/X/', 's/0\\?$/!/',
  // y
  'y/123/abc/', 'y/0123456789/9876543210/', 'y/\\n/x/', 'y,1\\,2,a\\,b,',
  // a i c r R w
  'a X', '2a\\\n  two\\\nlines', '2i X', '$a END', '2c X', '2,4c X', '2!c X', '$!c X', 'a\\', '2r r.txt', '0r r.txt', '$r r.txt',
  'r nosuch', '2R r.txt', 'R r.txt', '1w /dev/stdout', '1W /dev/stdout', 'e echo hi', '2e echo hi', 's/.*/echo &/e', 'z;=', 'F',
  // comments and misc
  '#n\np', '# comment\np', 'p # trailing comment', '2 { p } ', '2{p;};p', 'y/a/b/;p', '{;p}',
  // errors
  'k', '2,p', '0p', '0,2d', '+1d', 's/a/b/gg', 's/a/b/pp', 's/a/b/2p3', 's/a/b/0', 's/a/b/q', 's/1/x/w', 'r', '1!!d',
  '2d x', '2#c', ':', '1:a', 'v 9.0', 'v 4.2', '//p', 's//x/I', 'y/a/', 'y/ab/c/', 's/a', 's/a/b', 's/\\(a\\)/\\2/',
  '-E s/(a)/\\2/', 's/x/\\3/', 'b foo', 'L', '/2/{p', '}', 's/[/x/', 's/\\(/x/', 's/a\\{1/x/', 's/[b-a]/x/', 's/*a/x/',
  '-E s/a|*b/x/', 's/a**/x/', 's/[[:foo:]]/x/', 's/[:space:]/x/', 's/\\c\\d/x/', 'a', 'i', 'c', '1;p', '1\np', 's/a/b/;}', 'y/a/b/x',
];

describe.skipIf(!hasTool('sed'))('sed vs GNU sed', () => {
  it.each(SCRIPTS.map((s) => [s, s]))('%s', async (_, script) => {
    const options = script.match(/^(-[nEr]|-l [0-9]+) /)?.[0].trim();
    const argv = options ? [...options.split(' '), script.slice(options.length + 1)] : [script];
    await compare([...argv, 'n.txt']);
    await compare([...argv, 'text.txt', 'nonl.txt']);
  });

  it.each(
    [
      ['-n', '-e', 'p', '-e', 'p', 'n.txt'],
      ['-e', '1a\\', '-e', 'hello', 'n.txt'],
      ['-e', 'a foo\\', '-e', 'bar', 'nonl.txt'],
      ['-e', '$a\\', '-e', 'x\\', '-e', 'y', 'n.txt'],
      ['-e', '2{', '-e', 'p', '-e', '}', 'n.txt'],
      ['-e', 'p', '-e', 'k', 'n.txt'],
      ['-f', 'script.sed', 'text.txt'],
      ['-f', 'quiet.sed', 'text.txt'],
      ['-f', 'script.sed', '-e', 's/bar/BAR/', 'text.txt'],
      ['-e', 's/bar/BAR/', '-f', 'script.sed', 'text.txt'],
      ['-f', 'nosuch.sed', 'text.txt'],
      ['-n', '$p', 'n.txt', 'text.txt'],
      ['-s', '-n', '$p', 'n.txt', 'text.txt'],
      ['-s', '1d', 'n.txt', 'text.txt'],
      ['-s', 'F', 'n.txt', 'nonl.txt'],
      ['p', 'nonl.txt', 'nonl.txt'],
      ['$!d', 'n.txt', 'nosuch', 'empty.txt'],
      ['-n', '$p', 'text.txt', 'empty.txt'],
      ['p', 'nosuch'],
      ['p', '.'],
      ['-z', 's/^/>/', 'nul.txt'],
      ['-z', '=', 'nul.txt'],
      ['-z', '$!d', 'nul.txt'],
      ['-u', 'p', 'n.txt'],
      ['-l', '4', 'l', 'text.txt'],
      ['-l', '1', 'l', 'text.txt'],
      ['-n', 'l', 'bytes.txt'],
      ['s/[\xe9]/E/g', 'bytes.txt'],
      ['-n', '/\xe9/p', 'bytes.txt'],
      ['s/./X/3', 'bytes.txt'],
      ['y/abc/xyz/', 'bytes.txt'],
      ['s/ab/X/g', 'long.txt'],
      ['-n', '$=', 'long.txt'],
      ['s/\r$//', 'crlf.txt'],
      ['-n', 'l', 'crlf.txt'],
      ['s/$/!/', 'crlf.txt'],
      ['--posix', 's/a\\+/x/', 'text.txt'],
      ['--posix', 's/o\\|a/x/', 'text.txt'],
      ['--posix', 'N;s/\\n/-/', 'n.txt'],
      ['--posix', '2,3F', 'n.txt'],
      ['--posix', '-E', 's/(o)/[\\1]/', 'text.txt'],
      ['--sandbox', 'w x', 'n.txt'],
      ['--sandbox', 'e ls', 'n.txt'],
      ['--sandbox', 's/a/b/e', 'n.txt'],
      ['-E', 's/(o+)/[\\1]/g', 'text.txt'],
      ['-r', 's/o{2}/0/', 'text.txt'],
      ['-l', 'x', 'p', 'n.txt'],
    ].map((c) => [c.join(' '), c]),
  )('%s', async (_, argv) => compare(argv as string[]));

  // Usage errors: GNU's message and status; the usage text that follows is our own.
  it.each([[['-k', 'p']], [['--bogus', 'p']], [[]]])('usage error %j', async (argv) => {
    const ref = runTool(['sed', ...argv], { cwd: dir });
    const ours = await run(['sed', ...argv], { cwd: dir });
    const head = (s: string) => s.split('\n').slice(0, 2).join('\n');
    expect({ status: ours.status, stdout: ours.stdout, stderr: head(ours.stderr) }).toEqual({ status: ref.status, stdout: ref.stdout, stderr: head(ref.stderr) });
  });

  it.each<Case>([
    { argv: ['p'], stdin: 'a\nb\n' },
    { argv: ['-n', '$='], stdin: '' },
    { argv: ['$a end'], stdin: 'no newline' },
    { argv: ['N;s/a/X/'], stdin: 'a\n' },
    { argv: ['s/a/b/', '-', 'n.txt'], stdin: 'a\n' },
    { argv: ['F', '-'], stdin: 'a\n' },
    { argv: ['s/.*/[&]/'], stdin: Buffer.from('\0x\0\n\xff\n') },
  ])('$argv (stdin)', async (c) => compare(c));
});

// In-place editing: the same files edited by GNU sed and by ours must end up identical, with the
// same backups and modes.
describe.skipIf(!hasTool('sed'))('sed -i vs GNU sed', () => {
  const inPlaceCases: string[][] = [
    ['-i', 's/1/X/', 'a.txt'],
    ['-i.bak', 's/1/X/', 'a.txt', 'b.txt'],
    ['-i', '-e', '$a end', 'a.txt', 'b.txt'],
    ['--in-place=.orig', '2d', 'a.txt'],
    ['-i', '2q', 'a.txt'],
    ['-i', 'F;=', 'a.txt', 'b.txt'],
    ['-ibak_*', 's/2/Y/', 'a.txt'],
    ['-i', 's/1/X/', 'nosuch', 'a.txt'],
    ['-i', 's/1/X/'],
    ['-i', 'w out.txt', 'a.txt'],
    ['-n', '-i', 'p;p', 'b.txt'],
  ];
  it.each(inPlaceCases.map((c) => [c.join(' '), c]))('%s', async (_, argv) => {
    const results = [];
    for (const who of ['gnu', 'ours']) {
      const d = tempDir(`sed-i-${who}-`);
      fs.writeFileSync(path.join(d, 'a.txt'), '1\n2\n3\n');
      fs.writeFileSync(path.join(d, 'b.txt'), 'b1\nb2');
      fs.chmodSync(path.join(d, 'b.txt'), 0o640);
      const r = who === 'gnu' ? runTool(['sed', ...(argv as string[])], { cwd: d }) : await run(['sed', ...(argv as string[])], { cwd: d });
      const files = Object.fromEntries(
        fs.readdirSync(d).sort().map((f) => [f, [fs.readFileSync(path.join(d, f), 'latin1'), (fs.statSync(path.join(d, f)).mode & 0o777).toString(8)]]),
      );
      results.push({ stdout: r.stdout, stderr: r.stderr, status: r.status, files });
    }
    expect(results[1]).toEqual(results[0]);
  });
});

// BusyBox sed where it behaves as GNU does (it has no e, F, W, R, z, M and differs in messages).
describe.skipIf(!hasTool('busybox'))('sed vs BusyBox sed', () => {
  it.each(['p', '-n 3p', '2,4d', '/3/,/5/d', '$!N;s/\\n/-/', 's/[0-9]/<&>/g', 's/./X/2', 'y/123/abc/', '2a X', '2i X', '2c X', 'N;P;D', '1!G;h;$!d', '-E s/(1)(0)/\\2\\1/', '=', '2q', ':a;N;$!ba;s/\\n/+/g'].map((s) => [s]))(
    '%s',
    async (script) => {
      const argv = script.startsWith('-') ? [script.slice(0, 2), script.slice(3), 'n.txt'] : [script, 'n.txt'];
      const bb = runTool(['busybox', 'sed', ...argv], { cwd: dir });
      const ours = await run(['sed', ...argv], { cwd: dir });
      expect({ stdout: ours.stdout, status: ours.status }).toEqual({ stdout: bb.stdout, status: bb.status });
    },
  );
});
