// File modes: the `drwxr-sr-x` strings ls, stat and tar print, and chmod-style mode specifications
// (octal or symbolic: `u+x,go-w`, `a=rX`, `g=u`) that chmod, mkdir -m, install -m and tar --mode take.
import { AppletError } from './errors.js';

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

/** The type letter ls puts first: - d l c b p s (? for unknown). */
export function fileTypeLetter(mode: number): string {
  switch (mode & S_IFMT) {
    case S_IFREG: return '-';
    case S_IFDIR: return 'd';
    case S_IFLNK: return 'l';
    case S_IFCHR: return 'c';
    case S_IFBLK: return 'b';
    case S_IFIFO: return 'p';
    case S_IFSOCK: return 's';
    default: return '?';
  }
}

/** GNU's words for a file's type (file_type(): rm's and mv's prompts, stat %F). */
export function fileTypeName(mode: number, size = 1): string {
  switch (mode & S_IFMT) {
    case S_IFREG: return size === 0 ? 'regular empty file' : 'regular file';
    case S_IFDIR: return 'directory';
    case S_IFLNK: return 'symbolic link';
    case S_IFCHR: return 'character special file';
    case S_IFBLK: return 'block special file';
    case S_IFIFO: return 'fifo';
    case S_IFSOCK: return 'socket';
    default: return 'weird file';
  }
}

/** `-rwsr-xr-t` etc.: type letter and the nine permission letters, with s/S t/T as ls shows them. */
export function modeString(mode: number): string {
  const bit = (mask: number, ch: string) => (mode & mask ? ch : '-');
  const special = (exec: number, flag: number, set: string, unset: string) =>
    mode & flag ? (mode & exec ? set : unset) : mode & exec ? 'x' : '-';
  return (
    fileTypeLetter(mode) +
    bit(0o400, 'r') + bit(0o200, 'w') + special(0o100, S_ISUID, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + special(0o010, S_ISGID, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + special(0o001, S_ISVTX, 't', 'T')
  );
}

const WHO: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 };

/**
 * Apply a chmod mode specification to `oldMode` (permission bits only, 0o7777) and return the new
 * bits. `isDir` matters for X and for octal modes on directories; `umask` limits who-less symbolic
 * clauses (`+x` means `a+x` minus the umask), as POSIX says. Throws AppletError(`invalid mode: 'X'`).
 */
export function applyMode(spec: string, oldMode: number, opts: { isDir?: boolean; umask?: number } = {}): number {
  return modeChange(spec, oldMode, opts).mode;
}

/**
 * applyMode, also returning which bits the specification sets or clears (gnulib's mode_bits):
 * mkdir -m and install -m force exactly those over what the umask left.
 */
export function modeChange(spec: string, oldMode: number, opts: { isDir?: boolean; umask?: number } = {}): { mode: number; bits: number } {
  const umask = opts.umask ?? 0;
  const isDir = opts.isDir ?? false;
  if (/^[0-7]+$/.test(spec)) {
    if (spec.length > 4 && !/^0*[0-7]{1,4}$/.test(spec)) throw new AppletError(`invalid mode: '${spec}'`);
    const value = parseInt(spec, 8) & 0o7777;
    // GNU keeps a directory's set-id bits under an octal mode of fewer than five digits
    const kept = isDir && spec.length < 5 ? (S_ISUID | S_ISGID) & ~value : 0;
    return { mode: value | (oldMode & kept), bits: 0o7777 & ~kept };
  }
  let mode = oldMode & 0o7777;
  let changed = 0;
  for (const clause of spec.split(',')) {
    const octal = /^([-+=])([0-7]+)$/.exec(clause);
    if (octal) {
      // `+755`, `-022`, `=644`: octal bits with an operator, set-id bits of directories included
      const value = parseInt(octal[2]!, 8);
      if (value > 0o7777) throw new AppletError(`invalid mode: '${spec}'`);
      if (octal[1] === '+') mode |= value;
      else if (octal[1] === '-') mode &= ~value;
      else mode = value;
      changed |= octal[1] === '=' ? 0o7777 : value;
      continue;
    }
    const m = /^([ugoa]*)((?:[-+=](?:[ugo]|[rwxXst]*))+)$/.exec(clause);
    if (!m) throw new AppletError(`invalid mode: '${spec}'`);
    let who = 0;
    for (const w of m[1]!) who |= WHO[w]!;
    const masked = who === 0;
    if (masked) who = 0o7777;
    for (const action of m[2]!.matchAll(/([-+=])([ugo]|[rwxXst]*)/g)) {
      const op = action[1]!;
      const perms = action[2]!;
      let bits = 0;
      if (perms === 'u' || perms === 'g' || perms === 'o') {
        const shift = perms === 'u' ? 6 : perms === 'g' ? 3 : 0;
        const rwx = (mode >> shift) & 7;
        bits = (rwx << 6) | (rwx << 3) | rwx;
      } else {
        for (const p of perms) {
          if (p === 'r') bits |= 0o444;
          else if (p === 'w') bits |= 0o222;
          else if (p === 'x') bits |= 0o111;
          else if (p === 'X') bits |= isDir || mode & 0o111 ? 0o111 : 0;
          else if (p === 's') bits |= S_ISUID | S_ISGID;
          else if (p === 't') bits |= S_ISVTX;
        }
      }
      let effective = bits & who;
      if (masked) effective &= ~umask | S_ISUID | S_ISGID | S_ISVTX;
      if (op === '+') mode |= effective;
      else if (op === '-') mode &= ~effective;
      else {
        // `=`: clear what `who` covers (not the set-id bits of a directory, as GNU), then set
        const clear = (masked ? 0o7777 : who) & ~(isDir ? S_ISUID | S_ISGID : 0);
        mode = (mode & ~clear) | effective;
        changed |= clear;
      }
      changed |= effective;
    }
  }
  return { mode, bits: changed };
}
