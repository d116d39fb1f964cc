// The listing itself, as GNU ls does it: gather the files of one batch (the command line, or one
// directory), stat what the format needs, sort, then print in the chosen format with the widths of
// that batch. Directories are listed one at a time through the streaming walk, so ls -R over a huge
// tree holds one directory's entries at a time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { errorCode, errorText } from '../../core/errors.js';
import { fitColumns, formatBlocks, indent } from '../../core/format.js';
import { canonicalize } from '../../core/canonicalize.js';
import { joinPath } from '../../core/fs.js';
import { resolvePath } from '../../core/context.js';
import { groupByGid, userByUid } from '../../core/ids.js';
import { modeString } from '../../core/mode.js';
import { isPrintableCodePoint, quotearg, quoteaf, quotef, utf8At } from '../../core/quote.js';
import { localtime, now as currentTime, strftime, type Zone, zoneFromEnv } from '../../core/time.js';
import { filevercmp } from '../../core/vercmp.js';
import { type EntryType, walk, type WalkEntry } from '../../core/walk.js';
import type { Config } from './config.js';
import type { Indicator } from './colors.js';

type FileType = 'unknown' | 'fifo' | 'chardev' | 'directory' | 'blockdev' | 'normal' | 'symlink' | 'sock' | 'argdir';

const TYPE_LETTER: Record<FileType, string> = {
  unknown: '?',
  fifo: 'p',
  chardev: 'c',
  directory: 'd',
  blockdev: 'b',
  normal: '-',
  symlink: 'l',
  sock: 's',
  argdir: 'd',
};

/** The status fields ls uses (Node's Stats has them; --full-time builds them from bigint stats). */
type St = Pick<fs.Stats, 'mode' | 'nlink' | 'uid' | 'gid' | 'rdev' | 'size' | 'blocks' | 'ino'>;

interface FileInfo {
  /** The name as shown: the operand as given, or the directory entry's name. */
  name: string;
  /** The path for system calls. */
  path: string;
  st?: St;
  /** The time shown or sorted by, in milliseconds (NaN: not available, as birth time may be). */
  time: number;
  /** Its exact nanoseconds, when a time format prints them. */
  nsec: number;
  type: FileType;
  linkname?: string;
  linkmode: number;
  linkok: boolean;
  /** Whether the quoted name differs from the name (-1: not yet known). */
  quoted: number;
  /** Display width of the quoted name (with its alignment pad), once computed. */
  width: number;
  /** Its size and its blocks as printed (computed with the column widths). */
  sizeText?: string;
  blocksText?: string;
  /** The type its directory listing gave (for the walk, with -R). */
  dtype?: EntryType;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFIFO = 0o010000;
const S_IFSOCK = 0o140000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

function typeFromMode(mode: number): FileType {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return 'normal';
    case S_IFDIR:
      return 'directory';
    case S_IFLNK:
      return 'symlink';
    case S_IFIFO:
      return 'fifo';
    case S_IFSOCK:
      return 'sock';
    case S_IFCHR:
      return 'chardev';
    case S_IFBLK:
      return 'blockdev';
    default:
      return 'unknown';
  }
}

const ENTRY_TYPES: Record<string, FileType> = {
  file: 'normal',
  dir: 'directory',
  symlink: 'symlink',
  fifo: 'fifo',
  socket: 'sock',
  char: 'chardev',
  block: 'blockdev',
  unknown: 'unknown',
};

const SIX_MONTHS = 31556952 / 2;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export class Lister {
  private text = '';
  private status = 0;
  private files: FileInfo[] = [];
  // Column widths of the current batch.
  private inodeWidth = 0;
  private blockWidth = 0;
  private nlinkWidth = 0;
  private ownerWidth = 0;
  private groupWidth = 0;
  private authorWidth = 0;
  private contextWidth = 0;
  private majorWidth = 0;
  private minorWidth = 0;
  private sizeWidth = 0;
  private someQuoted = false;
  private firstDir = true;
  private printDirName = true;
  private usedColor = false;
  private readonly zone: Zone;
  private nowSec: number;
  private nowNsec: number;
  private readonly needStat: boolean;
  private readonly needType: boolean;
  private readonly needNs: boolean;
  private readonly statAlways: boolean;
  private readonly qmarkFurther: boolean;
  private readonly statTypes = new Set<FileType>();
  private readonly userCache = new Map<number, string | undefined>();
  private readonly groupCache = new Map<number, string | undefined>();
  private readonly userWidthCache = new Map<number, number>();
  private readonly columnCache = new Map<number, string>();
  private readonly groupWidthCache = new Map<number, number>();
  private readonly timeCache = new Map<number, string>();
  private hostname?: string;
  // --dired bookkeeping: bytes written, and the positions of names and directory headers.
  private pos = 0;
  private readonly diredNames: number[] = [];
  private readonly diredDirs: number[] = [];

  constructor(
    private readonly ctx: Ctx<unknown>,
    private readonly c: Config,
  ) {
    this.zone = zoneFromEnv(ctx.env);
    const t = currentTime();
    this.nowSec = t.sec;
    this.nowNsec = t.nsec;
    this.qmarkFurther = c.qmark && (c.quoting === 'shell' || c.quoting === 'shell-always' || c.quoting === 'literal');
    this.needStat = c.sort === 'time' || c.sort === 'size' || c.format === 'long' || c.blocks || c.hyperlink;
    this.needType = !this.needStat && (c.recursive || !!c.colors || c.context || c.dirsFirst || c.indicator !== 'none');
    this.needNs = c.timeFormats.some((f) => f.includes('%N'));
    // GNU's check_stat, by the type readdir gave (what does not depend on the type, once).
    const colors = c.colors;
    this.statAlways = c.hyperlink || this.needStat || c.inode;
    const add = (...types: FileType[]) => types.forEach((t) => this.statTypes.add(t));
    if (this.needType) add('unknown');
    if (colors && (colors.isColored('ow') || colors.isColored('st') || colors.isColored('tw'))) add('directory', 'unknown');
    if (this.needType && (c.dereference === 'always' || !!colors?.symlinkAsReferent || c.checkSymlinks)) add('symlink', 'unknown');
    if (c.indicator === 'classify' || (colors && (colors.isColored('ex') || colors.isColored('su') || colors.isColored('sg')))) add('normal', 'unknown');
  }

  /** List the operands (none: the working directory); returns ls's exit status. */
  async run(operands: readonly string[]): Promise<number> {
    const c = this.c;
    for (const w of c.warnings) await this.warn(w, 0);
    const dirs: FileInfo[] = [];
    if (operands.length === 0) {
      if (c.directoryItself) this.gobble('.', '.', 'directory', true);
      else dirs.push(this.dirInfo('.'));
    } else for (const name of operands) this.gobble(name, name, 'unknown', true);
    if (this.files.length) {
      this.sortFiles();
      if (!c.directoryItself) {
        // Directories named on the command line are listed after the other files.
        const rest: FileInfo[] = [];
        for (const f of this.files) (f.type === 'argdir' || f.type === 'directory' ? dirs : rest).push(f);
        this.files = rest;
      }
    }
    await this.flushErrors();
    if (this.files.length) {
      await this.printFiles();
      if (dirs.length) this.emit('\n');
    } else if (operands.length <= 1 && dirs.length === 1) this.printDirName = false;
    if (dirs.length) await this.listDirectories(dirs);
    if (c.colors && this.usedColor) {
      const lc = c.colors.get('lc');
      const rc = c.colors.get('rc');
      if (!(lc === '\x1b[' && rc === 'm')) this.emit((lc ?? '') + (rc ?? ''));
    }
    if (c.dired) {
      if (this.diredNames.length) this.emit(`//DIRED// ${this.diredNames.join(' ')}\n`);
      if (this.diredDirs.length) this.emit(`//SUBDIRED// ${this.diredDirs.join(' ')}\n`);
      this.emit(`//DIRED-OPTIONS// --quoting-style=${c.quoting}\n`);
    }
    await this.drain(true);
    return this.status;
  }

  /** A path for system calls (relative ones from the working directory). */
  private os(path: string): string {
    return resolvePath(this.ctx.cwd, path);
  }

  private dirInfo(name: string): FileInfo {
    return { name, path: name, type: 'argdir', time: 0, nsec: 0, linkmode: 0, linkok: false, quoted: -1, width: 0 };
  }

  // ----- errors -----

  private pendingErrors: [string, boolean][] = [];

  /** Report a failure (`serious`: status 2, else 1). Messages wait for the output before them. */
  private fail(message: string, serious: boolean): void {
    this.pendingErrors.push([message, serious]);
  }

  private async flushErrors(): Promise<void> {
    if (!this.pendingErrors.length) return;
    for (const [message, serious] of this.pendingErrors) await this.warn(message, serious ? 2 : 1);
    this.pendingErrors = [];
  }

  private async warn(message: string, status: number): Promise<void> {
    await this.drain(true);
    await this.ctx.stderr.write(`${this.ctx.name}: ${message}\n`);
    if (status === 2) this.status = 2;
    else if (status === 1 && this.status === 0) this.status = 1;
  }

  // ----- gathering -----

  private clear(): void {
    this.files = [];
    this.someQuoted = false;
    this.inodeWidth = this.blockWidth = this.nlinkWidth = this.ownerWidth = this.groupWidth = 0;
    this.authorWidth = this.contextWidth = this.majorWidth = this.minorWidth = this.sizeWidth = 0;
  }

  /** stat or lstat a file, noting the time ls shows in `f`. Throws the system error. */
  private statOf(f: FileInfo, follow: boolean): St {
    const which = this.c.time;
    if (this.needNs) {
      const s = follow ? fs.statSync(fsPath(this.os(f.path)), { bigint: true }) : fs.lstatSync(fsPath(this.os(f.path)), { bigint: true });
      const ns = which === 'ctime' ? s.ctimeNs : which === 'atime' ? s.atimeNs : which === 'btime' ? s.birthtimeNs : s.mtimeNs;
      const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
      f.time = which === 'btime' && ns === 0n ? Number.NaN : Number(sec) * 1000 + Number(ns - sec * 1000000000n) / 1e6;
      f.nsec = Number(ns - sec * 1000000000n);
      return {
        mode: Number(s.mode),
        nlink: Number(s.nlink),
        uid: Number(s.uid),
        gid: Number(s.gid),
        rdev: Number(s.rdev),
        size: Number(s.size),
        blocks: Number(s.blocks),
        ino: Number(s.ino),
      };
    }
    const s = follow ? fs.statSync(fsPath(this.os(f.path))) : fs.lstatSync(fsPath(this.os(f.path)));
    const ms = which === 'ctime' ? s.ctimeMs : which === 'atime' ? s.atimeMs : which === 'btime' ? s.birthtimeMs : s.mtimeMs;
    f.time = which === 'btime' && ms === 0 ? Number.NaN : ms;
    return s;
  }

  /** GNU's gobble_file: add one file to the batch; returns its blocks. */
  private gobble(name: string, path: string, type: FileType, cmdline: boolean, dtype?: EntryType): number {
    const c = this.c;
    const f: FileInfo = { name, path, type, time: 0, nsec: 0, linkmode: 0, linkok: false, quoted: -1, width: 0, dtype };
    if (!this.someQuoted && c.alignQuotes) {
      f.quoted = this.needsQuoting(name) ? 1 : 0;
      if (f.quoted) this.someQuoted = true;
    }
    if (cmdline || this.statAlways || this.statTypes.has(type)) {
      let st: St | undefined;
      let err: unknown;
      const deref = c.dereference;
      try {
        if (deref === 'always') st = this.statOf(f, true);
        else if (cmdline && (deref === 'cmdline' || deref === 'cmdline-dirs')) {
          try {
            st = this.statOf(f, true);
            if (deref === 'cmdline-dirs' && (st.mode & S_IFMT) !== S_IFDIR) st = this.statOf(f, false);
          } catch (e) {
            const code = errorCode(e);
            if (deref === 'cmdline' || (code !== 'ENOENT' && code !== 'ELOOP')) throw e;
            st = this.statOf(f, false);
          }
        } else st = this.statOf(f, false);
      } catch (e) {
        err = e;
      }
      if (!st) {
        this.fail(`cannot access ${quoteaf(path, c.utf8)}: ${errorText(err)}`, cmdline);
        if (cmdline) return 0;
        this.files.push(f);
        return 0;
      }
      f.st = st;
      f.type = type = typeFromMode(st.mode);
    }
    if (type === 'directory' && cmdline && !c.directoryItself) f.type = type = 'argdir';
    if (type === 'symlink' && (c.format === 'long' || c.checkSymlinks)) {
      try {
        f.linkname = fs.readlinkSync(fsPath(this.os(path)), { encoding: 'latin1' });
      } catch (e) {
        this.fail(`cannot read symbolic link ${quoteaf(path, c.utf8)}: ${errorText(e)}`, cmdline);
      }
      if (f.linkname !== undefined && (c.indicator === 'file-type' || c.indicator === 'classify' || c.checkSymlinks)) {
        try {
          f.linkmode = fs.statSync(fsPath(this.os(path))).mode;
          f.linkok = true;
        } catch {
          // dangling: linkok stays false
        }
      }
    }
    const st = f.st;
    const blocks = st ? st.blocks : 0;
    if (st) {
      if (c.format === 'long' || c.blocks) {
        f.blocksText = formatBlocks(blocks, 512, c.blockSize);
        if (this.blockWidth < f.blocksText.length) this.blockWidth = f.blocksText.length;
      }
      if (c.format === 'long') {
        if (c.owner) this.ownerWidth = Math.max(this.ownerWidth, this.idWidth(st.uid, false));
        if (c.group) this.groupWidth = Math.max(this.groupWidth, this.idWidth(st.gid, true));
        if (c.author) this.authorWidth = Math.max(this.authorWidth, this.idWidth(st.uid, false));
        const nlinkDigits = digits(st.nlink);
        if (this.nlinkWidth < nlinkDigits) this.nlinkWidth = nlinkDigits;
        if (type === 'chardev' || type === 'blockdev') {
          this.majorWidth = Math.max(this.majorWidth, String(major(st.rdev)).length);
          this.minorWidth = Math.max(this.minorWidth, String(minor(st.rdev)).length);
          this.sizeWidth = Math.max(this.sizeWidth, this.majorWidth + 2 + this.minorWidth);
        } else {
          f.sizeText = formatBlocks(st.size, 1, c.fileSize);
          if (this.sizeWidth < f.sizeText.length) this.sizeWidth = f.sizeText.length;
        }
      }
      if (c.inode) this.inodeWidth = Math.max(this.inodeWidth, String(st.ino).length);
    }
    if (c.context) this.contextWidth = Math.max(this.contextWidth, 1);
    this.files.push(f);
    return blocks;
  }

  private needsQuoting(name: string): boolean {
    const q = quotearg(name, this.c.quoting, { utf8: this.c.utf8, alsoQuote: this.c.alsoQuote });
    return q.length !== name.length || q[0] !== name[0];
  }

  private userName(uid: number): string | undefined {
    if (this.c.numericIds) return undefined;
    if (!this.userCache.has(uid)) this.userCache.set(uid, userByUid(uid)?.name);
    return this.userCache.get(uid);
  }

  private groupName(gid: number): string | undefined {
    if (this.c.numericIds) return undefined;
    if (!this.groupCache.has(gid)) this.groupCache.set(gid, groupByGid(gid)?.name);
    return this.groupCache.get(gid);
  }

  private idWidth(id: number, isGroup: boolean): number {
    const cache = isGroup ? this.groupWidthCache : this.userWidthCache;
    let w = cache.get(id);
    if (w === undefined) {
      const name = isGroup ? this.groupName(id) : this.userName(id);
      w = name === undefined ? String(id).length : this.textWidth(name);
      cache.set(id, w);
    }
    return w;
  }

  /** Columns a user or group name takes (GNU: mbswidth, 0 when not printable). */
  private textWidth(s: string): number {
    return this.visibleWidth(s);
  }

  // ----- sorting -----

  private sortFiles(): void {
    const c = this.c;
    if (c.sort === 'none') return;
    const byName = (a: FileInfo, b: FileInfo) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    let key: (a: FileInfo, b: FileInfo) => number;
    switch (c.sort) {
      case 'time':
        // (to the millisecond and a bit, as Node's stat gives it without --full-time)
        key = (a, b) => (b.time || 0) - (a.time || 0) || b.nsec - a.nsec || byName(a, b);
        break;
      case 'size':
        key = (a, b) => (b.st?.size ?? 0) - (a.st?.size ?? 0) || byName(a, b);
        break;
      case 'extension':
        key = (a, b) => {
          const ea = a.name.lastIndexOf('.');
          const eb = b.name.lastIndexOf('.');
          const xa = ea < 0 ? '' : a.name.slice(ea);
          const xb = eb < 0 ? '' : b.name.slice(eb);
          return xa < xb ? -1 : xa > xb ? 1 : byName(a, b);
        };
        break;
      case 'width':
        key = (a, b) => this.nameWidth(a) - this.nameWidth(b) || byName(a, b);
        break;
      case 'version':
        key = (a, b) => filevercmp(a.name, b.name) || byName(a, b);
        break;
      default:
        key = byName;
    }
    const directed = c.reverse ? (a: FileInfo, b: FileInfo) => key(b, a) : key;
    const cmp = c.dirsFirst ? (a: FileInfo, b: FileInfo) => Number(isLinkedDir(b)) - Number(isLinkedDir(a)) || directed(a, b) : directed;
    this.files.sort(cmp);
  }

  // ----- directories -----

  private async listDirectories(dirs: FileInfo[]): Promise<void> {
    const c = this.c;
    for (const e of walk(
      dirs.map((d) => d.path),
      { follow: c.dereference === 'always' ? 'all' : 'roots', cwd: this.ctx.cwd },
    )) {
      if (this.ctx.signal.aborted) break;
      const cmdline = e.depth === 0;
      if (e.phase === 'loop') {
        await this.warn(`${quotef(e.path, c.utf8)}: not listing already-listed directory`, 2);
        continue;
      }
      if (e.phase === 'leaf' && e.error) {
        // Gone, or no longer examinable, since it was listed in its parent.
        await this.warn(`cannot open directory ${quoteaf(e.path, c.utf8)}: ${errorText(e.error)}`, cmdline ? 2 : 1);
        continue;
      }
      if (e.phase !== 'pre') continue;
      await this.listDirectory(e, cmdline);
      this.printDirName = true;
    }
  }

  private async listDirectory(dir: WalkEntry, cmdline: boolean): Promise<void> {
    const c = this.c;
    this.clear();
    // The header comes once the directory is open: taken back if it cannot be.
    const before = { text: this.text.length, pos: this.pos, first: this.firstDir, dired: this.diredDirs.length };
    if (c.recursive || this.printDirName) {
      if (!this.firstDir) this.emit('\n');
      this.firstDir = false;
      if (c.dired) this.emit('  ');
      const start = this.pos;
      // Directory headers quote `:` as well, but not -b's space or -F's indicators.
      this.printQuoted(dir.path, ':', undefined, true, c.hyperlink ? this.absolute(dir.path) : undefined);
      if (c.dired) this.diredDirs.push(start, this.pos);
      this.emit(':\n');
    }
    let total = 0;
    let read = 0;
    const dirPath = dir.path;
    try {
      dir.forEachName((name, type) => {
        if (read++ === 0 && c.ignoreMode === 'none') {
          // Node's readdir leaves out . and ..; GNU lists them where readdir puts them (first, here).
          for (const dot of ['.', '..']) if (!this.ignored(dot)) total += this.gobble(dot, attach(dirPath, dot), 'directory', false);
        }
        if (!this.ignored(name)) total += this.gobble(name, attach(dirPath, name), ENTRY_TYPES[type]!, false, type);
      }, c.sort === 'none');
      if (read === 0 && c.ignoreMode === 'none') {
        for (const dot of ['.', '..']) if (!this.ignored(dot)) total += this.gobble(dot, attach(dirPath, dot), 'directory', false);
      }
    } catch (err) {
      if (read === 0) {
        this.text = this.text.slice(0, before.text);
        this.pos = before.pos;
        this.firstDir = before.first;
        this.diredDirs.length = before.dired;
        dir.skip();
        await this.warn(`cannot open directory ${quoteaf(dirPath, c.utf8)}: ${errorText(err)}`, cmdline ? 2 : 1);
        return;
      }
      this.fail(`reading directory ${quoteaf(dirPath, c.utf8)}: ${errorText(err)}`, cmdline);
    }
    this.sortFiles();
    const subdirs: WalkEntry[] = [];
    if (c.recursive) {
      for (const f of this.files) {
        if ((f.type === 'directory' || f.type === 'argdir') && f.name !== '.' && f.name !== '..') subdirs.push(dir.child(f.name, f.dtype));
      }
    }
    dir.setChildren(subdirs);
    await this.flushErrors();
    if (c.format === 'long' || c.blocks) {
      if (c.dired) this.emit('  ');
      this.emit(`total ${formatBlocks(total, 512, c.blockSize)}${c.eol}`);
    }
    if (this.files.length) await this.printFiles();
  }

  private ignored(name: string): boolean {
    const c = this.c;
    if (c.ignoreMode !== 'none' && name[0] === '.' && (c.ignoreMode === 'default' || name === '.' || name === '..')) return true;
    if (c.ignoreMode === 'default' && c.hide.some((m) => m(name))) return true;
    return c.ignore.some((m) => m(name));
  }

  // ----- printing -----

  /** Output, collected: written out by drain() between files, so printing stays synchronous. */
  private emit(s: string): void {
    this.pos += s.length;
    this.text += s;
  }

  /** Write what was collected once there is enough of it (or all of it). */
  private async drain(all = false): Promise<void> {
    if (!all && this.text.length < 65536) return;
    const text = this.text;
    this.text = '';
    if (text) await this.ctx.stdout.write(text);
  }

  private async printFiles(): Promise<void> {
    const c = this.c;
    switch (c.format) {
      case 'one':
        for (const f of this.files) {
          this.printNameAndFrills(f, 0);
          this.emit(c.eol);
          if (this.text.length >= 65536) await this.drain();
        }
        break;
      case 'many':
      case 'horizontal':
        if (!c.lineLength) await this.printWithSeparator(' ');
        else await this.printColumns(c.format === 'many');
        break;
      case 'commas':
        await this.printWithSeparator(',');
        break;
      case 'long':
        for (const f of this.files) {
          this.setNormalColor();
          this.printLong(f);
          this.emit(c.eol);
          if (this.text.length >= 65536) await this.drain();
        }
        break;
    }
  }

  private async printColumns(byColumns: boolean): Promise<void> {
    const c = this.c;
    const n = this.files.length;
    const lengths = this.files.map((f) => this.lengthWithFrills(f));
    const layout = fitColumns(lengths, c.lineLength, byColumns);
    if (byColumns) {
      const rows = Math.ceil(n / layout.columns);
      for (let row = 0; row < rows; row++) {
        let col = 0;
        let filesno = row;
        let pos = 0;
        for (;;) {
          const f = this.files[filesno]!;
          const nameLength = lengths[filesno]!;
          const maxNameLength = layout.widths[col++]!;
          this.printNameAndFrills(f, pos);
          if (n - rows <= filesno) break;
          filesno += rows;
          this.emit(indent(pos + nameLength, pos + maxNameLength, c.tabSize));
          pos += maxNameLength;
        }
        this.emit(c.eol);
        if (this.text.length >= 65536) await this.drain();
      }
      return;
    }
    let pos = 0;
    let nameLength = lengths[0]!;
    let maxNameLength = layout.widths[0]!;
    this.printNameAndFrills(this.files[0]!, 0);
    for (let filesno = 1; filesno < n; filesno++) {
      const col = filesno % layout.columns;
      if (col === 0) {
        this.emit(c.eol);
        pos = 0;
      } else {
        this.emit(indent(pos + nameLength, pos + maxNameLength, c.tabSize));
        pos += maxNameLength;
      }
      this.printNameAndFrills(this.files[filesno]!, pos);
      nameLength = lengths[filesno]!;
      maxNameLength = layout.widths[col]!;
    }
    this.emit(c.eol);
  }

  private async printWithSeparator(sep: string): Promise<void> {
    const c = this.c;
    let pos = 0;
    for (const [i, f] of this.files.entries()) {
      const len = c.lineLength ? this.lengthWithFrills(f) : 0;
      if (i !== 0) {
        let separator: string;
        if (!c.lineLength || pos + len + 2 < c.lineLength) {
          pos += 2;
          separator = ' ';
        } else {
          pos = 0;
          separator = c.eol;
        }
        this.emit(sep + separator);
      }
      this.printNameAndFrills(f, pos);
      pos += len;
    }
    this.emit(c.eol);
  }

  private lengthWithFrills(f: FileInfo): number {
    const c = this.c;
    const commas = c.format === 'commas';
    let len = 0;
    if (c.inode) len += 1 + (commas ? (f.st ? String(f.st.ino).length : 1) : this.inodeWidth);
    if (c.blocks) len += 1 + (commas ? (f.st ? formatBlocks(f.st.blocks, 512, c.blockSize) : '?').length : this.blockWidth);
    if (c.context) len += 1 + (commas ? 1 : this.contextWidth);
    len += this.nameWidth(f);
    if (c.indicator !== 'none' && this.typeIndicator(!!f.st, f.st?.mode ?? 0, f.type)) len += 1;
    return len;
  }

  private printNameAndFrills(f: FileInfo, startCol: number): number {
    const c = this.c;
    const commas = c.format === 'commas';
    this.setNormalColor();
    if (c.inode) this.emit(`${pad(f.st && f.st.ino ? String(f.st.ino) : '?', commas ? 0 : this.inodeWidth)} `);
    if (c.blocks) this.emit(`${pad(f.st ? formatBlocks(f.st.blocks, 512, c.blockSize) : '?', commas ? 0 : this.blockWidth)} `);
    if (c.context) this.emit(`${pad('?', commas ? 0 : this.contextWidth)} `);
    let width = this.printName(f, false, startCol);
    if (c.indicator !== 'none') {
      const ind = this.typeIndicator(!!f.st, f.st?.mode ?? 0, f.type);
      if (ind) {
        this.emit(ind);
        width++;
      }
    }
    return width;
  }

  private printLong(f: FileInfo): void {
    const c = this.c;
    const st = f.st;
    let line = '';
    if (c.inode) line += `${pad(st && st.ino ? String(st.ino) : '?', this.inodeWidth)} `;
    if (c.blocks) line += `${pad(st ? (f.blocksText ?? formatBlocks(st.blocks, 512, c.blockSize)) : '?', this.blockWidth)} `;
    const mode = st ? this.modeText(st.mode) : `${TYPE_LETTER[f.type]}?????????`;
    line += `${mode} ${pad(st ? String(st.nlink) : '?', this.nlinkWidth)} `;
    if (c.dired) line = `  ${line}`;
    if (c.owner || c.group || c.author || c.context) {
      if (c.owner) line += this.idColumn(st?.uid, false, this.ownerWidth);
      if (c.group) line += this.idColumn(st?.gid, true, this.groupWidth);
      if (c.author) line += this.idColumn(st?.uid, false, this.authorWidth);
      if (c.context) line += this.idColumn(undefined, false, this.contextWidth);
      // GNU counts the name's column from here on (it only decides where to clear to the line's end)
      this.emit(line);
      line = '';
    }
    if (st && (f.type === 'chardev' || f.type === 'blockdev' || (st.mode & S_IFMT) === S_IFCHR || (st.mode & S_IFMT) === S_IFBLK)) {
      const blanks = this.sizeWidth - (this.majorWidth + 2 + this.minorWidth);
      line += `${pad(String(major(st.rdev)), this.majorWidth + Math.max(0, blanks))}, ${pad(String(minor(st.rdev)), this.minorWidth)} `;
    } else line += `${pad(st ? (f.sizeText ?? formatBlocks(st.size, 1, c.fileSize)) : '?', this.sizeWidth)} `;
    line += st && !Number.isNaN(f.time) ? this.formatTime(f) : `${pad('?', this.expectedTimeWidth())}`;
    line += ' ';
    this.emit(line);
    const startCol = this.startColumnQuirk(line);
    const w = this.printName(f, false, startCol, true);
    if (f.type === 'symlink') {
      if (f.linkname !== undefined) {
        this.emit(' -> ');
        this.printName(f, true, startCol + w + 4);
        if (c.indicator !== 'none') {
          const ind = this.typeIndicator(true, f.linkmode, 'unknown');
          if (ind) this.emit(ind);
        }
      }
    } else if (c.indicator !== 'none') {
      const ind = this.typeIndicator(!!st, st?.mode ?? 0, f.type);
      if (ind) this.emit(ind);
    }
  }

  private readonly modeCache = new Map<number, string>();
  private modeText(mode: number): string {
    let m = this.modeCache.get(mode);
    if (m === undefined) {
      m = modeString(mode);
      this.modeCache.set(mode, m);
    }
    return m;
  }

  private startColumnQuirk(line: string): number {
    const c = this.c;
    return c.owner || c.group || c.author || c.context ? line.length : line.length - (c.dired ? 2 : 0);
  }

  /** An owner, group or author column: the name padded on the right, a number on the left, `?`
   *  when unknown (also the security context, which is always unknown here). */
  private idColumn(id: number | undefined, isGroup: boolean, width: number): string {
    if (id === undefined) return `?${' '.repeat(Math.max(0, width - 1) + 1)}`;
    // The same few owners on every line: keep their columns (the widths are fixed per batch).
    const key = (isGroup ? -1 - id : id) * 1024 + width;
    let col = this.columnCache.get(key);
    if (col === undefined) {
      const name = isGroup ? this.groupName(id) : this.userName(id);
      col = name === undefined ? `${pad(String(id), width)} ` : name + ' '.repeat(Math.max(0, width - this.idWidth(id, isGroup)) + 1);
      this.columnCache.set(key, col);
    }
    return col;
  }

  private formatTime(f: FileInfo): string {
    const when = Math.floor(f.time / 1000);
    const nsec = this.needNs ? f.nsec : Math.round((f.time - when * 1000) * 1e6);
    // A time in the future: perhaps the clock moved on; look again.
    if (this.nowSec < when || (this.nowSec === when && this.nowNsec < nsec)) {
      const t = currentTime();
      this.nowSec = t.sec;
      this.nowNsec = t.nsec;
    }
    const sixMonthsAgo = this.nowSec - SIX_MONTHS;
    const recent =
      (sixMonthsAgo < when || (sixMonthsAgo === when && this.nowNsec < nsec)) &&
      (when < this.nowSec || (when === this.nowSec && nsec < this.nowNsec));
    const fmt = this.c.timeFormats[recent ? 1 : 0]!;
    if (this.needNs) return strftime(fmt, localtime(when, this.zone), nsec);
    const key = recent ? when * 2 + 1 : when * 2;
    let s = this.timeCache.get(key);
    if (s === undefined) {
      s = strftime(fmt, localtime(when, this.zone), 0);
      if (this.timeCache.size > 8192) this.timeCache.clear();
      this.timeCache.set(key, s);
    }
    return s;
  }

  private expectedTimeWidth(): number {
    return strftime(this.c.timeFormats[0]!, localtime(0, this.zone), 0).length;
  }

  private typeIndicator(statOk: boolean, mode: number, type: FileType): string {
    const style = this.c.indicator;
    const fmt = mode & S_IFMT;
    if (statOk ? fmt === S_IFREG : type === 'normal') return statOk && style === 'classify' && mode & 0o111 ? '*' : '';
    if (statOk ? fmt === S_IFDIR : type === 'directory' || type === 'argdir') return '/';
    if (style === 'slash') return '';
    if (statOk ? fmt === S_IFLNK : type === 'symlink') return '@';
    if (statOk ? fmt === S_IFIFO : type === 'fifo') return '|';
    if (statOk ? fmt === S_IFSOCK : type === 'sock') return '=';
    return '';
  }

  // ----- names -----

  /** The quoted form of a name as GNU's quote_name_buf makes it (quoted: whether quoting changed
   *  it, which decides the alignment pad), and with -q its unprintable characters as `?`. */
  private quoteName(name: string, alsoQuote: string): { text: string; quoted: boolean } {
    const c = this.c;
    let text = quotearg(name, c.quoting, { utf8: c.utf8, alsoQuote });
    const quoted = text.length !== name.length || text[0] !== name[0];
    if (this.qmarkFurther && !PRINTABLE_ASCII.test(text)) text = this.qmarkText(text);
    return { text, quoted };
  }

  /** -q's replacement of unprintable characters by `?` (multibyte ones whole in UTF-8). */
  private qmarkText(text: string): string {
    if (!this.c.utf8) return text.replace(/[^\x20-\x7e]/g, '?');
    let out = '';
    for (let i = 0; i < text.length; ) {
      const code = text.charCodeAt(i);
      if (code >= 0x20 && code < 0x7f) {
        out += text[i++];
        continue;
      }
      const seq = utf8At(text, i);
      if (seq.length === 0) {
        out += '?';
        i += seq.incomplete ? text.length - i : 1;
        continue;
      }
      out += isPrintableCodePoint(seq.codePoint) ? text.slice(i, i + seq.length) : '?';
      i += seq.length;
    }
    return out;
  }

  /** The display width of a quoted name (after -q's replacement, which prints one column each). */
  private quotedWidth(text: string): number {
    if (PRINTABLE_ASCII.test(text)) return text.length;
    if (this.qmarkFurther) return this.c.utf8 ? this.visibleWidth(text) : text.length;
    return this.visibleWidth(text);
  }

  /** GNU's width of a name as printed (mbsnwidth as coreutils 9.1 calls it): in the C locale the
   *  printable bytes; in UTF-8, each character's columns, control characters 0, undecodable bytes 1. */
  private visibleWidth(s: string): number {
    let w = 0;
    if (!this.c.utf8) {
      for (let i = 0; i < s.length; i++) {
        const code = s.charCodeAt(i);
        if (code >= 0x20 && code < 0x7f) w++;
      }
      return w;
    }
    for (let i = 0; i < s.length; ) {
      const seq = utf8At(s, i);
      if (seq.length === 0) {
        w++;
        i++;
        continue;
      }
      const cp = seq.codePoint;
      if (isPrintableCodePoint(cp)) w += wcwidth(cp);
      else if (!(cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029)) w++;
      i += seq.length;
    }
    return w;
  }

  private nameWidth(f: FileInfo): number {
    if (!f.width) {
      const q = this.quoteName(f.name, this.c.alsoQuote);
      f.width = this.quotedWidth(q.text) + (this.c.alignQuotes && this.someQuoted && !q.quoted ? 1 : 0);
    }
    return f.width;
  }

  private printName(f: FileInfo, target: boolean, startCol: number, recordDired = false): number {
    const c = this.c;
    const name = target ? f.linkname! : f.name;
    const color = c.colors ? this.colorFor(f, target) : undefined;
    const usedColorNow = !!c.colors && (color !== undefined || c.colors.isColored('no'));
    const len = this.printQuoted(
      name,
      c.alsoQuote,
      color,
      !target,
      c.hyperlink ? this.absolute(f.path) : undefined,
      recordDired && c.dired,
    );
    if (usedColorNow) {
      this.prepNonFilename();
      const lineLength = c.lineLength;
      if (lineLength && Math.floor(startCol / lineLength) !== Math.floor((startCol + len - 1) / lineLength)) this.putIndicator('cl');
    }
    return len;
  }

  /** Print a quoted name (with its alignment pad, colour and hyperlink); returns its length. */
  private printQuoted(
    name: string,
    alsoQuote: string,
    color: string | undefined,
    allowPad = true,
    absolute?: string,
    recordDired = false,
  ): number {
    const c = this.c;
    const q = this.quoteName(name, alsoQuote);
    if (!this.someQuoted && color === undefined && absolute === undefined && !recordDired) {
      this.emit(q.text);
      return q.text.length;
    }
    const padded = c.alignQuotes && this.someQuoted && !q.quoted;
    if (padded && allowPad) this.emit(' ');
    if (color !== undefined) {
      if (c.colors!.isColored('no')) this.restoreDefaultColor();
      this.putIndicator('lc');
      this.putRaw(color);
      this.putIndicator('rc');
    }
    let text = q.text;
    let skipQuotes = false;
    if (absolute !== undefined) {
      if (c.alignQuotes && this.someQuoted && !padded) {
        skipQuotes = true;
        this.emit(text[0]!);
      }
      this.hostname ??= fileEscape(os.hostname(), false);
      const n = fileEscape(absolute, true);
      this.emit(`\x1b]8;;file://${this.hostname}${n.startsWith('/') ? '' : '/'}${n}\x07`);
      if (skipQuotes) text = text.slice(1, -1);
    }
    if (recordDired) this.diredNames.push(this.pos);
    this.emit(text);
    if (recordDired) this.diredNames.push(this.pos);
    if (absolute !== undefined) {
      this.emit('\x1b]8;;\x07');
      if (skipQuotes) this.emit(q.text[q.text.length - 1]!);
    }
    return q.text.length + (padded ? 1 : 0);
  }

  private absolute(path: string): string {
    try {
      return canonicalize(path, this.ctx.cwd, 'missing');
    } catch {
      return path.startsWith('/') ? path : joinPath(this.ctx.cwd, path);
    }
  }

  // ----- colour -----

  private putRaw(s: string): void {
    if (!this.usedColor) {
      this.usedColor = true;
      this.prepNonFilename();
    }
    this.emit(s);
  }

  private putIndicator(i: Indicator): void {
    this.putRaw(this.c.colors!.get(i) ?? '');
  }

  private prepNonFilename(): void {
    const colors = this.c.colors!;
    const ec = colors.get('ec');
    if (ec !== undefined) this.putRaw(ec);
    else {
      this.putIndicator('lc');
      this.putIndicator('rs');
      this.putIndicator('rc');
    }
  }

  private restoreDefaultColor(): void {
    this.putIndicator('lc');
    this.putIndicator('rc');
  }

  private setNormalColor(): void {
    const colors = this.c.colors;
    if (colors && colors.isColored('no')) {
      this.putIndicator('lc');
      this.putIndicator('no');
      this.putIndicator('rc');
    }
  }

  /** GNU's get_color_indicator: the sequence for a name (or a link's target), if any. */
  private colorFor(f: FileInfo, target: boolean): string | undefined {
    const colors = this.c.colors!;
    let name: string;
    let mode: number;
    let linkok: number;
    if (target) {
      name = f.linkname!;
      mode = f.linkmode;
      linkok = f.linkok ? 0 : -1;
    } else {
      name = f.name;
      mode = colors.symlinkAsReferent && f.linkok ? f.linkmode : (f.st?.mode ?? 0);
      linkok = f.linkok ? 1 : 0;
    }
    let type: Indicator;
    if (linkok === -1 && colors.isColored('mi')) type = 'mi';
    else if (!f.st && !target) {
      const byType: Record<FileType, Indicator> = {
        unknown: 'or',
        fifo: 'pi',
        chardev: 'cd',
        directory: 'di',
        blockdev: 'bd',
        normal: 'fi',
        symlink: 'ln',
        sock: 'so',
        argdir: 'di',
      };
      type = byType[f.type];
    } else {
      const fmt = mode & S_IFMT;
      if (fmt === S_IFREG) {
        type = 'fi';
        if (mode & 0o4000 && colors.isColored('su')) type = 'su';
        else if (mode & 0o2000 && colors.isColored('sg')) type = 'sg';
        else if (mode & 0o111 && colors.isColored('ex')) type = 'ex';
        else if ((f.st?.nlink ?? 1) > 1 && colors.isColored('mh')) type = 'mh';
      } else if (fmt === S_IFDIR) {
        type = 'di';
        if (mode & 0o1000 && mode & 0o002 && colors.isColored('tw')) type = 'tw';
        else if (mode & 0o002 && colors.isColored('ow')) type = 'ow';
        else if (mode & 0o1000 && colors.isColored('st')) type = 'st';
      } else if (fmt === S_IFLNK) type = 'ln';
      else if (fmt === S_IFIFO) type = 'pi';
      else if (fmt === S_IFSOCK) type = 'so';
      else if (fmt === S_IFBLK) type = 'bd';
      else if (fmt === S_IFCHR) type = 'cd';
      else type = 'or';
    }
    let ext: string | undefined;
    if (type === 'fi') ext = colors.extensionColor(name);
    if (type === 'ln' && !linkok && (colors.symlinkAsReferent || colors.isColored('or'))) type = 'or';
    return ext ?? colors.get(type);
  }
}

function isLinkedDir(f: FileInfo): boolean {
  return f.type === 'directory' || f.type === 'argdir' || (f.linkmode & S_IFMT) === S_IFDIR;
}

/** A directory entry's path as GNU ls builds it: the name alone in ".", else DIR/NAME. */
function attach(dir: string, name: string): string {
  if (dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

const SPACES = ' '.repeat(256);

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

function pad(s: string, width: number): string {
  const n = width - s.length;
  return n <= 0 ? s : n <= 256 ? SPACES.slice(0, n) + s : ' '.repeat(n) + s;
}

function major(rdev: number): number {
  const dev = BigInt(rdev);
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
}

function minor(rdev: number): number {
  const dev = BigInt(rdev);
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
}

const RFC3986 = /[A-Za-z0-9~._-]/;

/** %XX-escape for file:// URIs (keeping `/` in paths). */
function fileEscape(s: string, path: boolean): string {
  let out = '';
  for (const ch of s) {
    if ((path && ch === '/') || RFC3986.test(ch)) out += ch;
    else out += `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Columns a code point takes (wide East Asian characters 2, combining marks 0). */
function wcwidth(cp: number): number {
  if (cp >= 0x300 && cp <= 0x36f) return 0;
  if (cp === 0x200b || (cp >= 0x200c && cp <= 0x200f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

