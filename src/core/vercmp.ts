// Version ordering of names, as gnulib's filevercmp (ls -v, sort -V): runs of digits compare as
// numbers, `~` sorts before everything (even the end), letters before other characters; "." and
// ".." come first, then other dot names; suffixes like ".tar.gz" are compared last.

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The length of `s` without its file suffix, as (\.[A-Za-z~][A-Za-z0-9~]*)*$ matches it. */
function prefixLength(s: string): number {
  const n = s.length;
  let prefix = 0;
  for (let i = 0; ; ) {
    if (i === n) return prefix;
    i++;
    prefix = i;
    while (i + 1 < n && s.charCodeAt(i) === 46 && (isAlpha(s.charCodeAt(i + 1)) || s.charCodeAt(i + 1) === 126)) {
      for (i += 2; i < n && (isAlpha(s.charCodeAt(i)) || isDigit(s.charCodeAt(i)) || s.charCodeAt(i) === 126); i++);
    }
  }
}

function order(s: string, pos: number, len: number): number {
  if (pos === len) return -1;
  const c = s.charCodeAt(pos);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -2;
  return c + 256;
}

/** Debian's version comparison of s1[0..len1) and s2[0..len2). */
function verrevcmp(s1: string, len1: number, s2: string, len2: number): number {
  let p1 = 0;
  let p2 = 0;
  while (p1 < len1 || p2 < len2) {
    let firstDiff = 0;
    while ((p1 < len1 && !isDigit(s1.charCodeAt(p1))) || (p2 < len2 && !isDigit(s2.charCodeAt(p2)))) {
      const c1 = order(s1, p1, len1);
      const c2 = order(s2, p2, len2);
      if (c1 !== c2) return c1 - c2;
      p1++;
      p2++;
    }
    while (p1 < len1 && s1.charCodeAt(p1) === 48) p1++;
    while (p2 < len2 && s2.charCodeAt(p2) === 48) p2++;
    while (p1 < len1 && p2 < len2 && isDigit(s1.charCodeAt(p1)) && isDigit(s2.charCodeAt(p2))) {
      if (!firstDiff) firstDiff = s1.charCodeAt(p1) - s2.charCodeAt(p2);
      p1++;
      p2++;
    }
    if (p1 < len1 && isDigit(s1.charCodeAt(p1))) return 1;
    if (p2 < len2 && isDigit(s2.charCodeAt(p2))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** Compare two names in version order (negative, zero or positive). */
export function filevercmp(a: string, b: string): number {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  if (a[0] === '.') {
    if (b[0] !== '.') return -1;
    const adot = a.length === 1;
    const bdot = b.length === 1;
    if (adot) return bdot ? 0 : -1;
    if (bdot) return 1;
    const adotdot = a === '..';
    const bdotdot = b === '..';
    if (adotdot) return bdotdot ? 0 : -1;
    if (bdotdot) return 1;
  } else if (b[0] === '.') return 1;
  const ap = prefixLength(a);
  const bp = prefixLength(b);
  const result = verrevcmp(a, ap, b, bp);
  if (result || (ap === a.length && bp === b.length)) return result;
  return verrevcmp(a, a.length, b, b.length);
}
