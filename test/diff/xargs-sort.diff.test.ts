// xargs against GNU findutils and sort against GNU coreutils. xargs runs its commands through
// ctx.exec: echo is our applet in-process, other commands are spawned.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_BYTES, both, fixtureDir, words } from '../helpers/differential.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run } from '../helpers/run.js';

const dir = fixtureDir({ f3: 'a\nb\nc\n', notexec: 'x\n' });

// [input, argv after xargs]
const XARGS: [string, string][] = [
  ['a b c\n', '-t'], ['a b c d e\n', '-n 2'], ['a\nb c\n', '-L 1 echo X'], ['a \nb c\n', '-L 1 echo X'], ['a\nb\n', "-I {} echo [{}]"],
  ['  a b  \n', "-I {} echo [{}]"], ["'a b' \"c d\" e\\ f\n", '-n1'], ["'a b\n", ''], ['x "a b\n', ''], ['a\0b c\0', '-0 -n1'], ['a:b:c', '-d: -n1'],
  ['a\nb\n', "-d '\\n' -n1 echo"], ['a b END c\n', '-E END'], ['a b END c\n', '-e'], ['a b END c\n', '-eEND'], ['', 'echo X'], ['', '-r echo X'],
  ['a\n', 'nosuchcmd'], ['a\n', 'false'], ['a\n', "sh -c 'exit 255'"], ['a\n', "sh -c 'kill $$'"], ['a\n', './notexec'], ['a b\n', '-n 1 -I {} echo {}'],
  ['aaaa bbbb\n', '-s 12 echo'], ['aaaaaaaaaa\n', '-s 12 echo'], ['a b c\n', '-x -n 2 -s 8 echo'], ['a b c\n', '-s 0'], ['a\n', '-n 0 echo'],
  ['a\n', '-P x echo'], ['a\n', '-n x'], ['a\n', '-L 1 -n 2'], ['a\n', '-n 2 -L 1'], ['a\n', '-I {} -n 1 echo {}'], ['a\n', '-n 1 -L 2 echo'],
  ['a\n', '-I {} -L 2 echo {}'], ['a\n', '-L 2 -I {} echo {}'], ["'a b'\n", '-I{} echo [{}]'], ['a\\ b\n', '-I{} echo [{}]'], ['a b\nc d\n', '-i echo [{}]'],
  ['a b\nc d\n', '-iX echo [X]'], ['a b \nc\nd\n', '-L1'], ['a b \nc\nd\n', '-l'], ['a b\nc\nd\n', '-l2'], ['a\n\n\nb\n', '-L1 echo X'],
  ['a::b:', '-d: -n1 echo X'], ['x\\ny', "-d '\\\\'"], ['', '-d ab'], ['a\tb', "-d '\\t' -n1"], ['aAb', "-d '\\x41' -n1"], ['aAb', "-d '\\101' -n1"],
  ['a\0b', ''], ['abc\n', '-I {} echo {}{}'], ['abc\n', '-I {} echo x{}y{} {}'], ['a\n', '-a f3 echo'], ['a\n', '--arg-file=nosuch echo'],
  ['a b\n', '-E b echo'], ['a b\n', '-E a echo'], ['a_ b\n', '-E a_ echo X'], ['a\r b\n', '-n1'], ['a\n', '-n -1'], ['a\n', '-P -1'],
  ['a\n', '-s 1 echo'], ['a\n', '-L 0'], ['a\n', '-E'], ['a\n', '-d'], ['a\n', '-0 -E x echo'], ['a b\n', '-I {} -n 2 echo {}'],
  ['a\nb\nc\n', '-L 2 -x -s 10 echo'], ['aaa bbb ccc\n', '-s 12 -x echo'], ['a b c\n', '--max-args=2 --verbose echo'],
  ['x\n', "--process-slot-var=SLOT sh -c 'echo $SLOT'"], ["''\n", 'echo X'], ["'' a\n", '-n1 echo X'], ["a ''\n", '-n1 echo X'], ["'", 'echo X'],
  ['a\\\nb\n', '-n1 echo X'], ['a b\\ \nc\n', '-L1 echo X'], ['one\ntwo\n', 'cat'], ['a b', '-n1'], ['1 2 3\n', "-n1 sh -c 'exit $0'"],
  ['1 2 3\n', "-n1 sh -c 'echo $0; exit 1'"], ['x\ny\n', "-I@ sh -c 'echo @ >&2'"], ['a\n', '-- echo X'], ['a\n', 'echo -n'], ['END\nb\n', '-E END echo X'],
  ['a END\nb\n', '-E END echo X'], ['a\nEND\nb\n', '-L1 -E END echo X'], ["''", 'echo X'], ["a ''", '-n1 echo X'], ["'' \n", '-n1 echo X'],
  ['a\0b c\0d\n', '-n1 echo X'], [Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '), '-s 100 echo'], ['a\n', '-x'], ['a\n', '--bogus'],
];

describe.skipIf(!hasTool('xargs'))('xargs vs GNU', () => {
  it.each(XARGS)('%j | xargs %s', async (input, line) => {
    const { ours, ref } = await both(['xargs', ...words(line)], { cwd: dir, stdin: input, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    expect(ours).toEqual(ref);
  });
  it('runs up to -P commands at once', async () => {
    const input = Array.from({ length: 20 }, (_, i) => String(i)).join('\n');
    const ref = runTool(['sh', '-c', 'xargs -P 4 -n 3 echo | sort'], { cwd: dir, stdin: input });
    const ours = await run(['xargs', '-P', '4', '-n', '3', 'echo'], { cwd: dir, stdin: input });
    expect(ours.stdout.split('\n').sort().join('\n')).toBe(ref.stdout.split('\n').sort().join('\n'));
  });
});

const sortDir = fixtureDir({
  s1: 'b 2\na 10\nc 1\nB 3\n  d 4\n\t e 5\nb 2\n',
  nums: '10\n9\n-1\n-10\n1.5\n1.50\n.5\n-.5\n0\n-0\n+3\n1e3\n 7\nabc\n\n3\n99999999999999999999\n99999999999999999998\n1,000\n0x10\n',
  gen: 'inf\n-inf\nnan\n1e3\n-1e-3\n0x10\nabc\n 2.5\n-0\n1.0000000000000000001\n1.0000000000000000002\n1e400\n',
  human: '1K\n2M\n1k\n512\n1G\n-1K\n-2M\n1.5K\n0K\nK\n1T\n1P\n1E\n3\n1Kx\n',
  months: 'Jan 1\nfeb 2\n MAR 3\napril 4\nDECEMBER\nfoo\n\nmay\nJunk\nsep\n',
  versions: '1.10\n1.9\n1.2~rc1\n1.2\n.hidden\n..\n.\nabc.tar.gz\nabc.tar\nabc-1.0.tar.gz\nabc-1.0a.tar.gz\nfoo10\nfoo9\nfoo09\n\na1b2\na1b10\n1.0.0\n1.0\n',
  fields: 'x:3:b\ny:1:a\nz:2:c\nw:1:b\nv:10:a\n::\nno-colon\n',
  blanks: '  b 1\n a 2\nc  3\n\t d 4\n   a 1\n',
  words: Array.from({ length: 2000 }, (_, i) => `${['alpha', 'beta', 'Gamma', 'delta'][i % 4]} ${(i * 7919) % 1000} ${String.fromCharCode(65 + (i % 26))}${i % 3}\n`).join(''),
  bytes: ALL_BYTES,
  nul: Buffer.from('b\0a\0c\0a'),
  sorted: 'a\nb\nb\nc\n',
  unsorted: 'b\na\nc\n',
  empty: '',
  noeol: 'b\na',
});

const SORT = [
  's1', '-r s1', '-n -k2 s1', '-k2n s1', '-k2,2n -r s1', '-f s1', '-u s1', '-uf s1', '-b s1', '-k1,1 s1', '-k1.2 s1', '-k1.2b s1', "-t ' ' -k2 s1",
  '-s -k1,1f s1', 'bytes', '-n bytes', '-r bytes', '-z nul', '-z -r nul', 'noeol', 'empty', 'nums', '-n nums', '-rn nums', '-un nums', '-sn nums',
  '-g gen', '-rg gen', '-ug gen', '-h human', '-rh human', '-M months', '-rM months', '-bM months', '-V versions', '-rV versions', '-t : -k2 fields',
  '-t : -k2n fields', '-t : -k2,2n -k3 fields', '-t : -k3,3 -k1,1r fields', '-t : -k2,2 -s fields', '-t : -k2,2 -u fields', '-t : -k 2.1,2.1 fields',
  '-k2 blanks', '-k2b blanks', '-b -k2 blanks', '-k1,1 blanks', '-k1b,1 blanks', '-k1.2,1.3 blanks', '-k1.3b,1.4b blanks', '-k2,2 -k1 blanks',
  '-d words', '-i bytes', '-df words', '-fi bytes', '-k2n words', '-k2nr -k1 words', '-k3 -k1,1 words', '-k1,1 -k2,2n -s words', '-u -k1,1 words',
  '-k1.3,1.3 words', '-k 2,2n -k 3,3r words', '--key=1,1 --reverse words', '--numeric-sort -k2 words', '--sort=numeric -k2 words', '--sort=version versions',
  '--sort=month months', '--sort=human-numeric human', '--sort=general-numeric gen', '-k2,2 -n words', '-n -k2,2 words', '-k 1.0 s1', '-k 1,1.0 s1',
  '-k +1 s1', '-k1,1 -k1,1 s1', '-m sorted f3', '-m unsorted sorted', '-c sorted', '-c unsorted', '-C unsorted', '-cu sorted', '-c -r sorted',
  '--check=quiet unsorted', '--check=diagnose-first unsorted', '-c -k2n words', '-c empty', '-c noeol', '-s -r s1', '-rs s1', '-t: -k2 fields',
  "-t '\\0' -k2 nul", '-k2,1 s1', '-k3,2 s1', '-k1.5 s1', '-k1,1.1 s1', '-k1.1,1.1 s1', '-S 1K words', '-S 1M -k2n words', '--parallel=2 words',
  '--batch-size=2 -S 64K words', 's1 -o out', '-o out s1', 'nosuch', 'dir', '-o /nonexistent/x s1', '-m nosuch', '-c nosuch', '-c s1 s1', '-t ab',
  "-t ''", '-t a -t b', '-o a -o b', '-S x', '--parallel=0', '--parallel=x', '--batch-size=1', '--batch-size=x', '-k 0', '-k 1.0', '-k x', '-k 1.x',
  '-k 1,x', '-k 1,0', '-k 1x', '-k 1,2x', '-k 1.2.3', '-k -1', '-gn', '-nM', '-dn', '-Rn', '-c -o x', '-C -o x', '--sort=foo', '--check=foo',
  '-T /nonexistent s1', '-x', '--files0-from=nosuch',
];

describe.skipIf(!hasTool('sort'))('sort vs GNU', () => {
  it.each(SORT)('sort %s', async (line) => {
    const { ours, ref } = await both(['sort', ...words(line)], { cwd: sortDir, stdin: 'z\ny\nx\n' });
    expect(ours).toEqual(ref);
  });
  it('sorts -o onto one of its inputs, and -m likewise', async () => {
    for (const args of [['-o', 'in', 'in'], ['-m', '-o', 'in', 'in', 'other'], ['-u', '-o', 'in', 'other', 'in']]) {
      const results = [];
      for (const tool of ['ref', 'ours']) {
        const d = fixtureDir({ in: 'c\na\nb\na\n', other: 'b\nd\n' });
        const r = tool === 'ref' ? runTool(['sort', ...args], { cwd: d }) : await run(['sort', ...args], { cwd: d });
        results.push({ status: r.status, stderr: r.stderr, file: fs.readFileSync(path.join(d, 'in'), 'latin1') });
      }
      expect(results[1]).toEqual(results[0]);
    }
  });
  it('sorts a larger input in runs through temporary files, as it sorts it in memory', async () => {
    const lines = Array.from({ length: 60000 }, (_, i) => `${(i * 104729) % 60000} ${['x', 'y', 'z'][i % 3]}${i % 97}\n`).join('');
    const d = fixtureDir({ big: lines });
    for (const args of [[], ['-n'], ['-k2'], ['-u', '-k2,2'], ['-r', '-s', '-k2,2'], ['-n', '-r']]) {
      const ref = runTool(['sort', ...args, 'big'], { cwd: d });
      const ours = await run(['sort', '-S', '64K', '--batch-size=3', '-T', d, ...args, 'big'], { cwd: d });
      expect(ours.stdout, args.join(' ')).toBe(ref.stdout);
      expect(fs.readdirSync(d)).toEqual(['big']); // temporary files are gone
    }
  });
});
