// date in-process: formats, -d strings, -u, -r, -R, -I, TZ from the environment, errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

const at = (args: string[], env: Record<string, string> = { TZ: 'UTC' }) => run(['date', ...args], { env: { LC_ALL: 'C', ...env } });

describe('date', () => {
  it('prints the default format for a given time', async () => {
    expect((await at(['-d', '@1000000000'])).stdout).toBe('Sun Sep  9 01:46:40 UTC 2001\n');
    expect((await at(['-d', '@1000000000'], { TZ: 'America/New_York' })).stdout).toBe('Sat Sep  8 21:46:40 EDT 2001\n');
    expect((await at(['-u', '-d', '@0'], { TZ: 'Asia/Tokyo' })).stdout).toBe('Thu Jan  1 00:00:00 UTC 1970\n');
  });
  it('+FORMAT with GNU conversions and flags', async () => {
    const r = await at(['-d', '@1000000000.123456789', '+%Y-%m-%d %H:%M:%S.%N %s %z %:z %j %u %a %b %-d %_m %^a %e']);
    expect(r.stdout).toBe('2001-09-09 01:46:40.123456789 1000000000 +0000 +00:00 252 7 Sun Sep 9  9 SUN  9\n');
    expect((await at(['-d', '@0', '+%3N|%::z|%Z'], { TZ: 'EST5EDT' })).stdout).toBe('000|-05:00:00|EST\n');
  });
  it('-d understands GNU date strings', async () => {
    const f = (s: string) => at(['-d', s, '+%F %T']).then((r) => r.stdout);
    expect(await f('2020-02-29 12:34:56')).toBe('2020-02-29 12:34:56\n');
    expect(await f('2020-02-29 +1 day')).toBe('2020-03-01 00:00:00\n');
    expect(await f('Feb 29 2020 1pm')).toBe('2020-02-29 13:00:00\n');
    expect(await f('2020-01-01T10:00:00Z')).toBe('2020-01-01 10:00:00\n');
    expect(await f('2020-01-01 10:00 +0200')).toBe('2020-01-01 08:00:00\n');
    expect(await f('2020-01-31 + 1 month')).toBe('2020-03-02 00:00:00\n');
  });
  it('-I, -R and --rfc-3339', async () => {
    expect((await at(['-d', '@1000000000', '-I'])).stdout).toBe('2001-09-09\n');
    expect((await at(['-d', '@1000000000', '-Iseconds'])).stdout).toBe('2001-09-09T01:46:40+00:00\n');
    expect((await at(['-d', '@1000000000', '-R'])).stdout).toBe('Sun, 09 Sep 2001 01:46:40 +0000\n');
    expect((await at(['-d', '@1000000000', '--rfc-3339=ns'])).stdout).toBe('2001-09-09 01:46:40.000000000+00:00\n');
  });
  it('-r shows a file\'s modification time', async () => {
    const d = tempDir();
    fs.writeFileSync(path.join(d, 'f'), '');
    fs.utimesSync(path.join(d, 'f'), 5, 1234567890);
    const r = await run(['date', '-r', 'f', '+%s'], { cwd: d, env: { TZ: 'UTC' } });
    expect(r.stdout).toBe('1234567890\n');
  });
  it('rejects bad dates and extra operands', async () => {
    expect(await at(['-d', 'nonsense'])).toMatchObject({ status: 1, stderr: "date: invalid date 'nonsense'\n" });
    const r = await at(['+%s', 'x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^date: extra operand 'x'\n/);
  });
});
