// The tar header block: field layout, numbers (octal and GNU base-256), checksums, pax records.
// Shared by the reader and the writer. Strings are binary strings (one char per byte, see bytes.ts).
import { AppletError } from '../errors.js';

export const BLOCK = 512;
/** GNU tar's default record: 20 blocks. Archives are padded to a whole record. */
export const RECORD = 20 * BLOCK;

/** What an entry is. `typeflag` keeps the raw letter for the rare ones (GNU volume labels …). */
export type EntryType =
  | 'file'
  | 'link'
  | 'symlink'
  | 'chardev'
  | 'blockdev'
  | 'directory'
  | 'fifo'
  | 'contiguous'
  | 'volume-label'
  | 'multivolume'
  | 'solaris-acl'
  | 'other';

export type Format = 'v7' | 'ustar' | 'pax' | 'gnu' | 'oldgnu' | 'star';

export const TYPEFLAG: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'contiguous',
  '1': 'link',
  '2': 'symlink',
  '3': 'chardev',
  '4': 'blockdev',
  '5': 'directory',
  '6': 'fifo',
  S: 'file', // GNU old sparse: a regular file with a map
  D: 'directory', // GNU dumpdir (incremental): a directory whose data lists its contents
  V: 'volume-label',
  M: 'multivolume',
  A: 'solaris-acl',
};

export const TYPE_LETTER: Record<EntryType, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  chardev: '3',
  blockdev: '4',
  directory: '5',
  fifo: '6',
  contiguous: '7',
  'volume-label': 'V',
  multivolume: 'M',
  'solaris-acl': 'A',
  other: '0',
};

// Field offsets and lengths (POSIX ustar; GNU reuses the prefix area).
export const F = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
  // old GNU
  atime: [345, 12],
  ctime: [357, 12],
  offset: [369, 12],
  sparse: [386, 96],
  isextended: [482, 1],
  realsize: [483, 12],
  // star: a 131-byte prefix, then atime and ctime
  starPrefix: [345, 131],
  starAtime: [476, 12],
  starCtime: [488, 12],
} as const satisfies Record<string, readonly [number, number]>;

/** A C string out of a fixed field: up to the first NUL. */
export function readString(b: Uint8Array, off: number, len: number): string {
  let end = off;
  const lim = off + len;
  while (end < lim && b[end] !== 0) end++;
  let s = '';
  for (let i = off; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Why a numeric field could not be read; `null` when it is fine. */
export type NumberResult = { value: number } | { error: string };

/**
 * A numeric field as GNU tar reads it: leading spaces, octal digits ended by NUL or space, or
 * base-256 (first byte 0x80 positive, 0xff negative; two's complement in the rest). An empty
 * field is 0. Values beyond 2^53 are refused rather than rounded.
 */
export function readNumber(b: Uint8Array, off: number, len: number): NumberResult {
  const lim = off + len;
  let i = off;
  while (i < lim && b[i] === 0x20) i++;
  if (i === lim) return { value: 0 };
  const first = b[i]!;
  if (first === 0x80 || first === 0xff) {
    let v = BigInt(first & 0x3f) - (first === 0xff ? 64n : 0n);
    for (let j = i + 1; j < lim; j++) v = (v << 8n) | BigInt(b[j]!);
    if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) return { error: 'base-256 value is out of range' };
    return { value: Number(v) };
  }
  let v = 0;
  let digits = 0;
  for (; i < lim && b[i]! >= 0x30 && b[i]! <= 0x37; i++, digits++) v = v * 8 + (b[i]! - 0x30);
  if (i < lim && b[i] !== 0 && b[i] !== 0x20) return { error: `'${readString(b, off, len).trim()}'` };
  if (v > Number.MAX_SAFE_INTEGER) return { error: 'value is out of range' };
  return { value: digits ? v : 0 };
}

/** The stored checksum matches the block, counting bytes as unsigned (POSIX) or signed (old Sun). */
export function checksumMatches(b: Uint8Array): boolean {
  const stored = readNumber(b, F.chksum[0], F.chksum[1]);
  if ('error' in stored) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[i]!;
    unsigned += c;
    signed += c >= 128 ? c - 256 : c;
  }
  return stored.value === unsigned || stored.value === signed;
}

export function isZeroBlock(b: Uint8Array, off = 0): boolean {
  for (let i = off; i < off + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** Which dialect wrote a header block. */
export function detectFormat(b: Uint8Array): Format {
  const magic = readString(b, 257, 6);
  if (magic === 'ustar' && b[262] === 0) {
    // star's own layout: a shorter prefix followed by octal atime/ctime fields
    if (b[475] === 0 && isOctalField(b, F.starAtime[0]) && isOctalField(b, F.starCtime[0])) return 'star';
    return 'ustar';
  }
  if (magic === 'ustar ' && b[263] === 0x20 && b[264] === 0) return 'oldgnu';
  return 'v7';
}

function isOctalField(b: Uint8Array, off: number): boolean {
  return b[off]! >= 0x30 && b[off]! <= 0x37 && b[off + 11] === 0x20;
}

// ---- pax extended headers ----

export interface PaxRecord {
  key: string;
  value: string;
}

/** Records of a pax extended header, in order (GNU sparse 0.0 repeats keys). Throws a message on
 *  malformed data after giving what it parsed so far to `records`. */
export function parsePax(data: Uint8Array, records: PaxRecord[]): string | undefined {
  let pos = 0;
  while (pos < data.length) {
    let len = 0;
    let i = pos;
    while (i < data.length && data[i]! >= 0x30 && data[i]! <= 0x39) len = len * 10 + (data[i++]! - 0x30);
    if (i === pos || data[i] !== 0x20) return data[pos] === 0 ? undefined : 'Malformed extended header: missing length';
    const end = pos + len;
    if (len < i - pos + 2 || end > data.length) return 'Malformed extended header: missing length';
    if (data[end - 1] !== 0x0a) return 'Malformed extended header: missing newline';
    let eq = i + 1;
    while (eq < end - 1 && data[eq] !== 0x3d) eq++;
    if (eq === end - 1) return 'Malformed extended header: missing equal sign';
    records.push({
      key: Buffer.from(data.buffer, data.byteOffset + i + 1, eq - i - 1).toString('latin1'),
      value: Buffer.from(data.buffer, data.byteOffset + eq + 1, end - 1 - eq - 1).toString('latin1'),
    });
    pos = end;
  }
  return undefined;
}

/** One pax record, `LEN key=value\n`, where LEN counts its own digits. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length > len) len++;
  return `${len}${body}`;
}

/** A pax time value: seconds with up to 9 decimals, no trailing zeros. */
export function paxTime(t: number): string {
  if (Number.isInteger(t)) return String(t);
  const sign = t < 0 ? '-' : '';
  const abs = Math.abs(t);
  let sec = Math.floor(abs);
  let nsec = Math.round((abs - sec) * 1e9);
  if (nsec >= 1e9) {
    sec += 1;
    nsec -= 1e9;
  }
  const frac = String(nsec).padStart(9, '0').replace(/0+$/, '');
  return frac ? `${sign}${sec}.${frac}` : `${sign}${sec}`;
}

/** A decimal number as pax writes it, possibly fractional and negative; undefined if malformed. */
export function parsePaxNumber(s: string): number | undefined {
  if (!/^-?\d+(\.\d*)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : undefined;
}

// ---- writing fields ----

/** Write a C string into a field; the caller checks that it fits. */
export function writeString(b: Uint8Array, off: number, len: number, s: string): void {
  const n = Math.min(s.length, len);
  for (let i = 0; i < n; i++) b[off + i] = s.charCodeAt(i) & 0xff;
}

/** Whether `n` fits a field of `len` bytes as octal with its terminator. */
export function fitsOctal(n: number, len: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < 8 ** (len - 1);
}

/** Octal, zero-padded, NUL-terminated (GNU's and POSIX's layout). */
export function writeOctal(b: Uint8Array, off: number, len: number, n: number): void {
  const s = n.toString(8).padStart(len - 1, '0');
  writeString(b, off, len - 1, s);
  b[off + len - 1] = 0;
}

/** GNU base-256: 0x80 (or 0xff for negative) then big-endian two's complement. */
export function writeBase256(b: Uint8Array, off: number, len: number, n: number): void {
  let v = BigInt(n);
  for (let i = len - 1; i > 0; i--) {
    b[off + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  b[off] = n < 0 ? 0xff : 0x80;
}

/** Fill in the checksum field of a finished header block. */
export function writeChecksum(b: Uint8Array): void {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  // GNU's layout: six octal digits, NUL, space
  writeString(b, 148, 6, sum.toString(8).padStart(6, '0'));
  b[154] = 0;
  b[155] = 0x20;
}

/** A malformed archive: the reader's failures, reported by tar as `tar: MESSAGE` with status 2. */
export class ArchiveError extends AppletError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'ArchiveError';
  }
}
