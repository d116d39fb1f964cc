// Joining archive member names under an extraction root without ever leaving it: tar and apk.
//
// 1. stripUnsafePrefix() does what GNU tar's safer_name_suffix does to a member name (and to a
//    hard link's target): drop leading slashes and everything up to the last `..` component,
//    and say what was dropped, so the caller can warn ("Removing leading `../' from member names").
// 2. SafeRoot.parentOf() resolves the directory a member goes into, component by component
//    with lstat, creating missing directories. A symbolic link on the way is followed only if
//    what it points to, resolved the same way, stays inside the root; one that leads outside (or
//    is absolute, unless the root is `/` or the caller treats the root as a chroot) is an error.
//    So a link planted by an archive (`a -> /etc`, `a -> ../..`) can never be written through,
//    while `lib -> usr/lib` works as GNU tar makes it work. Hard link targets resolve the same way.
// 3. The final component is never followed: callers replace what is there (unlink, then create
//    with O_EXCL), so a symlink planted at a member's own name is replaced, not written through.
//
// Resolved directories are cached; any replacement of a directory or symlink clears the cache,
// so a directory swapped for a symlink between two entries is seen (node-tar's CVE-2021-32803).
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';
import { errorCode } from './errors.js';

/** A system-style error with a code, reported with libc's words by ctx.warn. */
export class PathError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PathError';
  }
}

/** GNU tar's rule: strip leading `/` and any prefix through the last `..` component. */
export function stripUnsafePrefix(name: string): { name: string; removed: string } {
  let prefixLen = 0;
  let p = 0;
  while (p < name.length) {
    if (name[p] === '.' && name[p + 1] === '.' && (name[p + 2] === '/' || p + 2 === name.length)) prefixLen = p + 2;
    // move to the start of the next component
    while (p < name.length && name[p] !== '/') p++;
    while (p < name.length && name[p] === '/') p++;
  }
  let q = prefixLen;
  while (q < name.length && name[q] === '/') q++;
  // a name with no `..` still loses its leading slashes
  if (prefixLen === 0) {
    q = 0;
    while (q < name.length && name[q] === '/') q++;
  }
  return { name: name.slice(q), removed: name.slice(0, q) };
}

/** Split a relative name into components, dropping `.` and empty ones. */
export function components(name: string): string[] {
  return name.split('/').filter((c) => c !== '' && c !== '.');
}

const MAX_SYMLINK_DEPTH = 40;

export interface SafeRootOptions {
  /** Absolute symlinks resolve against the root, as inside a chroot (apk --root). Default:
   *  refused unless the root is `/`. */
  chroot?: boolean;
  /** Mode for directories made on the way (before the umask). */
  dirMode?: number;
}

export class SafeRoot {
  /** The root as given (absolute), without a trailing slash except for `/` itself. */
  readonly root: string;
  private cache = new Map<string, string[]>();
  private readonly chroot: boolean;
  private readonly dirMode: number;

  constructor(root: string, opts: SafeRootOptions = {}) {
    this.root = root.length > 1 ? root.replace(/\/+$/, '') : root;
    this.chroot = opts.chroot ?? false;
    this.dirMode = opts.dirMode ?? 0o777;
  }

  /** The absolute path of a resolved position (components under the root). */
  pathOf(comps: readonly string[]): string {
    if (!comps.length) return this.root;
    return this.root === '/' ? `/${comps.join('/')}` : `${this.root}/${comps.join('/')}`;
  }

  /** Where member `name` (already stripped) goes: the resolved parent directory, made if
   *  `create`, and the final component's absolute path. Throws PathError/system errors. */
  locate(name: string, create = true): { path: string; parent: string; comps: string[] } {
    const comps = components(name);
    if (comps.length === 0) return { path: this.root, parent: this.root, comps: [] };
    if (comps.includes('..')) throw new PathError('EACCES', 'Member name contains \'..\'');
    const parent = this.resolveDir(comps.slice(0, -1), create);
    const last = comps[comps.length - 1]!;
    return { path: this.pathOf([...parent, last]), parent: this.pathOf(parent), comps: [...parent, last] };
  }

  /** The real location of a hard link's target (stripped name): its parent resolved like a
   *  member's, the target itself not followed. */
  linkTarget(name: string): string {
    return this.locate(name, false).path;
  }

  /** Forget resolved directories: call after replacing or removing a directory or symlink. */
  invalidate(): void {
    this.cache.clear();
  }

  /** Note that a real directory now exists at `name` (made by the caller). */
  noteDirectory(name: string): void {
    const comps = components(name);
    const parentKey = comps.slice(0, -1).join('/');
    const parent = comps.length > 1 ? this.cache.get(parentKey) : [];
    if (parent) this.cache.set(comps.join('/'), [...parent, comps[comps.length - 1]!]);
  }

  private resolveDir(comps: string[], create: boolean): string[] {
    const key = comps.join('/');
    const hit = this.cache.get(key);
    if (hit) return hit;
    // the longest cached prefix, then walk the rest
    let start = comps.length - 1;
    let pos: string[] = [];
    for (; start > 0; start--) {
      const prefix = this.cache.get(comps.slice(0, start).join('/'));
      if (prefix) {
        pos = prefix;
        break;
      }
    }
    if (start < 0) start = 0;
    for (let i = start; i < comps.length; i++) {
      pos = this.step(pos, comps[i]!, create, 0);
      this.cache.set(comps.slice(0, i + 1).join('/'), pos);
    }
    return pos;
  }

  /** Move from directory `pos` into component `c`, following a symlink only inside the root. */
  private step(pos: string[], c: string, create: boolean, depth: number): string[] {
    if (c === '.' || c === '') return pos;
    if (c === '..') {
      if (pos.length === 0) throw new PathError('EXDEV', 'leads outside the target');
      return pos.slice(0, -1);
    }
    const next = [...pos, c];
    const p = this.pathOf(next);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(fsPath(p));
    } catch (err) {
      if (errorCode(err) !== 'ENOENT' || !create) throw err;
      try {
        fs.mkdirSync(fsPath(p), this.dirMode);
      } catch (e) {
        if (errorCode(e) !== 'EEXIST') throw e;
        return this.step(pos, c, create, depth); // made meanwhile
      }
      return next;
    }
    if (st.isDirectory()) return next;
    if (!st.isSymbolicLink()) throw new PathError('ENOTDIR', 'Not a directory');
    if (depth >= MAX_SYMLINK_DEPTH) throw new PathError('ELOOP', 'Too many levels of symbolic links');
    const target = fs.readlinkSync(fsPath(p), { encoding: 'latin1' });
    const outside = () => new PathError('EXDEV', `Refusing to follow symbolic link '${next.join('/')}' leading outside the target`);
    let from = pos;
    if (target.startsWith('/')) {
      if (!this.chroot && this.root !== '/') throw outside();
      from = [];
    }
    // Each part must exist and be a directory (or a link to one inside the root): nothing is
    // made through a link, so a dangling one is an error, as open() through it would be.
    let at = from;
    try {
      for (const part of target.split('/')) at = this.step(at, part, false, depth + 1);
    } catch (err) {
      if (err instanceof PathError && err.code === 'EXDEV') throw outside();
      throw err;
    }
    return at;
  }
}
