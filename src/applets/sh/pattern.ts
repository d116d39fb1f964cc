// Shell patterns (`* ? [...]` with classes, `[!...]`, backslash escapes) for case, ${x#p} and
// friends, and pathname expansion. The expander hands patterns over with quoted characters escaped
// by a backslash, so `"*"` and `\*` match a star and nothing else. core/glob.ts (fnmatch) turns
// them into regular expressions.
//
// Compiled forms are cached per Shell (PatternCache). The common shapes (a literal, `*`, `*lit`,
// `lit*`, `*lit*`) never touch RegExp: string searches answer ${path##*/} and friends directly.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { globToRegExpSource } from '../../core/glob.js';

/** Characters a quoted part must escape to stay literal in a pattern. */
export function escapePattern(s: string): string {
  return s.replace(/[\\*?[\]]/g, '\\$&');
}

/** Whether a pattern (in escaped form) has an active `*`, `?` or bracket expression. */
export function hasMagic(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
    else if (c === '[' && bracketEnd(p, i) !== -1) return true;
  }
  return false;
}

/** Remove the escaping backslashes: the literal text a pattern without magic stands for. */
export function unescapePattern(p: string): string {
  return p.indexOf('\\') === -1 ? p : p.replace(/\\(.)/gs, '$1');
}

/** Index of the `]` closing the bracket expression opened at `start`, or -1 (then `[` is literal). */
function bracketEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[' && (p[i + 1] === ':' || p[i + 1] === '=' || p[i + 1] === '.')) {
      const close = p.indexOf(`${p[i + 1]}]`, i + 2);
      if (close === -1) return -1;
      i = close + 1;
    } else if (c === ']') return i;
  }
  return -1;
}

type Shape =
  | { k: 'lit'; s: string }
  | { k: 'any' }
  | { k: 'suffix'; s: string } // *lit
  | { k: 'prefix'; s: string } // lit*
  | { k: 'infix'; s: string } // *lit*
  | { k: 'regex' };

/** A compiled pattern. */
export class Pattern {
  private readonly shape: Shape;
  private full?: RegExp;
  private search?: RegExp;

  constructor(readonly source: string) {
    this.shape = shapeOf(source);
  }

  /** Anchored at both ends. */
  private fullRe(): RegExp {
    return (this.full ??= new RegExp(`^(?:${globToRegExpSource(this.source)})$`));
  }

  /** The whole string matches. */
  matches(s: string): boolean {
    const sh = this.shape;
    switch (sh.k) {
      case 'lit':
        return s === sh.s;
      case 'any':
        return true;
      case 'suffix':
        return s.endsWith(sh.s);
      case 'prefix':
        return s.startsWith(sh.s);
      case 'infix':
        return s.includes(sh.s);
      default:
        return this.fullRe().test(s);
    }
  }

  /** Length of the shortest (or longest) prefix of s that matches, or -1. */
  prefixLength(s: string, longest: boolean): number {
    const sh = this.shape;
    switch (sh.k) {
      case 'lit':
      case 'prefix':
        if (sh.k === 'lit') return s.startsWith(sh.s) ? sh.s.length : -1;
        if (!s.startsWith(sh.s)) return -1;
        return longest ? s.length : sh.s.length;
      case 'any':
        return longest ? s.length : 0;
      case 'suffix': {
        const at = longest ? s.lastIndexOf(sh.s) : s.indexOf(sh.s);
        return at === -1 ? -1 : at + sh.s.length;
      }
      default: {
        const re = this.fullRe();
        if (longest) {
          for (let n = s.length; n >= 0; n--) if (re.test(s.slice(0, n))) return n;
        } else {
          for (let n = 0; n <= s.length; n++) if (re.test(s.slice(0, n))) return n;
        }
        return -1;
      }
    }
  }

  /** Length of the shortest (or longest) suffix of s that matches, or -1. */
  suffixLength(s: string, longest: boolean): number {
    const sh = this.shape;
    switch (sh.k) {
      case 'lit':
        return s.endsWith(sh.s) ? sh.s.length : -1;
      case 'suffix':
        if (!s.endsWith(sh.s)) return -1;
        return longest ? s.length : sh.s.length;
      case 'any':
        return longest ? s.length : 0;
      case 'prefix': {
        const at = longest ? s.indexOf(sh.s) : s.lastIndexOf(sh.s);
        return at === -1 ? -1 : s.length - at;
      }
      default: {
        const re = this.fullRe();
        if (longest) {
          for (let start = 0; start <= s.length; start++) if (re.test(s.slice(start))) return s.length - start;
        } else {
          for (let start = s.length; start >= 0; start--) if (re.test(s.slice(start))) return s.length - start;
        }
        return -1;
      }
    }
  }

  /** The leftmost match, longest at that place: [start, end], or undefined. From `from` on. */
  find(s: string, from = 0): [number, number] | undefined {
    const sh = this.shape;
    if (sh.k === 'lit') {
      if (sh.s === '') return undefined;
      const at = s.indexOf(sh.s, from);
      return at === -1 ? undefined : [at, at + sh.s.length];
    }
    this.search ??= new RegExp(globToRegExpSource(this.source), 'g');
    this.search.lastIndex = from;
    const m = this.search.exec(s);
    if (!m) return undefined;
    const start = m.index;
    const re = this.fullRe();
    for (let end = s.length; end >= start; end--) if (re.test(s.slice(start, end))) return end === start ? undefined : [start, end];
    return undefined;
  }
}

function shapeOf(p: string): Shape {
  if (!hasMagic(p)) return { k: 'lit', s: unescapePattern(p) };
  if (/^\*+$/.test(p)) return { k: 'any' };
  // A literal body (escapes allowed) with stars only at the ends.
  const m = /^(\*?)((?:[^*?[\\]|\\.)*)(\*?)$/s.exec(p);
  if (m && (m[1] || m[3])) {
    const s = unescapePattern(m[2]!);
    if (m[1] && m[3]) return { k: 'infix', s };
    return m[1] ? { k: 'suffix', s } : { k: 'prefix', s };
  }
  return { k: 'regex' };
}

/** Compiled patterns by source, per shell. */
export class PatternCache {
  private readonly map = new Map<string, Pattern>();
  get(source: string): Pattern {
    let p = this.map.get(source);
    if (!p) {
      if (this.map.size > 2000) this.map.clear();
      p = new Pattern(source);
      this.map.set(source, p);
    }
    return p;
  }
}

/** Pathname expansion of one pattern (escaped form) against the file system, relative to cwd.
 *  Returns the matching paths sorted in byte order, or [] when nothing matches. */
export function glob(pattern: string, cwd: string, cache: PatternCache): string[] {
  const absolute = pattern.startsWith('/');
  const comps = pattern.split('/');
  const results: string[] = [];
  const start = absolute ? '/' : '';
  walk(absolute ? comps.slice(1) : comps, 0, start);
  return results.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  function fsName(prefix: string): string {
    if (prefix === '') return cwd;
    return prefix.startsWith('/') ? prefix : `${cwd}/${prefix}`;
  }

  function walk(parts: string[], i: number, prefix: string): void {
    if (i === parts.length) {
      results.push(prefix);
      return;
    }
    const comp = parts[i]!;
    const last = i === parts.length - 1;
    const join = (name: string) => (prefix === '' ? name : prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`);
    if (comp === '') {
      // `a//b` or a trailing slash: keep it, and require a directory so far
      if (prefix !== '' && !isDir(fsName(prefix))) return;
      walk(parts, i + 1, prefix.endsWith('/') ? prefix : `${prefix}/`);
      return;
    }
    if (!hasMagic(comp)) {
      const next = join(unescapePattern(comp));
      if (last && !exists(fsName(next))) return;
      walk(parts, i + 1, next);
      return;
    }
    let names: string[];
    try {
      names = fs.readdirSync(fsPath(fsName(prefix) || '/'), { encoding: 'latin1' });
    } catch {
      return;
    }
    const pat = cache.get(comp);
    const dotOk = comp.startsWith('.') || comp.startsWith('\\.');
    if (dotOk) names.push('.', '..');
    for (const name of names) {
      if (name.startsWith('.') && !dotOk) continue;
      if (!pat.matches(name)) continue;
      if (!last && !isDir(fsName(join(name)))) continue;
      walk(parts, i + 1, join(name));
    }
  }
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(fsPath(p));
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(fsPath(p)).isDirectory();
  } catch {
    return false;
  }
}
