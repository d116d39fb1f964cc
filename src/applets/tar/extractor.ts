// tar -x: putting members in place. Extraction never leaves its directory: parent directories are
// resolved by core/safe-path (no writing through a symlink that leads outside, wherever it came
// from), and whatever sits at a member's own name is replaced, never written through. File I/O is
// synchronous: the per-entry cost is what GNU tar's is, a handful of system calls. Loaded only to
// extract: listing needs none of it.
import * as fs from 'node:fs';
import { ArchiveError } from '../../core/archive/header.js';
import type { TarEntry } from '../../core/archive/reader.js';
import { fsPath, toUtf8 } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorCode, errorText } from '../../core/errors.js';
import { groupByName, userByName } from '../../core/ids.js';
import { writeAvailableSync } from '../../core/io.js';
import { type Location, PathError, SafeRoot } from '../../core/safe-path.js';
import type { Report } from './common.js';
import type { TarJob } from './index.js';
import { quoteName } from './list.js';

interface DelayedDir {
  path: string;
  entry: TarEntry;
}

function sparseEnd(map: readonly { offset: number; length: number }[]): number {
  return map.reduce((end, r) => Math.max(end, r.offset + r.length), 0);
}

const S_IRWXU = 0o700;

export class Extractor {
  private readonly safe: SafeRoot;
  private readonly delayed: DelayedDir[] = [];
  private readonly isRoot: boolean;
  /** -k, --skip-old-files, --keep-newer-files: what is in a file's way is looked at first. */
  private readonly keepsOld: boolean;
  /** The last file outside a fresh directory replaced one: the next probably will too. */
  private overwriting = false;
  // the options every member asks about
  private readonly absoluteNames: boolean;
  private readonly toStdoutOnly: boolean;
  private readonly keepTimes: boolean;
  private readonly numericOwner: boolean;
  private readonly sameOwner: boolean;
  private readonly samePermissions: boolean;
  private readonly umask: number;
  private readonly uidCache = new Map<string, number | undefined>();
  private readonly gidCache = new Map<string, number | undefined>();
  /** The descriptor writeBody writes to: one sink for every file, not a closure each. */
  private bodyFd = -1;
  private readonly writeBody = (chunk: Uint8Array, position: number): void => {
    let off = 0;
    while (off < chunk.length) off += fs.writeSync(this.bodyFd, chunk, off, chunk.length - off, position + off);
  };

  constructor(
    private readonly ctx: Ctx,
    private readonly job: TarJob,
    private readonly report: Report,
    root: string,
  ) {
    const o = job.opts;
    this.safe = new SafeRoot(o.P ? '/' : root, { dirMode: 0o777 });
    this.isRoot = ctx.host.euid() === 0;
    this.sameOwner = o['same-owner'] ? true : o['no-same-owner'] || o.o ? false : this.isRoot;
    this.samePermissions = o.p ? true : o['no-same-permissions'] ? false : this.isRoot;
    this.umask = ctx.host.umask();
    this.keepsOld = !!(o.k || o['skip-old-files'] || o['keep-newer-files']);
    this.absoluteNames = !!o.P;
    this.toStdoutOnly = !!o.O;
    this.keepTimes = !o.m;
    this.numericOwner = !!o['numeric-owner'];
  }

  /** An absolute path for -P names (relative ones stay under the directory). */
  private absolute(target: string): string {
    if (!this.absoluteNames) return target;
    return target.startsWith('/') ? target.slice(1) : `${this.relativeCwd()}${target}`;
  }
  private relativeCwd(): string {
    const cwd = this.ctx.cwd.replace(/^\/+/, '');
    return cwd ? `${cwd}/` : '';
  }

  /** Put one member in place. Synchronous (no promise) for a regular file that needs no report
   *  and whose body is in memory or in a regular file: the common case, by far. */
  extract(entry: TarEntry, target: string, linkName: string): Promise<void> | undefined {
    const shown = entry.name;
    if (this.toStdoutOnly) return entry.type === 'file' || entry.type === 'contiguous' ? this.toStdout(entry) : undefined;
    let where: Location;
    try {
      where = this.safe.locate(this.absolute(target));
    } catch (err) {
      return this.report.fail(shown, 'Cannot open', asSystemError(err));
    }
    try {
      const pending = entry.type === 'file' || entry.type === 'contiguous' ? this.file(entry, where, shown) : this.other(entry, where, target, linkName);
      return pending?.catch((err: unknown) => this.failed(shown, err));
    } catch (err) {
      return this.failed(shown, err);
    }
  }

  /** A member that could not be put in place: reported, and extraction goes on; a broken
   *  archive ends it. */
  private failed(shown: string, err: unknown): Promise<void> {
    if (err instanceof ArchiveError) throw err;
    return this.report.fail(shown, 'Cannot open', asSystemError(err));
  }

  private async other(entry: TarEntry, where: Location, target: string, linkName: string): Promise<void> {
    const path = where.path;
    const shown = entry.name;
    switch (entry.type) {
      case 'directory':
        return this.directory(entry, path, target);
      case 'symlink':
        return this.symlink(entry, path, shown);
      case 'link':
        return this.hardLink(entry, path, shown, linkName);
      case 'chardev':
      case 'blockdev':
      case 'fifo':
        return this.special(entry, path, shown);
      default:
        // unknown types: GNU extracts them as regular files
        await this.report.warn(`${quoteName(shown, false)}: Unknown file type '${entry.typeflag}', extracted as normal file`);
        return this.file(entry, where, shown);
    }
  }

  /** What is at `path` before we put a member there. Returns false when we must not replace it. */
  private async clearFor(entry: TarEntry, path: string, shown: string, known?: fs.Stats): Promise<boolean> {
    const o = this.job.opts;
    // lstat without an exception for "not there": a thrown error costs more than the system call
    const st = known ?? fs.lstatSync(fsPath(path), { throwIfNoEntry: false });
    if (!st) return true;
    if (st.isDirectory() && entry.type === 'directory') return true;
    if (o.k) {
      await this.report.error(`${quoteName(shown, false)}: Cannot open: File exists`);
      return false;
    }
    if (o['skip-old-files']) return false;
    if (o['keep-newer-files'] && !st.isDirectory() && st.mtimeMs / 1000 >= entry.mtime) {
      await this.report.warn(`Current '${quoteName(shown, false)}' is newer or same age`);
      return false;
    }
    if (st.isDirectory()) {
      try {
        fs.rmdirSync(fsPath(path));
      } catch (err) {
        if (errorCode(err) === 'ENOTEMPTY' || errorCode(err) === 'EEXIST') {
          await this.report.error(`${quoteName(shown, false)}: Cannot open: Is a directory`);
          return false;
        }
        throw err;
      }
    } else fs.unlinkSync(fsPath(path));
    if (st.isDirectory() || st.isSymbolicLink()) this.safe.invalidate();
    return true;
  }

  private async directory(entry: TarEntry, path: string, target: string): Promise<void> {
    if (path === this.safe.root || target === '.' || target === './') {
      this.delayed.push({ path, entry });
      return;
    }
    const st = fs.lstatSync(fsPath(path), { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      if (this.job.opts.k || this.job.opts['skip-old-files']) {
        this.safe.noteDirectory(target);
        return; // an existing directory keeps its attributes, as GNU leaves it
      }
    } else {
      if (st && !(await this.clearFor(entry, path, entry.name, st))) return;
      fs.mkdirSync(fsPath(path), (entry.mode & 0o777 & ~this.umask) | S_IRWXU);
      this.safe.noteDirectory(target, true);
      this.delayed.push({ path, entry });
      return;
    }
    this.safe.noteDirectory(target);
    this.delayed.push({ path, entry });
  }

  private createMode(entry: TarEntry): number {
    const perms = this.samePermissions ? entry.mode & 0o7777 : entry.mode & 0o777 & ~this.umask;
    return perms;
  }

  private openNew(path: string, mode: number): number {
    return fs.openSync(fsPath(path), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode & 0o777);
  }

  /** A regular file: created new (O_EXCL, never through anything in its way), filled, then its
   *  owner, mode and times set through the descriptor. */
  private file(entry: TarEntry, where: Location, shown: string): Promise<void> | undefined {
    const mode = this.createMode(entry);
    const path = where.path;
    let fd: number | undefined;
    // In a directory this run made, nothing can be in the way unless the archive put it there
    // (then open says EEXIST): no lstat, the common case.
    if (where.fresh) {
      try {
        fd = this.openNew(path, mode);
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') return this.skipAndFail(entry, shown, err);
      }
    }
    if (fd === undefined) {
      // Something is in the way, or not. Extracting over an earlier extraction, a file is: unlink
      // it straight away. Else lstat first: a thrown ENOENT costs more than the system call. The
      // guess follows what the last file found.
      let cleared = false;
      if (this.overwriting && !this.keepsOld) {
        try {
          fs.unlinkSync(fsPath(path));
          this.safe.removed(path);
          cleared = true;
        } catch (err) {
          // not there (guess again next time), or a directory or worse: looked at below
          if (errorCode(err) === 'ENOENT') {
            this.overwriting = false;
            cleared = true;
          }
        }
      }
      const st = cleared ? undefined : fs.lstatSync(fsPath(path), { throwIfNoEntry: false });
      if (st) {
        this.overwriting = true;
        if (st.isDirectory() || this.keepsOld) return this.replaceFile(entry, path, shown, mode, st);
        // a file or link in the way: replaced, as GNU tar does by default
        fs.unlinkSync(fsPath(path));
        if (st.isSymbolicLink()) this.safe.invalidate();
      }
      try {
        fd = this.openNew(path, mode);
      } catch (err) {
        return this.skipAndFail(entry, shown, err);
      }
    }
    return this.fill(fd, entry, mode);
  }

  /** What is in the way is a directory, or an option says to look at it first. */
  private async replaceFile(entry: TarEntry, path: string, shown: string, mode: number, st: fs.Stats): Promise<void> {
    if (!(await this.clearFor(entry, path, shown, st))) return entry.skip();
    let fd: number;
    try {
      fd = this.openNew(path, mode);
    } catch (err) {
      await entry.skip();
      throw err;
    }
    await this.fill(fd, entry, mode);
  }

  private async skipAndFail(entry: TarEntry, shown: string, err: unknown): Promise<void> {
    await entry.skip();
    return this.failed(shown, err);
  }

  /** Write the body into the new file and close it; a promise only when the body must be waited for. */
  private fill(fd: number, entry: TarEntry, mode: number): Promise<void> | undefined {
    let handedOn = false; // fillAsync closes the descriptor then
    try {
      this.bodyFd = fd;
      if (entry.pipeSync(this.writeBody)) {
        this.finishFile(fd, entry, mode);
        return undefined;
      }
      handedOn = true;
      return this.fillAsync(fd, entry, mode);
    } finally {
      if (!handedOn) fs.closeSync(fd);
    }
  }

  private async fillAsync(fd: number, entry: TarEntry, mode: number): Promise<void> {
    try {
      await entry.pipe((chunk, position) => {
        this.bodyFd = fd;
        this.writeBody(chunk, position);
      });
      this.finishFile(fd, entry, mode);
    } finally {
      fs.closeSync(fd);
    }
  }

  private finishFile(fd: number, entry: TarEntry, mode: number): void {
    // A sparse file ends where its map does (a final empty range marks a trailing hole):
    // GNU tar's rule, even when the header's real size says otherwise.
    if (entry.sparse) fs.ftruncateSync(fd, sparseEnd(entry.sparse));
    this.setOwner(fd, undefined, entry);
    // the set-id bits and anything the umask took: chmod after chown (chown clears set-id)
    if (mode & 0o7000 || (mode & 0o777) !== (mode & 0o777 & ~this.umask)) fs.fchmodSync(fd, mode);
    this.setTimes(fd, undefined, entry);
  }

  private async symlink(entry: TarEntry, path: string, shown: string): Promise<void> {
    try {
      fs.symlinkSync(fsPath(entry.linkname) as string, fsPath(path));
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      if (!(await this.clearFor(entry, path, shown))) return;
      fs.symlinkSync(fsPath(entry.linkname) as string, fsPath(path));
    }
    this.safe.invalidate();
    if (this.sameOwner) {
      try {
        fs.lchownSync(fsPath(path), this.uidOf(entry), this.gidOf(entry));
      } catch (err) {
        await this.report.fail(shown, `Cannot change ownership to uid ${this.uidOf(entry)}, gid ${this.gidOf(entry)}`, err);
      }
    }
    if (!this.job.opts.m) {
      try {
        fs.lutimesSync(fsPath(path), entry.atime ?? Date.now() / 1000, entry.mtime);
      } catch {
        // not every file system keeps symlink times; GNU ignores this too
      }
    }
  }

  private async hardLink(entry: TarEntry, path: string, shown: string, linkName: string): Promise<void> {
    if (this.job.stripComponents) {
      const parts = linkName.split('/').filter(Boolean);
      linkName = parts.slice(this.job.stripComponents).join('/');
    }
    let from: string;
    try {
      from = this.safe.linkTarget(this.absolute(linkName));
    } catch (err) {
      await this.report.fail(shown, `Cannot hard link to '${quoteName(entry.linkname, false)}'`, asSystemError(err));
      return;
    }
    if (from === path) return; // a link to itself: already there
    try {
      fs.linkSync(fsPath(from), fsPath(path));
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        await this.report.fail(shown, `Cannot hard link to '${quoteName(entry.linkname, false)}'`, err);
        return;
      }
      if (!(await this.clearFor(entry, path, shown))) return;
      try {
        fs.linkSync(fsPath(from), fsPath(path));
      } catch (e) {
        await this.report.fail(shown, `Cannot hard link to '${quoteName(entry.linkname, false)}'`, e);
      }
    }
  }

  /** Devices and FIFOs: Node cannot make them, so the system's mknod/mkfifo does. */
  private async special(entry: TarEntry, path: string, shown: string): Promise<void> {
    if (!(await this.clearFor(entry, path, shown))) return;
    const { spawnSync } = await import('node:child_process');
    const mode = (this.createMode(entry) & 0o7777).toString(8);
    const argv =
      entry.type === 'fifo'
        ? ['mkfifo', '-m', mode, toUtf8(path)]
        : ['mknod', '-m', mode, toUtf8(path), entry.type === 'chardev' ? 'c' : 'b', String(entry.devmajor), String(entry.devminor)];
    const r = spawnSync(argv[0]!, argv.slice(1), { env: this.ctx.env.toProcessEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'latin1' });
    const what = entry.type === 'fifo' ? 'Cannot mkfifo' : 'Cannot mknod';
    if (r.error) {
      await this.report.error(`${quoteName(shown, false)}: ${what}: ${errorCode(r.error) === 'ENOENT' ? `Function not implemented (no ${argv[0]} program)` : errorText(r.error)}`);
      return;
    }
    if (r.status !== 0) {
      const why = /: ([^:\n]+)\n?$/.exec(r.stderr)?.[1] ?? `${argv[0]} exited with status ${r.status}`;
      await this.report.error(`${quoteName(shown, false)}: ${what}: ${why}`);
      return;
    }
    try {
      if (this.sameOwner) fs.lchownSync(fsPath(path), this.uidOf(entry), this.gidOf(entry));
      if (!this.job.opts.m) fs.utimesSync(fsPath(path), entry.atime ?? Date.now() / 1000, entry.mtime);
    } catch (err) {
      await this.report.fail(shown, 'Cannot change ownership', err);
    }
  }

  private async toStdout(entry: TarEntry): Promise<void> {
    const sink = this.ctx.stdout;
    let pos = 0;
    const zeros = async (n: number) => {
      const z = new Uint8Array(Math.min(n, 1 << 20));
      for (; n > 0; n -= z.length) await sink.write(n >= z.length ? z : z.subarray(0, n));
    };
    const fd = sink.fd;
    await entry.pipe(async (chunk, position) => {
      if (position > pos) await zeros(position - pos);
      pos = position + chunk.length;
      if (fd !== undefined) {
        const n = writeAvailableSync(fd, chunk);
        if (n < chunk.length) await sink.write(chunk.subarray(n));
      } else await sink.write(chunk);
    });
    if (entry.realSize > pos) await zeros(entry.realSize - pos);
  }

  private uidOf(entry: TarEntry): number {
    if (this.numericOwner || !entry.uname) return entry.uid;
    let id = this.uidCache.get(entry.uname);
    if (!this.uidCache.has(entry.uname)) {
      id = userByName(entry.uname)?.uid;
      this.uidCache.set(entry.uname, id);
    }
    return id ?? entry.uid;
  }
  private gidOf(entry: TarEntry): number {
    if (this.numericOwner || !entry.gname) return entry.gid;
    let id = this.gidCache.get(entry.gname);
    if (!this.gidCache.has(entry.gname)) {
      id = groupByName(entry.gname)?.gid;
      this.gidCache.set(entry.gname, id);
    }
    return id ?? entry.gid;
  }

  private setOwner(fd: number | undefined, path: string | undefined, entry: TarEntry): void {
    if (!this.sameOwner) return;
    const uid = this.uidOf(entry);
    const gid = this.gidOf(entry);
    try {
      if (fd !== undefined) fs.fchownSync(fd, uid, gid);
      else fs.chownSync(fsPath(path!), uid, gid);
    } catch (err) {
      // reported like GNU; the file stays
      void this.report.fail(entry.name, `Cannot change ownership to uid ${uid}, gid ${gid}`, err);
    }
  }

  private setTimes(fd: number | undefined, path: string | undefined, entry: TarEntry): void {
    if (!this.keepTimes) return;
    const atime = entry.atime ?? Date.now() / 1000;
    if (fd !== undefined) fs.futimesSync(fd, atime, entry.mtime);
    else fs.utimesSync(fsPath(path!), atime, entry.mtime);
  }

  /** Directories get their modes, owners and times last, deepest first (writing into a directory
   *  changes its mtime; a read-only one could not be filled). */
  async finishDirectories(): Promise<void> {
    for (let i = this.delayed.length - 1; i >= 0; i--) {
      const { path, entry } = this.delayed[i]!;
      try {
        const st = fs.lstatSync(fsPath(path));
        if (!st.isDirectory()) continue;
        this.setOwner(undefined, path, entry);
        fs.chmodSync(fsPath(path), this.createMode(entry));
        this.setTimes(undefined, path, entry);
      } catch (err) {
        await this.report.fail(entry.name, 'Cannot change mode', err);
      }
    }
    this.delayed.length = 0;
  }
}

/** PathErrors carry their own words; give them the shape errorText expects. */
function asSystemError(err: unknown): unknown {
  if (err instanceof PathError) return new AppletError(err.code === 'EXDEV' ? err.message : errorText({ code: err.code }));
  return err;
}
