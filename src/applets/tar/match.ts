// Which members a tar command works on: member operands (exact names, or shell patterns with
// --wildcards) and --exclude patterns, with GNU tar's defaults: member names match exactly or as
// a leading directory; exclusions are wildcards that match any trailing part of a name.

/** A shell pattern (`*`, `?`, `[...]` with `!`/`^` and ranges, backslash escapes) as the body of
 *  a regular expression; `*` and `?` match `/` too, as GNU tar's wildcards do by default. Patterns
 *  become one regular expression each, so matching a 4000-character name is one linear test, not
 *  a suffix-by-prefix search (GHSA-r292-9mhp-454m). */
export function globSource(pattern: string): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      re += '[^]*';
    } else if (c === '?') re += '[^]';
    else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end === -1) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        let negate = false;
        if (body[0] === '!' || body[0] === '^') {
          negate = true;
          body = body.slice(1);
        }
        const escaped = body.replace(/\\(.)/g, '$1').replace(/[\\\]^]/g, '\\$&');
        re += `[${negate ? '^' : ''}${escaped}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else re += escapeRe(c);
  }
  return re;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  return -1;
}

/** fnmatch(3) without flags but with `*` matching `/` (GNU tar's default for wildcards). */
export function fnmatch(pattern: string, name: string): boolean {
  return new RegExp(`^${globSource(pattern)}$`).test(name);
}

export const hasWildcards = (s: string) => /[*?[\\]/.test(s);

/** Strip trailing slashes (but keep `/`) as GNU does for names and operands. */
export function trimSlashes(s: string): string {
  return s.length > 1 ? s.replace(/\/+$/, '') || '/' : s;
}

/** --exclude patterns as GNU applies them: a pattern matches the whole name or any part of it
 *  after a `/`, and also excludes everything under what it matches (FNM_LEADING_DIR). */
export class Excluder {
  private readonly re: RegExp | undefined;
  constructor(patterns: readonly string[]) {
    if (patterns.length) {
      const alternatives = patterns.map((p) => globSource(trimSlashes(p))).join('|');
      this.re = new RegExp(`^(?:[^]*/)?(?:${alternatives})(?:/[^]*)?$`);
    }
  }
  excludes(name: string): boolean {
    return this.re !== undefined && this.re.test(trimSlashes(name));
  }
}

/** Member operands of -x/-t: each must match at least one member (else "Not found in archive"). */
export class MemberFilter {
  private readonly patterns: { text: string; glob?: RegExp; found: boolean }[];
  constructor(operands: readonly string[], wildcards: boolean) {
    this.patterns = operands.map((text) => {
      const t = trimSlashes(text);
      // a member matches, or a directory it is in does (FNM_LEADING_DIR)
      const glob = wildcards && hasWildcards(t) ? new RegExp(`^${globSource(t)}(?:/[^]*)?$`) : undefined;
      return { text: t, glob, found: false };
    });
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
      if (p.glob ? p.glob.test(n) : n === p.text || n.startsWith(`${p.text}/`) || p.text === '.') {
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
