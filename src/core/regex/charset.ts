// Sets of bytes (0–255) for the regex layer: bracket expressions, classes, case folding. The C locale
// is the only one: classes are ASCII-only, case folding maps A–Z to a–z and nothing else.

/** A set of bytes as a 256-entry membership table (1 = member). */
export type ByteSet = Uint8Array;

export function emptySet(): ByteSet {
  return new Uint8Array(256);
}

export function fullSet(): ByteSet {
  return new Uint8Array(256).fill(1);
}

export function singleton(c: number): ByteSet {
  const s = emptySet();
  s[c] = 1;
  return s;
}

export function addRange(s: ByteSet, from: number, to: number): void {
  s.fill(1, from, to + 1);
}

export function invert(s: ByteSet): ByteSet {
  const r = emptySet();
  for (let c = 0; c < 256; c++) r[c] = s[c] ? 0 : 1;
  return r;
}

export function setSize(s: ByteSet): number {
  let n = 0;
  for (let c = 0; c < 256; c++) n += s[c]!;
  return n;
}

export const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
export const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
export const isAlpha = (c: number) => isUpper(c) || isLower(c);
export const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
export const isAlnum = (c: number) => isAlpha(c) || isDigit(c);
/** A word constituent for \w, \b, \< and grep -w: letters, digits, underscore. */
export const isWordChar = (c: number) => isAlnum(c) || c === 0x5f;
export const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
export const toLower = (c: number) => (isUpper(c) ? c + 32 : c);
export const toUpper = (c: number) => (isLower(c) ? c - 32 : c);

const CLASSES: Record<string, (c: number) => boolean> = {
  alpha: isAlpha,
  upper: isUpper,
  lower: isLower,
  digit: isDigit,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
  space: isSpace,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlnum(c),
  alnum: isAlnum,
  print: (c) => c >= 0x20 && c < 0x7f,
  graph: (c) => c > 0x20 && c < 0x7f,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  blank: (c) => c === 0x20 || c === 0x09,
};

/** Add the members of the POSIX class `name` ([:alpha:] …); false if there is no such class. */
export function addClass(s: ByteSet, name: string): boolean {
  const test = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
  if (!test) return false;
  for (let c = 0; c < 256; c++) if (test(c)) s[c] = 1;
  return true;
}

/** How a set parsed from a lower-cased pattern behaves under case-insensitive matching: the subject's
 *  bytes are lower-cased too before the lookup (glibc's translate table). */
export function foldCase(s: ByteSet): ByteSet {
  const r = emptySet();
  for (let c = 0; c < 256; c++) r[c] = s[toLower(c)]!;
  return r;
}

/** The only member of s, or -1 if s has none or several. */
export function onlyMember(s: ByteSet): number {
  let found = -1;
  for (let c = 0; c < 256; c++) {
    if (!s[c]) continue;
    if (found >= 0) return -1;
    found = c;
  }
  return found;
}
