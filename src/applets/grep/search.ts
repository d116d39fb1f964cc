// Searching one input, as GNU grep does it: the input is read into a byte buffer of whole lines, the
// pattern is searched for in the whole buffer rather than line by line (a literal straight in the
// bytes; a regular expression in the text of the region, or only in the lines holding a literal
// every match needs), and only the lines that are printed are ever decoded. Context, group
// separators, counts, byte offsets, binary files and early stops follow grep.c's rules.
import * as fs from 'node:fs';
import { type ByteSource, FdSource, type StringBatch } from '../../core/io.js';

/** GNU reads 96 KiB at a time; a buffer holding a NUL byte makes the file binary from there on. */
export const READ_UNIT = 96 * 1024;
/** How much of a regular file one read takes (a whole number of units). */
const BATCH = READ_UNIT * 10;

/** The buffer of whole lines being searched. */
export interface Haystack {
  /** The bytes read so far that are kept (positions are offsets in it). */
  readonly data: Buffer;
  /** [from, lim) as a binary string, with the position its first character has in data (a region
   *  decoded once serves every search in it). */
  region(from: number, lim: number): { text: string; base: number };
}

/** The position of the first match at or after `from` (a line start), or -1; positions at or past
 *  `lim` count as none. */
export type Finder = (h: Haystack, from: number, lim: number) => number;

/** The leftmost (POSIX: then longest) match in a line at or after `from`. */
export interface Extractor {
  exec(line: string, from: number, wantGroups: false): { start: number; end: number } | null;
}

export interface Colors {
  ms: string; // selected match
  mc: string; // context match
  sl: string; // selected line
  cx: string; // context line
  fn: string;
  ln: string;
  bn: string;
  se: string;
  /** rv: with -v, swap sl and cx */
  rv: boolean;
  /** ne: no \33[K after each sequence */
  ne: boolean;
}

export interface GrepConfig {
  find: Finder;
  /** Leftmost-longest matcher for -o and --color (regcomp's reading of the pattern). */
  extract?: Extractor;
  invert: boolean;
  count: boolean;
  listFiles: 'none' | 'matching' | 'nonmatching';
  /** -q: stop everything at the first selected line. */
  exitOnMatch: boolean;
  /** Stop reading an input at its first selected line (-q, -l, -L, output to /dev/null). */
  doneOnMatch: boolean;
  onlyMatching: boolean;
  lineNumbers: boolean;
  byteOffset: boolean;
  initialTab: boolean;
  /** -Z: a NUL instead of the separator after file names. */
  nullAfterName: boolean;
  /** Context lines; -1: not asked for (no group separators then). */
  before: number;
  after: number;
  maxCount: number;
  groupSeparator: string | null;
  colors: Colors | null;
  binaryFiles: 'binary' | 'text' | 'without-match';
  /** '\n', or '\0' under -z */
  eol: string;
  suppressErrors: boolean;
  /** Stop reading when this aborts (^C, a pipeline torn down). */
  signal: AbortSignal;
}

/** Raised to end the whole run at once (-q after a selected line). */
export class StopAll extends Error {}

interface Chunk {
  data: Buffer;
}

/** Shared across inputs: the output, whether anything was printed (for `--` between files). */
export class Grep {
  used = false;
  /** out_quiet and done_on_match as set by the options (binary files change them per input). */
  readonly outQuiet: boolean;
  readonly doneOnMatch: boolean;

  constructor(
    readonly cfg: GrepConfig,
    readonly out: StringBatch,
    private readonly warn: (message: string) => Promise<void>,
  ) {
    this.doneOnMatch = cfg.doneOnMatch;
    this.outQuiet = cfg.count || this.doneOnMatch || cfg.exitOnMatch;
  }

  /** Search one input and print what the options ask for; returns the number of selected lines. */
  async search(src: ByteSource, name: string, showName: boolean, size: number | undefined, isStdin: boolean): Promise<number> {
    const run = new InputSearch(this, src, name, showName, size, this.outQuiet, this.doneOnMatch, isStdin);
    const lines = await run.search();
    const cfg = this.cfg;
    if (cfg.count) {
      if (showName) this.put(this.fileName(name) + (cfg.nullAfterName ? '\0' : this.sep(':')));
      this.put(`${lines}\n`);
    }
    if (cfg.listFiles !== 'none' && (cfg.listFiles === 'matching') === lines > 0) {
      this.put(this.fileName(name) + (cfg.nullAfterName ? '\0' : '\n'));
    }
    return lines;
  }

  put(s: string): void {
    this.out.put(s);
  }

  message(text: string): Promise<void> {
    return this.warn(text);
  }

  sgrStart(color: string): string {
    if (!color) return '';
    return this.cfg.colors!.ne ? `\x1b[${color}m` : `\x1b[${color}m\x1b[K`;
  }
  sgrEnd(color: string): string {
    if (!color) return '';
    return this.cfg.colors!.ne ? '\x1b[m' : '\x1b[m\x1b[K';
  }
  colored(color: string | undefined, s: string): string {
    return color ? this.sgrStart(color) + s + this.sgrEnd(color) : s;
  }
  fileName(name: string): string {
    return this.colored(this.cfg.colors?.fn, name);
  }
  sep(c: string): string {
    return this.colored(this.cfg.colors?.se, c);
  }
}

/** The state of one input being searched (grep.c's file-level statics). */
class InputSearch implements Haystack {
  private readonly cfg: GrepConfig;
  private readonly eol: string;
  private readonly eolByte: number;
  private buf = Buffer.allocUnsafe(BATCH * 2);
  data = Buffer.alloc(0);
  private decoded: { from: number; lim: number; text: string } | undefined;
  /** Byte offset of data[0] in the input. */
  private totalcc = 0;
  /** Lines counted before `lastnl`. */
  private totalnl = 0;
  private lastnl = 0;
  /** Position after the last printed line in `data`, or -1. */
  private lastout = -1;
  private pending = 0;
  private outleft: number;
  /** Lines selected so far (outleft counts down from -m, possibly from Infinity). */
  private selected = 0;
  private nlinesFirstNull = -1;
  private zapNuls = false;
  private afterLastMatch = 0;
  private offsetWidth = 0;
  /** Selected lines waiting to be printed as one piece: [runStart, runEnd), or -1. */
  private runStart = -1;
  private runEnd = -1;

  /** Selected lines are printed exactly as read: no names, numbers, offsets, colours or -o. */
  private readonly plainLines: boolean;

  constructor(
    private readonly g: Grep,
    private readonly src: ByteSource,
    private readonly name: string,
    private readonly showName: boolean,
    private readonly size: number | undefined,
    private outQuiet: boolean,
    private doneOnMatch: boolean,
    private readonly isStdin: boolean,
  ) {
    this.cfg = g.cfg;
    this.eol = g.cfg.eol;
    this.eolByte = g.cfg.eol.charCodeAt(0);
    this.outleft = g.cfg.maxCount;
    const c = g.cfg;
    this.plainLines = !showName && !c.lineNumbers && !c.byteOffset && !c.colors && !c.onlyMatching;
  }

  private put(s: string): void {
    if (this.runStart >= 0) this.flushRun();
    this.g.out.put(s);
  }

  /** A selected line printed as read: adjacent ones are copied out as one run. */
  private putPlain(beg: number, lim: number): void {
    if (beg !== this.runEnd) {
      if (this.runStart >= 0) this.flushRun();
      this.runStart = beg;
    }
    this.runEnd = lim;
    this.lastout = lim;
  }

  private flushRun(): void {
    const start = this.runStart;
    const end = this.runEnd;
    this.runStart = this.runEnd = -1;
    if (start >= 0) this.g.out.put(this.slice(start, end));
  }

  /** Before the buffer moves or anything else is said: the pending run out, and the output written
   *  when there is enough of it. */
  private async flushPending(): Promise<void> {
    if (this.runStart >= 0) this.flushRun();
    if (this.g.out.full) await this.g.out.flush();
  }

  async search(): Promise<number> {
    const cfg = this.cfg;
    const eol = this.eol;
    if (cfg.initialTab) {
      // GNU: the width of the largest possible number, from the file size.
      let num = this.size ?? Number.MAX_SAFE_INTEGER;
      if (this.size !== undefined && cfg.lineNumbers) num += 1;
      this.offsetWidth = this.size === undefined ? 19 : String(num).length;
    }
    let nlines = 0;
    let residue = 0;
    let save = 0;
    let stopped = false;
    let eof = false;
    const reader = new ChunkReader(this.src);
    for (;;) {
      // Before waiting on a pipe or terminal, show what was found so far (`tail -f log | grep x`).
      if (!reader.regular) await this.g.out.flush();
      const chunk = cfg.signal.aborted ? null : await reader.next();
      if (!chunk) {
        eof = true;
        break;
      }
      const fresh = chunk.data;
      if (this.nlinesFirstNull < 0 && eol === '\n' && cfg.binaryFiles !== 'text' && fresh.indexOf(0) >= 0) {
        if (cfg.binaryFiles === 'without-match') {
          reader.drainLater = true;
          nlines = 0;
          stopped = true;
          break;
        }
        if (!cfg.count) {
          this.outQuiet = true;
          if (cfg.maxCount === Infinity) this.doneOnMatch = true;
        }
        this.nlinesFirstNull = nlines;
        this.zapNuls = true;
      }
      // Keep the saved tail (leading context and the incomplete last line) in front of the new data.
      const dropped = this.data.length - save;
      this.totalcc += dropped;
      if (this.lastout >= 0) this.lastout -= dropped;
      this.append(dropped, save, fresh);
      this.lastnl = 0;
      let beg = save;
      const lastEol = this.data.lastIndexOf(this.eolByte);
      beg -= residue;
      const lim = lastEol >= beg ? lastEol + 1 : beg;
      residue = this.data.length - lim;
      if (beg < lim) {
        if (this.outleft > 0) nlines += this.grepbuf(beg, lim);
        if (this.pending > 0) this.prpending(lim);
        await this.flushPending();
        if ((this.outleft <= 0 && this.pending <= 0) || (this.doneOnMatch && Math.max(0, this.nlinesFirstNull) < nlines)) {
          stopped = true;
          break;
        }
      }
      // The last `before` lines may be leading context for a match at the start of the next data.
      let b = lim;
      for (let i = 0; i < cfg.before && b > 0 && b !== this.lastout; i++) b = this.lineStartBefore(b);
      if (b !== this.lastout) this.lastout = -1;
      save = residue + lim - b;
      if (cfg.lineNumbers) this.nlscan(b);
    }
    if (eof && residue) {
      // The last line has no newline: search it as if it had one (and print it with one).
      this.append(0, this.data.length, Buffer.from(eol, 'latin1'));
      const end = this.data.length;
      if (this.outleft > 0) nlines += this.grepbuf(end - residue - 1, end);
      if (this.pending > 0) this.prpending(end);
      await this.flushPending();
    }
    if (stopped && this.isStdin) await this.finalizeStdin(reader);
    if (
      this.cfg.binaryFiles === 'binary' &&
      !this.g.outQuiet &&
      this.nlinesFirstNull >= 0 &&
      this.nlinesFirstNull < nlines
    ) {
      await this.g.out.flush();
      await this.g.message(`${this.name}: binary file matches`);
    }
    return nlines;
  }

  /** Leave standard input as GNU does: after -m, just after the last selected line (so the next
   *  reader continues there); otherwise read to its end. */
  private async finalizeStdin(reader: ChunkReader): Promise<void> {
    if (this.outleft <= 0 && !reader.drainLater) {
      reader.giveBack(Buffer.from(this.data.subarray(this.afterLastMatch - this.totalcc)));
      return;
    }
    await reader.drain();
  }

  /** data = data[from, from + keep) followed by more bytes (NULs made line ends in a binary file). */
  private append(from: number, keep: number, more: Buffer): void {
    const need = keep + more.length;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, from, from + keep);
      this.buf = bigger;
    } else if (from > 0 && keep > 0) this.buf.copyWithin(0, from, from + keep);
    more.copy(this.buf, keep);
    if (this.zapNuls) {
      for (let z = this.buf.indexOf(0, keep); z >= 0 && z < need; z = this.buf.indexOf(0, z + 1)) this.buf[z] = this.eolByte;
    }
    this.data = this.buf.subarray(0, need);
    this.decoded = undefined;
  }

  region(from: number, lim: number): { text: string; base: number } {
    const d = this.decoded;
    if (d && d.from <= from && d.lim === lim) return { text: d.text, base: d.from };
    const text = this.data.toString('latin1', from, lim);
    this.decoded = { from, lim, text };
    return { text, base: from };
  }

  private slice(from: number, to: number): string {
    return this.data.toString('latin1', from, to);
  }

  private lineStartBefore(p: number): number {
    // p is a line start > 0; the start of the line before it
    return p >= 2 ? this.data.lastIndexOf(this.eolByte, p - 2) + 1 : 0;
  }

  private lineEnd(p: number): number {
    return this.data.indexOf(this.eolByte, p) + 1;
  }

  private nlscan(lim: number): void {
    const data = this.data;
    const eol = this.eolByte;
    let n = 0;
    for (let i = data.indexOf(eol, this.lastnl); i !== -1 && i < lim; i = data.indexOf(eol, i + 1)) n++;
    this.totalnl += n;
    this.lastnl = lim;
  }

  /** Scan [beg, lim) for selected lines (or the gaps between matches, with -v). */
  private grepbuf(beg: number, lim: number): number {
    const cfg = this.cfg;
    const data = this.data;
    const eol = this.eolByte;
    const selected0 = this.selected;
    let p = beg;
    while (p < lim) {
      const m = cfg.find(this, p, lim);
      let b: number;
      let endp: number;
      if (m < 0 || m >= lim) {
        if (!cfg.invert) break;
        b = lim;
        endp = lim;
      } else {
        b = m === 0 ? 0 : data.lastIndexOf(eol, m - 1) + 1;
        if (b < p) b = p;
        endp = data.indexOf(eol, m) + 1;
      }
      if (!cfg.invert && b === lim) break;
      if (!cfg.invert || p < b) {
        if (cfg.listFiles !== 'none') return 1;
        this.prtext(cfg.invert ? p : b, cfg.invert ? b : endp);
        if (this.outleft <= 0 || this.doneOnMatch) {
          if (cfg.exitOnMatch) throw new StopAll();
          break;
        }
      }
      p = endp;
    }
    return this.selected - selected0;
  }

  private prtext(beg: number, lim: number): void {
    const cfg = this.cfg;
    if (!this.outQuiet && this.pending > 0) this.prpending(beg);
    let p = beg;
    if (!this.outQuiet) {
      const bp = this.lastout >= 0 ? this.lastout : 0;
      for (let i = 0; i < cfg.before; i++) if (p > bp) p = this.lineStartBefore(p);
      if ((cfg.before >= 0 || cfg.after >= 0) && this.g.used && p !== this.lastout && cfg.groupSeparator !== null) {
        this.put(this.g.colored(cfg.colors?.se, cfg.groupSeparator) + '\n');
      }
      while (p < beg) {
        const nl = this.lineEnd(p);
        this.prline(p, nl, '-');
        p = nl;
      }
    }
    let n: number;
    if (cfg.invert) {
      if (this.outQuiet || this.plainLines) {
        // Lines printed as they are (or not at all): count them, then copy the run in one piece.
        const start = p;
        for (n = 0; p < lim && n < this.outleft; n++) p = this.lineEnd(p);
        if (!this.outQuiet && p > start) {
          this.put(this.slice(start, p));
          this.lastout = p;
        }
      } else {
        for (n = 0; p < lim && n < this.outleft; n++) {
          const nl = this.lineEnd(p);
          this.prline(p, nl, ':');
          p = nl;
        }
      }
    } else {
      if (this.outQuiet) {
        // nothing to print
      } else if (this.plainLines) this.putPlain(beg, lim);
      else this.prline(beg, lim, ':');
      n = 1;
      p = lim;
    }
    this.afterLastMatch = this.totalcc + p;
    this.pending = this.outQuiet ? 0 : Math.max(0, cfg.after);
    this.g.used = true;
    this.outleft -= n;
    this.selected += n;
  }

  private prpending(lim: number): void {
    if (this.lastout < 0) this.lastout = 0;
    for (; this.pending > 0 && this.lastout < lim; this.pending--) {
      this.prline(this.lastout, this.lineEnd(this.lastout), '-');
    }
  }

  private prline(beg: number, lim: number, sep: string): void {
    const cfg = this.cfg;
    const colors = cfg.colors;
    if (!cfg.onlyMatching) this.head(beg, lim - beg - 1, lim, sep);
    const matching = (sep === ':') !== cfg.invert;
    let lineColor = '';
    let matchColor = '';
    if (colors) {
      lineColor = (sep === ':') !== (cfg.invert && colors.rv) ? colors.sl : colors.cx;
      matchColor = sep === ':' ? colors.ms : colors.mc;
    }
    if ((cfg.onlyMatching && matching) || (colors && (lineColor || matchColor))) {
      if (matching && (cfg.onlyMatching || matchColor)) beg = this.printLineMiddle(beg, lim, lineColor, matchColor);
      if (!cfg.onlyMatching && lineColor) beg = this.printLineTail(beg, lim, lineColor);
    }
    if (!cfg.onlyMatching && lim > beg) this.put(this.slice(beg, lim));
    this.lastout = lim;
  }

  private head(beg: number, len: number, lim: number, sep: string): void {
    const cfg = this.cfg;
    let s = '';
    if (this.showName) s += this.g.fileName(this.name) + (cfg.nullAfterName ? '\0' : this.g.sep(sep));
    if (cfg.lineNumbers) {
      if (this.lastnl < lim) {
        this.nlscan(beg);
        this.totalnl++;
        this.lastnl = lim;
      }
      s += this.g.colored(cfg.colors?.ln, String(this.totalnl).padStart(this.offsetWidth)) + this.g.sep(sep);
    }
    if (cfg.byteOffset) s += this.g.colored(cfg.colors?.bn, String(this.totalcc + beg).padStart(this.offsetWidth)) + this.g.sep(sep);
    if (cfg.initialTab && (this.showName || cfg.lineNumbers || cfg.byteOffset) && len !== 0) s += '\t';
    if (s) this.put(s);
  }

  private printLineMiddle(beg: number, lim: number, lineColor: string, matchColor: string): number {
    const cfg = this.cfg;
    const g = this.g;
    const line = this.slice(beg, lim - 1);
    let cur = 0;
    let mid = -1;
    while (cur <= line.length) {
      const m = cfg.extract!.exec(line, cur, false);
      if (!m) break;
      const b = m.start;
      let size = m.end - m.start;
      if (size === 0) {
        size = 1;
        if (mid < 0) mid = cur;
      } else {
        if (cfg.onlyMatching) this.head(beg + b, size, lim, cfg.invert ? '-' : ':');
        else {
          if (mid >= 0) {
            cur = mid;
            mid = -1;
          }
          this.put(g.sgrStart(lineColor) + line.slice(cur, b));
        }
        this.put(cfg.colors ? g.sgrStart(matchColor) + line.slice(b, b + size) + g.sgrEnd(matchColor) : line.slice(b, b + size));
        if (cfg.onlyMatching) this.put(this.eol);
      }
      cur = b + size;
    }
    if (cfg.onlyMatching) return lim;
    return beg + (mid >= 0 ? mid : Math.min(cur, line.length));
  }

  private printLineTail(beg: number, lim: number, lineColor: string): number {
    const data = this.data;
    let eolSize = lim > beg && data[lim - 1] === this.eolByte ? 1 : 0;
    if (lim - eolSize > beg && data[lim - 1 - eolSize] === 0x0d) eolSize++;
    const tail = lim - eolSize - beg;
    if (tail > 0) {
      this.put(this.g.sgrStart(lineColor) + this.slice(beg, beg + tail) + this.g.sgrEnd(lineColor));
      beg += tail;
    }
    return beg;
  }
}

/** Reads an input in chunks: a regular file in large reads into one reused buffer (a fresh buffer
 *  per read costs page faults), anything else as its source gives it. A chunk holding a NUL is split
 *  where the 96 KiB unit holding it starts, so binary files are detected where GNU detects them in a
 *  regular file (in a pipe GNU's units are whatever each read returns). */
class ChunkReader {
  private queue: Buffer[] = [];
  private ended = false;
  private offset = 0;
  private buffer: Buffer | undefined;
  private readonly fd: number | undefined;
  drainLater = false;
  constructor(private readonly src: ByteSource) {
    this.fd = src instanceof FdSource && src.isRegularFile() ? src.fd : undefined;
  }

  /** Reads never wait (a regular file). */
  get regular(): boolean {
    return this.fd !== undefined;
  }

  async next(): Promise<Chunk | null> {
    let data = this.queue.shift();
    if (!data) {
      if (this.ended) return null;
      const back = this.src.takeUnread?.();
      if (back) data = Buffer.from(back.buffer, back.byteOffset, back.byteLength);
      else if (this.fd !== undefined) {
        this.buffer ??= Buffer.allocUnsafe(BATCH);
        const n = fs.readSync(this.fd, this.buffer, 0, BATCH, null);
        if (n === 0) {
          this.ended = true;
          return null;
        }
        data = this.buffer.subarray(0, n);
      } else {
        const chunk = await this.src.read();
        if (!chunk) {
          this.ended = true;
          return null;
        }
        data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      const z = data.indexOf(0);
      if (z >= 0) {
        const cut = Math.floor((this.offset + z) / READ_UNIT) * READ_UNIT - this.offset;
        if (cut > 0) {
          this.queue.push(data.subarray(cut));
          data = data.subarray(0, cut);
        }
      }
    }
    this.offset += data.length;
    return { data };
  }

  giveBack(rest: Buffer): void {
    // Copies: the queue may point into the reused read buffer.
    for (let i = this.queue.length - 1; i >= 0; i--) this.src.unread(Buffer.from(this.queue[i]!));
    this.queue = [];
    if (rest.length) this.src.unread(rest);
  }

  async drain(): Promise<void> {
    this.queue = [];
    if (this.ended) return;
    if (this.fd !== undefined) return; // a regular file: nothing waits on the rest of it
    while (await this.src.read());
    this.ended = true;
  }
}
