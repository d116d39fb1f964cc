// touch in-process: creating, -a/-m, -c, -d/-t/-r, -h, errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

const ENV = { LC_ALL: 'C', TZ: 'UTC' };
const times = (p: string) => {
  const st = fs.lstatSync(p);
  return [st.atimeMs / 1000, st.mtimeMs / 1000];
};

describe('touch', () => {
  it('creates missing files and sets times to now', async () => {
    const d = tempDir();
    const before = Date.now() / 1000 - 2;
    const r = await run('touch new', { cwd: d, env: ENV });
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const [a, m] = times(path.join(d, 'new'));
    expect(a).toBeGreaterThan(before);
    expect(m).toBeGreaterThan(before);
  });
  it('-d and -t set given times; -a and -m only one of them', async () => {
    const d = tempDir();
    await run(['touch', '-d', '2001-02-03 04:05:06', 'f'], { cwd: d, env: ENV });
    expect(times(path.join(d, 'f'))).toEqual([981173106, 981173106]);
    await run(['touch', '-m', '-t', '199901011200.30', 'f'], { cwd: d, env: ENV });
    expect(times(path.join(d, 'f'))).toEqual([981173106, 915192030]);
    await run(['touch', '-a', '-d', '@5', 'f'], { cwd: d, env: ENV });
    expect(times(path.join(d, 'f'))).toEqual([5, 915192030]);
    await run(['touch', '-d', '@-86400', 'f'], { cwd: d, env: ENV });
    expect(times(path.join(d, 'f'))).toEqual([-86400, -86400]);
  });
  it('-d reads times in TZ', async () => {
    const d = tempDir();
    await run(['touch', '-d', '2001-02-03 04:05:06', 'f'], { cwd: d, env: { TZ: 'Asia/Tokyo' } });
    expect(times(path.join(d, 'f'))).toEqual([981173106 - 9 * 3600, 981173106 - 9 * 3600]);
  });
  it('-r copies a file\'s times, -d then adjusts them', async () => {
    const d = tempDir();
    fs.writeFileSync(path.join(d, 'ref'), '');
    fs.utimesSync(path.join(d, 'ref'), 1000, 2000);
    await run('touch -r ref f', { cwd: d, env: ENV });
    expect(times(path.join(d, 'f'))).toEqual([1000, 2000]);
    await run(['touch', '-r', 'ref', '-d', '+1 hour', 'g'], { cwd: d, env: ENV });
    expect(times(path.join(d, 'g'))).toEqual([4600, 5600]);
  });
  it('-c does not create; -h changes the link itself', async () => {
    const d = tempDir();
    expect((await run('touch -c nope', { cwd: d, env: ENV })).status).toBe(0);
    expect(fs.existsSync(path.join(d, 'nope'))).toBe(false);
    fs.writeFileSync(path.join(d, 't'), '');
    fs.utimesSync(path.join(d, 't'), 7, 7);
    fs.symlinkSync('t', path.join(d, 'l'));
    await run(['touch', '-h', '-d', '@100', 'l'], { cwd: d, env: ENV });
    expect(times(path.join(d, 'l'))[1]).toBe(100);
    expect(times(path.join(d, 't'))).toEqual([7, 7]);
  });
  it('reports errors as GNU does', async () => {
    const d = tempDir();
    const r = await run('touch no/such', { cwd: d, env: ENV });
    expect(r).toMatchObject({ status: 1, stderr: "touch: cannot touch 'no/such': No such file or directory\n" });
    const bad = await run(['touch', '-d', 'garbage', 'f'], { cwd: d, env: ENV });
    expect(bad).toMatchObject({ status: 1, stderr: "touch: invalid date format 'garbage'\n" });
    const t = await run(['touch', '-t', '12', 'f'], { cwd: d, env: ENV });
    expect(t).toMatchObject({ status: 1, stderr: "touch: invalid date format '12'\n" });
    const none = await run('touch', { cwd: d, env: ENV });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^touch: missing file operand\n/);
  });
});
