// The package model shared by indexes, the installed database and the solver: names (each with the
// packages that provide it), packages, dependency atoms (spec §6) and identities (spec §3).
import { ANY, CHECKSUM, EQUAL, FUZZY, isValidVersion, opMask, opString, versionMatches } from './version.js';

/** Per-name solver state; reset before every solve. */
export interface NameSolverState {
  seen: boolean;
  locked: boolean;
  chosen: Provider | null;
  requirers: number;
  merge_depends: number;
  merge_provides: number;
  max_dep_chain: number;
  has_virtual_provides: boolean;
  has_options: boolean;
  has_auto_selectable: boolean;
  reverse_deps_done: boolean;
  reevaluate_deps: boolean;
  reevaluate_iif: boolean;
  has_iif: boolean;
  no_iif: boolean;
  iif_needed: boolean;
  resolvenow: boolean;
  order_id: number;
  queue: 0 | 1 | 2 | 3; // 0 none, 1 resolvenow, 2 selectable, 3 unresolved
  dirty: boolean;
  installed_pkg: Pkg | null;
  installed_name: Name | null;
  changeset_processed: boolean;
  changeset_removed: boolean;
  state_int: number;
}

export class Name {
  readonly providers: Provider[] = [];
  /** Names of packages that depend on this name. */
  readonly rdepends: Name[] = [];
  /** Names of packages whose install_if mentions this name. */
  readonly rinstallIf: Name[] = [];
  ss!: NameSolverState;
  solverFlagsSet = false;
  constructor(readonly name: string) {}
}

export interface Provider {
  readonly pkg: Pkg;
  /** The provided version; null for a virtual (unversioned) provide. */
  readonly version: string | null;
}

export interface Dep {
  readonly name: Name;
  /** Operator mask (version.ts); ANY without a version. */
  readonly op: number;
  /** The version or, with CHECKSUM, the package identity; '' without one. */
  readonly version: string;
  readonly conflict: boolean;
  /** Index of the repository tag (world atoms `name@tag`); 0 = untagged. */
  tag: number;
  broken?: boolean;
}

/** What the database remembers about an installed package. */
export interface InstalledInfo {
  replaces: Dep[];
  replacesPriority: number;
  repositoryTag: number;
  brokenFiles: boolean;
  brokenScript: boolean;
  brokenXattr: boolean;
  /** Directories with their files, in the order they are recorded. */
  dirs: InstalledDir[];
  /** Script bodies by action (`post-install` …). */
  scripts: Map<string, Buffer>;
  /** Trigger globs (`triggers` line of the db). */
  triggers: string[];
  /** Directories that fired this package's trigger in the current commit. */
  pendingTriggers: string[];
}

export interface InstalledDir {
  name: string;
  /** uid:gid:mode[:xattrsum] when not root:root 0755. */
  acl?: string;
  files: InstalledFile[];
}

export interface InstalledFile {
  name: string;
  /** uid:gid:mode when not root:root 0644. */
  acl?: string;
  /** Q1… content checksum. */
  csum?: string;
}

export interface PkgSolverState {
  seen: boolean;
  pkg_selectable: boolean;
  pkg_available: boolean;
  tag_ok: boolean;
  tag_preferred: boolean;
  iif_triggered: boolean;
  iif_failed: boolean;
  dependencies_merged: boolean;
  dependencies_used: boolean;
  conflicts: number;
  error: boolean;
  in_changeset: boolean;
  pinning_allowed: number;
  pinning_preferred: number;
  solver_flags: number;
  solver_flags_inheritable: number;
  max_dep_chain: number;
}

export class Pkg {
  version = '';
  arch = '';
  description = '';
  url = '';
  license = '';
  origin = '';
  maintainer = '';
  commit = '';
  buildTime = 0;
  size = 0;
  installedSize = 0;
  providerPriority = 0;
  replacesPriority = 0;
  depends: Dep[] = [];
  provides: Dep[] = [];
  installIf: Dep[] = [];
  replaces: Dep[] = [];
  triggers: string[] = [];
  /** Q1… identity. */
  identity = '';
  /** Repositories holding it: bit 0 the cache, bit i+1 repository i. */
  repos = 0;
  /** A local .apk given on the command line. */
  filename?: string;
  /** An unknown upper-case index field: cannot be installed. */
  uninstallable = false;
  cached = false;
  cachedNonRepository = false;
  installed?: InstalledInfo;
  ss!: PkgSolverState;
  marked = false;
  stateInt = 0;
  constructor(readonly name: Name) {}

  /** name-version, as apk prints packages. */
  get nameVersion(): string {
    return `${this.name.name}-${this.version}`;
  }
}

/** The name table: every name ever mentioned, by its text. */
export class NameTable {
  readonly names = new Map<string, Name>();
  get(text: string): Name {
    let n = this.names.get(text);
    if (!n) {
      n = new Name(text);
      this.names.set(text, n);
    }
    return n;
  }
  find(text: string): Name | undefined {
    return this.names.get(text);
  }
}

const OP_CHARS = '<>=~';

/**
 * Parse one atom: `[!]name[@tag][op version]`. Returns undefined when malformed.
 * `tagOf` maps a tag name to its index (world atoms); without it tags are not accepted.
 */
export function parseDep(
  text: string,
  names: NameTable,
  tagOf?: (tag: string) => number,
): Dep | undefined {
  let i = 0;
  let conflict = false;
  if (text[0] === '!') {
    conflict = true;
    i = 1;
  }
  let end = i;
  while (end < text.length && !OP_CHARS.includes(text[end]!) && text[end] !== '@') end++;
  const name = text.slice(i, end);
  if (name === '') return undefined;
  let tag = 0;
  if (text[end] === '@') {
    let t = end + 1;
    while (t < text.length && !OP_CHARS.includes(text[t]!)) t++;
    const tagName = text.slice(end + 1, t);
    if (!tagOf || tagName === '') return undefined;
    tag = tagOf(tagName);
    end = t;
  }
  let op = ANY;
  let version = '';
  if (end < text.length) {
    let v = end;
    while (v < text.length && OP_CHARS.includes(text[v]!)) v++;
    op = opMask(text.slice(end, v));
    version = text.slice(v);
    if (op === 0 || version === '') return undefined;
    if (op === CHECKSUM) {
      if (!/^Q1[A-Za-z0-9+/]{27}=$/.test(version) && !/^[0-9a-f]{32}$/.test(version)) return undefined;
    } else if (!isValidVersion(version)) return undefined;
  }
  return { name: names.get(name), op, version, conflict, tag };
}

/** Space-separated atoms (index `D:`/`p:`/`i:` lines, .PKGINFO values); malformed ones are skipped. */
export function parseDeps(text: string, names: NameTable, into: Dep[] = []): Dep[] {
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const dep = parseDep(word, names);
    if (dep) into.push(dep);
  }
  return into;
}

/** An atom as apk writes it; `tagName` gives the text of a tag index. */
export function formatDep(dep: Dep, tagName?: (tag: number) => string): string {
  let s = (dep.conflict ? '!' : '') + dep.name.name;
  if (dep.tag && tagName) s += `@${tagName(dep.tag)}`;
  if (dep.version !== '') s += opString(dep.op) + dep.version;
  return s;
}

export function formatDeps(deps: readonly Dep[]): string {
  return deps.map((d) => formatDep(d)).join(' ');
}

/** Whether provider p satisfies dep (conflicts inverted), as apk_dep_is_provided. */
export function depIsProvided(dep: Dep, p: Provider | null): boolean {
  if (!p || !p.pkg) return dep.conflict;
  if (dep.op === CHECKSUM) return (p.pkg.identity === dep.version) !== dep.conflict;
  return depMatchesVersion(dep, p.version) !== dep.conflict;
}

function depMatchesVersion(dep: Dep, version: string | null): boolean {
  if (dep.op === ANY && dep.version === '') return true;
  if (version === null) return false; // a virtual provide satisfies only unversioned atoms
  return versionMatches(version, dep.op, dep.version);
}

/** Whether package pkg (by its own name or a provide) satisfies dep, as apk_dep_analyze's "satisfies". */
export function pkgSatisfies(dep: Dep, pkg: Pkg): boolean {
  if (pkg.name === dep.name) return depIsProvided(dep, { pkg, version: pkg.version });
  for (const p of pkg.provides)
    if (p.name === dep.name) return depIsProvided(dep, { pkg, version: p.version === '' ? null : p.version });
  return dep.conflict;
}

export { FUZZY, EQUAL };
