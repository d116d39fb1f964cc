// A gzip stream member by member, for formats whose members mean something: an apk package is a
// signature member, a control member and a data member, and its signature and hashes cover the
// *compressed* bytes of given members. gunzipMembers() yields each member's decompressed data as
// its own source (a tar segment for TarReader) and hands every compressed byte, header and
// trailer included, to `onCompressed` with the index of the member it belongs to, before the
// data it decodes to is given out. Nothing is buffered beyond one input chunk.
//
//   for await (const member of gunzipMembers(file, (bytes, i) => hashes[i].update(bytes))) {
//     for await (const entry of new TarReader(member.data)) { ... }
//   }
import { AppletError } from '../errors.js';
import type { ByteSource } from '../io.js';
import type { ChunkSource } from './reader.js';

export interface GzipMember {
  /** 0 for the first member. */
  readonly index: number;
  /** The member's decompressed bytes. Read it to the end (or not: the next member drains it). */
  readonly data: ByteSource;
  /** Compressed size of the member, header and trailer included; known once `data` has ended. */
  compressedSize: number;
}

type Pull = () => Promise<Uint8Array | null>;

function puller(src: ChunkSource): Pull {
  const s = src as Partial<ByteSource>;
  if (typeof s.read === 'function') return () => s.read!();
  const it = (src as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return async () => {
    const r = await it.next();
    return r.done ? null : r.value;
  };
}

/** The members of a gzip stream, in order; see the top of this file. */
export async function* gunzipMembers(src: ChunkSource, onCompressed?: (chunk: Uint8Array, member: number) => void): AsyncGenerator<GzipMember> {
  const zlib = await import('node:zlib');
  const pull = puller(src);
  let pending: Uint8Array = new Uint8Array(0);
  let ended = false;
  /** At least n bytes in `pending` (fewer at the end of input). */
  const fill = async (n: number) => {
    while (pending.length < n && !ended) {
      const c = await pull();
      if (!c) ended = true;
      else pending = pending.length ? Buffer.concat([pending, c]) : c;
    }
    return pending.length >= n;
  };
  const take = (n: number, index: number) => {
    const out = pending.subarray(0, n);
    pending = pending.subarray(n);
    onCompressed?.(out, index);
    return out;
  };

  for (let index = 0; ; index++) {
    if (!(await fill(1))) return;
    if (!(await fill(10)) || pending[0] !== 0x1f || pending[1] !== 0x8b) {
      if (index > 0 && pending.every((b) => b === 0)) return; // zero padding after the last member
      throw new AppletError(index === 0 ? 'gzip: not in gzip format' : 'gzip: trailing garbage after the last member', 2);
    }
    if (pending[2] !== 8) throw new AppletError('gzip: unknown compression method', 2);
    const headerSize = await gzipHeaderSize(pending[3]!, fill, () => pending);
    const member: GzipMember = { index, data: undefined as unknown as ByteSource, compressedSize: headerSize + 8 };
    take(headerSize, index);

    const inflate = zlib.createInflateRaw();
    const output: Uint8Array[] = [];
    let done = false;
    let failure: unknown;
    let crc = 0;
    let size = 0;
    let fed = 0; // deflate bytes given to zlib and reported
    inflate.on('data', (d: Buffer) => {
      output.push(d);
      crc = zlib.crc32(d, crc);
      size += d.length;
    });
    inflate.on('end', () => (done = true));
    inflate.on('error', (err) => (failure = err));

    const next = async (): Promise<Uint8Array | null> => {
      for (;;) {
        if (output.length) return output.shift()!;
        if (failure) throw new AppletError(`gzip: ${(failure as Error).message}`, 2);
        if (done) return null;
        if (!(await fill(1))) {
          inflate.end();
          await new Promise<void>((resolve) => {
            if (done || failure) resolve();
            else inflate.once('end', () => resolve()).once('error', () => resolve());
          });
          if (failure || !done) throw new AppletError('gzip: unexpected end of file', 2);
          continue;
        }
        const piece = pending.subarray(0, 64 * 1024);
        await new Promise<void>((resolve) => inflate.write(piece, () => resolve()));
        await new Promise<void>((resolve) => setImmediate(resolve)); // let 'end' be seen
        // zlib takes every byte it is given until the stream ends; bytesWritten says where
        const used = done ? inflate.bytesWritten - fed : piece.length;
        fed += used;
        take(used, index);
        member.compressedSize += used;
        if (done) {
          if (!(await fill(8))) throw new AppletError('gzip: unexpected end of file', 2);
          const trailer = take(8, index);
          const view = Buffer.from(trailer.buffer, trailer.byteOffset, 8);
          if (view.readUInt32LE(0) !== crc >>> 0) throw new AppletError('gzip: invalid compressed data--crc error', 2);
          if (view.readUInt32LE(4) !== size % 2 ** 32) throw new AppletError('gzip: invalid compressed data--length error', 2);
        }
      }
    };
    const data = new MemberSource(next);
    (member as { data: ByteSource }).data = data;
    yield member;
    // the caller moved on: finish this member so the next one starts at its first byte
    while ((await next()) !== null);
    data.close();
  }
}

/** Size of a gzip member header (FEXTRA, FNAME, FCOMMENT, FHCRC as flagged). */
async function gzipHeaderSize(flags: number, fill: (n: number) => Promise<boolean>, buf: () => Uint8Array): Promise<number> {
  let p = 10;
  const need = async (n: number) => {
    if (!(await fill(n))) throw new AppletError('gzip: unexpected end of file', 2);
  };
  if (flags & 4) {
    await need(p + 2);
    p += 2 + (buf()[p]! | (buf()[p + 1]! << 8));
    await need(p);
  }
  for (const flag of [8, 16]) {
    if (!(flags & flag)) continue;
    for (;;) {
      await need(p + 1);
      if (buf()[p++] === 0) break;
    }
  }
  if (flags & 2) p += 2;
  await need(p);
  return p;
}

class MemberSource implements ByteSource {
  readonly fd = undefined;
  private back: Uint8Array[] = [];
  constructor(private readonly next: () => Promise<Uint8Array | null>) {}
  async read(): Promise<Uint8Array | null> {
    return this.back.pop() ?? this.next();
  }
  unread(chunk: Uint8Array): void {
    if (chunk.length) this.back.push(chunk);
  }
  close(): void {
    this.back = [];
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let c = await this.read(); c; c = await this.read()) yield c;
  }
}
