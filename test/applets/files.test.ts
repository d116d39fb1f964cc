// In-process tests of the file applets, for what the differential tests cannot show: a FIFO read
// by cp while a writer in the same process feeds it, missing system tools, aborts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const hasMkfifo = spawnSync('sh', ['-c', 'command -v mkfifo'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasMkfifo)('cp and special files', () => {
  it('reads a FIFO without stopping the process: its writer here still runs', async () => {
    const dir = tempDir();
    spawnSync('mkfifo', [path.join(dir, 'fifo')]);
    const writer = (async () => {
      const fd = await fs.promises.open(path.join(dir, 'fifo'), 'w');
      await fd.write('through the fifo\n');
      await fd.close();
    })();
    const r = await run('cp fifo copy', { cwd: dir, env: { PATH } });
    await writer;
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(dir, 'copy'), 'latin1')).toBe('through the fifo\n');
  });
  it('makes FIFOs with the system\'s mkfifo, and says so when there is none', async () => {
    const dir = tempDir();
    spawnSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(await run('cp -a fifo f2', { cwd: dir, env: { PATH } })).toMatchObject({ status: 0 });
    expect(fs.lstatSync(path.join(dir, 'f2')).isFIFO()).toBe(true);
    const r = await run('cp -a fifo f3', { cwd: dir, env: { PATH: '/nonexistent' } });
    expect(r).toMatchObject({ status: 1, stderr: "cp: cannot create fifo 'f3': no mkfifo or mknod program (Node cannot make FIFOs itself)\n" });
    expect(fs.existsSync(path.join(dir, 'f3'))).toBe(false);
  });
  it('copies sockets by binding one', async () => {
    const dir = tempDir();
    const net = await import('node:net');
    const server = net.createServer().listen(path.join(dir, 'sock'));
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(await run('cp -a sock sock2', { cwd: dir, env: { PATH } })).toMatchObject({ status: 0, stderr: '' });
      expect(fs.lstatSync(path.join(dir, 'sock2')).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('stopping', () => {
  it('rm -r stops when aborted', async () => {
    const dir = tempDir();
    for (let i = 0; i < 50; i++) fs.mkdirSync(path.join(dir, 'tree', String(i), 'x'), { recursive: true });
    const controller = new AbortController();
    controller.abort();
    const r = await run('rm -r tree', { cwd: dir, signal: controller.signal });
    expect(r.status).toBe(130);
    expect(fs.existsSync(path.join(dir, 'tree'))).toBe(true);
  });
});

describe('chown -RL', () => {
  it('notices a directory cycle made of links and does not loop', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'd'));
    fs.symlinkSync('..', path.join(dir, 'd', 'up'));
    const r = await run(['chown', '-RL', String(process.getuid!()), 'd'], { cwd: dir });
    expect(r.status).toBe(0);
  });
});

describe('copy into itself', () => {
  it('cp -r a a/b copies what it can and says why it stopped, as GNU', async () => {
    const r = await run('cp -r a a/b', { files: { 'a/b/x': 'x', 'a/y': 'y' } });
    expect(r.stderr).toBe("cp: cannot copy a directory, 'a', into itself, 'a/b/a'\n");
    expect(r.status).toBe(1);
  });
  it('mv refuses it before touching anything', async () => {
    const r = await run('mv a a/b', { files: { 'a/b/x': 'x' } });
    expect(r).toMatchObject({ status: 1, stderr: "mv: cannot move 'a' to a subdirectory of itself, 'a/b/a'\n" });
    expect(fs.existsSync(path.join(r.cwd, 'a/b/x'))).toBe(true);
  });
});
