// wget against GNU Wget 1.21 (the reference for results) over the same loopback scenarios: the exit
// status, the files left behind (names and bytes), standard output, and what the server received
// (method, target, headers in order, body). Messages differ on purpose (ours are BusyBox's), so
// stderr is not compared here; test/applets/wget.test.ts pins ours.
// BusyBox wget is a second opinion on option handling where it agrees with GNU.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from '../helpers/edge-server.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';
import { type LogEntry, startTestBed, type TestBed } from '../helpers/servers.js';

let bed: TestBed;

interface Scenario {
  name: string;
  /** Arguments; `EDGE`, `HTTP`, `HTTPS`, `WRONG`, `HTTP6`, `CA` and `CLOSED` are replaced. */
  args: string[];
  /** Files present before the run. */
  files?: Record<string, string | Buffer>;
  env?: Record<string, string>;
  stdin?: string;
  /** What differs on purpose, and why (the parts named are left out of the comparison). */
  because?: { parts: ('status' | 'files' | 'requests' | 'stdout')[]; reason: string };
}

const SCENARIOS: Scenario[] = [
  { name: 'a plain download', args: ['EDGE/d/size=1000/x'] },
  { name: 'nginx, a bigger file', args: ['HTTP/big.bin'] },
  { name: 'redirections: the file is named after the URL given', args: ['EDGE/redir/301/2'] },
  { name: 'a relative Location', args: ['EDGE/rel/a/b'] },
  { name: 'an absolute Location to another server', args: ['EDGE/goto/302?HTTP/hello.txt'] },
  { name: 'POST redirected by 302 becomes GET', args: ['--post-data', 'a=1', 'EDGE/redir/302/1'] },
  { name: 'POST redirected by 303 becomes GET', args: ['--post-data', 'a=1', 'EDGE/redir/303/1'] },
  { name: 'POST redirected by 307 stays POST', args: ['--post-data', 'a=1', 'EDGE/redir/307/1'] },
  { name: 'a redirection loop', args: ['-t', '1', 'EDGE/loop'] },
  { name: '--max-redirect', args: ['-t', '1', '--max-redirect=3', 'EDGE/redir/302/4'] },
  { name: 'a redirection without Location', args: ['-t', '1', 'EDGE/noloc'] },
  { name: '404', args: ['-t', '1', 'EDGE/status/404'] },
  {
    name: '404 with -O',
    args: ['-t', '1', '-O', 'out', 'EDGE/status/404'],
    because: { parts: ['files'], reason: 'GNU creates FILE before asking; we open it after a good answer (as BusyBox), so nothing is left' },
  },
  { name: '503 is not retried', args: ['-t', '3', 'EDGE/status/503'] },
  { name: 'a taken name gets .1', args: ['EDGE/d/size=10/x'], files: { x: 'old' } },
  { name: '-nc keeps the file', args: ['-nc', 'EDGE/d/size=10/x'], files: { x: 'old' } },
  { name: '-nc with -O is status 1', args: ['-nc', '-O', 'o', 'EDGE/d/size=10/x'], files: { o: 'old' } },
  { name: '-c appends the rest', args: ['-c', 'EDGE/d/size=1000/y'], files: { y: patternBytes(300) } },
  { name: '-c when the server ignores Range', args: ['-c', 'EDGE/d/size=1000,norange/y'], files: { y: Buffer.alloc(300) } },
  { name: '-c when the server ignores Range, chunked', args: ['-c', 'EDGE/d/size=100000,norange,chunked/y'], files: { y: Buffer.alloc(70000) } },
  { name: '-c on a complete file', args: ['-c', 'HTTP/hello.txt'], files: { 'hello.txt': 'hello\n' } },
  { name: '-c on an empty file', args: ['-c', 'EDGE/d/size=10/y'], files: { y: '' } },
  { name: '-c with -O', args: ['-c', '-O', 'o', 'EDGE/d/size=1000/y'], files: { o: patternBytes(400) } },
  { name: '-O concatenates several URLs', args: ['-O', 'o', 'EDGE/d/size=3/a', 'EDGE/d/size=4/b'] },
  { name: '-O - writes to stdout', args: ['-O', '-', 'EDGE/d/size=100/a'] },
  { name: '-P creates the directory', args: ['-P', 'a/b', 'EDGE/d/size=5/z'] },
  { name: 'a write error (-O /dev/full)', args: ['-O', '/dev/full', 'EDGE/d/size=5/z'] },

  { name: 'a short body, one try', args: ['-t', '1', 'EDGE/d/size=1000,truncate=500/t'] },
  { name: 'a short body, resumed with Range', args: ['-t', '2', '--waitretry=0', 'EDGE/d/size=1000,truncate=500/t'] },
  { name: 'a stall mid-body', args: ['-t', '1', '-T', '1', 'EDGE/d/size=1000,stall=500/s'] },
  { name: 'no answer at all', args: ['-t', '1', '-T', '1', 'EDGE/hang'] },
  { name: 'a dropped connection', args: ['-t', '1', 'EDGE/drop'] },
  { name: 'an HTTP/0.9 answer', args: ['-t', '1', 'EDGE/garbage'] },
  { name: '204', args: ['EDGE/204'] },
  { name: 'a chunked body', args: ['EDGE/d/size=200000,chunked/c'] },
  { name: 'a body delimited by close', args: ['EDGE/d/size=20000,nolength/n'] },
  { name: 'auth on challenge', args: ['--user=u', '--password=p', 'EDGE/auth/u/p/x'] },
  { name: 'auth from the URL', args: ['http://u:p@EDGEHOST/auth/u/p/x'] },
  { name: 'wrong credentials', args: ['-t', '1', '--user=u', '--password=bad', 'EDGE/auth/u/p/x'] },
  { name: 'no credentials', args: ['-t', '1', 'EDGE/auth/u/p/x'] },
  { name: 'headers and agent', args: ['--header', 'X-A: 1', '--header', 'Accept: text/html', '-U', 'agent', 'EDGE/echo'] },
  { name: 'a User-Agent header beats -U', args: ['--header', 'User-Agent: mine', '-U', 'agent', 'EDGE/echo'] },
  { name: 'an empty header value is sent', args: ['-O', '/dev/null', '--header', 'Accept-Encoding:', 'EDGE/echo'] },
  { name: '--post-file', args: ['-O', '/dev/null', '--post-file', 'pf', 'EDGE/echo'], files: { pf: 'xyz' } },
  { name: '--post-data with a Content-Type header', args: ['-O', '/dev/null', '--post-data', 'a=1', '--header', 'Content-Type: x', 'EDGE/echo'] },
  { name: '--method=DELETE', args: ['-O', '/dev/null', '--method=DELETE', 'EDGE/echo'] },
  { name: '--method=put sends an empty body', args: ['-O', '/dev/null', '--method=put', 'EDGE/echo'] },
  { name: '--method with --body-data', args: ['-O', '/dev/null', '--method=PATCH', '--body-data=abc', 'EDGE/echo'] },
  { name: '--method with --post-data is refused', args: ['-O', '/dev/null', '--method=PUT', '--post-data=abc', 'EDGE/echo'] },
  { name: '--spider, found', args: ['--spider', 'EDGE/echo'] },
  { name: '--spider, missing', args: ['-t', '1', '--spider', 'EDGE/status/404'] },
  {
    name: 'file names',
    args: ['EDGE/d/size=1/', 'EDGE/d/size=1/q?a=b/c', 'EDGE/d/size=1/a%20b.txt', 'EDGE/d/size=1/x%2Fy', 'EDGE/d/size=1/c%01d',
      'EDGE/d/size=1/f#frag', 'EDGE/d/size=1/s p', 'EDGE/d/size=1/u%7Ev', 'EDGE/d/size=1/%C3%A9t%E9', 'EDGE/d/size=1/d%7Fe',
      'EDGE/d/size=1/q2?a=%41%20b%2Fc', 'EDGE/d/size=1/%2E%2E', 'EDGE/d/size=1/a/../b'],
  },
  { name: '-i FILE, one connection', args: ['-i', 'list'], files: { list: ' EDGE/d/size=1/a \n\nEDGE/d/size=2/b\r\n\t\nEDGE/d/size=3/c' } },
  { name: '-i -', args: ['-i', '-', 'EDGE/d/size=4/first'], stdin: 'EDGE/d/size=5/second\n' },
  { name: '-i with a line that is no URL', args: ['-t', '1', '-i', 'list'], files: { list: 'EDGE/d/size=1/a\n# comment\nEDGE/d/size=2/b\n' } },
  {
    name: '-i with a missing file',
    args: ['-i', 'nope'],
    because: { parts: ['status'], reason: 'GNU says "No URLs found" and exits 0; we report the unreadable file with status 3' },
  },
  { name: 'several URLs: 404 then refused', args: ['-t', '1', 'EDGE/status/404', 'http://127.0.0.1:CLOSED/'] },
  { name: 'several URLs: refused then 404', args: ['-t', '1', 'http://127.0.0.1:CLOSED/', 'EDGE/status/404'] },
  { name: 'several URLs: 404 then good', args: ['-t', '1', 'EDGE/status/404', 'EDGE/d/size=1/ok'] },
  { name: 'several URLs: 401 then 404', args: ['-t', '1', 'EDGE/auth/u/p/x', 'EDGE/status/404'] },
  { name: 'several URLs: unsupported scheme then 404', args: ['-t', '1', 'ftpx://x/', 'EDGE/status/404'] },
  { name: '--content-disposition', args: ['--content-disposition', 'EDGE/d/size=5,cd=nice.txt/a'] },
  {
    name: '--content-disposition with a path',
    args: ['--content-disposition', 'EDGE/d/size=5,cd=..%2Fup.txt/a'],
    because: { parts: ['files'], reason: "GNU saves '../up.txt' as '%2E%2E'; we keep the base name, up.txt" },
  },
  { name: 'Content-Disposition ignored by default', args: ['EDGE/d/size=5,cd=nice.txt/a'] },
  { name: 'http_proxy', args: ['HTTP/hello.txt'], env: { http_proxy: 'EDGE' } },
  { name: 'http_proxy without a scheme', args: ['HTTP/hello.txt'], env: { http_proxy: 'EDGEHOST' } },
  { name: 'http_proxy with credentials', args: ['HTTP/hello.txt'], env: { http_proxy: 'http://pu:pp@EDGEHOST' } },
  { name: 'no_proxy', args: ['HTTP/hello.txt'], env: { http_proxy: 'EDGE', no_proxy: 'localhost,127.0.0.1' } },
  {
    name: 'URL credentials through a proxy',
    args: ['http://u:p@HTTPHOST/hello.txt'],
    env: { http_proxy: 'EDGE' },
    because: { parts: ['requests'], reason: "GNU writes the URL's credentials into the proxy's request line; we never send them to the proxy" },
  },
  { name: '-Y off', args: ['-Y', 'off', 'HTTP/hello.txt'], env: { http_proxy: 'EDGE' } },
  { name: '--no-proxy', args: ['--no-proxy', 'HTTP/hello.txt'], env: { http_proxy: 'EDGE' } },
  { name: 'HTTP_PROXY (upper case) is not read', args: ['HTTP/hello.txt'], env: { HTTP_PROXY: 'EDGE' } },
  { name: 'https_proxy tunnels', args: ['--ca-certificate', 'CA', 'HTTPS/hello.txt'], env: { https_proxy: 'EDGE' } },
  { name: 'HTTPS with --ca-certificate', args: ['--ca-certificate', 'CA', 'HTTPS/hello.txt'] },
  { name: 'HTTPS, unknown CA', args: ['-t', '1', 'HTTPS/hello.txt'] },
  { name: 'HTTPS, --no-check-certificate', args: ['--no-check-certificate', 'HTTPS/hello.txt'] },
  { name: 'HTTPS, wrong name', args: ['-t', '1', '--ca-certificate', 'CA', 'WRONG/hello.txt'] },
  {
    name: 'HTTPS, SSL_CERT_FILE',
    args: ['-t', '1', 'HTTPS/hello.txt'],
    env: { SSL_CERT_FILE: 'CA' },
    because: { parts: ['status', 'files'], reason: 'GNU (GnuTLS) ignores SSL_CERT_FILE; we honour it as OpenSSL-based tools do' },
  },
  { name: 'an IPv6 literal', args: ['HTTP6/hello.txt'] },
  { name: 'a URL without a scheme', args: ['EDGEHOST/d/size=3/noscheme'] },
  { name: 'an unsupported scheme', args: ['ftpx://x/y'] },
  { name: 'a refused connection', args: ['-t', '1', 'http://127.0.0.1:CLOSED/'] },
  { name: 'a name that does not resolve', args: ['-t', '1', 'http://nonexistent.invalid/'] },
  { name: '-o LOG', args: ['-o', 'log', 'EDGE/d/size=5/z'], because: { parts: ['files'], reason: 'the log holds messages, ours BusyBox\'s' } },
  { name: '-o into a missing directory', args: ['-o', 'nodir/log', 'EDGE/d/size=5/z'] },
  { name: '-q', args: ['-q', 'EDGE/d/size=5/z'] },

  { name: '-nv', args: ['-nv', 'EDGE/d/size=5/z'] },
  { name: '-e robots=off', args: ['-e', 'robots=off', 'EDGE/d/size=5/z'] },
  { name: '-nH -np are ignored', args: ['-nH', '-np', 'EDGE/d/size=5/z'] },
  { name: 'an unknown -e command', args: ['-e', 'bogus=1', 'EDGE/d/size=5/z'] },
  { name: 'an unknown option', args: ['--bogus', 'EDGE/d/size=5/z'] },
  { name: 'an unknown -n letter', args: ['-nz', 'EDGE/d/size=5/z'] },
  { name: 'a bad -T', args: ['-T', 'x', 'EDGE/d/size=5/z'] },
  { name: 'a bad -Y', args: ['-Y', 'maybe', 'EDGE/d/size=5/z'] },
  {
    name: 'a bad -t',
    args: ['-t', 'x', 'EDGE/d/size=5/z'],
    because: { parts: ['status', 'files', 'requests'], reason: 'GNU takes -t x without a word; we refuse a count that is not a number (status 2)' },
  },
  { name: 'no URL', args: [] },
];

function substitute(s: string): string {
  return s
    .replaceAll('EDGEHOST', bed.edge.slice(7))
    .replaceAll('EDGE', bed.edge)
    .replaceAll('HTTPS', bed.https)
    .replaceAll('HTTP6', bed.http6 ?? 'http://[::1]:1')
    .replaceAll('HTTPHOST', bed.http.slice(7))

    .replaceAll('HTTP', bed.http)
    .replaceAll('WRONG', bed.httpsWrongName)
    .replaceAll('CLOSED', String(bed.closedPort))
    .replaceAll('CA', bed.caFile);
}

function prepare(s: Scenario): string {
  const dir = tempDir('toolbox-wget-diff-');
  for (const [name, content] of Object.entries(s.files ?? {})) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? substitute(content) : content);
  }
  return dir;
}

/** Files left in dir: name (binary string) → bytes as latin1. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: Buffer, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true, encoding: 'buffer' })) {
      const name = e.name.toString('latin1');
      const p = Buffer.concat([d, Buffer.from('/'), e.name]);
      if (e.isDirectory()) walk(p, `${prefix}${name}/`);
      else out[prefix + name] = fs.readFileSync(p).toString('latin1');
    }
  };
  walk(Buffer.from(dir), '');
  return out;
}

/** Requests as the server saw them; each tool's default User-Agent becomes `(default)`. */
function requests(log: LogEntry[], defaultAgent: string) {
  return log.map((e) => ({
    method: e.method,
    target: e.target,
    headers: e.headers.map(([k, v]) => [k, k.toLowerCase() === 'user-agent' && v === defaultAgent ? '(default)' : v]),
    body: e.body,
  }));
}

const haveServers = hasTool('nginx') && hasTool('openssl');

beforeAll(async () => {
  if (!haveServers) return;
  bed = await startTestBed();
  fs.writeFileSync(path.join(bed.www, 'hello.txt'), 'hello\n');
  fs.writeFileSync(path.join(bed.www, 'big.bin'), patternBytes(1024 * 1024 + 3));
});
afterAll(async () => {
  await bed?.stop();
});

describe.skipIf(!hasTool('wget') || !haveServers)('wget vs GNU Wget', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_, s) => {
    const args = s.args.map(substitute);
    const env = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, substitute(v)]));
    const stdin = s.stdin === undefined ? undefined : substitute(s.stdin);

    const gnuDir = prepare(s);
    bed.clearLog();
    const gnu = runTool(['wget', ...args], { cwd: gnuDir, env: { HOME: gnuDir, ...env }, stdin });
    const gnuLog = requests(bed.log(), 'Wget/1.21.3');

    const ourDir = prepare(s);
    bed.clearLog();
    const ours = await run(['wget', ...args], { cwd: ourDir, env: { HOME: ourDir, ...env }, stdin });
    const ourLog = requests(bed.log(), 'Wget');

    const skip = new Set(s.because?.parts ?? []);
    const view = (status: number, stdout: string, dir: string, log: unknown) => ({
      status: skip.has('status') ? '(differs)' : status,
      stdout: skip.has('stdout') ? '(differs)' : stdout,
      files: skip.has('files') ? '(differs)' : snapshot(dir),
      requests: skip.has('requests') ? '(differs)' : log,
    });
    expect(view(ours.status, ours.stdout, ourDir, ourLog), s.because?.reason ?? ours.stderr).toEqual(view(gnu.status, gnu.stdout, gnuDir, gnuLog));
  });
});

// BusyBox agrees with GNU on these (same files, same zero/non-zero outcome). It differs where the spec
// says to follow GNU: no NAME.1 (fails instead), no -P directory creation, 416 on -c fails, relative
// Location unsupported, -T segfaults in Debian's 1.35, exit statuses are 0/1 only.
describe.skipIf(!hasTool('busybox') || !haveServers)('wget vs BusyBox wget (option handling)', () => {
  it.each([
    ['-O FILE', ['-O', 'out', 'EDGE/d/size=10/x'], {}],
    ['-O -', ['-O', '-', 'EDGE/d/size=10/x'], {}],
    ['-q', ['-q', 'EDGE/d/size=10/x'], {}],
    ['-P an existing dir', ['-P', 'dir', 'EDGE/d/size=10/x'], {}],
    ['-U', ['-U', 'agent', 'EDGE/d/size=10/x'], {}],
    ['--header', ['--header', 'X-A: 1', 'EDGE/d/size=10/x'], {}],
    // BusyBox's spider sends GET; we send HEAD as GNU does (compared apart from the method).
    ['--spider', ['--spider', 'EDGE/d/size=10/x'], {}],
    ['-S', ['-S', 'EDGE/d/size=10/x'], {}],
    ['-c', ['-c', 'EDGE/d/size=1000/y'], {}],
    ['--post-data', ['--post-data', 'a=1', 'EDGE/d/size=10/x'], {}],
    ['http_proxy', ['HTTP/hello.txt'], { http_proxy: 'EDGE' }],
    ['-Y off', ['-Y', 'off', 'HTTP/hello.txt'], { http_proxy: 'EDGE' }],
    ['404', ['EDGE/status/404'], {}],
    ['a missing URL', [], {}],
    ['an unknown option', ['--bogus', 'EDGE/x'], {}],
  ] as const)('%s', async (_, rawArgs, rawEnv) => {
    const args = rawArgs.map(substitute);
    const env = Object.fromEntries(Object.entries(rawEnv).map(([k, v]) => [k, substitute(v)]));
    const outcome = async (runner: (dir: string) => Promise<{ status: number; stdout: string }>) => {
      const dir = prepare({ name: '', args: [], files: { y: patternBytes(300) } });
      fs.mkdirSync(path.join(dir, 'dir'));
      bed.clearLog();
      const r = await runner(dir);
      const sent = bed.log().map((e) => [args.includes('--spider') ? '(method)' : e.method, e.target, e.headers.filter(([k]) => /^(user-agent|x-a)$/i.test(k))]);
      return { ok: r.status === 0, files: snapshot(dir), stdout: r.stdout, sent };
    };
    const bb = await outcome(async (dir) => runTool(['busybox', 'wget', ...args], { cwd: dir, env }));
    const ours = await outcome((dir) => run(['wget', ...args], { cwd: dir, env }));
    expect(ours).toEqual(bb);
  });
});
