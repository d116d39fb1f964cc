// fnmatch(3) as glibc does it in the C locale, compiled once into a RegExp: `*`, `?`, bracket
// expressions (ranges, `!`/`^` negation, [:classes:], [=c=] and [.c.]), backslash escapes, and the
// FNM_PATHNAME, FNM_PERIOD, FNM_CASEFOLD, FNM_NOESCAPE and FNM_LEADING_DIR flags. Strings are binary
// (one byte per character): ranges and classes are byte ranges and ASCII classes, as in LC_ALL=C.
// find -name/-path, ls --ignore/--hide, and the shell's pathname expansion and `case` use it.

export interface GlobFlags {
  /** FNM_PATHNAME: wildcards and brackets never match `/`. */
  pathname?: boolean;
  /** FNM_PERIOD: a leading `.` (at the start, or after `/` with pathname) must be matched literally. */
  period?: boolean;
  /** FNM_CASEFOLD: ASCII letters match either case. */
  casefold?: boolean;
  /** FNM_NOESCAPE: backslash is an ordinary character. */
  noescape?: boolean;
  /** FNM_LEADING_DIR: also match when the pattern matches a leading part followed by `/`. */
  leadingDir?: boolean;
}

export type Matcher = (name: string) => boolean;

const CLASSES: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => CLASSES.alpha!(c) || CLASSES.digit!(c),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  punct: (c) => c > 32 && c < 127 && !CLASSES.alnum!(c),
  print: (c) => c >= 32 && c < 127,
  graph: (c) => c > 32 && c < 127,
  cntrl: (c) => c < 32 || c === 127,
  xdigit: (c) => CLASSES.digit!(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

/** Whether the string holds any glob special character (an unescaped `*`, `?` or `[`). */
export function hasGlobChars(s: string, noescape = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && !noescape) i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Compile `pattern` into a function that tells whether a string matches it. */
export function compileGlob(pattern: string, flags: GlobFlags = {}): Matcher {
  const regex = new RegExp(`^${globToRegExpSource(pattern, flags)}${flags.leadingDir ? '(?:/[^]*)?' : ''}$`);
  return (name) => regex.test(name);
}

const cache = new Map<string, Matcher>();

/** fnmatch(pattern, name, flags) === 0, with compiled patterns cached. */
export function fnmatch(pattern: string, name: string, flags: GlobFlags = {}): boolean {
  const key = `${flags.pathname ? 1 : 0}${flags.period ? 1 : 0}${flags.casefold ? 1 : 0}${flags.noescape ? 1 : 0}${flags.leadingDir ? 1 : 0}${pattern}`;
  let m = cache.get(key);
  if (!m) {
    if (cache.size > 256) cache.clear();
    m = compileGlob(pattern, flags);
    cache.set(key, m);
  }
  return m(name);
}

/** The regular-expression source (unanchored) for a glob pattern. */
export function globToRegExpSource(pattern: string, flags: GlobFlags = {}): string {
  let out = '';
  // Where a leading period must be matched literally: the start, and after `/` with FNM_PATHNAME.
  let atLeadingPosition = !!flags.period;
  const anyChar = flags.pathname ? '[^/]' : '[^]';
  const noDot = (s: string) => (atLeadingPosition ? `(?!\\.)${s}` : s);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      // glibc: with FNM_PATHNAME a star followed by an escaped slash never matches.
      if (flags.pathname && !flags.noescape && pattern.startsWith('\\/', i + 1)) return '(?!)';
      out += noDot(`${anyChar}*`);
      atLeadingPosition = false;
      continue;
    }
    if (c === '?') {
      out += noDot(anyChar);
      atLeadingPosition = false;
      continue;
    }
    if (c === '[') {
      const bracket = parseBracket(pattern, i, flags);
      if (bracket) {
        out += noDot(bracket.source);
        i = bracket.end;
        atLeadingPosition = false;
        continue;
      }
      // No closing bracket: an ordinary `[`.
    }
    let literal = c;
    if (c === '\\' && !flags.noescape && i + 1 < pattern.length) literal = pattern[++i]!;
    out += literalSource(literal, flags);
    atLeadingPosition = !!flags.period && !!flags.pathname && literal === '/';
  }
  return out;
}

function literalSource(c: string, flags: GlobFlags): string {
  const code = c.charCodeAt(0);
  if (flags.casefold && CLASSES.alpha!(code)) return `[${c.toLowerCase()}${c.toUpperCase()}]`;
  return hex(code);
}

function hex(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/** A bracket expression starting at pattern[start] (`[`), as a RegExp character class; undefined
 *  when it does not close (then `[` is literal). */
function parseBracket(pattern: string, start: number, flags: GlobFlags): { source: string; end: number } | undefined {
  const set = new Uint8Array(256);
  // glibc folds characters and range ends (to lower case) but tests classes on the byte as it is.
  const fold = flags.casefold ? (b: number) => (b >= 65 && b <= 90 ? b + 32 : b) : (b: number) => b;
  const addRange = (lo: number, hi: number) => {
    const [flo, fhi] = [fold(lo), fold(hi)];
    for (let b = 0; b < 256; b++) if (fold(b) >= flo && fold(b) <= fhi) set[b] = 1;
  };
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  let invalid = false;
  let first = true;
  for (;;) {
    if (i >= pattern.length) return undefined;
    let c = pattern[i]!;
    if (c === ']' && !first) break;
    first = false;
    let lo: number;
    let collating = false;
    if (c === '[' && (pattern[i + 1] === ':' || pattern[i + 1] === '=' || pattern[i + 1] === '.')) {
      const kind = pattern[i + 1]!;
      const close = pattern.indexOf(`${kind}]`, i + 2);
      if (close === -1) return undefined;
      const name = pattern.slice(i + 2, close);
      i = close + 2;
      if (kind === ':') {
        const test = CLASSES[name];
        if (!test) invalid = true;
        else for (let b = 0; b < 256; b++) if (test(b)) set[b] = 1;
        continue;
      }
      // [=c=] and [.c.]: in the C locale, the single character itself.
      if (name.length !== 1) {
        invalid = true;
        continue;
      }
      lo = name.charCodeAt(0);
      if (kind === '=') {
        set[lo] = 1; // equivalence classes are not case-folded
        continue;
      }
      collating = true;
    } else {
      if (c === '\\' && !flags.noescape && i + 1 < pattern.length) c = pattern[++i]!;
      lo = c.charCodeAt(0);
      i++;
    }
    // A range `lo-hi`, unless the `-` is the last character before `]`.
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      let hiChar = pattern[i + 1]!;
      let next = i + 2;
      if (hiChar === '[' && pattern[i + 2] === '.') {
        const close = pattern.indexOf('.]', i + 3);
        if (close === -1) return undefined;
        hiChar = pattern.slice(i + 3, close);
        next = close + 2;
        if (hiChar.length !== 1) invalid = true;
      } else if (hiChar === '\\' && !flags.noescape && i + 2 < pattern.length) {
        hiChar = pattern[i + 2]!;
        next = i + 3;
      }
      addRange(lo, hiChar.charCodeAt(0));
      i = next;
    } else if (collating) set[lo] = 1; // a lone [.c.] is not case-folded either
    else addRange(lo, lo);
  }
  const end = i;
  if (invalid) return { source: '(?!)', end };
  if (negate) for (let b = 0; b < 256; b++) set[b] = set[b] ? 0 : 1;
  if (flags.pathname) set[47] = 0;
  let cls = '';
  for (let b = 0; b < 256; b++) {
    if (!set[b]) continue;
    let e = b;
    while (e + 1 < 256 && set[e + 1]) e++;
    cls += e === b ? hex(b) : `${hex(b)}-${hex(e)}`;
    b = e;
  }
  return { source: cls ? `[${cls}]` : '(?!)', end };
}
