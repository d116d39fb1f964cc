// find as GNU findutils 4.9 has it: -H/-L/-P, starting points, global options (-maxdepth
// -mindepth -depth -xdev -daystart …), tests (-name -iname -path -ipath -regex -iregex -lname -type -xtype -size
// -mtime -mmin -atime -amin -ctime -cmin -newer -anewer -cnewer -perm -user -group -uid -gid
// -nouser -nogroup -links -inum -samefile -empty -readable -writable -executable -true -false),
// actions (-print -print0 -printf -ls -fprint -fprint0 -fprintf -fls -exec/-execdir with ; and +,
// -ok/-okdir, -delete -prune -quit), operators ( ) ! -not -a -and -o -or and the comma, over the
// streaming walk in directory order. Messages and exit statuses are GNU's.
import * as fs from 'node:fs';
import { defineApplet } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import { resolvePath } from '../../core/context.js';
import type { Ctx } from '../../core/context.js';
import { errorCode, errorText } from '../../core/errors.js';
import { readLines } from '../../core/io.js';
import { CommandError } from '../../core/process.js';
import { now as currentTime, type Zone, zoneFromEnv } from '../../core/time.js';
import { walk, type WalkEntry } from '../../core/walk.js';
import { type Expr, type FileOut, parseFind, type Parsed, quoteFind, STDERR, STDOUT } from './parse.js';
import { IdNames, LsFormatter, type PrintfFile, readTarget, runPrintf } from './printf.js';

// Bytes of arguments per -exec … {} + command (GNU keeps under the system's ARG_MAX, 128 KiB here).
const EXEC_BATCH_BYTES = 128 * 1024;

export default defineApplet({
  name: 'find',
  summary: 'Search for files in a directory hierarchy',
  usage: 'find [-H] [-L] [-P] [-Olevel] [-D debugopts] [starting-point...] [expression]',
  help: [
    'Default path is the current directory; default expression is -print.',
    'Expression may consist of: operators, options, tests, and actions.',
    '',
    'Operators (decreasing precedence; -and is implicit where no others are given):',
    '      ( EXPR )   ! EXPR   -not EXPR   EXPR1 -a EXPR2   EXPR1 -and EXPR2',
    '      EXPR1 -o EXPR2   EXPR1 -or EXPR2   EXPR1 , EXPR2',
    '',
    'Positional options (always true):',
    '      -daystart -follow -nowarn -regextype -warn',
    '',
    'Normal options (always true, specified before other expressions):',
    '      -depth -ignore_readdir_race -maxdepth LEVELS -mindepth LEVELS -mount',
    '      -noignore_readdir_race -noleaf -xdev',
    '',
    'Tests (N can be +N or -N or N):',
    '      -amin N -anewer FILE -atime N -cmin N -cnewer FILE -ctime N -empty',
    '      -executable -false -gid N -group NAME -ilname PATTERN -iname PATTERN',
    '      -inum N -ipath PATTERN -iwholename PATTERN -links N -lname PATTERN',
    '      -mmin N -mtime N -name PATTERN -newer FILE -nouser -nogroup',
    '      -path PATTERN -perm [-/]MODE -readable -regex PATTERN -iregex PATTERN',
    '      -samefile FILE -size N[bcwkMG]',
    '      -true -type [bcdpflsD] -uid N -user NAME -wholename PATTERN',
    '      -writable -xtype [bcdpfls]',
    '',
    'Actions:',
    '      -delete -print0 -printf FORMAT -fprintf FILE FORMAT -print',
    '      -fprint0 FILE -fprint FILE -ls -fls FILE -prune -quit',
    '      -exec COMMAND ; -exec COMMAND {} + -ok COMMAND ;',
    '      -execdir COMMAND ; -execdir COMMAND {} + -okdir COMMAND ;',
  ].join('\n'),
  async run(ctx) {
    const start = currentTime();
    const zone = zoneFromEnv(ctx.env);
    const parsed = parseFind(ctx, ctx.operands, start, zone);
    const finder = new Finder(ctx, parsed, zone, start.sec);
    try {
      for (const w of parsed.warnings) await ctx.stderr.write(`${ctx.name}: ${w}\n`);
      await finder.run();
    } finally {
      for (const o of parsed.outputs) if (o.fd >= 0) fs.closeSync(o.fd);
    }
    return finder.status;
  },
});

/** One file as the expression sees it, its statuses looked up once, when first needed. */
class Visit implements PrintfFile {
  private statCache?: fs.Stats | null;
  private bigCache?: fs.BigIntStats | null;
  private lstatCache?: fs.BigIntStats | null;
  private pathCache?: string;
  entry!: WalkEntry;
  root = '';

  constructor(private readonly finder: Finder) {}

  /** Point at the next file (one Visit serves the whole walk: nothing keeps it past a file). */
  reset(entry: WalkEntry, root: string): this {
    this.entry = entry;
    this.root = root;
    this.statCache = this.bigCache = this.lstatCache = undefined;
    this.pathCache = undefined;
    return this;
  }

  get path(): string {
    this.pathCache ??= this.entry.path;
    return this.pathCache;
  }
  get depth(): number {
    return this.entry.depth;
  }
  get osPath(): string {
    return this.entry.osPath;
  }
  userName(uid: number): string | undefined {
    return this.finder.ids.user(uid);
  }
  groupName(gid: number): string | undefined {
    return this.finder.ids.group(gid);
  }

  /** The status find goes by (following symlinks per -H/-L), or undefined after reporting why not. */
  stat(): fs.Stats | undefined {
    if (this.statCache === undefined) {
      try {
        this.statCache = this.entry.stat();
      } catch (err) {
        this.statCache = null;
        this.finder.report(this.path, err);
      }
    }
    return this.statCache ?? undefined;
  }

  /** The same, to the nanosecond (for -printf and -ls). */
  get st(): fs.BigIntStats | undefined {
    if (this.bigCache === undefined && !this.entry.hasStat && this.statCache === undefined) {
      // Not stat'ed yet: one call, to the nanosecond, for both (as the walk's stat() would).
      const p = fsPath(this.entry.osPath);
      try {
        this.bigCache = this.entry.follows ? fs.statSync(p, { bigint: true }) : fs.lstatSync(p, { bigint: true });
      } catch (err) {
        const code = errorCode(err);
        if (!this.entry.follows || (code !== 'ENOENT' && code !== 'ELOOP' && code !== 'ENOTDIR')) {
          this.bigCache = null;
          this.statCache = null;
          this.finder.report(this.path, err);
        }
      }
      // A dangling link followed: the walk's stat() says so (and gives the link's own status).
      if (this.bigCache === undefined) this.bigCache = this.stat() ? this.lst() ?? null : null;
    }
    if (this.bigCache === undefined) {
      const s = this.stat();
      if (!s) this.bigCache = null;
      else {
        try {
          const p = fsPath(this.entry.osPath);
          this.bigCache = this.entry.follows && !this.entry.dangling ? fs.statSync(p, { bigint: true }) : fs.lstatSync(p, { bigint: true });
        } catch {
          this.bigCache = null;
        }
      }
    }
    return this.bigCache ?? undefined;
  }

  lst(): fs.BigIntStats | undefined {
    if (this.lstatCache === undefined) {
      try {
        this.lstatCache = fs.lstatSync(fsPath(this.entry.osPath), { bigint: true });
      } catch {
        this.lstatCache = null;
      }
    }
    return this.lstatCache ?? undefined;
  }

  /** The type letter (f d l c b p s) without a stat call where readdir told it. */
  typeLetter(follow: boolean): string | undefined {
    if (!follow) {
      const t = this.entry.type;
      const known: Record<string, string> = { file: 'f', dir: 'd', symlink: 'l', fifo: 'p', socket: 's', char: 'c', block: 'b' };
      if (t !== 'unknown' && !this.entry.follows) return known[t];
      const l = this.lst();
      return l ? letterOf(Number(l.mode)) : undefined;
    }
    try {
      return letterOf(fs.statSync(fsPath(this.entry.osPath)).mode);
    } catch {
      return undefined;
    }
  }

  followedType(): string {
    try {
      return letterOf(fs.statSync(fsPath(this.entry.osPath)).mode);
    } catch (err) {
      return errorCode(err) === 'ELOOP' ? 'L' : 'N';
    }
  }

  linkTarget(): string {
    const l = this.lst();
    return l && (Number(l.mode) & 0o170000) === 0o120000 ? readTarget(this.entry.osPath) : '';
  }

  fsType(): string {
    return this.finder.fsType(this.entry.osPath);
  }
}

function letterOf(mode: number): string {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'f';
    case 0o040000:
      return 'd';
    case 0o120000:
      return 'l';
    case 0o020000:
      return 'c';
    case 0o060000:
      return 'b';
    case 0o010000:
      return 'p';
    case 0o140000:
      return 's';
    default:
      return '?';
  }
}

/** -quit, unwinding the evaluation. */
class Quit extends Error {}

interface Batch {
  argv: string[];
  cwd?: string;
  names: string[];
  bytes: number;
}

class Finder {
  status = 0;
  private text = '';
  private quitting = false;
  private readonly batches = new Map<string, Batch>();
  private pruned = false;
  private readonly isTty: boolean;
  private readonly ls: LsFormatter;
  readonly ids = new IdNames();
  private errText = '';

  constructor(
    private readonly ctx: Ctx<unknown>,
    private readonly p: Parsed,
    private readonly zone: Zone,
    private readonly nowSec: number,
  ) {
    this.isTty = ctx.isTTY(1);
    this.ls = new LsFormatter(nowSec, zone);
  }

  async run(): Promise<void> {
    const p = this.p;
    const visit = new Visit(this);
    for (const root of p.paths) {
      if (this.quitting || this.ctx.signal.aborted) break;
      let n = 0;
      for (const e of walk([root], { follow: p.follow, xdev: p.xdev, postorder: p.depthFirst, maxDepth: p.maxDepth, cwd: this.ctx.cwd })) {
        // (AbortSignal.aborted is a slow getter: looked at every 256 files.)
        if (this.quitting || ((++n & 255) === 0 && this.ctx.signal.aborted)) break;
        if (this.pendingErrors.length) await this.flushErrors();
        if (e.phase === 'error') {
          // A directory that cannot be read: said, and (with -depth) still visited.
          this.report(e.path, e.error);
          await this.flushErrors();
          continue;
        }
        if (e.phase === 'loop') {
          const ancestor = loopAncestor(e);
          await this.warn(`File system loop detected; ${quoteFind(e.path)} is part of the same file system loop as ${quoteFind(ancestor)}.`);
          continue;
        }
        if (e.phase === 'leaf' && e.error) {
          this.report(e.path, e.error);
          await this.flushErrors();
          continue;
        }
        const isDir = e.phase === 'pre' || e.phase === 'post';
        if (isDir && (e.phase === 'pre') === p.depthFirst) continue;
        if (e.depth < p.minDepth) continue;
        this.pruned = false;
        const v = visit.reset(e, root);
        try {
          const r = this.eval(p.expr, v);
          if (r instanceof Promise) await r;
        } catch (err) {
          if (!(err instanceof Quit)) throw err;
          // -quit: stop here, running what -exec … + has collected.
          await this.flushErrors();
          this.quitting = true;
          break;
        }
        if (this.pruned && e.phase === 'pre') e.skip();
        if (this.text.length >= 65536) await this.flush();
      }
    }
    await this.flushBatches();
    await this.flush();
  }

  // ----- output and errors -----

  private put(s: string, out?: FileOut): void {
    if (!out || out.fd === STDOUT) this.text += s;
    else if (out.fd === STDERR) this.errText += s;
    else fs.writeSync(out.fd, Buffer.from(s, 'latin1'));
  }

  async flush(): Promise<void> {
    if (this.errText) {
      const t = this.errText;
      this.errText = '';
      await this.ctx.stderr.write(t);
    }
    if (!this.text) return;
    const t = this.text;
    this.text = '';
    await this.ctx.stdout.write(t);
  }

  private pendingErrors: string[] = [];

  /** A file find cannot examine: GNU's `find: 'name': reason`, and status 1. */
  report(path: string, err: unknown): void {
    this.pendingErrors.push(`${quoteFind(path)}: ${errorText(err)}`);
    this.status = 1;
  }

  private async flushErrors(): Promise<void> {
    if (!this.pendingErrors.length) return;
    await this.flush();
    for (const m of this.pendingErrors) await this.ctx.stderr.write(`${this.ctx.name}: ${m}\n`);
    this.pendingErrors = [];
  }

  private async warn(message: string): Promise<void> {
    await this.flush();
    await this.ctx.stderr.write(`${this.ctx.name}: ${message}\n`);
    this.status = 1;
  }

  // ----- evaluation -----

  /** Evaluate the expression for one file: synchronous unless something runs a command. */
  private eval(e: Expr, v: Visit): boolean | Promise<boolean> {
    const r = this.evalNode(e, v);
    if (this.pendingErrors.length) {
      return (async () => {
        const value = await r;
        await this.flushErrors();
        return value;
      })();
    }
    return r;
  }

  private evalNode(e: Expr, v: Visit): boolean | Promise<boolean> {
    switch (e.k) {
      case 'and': {
        const l = this.evalNode(e.left, v);
        if (l instanceof Promise) return l.then((x) => (x ? this.evalNode(e.right, v) : false));
        return l ? this.evalNode(e.right, v) : false;
      }
      case 'or': {
        const l = this.evalNode(e.left, v);
        if (l instanceof Promise) return l.then((x) => (x ? true : this.evalNode(e.right, v)));
        return l ? true : this.evalNode(e.right, v);
      }
      case 'comma': {
        const l = this.evalNode(e.left, v);
        if (l instanceof Promise) return l.then(() => this.evalNode(e.right, v));
        return this.evalNode(e.right, v);
      }
      case 'not': {
        const r = this.evalNode(e.e, v);
        return r instanceof Promise ? r.then((x) => !x) : !r;
      }
      case 'true':
        return true;
      case 'false':
        return false;
      case 'name': {
        // The base name, trailing slashes stripped ("/" stays "/").
        let name = v.entry.depth === 0 ? baseOf(v.path) : v.entry.name;
        if (name.length > 1 && name.endsWith('/')) name = name.replace(/\/+$/, '') || '/';
        return e.m(name);
      }
      case 'path':
        return e.m(v.path);
      case 'lname': {
        const t = v.lst();
        return !!t && (Number(t.mode) & 0o170000) === 0o120000 && e.m(readTarget(v.entry.osPath));
      }
      case 'type':
      case 'xtype': {
        // -type goes by what -H/-L say; -xtype the other way for symlinks.
        let follow = v.entry.follows;
        if (e.k === 'xtype') follow = !follow;
        let letter: string | undefined;
        if (!follow) letter = v.typeLetter(false);
        else {
          letter = v.typeLetter(true);
          if (letter === undefined) letter = v.typeLetter(false); // dangling: the link itself
        }
        return letter !== undefined && e.types.includes(letter);
      }
      case 'size': {
        const st = v.stat();
        if (!st) return false;
        const units = Math.floor(st.size / e.unit) + (st.size % e.unit !== 0 ? 1 : 0);
        return compare(e.cmp, units, e.n);
      }
      case 'time': {
        const st = v.stat();
        if (!st) return false;
        const ms = e.field === 'atime' ? st.atimeMs : e.field === 'ctime' ? st.ctimeMs : st.mtimeMs;
        const delta = ms / 1000 - (e.ref.sec + e.ref.nsec / 1e9);
        if (e.cmp === 'gt') return delta > 0;
        if (e.cmp === 'lt') return delta < 0;
        return delta > 0 && delta <= e.window;
      }
      case 'newer': {
        const st = v.stat();
        if (!st) return false;
        const ms = e.field === 'atime' ? st.atimeMs : e.field === 'ctime' ? st.ctimeMs : st.mtimeMs;
        const refMs = e.ref.sec * 1000 + e.ref.nsec / 1e6;
        // Milliseconds as doubles blur below the microsecond: near the line, ask for nanoseconds.
        if (Math.abs(ms - refMs) > 0.01) return ms > refMs;
        const big = v.st;
        if (!big) return false;
        const ns = e.field === 'atime' ? big.atimeNs : e.field === 'ctime' ? big.ctimeNs : big.mtimeNs;
        return ns > BigInt(e.ref.sec) * 1000000000n + BigInt(e.ref.nsec);
      }
      case 'num': {
        const st = v.stat();
        if (!st) return false;
        const value = e.field === 'links' ? st.nlink : e.field === 'inum' ? st.ino : e.field === 'uid' ? st.uid : st.gid;
        return compare(e.cmp, value, e.n);
      }
      case 'user':
        return v.stat()?.uid === e.id;
      case 'group':
        return v.stat()?.gid === e.id;
      case 'nouser': {
        const st = v.stat();
        return !!st && this.ids.user(st.uid) === undefined;
      }
      case 'nogroup': {
        const st = v.stat();
        return !!st && this.ids.group(st.gid) === undefined;
      }
      case 'perm': {
        const st = v.stat();
        if (!st) return false;
        const want = st.isDirectory() ? e.dir : e.file;
        const mode = st.mode & 0o7777;
        if (e.how === 'exact') return mode === want;
        if (e.how === 'all') return (mode & want) === want;
        return want === 0 || (mode & want) !== 0;
      }
      case 'samefile': {
        const st = v.stat();
        return !!st && st.dev === e.dev && st.ino === e.ino;
      }
      case 'empty': {
        const st = v.stat();
        if (!st) return false;
        if (st.isFile()) return st.size === 0;
        if (!st.isDirectory()) return false;
        try {
          const dir = fs.opendirSync(fsPath(v.entry.osPath));
          try {
            return dir.readSync() === null;
          } finally {
            dir.closeSync();
          }
        } catch (err) {
          this.report(v.path, err);
          return false;
        }
      }
      case 'readable':
      case 'writable':
      case 'executable': {
        const mode = e.k === 'readable' ? fs.constants.R_OK : e.k === 'writable' ? fs.constants.W_OK : fs.constants.X_OK;
        try {
          fs.accessSync(fsPath(v.entry.osPath), mode);
          return true;
        } catch {
          return false;
        }
      }
      case 'print':
        this.put(`${this.shown(v.path, e.out)}\n`, e.out);
        return true;
      case 'print0':
        this.put(`${v.path}\0`, e.out);
        return true;
      case 'printf': {
        const { text } = runPrintf(e.items, v, this.zone);
        this.put(text, e.out);
        return true;
      }
      case 'ls': {
        const st = v.st;
        if (st) this.put(this.ls.line(v, st, (err) => this.report(v.path, err)), e.out);
        return true;
      }
      case 'prune':
        if (!this.p.depthFirst) this.pruned = true;
        return true;
      case 'quit':
        throw new Quit();
      case 'delete':
        return this.delete(v);
      case 'exec':
        return this.exec(e, v);
    }
  }

  /** -print's form: the name as it is, unprintable characters as ? on a terminal. */
  private shown(path: string, out?: FileOut): string {
    return this.isTty && !out ? path.replace(/[^\x20-\x7e]/g, '?') : path;
  }

  private delete(v: Visit): boolean {
    if (v.path === '.' && v.depth === 0) return true;
    const st = v.entry.hasStat ? v.stat() : undefined;
    try {
      if (st?.isDirectory() || (!st && v.entry.type === 'dir')) fs.rmdirSync(fsPath(v.entry.osPath));
      else {
        try {
          fs.unlinkSync(fsPath(v.entry.osPath));
        } catch (err) {
          if (errorCode(err) !== 'EISDIR') throw err;
          fs.rmdirSync(fsPath(v.entry.osPath));
        }
      }
      return true;
    } catch (err) {
      this.pendingErrors.push(`cannot delete ${quoteFind(v.path)}: ${errorText(err)}`);
      this.status = 1;
      return false;
    }
  }

  // ----- -exec, -execdir, -ok, -okdir -----

  private async exec(e: Extract<Expr, { k: 'exec' }>, v: Visit): Promise<boolean> {
    let name = v.path;
    let cwd: string | undefined;
    if (e.dir) {
      const slash = v.path.lastIndexOf('/');
      cwd = slash < 0 ? this.ctx.cwd : resolvePath(this.ctx.cwd, slash === 0 ? '/' : v.path.slice(0, slash));
      name = `./${v.depth === 0 && slash < 0 ? v.path : v.path.slice(slash + 1)}`;
    }
    if (e.plus) {
      // One batch per -exec; -execdir's runs whenever the directory changes, as GNU's does.
      const key = String(e.id);
      let batch = this.batches.get(key);
      if (batch && (batch.cwd !== cwd || batch.bytes + name.length + 1 > EXEC_BATCH_BYTES)) {
        await this.runBatch(batch);
        batch = undefined;
      }
      if (!batch) {
        batch = { argv: e.argv.slice(0, -1), cwd, names: [], bytes: e.argv.reduce((n, a) => n + a.length + 1, 0) };
        this.batches.set(key, batch);
      }
      batch.names.push(name);
      batch.bytes += name.length + 1;
      return true;
    }
    const argv = e.argv.map((a) => a.split('{}').join(name));
    if (e.ok) {
      await this.flush();
      await this.ctx.stderr.write(`< ${argv[0]} ... ${name} > ? `);
      if (!(await this.answerYes())) return false;
    }
    return (await this.runCommand(argv, cwd)) === 0;
  }

  private async answerYes(): Promise<boolean> {
    for await (const line of readLines(this.ctx.stdin)) return /^[yY]/.test(line);
    return false;
  }

  private async runBatch(b: Batch): Promise<void> {
    if (!b.names.length) return;
    const status = await this.runCommand([...b.argv, ...b.names], b.cwd);
    if (status !== 0) this.status = 1;
    b.names = [];
  }

  private async flushBatches(): Promise<void> {
    for (const b of this.batches.values()) await this.runBatch(b);
    this.batches.clear();
  }

  private async runCommand(argv: string[], cwd?: string): Promise<number> {
    await this.flush();
    try {
      return await this.ctx.exec(argv, cwd === undefined ? {} : { cwd });
    } catch (err) {
      if (err instanceof CommandError) {
        await this.ctx.stderr.write(`${this.ctx.name}: ${quoteFind(argv[0]!)}: ${errorText(err)}\n`);
        return err.status;
      }
      throw err;
    }
  }

  // ----- file system types (-printf %F) -----

  private mounts?: { dir: string; type: string }[];

  fsType(path: string): string {
    this.mounts ??= readMountTypes();
    let dev: number;
    try {
      dev = fs.lstatSync(fsPath(path)).dev;
    } catch {
      return '';
    }
    let best = '';
    for (const m of this.mounts) {
      try {
        if (fs.statSync(fsPath(m.dir)).dev === dev) best = m.type;
      } catch {
        // unreachable mount point
      }
    }
    return best;
  }
}

function readMountTypes(): { dir: string; type: string }[] {
  try {
    return fs
      .readFileSync('/proc/self/mounts', 'latin1')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length > 2)
      .map((f) => ({ dir: f[1]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))), type: f[2]! }));
  } catch {
    return [];
  }
}

function compare(cmp: 'gt' | 'lt' | 'eq', value: number, n: number): boolean {
  return cmp === 'gt' ? value > n : cmp === 'lt' ? value < n : value === n;
}

function baseOf(path: string): string {
  const stripped = path.replace(/\/+$/, '');
  if (stripped === '') return path === '' ? '' : '/';
  return stripped.slice(stripped.lastIndexOf('/') + 1);
}

/** The ancestor a looping directory is the same as (for the message). */
function loopAncestor(e: WalkEntry): string {
  try {
    const st = e.stat();
    for (let a = e.parent; a; a = a.parent) {
      const s = a.stat();
      if (s.dev === st.dev && s.ino === st.ino) return a.path;
    }
  } catch {
    // fall through
  }
  return e.parent?.path ?? e.path;
}

