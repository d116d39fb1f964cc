// A small HTTP/1.1 server for the cases a well-behaved server never produces: redirect chains and
// loops, slow drips, stalls, truncated and chunked bodies, a server that ignores Range, an auth
// challenge, Content-Disposition, error statuses. It is also a logging forward proxy (absolute-form
// requests and CONNECT). Written on raw sockets so every byte on the wire is under the test's control,
// and run as a child process (`node test/helpers/edge-server.ts LOGFILE`), so tools spawned
// synchronously by a test can reach it. It prints `{"port":N,"port6":M}` once listening, and appends
// one JSON line per request it received to LOGFILE.
//
// Routes (OPTS is `-` or comma-separated key=value pairs):
//   /d/OPTS/NAME          SIZE (default 1000) bytes of patternBytes(SIZE); Range honoured (206/416).
//                         size=N  type=MIME  cd=FILENAME (Content-Disposition)  norange=1 (ignore Range)
//                         chunked=1  nolength=1 (no length, close at the end)  truncate=K (first full
//                         response stops after K bytes)  drip=MS (100-byte pieces MS apart)
//                         stall=K (send K bytes, then nothing)  close=1 (Connection: close)
//                         once=1 (truncate/stall only the first request for this URL)
//   /redir/CODE/N/...     CODE redirect to /redir/CODE/N-1/...; N=0 answers "redirected\n"
//   /loop                 302 to itself
//   /rel/a/b              302 with the relative Location `c`
//   /goto/CODE?URL        CODE redirect to URL (the query, verbatim)
//   /noloc                302 without Location
//   /status/CODE          that status, with a short body
//   /auth/USER/PASS/NAME  Basic auth required (401 + WWW-Authenticate first)
//   /echo...              the request as received (head and body), text/plain
//   /hang                 reads the request, never answers
//   /drop                 closes the connection without answering
//   /garbage              answers with something that is not HTTP
//   /204                  204 No Content
//   /lf                   an HTTP/1.0 answer with bare LF line ends and a folded header
//   /continue             100 and 103 interim answers before the real one

import * as fs from 'node:fs';
import * as net from 'node:net';

/** The body of /d/.../NAME: a byte pattern that does not repeat within 251 × 256 bytes. */
export function patternBytes(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = (i % 251) ^ ((i >> 8) & 0xff);
  return out;
}

interface Request {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: Buffer;
  head: string;
}

interface LogEntry {
  conn: number;
  peerPort: number;
  method: string;
  target: string;
  headers: [string, string][];
  body: string;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 204: 'No Content', 206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found',
  303: 'See Other', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  416: 'Range Not Satisfiable', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

function header(req: Request, name: string): string | undefined {
  const lower = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

function parseOpts(s: string): Map<string, string> {
  const m = new Map<string, string>();
  if (s === '-' || s === '') return m;
  for (const pair of s.split(',')) {
    const eq = pair.indexOf('=');
    m.set(eq < 0 ? pair : pair.slice(0, eq), eq < 0 ? '1' : decodeURIComponent(pair.slice(eq + 1)));
  }
  return m;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Conn {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private ended = false;
  readonly socket: net.Socket;
  readonly id: number;
  constructor(socket: net.Socket, id: number) {
    this.socket = socket;
    this.id = id;
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }
  private wake() {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }
  private async more(): Promise<boolean> {
    if (this.ended) return false;
    await new Promise<void>((r) => (this.waiting = r));
    return true;
  }
  async readRequest(): Promise<Request | null> {
    let end: number;
    while ((end = this.buf.indexOf('\r\n\r\n')) < 0) if (!(await this.more())) return null;
    const head = this.buf.subarray(0, end).toString('latin1');
    this.buf = this.buf.subarray(end + 4);
    const [requestLine, ...lines] = head.split('\r\n');
    const [method = '', target = '', version = ''] = requestLine!.split(' ');
    const headers = lines.map((l): [string, string] => {
      const colon = l.indexOf(':');
      return [l.slice(0, colon), l.slice(colon + 1).trim()];
    });
    const req: Request = { method, target, version, headers, body: Buffer.alloc(0), head: head + '\r\n\r\n' };
    const length = Number(header(req, 'content-length') ?? 0);
    while (this.buf.length < length) if (!(await this.more())) break;
    req.body = this.buf.subarray(0, length);
    this.buf = this.buf.subarray(length);
    return req;
  }
  /** Bytes received but not consumed (for a CONNECT tunnel). */
  takeRest(): Buffer {
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }
}

function write(socket: net.Socket, data: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.write(data, () => resolve());
  });
}

function responseHead(status: number, headers: [string, string | number][], reason = STATUS_TEXT[status] ?? 'Unknown'): string {
  return `HTTP/1.1 ${status} ${reason}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** A simple response with a length; returns whether the connection stays open. */
async function simple(c: Conn, req: Request, status: number, body: string | Buffer, extra: [string, string | number][] = []) {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const close = header(req, 'connection')?.toLowerCase() === 'close';
  const headers: [string, string | number][] = [['Content-Length', bytes.length], ['Content-Type', 'text/plain'], ...extra];
  if (close) headers.push(['Connection', 'close']);
  await write(c.socket, responseHead(status, headers) + (req.method === 'HEAD' ? '' : bytes.toString('latin1')));
  return !close;
}

/** How many times each target was asked for (for once=1). */
const hits = new Map<string, number>();

async function serveData(c: Conn, req: Request, opts: Map<string, string>): Promise<boolean> {
  const size = Number(opts.get('size') ?? 1000);
  const hit = (hits.get(req.target) ?? 0) + 1;
  hits.set(req.target, hit);
  const faulty = !opts.has('once') || hit === 1;
  const data = patternBytes(size);
  const headers: [string, string | number][] = [['Content-Type', opts.get('type') ?? 'application/octet-stream']];
  if (opts.has('cd')) headers.push(['Content-Disposition', `attachment; filename="${opts.get('cd')}"`]);
  let status = 200;
  let start = 0;
  const range = /^bytes=(\d+)-$/.exec(header(req, 'range') ?? '');
  if (range && !opts.has('norange')) {
    start = Number(range[1]);
    if (start >= size) {
      await write(c.socket, responseHead(416, [['Content-Range', `bytes */${size}`], ['Content-Length', 0]]));
      return true;
    }
    status = 206;
    headers.push(['Content-Range', `bytes ${start}-${size - 1}/${size}`]);
  }
  const body = data.subarray(start);
  const chunked = opts.has('chunked');
  const noLength = opts.has('nolength');
  const close = noLength || opts.has('close') || header(req, 'connection')?.toLowerCase() === 'close';
  if (chunked) headers.push(['Transfer-Encoding', 'chunked']);
  else if (!noLength) headers.push(['Content-Length', body.length]);
  if (close) headers.push(['Connection', 'close']);
  await write(c.socket, responseHead(status, headers));
  if (req.method === 'HEAD') return !close;

  // Only a full (non-range) response is cut short, so a client resuming with Range completes.
  let limit = body.length;
  if (opts.has('truncate') && status === 200 && faulty) limit = Math.min(limit, Number(opts.get('truncate')));
  const stallAt = opts.has('stall') && status === 200 && faulty ? Number(opts.get('stall')) : -1;
  const drip = Number(opts.get('drip') ?? 0);
  const piece = drip || stallAt >= 0 ? 100 : 64 * 1024;
  for (let off = 0; off < limit; ) {
    if (off === stallAt || (stallAt >= 0 && off > stallAt)) {
      await new Promise(() => {}); // stall until the client gives up and the process is killed
    }
    let n = Math.min(piece, limit - off);
    if (stallAt > off) n = Math.min(n, stallAt - off);
    const part = body.subarray(off, off + n);
    if (chunked) await write(c.socket, Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), part, Buffer.from('\r\n')]));
    else await write(c.socket, part);
    off += n;
    if (drip) await sleep(drip);
  }
  if (limit < body.length) {
    c.socket.destroy();
    return false;
  }
  if (chunked) await write(c.socket, '0\r\nX-Trailer: yes\r\n\r\n');
  if (close) {
    c.socket.end();
    return false;
  }
  return true;
}

function unauthorized(c: Conn, req: Request) {
  return simple(c, req, 401, 'authorization required\n', [['WWW-Authenticate', 'Basic realm="test"']]);
}

async function route(c: Conn, req: Request): Promise<boolean> {
  const url = new URL(req.target, 'http://placeholder');
  const parts = url.pathname.split('/').slice(1);
  switch (parts[0]) {
    case 'd':
      return serveData(c, req, parseOpts(decodeURIComponent(parts[1] ?? '-')));

    case 'redir': {
      const code = Number(parts[1]);
      const n = Number(parts[2]);
      if (n <= 0) return simple(c, req, 200, 'redirected\n');
      const rest = parts.slice(3).join('/');
      return simple(c, req, code, '', [['Location', `/redir/${code}/${n - 1}${rest ? `/${rest}` : ''}`]]);
    }
    case 'loop':
      return simple(c, req, 302, '', [['Location', '/loop']]);
    case 'rel':
      if (parts[2] === 'c') return simple(c, req, 200, 'relative ok\n');
      return simple(c, req, 302, '', [['Location', 'c']]);
    case 'goto':
      return simple(c, req, Number(parts[1]), '', [['Location', req.target.slice(req.target.indexOf('?') + 1)]]);
    case 'noloc':
      return simple(c, req, 302, 'no location\n');
    case 'status':
      return simple(c, req, Number(parts[1]), `status ${parts[1]}\n`);
    case 'auth': {
      const [user, pass] = [decodeURIComponent(parts[1] ?? ''), decodeURIComponent(parts[2] ?? '')];
      const auth = header(req, 'authorization');
      const want = `Basic ${Buffer.from(`${user}:${pass}`, 'latin1').toString('base64')}`;
      if (auth !== want) return unauthorized(c, req);
      return simple(c, req, 200, `secret for ${user}\n`);
    }
    case 'echo':
      return simple(c, req, 200, Buffer.concat([Buffer.from(req.head, 'latin1'), req.body]));
    case 'hang':
      await new Promise(() => {});
      return false;
    case 'drop':
      c.socket.destroy();
      return false;
    case 'garbage':
      await write(c.socket, 'SSH-2.0-OpenSSH_9.2\r\nthis is not http\r\n\r\n');
      c.socket.end();
      return false;
    case '204':
      await write(c.socket, responseHead(204, []));
      return true;
    case 'lf':
      await write(c.socket, 'HTTP/1.0 200 OK\nContent-Length: 3\nX-Folded: a\n b\n\nabc');
      c.socket.end();
      return false;
    case 'continue':
      await write(c.socket, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n');
      return simple(c, req, 200, 'after interim\n');
    default:
      return simple(c, req, 404, 'not found\n');
  }
}

/** Forward one absolute-form request to its origin and relay the answer; then close. */
async function forward(c: Conn, req: Request): Promise<void> {
  const url = new URL(req.target);
  const upstream = net.connect(Number(url.port || 80), url.hostname.replace(/^\[|\]$/g, ''));
  upstream.on('error', () => c.socket.destroy());
  const headers = req.headers.filter(([k]) => !/^(proxy-|connection$)/i.test(k));
  headers.push(['Connection', 'close']);
  upstream.write(`${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  upstream.write(req.body);
  upstream.pipe(c.socket);
  await new Promise((r) => upstream.on('close', r));
}

async function tunnel(c: Conn, req: Request): Promise<void> {
  const colon = req.target.lastIndexOf(':');
  const host = req.target.slice(0, colon).replace(/^\[|\]$/g, '');
  const upstream = net.connect(Number(req.target.slice(colon + 1)), host);
  upstream.on('error', () => c.socket.destroy());
  await new Promise((r) => upstream.on('connect', r));
  await write(c.socket, 'HTTP/1.1 200 Connection established\r\n\r\n');
  const rest = c.takeRest();
  if (rest.length) upstream.write(rest);
  c.socket.removeAllListeners('data');
  c.socket.pipe(upstream);
  upstream.pipe(c.socket);
  await new Promise((r) => upstream.on('close', r));
}

export function startEdgeServer(logFile: string | undefined, host = '127.0.0.1', port = 0): Promise<net.Server> {
  let nextConn = 0;
  const server = net.createServer(async (socket) => {
    const c = new Conn(socket, ++nextConn);
    socket.on('error', () => {});
    try {
      for (;;) {
        const req = await c.readRequest();
        if (!req) break;
        const entry: LogEntry = {
          conn: c.id,
          peerPort: socket.remotePort ?? 0,
          method: req.method,
          target: req.target,
          headers: req.headers,
          body: req.body.toString('latin1'),
        };
        if (logFile) fs.appendFileSync(logFile, JSON.stringify(entry) + '\n');
        if (req.method === 'CONNECT') return await tunnel(c, req);
        if (/^https?:\/\//.test(req.target)) return await forward(c, req);
        if (!(await route(c, req))) break;
      }
      socket.end();
    } catch {
      socket.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (import.meta.main) {
  const logFile = process.argv[2];
  const v4 = await startEdgeServer(logFile, '127.0.0.1');
  let port6 = 0;
  try {
    const v6 = await startEdgeServer(logFile, '::1');
    port6 = (v6.address() as net.AddressInfo).port;
  } catch {
    // no IPv6 on this machine
  }
  process.stdout.write(`${JSON.stringify({ port: (v4.address() as net.AddressInfo).port, port6 })}\n`);
}
