// Directory entries in the order the file system gives them. fs.readdirSync sorts names (libuv's
// scandir does), but GNU's recursive tools (rm, chmod, chown through fts; cp through savedir)
// see readdir(3) order, or inode order, and their -v output and prompts follow it.
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';

export interface Entry {
  /** The name, as a binary string. */
  name: string;
  /** The type readdir reported (undefined when the file system did not say). */
  type: 'file' | 'dir' | 'link' | 'other' | undefined;
}

function typeOf(d: fs.Dirent): Entry['type'] {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  if (d.isSymbolicLink()) return 'link';
  if (d.isFIFO() || d.isSocket() || d.isCharacterDevice() || d.isBlockDevice()) return 'other';
  return undefined;
}

/** The entries of a directory (without `.` and `..`) in readdir order. */
export function readdirInOrder(dir: string): Entry[] {
  const handle = fs.opendirSync(fsPath(dir), { encoding: 'latin1', bufferSize: 256 } as fs.OpenDirOptions);
  const entries: Entry[] = [];
  try {
    for (let d = handle.readSync(); d !== null; d = handle.readSync()) {
      entries.push({ name: d.name as unknown as string, type: typeOf(d) });
    }
  } finally {
    handle.closeSync();
  }
  return entries;
}
