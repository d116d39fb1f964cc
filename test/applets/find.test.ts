// find in-process: walking, tests, operators, actions and errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

const ENV = { LC_ALL: 'C', TZ: 'UTC' };

function tree(): string {
  const d = tempDir();
  for (const p of ['src/lib', 'src/.git', 'empty']) fs.mkdirSync(path.join(d, p), { recursive: true });
  fs.writeFileSync(path.join(d, 'src/a.c'), 'int x;\n');
  fs.writeFileSync(path.join(d, 'src/B.C'), '');
  fs.writeFileSync(path.join(d, 'src/lib/big.bin'), Buffer.alloc(5000));
  fs.writeFileSync(path.join(d, 'top.txt'), 'x');
  fs.symlinkSync('src', path.join(d, 'ln'));
  fs.utimesSync(path.join(d, 'top.txt'), 1e9, 1e9);
  return d;
}

const lines = (s: string) => s.split('\n').filter(Boolean).sort();

describe('find', () => {
  it('walks everything by default, directories before their contents', async () => {
    const r = await run('find src', { cwd: tree(), env: ENV });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('src');
    expect(lines(r.stdout)).toEqual(['src', 'src/.git', 'src/B.C', 'src/a.c', 'src/lib', 'src/lib/big.bin']);
  });
  it('-name, -iname, -path and -type', async () => {
    const cwd = tree();
    expect(lines((await run(['find', '.', '-name', '*.c'], { cwd, env: ENV })).stdout)).toEqual(['./src/a.c']);
    expect(lines((await run(['find', '.', '-iname', '*.c'], { cwd, env: ENV })).stdout)).toEqual(['./src/B.C', './src/a.c']);
    expect(lines((await run(['find', '.', '-path', './src/*/*'], { cwd, env: ENV })).stdout)).toEqual(['./src/lib/big.bin']);
    expect(lines((await run('find . -type l', { cwd, env: ENV })).stdout)).toEqual(['./ln']);
    expect(lines((await run('find . -type d -empty', { cwd, env: ENV })).stdout)).toEqual(['./empty', './src/.git']);
  });
  it('-maxdepth, -mindepth, -prune and operators', async () => {
    const cwd = tree();
    expect(lines((await run('find . -maxdepth 1 -type f', { cwd, env: ENV })).stdout)).toEqual(['./top.txt']);
    expect(lines((await run('find src -mindepth 2', { cwd, env: ENV })).stdout)).toEqual(['src/lib/big.bin']);
    const pruned = await run(['find', 'src', '-name', '.git', '-prune', '-o', '-type', 'f', '-print'], { cwd, env: ENV });
    expect(lines(pruned.stdout)).toEqual(['src/B.C', 'src/a.c', 'src/lib/big.bin']);
    const not = await run(['find', 'src', '-type', 'f', '!', '(', '-name', '*.c', '-o', '-name', '*.C', ')'], { cwd, env: ENV });
    expect(lines(not.stdout)).toEqual(['src/lib/big.bin']);
  });
  it('-size, -mtime, -newer, -perm, -links', async () => {
    const cwd = tree();
    expect(lines((await run('find . -type f -size +4k', { cwd, env: ENV })).stdout)).toEqual(['./src/lib/big.bin']);
    expect(lines((await run('find . -type f -size -1', { cwd, env: ENV })).stdout)).toEqual(['./src/B.C']);
    expect(lines((await run('find . -type f -mtime +1000', { cwd, env: ENV })).stdout)).toEqual(['./top.txt']);
    expect(lines((await run('find . -type f -newer top.txt', { cwd, env: ENV })).stdout)).toEqual(['./src/B.C', './src/a.c', './src/lib/big.bin']);
    fs.chmodSync(path.join(cwd, 'src/a.c'), 0o4755);
    expect(lines((await run('find . -perm -4000', { cwd, env: ENV })).stdout)).toEqual(['./src/a.c']);
    expect(lines((await run('find . -type d -links 2 -name lib', { cwd, env: ENV })).stdout)).toEqual(['./src/lib']);
  });
  it('-L follows links; -print0 ends names with NUL', async () => {
    const cwd = tree();
    expect(lines((await run('find -L ln -name a.c', { cwd, env: ENV })).stdout)).toEqual(['ln/a.c']);
    expect((await run('find ln -name a.c', { cwd, env: ENV })).stdout).toBe('');
    expect((await run('find top.txt -print0', { cwd, env: ENV })).stdout).toBe('top.txt\0');
  });
  it('-printf formats', async () => {
    const r = await run(['find', 'top.txt', '-printf', '%p %s %m %TY %f %h %d\\n'], { cwd: tree(), env: ENV });
    expect(r.stdout).toBe('top.txt 1 644 2001 top.txt . 0\n');
  });
  it('-exec with ; runs once per file, with + in batches', async () => {
    const cwd = tree();
    const one = await run(['find', 'src', '-name', '*.c', '-exec', 'echo', 'got', '{}', ';'], { cwd, env: { ...ENV, PATH: process.env.PATH ?? '' } });
    expect(one).toMatchObject({ status: 0, stdout: 'got src/a.c\n' });
    const batch = await run(['find', 'src', '-type', 'f', '-exec', 'echo', '{}', '+'], { cwd, env: { ...ENV, PATH: process.env.PATH ?? '' } });
    expect(batch.stdout.trim().split(' ').sort()).toEqual(['src/B.C', 'src/a.c', 'src/lib/big.bin']);
    const fail = await run(['find', 'top.txt', '-exec', 'false', '+'], { cwd, env: { ...ENV, PATH: process.env.PATH ?? '' } });
    expect(fail.status).toBe(1);
  });
  it('-delete removes files and emptied directories, depth first', async () => {
    const cwd = tree();
    const r = await run(['find', 'src', '(', '-type', 'f', '-o', '-name', 'lib', ')', '-delete'], { cwd, env: ENV });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readdirSync(path.join(cwd, 'src'))).toEqual(['.git']);
    // -delete implies -depth, where -prune does nothing: GNU refuses the combination.
    const p = await run(['find', 'src', '-name', 'x', '-prune', '-o', '-delete'], { cwd, env: ENV });
    expect(p.status).toBe(1);
    expect(p.stderr).toMatch(/^find: The -delete action automatically turns on -depth, but -prune does nothing/);
    expect(fs.existsSync(path.join(cwd, 'src'))).toBe(true);
  });
  it('reports missing starting points and bad expressions as GNU does', async () => {
    const cwd = tree();
    const r = await run('find nope top.txt', { cwd, env: ENV });
    expect(r).toMatchObject({ status: 1, stdout: 'top.txt\n', stderr: "find: 'nope': No such file or directory\n" });
    const bad = await run('find . -bogus', { cwd, env: ENV });
    expect(bad).toMatchObject({ status: 1, stderr: "find: unknown predicate `-bogus'\n" });
    const missing = await run('find . -name', { cwd, env: ENV });
    expect(missing).toMatchObject({ status: 1, stderr: "find: missing argument to `-name'\n" });
    const paren = await run(['find', '.', '('], { cwd, env: ENV });
    expect(paren.status).toBe(1);
  });
  it('-ls prints a long listing line', async () => {
    const r = await run('find top.txt -ls', { cwd: tree(), env: ENV });
    expect(r.stdout).toMatch(/^ +\d+ +\d+ -rw-r--r-- +1 \S+ +\S+ +1 Sep  9  2001 top\.txt\n$/);
  });
});
