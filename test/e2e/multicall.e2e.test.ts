// The built executable, run the way users run it: through symlinks in a throwaway rootfs, as
// `toolbox APPLET`, installed with --install, with no node on PATH and no node_modules beside it.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appletNames, findApplet } from '../../src/registry.js';
import { VERSION } from '../../src/version.js';
import { makeRootfs, requireBinary } from '../helpers/binary.js';
import { tempDir } from '../helpers/run.js';

const bin = requireBinary();
const ENV = { PATH: '/nonexistent', LC_ALL: 'C' };

function exec(file: string, args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string } = {}) {
  const r = spawnSync(file, args, { input: opts.input, env: opts.env ?? ENV, cwd: opts.cwd ?? tempDir(), encoding: 'latin1' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dispatch', () => {
  const root = makeRootfs({ cat: 'bin', echo: 'bin', true: 'bin', false: 'bin', nosuch: 'bin' });

  it('runs applets through symlinks named after them', () => {
    fs.writeFileSync(path.join(root, 'f'), 'hello\n');
    expect(exec(path.join(root, 'bin/cat'), ['-n', path.join(root, 'f')])).toEqual({ status: 0, stdout: '     1\thello\n', stderr: '' });
    expect(exec(path.join(root, 'bin/echo'), ['-e', 'a\\tb'])).toEqual({ status: 0, stdout: 'a\tb\n', stderr: '' });
    expect(exec(path.join(root, 'bin/true'), []).status).toBe(0);
    expect(exec(path.join(root, 'bin/false'), []).status).toBe(1);
  });
  it('runs applets as `toolbox APPLET`, reading stdin', () => {
    expect(exec(bin, ['cat'], { input: 'piped\n' })).toEqual({ status: 0, stdout: 'piped\n', stderr: '' });
  });
  it('reports an unknown applet with status 127, by link and by argument', () => {
    expect(exec(path.join(root, 'bin/nosuch'), [])).toEqual({ status: 127, stdout: '', stderr: 'nosuch: applet not found\n' });
    expect(exec(bin, ['nosuch'])).toEqual({ status: 127, stdout: '', stderr: 'nosuch: applet not found\n' });
    expect(exec(bin, ['--bogus'])).toEqual({ status: 127, stdout: '', stderr: '--bogus: applet not found\n' });
  });
  it('prints usage and the applet list', () => {
    for (const args of [[], ['--help']]) {
      const r = exec(bin, args);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: toolbox [function [arguments]...]');
      expect(r.stdout).toMatch(/Currently defined functions:\n\t\[, \[\[, |Currently defined functions:\n\t[a-z]/);
    }
    expect(exec(bin, ['--list']).stdout).toBe(appletNames().map((n) => `${n}\n`).join(''));
    expect(exec(bin, ['--list-full']).stdout).toBe(appletNames().map((n) => `${findApplet(n)!.dir}/${n}\n`).join(''));
    expect(exec(bin, ['--version']).stdout).toBe(`toolbox v${VERSION}\n`);
  });
  it('answers --help for every applet, from its declaration', async () => {
    for (const name of appletNames()) {
      const decl = (await findApplet(name)!.load()).default;
      const r = exec(bin, [name, '--help']);
      expect(r.status, name).toBe(decl.helpStatus ?? 0);
      expect(r.stdout, name).toMatch(/^Usage: |usage: /m);
    }
  });
  it('reports bad options in the applet\'s words', () => {
    expect(exec(bin, ['cat', '-z'])).toEqual({ status: 1, stdout: '', stderr: "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n" });
  });
});

describe('--install', () => {
  it('-s DIR makes symlinks that work from PATH', () => {
    const dir = tempDir();
    expect(exec(bin, ['--install', '-s', dir])).toEqual({ status: 0, stdout: '', stderr: '' });
    for (const name of appletNames()) {
      expect(fs.readlinkSync(path.join(dir, name)), name).toBe(fs.realpathSync(bin));
    }
    const r = spawnSync('echo', ['from', 'path'], { env: { PATH: dir }, encoding: 'latin1' });
    expect(r.stdout).toBe('from path\n');
    // existing files are left alone
    fs.rmSync(path.join(dir, 'cat'));
    fs.writeFileSync(path.join(dir, 'cat'), 'mine');
    expect(exec(bin, ['--install', '-s', dir]).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'cat'), 'utf8')).toBe('mine');
  });
  it('DIR makes hard links, which dispatch by their own name', () => {
    const dir = path.join(path.dirname(bin), `.install-test-${process.pid}`); // same file system as dist/
    fs.mkdirSync(dir);
    try {
      expect(exec(bin, ['--install', dir]).status).toBe(0);
      expect(fs.statSync(path.join(dir, 'cat')).ino).toBe(fs.statSync(bin).ino);
      expect(exec(path.join(dir, 'echo'), ['hard']).stdout).toBe('hard\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the I/O path', () => {
  it('ends quietly with status 141 when the reader of its output goes away', async () => {
    const child = spawn(bin, ['cat', '/dev/zero'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    const status = await new Promise((resolve) => child.on('exit', resolve));
    expect(status).toBe(141);
    expect(stderr).toBe('');
  });
  it.skipIf(!fs.existsSync('/usr/bin/time'))('streams a 4 GiB file through a pipe in constant memory', () => {
    const dir = tempDir();
    const big = path.join(dir, 'sparse');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 4 * 1024 ** 3);
    // A real pipe made by sh, `wc -c` reading it; GNU time reports our peak resident memory.
    const r = spawnSync('sh', ['-c', `/usr/bin/time -f %M -o "${dir}/peak" "${bin}" cat "${big}" | wc -c`], { encoding: 'latin1', timeout: 600_000 });
    const peakKb = Number(fs.readFileSync(path.join(dir, 'peak'), 'latin1').trim().split('\n').pop());
    fs.rmSync(dir, { recursive: true });
    expect(r.stdout.trim()).toBe(String(4 * 1024 ** 3));
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(200 * 1024); // Node itself is about 45 MB; a buffered copy would be 4 GB
  }, 600_000);
});
