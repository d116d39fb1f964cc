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
import { groupByGid, userByUid } from '../../core/ids.js';
import { OutBuffer } from '../../core/io.js';
import { modeString } from '../../core/mode.js';
import { isPrintableCodePoint, quotearg, quoteaf, quotef, utf8At } from '../../core/quote.js';
import { localtime, now as currentTime, strftime, type Zone, zoneFromEnv } from '../../core/time.js';
import { filevercmp } from '../../core/vercmp.js';
import { walk, type WalkEntry } from '../../core/walk.js';
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

/** The status fields ls uses, with the one time it shows or sorts by. */
interface St {
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blocks: number;
  ino: number;
  sec: number;
  nsec: number;
  /** The time is not available (birth time on a file system without it). */
  noTime: boolean;
}

interface FileInfo {
  /** The name as shown: the operand as given, or the directory entry's name. */
  name: string;
  /** The path for system calls. */
  path: string;
  st?: St;
  type: FileType;
  linkname?: string;
  linkmode: number;
  linkok: boolean;
  /** Whether the quoted name differs from the name (-1: not yet known). */
  quoted: number;
  /** Display width of the quoted name (with its alignment pad), once computed. */
  width: number;
  /** The walk's entry, to descend into with -R. */
  entry?: WalkEntry;
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

export class Lister {
  private readonly out: OutBuffer;
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
  private readonly userCache = new Map<number, string | undefined>();
  private readonly groupCache = new Map<number, string | undefined>();
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
    this.out = new OutBuffer(ctx.stdout, 64 * 1024);
    this.zone = zoneFromEnv(ctx.env);
    const t = currentTime();
    this.nowSec = t.sec;
    this.nowNsec = t.nsec;
    this.needStat = c.sort === 'time' || c.sort === 'size' || c.format === 'long' || c.blocks || c.hyperlink;
    this.needType = !this.needStat && (c.recursive || !!c.colors || c.context || c.dirsFirst || c.indicator !== 'none');
    this.needNs = c.sort === 'time' || c.timeFormats.some((f) => f.includes('%N'));
  }

  /** List the operands (none: the working directory); returns ls's exit status. */
  async run(operands: readonly string[]): Promise<number> {
    const c = this.c;
    for (const w of c.warnings) await this.warn(w, 0);
    const dirs: FileInfo[] = [];
    if (operands.length === 0) {
      if (c.directoryItself) this.gobble('.', '.', 'directory', true, undefined);
      else dirs.push(this.dirInfo('.'));
    } else for (const name of operands) this.gobble(name, name, 'unknown', true, undefined);
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
      if (dirs.length) await this.emit('\n');
    } else if (operands.length <= 1 && dirs.length === 1) this.printDirName = false;
    if (dirs.length) await this.listDirectories(dirs);
    if (c.colors && this.usedColor) {
      const lc = c.colors.get('lc');
      const rc = c.colors.get('rc');
      if (!(lc === '\x1b[' && rc === 'm')) await this.emit((lc ?? '') + (rc ?? ''));
    }
    if (c.dired) {
      if (this.diredNames.length) await this.emit(`//DIRED// ${this.diredNames.join(' ')}\n`);
      if (this.diredDirs.length) await this.emit(`//SUBDIRED// ${this.diredDirs.join(' ')}\n`);
      await this.emit(`//DIRED-OPTIONS// --quoting-style=${c.quoting}\n`);
    }
    await this.out.flush();
    return this.status;
  }

  private dirInfo(name: string): FileInfo {
    return { name, path: name, type: 'argdir', linkmode: 0, linkok: false, quoted: -1, width: 0 };
  }

  // ----- errors -----

  private pendingErrors: [string, boolean][] = [];

  /** Report a failure (`serious`: status 2, else 1). Messages wait for the output before them. */
  private fail(message: string, serious: boolean): void {
    this.pendingErrors.push([message, serious]);
  }

  private async flushErrors(): Promise<void> {
    if (!this.pendingErrors.length) return;
    await this.out.flush();
    for (const [message, serious] of this.pendingErrors) await this.warn(message, serious ? 2 : 1);
    this.pendingErrors = [];
  }

  private async warn(message: string, status: number): Promise<void> {
    await this.out.flush();
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

  private statOf(path: string, follow: boolean): St {
    const c = this.c;
    if (this.needNs) {
      const s = follow ? fs.statSync(fsPath(path), { bigint: true }) : fs.lstatSync(fsPath(path), { bigint: true });
      const ns = c.time === 'ctime' ? s.ctimeNs : c.time === 'atime' ? s.atimeNs : c.time === 'btime' ? s.birthtimeNs : s.mtimeNs;
      const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
      return {
        mode: Number(s.mode),
        nlink: Number(s.nlink),
        uid: Number(s.uid),
        gid: Number(s.gid),
        rdev: Number(s.rdev),
        size: Number(s.size),
        blocks: Number(s.blocks),
        ino: Number(s.ino),
        sec: Number(sec),
        nsec: Number(ns - sec * 1000000000n),
        noTime: c.time === 'btime' && s.birthtimeNs === 0n,
      };
    }
    const s = follow ? fs.statSync(fsPath(path)) : fs.lstatSync(fsPath(path));
    const ms = c.time === 'ctime' ? s.ctimeMs : c.time === 'atime' ? s.atimeMs : c.time === 'btime' ? s.birthtimeMs : s.mtimeMs;
    const sec = Math.floor(ms / 1000);
    return {
      mode: s.mode,
      nlink: s.nlink,
      uid: s.uid,
      gid: s.gid,
      rdev: s.rdev,
      size: s.size,
      blocks: s.blocks,
      ino: s.ino,
      sec,
      nsec: Math.round((ms - sec * 1000) * 1e6),
      noTime: c.time === 'btime' && ms === 0,
    };
  }

  /** GNU's gobble_file: add one file to the batch; returns its blocks. */
  private gobble(name: string, path: string, type: FileType, cmdline: boolean, entry: WalkEntry | undefined): number {
    const c = this.c;
    const f: FileInfo = { name, path, type, linkmode: 0, linkok: false, quoted: -1, width: 0, entry };
    if (!this.someQuoted && c.alignQuotes) {
      f.quoted = this.needsQuoting(name) ? 1 : 0;
      if (f.quoted) this.someQuoted = true;
    }
    const colors = c.colors;
    const checkStat =
      cmdline ||
      c.hyperlink ||
      this.needStat ||
      (this.needType && type === 'unknown') ||
      ((type === 'directory' || type === 'unknown') && !!colors && (colors.isColored('ow') || colors.isColored('st') || colors.isColored('tw'))) ||
      ((c.inode || this.needType) && (type === 'symlink' || type === 'unknown') && (c.dereference === 'always' || !!colors?.symlinkAsReferent || c.checkSymlinks)) ||
      c.inode ||
      ((type === 'normal' || type === 'unknown') &&
        (c.indicator === 'classify' || (!!colors && (colors.isColored('ex') || colors.isColored('su') || colors.isColored('sg')))));
    if (checkStat) {
      let st: St | undefined;
      let err: unknown;
      const deref = c.dereference;
      try {
        if (deref === 'always') st = this.statOf(path, true);
        else if (cmdline && (deref === 'cmdline' || deref === 'cmdline-dirs')) {
          try {
            st = this.statOf(path, true);
            if (deref === 'cmdline-dirs' && (st.mode & S_IFMT) !== S_IFDIR) st = this.statOf(path, false);
          } catch (e) {
            const code = errorCode(e);
            if (deref === 'cmdline' || (code !== 'ENOENT' && code !== 'ELOOP')) throw e;
            st = this.statOf(path, false);
          }
        } else st = this.statOf(path, false);
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
        f.linkname = fs.readlinkSync(fsPath(path), { encoding: 'latin1' });
      } catch (e) {
        this.fail(`cannot read symbolic link ${quoteaf(path, c.utf8)}: ${errorText(e)}`, cmdline);
      }
      if (f.linkname !== undefined && (c.indicator === 'file-type' || c.indicator === 'classify' || c.checkSymlinks)) {
        try {
          f.linkmode = fs.statSync(fsPath(path)).mode;
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
        const len = formatBlocks(blocks, 512, c.blockSize).length;
        if (this.blockWidth < len) this.blockWidth = len;
      }
      if (c.format === 'long') {
        if (c.owner) this.ownerWidth = Math.max(this.ownerWidth, this.idWidth(st.uid, false));
        if (c.group) this.groupWidth = Math.max(this.groupWidth, this.idWidth(st.gid, true));
        if (c.author) this.authorWidth = Math.max(this.authorWidth, this.idWidth(st.uid, false));
        this.nlinkWidth = Math.max(this.nlinkWidth, String(st.nlink).length);
        if (type === 'chardev' || type === 'blockdev') {
          this.majorWidth = Math.max(this.majorWidth, String(major(st.rdev)).length);
          this.minorWidth = Math.max(this.minorWidth, String(minor(st.rdev)).length);
          this.sizeWidth = Math.max(this.sizeWidth, this.majorWidth + 2 + this.minorWidth);
        } else this.sizeWidth = Math.max(this.sizeWidth, formatBlocks(st.size, 1, c.fileSize).length);
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
    const name = isGroup ? this.groupName(id) : this.userName(id);
    return name === undefined ? String(id).length : this.textWidth(name);
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
        key = (a, b) => {
          const sa = a.st;
          const sb = b.st;
          const d = (sb?.sec ?? 0) - (sa?.sec ?? 0) || (sb?.nsec ?? 0) - (sa?.nsec ?? 0);
          return d || byName(a, b);
        };
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
      { follow: c.dereference === 'always' ? 'all' : 'roots' },
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
      let children: WalkEntry[];
      try {
        children = e.readChildren();
      } catch (err) {
        e.skip();
        await this.warn(`cannot open directory ${quoteaf(e.path, c.utf8)}: ${errorText(err)}`, cmdline ? 2 : 1);
        continue;
      }
      await this.listDirectory(e, children);
      this.printDirName = true;
    }
  }

  private async listDirectory(dir: WalkEntry, children: WalkEntry[]): Promise<void> {
    const c = this.c;
    this.clear();
    if (c.recursive || this.printDirName) {
      if (!this.firstDir) await this.emit('\n');
      this.firstDir = false;
      if (c.dired) await this.emit('  ');
      const start = this.pos;
      // Directory headers quote `:` as well, but not -b's space or -F's indicators.
      await this.printQuoted(dir.path, ':', undefined, true, c.hyperlink ? this.absolute(dir.path) : undefined);
      if (c.dired) this.diredDirs.push(start, this.pos);
      await this.emit(':\n');
    }
    let total = 0;
    if (c.ignoreMode === 'none') {
      // Node's readdir leaves out . and ..; GNU lists them where readdir puts them (first, here).
      for (const dot of ['.', '..']) if (!this.ignored(dot)) total += this.gobble(dot, attach(dir.path, dot), 'directory', false, undefined);
    }
    for (const ch of children) {
      if (this.ignored(ch.name)) continue;
      total += this.gobble(ch.name, attach(dir.path, ch.name), ENTRY_TYPES[ch.type]!, false, ch);
      if ((this.files.length & 4095) === 0 && this.ctx.signal.aborted) break;
    }
    this.sortFiles();
    if (c.recursive) {
      const subdirs: WalkEntry[] = [];
      for (const f of this.files) {
        if ((f.type === 'directory' || f.type === 'argdir') && f.entry && f.name !== '.' && f.name !== '..') subdirs.push(f.entry);
      }
      dir.setChildren(subdirs);
    } else dir.setChildren([]);
    await this.flushErrors();
    if (c.format === 'long' || c.blocks) {
      if (c.dired) await this.emit('  ');
      await this.emit(`total ${formatBlocks(total, 512, c.blockSize)}${c.eol}`);
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

  private async emit(s: string): Promise<void> {
    this.pos += s.length;
    const p = this.out.put(s);
    if (p) await p;
  }

  private async printFiles(): Promise<void> {
    const c = this.c;
    switch (c.format) {
      case 'one':
        for (const f of this.files) {
          await this.printNameAndFrills(f, 0);
          await this.emit(c.eol);
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
          await this.setNormalColor();
          await this.printLong(f);
          await this.emit(c.eol);
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
          await this.printNameAndFrills(f, pos);
          if (n - rows <= filesno) break;
          filesno += rows;
          await this.emit(indent(pos + nameLength, pos + maxNameLength, c.tabSize));
          pos += maxNameLength;
        }
        await this.emit(c.eol);
      }
      return;
    }
    let pos = 0;
    let nameLength = lengths[0]!;
    let maxNameLength = layout.widths[0]!;
    await this.printNameAndFrills(this.files[0]!, 0);
    for (let filesno = 1; filesno < n; filesno++) {
      const col = filesno % layout.columns;
      if (col === 0) {
        await this.emit(c.eol);
        pos = 0;
      } else {
        await this.emit(indent(pos + nameLength, pos + maxNameLength, c.tabSize));
        pos += maxNameLength;
      }
      await this.printNameAndFrills(this.files[filesno]!, pos);
      nameLength = lengths[filesno]!;
      maxNameLength = layout.widths[col]!;
    }
    await this.emit(c.eol);
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
        await this.emit(sep + separator);
      }
      await this.printNameAndFrills(f, pos);
      pos += len;
    }
    await this.emit(c.eol);
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

  private async printNameAndFrills(f: FileInfo, startCol: number): Promise<number> {
    const c = this.c;
    const commas = c.format === 'commas';
    await this.setNormalColor();
    if (c.inode) await this.emit(`${pad(f.st && f.st.ino ? String(f.st.ino) : '?', commas ? 0 : this.inodeWidth)} `);
    if (c.blocks) await this.emit(`${pad(f.st ? formatBlocks(f.st.blocks, 512, c.blockSize) : '?', commas ? 0 : this.blockWidth)} `);
    if (c.context) await this.emit(`${pad('?', commas ? 0 : this.contextWidth)} `);
    let width = await this.printName(f, false, startCol);
    if (c.indicator !== 'none') {
      const ind = this.typeIndicator(!!f.st, f.st?.mode ?? 0, f.type);
      if (ind) {
        await this.emit(ind);
        width++;
      }
    }
    return width;
  }

  private async printLong(f: FileInfo): Promise<void> {
    const c = this.c;
    const st = f.st;
    let line = '';
    if (c.inode) line += `${pad(st && st.ino ? String(st.ino) : '?', this.inodeWidth)} `;
    if (c.blocks) line += `${pad(st ? formatBlocks(st.blocks, 512, c.blockSize) : '?', this.blockWidth)} `;
    const mode = st ? modeString(st.mode) : `${TYPE_LETTER[f.type]}?????????`;
    line += `${mode} ${pad(st ? String(st.nlink) : '?', this.nlinkWidth)} `;
    if (c.dired) line = `  ${line}`;
    if (c.owner || c.group || c.author || c.context) {
      if (c.owner) line += this.userOrGroup(st ? this.userName(st.uid) : '?', st?.uid ?? 0, this.ownerWidth);
      if (c.group) line += this.userOrGroup(st ? this.groupName(st.gid) : '?', st?.gid ?? 0, this.groupWidth);
      if (c.author) line += this.userOrGroup(st ? this.userName(st.uid) : '?', st?.uid ?? 0, this.authorWidth);
      if (c.context) line += this.userOrGroup('?', 0, this.contextWidth);
      // GNU counts the name's column from here on (it only decides where to clear to the line's end)
      await this.emit(line);
      line = '';
    }
    if (st && (f.type === 'chardev' || f.type === 'blockdev' || (st.mode & S_IFMT) === S_IFCHR || (st.mode & S_IFMT) === S_IFBLK)) {
      const blanks = this.sizeWidth - (this.majorWidth + 2 + this.minorWidth);
      line += `${pad(String(major(st.rdev)), this.majorWidth + Math.max(0, blanks))}, ${pad(String(minor(st.rdev)), this.minorWidth)} `;
    } else line += `${pad(st ? formatBlocks(st.size, 1, c.fileSize) : '?', this.sizeWidth)} `;
    line += st && !st.noTime ? this.formatTime(st) : `${pad('?', this.expectedTimeWidth())}`;
    line += ' ';
    await this.emit(line);
    const startCol = this.startColumnQuirk(line);
    const w = await this.printName(f, false, startCol, true);
    if (f.type === 'symlink') {
      if (f.linkname !== undefined) {
        await this.emit(' -> ');
        await this.printName(f, true, startCol + w + 4);
        if (c.indicator !== 'none') {
          const ind = this.typeIndicator(true, f.linkmode, 'unknown');
          if (ind) await this.emit(ind);
        }
      }
    } else if (c.indicator !== 'none') {
      const ind = this.typeIndicator(!!st, st?.mode ?? 0, f.type);
      if (ind) await this.emit(ind);
    }
  }

  private startColumnQuirk(line: string): number {
    const c = this.c;
    return c.owner || c.group || c.author || c.context ? line.length : line.length - (c.dired ? 2 : 0);
  }

  private userOrGroup(name: string | undefined, id: number, width: number): string {
    if (name === undefined) return `${pad(String(id), width)} `;
    const gap = width - this.textWidth(name);
    return `${name}${' '.repeat(Math.max(0, gap) + 1)}`;
  }

  private formatTime(st: St): string {
    const when = st.sec;
    // A time in the future: perhaps the clock moved on; look again.
    if (this.nowSec < when || (this.nowSec === when && this.nowNsec < st.nsec)) {
      const t = currentTime();
      this.nowSec = t.sec;
      this.nowNsec = t.nsec;
    }
    const sixMonthsAgo = this.nowSec - SIX_MONTHS;
    const recent =
      (sixMonthsAgo < when || (sixMonthsAgo === when && this.nowNsec < st.nsec)) &&
      (when < this.nowSec || (when === this.nowSec && st.nsec < this.nowNsec));
    const fmt = this.c.timeFormats[recent ? 1 : 0]!;
    if (this.needNs && fmt.includes('%N')) return strftime(fmt, localtime(when, this.zone), st.nsec);
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

  /** The quoted form of a name and its display width, as GNU's quote_name_buf computes them. */
  private quoteName(name: string, alsoQuote: string): { text: string; width: number; quoted: boolean } {
    const c = this.c;
    let text = quotearg(name, c.quoting, { utf8: c.utf8, alsoQuote });
    const quoted = text.length !== name.length || text[0] !== name[0];
    const further = c.qmark && (c.quoting === 'shell' || c.quoting === 'shell-always' || c.quoting === 'literal');
    let width: number;
    if (further) {
      if (c.utf8) {
        let out = '';
        width = 0;
        for (let i = 0; i < text.length; ) {
          const code = text.charCodeAt(i);
          if (code >= 0x20 && code < 0x7f) {
            out += text[i++];
            width++;
            continue;
          }
          const seq = utf8At(text, i);
          if (seq.length === 0) {
            out += '?';
            width++;
            i += seq.incomplete ? text.length - i : 1;
            continue;
          }
          if (isPrintableCodePoint(seq.codePoint)) {
            out += text.slice(i, i + seq.length);
            width += wcwidth(seq.codePoint);
          } else {
            out += '?';
            width++;
          }
          i += seq.length;
        }
        text = out;
      } else {
        text = text.replace(/[^\x20-\x7e]/g, '?');
        width = text.length;
      }
    } else width = this.visibleWidth(text);
    return { text, width, quoted };
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
      f.width = q.width + (this.c.alignQuotes && this.someQuoted && !q.quoted ? 1 : 0);
    }
    return f.width;
  }

  private async printName(f: FileInfo, target: boolean, startCol: number, recordDired = false): Promise<number> {
    const c = this.c;
    const name = target ? f.linkname! : f.name;
    const color = c.colors ? this.colorFor(f, target) : undefined;
    const usedColorNow = !!c.colors && (color !== undefined || c.colors.isColored('no'));
    const len = await this.printQuoted(
      name,
      c.alsoQuote,
      color,
      !target,
      c.hyperlink ? this.absolute(f.path) : undefined,
      recordDired && c.dired,
    );
    if (usedColorNow) {
      await this.prepNonFilename();
      const lineLength = c.lineLength;
      if (lineLength && Math.floor(startCol / lineLength) !== Math.floor((startCol + len - 1) / lineLength)) await this.putIndicator('cl');
    }
    return len;
  }

  /** Print a quoted name (with its alignment pad, colour and hyperlink); returns its length. */
  private async printQuoted(
    name: string,
    alsoQuote: string,
    color: string | undefined,
    allowPad = true,
    absolute?: string,
    recordDired = false,
  ): Promise<number> {
    const c = this.c;
    const q = this.quoteName(name, alsoQuote);
    const padded = c.alignQuotes && this.someQuoted && !q.quoted;
    if (padded && allowPad) await this.emit(' ');
    if (color !== undefined) {
      if (c.colors!.isColored('no')) await this.restoreDefaultColor();
      await this.putIndicator('lc');
      await this.putRaw(color);
      await this.putIndicator('rc');
    }
    let text = q.text;
    let skipQuotes = false;
    if (absolute !== undefined) {
      if (c.alignQuotes && this.someQuoted && !padded) {
        skipQuotes = true;
        await this.emit(text[0]!);
      }
      this.hostname ??= fileEscape(os.hostname(), false);
      const n = fileEscape(absolute, true);
      await this.emit(`\x1b]8;;file://${this.hostname}${n.startsWith('/') ? '' : '/'}${n}\x07`);
      if (skipQuotes) text = text.slice(1, -1);
    }
    if (recordDired) this.diredNames.push(this.pos);
    await this.emit(text);
    if (recordDired) this.diredNames.push(this.pos);
    if (absolute !== undefined) {
      await this.emit('\x1b]8;;\x07');
      if (skipQuotes) await this.emit(q.text[q.text.length - 1]!);
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

  private async putRaw(s: string): Promise<void> {
    if (!this.usedColor) {
      this.usedColor = true;
      await this.prepNonFilename();
    }
    await this.emit(s);
  }

  private async putIndicator(i: Indicator): Promise<void> {
    await this.putRaw(this.c.colors!.get(i) ?? '');
  }

  private async prepNonFilename(): Promise<void> {
    const colors = this.c.colors!;
    const ec = colors.get('ec');
    if (ec !== undefined) await this.putRaw(ec);
    else {
      await this.putIndicator('lc');
      await this.putIndicator('rs');
      await this.putIndicator('rc');
    }
  }

  private async restoreDefaultColor(): Promise<void> {
    await this.putIndicator('lc');
    await this.putIndicator('rc');
  }

  private async setNormalColor(): Promise<void> {
    const colors = this.c.colors;
    if (colors && colors.isColored('no')) {
      await this.putIndicator('lc');
      await this.putIndicator('no');
      await this.putIndicator('rc');
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

function pad(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
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

