// The database under --root (spec §4, §8): configuration (arch, world, repositories, keys), the
// installed packages with their files and scripts, and every repository's index. Loading is lazy
// where it can be (indexes are read only by commands that need them) and fast where it must be.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { errorCode } from '../../core/errors.js';
import { type IndexRecord, formatInstalledEntry, newInstalledInfo, parseIndex } from './apkindex.js';
import { ApkError, apkErrorText, ENOENT } from './errors.js';
import { KeyStore, readIndexArchive } from './formats/signed.js';
import { readTar, TAR_END, tarFile } from './formats/tar.js';
import { type Dep, formatDep, NameTable, parseDep, type Pkg } from './package.js';
import { REPOSITORY_CACHED_BIT, type SolverDb } from './solver.js';

export interface Repository {
  /** As written in the repositories file, without the tag. */
  url: string;
  tag: number;
  /** Bit of this repository in Pkg.repos. */
  bit: number;
  local: boolean;
  description: string;
  loaded: boolean;
}

export interface DbOptions {
  root: string;
  /** Absolute directory to resolve relative paths given by the user against. */
  cwd: string;
  arch?: string;
  keysDir?: string;
  repositoriesFile?: string;
  extraRepositories: string[];
  allowUntrusted: boolean;
  noCache: boolean;
  noNetwork: boolean;
  updateCache: boolean;
  forceRefresh: boolean;
  cacheMaxAge: number;
  cacheDir?: string;
  forceBrokenWorld: boolean;
  /** Print a line (stdout, `fetch …`) or warning (stderr). */
  message(text: string): void;
  warning(text: string): void;
  fetch: (url: string) => Promise<Buffer>;
}

export const DEFAULT_ARCH = 'x86_64';

export class Database implements SolverDb {
  readonly names = new NameTable();
  /** Packages by identity, filled lazily (a solve over one index never needs it). */
  private readonly identities = new Map<string, Pkg>();
  /** packages[0 … identitiesUpTo) are in `identities`. */
  private identitiesUpTo = 0;
  /** Where the source being loaded (an index, the installed db) starts in `packages`: a source is
   *  deduplicated only against earlier ones. */
  private sourceStart = 0;
  readonly packages: Pkg[] = [];
  installed: Pkg[] = [];
  world: Dep[] = [];
  readonly repos: Repository[] = [];
  readonly repoTags: { name: string; allowedRepos: number }[] = [{ name: '', allowedRepos: REPOSITORY_CACHED_BIT }];
  availableRepos = REPOSITORY_CACHED_BIT;
  localRepos = 0;
  arch = DEFAULT_ARCH;
  keys: KeyStore;
  forceBrokenWorld: boolean;
  /** Set while apk-tools upgrades itself first: the solver keeps everything else as installed,
   *  and the commit prints no summary. */
  performingPreupgrade = false;
  repoStats = { unavailable: 0, stale: 0, updated: 0 };
  /** World atoms whose @tag names no configured repository. */
  missingTags: string[] = [];
  private rdependsBuilt = false;

  constructor(readonly opts: DbOptions) {
    this.keys = new KeyStore([this.resolveInRoot(opts.keysDir ?? 'etc/apk/keys')]);
    this.forceBrokenWorld = opts.forceBrokenWorld;
  }

  get root(): string {
    return this.opts.root;
  }

  /** A path inside the root (relative names resolve in ROOT; absolute ones are used as is only for
   *  keys, as apk does). */
  path(rel: string): string {
    return this.root === '/' ? `/${rel}` : `${this.root.replace(/\/$/, '')}/${rel}`;
  }

  private resolveInRoot(p: string): string {
    return p.startsWith('/') ? p : this.path(p);
  }

  readText(rel: string): string | undefined {
    try {
      return fs.readFileSync(fsPath(this.path(rel)), 'latin1');
    } catch (err) {
      if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  tagIndex(name: string, create: boolean): number {
    const i = this.repoTags.findIndex((t) => t.name === name);
    if (i >= 0 || !create) return i;
    this.repoTags.push({ name, allowedRepos: 0 });
    return this.repoTags.length - 1;
  }

  tagName(i: number): string {
    return this.repoTags[i]?.name ?? '';
  }

  /** Read configuration and the installed database. */
  async loadConfig(): Promise<void> {
    const arch = this.opts.arch ?? this.readText('etc/apk/arch')?.split('\n')[0];
    if (arch) this.arch = arch;
    this.loadRepositoryList();
    await this.loadInstalled();
    this.loadWorld();
  }

  private loadRepositoryList(): void {
    const lines: string[] = [];
    const addFile = (text: string | undefined) => {
      if (text !== undefined) lines.push(...text.split('\n'));
    };
    if (this.opts.repositoriesFile !== undefined) {
      const f = this.opts.repositoriesFile;
      const abs = f.startsWith('/') ? f : `${this.opts.cwd}/${f}`;
      try {
        addFile(fs.readFileSync(fsPath(abs), 'latin1'));
      } catch {
        // apk: a missing file is no repositories
      }
    } else {
      addFile(this.readText('etc/apk/repositories'));
      let listFiles: string[] = [];
      try {
        listFiles = fs
          .readdirSync(fsPath(this.path('etc/apk/repositories.d')), { encoding: 'latin1' })
          .filter((n) => n.endsWith('.list'))
          .sort();
      } catch {
        // no repositories.d
      }
      for (const n of listFiles) addFile(this.readText(`etc/apk/repositories.d/${n}`));
    }
    lines.push(...this.opts.extraRepositories);
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      let tag = 0;
      let url = line;
      const m = /^@(\S+)\s+(.*)$/.exec(line);
      if (m) {
        tag = this.tagIndex(m[1]!, true);
        url = m[2]!.trim();
      }
      if (this.repos.some((r) => r.url === url)) continue;
      const bit = 2 ** (this.repos.length + 1);
      this.repos.push({ url, tag, bit, local: isLocalUrl(url), description: '', loaded: false });
      this.repoTags[tag]!.allowedRepos |= bit;
    }
  }

  private loadWorld(): void {
    const text = this.readText('etc/apk/world') ?? '';
    this.world = [];
    for (const word of text.split(/\s+/)) {
      if (word === '') continue;
      const dep = parseDep(word, this.names, (tag) => {
        const i = this.tagIndex(tag, false);
        if (i < 0) {
          this.missingTags.push(word);
          return this.tagIndex(tag, true);
        }
        return i;
      });
      if (dep) this.world.push(dep);
    }
  }

  private async loadInstalled(): Promise<void> {
    const text = this.readText('lib/apk/db/installed');
    if (text === undefined) return;
    this.beginSource();
    for (const rec of parseIndex(text, this.names, true)) this.addInstalled(rec);
    const scripts = (() => {
      try {
        return fs.readFileSync(fsPath(this.path('lib/apk/db/scripts.tar')));
      } catch {
        return undefined;
      }
    })();
    if (scripts) {
      try {
        for (const e of await readTar(scripts)) {
          const m = /^(.*)\.(Q1[A-Za-z0-9+/]{27}=|[0-9a-f]{32})\.([a-z-]+)$/.exec(e.name);
          const pkg = m ? this.findByIdentity(m[2]!) : undefined;
          if (pkg?.installed) pkg.installed.scripts.set(m![3]!, Buffer.from(e.data));
        }
      } catch {
        this.opts.warning('scripts.tar: bad archive');
      }
    }
    for (const line of (this.readText('lib/apk/db/triggers') ?? '').split('\n')) {
      const [id, ...globs] = line.split(' ');
      const pkg = id ? this.findByIdentity(id) : undefined;
      if (pkg?.installed) pkg.installed.triggers = globs.filter(Boolean);
    }
  }

  private addInstalled(rec: IndexRecord): void {
    const pkg = this.addPackage(rec.pkg, 0);
    pkg.installed = rec.installed ?? newInstalledInfo();
    pkg.replaces = pkg.installed.replaces;
    pkg.replacesPriority = pkg.installed.replacesPriority;
    if (rec.tagName) pkg.installed.repositoryTag = this.tagIndex(rec.tagName, true);
    this.installed.push(pkg);
    void pkg.depends; // reverse dependencies of installed packages are always needed
  }

  /** The package with this identity (Q1…), among everything loaded so far. */
  findByIdentity(id: string, upTo = this.packages.length): Pkg | undefined {
    for (; this.identitiesUpTo < upTo; this.identitiesUpTo++) {
      const p = this.packages[this.identitiesUpTo]!;
      if (p.identity && !this.identities.has(p.identity)) this.identities.set(p.identity, p);
    }
    return this.identities.get(id);
  }

  /** Start loading another source of packages (an index, the installed database). */
  beginSource(): void {
    this.sourceStart = this.packages.length;
  }

  /** Add a package, merging it with one of the same identity from an earlier source. */
  addPackage(pkg: Pkg, repoBits: number): Pkg {
    const id = pkg.identity;
    const known = id && this.sourceStart > 0 ? this.findByIdentity(id, this.sourceStart) : undefined;
    if (known) {
      known.repos |= repoBits;
      return known;
    }
    pkg.repos |= repoBits;
    this.packages.push(pkg);
    pkg.name.addProvider({ pkg, version: pkg.version });
    for (const p of pkg.provides) p.name.addProvider({ pkg, version: p.version === '' ? null : p.version });
    for (const d of pkg.installIf) d.name.addRinstallIf(pkg.name);
    this.rdependsBuilt = false;
    return pkg;
  }

  /** Reverse dependencies of every package (queries over whole repositories); the solver needs
   *  only those of installed packages and what it discovers, which parsing registers. */
  buildReverse(): void {
    if (this.rdependsBuilt) return;
    for (const pkg of this.packages) void pkg.depends;
    this.rdependsBuilt = true;
  }

  /** Index URL of a repository. */
  indexUrl(repo: Repository): string {
    return `${repo.url.replace(/\/$/, '')}/${this.arch}/APKINDEX.tar.gz`;
  }

  /** Cache file of a remote repository's index (relative to the root). */
  indexCacheFile(repo: Repository): string {
    const sha1 = process.getBuiltinModule('node:crypto').createHash('sha1').update(this.indexUrl(repo), 'latin1');
    return `${this.cacheDirRel()}/APKINDEX.${sha1.digest('hex').slice(0, 8)}.tar.gz`;
  }

  cacheDirRel(): string {
    return (this.opts.cacheDir ?? 'var/cache/apk').replace(/^\/+/, '');
  }

  /** Open every repository's index, refreshing remote ones when `autoUpdate` and stale. */
  async loadRepositories(autoUpdate: boolean): Promise<void> {
    for (const repo of this.repos) await this.loadRepository(repo, autoUpdate);
  }

  private async loadRepository(repo: Repository, autoUpdate: boolean): Promise<void> {
    const url = this.indexUrl(repo);
    let buf: Buffer | undefined;
    let action = 'opening';
    let error: unknown;
    let updateError: unknown;
    if (repo.local) {
      this.localRepos |= repo.bit;
      this.availableRepos |= repo.bit;
      try {
        buf = fs.readFileSync(fsPath(localPath(url, this.opts.cwd)));
      } catch (err) {
        error = err;
      }
    } else {
      if (!this.opts.noNetwork) this.availableRepos |= repo.bit;
      if (this.opts.noCache) {
        action = 'fetching';
        this.opts.message(`fetch ${url}`);
        try {
          buf = await this.opts.fetch(url);
        } catch (err) {
          error = err;
        }
      } else {
        action = 'opening from cache';
        const cacheFile = this.path(this.indexCacheFile(repo));
        if (autoUpdate && !this.opts.noNetwork) {
          const st = statOrUndefined(cacheFile);
          const fresh =
            st && !this.opts.updateCache && !this.opts.forceRefresh && Date.now() - st.mtimeMs <= this.opts.cacheMaxAge * 60000;
          if (!fresh) {
            this.opts.message(`fetch ${url}`);
            try {
              const data = await this.opts.fetch(url);
              await readIndexArchive(data, { keys: this.keys, allowUntrusted: this.opts.allowUntrusted });
              fs.mkdirSync(fsPath(cacheFile.slice(0, cacheFile.lastIndexOf('/'))), { recursive: true });
              const tmp = `${cacheFile}.tmp`;
              fs.writeFileSync(fsPath(tmp), data);
              fs.renameSync(fsPath(tmp), fsPath(cacheFile));
              this.repoStats.updated++;
            } catch (err) {
              updateError = err;
            }
          }
        }
        try {
          buf = fs.readFileSync(fsPath(cacheFile));
        } catch (err) {
          error = err;
        }
      }
    }
    if (buf && !error) {
      try {
        const archive = await readIndexArchive(buf, { keys: this.keys, allowUntrusted: this.opts.allowUntrusted });
        repo.description = archive.description.replace(/\n+$/, '');
        this.beginSource();
        parseIndex(archive.index, this.names, false, (pkg) => void this.addPackage(pkg, repo.bit));
        repo.loaded = true;
      } catch (err) {
        error = err;
      }
    }
    if (error || updateError) {
      if (!repo.local) {
        if (error) this.repoStats.unavailable++;
        else this.repoStats.stale++;
      }
      if (updateError) action = error ? 'updating and opening' : 'updating';
      this.opts.warning(`${action} ${url}: ${describeError(updateError ?? error)}`);
      if (error) this.availableRepos &= ~repo.bit;
    }
  }

  /** The installed package of a name, if any. */
  installedOf(name: string): Pkg | undefined {
    const n = this.names.find(name);
    if (!n) return undefined;
    for (const p of n.providers) if (p.pkg.installed && p.pkg.name === n) return p.pkg;
    return undefined;
  }

  /** Write world, installed, scripts.tar and triggers atomically (each file renamed into place). */
  writeState(): void {
    const worldText = this.world
      .map((d) => formatDep(d, (t) => this.tagName(t)))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .join('\n');
    writeAtomic(this.path('etc/apk/world'), `${worldText}\n`);
    const sorted = [...this.installed].sort((a, b) => (a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : 0));
    const parts: string[] = [];
    const scripts: Buffer[] = [];
    const triggers: string[] = [];
    for (const pkg of sorted) {
      const info = pkg.installed!;
      parts.push(formatInstalledEntry(pkg, info, this.tagName(info.repositoryTag)));
      for (const [action, body] of [...info.scripts].sort(([a], [b]) => (a < b ? -1 : 1)))
        scripts.push(
          tarFile({ name: `${pkg.name.name}-${pkg.version}.${pkg.identity}.${action}`, mode: 0o755, mtime: pkg.buildTime }, body),
        );
      if (info.triggers.length) triggers.push(`${pkg.identity} ${info.triggers.join(' ')}\n`);
    }
    fs.mkdirSync(fsPath(this.path('lib/apk/db')), { recursive: true });
    writeAtomic(this.path('lib/apk/db/installed'), parts.join(''));
    writeAtomic(this.path('lib/apk/db/scripts.tar'), Buffer.concat([...scripts, TAR_END]));
    writeAtomic(this.path('lib/apk/db/triggers'), triggers.join(''));
  }
}

export function describeError(err: unknown): string {
  if (err instanceof ApkError) return err.message;
  const code = errorCode(err);
  if (code === 'ENOENT') return apkErrorText(ENOENT);
  if (code === 'ECONNREFUSED') return 'could not connect to server (check repositories file)';
  if (code === 'EHTTP404') return 'No such file or directory';
  return err instanceof Error ? err.message : String(err);
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(fsPath(p));
  } catch {
    return undefined;
  }
}

export function isLocalUrl(url: string): boolean {
  return !/^(https?|ftp):\/\//.test(url);
}

/** The file a local repository URL (plain path or file://) names. */
export function localPath(url: string, cwd: string): string {
  const p = url.startsWith('file://') ? url.slice(7) : url;
  return p.startsWith('/') ? p : `${cwd}/${p}`;
}

/** Replace a database file by renaming a complete new one over it (no reader or crash sees half a
 *  file). Like apk-tools, no fsync: that would cost more than the whole transaction. */
export function writeAtomic(target: string, data: string | Buffer): void {
  const tmp = `${target}.apk-tmp`;
  fs.writeFileSync(fsPath(tmp), typeof data === 'string' ? Buffer.from(data, 'latin1') : data, { mode: 0o644 });
  fs.renameSync(fsPath(tmp), fsPath(target));
}
