// Which compression a stream or an archive name has: by its first bytes, or by GNU tar's -a
// suffixes. Kept apart from compress.ts so that reading a plain archive loads no compressor.

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
