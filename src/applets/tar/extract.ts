// tar -x and -t. Extraction never leaves its directory: names lose leading slashes and `..`
// prefixes (GNU's rule and warnings), parent directories are resolved by core/safe-path (no
// writing through a symlink that leads outside, wherever it came from), and whatever sits at a
// member's own name is replaced, never written through. File I/O is synchronous and large: the
// per-entry cost is what GNU tar's is, a handful of system calls.
import * as fs from 'node:fs';
import { ArchiveError } from '../../core/archive/header.js';
import { type TarEntry, TarReader } from '../../core/archive/reader.js';
import { fsPath, toUtf8 } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorCode, errorText } from '../../core/errors.js';
import { groupByName, userByName } from '../../core/ids.js';
import { OutBuffer, writeAvailableSync } from '../../core/io.js';
import { PathError, SafeRoot, stripUnsafePrefix } from '../../core/safe-path.js';
import { fatal, openForReading, Report } from './common.js';
import type { TarJob } from './index.js';
import { LongLister, quoteName, TimeFormat, utf8Locale } from './list.js';
import { excluded, MemberFilter } from './match.js';
import { readPatternFile } from './names.js';

// pax keywords GNU tar knows; others get "Ignoring unknown extended header keyword".
const KNOWN_PAX = new Set([
  'atime', 'comment', 'charset', 'ctime', 'gid', 'gname', 'linkpath', 'mtime', 'path', 'size', 'uid', 'uname',
  'GNU.sparse.name', 'GNU.sparse.major', 'GNU.sparse.minor', 'GNU.sparse.realsize', 'GNU.sparse.numblocks',
  'GNU.sparse.size', 'GNU.sparse.offset', 'GNU.sparse.numbytes', 'GNU.sparse.map', 'GNU.dumpdir',
  'GNU.volume.label', 'GNU.volume.filename', 'GNU.volume.size', 'GNU.volume.offset',
  'SCHILY.devmajor', 'SCHILY.devminor', 'SCHILY.acl.access', 'SCHILY.acl.default', 'SCHILY.filetype',
  'RHT.security.selinux',
]);
const knownPax = (key: string) => KNOWN_PAX.has(key) || key.startsWith('SCHILY.xattr.');

interface DelayedDir {
  path: string;
  entry: TarEntry;
}

export async function extractOrList(ctx: Ctx, job: TarJob): Promise<number> {
  const o = job.opts;
  const report = new Report(ctx);
  const listing = job.mode === 'list';
  const utf8 = utf8Locale((n) => ctx.env.get(n));
  const lister = new LongLister(new TimeFormat(ctx.env.get('TZ'), !!o['full-time']), utf8, !!o['numeric-owner']);
  // verbose output goes to stderr when stdout carries data (-O)
  const out = new OutBuffer(o.O && !listing ? ctx.stderr : ctx.stdout);

  let excludes = job.excludes;
  const names: string[] = [];
  let dir: string | undefined;
  let dirArg: string | undefined;
  for (const op of job.operands) {
    if (typeof op === 'string') names.push(op);
    else {
      dir = dir === undefined ? ctx.path(op.dir) : resolveFrom(dir, op.dir);
      dirArg = op.dir;
    }
  }
  try {
    for (const file of o.X ?? []) excludes = excludes.concat(await readPatternFile(ctx, file, false));
    for (const file of o.T ?? []) names.push(...(await readPatternFile(ctx, file, !!o.null)));
  } catch (err) {
    if (err instanceof AppletError) return fatal(ctx, err.message);
    throw err;
  }
  const filter = new MemberFilter(names, !!o.wildcards);

  let archive: Awaited<ReturnType<typeof openForReading>>;
  try {
    archive = await openForReading(ctx, job);
  } catch (err) {
    if (err instanceof AppletError) return fatal(ctx, err.message);
    throw err;
  }
  const warnings: [string, 0 | 2][] = [];
  const reader = new TarReader(archive.source, { ignoreZeros: !!o.i, onWarning: (m, s) => void warnings.push([m, s]) });
  const flushWarnings = async () => {
    for (const [m, s] of warnings.splice(0)) await (s === 2 ? report.error(m) : report.warn(m));
  };

  const root = dir ?? ctx.cwd;
  const x = listing ? undefined : new Extractor(ctx, job, report, root);
  if (x && dirArg !== undefined) {
    try {
      if (!fs.statSync(fsPath(root)).isDirectory()) throw Object.assign(new Error('Not a directory'), { code: 'ENOTDIR' });
    } catch (err) {
      archive.close();
      return fatal(ctx, `${dirArg}: Cannot open: ${errorText(err)}`);
    }
  }

  try {
    for (;;) {
      if (ctx.signal.aborted) throw new AppletError('Interrupted', 130);
      const entry = await reader.next();
      await flushWarnings();
      if (!entry) break;
      for (const r of entry.paxRecords) if (!knownPax(r.key)) await report.warn(`Ignoring unknown extended header keyword '${r.key}'`);
      if (entry.type === 'solaris-acl') continue; // ACLs for the next member: not applied here
      let name = entry.name;
      if (name === '') {
        await report.once("Substituting `.' for empty member name");
        name = '.';
      }
      if (!filter.matches(name) && !filter.matches(stripUnsafePrefix(name).name)) continue;
      if (excluded(excludes, name)) continue;

      // the name on disk, and the warnings GNU gives about it (in -t too)
      let target = name;
      if (!o.P) {
        const s = stripUnsafePrefix(name);
        if (s.removed) await report.once(`Removing leading \`${s.removed}' from member names`);
        target = s.name === '' ? '.' : s.name;
      }
      if (job.stripComponents) {
        const parts = target.split('/').filter(Boolean);
        if (parts.length <= job.stripComponents) {
          continue;
        }
        target = parts.slice(job.stripComponents).join('/') + (target.endsWith('/') ? '/' : '');
      }

      if (listing || job.verbose) {
        const shown = o['show-transformed-names'] ? target : name;
        const line = job.verbose > (listing ? 0 : 1) ? lister.line(entry, shown) : `${quoteName(shown, utf8)}\n`;
        const p = out.put(line);
        if (p) await p;
      }
      if (listing) continue; // the reader skips the body
      if (entry.type === 'volume-label' || entry.type === 'multivolume') continue;
      await out.flush();
      await x!.extract(entry, target);
      await flushWarnings();
    }
    await flushWarnings();
  } catch (err) {
    await out.flush();
    await flushWarnings();
    if (x) await x.finishDirectories();
    archive.close();
    if (err instanceof ArchiveError || err instanceof AppletError) {
      const code = await fatal(ctx, err.message);
      return code;
    }
    throw err;
  }
  await out.flush();
  if (x) await x.finishDirectories();
  archive.close();
  for (const missing of filter.unmatched()) await report.error(`${quoteName(missing, utf8)}: Not found in archive`);
  return report.finish();
}

function resolveFrom(base: string, p: string): string {
  if (p.startsWith('/')) return p;
  return `${base.replace(/\/+$/, '')}/${p}`;
}

const S_IRWXU = 0o700;

class Extractor {
  private readonly safe: SafeRoot;
  private readonly delayed: DelayedDir[] = [];
  private readonly isRoot: boolean;
  private readonly sameOwner: boolean;
  private readonly samePermissions: boolean;
  private readonly umask: number;
  private readonly uidCache = new Map<string, number | undefined>();
  private readonly gidCache = new Map<string, number | undefined>();

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
  }

  /** An absolute path for -P names (relative ones stay under the directory). */
  private absolute(target: string): string {
    if (!this.job.opts.P) return target;
    return target.startsWith('/') ? target.slice(1) : `${this.relativeCwd()}${target}`;
  }
  private relativeCwd(): string {
    const cwd = this.ctx.cwd.replace(/^\/+/, '');
    return cwd ? `${cwd}/` : '';
  }

  async extract(entry: TarEntry, target: string): Promise<void> {
    const o = this.job.opts;
    const shown = entry.name;
    if (o.O) {
      if (entry.type === 'file' || entry.type === 'contiguous') await this.toStdout(entry);
      return;
    }
    let where: { path: string; parent: string; comps: string[] };
    try {
      where = this.safe.locate(this.absolute(target));
    } catch (err) {
      await this.report.fail(shown, 'Cannot open', asSystemError(err));
      return;
    }
    const path = where.path;
    try {
      switch (entry.type) {
        case 'directory':
          return await this.directory(entry, path, target);
        case 'file':
        case 'contiguous':
          return await this.file(entry, path, shown);
        case 'symlink':
          return await this.symlink(entry, path, shown);
        case 'link':
          return await this.hardLink(entry, path, shown);
        case 'chardev':
        case 'blockdev':
        case 'fifo':
          return await this.special(entry, path, shown);
        default:
          // unknown types: GNU extracts them as regular files
          await this.report.warn(`${quoteName(shown, false)}: Unknown file type '${entry.typeflag}', extracted as normal file`);
          return await this.file(entry, path, shown);
      }
    } catch (err) {
      if (err instanceof ArchiveError) throw err;
      await this.report.fail(shown, 'Cannot open', asSystemError(err));
    }
  }

  /** What is at `path` before we put a member there. Returns false when we must not replace it. */
  private async clearFor(entry: TarEntry, path: string, shown: string): Promise<boolean> {
    const o = this.job.opts;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(fsPath(path));
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return true;
      throw err;
    }
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
    try {
      fs.mkdirSync(fsPath(path), (entry.mode & 0o777 & ~this.umask) | S_IRWXU);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      const st = fs.lstatSync(fsPath(path));
      if (!st.isDirectory()) {
        if (!(await this.clearFor(entry, path, entry.name))) return;
        fs.mkdirSync(fsPath(path), (entry.mode & 0o777 & ~this.umask) | S_IRWXU);
      }
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

  private async file(entry: TarEntry, path: string, shown: string): Promise<void> {
    const mode = this.createMode(entry);
    let fd: number;
    try {
      fd = this.openNew(path, mode);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        await entry.skip();
        throw err;
      }
      if (!(await this.clearFor(entry, path, shown))) return entry.skip();
      fd = this.openNew(path, mode);
    }
    try {
      await entry.pipe((chunk, position) => {
        let off = 0;
        while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off, position + off);
      });
      if (entry.sparse) fs.ftruncateSync(fd, entry.realSize);
      this.setOwner(fd, undefined, entry);
      // the set-id bits and anything the umask took: chmod after chown (chown clears set-id)
      if (mode & 0o7000 || (mode & 0o777) !== (mode & 0o777 & ~this.umask)) fs.fchmodSync(fd, mode);
      this.setTimes(fd, undefined, entry);
    } finally {
      fs.closeSync(fd);
    }
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

  private async hardLink(entry: TarEntry, path: string, shown: string): Promise<void> {
    let linkName = entry.linkname;
    if (!this.job.opts.P) {
      const s = stripUnsafePrefix(linkName);
      if (s.removed) await this.report.once(`Removing leading \`${s.removed}' from hard link targets`);
      linkName = s.name;
    }
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
    if (this.job.opts['numeric-owner'] || !entry.uname) return entry.uid;
    let id = this.uidCache.get(entry.uname);
    if (!this.uidCache.has(entry.uname)) {
      id = userByName(entry.uname)?.uid;
      this.uidCache.set(entry.uname, id);
    }
    return id ?? entry.uid;
  }
  private gidOf(entry: TarEntry): number {
    if (this.job.opts['numeric-owner'] || !entry.gname) return entry.gid;
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
    if (this.job.opts.m) return;
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
