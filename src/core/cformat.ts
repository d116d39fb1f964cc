// C printf conversions, as glibc formats them: flags `-+ #0'`, width, precision, and the integer
// (d i o u x X), character and string (c s), and floating-point (f F e E g G a A) conversions.
// Floating-point values are long doubles (see float80.ts), as in GNU printf and seq. The caller
// parses the format and its arguments (each tool words its own errors); this formats one value.
import { type Float80, toExponential, toFixed, toHexParts } from './float80.js';

export interface ConversionSpec {
  /** Any of `-+ #0'`. */
  flags: string;
  width?: number;
  precision?: number;
  /** The conversion letter. */
  conv: string;
}

function pad(body: string, prefix: string, spec: ConversionSpec, zeroAllowed: boolean): string {
  const width = spec.width ?? 0;
  const len = prefix.length + body.length;
  if (len >= width) return prefix + body;
  if (spec.flags.includes('-')) return prefix + body + ' '.repeat(width - len);
  if (zeroAllowed && spec.flags.includes('0')) return prefix + '0'.repeat(width - len) + body;
  return ' '.repeat(width - len) + prefix + body;
}

function signOf(neg: boolean, flags: string): string {
  return neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

/** %d %i %o %u %x %X of an integer already in range for the conversion. */
export function formatInteger(value: bigint, spec: ConversionSpec): string {
  const { conv, flags } = spec;
  const neg = value < 0n;
  const mag = neg ? -value : value;
  let digits = conv === 'o' ? mag.toString(8) : conv === 'x' ? mag.toString(16) : conv === 'X' ? mag.toString(16).toUpperCase() : mag.toString();
  let prefix = conv === 'd' || conv === 'i' ? signOf(neg, flags) : '';
  if (spec.precision !== undefined) {
    if (spec.precision === 0 && mag === 0n) digits = '';
    digits = digits.padStart(spec.precision, '0');
  }
  if (flags.includes('#')) {
    if (conv === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
    if ((conv === 'x' || conv === 'X') && mag !== 0n) prefix += conv === 'x' ? '0x' : '0X';
  }
  return pad(digits, prefix, spec, spec.precision === undefined);
}

/** %s (with %c, the caller passes the one character). */
export function formatString(s: string, spec: ConversionSpec): string {
  const body = spec.precision !== undefined && spec.conv === 's' ? s.slice(0, spec.precision) : s;
  return pad(body, '', { ...spec, flags: spec.flags.replace(/0/g, '') }, false);
}

/** %f %F %e %E %g %G %a %A. */
export function formatFloat(x: Float80, spec: ConversionSpec): string {
  const { conv, flags } = spec;
  const upper = conv === 'F' || conv === 'E' || conv === 'G' || conv === 'A';
  const sign = signOf(x.neg, flags);
  if (x.kind !== 'finite') {
    const word = x.kind === 'inf' ? 'inf' : 'nan';
    return pad(upper ? word.toUpperCase() : word, sign, spec, false);
  }
  const alt = flags.includes('#');
  const lower = conv.toLowerCase();
  let body: string;
  let prefix = sign;
  if (lower === 'f') {
    body = toFixed(x, spec.precision ?? 6);
    if (alt && !body.includes('.')) body += '.';
  } else if (lower === 'e') {
    body = exponential(x, spec.precision ?? 6, alt);
  } else if (lower === 'g') {
    let p = spec.precision ?? 6;
    if (p === 0) p = 1;
    const { exp } = toExponential(x, p - 1);
    if (p > exp && exp >= -4) {
      body = toFixed(x, p - 1 - exp);
      if (!alt && body.includes('.')) body = body.replace(/\.?0+$/, '');
      if (alt && !body.includes('.')) body += '.';
    } else {
      body = exponential(x, p - 1, alt);
      if (!alt) body = body.replace(/\.?0+e/, 'e');
    }
  } else {
    const { lead, frac, exp } = toHexParts(x, spec.precision);
    body = `${lead}${frac || alt ? '.' : ''}${frac}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
    prefix += '0x';
  }
  if (upper) {
    body = body.toUpperCase();
    prefix = prefix.toUpperCase();
  }
  return pad(body, prefix, spec, true);
}

function exponential(x: Extract<Float80, { kind: 'finite' }>, precision: number, alt: boolean): string {
  const { digits, exp } = toExponential(x, precision);
  const mantissa = digits.length > 1 || alt ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}
