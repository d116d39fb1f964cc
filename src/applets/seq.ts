// seq as GNU has it: FIRST, INCREMENT and LAST read as long doubles, the default format %.PRECf
// taken from the operands' own decimals (with -w, zero-padded to the wider end), -f for a printf
// floating-point format, -s for the separator. Three ways to count, as GNU: non-negative integers
// with a small step as digit strings of any length (seq_fast), operands with few enough digits in
// exact scaled integers (the same output as long double arithmetic, much faster), and everything
// else in emulated long double arithmetic, including GNU's guard against stopping one short.
import { defineApplet } from '../core/applet.js';
import { type ConversionSpec, formatFloat } from '../core/cformat.js';
import { AppletError, UsageError } from '../core/errors.js';
import { type Float80, add, compare, fromBigInt, multiply, parseFloat80 } from '../core/float80.js';
import { OutBuffer } from '../core/io.js';
import { quote } from '../core/quote.js';

const FAST_STEP_LIMIT = 200;

/** A command-line operand (GNU's struct operand). */
interface Operand {
  text: string;
  value: Float80;
  /** Print width if printed like its input (`-.1` as `-0.1`, `1.` as `1`); 0 for hex or inf. */
  width: number;
  /** Digits after the decimal point; Infinity when it is not a fixed-point number. */
  precision: number;
}

/** A -f format split around its one conversion. */
interface Format {
  prefix: string;
  spec: ConversionSpec;
  suffix: string;
}

export default defineApplet({
  name: 'seq',
  summary: 'Print numbers from FIRST to LAST, in steps of INCREMENT',
  usage: 'seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST',
  help: [
    '-f, --format=FORMAT\tUse printf style floating-point FORMAT',
    '-s, --separator=STRING\tUse STRING to separate numbers (default: \\n)',
    '-w, --equal-width\tEqualize width by padding with leading zeroes',
    '',
    'If FIRST or INCREMENT is omitted, it defaults to 1, even when LAST is smaller than FIRST.',
    'FIRST, INCREMENT and LAST are floating point values; FORMAT defaults to %.PRECf if they',
    'are all fixed point decimal numbers with maximum precision PREC, and to %g otherwise.',
  ].join('\n'),
  options: {
    f: { long: 'format', arg: 'string' },
    s: { long: 'separator', arg: 'string' },
    w: { long: 'equal-width' },
  },
  stopAtOperand: true,
  rewriteArgs: markNegativeNumbers,
  async run(ctx) {
    const o = ctx.opts;
    const args = ctx.operands;
    if (args.length < 1) throw new UsageError('missing operand');
    if (args.length > 3) throw new UsageError(`extra operand ${quote(args[3]!)}`);
    const format = o.f === undefined ? undefined : parseFormat(o.f);
    if (format && o.w) throw new UsageError('format string may not be specified when printing equal width strings');
    const separator = o.s ?? '\n';
    const out = new OutBuffer(ctx.stdout);
    const tick = signalChecker(ctx.signal);

    const allDigits = (s: string) => /^[0-9]+$/.test(s);
    const simple = !o.w && !format && separator.length === 1;
    const n = args.length;
    const stepText = n === 3 ? args[1]! : '1';
    const stepOk = n !== 3 || (allDigits(stepText) && BigInt(stepText) > 0n && BigInt(stepText) <= BigInt(FAST_STEP_LIMIT));
    if (simple && allDigits(args[0]!) && (n === 1 || allDigits(args[1]!)) && (n < 3 || (stepOk && allDigits(args[2]!)))) {
      const first = n === 1 ? 1n : BigInt(args[0]!);
      const last = BigInt(args[n - 1]!);
      if (first <= last) {
        await countIntegers(out, first, last, BigInt(stepText), separator, tick);
        return 0;
      }
    }

    let first: Operand = { text: '1', value: fromBigInt(1n), width: 1, precision: 0 };
    let step: Operand = { text: '1', value: fromBigInt(1n), width: 1, precision: 0 };
    let last = scanArg(args[0]!);
    if (n > 1) {
      first = last;
      last = scanArg(args[1]!);
      if (n > 2) {
        step = last;
        if (compare(step.value, fromBigInt(0n)) === 0) throw new UsageError(`invalid Zero increment value: ${quote(args[1]!)}`);
        last = scanArg(args[2]!);
      }
    }
    // The integer way again, for operands like 1e3 or an infinite LAST.
    if (
      simple &&
      first.precision === 0 &&
      step.precision === 0 &&
      last.precision === 0 &&
      first.value.kind === 'finite' &&
      !first.value.neg &&
      !last.value.neg &&
      last.value.kind !== 'nan' &&
      compare(step.value, fromBigInt(0n)) === 1 &&
      compare(step.value, fromBigInt(BigInt(FAST_STEP_LIMIT))) !== 1
    ) {
      const a = BigInt(formatFloat(first.value, { flags: '', precision: 0, conv: 'f' }));
      const b = last.value.kind === 'inf' ? undefined : BigInt(formatFloat(last.value, { flags: '', precision: 0, conv: 'f' }));
      if (b === undefined || a <= b) {
        const s = BigInt(formatFloat(step.value, { flags: '', precision: 0, conv: 'f' }));
        await countIntegers(out, a, b, s, separator, tick);
        return 0;
      }
    }

    const chosen = format ?? defaultFormat(first, step, last, !!o.w);
    const exact = format ? undefined : scaledIntegers(first, step, last);
    if (exact) await countScaled(out, exact, chosen, separator, tick);
    else await countFloat80(out, first.value, step.value, last.value, chosen, separator, tick);
    await out.flush();
    return 0;
  },
});

/** Put `--` before the first argument that is a negative number, so it is not read as options. */
function markNegativeNumbers(args: readonly string[]): string[] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (/^-[.0-9]/.test(arg)) return [...args.slice(0, i), '--', ...args.slice(i)];
    if (arg === '--' || !arg.startsWith('-') || arg === '-') return [...args];
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && /^--(f|fo|for|form|forma|format|s|se|sep|sepa|separ|separa|separat|separato|separator)$/.test(arg)) i++;
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      if (arg[j] === 'f' || arg[j] === 's') {
        if (j === arg.length - 1) i++; // the value is the next argument
        break;
      }
    }
  }
  return [...args];
}

/** Lets ctx.signal in now and then during long synchronous runs. */
function signalChecker(signal: AbortSignal): () => Promise<boolean> {
  let n = 0;
  return async () => {
    if ((++n & 4095) === 0) await new Promise((resolve) => setImmediate(resolve));
    return signal.aborted;
  };
}

/** GNU's scan_arg: the value (xstrtold: the whole text must be a number), width and precision. */
function scanArg(text: string): Operand {
  const parsed = parseFloat80(text);
  if (parsed.end === 0 || parsed.end !== text.length || parsed.overflow) {
    throw new UsageError(`invalid floating point argument: ${quote(text)}`);
  }
  if (parsed.value.kind === 'nan') throw new UsageError(`invalid 'not-a-number' argument: ${quote(text)}`);
  const arg = text.replace(/^[ \t\n\v\f\r+]+/, '');
  const op: Operand = { text, value: parsed.value, width: 0, precision: Infinity };
  const point = arg.indexOf('.');
  if (point === -1 && !arg.includes('p')) op.precision = 0;
  if (!/[xX]/.test(arg) && parsed.value.kind === 'finite') {
    let fraction = 0;
    op.width = arg.length;
    if (point !== -1) {
      const after = arg.slice(point + 1);
      fraction = after.search(/[eE]/) === -1 ? after.length : after.search(/[eE]/);
      op.precision = fraction;
      op.width += fraction === 0 ? -1 : point === 0 || !/[0-9]/.test(arg[point - 1]!) ? 1 : 0;
    }
    let e = arg.indexOf('e');
    if (e === -1) e = arg.indexOf('E');
    if (e !== -1) {
      let exponent = parseInt(arg.slice(e + 1), 10) || 0;
      op.precision += exponent < 0 ? -exponent : -Math.min(op.precision, exponent);
      op.width -= arg.length - e;
      if (exponent < 0) {
        if (point !== -1) {
          if (e === point + 1) op.width++;
        } else op.width++;
        exponent = -exponent;
      } else {
        if (point !== -1 && op.precision === 0 && fraction) op.width--;
        exponent -= Math.min(fraction, exponent);
      }
      op.width += exponent;
    }
  }
  return op;
}

/** GNU's long_double_format: one %e/%f/%g/%a conversion (L allowed), %% anywhere. */
function parseFormat(fmt: string): Format {
  let i = 0;
  let prefix = '';
  for (; !(fmt[i] === '%' && fmt[i + 1] !== '%'); i += fmt[i] === '%' ? 2 : 1) {
    if (i >= fmt.length) throw new AppletError(`format ${quote(fmt)} has no % directive`);
    prefix += fmt[i];
  }
  i++;
  const m = /^([-+#0 ']*)([0-9]*)(?:\.([0-9]*))?(L?)/.exec(fmt.slice(i))!;
  i += m[0].length;
  const conv = fmt[i];
  if (conv === undefined) throw new AppletError(`format ${quote(fmt)} ends in %`);
  if (!'efgaEFGA'.includes(conv)) throw new AppletError(`format ${quote(fmt)} has unknown %${conv} directive`);
  let suffix = '';
  for (i++; i < fmt.length; i += fmt[i] === '%' ? 2 : 1) {
    if (fmt[i] === '%' && fmt[i + 1] !== '%') throw new AppletError(`format ${quote(fmt)} has too many % directives`);
    suffix += fmt[i];
  }
  const spec: ConversionSpec = { flags: m[1]!, conv };
  if (m[2]) spec.width = Number(m[2]);
  if (m[3] !== undefined) spec.precision = Number(m[3] || '0');
  // %% stays %% in the prefix and suffix: printf turns it into %
  return { prefix: prefix.replace(/%%/g, '%'), spec, suffix: suffix.replace(/%%/g, '%') };
}

/** GNU's get_default_format: %.PRECf (zero-padded to a common width with -w), else %g. */
function defaultFormat(first: Operand, step: Operand, last: Operand, equalWidth: boolean): Format {
  const prec = Math.max(first.precision, step.precision);
  if (prec !== Infinity && last.precision !== Infinity) {
    if (!equalWidth) return { prefix: '', spec: { flags: '', precision: prec, conv: 'f' }, suffix: '' };
    let firstWidth = first.width + (prec - first.precision);
    let lastWidth = last.width + (prec - last.precision);
    if (last.precision && prec === 0) lastWidth--;
    if (last.precision === 0 && prec) lastWidth++;
    if (first.precision === 0 && prec) firstWidth++;
    return { prefix: '', spec: { flags: '0', width: Math.max(firstWidth, lastWidth), precision: prec, conv: 'f' }, suffix: '' };
  }
  return { prefix: '', spec: { flags: '', conv: 'g' }, suffix: '' };
}

/** seq_fast: integers as exact BigInts (or numbers while they are small), LAST undefined = inf. */
async function countIntegers(out: OutBuffer, first: bigint, last: bigint | undefined, step: bigint, sep: string, tick: () => Promise<boolean>): Promise<void> {
  let text = first.toString();
  let p = out.put(text);
  if (p) await p;
  if (last !== undefined && first <= BigInt(Number.MAX_SAFE_INTEGER) && last <= BigInt(Number.MAX_SAFE_INTEGER)) {
    const s = Number(step);
    const end = Number(last);
    let chunk = '';
    for (let x = Number(first) + s; x <= end; x += s) {
      chunk += sep + x;
      if (chunk.length > 60000) {
        p = out.put(chunk);
        if (p) await p;
        chunk = '';
        if (await tick()) return;
      }
    }
    await out.put(`${chunk}\n`);
    return out.flush();
  }
  for (let x = first + step; last === undefined || x <= last; x += step) {
    text = sep + x.toString();
    p = out.put(text);
    if (p) await p;
    if (await tick()) return;
  }
  await out.put('\n');
  await out.flush();
}

interface Scaled {
  first: bigint;
  step: bigint;
  /** undefined: LAST is infinite in the direction of the step */
  last: bigint | undefined;
  scale: number;
}

/**
 * Decimal operands whose values long double holds exactly, as integers scaled by 10^decimals. Their
 * sums print exactly as GNU's long double sums do, since those are exact too.
 */
function scaledIntegers(first: Operand, step: Operand, last: Operand): Scaled | undefined {
  const scale = Math.max(first.precision, step.precision, last.precision === Infinity ? 0 : last.precision);
  if (scale === Infinity || scale > 18) return undefined;
  const toScaled = (op: Operand): bigint | undefined => {
    const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(op.text);
    if (!m) return undefined;
    const digits = BigInt(`${m[2] ?? ''}${m[3] ?? ''}` || '0');
    const exp = (m[4] ? parseInt(m[4], 10) : 0) - (m[3] ?? '').length + scale;
    if (exp < 0) {
      const d = 10n ** BigInt(-exp);
      if (digits % d !== 0n) return undefined;
      return (m[1] === '-' ? -1n : 1n) * (digits / d);
    }
    if (exp > 40) return undefined;
    return (m[1] === '-' ? -1n : 1n) * digits * 10n ** BigInt(exp);
  };
  const limit = 1n << 63n;
  const a = toScaled(first);
  const s = toScaled(step);
  if (a === undefined || s === undefined || a >= limit || -a >= limit || s >= limit || -s >= limit) return undefined;
  if (last.value.kind === 'inf') {
    if (last.value.neg !== s < 0n) return { first: a, step: s, last: s < 0n ? -limit : limit, scale };
    return { first: a, step: s, last: undefined, scale };
  }
  const b = toScaled(last);
  if (b === undefined || b >= limit || -b >= limit) return undefined;
  return { first: a, step: s, last: b, scale };
}

async function countScaled(out: OutBuffer, x: Scaled, format: Format, sep: string, tick: () => Promise<boolean>): Promise<void> {
  const { spec } = format;
  const prec = spec.precision ?? 0;
  const drop = x.scale - prec; // the scale may exceed the printed precision (LAST had more decimals)
  const unit = 10n ** BigInt(drop);
  const width = spec.width ?? 0;
  const show = (v: bigint): string => {
    const neg = v < 0n;
    let digits = ((neg ? -v : v) / unit).toString();
    if (prec > 0) {
      digits = digits.padStart(prec + 1, '0');
      digits = `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
    }
    const sign = neg ? '-' : '';
    return width > sign.length + digits.length ? sign + '0'.repeat(width - sign.length - digits.length) + digits : sign + digits;
  };
  const beyond = (v: bigint) => x.last !== undefined && (x.step < 0n ? v < x.last : v > x.last);
  if (beyond(x.first)) return;
  let p = out.put(show(x.first));
  if (p) await p;
  for (let v = x.first + x.step; !beyond(v); v += x.step) {
    p = out.put(sep + show(v));
    if (p) await p;
    if (await tick()) return;
  }
  await out.put('\n');
}

/** GNU's print_numbers in long double arithmetic, with its check for a last number that prints
 *  as LAST although rounding put it just past. */
async function countFloat80(out: OutBuffer, first: Float80, step: Float80, last: Float80, format: Format, sep: string, tick: () => Promise<boolean>): Promise<void> {
  const show = (v: Float80) => format.prefix + formatFloat(v, format.spec) + format.suffix;
  const number = (v: Float80) => formatFloat(v, format.spec);
  const past = (v: Float80) => (step.neg ? compare(v, last) === -1 : compare(last, v) === -1);
  if (past(first)) return;
  let x = first;
  let outOfRange = false;
  for (let i = 1n; ; i++) {
    const x0 = x;
    let p = out.put(show(x));
    if (p) await p;
    if (outOfRange) break;
    x = add(first, multiply(fromBigInt(i), step));
    outOfRange = past(x);
    if (outOfRange) {
      const printed = number(x);
      const value = parseFloat80(printed);
      if (!(value.end === printed.length && compare(value.value, last) === 0 && printed !== number(x0))) break;
    }
    p = out.put(sep);
    if (p) await p;
    if (await tick()) return;
  }
  await out.put('\n');
}
