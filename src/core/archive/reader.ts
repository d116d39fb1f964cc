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
// Hot loops (tar -x over 50 000 small files) skip the promises: `reader.nextSync()` and
// `entry.pipeSync(sink)` work as far as the input is in memory, or can be read without waiting (a
// regular file, which FileSource reads synchronously), and say when the caller must await instead:
//
//   const entry = reader.nextSync() ?? (await reader.next());   // undefined: not in memory yet
//   if (!entry.pipeSync(write)) await entry.pipe(write);
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
  readOctal,
  readString,
  TYPEFLAG,
} from './header.js';

/** A data range of a sparse file: `length` bytes at `offset` of the real file. */
export interface SparseRange {
  offset: number;
  length: number;
}

/** Something chunks can be pulled from: a ByteSource, or any async iterable of chunks. A source
 *  with `skip` (a regular file) lets the reader jump over bodies nobody reads; one with `readSync`
 *  is read without promises. */
export type ChunkSource = ByteSource | AsyncIterable<Uint8Array>;
interface Skippable {
  /** Move on n bytes; false when the input ends before that (a file cut short). */
  skip(n: number): boolean | void;
}
interface SyncReadable {
  readSync(): Uint8Array | null;
  /** The reader keeps nothing it read: the source may reuse that memory. */
  release?(): void;
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
  /** Feed the body to a synchronous `sink` as far as it can be had without waiting; true when all
   *  of it went (else the caller goes on with `pipe`). A chunk is valid only during the call. */
  pipeSync(sink: (chunk: Uint8Array, position: number) => void): boolean;
  /** The rest of the body in one buffer (for small members: .PKGINFO, scripts). */
  bytes(): Promise<Buffer>;
  /** Discard the rest of the body. */
  skip(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
}

const DEFAULT_MAX_EXTENDED = 64 * 1024 * 1024;
const NO_RECORDS: Map<string, string> = new Map();
const NO_PAX_RECORDS: readonly PaxRecord[] = [];
const EMPTY = new Uint8Array(0);

export class TarReader implements AsyncIterable<TarEntry> {
  private iter: AsyncIterator<Uint8Array> | undefined;
  private readonly src: ChunkSource;
  private readonly syncSource: SyncReadable | undefined;
  private readonly skippable: Skippable | undefined;
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private eof = false;
  /** Part of the buffer went to a caller who may keep it (read, pipe): it must not be reused. */
  private lent = false;
  /** Bytes of the stream consumed so far. */
  offset = 0;
  private current: Entry | undefined;
  /** Bytes of earlier bodies (and their padding) still to pass over before the next header. */
  private discard = 0;
  /** Bytes that must be in memory for the header being read to go on (when none are pending). */
  private wanted = 0;
  private readonly globals = new Map<string, string>();
  private done = false;
  private readonly opts: ReadOptions;
  private readonly maxExtended: number;
  // What the extended headers read so far say about the entry to come.
  private longName: string | undefined;
  private longLink: string | undefined;
  private records: PaxRecord[] | undefined;
  private headerOffset = 0;
  /** Extended headers read, their entry not yet. */
  private pending = false;
  /** Looking for a valid header after a bad one. */
  private skipping = false;
  /** A block of the coming entry's headers was looked at (headerOffset is set). */
  private started = false;
  /** Problems with the entry being made (makeEntry), reported when it is made. */
  private notes: string[] | undefined;
  /** Owner names repeat from header to header: the last ones are kept as strings. */
  private readonly owners = new NameFields();
  /** Where the end-of-archive blocks start (or the input ended): where `tar -r` appends. */
  endOffset: number | undefined;
  /** How the archive ended: two zero blocks, one, or the end of input at an entry boundary. */
  endedBy: 'zero-blocks' | 'zero-block' | 'eof' | undefined;

  constructor(source: ChunkSource, opts: ReadOptions = {}) {
    this.src = source;
    this.opts = opts;
    this.maxExtended = opts.maxExtendedHeader ?? DEFAULT_MAX_EXTENDED;
    const s = source as Partial<SyncReadable & Skippable>;
    if (typeof s.readSync === 'function') this.syncSource = s as SyncReadable;
    if (typeof s.skip === 'function') this.skippable = s as Skippable;
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
    if (this.syncSource) return this.pullSync();
    if (this.eof) return null;
    let chunk: Uint8Array | null;
    const src = this.src as Partial<ByteSource>;
    if (typeof src.read === 'function') chunk = await src.read();
    else {
      this.iter ??= (this.src as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
      const r = await this.iter.next();
      chunk = r.done ? null : r.value;
    }
    if (!chunk) this.eof = true;
    return chunk;
  }

  private pullSync(): Uint8Array | null {
    if (this.eof) return null;
    // all of the buffer used and none of it lent: the source may read into the same memory
    if (this.available === 0 && !this.lent) this.syncSource!.release?.();
    const chunk = this.syncSource!.readSync();
    this.lent = false;
    if (!chunk) this.eof = true;
    return chunk;
  }

  private get available(): number {
    return this.buf.length - this.pos;
  }

  /** Add a chunk to what is buffered (joined to an unused rest, which is rare: blocks do not
   *  straddle the large aligned reads of a file). */
  private append(chunk: Uint8Array): void {
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

  /** Read until `wanted` bytes are buffered (or one more chunk when that is 0), or the input ends. */
  private async fill(): Promise<void> {
    if (this.syncSource) return this.fillSync();
    do {
      const chunk = await this.pull();
      if (!chunk) return;
      this.append(chunk);
    } while (this.available < this.wanted);
  }

  private fillSync(): void {
    do {
      const chunk = this.pullSync();
      if (!chunk) return;
      this.append(chunk);
    } while (this.available < this.wanted);
  }

  /** Up to `max` bytes from the buffer (reading a chunk if it is empty); empty at end of input. */
  private async take(max: number): Promise<Uint8Array> {
    if (this.available === 0) {
      const chunk = await this.pull();
      if (!chunk) return EMPTY;
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

  /** Pass over `discard` bytes as far as possible without waiting; true when done. */
  private discardSync(): boolean {
    const buffered = Math.min(this.discard, this.available);
    this.pos += buffered;
    this.offset += buffered;
    this.discard -= buffered;
    if (this.discard === 0) return true;
    if (this.skippable && !this.eof) {
      if (this.skippable.skip(this.discard) === false) throw new ArchiveError('Unexpected EOF in archive');
      this.offset += this.discard;
      this.discard = 0;
      return true;
    }
    if (this.eof) throw new ArchiveError('Unexpected EOF in archive');
    this.wanted = 0;
    return false;
  }

  // ---- headers ----

  /** The next entry, or null at the end of the archive. Skips what is left of the previous body. */
  async next(): Promise<TarEntry | null> {
    for (;;) {
      const entry = this.step();
      if (entry !== undefined) return entry;
      await this.fill();
    }
  }

  /** The next entry as `next()` gives it, or undefined when that needs input not yet in memory
   *  (then await `next()`). Never waits. */
  nextSync(): TarEntry | null | undefined {
    for (;;) {
      const entry = this.step();
      if (entry !== undefined || !this.syncSource) return entry;
      this.fillSync();
    }
  }

  /** One go at the next entry with what is buffered; undefined when more input is wanted. */
  private step(): Entry | null | undefined {
    if (this.done) return null;
    if (this.current) {
      this.discard += this.current.release();
      this.current = undefined;
    }
    if (this.discard > 0 && !this.discardSync()) return undefined;
    const entry = this.readHeaders();
    if (entry === null) this.done = true;
    else if (entry) this.current = entry;
    return entry;
  }

  /** Consume a block-aligned run of n bytes. */
  private consume(n: number): void {
    this.pos += n;
    this.offset += n;
  }

  /** Header blocks as far as they are buffered; every step consumes a whole header (with its
   *  extended data), so a step cut short by missing input is simply tried again. */
  private readHeaders(): Entry | null | undefined {
    for (;;) {
      if (!this.started) {
        this.headerOffset = this.offset;
        this.started = true;
      }
      if (this.available < BLOCK) {
        if (!this.eof) return this.want(BLOCK);
        // GNU tar takes a partial block at the end for the end; not so an extended header
        // whose member never came
        if (this.pending) throw new ArchiveError('Unexpected EOF in archive');
        this.endedBy ??= 'eof';
        this.endOffset ??= this.offset;
        return null;
      }
      const buf = this.buf;
      const at = this.pos;
      if (isZeroBlock(buf, at)) {
        // A second zero block ends the archive; anything else after one is GNU's "lone zero block".
        if (!this.opts.ignoreZeros && this.available < 2 * BLOCK && !this.eof) return this.want(2 * BLOCK);
        this.endOffset = this.offset;
        this.consume(BLOCK);
        if (this.opts.ignoreZeros) {
          this.headerOffset = this.offset;
          continue;
        }
        if (this.available >= BLOCK && isZeroBlock(this.buf, this.pos)) {
          this.consume(BLOCK);
          this.endedBy = 'zero-blocks';
        } else {
          this.endedBy = 'zero-block';
          this.warn(`A lone zero block at ${this.offset / BLOCK}`, 0);
        }
        return null;
      }
      if (!checksumMatches(buf, at)) {
        // GNU: complain once, then look for the next valid header block by block.
        if (!this.skipping) {
          this.warn(this.offset === 0 ? 'This does not look like a tar archive' : 'Skipping to next header', 2);
          if (this.offset === 0) this.warn('Skipping to next header', 2);
        }
        this.skipping = true;
        this.consume(BLOCK);
        this.headerOffset = this.offset;
        continue;
      }
      let size = readOctal(buf, at + F.size[0], F.size[1]);
      if (size < 0) {
        const field = readNumber(buf.subarray(at, at + BLOCK), F.size[0], F.size[1]);
        if ('error' in field || field.value < 0) {
          const why = 'error' in field ? `Archive value ${field.error} is out of range` : 'Archive base-256 value is out of off_t range';
          this.warn(why, 2);
          if (!this.pending && this.offset === 0) this.warn('This does not look like a tar archive', 2);
          this.warn('Skipping to next header', 2);
          this.consume(BLOCK);
          this.skipping = true;
          continue;
        }
        size = field.value;
      }
      this.skipping = false;
      const flag = buf[at + 156]!;
      switch (flag) {
        case 0x78: // x
        case 0x58: // X: old Solaris name for x
        case 0x67: // g
        case 0x4c: // L
        case 0x4b: // K
        case 0x4e: {
          // N: an old multivolume form of L
          if (size > this.maxExtended) {
            throw new ArchiveError(`${flag === 0x4c || flag === 0x4b || flag === 0x4e ? 'Long name' : 'Extended header'} of ${size} bytes is too large (limit ${this.maxExtended})`);
          }
          const padded = Math.ceil(size / BLOCK) * BLOCK;
          if (this.available < BLOCK + padded) {
            if (!this.eof) return this.want(BLOCK + padded);
            throw new ArchiveError('Unexpected EOF in archive');
          }
          const dataAt = at + BLOCK;
          this.consume(BLOCK + padded);
          if (flag !== 0x67) this.pending = true;
          if (flag === 0x4c || flag === 0x4b || flag === 0x4e) {
            // GNU long names: the data is the name, NUL-terminated
            let end = dataAt;
            while (end < dataAt + size && buf[end] !== 0) end++;
            const text = Buffer.prototype.latin1Slice.call(buf, dataAt, end) as string;
            if (flag === 0x4b) this.longLink = text;
            else this.longName = text;
            continue;
          }
          const parsed: PaxRecord[] = [];
          const problem = parsePax(buf.slice(dataAt, dataAt + size), parsed);
          if (problem) this.warn(problem, 2);
          if (flag === 0x67) {
            for (const r of parsed) {
              if (r.value === '') this.globals.delete(r.key);
              else this.globals.set(r.key, r.value);
            }
          } else this.records = this.records ? this.records.concat(parsed) : parsed;
          continue;
        }
      }
      const entry = this.makeEntry(buf, at, size);
      if (entry === undefined) return undefined;
      this.longName = undefined;
      this.longLink = undefined;
      this.records = undefined;
      this.pending = false;
      this.started = false;
      return entry;
    }
  }

  /** A numeric header field; a bad one is noted (reported if the entry is made) and reads as 0. */
  private numberField(block: Uint8Array, at: number, off: number, len: number, what: string): number {
    const v = readOctal(block, at + off, len);
    if (v >= 0) return v;
    const r = readNumber(block.subarray(at, at + BLOCK), off, len);
    if (!('error' in r)) return r.value;
    this.note(`Archive contains ${r.error} where numeric ${what} value expected`);
    return 0;
  }

  /** A problem with the entry being made, reported once it is. */
  private note(message: string): void {
    (this.notes ??= []).push(message);
  }

  private want(n: number): undefined {
    this.wanted = n;
    return undefined;
  }

  /**
   * The entry whose header block is at `at`, with the extended headers read before it; consumes
   * its header (and any sparse extension blocks or map). Undefined, with nothing consumed or
   * reported, when those blocks are not all buffered yet.
   */
  private makeEntry(block: Uint8Array, at: number, storedSize: number): Entry | undefined {
    const records = this.records;
    this.notes = undefined;
    const num = (off: number, len: number, what: string) => this.numberField(block, at, off, len, what);
    const headerFormat = detectFormat(block, at);
    const flag = block[at + 156]!;
    const typeflag = flag === 0 ? '0' : String.fromCharCode(flag);
    let type: EntryType = TYPEFLAG[typeflag] ?? 'other';
    let name = readString(block, at + F.name[0], F.name[1]);
    if (headerFormat === 'ustar' && block[at + F.prefix[0]] !== 0) name = `${readString(block, at + F.prefix[0], F.prefix[1])}/${name}`;
    if (headerFormat === 'star' && block[at + F.starPrefix[0]] !== 0) name = `${readString(block, at + F.starPrefix[0], F.starPrefix[1])}/${name}`;
    if (this.longName !== undefined) name = this.longName;
    let linkname = this.longLink ?? readString(block, at + F.linkname[0], F.linkname[1]);
    const mode = num(F.mode[0], F.mode[1], 'mode_t') & 0o7777;
    let uid = num(F.uid[0], F.uid[1], 'uid_t');
    let gid = num(F.gid[0], F.gid[1], 'gid_t');
    let mtime = num(F.mtime[0], F.mtime[1], 'time_t');
    let uname = this.owners.user(block, at + F.uname[0]);
    let gname = this.owners.group(block, at + F.gname[0]);
    let devmajor = 0;
    let devminor = 0;
    if (type === 'chardev' || type === 'blockdev') {
      devmajor = num(F.devmajor[0], F.devmajor[1], 'major_t');
      devminor = num(F.devminor[0], F.devminor[1], 'minor_t');
    }
    let atime: number | undefined;
    let ctime: number | undefined;
    if (headerFormat === 'oldgnu' && block[at + F.atime[0]] !== 0) {
      atime = num(F.atime[0], F.atime[1], 'time_t');
      ctime = num(F.ctime[0], F.ctime[1], 'time_t');
    } else if (headerFormat === 'star') {
      atime = num(F.starAtime[0], F.starAtime[1], 'time_t');
      ctime = num(F.starCtime[0], F.starCtime[1], 'time_t');
    }
    let size = storedSize;
    let format: Format = headerFormat === 'oldgnu' ? 'gnu' : headerFormat;

    // pax records override the header; most entries have none and share one empty map
    let pax = NO_RECORDS;
    let sparse: SparseRange[] | undefined;
    let realSize = size;
    let sparseMapInData = false;
    if (records?.length || this.globals.size) {
      format = 'pax';
      pax = new Map(this.globals);
      const sparseBlocks: number[] = [];
      for (const r of records ?? NO_PAX_RECORDS) {
        if (r.key === 'GNU.sparse.offset' || r.key === 'GNU.sparse.numbytes') sparseBlocks.push(Number(r.value));
        if (r.value === '') pax.delete(r.key);
        else pax.set(r.key, r.value);
      }
      const numeric = (key: string, keep: number): number => {
        const v = pax.get(key);
        if (v === undefined) return keep;
        const n = parsePaxNumber(v);
        if (n === undefined) {
          this.note(`Malformed extended header: invalid ${key}=${v}`);
          return keep;
        }
        return n;
      };
      // Times as GNU reads them: the leading number, whatever follows it.
      const time = (key: string, keep: number): number => {
        const v = pax.get(key);
        if (v === undefined) return keep;
        const m = /^-?\d+(\.\d+)?/.exec(v);
        if (!m) this.note(`Malformed extended header: invalid ${key}=${v}`);
        return m ? Number(m[0]) : keep;
      };
      name = pax.get('path') ?? name;
      linkname = pax.get('linkpath') ?? linkname;
      uname = pax.get('uname') ?? uname;
      gname = pax.get('gname') ?? gname;
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
      realSize = size;
      if (typeflag !== 'S' && (pax.has('GNU.sparse.major') || pax.has('GNU.sparse.map') || sparseBlocks.length || pax.has('GNU.sparse.size'))) {
        if (pax.get('GNU.sparse.major') === '1') sparseMapInData = true;
        else if (pax.has('GNU.sparse.map')) sparse = pairs(pax.get('GNU.sparse.map')!.split(',').map(Number));
        else sparse = pairs(sparseBlocks);
        if (pax.has('GNU.sparse.name')) name = pax.get('GNU.sparse.name')!;
        realSize = numeric('GNU.sparse.realsize', numeric('GNU.sparse.size', size));
      }
    }
    if (headerFormat === 'oldgnu' && (this.longName !== undefined || this.longLink !== undefined)) format = 'gnu';

    // Old archives mark directories by a trailing slash only.
    if ((typeflag === '0' || typeflag === '7') && headerFormat === 'v7' && name.endsWith('/')) type = 'directory';
    if (flag === 0 && name.endsWith('/')) type = 'directory';

    // Only files have bodies (and GNU dumpdirs): old archivers set a size on directories and hard
    // links anyway, which GNU tar and libarchive ignore.
    const hasBody = type === 'file' || type === 'contiguous' || typeflag === 'D' || type === 'other' || type === 'solaris-acl';
    let headerBytes = BLOCK;
    let mapBytes = 0;
    if (typeflag === 'S') {
      const r = this.oldGnuSparse(block, at);
      if (!r) return undefined;
      sparse = r.map;
      realSize = r.realSize;
      headerBytes = r.bytes;
    } else if (sparseMapInData) {
      const r = this.sparseMapFromData(at + BLOCK, hasBody ? size : 0, name);
      if (!r) return undefined;
      sparse = r.map;
      mapBytes = r.bytes;
    }

    // everything is here: commit
    this.consume(headerBytes + mapBytes);
    const notes = this.notes as string[] | undefined; // filled by numberField() and note()
    if (notes) for (const m of notes) this.warn(m, 2);
    const entry = new Entry(
      this,
      name,
      linkname,
      type,
      typeflag,
      mode,
      uid,
      gid,
      uname,
      gname,
      hasBody ? size - mapBytes : 0,
      hasBody || type === 'directory' ? realSize : 0, // a directory's shows in listings, as GNU's does
      mtime,
      atime,
      ctime,
      devmajor,
      devminor,
      format,
      pax,
      records ?? NO_PAX_RECORDS,
      this.headerOffset,
      hasBody ? size : 0,
      mapBytes,
    );
    if (sparse) {
      const problem = checkSparseMap(sparse, entry.remaining);
      if (problem) {
        this.warn(`${name}: ${problem}`, 2);
        entry.malformed = true;
      }
      entry.setSparse(sparse);
    }
    return entry;
  }

  /** The map of a GNU old-style sparse header ('S'): four ranges in the header, more in extension
   *  blocks that follow it while `isextended` is set. Undefined when those are not buffered yet. */
  private oldGnuSparse(block: Uint8Array, at: number): { map: SparseRange[]; realSize: number; bytes: number } | undefined {
    // the extension blocks first: all of them must be here
    let bytes = BLOCK;
    for (let extended = block[at + F.isextended[0]] !== 0; extended; bytes += BLOCK) {
      if (this.available < bytes + BLOCK) {
        if (!this.eof) return this.want(bytes + BLOCK);
        throw new ArchiveError('Unexpected EOF in archive');
      }
      extended = this.buf[at + bytes + 504] !== 0;
    }
    const map: SparseRange[] = [];
    const readRanges = (start: number, count: number) => {
      const b = this.buf.subarray(start, start + BLOCK);
      for (let i = 0; i < count; i++) {
        const off = (start === at ? F.sparse[0] : 0) + i * 24;
        if (b[off] === 0) break;
        const o = readNumber(b, off, 12);
        const l = readNumber(b, off + 12, 12);
        if ('error' in o || 'error' in l) throw new ArchiveError('Malformed sparse header');
        map.push({ offset: o.value, length: l.value });
      }
    };
    readRanges(at, 4);
    for (let ext = at + BLOCK; ext < at + bytes; ext += BLOCK) readRanges(ext, 21);
    const real = readNumber(block.subarray(at, at + BLOCK), F.realsize[0], F.realsize[1]);
    return { map, realSize: 'error' in real ? 0 : real.value, bytes };
  }

  /** GNU sparse 1.0: the map is written at the start of the body as decimal lines (count, then
   *  offset and size pairs), padded to a block. Undefined when it is not all buffered yet. */
  private sparseMapFromData(start: number, bodySize: number, name: string): { map: SparseRange[]; bytes: number } | undefined {
    const numbers: number[] = [];
    let want = -1;
    let line = '';
    let used = 0;
    while (want < 0 || numbers.length < want * 2) {
      if (bodySize - used < BLOCK) throw new ArchiveError(`${name}: malformed sparse archive member`);
      if (this.available < start - this.pos + used + BLOCK) {
        if (!this.eof) return this.want(start - this.pos + used + BLOCK);
        throw new ArchiveError('Unexpected EOF in archive');
      }
      const block = this.buf.subarray(start + used, start + used + BLOCK);
      used += BLOCK;
      for (let i = 0; i < BLOCK && (want < 0 || numbers.length < want * 2); i++) {
        const c = block[i]!;
        if (c !== 0x0a) {
          line += String.fromCharCode(c);
          continue;
        }
        if (!/^\d+$/.test(line)) throw new ArchiveError(`${name}: malformed sparse archive member`);
        if (want < 0) want = Number(line);
        else numbers.push(Number(line));
        line = '';
      }
      if (used > this.maxExtended) throw new ArchiveError(`${name}: sparse map too large`);
    }
    return { map: pairs(numbers), bytes: used };
  }

  // ---- bodies (called by Entry) ----

  /** @internal Body bytes without waiting: buffered, or read from a synchronous source;
   *  undefined when they must be awaited (readBody). `lend`: the caller may keep the chunk. */
  bodySync(max: number, lend: boolean): Uint8Array | undefined {
    if (this.available > 0) {
      if (lend) this.lent = true;
      return this.takeBuffered(max);
    }
    if (!this.syncSource) return undefined;
    const chunk = this.pullSync();
    if (!chunk) throw new ArchiveError('Unexpected EOF in archive');
    this.buf = chunk;
    this.pos = 0;
    if (lend) this.lent = true;
    return this.takeBuffered(max);
  }

  /** @internal */
  async readBody(max: number): Promise<Uint8Array> {
    const chunk = await this.take(max);
    this.lent = true;
    if (chunk.length === 0) throw new ArchiveError('Unexpected EOF in archive');
    return chunk;
  }

  /** @internal Pass over n body bytes now. */
  async skipBody(n: number): Promise<void> {
    this.discard += n;
    while (!this.discardSync()) await this.fill();
  }
}

/** The uname and gname fields, as strings made only when they differ from the last header's. */
class NameFields {
  private readonly last = [new Uint8Array(32), new Uint8Array(32)];
  private readonly text = ['', ''];
  user(b: Uint8Array, off: number): string {
    return this.read(0, b, off);
  }
  group(b: Uint8Array, off: number): string {
    return this.read(1, b, off);
  }
  private read(which: number, b: Uint8Array, off: number): string {
    const last = this.last[which]!;
    let same = true;
    for (let i = 0; i < 32; i++) {
      const c = b[off + i]!;
      if (c !== last[i]) {
        same = false;
        break;
      }
      if (c === 0) break;
    }
    if (same) return this.text[which]!;
    const text = readString(b, off, 32);
    last.fill(0);
    last.set(b.subarray(off, off + Math.min(32, text.length + 1)));
    this.text[which] = text;
    return text;
  }
}

function pairs(numbers: number[]): SparseRange[] {
  const map: SparseRange[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) map.push({ offset: numbers[i]!, length: numbers[i + 1]! });
  return map;
}

/** A map is sane when its ranges are in order and fit in the stored data (GNU tar skips what
 *  the map leaves over). */
function checkSparseMap(map: readonly SparseRange[], stored: number): string | undefined {
  let end = 0;
  let total = 0;
  for (const r of map) {
    if (!Number.isSafeInteger(r.offset) || !Number.isSafeInteger(r.length) || r.offset < end || r.length < 0) return 'malformed sparse archive member';
    end = r.offset + r.length;
    total += r.length;
  }
  if (total > stored) return 'malformed sparse archive member';
  return undefined;
}

class Entry implements TarEntry {
  sparse?: readonly SparseRange[];
  /** The sparse map did not add up: the body is skipped, not given out. */
  malformed = false;
  /** Body bytes not yet read. */
  remaining: number;
  private padding: number;
  /** Position in the real file of the next body byte. */
  private filePos = 0;
  private rangeIndex = 0;
  private rangeLeft = 0;

  constructor(
    private readonly reader: TarReader,
    readonly name: string,
    readonly linkname: string,
    readonly type: EntryType,
    readonly typeflag: string,
    readonly mode: number,
    readonly uid: number,
    readonly gid: number,
    readonly uname: string,
    readonly gname: string,
    readonly size: number,
    readonly realSize: number,
    readonly mtime: number,
    readonly atime: number | undefined,
    readonly ctime: number | undefined,
    readonly devmajor: number,
    readonly devminor: number,
    readonly format: Format,
    readonly pax: ReadonlyMap<string, string>,
    readonly paxRecords: readonly PaxRecord[],
    readonly headerOffset: number,
    /** Bytes stored after the header, padding excluded (a sparse 1.0 map included). */
    stored: number,
    /** Of those, the sparse map already read. */
    mapBytes: number,
  ) {
    this.remaining = stored - mapBytes;
    this.padding = (BLOCK - (stored % BLOCK)) % BLOCK;
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
    const chunk = this.reader.bodySync(max, true) ?? (await this.reader.readBody(max));
    this.advance(chunk.length);
    return chunk;
  }

  async pipe(sink: BodySink): Promise<void> {
    if (this.malformed) return this.skip();
    for (;;) {
      const max = this.limit();
      if (max <= 0) return;
      const chunk = this.reader.bodySync(max, true) ?? (await this.reader.readBody(max));
      const r = sink(chunk, this.advance(chunk.length));
      if (r) await r;
    }
  }

  pipeSync(sink: (chunk: Uint8Array, position: number) => void): boolean {
    if (this.malformed) return true; // the body is passed over with the next entry
    for (;;) {
      const max = this.limit();
      if (max <= 0) return true;
      const chunk = this.reader.bodySync(max, false);
      if (!chunk) return false;
      sink(chunk, this.advance(chunk.length));
    }
  }

  async bytes(): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    await this.pipe((c) => void parts.push(c));
    return Buffer.concat(parts);
  }

  async skip(): Promise<void> {
    const n = this.remaining;
    this.remaining = 0;
    this.rangeLeft = 0;
    if (n > 0) await this.reader.skipBody(n);
  }

  /** @internal The bytes of the body and its padding nobody read; the entry is done. */
  release(): number {
    const n = this.remaining + this.padding;
    this.remaining = 0;
    this.rangeLeft = 0;
    this.padding = 0;
    return n;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let c = await this.read(); c; c = await this.read()) yield c;
  }
}
