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

/** Length of the gzip header at buf[off…], or -1 when there is none. */
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

/** Split a whole file into its gzip members. Throws ApkError(EIO) when a member does not inflate. */
export function splitMembers(buf: Buffer, max = Infinity): GzipMember[] {
  const members: GzipMember[] = [];
  let off = 0;
  const z = zlib();
  while (off < buf.length && members.length < max) {
    const hdr = headerLength(buf, off);
    if (hdr < 0) throw new ApkError(EIO);
    let result: { buffer: Buffer; engine: { bytesWritten: number } };
    // output chunks sized to the input: small members stay cheap, big indexes avoid many copies
    const chunkSize = Math.min(1 << 20, Math.max(16384, 2 ** Math.ceil(Math.log2((buf.length - off) * 3))));
    try {
      result = z.inflateRawSync(buf.subarray(off + hdr), { info: true, chunkSize }) as unknown as typeof result;
    } catch {
      throw new ApkError(EIO);
    }
    const end = off + hdr + result.engine.bytesWritten + 8;
    if (end > buf.length) throw new ApkError(EIO);
    const crc = buf.readUInt32LE(end - 8);
    if (z.crc32 && (z.crc32(result.buffer) >>> 0) !== crc) throw new ApkError(EIO);
    members.push({ raw: buf.subarray(off, end), data: result.buffer });
    off = end;
  }
  return members;
}

/** gzip one member the way `gzip -n` does (no name, no time), for indexes and test fixtures. */
export function gzipMember(data: Uint8Array, level = 9): Buffer {
  const out = zlib().gzipSync(data, { level });
  out[9] = 3; // OS = Unix, as gzip writes it
  return out;
}
