// find against GNU find (findutils 4.9) on the fixture tree: tests, operators, actions, -exec in
// both forms, -printf and -ls, errors; and as an unprivileged user for unreadable directories.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toUtf8 } from '../../src/core/bytes.js';
import { TOOLBOX } from '../helpers/binary.js';
import { isRoot, makeFixture } from '../helpers/fstree.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

const gnuFind = hasTool('find') && runTool(['find', '--version']).stdout.includes('GNU');
let dir = '';

const CASES: string[][] = [
  [],
  ['-regex', '.*\\.txt'],
  ['-regex', '.*/[a-c]+'],
  ['-iregex', '.*/A.*'],
  ['-regex', '.*\\(deep\\|file\\)'],
  ['-regex', '.*[[:digit:]].*'],
  ['-regextype', 'posix-extended', '-regex', '.*/(deep|file)[0-9]*'],
  ['-regextype', 'posix-basic', '-regex', '.*e\\{2\\}.*'],
  ['-regextype', 'egrep', '-regex', '\\./[^/]+'],
  ['-regex', 'deep'],
  ['-regex', '.*n.l'],
  ['-regex', '\\('],
  ['-regextype', 'posix-extended', '-regex', 'a{1'],
  ['-regextype', 'nosuch', '-regex', 'x'],
  ['-regex'],
  ['.'],
  ['deep'],
  ['deep', '-print0'],
  ['-maxdepth', '1'],
  ['-mindepth', '2'],
  ['-depth'],
  ['deep', '-depth'],
  ['-name', '*.txt'],
  ['-iname', '*.TXT'],
  ['-name', 'nl*'],
  ['-path', './deep/*'],
  ['-ipath', './DEEP/*'],
  ['-wholename', '*a/b*'],
  ['-type', 'd'],
  ['-type', 'l'],
  ['-type', 'f,d', '-maxdepth', '1'],
  ['-type', 'p'],
  ['-type', 's'],
  ['-L', '.', '-type', 'l'],
  ['-L', '.', '-type', 'd'],
  ['-xtype', 'l'],
  ['-L', '.', '-xtype', 'l'],
  ['-size', '+1'],
  ['-size', '-1M'],
  ['-size', '6c'],
  ['-size', '+2k'],
  ['-size', '+1G'],
  ['-empty'],
  ['-links', '2'],
  ['-links', '+1'],
  ['-perm', '644'],
  ['-perm', '-4000'],
  ['-perm', '/111'],
  ['-perm', '-u=s'],
  ['-perm', '/g+w,o+w'],
  ['-perm', '-g+s', '-type', 'd'],
  ['-user', 'daemon'],
  ['-user', '1'],
  ['-group', 'daemon'],
  ['-nouser'],
  ['-nogroup'],
  ['-uid', '0', '-maxdepth', '1'],
  ['-gid', '+0'],
  ['-newer', 'file'],
  ['-newer', 'old'],
  ['!', '-newer', 'old'],
  ['-anewer', 'old', '-maxdepth', '1'],
  ['-cnewer', 'old', '-maxdepth', '1'],
  ['-mtime', '0'],
  ['-mtime', '+100'],
  ['-mtime', '-1'],
  ['-mtime', '3'],
  ['-mtime', '+2'],
  ['-mmin', '-60'],
  ['-mmin', '+5000'],
  ['-amin', '-1000'],
  ['-ctime', '0'],
  ['-daystart', '-mtime', '0'],
  ['-daystart', '-mmin', '-1500'],
  ['-name', 'a', '-prune', '-o', '-print'],
  ['-name', 'deep', '-prune', '-o', '-type', 'f', '-print'],
  ['-maxdepth', '1', '(', '-name', 'a*', '-o', '-name', 'b*', ')'],
  ['-maxdepth', '1', '!', '-name', '*e*'],
  ['-maxdepth', '1', '-not', '-type', 'f'],
  ['-maxdepth', '1', '-name', 'f*', ',', '-name', 'e*'],
  ['-maxdepth', '1', '-name', 'f*', '-and', '-type', 'f', '-or', '-name', 'd*'],
  ['-lname', 'n*'],
  ['-ilname', 'N*'],
  ['-samefile', 'file'],
  ['-readable', '-maxdepth', '1'],
  ['-executable', '-type', 'f'],
  ['-writable', '-type', 'd'],
  ['-quit'],
  ['-name', 'file', '-quit'],
  ['-H', 'link'],
  ['-L', 'link'],
  ['link'],
  ['-H', 'linkdir'],
  ['-maxdepth', '0', '-ls'],
  ['deep', '-ls'],
  ['sparse', 'fifo', 'link', '-ls'],
  ['-ls'],
  ['-L', '.', '-ls'],
  ['-name', '*e*', '-fls', '/dev/stdout'],
  ['-maxdepth', '1', '-printf', '%p|%f|%h|%P|%H|%d|%s|%b|%k|%m|%#m|%M|%u|%g|%U|%G|%i|%n|%l|%y|%Y|%t|%TY-%Tm-%Td|%T@|%A+|%Ck|%-10f|%5d|%S|%D|%F\\n'],
  ['deep', '-printf', '%TS|%Ta|%TZ|%Tz|%T+|%Tk|%TH|%Tc|%TD|%Tx|%TX|%Tt|%TT|%Tr|%TR|%Tq\\n'],
  ['deep', '-printf', 'a\\tb\\c\\n'],
  ['deep', '-maxdepth', '0', '-printf', '\\q\\x\\101|%\'s\\n'],
  ['-printf', '%p %'],
  ['-printf', '%{x}'],
  ['deep', '-fprint', '/dev/stdout'],
  ['-maxdepth', '0', '-exec', 'echo', '{}', ';'],
  ['-maxdepth', '1', '-name', 'f*', '-exec', 'echo', 'X', '{}', 'Y', ';'],
  ['-maxdepth', '1', '-name', 'f*', '-exec', 'echo', 'X', '{}', '+'],
  ['-maxdepth', '1', '-exec', 'false', ';', '-print'],
  ['deep', '-exec', 'false', '{}', '+'],
  ['deep', '-exec', 'nosuchcmd', '{}', ';'],
  ['deep', '-exec', 'nosuchcmd', '{}', '+'],
  ['deep', '-execdir', 'echo', '{}', ';'],
  ['deep', '-execdir', 'echo', '{}', '+'],
  ['deep', '-exec', 'echo', '{}x{}', ';'],
  ['deep', '-name', 'x', '-exec', 'echo', 'found', '{}', ';', '-quit'],
  ['deep', '-ok', 'echo', '{}', ';'],
  // errors
  ['nonexist'],
  ['.', 'nonexist', '-name', 'x'],
  ['-foo'],
  ['-name'],
  ['-type', 'x'],
  ['-type'],
  ['-size', '1x'],
  ['-mtime', 'x'],
  ['-perm', 'x'],
  ['-user', 'nosuchuser'],
  ['-group', 'nosuchgroup'],
  ['-exec', 'echo', '{}'],
  ['-exec', 'echo', 'x{}', '+'],
  ['(', '-name', 'a'],
  [')'],
  ['(', ')'],
  ['-name', 'a', ')'],
  ['-name', 'a', '-o'],
  ['!'],
  ['-delete', '-prune'],
  ['.', '-name', 'x', 'extra'],
  ['-mindepth', 'x'],
  ['-newer', 'nonexist'],
  ['-maxdepth', '1', '-newermt', '2000-01-01'],
  ['-maxdepth', '1', '!', '-newermt', '@946730096.123'],
  ['-maxdepth', '1', '-newerma', 'file'],
  ['-newermt', 'garbage'],
  ['-newermt'],
  ['-newertm', 'file'],
  ['-newerBt', '2000-01-01'],
  ['nl\nx'],
  ['-d', '-maxdepth', '0'],
  ['', 'deep'],
];

describe.skipIf(!gnuFind)('find vs GNU find', () => {
  beforeAll(async () => {
    dir = await makeFixture();
  });
  it.each(CASES.map((c) => [c.join(' ').replace(/\n/g, '\\n'), c]))('find %s', async (_, args) => {
    const argv = ['find', ...(args as string[])];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const gnu = runTool(argv.map(toUtf8), { cwd: dir });
    const ours = await run(argv, { cwd: dir, env: { LC_ALL: 'C', TZ: 'UTC', ...env } });
    expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status }).toEqual({ stdout: gnu.stdout, stderr: gnu.stderr, status: gnu.status });
  });

  it('-delete removes what it matches, depth first', async () => {
    const left: Record<string, string> = {};
    for (const tool of ['gnu', 'ours']) {
      const root = tempDir();
      fs.mkdirSync(path.join(root, 'd/e/f'), { recursive: true });
      fs.writeFileSync(path.join(root, 'd/e/f/x.o'), '');
      fs.writeFileSync(path.join(root, 'd/keep.c'), '');
      fs.writeFileSync(path.join(root, 'd/y.o'), '');
      const argv = ['find', 'd', '-name', '*.o', '-delete', '-o', '-name', 'f', '-delete'];
      const r = tool === 'gnu' ? runTool(argv, { cwd: root }) : await run(argv, { cwd: root });
      expect(r.status, tool).toBe(0);
      left[tool] = runTool(['find', 'd'], { cwd: root }).stdout.split('\n').sort().join('\n');
    }
    expect(left.ours).toBe(left.gnu);
    expect(left.ours).toBe('\nd\nd/e\nd/keep.c');
  });
});

// Unreadable directories need an unprivileged user: run both through setpriv as nobody.
describe.skipIf(!gnuFind || !isRoot || !hasTool('setpriv'))('find as nobody vs GNU find', () => {
  it.each([['.'], ['-depth'], ['.', '-name', 'g'], ['-type', 'f'], ['closed'], ['noexec/h'], ['-maxdepth', '1', '-empty']].map((a) => [a.join(' '), a]))(
    'find %s',
    (_, args) => {
      const root = tempDir();
      fs.chmodSync(root, 0o755);
      for (const d of ['open/sub', 'closed', 'noexec']) fs.mkdirSync(path.join(root, d), { recursive: true });
      for (const f of ['open/f', 'closed/g', 'noexec/h']) fs.writeFileSync(path.join(root, f), '');
      fs.chmodSync(path.join(root, 'closed'), 0o700);
      fs.chmodSync(path.join(root, 'noexec'), 0o644);
      const as = (argv: string[]) =>
        spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], { cwd: root, env: { LC_ALL: 'C', PATH: process.env.PATH }, encoding: 'latin1' });
      const g = as(['find', ...(args as string[])]);
      const o = as([TOOLBOX, 'find', ...(args as string[])]);
      if (o.stderr.includes('EACCES') || o.status === 126) return; // the toolbox binary is not readable by nobody here
      expect({ out: o.stdout, err: o.stderr, st: o.status }).toEqual({ out: g.stdout, err: g.stderr, st: g.status });
    },
  );
});
