// The orderings of GNU sort in the C locale, on binary strings: numeric (strnumcmp: any number of
// digits, exact), general numeric (strtold), human numeric (SI suffixes), month names and random (a
// keyed hash); version order is core/vercmp.ts's. Each key is turned into a compact value once per
// line (`prepare…`), so a comparison is cheap; exact fallbacks handle what doubles cannot.
import { compare as compareFloat80, parseFloat80 } from '../../core/float80.js';

/** Blanks as sort sees them: isblank() and newline. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10;
}

function skipBlanks(s: string): number {
  let i = 0;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

// ---- -n ----

/** A number as strnumcmp sees it: sign, integer digits without leading zeros, fraction digits
 *  without trailing zeros. `value` orders all numbers with up to 15 digits exactly. */
export interface NumericKey {
  value: number;
  neg: boolean;
  int: string;
  frac: string;
  /** More digits than a double keeps: ties of `value` must look at the digits. */
  long: boolean;
}

const ZERO_KEY: NumericKey = { value: 0, neg: false, int: '', frac: '', long: false };

export function prepareNumeric(s: string): NumericKey {
  let i = skipBlanks(s);
  let neg = false;
  if (s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  let start = i;
  while (s.charCodeAt(i) === 48) i++;
  start = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const int = s.slice(start, i);
  let frac = '';
  if (s.charCodeAt(i) === 46) {
    const f = ++i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    frac = s.slice(f, i).replace(/0+$/, '');
  }
  if (int === '' && frac === '') return ZERO_KEY;
  const long = int.length + frac.length > 15;
  const magnitude = Number(frac ? `${int || '0'}.${frac}` : int);
  return { value: neg ? -magnitude : magnitude, neg, int, frac, long };
}

export function compareNumeric(a: NumericKey, b: NumericKey): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  if (!a.long && !b.long) return 0;
  if (a.neg !== b.neg) return a.neg ? -1 : 1;
  let m: number;
  if (a.int.length !== b.int.length) m = a.int.length < b.int.length ? -1 : 1;
  else if (a.int !== b.int) m = a.int < b.int ? -1 : 1;
  else m = a.frac === b.frac ? 0 : a.frac < b.frac ? -1 : 1;
  return a.neg ? -m : m;
}

// ---- -g ----

/** strtold's view of a key: a conversion failure (first), NaN, or a number. */
export interface GeneralKey {
  kind: 0 | 1 | 2;
  value: number;
  /** The text strtold read, to settle ties between doubles exactly (as long doubles). */
  text: string;
}

const STRTOD =
  /^[ \t\n\v\f\r]*[+-]?(?:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i;

export function prepareGeneral(s: string): GeneralKey {
  const m = STRTOD.exec(s);
  if (!m) return { kind: 0, value: 0, text: '' };
  const text = m[0];
  const value = toDouble(text.trim());
  return { kind: Number.isNaN(value) ? 1 : 2, value, text };
}

function toDouble(t: string): number {
  const lower = t.toLowerCase();
  const neg = lower.startsWith('-');
  const body = lower.replace(/^[+-]/, '');
  if (body.startsWith('inf')) return neg ? -Infinity : Infinity;
  if (body.startsWith('nan')) return NaN;
  if (body.startsWith('0x')) {
    const v = parseFloat80(body).value;
    const n = v.kind === 'finite' ? Number(v.mant) * 2 ** v.exp : v.kind === 'inf' ? Infinity : NaN;
    return neg ? -n : n;
  }
  return Number(lower);
}

export function compareGeneral(a: GeneralKey, b: GeneralKey): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.kind !== 2) return 0;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  if (a.text === b.text) return 0;
  // Equal as doubles: compare as the long doubles GNU uses.
  return compareFloat80(parseFloat80(a.text).value, parseFloat80(b.text).value) ?? 0;
}

// ---- -h ----

const UNIT_ORDER: Record<string, number> = { k: 1, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8, R: 9, Q: 10 };

export interface HumanKey {
  unit: number;
  number: NumericKey;
}

export function prepareHuman(s: string): HumanKey {
  const t = s.slice(skipBlanks(s));
  let i = t.startsWith('-') ? 1 : 0;
  let maxDigit = 48;
  const digits = () => {
    while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) maxDigit = Math.max(maxDigit, t.charCodeAt(i++));
  };
  digits();
  if (t[i] === '.') {
    i++;
    digits();
  }
  let unit = 0;
  if (maxDigit > 48) {
    unit = UNIT_ORDER[t[i] ?? ''] ?? 0;
    if (t.startsWith('-')) unit = -unit;
  }
  return { unit, number: prepareNumeric(t) };
}

export function compareHuman(a: HumanKey, b: HumanKey): number {
  return a.unit !== b.unit ? a.unit - b.unit : compareNumeric(a.number, b.number);
}

// ---- -M ----

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** 1–12 for a key starting (after blanks) with a month abbreviation in any case, else 0. */
export function prepareMonth(s: string): number {
  const i = skipBlanks(s);
  const head = s.slice(i, i + 3).toUpperCase();
  return MONTHS.indexOf(head) + 1;
}

// ---- -R ----

/** A keyed MD5 of the key: equal keys hash equal, the order of different ones depends on the key. */
export function prepareRandom(s: string, salt: Buffer): string {
  const crypto = process.getBuiltinModule('node:crypto');
  return crypto.createHash('md5').update(salt).update(s, 'latin1').digest('latin1');
}
