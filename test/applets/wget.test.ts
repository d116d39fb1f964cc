// wget in-process against the loopback test bed (nginx, the edge-case server, tinyproxy). Every run
// passes -t and -T where a failure could otherwise be retried for minutes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from '../helpers/edge-server.js';
import { hasTool } from '../helpers/reference.js';
import { run, type RunOptions, tempDir } from '../helpers/run.js';
import { headerOf, startTestBed, type TestBed } from '../helpers/servers.js';

let bed: TestBed;
let edgeHost: string; // 127.0.0.1:PORT of the edge server

function wget(args: string[], opts: RunOptions = {}) {
  return run(['wget', ...args], opts);
}

/** Files of a directory (recursively) with their contents. */
function files(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(Buffer.from(d, 'latin1'), { withFileTypes: true, encoding: 'latin1' })) {
      const p = Buffer.from(path.join(d, e.name), 'latin1');
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out[prefix + e.name] = fs.readFileSync(p);
    }
  };
  walk(dir, '');
  return out;
}

const bar = (name: string, pct: number, size: number) =>
  `${name.padEnd(20)}${String(pct).padStart(4)}% |${'*'.repeat(Math.floor((32 * pct) / 100)).padEnd(32)}|${String(size).padStart(6)}  0:00:00 ETA\n`;

describe.skipIf(!hasTool('nginx') || !hasTool('openssl'))('wget', () => {
  beforeAll(async () => {
    bed = await startTestBed();
    edgeHost = bed.edge.slice('http://'.length);
    fs.writeFileSync(path.join(bed.www, 'hello.txt'), 'hello\n');
    fs.writeFileSync(path.join(bed.www, 'big.bin'), patternBytes(2 * 1024 * 1024));
  });
  afterAll(async () => {
    await bed?.stop();
  });

  describe('downloads and messages', () => {
    it('saves a file under its URL name, with BusyBox\'s messages and progress line', async () => {
      const r = await wget([`${bed.edge}/d/size=10/x`]);
      expect(r.stderr).toBe(`Connecting to ${edgeHost} (${edgeHost})\nsaving to 'x'\n${bar('x', 100, 10)}'x' saved\n`);
      expect(r.status).toBe(0);
      expect(files(r.cwd)).toEqual({ x: patternBytes(10) });
    });
    it('picks NAME.1, NAME.2 when the name is taken', async () => {
      const cwd = tempDir();
      for (const size of [10, 20, 30]) expect((await wget(['-q', `${bed.edge}/d/size=${size}/x`], { cwd })).status).toBe(0);
      expect(files(cwd)).toEqual({ x: patternBytes(10), 'x.1': patternBytes(20), 'x.2': patternBytes(30) });
    });
    it('names files as GNU does: index.html, the query kept, escapes decoded but / kept encoded', async () => {
      const cwd = tempDir();
      const base = `${bed.edge}/d/size=1`;
      const urls = [`${base}/`, `${base}/q?a=b/c`, `${base}/a%20b.txt`, `${base}/x%2Fy`, `${base}/c%01d`, `${base}/f#frag`, `${base}/u%7Ev`, `${base}/%C3%A9`];
      expect((await wget(['-q', ...urls], { cwd })).status).toBe(0);
      expect(Object.keys(files(cwd)).sort()).toEqual(['a b.txt', 'c%01d', 'f', 'index.html', 'q?a=b%2Fc', 'u~v', 'x%2Fy', '\xc3\xa9'].sort());
    });
    it('names the file after the URL as given, not after redirections', async () => {
      const r = await wget(['-q', `${bed.edge}/redir/301/2`]);
      expect(files(r.cwd)).toEqual({ '2': Buffer.from('redirected\n') });
    });
    it('-O FILE writes there (bodies of several URLs one after the other); -O - writes to stdout', async () => {
      const r = await wget(['-q', '-O', 'out', `${bed.edge}/d/size=3/a`, `${bed.edge}/d/size=4/b`]);
      expect(files(r.cwd)).toEqual({ out: Buffer.concat([patternBytes(3), patternBytes(4)]) });
      const s = await wget(['-O', '-', `${bed.http}/hello.txt`]);
      expect(s.stdout).toBe('hello\n');
      expect(s.stderr).toBe(`Connecting to ${bed.http.slice(7)} (${bed.http.slice(7)})\nwriting to stdout\n${bar('-', 100, 6)}written to stdout\n`);
      expect(files(s.cwd)).toEqual({});
    });
    it('-O creates nothing when the server answers with an error; a missing directory is status 1', async () => {
      const r = await wget(['-q', '-O', 'out', `${bed.edge}/status/404`]);
      expect([r.status, files(r.cwd)]).toEqual([8, {}]);
      const m = await wget(['-O', 'nodir/out', `${bed.edge}/d/size=3/x`]);
      expect(m.status).toBe(1);
      expect(m.stderr).toContain('wget: nodir/out: No such file or directory\n');
    });
    it('-O /dev/null writes through, never replacing the device', async () => {
      const r = await wget(['-q', '-O', '/dev/null', `${bed.http}/big.bin`]);
      expect(r.status).toBe(0);
      expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    });
    it('-P DIR saves under DIR, creating it', async () => {
      const r = await wget(['-q', '-P', 'a/b', `${bed.edge}/d/size=5/z`]);
      expect(files(r.cwd)).toEqual({ 'a/b/z': patternBytes(5) });
    });
    it('-nc keeps an existing file (status 0; 1 with -O, as GNU)', async () => {
      const r = await wget(['-nc', `${bed.edge}/d/size=5/z`], { files: { z: 'old' } });
      expect([r.status, r.stderr]).toEqual([0, "File 'z' already there; not retrieving.\n"]);
      expect(files(r.cwd)).toEqual({ z: Buffer.from('old') });
      const o = await wget(['-q', '-nc', '-O', 'o', `${bed.edge}/d/size=5/z`], { files: { o: 'old' } });
      expect(o.status).toBe(1);
      expect((await wget(['-nvc', '-q', `${bed.edge}/d/size=5/z`], { files: { z: 'old' } })).status).toBe(0);
    });
    it('-q prints nothing, errors included; -nv prints one line per file', async () => {
      const q = await wget(['-q', '-t', '1', `${bed.edge}/status/404`, `http://127.0.0.1:${bed.closedPort}/`]);
      expect([q.status, q.stderr]).toEqual([4, '']);
      const nv = await wget(['-nv', `${bed.edge}/d/size=30/a`, `${bed.edge}/d/size=30,chunked/b`, `${bed.edge}/status/404`]);
      expect(nv.stderr).toMatch(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d URL:${bed.edge}/d/size=30/a \\[30/30\\] -> "a" \\[1\\]\n` +
            `\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d URL:${bed.edge}/d/size=30,chunked/b \\[30\\] -> "b" \\[1\\]\n` +
            'wget: server returned error: HTTP/1.1 404 Not Found\n$',
        ),
      );
    });
    it('-nv writes the time in the context\'s TZ', async () => {
      const utc = await wget(['-nv', '-O', '/dev/null', `${bed.http}/hello.txt`], { env: { TZ: 'UTC' } });
      const now = new Date().toISOString().slice(0, 13).replace('T', ' ');
      expect(utc.stderr.slice(0, 13)).toBe(now);
    });
    it('-S prints each response\'s status line and headers, redirections included', async () => {
      const r = await wget(['-S', '-O', '/dev/null', `${bed.edge}/redir/302/1`]);
      expect(r.stderr).toContain('  HTTP/1.1 302 Found\n  Content-Length: 0\n  Content-Type: text/plain\n  Location: /redir/302/0\n  HTTP/1.1 200 OK\n');
    });
    it('-o LOG sends messages to LOG, without progress', async () => {
      const r = await wget(['-o', 'log', `${bed.edge}/d/size=5/z`]);
      expect(r.stderr).toBe('');
      expect(fs.readFileSync(path.join(r.cwd, 'log'), 'latin1')).toBe(`Connecting to ${edgeHost} (${edgeHost})\nsaving to 'z'\n'z' saved\n`);
    });
    it('sizes the bar from COLUMNS as BusyBox does', async () => {
      const r = await wget(['-O', '/dev/null', `${bed.edge}/d/size=10/x`], { env: { COLUMNS: '100' } });
      expect(r.stderr).toContain(`null                 100% |${'*'.repeat(52)}|    10  0:00:00 ETA\n`);
    });
    it('draws a progress line a second off a terminal, and the last one', async () => {

      const known = await wget(['-O', '/dev/null', `${bed.edge}/d/size=3000,drip=150/d`]);
      const lines = known.stderr.split('\n').filter((l) => l.startsWith('null'));
      expect(lines.length).toBeGreaterThan(2);
      expect(lines.every((l) => /^null {16}[ \d]{3}\d% \|[* ]{32}\|[ \d]{5}\d  \d+:\d\d:\d\d ETA$/.test(l))).toBe(true);
      expect(lines.at(-1)).toBe('null                 100% |********************************|  3000  0:00:00 ETA');
      const unknown = await wget(['-O', '/dev/null', `${bed.edge}/d/size=3000,drip=150,nolength/d`]);
      const progress = unknown.stderr.split('\n').filter((l) => l.startsWith('null'));
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.every((l) => /^null {16} [ \d]{4}\d --:--:-- ETA$/.test(l))).toBe(true);
    });
  });

  describe('resuming with -c', () => {
    it('asks for the rest with Range and appends it', async () => {
      bed.clearLog();
      const r = await wget(['-q', '-c', `${bed.edge}/d/size=1000/y`], { files: { y: patternBytes(300) } });
      expect(r.status).toBe(0);
      expect(files(r.cwd).y!.equals(patternBytes(1000))).toBe(true);
      expect(headerOf(bed.log()[0]!, 'range')).toBe('bytes=300-');
    });
    it('keeps what it has and skips that much of the answer when the server ignores Range (as GNU)', async () => {
      const r = await wget(['-q', '-c', `${bed.edge}/d/size=1000,norange/y`], { files: { y: Buffer.alloc(300) } });
      expect(files(r.cwd).y!.equals(Buffer.concat([Buffer.alloc(300), patternBytes(1000).subarray(300)]))).toBe(true);
    });

    it('has nothing to do for a complete file (416), and sends no Range for an empty one', async () => {
      const r = await wget(['-c', `${bed.http}/hello.txt`], { files: { 'hello.txt': 'hello\n' } });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('The file is already fully retrieved; nothing to do.\n');
      bed.clearLog();
      const e = await wget(['-q', '-c', `${bed.edge}/d/size=10/y`], { files: { y: '' } });
      expect(files(e.cwd).y!.equals(patternBytes(10))).toBe(true);
      expect(headerOf(bed.log()[0]!, 'range')).toBeUndefined();
    });
    it('resumes what an earlier failed run left (written in place)', async () => {
      const cwd = tempDir();
      const first = await wget(['-q', '-t', '1', `${bed.edge}/d/size=5000,truncate=2000/r`], { cwd });
      expect(first.status).toBe(4);
      expect(files(cwd).r!.length).toBe(2000);
      expect((await wget(['-q', '-c', `${bed.edge}/d/size=5000,truncate=2000/r`], { cwd })).status).toBe(0);
      expect(files(cwd).r!.equals(patternBytes(5000))).toBe(true);
    });
    it('resumes into -O FILE, never into -O -', async () => {
      const r = await wget(['-q', '-c', '-O', 'o', `${bed.edge}/d/size=1000/y`], { files: { o: patternBytes(400) } });
      expect(files(r.cwd).o!.equals(patternBytes(1000))).toBe(true);
      bed.clearLog();
      const s = await wget(['-q', '-c', '-O', '-', `${bed.edge}/d/size=10/y`]);
      expect(Buffer.from(s.stdout, 'latin1').equals(patternBytes(10))).toBe(true);
      expect(headerOf(bed.log()[0]!, 'range')).toBeUndefined();
    });
  });

  describe('failures and exit statuses', () => {
    it.each([
      ['404', ['server/status/404'], 8, 'wget: server returned error: HTTP/1.1 404 Not Found\n'],
      ['503 (not retried)', ['server/status/503'], 8, 'wget: server returned error: HTTP/1.1 503 Service Unavailable\n'],
      ['a redirection loop', ['server/loop'], 8, 'wget: too many redirections\n'],
      ['--max-redirect', ['--max-redirect=1', 'server/redir/302/2'], 8, 'wget: too many redirections\n'],
      ['a redirection without Location', ['server/noloc'], 8, 'wget: redirection (302) without location\n'],
      ['401 without credentials', ['server/auth/u/p/x'], 6, 'wget: server returned error: HTTP/1.1 401 Unauthorized\n'],
      ['wrong credentials', ['--user=u', '--password=bad', 'server/auth/u/p/x'], 6, 'wget: server returned error: HTTP/1.1 401 Unauthorized\n'],
      ['a short body', ['server/d/size=1000,truncate=500/t'], 4, 'wget: connection closed prematurely\n'],
      ['a stall', ['-T', '0.3', 'server/d/size=1000,stall=500/s'], 4, 'wget: download timed out\n'],
      ['no answer', ['-T', '0.3', 'server/hang'], 4, 'wget: download timed out\n'],
      ['no connection', ['-T', '0.3', 'blackhole'], 4, 'wget: download timed out\n'],
      ['a dropped connection', ['server/drop'], 4, 'wget: error getting response\n'],
      ['an unsupported scheme', ['ftp://x/y'], 1, 'wget: not an http or https url: ftp://x/y\n'],
      ['a bad port', ['http://h:99999/'], 1, 'wget: http://h:99999/: Bad port number\n'],
      ['an unknown host', ['http://nonexistent.invalid/'], 4, "wget: bad address 'nonexistent.invalid'\n"],
    ])('%s', async (_, args, status, message) => {
      const r = await wget(['-t', '1', ...args.map((a) => a.replace('server/', `${bed.edge}/`).replace('blackhole', `http://127.0.0.1:${bed.blackholePort}/`))]);

      expect(r.status).toBe(status);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('wget: ')).join('\n') + '\n').toBe(message);
    });
    it('keeps the part of a failed download', async () => {
      const r = await wget(['-q', '-t', '1', `${bed.edge}/d/size=1000,truncate=500/t`]);
      expect(files(r.cwd).t!.equals(patternBytes(500))).toBe(true);
    });
    it('a refused connection: BusyBox\'s message, status 4, retried only with --retry-connrefused', async () => {
      const url = `http://127.0.0.1:${bed.closedPort}/`;
      const r = await wget(['-t', '3', url]);
      expect(r.stderr).toBe(`Connecting to 127.0.0.1:${bed.closedPort} (127.0.0.1:${bed.closedPort})\nwget: can't connect to remote host (127.0.0.1): Connection refused\n`);
      expect(r.status).toBe(4);
      const again = await wget(['-t', '2', '--waitretry=0', '--retry-connrefused', url]);
      expect(again.stderr.match(/Connecting to/g)).toHaveLength(2);
    });
    it('retries a short body with Range (-t) and completes the file', async () => {
      bed.clearLog();
      const r = await wget(['-t', '2', '--waitretry=0', `${bed.edge}/d/size=1000,truncate=500/t`]);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('wget: connection closed prematurely; retrying\n');
      expect(files(r.cwd).t!.equals(patternBytes(1000))).toBe(true);
      expect(bed.log().map((e) => headerOf(e, 'range'))).toEqual([undefined, 'bytes=500-']);
    });
    it('several URLs: all are fetched; the lowest non-zero status wins, a generic error (1) last', async () => {
      const refused = `http://127.0.0.1:${bed.closedPort}/`;
      const cases: [string[], number][] = [
        [[`${bed.edge}/status/404`, refused], 4],
        [[refused, `${bed.edge}/status/404`], 4],
        [[`${bed.edge}/status/404`, `${bed.edge}/d/size=1/ok`], 8],
        [[`${bed.edge}/auth/u/p/x`, `${bed.edge}/status/404`], 6],
        [['ftp://x/', `${bed.edge}/status/404`], 8],
        [['ftp://x/', `${bed.edge}/d/size=1/ok`], 1],
      ];
      for (const [urls, status] of cases) expect((await wget(['-q', '-t', '1', ...urls])).status, urls.join(' ')).toBe(status);
    });
  });

  describe('requests', () => {
    it('sends Wget\'s request; -U and --header change it', async () => {
      bed.clearLog();
      await wget(['-q', '-O', '/dev/null', '-U', 'agent', '--header', 'X-A: 1', '--header', 'Accept: text/html', `${bed.edge}/echo`]);
      expect(bed.log()[0]!.headers).toEqual([
        ['Host', edgeHost],
        ['User-Agent', 'agent'],
        ['Accept', 'text/html'],
        ['Accept-Encoding', 'identity'],
        ['Connection', 'Keep-Alive'],
        ['X-A', '1'],
      ]);
      bed.clearLog();
      await wget(['-q', '-O', '/dev/null', '--header', 'User-Agent: mine', `${bed.edge}/echo`]);
      expect(headerOf(bed.log()[0]!, 'user-agent')).toBe('mine');
    });
    it('POSTs --post-data and --post-file as a form; --method picks another method', async () => {
      bed.clearLog();
      await wget(['-q', '-O', '/dev/null', '--post-data', 'a=1&b=2', `${bed.edge}/echo`]);
      await wget(['-q', '-O', '/dev/null', '--post-file', 'pf', `${bed.edge}/echo`], { files: { pf: 'xyz' } });
      await wget(['-q', '-O', '/dev/null', '--method=DELETE', `${bed.edge}/echo`]);
      const log = bed.log();
      expect(log.map((e) => [e.method, e.body, headerOf(e, 'content-type'), headerOf(e, 'content-length')])).toEqual([
        ['POST', 'a=1&b=2', 'application/x-www-form-urlencoded', '7'],
        ['POST', 'xyz', 'application/x-www-form-urlencoded', '3'],
        ['DELETE', '', undefined, undefined],
      ]);
      const missing = await wget(['--post-file', 'nope', `${bed.edge}/echo`]);
      expect([missing.status, missing.stderr]).toEqual([3, 'wget: nope: No such file or directory\n']);
    });
    it('--method PUT/PATCH/POST without data sends an empty body; --body-data sends data', async () => {
      bed.clearLog();
      await wget(['-q', '-O', '/dev/null', '--method=put', `${bed.edge}/echo`]);
      await wget(['-q', '-O', '/dev/null', '--method=PATCH', '--body-data=abc', `${bed.edge}/echo`]);
      expect(bed.log().map((e) => [e.method, e.body, headerOf(e, 'content-length')])).toEqual([
        ['PUT', '', '0'],
        ['PATCH', 'abc', '3'],
      ]);
      const both = await wget(['--method=PUT', '--post-data=x', `${bed.edge}/echo`]);
      expect(both.status).toBe(1);
    });
    it('a 204 answer leaves no file', async () => {
      const r = await wget(['-q', `${bed.edge}/204`]);
      expect([r.status, files(r.cwd)]).toEqual([0, {}]);
    });
    it('--spider sends HEAD and writes nothing', async () => {

      bed.clearLog();
      const r = await wget(['--spider', `${bed.edge}/echo`]);
      expect([r.status, r.stderr.split('\n')[1], files(r.cwd)]).toEqual([0, 'remote file exists', {}]);
      expect(bed.log()[0]!.method).toBe('HEAD');
      expect((await wget(['-q', '--spider', `${bed.edge}/status/404`])).status).toBe(8);
    });
    it('-i FILE and -i - read URLs one a line, skip blank lines, and reuse one connection', async () => {
      bed.clearLog();
      const list = ` ${bed.edge}/d/size=1/a \n\n${bed.edge}/d/size=2/b\r\n\t\n${bed.edge}/d/size=3/c`;
      const r = await wget(['-q', '-i', 'list'], { files: { list } });
      expect(Object.keys(files(r.cwd)).sort()).toEqual(['a', 'b', 'c', 'list']);
      expect(new Set(bed.log().map((e) => e.conn)).size).toBe(1);
      const s = await wget(['-q', '-i', '-', `${bed.edge}/d/size=4/first`], { stdin: `${bed.edge}/d/size=5/second\n` });
      expect(files(s.cwd)).toEqual({ first: patternBytes(4), second: patternBytes(5) });
      const missing = await wget(['-i', 'nope']);
      expect([missing.status, missing.stderr]).toEqual([3, 'wget: nope: No such file or directory\n']);
    });
    it('authenticates with --user/--password (on challenge) and with URL credentials', async () => {
      const r = await wget(['-q', '-O', '-', '--user=u', '--password=p', `${bed.edge}/auth/u/p/x`]);
      expect([r.status, r.stdout]).toEqual([0, 'secret for u\n']);
      const h = await wget(['-q', '-O', '-', '--http-user=u', '--http-password=p', `${bed.edge}/auth/u/p/x`]);
      expect(h.stdout).toBe('secret for u\n');
      const u = await wget(['-q', '-O', '-', `http://u:p@${edgeHost}/auth/u/p/x`]);
      expect(u.stdout).toBe('secret for u\n');
    });
    it('--content-disposition names the file from the header (its base name only)', async () => {
      const r = await wget(['-q', '--content-disposition', `${bed.edge}/d/size=5,cd=nice.txt/a`, `${bed.edge}/d/size=6,cd=..%2Fup.txt/b`]);
      expect(files(r.cwd)).toEqual({ 'nice.txt': patternBytes(5), 'up.txt': patternBytes(6) });
      const plain = await wget(['-q', `${bed.edge}/d/size=5,cd=nice.txt/a`]);
      expect(Object.keys(files(plain.cwd))).toEqual(['a']);
    });
    it('fetches from an IPv6 literal', async () => {
      if (!bed.http6) return;
      const r = await wget(['-q', '-O', '-', `${bed.http6}/hello.txt`]);
      expect(r.stdout).toBe('hello\n');
    });
  });

  describe('proxies', () => {
    it('uses http_proxy from the environment; -Y off, --no-proxy and no_proxy bypass it', async () => {
      bed.clearLog();
      const env = { http_proxy: bed.edge };
      expect((await wget(['-q', '-O', '-', `${bed.http}/hello.txt`], { env })).stdout).toBe('hello\n');
      expect(bed.log().map((e) => e.target)).toEqual([`${bed.http}/hello.txt`]);
      bed.clearLog();
      await wget(['-q', '-O', '/dev/null', '-Y', 'off', `${bed.http}/hello.txt`], { env });
      await wget(['-q', '-O', '/dev/null', '--no-proxy', `${bed.http}/hello.txt`], { env });
      await wget(['-q', '-O', '/dev/null', `${bed.http}/hello.txt`], { env: { ...env, no_proxy: '127.0.0.1' } });
      await wget(['-q', '-O', '/dev/null', '-e', 'use_proxy=off', `${bed.http}/hello.txt`], { env });
      expect(bed.log()).toEqual([]);
    });
    it.skipIf(!hasTool('tinyproxy'))('goes through tinyproxy for http and, with CONNECT, https', async () => {
      const env = { http_proxy: bed.proxy!, https_proxy: bed.proxy! };
      expect((await wget(['-q', '-O', '-', `${bed.http}/hello.txt`], { env })).stdout).toBe('hello\n');
      const s = await wget(['-q', '-O', '-', '--ca-certificate', bed.caFile, `${bed.https}/hello.txt`], { env });
      expect([s.status, s.stdout]).toEqual([0, 'hello\n']);
    });
  });

  describe('TLS', () => {
    it('verifies the certificate: --ca-certificate or SSL_CERT_FILE trust the test CA', async () => {
      expect((await wget(['-q', '-O', '-', '--ca-certificate', bed.caFile, `${bed.https}/hello.txt`])).stdout).toBe('hello\n');
      expect((await wget(['-q', '-O', '-', `${bed.https}/hello.txt`], { env: { SSL_CERT_FILE: bed.caFile } })).stdout).toBe('hello\n');
    });
    it('an untrusted certificate is status 5; --no-check-certificate accepts it', async () => {
      const r = await wget(['-t', '1', '-O', '-', `${bed.https}/hello.txt`]);
      expect(r.status).toBe(5);
      expect(r.stderr).toContain("wget: the certificate of '127.0.0.1' is not trusted: ");
      expect((await wget(['-q', '-O', '-', '--no-check-certificate', `${bed.https}/hello.txt`])).stdout).toBe('hello\n');
      expect((await wget(['-q', '-O', '-', '-e', 'check_certificate=off', `${bed.https}/hello.txt`])).stdout).toBe('hello\n');
    });
    it('an unreadable CA file is status 5 (as GNU), and plain http does not care', async () => {
      const r = await wget(['-t', '1', '--ca-certificate', '/nonexistent', `${bed.https}/hello.txt`]);
      expect([r.status, r.stderr.split('\n').at(-2)]).toEqual([5, "wget: can't read CA file '/nonexistent': No such file or directory"]);
      expect((await wget(['-q', '-O', '-', '--ca-certificate', '/nonexistent', `${bed.http}/hello.txt`])).status).toBe(0);
    });
    it('a certificate for another name is status 5', async () => {

      const r = await wget(['-t', '1', '--ca-certificate', bed.caFile, `${bed.httpsWrongName}/hello.txt`]);
      expect(r.status).toBe(5);
      expect(r.stderr).toContain("wget: the certificate of '127.0.0.1' does not match the host name\n");
    });
  });

  describe('command line', () => {
    it('rejects unknown options with usage and status 2; a missing URL is status 1', async () => {
      const bad = await wget(['--bogus', 'x']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^wget: unrecognized option '--bogus'\nUsage: wget /);
      expect((await wget([])).status).toBe(1);
      expect((await wget(['-nz', 'x'])).status).toBe(1);
    });
    it('validates numbers and booleans (status 2)', async () => {
      for (const args of [['-T', 'x'], ['-t', 'x'], ['-Y', 'maybe'], ['--max-redirect', 'x'], ['-e', 'bogus=1'], ['-e', 'robots']]) {
        const r = await wget([...args, 'http://127.0.0.1:1/']);
        expect(r.status, args.join(' ')).toBe(2);
      }
      expect((await wget(['-q', '-O', '/dev/null', '-e', 'robots=off', '-nH', '-np', `${bed.http}/hello.txt`])).status).toBe(0);
    });
    it('-o into a missing directory is status 1', async () => {
      const r = await wget(['-o', 'nodir/log', `${bed.http}/hello.txt`]);
      expect([r.status, r.stderr]).toEqual([1, 'wget: nodir/log: No such file or directory\n']);
    });
    it('accepts a URL without a scheme as http', async () => {

      expect((await wget(['-q', '-O', '-', bed.http.slice(7) + '/hello.txt'])).stdout).toBe('hello\n');
    });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await wget(['-q', '-T', '0', `${bed.edge}/hang`], { signal: controller.signal });
    expect(r.status).toBe(130);
  });
});
