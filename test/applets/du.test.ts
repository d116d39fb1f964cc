// du in-process: totals, depth, units, apparent sizes, hard links once, errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

const ENV = { LC_ALL: 'C' };

function tree(): string {
  const d = tempDir();
  fs.mkdirSync(path.join(d, 'a/b'), { recursive: true });
  fs.writeFileSync(path.join(d, 'a/f'), Buffer.alloc(10000, 1));
  fs.writeFileSync(path.join(d, 'a/b/g'), Buffer.alloc(100, 1));
  fs.linkSync(path.join(d, 'a/f'), path.join(d, 'a/b/hard'));
  return d;
}

/** du's disk usage for a path, in KiB, as GNU counts it. */
const kib = (p: string) => Math.ceil((fs.statSync(p).blocks * 512) / 1024);

describe('du', () => {
  it('prints each directory, deepest first, with hard links counted once', async () => {
    const cwd = tree();
    const r = await run('du a', { cwd, env: ENV });
    const b = kib(path.join(cwd, 'a/b')) + kib(path.join(cwd, 'a/b/g')) + kib(path.join(cwd, 'a/f'));
    const a = b + kib(path.join(cwd, 'a'));
    expect(r).toMatchObject({ status: 0, stderr: '' });
    // a/b/hard is met first (a/b is read before a/f or not: whichever comes first is counted).
    const [lb, la] = r.stdout.split('\n');
    expect(lb).toMatch(/^\d+\ta\/b$/);
    expect(la).toBe(`${a}\ta`);
    expect(Number(lb!.split('\t')[0])).toBeGreaterThanOrEqual(b - kib(path.join(cwd, 'a/f')));
  });
  it('-s summarizes, -c adds a total, -l counts links again', async () => {
    const cwd = tree();
    const s = await run('du -s a', { cwd, env: ENV });
    expect(s.stdout).toMatch(/^\d+\ta\n$/);
    // a/f was counted inside a: not again.
    const c = await run('du -sc a a/f', { cwd, env: ENV });
    expect(c.stdout).toBe(`${s.stdout.split('\t')[0]}\ta\n${s.stdout.split('\t')[0]}\ttotal\n`);
    const l = await run('du -sl a', { cwd, env: ENV });
    expect(Number(l.stdout.split('\t')[0])).toBe(Number(s.stdout.split('\t')[0]) + kib(path.join(cwd, 'a/f')));
  });
  it('--apparent-size and -b count bytes', async () => {
    const cwd = tree();
    expect((await run('du -sb a/b/g', { cwd, env: ENV })).stdout).toBe('100\ta/b/g\n');
    expect((await run('du --apparent-size -s a/f', { cwd, env: ENV })).stdout).toBe('10\ta/f\n');
    expect((await run('du -ab a', { cwd, env: ENV })).stdout).toMatch(/^10000\ta\/(f|b\/hard)$/m);
  });
  it('-a lists files, -d limits depth, -h and -m scale', async () => {
    const cwd = tree();
    const all = await run('du -a a', { cwd, env: ENV });
    expect(all.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[1]).sort()).toEqual(['a', 'a/b', 'a/b/g', 'a/b/hard']);
    expect((await run('du -d 0 a', { cwd, env: ENV })).stdout).toMatch(/^\d+\ta\n$/);
    expect((await run('du -sh --apparent-size a/f', { cwd, env: ENV })).stdout).toBe('9.8K\ta/f\n');
    expect((await run('du -sm --apparent-size a/f', { cwd, env: ENV })).stdout).toBe('1\ta/f\n');
  });
  it('reports a missing file and fails', async () => {
    const r = await run('du -s nope a/b/g', { cwd: tree(), env: ENV });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("du: cannot access 'nope': No such file or directory\n");
    expect(r.stdout).toMatch(/^\d+\ta\/b\/g\n$/);
  });
});
