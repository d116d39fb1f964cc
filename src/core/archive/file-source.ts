// An archive file opened for reading: large positional reads, and `skip` so a reader that lists
// or looks for a few members jumps over the bodies instead of reading them (GNU tar seeks too).
import * as fs from 'node:fs';
import { fsPath } from '../bytes.js';
import type { ByteSource } from '../io.js';

const READ_SIZE = 1024 * 1024;

export class FileSource implements ByteSource {
  private position = 0;
  private pending: Uint8Array[] = [];
  private closed = false;

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
    const buf = Buffer.allocUnsafe(READ_SIZE);
    const n = fs.readSync(this.fd, buf, 0, READ_SIZE, this.position);
    this.position += n;
    return n === 0 ? null : buf.subarray(0, n);
  }

  unread(chunk: Uint8Array): void {
    if (chunk.length) this.pending.push(chunk);
  }

  /** Move on n bytes without reading them (after what unread gave back is used up). */
  skip(n: number): void {
    while (n > 0 && this.pending.length) {
      const top = this.pending.pop()!;
      if (top.length > n) {
        this.pending.push(top.subarray(n));
        return;
      }
      n -= top.length;
    }
    this.position += n;
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
