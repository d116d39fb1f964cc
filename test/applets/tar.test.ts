// tar in-process, for what needs no reference tool: help and version, option spellings of -C,
// --mtime forms, -I, -O of a sparse file, verbose output going to stderr when the archive is
// on stdout, --owner/--mode/--mtime values GNU tar accepts or refuses.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TarWriter } from '../../src/core/archive/writer.js';
import { MemorySink } from '../../src/core/io.js';
import { run, tempDir } from '../helpers/run.js';

const ENV = { TZ: 'UTC', LC_ALL: 'C' };

function tree(): string {
  const dir = tempDir('tar-unit-');
  fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a/b/f'), 'f\n');
  fs.writeFileSync(path.join(dir, 'a/g'), 'g\n');
  return dir;
}

describe('tar command line', () => {
  it('--help and --version', async () => {
    const h = await run('tar --help');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^Usage: tar \[OPTION\.\.\.\] \[FILE\]\.\.\.\n/);
    expect((await run('tar --version')).stdout).toMatch(/^tar \(toolbox\) /);
  });
  it('-C in every spelling applies where it stands', async () => {
    const dir = tree();
    for (const spelling of [['-C', 'a'], ['-Ca'], ['--directory=a'], ['--directory', 'a'], ['--dir=a']]) {
      const r = await run(['tar', '-cf', 'x.tar', ...spelling, 'g', '-vC', 'b', 'f'], { cwd: dir, env: ENV });
      expect(r, spelling.join(' ')).toMatchObject({ status: 0, stdout: 'g\nf\n' });
      expect((await run('tar -tf x.tar', { cwd: dir })).stdout).toBe('g\nf\n');
    }
  });
  it('a -C in the old-style first word comes first', async () => {
    const dir = tree();
    expect((await run(['tar', 'cfC', 'x.tar', 'a', 'g'], { cwd: dir })).status).toBe(0);
    expect((await run('tar tf x.tar', { cwd: dir })).stdout).toBe('g\n');
  });
  it('--mtime takes @seconds, dates (in TZ) and a file', async () => {
    const dir = tree();
    fs.utimesSync(path.join(dir, 'a/g'), 86400, 86400);
    for (const [spec, want] of [['@3600', '1970-01-01 01:00'], ['2000-01-02 03:04:05', '2000-01-02 03:04'], ['2000-01-02T03:04Z', '2000-01-02 03:04'], ['./a/g', '1970-01-02 00:00']]) {
      await run(['tar', '-cf', 'x.tar', `--mtime=${spec}`, 'a/b/f'], { cwd: dir, env: ENV });
      expect((await run('tar -tvf x.tar', { cwd: dir, env: ENV })).stdout, spec).toContain(` ${want} a/b/f`);
    }
    await run(['tar', '-cf', 'x.tar', '--mtime=2000-01-02 03:04', 'a/b/f'], { cwd: dir, env: { TZ: 'Europe/Paris' } });
    expect((await run('tar -tvf x.tar', { cwd: dir, env: ENV })).stdout).toContain(' 2000-01-02 02:04 a/b/f');
  });
  it('-I PROG filters through a program, with -d to read', async () => {
    const dir = tree();
    expect((await run(['tar', '-I', 'gzip -1', '-cf', 'x.tgz', 'a'], { cwd: dir, env: { PATH: '/usr/bin:/bin' } })).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'x.tgz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect((await run(['tar', '-I', 'gzip', '-tf', 'x.tgz'], { cwd: dir, env: { PATH: '/usr/bin:/bin' } })).stdout).toBe('a/\na/b/\na/b/f\na/g\n');
  });
  it('verbose output goes to stderr when the archive goes to stdout', async () => {
    const dir = tree();
    const r = await run('tar -cvf - a/g', { cwd: dir });
    expect(r.stderr).toBe('a/g\n');
    expect(r.stdout.length).toBe(10240);
  });
  it('-O writes a sparse file whole, holes as zeros', async () => {
    const out = new MemorySink();
    const w = new TarWriter(out, { format: 'gnu' });
    await w.add({ name: 's', type: 'file', mode: 0o644, mtime: 0, sparse: { map: [{ offset: 3, length: 2 }], realSize: 8 } }, 'xy');
    await w.finish();
    const dir = tempDir('tar-unit-');
    fs.writeFileSync(path.join(dir, 's.tar'), out.bytes());
    expect((await run('tar -xOf s.tar', { cwd: dir })).stdout).toBe('\0\0\0xy\0\0\0');
  });
  it('--owner with an unknown name keeps the name and the file\'s id (GNU); a bad --mode is fatal, before the archive is touched', async () => {
    const dir = tree();
    expect((await run('tar -cf x.tar --owner=no-such-user-xyz --group=grp-xyz a/g', { cwd: dir })).status).toBe(0);
    expect((await run('tar -tvf x.tar', { cwd: dir, env: ENV })).stdout).toMatch(/^-rw-r--r-- no-such-user-xyz\/grp-xyz 2 /);
    expect(await run('tar -cf y.tar --mode=q+z a', { cwd: dir })).toMatchObject({ status: 2, stderr: 'tar: Invalid mode given on option\ntar: Error is not recoverable: exiting now\n' });
    expect(fs.existsSync(path.join(dir, 'y.tar'))).toBe(false);
    const r = await run(['tar', '-cf', 'z.tar', '--mtime=garbage', 'a/g'], { cwd: dir });
    expect(r).toMatchObject({ status: 0, stderr: "tar: Substituting -9223372036854775807 for unknown date format 'garbage'\n" });
  });
  it('a file that gives less than its size is padded with zeros: GNU\'s warning, status 1', async () => {
    // sysfs files claim 4096 bytes and give fewer
    const liar = ['/sys/kernel/profiling', '/sys/power/state', '/sys/kernel/mm/transparent_hugepage/enabled'].find((f) => fs.existsSync(f));
    if (!liar) return;
    const dir = tempDir('tar-unit-');
    const r = await run(['tar', '-cf', 'x.tar', liar], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tar: Removing leading `\/' from member names\ntar: \/sys\/[^:]+: File shrank by \d+ bytes; padding with zeros\n$/);
    expect((await run('tar -tvf x.tar', { cwd: dir, env: ENV })).stdout).toMatch(/ 4096 /);
  });
  it('the archive being written is not put into itself', async () => {
    const dir = tree();
    const r = await run('tar -cf a/x.tar a', { cwd: dir });
    expect(r).toMatchObject({ status: 0, stderr: 'tar: a/x.tar: file is the archive; not dumped\n' });
    expect((await run('tar -tf a/x.tar', { cwd: dir })).stdout).toBe('a/\na/b/\na/b/f\na/g\n');
  });
  it('a symlink replaced by a file between entries is not gone through any more (GNU: Not a directory)', async () => {
    const out = new MemorySink();
    const w = new TarWriter(out, { format: 'gnu' });
    const at = { mode: 0o644, mtime: 1700000000 };
    await w.add({ name: 'pre', type: 'file', ...at }, 'new\n');
    await w.add({ name: 'sub/', type: 'directory', ...at, mode: 0o755 });
    await w.add({ name: 'd', type: 'symlink', linkname: 'sub', ...at });
    await w.add({ name: 'd/x', type: 'file', ...at }, 'x\n');
    await w.add({ name: 'd', type: 'file', ...at }, 'now a file\n');
    await w.add({ name: 'd/y', type: 'file', ...at }, 'y\n');
    await w.finish();
    const dir = tempDir('tar-unit-');
    fs.writeFileSync(path.join(dir, 'a.tar'), out.bytes());
    // over an earlier extraction: files are unlinked straight away, the symlink too
    fs.mkdirSync(path.join(dir, 'x/sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'x/pre'), 'old\n');
    fs.writeFileSync(path.join(dir, 'x/sub/x'), 'old\n');
    const r = await run('tar -xf a.tar -C x', { cwd: dir });
    expect(r).toMatchObject({ status: 2, stderr: 'tar: d/y: Cannot open: Not a directory\ntar: Exiting with failure status due to previous errors\n' });
    expect(fs.readFileSync(path.join(dir, 'x/d'), 'latin1')).toBe('now a file\n');
    expect(fs.readdirSync(path.join(dir, 'x/sub'))).toEqual(['x']);
  });
  it('no descriptor stays open when the archive ends in the middle of a body', async () => {
    const out = new MemorySink();
    const w = new TarWriter(out, { format: 'gnu' });
    await w.add({ name: 'f', type: 'file', mode: 0o644, mtime: 0 }, 'x'.repeat(100_000));
    await w.finish();
    const dir = tempDir('tar-unit-');
    fs.writeFileSync(path.join(dir, 'cut.tar'), out.bytes().subarray(0, 50_000));
    const open = () => fs.readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 20; i++) {
      fs.rmSync(path.join(dir, 'f'), { force: true });
      const r = await run('tar -xf cut.tar', { cwd: dir });
      expect(r).toMatchObject({ status: 2, stderr: 'tar: Unexpected EOF in archive\ntar: Exiting with failure status due to previous errors\n' });
    }
    expect(open() - before).toBeLessThan(5);
  });
  it('an archive that is a FIFO (tar -xf <(...)) is read as a stream', { timeout: 20_000 }, async () => {
    const dir = tree();
    expect((await run('tar -czf x.tgz a', { cwd: dir })).status).toBe(0);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const feed = spawn('sh', ['-c', `cat x.tgz > fifo`], { cwd: dir });
    const r = await run('tar -tzvf fifo', { cwd: dir, env: ENV });
    feed.kill();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.split(' ').pop())).toEqual(['a/', 'a/b/', 'a/b/f', 'a/g', '']);
  });
});
