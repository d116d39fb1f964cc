// Tar reading and writing for apk's own members (signature, control, data, APKINDEX, scripts.tar).
// INTERIM: the core archive module (src/core/archive/, tar helper) is not on main yet; this reader
// covers only what APK v2 members use (ustar + prefix, PAX x/g, GNU L/K long names) and is to be
// replaced by core/archive's reader when it lands.
import { fromBytes } from '../../../core/bytes.js';

export interface TarEntry {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '5' directory, … */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  mtime: number;
  linkname: string;
  /** PAX records of this entry (APK-TOOLS.checksum.SHA1, SCHILY.xattr.* …). */
  pax: Record<string, string>;
  /** The content (regular files). */
  data: Buffer;
}

function field(buf: Buffer, off: number, len: number): string {
  let end = off;
  while (end < off + len && buf[end] !== 0) end++;
  return fromBytes(buf, off, end);
}

function octal(buf: Buffer, off: number, len: number): number {
  if (buf[off]! & 0x80) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + buf[off + i]!;
    return v;
  }
  const s = field(buf, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    if (sp < 0) break;
    const len = parseInt(fromBytes(data, p, sp), 10);
    if (!(len > 0)) break;
    const rec = fromBytes(data, sp + 1, p + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    p += len;
  }
  return out;
}

/** The entries of a tar stream held in memory. Stops at the first zero block or the end. Throws
 *  'bad' on a malformed header. */
export function* tarEntries(buf: Buffer): Generator<TarEntry> {
  let off = 0;
  let pax: Record<string, string> = {};
  const globalPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  while (off + 512 <= buf.length) {
    const h = off;
    if (buf[off] === 0) return;
    if (field(buf, off + 257, 5) !== 'ustar') throw new Error('bad');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : buf[off + i]!;
    if (sum !== octal(buf, off + 148, 8)) throw new Error('bad');
    const type = String.fromCharCode(buf[off + 156] || 48);
    const size = octal(buf, off + 124, 12);
    const dataStart = off + 512;
    if (dataStart + size > buf.length) throw new Error('bad');
    const data = buf.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = { ...pax, ...parsePax(data) };
      continue;
    }
    if (type === 'g') {
      Object.assign(globalPax, parsePax(data));
      continue;
    }
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'K') {
      longLink = field(data, 0, data.length);
      continue;
    }
    const prefix = field(buf, h + 345, 155);
    let name = field(buf, h, 100);
    if (prefix) name = `${prefix}/${name}`;
    const all = { ...globalPax, ...pax };
    yield {
      name: all.path ?? longName ?? name,
      type,
      mode: octal(buf, h + 100, 8),
      uid: octal(buf, h + 108, 8),
      gid: octal(buf, h + 116, 8),
      uname: field(buf, h + 265, 32),
      gname: field(buf, h + 297, 32),
      size: all.size !== undefined ? Number(all.size) : size,
      mtime: octal(buf, h + 136, 12),
      linkname: all.linkpath ?? longLink ?? field(buf, h + 157, 100),
      pax: all,
      data,
    };
    pax = {};
    longName = longLink = undefined;
  }
}

export interface TarHeaderInit {
  name: string;
  type?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  size?: number;
  mtime?: number;
  linkname?: string;
}

/** One 512-byte ustar header. Names longer than 100 bytes must go in a PAX record (paxRecords). */
export function tarHeader(h: TarHeaderInit): Buffer {
  const b = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => b.write(s.slice(0, len), off, len, 'latin1');
  const num = (v: number, off: number, len: number) => put(v.toString(8).padStart(len - 1, '0'), off, len - 1);
  put(h.name, 0, 100);
  num(h.mode ?? 0o644, 100, 8);
  num(h.uid ?? 0, 108, 8);
  num(h.gid ?? 0, 116, 8);
  num(h.size ?? 0, 124, 12);
  num(h.mtime ?? 0, 136, 12);
  b[156] = (h.type ?? '0').charCodeAt(0);
  put(h.linkname ?? '', 157, 100);
  put('ustar', 257, 6);
  put('00', 263, 2);
  put(h.uname ?? 'root', 265, 32);
  put(h.gname ?? 'root', 297, 32);
  b.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[i]!;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return b;
}

/** A PAX extended-header record set as the data of an `x` entry. */
export function paxData(records: Record<string, string>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    out += len + body;
  }
  return Buffer.from(out, 'latin1');
}

/** Header + content padded to a 512 multiple. */
export function tarFile(h: TarHeaderInit, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([tarHeader({ ...h, size: data.length }), data, Buffer.alloc(pad)]);
}

export const TAR_END = Buffer.alloc(1024);
