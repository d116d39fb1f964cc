// A loopback test bed for HTTP clients: a real nginx (HTTP and HTTPS, on 127.0.0.1 and [::1]), the
// edge-case server of edge-server.ts, and tinyproxy, each with its own configuration in a temporary
// directory, started by the test and stopped by PID. Nothing here touches the system's services.
//
// A CA made with openssl signs the HTTPS certificate (names 127.0.0.1, ::1, localhost); a second
// HTTPS server presents a certificate for another name (wrong.example), for name checks.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { tempDir } from './run.js';

export interface LogEntry {
  conn: number;
  peerPort: number;
  method: string;
  target: string;
  headers: [string, string][];
  body: string;
}

export interface TestBed {
  dir: string;
  /** nginx's document root (files written here are served). */
  www: string;
  /** http://127.0.0.1:PORT and the same server on [::1] (undefined without IPv6). */
  http: string;
  http6: string | undefined;
  https: string;
  https6: string | undefined;
  /** HTTPS whose certificate names wrong.example. */
  httpsWrongName: string;
  /** The test CA, to trust with --ca-certificate or SSL_CERT_FILE. */
  caFile: string;
  /** The edge-case server; it is also a logging forward proxy. */
  edge: string;
  edge6: string | undefined;
  /** tinyproxy, as http://127.0.0.1:PORT (undefined when not installed). */
  proxy: string | undefined;
  /** A port nothing listens on. */
  closedPort: number;
  /** A port whose listen queue is full: connecting to it hangs (for connect timeouts). */
  blackholePort: number;
  /** Requests the edge server received since the last clearLog(). */
  log(): LogEntry[];
  clearLog(): void;
  stop(): Promise<void>;
}

export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function listenOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const p = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(p));
    });
  });
}

/** A port free on 127.0.0.1 (and on ::1 when `ipv6`). */
export async function freePort(ipv6: boolean): Promise<number> {
  for (;;) {
    const port = await listenOnce(0, '127.0.0.1');
    if (!ipv6) return port;
    try {
      await listenOnce(port, '::1');
      return port;
    } catch {
      // taken on ::1: try another
    }
  }
}

async function ipv6Available(): Promise<boolean> {
  try {
    await listenOnce(0, '::1');
    return true;
  } catch {
    return false;
  }
}

async function waitForPort(port: number, child: ChildProcess, what: string, errFile?: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      const detail = errFile && fs.existsSync(errFile) ? fs.readFileSync(errFile, 'utf8') : '';
      throw new Error(`${what} exited at start: ${detail}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not start listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A throw-away CA and two server certificates (EC keys: fast to make). */
function makeCertificates(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', '/CN=toolbox test CA'], dir);
  const sign = (name: string, cn: string, san: string) => {
    openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
    fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '3', '-extfile', `${name}.ext`], dir);
  };
  sign('server', '127.0.0.1', 'IP:127.0.0.1,IP:::1,DNS:localhost');
  sign('wrong', 'wrong.example', 'DNS:wrong.example');
}

async function startNginx(dir: string, ipv6: boolean) {
  const www = path.join(dir, 'www');
  fs.mkdirSync(www, { recursive: true });
  fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const [http, https, wrong] = [await freePort(ipv6), await freePort(ipv6), await freePort(false)];
  const listen = (port: number, ssl = '') =>
    `listen 127.0.0.1:${port}${ssl}; ${ipv6 ? `listen [::1]:${port}${ssl};` : ''}`;
  const conf = `
master_process off;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi; scgi_temp_path ${dir}/tmp/scgi;
  sendfile on;
  keepalive_requests 10000;
  types { text/plain txt; text/html html; }
  default_type application/octet-stream;
  server { ${listen(http)} root ${www}; }
  server { ${listen(https, ' ssl')} root ${www};
    ssl_certificate ${dir}/server.pem; ssl_certificate_key ${dir}/server.key; }
  server { listen 127.0.0.1:${wrong} ssl; root ${www};
    ssl_certificate ${dir}/wrong.pem; ssl_certificate_key ${dir}/wrong.key; }
}
`;
  const confFile = path.join(dir, 'nginx.conf');
  fs.writeFileSync(confFile, conf);
  const errFile = path.join(dir, 'logs', 'stderr');
  const child = track(
    spawn('nginx', ['-p', `${dir}/`, '-e', `${dir}/logs/error.log`, '-c', confFile], { stdio: ['ignore', 'ignore', fs.openSync(errFile, 'w')] }),
  );

  await waitForPort(http, child, 'nginx', errFile);
  await waitForPort(https, child, 'nginx', errFile);
  return { child, www, http, https, wrong };
}

async function startEdge(logFile: string): Promise<{ child: ChildProcess; port: number; port6: number }> {
  const script = path.resolve('test/helpers/edge-server.ts');
  const child = track(spawn(process.execPath, [script, logFile], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`edge server exited (${code})`)));
  });
  const { port, port6 } = JSON.parse(line) as { port: number; port6: number };
  return { child, port, port6 };
}

/** A listener that never accepts (its process blocks), with its queue filled: further connection
 *  attempts get no answer at all, which is what a connect timeout needs. */
async function startBlackhole(): Promise<{ child: ChildProcess; port: number; fillers: net.Socket[] }> {
  const script = `const s = require('node:net').createServer();
s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  require('node:fs').writeSync(1, s.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;
  const child = track(spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] }));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('blackhole exited')));
  });
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 100));
  return { child, port, fillers };
}

async function startTinyproxy(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort(false);
  const conf = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(
    conf,
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 50', 'Allow 127.0.0.1', 'LogLevel Error',
      `LogFile "${dir}/tinyproxy.log"`, 'DisableViaHeader Yes', ''].join('\n'),
  );
  const child = track(spawn('tinyproxy', ['-d', '-c', conf], { stdio: 'ignore' }));
  await waitForPort(port, child, 'tinyproxy', path.join(dir, 'tinyproxy.log'));
  return { child, port };
}

/** Start what the tests need. nginx and openssl are required; tinyproxy optional (proxy tests skip). */
export async function startTestBed(): Promise<TestBed> {
  const dir = tempDir('toolbox-http-');
  const ipv6 = await ipv6Available();
  makeCertificates(dir);
  const logFile = path.join(dir, 'edge.log');
  fs.writeFileSync(logFile, '');
  const started: ChildProcess[] = [];
  try {
    const nginx = await startNginx(dir, ipv6);
    started.push(nginx.child);
    const edge = await startEdge(logFile);
    started.push(edge.child);
    const proxy = hasBinary('tinyproxy') ? await startTinyproxy(dir) : undefined;
    if (proxy) started.push(proxy.child);
    const closedPort = await freePort(false);
    const blackhole = await startBlackhole();
    started.push(blackhole.child);
    return {
      dir,
      www: nginx.www,
      http: `http://127.0.0.1:${nginx.http}`,
      http6: ipv6 ? `http://[::1]:${nginx.http}` : undefined,
      https: `https://127.0.0.1:${nginx.https}`,
      https6: ipv6 ? `https://[::1]:${nginx.https}` : undefined,
      httpsWrongName: `https://127.0.0.1:${nginx.wrong}`,
      caFile: path.join(dir, 'ca.pem'),
      edge: `http://127.0.0.1:${edge.port}`,
      edge6: edge.port6 ? `http://[::1]:${edge.port6}` : undefined,
      proxy: proxy ? `http://127.0.0.1:${proxy.port}` : undefined,
      closedPort,
      blackholePort: blackhole.port,
      log: () =>
        fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as LogEntry),
      clearLog: () => fs.writeFileSync(logFile, ''),
      async stop() {
        for (const s of blackhole.fillers) s.destroy();
        await Promise.all(started.map(stopChild));

        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map(stopChild));
    throw err;
  }
}

/** The header value a logged request carried. */
export function headerOf(entry: LogEntry, name: string): string | undefined {
  return entry.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}
