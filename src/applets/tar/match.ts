// Which members a tar command works on: member operands (exact names, or shell patterns with
// --wildcards) and --exclude patterns, with GNU tar's defaults: member names match exactly or as
// a leading directory; exclusions are wildcards that match any trailing part of a name.

export interface GlobOptions {
  /** `*` and `?` match `/` too (GNU's --wildcards-match-slash, the default). */
  matchSlash?: boolean;
}

/** fnmatch(3) with `*`, `?`, `[...]` (with `!`/`^` and ranges) and backslash escapes. */
export function fnmatch(pattern: string, name: string, opts: GlobOptions = {}): boolean {
  const matchSlash = opts.matchSlash ?? true;
  const match = (pi: number, ni: number): boolean => {
    while (pi < pattern.length) {
      const c = pattern[pi]!;
      if (c === '*') {
        while (pattern[pi] === '*') pi++;
        if (pi === pattern.length) return matchSlash || !name.includes('/', ni);
        for (let k = ni; k <= name.length; k++) {
          if (match(pi, k)) return true;
          if (k < name.length && name[k] === '/' && !matchSlash) return false;
        }
        return false;
      }
      if (ni >= name.length) return false;
      const ch = name[ni]!;
      if (c === '?') {
        if (ch === '/' && !matchSlash) return false;
        pi++;
        ni++;
        continue;
      }
      if (c === '[') {
        const end = classEnd(pattern, pi);
        if (end !== -1) {
          if (!inClass(pattern.slice(pi + 1, end), ch)) return false;
          pi = end + 1;
          ni++;
          continue;
        }
      }
      const lit = c === '\\' && pi + 1 < pattern.length ? pattern[++pi]! : c;
      if (lit !== ch) return false;
      pi++;
      ni++;
    }
    return ni === name.length;
  };
  return match(0, 0);
}

function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) if (p[i] === ']') return i;
  return -1;
}

function inClass(body: string, ch: string): boolean {
  let negate = false;
  let i = 0;
  if (body[0] === '!' || body[0] === '^') {
    negate = true;
    i = 1;
  }
  let found = false;
  for (; i < body.length; i++) {
    let lo = body[i]!;
    if (lo === '\\' && i + 1 < body.length) lo = body[++i]!;
    if (body[i + 1] === '-' && i + 2 < body.length) {
      let hi = body[i + 2]!;
      if (hi === '\\' && i + 3 < body.length) hi = body[i + 3]!;
      if (ch >= lo && ch <= hi) found = true;
      i += hi === body[i + 2] ? 2 : 3;
    } else if (ch === lo) found = true;
  }
  return found !== negate;
}

export const hasWildcards = (s: string) => /[*?[\\]/.test(s);

/** Strip trailing slashes (but keep `/`) as GNU does for names and operands. */
export function trimSlashes(s: string): string {
  return s.length > 1 ? s.replace(/\/+$/, '') || '/' : s;
}

/** An --exclude pattern against a member name: the whole name, or any part after a `/`, as a
 *  pattern; a match also excludes everything under it (FNM_LEADING_DIR). */
export function excluded(patterns: readonly string[], name: string): boolean {
  if (!patterns.length) return false;
  const n = trimSlashes(name);
  const tails: string[] = [n];
  for (let i = n.indexOf('/'); i !== -1; i = n.indexOf('/', i + 1)) tails.push(n.slice(i + 1));
  for (const p of patterns) {
    const pat = trimSlashes(p);
    for (const tail of tails) {
      if (fnmatch(pat, tail)) return true;
      // leading directory: the pattern matches a prefix ending at a slash
      for (let j = tail.indexOf('/'); j !== -1; j = tail.indexOf('/', j + 1)) if (fnmatch(pat, tail.slice(0, j))) return true;
    }
  }
  return false;
}

/** Member operands of -x/-t: each must match at least one member (else "Not found in archive"). */
export class MemberFilter {
  private readonly patterns: { text: string; glob: boolean; found: boolean }[];
  constructor(operands: readonly string[], wildcards: boolean) {
    this.patterns = operands.map((text) => ({ text: trimSlashes(text), glob: wildcards && hasWildcards(text), found: false }));
  }
  get all(): boolean {
    return this.patterns.length === 0;
  }
  /** Whether a member is selected: its name, or a leading directory of it, matches an operand. */
  matches(name: string): boolean {
    if (this.patterns.length === 0) return true;
    const n = trimSlashes(name);
    let hit = false;
    for (const p of this.patterns) {
      if (p.glob ? globLeading(p.text, n) : n === p.text || n.startsWith(`${p.text}/`) || p.text === '.') {
        p.found = true;
        hit = true;
      }
    }
    return hit;
  }
  /** Operands no member matched. */
  unmatched(): string[] {
    return this.patterns.filter((p) => !p.found).map((p) => p.text);
  }
}

function globLeading(pattern: string, name: string): boolean {
  if (fnmatch(pattern, name)) return true;
  for (let j = name.indexOf('/'); j !== -1; j = name.indexOf('/', j + 1)) if (fnmatch(pattern, name.slice(0, j))) return true;
  return false;
}
