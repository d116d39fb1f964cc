// Sort keys as GNU sort defines them: -k POS1[,POS2] with field and character positions, per-key
// ordering flags (bdfgiMhnRrV) that replace the global ones, -t or blank-separated fields, and the
// global options that keys without flags inherit. A line is decorated once with the prepared value
// of each key (see compare.ts); the comparator then only compares prepared values.
import { AppletError } from '../../core/errors.js';
import { quote } from '../../core/quote.js';
import { filevercmp } from '../../core/vercmp.js';
import {
  compareGeneral,
  compareHuman,
  compareNumeric,
  type GeneralKey,
  type HumanKey,
  isBlank,
  type NumericKey,
  prepareGeneral,
  prepareHuman,
  prepareMonth,
  prepareNumeric,
  prepareRandom,
} from './compare.js';

export interface KeyFlags {
  skipStartBlanks: boolean;
  skipEndBlanks: boolean;
  /** -d (dictionary: blanks and alphanumerics only) or -i (printable only) */
  ignore: 'dictionary' | 'nonprinting' | undefined;
  fold: boolean;
  numeric: boolean;
  general: boolean;
  human: boolean;
  month: boolean;
  random: boolean;
  version: boolean;
  reverse: boolean;
}

export interface KeySpec extends KeyFlags {
  /** 0-based start field; Infinity: the key starts at the line's start (-k1 with no char). */
  startField: number;
  /** 0-based start character within the field. */
  startChar: number;
  /** 0-based end field; Infinity: the key runs to the end of the line. */
  endField: number;
  /** 1-based end character within the field; 0: the end of the field. */
  endChar: number;
}

export function emptyFlags(): KeyFlags {
  return {
    skipStartBlanks: false,
    skipEndBlanks: false,
    ignore: undefined,
    fold: false,
    numeric: false,
    general: false,
    human: false,
    month: false,
    random: false,
    version: false,
    reverse: false,
  };
}

/** Apply ordering letters to flags; returns the index of the first character that is not one. */
export function setOrdering(s: string, i: number, flags: KeyFlags, blanks: 'start' | 'end' | 'both'): number {
  for (; i < s.length; i++) {
    switch (s[i]) {
      case 'b':
        if (blanks !== 'end') flags.skipStartBlanks = true;
        if (blanks !== 'start') flags.skipEndBlanks = true;
        break;
      case 'd':
        flags.ignore = 'dictionary';
        break;
      case 'f':
        flags.fold = true;
        break;
      case 'g':
        flags.general = true;
        break;
      case 'h':
        flags.human = true;
        break;
      case 'i':
        flags.ignore ??= 'nonprinting'; // -d implies -i, not the other way round
        break;
      case 'M':
        flags.month = true;
        break;
      case 'n':
        flags.numeric = true;
        break;
      case 'R':
        flags.random = true;
        break;
      case 'r':
        flags.reverse = true;
        break;
      case 'V':
        flags.version = true;
        break;
      default:
        return i;
    }
  }
  return i;
}

/** A field count as parse_field_count reads it (xstrtoumax, too large = SIZE_MAX). */
function fieldCount(spec: string, i: number, what: string): [number, number] {
  const m = /^[ \t\n\v\f\r]*\+?[0-9]+/.exec(spec.slice(i));
  if (!m) throw new AppletError(`${what}: invalid count at start of ${quote(spec.slice(i))}`, 2);
  const digits = m[0].replace(/[^0-9]/g, '');
  return [BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(digits), i + m[0].length];
}

/** Parse a -k KEYDEF. */
export function parseKey(spec: string): KeySpec {
  const bad = (what: string): never => {
    throw new AppletError(`${what}: invalid field specification ${quote(spec)}`, 2);
  };
  const key: KeySpec = { ...emptyFlags(), startField: 0, startChar: 0, endField: Infinity, endChar: 0 };
  let [n, i] = fieldCount(spec, 0, 'invalid number at field start');
  if (n === 0) bad('field number is zero');
  key.startField = n - 1;
  if (spec[i] === '.') {
    [n, i] = fieldCount(spec, i + 1, "invalid number after '.'");
    if (n === 0) bad('character offset is zero');
    key.startChar = n - 1;
  }
  if (key.startField === 0 && key.startChar === 0) key.startField = Infinity;
  i = setOrdering(spec, i, key, 'start');
  if (spec[i] === ',') {
    [n, i] = fieldCount(spec, i + 1, "invalid number after ','");
    if (n === 0) bad('field number is zero');
    key.endField = n - 1;
    if (spec[i] === '.') [key.endChar, i] = fieldCount(spec, i + 1, "invalid number after '.'");
    i = setOrdering(spec, i, key, 'end');
  }
  if (i < spec.length) bad('stray character in field spec');
  return key;
}

/** Whether a key has no ordering options of its own (and so takes the global ones). */
export function isDefaultKey(k: KeyFlags): boolean {
  return !(k.ignore || k.fold || k.skipStartBlanks || k.skipEndBlanks || k.numeric || k.general || k.human || k.month || k.version || k.random);
}

/** GNU's check_ordering_compatibility; returns the offending letters (`gn`) or undefined. */
export function incompatibleOptions(k: KeyFlags): string | undefined {
  const n = [k.numeric, k.general, k.human, k.month, k.version || k.random || !!k.ignore].filter(Boolean).length;
  if (n <= 1) return undefined;
  let opts = '';
  if (k.ignore === 'dictionary') opts += 'd';
  if (k.fold) opts += 'f';
  if (k.general) opts += 'g';
  if (k.human) opts += 'h';
  if (k.ignore === 'nonprinting') opts += 'i';
  if (k.month) opts += 'M';
  if (k.numeric) opts += 'n';
  if (k.random) opts += 'R';
  if (k.version) opts += 'V';
  return opts;
}

/** Where a key starts in a line (GNU's begfield). `tab` is the -t separator, or undefined. */
function keyStart(line: string, key: KeySpec, tab: string | undefined): number {
  const lim = line.length;
  let p = 0;
  if (key.startField !== Infinity) {
    let fields = key.startField;
    if (tab !== undefined) {
      while (p < lim && fields-- > 0) {
        const t = line.indexOf(tab, p);
        p = t === -1 ? lim : t + 1;
      }
    } else {
      while (p < lim && fields-- > 0) {
        while (p < lim && isBlank(line.charCodeAt(p))) p++;
        while (p < lim && !isBlank(line.charCodeAt(p))) p++;
      }
    }
  }
  if (key.skipStartBlanks) while (p < lim && isBlank(line.charCodeAt(p))) p++;
  return Math.min(lim, p + key.startChar);
}

/** Where a key ends (GNU's limfield). */
function keyEnd(line: string, key: KeySpec, tab: string | undefined): number {
  const lim = line.length;
  if (key.endField === Infinity) return lim;
  let fields = key.endField + (key.endChar === 0 ? 1 : 0);
  let p = 0;
  if (tab !== undefined) {
    while (p < lim && fields-- > 0) {
      const t = line.indexOf(tab, p);
      p = t === -1 ? lim : t;
      if (p < lim && (fields || key.endChar)) p++;
    }
  } else {
    while (p < lim && fields-- > 0) {
      while (p < lim && isBlank(line.charCodeAt(p))) p++;
      while (p < lim && !isBlank(line.charCodeAt(p))) p++;
    }
  }
  if (key.endChar !== 0) {
    if (key.skipEndBlanks) while (p < lim && isBlank(line.charCodeAt(p))) p++;
    p = Math.min(lim, p + key.endChar);
  }
  return p;
}

const FOLD = Array.from({ length: 256 }, (_, c) => String.fromCharCode(c >= 97 && c <= 122 ? c - 32 : c));

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The key text with -d/-i characters dropped and -f folding applied. */
function translate(text: string, key: KeySpec): string {
  if (!key.ignore && !key.fold) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (key.ignore === 'dictionary' && !isAlnum(c) && !isBlank(c)) continue;
    if (key.ignore === 'nonprinting' && (c < 32 || c > 126)) continue;
    out += key.fold ? FOLD[c]! : text[i]!;
  }
  return out;
}

export type Prepared = string | number | NumericKey | GeneralKey | HumanKey | { hash: string; text: string };

/** A line and its prepared keys. */
export interface SortRecord {
  line: string;
  keys: Prepared[];
}

export interface Ordering {
  keys: KeySpec[];
  tab: string | undefined;
  /** The global -r: reverses the last-resort comparison. */
  reverse: boolean;
  /** -s or -u: no last-resort comparison of whole lines. */
  noLastResort: boolean;
  salt: Buffer;
}

/** Decorate a line with its keys. */
/** The text of key `key` in `line`: its field positions, -d/-i dropped, -f folded. */
export function keyText(line: string, key: KeySpec, tab: string | undefined): string {
  const start = keyStart(line, key, tab);
  const end = Math.max(start, keyEnd(line, key, tab));
  return translate(start === 0 && end === line.length ? line : line.slice(start, end), key);
}

/** One key's prepared value. */
export function prepareKey(text: string, key: KeySpec, salt: Buffer): Prepared {
  if (key.numeric) return prepareNumeric(text);
  if (key.general) return prepareGeneral(text);
  if (key.human) return prepareHuman(text);
  if (key.month) return prepareMonth(text);
  if (key.random) return { hash: prepareRandom(text, salt), text };
  return text;
}

export function prepare(line: string, o: Ordering): SortRecord {
  const keys: Prepared[] = new Array(o.keys.length);
  for (let k = 0; k < o.keys.length; k++) {
    const key = o.keys[k]!;
    const text = keyText(line, key, o.tab);
    if (key.numeric) keys[k] = prepareNumeric(text);
    else if (key.general) keys[k] = prepareGeneral(text);
    else if (key.human) keys[k] = prepareHuman(text);
    else if (key.month) keys[k] = prepareMonth(text);
    else if (key.random) keys[k] = { hash: prepareRandom(text, o.salt), text };
    else keys[k] = text;
  }
  return { line, keys };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The comparison of each key's prepared values, reversed for -r keys. */
export function keyComparators(o: Ordering): ((x: Prepared, y: Prepared) => number)[] {
  return o.keys.map((key): ((x: Prepared, y: Prepared) => number) => {
    let f: (x: Prepared, y: Prepared) => number;
    if (key.numeric) f = (x, y) => compareNumeric(x as NumericKey, y as NumericKey);
    else if (key.general) f = (x, y) => compareGeneral(x as GeneralKey, y as GeneralKey);
    else if (key.human) f = (x, y) => compareHuman(x as HumanKey, y as HumanKey);
    else if (key.month) f = (x, y) => (x as number) - (y as number);
    else if (key.version) f = (x, y) => filevercmp(x as string, y as string);
    else if (key.random) {
      f = (x, y) => {
        const a = x as { hash: string; text: string };
        const b = y as { hash: string; text: string };
        return compareText(a.hash, b.hash) || compareText(a.text, b.text);
      };
    } else f = (x, y) => compareText(x as string, y as string);
    return key.reverse ? (x, y) => f(y, x) : f;
  });
}

/** The comparator for decorated records: each key in turn, then (unless -s/-u) whole lines. */
export function comparator(o: Ordering): (a: SortRecord, b: SortRecord) => number {
  const keyCompare = keyComparators(o);
  // Without keys, lines always compare whole (GNU: the last resort is all there is).
  const lastResort =
    o.noLastResort && o.keys.length > 0
      ? undefined
      : o.reverse
        ? (a: SortRecord, b: SortRecord) => compareText(b.line, a.line)
        : (a: SortRecord, b: SortRecord) => compareText(a.line, b.line);
  if (keyCompare.length === 0) return lastResort!;
  if (keyCompare.length === 1) {
    const only = keyCompare[0]!;
    return lastResort ? (a, b) => only(a.keys[0]!, b.keys[0]!) || lastResort(a, b) : (a, b) => only(a.keys[0]!, b.keys[0]!);
  }
  return (a, b) => {
    for (let k = 0; k < keyCompare.length; k++) {
      const d = keyCompare[k]!(a.keys[k]!, b.keys[k]!);
      if (d) return d;
    }
    return lastResort ? lastResort(a, b) : 0;
  };
}
