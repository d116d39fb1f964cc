// tail as GNU has it: the last N lines or bytes, or from line/byte N on (+N), headers for several
// files, historical forms (`tail -5`, `tail +3`, `tail -5cf`), and following: -f follows each open
// file as it grows (and as it is truncated), -F follows names (a rotated log is reopened), --pid
// stops following when a process dies, -s sets the polling interval. A regular file is read from
// its end backwards, however big; pipes are read through, keeping only what may still be printed.
// Following polls like GNU's fallback mode, woken early by file-system notifications.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { AppletError, UsageError, errorCode, errorText } from '../core/errors.js';
import { type ByteSink, type ByteSource, CHUNK_SIZE, FdSource } from '../core/io.js';
import { argmatch } from '../core/argmatch.js';
import { parseCount } from '../core/numbers.js';
import { quoteaf, quotef } from '../core/quote.js';
import { countByte } from '../core/lines.js';
import { descriptorOffset } from '../core/offset.js';
import { Headers, parseUnits } from './head.js';

const DIGITS = Object.fromEntries([...'0123456789'].map((d) => [d, {}])) as Record<
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9',
  object
>;

/** One file being tailed (and perhaps followed). */
interface Tailed {
  /** The operand (`-` for standard input). */
  name: string;
  fd: number | undefined;
  /** Whether we opened fd (and must close it). */
  owned: boolean;
  /** Where the next read starts. */
  pos: number;
  /** Identity and state at the last look, to notice growth, truncation and replacement. */
  dev: number;
  ino: number;
  mode: number;
  size: number;
  mtimeMs: number;
  /** Not followed any more (a pipe, or a file of a type that cannot be followed). */
  ignore: boolean;
  /** The errno code of the last failure to open it by name, if any. */
  errnum: string | undefined;
}

export default defineApplet({
  name: 'tail',
  summary: 'Print the last 10 lines of each FILE to standard output',
  usage: 'tail [OPTION]... [FILE]...',
  syncStdin: true,
  help: [
    'With more than one FILE, precede each with a header giving the file name.',
    'With no FILE, or when FILE is -, read standard input.',
    '',
    '-c, --bytes=[+]NUM\tOutput the last NUM bytes; or +NUM to output from byte NUM on',
    '-f, --follow[={name|descriptor}]\tOutput appended data as the file grows',
    '-F\t\t\tSame as --follow=name --retry',
    '-n, --lines=[+]NUM\tOutput the last NUM lines (default 10); or +NUM to output from line NUM on',
    '    --max-unchanged-stats=N\t(accepted; names are checked on every poll)',
    '    --pid=PID\t\tWith -f, stop after process PID dies',
    '-q, --quiet, --silent\tNever output headers giving file names',
    '    --retry\t\tKeep trying to open a file if it is inaccessible',
    '-s, --sleep-interval=N\tWith -f, sleep N seconds (default 1.0) between checks',
    '-v, --verbose\t\tAlways output headers giving file names',
    '-z, --zero-terminated\tLine delimiter is NUL, not newline',
    '',
    'NUM may have a multiplier suffix: b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024, ...',
  ].join('\n'),
  options: {
    c: { long: 'bytes', arg: 'string', overrides: 'n' },
    f: {},
    follow: { arg: 'optional' },
    F: {},
    n: { long: 'lines', arg: 'string', overrides: 'c' },
    'max-unchanged-stats': { arg: 'string' },
    pid: { arg: 'string' },
    q: { long: ['quiet', 'silent'], overrides: 'v' },
    retry: {},
    s: { long: 'sleep-interval', arg: 'string' },
    v: { long: 'verbose', overrides: 'q' },
    z: { long: 'zero-terminated' },
    '-disable-inotify': {},
    'presume-input-pipe': {},
    ...DIGITS,
  },
  rewriteArgs: rewriteObsolete,
  async run(ctx) {
    const o = ctx.opts;
    const digit = Object.keys(DIGITS).find((d) => o[d as keyof typeof DIGITS]);
    if (digit) throw new AppletError(`option used in invalid context -- ${digit}`);


    let lines = o.c === undefined;
    let fromStart = false;
    let count = 10;
    const spec = o.c ?? o.n;
    if (spec !== undefined) {
      let text = spec;
      if (text.startsWith('+')) fromStart = true;
      else if (text.startsWith('-')) text = text.slice(1);
      count = parseUnits(text, lines);
    }
    const forever = !!(o.f || o.F || o.follow !== undefined);
    const byName =
      !!o.F || (typeof o.follow === 'string' && argmatch(o.follow, [['descriptor', false], ['name', true]], '--follow'));
    let retry = !!(o.F || o.retry);
    let interval = 1;
    if (o.s !== undefined) {
      interval = Number(o.s.trim());
      if (!/^\s*\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(o.s) || !Number.isFinite(interval) || interval < 0) {
        throw new AppletError(`invalid number of seconds: '${o.s}'`);
      }
    }
    if (o['max-unchanged-stats'] !== undefined && !('value' in parseCount(o['max-unchanged-stats']))) {
      throw new AppletError(`invalid maximum number of unchanged stats between opens: '${o['max-unchanged-stats']}'`);
    }
    let pid: number | undefined;
    if (o.pid !== undefined) {
      const r = parseCount(o.pid, '', BigInt(2 ** 31 - 1));
      if (!('value' in r)) throw new AppletError(`invalid PID: '${o.pid}'`);
      pid = Number(r.value);
    }
    if (retry && !forever) {
      retry = false;
      await warning(ctx, '--retry ignored; --retry is useful only when following');
    } else if (retry && !byName) await warning(ctx, '--retry only effective for the initial open');
    if (pid !== undefined && !forever) await warning(ctx, 'PID ignored; --pid=PID is useful only when following');

    if (fromStart && count > 0) count--; // +N starts at item N: skip N-1
    const names = ctx.operands.length ? ctx.operands : ['-'];
    if (forever && byName && names.includes('-')) throw new AppletError("cannot follow '-' by name");
    if (count === 0 && !forever && !fromStart) return 0; // nothing could be printed: not even opened, as GNU

    const delimiter = o.z ? 0 : 10;
    const headers = new Headers(o.v ? true : o.q ? false : names.length > 1);
    const files: Tailed[] = [];
    let status = 0;
    try {
      for (const name of names) {
        const file = openTailed(ctx, name);
        files.push(file);
        if (file.errnum !== undefined) {
          status = await ctx.warn(new AppletError(`cannot open ${quoteaf(name)} for reading: ${errorText({ code: file.errnum })}`));
          if (!retry) file.ignore = true;
          continue;
        }
        await headers.print(ctx.stdout, name);
        try {
          await tailOne(ctx, file, { count, lines, fromStart, delimiter });
        } catch (err) {
          if (errorCode(err) === undefined) throw err;
          status = await ctx.warn(new AppletError(`error reading ${quoteaf(name)}: ${errorText(err)}`));
          file.ignore = true;
          if (forever) await ctx.warn(new AppletError(`${quotef(name)}: cannot follow end of this type of file; giving up on this name`));
        }
        if (!followable(file)) file.ignore = true;
      }
      if (forever && files.some((f) => !f.ignore)) {
        await follow(ctx, files, { byName, retry, pid, interval, headers });
      }
    } finally {
      for (const f of files) if (f.owned && f.fd !== undefined) fs.closeSync(f.fd);
    }
    return status;
  },
});

async function warning(ctx: Ctx, text: string): Promise<void> {
  await ctx.stderr.write(`${ctx.name}: warning: ${text}\n`);
}

/**
 * `tail -5`, `tail +3`, `tail -5c`, `tail -3lf file`: GNU accepts a first word of [+-]digits and
 * one of b/c/l and f, when at most one file follows. It becomes the -n/-c/-f it stands for.
 */
function rewriteObsolete(args: readonly string[]): string[] {
  const n = args.length;
  const second = args[1];
  if (!(n === 1 || (n === 2 && !(second!.startsWith('-') && second!.length > 1)) || (n >= 2 && n <= 3 && second === '--'))) {
    return [...args];
  }
  const m = /^([+-])(\d*)([bcl]?)(f?)$/.exec(args[0]!);
  if (!m) return [...args];
  const [, sign, digits, unit, f] = m;
  if (sign === '-' && (digits === '' && unit === '' && f === '')) return [...args]; // `-` is stdin
  if (sign === '-' && digits === '' && unit === 'c' && f === '') return [...args]; // -c wants a value
  let count = unit === 'b' ? 5120 : 10;
  if (digits) {
    const r = parseCount(digits + (unit === 'b' ? 'b' : ''), 'b');
    if (!('value' in r)) throw new AppletError(`invalid number: '${args[0]}': Numerical result out of range`);
    count = Number(r.value);
  }
  const lines = unit === '' || unit === 'l';
  return [lines ? '-n' : '-c', `${sign === '+' ? '+' : ''}${count}`, ...(f ? ['-f'] : []), ...args.slice(1)];
}

function openTailed(ctx: Ctx, name: string): Tailed {
  const file: Tailed = { name, fd: undefined, owned: false, pos: 0, dev: 0, ino: 0, mode: 0, size: 0, mtimeMs: 0, ignore: false, errnum: undefined };
  if (name === '-') {
    const src = ctx.stdin;
    if (src instanceof FdSource && !src.hasUnread()) {
      file.fd = src.fd;
      file.pos = (src.isRegularFile() ? descriptorOffset(src.fd) : 0) ?? 0;
    }
    return file;
  }
  try {
    file.fd = fs.openSync(fsPath(ctx.path(name)), 'r');
    file.owned = true;
  } catch (err) {
    file.errnum = errorCode(err) ?? 'EIO';
  }
  return file;
}

/** Standard input that is a pipe is not followed (POSIX says so); a file not yet there may appear. */
function followable(f: Tailed): boolean {
  if (f.fd === undefined) return f.name !== '-';
  return f.name !== '-' || !fs.fstatSync(f.fd).isFIFO();
}

interface Amount {
  count: number;
  lines: boolean;
  fromStart: boolean;
  delimiter: number;
}

/** Print one file's tail, and note where following it would continue. */
async function tailOne(ctx: Ctx, file: Tailed, a: Amount): Promise<void> {
  const out = ctx.stdout;
  if (file.fd !== undefined) {
    const st = fs.fstatSync(file.fd);
    Object.assign(file, { dev: st.dev, ino: st.ino, mode: st.mode, mtimeMs: st.mtimeMs });
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (st.isFile() && st.size > file.pos) {
      file.pos = await tailRegular(file.fd, file.pos, st.size, a, out);
      file.size = file.pos;
      return;
    }
  }
  const src = file.name === '-' ? ctx.stdin : new FdSource(file.fd!);
  await tailStream(src, a, out);
  if (file.fd !== undefined) {
    const st = fs.fstatSync(file.fd);
    if (st.isFile()) file.pos = file.size = st.size;
  }
}

/** A regular file: find where to start without reading what will not be printed, then copy to the
 *  end (which may have moved on since). Returns the offset reached. */
async function tailRegular(fd: number, start: number, size: number, a: Amount, out: ByteSink): Promise<number> {
  let from: number;
  if (a.fromStart) {
    if (!a.lines) from = start + Math.min(a.count, size - start);
    else from = skipLines(fd, start, a.count, a.delimiter);
  } else if (!a.lines) from = Math.max(start, size - a.count);
  else from = lastLinesStart(fd, start, size, a.count, a.delimiter);
  return copyFrom(fd, from, out);
}

/** Offset after `count` lines from `start` (or the end). */
function skipLines(fd: number, start: number, count: number, delimiter: number): number {
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  let pos = start;
  while (count > 0) {
    const n = fs.readSync(fd, buf, 0, CHUNK_SIZE, pos);
    if (n === 0) return pos;
    let at = 0;
    while (count > 0) {
      const nl = buf.indexOf(delimiter, at);
      if (nl === -1 || nl >= n) break;
      at = nl + 1;
      count--;
    }
    pos += count === 0 ? at : n;
  }
  return pos;
}

/** Where the last `count` lines of [start, size) begin, reading backwards from the end. */
function lastLinesStart(fd: number, start: number, size: number, count: number, delimiter: number): number {
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  let end = size;
  let first = true;
  while (end > start) {
    const len = Math.min(CHUNK_SIZE, end - start);
    const blockStart = end - len;
    const n = fs.readSync(fd, buf, 0, len, blockStart);
    let i = blockStart + n - 1 - blockStart;
    if (first) {
      first = false;
      if (n > 0 && buf[n - 1] === delimiter) i--; // the last line's own terminator
    }
    for (; i >= 0; i--) {
      i = buf.lastIndexOf(delimiter, i);
      if (i === -1) break;
      if (--count === 0) return blockStart + i + 1;
      if (i === 0) break;
    }
    end = blockStart;
  }
  return start;
}

/** Copy from `pos` to the end of the file; returns the offset reached. */
async function copyFrom(fd: number, pos: number, out: ByteSink): Promise<number> {
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK_SIZE);
    const n = fs.readSync(fd, buf, 0, CHUNK_SIZE, pos);
    if (n === 0) return pos;
    pos += n;
    await out.write(buf.subarray(0, n));
  }
}

/** Anything that can only be read through once: keep what may still have to be printed. */
async function tailStream(src: ByteSource, a: Amount, out: ByteSink): Promise<void> {
  if (a.fromStart) {
    let skip = a.count;
    for (let chunk = await src.read(); chunk; chunk = await src.read()) {
      if (skip > 0) {
        let at = 0;
        if (!a.lines) at = Math.min(skip, chunk.length), (skip -= at);
        else {
          while (skip > 0) {
            const nl = chunk.indexOf(a.delimiter, at);
            if (nl === -1) {
              at = chunk.length;
              break;
            }
            at = nl + 1;
            skip--;
          }
        }
        chunk = chunk.subarray(at);
      }
      if (chunk.length) await out.write(chunk);
    }
    return;
  }
  const held: Uint8Array[] = [];
  const ends: number[] = [];
  let heldBytes = 0;
  let heldEnds = 0;
  for (let chunk = await src.read(); chunk; chunk = await src.read()) {
    const e = a.lines ? countByte(chunk, a.delimiter) : 0;
    held.push(chunk);
    ends.push(e);
    heldBytes += chunk.length;
    heldEnds += e;
    // Drop whole chunks from the front while what remains still holds enough.
    while (held.length > 1 && (a.lines ? heldEnds - ends[0]! >= a.count + 1 : heldBytes - held[0]!.length >= a.count)) {
      heldBytes -= held.shift()!.length;
      heldEnds -= ends.shift()!;
    }
  }
  const data = Buffer.concat(held);
  let from: number;
  if (!a.lines) from = Math.max(0, data.length - a.count);
  else {
    from = 0;
    let count = a.count;
    let i = data.length - 1;
    if (i >= 0 && data[i] === a.delimiter) i--;
    for (; i >= 0 && count > 0; i--) {
      i = data.lastIndexOf(a.delimiter, i);
      if (i === -1) break;
      if (--count === 0) from = i + 1;
    }
    if (count > 0) from = 0;
  }
  if (from < data.length) await out.write(data.subarray(from));
}

interface FollowSettings {
  byName: boolean;
  retry: boolean;
  pid: number | undefined;
  interval: number;
  headers: Headers;
}

/** Follow the files until ctx.signal aborts, the --pid process dies, or nothing is left to follow. */
async function follow(ctx: Ctx, files: Tailed[], s: FollowSettings): Promise<void> {
  const waker = new Waker(ctx.signal);
  let last = files.length - 1; // whose output was printed last, so whose header needs no repeating
  try {
    for (const f of files) if (!f.ignore) waker.watch(ctx.path(f.name), f.name === '-');
    let writerDead = false;
    while (!ctx.signal.aborted) {
      let anyInput = false;
      for (const [i, f] of files.entries()) {
        if (f.ignore) continue;
        if (s.byName && (await recheck(ctx, f, s.retry))) waker.watch(ctx.path(f.name), false);
        if (f.fd === undefined) continue;
        let st: fs.Stats;
        try {
          st = fs.fstatSync(f.fd);
        } catch (err) {
          await ctx.warn(err, quotef(f.name));
          closeTailed(f);
          continue;
        }
        if (st.mode === f.mode && (!st.isFile() || st.size === f.size) && st.mtimeMs === f.mtimeMs) continue;
        f.mtimeMs = st.mtimeMs;
        f.mode = st.mode;
        if (st.isFile() && st.size < f.size) {
          await ctx.stderr.write(`${ctx.name}: ${quotef(f.name)}: file truncated\n`);
          f.pos = 0;
          f.size = 0;
        }
        const buf = Buffer.allocUnsafe(CHUNK_SIZE);
        let read = 0;
        for (;;) {
          const n = fs.readSync(f.fd, buf, 0, CHUNK_SIZE, st.isFile() ? f.pos : null);
          if (n === 0) break;
          if (read === 0 && i !== last) {
            await s.headers.print(ctx.stdout, f.name);
            last = i;
          }
          read += n;
          f.pos += n;
          await ctx.stdout.write(buf.subarray(0, n));
        }
        f.size = st.isFile() ? Math.max(f.pos, st.size) : f.size + read;
        if (read) anyInput = true;
      }
      if (!files.some((f) => !f.ignore && (f.fd !== undefined || s.retry))) {
        await ctx.stderr.write(`${ctx.name}: no files remaining\n`);
        return;
      }
      if (!anyInput) {
        if (writerDead) return;
        writerDead = s.pid !== undefined && !processAlive(ctx, s.pid);
        if (!writerDead) await waker.sleep(s.interval * 1000);
      }
    }
  } finally {
    waker.close();
  }
}

function closeTailed(f: Tailed): void {
  if (f.owned && f.fd !== undefined) fs.closeSync(f.fd);
  f.fd = undefined;
  f.owned = false;
}

/**
 * Following by name: reopen the name and compare. Reports, in GNU's words, a file that became
 * inaccessible, appeared, or was replaced; returns true when a new file is being followed.
 */
async function recheck(ctx: Ctx, f: Tailed, retry: boolean): Promise<boolean> {
  const say = (text: string) => ctx.stderr.write(`${ctx.name}: ${text}\n`);
  let st: fs.Stats;
  try {
    st = fs.statSync(fsPath(ctx.path(f.name)));
    if (!st.isFile() && !st.isCharacterDevice() && !st.isFIFO()) {
      if (f.fd !== undefined || f.errnum !== 'UNTAILABLE') {
        await say(`${quoteaf(f.name)} has been replaced with an untailable file; giving up on this name`);
      }
      closeTailed(f);
      f.ignore = true;
      return false;
    }
  } catch (err) {
    const code = errorCode(err) ?? 'EIO';
    if (f.fd !== undefined || f.errnum !== code) await say(`${quoteaf(f.name)} has become inaccessible: ${errorText(err)}`);
    closeTailed(f);
    f.errnum = code;
    if (!retry) f.ignore = true;
    return false;
  }
  if (f.fd !== undefined && st.ino === f.ino && st.dev === f.dev) return false;
  let fd: number;
  try {
    fd = fs.openSync(fsPath(ctx.path(f.name)), 'r');
  } catch (err) {
    const code = errorCode(err) ?? 'EIO';
    if (f.fd !== undefined || f.errnum !== code) await say(`${quoteaf(f.name)} has become inaccessible: ${errorText(err)}`);
    closeTailed(f);
    f.errnum = code;
    return false;
  }
  if (f.errnum !== undefined && f.errnum !== 'ENOENT') await say(`${quoteaf(f.name)} has become accessible`);
  else if (f.fd === undefined) await say(`${quoteaf(f.name)} has appeared;  following new file`);
  else await say(`${quoteaf(f.name)} has been replaced;  following new file`);
  closeTailed(f);
  const now = fs.fstatSync(fd);
  Object.assign(f, { fd, owned: true, pos: 0, size: 0, dev: now.dev, ino: now.ino, mode: -1, mtimeMs: -1, errnum: undefined });
  return true;
}

function processAlive(ctx: Ctx, pid: number): boolean {
  try {
    ctx.host.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}

/** Sleeps between polls; file-system notifications and ctx.signal end a sleep early. */
class Waker {
  private watchers = new Map<string, fs.FSWatcher>();
  private wake: (() => void) | undefined;
  private pending = false;
  constructor(private readonly signal: AbortSignal) {}
  watch(path: string, isStdin: boolean): void {
    if (isStdin) return;
    this.watchers.get(path)?.close();
    try {
      const w = fs.watch(fsPath(path), { persistent: false }, () => this.poke());
      w.on('error', () => w.close());
      this.watchers.set(path, w);
    } catch {
      // not there (yet): polling notices it
    }
  }
  private poke(): void {
    this.pending = true;
    this.wake?.();
  }
  async sleep(ms: number): Promise<void> {
    if (this.pending || this.signal.aborted) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done);
      this.wake = done;
    });
    this.pending = false;
  }
  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
