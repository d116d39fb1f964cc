// Byte streams. Applets read ByteSources and write ByteSinks; whether the other end is a terminal, a
// file, an in-memory pipe to another applet or a spawned process is not their concern. Real file
// descriptors expose `fd`, so hot loops (cat, tar, wget) can use large synchronous reads and writes.
//
// Ownership rules: a source returns fresh chunks the caller may keep; a sink copies what it retains, so
// callers may reuse their buffers. Applets never close ctx.stdin/ctx.stdout: whoever made them does.
import * as fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fsPath } from './bytes.js';
import { BrokenPipe, errorCode } from './errors.js';

export interface ByteSource extends AsyncIterable<Uint8Array> {
  /** The descriptor behind this source, if it is a real one. */
  readonly fd?: number;
  /** The next chunk, or null at end of input. */
  read(): Promise<Uint8Array | null>;
  /** Give back bytes read but not used; the next read() returns them first. */
  unread(chunk: Uint8Array): void;
  /** Take back what unread() gave (next first), so a reader of `fd` can serve it before its own reads. */
  takeUnread?(): Uint8Array | undefined;
  /** Stop reading: frees the descriptor if the source owns it; a pipe's writer then sees BrokenPipe. */
  close(): void;
  /** The next chunk if one is ready without waiting, null at end of input, undefined if read() would
   *  have to wait. Optional: a shell's `read` and here-strings use it to stay synchronous. */
  readNow?(): Uint8Array | null | undefined;
  /** Whether bytes given back with unread() wait to be read again (they precede the descriptor's offset). */
  hasUnread?(): boolean;
  /** As read(), but the chunk is only lent: it stays valid until the next call on this source, so
   *  the caller must copy what it keeps (a sink's write() does). Optional: plain copies (cat) use it
   *  so that sources can reuse their buffers instead of allocating a fresh one per chunk. */
  readTransient?(): Promise<Uint8Array | null>;
}

export interface ByteSink {
  /** The descriptor behind this sink, if it is a real one. */
  readonly fd?: number;
  /** Write bytes or a binary string; resolves when the sink can take more (back-pressure). */
  write(chunk: Uint8Array | string): Promise<void>;
  /** End of output (the reader sees end of input). Only the sink's creator calls this. */
  close(): Promise<void>;
  /** Write, synchronously where the sink has room: undefined when done, else a promise for the rest
   *  (as write()). Optional: a shell's builtins use it so that `echo` in a loop costs no promise. */
  put?(chunk: Uint8Array | string): Promise<void> | undefined;
}

export const CHUNK_SIZE = 128 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function asBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'latin1');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

abstract class SourceBase implements ByteSource {
  protected pending: Uint8Array[] = [];
  abstract readonly fd?: number;
  protected abstract readChunk(): Promise<Uint8Array | null>;
  read(): Promise<Uint8Array | null> {
    const back = this.pending.pop();
    return back ? Promise.resolve(back) : this.readChunk();
  }
  unread(chunk: Uint8Array): void {
    if (chunk.length) this.pending.push(chunk);
  }
  readNow(): Uint8Array | null | undefined {
    return this.pending.pop() ?? this.readChunkNow();
  }
  readTransient(): Promise<Uint8Array | null> {
    const back = this.pending.pop();
    return back ? Promise.resolve(back) : this.readChunkTransient();
  }
  /** A chunk the caller only borrows until its next call; by default a fresh one. */
  protected readChunkTransient(): Promise<Uint8Array | null> {
    return this.readChunk();
  }
  /** A chunk without waiting, if the source can; undefined otherwise. */
  protected readChunkNow(): Uint8Array | null | undefined {
    return undefined;
  }
  /** The bytes given back with unread(), next first, or undefined: for hot loops that read the
   *  descriptor themselves into a buffer they reuse, after what was given back. */
  takeUnread(): Uint8Array | undefined {
    return this.pending.pop();
  }
  close(): void {
    this.pending = [];
  }
  /** Whether bytes given back with unread() wait to be read again (they precede the descriptor's offset). */
  hasUnread(): boolean {
    return this.pending.length > 0;
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) yield chunk;
  }
}

/** A source over a real descriptor. Regular files are read synchronously; pipes, ttys and sockets on
 *  the thread pool, so a slow writer never blocks the other applets running in this process, unless
 *  the creator knows nothing else runs here (`mayBlock`: a filter applet run as its own process). */
export class FdSource extends SourceBase {
  private regular: boolean | undefined;
  constructor(
    readonly fd: number,
    private readonly owned = false,
    private readonly mayBlock = false,
  ) {
    super();
  }
  /** Whether reads may be synchronous: a regular file, or a descriptor this process may block on. */
  readsSynchronously(): boolean {
    return this.mayBlock || this.isRegularFile();
  }
  /** Whether the descriptor is a regular file (reads never block). */
  isRegularFile(): boolean {
    if (this.regular === undefined) {
      try {
        this.regular = fs.fstatSync(this.fd).isFile();
      } catch {
        this.regular = false;
      }
    }
    return this.regular;
  }
  /** The buffer lent by readTransient(), reused from one call to the next. */
  private lent: Buffer | undefined;
  protected async readChunk(): Promise<Uint8Array | null> {
    return this.readInto(Buffer.allocUnsafe(CHUNK_SIZE));
  }
  protected override readChunkTransient(): Promise<Uint8Array | null> {
    return this.readInto((this.lent ??= Buffer.allocUnsafe(CHUNK_SIZE)));
  }
  private async readInto(buf: Buffer): Promise<Uint8Array | null> {
    const n = this.readsSynchronously() ? await readMaybeSync(this.fd, buf) : await readAsync(this.fd, buf);
    return n === 0 ? null : buf.subarray(0, n);
  }
  protected override readChunkNow(): Uint8Array | null | undefined {
    if (!this.isRegularFile()) return undefined;
    const buf = Buffer.allocUnsafe(CHUNK_SIZE);
    const n = fs.readSync(this.fd, buf, 0, CHUNK_SIZE, null);
    return n === 0 ? null : buf.subarray(0, n);
  }
  override close(): void {
    super.close();
    if (this.owned) fs.closeSync(this.fd);
  }
}

/** A synchronous read, falling back to waiting if the descriptor turns out to be non-blocking. */
export function readMaybeSync(fd: number, buf: Buffer): number | Promise<number> {
  try {
    return fs.readSync(fd, buf, 0, buf.length, null);
  } catch (err) {
    if (errorCode(err) === 'EAGAIN') return readAsync(fd, buf);
    throw err;
  }
}

async function readAsync(fd: number, buf: Buffer): Promise<number> {
  for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
    try {
      return await new Promise<number>((resolve, reject) =>
        fs.read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))),
      );
    } catch (err) {
      if (errorCode(err) !== 'EAGAIN') throw err;
      await sleep(delay); // a non-blocking descriptor inherited from our parent: poll
    }
  }
}

/** A sink over a real descriptor: synchronous writes, EPIPE turned into BrokenPipe. */
export class FdSink implements ByteSink {
  constructor(
    readonly fd: number,
    private readonly owned = false,
  ) {}
  async write(chunk: Uint8Array | string): Promise<void> {
    await this.put(chunk);
  }
  put(chunk: Uint8Array | string): Promise<void> | undefined {
    const buf = asBuffer(chunk);
    const off = writeAvailableSync(this.fd, buf);
    return off < buf.length ? this.writeRest(buf, off) : undefined;
  }
  /** Only when the descriptor is non-blocking (inherited so) and full: wait and retry. */
  private async writeRest(buf: Buffer, off: number): Promise<void> {
    for (let delay = 1; off < buf.length; delay = Math.min(delay * 2, 20)) {
      await sleep(delay);
      off = writeAvailableSync(this.fd, buf, off);
    }
  }
  async close(): Promise<void> {
    if (this.owned) fs.closeSync(this.fd);
  }
}

/** Writes buf from off on to fd synchronously, as far as the descriptor takes it without EAGAIN;
 *  returns the offset reached (buf.length when all is written). EPIPE becomes BrokenPipe. */
export function writeAvailableSync(fd: number, buf: Uint8Array, off = 0): number {
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      if (errorCode(err) === 'EAGAIN') return off;
      throw mapWriteError(err);
    }
  }
  return off;
}

function mapWriteError(err: unknown): unknown {
  return errorCode(err) === 'EPIPE' ? new BrokenPipe() : err;
}

/** An in-memory pipe between two applets running in this process, with back-pressure. */
export function createPipe(capacity = 64 * 1024): { source: ByteSource; sink: ByteSink } {
  const queue: Buffer[] = [];
  let queued = 0;
  let writerClosed = false;
  let readerClosed = false;
  let wakeReader: (() => void) | undefined;
  let wakeWriters: (() => void)[] = [];
  const notifyReader = () => {
    const wake = wakeReader;
    wakeReader = undefined;
    wake?.();
  };
  const notifyWriters = () => {
    const waiting = wakeWriters;
    wakeWriters = [];
    for (const wake of waiting) wake();
  };

  // Buffers of CHUNK_SIZE that the writer's copies go into. A chunk lent by readTransient() comes
  // back here at the reader's next call, so a plain copy through the pipe allocates nothing.
  const spare: Buffer[] = [];
  let lent: Buffer | undefined;
  const giveBack = () => {
    if (lent && spare.length < 4) spare.push(lent);
    lent = undefined;
  };

  class PipeSource extends SourceBase {
    readonly fd = undefined;
    protected async readChunk(): Promise<Uint8Array | null> {
      while (queue.length === 0) {
        if (writerClosed || readerClosed) return null;
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
      return this.readChunkNow()!;
    }
    protected override async readChunkTransient(): Promise<Uint8Array | null> {
      giveBack();
      const chunk = await this.readChunk();
      if (chunk && chunk.byteOffset === 0 && chunk.buffer.byteLength === CHUNK_SIZE) lent = Buffer.from(chunk.buffer, 0, CHUNK_SIZE);
      return chunk;
    }
    protected override readChunkNow(): Uint8Array | null | undefined {
      if (queue.length === 0) return writerClosed || readerClosed ? null : undefined;
      const chunk = queue.shift()!;
      queued -= chunk.length;
      if (queued <= capacity) notifyWriters();
      return chunk;
    }
    override close(): void {
      super.close();
      readerClosed = true;
      queue.length = 0;
      queued = 0;
      notifyWriters();
    }
  }

  /** The pipe's own copy of a chunk: in a spare buffer when one fits. */
  const copyOf = (chunk: Uint8Array | string): Buffer => {
    if (typeof chunk === 'string') return Buffer.from(chunk, 'latin1');
    const n = chunk.byteLength;
    if (n <= 4096 || n > CHUNK_SIZE) return Buffer.from(chunk);
    let into = spare.pop();
    if (!into) {
      // a large chunk gets a whole buffer, which can come back as a spare
      if (n < CHUNK_SIZE / 2) return Buffer.from(chunk);
      into = Buffer.allocUnsafeSlow(CHUNK_SIZE);
    }
    into.set(chunk);
    return into.subarray(0, n);
  };
  const waitForRoom = async () => {
    while (queued > capacity && !readerClosed) await new Promise<void>((resolve) => wakeWriters.push(resolve));
    if (readerClosed) throw new BrokenPipe();
  };
  const sink: ByteSink = {
    fd: undefined,
    async write(chunk) {
      await sink.put!(chunk);
    },
    put(chunk) {
      if (readerClosed) throw new BrokenPipe();
      const buf = copyOf(chunk);
      if (buf.length === 0) return undefined;
      queue.push(buf);
      queued += buf.length;
      notifyReader();
      return queued > capacity ? waitForRoom() : undefined;
    },
    async close() {
      writerClosed = true;
      notifyReader();
    },
  };
  return { source: new PipeSource(), sink };
}

/** A source that yields the given bytes once (here-documents, test input). */
export class BytesSource extends SourceBase {
  readonly fd = undefined;
  private data: Uint8Array | null;
  constructor(data: Uint8Array | string) {
    super();
    this.data = asBuffer(data);
  }
  protected async readChunk(): Promise<Uint8Array | null> {
    return this.readChunkNow();
  }
  protected override readChunkNow(): Uint8Array | null {
    const data = this.data;
    this.data = null;
    return data && data.length ? data : null;
  }
}

/** A sink that keeps everything written (command substitution, tests). */
export class MemorySink implements ByteSink {
  readonly fd = undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  async write(chunk: Uint8Array | string): Promise<void> {
    this.put(chunk);
  }
  put(chunk: Uint8Array | string): undefined {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk);
    this.chunks.push(buf);
    this.size += buf.length;
    return undefined;
  }
  async close(): Promise<void> {}
  bytes(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }
  /** What was written, as a binary string. */
  text(): string {
    return this.bytes().toString('latin1');
  }
}

/** A sink that discards everything (like /dev/null, without a descriptor). */
export const nullSink: ByteSink = { fd: undefined, write: async () => {}, close: async () => {} };

/** A source over a Node Readable (a child's stdout, a socket, a decompressor). */
export class StreamSource extends SourceBase {
  readonly fd = undefined;
  private ended = false;
  private failure: unknown;
  constructor(private readonly stream: Readable) {
    super();
    stream.on('end', () => (this.ended = true));
    stream.on('error', (err) => (this.failure = err));
  }
  protected async readChunk(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = this.stream.read() as Buffer | string | null;
      if (chunk !== null) return typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      if (this.ended || this.stream.destroyed) return null;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('readable', done).off('end', done).off('error', done).off('close', done);
          resolve();
        };
        this.stream.on('readable', done).on('end', done).on('error', done).on('close', done);
      });
    }
  }
  override close(): void {
    super.close();
    this.stream.destroy();
  }
}

/** A sink over a Node Writable (a child's stdin, a socket, a compressor), honouring 'drain'. */
export class StreamSink implements ByteSink {
  readonly fd = undefined;
  private failure: unknown;
  constructor(private readonly stream: Writable) {
    stream.on('error', (err) => (this.failure = mapWriteError(err)));
  }
  async write(chunk: Uint8Array | string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.destroyed || this.stream.writableEnded) throw new BrokenPipe();
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk);
    if (this.stream.write(buf)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done).off('error', done).off('close', done);
        resolve();
      };
      this.stream.on('drain', done).on('error', done).on('close', done);
    });
    if (this.failure) throw this.failure;
  }
  async close(): Promise<void> {
    if (this.stream.writableEnded || this.stream.destroyed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('error', () => resolve());
      this.stream.end(resolve);
    });
  }
}

/** Collects output into large writes, so per-line applets do not pay one promise per line.
 *  put() is synchronous and returns a promise only when the buffer had to go to the sink; the sink
 *  is always written in call order, even by a caller that does not wait for that promise. */
export class OutBuffer {
  private buf: Buffer;
  private used = 0;
  constructor(
    private readonly sink: ByteSink,
    private readonly size = 64 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }
  put(data: string | Uint8Array): Promise<void> | undefined {
    const len = data.length;
    if (this.used + len > this.buf.length) return this.putSlow(data);
    if (typeof data === 'string') this.used += this.buf.write(data, this.used, 'latin1');
    else {
      this.buf.set(data, this.used);
      this.used += len;
    }
    return undefined;
  }
  private putSlow(data: string | Uint8Array): Promise<void> {
    // Both writes start now, in order; the sink may keep the old buffer, so a fresh one takes over.
    const flushed = this.flush();
    if (data.length < this.buf.length) {
      this.put(data);
      return flushed;
    }
    const written = this.sink.write(data);
    return Promise.all([flushed, written]).then(() => undefined);
  }
  flush(): Promise<void> {
    if (this.used === 0) return Promise.resolve();
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(this.size);
    this.used = 0;
    return this.sink.write(out);
  }
}

/** Output gathered synchronously, in order, and written in large pieces: for loops that produce
 *  many small strings and cannot await each one (OutBuffer.put must be awaited before the next put
 *  when it returns a promise). The caller flushes when `full`, and at the end. */
export class StringBatch {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly sink: ByteSink,
    private readonly limit = 64 * 1024,
  ) {}
  put(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }
  get full(): boolean {
    return this.size >= this.limit;
  }
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const data = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.sink.write(data);
  }
}

/** Reads the whole source (for inputs that are small by nature: config files, command output). */
export async function readAll(src: ByteSource): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of src) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Lines of a source as binary strings, each with its terminating delimiter if it had one.
 *  Stopping early gives the unread rest back to the source, so the next reader of a shared
 *  input (`{ head -n1; cat; } < f`) continues where this one stopped. */
export async function* readLines(src: ByteSource, delimiter = '\n'): AsyncGenerator<string> {
  let rest = '';
  let restStart = 0;
  try {
    for (let chunk = await src.read(); chunk; chunk = await src.read()) {
      rest = rest.slice(restStart) + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      restStart = 0;
      for (let nl = rest.indexOf(delimiter); nl !== -1; nl = rest.indexOf(delimiter, restStart)) {
        const line = rest.slice(restStart, nl + 1);
        restStart = nl + 1;
        yield line;
      }
    }
    if (restStart < rest.length) {
      const last = rest.slice(restStart);
      restStart = rest.length;
      yield last;
    }
  } finally {
    if (restStart < rest.length) src.unread(Buffer.from(rest.slice(restStart), 'latin1'));
  }
}

export interface Input {
  /** The operand as given (`-` for standard input). */
  name: string;
  source?: ByteSource;
  /** Why it could not be opened; the applet reports it in its own words. */
  error?: unknown;
}

/** Each input operand opened in turn; `-` and no operands mean standard input. A file is closed when
 *  the caller moves on to the next one (or leaves the loop). */
export async function* eachInput(
  ctx: { stdin: ByteSource; path(p: string): string },
  operands: readonly string[],
): AsyncGenerator<Input> {
  const names = operands.length ? operands : ['-'];
  for (const name of names) {
    if (name === '-') {
      yield { name, source: ctx.stdin };
      continue;
    }
    let source: FdSource;
    try {
      source = new FdSource(fs.openSync(fsPath(ctx.path(name)), 'r'), true);
    } catch (error) {
      yield { name, error };
      continue;
    }
    try {
      yield { name, source };
    } finally {
      source.close();
    }
  }
}
