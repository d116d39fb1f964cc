// head as GNU has it (BusyBox's letters are a subset): the first N lines or bytes, or all but the
// last N (-n -N, -c -N), with `==> name <==` headers for several files, -z for NUL-ended lines and
// the historical `head -5`, `head -5c`, `head -2vq`. Whatever head leaves unread of a shared input
// stays there for the next reader: given back in-process, and when standard input is a regular
// file, the descriptor's offset is left just after the last byte printed, as GNU leaves it.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import type { Ctx } from '../core/context.js';
import { AppletError, UsageError, errorCode, errorText } from '../core/errors.js';
import { type ByteSink, type ByteSource, CHUNK_SIZE, eachInput } from '../core/io.js';
import { countByte } from '../core/lines.js';
import { advanceOffset, regularFileAt } from '../core/offset.js';
import { parseCount } from '../core/numbers.js';
import { quoteaf } from '../core/quote.js';

/** The suffixes head and tail accept on counts (xstrtoumax's list, with KB/KiB forms). */
export const COUNT_SUFFIXES = 'bkKmMGTPEZY0'; // coreutils 9.1 predates R and Q

/** Parse a -n/-c value (without its sign) as head and tail word their errors. */
export function parseUnits(text: string, lines: boolean): number {
  const r = parseCount(text, COUNT_SUFFIXES);
  if ('value' in r) return Number(r.value);
  const what = `invalid number of ${lines ? 'lines' : 'bytes'}: '${text}'`;
  throw new AppletError(r.error === 'overflow' ? `${what}: Value too large for defined data type` : what);
}

/** Prints `==> name <==` headers, the second and later ones after a blank line. */
export class Headers {
  private first = true;
  constructor(private readonly enabled: boolean) {}
  async print(out: ByteSink, name: string): Promise<void> {
    if (!this.enabled) return;
    await out.write(`${this.first ? '' : '\n'}==> ${name === '-' ? 'standard input' : name} <==\n`);
    this.first = false;
  }
}

const DIGITS = Object.fromEntries([...'0123456789'].map((d) => [d, {}])) as Record<
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9',
  object
>;

export default defineApplet({
  name: 'head',
  summary: 'Print the first 10 lines of each FILE to standard output',
  usage: 'head [OPTION]... [FILE]...',
  syncStdin: true,
  help: [
    'With more than one FILE, precede each with a header giving the file name.',
    'With no FILE, or when FILE is -, read standard input.',
    '',
    '-c, --bytes=[-]NUM\tPrint the first NUM bytes; with a leading -, all but the last NUM bytes',
    '-n, --lines=[-]NUM\tPrint the first NUM lines (default 10); with a leading -, all but the last NUM',
    '-q, --quiet, --silent\tNever print headers giving file names',
    '-v, --verbose\t\tAlways print headers giving file names',
    '-z, --zero-terminated\tLine delimiter is NUL, not newline',
    '',
    'NUM may have a multiplier suffix: b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,',
    'GB, G, T, P, E, Z, Y, R, Q (and KiB = K, MiB = M ...). `head -NUM` means `head -n NUM`.',
  ].join('\n'),
  options: {
    c: { long: 'bytes', arg: 'string', overrides: 'n' },
    n: { long: 'lines', arg: 'string', overrides: 'c' },
    q: { long: ['quiet', 'silent'], overrides: 'v' },
    v: { long: 'verbose', overrides: 'q' },
    z: { long: 'zero-terminated' },
    ...DIGITS,
  },
  rewriteArgs: rewriteObsolete,
  async run(ctx) {
    const o = ctx.opts;
    const digit = Object.keys(DIGITS).find((d) => o[d as keyof typeof DIGITS]);
    if (digit) throw new UsageError(`invalid trailing option -- ${digit}`);
    const lines = o.c === undefined;
    let spec = o.c ?? o.n ?? '10';
    const elide = spec.startsWith('-');
    if (elide) spec = spec.slice(1);
    const count = parseUnits(spec, lines);
    const delimiter = o.z ? 0 : 10;
    const operands = ctx.operands.length ? ctx.operands : ['-'];
    const headers = new Headers(o.v ? true : o.q ? false : operands.length > 1);
    let status = 0;
    for await (const input of eachInput(ctx, operands)) {
      if (input.error) {
        status = await ctx.warn(new AppletError(`cannot open ${quoteaf(input.name)} for reading: ${errorText(input.error)}`));
        continue;
      }
      await headers.print(ctx.stdout, input.name);
      try {
        const src = input.source!;
        if (elide) {
          if (lines) await elideLines(src, ctx.stdout, count, delimiter);
          else await elideBytes(src, ctx.stdout, count);
        } else await printHead(ctx, src, count, lines, delimiter);
      } catch (err) {
        if (errorCode(err) === undefined) throw err;
        status = await ctx.warn(new AppletError(`error reading ${quoteaf(input.name)}: ${errorText(err)}`));
      }
    }
    return status;
  },
});

/** `head -5`, `head -5c`, `head -2vq`: a first word of a dash, digits and option letters. */
function rewriteObsolete(args: readonly string[]): string[] {
  const first = args[0];
  const m = first === undefined ? null : /^-(\d+)(.*)$/s.exec(first);
  if (!m) return [...args];
  let lines = true;
  let multiplier = '';
  const flags: string[] = [];
  for (const letter of m[2]!) {
    if (letter === 'c') (lines = false), (multiplier = '');
    else if (letter === 'b' || letter === 'k' || letter === 'm') (lines = false), (multiplier = letter);
    else if (letter === 'l') lines = true;
    else if (letter === 'q' || letter === 'v' || letter === 'z') flags.push(`-${letter}`);
    else throw new UsageError(`invalid trailing option -- ${letter}`);
  }
  return [lines ? '-n' : '-c', m[1]! + multiplier, ...flags, ...args.slice(1)];
}

/**
 * The first `count` lines (or bytes). Standard input that is a regular file is read at explicit
 * offsets from where its descriptor stands, and the descriptor is then moved past exactly what
 * was printed, so `(head -n1; cat) < file` works across processes as with GNU head.
 */
async function printHead(ctx: Ctx, src: ByteSource, count: number, lines: boolean, delimiter: number): Promise<void> {
  const shared = src === ctx.stdin ? regularFileAt(src) : undefined;
  const reader = shared ? new PositionalReader(shared.fd, shared.offset) : src;
  let left = count;
  let consumed = 0;
  while (left > 0) {
    const chunk = await reader.read();
    if (!chunk) break;
    let end = chunk.length;
    if (!lines) end = Math.min(end, left), (left -= end);
    else {
      for (let at = 0; left > 0; ) {
        const nl = chunk.indexOf(delimiter, at);
        if (nl === -1) break;
        at = nl + 1;
        if (--left === 0) end = at;
      }
    }
    consumed += end;
    if (end) await ctx.stdout.write(end === chunk.length ? chunk : chunk.subarray(0, end));
    if (end < chunk.length) reader.unread(chunk.subarray(end));
  }
  if (shared) advanceOffset(shared.fd, consumed);
}

/** Reads a descriptor at explicit offsets (pread), leaving its own offset alone. */
class PositionalReader {
  private back: Uint8Array | undefined;
  constructor(
    private readonly fd: number,
    private position: number,
  ) {}
  async read(): Promise<Uint8Array | null> {
    if (this.back) {
      const b = this.back;
      this.back = undefined;
      return b;
    }
    const buf = Buffer.allocUnsafe(CHUNK_SIZE);
    const n = fs.readSync(this.fd, buf, 0, CHUNK_SIZE, this.position);
    this.position += n;
    return n ? buf.subarray(0, n) : null;
  }
  unread(chunk: Uint8Array): void {
    this.back = chunk;
  }
}

/** All but the last `count` bytes: hold back `count` bytes, pass the rest on as it comes. */
async function elideBytes(src: ByteSource, out: ByteSink, count: number): Promise<void> {
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  for (let chunk = await src.read(); chunk; chunk = await src.read()) {
    held.push(chunk);
    heldBytes += chunk.length;
    while (heldBytes > count) {
      const first = held[0]!;
      const surplus = heldBytes - count;
      if (first.length <= surplus) {
        held.shift();
        heldBytes -= first.length;
        await out.write(first);
      } else {
        held[0] = first.subarray(surplus);
        heldBytes -= surplus;
        await out.write(first.subarray(0, surplus));
      }
    }
  }
}

/** All but the last `count` lines (a final line without a delimiter counts): hold back chunks
 *  holding `count` line ends, pass the lines before them on. */
async function elideLines(src: ByteSource, out: ByteSink, count: number, delimiter: number): Promise<void> {
  const held: { data: Uint8Array; ends: number }[] = [];
  let heldEnds = 0;
  let last = -1; // the last byte seen
  const release = async (lines: number) => {
    while (lines > 0 && held.length) {
      const first = held[0]!;
      if (first.ends < lines) {
        held.shift();
        heldEnds -= first.ends;
        lines -= first.ends;
        await out.write(first.data);
        continue;
      }
      let at = 0;
      for (let i = 0; i < lines; i++) at = first.data.indexOf(delimiter, at) + 1;
      await out.write(first.data.subarray(0, at));
      first.data = first.data.subarray(at);
      first.ends -= lines;
      heldEnds -= lines;
      lines = 0;
    }
  };
  for (let chunk = await src.read(); chunk; chunk = await src.read()) {
    const ends = countByte(chunk, delimiter);
    held.push({ data: chunk, ends });
    heldEnds += ends;
    last = chunk[chunk.length - 1]!;
    if (heldEnds > count) await release(heldEnds - count);
  }
  // An unterminated last line is one more line to hold back.
  if (last !== -1 && last !== delimiter && heldEnds + 1 > count) await release(heldEnds + 1 - count);
}
