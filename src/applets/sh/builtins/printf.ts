// printf FORMAT [ARG...]: C printf for the shell. The format is reused while arguments remain;
// numbers may be decimal, 0octal, 0xhex or 'c (a character's code); a bad number is reported as
// `invalid number 'x'`, printed as 0, and makes the status 1. A missing numeric argument is 0
// (as dash; ash complains). \c in the format or in a %b argument ends all output.
import { expandEchoEscapes } from '../../echo.js';
import type { Builtin } from './index.js';

export interface PrintfResult {
  out: string;
  /** Messages (without the program name), each with the length of output written before it. */
  errors: { at: number; message: string }[];
  status: number;
}

class Stop extends Error {}

/** Backslash escapes of the format itself (not of %b arguments). */
function formatEscape(fmt: string, i: number): [string, number] {
  const e = fmt[i + 1];
  if (e === undefined) return ['\\', i + 1];
  const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
  if (e in simple) return [simple[e]!, i + 2];
  if (e === 'c') throw new Stop();
  if (e >= '0' && e <= '7') {
    let j = i + 1;
    let digits = '';
    while (digits.length < 3 && /[0-7]/.test(fmt[j] ?? '')) digits += fmt[j++];
    return [String.fromCharCode(parseInt(digits, 8) & 0xff), j];
  }
  if (e === 'x' && /[0-9a-fA-F]/.test(fmt[i + 2] ?? '')) {
    let j = i + 2;
    let digits = '';
    while (digits.length < 2 && /[0-9a-fA-F]/.test(fmt[j] ?? '')) digits += fmt[j++];
    return [String.fromCharCode(parseInt(digits, 16)), j];
  }
  return [`\\${e}`, i + 2];
}

/** Where messages go while formatting. */
interface Errors {
  push(message: string): void;
}

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

/** strtoll with ash's reporting: the value, or an error (and 0). */
function parseInteger(arg: string, errors: Errors): bigint {
  if (arg[0] === "'" || arg[0] === '"') return BigInt(arg.length > 1 ? arg.charCodeAt(1) : 0);
  const m = /^[ \t\n]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(arg);
  if (!m) {
    errors.push(`invalid number '${arg}'`);
    return 0n;
  }
  const v = BigInt(m[2]!.startsWith('0') && !/^0[xX]/.test(m[2]!) && m[2]!.length > 1 ? `0o${m[2]!.slice(1)}` : m[2]!);
  const signed = m[1] === '-' ? -v : v;
  if (signed > MAX || signed < MIN) {
    if (m[1] !== '-' && signed <= 18446744073709551615n) return BigInt.asIntN(64, signed); // %u of a large value
    errors.push(`invalid number '${arg}'`);
    return 0n;
  }
  return signed;
}

function parseFloatArg(arg: string, errors: Errors): number {
  if (arg[0] === "'" || arg[0] === '"') return arg.length > 1 ? arg.charCodeAt(1) : 0;
  const t = arg.trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  const v = t === '' ? NaN : Number(t);
  if (Number.isNaN(v)) {
    errors.push(`invalid number '${arg}'`);
    return 0;
  }
  return v;
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const sign = /^[+\- ]|^0[xX]/.exec(s)?.[0] ?? '';
    return sign + '0'.repeat(width - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(width - s.length) + s;
}

function fixed(v: number, prec: number): string {
  if (Math.abs(v) < 1e21) return v.toFixed(prec);
  const int = BigInt(Math.round(v)).toString();
  return prec > 0 ? `${int}.${'0'.repeat(prec)}` : int;
}

function exponential(v: number, prec: number, upper: boolean): string {
  let s = v.toExponential(Math.min(prec, 100));
  s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function general(v: number, prec: number, alt: boolean, upper: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (v === 0) return alt ? (0).toFixed(p - 1) : '0';
  const exp = Number(v.toExponential(p - 1).split('e')[1]);
  let s = exp < -4 || exp >= p ? exponential(v, p - 1, upper) : fixed(v, p - 1 - exp);
  if (!alt) s = s.replace(/\.?0+(?=e|E|$)/, (m) => (m.startsWith('.') || s.includes('.') ? '' : m));
  return s;
}

function floatText(conv: string, v: number, prec: number | undefined, alt: boolean): string {
  const upper = conv === 'E' || conv === 'G' || conv === 'F';
  if (!Number.isFinite(v)) {
    const t = Number.isNaN(v) ? 'nan' : v < 0 ? '-inf' : 'inf';
    return upper ? t.toUpperCase() : t;
  }
  const p = prec ?? 6;
  switch (conv.toLowerCase()) {
    case 'f':
      return fixed(v, p);
    case 'e':
      return exponential(v, p, upper);
    default:
      return general(v, p, alt, upper);
  }
}

/** Format once or more, consuming args. Never throws. */
export function formatPrintf(format: string, argv: readonly string[]): PrintfResult {
  const list: PrintfResult['errors'] = [];
  let out = '';
  const errors: Errors = { push: (message) => list.push({ at: out.length, message }) };
  let argi = 0;
  const next = () => (argi < argv.length ? argv[argi++] : undefined);
  try {
    do {
      const before = argi;
      for (let i = 0; i < format.length; ) {
        const c = format[i]!;
        if (c === '\\') {
          const [text, j] = formatEscape(format, i);
          out += text;
          i = j;
          continue;
        }
        if (c !== '%') {
          out += c;
          i++;
          continue;
        }
        if (format[i + 1] === '%') {
          out += '%';
          i += 2;
          continue;
        }
        const start = i;
        i++;
        let flags = '';
        while ('-+ #0'.includes(format[i] ?? 'x') && format[i] !== undefined) flags += format[i++];
        let width: number | undefined;
        if (format[i] === '*') {
          width = Number(parseInteger(next() ?? '0', errors));
          i++;
          if (width < 0) {
            flags += '-';
            width = -width;
          }
        } else {
          let w = '';
          while (/[0-9]/.test(format[i] ?? '')) w += format[i++];
          if (w) width = Number(w);
        }
        let prec: number | undefined;
        if (format[i] === '.') {
          i++;
          if (format[i] === '*') {
            prec = Number(parseInteger(next() ?? '0', errors));
            if (prec < 0) prec = undefined;
            i++;
          } else {
            let p = '';
            while (/[0-9]/.test(format[i] ?? '')) p += format[i++];
            prec = Number(p || '0');
          }
        }
        while (/[hlLqjzt]/.test(format[i] ?? '')) i++;
        const conv = format[i];
        if (conv === undefined || !'diouxXcsbeEfFgGaA'.includes(conv)) {
          errors.push(`${format.slice(start)}: invalid format`);
          return { out, errors: list, status: 1 };
        }
        i++;
        const left = flags.includes('-');
        const zero = flags.includes('0') && !left;
        const alt = flags.includes('#');
        const arg = next();
        let text: string;
        switch (conv) {
          case 's':
            text = arg ?? '';
            if (prec !== undefined) text = text.slice(0, prec);
            out += pad(text, width ?? 0, left, false);
            break;
          case 'b': {
            const e = expandEchoEscapes(arg ?? '');
            out += pad(e.text, width ?? 0, left, false);
            if (e.stop) throw new Stop();
            break;
          }
          case 'c':
            out += pad(arg === undefined ? '' : (arg[0] ?? '\0'), width ?? 0, left, false);
            break;
          case 'd':
          case 'i': {
            const v = arg === undefined ? 0n : parseInteger(arg, errors);
            let digits = (v < 0n ? -v : v).toString();
            if (prec !== undefined) digits = digits.padStart(prec, '0');
            const sign = v < 0n ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
            out += pad(sign + digits, width ?? 0, left, zero && prec === undefined);
            break;
          }
          case 'o':
          case 'u':
          case 'x':
          case 'X': {
            const v = BigInt.asUintN(64, arg === undefined ? 0n : parseInteger(arg, errors));
            let digits = v.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
            if (conv === 'X') digits = digits.toUpperCase();
            if (prec !== undefined) digits = digits.padStart(prec, '0');
            if (alt && conv === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
            if (alt && (conv === 'x' || conv === 'X') && v !== 0n) digits = (conv === 'x' ? '0x' : '0X') + digits;
            out += pad(digits, width ?? 0, left, zero && prec === undefined);
            break;
          }
          default: {
            const v = arg === undefined ? 0 : parseFloatArg(arg, errors);
            let s = floatText(conv === 'a' || conv === 'A' ? 'e' : conv, v, prec, alt);
            if (v >= 0 && !s.startsWith('-')) s = (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
            out += pad(s, width ?? 0, left, zero && Number.isFinite(v));
          }
        }
      }
      if (argi === before) break;
    } while (argi < argv.length);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  return { out, errors: list, status: list.length ? 1 : 0 };
}

export default {
  run(sh, argv) {
    let i = 1;
    if (argv[i] === '--') i++;
    const format = argv[i];
    if (format === undefined) {
      const w = sh.writeErr(`${sh.arg0}: usage: printf FORMAT [ARGUMENT...]\n`);
      return w ? w.then(() => 2) : 2;
    }
    const r = formatPrintf(format, argv.slice(i + 1));
    if (r.errors.length === 0) {
      const w = r.out ? sh.writeOut(r.out) : undefined;
      return w ? w.then(() => r.status) : r.status;
    }
    return (async () => {
      // Output and messages in the order they happened, as the C version flushes them.
      let at = 0;
      for (const e of r.errors) {
        if (e.at > at) await sh.writeOut(r.out.slice(at, e.at));
        at = e.at;
        await sh.writeErr(`${sh.arg0}: ${e.message}\n`);
      }
      if (at < r.out.length) await sh.writeOut(r.out.slice(at));
      return r.status;
    })();
  },
} satisfies Builtin;
