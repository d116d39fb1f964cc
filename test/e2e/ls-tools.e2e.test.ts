// ls, find, stat, du, df, date and touch from the built executable through symlinks in a
// throwaway rootfs: on a real terminal (through script(1)) for ls's columns, quoting and colour,
// find running other applets with -exec, and a broken pipe ending a long listing quietly.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRootfs, requireBinary } from '../helpers/binary.js';
import { hasTool } from '../helpers/reference.js';
import { tempDir } from '../helpers/run.js';

requireBinary();
const root = makeRootfs({ ls: 'bin', date: 'bin', touch: 'bin', df: 'bin', find: 'usr/bin', stat: 'usr/bin', du: 'usr/bin' });
const bin = (name: string) => path.join(root, name === 'ls' || name === 'date' || name === 'touch' || name === 'df' ? 'bin' : 'usr/bin', name);
const ENV = { PATH: '/nonexistent', LC_ALL: 'C', TZ: 'UTC' };

function exec(name: string, args: string[], cwd: string, env: Record<string, string> = ENV) {
  const r = spawnSync(bin(name), args, { cwd, env, encoding: 'latin1' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function work(): string {
  const d = tempDir();
  fs.writeFileSync(path.join(d, 'a b'), 'x');
  fs.writeFileSync(path.join(d, 'plain'), 'hello');
  fs.mkdirSync(path.join(d, 'sub'));
  fs.writeFileSync(path.join(d, 'sub/inner'), '');
  fs.symlinkSync('plain', path.join(d, 'link'));
  return d;
}

/** Run a command line on a pseudo-terminal; the output with CR LF turned back into LF. */
function onTty(cmd: string, cwd: string, env: Record<string, string>) {
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd, env: { ...env, PATH: process.env.PATH ?? '/usr/bin:/bin' }, encoding: 'latin1' });
  return r.stdout.replace(/\r\n/g, '\n');
}

describe('file tools through symlinks', () => {
  it('ls lists one per line into a pipe, long format with names from /etc/passwd', () => {
    const d = work();
    expect(exec('ls', [], d)).toEqual({ status: 0, stdout: 'a b\nlink\nplain\nsub\n', stderr: '' });
    const l = exec('ls', ['-l', 'plain'], d);
    const owner = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
    expect(l.stdout).toMatch(new RegExp(`^-rw-r--r-- 1 ${owner} \\S+ 5 \\w{3} [ \\d]\\d \\d\\d:\\d\\d plain\\n$`));
  });
  it.skipIf(!hasTool('script'))('ls on a terminal: columns to COLUMNS, shell-escape quoting, colour', () => {
    const d = work();
    const ls = bin('ls');
    // A quoted name present: the others are indented a space to line up.
    expect(onTty(`${ls}`, d, { ...ENV, COLUMNS: '80' })).toBe("'a b'   link   plain   sub\n");
    expect(onTty(`${ls}`, d, { ...ENV, COLUMNS: '10' })).toBe("'a b'\n link\n plain\n sub\n");
    expect(onTty(`${ls}`, d, { ...ENV, COLUMNS: '20' })).toBe("'a b'   plain\n link   sub\n");
    expect(onTty(`${ls} -x`, d, { ...ENV, COLUMNS: '20' })).toBe("'a b'\t link\n plain\t sub\n");
    const colour = onTty(`${ls} --color=auto sub link`, d, { ...ENV, COLUMNS: '80', TERM: 'xterm' });
    expect(colour).toBe('\x1b[0m\x1b[01;36mlink\x1b[0m\n\nsub:\ninner\n');
    if (hasTool('ls') && spawnSync('ls', ['--version'], { encoding: 'utf8' }).stdout.includes('GNU')) {
      for (const args of ['', '-l', '-F --color=auto', '-C -w 30', '-R']) {
        const env = { ...ENV, COLUMNS: '40', TERM: 'xterm' };
        expect(onTty(`${ls} ${args}`, d, env), args).toBe(onTty(`ls ${args}`, d, env));
      }
    }
  });
  it('ls -R stops quietly when its reader goes away', async () => {
    const d = tempDir();
    for (let i = 0; i < 200; i++) {
      fs.mkdirSync(path.join(d, `d${i}`));
      for (let j = 0; j < 50; j++) fs.writeFileSync(path.join(d, `d${i}`, `f${j}`), '');
    }
    const child = spawn(bin('ls'), ['-lR'], { cwd: d, env: ENV });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('latin1');
    });
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString('latin1'))));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c, sig) => resolve(sig ? 128 : c)));
    expect(first.startsWith('.:\ntotal ')).toBe(true);
    expect(stderr).toBe('');
    expect([0, 1, 128, 141]).toContain(code);
  });
  it('find runs other applets with -exec, in both forms', () => {
    const d = work();
    const one = exec('find', ['.', '-name', 'inner', '-exec', bin('ls'), '-d', '{}', ';'], d);
    expect(one).toEqual({ status: 0, stdout: './sub/inner\n', stderr: '' });
    const many = exec('find', ['.', '-type', 'f', '-exec', bin('stat'), '-c', '%n %s', '{}', '+'], d);
    expect(many.stdout.split('\n').filter(Boolean).sort()).toEqual(['./a b 1', './plain 5', './sub/inner 0']);
    const dir = exec('find', ['sub', '-type', 'f', '-execdir', bin('ls'), '{}', ';'], d);
    expect(dir.stdout).toBe('./inner\n');
  });
  it('touch, stat, date, du and df', () => {
    const d = work();
    expect(exec('touch', ['-d', '2020-05-06 07:08:09', 'new'], d).status).toBe(0);
    expect(exec('stat', ['-c', '%y|%s|%F', 'new'], d).stdout).toBe('2020-05-06 07:08:09.000000000 +0000|0|regular empty file\n');
    expect(exec('date', ['-r', 'new', '+%F %T %Z'], d, { ...ENV, TZ: 'Asia/Kolkata' }).stdout).toBe('2020-05-06 12:38:09 IST\n');
    expect(exec('date', ['-u', '-d', '@86400'], d).stdout).toBe('Fri Jan  2 00:00:00 UTC 1970\n');
    expect(exec('du', ['-sb', 'plain', 'sub/inner'], d).stdout).toBe('5\tplain\n0\tsub/inner\n');
    expect(exec('df', ['/proc'], d).stdout).toMatch(/^Filesystem {11}1K-blocks {6}Used Available Use% Mounted on\nproc /);
  });
});
