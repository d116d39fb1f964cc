// wc as GNU has it in the C locale: lines, words, characters (= bytes), bytes and the longest
// line's width, in that column order, right-aligned to a width GNU derives from the inputs' sizes,
// with a total line for several files. Counting bytes of a regular file only stats it; counting
// lines runs memchr over large chunks; the full count is one pass over the bytes.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { AppletError, UsageError, errorCode, errorText } from '../core/errors.js';
import { type ByteSource, FdSource, OutBuffer, eachInput, readAll, readMaybeSync } from '../core/io.js';
import { countByte } from '../core/lines.js';
import { regularFileAt } from '../core/offset.js';
import { quoteaf, quotef } from '../core/quote.js';

interface Counts {
  lines: number;
  words: number;
  chars: number;
  bytes: number;
  maxLine: number;
}

interface Wanted {
  lines: boolean;
  words: boolean;
  chars: boolean;
  bytes: boolean;
  maxLine: boolean;
}

// Per byte: 0 prints and continues a word, 1 is a newline, 2 \r or \f (ends the line's width),
// 3 tab, 4 space, 5 vertical tab, 6 neither prints nor separates (other controls, bytes >= 127).
const CLASS = new Uint8Array(256).map((_, b) =>
  b === 10 ? 1 : b === 13 || b === 12 ? 2 : b === 9 ? 3 : b === 32 ? 4 : b === 11 ? 5 : b > 32 && b < 127 ? 0 : 6,
);

export default defineApplet({
  name: 'wc',
  summary: 'Print newline, word, and byte counts for each FILE, and a total line if more than one FILE is given',
  usage: 'wc [OPTION]... [FILE]...\n  or:  wc [OPTION]... --files0-from=F',
  help: [
    'A word is a nonempty sequence of printable characters delimited by white space.',
    'With no FILE, or when FILE is -, read standard input.',
    '',
    '-c, --bytes\t\tPrint the byte counts',
    '-m, --chars\t\tPrint the character counts',
    '-l, --lines\t\tPrint the newline counts',
    '    --files0-from=F\tRead input from the files named by NUL-terminated names in file F (- for stdin)',
    '-L, --max-line-length\tPrint the maximum display width',
    '-w, --words\t\tPrint the word counts',
  ].join('\n'),
  syncStdin: true,
  options: {
    c: { long: 'bytes' },
    m: { long: 'chars' },
    l: { long: 'lines' },
    'files0-from': { arg: 'string' },
    L: { long: 'max-line-length' },
    w: { long: 'words' },
  },
  async run(ctx) {
    const o = ctx.opts;
    let want: Wanted = { lines: !!o.l, words: !!o.w, chars: !!o.m, bytes: !!o.c, maxLine: !!o.L };
    if (!Object.values(want).some(Boolean)) want = { lines: true, words: true, chars: false, bytes: true, maxLine: false };
    let names: string[];
    let fromList = false;
    if (o['files0-from'] !== undefined) {
      if (ctx.operands.length) {
        throw new UsageError(`extra operand '${ctx.operands[0]}'\nfile operands cannot be combined with --files0-from`);
      }
      names = await readNameList(ctx, o['files0-from']);
      fromList = true;
    } else names = ctx.operands.length ? [...ctx.operands] : ['-'];

    const single = Object.values(want).filter(Boolean).length === 1;
    const width = fromList ? 1 : numberWidth(ctx, names, single && names.length === 1);
    const out = new OutBuffer(ctx.stdout);
    const total: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLine: 0 };
    let status = 0;
    for await (const input of names.length ? eachInput(ctx, names) : []) {
      if (input.error) {
        await out.flush(); // as GNU's error() flushes stdout first
        status = await ctx.warn(input.error, quotef(input.name));
        continue;
      }
      let counts: Counts;
      try {
        counts = await count(input.source!, want);
      } catch (err) {
        if (errorCode(err) === undefined) throw err;
        await out.flush();
        status = await ctx.warn(err, quotef(input.name));
        counts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLine: 0 };
        // GNU still prints the (zero) counts of a file it could open but not read
      }
      total.lines += counts.lines;
      total.words += counts.words;
      total.chars += counts.chars;
      total.bytes += counts.bytes;
      total.maxLine = Math.max(total.maxLine, counts.maxLine);
      const p = out.put(row(counts, want, width, input.name === '-' && ctx.operands.length === 0 && !fromList ? undefined : input.name));
      if (p) await p;
    }
    if (names.length > 1) await out.put(row(total, want, width, 'total'));
    await out.flush();
    return status;
  },
});

function row(c: Counts, want: Wanted, width: number, name: string | undefined): string {
  const cols: string[] = [];
  if (want.lines) cols.push(String(c.lines).padStart(width));
  if (want.words) cols.push(String(c.words).padStart(width));
  if (want.chars) cols.push(String(c.chars).padStart(width));
  if (want.bytes) cols.push(String(c.bytes).padStart(width));
  if (want.maxLine) cols.push(String(c.maxLine).padStart(width));
  if (name !== undefined) cols.push(name);
  return `${cols.join(' ')}\n`;
}

/** GNU's column width: one when a single count of a single input is asked for; otherwise the
 *  digits of the regular files' total size, and at least 7 if any input is not a regular file. */
function numberWidth(ctx: Ctx, names: readonly string[], oneNumber: boolean): number {
  if (oneNumber) return 1;
  let minimum = 1;
  let size = 0;
  for (const name of names) {
    let st: fs.Stats;
    try {
      if (name === '-') {
        if (ctx.stdin.fd === undefined) {
          minimum = 7;
          continue;
        }
        st = fs.fstatSync(ctx.stdin.fd);
      } else st = fs.statSync(fsPath(ctx.path(name)));
    } catch {
      continue;
    }
    if (st.isFile()) size += st.size;
    else minimum = 7;
  }
  return Math.max(String(size).length, minimum);
}

/** Calls `each` with every chunk of src. A descriptor this process may block on is read into one
 *  reused buffer (no allocation, no promise per chunk); anything else chunk by chunk. */
async function eachChunk(src: ByteSource, each: (chunk: Uint8Array) => void): Promise<void> {
  if (src instanceof FdSource && !src.hasUnread() && src.readsSynchronously()) {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      let n = readMaybeSync(src.fd, buf);
      if (typeof n !== 'number') n = await n;
      if (n === 0) return;
      each(buf.subarray(0, n));
    }
  }
  for (let chunk = await src.read(); chunk; chunk = await src.read()) each(chunk);
}

/** The full count, chunk by chunk; words and line widths carry over between chunks. */
class Counter {
  lines = 0;
  words = 0;
  bytes = 0;
  maxLine = 0;
  private inWord = 0;
  private linePos = 0;
  feed(chunk: Uint8Array): void {
    let { lines, words, maxLine, inWord, linePos } = this;
    for (let i = 0; i < chunk.length; i++) {
      const k = CLASS[chunk[i]!]!;
      if (k === 0) {
        linePos++;
        inWord = 1;
        continue;
      }
      if (k === 6) continue;
      if (k <= 2) {
        if (k === 1) lines++;
        if (linePos > maxLine) maxLine = linePos;
        linePos = 0;
      } else if (k === 3) linePos += 8 - (linePos % 8);
      else if (k === 4) linePos++;
      words += inWord;
      inWord = 0;
    }
    Object.assign(this, { lines, words, maxLine, inWord, linePos });
    this.bytes += chunk.length;
  }
  finish(): Counts {
    return {
      lines: this.lines,
      words: this.words + this.inWord,
      chars: this.bytes,
      bytes: this.bytes,
      maxLine: Math.max(this.maxLine, this.linePos),
    };
  }
}

async function count(src: ByteSource, want: Wanted): Promise<Counts> {
  const c: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLine: 0 };
  if (!want.lines && !want.words && !want.maxLine) {
    // Only sizes: a regular file's size is in its inode (from where its descriptor stands).
    const size = regularSize(src);
    if (size !== undefined) {
      c.bytes = c.chars = size;
      return c;
    }
    await eachChunk(src, (chunk) => (c.bytes += chunk.length));
    c.chars = c.bytes;
    return c;
  }
  if (!want.words && !want.maxLine) {
    await eachChunk(src, (chunk) => {
      c.bytes += chunk.length;
      c.lines += countByte(chunk, 10);
    });
    c.chars = c.bytes;
    return c;
  }
  const counter = new Counter();
  await eachChunk(src, (chunk) => counter.feed(chunk));
  return counter.finish();
}

/** The bytes left to read in a regular file (the sizes of /proc files are not to be trusted: 0). */
function regularSize(src: ByteSource): number | undefined {
  const at = regularFileAt(src);
  if (!at) return undefined;
  const size = fs.fstatSync(at.fd).size;
  return size === 0 ? undefined : Math.max(0, size - at.offset);
}

/** The names in a --files0-from file: NUL-terminated, `-` meaning standard input. */
async function readNameList(ctx: Ctx, list: string): Promise<string[]> {
  let data: Buffer;
  try {
    data = list === '-' ? await readAll(ctx.stdin) : fs.readFileSync(fsPath(ctx.path(list)));
  } catch (err) {
    throw new AppletError(`cannot open ${quoteaf(list)} for reading: ${errorText(err)}`);
  }
  const names = data.toString('latin1').split('\0');
  if (names[names.length - 1] === '') names.pop();
  return names;
}
