// du against GNU du (coreutils 9.1) on the fixture tree: totals, depth limits, units, apparent
// sizes, hard links counted once, symlink modes, exclusions, times, errors; and as an
// unprivileged user for unreadable directories.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toUtf8 } from '../../src/core/bytes.js';
import { TOOLBOX } from '../helpers/binary.js';
import { isRoot, makeFixture } from '../helpers/fstree.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

const gnu = hasTool('du') && runTool(['du', '--version']).stdout.includes('GNU');
let dir = '';

const CASES: string[][] = [
  [],
  ['-s'],
  ['-a'],
  ['-h'],
  ['-sh'],
  ['-c', 'file', 'big'],
  ['-d', '1'],
  ['--max-depth=0'],
  ['-s', '-d', '1'],
  ['-k'],
  ['-m'],
  ['--apparent-size'],
  ['-b'],
  ['-ab'],
  ['-L'],
  ['-x'],
  ['--si'],
  ['-a', '--time'],
  ['--time=ctime', '-s'],
  ['--time-style=+%Y', '-s', '--time'],
  ['-0'],
  ['-S'],
  ['-l'],
  ['dir', 'dir'],
  ['-l', 'dir', 'dir'],
  ['file', 'hardlink'],
  ['-l', 'file', 'hardlink'],
  ['-s', '.', 'dir'],
  ['--exclude=*.txt', '-a'],
  ['-d', 'x'],
  ['nonexist'],
  ['-sh', 'sparse', 'big'],
  ['-sm', 'sparse'],
  ['--apparent-size', '-h', 'sparse'],
  ['-B', '1M'],
  ['-B', 'x'],
  ['-h', '--block-size=1K'],
  ['--inodes'],
  ['-ac', '--apparent-size', '-h'],
  ['-t', '1k', '-a'],
  ['-t', '-1k', '-a'],
  ['-H', 'linkdir'],
  ['-D', 'linkdir'],
  ['-Lsb', 'linkdir'],
  ['linkdir', 'link', 'dangling'],
  ['-X'],
  ['--bogus'],
  ['', 'file'],
];

describe.skipIf(!gnu)('du vs GNU du', () => {
  beforeAll(async () => {
    dir = await makeFixture();
  });
  it.each(CASES.map((c) => [c.join(' '), c]))('du %s', async (_, args) => {
    const argv = ['du', ...(args as string[])];
    const g = runTool(argv.map(toUtf8), { cwd: dir });
    const o = await run(argv, { cwd: dir, env: { LC_ALL: 'C', TZ: 'UTC' } });
    expect({ stdout: o.stdout, stderr: o.stderr, status: o.status }).toEqual({ stdout: g.stdout, stderr: g.stderr, status: g.status });
  });
  it.each([['file\0\0big\0-\0'], [''], ['file']])('du --files0-from with %j', async (list) => {
    for (const from of ['-', 'list']) {
      const argv = ['du', `--files0-from=${from}`];
      const root = tempDir();
      fs.writeFileSync(path.join(root, 'file'), 'x');
      fs.writeFileSync(path.join(root, 'big'), 'x'.repeat(9000));
      fs.writeFileSync(path.join(root, 'list'), list as string, 'latin1');
      const g = runTool(argv, { cwd: root, stdin: list as string });
      const o = await run(argv, { cwd: root, stdin: list as string, env: { LC_ALL: 'C' } });
      expect({ stdout: o.stdout, stderr: o.stderr, status: o.status }).toEqual({ stdout: g.stdout, stderr: g.stderr, status: g.status });
    }
  });
});

describe.skipIf(!gnu || !isRoot || !hasTool('setpriv'))('du as nobody vs GNU du', () => {
  it.each([[], ['-a'], ['-s'], ['closed'], ['noexec']].map((a) => [a.join(' '), a]))('du %s', (_, args) => {
    const root = tempDir();
    fs.chmodSync(root, 0o755);
    for (const d of ['open/sub', 'closed', 'noexec']) fs.mkdirSync(path.join(root, d), { recursive: true });
    for (const f of ['open/f', 'closed/g', 'noexec/h']) fs.writeFileSync(path.join(root, f), 'data');
    fs.chmodSync(path.join(root, 'closed'), 0o700);
    fs.chmodSync(path.join(root, 'noexec'), 0o644);
    const as = (argv: string[]) =>
      spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], { cwd: root, env: { LC_ALL: 'C', PATH: process.env.PATH }, encoding: 'latin1' });
    const g = as(['du', ...(args as string[])]);
    const o = as([TOOLBOX, 'du', ...(args as string[])]);
    if (o.stderr.includes('EACCES') || o.status === 126) return; // the toolbox binary is not readable by nobody here
    expect({ out: o.stdout, err: o.stderr, st: o.status }).toEqual({ out: g.stdout, err: g.stderr, st: g.status });
  });
});
