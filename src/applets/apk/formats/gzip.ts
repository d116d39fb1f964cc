// A .apk or APKINDEX.tar.gz is several gzip members back to back (spec §1). Signatures and hashes
// cover the compressed bytes of single members, so the file is split at member ends while inflating,
// keeping each member's raw bytes beside its inflated content.
import { ApkError, EIO } from '../errors.js';

export interface GzipMember {
  /** The member exactly as it sits in the file, header to trailer. */
  raw: Buffer;
  /** Its decompressed content. */
  data: Buffer;
}

type Zlib = typeof import('node:zlib');
const zlib = (): Zlib => process.getBuiltinModule('node:zlib') as Zlib;

/** Length of the gzip header at buf[off…], or -1 when there is none (or it is cut short). */
function headerLength(buf: Buffer, off: number): number {
  if (buf.length - off < 18 || buf[off] !== 0x1f || buf[off + 1] !== 0x8b || buf[off + 2] !== 8) return -1;
  const flags = buf[off + 3]!;
  let p = off + 10;
  if (flags & 4) p += 2 + buf.readUInt16LE(p);
  if (flags & 8) while (p < buf.length && buf[p++] !== 0);
  if (flags & 16) while (p < buf.length && buf[p++] !== 0);
  if (flags & 2) p += 2;
  return p > buf.length ? -1 : p - off;
}

/** Largest inflated member kept in memory (signature, control, index): a bomb is an error. */
const MAX_MEMBER = 256 * 1024 * 1024;

/**
 * Split `buf` into its gzip members, at most `max`. Throws ApkError(EIO) when a member does not
 * inflate (or its CRC is wrong). With `partial`, `buf` may be the start of a longer file: a member
 * it cuts short ends the list instead (the caller reads more and tries again).
 */
export function splitMembers(buf: Buffer, max = Infinity, partial = false): GzipMember[] {
  const members: GzipMember[] = [];
  let off = 0;
  const z = zlib();
  while (off < buf.length && members.length < max) {
    const hdr = headerLength(buf, off);
    if (hdr < 0) {
      if (partial && buf.length - off < 4096) break;
      throw new ApkError(EIO);
    }
    let result: { buffer: Buffer; engine: { bytesWritten: number } };
    // output chunks sized to the input: small members stay cheap, big indexes avoid many copies
    const chunkSize = Math.min(1 << 20, Math.max(16384, 2 ** Math.ceil(Math.log2((buf.length - off) * 3))));
    try {
      result = z.inflateRawSync(buf.subarray(off + hdr), { info: true, chunkSize, maxOutputLength: MAX_MEMBER }) as unknown as typeof result;
    } catch (err) {
      // zlib's "unexpected end of file": the member goes on past what we have
      if (partial && (err as { code?: string }).code === 'Z_BUF_ERROR') break;
      throw new ApkError(EIO);
    }
    const end = off + hdr + result.engine.bytesWritten + 8;
    if (end > buf.length) {
      if (partial) break;
      throw new ApkError(EIO);
    }
    const crc = buf.readUInt32LE(end - 8);
    if ((z.crc32(result.buffer) >>> 0) !== crc) throw new ApkError(EIO);
    members.push({ raw: buf.subarray(off, end), data: result.buffer });
    off = end;
  }
  return members;
}

/**
 * Inflate the member starting at `off`, on the main thread: for an index, zlib's thread pool costs
 * the main thread as much in stream machinery and callbacks as the inflating itself. Its CRC is not
 * checked: `crcOk` does it, for a member no signature covered (one whose raw bytes a signature
 * covered cannot inflate to anything else).
 */
export function inflateMemberSync(buf: Buffer, off: number): GzipMember {
  const hdr = headerLength(buf, off);
  if (hdr < 0) throw new ApkError(EIO);
  // one output chunk for an index (about three times its compressed size): no copying together
  const chunkSize = Math.min(8 << 20, Math.max(16384, 2 ** Math.ceil(Math.log2((buf.length - off) * 4))));
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = zlib().inflateRawSync(buf.subarray(off + hdr), { info: true, chunkSize, maxOutputLength: MAX_MEMBER }) as unknown as typeof result;
  } catch {
    throw new ApkError(EIO);
  }
  const end = off + hdr + result.engine.bytesWritten + 8;
  if (end > buf.length) throw new ApkError(EIO);
  return { raw: buf.subarray(off, end), data: result.buffer };
}

/** Whether a member's content matches the CRC in its trailer. */
export function crcOk(m: GzipMember): boolean {
  return (zlib().crc32(m.data) >>> 0) === m.raw.readUInt32LE(m.raw.length - 8);
}

/** gzip one member the way `gzip -n` does (no name, no time), for indexes and test fixtures. */
export function gzipMember(data: Uint8Array, level = 9): Buffer {
  const out = zlib().gzipSync(data, { level });
  out[9] = 3; // OS = Unix, as gzip writes it
  return out;
}
