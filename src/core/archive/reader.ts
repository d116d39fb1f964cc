// A streaming tar reader: headers in, entries out, bodies streamed, nothing buffered beyond one input
// chunk (and extended headers, which are capped). It reads every dialect GNU tar and libarchive
// read: v7, ustar, pax (extended and global headers, every record kept for the caller, vendor keys
// such as APK-TOOLS.checksum.SHA1 included), GNU (long names and link names, base-256 numbers,
// old and pax sparse formats 0.0, 0.1 and 1.0, volume labels), star.
//
//   const reader = new TarReader(source, { onWarning });
//   for await (const entry of reader) {
//     if (entry.type === 'file') await entry.pipe((chunk, position) => write(chunk, position));
//     // a body not read is skipped when the next entry is asked for
//   }
//
// The end of input at an entry boundary ends the archive quietly, so a segment without the two
// zero blocks (apk's signature and control gzip members) reads like a whole archive; a new
// reader over the next segment continues from there.
import type { ByteSource } from '../io.js';
import {
  ArchiveError,
  BLOCK,
  checksumMatches,
  detectFormat,
  type EntryType,
  F,
  type Format,
  isZeroBlock,
  type PaxRecord,
  parsePax,
  parsePaxNumber,
  readNumber,
  readString,
  TYPEFLAG,
} from './header.js';

/** A data range of a sparse file: `length` bytes at `offset` of the real file. */
export interface SparseRange {
  offset: number;
  length: number;
}

/** Something chunks can be pulled from: a ByteSource, or any async iterable of chunks. A source
 *  with `skip` (a regular file) lets the reader jump over bodies nobody reads. */
export type ChunkSource = ByteSource | AsyncIterable<Uint8Array>;
interface Skippable {
  skip(n: number): void;
}

export interface ReadOptions {
  /** Read past zero blocks (GNU's --ignore-zeros): concatenated archives read as one. */
  ignoreZeros?: boolean;
  /** Problems the reader recovers from. `status` 2 means GNU tar would exit 2 at the end. */
  onWarning?: (message: string, status: 0 | 2) => void;
  /** Largest extended header (pax or GNU long name) accepted, in bytes. */
  maxExtendedHeader?: number;
}

/** Body callback: `position` is where the chunk belongs in the extracted file (sparse files jump). */
export type BodySink = (chunk: Uint8Array, position: number) => void | Promise<void>;

export interface TarEntry {
  /** The member name, after GNU long names, pax `path` and the ustar prefix. */
  readonly name: string;
  readonly linkname: string;
  readonly type: EntryType;
  /** The header's type letter as found (`0`, `5`, `S`, `V` …; NUL reads as `0`). */
  readonly typeflag: string;
  /** Permission and set-id bits (& 07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  /** Bytes of body stored in the archive. */
  readonly size: number;
  /** Size of the file: differs from `size` only for sparse files. */
  readonly realSize: number;
  /** Seconds since the epoch, fractional when a pax header gave fractions. */
  readonly mtime: number;
  readonly atime?: number;
  readonly ctime?: number;
  readonly devmajor: number;
  readonly devminor: number;
  readonly format: Format;
  /** Every pax record in force for this entry: global ones, overridden by its own. */
  readonly pax: ReadonlyMap<string, string>;
  /** The records of this entry's own extended header(s), in order (repeated keys kept). */
  readonly paxRecords: readonly PaxRecord[];
  /** The data map of a sparse file (absent for ordinary files). */
  readonly sparse?: readonly SparseRange[];
  /** Offset of this entry's first header block (extended headers included) in the stream. */
  readonly headerOffset: number;
  /** Body bytes not yet read. */
  readonly remaining: number;
  /** The next piece of the body, or null at its end. */
  read(): Promise<Uint8Array | null>;
  /** Feed the rest of the body to `sink`, awaiting it only when it returns a promise. */
  pipe(sink: BodySink): Promise<void>;
  /** The rest of the body in one buffer (for small members: .PKGINFO, scripts). */
  bytes(): Promise<Buffer>;
  /** Discard the rest of the body. */
  skip(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
}

const DEFAULT_MAX_EXTENDED = 64 * 1024 * 1024;

export class TarReader implements AsyncIterable<TarEntry> {
  private iter: AsyncIterator<Uint8Array> | undefined;
  private readonly src: ChunkSource;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private eof = false;
  /** Bytes of the stream consumed so far. */
  offset = 0;
  private current: Entry | undefined;
  private readonly globals = new Map<string, string>();
  private done = false;
  private readonly opts: ReadOptions;
  /** Where the end-of-archive blocks start (or the input ended): where `tar -r` appends. */
  endOffset: number | undefined;
  /** How the archive ended: two zero blocks, one, or the end of input at an entry boundary. */
  endedBy: 'zero-blocks' | 'zero-block' | 'eof' | undefined;

  constructor(source: ChunkSource, opts: ReadOptions = {}) {
    this.src = source;
    this.opts = opts;
  }

  [Symbol.asyncIterator](): AsyncIterator<TarEntry> {
    return {
      next: async () => {
        const entry = await this.next();
        return entry ? { value: entry, done: false } : { value: undefined, done: true };
      },
    };
  }

  private warn(message: string, status: 0 | 2): void {
    this.opts.onWarning?.(message, status);
  }

  // ---- input ----

  private async pull(): Promise<Uint8Array | null> {
    if (this.eof) return null;
    const src = this.src as Partial<ByteSource>;
    let chunk: Uint8Array | null;
    if (typeof src.read === 'function') chunk = await src.read();
    else {
      this.iter ??= (this.src as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
      const r = await this.iter.next();
      chunk = r.done ? null : r.value;
    }
    if (!chunk) this.eof = true;
    return chunk;
  }

  private get available(): number {
    return this.buf.length - this.pos;
  }

  /** Make `n` bytes available contiguously; false at end of input with fewer. */
  private async ensure(n: number): Promise<boolean> {
    while (this.available < n) {
      const chunk = await this.pull();
      if (!chunk) return false;
      if (this.available === 0) {
        this.buf = chunk;
        this.pos = 0;
      } else {
        const joined = new Uint8Array(this.available + chunk.length);
        joined.set(this.buf.subarray(this.pos));
        joined.set(chunk, this.available);
        this.buf = joined;
        this.pos = 0;
      }
    }
    return true;
  }

  /** Up to `max` bytes from the buffer (reading a chunk if it is empty); empty at end of input. */
  private async take(max: number): Promise<Uint8Array> {
    if (this.available === 0) {
      const chunk = await this.pull();
      if (!chunk) return new Uint8Array(0);
      this.buf = chunk;
      this.pos = 0;
    }
    return this.takeBuffered(max);
  }

  private takeBuffered(max: number): Uint8Array {
    const n = Math.min(max, this.available);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.offset += n;
    return out;
  }

  /** Skip n bytes; false if the input ended first. */
  private async skipBytes(n: number): Promise<boolean> {
    const buffered = Math.min(n, this.available);
    this.pos += buffered;
    this.offset += buffered;
    n -= buffered;
    const src = this.src as Partial<Skippable>;
    if (n > 0 && typeof src.skip === 'function' && !this.eof) {
      src.skip(n);
      this.offset += n;
      return true; // a short file shows as EOF at the next read
    }
    while (n > 0) {
      const got = await this.take(n);
      if (got.length === 0) return false;
      n -= got.length;
    }
    return true;
  }

  /** The whole of an extended header's data (pax records, GNU long names, sparse maps). */
  private async readData(size: number, what: string): Promise<Uint8Array> {
    const max = this.opts.maxExtendedHeader ?? DEFAULT_MAX_EXTENDED;
    if (size > max) throw new ArchiveError(`${what} of ${size} bytes is too large (limit ${max})`);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (!(await this.ensure(padded))) throw new ArchiveError('Unexpected EOF in archive');
    const data = this.buf.slice(this.pos, this.pos + size);
    this.pos += padded;
    this.offset += padded;
    return data;
  }

  // ---- headers ----

  /** The next entry, or null at the end of the archive. Skips what is left of the previous body. */
  async next(): Promise<TarEntry | null> {
    if (this.done) return null;
    if (this.current) {
      await this.current.finish();
      this.current = undefined;
    }
    const entry = await this.readHeaders();
    if (!entry) this.done = true;
    this.current = entry ?? undefined;
    return entry;
  }

  private async readHeaders(): Promise<Entry | null> {
    let longName: string | undefined;
    let longLink: string | undefined;
    let records: PaxRecord[] | undefined;
    let headerOffset = this.offset;
    let pending = false; // extended headers read, their entry not yet
    let skipping = false;
    for (;;) {
      if (!(await this.ensure(BLOCK))) {
        if ((this.available > 0 && !skipping) || pending) throw new ArchiveError('Unexpected EOF in archive');
        this.endedBy ??= 'eof';
        this.endOffset ??= this.offset;
        return null;
      }
      const block = this.buf.subarray(this.pos, this.pos + BLOCK);
      if (isZeroBlock(block)) {
        this.endOffset = this.offset;
        this.pos += BLOCK;
        this.offset += BLOCK;
        if (this.opts.ignoreZeros) {
          headerOffset = this.offset;
          continue;
        }
        // A second zero block (or the end of input) ends the archive; GNU warns about a lone one.
        if (await this.ensure(BLOCK)) {
          if (isZeroBlock(this.buf, this.pos)) {
            this.pos += BLOCK;
            this.offset += BLOCK;
            this.endedBy = 'zero-blocks';
          } else {
            this.endedBy = 'zero-block';
          }
        } else {
          this.endedBy = 'zero-block';
          if (this.available === 0) this.warn(`A lone zero block at ${this.offset / BLOCK}`, 0);
        }
        return null;
      }
      if (!checksumMatches(block)) {
        // GNU: complain once, then look for the next valid header block by block.
        if (!skipping) {
          this.warn(this.offset === 0 ? 'This does not look like a tar archive' : 'Skipping to next header', 2);
          if (this.offset === 0) this.warn('Skipping to next header', 2);
        }
        skipping = true;
        this.pos += BLOCK;
        this.offset += BLOCK;
        headerOffset = this.offset;
        continue;
      }
      skipping = false;
      const format = detectFormat(block);
      const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
      const sizeField = readNumber(block, F.size[0], F.size[1]);
      if ('error' in sizeField || sizeField.value < 0) {
        const why = 'error' in sizeField ? `Archive value ${sizeField.error} is out of range` : 'Archive base-256 value is out of off_t range';
        this.warn(why, 2);
        if (!pending && this.offset === 0) this.warn('This does not look like a tar archive', 2);
        this.warn('Skipping to next header', 2);
        this.pos += BLOCK;
        this.offset += BLOCK;
        skipping = true;
        continue;
      }
      const size = sizeField.value;
      this.pos += BLOCK;
      this.offset += BLOCK;

      switch (typeflag) {
        case 'x':
        case 'X': // old Solaris name for x
        case 'g': {
          const data = await this.readData(size, 'Extended header');
          const parsed: PaxRecord[] = [];
          const problem = parsePax(data, parsed);
          if (problem) this.warn(problem, 2);
          if (typeflag === 'g') {
            for (const r of parsed) {
              if (r.value === '') this.globals.delete(r.key);
              else this.globals.set(r.key, r.value);
            }
          } else {
            records = (records ?? []).concat(parsed);
            pending = true;
          }
          continue;
        }
        case 'L':
        case 'K':
        case 'N': {
          // GNU long names: the data is the name, NUL-terminated ('N' is an old multivolume form)
          const data = await this.readData(size, 'Long name');
          let end = data.indexOf(0);
          if (end === -1) end = data.length;
          const text = Buffer.from(data.buffer, data.byteOffset, end).toString('latin1');
          if (typeflag === 'K') longLink = text;
          else longName = text;
          pending = true;
          continue;
        }
      }
      return this.makeEntry(block, { format, typeflag, size, longName, longLink, records, headerOffset });
    }
  }

  private async makeEntry(
    block: Uint8Array,
    h: { format: Format; typeflag: string; size: number; longName?: string; longLink?: string; records?: PaxRecord[]; headerOffset: number },
  ): Promise<Entry> {
    const num = (field: readonly [number, number], what: string): number => {
      const r = readNumber(block, field[0], field[1]);
      if ('error' in r) {
        this.warn(`Archive contains ${r.error} where numeric ${what} value expected`, 2);
        return 0;
      }
      return r.value;
    };
    const pax = new Map(this.globals);
    const sparseBlocks: number[] = [];
    for (const r of h.records ?? []) {
      if (r.key === 'GNU.sparse.offset' || r.key === 'GNU.sparse.numbytes') sparseBlocks.push(Number(r.value));
      if (r.value === '') pax.delete(r.key);
      else pax.set(r.key, r.value);
    }

    let format: Format = h.records?.length || this.globals.size ? 'pax' : h.format === 'oldgnu' ? 'gnu' : h.format;
    if (h.format === 'oldgnu' && (h.longName !== undefined || h.longLink !== undefined)) format = 'gnu';
    let name = readString(block, F.name[0], F.name[1]);
    if (h.format === 'ustar' && block[F.prefix[0]] !== 0) name = `${readString(block, F.prefix[0], F.prefix[1])}/${name}`;
    if (h.format === 'star' && block[F.starPrefix[0]] !== 0) name = `${readString(block, F.starPrefix[0], F.starPrefix[1])}/${name}`;
    if (h.longName !== undefined) name = h.longName;
    let linkname = h.longLink ?? readString(block, F.linkname[0], F.linkname[1]);
    const typeflag = h.typeflag;
    let type: EntryType = TYPEFLAG[typeflag] ?? 'other';
    const mode = num(F.mode, 'mode_t') & 0o7777;
    let uid = num(F.uid, 'uid_t');
    let gid = num(F.gid, 'gid_t');
    let mtime = num(F.mtime, 'time_t');
    let uname = readString(block, F.uname[0], F.uname[1]);
    let gname = readString(block, F.gname[0], F.gname[1]);
    let devmajor = 0;
    let devminor = 0;
    if (type === 'chardev' || type === 'blockdev') {
      devmajor = num(F.devmajor, 'major_t');
      devminor = num(F.devminor, 'minor_t');
    }
    let atime: number | undefined;
    let ctime: number | undefined;
    if (h.format === 'oldgnu' && block[F.atime[0]] !== 0) {
      atime = num(F.atime, 'time_t');
      ctime = num(F.ctime, 'time_t');
    } else if (h.format === 'star') {
      atime = num(F.starAtime, 'time_t');
      ctime = num(F.starCtime, 'time_t');
    }
    let size = h.size;

    // pax records override the header
    const numeric = (key: string, keep: number): number => {
      const v = pax.get(key);
      if (v === undefined) return keep;
      const n = parsePaxNumber(v);
      if (n === undefined) {
        this.warn(`Malformed extended header: invalid ${key}=${v}`, 2);
        return keep;
      }
      return n;
    };
    // Times as GNU reads them: the leading number, whatever follows it.
    const time = (key: string, keep: number): number => {
      const m = /^-?\d+(\.\d+)?/.exec(pax.get(key) ?? '');
      if (pax.has(key) && !m) this.warn(`Malformed extended header: invalid ${key}=${pax.get(key)}`, 2);
      return m ? Number(m[0]) : keep;
    };
    if (pax.has('path')) name = pax.get('path')!;
    if (pax.has('linkpath')) linkname = pax.get('linkpath')!;
    if (pax.has('uname')) uname = pax.get('uname')!;
    if (pax.has('gname')) gname = pax.get('gname')!;
    uid = numeric('uid', uid);
    gid = numeric('gid', gid);
    mtime = time('mtime', mtime);
    if (pax.has('atime')) atime = time('atime', 0);
    if (pax.has('ctime')) ctime = time('ctime', 0);
    devmajor = numeric('SCHILY.devmajor', devmajor);
    devminor = numeric('SCHILY.devminor', devminor);
    if (pax.has('size')) {
      const s = numeric('size', size);
      if (s < 0) throw new ArchiveError(`Extended header size=${pax.get('size')} is out of range`);
      size = s;
    }

    // Old archives mark directories by a trailing slash only.
    if ((typeflag === '0' || typeflag === '7') && h.format === 'v7' && name.endsWith('/')) type = 'directory';
    if (block[156] === 0 && name.endsWith('/')) type = 'directory';

    // Sparse files
    let sparse: SparseRange[] | undefined;
    let realSize = size;
    let sparseMapInData = false;
    if (typeflag === 'S') {
      const r = await this.oldGnuSparse(block);
      sparse = r.map;
      realSize = r.realSize;
    } else if (pax.has('GNU.sparse.major') || pax.has('GNU.sparse.map') || sparseBlocks.length || pax.has('GNU.sparse.size')) {
      if (pax.get('GNU.sparse.major') === '1') sparseMapInData = true;
      else if (pax.has('GNU.sparse.map')) sparse = pairs(pax.get('GNU.sparse.map')!.split(',').map(Number));
      else sparse = pairs(sparseBlocks);
      if (pax.has('GNU.sparse.name')) name = pax.get('GNU.sparse.name')!;
      realSize = numeric('GNU.sparse.realsize', numeric('GNU.sparse.size', size));
    }

    const entry = new Entry(this, {
      name,
      linkname,
      type,
      typeflag,
      mode,
      uid,
      gid,
      uname,
      gname,
      size,
      realSize,
      mtime,
      atime,
      ctime,
      devmajor,
      devminor,
      format,
      pax,
      paxRecords: h.records ?? [],
      headerOffset: h.headerOffset,
    });
    // Only files have bodies (and GNU dumpdirs): old archivers set a size on directories and hard
    // links anyway, which GNU tar and libarchive ignore.
    if (type === 'file' || type === 'contiguous' || typeflag === 'D' || type === 'other' || type === 'solaris-acl') entry.setBodySize(size);
    else {
      entry.setBodySize(0);
      entry.size = 0;
    }
    if (sparseMapInData) sparse = await this.sparseMapFromData(entry);
    if (sparse) {
      const problem = checkSparseMap(sparse, realSize, entry.remaining);
      if (problem) {
        this.warn(`${name}: ${problem}`, 2);
        entry.malformed = true;
      }
      entry.setSparse(sparse);
    }
    return entry;
  }

  /** The map of a GNU old-style sparse header ('S'): four ranges in the header, more in extension
   *  blocks that follow it while `isextended` is set. */
  private async oldGnuSparse(block: Uint8Array): Promise<{ map: SparseRange[]; realSize: number }> {
    const map: SparseRange[] = [];
    const readRanges = (b: Uint8Array, start: number, count: number) => {
      for (let i = 0; i < count; i++) {
        const off = start + i * 24;
        if (b[off] === 0) break;
        const o = readNumber(b, off, 12);
        const l = readNumber(b, off + 12, 12);
        if ('error' in o || 'error' in l) throw new ArchiveError('Malformed sparse header');
        map.push({ offset: o.value, length: l.value });
      }
    };
    readRanges(block, F.sparse[0], 4);
    const real = readNumber(block, F.realsize[0], F.realsize[1]);
    let extended = block[F.isextended[0]] !== 0;
    while (extended) {
      if (!(await this.ensure(BLOCK))) throw new ArchiveError('Unexpected EOF in archive');
      const ext = this.buf.subarray(this.pos, this.pos + BLOCK);
      readRanges(ext, 0, 21);
      extended = ext[504] !== 0;
      this.pos += BLOCK;
      this.offset += BLOCK;
    }
    return { map, realSize: 'error' in real ? 0 : real.value };
  }

  /** GNU sparse 1.0: the map is written at the start of the body as decimal lines (count, then
   *  offset and size pairs), padded to a block. */
  private async sparseMapFromData(entry: Entry): Promise<SparseRange[]> {
    const numbers: number[] = [];
    let want = -1;
    let text = '';
    let used = 0;
    while (want < 0 || numbers.length < want * 2) {
      if (entry.remaining < BLOCK) throw new ArchiveError(`${entry.name}: malformed sparse archive member`);
      if (!(await this.ensure(BLOCK))) throw new ArchiveError('Unexpected EOF in archive');
      const block = this.takeBuffered(BLOCK);
      entry.consumed(BLOCK);
      used += BLOCK;
      text += Buffer.from(block.buffer, block.byteOffset, BLOCK).toString('latin1');
      let nl: number;
      while ((nl = text.indexOf('\n')) !== -1 && (want < 0 || numbers.length < want * 2)) {
        const line = text.slice(0, nl);
        text = text.slice(nl + 1);
        if (!/^\d+$/.test(line)) throw new ArchiveError(`${entry.name}: malformed sparse archive member`);
        if (want < 0) want = Number(line);
        else numbers.push(Number(line));
      }
      if (used > (this.opts.maxExtendedHeader ?? DEFAULT_MAX_EXTENDED)) throw new ArchiveError(`${entry.name}: sparse map too large`);
    }
    entry.shrink(used);
    return pairs(numbers);
  }

  // ---- bodies (called by Entry) ----

  /** @internal */
  async readBody(entry: Entry, max: number): Promise<Uint8Array | null> {
    if (max <= 0) return null;
    const chunk = await this.take(max);
    if (chunk.length === 0) throw new ArchiveError('Unexpected EOF in archive');
    return chunk;
  }

  /** @internal Bytes of the body already in memory, without waiting. */
  bufferedBody(max: number): Uint8Array | undefined {
    return this.available > 0 && max > 0 ? this.takeBuffered(max) : undefined;
  }

  /** @internal */
  async skipBody(n: number): Promise<void> {
    if (!(await this.skipBytes(n))) throw new ArchiveError('Unexpected EOF in archive');
  }
}

function pairs(numbers: number[]): SparseRange[] {
  const map: SparseRange[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) map.push({ offset: numbers[i]!, length: numbers[i + 1]! });
  return map;
}

/** A map is sane when its ranges are in order, inside the file and add up to the stored data. */
function checkSparseMap(map: readonly SparseRange[], realSize: number, stored: number): string | undefined {
  let end = 0;
  let total = 0;
  for (const r of map) {
    if (!Number.isSafeInteger(r.offset) || !Number.isSafeInteger(r.length) || r.offset < end || r.length < 0) return 'malformed sparse archive member';
    end = r.offset + r.length;
    total += r.length;
  }
  if (end > realSize || total !== stored) return 'malformed sparse archive member';
  return undefined;
}

class Entry implements TarEntry {
  readonly name!: string;
  readonly linkname!: string;
  readonly type!: EntryType;
  readonly typeflag!: string;
  readonly mode!: number;
  readonly uid!: number;
  readonly gid!: number;
  readonly uname!: string;
  readonly gname!: string;
  size!: number;
  readonly realSize!: number;
  readonly mtime!: number;
  readonly atime?: number;
  readonly ctime?: number;
  readonly devmajor!: number;
  readonly devminor!: number;
  readonly format!: Format;
  readonly pax!: ReadonlyMap<string, string>;
  readonly paxRecords!: readonly PaxRecord[];
  readonly headerOffset!: number;
  sparse?: readonly SparseRange[];
  /** The sparse map did not add up: the body is skipped, not given out. */
  malformed = false;
  remaining = 0;
  private padding = 0;
  /** Position in the real file of the next body byte. */
  private filePos = 0;
  private rangeIndex = 0;
  private rangeLeft = 0;

  constructor(
    private readonly reader: TarReader,
    fields: Omit<TarEntry, 'remaining' | 'read' | 'pipe' | 'bytes' | 'skip' | typeof Symbol.asyncIterator | 'sparse'>,
  ) {
    Object.assign(this, fields);
  }

  setBodySize(n: number): void {
    this.remaining = n;
    this.padding = (BLOCK - (n % BLOCK)) % BLOCK;
  }
  /** The sparse 1.0 map was taken off the front of the body. */
  consumed(n: number): void {
    this.remaining -= n;
  }
  shrink(mapBytes: number): void {
    this.size -= mapBytes;
  }
  setSparse(map: readonly SparseRange[]): void {
    this.sparse = map;
    this.rangeIndex = 0;
    this.rangeLeft = map[0]?.length ?? 0;
    this.filePos = map[0]?.offset ?? 0;
    this.advanceRanges();
  }
  private advanceRanges(): void {
    const map = this.sparse!;
    while (this.rangeLeft === 0 && this.rangeIndex + 1 < map.length) {
      this.rangeIndex++;
      this.rangeLeft = map[this.rangeIndex]!.length;
      this.filePos = map[this.rangeIndex]!.offset;
    }
  }
  /** How much of the next chunk may go out in one piece (sparse ranges split chunks). */
  private limit(): number {
    return this.sparse && !this.malformed ? Math.min(this.remaining, this.rangeLeft) : this.remaining;
  }
  private advance(n: number): number {
    const at = this.filePos;
    this.remaining -= n;
    this.filePos += n;
    if (this.sparse) {
      this.rangeLeft -= n;
      this.advanceRanges();
    }
    return at;
  }

  async read(): Promise<Uint8Array | null> {
    if (this.malformed) {
      await this.skip();
      return null;
    }
    const max = this.limit();
    if (max <= 0) return null;
    const chunk = await this.reader.readBody(this, max);
    if (chunk) this.advance(chunk.length);
    return chunk;
  }

  async pipe(sink: BodySink): Promise<void> {
    if (this.malformed) return this.skip();
    for (;;) {
      const max = this.limit();
      if (max <= 0) return;
      const chunk = this.reader.bufferedBody(max) ?? (await this.reader.readBody(this, max))!;
      const at = this.advance(chunk.length);
      const r = sink(chunk, at);
      if (r) await r;
    }
  }

  async bytes(): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    await this.pipe((c) => void parts.push(c));
    return Buffer.concat(parts);
  }

  async skip(): Promise<void> {
    if (this.remaining > 0) await this.reader.skipBody(this.remaining);
    this.remaining = 0;
    this.rangeLeft = 0;
  }

  /** @internal Skip the rest of the body and its padding. */
  async finish(): Promise<void> {
    await this.skip();
    if (this.padding) await this.reader.skipBody(this.padding);
    this.padding = 0;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let c = await this.read(); c; c = await this.read()) yield c;
  }
}
