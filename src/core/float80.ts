// The C `long double` of x86 Linux (80-bit extended: a 64-bit significand), in software, because
// GNU printf and seq read and print their floating-point arguments as long doubles: `printf
// '%.20f' 0.1` shows 0.10000000000000000000 and `%a` shows 0xc.ccccccccccccccdp-7, which a
// JavaScript double cannot reproduce. Values are parsed as glibc's strtold does (decimal, hex,
// inf, nan), rounded to nearest-even, added and multiplied with one rounding each, and converted
// to decimal exactly, so formatting rounds as glibc does.

/** A finite value is mant × 2^exp with mant < 2^64 (0 for zero); sign kept separately (-0 exists). */
export type Float80 =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly mant: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan'; readonly neg: boolean };

const BITS = 64;
const MAX_EXP = 16384; // values ≥ 2^16384 overflow
const MIN_EXP = -16445; // the smallest subnormal is 2^-16445

export const ZERO: Float80 = { kind: 'finite', neg: false, mant: 0n, exp: 0 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Round an exact value (neg, n × 2^e) to 64 significant bits, nearest-even; `sticky` says bits
 *  below n were dropped already (so a tie is not a tie). */
export function roundBinary(neg: boolean, n: bigint, e: number, sticky = false): Float80 {
  return roundExact(neg, n, e, sticky).value;
}

/** roundBinary, also telling whether the result differs from the exact value. */
function roundExact(neg: boolean, n: bigint, e: number, sticky: boolean): { value: Float80; inexact: boolean } {
  let inexact = sticky;
  if (n === 0n) return { value: { kind: 'finite', neg, mant: 0n, exp: 0 }, inexact };
  const len = bitLength(n);
  let shift = len - BITS;
  if (e + shift < MIN_EXP) shift = MIN_EXP - e; // subnormal: fewer bits
  if (shift > 0) {
    const dropped = n & ((1n << BigInt(shift)) - 1n);
    if (dropped !== 0n) inexact = true;
    let q = n >> BigInt(shift);
    const half = 1n << BigInt(shift - 1);
    if (dropped > half || (dropped === half && (sticky || (q & 1n) === 1n))) q += 1n;
    n = q;
    e += shift;
    if (bitLength(n) > BITS) {
      n >>= 1n;
      e += 1;
    }
  } else if (shift < 0) {
    n <<= BigInt(-shift);
    e += shift;
  }
  if (n === 0n) return { value: { kind: 'finite', neg, mant: 0n, exp: 0 }, inexact };
  if (e + BITS > MAX_EXP) return { value: { kind: 'inf', neg }, inexact: true };
  return { value: { kind: 'finite', neg, mant: n, exp: e }, inexact };
}

/** num / den (positive BigInts) × 2^e, correctly rounded. */
function roundRational(neg: boolean, num: bigint, den: bigint, e: number): { value: Float80; inexact: boolean } {
  // Scale so the quotient has at least 66 bits: 64 kept, one for rounding, the rest sticky.
  const shift = Math.max(0, BITS + 2 - (bitLength(num) - bitLength(den)));
  const scaled = num << BigInt(shift);
  const q = scaled / den;
  const sticky = q * den !== scaled;
  return roundExact(neg, q, e - shift, sticky);
}

export function fromBigInt(n: bigint): Float80 {
  return roundBinary(n < 0n, n < 0n ? -n : n, 0);
}

export function fromNumber(x: number): Float80 {
  if (Number.isNaN(x)) return { kind: 'nan', neg: false };
  if (!Number.isFinite(x)) return { kind: 'inf', neg: x < 0 };
  const neg = x < 0 || Object.is(x, -0);
  x = Math.abs(x);
  if (x === 0) return { kind: 'finite', neg, mant: 0n, exp: 0 };
  let e = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    e--;
  }
  return roundBinary(neg, BigInt(x), e);
}

export function toNumber(x: Float80): number {
  if (x.kind === 'nan') return NaN;
  if (x.kind === 'inf') return x.neg ? -Infinity : Infinity;
  const v = Number(x.mant) * 2 ** x.exp; // may lose low bits: for display decisions only
  return x.neg ? -v : v;
}

export function isZero(x: Float80): boolean {
  return x.kind === 'finite' && x.mant === 0n;
}

/** The result of parsing: the value and how many characters of the text it used (0: none). */
export interface Parsed {
  value: Float80;
  end: number;
  /** The value was too large (strtold sets ERANGE and returns ±HUGE_VALL). */
  overflow: boolean;
  /** The value was too small to be represented exactly (ERANGE: zero or an inexact subnormal). */
  underflow: boolean;
}

/** strtold in the C locale: leading white space, a sign, then decimal (with an e exponent), hex
 *  (0x, with a p exponent), inf/infinity or nan/nan(chars). */
export function parseFloat80(text: string, start = 0): Parsed {
  let i = start;
  while (i < text.length && ' \t\n\v\f\r'.includes(text[i]!)) i++;
  let neg = false;
  if (text[i] === '+' || text[i] === '-') neg = text[i++] === '-';
  const rest = text.slice(i);
  const none: Parsed = { value: ZERO, end: start, overflow: false, underflow: false };
  let m = /^inf(inity)?/i.exec(rest);
  if (m) return { value: { kind: 'inf', neg }, end: i + m[0].length, overflow: false, underflow: false };
  m = /^nan(\([0-9A-Za-z_]*\))?/i.exec(rest);
  if (m) return { value: { kind: 'nan', neg }, end: i + m[0].length, overflow: false, underflow: false };
  m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?/.exec(rest);
  if (m && (m[1] || m[2])) {
    let end = i + m[0].length;
    const digits = (m[1] ?? '') + (m[2] ?? '');
    let e = -4 * (m[2] ?? '').length;
    const p = /^[pP]([+-]?\d+)/.exec(text.slice(end));
    if (p) {
      e += clampExponent(p[1]!);
      end += p[0].length;
    }
    const mant = BigInt(`0x${digits}`);
    const r = roundExact(neg, mant, e, false);
    return { value: r.value, end, ...range(r, mant !== 0n) };
  }
  m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
  const intPart = m[1] ?? '';
  const frac = m[2] ?? '';
  if (!intPart && !frac) return none;
  let end = i + m[0].length;
  let e10 = -frac.length;
  const x = /^[eE]([+-]?\d+)/.exec(text.slice(end));
  if (x) {
    e10 += clampExponent(x[1]!);
    end += x[0].length;
  }
  const digits = BigInt((intPart + frac).replace(/^0+(?=.)/, '') || '0');
  const r = decimalExact(neg, digits, e10);
  return { value: r.value, end, ...range(r, digits !== 0n) };
}

/** strtold's ERANGE cases: overflow, or a nonzero number that became zero or an inexact subnormal. */
function range(r: { value: Float80; inexact: boolean }, nonzero: boolean): { overflow: boolean; underflow: boolean } {
  const v = r.value;
  const overflow = v.kind === 'inf';
  const tiny = v.kind === 'finite' && (v.mant === 0n || bitLength(v.mant) < BITS);
  return { overflow, underflow: nonzero && tiny && (r.inexact || v.mant === 0n) };
}

function clampExponent(digits: string): number {
  const n = Number(digits);
  return Math.max(-1e6, Math.min(1e6, n));
}

/** digits × 10^e10, correctly rounded. */
export function fromDecimal(neg: boolean, digits: bigint, e10: number): Float80 {
  return decimalExact(neg, digits, e10).value;
}

function decimalExact(neg: boolean, digits: bigint, e10: number): { value: Float80; inexact: boolean } {
  if (digits === 0n) return { value: { kind: 'finite', neg, mant: 0n, exp: 0 }, inexact: false };
  const log2 = bitLength(digits) + e10 * Math.log2(10);
  if (log2 > MAX_EXP + 64) return { value: { kind: 'inf', neg }, inexact: true };
  if (log2 < MIN_EXP - 64) return { value: { kind: 'finite', neg, mant: 0n, exp: 0 }, inexact: true };
  if (e10 >= 0) return roundExact(neg, digits * 10n ** BigInt(e10), 0, false);
  // digits / 10^-e10 = digits / (5^-e10 × 2^-e10)
  return roundRational(neg, digits, 5n ** BigInt(-e10), e10);
}

export function negate(x: Float80): Float80 {
  return { ...x, neg: !x.neg };
}

export function add(a: Float80, b: Float80): Float80 {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan', neg: false };
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return { kind: 'nan', neg: true };
    return a.kind === 'inf' ? a : b;
  }
  if (a.mant === 0n) return b.mant === 0n ? { ...a, neg: a.neg && b.neg } : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const av = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - e);
  const bv = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - e);
  const sum = av + bv;
  if (sum === 0n) return { kind: 'finite', neg: false, mant: 0n, exp: 0 };
  return roundBinary(sum < 0n, sum < 0n ? -sum : sum, e);
}

export function multiply(a: Float80, b: Float80): Float80 {
  const neg = a.neg !== b.neg;
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan', neg: false };
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (isZero(a) || isZero(b)) return { kind: 'nan', neg: true };
    return { kind: 'inf', neg };
  }
  return roundBinary(neg, a.mant * b.mant, a.exp + b.exp);
}

/** -1, 0, 1; NaN compares unordered (returns undefined). */
export function compare(a: Float80, b: Float80): -1 | 0 | 1 | undefined {
  if (a.kind === 'nan' || b.kind === 'nan') return undefined;
  const sign = (x: Float80) => (x.kind === 'finite' && x.mant === 0n ? 0 : x.neg ? -1 : 1);
  const sa = sign(a);
  const sb = sign(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  let mag: -1 | 0 | 1;
  if (a.kind === 'inf' || b.kind === 'inf') mag = a.kind === b.kind ? 0 : a.kind === 'inf' ? 1 : -1;
  else {
    const e = Math.min(a.exp, b.exp);
    const av = a.mant << BigInt(a.exp - e);
    const bv = b.mant << BigInt(b.exp - e);
    mag = av === bv ? 0 : av > bv ? 1 : -1;
  }
  return (sa < 0 ? -mag : mag) as -1 | 0 | 1;
}

/** The exact decimal expansion of |x| (finite): digits (no leading zeros, "0" for zero) and the
 *  power of ten of the last digit: value = digits × 10^pow. */
function exactDecimal(x: Extract<Float80, { kind: 'finite' }>): { digits: string; pow: number } {
  if (x.mant === 0n) return { digits: '0', pow: 0 };
  if (x.exp >= 0) return { digits: (x.mant << BigInt(x.exp)).toString(), pow: 0 };
  // mant / 2^k = mant × 5^k / 10^k
  const k = -x.exp;
  return { digits: (x.mant * 5n ** BigInt(k)).toString(), pow: -k };
}

/** Round a digit string at `keep` digits (nearest, ties to even); may grow by one digit. */
function roundDigits(digits: string, keep: number): string {
  if (keep >= digits.length) return digits;
  if (keep < 0) return '0';
  const head = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 48;
  const tail = digits.slice(keep + 1);
  const last = keep > 0 ? digits.charCodeAt(keep - 1) - 48 : 0;
  const roundUp = next > 5 || (next === 5 && (/[1-9]/.test(tail) || last % 2 === 1));
  if (!roundUp) return head || '0';
  return (BigInt(head || '0') + 1n).toString().padStart(Math.max(keep, 1), '0');
}

/** %f: fixed notation with `precision` decimals (no sign). */
export function toFixed(x: Extract<Float80, { kind: 'finite' }>, precision: number): string {
  const { digits, pow } = exactDecimal(x);
  // value = digits × 10^pow; we want round(value × 10^precision)
  const shift = pow + precision;
  let n: string;
  if (shift >= 0) n = digits + '0'.repeat(shift);
  else {
    const keep = digits.length + shift;
    if (keep < 0) n = '0';
    else if (keep === 0) n = roundDigits('0' + digits, 1);
    else n = roundDigits(digits, keep);
  }
  n = n.replace(/^0+(?=.)/, '');
  if (precision === 0) return n;
  n = n.padStart(precision + 1, '0');
  return `${n.slice(0, n.length - precision)}.${n.slice(n.length - precision)}`;
}

/** %e parts: the significant digits (1 + precision of them) and the decimal exponent. */
export function toExponential(x: Extract<Float80, { kind: 'finite' }>, precision: number): { digits: string; exp: number } {
  if (x.mant === 0n) return { digits: '0'.repeat(precision + 1), exp: 0 };
  const { digits, pow } = exactDecimal(x);
  let rounded = roundDigits(digits, precision + 1);
  let exp = pow + digits.length - 1;
  if (rounded.length > precision + 1) {
    rounded = rounded.slice(0, precision + 1);
    exp++;
  }
  return { digits: rounded.padEnd(precision + 1, '0'), exp };
}

/** %a for an x87 long double, as glibc prints it: the leading hex digit holds the integer bit and
 *  three more (0x8p-3 is 1), then up to 15 hex digits, trailing zeros dropped unless a precision
 *  is given. Returns the digits after 0x (with the point) and the binary exponent. */
export function toHexParts(x: Extract<Float80, { kind: 'finite' }>, precision: number | undefined): { lead: string; frac: string; exp: number } {
  if (x.mant === 0n) return { lead: '0', frac: precision ? '0'.repeat(precision) : '', exp: 0 };
  let mant = x.mant;
  let exp = x.exp + 63 - 3; // lead digit = top 4 bits: value = lead.frac × 2^exp
  if (bitLength(mant) < BITS) {
    // A subnormal: glibc shows the raw significand at the smallest exponent (0x0.…p-16385).
    mant <<= BigInt(x.exp - MIN_EXP);
    exp = MIN_EXP + 63 - 3;
  }
  let lead = Number(mant >> 60n);
  let fracBits = mant & ((1n << 60n) - 1n);
  let frac = fracBits.toString(16).padStart(15, '0');
  if (precision === undefined) frac = frac.replace(/0+$/, '');
  else if (precision < 15) {
    // round to `precision` hex digits, ties to even
    const dropBits = BigInt(4 * (15 - precision));
    const dropped = fracBits & ((1n << dropBits) - 1n);
    let kept = fracBits >> dropBits;
    const half = 1n << (dropBits - 1n);
    if (dropped > half || (dropped === half && (kept & 1n) === 1n)) kept += 1n;
    if (kept >> BigInt(4 * precision) !== 0n) {
      kept &= (1n << BigInt(4 * precision)) - 1n;
      lead += 1;
      if (lead === 16) {
        lead = 1;
        exp += 4;
      }
    }
    fracBits = kept;
    frac = precision === 0 ? '' : fracBits.toString(16).padStart(precision, '0');
  } else frac = frac.padEnd(precision, '0');
  return { lead: lead.toString(16), frac, exp };
}
