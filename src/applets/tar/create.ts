// tar -c, -r and -u: walk the operands (each -C in its place), one header and body per file, hard
// links recorded once, sparse files stored as maps with -S. Reads are synchronous and large and
// go straight into the writer's buffer; nothing awaits per file unless the buffer went out.
import * as fs from 'node:fs';
import { compress, detectCompression, programSink } from '../../core/archive/compress.js';
import { FileSource } from '../../core/archive/file-source.js';
import { type TarEntry, TarReader } from '../../core/archive/reader.js';
import { type HeaderInit, HeaderError, TarWriter } from '../../core/archive/writer.js';
import type { SparseRange } from '../../core/archive/reader.js';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorText } from '../../core/errors.js';
import { groupByGid, groupByName, userByName, userByUid } from '../../core/ids.js';
import { type ByteSink, FdSink, OutBuffer } from '../../core/io.js';
import { applyMode } from '../../core/mode.js';
import { stripUnsafePrefix } from '../../core/safe-path.js';
import { fatal, filterHost, programWords, Report, writeCompression } from './common.js';
import type { TarJob } from './index.js';
import { LongLister, quoteName, TimeFormat, utf8Locale } from './list.js';
import { excluded } from './match.js';
import { readPatternFile } from './names.js';

const READ_SIZE = 1024 * 1024;

export async function createArchive(ctx: Ctx, job: TarJob): Promise<number> {
  const o = job.opts;
  const report = new Report(ctx);
  const append = job.mode === 'append' || job.mode === 'update';

  let excludes = job.excludes;
  const operands: TarJob['operands'] = [...job.operands];
  try {
    for (const file of o.X ?? []) excludes = excludes.concat(await readPatternFile(ctx, file, false));
    for (const file of o.T ?? []) operands.push(...(await readPatternFile(ctx, file, !!o.null)));
  } catch (err) {
    if (err instanceof AppletError) return fatal(ctx, err.message);
    throw err;
  }
  if (!operands.some((op) => typeof op === 'string') && job.mode === 'create') {
    await ctx.stderr.write("tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n");
    return 2;
  }
  const method = writeCompression(job);
  if (append && (method !== 'none' || job.compressProgram)) return usage(ctx, 'Cannot update compressed archives');
  if (append && job.archive === '-') return usage(ctx, 'Options \'-Aru\' are incompatible with \'-f -\'');

  // the archive: a file (truncated, or opened for appending) or stdout
  let fd: number | undefined;
  let sink: ByteSink;
  let startOffset = 0;
  let archiveId: { dev: number; ino: number } | undefined;
  const inArchive = new Map<string, number>(); // -u: member name → newest mtime
  if (job.archive === '-') {
    if (ctx.isTTY(1)) return fatal(ctx, 'Refusing to write archive contents to terminal (missing -f option?)');
    sink = ctx.stdout;
  } else {
    try {
      fd = fs.openSync(fsPath(ctx.path(job.archive)), append ? fs.constants.O_RDWR | fs.constants.O_CREAT : 'w', 0o666);
    } catch (err) {
      return fatal(ctx, `${job.archive}: Cannot open: ${errorText(err)}`);
    }
    const st = fs.fstatSync(fd);
    if (st.isFile()) archiveId = { dev: st.dev, ino: st.ino };
    if (append) {
      try {
        startOffset = await findEnd(fd, job.mode === 'update' ? inArchive : undefined, report);
      } catch (err) {
        fs.closeSync(fd);
        if (err instanceof AppletError) return err.message === 'compressed' ? usage(ctx, 'Cannot update compressed archives') : fatal(ctx, err.message);
        throw err;
      }
    }
    sink = append ? new PositionalSink(fd, startOffset) : new FdSink(fd);
  }

  let compressed: ByteSink = sink;
  try {
    if (job.compressProgram) {
      const [prog, args] = programWords(job.compressProgram);
      compressed = await programSink(sink, prog, args, filterHost(ctx));
    } else compressed = await compress(sink, method, filterHost(ctx));
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    if (err instanceof AppletError) return fatal(ctx, err.message);
    throw err;
  }

  const writer = new TarWriter(compressed, { format: job.format, recordSize: job.recordSize, startOffset });
  // verbose output goes to stderr when the archive goes to stdout
  const verboseOut = new OutBuffer(job.archive === '-' ? ctx.stderr : ctx.stdout);
  const creator = new Creator(ctx, job, report, writer, verboseOut, excludes, archiveId, job.mode === 'update' ? inArchive : undefined);
  let failed: unknown;
  try {
    let base = ctx.cwd;
    for (const op of operands) {
      if (ctx.signal.aborted) throw new AppletError('Interrupted', 130);
      if (typeof op !== 'string') {
        base = op.dir.startsWith('/') ? op.dir : `${base.replace(/\/+$/, '')}/${op.dir}`;
        try {
          if (!fs.statSync(fsPath(base)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
        } catch (err) {
          throw new AppletError(`${op.dir}: Cannot open: ${errorText(err)}`, 2);
        }
        continue;
      }
      await creator.operand(base, op);
    }
    await writer.finish();
    await verboseOut.flush();
    if (compressed !== sink) await compressed.close();
  } catch (err) {
    failed = err;
  } finally {
    await verboseOut.flush().catch(() => {});
    if (fd !== undefined) fs.closeSync(fd);
  }
  if (failed) {
    if (failed instanceof AppletError && !(failed instanceof HeaderError)) return fatal(ctx, failed.message);
    throw failed;
  }
  return report.finish();
}

async function usage(ctx: Ctx, message: string): Promise<number> {
  await ctx.stderr.write(`tar: ${message}\nTry 'tar --help' or 'tar --usage' for more information.\n`);
  return 2;
}

/** -r/-u: where the existing archive's end blocks start (and, for -u, its members' times). */
async function findEnd(fd: number, times: Map<string, number> | undefined, report: Report): Promise<number> {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return 0;
  const head = Buffer.alloc(6);
  fs.readSync(fd, head, 0, 6, 0);
  if (detectCompression(head) !== 'none') throw new AppletError('compressed', 2);
  const src = new FileSource(fd, false);
  const reader = new TarReader(src, { onWarning: (m, s) => void (s === 2 ? report.error(m) : report.warn(m)) });
  for (let e = await reader.next(); e; e = await reader.next()) {
    if (times) times.set(e.name.replace(/\/+$/, ''), Math.max(times.get(e.name) ?? -Infinity, e.mtime));
  }
  return reader.endOffset ?? size;
}

/** A sink writing at increasing offsets of a file (appending over the old end blocks). */
class PositionalSink implements ByteSink {
  constructor(
    readonly fd: number,
    private position: number,
  ) {}
  async write(chunk: Uint8Array | string): Promise<void> {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off, this.position + off);
    this.position += buf.length;
  }
  async close(): Promise<void> {}
}

/** Linux's dev_t split. */
function major(dev: number): number {
  return ((dev >> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
}
function minor(dev: number): number {
  return (dev & 0xff) | ((dev >> 12) & ~0xff & 0xfffff);
}

class Creator {
  private readonly links = new Map<string, string>(); // dev:ino → first member name
  private readonly users = new Map<number, string>();
  private readonly groups = new Map<number, string>();
  private readonly readBuf = Buffer.allocUnsafe(READ_SIZE);
  private readonly lister: LongLister;
  private readonly utf8: boolean;
  private readonly owner?: { name: string; id: number };
  private readonly group?: { name: string; id: number };
  private readonly mtime?: number;
  private readonly pax: boolean;

  constructor(
    private readonly ctx: Ctx,
    private readonly job: TarJob,
    private readonly report: Report,
    private readonly writer: TarWriter,
    private readonly out: OutBuffer,
    private readonly excludes: string[],
    private readonly archiveId: { dev: number; ino: number } | undefined,
    private readonly newerThan: Map<string, number> | undefined,
  ) {
    const o = job.opts;
    this.utf8 = utf8Locale((n) => ctx.env.get(n));
    this.lister = new LongLister(new TimeFormat(ctx.env.get('TZ'), !!o['full-time']), this.utf8, !!o['numeric-owner']);
    if (o.owner !== undefined) this.owner = parseOwner(o.owner, (n) => userByName(n)?.uid, 'user');
    if (o.group !== undefined) this.group = parseOwner(o.group, (n) => groupByName(n)?.gid, 'group');
    if (o.mtime !== undefined) this.mtime = parseMtime(ctx, o.mtime);
    if (o.mode !== undefined) applyMode(o.mode, 0o644); // validate early: throws "invalid mode"
    this.pax = job.format === 'pax';
  }

  async operand(base: string, operand: string): Promise<void> {
    const trimmed = operand.length > 1 ? operand.replace(/\/+$/, '') || '/' : operand;
    const path = trimmed.startsWith('/') ? trimmed : `${base.replace(/\/+$/, '')}/${trimmed}`;
    await this.add(path, trimmed);
  }

  /** The member name for a path as given: leading `/` and `../` removed, with GNU's notice. */
  private async memberName(name: string): Promise<string> {
    if (this.job.opts.P) return name;
    const s = stripUnsafePrefix(name);
    if (s.removed) await this.report.once(`Removing leading \`${s.removed}' from member names`);
    return s.name;
  }

  private async add(path: string, given: string): Promise<void> {
    const o = this.job.opts;
    if (excluded(this.excludes, given)) return;
    let st: fs.Stats | fs.BigIntStats;
    try {
      st = this.pax ? (o.h ? fs.statSync(fsPath(path), { bigint: true }) : fs.lstatSync(fsPath(path), { bigint: true })) : o.h ? fs.statSync(fsPath(path)) : fs.lstatSync(fsPath(path));
    } catch (err) {
      await this.report.fail(quoteName(given, false), 'Cannot stat', err);
      return;
    }
    const s = plainStats(st);
    if (this.archiveId && s.dev === this.archiveId.dev && s.ino === this.archiveId.ino) {
      await this.report.warn(`${quoteName(given, false)}: file is the archive; not dumped`);
      return;
    }
    let name = await this.memberName(given);
    if (name === '' && s.isDirectory) name = '.';
    else if (name === '') return;

    if (s.isDirectory) {
      await this.emit(name.endsWith('/') ? name : `${name}/`, s, 'directory');
      if (o['no-recursion']) return;
      let children: string[];
      try {
        children = fs.readdirSync(fsPath(path), { encoding: 'latin1' });
      } catch (err) {
        await this.report.fail(quoteName(given, false), 'Cannot open', err);
        return;
      }
      if (o.sort !== 'none') children.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const prefix = given.endsWith('/') ? given : `${given}/`;
      for (const child of children) await this.add(`${path}/${child}`, prefix + child);
      return;
    }
    if (s.isSocket) {
      await this.report.warn(`${quoteName(given, false)}: socket ignored`);
      return;
    }
    if (this.newerThan) {
      const known = this.newerThan.get(name);
      if (known !== undefined && known >= Math.floor(s.mtime)) return;
    }
    if (s.nlink > 1 && !s.isDirectory) {
      const key = `${s.dev}:${s.ino}`;
      const first = this.links.get(key);
      if (first !== undefined) {
        await this.emit(name, s, 'link', first);
        return;
      }
      this.links.set(key, name);
    }
    if (s.isSymbolicLink) {
      let target: string;
      try {
        target = fs.readlinkSync(fsPath(path), { encoding: 'latin1' });
      } catch (err) {
        await this.report.fail(quoteName(given, false), 'Cannot readlink', err);
        return;
      }
      await this.emit(name, s, 'symlink', target);
      return;
    }
    if (s.isFIFO) return this.emit(name, s, 'fifo');
    if (s.isCharacterDevice) return this.emit(name, s, 'chardev');
    if (s.isBlockDevice) return this.emit(name, s, 'blockdev');
    await this.regularFile(path, given, name, s);
  }

  private header(name: string, s: PlainStats, type: HeaderInit['type'], linkname?: string): HeaderInit {
    const o = this.job.opts;
    let mode = s.mode & 0o7777;
    if (o.mode !== undefined) mode = applyMode(o.mode, mode, { isDir: type === 'directory' });
    const uid = this.owner?.id ?? s.uid;
    const gid = this.group?.id ?? s.gid;
    const numeric = !!o['numeric-owner'];
    return {
      name,
      type,
      mode,
      uid,
      gid,
      uname: numeric ? '' : (this.owner?.name ?? this.userName(s.uid)),
      gname: numeric ? '' : (this.group?.name ?? this.groupName(s.gid)),
      mtime: this.mtime ?? (this.pax ? s.mtime : Math.floor(s.mtime)),
      linkname,
      devmajor: type === 'chardev' || type === 'blockdev' ? major(s.rdev) : undefined,
      devminor: type === 'chardev' || type === 'blockdev' ? minor(s.rdev) : undefined,
    };
  }

  private async emit(name: string, s: PlainStats, type: HeaderInit['type'], linkname?: string): Promise<void> {
    const h = this.header(name, s, type, linkname);
    if (!(await this.writeHeader(h))) return;
    const p = this.writer.endEntry();
    if (p) await p;
  }

  /** Write a header; false (after GNU's message) when the format cannot hold the entry. */
  private async writeHeader(h: HeaderInit): Promise<boolean> {
    try {
      const p = this.writer.header(h);
      if (p) await p;
    } catch (err) {
      if (err instanceof HeaderError) {
        await this.report.error(`${quoteName(h.name, false)}: ${err.message}`);
        return false;
      }
      throw err;
    }
    if (this.job.verbose) {
      const line = this.job.verbose > 1 ? this.lister.line(asEntry(h), h.name) : `${quoteName(h.name, this.utf8)}\n`;
      const p = this.out.put(line);
      if (p) await p;
    }
    return true;
  }

  private async regularFile(path: string, given: string, name: string, s: PlainStats): Promise<void> {
    let fd: number;
    try {
      fd = fs.openSync(fsPath(path), fs.constants.O_RDONLY | (this.job.opts.h ? 0 : fs.constants.O_NOFOLLOW));
    } catch (err) {
      await this.report.fail(quoteName(given, false), 'Cannot open', err);
      return;
    }
    try {
      const h = this.header(name, s, 'file');
      let map: SparseRange[] | undefined;
      if (this.job.opts.S && s.blocks * 512 < s.size && (this.job.format === 'gnu' || this.job.format === 'pax')) map = this.scanSparse(fd, s.size);
      const stored = map ? map.reduce((n, r) => n + r.length, 0) : s.size;
      h.size = stored;
      if (map) h.sparse = { map, realSize: s.size };
      if (!(await this.writeHeader(h))) return;
      let written = 0;
      const ranges = map ?? [{ offset: 0, length: s.size }];
      for (const r of ranges) {
        let pos = r.offset;
        const end = r.offset + r.length;
        while (pos < end) {
          const n = fs.readSync(fd, this.readBuf, 0, Math.min(READ_SIZE, end - pos), pos);
          if (n === 0) break;
          const p = this.writer.write(this.readBuf.subarray(0, n));
          if (p) await p;
          pos += n;
          written += n;
        }
        if (pos < end) break;
      }
      if (written < stored) {
        // GNU pads what went missing and says so
        const short = stored - written;
        await this.report.error(`${quoteName(given, false)}: File shrank by ${short} bytes; padding with zeros`);
        const zeros = new Uint8Array(Math.min(short, READ_SIZE));
        for (let left = short; left > 0; left -= zeros.length) {
          const p = this.writer.write(left >= zeros.length ? zeros : zeros.subarray(0, left));
          if (p) await p;
        }
      } else {
        const now = fs.fstatSync(fd);
        if (now.mtimeMs !== s.mtimeMs || now.size !== s.size) {
          await this.report.warn(`${quoteName(given, false)}: file changed as we read it`);
          this.report.differ();
        }
      }
      const p = this.writer.endEntry();
      if (p) await p;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Data ranges of a file with holes: runs of non-zero 512-byte blocks (GNU's raw scan). */
  private scanSparse(fd: number, size: number): SparseRange[] {
    const map: SparseRange[] = [];
    let start = -1;
    for (let pos = 0; pos < size; ) {
      const n = fs.readSync(fd, this.readBuf, 0, Math.min(READ_SIZE, size - pos), pos);
      if (n === 0) break;
      for (let off = 0; off < n; off += 512) {
        const end = Math.min(off + 512, n);
        let zero = true;
        for (let i = off; i < end; i++) {
          if (this.readBuf[i] !== 0) {
            zero = false;
            break;
          }
        }
        if (!zero && start < 0) start = pos + off;
        if (zero && start >= 0) {
          map.push({ offset: start, length: pos + off - start });
          start = -1;
        }
      }
      pos += n;
    }
    if (start >= 0) map.push({ offset: start, length: size - start });
    // a trailing hole is kept as an empty range at the end, as GNU does
    if (!map.length || map[map.length - 1]!.offset + map[map.length - 1]!.length < size) map.push({ offset: size, length: 0 });
    return map;
  }

  private userName(uid: number): string {
    let n = this.users.get(uid);
    if (n === undefined) {
      n = userByUid(uid)?.name ?? '';
      this.users.set(uid, n);
    }
    return n;
  }
  private groupName(gid: number): string {
    let n = this.groups.get(gid);
    if (n === undefined) {
      n = groupByGid(gid)?.name ?? '';
      this.groups.set(gid, n);
    }
    return n;
  }
}

interface PlainStats {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blocks: number;
  /** seconds, with the fraction */
  mtime: number;
  mtimeMs: number;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  isFIFO: boolean;
  isSocket: boolean;
  isCharacterDevice: boolean;
  isBlockDevice: boolean;
}

function plainStats(st: fs.Stats | fs.BigIntStats): PlainStats {
  const n = (v: number | bigint) => Number(v);
  const ns = 'mtimeNs' in st ? st.mtimeNs : undefined;
  const mtime = ns !== undefined ? Number(ns / 1000000000n) + Number(ns % 1000000000n) / 1e9 : (st as fs.Stats).mtimeMs / 1000;
  return {
    dev: n(st.dev),
    ino: n(st.ino),
    mode: n(st.mode),
    nlink: n(st.nlink),
    uid: n(st.uid),
    gid: n(st.gid),
    rdev: n(st.rdev),
    size: n(st.size),
    blocks: n(st.blocks),
    mtime,
    mtimeMs: n(st.mtimeMs),
    isDirectory: st.isDirectory(),
    isSymbolicLink: st.isSymbolicLink(),
    isFIFO: st.isFIFO(),
    isSocket: st.isSocket(),
    isCharacterDevice: st.isCharacterDevice(),
    isBlockDevice: st.isBlockDevice(),
  };
}

/** What the -vv line needs, from a header about to be written. */
function asEntry(h: HeaderInit): TarEntry {
  const typeflag = { file: '0', link: '1', symlink: '2', chardev: '3', blockdev: '4', directory: '5', fifo: '6', contiguous: '7' }[h.type as string] ?? '0';
  return {
    name: h.name,
    linkname: h.linkname ?? '',
    type: h.type,
    typeflag,
    mode: h.mode,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    uname: h.uname ?? '',
    gname: h.gname ?? '',
    size: h.size ?? 0,
    realSize: h.sparse?.realSize ?? h.size ?? 0,
    mtime: h.mtime,
    devmajor: h.devmajor ?? 0,
    devminor: h.devminor ?? 0,
  } as unknown as TarEntry;
}

/** --owner/--group: NAME, +ID, or NAME:ID. */
function parseOwner(spec: string, lookup: (name: string) => number | undefined, what: string): { name: string; id: number } {
  const colon = spec.indexOf(':');
  if (colon !== -1) {
    const id = Number(spec.slice(colon + 1));
    if (!Number.isInteger(id) || id < 0) throw new AppletError(`${spec}: Invalid ${what}`, 2);
    return { name: spec.slice(0, colon), id };
  }
  if (spec.startsWith('+') || /^\d+$/.test(spec)) {
    const id = Number(spec.replace(/^\+/, ''));
    if (!Number.isInteger(id)) throw new AppletError(`${spec}: Invalid ${what}`, 2);
    const found = lookup(spec.replace(/^\+/, ''));
    return { name: spec.startsWith('+') ? '' : found !== undefined ? spec : '', id };
  }
  const id = lookup(spec);
  if (id === undefined) throw new AppletError(`${spec}: Invalid ${what}`, 2);
  return { name: spec, id };
}

/** --mtime: @SECONDS, a date (YYYY-MM-DD[ HH:MM[:SS]], in TZ), or a file whose mtime to take. */
function parseMtime(ctx: Ctx, spec: string): number {
  if (/^@-?\d+(\.\d+)?$/.test(spec)) return Number(spec.slice(1));
  if (spec.startsWith('/') || spec.startsWith('.')) {
    try {
      return fs.statSync(fsPath(ctx.path(spec))).mtimeMs / 1000;
    } catch (err) {
      throw new AppletError(`${spec}: Cannot stat: ${errorText(err)}`, 2);
    }
  }
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/.exec(spec.trim());
  if (!m) throw new AppletError(`Substituting -9223372036854775807 for unknown date format '${spec}'`, 2);
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) / 1000;
  if (m[7]) {
    if (m[7] === 'Z' || m[7] === 'UTC') return utc;
    const sign = m[7].startsWith('-') ? -1 : 1;
    const digits = m[7].replace(/[^0-9]/g, '');
    return utc - sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return utc - zoneOffset(ctx.env.get('TZ'), utc);
}

/** Seconds the zone is ahead of UTC at (about) that time. */
function zoneOffset(tz: string | undefined, t: number): number {
  const zone = tz === undefined ? undefined : tz.replace(/^:/, '');
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone && !/^(UTC|GMT)0?$/.test(zone) ? zone : zone ? 'UTC' : undefined, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    return 0;
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(t * 1000))) parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) / 1000;
  return local - t;
}
