// tar in-process, for what needs no reference tool: help and version, option spellings of -C,
// --mtime forms, -I, -O of a sparse file, verbose output going to stderr when the archive is
// on stdout, --owner/--mode/--mtime values GNU tar accepts or refuses.
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
});
