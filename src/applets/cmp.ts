// cmp as GNU diffutils has it: the first differing byte and its line, or every difference (-l)
// with the bytes shown (-b), a status only (-s), skips (-i SKIP1[:SKIP2] or operands) and a limit
// (-n), with diffutils' messages (`cmp: EOF on x after byte 4, line 1`) and statuses (0 same, 1
// different, 2 trouble). Regular files are read at explicit offsets; pipes are read through.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { UsageError, errorCode } from '../core/errors.js';
import { type ByteSource, CHUNK_SIZE, FdSource, OutBuffer } from '../core/io.js';
import { parseCount } from '../core/numbers.js';
import { quote } from '../core/quote.js';

const SUFFIXES = 'kKMGTPEZY0';
const OFF_MAX = (1n << 63n) - 1n;

/** One side of the comparison: reads exactly as much as asked, from wherever it is. */
interface Side {
  name: string;
  /** Fill buf from the start; returns how many bytes were read (short only at end of input). */
  read(buf: Buffer, len: number): Promise<number>;
  close(): void;
  st?: fs.Stats;
}

export default defineApplet({
  name: 'cmp',
  summary: 'Compare two files byte by byte',
  usage: 'cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]',
  style: 'diffutils',
  usageStatus: 2,
  syncStdin: true,
  help: [
    'The optional SKIP1 and SKIP2 specify the number of bytes to skip at the beginning of each',
    'file (zero by default). A missing FILE2, or -, is standard input.',
    '',
    '-b, --print-bytes\t\tPrint differing bytes',
    '-i, --ignore-initial=SKIP\tSkip the first SKIP bytes of both inputs',
    '-i, --ignore-initial=SKIP1:SKIP2\tSkip the first SKIP1 bytes of FILE1 and SKIP2 of FILE2',
    '-l, --verbose\t\t\tOutput byte numbers and differing byte values',
    '-n, --bytes=LIMIT\t\tCompare at most LIMIT bytes',
    '-s, --quiet, --silent\t\tSuppress all normal output',
    '',
    'SKIP values may be followed by suffixes: kB 1000, K 1024, MB, M, GB, G, and so on.',
    'Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.',
  ].join('\n'),
  options: {
    b: { long: 'print-bytes' },
    i: { long: 'ignore-initial', arg: 'string' },
    l: { long: 'verbose' },
    n: { long: 'bytes', arg: 'string' },
    s: { long: ['quiet', 'silent'] },
  },
  async run(ctx) {
    const o = ctx.opts;
    if (o.l && o.s) throw new UsageError('options -l and -s are incompatible');
    const args = ctx.operands;
    if (args.length === 0) throw new UsageError(`missing operand after ${quote(ctx.name)}`);
    let limit = Infinity;
    if (o.n !== undefined) {
      const r = parseCount(o.n, SUFFIXES);
      if (!('value' in r) || r.value > OFF_MAX) throw new UsageError(`invalid --bytes value ${quote(o.n)}`);
      limit = Number(r.value);
    }
    const skip = [0, 0];
    if (o.i !== undefined) {
      const colon = o.i.indexOf(':');
      skip[0] = skipValue(colon === -1 ? o.i : o.i.slice(0, colon), o.i);
      skip[1] = colon === -1 ? skip[0] : skipValue(o.i.slice(colon + 1), o.i.slice(colon + 1));
    }
    if (args[2] !== undefined) skip[0] = skipValue(args[2], args[2]);
    if (args[3] !== undefined) skip[1] = skipValue(args[3], args[3]);
    if (args.length > 4) throw new UsageError(`extra operand ${quote(args[4]!)}`);
    const names = [args[0]!, args[1] ?? '-'];
    const quiet = !!o.s;

    const sides: Side[] = [];
    try {
      for (const name of names) {
        try {
          sides.push(openSide(ctx, name));
        } catch (err) {
          if (errorCode(err) === undefined) throw err;
          if (!quiet) await ctx.warn(err, name);
          return 2;
        }
      }
      const [a, b] = sides as [Side, Side];
      if (names[0] === '-' && names[1] === '-' && skip[0] === skip[1]) return 0; // one input, compared with itself
      // The same file at the same offset is equal to itself.
      if (a.st && b.st && a.st.ino === b.st.ino && a.st.dev === b.st.dev && skip[0] === skip[1]) return 0;
      try {
        for (const [i, side] of sides.entries()) await skipBytes(side, skip[i]!);
        const mode = o.l ? 'all' : quiet ? 'status' : 'first';
        return await compare(ctx, a, b, { limit, mode, bytes: !!o.b, width: offsetWidth(sides, skip, limit) });
      } catch (err) {
        if (errorCode(err) === undefined) throw err;
        if (!quiet) await ctx.warn(err, (err as { side?: string }).side ?? names[0]);
        return 2;
      }
    } finally {
      for (const s of sides) s.close();
    }
  },
});

function skipValue(text: string, shown: string): number {
  const r = parseCount(text, SUFFIXES);
  if (!('value' in r) || r.value > OFF_MAX) throw new UsageError(`invalid --ignore-initial value ${quote(shown)}`);
  return Number(r.value);
}

function openSide(ctx: Ctx, name: string): Side {
  let src: ByteSource;
  let fd: number | undefined;
  let owned = false;
  if (name === '-') {
    src = ctx.stdin;
    fd = ctx.stdin.fd;
  } else {
    fd = fs.openSync(fsPath(ctx.path(name)), 'r');
    owned = true;
    src = new FdSource(fd);
  }
  const st = fd === undefined ? undefined : fs.fstatSync(fd);
  if (st?.isDirectory()) {
    if (owned) fs.closeSync(fd!);
    throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
  }
  let pending: Uint8Array | undefined;
  return {
    name,
    st,
    async read(buf, len) {
      let n = 0;
      while (n < len) {
        const chunk = pending ?? (await src.read());
        pending = undefined;
        if (!chunk) break;
        const take = Math.min(chunk.length, len - n);
        buf.set(chunk.subarray(0, take), n);
        n += take;
        if (take < chunk.length) pending = chunk.subarray(take);
      }
      return n;
    },
    close() {
      if (pending && !owned) src.unread(pending);
      if (owned) fs.closeSync(fd!);
    },
  };
}

async function skipBytes(side: Side, count: number): Promise<void> {
  const buf = Buffer.allocUnsafe(Math.min(count, CHUNK_SIZE) || 1);
  while (count > 0) {
    const n = await side.read(buf, Math.min(count, buf.length));
    if (n === 0) return;
    count -= n;
  }
}

/** The width of byte numbers for -l: digits of the largest number that can be printed. */
function offsetWidth(sides: Side[], skip: number[], limit: number): number {
  let max = Math.min(limit, Number(OFF_MAX));
  for (const [i, s] of sides.entries()) if (s.st?.isFile()) max = Math.min(max, Math.max(0, s.st.size - skip[i]!));
  return String(Math.floor(max)).length;
}

/** A byte as cmp -b shows it: M- for the high bit, ^X for controls. */
function visible(b: number): string {
  let s = '';
  if (b >= 128) {
    s = 'M-';
    b -= 128;
  }
  if (b < 32) return `${s}^${String.fromCharCode(b + 64)}`;
  if (b === 127) return `${s}^?`;
  return s + String.fromCharCode(b);
}

function octal(b: number): string {
  return b.toString(8).padStart(3);
}

async function compare(
  ctx: Ctx,
  a: Side,
  b: Side,
  o: { limit: number; mode: 'first' | 'all' | 'status'; bytes: boolean; width: number },
): Promise<number> {
  const bufA = Buffer.allocUnsafe(CHUNK_SIZE);
  const bufB = Buffer.allocUnsafe(CHUNK_SIZE);
  const out = new OutBuffer(ctx.stdout);
  let offset = 0; // bytes compared so far
  let lines = 0; // newlines in them
  let lastWasNewline = false;
  let differing = false;
  for (;;) {
    const want = Math.min(CHUNK_SIZE, o.limit - offset);
    if (want <= 0) break;
    const [na, nb] = await Promise.all([readSide(a, bufA, want), readSide(b, bufB, want)]);
    const n = Math.min(na, nb);
    if (bufA.compare(bufB, 0, n, 0, n) !== 0) {
      for (let i = 0; i < n; i++) {
        const x = bufA[i]!;
        const y = bufB[i]!;
        if (x !== y) {
          if (o.mode === 'status') return 1;
          if (o.mode === 'first') {
            const at = offset + i + 1;
            const line = lines + 1;
            const text = o.bytes
              ? `${a.name} ${b.name} differ: byte ${at}, line ${line} is ${octal(x)} ${visible(x)} ${octal(y)} ${visible(y)}\n`
              : `${a.name} ${b.name} differ: char ${at}, line ${line}\n`;
            await ctx.stdout.write(text);
            return 1;
          }
          differing = true;
          const at = String(offset + i + 1).padStart(o.width);
          const p = out.put(o.bytes ? `${at} ${octal(x)} ${visible(x).padEnd(4)} ${octal(y)} ${visible(y)}\n` : `${at} ${octal(x)} ${octal(y)}\n`);
          if (p) await p;
        } else if (x === 10) lines++;
      }
    } else {
      for (let at = bufA.indexOf(10); at !== -1 && at < n; at = bufA.indexOf(10, at + 1)) lines++;
    }
    if (n > 0) lastWasNewline = bufA[n - 1] === 10;
    offset += n;
    if (na !== nb) {
      await out.flush();
      if (o.mode !== 'status') {
        const shorter = na < nb ? a.name : b.name;
        let where: string;
        if (offset === 0) where = 'which is empty';
        else if (o.mode === 'all') where = `after byte ${offset}`;
        else where = lastWasNewline ? `after byte ${offset}, line ${lines}` : `after byte ${offset}, in line ${lines + 1}`;
        await ctx.stderr.write(`${ctx.name}: EOF on ${shorter} ${where}\n`);
      }
      return 1;
    }
    if (na < want) break;
  }
  await out.flush();
  return differing ? 1 : 0;
}

async function readSide(side: Side, buf: Buffer, len: number): Promise<number> {
  try {
    return await side.read(buf, len);
  } catch (err) {
    throw Object.assign(err as object, { side: side.name });
  }
}
