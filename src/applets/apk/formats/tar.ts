// apk's tar (apk-tools tar.c): ustar headers with GNU long names and pax extended headers (path,
// linkpath, SCHILY.xattr.*, APK-TOOLS.checksum.SHA1). The parser is fed chunks synchronously and
// calls back synchronously, so a package's data member streams from the inflater straight into
// files with no promise per entry or per chunk, and a small member (signature, control, index)
// is read in one call. It reads what apk reads and nothing more: no header checksum check, no
// sparse files; a header without the `ustar` magic is an error, as in apk.
import { ApkError, EBADMSG } from '../errors.js';

export interface TarHeader {
  name: string;
  /** The header's type letter: '0'/'7' file, '1' hard link, '2' symlink, '5' directory … */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  size: number;
  /** Hard and symbolic links: the target. */
  linkname: string;
  /** pax records of the entry's extended header (empty when it had none). */
  pax: ReadonlyMap<string, string>;
  /** SCHILY.xattr.* records: name without the prefix, value as bytes. */
  xattrs?: [string, Buffer][];
}

export interface TarEntry extends TarHeader {
  /** The body (regular files; empty otherwise). */
  data: Buffer;
}

/** Receives a file's body; `end` comes after the last chunk. */
export interface BodySink {
  data(chunk: Uint8Array): void;
  end(): void;
}

const BLOCK = 512;
const NO_PAX: ReadonlyMap<string, string> = new Map();
const MAX_EXTENDED = 1 << 20;
const latin1 = (b: Uint8Array, start: number, end: number) => Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');

/** A NUL-terminated field. */
function field(b: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return latin1(b, start, end);
}

/** An octal field as apk reads it: digits, then only NULs and spaces. */
function octal(b: Uint8Array, start: number, len: number): number {
  let i = start;
  const end = start + len;
  let v = 0;
  while (i < end && b[i]! >= 48 && b[i]! <= 55) v = v * 8 + (b[i++]! - 48);
  for (; i < end; i++) if (b[i] !== 0 && b[i] !== 32) throw new ApkError(EBADMSG);
  return v;
}

const S_HEADER = 0;
const S_BODY = 1;
const S_EXTENDED = 2;
const S_SKIP = 3;
const S_DONE = 4;

export class TarParser {
  private state = S_HEADER;
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  /** Bytes of the current body (or extended header) still to come, then padding to skip. */
  private remaining = 0;
  private padding = 0;
  private sink: BodySink | undefined;
  private extended: Uint8Array | undefined;
  private extendedFill = 0;
  private extendedType = '';
  private pax: Map<string, string> | undefined;
  private xattrs: [string, Buffer][] | undefined;
  private longName: string | undefined;
  private zeroBlocks = 0;

  /** `onEntry` gets each entry's header and returns where its body goes (undefined: skipped). */
  constructor(private readonly onEntry: (h: TarHeader) => BodySink | undefined) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      switch (this.state) {
        case S_HEADER: {
          const n = Math.min(BLOCK - this.headerFill, len - pos);
          // a whole header in the chunk is read in place
          if (this.headerFill === 0 && n === BLOCK) {
            this.onHeader(chunk, pos);
          } else {
            this.header.set(chunk.subarray(pos, pos + n), this.headerFill);
            this.headerFill += n;
            if (this.headerFill === BLOCK) {
              this.headerFill = 0;
              this.onHeader(this.header, 0);
            }
          }
          pos += n;
          break;
        }
        case S_BODY: {
          const n = Math.min(this.remaining, len - pos);
          if (n > 0) this.sink?.data(chunk.subarray(pos, pos + n));
          this.remaining -= n;
          pos += n;
          if (this.remaining === 0) this.endBody();
          break;
        }
        case S_EXTENDED: {
          const n = Math.min(this.remaining, len - pos);
          this.extended!.set(chunk.subarray(pos, pos + n), this.extendedFill);
          this.extendedFill += n;
          this.remaining -= n;
          pos += n;
          if (this.remaining === 0) this.endExtended();
          break;
        }
        case S_SKIP: {
          const n = Math.min(this.padding, len - pos);
          this.padding -= n;
          pos += n;
          if (this.padding === 0) this.state = S_HEADER;
          break;
        }
        default:
          // after the end blocks apk reads on; only more zero blocks may follow
          for (; pos < len; pos++) if (chunk[pos] !== 0) throw new ApkError(EBADMSG);
      }
    }
  }

  /** The input ended: only at an entry boundary (with or without the end blocks) is that fine. */
  finish(): void {
    if (this.state === S_DONE) return;
    if (this.state !== S_HEADER || this.headerFill !== 0 || this.longName !== undefined || this.pax) throw new ApkError(EBADMSG);
  }

  private onHeader(b: Uint8Array, o: number): void {
    if (b[o] === 0) {
      // an empty name is apk's end marker: the second one (anywhere) ends the archive
      if (++this.zeroBlocks === 2) this.state = S_DONE;
      return;
    }
    if (b[o + 257] !== 117 || b[o + 258] !== 115 || b[o + 259] !== 116 || b[o + 260] !== 97 || b[o + 261] !== 114)
      throw new ApkError(EBADMSG); // "ustar"
    const type = String.fromCharCode(b[o + 156]!);
    const size = octal(b, o + 124, 12);
    if (type === 'x' || type === 'L') {
      if (size > MAX_EXTENDED) throw new ApkError(EBADMSG);
      this.extended = new Uint8Array(size);
      this.extendedFill = 0;
      this.extendedType = type;
      this.remaining = size;
      this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
      this.state = S_EXTENDED;
      if (size === 0) this.endExtended();
      return;
    }
    let name = this.longName ?? field(b, o, 100);
    if (b[o + 345] !== 0) name = `${field(b, o + 345, 155)}/${field(b, o, 100)}`;
    const pax = this.pax ?? NO_PAX;
    name = pax.get('path') ?? name;
    const h: TarHeader = {
      name,
      type,
      mode: octal(b, o + 100, 8) & 0o7777,
      uid: octal(b, o + 108, 8),
      gid: octal(b, o + 116, 8),
      uname: field(b, o + 265, 32),
      gname: field(b, o + 297, 32),
      mtime: octal(b, o + 136, 12),
      size,
      linkname: pax.get('linkpath') ?? field(b, o + 157, 100),
      pax,
      xattrs: this.xattrs,
    };
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.sink = undefined;
    // what apk hands to its entry parser: files, links, directories, devices, fifos; pax and
    // long-name state is consumed by them only ('g' headers and unknown types are skipped)
    if (type === '0' || type === '7' || (type >= '1' && type <= '6')) {
      this.longName = undefined;
      this.pax = undefined;
      this.xattrs = undefined;
      this.sink = this.onEntry(h);
    }
    this.state = S_BODY;
    if (size === 0) this.endBody();
  }

  private endBody(): void {
    const sink = this.sink;
    this.sink = undefined;
    sink?.end();
    this.state = this.padding ? S_SKIP : S_HEADER;
  }

  private endExtended(): void {
    const data = this.extended!;
    this.extended = undefined;
    if (this.extendedType === 'L') {
      let end = data.indexOf(0);
      if (end < 0) end = data.length;
      this.longName = latin1(data, 0, end);
    } else this.parsePax(data);
    this.state = this.padding ? S_SKIP : S_HEADER;
  }

  /** `LEN key=value\n` records (apk's handle_extended_header: a malformed one ends the list). */
  private parsePax(data: Uint8Array): void {
    const pax = new Map<string, string>();
    let xattrs: [string, Buffer][] | undefined;
    let pos = 0;
    while (pos < data.length) {
      let sp = pos;
      let len = 0;
      while (sp < data.length && data[sp]! >= 48 && data[sp]! <= 57) len = len * 10 + (data[sp++]! - 48);
      if (data[sp] !== 32) break;
      const eq = data.indexOf(61, sp + 1);
      const end = pos + len;
      if (eq < 0 || eq >= end || end > data.length || data[end - 1] !== 10) break;
      const key = latin1(data, sp + 1, eq);
      if (key.startsWith('SCHILY.xattr.')) (xattrs ??= []).push([key.slice(13), Buffer.from(data.subarray(eq + 1, end - 1))]);
      else pax.set(key, latin1(data, eq + 1, end - 1));
      pos = end;
    }
    this.pax = pax;
    this.xattrs = xattrs;
  }
}

/** Collects a body into one buffer (a body in one piece is not copied: readTar's input stays). */
function collect(onEnd: (data: Buffer) => void): BodySink {
  const chunks: Uint8Array[] = [];
  return {
    data: (chunk) => void chunks.push(chunk),
    end: () => onEnd(chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.length) : Buffer.concat(chunks)),
  };
}

/** Every entry of a tar held in memory (small members: signatures, control, index, scripts.tar).
 *  A malformed archive is EBADMSG ("BAD archive"). */
export function readTar(buf: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  const parser = new TarParser((h) => {
    const e = h as TarEntry;
    e.data = EMPTY;
    out.push(e);
    return h.size ? collect((data) => (e.data = data)) : undefined;
  });
  parser.push(buf);
  parser.finish();
  return out;
}

const EMPTY = Buffer.alloc(0);

/** One regular-file entry as apk writes it (apk_tar_write_entry: GNU `ustar  ` magic, root
 *  owner names), body padded to the block size. */
export function tarFile(name: string, mode: number, mtime: number, data: Uint8Array): Buffer {
  const prefix: Buffer[] = [];
  if (name.length > 99) {
    // GNU long name entry first
    const long = Buffer.from(`${name}\0`, 'latin1');
    prefix.push(header('././@LongLink', 'L', mode, mtime, long.length - 1), long, Buffer.alloc((BLOCK - (long.length % BLOCK)) % BLOCK));
  }
  return Buffer.concat([...prefix, header(name, '0', mode, mtime, data.length), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)]);
}

/** The two empty blocks that end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

function header(name: string, type: string, mode: number, mtime: number, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name.slice(0, 99), 0, 'latin1');
  const put = (off: number, len: number, v: number, nul: boolean) => {
    const digits = v.toString(8);
    const width = nul ? len - 1 : len;
    h.write(digits.padStart(width, '0').slice(-width), off, 'latin1');
  };
  put(100, 8, mode & 0o7777, true);
  put(108, 8, 0, true);
  put(116, 8, 0, true);
  put(124, 12, size, false);
  put(136, 12, mtime, false);
  h[156] = type.charCodeAt(0);
  h.write('ustar  ', 257, 'latin1');
  h.write('root', 265, 'latin1');
  h.write('root', 297, 'latin1');
  h.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0`, 148, 'latin1');
  return h;
}
