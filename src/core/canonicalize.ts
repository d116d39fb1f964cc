// Absolute names with every symbolic link resolved, as gnulib's canonicalize_filename_mode does for
// readlink -f/-e/-m, realpath and ls --hyperlink. Paths are binary strings.
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';
import { errorCode } from './errors.js';

/** existing: every component must exist (-e); allButLast: all but the last (-f); missing: none need (-m). */
export type CanonicalizeMode = 'existing' | 'allButLast' | 'missing';

const MAX_LINKS = 40;

/**
 * The canonical absolute form of `path` (relative to `cwd`): no `.`, `..`, repeated slashes or
 * symbolic links. Throws the system error (ENOENT, ENOTDIR, ELOOP …) when the mode does not allow
 * what it meets.
 */
export function canonicalize(path: string, cwd: string, mode: CanonicalizeMode): string {
  const pending = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/').filter((p) => p !== '' && p !== '.');
  const parts: string[] = [];
  let links = 0;
  let missing = false;
  while (pending.length) {
    const name = pending.shift()!;
    if (name === '..') {
      parts.pop();
      continue;
    }
    const candidate = `/${[...parts, name].join('/')}`;
    if (missing) {
      parts.push(name);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.lstatSync(fsPath(candidate));
    } catch (err) {
      const code = errorCode(err);
      const last = pending.length === 0;
      if (code === 'ENOENT' && (mode === 'missing' || (mode === 'allButLast' && last))) {
        missing = mode === 'missing';
        parts.push(name);
        continue;
      }
      throw err;
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw Object.assign(new Error('Too many levels of symbolic links'), { code: 'ELOOP' });
      const target = fs.readlinkSync(fsPath(candidate), { encoding: 'latin1' });
      if (target.startsWith('/')) parts.length = 0;
      pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    if (!st.isDirectory() && pending.length > 0) throw Object.assign(new Error('Not a directory'), { code: 'ENOTDIR' });
    parts.push(name);
  }
  return `/${parts.join('/')}`;
}
