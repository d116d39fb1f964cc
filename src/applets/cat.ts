// cat as GNU has it. Plain copies take the fast path: large synchronous reads and writes between
// real descriptors, or chunk by chunk between streams. Numbering, squeezing and the visible forms
// keep their state across files, as GNU's do (a file without a final newline continues the line).
import { defineApplet } from '../core/applet.js';
import { type ByteSink, type ByteSource, FdSource, OutBuffer, eachInput, readMaybeSync, writeAvailableSync } from '../core/io.js';

interface Format {
  number: boolean;
  numberNonblank: boolean;
  squeeze: boolean;
  ends: boolean;
  tabs: boolean;
  nonprinting: boolean;
}

/** State that carries over from one file to the next. */
interface LineState {
  atLineStart: boolean;
  lineNo: number;
  emptyRun: number;
}

const COPY_SIZE = 256 * 1024;

// -v's visible form of each byte (tab and newline are handled by the caller).
const VISIBLE: string[] = Array.from({ length: 256 }, (_, b) => {
  const meta = b >= 128 ? 'M-' : '';
  const c = b & 0x7f;
  if (c < 32) return `${meta}^${String.fromCharCode(c + 64)}`;
  if (c === 127) return `${meta}^?`;
  return meta + String.fromCharCode(c);
});

export default defineApplet({
  name: 'cat',
  summary: 'Concatenate FILEs (or standard input) to standard output',
  usage: 'cat [-AbeEnstTuv] [FILE]...',
  syncStdin: true,
  help: [
    '-A, --show-all\t\tSame as -vET',
    '-b, --number-nonblank\tNumber nonempty lines (overrides -n)',
    '-e\t\t\tSame as -vE',
    '-E, --show-ends\t\tShow $ at the end of each line',
    '-n, --number\t\tNumber all lines',
    '-s, --squeeze-blank\tSuppress repeated empty lines',
    '-t\t\t\tSame as -vT',
    '-T, --show-tabs\t\tShow tabs as ^I',
    '-u\t\t\t(ignored)',
    '-v, --show-nonprinting\tShow nonprinting characters as ^x or M-x',
    '',
    'With no FILE, or when FILE is -, read standard input.',
  ].join('\n'),
  // In GNU's order: getopt lists ambiguous candidates in table order.
  options: {
    b: { long: 'number-nonblank' },
    n: { long: 'number' },
    s: { long: 'squeeze-blank' },
    v: { long: 'show-nonprinting' },
    E: { long: 'show-ends' },
    T: { long: 'show-tabs' },
    A: { long: 'show-all', implies: 'vET' },
    e: { implies: 'vE' },
    t: { implies: 'vT' },
    u: {},
  },
  async run(ctx) {
    const o = ctx.opts;
    const format: Format = {
      number: !!(o.n || o.b),
      numberNonblank: !!o.b,
      squeeze: !!o.s,
      ends: !!o.E,
      tabs: !!o.T,
      nonprinting: !!o.v,
    };
    const plain = !Object.values(format).some(Boolean);
    const state: LineState = { atLineStart: true, lineNo: 0, emptyRun: 0 };
    const out = plain ? undefined : new OutBuffer(ctx.stdout, COPY_SIZE);
    let status = 0;
    for await (const input of eachInput(ctx, ctx.operands)) {
      if (input.error) {
        status = await ctx.warn(input.error, input.name);
        continue;
      }
      try {
        if (out) await formatStream(input.source!, out, format, state);
        else await copyStream(input.source!, ctx.stdout);
      } catch (err) {
        if ((err as { code?: string }).code === undefined) throw err;
        if (out) await out.flush();
        status = await ctx.warn(err, input.name);
      }
    }
    await out?.flush();
    return status;
  },
});

async function copyStream(src: ByteSource, dst: ByteSink): Promise<void> {
  if (src instanceof FdSource && !src.hasUnread() && src.readsSynchronously() && dst.fd !== undefined) {
    // The hot path: descriptor to descriptor, one reused buffer, no promise per chunk (only when no
    // earlier reader, such as the shell's `read`, gave bytes back: those come first).
    const buf = Buffer.allocUnsafe(COPY_SIZE);
    for (;;) {
      let n = readMaybeSync(src.fd, buf);
      if (typeof n !== 'number') n = await n;
      if (n === 0) return;
      const chunk = buf.subarray(0, n);
      const written = writeAvailableSync(dst.fd, chunk);
      if (written < n) await dst.write(chunk.subarray(written)); // a non-blocking descriptor was full
    }
  }
  // Chunks are only borrowed (the sink copies what it keeps), so the source may reuse its buffers.
  const next = src.readTransient ? () => src.readTransient!() : () => src.read();
  for (let chunk = await next(); chunk; chunk = await next()) {
    const pending = dst.put ? dst.put(chunk) : dst.write(chunk);
    if (pending) await pending;
  }
}

async function formatStream(src: ByteSource, out: OutBuffer, f: Format, st: LineState): Promise<void> {
  for (let chunk = await src.read(); chunk; chunk = await src.read()) {
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    let res = '';
    let i = 0;
    while (i < text.length) {
      if (st.atLineStart) {
        if (text.charCodeAt(i) === 10) {
          // an empty line
          i++;
          if (++st.emptyRun > 1 && f.squeeze) continue;
          if (f.number && !f.numberNonblank) res += lineNumber(++st.lineNo);
          res += f.ends ? '$\n' : '\n';
          continue;
        }
        st.emptyRun = 0;
        st.atLineStart = false;
        if (f.number) res += lineNumber(++st.lineNo);
      }
      const nl = text.indexOf('\n', i);
      const end = nl === -1 ? text.length : nl;
      res += f.nonprinting || f.tabs ? visible(text, i, end, f) : text.slice(i, end);
      if (nl === -1) break;
      res += f.ends ? '$\n' : '\n';
      st.atLineStart = true;
      i = nl + 1;
    }
    const pending = out.put(res);
    if (pending) await pending;
  }
}

function lineNumber(n: number): string {
  return `${String(n).padStart(6)}\t`;
}

function visible(text: string, start: number, end: number, f: Format): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const b = text.charCodeAt(i);
    if (b === 9) s += f.tabs ? '^I' : '\t';
    else if (f.nonprinting && (b < 32 || b >= 127)) s += VISIBLE[b]!;
    else s += text[i]!;
  }
  return s;
}
