// Protected paths (etc/apk/protected_paths.d, apk-tools' apk_db_dir_get): each rule is a mode and
// a path pattern; a directory takes the mode of the last rule naming it, else its parent's. Patterns
// are matched one component at a time (fnmatch with FNM_PATHNAME), the rest of a pattern passed on
// to the subdirectories. In a protected directory a file the admin changed is kept on upgrade and
// removal (the package's version goes to NAME.apk-new); `audit` reads the modes more finely.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';

/** Not protected. */
export const PROTECT_NONE = 0;
/** `-`: not protected, and ignored by audit. */
export const PROTECT_IGNORE = 1;
/** `+`: changed files are kept; audit reports them. */
export const PROTECT_CHANGED = 2;
/** `@`: kept; audit reports symbolic links only (etc/init.d). */
export const PROTECT_SYMLINKS_ONLY = 3;
/** `!`: kept; audit --backup lists every file (etc/apk). */
export const PROTECT_ALL = 4;

export const protectModeNone = (mode: number) => mode === PROTECT_NONE || mode === PROTECT_IGNORE;

interface Rule {
  mode: number;
  /** The pattern, relative to the directory the rule applies in. */
  pattern: string;
}

export interface ProtectedDir {
  mode: number;
  /** Rules handed down to this directory's entries. */
  rules: Rule[];
  hasProtectedChildren: boolean;
}

const MODE_CHARS: Record<string, number> = { '-': PROTECT_IGNORE, '+': PROTECT_CHANGED, '@': PROTECT_SYMLINKS_ONLY, '!': PROTECT_ALL };

export class ProtectedPaths {
  private readonly dirs = new Map<string, ProtectedDir>();
  private readonly rules: Rule[] = [];

  /** Rules as written in protected_paths.d: `[-+@!]path`, `#` comments. */
  constructor(lines: Iterable<string>) {
    for (const raw of lines) {
      if (raw === '' || raw[0] === '#') continue;
      const mode = MODE_CHARS[raw[0]!];
      const pattern = (mode === undefined ? raw : raw.slice(1)).replace(/^\/+/, '').replace(/\/+$/, '');
      this.rules.push({ mode: mode ?? PROTECT_CHANGED, pattern });
    }
  }

  /** apk's built-in rules and the root's protected_paths.d/*.list files. */
  static load(root: (rel: string) => string): ProtectedPaths {
    const lines = ['+etc', '@etc/init.d', '!etc/apk'];
    let files: string[] = [];
    try {
      files = fs.readdirSync(fsPath(root('etc/apk/protected_paths.d')), { encoding: 'latin1' }).filter((f) => f.endsWith('.list')).sort();
    } catch {
      // none
    }
    for (const f of files) {
      try {
        lines.push(...fs.readFileSync(fsPath(root(`etc/apk/protected_paths.d/${f}`)), 'latin1').split('\n'));
      } catch {
        // unreadable: skipped, as apk does
      }
    }
    return new ProtectedPaths(lines);
  }

  /** The protection of a directory (relative to the root, '' for the root itself). */
  dir(rel: string): ProtectedDir {
    let d = this.dirs.get(rel);
    if (d) return d;
    if (rel === '') d = { mode: PROTECT_NONE, rules: this.rules, hasProtectedChildren: true };
    else {
      const slash = rel.lastIndexOf('/');
      const parent = slash < 0 ? this.dir('') : this.dir(rel.slice(0, slash));
      const name = rel.slice(slash + 1);
      d = { mode: slash < 0 ? PROTECT_NONE : parent.mode, rules: [], hasProtectedChildren: false };
      d.hasProtectedChildren = !protectModeNone(d.mode);
      for (const r of parent.rules) {
        const s = r.pattern.indexOf('/');
        if (s >= 0) {
          if (!fnmatchPath(r.pattern.slice(0, s), name)) continue;
          d.rules.push({ mode: r.mode, pattern: r.pattern.slice(s + 1) });
        } else {
          if (!fnmatchPath(r.pattern, name)) continue;
          d.mode = r.mode;
        }
        d.hasProtectedChildren ||= !protectModeNone(r.mode);
      }
    }
    this.dirs.set(rel, d);
    return d;
  }

  /** A file's protection: its directory's, or that of a rule naming the file itself (audit). */
  file(dirRel: string, name: string): number {
    const d = this.dir(dirRel);
    let mode = d.mode;
    for (const r of d.rules) if (!r.pattern.includes('/') && fnmatchPath(r.pattern, name)) mode = r.mode;
    return mode;
  }
}

/** fnmatch(pattern, path, FNM_PATHNAME): `*` and `?` do not cross `/`. */
export function fnmatchPath(pattern: string, path: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === path;
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set[0] === '!') set = `^${set.slice(1)}`;
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(path);
}
