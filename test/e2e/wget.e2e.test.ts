// wget as users run it: the built executable through a usr/bin/wget symlink in a throwaway rootfs,
// against the loopback test bed. Every run has a time limit.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRootfs } from '../helpers/binary.js';
import { patternBytes } from '../helpers/edge-server.js';
import { hasTool } from '../helpers/reference.js';
import { tempDir } from '../helpers/run.js';
import { startTestBed, type TestBed } from '../helpers/servers.js';

let bed: TestBed;
let wgetPath: string;
const BIG = 24 * 1024 * 1024 + 5;

function wget(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const cwd = opts.cwd ?? tempDir();
  const r = spawnSync(wgetPath, args, { cwd, env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', ...opts.env }, timeout: 30_000, encoding: 'latin1' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, cwd };
}

function sh(script: string, cwd: string) {
  const r = spawnSync('sh', ['-c', script], { cwd, env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', WGET: wgetPath }, timeout: 30_000, encoding: 'latin1' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!hasTool('nginx') || !hasTool('openssl'))('wget (built executable)', () => {
  beforeAll(async () => {
    bed = await startTestBed();
    fs.writeFileSync(path.join(bed.www, 'hello.txt'), 'hello\n');
    fs.writeFileSync(path.join(bed.www, 'big.bin'), patternBytes(BIG));
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(bed.www, `f${i}.bin`), patternBytes(10240 + i));
    wgetPath = path.join(makeRootfs({ wget: 'usr/bin' }), 'usr/bin/wget');
  });
  afterAll(async () => {
    await bed?.stop();
  });

  it('downloads a large file intact, with BusyBox\'s messages', () => {
    const r = wget([`${bed.http}/big.bin`]);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(r.cwd, 'big.bin')).equals(patternBytes(BIG))).toBe(true);
    const host = bed.http.slice(7);
    expect(r.stderr.startsWith(`Connecting to ${host} (${host})\nsaving to 'big.bin'\n`)).toBe(true);
    expect(r.stderr.endsWith("big.bin              100% |********************************| 24.0M  0:00:00 ETA\n'big.bin' saved\n")).toBe(true);
  });
  it('writes to a pipe with -O -', () => {
    const cwd = tempDir();
    const r = sh(`"$WGET" -q -O - ${bed.http}/big.bin | cat > out`, cwd);
    expect(r.stderr).toBe('');
    expect(fs.readFileSync(path.join(cwd, 'out')).equals(patternBytes(BIG))).toBe(true);
  });
  it('stops quietly when the reader of its output goes away', () => {
    const r = sh(`"$WGET" -q -O - ${bed.http}/big.bin | head -c 10 > /dev/null; echo done`, tempDir());
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toBe('');
  });
  it('writes through -O /dev/null and into a FIFO, replacing neither', () => {
    const cwd = tempDir();
    expect(wget(['-q', '-O', '/dev/null', `${bed.http}/big.bin`], { cwd }).status).toBe(0);
    const r = sh(`mkfifo fifo && (cat fifo > copy &) && "$WGET" -q -O fifo ${bed.http}/hello.txt && sleep 0.2 && test -p fifo && cat copy`, cwd);
    expect([r.status, r.stdout]).toEqual([0, 'hello\n']);
  });
  it('fetches a list with -i over one connection per host', () => {
    const cwd = tempDir();
    const urls = Array.from({ length: 20 }, (_, i) => `${bed.http}/f${i}.bin`);
    fs.writeFileSync(path.join(cwd, 'list'), `${urls.join('\n')}\n${bed.edge}/d/size=5/e\n`);
    const r = wget(['-i', 'list'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stderr.match(/^Connecting to /gm)).toHaveLength(2);
    for (let i = 0; i < 20; i++) expect(fs.readFileSync(path.join(cwd, `f${i}.bin`)).equals(patternBytes(10240 + i))).toBe(true);
  });
  it('resumes with -c what an interrupted run left', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'big.bin'), patternBytes(BIG).subarray(0, 5_000_000));
    expect(wget(['-q', '-c', `${bed.http}/big.bin`], { cwd }).status).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'big.bin')).equals(patternBytes(BIG))).toBe(true);
  });
  it('speaks HTTPS with a CA file, IPv6 and proxies', () => {
    expect(wget(['-q', '-O', '-', '--ca-certificate', bed.caFile, `${bed.https}/hello.txt`]).stdout).toBe('hello\n');
    expect(wget(['-q', '-O', '-', `${bed.https}/hello.txt`], { env: { SSL_CERT_FILE: bed.caFile } }).stdout).toBe('hello\n');
    expect(wget(['-q', `${bed.https}/hello.txt`]).status).toBe(5);
    if (bed.http6) expect(wget(['-q', '-O', '-', `${bed.http6}/hello.txt`]).stdout).toBe('hello\n');
    if (bed.proxy) {
      const env = { http_proxy: bed.proxy, https_proxy: bed.proxy };
      expect(wget(['-q', '-O', '-', `${bed.http}/hello.txt`], { env }).stdout).toBe('hello\n');
      expect(wget(['-q', '-O', '-', '--ca-certificate', bed.caFile, `${bed.https}/hello.txt`], { env }).stdout).toBe('hello\n');
    }
  });
  it('exits with GNU\'s statuses', () => {
    expect(wget(['-q', `${bed.edge}/status/404`]).status).toBe(8);
    expect(wget(['-q', '-t', '1', `http://127.0.0.1:${bed.closedPort}/`]).status).toBe(4);
    expect(wget(['-q', `${bed.edge}/auth/u/p/x`]).status).toBe(6);
    expect(wget(['-q', '-t', '1', '-T', '0.5', `${bed.edge}/hang`]).status).toBe(4);
    expect(wget(['--bogus']).status).toBe(2);
    expect(wget([]).status).toBe(1);
  });
  it.skipIf(!hasTool('script'))('redraws the progress bar on a terminal', () => {
    const cwd = tempDir();
    const r = sh(`script -qec '"$WGET" -O /dev/null ${bed.edge}/d/size=3000,drip=150/x' /dev/null`, cwd);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\rnull +\d+% \|\**\s*\| +\d+ +\d+:\d\d:\d\d ETA/);
    expect(r.stdout).toContain('\rnull                 100% |');
  });
  it('answers --help', () => {
    const r = wget(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wget /);
  });
});
