// An archive file opened for reading: large positional reads, and `skip` so a reader that lists
// or looks for a few members jumps over the bodies instead of reading them (GNU tar seeks too).
// Reads start small and double up to 1 MiB while the file is read straight through; a skip starts
// them small again (a listing reads one header after each skip). A reader done with everything it
// read says so (`release`), and the next read reuses that memory instead of allocating.
import * as fs from 'node:fs';
import { fsPath } from '../bytes.js';
import type { ByteSource } from '../io.js';

const MIN_READ = 64 * 1024;
const MAX_READ = 1024 * 1024;

export class FileSource implements ByteSource {
  private position = 0;
  private pending: Uint8Array[] = [];
  private closed = false;
  private readSize = MIN_READ;
  /** The memory of the last read, and whether its reader gave it back. */
  private last: Buffer | undefined;
  private spare: Buffer | undefined;
  /** The file's size when last looked at (by skip). */
  private size: number | undefined;

  constructor(
    readonly fd: number,
    private readonly owned = true,
  ) {}

  static open(path: string): FileSource {
    return new FileSource(fs.openSync(fsPath(path), 'r'));
  }

  async read(): Promise<Uint8Array | null> {
    return this.readSync();
  }

  readSync(): Uint8Array | null {
    const back = this.pending.pop();
    if (back) return back;
    if (this.closed) return null;
    const size = this.readSize;
    this.readSize = Math.min(MAX_READ, size * 2);
    const buf = this.spare && this.spare.length >= size ? this.spare : Buffer.allocUnsafe(size);
    this.spare = undefined;
    const n = fs.readSync(this.fd, buf, 0, size, this.position);
    this.position += n;
    this.last = buf;
    return n === 0 ? null : buf.subarray(0, n);
  }

  /** The caller keeps nothing of what it read: the next read may overwrite it. */
  release(): void {
    if (!this.pending.length) this.spare = this.last;
  }

  unread(chunk: Uint8Array): void {
    if (chunk.length) this.pending.push(chunk);
  }

  /** Move on n bytes without reading them (after what unread gave back is used up); false when
   *  the file ends before that. */
  skip(n: number): boolean {
    while (n > 0 && this.pending.length) {
      const top = this.pending.pop()!;
      if (top.length > n) {
        this.pending.push(top.subarray(n));
        return true;
      }
      n -= top.length;
    }
    if (n === 0) return true;
    this.readSize = MIN_READ;
    this.position += n;
    // a regular file's size is known: a skip past its end is a file cut short
    this.size ??= this.currentSize();
    if (this.position <= this.size) return true;
    this.size = this.currentSize(); // it may have grown meanwhile
    return this.position <= this.size;
  }

  private currentSize(): number {
    const st = fs.fstatSync(this.fd);
    return st.isFile() ? st.size : Infinity;
  }

  close(): void {
    this.pending = [];
    if (!this.closed && this.owned) fs.closeSync(this.fd);
    this.closed = true;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let c = await this.read(); c; c = await this.read()) yield c;
  }
}
