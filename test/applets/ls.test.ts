// ls in-process: formats, sorting, filters, long listing fields, quoting, colour, recursion and
// errors; the differential tests compare against GNU ls itself.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

const ENV = { LC_ALL: 'C', TZ: 'UTC' };
const T2020 = Date.UTC(2020, 0, 2, 3, 4, 5) / 1000;

/** A small tree with fixed times: a (1 byte), bb (3 bytes), dir/, .hid, link -> a. */
function tree(): string {
  const d = tempDir();
  fs.writeFileSync(path.join(d, 'a'), 'x');
  fs.writeFileSync(path.join(d, 'bb'), 'xyz');
  fs.mkdirSync(path.join(d, 'dir'));
  fs.writeFileSync(path.join(d, 'dir/in'), '');
  fs.writeFileSync(path.join(d, '.hid'), '');
  fs.symlinkSync('a', path.join(d, 'link'));
  fs.utimesSync(path.join(d, 'a'), T2020, T2020);
  fs.utimesSync(path.join(d, 'bb'), T2020 + 60, T2020 + 60);
  fs.utimesSync(path.join(d, 'dir'), T2020 - 60, T2020 - 60);
  return d;
}

describe('ls', () => {
  it('lists names one per line when not a terminal, hidden ones left out', async () => {
    const r = await run('ls', { cwd: tree(), env: ENV });
    expect(r).toMatchObject({ status: 0, stdout: 'a\nbb\ndir\nlink\n', stderr: '' });
  });
  it('-a shows . and .., -A only the hidden entries', async () => {
    const cwd = tree();
    expect((await run('ls -a', { cwd, env: ENV })).stdout).toBe('.\n..\n.hid\na\nbb\ndir\nlink\n');
    expect((await run('ls -A', { cwd, env: ENV })).stdout).toBe('.hid\na\nbb\ndir\nlink\n');
  });
  it('-C fills columns to the width, -x across, -m with commas', async () => {
    const cwd = tree();
    expect((await run('ls -C -w 12', { cwd, env: ENV })).stdout).toBe('a   dir\nbb  link\n');
    expect((await run('ls -x -w 12', { cwd, env: ENV })).stdout).toBe('a    bb\ndir  link\n');
    expect((await run('ls -m', { cwd, env: ENV })).stdout).toBe('a, bb, dir, link\n');
    expect((await run('ls -C', { cwd, env: { ...ENV, COLUMNS: '12' } })).stdout).toBe('a   dir\nbb  link\n');
  });
  it('sorts by size, time, reversed, extension, version', async () => {
    const cwd = tree();
    expect((await run('ls -S a bb', { cwd, env: ENV })).stdout).toBe('bb\na\n');
    expect((await run('ls -t a bb', { cwd, env: ENV })).stdout).toBe('bb\na\n');
    expect((await run('ls -rt a bb', { cwd, env: ENV })).stdout).toBe('a\nbb\n');
    // Files first, then each directory operand.
    expect((await run('ls -t dir a bb', { cwd, env: ENV })).stdout).toBe('bb\na\n\ndir:\nin\n');
    const v = tempDir();
    for (const n of ['v1.10', 'v1.2', 'x.b', 'y.a']) fs.writeFileSync(path.join(v, n), '');
    expect((await run('ls -v', { cwd: v, env: ENV })).stdout).toBe('v1.2\nv1.10\nx.b\ny.a\n');
    expect((await run('ls -X', { cwd: v, env: ENV })).stdout).toBe('v1.10\nv1.2\ny.a\nx.b\n');
  });
  it('-l prints mode, links, owner, group, size, date and the link target, after a total', async () => {
    const r = await run('ls -ln a link dir', { cwd: tree(), env: ENV });
    const uid = process.getuid!();
    const gid = process.getgid!();
    const lines = r.stdout.split('\n');
    // The size column is as wide as the directory's size, listed later (GNU measures all operands).
    expect(lines[0]).toMatch(new RegExp(`^-rw-r--r-- 1 ${uid} ${gid} +1 Jan  2  2020 a$`));
    expect(lines[1]).toMatch(new RegExp(`^lrwxrwxrwx 1 ${uid} ${gid} +1 \\w{3} [ \\d]\\d [ \\d]\\d:\\d\\d link -> a$`));
    expect(lines[0]!.length).toBe(lines[1]!.length - 'link -> a'.length + 1);
    expect(lines[2]).toBe('');
    expect(lines[3]).toBe('dir:');
    expect(lines[4]).toBe('total 0');
  });
  it('pads long-listing columns to the widest entry', async () => {
    const r = await run('ls -ln --time-style=+T a bb', { cwd: tree(), env: ENV });
    const sizes = r.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[4]);
    expect(sizes).toEqual(['1', '3']);
    const g = await run('ls -go --time-style=long-iso a', { cwd: tree(), env: ENV });
    expect(g.stdout).toMatch(/^-rw-r--r-- 1 1 2020-01-02 03:04 a\n$/);
  });
  it('-h and --si scale sizes; -s shows blocks', async () => {
    const d = tempDir();
    fs.writeFileSync(path.join(d, 'f'), Buffer.alloc(1536));
    expect((await run('ls -lh --time-style=+ f', { cwd: d, env: ENV })).stdout).toMatch(/ 1\.5K  f\n$/);
    expect((await run('ls -l --si --time-style=+ f', { cwd: d, env: ENV })).stdout).toMatch(/ 1\.6k  f\n$/);
    expect((await run('ls -s f', { cwd: d, env: ENV })).stdout).toMatch(/^\d+ f\n$/);
  });
  it('-F, -p and --file-type add indicators', async () => {
    const cwd = tree();
    expect((await run('ls -F', { cwd, env: ENV })).stdout).toBe('a\nbb\ndir/\nlink@\n');
    expect((await run('ls -p', { cwd, env: ENV })).stdout).toBe('a\nbb\ndir/\nlink\n');
  });
  it('-d lists directories themselves; -R recurses', async () => {
    const cwd = tree();
    expect((await run('ls -d dir', { cwd, env: ENV })).stdout).toBe('dir\n');
    expect((await run('ls -R', { cwd, env: ENV })).stdout).toBe('.:\na\nbb\ndir\nlink\n\n./dir:\nin\n');
  });
  it('-I and --hide filter; -B hides backups', async () => {
    const d = tempDir();
    for (const n of ['x.c', 'x.o', 'y~']) fs.writeFileSync(path.join(d, n), '');
    expect((await run(['ls', '-I', '*.o'], { cwd: d, env: ENV })).stdout).toBe('x.c\ny~\n');
    expect((await run('ls -B', { cwd: d, env: ENV })).stdout).toBe('x.c\nx.o\n');
  });
  it('quotes names as GNU ls does (-b, -q, -Q, --quoting-style)', async () => {
    const d = tempDir();
    fs.writeFileSync(path.join(d, 'a b'), '');
    fs.writeFileSync(path.join(d, 'n\nl'), '');
    expect((await run('ls -b', { cwd: d, env: ENV })).stdout).toBe('a\\ b\nn\\nl\n');
    expect((await run('ls -q', { cwd: d, env: ENV })).stdout).toBe('a b\nn?l\n');
    expect((await run('ls -Q', { cwd: d, env: ENV })).stdout).toBe('"a b"\n"n\\nl"\n');
    expect((await run('ls --quoting-style=shell-escape', { cwd: d, env: ENV })).stdout).toBe("'a b'\n'n'$'\\n''l'\n");
    expect((await run('ls -N', { cwd: d, env: ENV })).stdout).toBe('a b\nn\nl\n');
  });
  it('colours by type and LS_COLORS', async () => {
    const cwd = tree();
    const r = await run('ls --color=always', { cwd, env: { ...ENV, TERM: 'xterm' } });
    // Without LS_COLORS, GNU colours only for a TERM its database knows.
    expect((await run('ls --color=always', { cwd, env: ENV })).stdout).toBe('a\nbb\ndir\nlink\n');
    expect(r.stdout).toBe('a\nbb\n\x1b[0m\x1b[01;34mdir\x1b[0m\n\x1b[01;36mlink\x1b[0m\n');
    const c = await run('ls --color=always a', { cwd, env: { ...ENV, LS_COLORS: 'fi=32' } });
    expect(c.stdout).toBe('\x1b[0m\x1b[32ma\x1b[0m\n');
    expect((await run('ls --color=never', { cwd, env: ENV })).stdout).toBe('a\nbb\ndir\nlink\n');
  });
  it('reports a missing operand with status 2, a bad option with 2', async () => {
    const r = await run('ls nope a', { cwd: tree(), env: ENV });
    expect(r).toMatchObject({ status: 2, stdout: 'a\n', stderr: "ls: cannot access 'nope': No such file or directory\n" });
    const o = await run('ls --bogus', { env: ENV });
    expect(o.status).toBe(2);
    expect(o.stderr).toMatch(/^ls: unrecognized option '--bogus'\n/);
  });
  it('-L on a dangling link fails; without it the link is listed', async () => {
    const d = tempDir();
    fs.symlinkSync('nowhere', path.join(d, 'dl'));
    expect((await run('ls dl', { cwd: d, env: ENV })).stdout).toBe('dl\n');
    const r = await run('ls -L dl', { cwd: d, env: ENV });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("ls: cannot access 'dl': No such file or directory\n");
  });
  it('BusyBox -e shows the full date', async () => {
    const r = await run('ls -le a', { cwd: tree(), env: ENV });
    expect(r.stdout).toMatch(/ Thu Jan  2 03:04:05 2020 a\n$/);
  });
  it('--full-time and --time-style', async () => {
    const cwd = tree();
    expect((await run('ls -n --full-time a', { cwd, env: ENV })).stdout).toMatch(/ 2020-01-02 03:04:05\.000000000 \+0000 a\n$/);
    expect((await run('ls -n --time-style=+%s a', { cwd, env: ENV })).stdout).toMatch(/ 1577934245 a\n$/);
  });
});
