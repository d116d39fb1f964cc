// Compression filters for archives: detection by magic bytes, decompression in-process (gzip and
// zstd by node:zlib on the thread pool; bzip2 and xz by pure-JS/WebAssembly decoders), compression
// in-process for gzip and zstd and through the external program for the rest, as GNU tar does.
//
//   const plain = await decompress(source);            // sniffs the first bytes; 'none' passes through
//   const sink = await compress(archiveSink, 'gzip');  // write the tar stream, then sink.close()
import type { Duplex } from 'node:stream';
import { toUtf8 } from '../bytes.js';
import { AppletError, errorCode, strerror } from '../errors.js';
import type { ByteSink, ByteSource } from '../io.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'compress' | 'lzip' | 'lzma' | 'lzop';

/** The compression of a stream from its first bytes (6 are enough). */
export function detectCompression(head: Uint8Array): Compression {
  const b = (i: number) => head[i];
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68) return 'bzip2'; // BZh
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0x00) return 'xz';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0x1f && b(1) === 0x9d) return 'compress';
  if (b(0) === 0x4c && b(1) === 0x5a && b(2) === 0x49 && b(3) === 0x50) return 'lzip'; // LZIP
  if (b(0) === 0x89 && b(1) === 0x4c && b(2) === 0x5a && b(3) === 0x4f) return 'lzop';
  if (b(0) === 0x5d && b(1) === 0x00 && b(2) === 0x00) return 'lzma';
  return 'none';
}

/** The compression GNU tar's -a picks from an archive's name. */
export function compressionForName(name: string): Compression {
  const m = /\.(t?gz|taz|tbz2?|tz2|bz2|tb2|txz|xz|tzst|zst|Z|taZ|lz|tlz|lzma|tzo|lzo)$/.exec(name);
  switch (m?.[1]) {
    case 'gz': case 'tgz': case 'taz': return 'gzip';
    case 'bz2': case 'tbz': case 'tbz2': case 'tz2': case 'tb2': return 'bzip2';
    case 'xz': case 'txz': return 'xz';
    case 'zst': case 'tzst': return 'zstd';
    case 'Z': case 'taZ': return 'compress';
    case 'lz': return 'lzip';
    case 'lzma': case 'tlz': return 'lzma';
    case 'lzo': case 'tzo': return 'lzop';
    default: return 'none';
  }
}

/** The external program GNU tar runs for a compression. */
export const PROGRAM: Record<Exclude<Compression, 'none'>, string> = {
  gzip: 'gzip',
  bzip2: 'bzip2',
  xz: 'xz',
  zstd: 'zstd',
  compress: 'compress',
  lzip: 'lzip',
  lzma: 'lzma',
  lzop: 'lzop',
};

/** Where external filter programs come from, and where their complaints go. */
export interface FilterHost {
  /** PATH and the rest of the environment for the program. */
  env?: Record<string, string>;
  /** The program's stderr (default: discarded). */
  stderr?: ByteSink;
}

/** A ByteSource over an async iterator of chunks. */
class IteratorSource implements ByteSource {
  readonly fd = undefined;
  private pending: Uint8Array[] = [];
  constructor(
    private readonly it: AsyncIterator<Uint8Array>,
    private readonly onClose: () => void = () => {},
  ) {}
  async read(): Promise<Uint8Array | null> {
    const back = this.pending.pop();
    if (back) return back;
    for (;;) {
      const r = await this.it.next();
      if (r.done) return null;
      if (r.value.length) return r.value;
    }
  }
  unread(chunk: Uint8Array): void {
    if (chunk.length) this.pending.push(chunk);
  }
  close(): void {
    this.pending = [];
    void this.it.return?.();
    this.onClose();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let c = await this.read(); c; c = await this.read()) yield c;
  }
}

async function* chunksOf(src: ByteSource): AsyncGenerator<Uint8Array> {
  for (let c = await src.read(); c; c = await src.read()) yield c;
}

/** Decompress `src`: by the given method, or by what its first bytes say when `method` is 'auto'. */
export async function decompress(src: ByteSource, method: Compression | 'auto' = 'auto', host: FilterHost = {}): Promise<ByteSource> {
  if (method === 'auto') {
    const head = await peek(src, 6);
    method = detectCompression(head);
  }
  switch (method) {
    case 'none':
      return src;
    case 'gzip':
    case 'zstd': {
      const zlib = await import('node:zlib');
      const z = method === 'gzip' ? zlib.createGunzip({ chunkSize: 128 * 1024 }) : zlib.createZstdDecompress({ chunkSize: 128 * 1024 });
      return new IteratorSource(throughTransform(src, z, method));
    }
    case 'bzip2':
      return new IteratorSource(bunzip2(src));
    case 'xz':
      return new IteratorSource(unxz(src));
    default:
      return spawnFilter(src, PROGRAM[method], ['-d'], host);
  }
}

/** At least n bytes from the start of src (fewer at its end), given back to it. */
async function peek(src: ByteSource, n: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const c = await src.read();
    if (!c) break;
    parts.push(c);
    have += c.length;
  }
  const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  src.unread(head);
  return head;
}

/** Pump src through a Node transform (zlib), yielding its output; errors carry the method's name. */
async function* throughTransform(src: ByteSource, t: Duplex, method: string): AsyncGenerator<Uint8Array> {
  let failure: unknown;
  t.on('error', (err) => (failure ??= err));
  const feed = (async () => {
    try {
      for (let c = await src.read(); c; c = await src.read()) {
        if (failure) return;
        if (!t.write(c)) await new Promise<void>((resolve) => {
          const done = () => {
            t.off('drain', done).off('error', done).off('close', done);
            resolve();
          };
          t.on('drain', done).on('error', done).on('close', done);
        });
      }
      t.end();
    } catch (err) {
      failure ??= err;
      t.destroy();
    }
  })();
  try {
    for await (const chunk of t as AsyncIterable<Uint8Array>) yield chunk;
  } catch (err) {
    failure ??= err;
  } finally {
    t.destroy();
  }
  await feed;
  if (failure) throw decompressError(method, failure);
}

function decompressError(method: string, err: unknown): AppletError {
  if (err instanceof AppletError) return err;
  const code = errorCode(err);
  if (code === 'Z_BUF_ERROR' || code === 'ZSTD_error_srcSize_wrong') return new AppletError(`${method}: unexpected end of file`, 2);
  const text = err instanceof Error ? err.message : String(err);
  return new AppletError(`${method}: ${text}`, 2);
}

// bzip2: unbzip2-stream's decoder (micro-bunzip's algorithm), driven block by block. A block is
// decoded once enough input is buffered to hold any compressed block of the stream's block size.
async function* bunzip2(src: ByteSource): AsyncGenerator<Uint8Array> {
  const { default: bz2 } = (await import('unbzip2-stream/lib/bzip2.js')) as { default: Bzip2 };
  const { default: bitIterator } = (await import('unbzip2-stream/lib/bit_iterator.js')) as { default: BitIteratorFactory };
  const queue: Uint8Array[] = [];
  let buffered = 0;
  let ended = false;
  let reader: BitReader | undefined; // made once there is input: it takes its first chunk at once
  const nextChunk = () => {
    const next = queue.shift();
    if (!next) throw new AppletError('bzip2: unexpected end of file', 2);
    return next;
  };
  let blockSize = 0; // 0: a stream header comes next
  let streamCrc: number | null = 0;
  let out = new Uint8Array(0);
  let buf = new Int32Array(0);
  const unread = () => buffered - (reader?.bytesRead ?? 0);
  for (;;) {
    // keep enough input for the largest compressed block
    while (!ended && unread() < 25000 + 100000 * (blockSize || 9)) {
      const c = await src.read();
      if (!c) ended = true;
      else {
        queue.push(c);
        buffered += c.length;
      }
    }
    if (unread() <= 0) break;
    const bits = (reader ??= bitIterator(nextChunk));
    try {
      if (!blockSize) {
        blockSize = bz2.header(bits);
        streamCrc = 0;
        if (buf.length !== 100000 * blockSize) {
          buf = new Int32Array(100000 * blockSize);
          out = new Uint8Array(100000 * blockSize);
        }
        continue;
      }
      let n = 0;
      let target = out;
      streamCrc = bz2.decompress(
        bits,
        (byte: number) => {
          if (n === target.length) {
            const grown = new Uint8Array(target.length * 2);
            grown.set(target);
            target = grown;
          }
          target[n++] = byte;
        },
        buf,
        buf.length,
        streamCrc,
      );
      if (streamCrc === null) {
        blockSize = 0; // end of this stream; another may follow (pbzip2, cat a.bz2 b.bz2)
        continue;
      }
      yield target.slice(0, n);
    } catch (err) {
      if (err instanceof AppletError) throw err;
      throw new AppletError(`bzip2: ${err instanceof Error ? err.message.replace(/^Error in bzip2: /, '') : String(err)}`, 2);
    }
  }
  if (blockSize) throw new AppletError('bzip2: unexpected end of file', 2);
}

type Bzip2 = {
  header(bits: BitReader): number;
  decompress(bits: BitReader, out: (b: number) => void, buf: Int32Array, size: number, crc: number | null): number | null;
};
type BitReader = ((n: number | null) => number) & { bytesRead: number };
type BitIteratorFactory = (next: () => Uint8Array) => BitReader;

// xz: xz-decompress (xz-embedded compiled to WebAssembly), through its web-stream interface.
async function* unxz(src: ByteSource): AsyncGenerator<Uint8Array> {
  const { default: pkg } = (await import('xz-decompress')) as unknown as { default: { XzReadableStream: new (s: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array> } };
  let inputEnded = false;
  const input = ReadableStream.from(
    (async function* () {
      for (let c = await src.read(); c; c = await src.read()) yield c;
      inputEnded = true;
    })(),
  );
  const output = new pkg.XzReadableStream(input);
  try {
    for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) if (chunk.length) yield chunk;
  } catch (err) {
    // The decoder reads past the end of input as a TypeError; either way the data stopped short.
    if (inputEnded || err instanceof TypeError) throw new AppletError('xz: unexpected end of input', 2);
    throw new AppletError(`xz: ${err instanceof Error ? err.message.replace(/get_next_output failed with error code \d+/, 'compressed data is corrupt') : String(err)}`, 2);
  }
}

/** Run `program args` with src on its stdin; its stdout is the returned source (tar -I). */
export async function spawnFilter(src: ByteSource, program: string, args: string[], host: FilterHost): Promise<ByteSource> {
  const { spawn } = await import('node:child_process');
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', host.stderr ? 'pipe' : 'ignore'], env: host.env });
  const started = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new AppletError(`${program}: Cannot exec: ${strerror(errorCode(err) ?? 'ENOENT')}`, 2)));
  });
  await started;
  const exited = new Promise<number>((resolve) => child.once('close', (code, sig) => resolve(code ?? (sig ? 128 : 1))));
  if (host.stderr && child.stderr) {
    const errSink = host.stderr;
    child.stderr.on('data', (d: Buffer) => void errSink.write(d).catch(() => {}));
  }
  const stdin = child.stdin!;
  stdin.on('error', () => {}); // the program may stop reading early; its status tells
  void (async () => {
    try {
      for await (const c of chunksOf(src)) if (!stdin.write(c)) await new Promise((r) => stdin.once('drain', r));
    } finally {
      stdin.end();
    }
  })().catch(() => {});
  async function* output(): AsyncGenerator<Uint8Array> {
    for await (const chunk of child.stdout! as AsyncIterable<Uint8Array>) yield chunk;
    const status = await exited;
    if (status !== 0) throw new AppletError(`Child returned status ${status}`, 2);
  }
  return new IteratorSource(output(), () => child.kill());
}

/** A sink that compresses what is written to it into `out`. close() finishes the compressed
 *  stream (and waits for an external program to exit) but does not close `out`. */
export async function compress(out: ByteSink, method: Compression, host: FilterHost = {}, level?: number): Promise<ByteSink> {
  if (method === 'none') return out;
  if (method === 'gzip' || method === 'zstd') {
    const zlib = await import('node:zlib');
    const z =
      method === 'gzip'
        ? zlib.createGzip({ chunkSize: 128 * 1024, level: level ?? 6 })
        : zlib.createZstdCompress({ chunkSize: 128 * 1024, params: level ? { [zlib.constants.ZSTD_c_compressionLevel]: level } : {} });
    return transformSink(z, out, method);
  }
  return programSink(out, PROGRAM[method], level ? [`-${level}`] : [], host);
}

/** A sink that runs `program args` with what is written on its stdin and its stdout going to
 *  `out` (tar -I, and the methods not done in-process). */
export async function programSink(out: ByteSink, program: string, args: string[], host: FilterHost = {}): Promise<ByteSink> {
  const { spawn } = await import('node:child_process');
  const child = spawn(program, args, { stdio: ['pipe', out.fd ?? 'pipe', host.stderr ? 'pipe' : 'ignore'], env: host.env });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new AppletError(`${toUtf8(program)}: Cannot exec: ${strerror(errorCode(err) ?? 'ENOENT')}`, 2)));
  });
  const exited = new Promise<number>((resolve) => child.once('close', (code, sig) => resolve(code ?? (sig ? 128 : 1))));
  if (host.stderr && child.stderr) {
    const errSink = host.stderr;
    child.stderr.on('data', (d: Buffer) => void errSink.write(d).catch(() => {}));
  }
  const pumped = child.stdout
    ? (async () => {
        for await (const chunk of child.stdout! as AsyncIterable<Uint8Array>) await out.write(chunk);
      })()
    : Promise.resolve();
  const stdin = child.stdin!;
  let failure: unknown;
  stdin.on('error', (err) => (failure ??= err));
  return {
    fd: undefined,
    async write(chunk) {
      if (failure) throw new AppletError(`${program}: ${strerror(errorCode(failure) ?? 'EPIPE')}`, 2);
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk);
      if (!stdin.write(buf)) await new Promise((r) => stdin.once('drain', r));
    },
    async close() {
      stdin.end();
      await pumped;
      const status = await exited;
      if (status !== 0) throw new AppletError(`Child returned status ${status}`, 2);
    },
  };
}

/** A sink writing through a Node transform (zlib) into `out`. */
function transformSink(t: Duplex, out: ByteSink, method: string): ByteSink {
  let failure: unknown;
  t.on('error', (err) => (failure ??= err));
  const pumped = (async () => {
    try {
      for await (const chunk of t as AsyncIterable<Uint8Array>) await out.write(chunk);
    } catch (err) {
      failure ??= err;
      t.destroy();
    }
  })();
  const check = () => {
    if (failure) throw failure instanceof AppletError || errorCode(failure) !== undefined ? failure : new AppletError(`${method}: ${String(failure)}`, 2);
  };
  return {
    fd: undefined,
    async write(chunk) {
      check();
      // copied: the caller may reuse its buffer before zlib has read it
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk);
      if (!t.write(buf)) await new Promise<void>((resolve) => {
        const done = () => {
          t.off('drain', done).off('error', done).off('close', done);
          resolve();
        };
        t.on('drain', done).on('error', done).on('close', done);
      });
      check();
    },
    async close() {
      t.end();
      await pumped;
      check();
    },
  };
}
