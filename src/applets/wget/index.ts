// wget: GNU Wget's results (files, bytes, exit statuses 0–8) in BusyBox's style (its option letters,
// its short messages and progress bar). Measured behaviour: ../shared/specs/wget.md.
//
// Files are written in place under their final name, not through a temporary name and a rename:
// a failed download must stay where `wget -c` finds it to resume (both references do the same).
import * as fs from 'node:fs';
import { defineApplet } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, BrokenPipe, errorCode, strerror, UsageError } from '../../core/errors.js';
import { joinPath } from '../../core/fs.js';
import { HttpClient, HttpError, type HttpEvent, type HttpResponse, type RequestBody } from '../../core/http.js';
import { FdSink, readAll, type ByteSink } from '../../core/io.js';
import type { OptsOf as OptionsOf } from '../../core/options.js';
import { formatUrl, parseUrl, type Url, UrlError } from '../../core/url.js';
import { dispositionFileName, urlFileName } from './names.js';
import { ProgressMeter } from './progress.js';

/** GNU Wget's exit statuses. */
const EXIT = { ok: 0, generic: 1, parse: 2, io: 3, network: 4, tls: 5, auth: 6, protocol: 7, server: 8 } as const;

const options = {
  O: { long: 'output-document', arg: 'string' },
  o: { long: 'output-file', arg: 'string' },
  q: { long: 'quiet' },
  c: { long: 'continue' },
  P: { long: 'directory-prefix', arg: 'string' },
  S: { long: 'server-response' },
  U: { long: 'user-agent', arg: 'string' },
  T: { long: 'timeout', arg: 'string' },
  t: { long: 'tries', arg: 'string' },
  Y: { long: 'proxy', arg: 'string' },
  n: { arg: 'list' },
  i: { long: 'input-file', arg: 'list' },
  e: { long: 'execute', arg: 'list' },
  header: { arg: 'list' },
  'post-data': { arg: 'string' },
  'post-file': { arg: 'string' },
  method: { arg: 'string' },
  'body-data': { arg: 'string' },
  'body-file': { arg: 'string' },
  spider: {},
  'no-check-certificate': {},
  'ca-certificate': { arg: 'string' },
  'no-proxy': {},
  user: { long: 'http-user', arg: 'string' },
  password: { long: 'http-password', arg: 'string' },
  'max-redirect': { arg: 'string' },
  waitretry: { arg: 'string' },
  'retry-connrefused': {},
  'content-disposition': {},
  'no-verbose': {},
  'no-clobber': {},
  'no-host-directories': {},
  'no-parent': {},
} as const;

type Verbosity = 'quiet' | 'brief' | 'normal';

interface Settings {
  verbosity: Verbosity;
  /** -O: a file all bodies go to, `-` for standard output. */
  output?: string;
  /** -o: the log file. */
  logFile?: string;
  resume: boolean;
  noClobber: boolean;
  prefix?: string;
  serverResponse: boolean;
  spider: boolean;
  contentDisposition: boolean;
  userAgent: string;
  headers: [string, string][];
  method?: string;
  /** The request body: --post-data/--body-data text, or --post-file/--body-file. */
  bodyData?: string;
  bodyFile?: string;
  timeoutMs: number;
  tries: number;
  waitRetry: number;
  retryConnRefused: boolean;
  maxRedirects: number;
  useProxy: boolean;
  insecure: boolean;
  caFiles: string[];
  user?: string;
  password?: string;
  inputFiles: string[];
}

export default defineApplet({
  name: 'wget',
  summary: 'Retrieve files via HTTP or HTTPS',
  usage: 'wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR] [--post-data STR | --post-file FILE] [-Y on/off] [--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] [-t TRIES] [-i FILE] URL...',
  help: [
    '-c, --continue\t\tContinue retrieval of aborted transfer',
    '-q, --quiet\t\tQuiet',
    '-nv, --no-verbose\tOne line per file',
    '-S, --server-response\tShow server response',
    '-O, --output-document FILE\tSave to FILE (\'-\' for stdout)',
    '-o, --output-file FILE\tLog messages to FILE',
    '-P, --directory-prefix DIR\tSave to DIR (default .)',
    '-nc, --no-clobber\tKeep an existing file, do not download it again',
    '-i, --input-file FILE\tDownload the URLs listed in FILE (\'-\' for stdin)',
    '-U, --user-agent STR\tUse STR for User-Agent header',
    '--header \'NAME: VALUE\'\tAdd a request header',
    '--post-data STR\t\tSend STR using POST method',
    '--post-file FILE\tSend FILE using POST method',
    '--method METHOD\t\tUse METHOD (GET, POST, PUT, DELETE ...)',
    '--spider\t\tOnly check URL existence: $? is 0 if exists',
    '--user USER, --password PASS\tHTTP Basic credentials',
    '-T, --timeout SEC\tNetwork read timeout (default 900)',
    '-t, --tries N\t\tAttempts on network failures (default 20, 0 or inf: no limit)',
    '--waitretry SEC\t\tWait 1..SEC seconds between attempts (default 10)',
    '--retry-connrefused\tRetry even if the connection is refused',
    '--max-redirect N\tFollow at most N redirections (default 20)',
    '-Y, --proxy on/off\tUse proxy (http_proxy, https_proxy, no_proxy)',
    '--no-proxy\t\tDo not use a proxy',
    '--no-check-certificate\tDon\'t validate the server\'s certificate',
    '--ca-certificate FILE\tAlso trust the CAs in FILE',
    '--content-disposition\tName the file as Content-Disposition says',
    '-e, --execute CMD\tRun a wgetrc command (robots=off ...)',
    '-nH, -np\t\tAccepted, ignored (no recursion)',
  ].join('\n'),
  style: 'busybox',
  usageStatus: EXIT.parse,
  options,
  async run(ctx) {
    const settings = parseSettings(ctx);
    return new Wget(ctx, settings).run();
  },
});

// ---------------------------------------------------------------------------------------------
// Command line.

function parseSettings(ctx: Ctx<OptsOf>): Settings {
  const o = ctx.opts;
  let verbosity: Verbosity = o.q ? 'quiet' : 'normal';
  let noClobber = !!o['no-clobber'];
  if (o['no-verbose'] && verbosity === 'normal') verbosity = 'brief';
  for (const letters of o.n ?? []) {
    for (const letter of letters) {
      if (letter === 'v') {
        if (verbosity === 'normal') verbosity = 'brief';
      } else if (letter === 'c') noClobber = true;
      else if (!'Hpd'.includes(letter)) throw new UsageError(`invalid option -- 'n${letters}'`, EXIT.generic);
    }
  }
  const s: Settings = {
    verbosity,
    output: o.O,
    logFile: o.o,
    resume: !!o.c,
    noClobber,
    prefix: o.P,
    serverResponse: !!o.S,
    spider: !!o.spider,
    contentDisposition: !!o['content-disposition'],
    userAgent: o.U ?? 'Wget',
    headers: [],
    method: o.method?.toUpperCase(),
    bodyData: o['post-data'] ?? o['body-data'],
    bodyFile: o['post-file'] ?? o['body-file'],
    timeoutMs: o.T === undefined ? 900_000 : seconds('--timeout', o.T) * 1000,
    tries: o.t === undefined ? 20 : count('--tries', o.t),
    waitRetry: o.waitretry === undefined ? 10 : seconds('--waitretry', o.waitretry),
    retryConnRefused: !!o['retry-connrefused'],
    maxRedirects: o['max-redirect'] === undefined ? 20 : count('--max-redirect', o['max-redirect']),
    useProxy: !o['no-proxy'] && (o.Y === undefined || boolean('--proxy', o.Y)),
    insecure: !!o['no-check-certificate'],
    caFiles: o['ca-certificate'] === undefined ? [] : [o['ca-certificate']],
    user: o.user,
    password: o.password,
    inputFiles: o.i ?? [],
  };
  for (const h of o.header ?? []) {
    if (h === '') s.headers = []; // GNU: --header= clears the list
    else {
      const colon = h.indexOf(':');
      if (colon <= 0) throw new AppletError(`--header: Invalid header '${h}'.`, EXIT.parse);
      s.headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    }
  }
  for (const command of o.e ?? []) execute(s, command);
  if (s.method !== undefined && (o['post-data'] !== undefined || o['post-file'] !== undefined)) {
    throw new AppletError('You cannot use --post-data or --post-file along with --method. --method expects data through --body-data and --body-file options', EXIT.generic);
  }
  if (s.method === undefined && (s.bodyData !== undefined || s.bodyFile !== undefined)) s.method = 'POST';
  if (s.output === '-') s.resume = false;
  return s;
}

type OptsOf = OptionsOf<typeof options>;

function seconds(option: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([smhd]?)\s*$/i.exec(value);
  if (!m) throw new AppletError(`${option}: Invalid time period '${value}'`, EXIT.parse);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]!.toLowerCase()]!;
  return Number(m[1]) * unit;
}

function count(option: string, value: string): number {
  if (/^\s*inf\s*$/i.test(value)) return 0;
  if (!/^\s*\d+\s*$/.test(value)) throw new AppletError(`${option}: Invalid number '${value}'.`, EXIT.parse);
  return Number(value);
}

function boolean(option: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['on', 'yes', '1'].includes(v)) return true;
  if (['off', 'no', '0'].includes(v)) return false;
  throw new AppletError(`${option}: Invalid boolean '${value}'; use 'on' or 'off'.`, EXIT.parse);
}

/** A wgetrc command given with -e. Names ignore case, `-` and `_`, as Wget's do. robots is accepted
 *  and ignored (there is no recursion to obey it in). */
function execute(s: Settings, command: string): void {
  const m = /^\s*([A-Za-z_-]+)\s*=\s*(.*?)\s*$/.exec(command);
  const name = m?.[1]!.toLowerCase().replace(/[-_]/g, '');
  const value = m?.[2] ?? '';
  const option = `-e ${m?.[1] ?? command}`;
  switch (name) {
    case 'robots':
      boolean(option, value);
      return;
    case 'useproxy':
      s.useProxy = boolean(option, value);
      return;
    case 'checkcertificate':
      s.insecure = !boolean(option, value);
      return;
    case 'cacertificate':
      s.caFiles.push(value);
      return;
    case 'tries':
      s.tries = count(option, value);
      return;
    case 'timeout':
    case 'readtimeout':
      s.timeoutMs = seconds(option, value) * 1000;
      return;
    case 'waitretry':
      s.waitRetry = seconds(option, value);
      return;
    case 'maxredirect':
      s.maxRedirects = count(option, value);
      return;
    case 'retryconnrefused':
      s.retryConnRefused = boolean(option, value);
      return;
    case 'contentdisposition':
      s.contentDisposition = boolean(option, value);
      return;
    case 'useragent':
      s.userAgent = value;
      return;
    case 'continue':
      s.resume = boolean(option, value);
      return;
    case 'noclobber':
      s.noClobber = boolean(option, value);
      return;
    case 'quiet':
      if (boolean(option, value)) s.verbosity = 'quiet';
      return;
    case 'serverresponse':
      s.serverResponse = boolean(option, value);
      return;
    default:
      throw new AppletError(`Invalid --execute command '${command}'`, EXIT.parse);
  }
}

// ---------------------------------------------------------------------------------------------
// One run: every URL in turn, on one client (so one kept-alive connection per host).

/** Where a body goes. */
interface Target {
  /** The name in messages (-nv shows `-` for standard output). */
  name: string;
  sink: ByteSink;
  /** Whether wget opened it (and closes it). */
  owned: boolean;
}

class Wget {
  private log: ByteSink;
  private logOwned = false;
  private client!: HttpClient;
  /** The -O file, opened at the first body and shared by all. */
  private shared: Target | undefined;
  private progress: ProgressMeter | undefined;
  private status: number = EXIT.ok;

  constructor(
    private readonly ctx: Ctx<OptsOf>,
    private readonly s: Settings,
  ) {
    this.log = ctx.stderr;
  }

  async run(): Promise<number> {
    const { ctx, s } = this;
    try {
      if (s.logFile !== undefined) {
        try {
          this.log = new FdSink(fs.openSync(fsPath(ctx.path(s.logFile)), 'w', 0o666), true);
        } catch (err) {
          throw new AppletError(`${s.logFile}: ${strerror(errorCode(err) ?? 'EIO')}`, EXIT.generic);
        }
        this.logOwned = true;
      }
      const urls = [...ctx.operands];
      for (const file of s.inputFiles) urls.push(...(await this.readInputFile(file)));
      if (urls.length === 0) {
        if (s.inputFiles.length) return this.status;
        throw new UsageError('missing URL', EXIT.generic);
      }
      const body = this.requestBody();
      this.client = new HttpClient({
        env: ctx.env,
        useProxy: s.useProxy,
        caFiles: s.caFiles.map((f) => ctx.path(f)),
        insecure: s.insecure,
        timeout: s.timeoutMs,
        tries: s.tries,
        retryConnRefused: s.retryConnRefused,
        waitRetry: s.waitRetry,
        userAgent: s.userAgent,
        signal: ctx.signal,
        onEvent: (event) => this.onEvent(event),
      });
      for (const url of urls) this.record(await this.fetch(url, body));
      return this.status;
    } catch (err) {
      if (err instanceof AppletError && err.status === EXIT.io) {
        await this.error(err.message);
        return err.status;
      }
      throw err;
    } finally {
      this.progress?.stop();
      this.client?.close();
      if (this.shared?.owned) await this.shared.sink.close().catch(() => {});
      if (this.logOwned) await this.log.close().catch(() => {});
    }
  }

  /** GNU's rule for several URLs: the lowest non-zero status wins, but a generic error (1) only
   *  when nothing else failed. */
  private record(status: number): void {
    const rank = (n: number) => (n === EXIT.generic ? 99 : n);
    if (status !== EXIT.ok && (this.status === EXIT.ok || rank(status) < rank(this.status))) this.status = status;
  }

  private async readInputFile(file: string): Promise<string[]> {
    let text: string;
    if (file === '-') text = (await readAll(this.ctx.stdin)).toString('latin1');
    else {
      try {
        text = fs.readFileSync(fsPath(this.ctx.path(file))).toString('latin1');
      } catch (err) {
        await this.error(`${file}: ${strerror(errorCode(err) ?? 'EIO')}`);
        this.record(EXIT.io);
        return [];
      }
    }
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  /** The body to send: given data (as a form, Wget's default type), or an empty one for methods that
   *  carry a body (GNU sends `Content-Length: 0` for them). */
  private requestBody(): RequestBody | undefined {
    const { s, ctx } = this;
    const type = 'application/x-www-form-urlencoded';
    if (s.bodyData !== undefined) return { data: s.bodyData, type };
    if (s.bodyFile !== undefined) {
      try {
        return { data: fs.readFileSync(fsPath(ctx.path(s.bodyFile))), type };
      } catch (err) {
        throw new AppletError(`${s.bodyFile}: ${strerror(errorCode(err) ?? 'EIO')}`, EXIT.io);
      }
    }
    return s.method !== undefined && ['POST', 'PUT', 'PATCH'].includes(s.method) ? { data: '' } : undefined;
  }

  // --- messages -------------------------------------------------------------------------------

  private async say(text: string): Promise<void> {
    if (this.s.verbosity === 'normal') await this.write(`${text}\n`);
  }

  private async error(text: string): Promise<void> {
    if (this.s.verbosity !== 'quiet') await this.write(`wget: ${text}\n`);
  }

  private async write(text: string): Promise<void> {
    try {
      await this.log.write(text);
    } catch (err) {
      if (!(err instanceof BrokenPipe)) throw err;
    }
  }

  private writeNow(text: string): void {
    this.log.write(text).catch(() => {});
  }

  private onEvent(event: HttpEvent): void {
    const { s } = this;
    if (event.type === 'connect' && s.verbosity === 'normal') {
      // BusyBox: the host as the URL has it (port only if given), then the address connected to.
      const address = event.address.includes(':') ? `[${event.address}]` : event.address;
      this.writeNow(`Connecting to ${event.authority} (${address}:${event.port})\n`);
    } else if (event.type === 'response' && s.serverResponse) {
      // GNU prints the server's answer even with -q: it was asked for.
      const lines
 = event.statusLine ? [event.statusLine, ...event.headerLines] : [];
      this.writeNow(lines.map((l) => `  ${l}\n`).join(''));
    } else if (event.type === 'retry' && s.verbosity === 'normal') {
      this.writeNow(`wget: ${describe(event.error)}; retrying\n`);
    }
  }

  // --- one URL ---------------------------------------------------------------------------------

  private async fetch(text: string, body: RequestBody | undefined): Promise<number> {
    const { s, ctx } = this;
    let url: Url;
    try {
      url = parseUrl(text);
    } catch (err) {
      if (!(err instanceof UrlError)) throw err;
      await this.error(err.scheme !== undefined ? `not an http or https url: ${text}` : `${text}: ${err.message}`);
      return EXIT.generic;
    }
    // `path` is the file as the user names it (-O FILE, or -P DIR and the URL's name); file
    // operations resolve it against the working directory.
    const toStdout = s.output === '-';
    let path: string | undefined;
    if (!s.spider && !toStdout) {
      path = s.output ?? this.localName(urlFileName(url));
      if (s.noClobber && (s.output === undefined || !this.shared) && exists(ctx.path(path))) {
        await this.say(`File '${path}' already there; not retrieving.`);
        return s.output !== undefined ? EXIT.generic : EXIT.ok;
      }
    }
    let offset = 0;
    if (s.resume && path !== undefined && !(s.output !== undefined && this.shared)) offset = regularSize(ctx.path(path));

    let response: HttpResponse;
    let progressBegin = offset;
    try {
      response = await this.client.request(url, {
        method: s.method ?? (s.spider ? 'HEAD' : 'GET'),
        headers: s.headers,
        body,
        auth: s.user !== undefined || s.password !== undefined ? { user: s.user ?? '', password: s.password ?? '' } : undefined,
        maxRedirects: s.maxRedirects,
        offset,
        onProgress: (received) => this.progress?.update(received),
      });
    } catch (err) {
      return this.failure(err);
    }

    const { status } = response;
    if (offset > 0 && status === 416) {
      await response.body.discard();
      await this.say('The file is already fully retrieved; nothing to do.');
      return EXIT.ok;
    }
    if (status < 200 || status > 299) {
      await response.body.discard();
      await this.error(`server returned error: ${response.statusLine}`);
      return status === 401 || status === 407 ? EXIT.auth : EXIT.server;
    }
    if (s.spider) {
      await response.body.discard();
      await this.say('remote file exists');
      return EXIT.ok;
    }
    if (status === 204) return EXIT.ok; // no content: GNU writes no file

    // Resuming: a 206 continues where the file ends; a server that ignored Range sent everything,
    // so its first `offset` bytes are dropped (GNU keeps what the file has and appends the rest).
    const append = offset > 0 && (status === 200 || status === 206);
    if (append) {
      const behind = offset - response.offset;
      if (behind < 0) {
        response.body.close();
        await this.error(`bad response: range from byte ${response.offset}, not ${offset}`);
        return EXIT.protocol;
      }
      response.body.skip(behind);
    } else progressBegin = 0;

    if (s.contentDisposition && s.output === undefined) {
      const disposition = response.header('content-disposition');
      const name = disposition === undefined ? undefined : dispositionFileName(disposition);
      if (name !== undefined) path = this.localName(name);
    }
    let target: Target;
    try {
      target = this.open(path, append);
    } catch (err) {
      response.body.close();
      await this.error(`${path}: ${strerror(errorCode(err) ?? 'EIO')}`);
      return s.output !== undefined ? EXIT.generic : EXIT.io;
    }
    return this.save(url, response, target, progressBegin);
  }

  /** An automatic name, under -P's directory if given. */
  private localName(name: string): string {
    return this.s.prefix !== undefined ? joinPath(this.s.prefix, name) : name;
  }

  /** Open the body's destination: standard output, the shared -O file, or a file of its own (a
   *  fresh NAME.1, NAME.2 … when NAME is taken, unless -c). */
  private open(path: string | undefined, append: boolean): Target {
    const { s, ctx } = this;
    if (path === undefined) return { name: '-', sink: ctx.stdout, owned: false };
    const file = (name: string, flags: string) => new FdSink(fs.openSync(fsPath(ctx.path(name)), flags, 0o666), true);
    if (s.output !== undefined) {
      this.shared ??= { name: s.output, sink: file(path, append ? 'a' : 'w'), owned: true };
      return { ...this.shared, owned: false };
    }
    const slash = path.lastIndexOf('/');
    if (s.prefix !== undefined && slash > 0) fs.mkdirSync(fsPath(ctx.path(path.slice(0, slash))), { recursive: true });
    if (s.resume) return { name: path, sink: file(path, append ? 'a' : 'w'), owned: true };
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? path : `${path}.${n}`;
      try {
        return { name: candidate, sink: file(candidate, 'wx'), owned: true };
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
    }
  }

  private async save(url: Url, response: HttpResponse, target: Target, begin: number): Promise<number> {
    const { s, ctx } = this;
    const shown = target.name;
    await this.say(target.name === '-' ? 'writing to stdout' : `saving to '${shown}'`);
    if (s.verbosity === 'normal' && s.logFile === undefined) {
      const tty = ctx.isTTY(2);
      this.progress = new ProgressMeter({
        write: (text) => this.writeNow(text),
        tty,
        columns: terminalWidth(ctx, tty),
        name: shown === '-' ? '-' : shown.slice(shown.lastIndexOf('/') + 1),
        begin,
        total: response.size,
      });
    }
    let received: number;
    try {
      received = await response.body.pipeTo(target.sink);
    } catch (err) {
      this.progress?.abort();
      this.progress = undefined;

      if (err instanceof HttpError) return this.failure(err);
      if (err instanceof BrokenPipe) throw err;
      await this.error(`${shown}: ${strerror(errorCode(err) ?? 'EIO')}`);
      return EXIT.io;
    } finally {
      if (target.owned) await target.sink.close().catch(() => {});
    }
    this.progress?.finish(received);
    this.progress = undefined;
    await this.say(target.name === '-' ? 'written to stdout' : `'${shown}' saved`);
    if (s.verbosity === 'brief') {
      const size = response.size !== undefined ? `${begin + received}/${response.size}` : `${begin + received}`;
      await this.write(`${timestamp(ctx)} URL:${formatUrl(url)} [${size}] -> "${shown}" [1]\n`);
    }
    return EXIT.ok;
  }

  private async failure(err: unknown): Promise<number> {
    if (!(err instanceof HttpError)) {
      if (err instanceof UrlError) {
        await this.error(err.scheme !== undefined ? `not an http or https url: ${err.url}` : `${err.url}: ${err.message}`);
        return EXIT.generic;
      }
      throw err;
    }
    await this.error(describe(err));
    return exitStatus(err);
  }
}

/** Our words for a failure (BusyBox's where it has them). */
function describe(err: HttpError): string {
  const { code, host, address, received, status } = err.detail;
  switch (err.kind) {
    case 'dns':
      return `bad address '${host}'`;
    case 'connect':
      return `can't connect to remote host (${address}): ${strerror(code ?? 'ECONNREFUSED')}`;
    case 'timeout':
      return 'download timed out';
    case 'closed':
      if (received === undefined) return code ? `error getting response: ${strerror(code)}` : 'error getting response';
      return 'connection closed prematurely';
    case 'certificate':
      if (code?.startsWith('E') && !code.startsWith('ERR_')) return err.message; // an unreadable CA file
      if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {

        return `the certificate of '${host}' does not match the host name`;
      }
      // Node appends advice about its own flags after a semicolon: not for our users.
      return `the certificate of '${host}' is not trusted: ${err.message.replace(/;.*$/, '')}`;
    case 'tls':
      return `can't establish TLS connection to '${host}': ${err.message}`;
    case 'redirect':
      return status !== undefined && /without location/.test(err.message) ? `redirection (${status}) without location` : 'too many redirections';
    case 'proxy':
      return err.message;
    case 'protocol':
      return `bad response: ${err.message}`;
    case 'aborted':
      return 'interrupted';
  }
}

function exitStatus(err: HttpError): number {
  switch (err.kind) {
    case 'certificate':
      return EXIT.tls;
    case 'protocol':
      return EXIT.protocol;
    case 'redirect':
      return EXIT.server;
    case 'aborted':
      return 130;
    default:
      return EXIT.network;
  }
}

/** BusyBox's rule for stderr's width: COLUMNS if set, else the terminal's, else 80. */
function terminalWidth(ctx: Ctx<OptsOf>, tty: boolean): number {
  const env = ctx.env.get('COLUMNS');
  const width = env !== undefined ? Number.parseInt(env, 10) : tty ? (ctx.host.terminalSize(2)?.columns ?? 0) : 0;
  return width > 1 && width < 30000 ? width : 80;
}

function exists(path: string): boolean {
  try {
    fs.lstatSync(fsPath(path));
    return true;
  } catch {
    return false;
  }
}

/** Size of an existing regular file (what -c resumes from); 0 otherwise. */
function regularSize(path: string): number {
  try {
    const st = fs.statSync(fsPath(path));
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

/** `YYYY-MM-DD HH:MM:SS` in the local time of the context's TZ (GNU's -nv lines). */
function timestamp(ctx: Ctx<OptsOf>): string {
  const now = new Date();
  const tz = ctx.env.get('TZ')?.replace(/^:/, '');
  if (tz) {
    try {
      const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }).formatToParts(now);
      const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
      return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
    } catch {
      // not a zone Intl knows: fall back to the process's local time
    }
  }
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p2(now.getMonth() + 1)}-${p2(now.getDate())} ${p2(now.getHours())}:${p2(now.getMinutes())}:${p2(now.getSeconds())}`;
}

