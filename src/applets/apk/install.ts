// Applying a changeset to the root (spec §8, §9). Every package is fetched and verified before the
// first change; each file is written under a temporary `.apk.<hex>` name and renamed into place
// once the whole package is extracted; files of the old version go only after the new one is in;
// the database is written atomically by the caller at the end. A killed transaction therefore
// leaves a database that loads (recording what was committed before) plus at most stray temporary
// files, which `apk fix` replaces.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { Env } from '../../core/env.js';
import { errorCode, errorText } from '../../core/errors.js';
import { findInPath } from '../../core/process.js';
import { groupByName, userByName } from '../../core/ids.js';
import { SafeRoot } from '../../core/safe-path.js';
import { newInstalledInfo } from './apkindex.js';
import type { Apk } from './context.js';
import { type Database, describeError, localPath } from './database.js';
import { ApkError, EAPKSTALEINDEX } from './errors.js';
import { crypto, type PackageArchive, q1, readPackage } from './formats/signed.js';
import type { TarEntry } from './formats/tar.js';
import { depIsProvided, type InstalledDir, type InstalledFile, parseDeps, type Pkg } from './package.js';
import type { Change } from './solver.js';

const SCRIPT_PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin';

interface Owner {
  pkg: Pkg;
  dir: InstalledDir;
  file: InstalledFile;
}

/** A file extracted under a temporary name, waiting to be renamed into place. */
interface Pending {
  tmp: string;
  final: string;
  protectedFile: boolean;
  csum?: string;
}

export class Transaction {
  private readonly archives = new Map<Pkg, PackageArchive>();
  private owners = new Map<string, Owner>();
  private dirOwners = new Map<string, Set<Pkg>>();
  private readonly touchedDirs = new Set<string>();
  private readonly runAllTriggers = new Set<Pkg>();
  private protectedRules: [string, string][] = [];
  /** Resolves member names under the root, following symlinks only inside it (as in a chroot). */
  private readonly safe: SafeRoot;

  constructor(
    readonly apk: Apk,
    readonly db: Database,
  ) {
    this.safe = new SafeRoot(db.root, { chroot: true, dirMode: 0o755 });
  }

  /** Fetch and verify every package to install, in parallel. Returns the number of failures. */
  async prepare(changes: Change[]): Promise<number> {
    const wanted = changes
      .filter((c) => c.newPkg && (c.newPkg !== c.oldPkg || c.reinstall) && !isVirtual(c.newPkg))
      .map((c) => c.newPkg!);
    const total = wanted.reduce((n, p) => n + p.size, 0);
    let fetched = 0;
    const results = await Promise.allSettled(
      wanted.map((pkg) =>
        this.load(pkg).then(() => {
          fetched += pkg.size;
          this.apk.progress(fetched, total);
        }),
      ),
    );
    let failed = 0;
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      if (r.status === 'rejected') {
        await this.apk.error(`${wanted[i]!.nameVersion}: ${describeError(r.reason)}`);
        failed++;
      }
    }
    if (!failed) this.indexOwners();
    this.loadProtectedPaths();
    return failed;
  }

  private async load(pkg: Pkg): Promise<void> {
    const buf = await this.packageBytes(pkg);
    const archive = await readPackage(buf, { keys: this.db.keys, allowUntrusted: this.apk.has('allow-untrusted') });
    if (archive.identity !== pkg.identity) throw new ApkError(EAPKSTALEINDEX);
    this.archives.set(pkg, archive);
  }

  private async packageBytes(pkg: Pkg): Promise<Buffer> {
    if (pkg.filename) return fs.readFileSync(fsPath(pkg.filename));
    const cacheName = `${pkg.name.name}-${pkg.version}.${Buffer.from(pkg.identity.slice(2), 'base64').subarray(0, 4).toString('hex')}.apk`;
    const cacheDir = this.cacheDir();
    if (cacheDir) {
      try {
        return fs.readFileSync(fsPath(`${cacheDir}/${cacheName}`));
      } catch {
        // not cached yet
      }
    }
    for (const repo of this.db.repos) {
      if (!(pkg.repos & repo.bit) || !repo.loaded) continue;
      const url = `${repo.url.replace(/\/$/, '')}/${pkg.arch || this.db.arch}/${pkg.name.name}-${pkg.version}.apk`;
      const buf = repo.local ? fs.readFileSync(fsPath(localPath(url, this.apk.ctx.cwd))) : await this.apk.fetch(url);
      if (cacheDir && !repo.local) fs.writeFileSync(fsPath(`${cacheDir}/${cacheName}`), buf);
      return buf;
    }
    throw new ApkError(EAPKSTALEINDEX);
  }

  /** The package cache: only when etc/apk/cache is a link to a directory (or --cache-dir). */
  cacheDir(): string | undefined {
    const link = this.db.path('etc/apk/cache');
    try {
      if (fs.statSync(fsPath(link)).isDirectory()) return link;
    } catch {
      return undefined;
    }
    return undefined;
  }

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

  private loadProtectedPaths(): void {
    const rules: [string, string][] = [
      ['+', 'etc'],
      ['@', 'etc/init.d'],
      ['!', 'etc/apk'],
    ];
    let files: string[] = [];
    try {
      files = fs.readdirSync(fsPath(this.db.path('etc/apk/protected_paths.d')), { encoding: 'latin1' }).filter((f) => f.endsWith('.list')).sort();
    } catch {
      // none
    }
    for (const f of files) {
      for (const line of (this.db.readText(`etc/apk/protected_paths.d/${f}`) ?? '').split('\n')) {
        const m = /^([-+@!])(.+)$/.exec(line.trim());
        if (m) rules.push([m[1]!, m[2]!.replace(/^\/+|\/+$/g, '')]);
      }
    }
    this.protectedRules = rules;
  }

  /** Whether a path's content is protected (a changed config file is kept, the new one saved as .apk-new). */
  private isProtected(rel: string): boolean {
    let best = '';
    let mode = '';
    for (const [m, p] of this.protectedRules) {
      if ((rel === p || rel.startsWith(`${p}/`)) && p.length >= best.length) {
        best = p;
        mode = m;
      }
    }
    return mode === '+';
  }

  /** Apply one change. Returns true when the package ended up with errors. */
  async apply(c: Change): Promise<boolean> {
    if (!c.newPkg) return this.remove(c.oldPkg!);
    return this.install(c.oldPkg, c.newPkg);
  }

  private async remove(pkg: Pkg): Promise<boolean> {
    const info = pkg.installed!;
    let broken = false;
    if (!(await this.runScript(pkg, info.scripts, 'pre-deinstall', [pkg.version]))) broken = true;
    this.removeOwnership(pkg);
    this.purgeFiles(pkg, undefined);
    if (!(await this.runScript(pkg, info.scripts, 'post-deinstall', [pkg.version]))) broken = true;
    pkg.installed = undefined;
    this.db.installed = this.db.installed.filter((p) => p !== pkg);
    return broken;
  }

  /** Remove the files and then the empty directories of pkg not kept by `keep` or other packages. */
  private purgeFiles(pkg: Pkg, keep: Set<string> | undefined): void {
    const info = pkg.installed;
    if (!info) return;
    for (const dir of info.dirs) {
      for (const file of dir.files) {
        const rel = joinRel(dir.name, file.name);
        if (keep?.has(rel) || this.owners.has(rel)) continue;
        const abs = this.db.path(rel);
        // a changed configuration file stays, unless --purge
        if (!this.apk.has('purge') && this.isProtected(rel) && file.csum && fileCsum(abs) !== file.csum) continue;
        try {
          fs.unlinkSync(fsPath(abs));
        } catch {
          // already gone
        }
        this.touchedDirs.add(dir.name);
      }
    }
    for (const dir of [...info.dirs].reverse()) {
      if (keep?.has(`${dir.name}/`) || (this.dirOwners.get(dir.name)?.size ?? 0) > 0) continue;
      try {
        fs.rmdirSync(fsPath(this.db.path(dir.name)));
      } catch {
        // not empty or in use
      }
    }
  }

  private async install(oldPkg: Pkg | null, pkg: Pkg): Promise<boolean> {
    const archive = this.archives.get(pkg) ?? (isVirtual(pkg) ? emptyArchive() : undefined);
    if (!archive) return true;
    const scriptArgs = oldPkg ? [pkg.version, oldPkg.version] : [pkg.version];
    if (!(await this.runScript(pkg, archive.scripts, oldPkg ? 'pre-upgrade' : 'pre-install', scriptArgs))) {
      return true;
    }
    // replaces and triggers live only in .PKGINFO, not in indexes
    const one = (k: string) => archive.info.get(k) ?? [];
    if (archive.info.size) {
      pkg.replaces = parseDeps(one('replaces').join(' '), this.db.names);
      pkg.replacesPriority = Number(one('replaces_priority')[0] ?? 0) || 0;
      pkg.triggers = one('triggers').join(' ').split(' ').filter(Boolean);
    }
    const info = newInstalledInfo();
    info.replaces = pkg.replaces;
    info.replacesPriority = pkg.replacesPriority;
    info.scripts = archive.scripts;
    info.triggers = pkg.triggers;
    let broken = false;
    const pending: Pending[] = [];
    const dirs = new Map<string, InstalledDir>();
    const newPaths = new Set<string>();
    const pathOf = new Map<string, string>(); // rel → where its content is now (for hard links)
    if (oldPkg && oldPkg !== pkg) this.removeOwnership(oldPkg);
    else if (oldPkg === pkg) this.removeOwnership(pkg);
    const chown = this.apk.ctx.host.euid() === 0 && !this.apk.has('no-chown');

    const ensureDir = (rel: string, e?: TarEntry): InstalledDir => {
      let d = dirs.get(rel);
      if (!d) {
        d = { name: rel, files: [] };
        dirs.set(rel, d);
        info.dirs.push(d);
        newPaths.add(`${rel}/`);
      }
      if (e) {
        const uid = this.idOf(e, 'u');
        const gid = this.idOf(e, 'g');
        const mode = e.mode & 0o7777;
        if (uid !== 0 || gid !== 0 || mode !== 0o755) d.acl = `${uid}:${gid}:${mode.toString(8)}`;
      }
      return d;
    };

    try {
      for await (const e of archive.dataEntries()) {
        const rel = e.name.replace(/^\.\//, '').replace(/\/+$/, '');
        if (rel === '' || rel === '.') continue;
        if (!isSafeName(rel)) {
          await this.apk.warning(`${pkg.nameVersion}: ignoring malicious file ${e.name}`);
          continue;
        }
        const abs = this.safe.locate(rel).path;
        if (e.type === '5') {
          ensureDir(rel, e);
          try {
            fs.mkdirSync(fsPath(abs), { mode: e.mode & 0o7777 });
            fs.chmodSync(fsPath(abs), e.mode & 0o7777);
          } catch (err) {
            if (errorCode(err) !== 'EEXIST') throw err;
          }
          // a directory in the package may be a symlink to one in the root (lib -> usr/lib)
          if (!fs.statSync(fsPath(abs)).isDirectory()) throw new ApkError(5, `${rel}: not a directory`);
          this.safe.invalidate();
          continue;
        }
        const slash = rel.lastIndexOf('/');
        const dirRel = slash < 0 ? '' : rel.slice(0, slash);
        const base = rel.slice(slash + 1);
        if (base.startsWith('.keep_')) continue;
        const dir = ensureDir(dirRel);
        // ownership: another package's file is replaced only with `replaces` (or --force-overwrite)
        const owner = this.owners.get(rel);
        if (owner && owner.pkg !== pkg && owner.pkg !== oldPkg && owner.pkg.name !== pkg.name) {
          const verdict = this.overwriteVerdict(owner.pkg, pkg);
          if (verdict === 'skip') continue;
          if (verdict === 'error') {
            await this.apk.error(`${pkg.nameVersion}: trying to overwrite ${rel} owned by ${owner.pkg.nameVersion}.`);
            broken = true;
            continue;
          }
          if (verdict === 'warn')
            await this.apk.warning(`${pkg.nameVersion}: overwriting ${rel} owned by ${owner.pkg.nameVersion}.`);
          owner.dir.files = owner.dir.files.filter((f) => f !== owner.file);
        }
        const file: InstalledFile = { name: base };
        const tmp = `${abs.slice(0, abs.length - base.length)}.apk.${crypto().randomBytes(12).toString('hex')}`;
        const uid = this.idOf(e, 'u');
        const gid = this.idOf(e, 'g');
        if (e.type === '2') {
          fs.symlinkSync(fsPath(e.linkname), fsPath(tmp));
          file.csum = q1(crypto().createHash('sha1').update(e.linkname, 'latin1').digest());
          file.acl = `${uid}:${gid}:777`;
          if (chown) fs.lchownSync(fsPath(tmp), uid, gid);
        } else if (e.type === '1') {
          const targetRel = e.linkname.replace(/^\.\//, '');
          const source = pathOf.get(targetRel) ?? this.safe.linkTarget(targetRel);
          fs.linkSync(fsPath(source), fsPath(tmp));
          const targetFile = [...dirs.values()].flatMap((d) => d.files.map((f) => [joinRel(d.name, f.name), f] as const)).find(([p]) => p === targetRel)?.[1];
          file.csum = targetFile?.csum;
          file.acl = targetFile?.acl;
        } else if (e.type === '0' || e.type === '7') {
          const sum = crypto().createHash('sha1').update(e.data).digest();
          const expected = e.pax.get('APK-TOOLS.checksum.SHA1');
          if (expected && expected.toLowerCase() !== sum.toString('hex')) throw new ApkError(74);
          fs.writeFileSync(fsPath(tmp), e.data, { mode: 0o600 });
          if (chown) fs.chownSync(fsPath(tmp), uid, gid);
          fs.chmodSync(fsPath(tmp), e.mode & 0o7777);
          fs.utimesSync(fsPath(tmp), e.mtime, e.mtime);
          file.csum = q1(sum);
          const mode = e.mode & 0o7777;
          if (uid !== 0 || gid !== 0 || mode !== 0o644) file.acl = `${uid}:${gid}:${mode.toString(8)}`;
        } else {
          // devices and fifos are not shipped in packages; skip quietly
          continue;
        }
        dir.files.push(file);
        newPaths.add(rel);
        pathOf.set(rel, tmp);
        pending.push({ tmp, final: abs, protectedFile: this.isProtected(rel), csum: file.csum });
        this.touchedDirs.add(dirRel);
      }
    } catch (err) {
      for (const p of pending) fs.rmSync(fsPath(p.tmp), { force: true });
      await this.apk.error(`${pkg.nameVersion}: ${describeError(err)}`);
      if (oldPkg) this.addOwnership(oldPkg);
      return true;
    }

    // everything extracted: move into place
    for (const p of pending) {
      if (p.protectedFile) {
        const old = this.oldCsum(oldPkg, p.final);
        const current = fileCsum(p.final);
        if (current !== undefined && current !== p.csum && (old === undefined || current !== old)) {
          // the admin changed it: keep theirs, the new one beside it (or nowhere with --clean-protected)
          if (this.apk.has('clean-protected')) fs.rmSync(fsPath(p.tmp), { force: true });
          else fs.renameSync(fsPath(p.tmp), fsPath(`${p.final}.apk-new`));
          continue;
        }
      }
      fs.renameSync(fsPath(p.tmp), fsPath(p.final));
    }
    if (oldPkg && oldPkg !== pkg) {
      const oldKeep = new Set(newPaths);
      this.purgeFiles(oldPkg, oldKeep);
      oldPkg.installed = undefined;
      this.db.installed = this.db.installed.filter((p) => p !== oldPkg);
    }
    if (oldPkg === pkg) this.db.installed = this.db.installed.filter((p) => p !== pkg);
    info.brokenFiles = broken;
    pkg.installed = info;
    this.db.installed.push(pkg);
    this.addOwnership(pkg);
    if (pkg.triggers.length && archive.scripts.has('trigger')) this.runAllTriggers.add(pkg);
    if (!(await this.runScript(pkg, archive.scripts, oldPkg ? 'post-upgrade' : 'post-install', scriptArgs))) broken = true;
    return broken;
  }

  private oldCsum(oldPkg: Pkg | null, abs: string): string | undefined {
    if (!oldPkg?.installed) {
      const owner = this.owners.get(this.relOf(abs));
      return owner?.file.csum;
    }
    const rel = this.relOf(abs);
    for (const d of oldPkg.installed.dirs) for (const f of d.files) if (joinRel(d.name, f.name) === rel) return f.csum;
    return undefined;
  }

  private relOf(abs: string): string {
    const prefix = this.db.path('');
    return abs.startsWith(prefix) ? abs.slice(prefix.length) : abs;
  }

  private overwriteVerdict(owner: Pkg, pkg: Pkg): 'ok' | 'skip' | 'error' | 'warn' {
    if (owner.origin && owner.origin === pkg.origin) return 'ok';
    let ownerPrio = -1;
    let pkgPrio = -1;
    for (const d of owner.installed?.replaces ?? [])
      if (depIsProvided(d, { pkg, version: pkg.version }) && d.name === pkg.name) ownerPrio = owner.installed!.replacesPriority;
    for (const d of pkg.replaces)
      if (d.name === owner.name && depIsProvided(d, { pkg: owner, version: owner.version })) pkgPrio = pkg.replacesPriority;
    if (ownerPrio > pkgPrio) return 'skip';
    if (pkgPrio >= 0) return 'ok';
    return this.apk.has('force-overwrite') ? 'warn' : 'error';
  }

  private idOf(e: TarEntry, kind: 'u' | 'g'): number {
    const name = kind === 'u' ? e.uname : e.gname;
    const num = kind === 'u' ? e.uid : e.gid;
    if (!name || name === 'root') return name === 'root' ? 0 : num;
    const found = kind === 'u' ? userByName(name, this.db.root)?.uid : groupByName(name, this.db.root)?.gid;
    return found ?? num;
  }

  /** Run a package script inside the root. Returns false when it failed (package flagged). */
  async runScript(pkg: Pkg, scripts: Map<string, Buffer>, action: string, args: string[]): Promise<boolean> {
    const body = scripts.get(action);
    if (!body || this.apk.has('no-scripts')) return true;
    const scriptName = `${pkg.nameVersion}.${action}`;
    this.apk.msg(`Executing ${scriptName}`);
    await this.apk.flush();
    const status = await this.execInRoot(`lib/apk/exec/${scriptName}`, body, args);
    if (status === 0) return true;
    if (pkg.installed) pkg.installed.brokenScript = true;
    await this.apk.error(`${scriptName}: script exited with error ${status}`);
    return false;
  }

  /** Write `body` to ROOT/rel, run it (chrooted unless the root is /) and delete it. */
  private async execInRoot(rel: string, body: Buffer, args: string[]): Promise<number> {
    const abs = this.db.path(rel);
    fs.mkdirSync(fsPath(abs.slice(0, abs.lastIndexOf('/'))), { recursive: true });
    fs.writeFileSync(fsPath(abs), body, { mode: 0o755 });
    const env = new Env([['PATH', SCRIPT_PATH.slice(5)]]);
    try {
      const inRoot = `/${rel}`;
      if (this.db.root === '/') return await this.apk.ctx.exec(['sh', inRoot, ...args], { env, cwd: '/' });
      return await this.apk.ctx.exec([...this.rootRunner(), '/bin/sh', inRoot, ...args], { env, cwd: this.db.root });
    } catch (err) {
      await this.apk.warning(`${rel.slice(rel.lastIndexOf('/') + 1)}: not run: ${err instanceof Error ? err.message : errorText(err)}`);
      return 127;
    } finally {
      fs.rmSync(fsPath(abs), { force: true });
    }
  }

  /** How to run a program inside the root: the system's chroot as root, else bubblewrap (which
   *  needs no privileges where user namespaces are allowed). Never the host itself. */
  private rootRunner(): string[] {
    const env = new Env([['PATH', SCRIPT_PATH.slice(5)]]);
    if (this.apk.ctx.host.euid() === 0 && findInPath('chroot', env, '/')) return ['chroot', this.db.root];
    if (findInPath('bwrap', env, '/'))
      return ['bwrap', '--bind', this.db.root, '/', '--dev-bind', '/dev', '/dev', '--proc', '/proc', '--chdir', '/', '--'];
    throw Object.assign(new Error('cannot run scripts inside the root (no chroot privilege, no bwrap)'), { code: 'ENOSYS' });
  }

  /** Triggers and directory bookkeeping after all changes. Returns errors. */
  async finish(): Promise<number> {
    let errors = 0;
    if (this.apk.has('no-scripts')) return 0;
    for (const pkg of this.db.installed) {
      const info = pkg.installed!;
      if (!info.triggers.length || !info.scripts.has('trigger')) continue;
      const candidates = this.runAllTriggers.has(pkg) ? this.allDirs() : [...this.touchedDirs];
      const fired = candidates.filter((d) => info.triggers.some((g) => fnmatchPath(g, `/${d}`))).sort();
      if (!fired.length) continue;
      if (!(await this.runScript(pkg, info.scripts, 'trigger', fired.map((d) => `/${d}`)))) errors++;
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
      const env = new Env([['PATH', SCRIPT_PATH.slice(5)]]);
      try {
        if (this.db.root === '/') await this.apk.ctx.exec(['sh', `/${rel}`, type], { env, cwd: '/' });
        else await this.apk.ctx.exec([...this.rootRunner(), '/bin/sh', `/${rel}`, type], { env, cwd: this.db.root });
      } catch (err) {
        await this.apk.warning(`${rel}: not run: ${err instanceof Error ? err.message : errorText(err)}`);
      }
    }
  }
}

/** A package with nothing to extract: `add --virtual` meta packages (no repository, no file). */
function isVirtual(pkg: Pkg): boolean {
  return !pkg.filename && (pkg.repos & ~1) === 0;
}

function emptyArchive(): PackageArchive {
  return {
    info: new Map(),
    scripts: new Map(),
    identity: '',
    identityBytes: Buffer.alloc(0),
    trusted: true,
    fileSize: 0,
    hasDatahash: true,
    async *dataEntries() {},
  };
}

function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** apk refuses absolute names, `..` and `.` components and control characters. */
function isSafeName(rel: string): boolean {
  if (rel.startsWith('/')) return false;
  for (const part of rel.split('/')) if (part === '..' || part === '.' || part === '') return false;
  return !/[\x00-\x1f\x7f]/.test(rel);
}

function fileCsum(abs: string): string | undefined {
  try {
    const st = fs.lstatSync(fsPath(abs));
    const data = st.isSymbolicLink() ? Buffer.from(fs.readlinkSync(fsPath(abs), { encoding: 'latin1' }), 'latin1') : fs.readFileSync(fsPath(abs));
    return q1(crypto().createHash('sha1').update(data).digest());
  } catch {
    return undefined;
  }
}

/** fnmatch(pattern, path, FNM_PATHNAME): `*` and `?` do not cross `/`. */
export function fnmatchPath(pattern: string, path: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set[0] === '!') set = `^${set.slice(1)}`;
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(path);
}

