// base64 as GNU has it: encoding wrapped at -w columns (76; 0 for none), decoding (-d) that skips
// newlines, takes the input four characters at a time as gnulib does (so `YQ==YQ==` is "aa" and a
// short last group prints what it can, then fails with `invalid input`), and -i to drop every
// character outside the alphabet. Streams in large chunks.
import { defineApplet } from '../core/applet.js';
import { AppletError, UsageError, errorText } from '../core/errors.js';
import { OutBuffer, eachInput } from '../core/io.js';
import { parseCount } from '../core/numbers.js';
import { quote, quotef } from '../core/quote.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

export default defineApplet({
  name: 'base64',
  summary: 'Base64 encode or decode FILE, or standard input, to standard output',
  usage: 'base64 [OPTION]... [FILE]',
  syncStdin: true,
  help: [
    'With no FILE, or when FILE is -, read standard input.',
    '',
    '-d, --decode\t\tDecode data',
    '-i, --ignore-garbage\tWhen decoding, ignore non-alphabet characters',
    '-w, --wrap=COLS\t\tWrap encoded lines after COLS characters (default 76); 0 disables wrapping',
  ].join('\n'),
  options: {
    d: { long: 'decode' },
    i: { long: 'ignore-garbage' },
    w: { long: 'wrap', arg: 'string' },
  },
  async run(ctx) {
    const o = ctx.opts;
    let wrap = 76;
    if (o.w !== undefined) {
      const r = parseCount(o.w.replace(/^(\s*)-(0+)$/, '$1$2'), '', (1n << 63n) - 1n); // -0 is 0
      if (!('value' in r) && r.error !== 'overflow') throw new AppletError(`invalid wrap size: ${quote(o.w)}`);
      wrap = 'value' in r ? Number(r.value) : 0; // GNU: a width past INTMAX_MAX does not wrap
    }
    if (ctx.operands.length > 1) throw new UsageError(`extra operand ${quote(ctx.operands[1]!)}`);
    const out = new OutBuffer(ctx.stdout, 256 * 1024);
    for await (const input of eachInput(ctx, ctx.operands)) {
      if (input.error) throw new AppletError(`${quotef(input.name)}: ${errorText(input.error)}`);
      const src = input.source!;
      if (o.d) {
        const decoder = new Decoder(!!o.i);
        for (let chunk = await src.read(); chunk; chunk = await src.read()) {
          const r = decoder.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
          await put(out, r.bytes);
          if (!r.ok) {
            await out.flush();
            throw new AppletError('invalid input');
          }
        }
        const r = decoder.finish();
        await put(out, r.bytes);
        await out.flush();
        if (!r.ok) throw new AppletError('invalid input');
      } else {
        const encoder = new Encoder(wrap);
        for (let chunk = await src.read(); chunk; chunk = await src.read()) await put(out, encoder.push(chunk));
        await put(out, encoder.finish());
        await out.flush();
      }
    }
    return 0;
  },
});

async function put(out: OutBuffer, data: string): Promise<void> {
  if (data) {
    const p = out.put(data);
    if (p) await p;
  }
}

/** Encodes whole groups of three bytes as they come; wraps lines across chunks. */
class Encoder {
  private rest = Buffer.alloc(0);
  private column = 0;
  constructor(private readonly wrap: number) {}
  push(chunk: Uint8Array): string {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const whole = data.length - (data.length % 3);
    this.rest = Buffer.from(data.subarray(whole));
    return this.lines(data.toString('base64', 0, whole));
  }
  finish(): string {
    let text = this.lines(this.rest.toString('base64'));
    if (this.wrap > 0 && this.column > 0) text += '\n';
    return text;
  }
  private lines(text: string): string {
    if (this.wrap === 0 || text === '') return text;
    let out = '';
    let i = 0;
    while (i < text.length) {
      const take = Math.min(this.wrap - this.column, text.length - i);
      out += text.slice(i, i + take);
      i += take;
      this.column += take;
      if (this.column === this.wrap) {
        out += '\n';
        this.column = 0;
      }
    }
    return out;
  }
}

/** gnulib's base64_decode_ctx: newlines skipped (with -i, everything outside the alphabet and
 *  `=`), then groups of four, each decoded on its own; a bad group stops after its good bytes. */
class Decoder {
  private pending = '';
  constructor(private readonly ignoreGarbage: boolean) {}
  push(text: string): { bytes: string; ok: boolean } {
    const clean = this.ignoreGarbage ? text.replace(/[^A-Za-z0-9+/=]+/g, '') : text.includes('\n') ? text.replace(/\n+/g, '') : text;
    const all = this.pending + clean;
    const whole = all.length - (all.length % 4);
    this.pending = all.slice(whole);
    return decodeGroups(all.slice(0, whole));
  }
  finish(): { bytes: string; ok: boolean } {
    if (this.pending === '') return { bytes: '', ok: true };
    const r = decodeGroup(this.pending);
    return { bytes: r.bytes, ok: false };
  }
}

function decodeGroups(s: string): { bytes: string; ok: boolean } {
  // The common case: alphabet characters only, padding at most in the last group.
  const last = s.length - 4;
  const pad = s.indexOf('=');
  if ((pad === -1 || pad >= last) && /^[A-Za-z0-9+/]*$/.test(pad === -1 ? s : s.slice(0, last))) {
    if (pad === -1) return { bytes: Buffer.from(s, 'base64').toString('latin1'), ok: true };
    const tail = decodeGroup(s.slice(last));
    return { bytes: Buffer.from(s.slice(0, last), 'base64').toString('latin1') + tail.bytes, ok: tail.ok };
  }
  let bytes = '';
  for (let i = 0; i < s.length; i += 4) {
    const r = decodeGroup(s.slice(i, i + 4));
    bytes += r.bytes;
    if (!r.ok) return { bytes, ok: false };
  }
  return { bytes, ok: true };
}

/** gnulib's decode_4, on one group of up to four characters. */
function decodeGroup(g: string): { bytes: string; ok: boolean } {
  const v = (i: number) => VALUE[g.charCodeAt(i)] ?? -1;
  if (g.length < 2 || v(0) < 0 || v(1) < 0) return { bytes: '', ok: false };
  let bytes = String.fromCharCode(((v(0) << 2) | (v(1) >> 4)) & 0xff);
  if (g.length === 2) return { bytes, ok: false };
  if (g[2] === '=') return { bytes, ok: g.length === 4 && g[3] === '=' };
  if (v(2) < 0) return { bytes, ok: false };
  bytes += String.fromCharCode(((v(1) << 4) & 0xf0) | (v(2) >> 2));
  if (g.length === 3) return { bytes, ok: false };
  if (g[3] === '=') return { bytes, ok: true };
  if (v(3) < 0) return { bytes, ok: false };
  bytes += String.fromCharCode(((v(2) << 6) & 0xc0) | v(3));
  return { bytes, ok: true };
}
