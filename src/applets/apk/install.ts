// Applying a changeset to the root (spec §8, §9), as apk-tools does it. Every package is fetched and
// verified before the first change (downloads in parallel, small ones kept in memory, big ones in
// a temporary file, so memory stays bounded). Then package by package: its data member streams from
// the inflater through the tar parser into files under temporary `.apk.<hex>` names; only when the
// whole member is read and its hash matched are they renamed into place (or kept as .apk-new in
// protected directories), then the old version's leftovers go. The database is written atomically
// by the caller at the end. A killed transaction therefore leaves a database that loads (recording
// what was committed before) plus at most stray temporary files, which `apk fix` removes.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { Env } from '../../core/env.js';
import { errorCode, errorText } from '../../core/errors.js';
import { groupByName, userByName } from '../../core/ids.js';
import { findInPath } from '../../core/process.js';
import { SafeRoot } from '../../core/safe-path.js';
import { newInstalledInfo } from './apkindex.js';
import type { Apk } from './context.js';
import { type Database, describeError, localPath } from './database.js';
import { ApkError, EAPKSTALEINDEX } from './errors.js';
import { crypto, openPackage, type PackageArchive, type PackageSource, q1 } from './formats/signed.js';
import type { BodySink, TarHeader } from './formats/tar.js';
import { depIsProvided, type InstalledDir, type InstalledFile, type InstalledInfo, parseDeps, type Pkg } from './package.js';
import { fnmatchPath, ProtectedPaths, protectModeNone } from './protect.js';
import type { Change } from './solver.js';

const SCRIPT_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
/** Downloads at once: enough to hide latency, few enough to reuse kept-alive connections. */
const PARALLEL_DOWNLOADS = 6;
/** Downloads up to this size stay in memory; bigger ones go to a temporary file. */
const IN_MEMORY_DOWNLOAD = 1024 * 1024;

interface Owner {
  pkg: Pkg;
  dir: InstalledDir;
  file: InstalledFile;
}

/** A file extracted under a temporary name, waiting to be renamed into place. */
interface Pending {
  rel: string;
  tmp: string;
  final: string;
  file: InstalledFile;
  dir: InstalledDir;
  dirRel: string;
  /** Extended attributes to set on it before it is renamed. */
  xattrs?: [string, Buffer][];
  symlink: boolean;
}

export class Transaction {
  private readonly archives = new Map<Pkg, PackageArchive>();
  /** Temporary download files, removed when the transaction closes. */
  private readonly downloads: string[] = [];
  private owners = new Map<string, Owner>();
  private dirOwners = new Map<string, Set<Pkg>>();
  private readonly touchedDirs = new Set<string>();
  private readonly runAllTriggers = new Set<Pkg>();
  private protectedPaths?: ProtectedPaths;
  /** Resolves member names under the root, following symlinks only inside it (as in a chroot). */
  private readonly safe: SafeRoot;
  /** Temporary names: `.apk.` + 24 hex digits, unique within the transaction. */
  private readonly tmpPrefix = crypto().randomBytes(8).toString('hex');
  private tmpCounter = 0;
  private readonly chown: boolean;
  /** The system's setfattr (Node cannot set extended attributes), found on first need. */
  private setfattr?: string | null;

  constructor(
    readonly apk: Apk,
    readonly db: Database,
  ) {
    this.safe = new SafeRoot(db.root, { chroot: true, dirMode: 0o755 });
    this.chown = apk.ctx.host.euid() === 0 && !apk.has('no-chown');
  }

  /** Fetch and verify every package to install, several at a time. Returns the number of failures. */
  async prepare(changes: Change[]): Promise<number> {
    const wanted = changes
      .filter((c) => c.newPkg && (c.newPkg !== c.oldPkg || c.reinstall) && !isVirtual(c.newPkg))
      .map((c) => c.newPkg!);
    const total = wanted.reduce((n, p) => n + p.size, 0);
    let fetched = 0;
    const failures: (unknown | undefined)[] = new Array(wanted.length);
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const i = next++;
        const pkg = wanted[i]!;
        try {
          await this.load(pkg);
        } catch (err) {
          failures[i] = err ?? new Error('failed');
        }
        fetched += pkg.size;
        this.apk.progress(fetched, total);
      }
    };
    const workers = Array.from({ length: Math.min(PARALLEL_DOWNLOADS, wanted.length) }, worker);
    setImmediate(() => this.apk.startDevices()); // once the first requests are on their way
    await Promise.all(workers);
    let failed = 0;
    for (let i = 0; i < wanted.length; i++) {
      if (failures[i] === undefined) continue;
      await this.apk.error(`${wanted[i]!.nameVersion}: ${describeError(failures[i])}`);
      failed++;
    }
    if (!failed) this.indexOwners();
    this.protectedPaths = ProtectedPaths.load((rel) => this.db.path(rel));
    return failed;
  }

  private async load(pkg: Pkg): Promise<void> {
    const source = await this.packageSource(pkg);
    const archive = openPackage(source, { keys: this.db.keys, allowUntrusted: this.apk.has('allow-untrusted') });
    if (archive.identity !== pkg.identity) throw new ApkError(EAPKSTALEINDEX);
    this.archives.set(pkg, archive);
  }

  /** Where the package's bytes are: its file, the cache, a local repository, or a download. */
  private async packageSource(pkg: Pkg): Promise<PackageSource> {
    if (pkg.filename) return { path: pkg.filename };
    const cacheName = `${pkg.name.name}-${pkg.version}.${Buffer.from(pkg.identity.slice(2), 'base64').subarray(0, 4).toString('hex')}.apk`;
    const cacheDir = this.cacheDir();
    if (cacheDir && fs.existsSync(fsPath(`${cacheDir}/${cacheName}`))) return { path: `${cacheDir}/${cacheName}` };
    for (const repo of this.db.repos) {
      if (!(pkg.repos & repo.bit) || !repo.loaded) continue;
      const url = `${repo.url.replace(/\/$/, '')}/${pkg.arch || this.db.arch}/${pkg.name.name}-${pkg.version}.apk`;
      if (repo.local) {
        const path = localPath(url, this.apk.ctx.cwd);
        // a package the index names but the repository lacks: apk's "index stale"
        if (!fs.existsSync(fsPath(path))) throw new ApkError(EAPKSTALEINDEX);
        return { path };
      }
      // remote: into the cache when there is one, else memory or a temporary file
      const spill = cacheDir ? `${cacheDir}/.${cacheName}.${this.tmpPrefix}` : this.downloadFile();
      const source = await this.apk.download(url, cacheDir ? 0 : IN_MEMORY_DOWNLOAD, spill);
      if (cacheDir) {
        fs.renameSync(fsPath(spill), fsPath(`${cacheDir}/${cacheName}`));
        return { path: `${cacheDir}/${cacheName}` };
      }
      return source;
    }
    throw new ApkError(EAPKSTALEINDEX);
  }

  /** A temporary file for a big download, beside the root's cache of indexes. */
  private downloadFile(): string {
    const dir = this.db.path(this.db.cacheDirRel());
    fs.mkdirSync(fsPath(dir), { recursive: true });
    const path = `${dir}/.apk-download.${this.tmpPrefix}${(this.tmpCounter++).toString(16)}`;
    this.downloads.push(path);
    return path;
  }

  /** Remove what the transaction downloaded to temporary files. */
  close(): void {
    for (const p of this.downloads) fs.rmSync(fsPath(p), { force: true });
    this.downloads.length = 0;
  }

  /** The package cache: only when etc/apk/cache is a link to a directory (or --cache-dir). */
  cacheDir(): string | undefined {
    if (this.cache === undefined) {
      const link = this.db.path('etc/apk/cache');
      try {
        this.cache = fs.statSync(fsPath(link)).isDirectory() ? link : null;
      } catch {
        this.cache = null;
      }
    }
    return this.cache ?? undefined;
  }
  /** cacheDir's answer, found once per transaction (null: none). */
  private cache?: string | null;

  private indexOwners(): void {
    this.owners = new Map();
    this.dirOwners = new Map();
    for (const pkg of this.db.installed) this.addOwnership(pkg);
  }

  private addOwnership(pkg: Pkg): void {
    for (const dir of pkg.installed?.dirs ?? []) {
      let set = this.dirOwners.get(dir.name);
      if (!set) this.dirOwners.set(dir.name, (set = new Set()));
      set.add(pkg);
      for (const file of dir.files) this.owners.set(joinRel(dir.name, file.name), { pkg, dir, file });
    }
  }

  private removeOwnership(pkg: Pkg): void {
    for (const dir of pkg.installed?.dirs ?? []) {
      this.dirOwners.get(dir.name)?.delete(pkg);
      for (const file of dir.files) {
        const key = joinRel(dir.name, file.name);
        if (this.owners.get(key)?.pkg === pkg) this.owners.delete(key);
      }
    }
  }

  private protection(): ProtectedPaths {
    return (this.protectedPaths ??= ProtectedPaths.load((rel) => this.db.path(rel)));
  }

  /** Apply one change. Returns true when the package ended up with errors. */
  async apply(c: Change): Promise<boolean> {
    if (!c.newPkg) return this.remove(c.oldPkg!);
    return this.install(c.oldPkg, c.newPkg);
  }

  private async remove(pkg: Pkg): Promise<boolean> {
    const info = pkg.installed!;
    const args = [pkg.version];
    await this.runScript(pkg, info, 'pre-deinstall', args);
    this.removeOwnership(pkg);
    this.purgeFiles(pkg, undefined);
    await this.runScript(pkg, info, 'post-deinstall', args);
    pkg.installed = undefined;
    this.db.installed = this.db.installed.filter((p) => p !== pkg);
    return false; // as apk: a failing removal script is reported, not counted
  }

  /** Remove the files and then the empty directories of pkg not kept by `keep` or other packages
   *  (a changed file in a protected directory stays, unless --purge). */
  private purgeFiles(pkg: Pkg, keep: Set<string> | undefined): void {
    const info = pkg.installed;
    if (!info) return;
    const protection = this.protection();
    for (const dir of info.dirs) {
      const isProtected = !protectModeNone(protection.dir(dir.name).mode) && !this.apk.has('purge');
      for (const file of dir.files) {
        const rel = joinRel(dir.name, file.name);
        if (keep?.has(rel) || this.owners.has(rel)) continue;
        const abs = this.db.path(rel);
        if (isProtected && fileModified(abs, file.csum)) continue;
        try {
          fs.unlinkSync(fsPath(abs));
        } catch {
          // already gone
        }
      }
      this.touchedDirs.add(dir.name);
    }
    for (const dir of [...info.dirs].reverse()) {
      if (keep?.has(`${dir.name}/`) || (this.dirOwners.get(dir.name)?.size ?? 0) > 0 || dir.name === '') continue;
      try {
        fs.rmdirSync(fsPath(this.db.path(dir.name)));
      } catch {
        // not empty or in use
      }
    }
  }

  private async install(oldPkg: Pkg | null, pkg: Pkg): Promise<boolean> {
    const archive = this.archives.get(pkg) ?? (isVirtual(pkg) ? EMPTY_ARCHIVE : undefined);
    if (!archive) return true;
    const scriptArgs = oldPkg ? [pkg.version, oldPkg.version] : [pkg.version];
    const info = newInstalledInfo();
    // replaces and triggers live only in .PKGINFO, not in indexes
    const field = (k: string) => archive.info.get(k) ?? [];
    if (archive.info.size) {
      pkg.replaces = parseDeps(field('replaces').join(' '), this.db.names);
      pkg.replacesPriority = Number(field('replaces_priority')[0] ?? 0) || 0;
      pkg.triggers = field('triggers').join(' ').split(' ').filter(Boolean);
    }
    info.replaces = pkg.replaces;
    info.replacesPriority = pkg.replacesPriority;
    info.scripts = archive.scripts;
    info.triggers = pkg.triggers;
    // a failing pre-install script flags the package and the install goes on (apk-tools 2)
    await this.runScript(pkg, info, oldPkg ? 'pre-upgrade' : 'pre-install', scriptArgs);

    if (oldPkg) this.removeOwnership(oldPkg);
    const extraction = new Extraction(this, pkg, oldPkg, info);
    try {
      await archive.extract((h) => extraction.entry(h));
      await this.applyXattrs(extraction, info);
    } catch (err) {
      extraction.abort();
      await this.apk.error(`${pkg.nameVersion}: ${describeError(err)}`);
      if (oldPkg) this.addOwnership(oldPkg);
      return true;
    }
    for (const w of extraction.messages) await (w.error ? this.apk.error(w.text) : this.apk.warning(w.text));

    await this.commit(extraction, oldPkg, info);
    if (oldPkg && oldPkg !== pkg) {
      this.purgeFiles(oldPkg, extraction.newPaths);
      oldPkg.installed = undefined;
    }
    this.db.installed = this.db.installed.filter((p) => p !== oldPkg && p !== pkg);
    pkg.installed = info;
    this.db.installed.push(pkg);
    this.addOwnership(pkg);
    if (pkg.triggers.length && archive.scripts.has('trigger')) this.runAllTriggers.add(pkg);
    await this.runScript(pkg, info, oldPkg ? 'post-upgrade' : 'post-install', scriptArgs);
    return info.brokenFiles || info.brokenScript;
  }

  /** Rename the extracted files into place (apk_db_migrate_files): in a protected directory a file
   *  changed on disk stays, and the package's version becomes NAME.apk-new (or is dropped when it
   *  equals what is there, or with --clean-protected). Ownership moves to the new package. */
  private async commit(x: Extraction, oldPkg: Pkg | null, info: InstalledInfo): Promise<void> {
    const protection = this.protection();
    let linksChanged = false;
    for (const p of x.pending) {
      const owner = this.owners.get(p.rel);
      let target: string | undefined = p.final;
      if (!protectModeNone(protection.dir(p.dirRel).mode)) {
        const known = owner?.file.csum ?? (oldPkg ? x.oldFiles.get(p.rel)?.csum : undefined);
        const exists = existsNoFollow(p.final);
        if (exists && (known === undefined || fileModified(p.final, known))) {
          if (this.apk.has('clean-protected') || !fileModified(p.final, p.file.csum)) target = undefined;
          else target = `${p.final}.apk-new`;
        }
      }
      try {
        if (target) fs.renameSync(fsPath(p.tmp), fsPath(target));
        else fs.unlinkSync(fsPath(p.tmp));
      } catch (err) {
        await this.apk.error(`${x.pkg.nameVersion}: failed to commit ${p.rel}: ${errorText(err)}`);
        info.brokenFiles = true;
      }
      linksChanged ||= p.symlink;
      // the file now belongs to this package
      if (owner && owner.pkg !== x.pkg) owner.dir.files = owner.dir.files.filter((f) => f !== owner.file);
    }
    // a link may have replaced a directory on the way to later members
    if (linksChanged) this.safe.invalidate();
    for (const d of info.dirs) this.touchedDirs.add(d.name);
  }

  /** Set extended attributes through the system's setfattr (Node has no call for it). Without
   *  it, or when it fails, the package is flagged (f:x) as apk flags it where xattrs are not
   *  supported, and `apk fix -x` can set them later. */
  private async applyXattrs(x: Extraction, info: InstalledInfo): Promise<void> {
    const withXattrs = x.pending.filter((p) => p.xattrs?.length);
    if (!withXattrs.length) return;
    if (this.setfattr === undefined) {
      this.setfattr = findInPath('setfattr', new Env([['PATH', this.apk.ctx.env.get('PATH') ?? SCRIPT_PATH]]), '/') ?? null;
      if (!this.setfattr) await this.apk.warning('setfattr not found: extended attributes are not set (install the attr package)');
    }
    if (!this.setfattr) {
      info.brokenXattr = true;
      return;
    }
    for (const p of withXattrs) {
      for (const [name, value] of p.xattrs!) {
        const status = await this.apk.ctx.exec([this.setfattr, '-h', '-n', name, '-v', `0x${value.toString('hex')}`, p.tmp], {
          stdout: this.apk.ctx.stderr,
        });
        if (status !== 0) info.brokenXattr = true;
      }
    }
  }

  /** The owner uid or gid of an entry: its name looked up in the root's passwd/group, else the
   *  number (apk_id_cache_resolve_uid). */
  idOf(name: string, num: number, kind: 'u' | 'g'): number {
    if (name === 'root') return 0;
    if (!name) return num;
    const found = kind === 'u' ? userByName(name, this.db.root)?.uid : groupByName(name, this.db.root)?.gid;
    return found ?? num;
  }

  /** A fresh temporary name in the directory `dirAbs`. */
  tmpName(dirAbs: string): string {
    return `${dirAbs}/.apk.${this.tmpPrefix}${(this.tmpCounter++).toString(16).padStart(8, '0')}`;
  }

  locate(rel: string): { path: string; parent: string } {
    return this.safe.locate(rel);
  }

  ownerOf(rel: string): Owner | undefined {
    return this.owners.get(rel);
  }

  get chownFiles(): boolean {
    return this.chown;
  }

  overwriteVerdict(owner: Pkg, pkg: Pkg): 'ok' | 'skip' | 'error' | 'warn' {
    if (owner.origin && owner.origin === pkg.origin) return 'ok';
    let ownerPrio = -1;
    let pkgPrio = -1;
    for (const d of owner.installed?.replaces ?? [])
      if (d.name === pkg.name && depIsProvided(d, pkg)) {
        ownerPrio = owner.installed!.replacesPriority;
        break;
      }
    for (const d of pkg.replaces)
      if (d.name === owner.name && depIsProvided(d, owner)) {
        pkgPrio = pkg.replacesPriority;
        break;
      }
    if (ownerPrio > pkgPrio) return 'skip';
    if (pkgPrio >= 0) return 'ok';
    return this.apk.has('force-overwrite') ? 'warn' : 'error';
  }

  /** Run a package script inside the root; a failure flags the package (f:s). */
  async runScript(pkg: Pkg, info: InstalledInfo, action: string, args: string[]): Promise<boolean> {
    const body = info.scripts.get(action);
    if (!body || this.apk.has('no-scripts')) return true;
    const scriptName = `${pkg.nameVersion}.${action}`;
    this.apk.msg(`Executing ${scriptName}`);
    await this.apk.flush();
    const status = await this.execInRoot(`lib/apk/exec/${scriptName}`, body, args);
    if (status === 0) return true;
    info.brokenScript = true;
    await this.apk.error(`${scriptName}: script exited with error ${status}`);
    return false;
  }

  /** Write `body` to ROOT/rel, run it (chrooted unless the root is /) and delete it. */
  private async execInRoot(rel: string, body: Buffer, args: string[]): Promise<number> {
    const abs = this.db.path(rel);
    fs.mkdirSync(fsPath(abs.slice(0, abs.lastIndexOf('/'))), { recursive: true });
    fs.writeFileSync(fsPath(abs), body, { mode: 0o755 });
    try {
      return await this.runInRoot(['/bin/sh', `/${rel}`, ...args]);
    } catch (err) {
      await this.apk.warning(`${rel.slice(rel.lastIndexOf('/') + 1)}: not run: ${err instanceof Error ? err.message : errorText(err)}`);
      return 127;
    } finally {
      fs.rmSync(fsPath(abs), { force: true });
    }
  }

  /**
   * Run a program of the root with apk's script environment (PATH only). When the root is `/`,
   * `sh` is our own applet when this toolbox has it. Otherwise inside the root: through the
   * system's chroot as root, else bubblewrap (no privileges needed where user namespaces are
   * allowed), never against the host. A root built by `toolbox mkimage` holds toolbox as its
   * /bin/sh (with the loader and libraries it needs), so its scripts run with our sh there too.
   */
  private async runInRoot(argv: string[]): Promise<number> {
    await this.apk.devicesReady();
    const env = new Env([['PATH', SCRIPT_PATH]]);
    if (this.db.root === '/') return this.apk.ctx.exec(argv[0] === '/bin/sh' ? ['sh', ...argv.slice(1)] : argv, { env, cwd: '/' });
    return this.apk.ctx.exec([...this.rootRunner(), ...argv], { env, cwd: this.db.root });
  }

  private rootRunner(): string[] {
    const env = new Env([['PATH', SCRIPT_PATH]]);
    if (this.apk.ctx.host.euid() === 0 && findInPath('chroot', env, '/')) return ['chroot', this.db.root];
    if (findInPath('bwrap', env, '/'))
      return ['bwrap', '--bind', this.db.root, '/', '--dev-bind', '/dev', '/dev', '--proc', '/proc', '--chdir', '/', '--'];
    throw Object.assign(new Error('cannot run scripts inside the root (no chroot privilege, no bwrap)'), { code: 'ENOSYS' });
  }

  /** Triggers after all changes. Returns errors. */
  async finish(): Promise<number> {
    let errors = 0;
    if (this.apk.has('no-scripts')) return 0;
    for (const pkg of this.db.installed) {
      const info = pkg.installed!;
      if (!info.triggers.length || !info.scripts.has('trigger')) continue;
      const candidates = this.runAllTriggers.has(pkg) ? this.allDirs() : [...this.touchedDirs];
      const fired = candidates.filter((d) => info.triggers.some((g) => g.startsWith('/') && fnmatchPath(g, `/${d}`))).sort();
      if (!fired.length) continue;
      if (!(await this.runScript(pkg, info, 'trigger', fired.map((d) => `/${d}`)))) errors++;
    }
    return errors;
  }

  private allDirs(): string[] {
    const all = new Set<string>();
    for (const p of this.db.installed) for (const d of p.installed?.dirs ?? []) all.add(d.name);
    return [...all];
  }

  async runCommitHooks(type: 'pre-commit' | 'post-commit'): Promise<void> {
    if (this.apk.has('no-scripts') || this.apk.simulate) return;
    let hooks: string[] = [];
    try {
      hooks = fs.readdirSync(fsPath(this.db.path('etc/apk/commit_hooks.d')), { encoding: 'latin1' }).filter((f) => !f.startsWith('.')).sort();
    } catch {
      return;
    }
    for (const h of hooks) {
      const rel = `etc/apk/commit_hooks.d/${h}`;
      if (this.apk.has('no-commit-hooks')) {
        this.apk.msg(`Skipping: ${rel} ${type}`);
        continue;
      }
      if (this.apk.verbosity >= 2) this.apk.msg(`Executing: ${rel} ${type}`);
      await this.apk.flush();
      try {
        await this.runInRoot(['/bin/sh', `/${rel}`, type]);
      } catch (err) {
        await this.apk.warning(`${rel}: not run: ${err instanceof Error ? err.message : errorText(err)}`);
      }
    }
  }
}

/**
 * One package's data member going to disk (apk_db_install_file): called synchronously for each tar
 * entry as it streams by. Directories are made at once; files, links and hard links are written
 * under temporary names and listed in `pending` for the commit. Problems apk reports without
 * stopping (malicious names, overwrites, missing directory entries) flag the package.
 */
class Extraction {
  readonly pending: Pending[] = [];
  readonly newPaths = new Set<string>();
  readonly messages: { error: boolean; text: string }[] = [];
  /** The old version's files (upgrades), by path. */
  readonly oldFiles = new Map<string, InstalledFile>();
  private readonly dirs = new Map<string, InstalledDir>();
  private readonly tmpOf = new Map<string, string>();
  private fd = -1;
  private missingChecksum = false;

  constructor(
    private readonly txn: Transaction,
    readonly pkg: Pkg,
    readonly oldPkg: Pkg | null,
    private readonly info: InstalledInfo,
  ) {
    for (const d of oldPkg?.installed?.dirs ?? []) for (const f of d.files) this.oldFiles.set(joinRel(d.name, f.name), f);
  }

  private flag(error: boolean, text: string): void {
    this.messages.push({ error, text });
    this.info.brokenFiles = true;
  }

  entry(h: TarHeader): BodySink | undefined {
    const pkg = this.pkg;
    if (h.name.startsWith('.')) return undefined; // control files in an old-style data member
    const rel = h.name.replace(/\/+$/, '');
    if (!isSafeName(h.name)) {
      this.messages.push({ error: false, text: `${pkg.nameVersion}: ignoring malicious file ${h.name}` });
      this.info.brokenFiles = true;
      return undefined;
    }
    const uid = this.txn.idOf(h.uname, h.uid, 'u');
    const gid = this.txn.idOf(h.gname, h.gid, 'g');
    const xattrSum = h.xattrs?.length ? xattrDigest(h.xattrs) : undefined;
    if (h.type === '5') {
      this.directory(rel, h, uid, gid, xattrSum);
      return undefined;
    }
    const slash = rel.lastIndexOf('/');
    const dirRel = slash < 0 ? '' : rel.slice(0, slash);
    const base = rel.slice(slash + 1);
    if (base.length > 6 && base.startsWith('.keep_')) return undefined;
    let dir = this.dirs.get(dirRel);
    if (!dir) {
      if (dirRel !== '') {
        this.flag(true, `${pkg.nameVersion}: ${rel}: no dirent in archive`);
        return undefined;
      }
      dir = this.newDir('');
    }
    let linkFile: InstalledFile | undefined;
    if (h.type === '1') {
      linkFile = this.pending.find((p) => p.rel === h.linkname)?.file;
      if (!linkFile || !this.tmpOf.has(h.linkname)) {
        this.flag(true, `${pkg.nameVersion}: ${rel}: no hard link target (${h.linkname}) in archive`);
        return undefined;
      }
    }
    // ownership: another package's file is replaced only with `replaces` (or --force-overwrite)
    const owner = this.txn.ownerOf(rel);
    if (owner && owner.pkg.name !== pkg.name) {
      const verdict = this.txn.overwriteVerdict(owner.pkg, pkg);
      if (verdict === 'skip') return undefined;
      if (verdict === 'error') {
        this.flag(true, `${pkg.nameVersion}: trying to overwrite ${rel} owned by ${owner.pkg.nameVersion}.`);
        return undefined;
      }
      if (verdict === 'warn') this.messages.push({ error: false, text: `${pkg.nameVersion}: overwriting ${rel} owned by ${owner.pkg.nameVersion}.` });
    }
    if (h.type !== '0' && h.type !== '7' && h.type !== '1' && h.type !== '2') return undefined; // devices, fifos: not in packages

    const final = this.txn.locate(rel).path;
    const tmp = this.txn.tmpName(final.slice(0, final.lastIndexOf('/')));
    const file: InstalledFile = { name: base };
    const mode = h.mode & 0o7777;
    if (uid !== 0 || gid !== 0 || mode !== 0o644 || xattrSum) file.acl = `${uid}:${gid}:${mode.toString(8)}${xattrSum ? `:${xattrSum}` : ''}`;
    const sum = h.pax.get('APK-TOOLS.checksum.SHA1');
    if (linkFile) file.csum = linkFile.csum; // a hard link has no checksum of its own
    else if (sum && /^[0-9a-fA-F]{40}$/.test(sum)) file.csum = q1(Buffer.from(sum, 'hex'));
    else if (!this.missingChecksum) {
      this.missingChecksum = true;
      this.flag(false, `${pkg.nameVersion}: support for packages without embedded checksums will be dropped in apk-tools 3.`);
    }
    const pending: Pending = { rel, tmp, final, file, dir, dirRel, xattrs: h.xattrs, symlink: h.type === '2' };
    this.pending.push(pending);
    dir.files.push(file);
    this.newPaths.add(rel);
    this.tmpOf.set(rel, tmp);

    if (h.type === '2') {
      fs.symlinkSync(fsPath(h.linkname), fsPath(tmp));
      if (this.txn.chownFiles) fs.lchownSync(fsPath(tmp), uid, gid);
      return undefined;
    }
    if (h.type === '1') {
      fs.linkSync(fsPath(this.tmpOf.get(h.linkname)!), fsPath(tmp));
      return undefined;
    }
    return this.writeFile(tmp, h, uid, gid);
  }

  /** A regular file's body into its temporary file: open, write as it streams, then owner, mode
   *  and time through the descriptor, as apk's fsys_file_extract. */
  private writeFile(tmp: string, h: TarHeader, uid: number, gid: number): BodySink {
    const fd = fs.openSync(fsPath(tmp), 'wx', 0o600);
    this.fd = fd;
    return {
      data: (chunk) => {
        let off = 0;
        while (off < chunk.length) off += fs.writeSync(fd, chunk, off);
      },
      end: () => {
        if (this.txn.chownFiles && (uid !== 0 || gid !== 0)) fs.fchownSync(fd, uid, gid);
        fs.fchmodSync(fd, h.mode & 0o7777);
        fs.futimesSync(fd, h.mtime, h.mtime);
        this.fd = -1;
        fs.closeSync(fd);
      },
    };
  }

  private newDir(rel: string): InstalledDir {
    const d: InstalledDir = { name: rel, files: [] };
    this.dirs.set(rel, d);
    this.info.dirs.push(d);
    this.newPaths.add(`${rel}/`);
    return d;
  }

  private directory(rel: string, h: TarHeader, uid: number, gid: number, xattrSum: string | undefined): void {
    if (rel === '' || rel === '.') return;
    const d = this.dirs.get(rel) ?? this.newDir(rel);
    const mode = h.mode & 0o7777;
    if (uid !== 0 || gid !== 0 || mode !== 0o755 || xattrSum) d.acl = `${uid}:${gid}:${mode.toString(8)}${xattrSum ? `:${xattrSum}` : ''}`;
    const abs = this.txn.locate(rel).path;
    // a directory in the package may be a symlink to one in the root (lib -> usr/lib)
    const st = fs.statSync(fsPath(abs), { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw new ApkError(5, `${rel}: Not a directory`);
      return;
    }
    fs.mkdirSync(fsPath(abs), mode);
    fs.chmodSync(fsPath(abs), mode);
    if (this.txn.chownFiles && (uid !== 0 || gid !== 0)) fs.chownSync(fsPath(abs), uid, gid);
  }

  /** Undo after a failure: close what is open, remove the temporary files. */
  abort(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    for (const p of this.pending) fs.rmSync(fsPath(p.tmp), { force: true });
  }
}

/** apk's xattr digest: SHA-1 over the attributes sorted by name, each as length-prefixed name and value. */
function xattrDigest(xattrs: [string, Buffer][]): string {
  const h = crypto().createHash('sha1');
  const be32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  for (const [name, value] of [...xattrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    h.update(be32(name.length)).update(name, 'latin1');
    h.update(be32(value.length)).update(value);
  }
  return q1(h.digest());
}

/** A package with nothing to extract: `add --virtual` meta packages (no repository, no file). */
function isVirtual(pkg: Pkg): boolean {
  return !pkg.filename && (pkg.repos & ~1) === 0;
}

const EMPTY_ARCHIVE: PackageArchive = {
  info: new Map(),
  scripts: new Map(),
  identity: '',
  trusted: true,
  fileSize: 0,
  hasDatahash: true,
  extract: async () => {},
};

function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** apk refuses absolute names, `./` and `../` at the start, `/./` and `/../` inside, and control
 *  characters (apk_db_install_file). */
function isSafeName(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('./') || name.startsWith('../')) return false;
  if (name.includes('/./') || name.includes('/../')) return false;
  return !/[\x00-\x1f\x7f]/.test(name);
}

function existsNoFollow(abs: string): boolean {
  try {
    fs.lstatSync(fsPath(abs));
    return true;
  } catch {
    return false;
  }
}

/** Whether the file at `abs` differs from the checksum the database records (a missing file has
 *  not changed; a file without a recorded checksum has). */
function fileModified(abs: string, csum: string | undefined): boolean {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(fsPath(abs));
  } catch {
    return false;
  }
  if (!csum) return true;
  const data = st.isSymbolicLink() ? Buffer.from(fs.readlinkSync(fsPath(abs), { encoding: 'latin1' }), 'latin1') : fs.readFileSync(fsPath(abs));
  return q1(crypto().createHash('sha1').update(data).digest()) !== csum;
}

