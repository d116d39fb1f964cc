// The tar writer: headers in every format GNU tar writes (ustar, pax, gnu, v7), bodies streamed
// through a large buffer, the end blocks and the padding to a whole record. Output depends only on
// what the caller passes in: a builder of reproducible layers fixes mtimes and owners and sorts
// its entries, and gets the same bytes every time.
//
//   const w = new TarWriter(sink, { format: 'pax' });
//   await w.add({ name: 'etc/', type: 'directory', mode: 0o755, mtime: 0 });
//   await w.add({ name: 'etc/motd', type: 'file', mode: 0o644, mtime: 0, size: 3 }, 'hi\n');
//   await w.finish();                    // end blocks and padding; the sink stays open
import type { ByteSink } from '../io.js';
import {
  ArchiveError,
  BLOCK,
  type EntryType,
  F,
  fitsOctal,
  paxRecord,
  paxTime,
  RECORD,
  TYPE_LETTER,
  writeBase256,
  writeChecksum,
  writeOctal,
  writeString,
} from './header.js';
import type { SparseRange } from './reader.js';

export type WriteFormat = 'ustar' | 'pax' | 'gnu' | 'v7';

export interface HeaderInit {
  /** The member name (a binary string); directories conventionally end in `/`. */
  name: string;
  type: EntryType;
  /** Permission bits (& 07777). */
  mode: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  /** Body bytes that follow (files only; the stored data of a sparse file). */
  size?: number;
  /** Seconds since the epoch; fractions are kept in pax. */
  mtime: number;
  /** Stored in pax only, and only when given. */
  atime?: number;
  ctime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** More pax records (pax format): vendor keys such as APK-TOOLS.checksum.SHA1, xattrs. */
  pax?: Iterable<[string, string]>;
  /** A sparse file: its data map and real size; the body is the data of the ranges in order. */
  sparse?: { map: readonly SparseRange[]; realSize: number };
}

/** Why an entry cannot be written in a format: GNU tar's words (`file name is too long …`). */
export class HeaderError extends ArchiveError {}

const NAME_MAX = 100;
const PREFIX_MAX = 155;

/** The header blocks for one entry (extended headers first), ready to be followed by its body. */
export function encodeHeader(h: HeaderInit, format: WriteFormat): Uint8Array {
  switch (format) {
    case 'gnu':
      return encodeGnu(h);
    case 'pax':
      return encodePax(h);
    default:
      return encodeUstar(h, format);
  }
}

interface Fields {
  name: string;
  prefix?: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor?: number;
  devminor?: number;
  magic: 'ustar' | 'gnu' | 'v7';
}

/** Numbers that do not fit octal: base-256 for GNU, an error for the POSIX formats. */
function putNumber(b: Uint8Array, field: readonly [number, number], n: number, magic: Fields['magic'], what: string): void {
  const [off, len] = field;
  if (fitsOctal(n, len)) return writeOctal(b, off, len, n);
  if (magic === 'gnu') return writeBase256(b, off, len, n);
  const max = 8 ** (len - 1) - 1;
  throw new HeaderError(`value ${n} out of ${what} range 0..${max}`);
}

function block(f: Fields): Uint8Array {
  const b = new Uint8Array(BLOCK);
  writeString(b, F.name[0], F.name[1], f.name);
  putNumber(b, F.mode, f.mode & 0o7777, f.magic, 'mode_t');
  putNumber(b, F.uid, f.uid, f.magic, 'uid_t');
  putNumber(b, F.gid, f.gid, f.magic, 'gid_t');
  putNumber(b, F.size, f.size, f.magic, 'off_t');
  putNumber(b, F.mtime, Math.floor(f.mtime), f.magic === 'v7' ? 'ustar' : f.magic, 'time_t');
  b[F.typeflag[0]] = f.typeflag.charCodeAt(0);
  writeString(b, F.linkname[0], F.linkname[1], f.linkname);
  if (f.magic !== 'v7') {
    writeString(b, F.magic[0], 8, f.magic === 'gnu' ? 'ustar  \0' : 'ustar\x0000');
    writeString(b, F.uname[0], F.uname[1], f.uname);
    writeString(b, F.gname[0], F.gname[1], f.gname);
    // ustar writes device numbers always; GNU only for devices
    if (f.magic === 'ustar' || f.devmajor !== undefined) {
      putNumber(b, F.devmajor, f.devmajor ?? 0, f.magic, 'major_t');
      putNumber(b, F.devminor, f.devminor ?? 0, f.magic, 'minor_t');
    }
    if (f.prefix) writeString(b, F.prefix[0], F.prefix[1], f.prefix);
  }
  writeChecksum(b);
  return b;
}

function baseFields(h: HeaderInit, magic: Fields['magic']): Fields {
  const isDevice = h.type === 'chardev' || h.type === 'blockdev';
  return {
    name: h.name,
    typeflag: TYPE_LETTER[h.type],
    mode: h.mode,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    size: h.type === 'file' || h.type === 'contiguous' ? (h.size ?? 0) : 0,
    mtime: h.mtime,
    linkname: h.linkname ?? '',
    uname: h.uname ?? '',
    gname: h.gname ?? '',
    devmajor: isDevice ? (h.devmajor ?? 0) : undefined,
    devminor: isDevice ? (h.devminor ?? 0) : undefined,
    magic,
  };
}

/** Split a long name at a slash into ustar's prefix (≤155) and name (≤100); undefined if it cannot be. */
export function splitUstarName(name: string): { prefix: string; name: string } | undefined {
  if (name.length <= NAME_MAX) return { prefix: '', name };
  // the last slash that leaves a name of at most 100 and a prefix of at most 155
  for (let i = Math.min(name.length - 1, PREFIX_MAX); i > 0; i--) {
    if (name[i] === '/' && name.length - i - 1 <= NAME_MAX && name.length - i - 1 > 0) return { prefix: name.slice(0, i), name: name.slice(i + 1) };
  }
  return undefined;
}

function encodeUstar(h: HeaderInit, format: 'ustar' | 'v7'): Uint8Array {
  const f = baseFields(h, format === 'v7' ? 'v7' : 'ustar');
  if (format === 'v7') {
    if (h.name.length >= NAME_MAX) throw new HeaderError(`file name is too long (max ${NAME_MAX - 1}); not dumped`);
    if (!['file', 'link', 'symlink', 'directory', 'contiguous'].includes(h.type)) throw new HeaderError('Unknown file type; file ignored');
    if (h.type === 'file') f.typeflag = '\0'; // v7 knew no '0'
  } else {
    const split = splitUstarName(h.name);
    if (!split) {
      const why = h.name.length > PREFIX_MAX + 1 + NAME_MAX ? `(max ${PREFIX_MAX + 1 + NAME_MAX})` : '(cannot be split)';
      throw new HeaderError(`file name is too long ${why}; not dumped`);
    }
    f.name = split.name;
    f.prefix = split.prefix;
  }
  if (f.linkname.length > NAME_MAX) throw new HeaderError(`link name is too long (max ${NAME_MAX}); not dumped`);
  if (f.uname.length > 32 || f.gname.length > 32) {
    f.uname = f.uname.slice(0, 32);
    f.gname = f.gname.slice(0, 32);
  }
  return block(f);
}

function longLink(typeflag: 'L' | 'K', text: string): Uint8Array {
  const data = Buffer.from(`${text}\0`, 'latin1');
  const header = block({
    name: '././@LongLink',
    typeflag,
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: data.length,
    mtime: 0,
    linkname: '',
    uname: 'root',
    gname: 'root',
    magic: 'gnu',
  });
  return concatBlocks([header, padded(data)]);
}

function encodeGnu(h: HeaderInit): Uint8Array {
  const parts: Uint8Array[] = [];
  const f = baseFields(h, 'gnu');
  if (f.linkname.length > NAME_MAX) {
    parts.push(longLink('K', f.linkname));
    f.linkname = f.linkname.slice(0, NAME_MAX);
  }
  if (f.name.length > NAME_MAX) {
    parts.push(longLink('L', f.name));
    f.name = f.name.slice(0, NAME_MAX);
  }
  f.uname = f.uname.slice(0, 32);
  f.gname = f.gname.slice(0, 32);
  if (h.sparse && h.type === 'file') {
    parts.push(...gnuSparse(f, h.sparse));
    return concatBlocks(parts);
  }
  parts.push(block(f));
  return concatBlocks(parts);
}

/** Old GNU sparse ('S'): four ranges in the header, 21 per extension block after it. */
function gnuSparse(f: Fields, sparse: NonNullable<HeaderInit['sparse']>): Uint8Array[] {
  const b = block({ ...f, typeflag: 'S' });
  const map = sparse.map.length ? sparse.map : [{ offset: sparse.realSize, length: 0 }];
  const put = (target: Uint8Array, at: number, r: SparseRange) => {
    putNumber(target, [at, 12], r.offset, 'gnu', 'off_t');
    putNumber(target, [at + 12, 12], r.length, 'gnu', 'off_t');
  };
  for (let i = 0; i < Math.min(4, map.length); i++) put(b, F.sparse[0] + i * 24, map[i]!);
  putNumber(b, F.realsize, sparse.realSize, 'gnu', 'off_t');
  const ext: Uint8Array[] = [];
  for (let i = 4; i < map.length; i += 21) {
    const e = new Uint8Array(BLOCK);
    for (let j = 0; j < 21 && i + j < map.length; j++) put(e, j * 24, map[i + j]!);
    ext.push(e);
  }
  if (ext.length) b[F.isextended[0]] = 1;
  for (let i = 0; i < ext.length - 1; i++) ext[i]![504] = 1;
  writeChecksum(b);
  return [b, ...ext];
}

/** The sparse map GNU pax 1.0 puts in front of the data: decimal lines, padded to a block. */
export function sparseMapData(map: readonly SparseRange[]): Uint8Array {
  const lines = [String(map.length), ...map.flatMap((r) => [String(r.offset), String(r.length)])];
  return padded(Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
}

function encodePax(h: HeaderInit): Uint8Array {
  const f = baseFields(h, 'ustar');
  const records: [string, string][] = [];
  let name = h.name;
  if (h.sparse && h.type === 'file') {
    records.push(['GNU.sparse.major', '1'], ['GNU.sparse.minor', '0'], ['GNU.sparse.name', h.name], ['GNU.sparse.realsize', String(h.sparse.realSize)]);
    const slash = h.name.replace(/\/$/, '').lastIndexOf('/');
    name = `${slash === -1 ? '.' : h.name.slice(0, slash)}/GNUSparseFile.0/${h.name.slice(slash + 1)}`;
    f.size = (h.size ?? 0) + sparseMapData(h.sparse.map).length;
  }
  const split = splitUstarName(name);
  const nonAscii = (s: string) => /[^\x00-\x7f]/.test(s);
  if (!split || nonAscii(name)) {
    if (!(h.sparse && h.type === 'file')) records.push(['path', name]);
    f.name = name.slice(0, NAME_MAX); // what a ustar-only reader will see
  } else {
    f.name = split.name;
    f.prefix = split.prefix;
  }
  if (f.linkname.length > NAME_MAX || nonAscii(f.linkname)) {
    records.push(['linkpath', f.linkname]);
    f.linkname = f.linkname.slice(0, NAME_MAX);
  }
  const big = (key: string, field: readonly [number, number], value: number, set: (v: number) => void) => {
    if (!fitsOctal(value, field[1])) {
      records.push([key, String(value)]);
      set(0);
    }
  };
  big('uid', F.uid, f.uid, (v) => (f.uid = v));
  big('gid', F.gid, f.gid, (v) => (f.gid = v));
  big('size', F.size, f.size, (v) => (f.size = v));
  if (!Number.isInteger(f.mtime) || !fitsOctal(f.mtime, F.mtime[1])) {
    records.push(['mtime', paxTime(f.mtime)]);
    f.mtime = fitsOctal(Math.floor(f.mtime), F.mtime[1]) ? Math.floor(f.mtime) : 0;
  }
  if (h.atime !== undefined) records.push(['atime', paxTime(h.atime)]);
  if (h.ctime !== undefined) records.push(['ctime', paxTime(h.ctime)]);
  if (f.uname.length > 32 || nonAscii(f.uname)) {
    records.push(['uname', f.uname]);
    f.uname = f.uname.slice(0, 32);
  }
  if (f.gname.length > 32 || nonAscii(f.gname)) {
    records.push(['gname', f.gname]);
    f.gname = f.gname.slice(0, 32);
  }
  if (f.devmajor !== undefined && !fitsOctal(f.devmajor, 8)) big('SCHILY.devmajor', F.devmajor, f.devmajor, (v) => (f.devmajor = v));
  if (f.devminor !== undefined && !fitsOctal(f.devminor, 8)) big('SCHILY.devminor', F.devminor, f.devminor, (v) => (f.devminor = v));
  for (const r of h.pax ?? []) records.push(r);

  const main = block(f);
  if (!records.length) return main;
  const data = Buffer.from(records.map(([k, v]) => paxRecord(k, v)).join(''), 'latin1');
  // GNU's name for the extended header: %d/PaxHeaders/%f
  const base = name.replace(/\/+$/, '');
  const slash = base.lastIndexOf('/');
  const xname = `${slash === -1 ? '.' : base.slice(0, slash)}/PaxHeaders/${base.slice(slash + 1)}`;
  const xsplit = splitUstarName(xname);
  const xheader = block({
    name: xsplit ? xsplit.name : xname.slice(0, NAME_MAX),
    prefix: xsplit?.prefix,
    typeflag: 'x',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: data.length,
    mtime: fitsOctal(Math.floor(h.mtime), 12) ? Math.floor(h.mtime) : 0,
    linkname: '',
    uname: '',
    gname: '',
    magic: 'ustar',
  });
  return concatBlocks([xheader, padded(data), main]);
}

function padded(data: Uint8Array): Uint8Array {
  const rest = data.length % BLOCK;
  if (rest === 0) return data;
  const out = new Uint8Array(data.length + BLOCK - rest);
  out.set(data);
  return out;
}

function concatBlocks(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

export interface WriterOptions {
  format?: WriteFormat;
  /** Pad the archive to a multiple of this many bytes (GNU: 20 blocks). */
  recordSize?: number;
  /** Output buffer size: what one write to the sink carries. */
  bufferSize?: number;
  /** Where in the archive writing starts (appending after existing members): records are
   *  counted from the start of the archive. */
  startOffset?: number;
}

/**
 * Writes entries to a sink. `add()` does a whole entry; `header()`, `write()` and `endEntry()`
 * let a caller stream a body it reads itself (tar's creator reads files synchronously into it).
 * Methods return a promise only when the buffer went out to the sink, so hot loops can skip
 * awaiting: `const p = w.write(chunk); if (p) await p;`.
 */
export class TarWriter {
  readonly format: WriteFormat;
  private readonly buf: Buffer;
  private used = 0;
  /** Bytes written so far, padding included (what `tar -R` calls block numbers ×512). */
  position = 0;
  private bodyLeft = 0;
  private bodyPad = 0;
  private readonly recordSize: number;

  constructor(
    private readonly out: ByteSink,
    opts: WriterOptions = {},
  ) {
    this.format = opts.format ?? 'gnu';
    this.recordSize = opts.recordSize ?? RECORD;
    this.position = opts.startOffset ?? 0;
    this.buf = Buffer.allocUnsafe(opts.bufferSize ?? 1024 * 1024);
  }

  /** Start an entry. Throws HeaderError when the format cannot hold it (nothing is written then). */
  header(h: HeaderInit): Promise<void> | undefined {
    if (this.bodyLeft > 0) throw new Error(`tar writer: previous entry is ${this.bodyLeft} bytes short`);
    const blocks = encodeHeader(h, this.format);
    const body = h.type === 'file' || h.type === 'contiguous' ? (h.size ?? 0) : 0;
    let pending = this.put(blocks);
    if (h.sparse && h.type === 'file' && this.format === 'pax') {
      const map = sparseMapData(h.sparse.map);
      pending = chain(pending, () => this.put(map));
    }
    this.bodyLeft = body;
    this.bodyPad = (BLOCK - (body % BLOCK)) % BLOCK;
    return pending;
  }

  /** Body bytes of the current entry. */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (chunk.length > this.bodyLeft) throw new Error('tar writer: more body than the header said');
    this.bodyLeft -= chunk.length;
    return this.put(chunk);
  }

  /** Bytes the current entry's body still needs. */
  get remaining(): number {
    return this.bodyLeft;
  }

  /** End the current entry: pad its body to a block. */
  endEntry(): Promise<void> | undefined {
    if (this.bodyLeft > 0) throw new Error(`tar writer: entry is ${this.bodyLeft} bytes short`);
    const pad = this.bodyPad;
    this.bodyPad = 0;
    return pad ? this.put(new Uint8Array(pad)) : undefined;
  }

  /** A whole entry with its body (bytes, a binary string, or chunks). */
  async add(h: HeaderInit, body?: Uint8Array | string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    let data: Uint8Array | undefined;
    if (typeof body === 'string') data = Buffer.from(body, 'latin1');
    else if (body instanceof Uint8Array) data = body;
    const size = h.size ?? (data ? data.length : 0);
    await this.header({ ...h, size });
    if (data) await this.write(data);
    else if (body) for await (const chunk of body as AsyncIterable<Uint8Array>) await this.write(chunk);
    await this.endEntry();
  }

  /** The two zero blocks and padding to a whole record; then everything goes to the sink. */
  async finish(): Promise<void> {
    await this.endEntry();
    await this.put(new Uint8Array(2 * BLOCK));
    const rest = this.position % this.recordSize;
    if (rest) await this.put(new Uint8Array(this.recordSize - rest));
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const out = this.buf.subarray(0, this.used);
    this.used = 0;
    await this.out.write(out);
  }

  private put(data: Uint8Array): Promise<void> | undefined {
    this.position += data.length;
    if (this.used + data.length <= this.buf.length) {
      this.buf.set(data, this.used);
      this.used += data.length;
      return undefined;
    }
    return this.putSlow(data);
  }

  private async putSlow(data: Uint8Array): Promise<void> {
    await this.flush();
    if (data.length >= this.buf.length) await this.out.write(data);
    else {
      this.buf.set(data, 0);
      this.used = data.length;
    }
  }
}

function chain(first: Promise<void> | undefined, next: () => Promise<void> | undefined): Promise<void> | undefined {
  return first ? first.then(next) : next();
}
