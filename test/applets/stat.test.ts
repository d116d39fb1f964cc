// stat in-process: default and terse forms, formats and escapes, -L, -f, errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

const ENV = { LC_ALL: 'C', TZ: 'UTC' };

function tree(): string {
  const d = tempDir();
  fs.writeFileSync(path.join(d, 'f'), 'hello');
  fs.chmodSync(path.join(d, 'f'), 0o640);
  fs.utimesSync(path.join(d, 'f'), 1e9, 1.5e9);
  fs.symlinkSync('f', path.join(d, 'l'));
  fs.mkdirSync(path.join(d, 'd'));
  return d;
}

describe('stat', () => {
  it('prints the default form', async () => {
    const r = await run('stat f', { cwd: tree(), env: ENV });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('  File: f');
    expect(lines[1]).toMatch(/^ {2}Size: 5\s+Blocks: \d+\s+IO Block: \d+\s+regular file$/);
    expect(lines[3]).toMatch(/^Access: \(0640\/-rw-r-----\) {2}Uid: \( *\d+\/ *\S+\) {3}Gid: \( *\d+\/ *\S+\)$/);
    expect(lines[4]).toBe('Access: 2001-09-09 01:46:40.000000000 +0000');
    expect(lines[5]).toBe('Modify: 2017-07-14 02:40:00.000000000 +0000');
  });
  it('-c formats, with printf flags and a symlink target in %N', async () => {
    const cwd = tree();
    expect((await run(['stat', '-c', '%n %s %a %A %F %Y', 'f', 'd'], { cwd, env: ENV })).stdout).toBe(
      `f 5 640 -rw-r----- regular file 1500000000\nd ${fs.statSync(path.join(cwd, 'd')).size} 755 drwxr-xr-x directory ${Math.floor(fs.statSync(path.join(cwd, 'd')).mtimeMs / 1000)}\n`,
    );
    expect((await run(['stat', '-c', '%N', 'l'], { cwd, env: ENV })).stdout).toBe("'l' -> 'f'\n");
    expect((await run(['stat', '-c', '[%5s|%-5s|%05s|%#a]', 'f'], { cwd, env: ENV })).stdout).toBe('[    5|5    |00005|0640]\n');
  });
  it('--printf takes escapes and no newline; -L follows links', async () => {
    const cwd = tree();
    expect((await run(['stat', '--printf', '%s\\t%F\\n', 'l'], { cwd, env: ENV })).stdout).toBe('1\tsymbolic link\n');
    expect((await run(['stat', '-L', '--printf', '%s\\t%F\\n', 'l'], { cwd, env: ENV })).stdout).toBe('5\tregular file\n');
  });
  it('-t is terse', async () => {
    const r = await run('stat -t f', { cwd: tree(), env: ENV });
    expect(r.stdout).toMatch(/^f 5 \d+ 81a0 \d+ \d+ [0-9a-f]+ \d+ 1 0 0 1000000000 1500000000 \d+ \d+ \d+\n$/);
  });
  it('-f reports the file system', async () => {
    const r = await run(['stat', '-f', '-c', '%n %T', '/proc'], { env: ENV });
    expect(r.stdout).toBe('/proc proc\n');
  });
  it('fails on a missing file and goes on', async () => {
    const r = await run(['stat', '-c', '%s', 'nope', 'f'], { cwd: tree(), env: ENV });
    expect(r).toMatchObject({ status: 1, stdout: '5\n', stderr: "stat: cannot statx 'nope': No such file or directory\n" });
    expect((await run('stat', { env: ENV })).stderr).toMatch(/^stat: missing operand\n/);
  });
});
