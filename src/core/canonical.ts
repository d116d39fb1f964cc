// Canonical file names as gnulib's canonicalize_filename_mode makes them (readlink -f/-e/-m,
// realpath, ln -r): every symbolic link resolved, `.` and `..` removed, no repeated slashes. And
// the relative path from one canonical name to another (realpath --relative-to, ln -r).
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';
import { errorCode } from './errors.js';
import { readlink } from './fs.js';

/** existing: every component must exist (readlink -e); allButLast: all but the last (readlink -f);
 *  missing: none need to (readlink -m). */
export type CanonMode = 'existing' | 'allButLast' | 'missing';

export interface CanonOptions {
  /** Do not resolve symbolic links (realpath -s). */
  noSymlinks?: boolean;
}

/** Links followed before loop detection starts (gnulib's threshold). */
const LINKS_BEFORE_LOOP_CHECK = 20;

function sysError(code: string, path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: ${path}`);
  err.code = code;
  return err;
}

/** Whether what follows a component (`/`, `/.`, `/..`, `/x/..`) needs it to be a directory that
 *  the walk itself will not check. */
function suffixRequiresDirCheck(suffix: string): boolean {
  let i = 0;
  while (suffix[i] === '/') {
    while (suffix[i] === '/') i++;
    const c = suffix[i++];
    if (c === undefined) return true; // a trailing slash
    if (c !== '.') return false; // an ordinary component: the walk checks it
    if (i >= suffix.length || (suffix[i] === '.' && (i + 1 >= suffix.length || suffix[i + 1] === '/'))) return true;
  }
  return false;
}

/** Access check that follows links, returning the error code or undefined. */
function accessError(p: string): string | undefined {
  try {
    fs.accessSync(fsPath(p));
    return undefined;
  } catch (err) {
    return errorCode(err) ?? 'EIO';
  }
}

/**
 * The canonical form of an absolute name, walked component by component as gnulib does (so the
 * same names fail, with the same error). Throws an errno-coded error (ENOENT, ENOTDIR, ELOOP …).
 */
export function canonicalize(abs: string, mode: CanonMode, opts: CanonOptions = {}): string {
  if (abs === '') throw sysError('ENOENT', abs);
  let rest = abs; // what is left to walk; a link's target replaces the link's component in it
  let i = 0;
  let resolved = '/';
  let links = 0;
  const seen = new Set<string>();
  while (i < rest.length) {
    while (rest[i] === '/') i++;
    let end = rest.indexOf('/', i);
    if (end === -1) end = rest.length;
    const part = rest.slice(i, end);
    if (part === '') break;
    if (part === '.' || part === '..') {
      if (part === '..') resolved = resolved.slice(0, Math.max(1, resolved.lastIndexOf('/')));
      i = end;
      continue;
    }
    const candidate = resolved === '/' ? `/${part}` : `${resolved}/${part}`;
    const suffix = rest.slice(end);
    let target: string | undefined;
    let code: string | undefined;
    if (!opts.noSymlinks) {
      try {
        target = readlink(candidate);
      } catch (err) {
        code = errorCode(err) ?? 'EIO';
      }
    }
    if (target !== undefined) {
      if (links < LINKS_BEFORE_LOOP_CHECK) links++;
      else {
        // The same remaining name from the same directory again: a loop.
        const dir = fs.statSync(fsPath(resolved));
        const key = `${dir.dev}:${dir.ino}:${rest.slice(i)}`;
        if (seen.has(key)) {
          if (mode !== 'missing') throw sysError('ELOOP', candidate);
          resolved = candidate;
          i = end;
          continue;
        }
        seen.add(key);
      }
      if (target.startsWith('/')) resolved = '/';
      rest = target + suffix;
      i = 0;
      continue;
    }
    resolved = candidate;
    i = end;
    if (mode === 'missing') continue;
    let usable: boolean;
    if (suffixRequiresDirCheck(suffix)) {
      code = accessError(`${candidate}/`);
      usable = code === undefined;
    } else if (!opts.noSymlinks) {
      usable = code === 'EINVAL'; // it exists and is not a link
    } else if (suffix !== '') {
      usable = true; // a later component's check covers this one
    } else {
      code = accessError(candidate);
      usable = code === undefined;
    }
    if (usable) continue;
    if (mode === 'allButLast' && code === 'ENOENT' && /^\/*$/.test(suffix)) continue;
    throw sysError(code ?? 'EIO', candidate);
  }
  return resolved;
}

/** gnulib's same_name: the two names are one directory entry (same last component, in the same
 *  directory), e.g. `x` and `./x`. Both absolute. */
export function sameName(a: string, b: string): boolean {
  const base = (p: string) => p.replace(/\/+$/, '').slice(p.replace(/\/+$/, '').lastIndexOf('/') + 1);
  const dir = (p: string) => {
    const t = p.replace(/\/+$/, '');
    const i = t.lastIndexOf('/');
    return i <= 0 ? '/' : t.slice(0, i);
  };
  if (base(a) !== base(b)) return false;
  try {
    const da = fs.statSync(fsPath(dir(a)));
    const db = fs.statSync(fsPath(dir(b)));
    return da.dev === db.dev && da.ino === db.ino;
  } catch {
    return false;
  }
}

/** True if `path` is `base` or lies under it (both canonical). */
export function isUnder(path: string, base: string): boolean {
  return base === '/' || path === base || path.startsWith(`${base}/`);
}

/** The relative name that leads from directory `from` to `to` (both canonical, absolute). */
export function relativePath(to: string, from: string): string {
  const t = to.split('/').filter(Boolean);
  const f = from.split('/').filter(Boolean);
  let common = 0;
  while (common < t.length && common < f.length && t[common] === f[common]) common++;
  const parts = [...Array<string>(f.length - common).fill('..'), ...t.slice(common)];
  return parts.length ? parts.join('/') : '.';
}
