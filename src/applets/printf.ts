// printf as GNU has it: the format reused while arguments remain, escapes (\NNN \xHH \uHHHH \c …),
// %b and %q, `'c` character values, numbers as strtoimax/strtoumax/strtold read them (so %u -1 is
// 18446744073709551615 and floats are long doubles), and GNU's warnings and statuses. The logic is
// exported for the shell's printf builtin, which words its messages as ash does (dialect 'ash').
import { defineApplet } from '../core/applet.js';
import { type ConversionSpec, formatFloat, formatInteger, formatString } from '../core/cformat.js';
import { UsageError } from '../core/errors.js';
import { type Float80, parseFloat80 } from '../core/float80.js';
import { isUtf8Locale, quote, quotearg } from '../core/quote.js';

export interface PrintfOptions {
  /** 'gnu' (default): GNU printf's messages; 'ash': BusyBox ash's builtin (`invalid number 'x'`,
   *  `%z: invalid format`), with a missing number silently 0 as dash has it. */
  dialect?: 'gnu' | 'ash';
  /** A UTF-8 locale: \u escapes print UTF-8, `'é` is a code point. */
  utf8?: boolean;
}

export interface PrintfResult {
  /** What to print (a binary string). */
  output: string;
  /** Messages for stderr, without the `printf: ` prefix, in order. */
  errors: string[];
  status: number;
  /** \c ended all output (the rest of the format and arguments are ignored). */
  stop: boolean;
}

/** A piece of output or a message, in the order they happen (GNU flushes stdout before each). */
export type PrintfEvent = { out: string } | { err: string };
type Event = PrintfEvent;

/** Ends formatting early: \c (status 0) or a fatal error. */
class Stop {
  constructor(readonly status: number) {}
}

const INTMAX_MAX = (1n << 63n) - 1n;
const INTMAX_MIN = -(1n << 63n);
const UINTMAX_MAX = (1n << 64n) - 1n;
const INT_MAX = 2 ** 31 - 1;

/** Format `format` with `args` as printf(1) does. */
export function formatPrintf(format: string, args: readonly string[], options: PrintfOptions = {}): PrintfResult {
  const events = printfEvents(format, args, options);
  let output = '';
  const errors: string[] = [];
  for (const e of events.events) {
    if ('out' in e) output += e.out;
    else errors.push(e.err);
  }
  return { output, errors, status: events.status, stop: events.stop };
}

/** formatPrintf's output and messages as they happen, in order (the shell's builtin interleaves
 *  them on its descriptors as the C version's flushes do). */
export function printfEvents(format: string, args: readonly string[], options: PrintfOptions = {}): { events: Event[]; status: number; stop: boolean } {
  const run = new Printf(options);
  let stop = false;
  try {
    let rest = args;
    for (;;) {
      const used = run.formatOnce(format, rest);
      rest = rest.slice(used);
      if (used === 0 || rest.length === 0) break;
    }
    if (rest.length > 0 && run.gnu) run.warn(`warning: ignoring excess arguments, starting with ${quote(rest[0]!)}`);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    run.status = e.status;
    stop = true;
  }
  run.flush();
  return { events: run.events, status: run.status, stop };
}

class Printf {
  readonly gnu: boolean;
  events: Event[] = [];
  status = 0;
  private out = '';
  constructor(private readonly options: PrintfOptions) {
    this.gnu = options.dialect !== 'ash';
  }
  flush(): void {
    if (this.out) this.events.push({ out: this.out });
    this.out = '';
  }
  warn(message: string): void {
    this.flush();
    this.events.push({ err: message });
  }
  fail(message: string): void {
    this.warn(message);
    this.status = 1;
  }
  fatal(message: string): never {
    this.fail(message);
    throw new Stop(1);
  }

  /** One pass over the format; returns how many arguments it used. */
  formatOnce(format: string, args: readonly string[]): number {
    let used = 0;
    const next = (): string | undefined => (used < args.length ? args[used++] : undefined);
    for (let i = 0; i < format.length; i++) {
      const c = format[i]!;
      if (c === '\\') {
        i += this.escape(format, i, false);
        continue;
      }
      if (c !== '%') {
        this.out += c;
        continue;
      }
      const start = i;
      i++;
      if (format[i] === '%') {
        this.out += '%';
        continue;
      }
      if (format[i] === 'b') {
        const arg = next();
        if (arg !== undefined) this.escapes(arg);
        continue;
      }
      if (format[i] === 'q' && this.gnu) {
        const arg = next();
        if (arg !== undefined) this.out += quotearg(arg, 'shell-escape', { utf8: this.options.utf8 });
        continue;
      }
      // Which conversions each flag allows (GNU's ok[] table).
      const ok = new Set('aAcdeEfFgGiosuxX');
      let flags = '';
      for (; i < format.length; i++) {
        const f = format[i]!;
        if (f === "'" || f === 'I') for (const k of 'aAceEosxX') ok.delete(k);
        else if (f === '#') for (const k of 'cdisu') ok.delete(k);
        else if (f === '0') for (const k of 'cs') ok.delete(k);
        else if (f !== '-' && f !== '+' && f !== ' ') break;
        flags += f;
      }
      const spec: ConversionSpec = { flags: flags.replace(/I/g, ''), conv: '' };
      if (format[i] === '*') {
        i++;
        const arg = next();
        if (arg !== undefined) {
          const w = this.integer(arg, true);
          if (w < -BigInt(INT_MAX) - 1n || w > BigInt(INT_MAX)) this.fatal(`invalid field width: ${quote(arg)}`);
          spec.width = Number(w);
        } else spec.width = 0;
      } else {
        const m = /^[0-9]*/.exec(format.slice(i))![0];
        if (m) spec.width = Math.min(Number(m), INT_MAX);
        i += m.length;
      }
      if (spec.width !== undefined && spec.width < 0) {
        spec.flags += '-';
        spec.width = -spec.width;
      }
      if (format[i] === '.') {
        i++;
        ok.delete('c');
        if (format[i] === '*') {
          i++;
          const arg = next();
          if (arg !== undefined) {
            const p = this.integer(arg, true);
            if (p > BigInt(INT_MAX)) this.fatal(`invalid precision: ${quote(arg)}`);
            spec.precision = p < 0n ? undefined : Number(p);
          } else spec.precision = 0;
        } else {
          const m = /^[0-9]*/.exec(format.slice(i))![0];
          spec.precision = Math.min(Number(m || '0'), INT_MAX);
          i += m.length;
        }
      }
      while ('lLhjtz'.includes(format[i] ?? '@')) i++;
      const conv = format[i] ?? '';
      if (!conv || !ok.has(conv)) {
        if (this.gnu) this.fatal(`${format.slice(start, i + 1)}: invalid conversion specification`);
        this.fatal(`${format.slice(start)}: invalid format`);
      }
      spec.conv = conv;
      this.convert(spec, next());
    }
    return used;
  }

  private convert(spec: ConversionSpec, arg: string | undefined): void {
    // The value first: converting may report an error, which flushes the output so far.
    const text = arg ?? '';
    let piece: string;
    switch (spec.conv) {
      case 'd':
      case 'i':
        piece = formatInteger(this.integer(text, true, arg === undefined), spec);
        break;
      case 'o':
      case 'u':
      case 'x':
      case 'X':
        piece = formatInteger(this.integer(text, false, arg === undefined), spec);
        break;
      case 'c':
        piece = formatString(text[0] ?? '\0', spec);
        break;
      case 's':
        piece = formatString(text, spec);
        break;
      default:
        piece = formatFloat(this.float(text), spec);
    }
    this.out += piece;
  }

  /** A character constant (`'A`, `"A`): its value, with GNU's warning about what follows it. */
  private charConstant(s: string): bigint | undefined {
    if ((s[0] !== "'" && s[0] !== '"') || s.length < 2) return undefined;
    let value = s.charCodeAt(1);
    let len = 1;
    if (this.options.utf8 && value >= 0xc0) {
      const decoded = Buffer.from(s.slice(1, 5), 'latin1').toString('utf8');
      const cp = decoded.codePointAt(0)!;
      if (cp !== 0xfffd) {
        value = cp;
        len = Buffer.byteLength(String.fromCodePoint(cp), 'utf8');
      }
    }
    const after = s.slice(1 + len);
    if (after && this.gnu) this.warn(`warning: ${after}: character(s) following character constant have been ignored`);
    return BigInt(value);
  }

  /** strtoimax/strtoumax(s, base 0) with GNU's (or ash's) complaints. */
  integer(s: string, signed: boolean, missing = false): bigint {
    const constant = this.charConstant(s);
    if (constant !== undefined) return constant;
    const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
    if (!m) {
      if (!this.gnu) {
        if (!missing) this.fail(`invalid number ${quoteAsh(s)}`);
        return 0n;
      }
      if (s !== '') this.fail(`${quote(s)}: expected a numeric value`);
      return 0n;
    }
    const digits = m[2]!;
    let v = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
    if (m[1] === '-') v = -v;
    let range = false;
    if (signed) {
      if (v > INTMAX_MAX) (v = INTMAX_MAX), (range = true);
      else if (v < INTMAX_MIN) (v = INTMAX_MIN), (range = true);
    } else if (v > UINTMAX_MAX || -v > UINTMAX_MAX) (v = UINTMAX_MAX), (range = true);
    else if (v < 0n) v = (1n << 64n) + v;
    const complete = m[0].length === s.length;
    if (!this.gnu) {
      if (range || !complete) {
        this.fail(`invalid number ${quoteAsh(s)}`);
        return 0n;
      }
      return v;
    }
    if (range) this.fail(`${quote(s)}: Numerical result out of range`);
    else if (!complete) this.fail(`${quote(s)}: value not completely converted`);
    return v;
  }

  private float(s: string): Float80 {
    const constant = this.charConstant(s);
    if (constant !== undefined) return parseFloat80(String(constant)).value;
    const r = parseFloat80(s);
    if (r.end === 0) {
      if (s !== '') this.fail(this.gnu ? `${quote(s)}: expected a numeric value` : `invalid number ${quoteAsh(s)}`);
      return r.value;
    }
    if (r.overflow || r.underflow) this.fail(this.gnu ? `${quote(s)}: Numerical result out of range` : `invalid number ${quoteAsh(s)}`);
    else if (r.end !== s.length) this.fail(this.gnu ? `${quote(s)}: value not completely converted` : `invalid number ${quoteAsh(s)}`);
    return r.value;
  }

  /** %b: the argument's escapes, with \0NNN for octal. */
  private escapes(s: string): void {
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\\') i += this.escape(s, i, true);
      else this.out += s[i];
    }
  }

  /** GNU's print_esc: the escape at s[at] (a backslash); returns how many characters it used
   *  beyond the backslash. */
  private escape(s: string, at: number, octal0: boolean): number {
    let p = at + 1;
    const c = s[p];
    if (c === 'x') {
      let value = 0;
      let n = 0;
      for (p++; n < 2 && /[0-9a-fA-F]/.test(s[p] ?? ''); n++, p++) value = value * 16 + parseInt(s[p]!, 16);
      if (n === 0) {
        if (this.gnu) this.fatal('missing hexadecimal number in escape');
        this.out += '\\x';
        return 1;
      }
      this.out += String.fromCharCode(value);
    } else if (c !== undefined && c >= '0' && c <= '7') {
      if (octal0 && c === '0') p++;
      let value = 0;
      for (let n = 0; n < 3 && (s[p] ?? '8') >= '0' && (s[p] ?? '8') <= '7'; n++, p++) value = value * 8 + s.charCodeAt(p) - 48;
      this.out += String.fromCharCode(value & 0xff);
    } else if (c !== undefined && '"\\abcefnrtv'.includes(c)) {
      if (c === 'c') {
        this.flush();
        throw new Stop(0);
      }
      this.out += ESCAPES[c]!;
      p++;
    } else if ((c === 'u' || c === 'U') && this.gnu) {
      const len = c === 'u' ? 4 : 8;
      const hex = s.slice(p + 1, p + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fatal('missing hexadecimal number in escape');
      const cp = parseInt(hex, 16);
      if ((cp <= 0x9f && cp !== 0x24 && cp !== 0x40 && cp !== 0x60) || (cp >= 0xd800 && cp <= 0xdfff)) {
        this.fatal(`invalid universal character name \\${c}${hex.toLowerCase().padStart(len, '0')}`);
      }
      if (cp < 0x80) this.out += String.fromCharCode(cp);
      else if (this.options.utf8 && cp <= 0x10ffff) this.out += Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
      else this.out += `\\${c}${cp.toString(16).toUpperCase().padStart(len, '0')}`;
      p += 1 + len;
    } else {
      this.out += '\\';
      if (c !== undefined) {
        this.out += c;
        p++;
      }
    }
    return p - at - 1;
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function quoteAsh(s: string): string {
  return `'${s}'`;
}

export default defineApplet({
  name: 'printf',
  summary: 'Print ARGUMENT(s) according to FORMAT',
  usage: 'printf FORMAT [ARGUMENT]...',
  help: [
    'FORMAT is a C printf format: %d %i %o %u %x %X %c %s %e %E %f %F %g %G %a %A with flags',
    "-+ #0' width and precision (* takes them from the arguments), and:",
    '  %%\t\ta single %',
    '  %b\t\tARGUMENT with backslash escapes interpreted (octal as \\0NNN)',
    '  %q\t\tARGUMENT quoted for reuse as shell input',
    'Escapes: \\" \\\\ \\a \\b \\c (no further output) \\e \\f \\n \\r \\t \\v \\NNN \\xHH \\uHHHH \\UHHHHHHHH.',
    "The format is reused while arguments remain. A numeric ARGUMENT may be 'C (the value of C).",
  ].join('\n'),
  async run(ctx) {
    let args = ctx.operands;
    if (args[0] === '--') args = args.slice(1);
    if (args.length === 0) throw new UsageError('missing operand');
    const { events, status } = printfEvents(args[0]!, args.slice(1), { utf8: isUtf8Locale(ctx.env) });
    for (const e of events) {
      if ('out' in e) await ctx.stdout.write(e.out);
      else await ctx.stderr.write(`${ctx.name}: ${e.err}\n`);
    }
    return status;
  },
});
