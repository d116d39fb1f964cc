// The state of one apk run: options, output (apk's message/warning/error conventions and
// verbosity), opening the database under --root, the lock, and fetching.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { errorCode, ExitStatus } from '../../core/errors.js';
import type { OptValues } from './cli.js';
import { Database, DEFAULT_ARCH, describeError } from './database.js';
import { ApkError, ENOENT } from './errors.js';

export interface OpenOptions {
  /** Repositories are needed (read-only commands that query them, and every commit). */
  repos: boolean;
  /** Will write: take the lock, refresh stale indexes. */
  write: boolean;
}

export class Apk {
  readonly verbosity: number;
  private pendingOut = '';
  db?: Database;
  private lockPath?: string;

  constructor(
    readonly ctx: Ctx,
    readonly opts: OptValues,
  ) {
    this.verbosity = 1 + this.count('verbose') - this.count('quiet');
  }

  has(name: string): boolean {
    return this.opts.has(name);
  }
  count(name: string): number {
    return this.opts.get(name)?.length ?? 0;
  }
  value(name: string): string | undefined {
    const v = this.opts.get(name);
    return v?.[v.length - 1];
  }
  values(name: string): string[] {
    return this.opts.get(name) ?? [];
  }

  get simulate(): boolean {
    return this.has('simulate');
  }

  /** The progress bar: on a terminal (or --progress), unless --no-progress or -q. */
  get progressEnabled(): boolean {
    if (this.has('no-progress') || this.verbosity < 1) return false;
    return this.has('progress') || this.ctx.isTTY(1);
  }

  private lastBar = -1;
  private lastPercent = -1;

  /** Draw apk's bar: `\e7 42% ####…` then restore the cursor and clear the line, so the next
   *  line of output overwrites it. */
  progress(done: number, total: number): void {
    if (!this.progressEnabled) return;
    const width = Math.max(10, (this.ctx.host.terminalSize(1)?.columns ?? 80) - 6);
    const bar = total > 0 ? Math.floor((width * done) / total) : 0;
    const percent = total > 0 ? Math.floor((100 * done) / total) : 0;
    if (bar === this.lastBar && percent === this.lastPercent) return;
    this.lastBar = bar;
    this.lastPercent = percent;
    const char = this.ctx.env.get('APK_PROGRESS_CHAR') ?? '#';
    this.out(`\x1b7${String(percent).padStart(3)}% ${char.repeat(bar)}${' '.repeat(width - bar)}\x1b8\x1b[0K`);
  }

  get root(): string {
    const r = this.value('root') ?? '/';
    return this.ctx.path(r).replace(/(.)\/+$/, '$1');
  }

  /** Text for stdout, flushed in order with stderr. */
  out(text: string): void {
    this.pendingOut += text;
    if (this.pendingOut.length > 65536) void this.flushSync();
  }

  msg(text: string): void {
    if (this.verbosity >= 1) this.out(`${text}\n`);
  }

  async flush(): Promise<void> {
    if (!this.pendingOut) return;
    const text = this.pendingOut;
    this.pendingOut = '';
    await this.ctx.stdout.write(text);
  }

  private flushSync(): Promise<void> {
    return this.flush();
  }

  async err(text: string): Promise<void> {
    await this.flush();
    await this.ctx.stderr.write(text);
  }

  async warning(text: string): Promise<void> {
    if (this.verbosity >= 0) await this.err(`WARNING: ${text}\n`);
  }

  async error(text: string): Promise<void> {
    await this.err(`ERROR: ${text}\n`);
  }

  printArch(): string {
    const root = this.root;
    try {
      return this.value('arch') ?? fs.readFileSync(fsPath(`${root === '/' ? '' : root}/etc/apk/arch`), 'latin1').split('\n')[0]!;
    } catch {
      return DEFAULT_ARCH;
    }
  }

  /** Open the database. Throws AppletError with apk's wording when the root cannot be used. */
  async open(o: OpenOptions): Promise<Database> {
    const warnings: string[] = [];
    const db = new Database({
      root: this.root,
      cwd: this.ctx.cwd,
      arch: this.value('arch'),
      keysDir: this.value('keys-dir'),
      repositoriesFile: this.value('repositories-file'),
      extraRepositories: this.values('repository'),
      allowUntrusted: this.has('allow-untrusted'),
      noCache: this.has('no-cache'),
      noNetwork: this.has('no-network'),
      updateCache: this.has('update-cache'),
      forceRefresh: this.has('force-refresh'),
      cacheMaxAge: Number(this.value('cache-max-age') ?? 240) || 0,
      cacheDir: this.value('cache-dir'),
      forceBrokenWorld: this.has('force-broken-world'),
      message: (t) => this.msg(t),
      warning: (t) => warnings.push(t),
      fetch: (url) => this.fetch(url),
    });
    this.db = db;
    if (this.has('initdb')) await this.initDb(db);
    else if (!fs.existsSync(fsPath(db.root))) {
      await this.error('Unable to open root: No such file or directory');
      await this.error('Failed to open apk database: No such file or directory');
      throw new ExitStatus(99);
    }
    if (o.write && !this.simulate) await this.lock(db);
    await db.loadConfig();
    if (o.repos) {
      await db.loadRepositories(o.write);
      for (const w of warnings) await this.warning(w);
    }
    return db;
  }

  /** --initdb: the directories, device nodes and empty files of a fresh root (spec §8). */
  private async initDb(db: Database): Promise<void> {
    const mk = (rel: string, mode = 0o755) => fs.mkdirSync(fsPath(db.path(rel)), { recursive: true, mode });
    fs.mkdirSync(fsPath(db.root), { recursive: true, mode: 0o755 }); // before tmp: its mode is not the root's
    mk('tmp', 0o1777);
    try {
      fs.chmodSync(fsPath(db.path('tmp')), 0o1777);
    } catch {
      // not ours to fix
    }
    for (const d of ['dev', 'etc/apk', 'lib/apk/db', 'var/cache/apk', 'var/cache/misc', 'proc']) mk(d);
    for (const f of ['etc/apk/world', 'lib/apk/db/installed']) {
      const p = fsPath(db.path(f));
      if (!fs.existsSync(p)) fs.writeFileSync(p, '');
    }
    if (this.value('arch') && !fs.existsSync(fsPath(db.path('etc/apk/arch'))))
      fs.writeFileSync(fsPath(db.path('etc/apk/arch')), `${this.value('arch')}\n`);
    // Node cannot mknod: the system's mknod makes the nodes apk makes, when we may
    const nodes: [string, string, number, number][] = [
      ['null', '666', 1, 3],
      ['zero', '666', 1, 5],
      ['random', '666', 1, 8],
      ['urandom', '666', 1, 9],
      ['console', '600', 5, 1],
    ];
    const missing = nodes.filter(([n]) => !fs.existsSync(fsPath(db.path(`dev/${n}`))));
    if (missing.length && this.ctx.host.euid() === 0 && db.root !== '/') {
      const script = missing.map(([n, m, ma, mi]) => `mknod -m ${m} '${db.path(`dev/${n}`)}' c ${ma} ${mi}`).join(' && ');
      try {
        await this.ctx.exec(['sh', '-c', script], { stdout: this.ctx.stderr });
      } catch {
        // no sh or mknod on this system: a root without device nodes still works for apk
      }
    }
  }

  /** lib/apk/db/lock: holds our pid; a lock whose holder is gone is taken over. --wait N retries. */
  private async lock(db: Database): Promise<void> {
    const lockPath = db.path('lib/apk/db/lock');
    const deadline = Date.now() + (Number(this.value('wait') ?? 0) || 0) * 1000;
    for (;;) {
      try {
        const fd = fs.openSync(fsPath(lockPath), 'wx', 0o600);
        fs.writeSync(fd, `${this.ctx.host.pid}\n`);
        fs.closeSync(fd);
        this.lockPath = lockPath;
        return;
      } catch (err) {
        if (errorCode(err) === 'ENOENT') {
          if (!fs.existsSync(fsPath(db.path('lib/apk/db')))) {
            // a root without a database: apk creates it when writing
            fs.mkdirSync(fsPath(db.path('lib/apk/db')), { recursive: true });
            continue;
          }
        }
        if (errorCode(err) !== 'EEXIST') throw err;
      }
      const holder = Number(fs.readFileSync(fsPath(lockPath), 'latin1').trim());
      let alive = false;
      if (holder > 0 && holder !== this.ctx.host.pid) {
        try {
          this.ctx.host.kill(holder, 0);
          alive = true;
        } catch {
          alive = false;
        }
      }
      if (!alive) {
        fs.rmSync(fsPath(lockPath), { force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        await this.error('Unable to lock database: Resource temporarily unavailable');
        await this.error('Failed to open apk database: Resource temporarily unavailable');
        throw new ExitStatus(99);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    this.http?.close();
    if (this.lockPath) {
      fs.rmSync(fsPath(this.lockPath), { force: true });
      this.lockPath = undefined;
    }
    await this.flush();
  }

  /** Fetch a URL's body. Local paths and file:// are read directly; http(s) through core/http
   *  (keep-alive across the run's downloads, proxies from the environment as apk reads them). */
  async fetch(url: string): Promise<Buffer> {
    if (!/^(https?|ftp):\/\//.test(url)) {
      const p = url.startsWith('file://') ? url.slice(7) : url;
      return fs.readFileSync(fsPath(p.startsWith('/') ? p : `${this.ctx.cwd}/${p}`));
    }
    const { HttpClient, HttpError } = await import('../../core/http.js');
    this.http ??= new HttpClient({
      env: this.ctx.env,
      upperCaseProxyVariables: true,
      userAgent: 'apk-tools/2.14.10',
      timeout: (Number(this.value('timeout') ?? 60) || 60) * 1000,
      signal: this.ctx.signal,
    });
    try {
      const res = await this.http.request(url);
      if (res.status !== 200) {
        await res.body.discard();
        throw new ApkError(res.status === 404 ? ENOENT : 5, res.status === 404 ? undefined : `HTTP ${res.status}`);
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of res.body) chunks.push(chunk);
      return Buffer.concat(chunks);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const text: Record<string, string> = {
        connect: 'could not connect to server (check repositories file)',
        dns: 'DNS lookup error',
        timeout: 'operation timed out',
        certificate: 'SSL certificate problem',
        tls: 'SSL error',
      };
      throw new ApkError(5, text[err.kind] ?? 'network connection aborted');
    }
  }

  private http?: import('../../core/http.js').HttpClient;
}
