// The shared HTTP client against real servers on loopback: nginx (HTTP, HTTPS, IPv6), the edge-case
// server (redirects, stalls, truncation, chunking, auth, a logging proxy) and tinyproxy.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env } from '../../src/core/env.js';
import { HttpClient, type HttpClientOptions, HttpError, type HttpEvent, noProxyMatches, UrlError } from '../../src/core/http.js';
import { FdSink, MemorySink, readAll } from '../../src/core/io.js';
import { patternBytes } from '../helpers/edge-server.js';
import { hasTool } from '../helpers/reference.js';
import { tempDir } from '../helpers/run.js';
import { headerOf, startTestBed, type TestBed } from '../helpers/servers.js';

let bed: TestBed;
const clients: HttpClient[] = [];

/** A client that is closed after the tests; short timeouts so nothing can hang. */
function client(options: HttpClientOptions = {}): HttpClient {
  const c = new HttpClient({ timeout: 5000, waitRetry: 0, env: new Env(), ...options });
  clients.push(c);
  return c;
}

async function text(c: HttpClient, url: string, opts = {}) {
  const r = await c.request(url, opts);
  return { status: r.status, body: (await readAll(r.body)).toString('latin1'), response: r };
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
}

describe.skipIf(!hasTool('nginx') || !hasTool('openssl'))('core/http', () => {
  beforeAll(async () => {
    bed = await startTestBed();
    fs.writeFileSync(path.join(bed.www, 'hello.txt'), 'hello\n');
    fs.writeFileSync(path.join(bed.www, 'big.bin'), patternBytes(3 * 1024 * 1024 + 17));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await bed?.stop();
  });

  describe('responses and bodies', () => {
    it('gets a file from nginx with status, headers, length and size', async () => {
      const { status, body, response } = await text(client(), `${bed.http}/hello.txt`);
      expect(status).toBe(200);
      expect(body).toBe('hello\n');
      expect(response.statusLine).toBe('HTTP/1.1 200 OK');
      expect(response.header('content-type')).toBe('text/plain');
      expect(response.headerLines).toContain('Content-Length: 6');
      expect([response.length, response.size, response.offset]).toEqual([6, 6, 0]);
    });
    it('streams a body to a descriptor (the fast path) and to an in-memory sink', async () => {
      const c = client();
      const dir = tempDir();
      const file = path.join(dir, 'out');
      const fd = fs.openSync(file, 'w');
      const progress: number[] = [];
      const r = await c.request(`${bed.http}/big.bin`, { onProgress: (n) => progress.push(n) });
      expect(await r.body.pipeTo(new FdSink(fd, true))).toBe(3 * 1024 * 1024 + 17);
      expect(fs.readFileSync(file).equals(patternBytes(3 * 1024 * 1024 + 17))).toBe(true);
      expect(progress.at(-1)).toBe(3 * 1024 * 1024 + 17);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      const mem = new MemorySink();
      const r2 = await c.request(`${bed.edge}/d/size=300000,chunked/x`);
      await r2.body.pipeTo(mem);
      expect(mem.bytes().equals(patternBytes(300000))).toBe(true);
    });
    it('reads chunked bodies (with trailers), bodies delimited by close, and 204s', async () => {
      const c = client();
      const chunked = await c.request(`${bed.edge}/d/size=200000,chunked/x`);
      expect(chunked.length).toBeUndefined();
      expect((await readAll(chunked.body)).equals(patternBytes(200000))).toBe(true);
      const untilClose = await c.request(`${bed.edge}/d/size=5000,nolength/x`);
      expect((await readAll(untilClose.body)).equals(patternBytes(5000))).toBe(true);
      const empty = await text(c, `${bed.edge}/204`);
      expect([empty.status, empty.body]).toEqual([204, '']);
    });
    it('reads heads with bare LF line ends and folded headers, and skips interim 1xx answers', async () => {
      const c = client();
      const lf = await text(c, `${bed.edge}/lf`);
      expect([lf.status, lf.body, lf.response.header('x-folded')]).toEqual([200, 'abc', 'a b']);
      const interim = await text(c, `${bed.edge}/continue`);
      expect([interim.status, interim.body]).toEqual([200, 'after interim\n']);
    });
    it('takes an answer without a status line as HTTP/0.9 (as Wget does)', async () => {

      const { status, body } = await text(client(), `${bed.edge}/garbage`);
      expect(status).toBe(200);
      expect(body).toBe('SSH-2.0-OpenSSH_9.2\r\nthis is not http\r\n\r\n');
    });
    it('returns error statuses as answers, not failures', async () => {
      const { status, body, response } = await text(client(), `${bed.edge}/status/503`);
      expect([status, body, response.statusLine]).toEqual([503, 'status 503\n', 'HTTP/1.1 503 Service Unavailable']);
    });
    it('serves requests in parallel (several connections to one host)', async () => {
      const c = client();
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const r = await c.request(i % 2 ? `${bed.http}/big.bin` : `${bed.edge}/d/size=${10000 + i}/f`);
          return readAll(r.body);
        }),
      );
      results.forEach((b, i) => expect(b.equals(i % 2 ? patternBytes(3 * 1024 * 1024 + 17) : patternBytes(10000 + i))).toBe(true));
    });
  });

  describe('requests', () => {
    it('sends Wget\'s headers in Wget\'s order; caller headers replace defaults in place', async () => {
      bed.clearLog();
      const c = client({ userAgent: 'Agent/1' });
      await text(c, `${bed.edge}/echo`, { headers: [['Accept', 'text/html'], ['X-Extra', '1']] });
      const [entry] = bed.log();
      expect(entry!.headers).toEqual([
        ['Host', bed.edge.slice(7)],
        ['User-Agent', 'Agent/1'],
        ['Accept', 'text/html'],
        ['Accept-Encoding', 'identity'],
        ['Connection', 'Keep-Alive'],
        ['X-Extra', '1'],
      ]);
    });
    it('sends a body with its type and length, and Range for an offset', async () => {
      bed.clearLog();
      await text(client(), `${bed.edge}/echo`, { method: 'POST', body: { data: 'a=1&b=2', type: 'application/x-www-form-urlencoded' }, offset: 5 });
      const [entry] = bed.log();
      expect(entry!.method).toBe('POST');
      expect(entry!.body).toBe('a=1&b=2');
      expect(entry!.headers.map(([k]) => k)).toEqual(['Host', 'Range', 'User-Agent', 'Accept', 'Accept-Encoding', 'Connection', 'Content-Type', 'Content-Length']);
      expect(headerOf(entry!, 'range')).toBe('bytes=5-');
      expect(headerOf(entry!, 'content-length')).toBe('7');
    });
    it('normalises the request target as Wget does', async () => {
      bed.clearLog();
      await text(client(), `${bed.edge}/echo/a b/%7Ex/%2Fy/../z?q=1 2#frag`);
      expect(bed.log()[0]!.target).toBe('/echo/a%20b/~x/z?q=1%202');
    });
    it('reuses one kept-alive connection for several requests to a host', async () => {
      bed.clearLog();
      const c = client();
      const events: HttpEvent[] = [];
      const c2 = client({ onEvent: (e) => events.push(e) });
      for (let i = 0; i < 4; i++) await text(c2, `${bed.edge}/d/size=${100 + i}/f${i}`);
      await text(c, `${bed.edge}/echo`);
      const conns = bed.log().map((e) => e.conn);
      expect(new Set(conns.slice(0, 4)).size).toBe(1);
      expect(conns[4]).not.toBe(conns[0]);
      expect(events.filter((e) => e.type === 'connect')).toHaveLength(1);
    });
    it('reaches an IPv6 literal, with the brackets in Host', async () => {
      if (!bed.http6 || !bed.edge6) return;
      expect((await text(client(), `${bed.http6}/hello.txt`)).body).toBe('hello\n');
      bed.clearLog();
      await text(client(), `${bed.edge6}/echo`);
      expect(headerOf(bed.log()[0]!, 'host')).toBe(bed.edge6.slice(7));
    });
  });

  describe('redirections', () => {
    it('follows a chain, relative locations included, and tells each step', async () => {
      const events: HttpEvent[] = [];
      const c = client({ onEvent: (e) => events.push(e) });
      const r = await text(c, `${bed.edge}/redir/301/3`);
      expect([r.status, r.body]).toEqual([200, 'redirected\n']);
      expect(r.response.url.path).toBe('/redir/301/0');
      expect(events.filter((e) => e.type === 'redirect')).toHaveLength(3);
      expect((await text(c, `${bed.edge}/rel/a/b`)).body).toBe('relative ok\n');
    });
    it('stops at the limit and on a loop; a redirection without Location is an error', async () => {
      const c = client();
      const limit = await failure(c.request(`${bed.edge}/redir/302/4`, { maxRedirects: 3 }));
      expect([limit.kind, limit.message]).toEqual(['redirect', '3 redirections exceeded']);
      expect((await failure(c.request(`${bed.edge}/loop`))).message).toBe('20 redirections exceeded');
      const noLocation = await failure(c.request(`${bed.edge}/noloc`));
      expect([noLocation.kind, noLocation.detail.status]).toEqual(['redirect', 302]);
    });
    it('turns POST into GET on 301/302/303 and keeps it on 307/308', async () => {
      const c = client();
      for (const [code, method] of [[301, 'GET'], [302, 'GET'], [303, 'GET'], [307, 'POST'], [308, 'POST']] as const) {
        bed.clearLog();
        await text(c, `${bed.edge}/redir/${code}/1`, { method: 'POST', body: { data: 'x=1' } });
        const [first, second] = bed.log();
        expect([first!.method, second!.method, second!.body], String(code)).toEqual(['POST', method, method === 'POST' ? 'x=1' : '']);
      }
    });
    it('follows an absolute Location to another server', async () => {
      const r = await text(client(), `${bed.edge}/goto/302?${bed.http}/hello.txt`);
      expect(r.body).toBe('hello\n');
    });
  });

  describe('authentication', () => {
    it('answers a Basic challenge with the credentials, and sends them up front when asked', async () => {
      bed.clearLog();
      const c = client();
      expect((await text(c, `${bed.edge}/auth/u/p/x`, { auth: { user: 'u', password: 'p' } })).body).toBe('secret for u\n');
      const [challenge, answer] = bed.log();
      expect(headerOf(challenge!, 'authorization')).toBeUndefined();
      expect(headerOf(answer!, 'authorization')).toBe('Basic dTpw');
      expect(answer!.conn).toBe(challenge!.conn); // the same connection
      bed.clearLog();
      await text(c, `${bed.edge}/auth/u/p/x`, { auth: { user: 'u', password: 'p' }, preemptiveAuth: true });
      expect(bed.log()).toHaveLength(1);
    });
    it('takes credentials from the URL, and returns the 401 when they are wrong', async () => {
      expect((await text(client(), `http://u:p@${bed.edge.slice(7)}/auth/u/p/x`)).status).toBe(200);
      expect((await text(client(), `${bed.edge}/auth/u/p/x`, { auth: { user: 'u', password: 'bad' } })).status).toBe(401);
      expect((await text(client(), `${bed.edge}/auth/u/p/x`)).status).toBe(401);
    });
  });

  describe('failures, timeouts and retries', () => {
    it('reports a refused connection, and retries it only when asked', async () => {
      const url = `http://127.0.0.1:${bed.closedPort}/x`;
      const refused = await failure(client({ tries: 3 }).request(url));
      expect([refused.kind, refused.detail.code, refused.detail.address]).toEqual(['connect', 'ECONNREFUSED', '127.0.0.1']);
      const events: HttpEvent[] = [];
      await failure(client({ tries: 3, retryConnRefused: true, onEvent: (e) => events.push(e) }).request(url));
      expect(events.filter((e) => e.type === 'retry').map((e) => (e as { attempt: number }).attempt)).toEqual([2, 3]);
    });
    it('times out a connection that is never accepted', async () => {
      const err = await failure(client({ timeout: 300 }).request(`http://127.0.0.1:${bed.blackholePort}/x`));
      expect([err.kind, err.detail.code]).toEqual(['timeout', 'ETIMEDOUT']);
    });
    it('reports a name that does not resolve', async () => {

      const err = await failure(client().request('http://nonexistent.invalid/x'));
      expect([err.kind, err.detail.host]).toEqual(['dns', 'nonexistent.invalid']);
    });
    it('times out a server that never answers, and one that stalls mid-body', async () => {
      const c = client({ timeout: 300 });
      expect((await failure(c.request(`${bed.edge}/hang`))).kind).toBe('timeout');
      const r = await c.request(`${bed.edge}/d/size=1000,stall=500/s`);
      const err = await failure(readAll(r.body));
      expect([err.kind, err.detail.received, err.detail.expected]).toEqual(['timeout', 500, 1000]);
    });
    it('detects a short body, and resumes it with Range when attempts remain', async () => {
      const short = await client().request(`${bed.edge}/d/size=1000,truncate=500/t`);
      const err = await failure(readAll(short.body));
      expect([err.kind, err.detail.received, err.detail.expected]).toEqual(['closed', 500, 1000]);
      bed.clearLog();
      const events: HttpEvent[] = [];
      const r = await client({ tries: 2, onEvent: (e) => events.push(e) }).request(`${bed.edge}/d/size=1000,truncate=500/t`);
      expect((await readAll(r.body)).equals(patternBytes(1000))).toBe(true);
      expect(bed.log().map((e) => headerOf(e, 'range'))).toEqual([undefined, 'bytes=500-']);
      expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    });
    it('resumes after a stall on the descriptor path too', async () => {
      const dir = tempDir();
      const fd = fs.openSync(path.join(dir, 'out'), 'w');
      const r = await client({ tries: 2, timeout: 300 }).request(`${bed.edge}/d/size=100000,stall=40000/s2`);
      await r.body.pipeTo(new FdSink(fd, true));
      expect(fs.readFileSync(path.join(dir, 'out')).equals(patternBytes(100000))).toBe(true);
    });
    it('skips what it has when the server ignores Range on a resumption', async () => {
      const r = await client({ tries: 2 }).request(`${bed.edge}/d/size=3000,truncate=1200,norange,once/n`);
      expect((await readAll(r.body)).equals(patternBytes(3000))).toBe(true);
    });
    it('reports a connection dropped before any answer', async () => {
      const err = await failure(client().request(`${bed.edge}/drop`));
      expect(err.kind).toBe('closed');
      expect(err.detail.received).toBeUndefined();
    });
    it('stops when the signal aborts', async () => {
      const controller = new AbortController();
      const c = client({ signal: controller.signal, timeout: 0 });
      setTimeout(() => controller.abort(), 100);
      expect((await failure(c.request(`${bed.edge}/hang`))).kind).toBe('aborted');
      const again = new AbortController();
      const r = await client({ signal: again.signal, timeout: 0 }).request(`${bed.edge}/d/size=1000,stall=500/s3`);
      setTimeout(() => again.abort(), 100);
      expect((await failure(r.body.pipeTo(new MemorySink()))).kind).toBe('aborted');

    });
  });

  describe('ranges', () => {
    it('resumes from an offset (206) and tells when the server ignores it (200)', async () => {
      const c = client();
      const partial = await c.request(`${bed.http}/big.bin`, { offset: 1000 });
      expect([partial.status, partial.offset, partial.size]).toEqual([206, 1000, 3 * 1024 * 1024 + 17]);
      expect((await readAll(partial.body)).equals(patternBytes(3 * 1024 * 1024 + 17).subarray(1000))).toBe(true);
      const ignored = await c.request(`${bed.edge}/d/size=100,norange/x`, { offset: 10 });
      expect([ignored.status, ignored.offset, ignored.size]).toEqual([200, 0, 100]);
      ignored.body.skip(10); // continue anyway: drop what we have
      expect((await readAll(ignored.body)).equals(patternBytes(100).subarray(10))).toBe(true);
      expect(ignored.body.received).toBe(90);

      const past = await c.request(`${bed.http}/hello.txt`, { offset: 6 });
      expect([past.status, past.size]).toEqual([416, 6]);
      await past.body.discard();
    });
  });

  describe('TLS', () => {
    it('verifies against extra CA files or SSL_CERT_FILE, and rejects an unknown CA', async () => {
      expect((await text(client({ caFiles: [bed.caFile] }), `${bed.https}/hello.txt`)).body).toBe('hello\n');
      expect((await text(client({ env: new Env({ SSL_CERT_FILE: bed.caFile }) }), `${bed.https}/hello.txt`)).body).toBe('hello\n');
      const untrusted = await failure(client().request(`${bed.https}/hello.txt`));
      expect(untrusted.kind).toBe('certificate');
    });
    it('reuses a TLS connection for the next request', async () => {
      const events: HttpEvent[] = [];
      const c = client({ caFiles: [bed.caFile], onEvent: (e) => events.push(e) });
      for (let i = 0; i < 3; i++) expect((await text(c, `${bed.https}/hello.txt`)).body).toBe('hello\n');
      expect(events.filter((e) => e.type === 'connect')).toHaveLength(1);
    });
    it('checks the name (IP SANs included), over IPv6 too', async () => {

      if (bed.https6) expect((await text(client({ caFiles: [bed.caFile] }), `${bed.https6}/hello.txt`)).body).toBe('hello\n');
      const wrong = await failure(client({ caFiles: [bed.caFile] }).request(`${bed.httpsWrongName}/hello.txt`));
      expect([wrong.kind, wrong.detail.code]).toEqual(['certificate', 'ERR_TLS_CERT_ALTNAME_INVALID']);
    });
    it('accepts anything when told to, and reports a server that does not speak TLS', async () => {
      const c = client({ insecure: true });
      expect((await text(c, `${bed.httpsWrongName}/hello.txt`)).body).toBe('hello\n');
      expect((await text(c, `${bed.https}/hello.txt`)).body).toBe('hello\n');
      expect((await failure(c.request(`https://${bed.http.slice(7)}/hello.txt`))).kind).toBe('tls');
    });
  });

  describe('proxies', () => {
    it('sends http requests through http_proxy with the absolute URL and proxy credentials', async () => {
      bed.clearLog();
      const proxy = bed.edge.replace('http://', 'http://pu:pp@');
      const r = await text(client({ env: new Env({ http_proxy: proxy }) }), `${bed.http}/hello.txt`);
      expect(r.body).toBe('hello\n');
      const [entry] = bed.log();
      expect(entry!.target).toBe(`${bed.http}/hello.txt`);
      expect(headerOf(entry!, 'proxy-connection')).toBe('Keep-Alive');
      expect(headerOf(entry!, 'proxy-authorization')).toBe('Basic cHU6cHA=');
    });
    it('tunnels https through https_proxy with CONNECT', async () => {
      bed.clearLog();
      const r = await text(client({ env: new Env({ https_proxy: bed.edge }), caFiles: [bed.caFile] }), `${bed.https}/hello.txt`);
      expect(r.body).toBe('hello\n');
      expect(bed.log().map((e) => [e.method, e.target])).toEqual([['CONNECT', bed.https.slice(8)]]);
    });
    it('honours no_proxy, -Y off, and reads upper-case names only when asked', async () => {
      bed.clearLog();
      const host = '127.0.0.1';
      await text(client({ env: new Env({ http_proxy: bed.edge, no_proxy: `example.com, ${host}` }) }), `${bed.http}/hello.txt`);
      await text(client({ env: new Env({ http_proxy: bed.edge }), useProxy: false }), `${bed.http}/hello.txt`);
      await text(client({ env: new Env({ HTTP_PROXY: bed.edge }) }), `${bed.http}/hello.txt`);
      expect(bed.log()).toEqual([]);
      await text(client({ env: new Env({ HTTP_PROXY: bed.edge }), upperCaseProxyVariables: true }), `${bed.http}/hello.txt`);
      expect(bed.log()).toHaveLength(1);
    });
    it.skipIf(!hasTool('tinyproxy'))('works through tinyproxy, plain and tunnelled', async () => {
      const env = new Env({ http_proxy: bed.proxy!, https_proxy: bed.proxy! });
      const c = client({ env, caFiles: [bed.caFile] });
      expect((await text(c, `${bed.http}/hello.txt`)).body).toBe('hello\n');
      expect((await text(c, `${bed.https}/hello.txt`)).body).toBe('hello\n');
    });
    it('matches no_proxy entries as hosts and domain suffixes', () => {
      expect(noProxyMatches('example.com', 'a.example.com')).toBe(true);
      expect(noProxyMatches('example.com', 'example.com')).toBe(true);
      expect(noProxyMatches('example.com', 'badexample.com')).toBe(false);
      expect(noProxyMatches('.example.com', 'example.com')).toBe(true);
      expect(noProxyMatches('*', 'anything')).toBe(true);
      expect(noProxyMatches('10.0.0.1, localhost:8080', 'localhost')).toBe(true);
    });
  });

  it('rejects URLs it cannot fetch', async () => {
    await expect(client().request('ftp://example.com/x')).rejects.toBeInstanceOf(UrlError);
    await expect(client().request('http://[::1/x')).rejects.toBeInstanceOf(UrlError);
  });
});
