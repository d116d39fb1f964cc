// File-system helpers over binary-string paths (see bytes.ts): node:fs needs a Buffer to see the
// exact bytes of a name, and gives names back as latin1 strings only when asked.
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';
import { errorCode } from './errors.js';

export function lstat(p: string): fs.Stats {
  return fs.lstatSync(fsPath(p));
}
export function stat(p: string): fs.Stats {
  return fs.statSync(fsPath(p));
}
/** stat, or undefined if the path does not exist (other errors still throw). */
export function statIfExists(p: string, follow = true): fs.Stats | undefined {
  try {
    return follow ? fs.statSync(fsPath(p)) : fs.lstatSync(fsPath(p));
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}
/** Directory entry names as binary strings, in the order the file system gives them. */
export function readdirNames(p: string): string[] {
  return fs.readdirSync(fsPath(p), { encoding: 'latin1' });
}
/** Directory entries with their types, names as binary strings. */
export function readdirEntries(p: string): fs.Dirent<string>[] {
  return fs.readdirSync(fsPath(p), { encoding: 'latin1', withFileTypes: true }) as unknown as fs.Dirent<string>[];
}
export function readlink(p: string): string {
  return fs.readlinkSync(fsPath(p), { encoding: 'latin1' });
}
export function realpath(p: string): string {
  return fs.realpathSync(fsPath(p), { encoding: 'latin1' });
}
export function readFile(p: string): Buffer {
  return fs.readFileSync(fsPath(p));
}

/**
 * A time for fs.utimesSync/futimesSync/lutimesSync. Node replaces a negative number of seconds
 * with the current time, but takes a numeric string as it is: times before 1970 go as strings.
 * (Node sets times through doubles: about a tenth of a microsecond of precision today.)
 */
export function utimeArg(sec: number | bigint, nsec: number | bigint = 0): string {
  return String(Number(sec) + Number(nsec) / 1e9);
}

/** Join a name onto a directory path. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * Replace `target` with `data` so that no reader ever sees half a file: write a temporary file in the
 * same directory, fsync it, rename it over the target. Mode defaults to the target's (or 0666 & ~umask).
 */
export function writeFileAtomic(target: string, data: Uint8Array | string, mode?: number): void {
  const slash = target.lastIndexOf('/');
  const tmp = `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.${uniqueSuffix()}`;
  const keepMode = mode ?? statIfExists(target)?.mode;
  const fd = fs.openSync(fsPath(tmp), 'wx', keepMode === undefined ? 0o666 : keepMode & 0o7777);
  let written = false;
  try {
    fs.writeFileSync(fd, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    if (keepMode !== undefined) fs.fchmodSync(fd, keepMode & 0o7777);
    fs.fsyncSync(fd);
    written = true;
  } finally {
    fs.closeSync(fd);
    if (!written) fs.rmSync(fsPath(tmp), { force: true });
  }
  fs.renameSync(fsPath(tmp), fsPath(target));
}

/** A name part no concurrent writer will pick. */
export function uniqueSuffix(): string {
  return `tmp${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
