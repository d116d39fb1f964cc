// A descriptor's file offset, which Node cannot lseek: read from /proc/self/fdinfo, moved forward by
// reading. Tools that stop early on a shared regular file (head, sh's read) leave the offset just
// after what they used, so the next process reading the same descriptor continues from there.
import * as fs from 'node:fs';
import { FdSource, type ByteSource } from './io.js';

/** The current offset of a descriptor, or undefined where /proc is not available. */
export function descriptorOffset(fd: number): number | undefined {
  try {
    const m = /^pos:\s*(\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** If `src` reads a regular file straight from its descriptor (nothing given back to it), the
 *  descriptor and its offset; positional reads from there see exactly what `src` would. */
export function regularFileAt(src: ByteSource): { fd: number; offset: number } | undefined {
  if (!(src instanceof FdSource) || src.hasUnread() || !src.isRegularFile()) return undefined;
  const offset = descriptorOffset(src.fd);
  return offset === undefined ? undefined : { fd: src.fd, offset };
}

/** Move a descriptor's offset forward by `bytes` (reading them; Node has no lseek). */
export function advanceOffset(fd: number, bytes: number): void {
  const scratch = Buffer.allocUnsafe(Math.min(bytes, 128 * 1024) || 1);
  while (bytes > 0) {
    const n = fs.readSync(fd, scratch, 0, Math.min(bytes, scratch.length), null);
    if (n === 0) break;
    bytes -= n;
  }
}
