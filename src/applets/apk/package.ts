// The package model shared by indexes, the installed database and the solver: names (each with the
// packages that provide it), packages, dependency atoms (spec §6) and identities (spec §3).
import { ANY, CHECKSUM, isValidVersion, opMask, opString, versionMatches } from './version.js';

/** Per-name solver state; reset before every solve. */
export interface NameSolverState {
  seen: boolean;
  locked: boolean;
  chosen: Provider | null;
  requirers: number;
  merge_depends: number;
  merge_provides: number;
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

const NO_NAMES: readonly Name[] = Object.freeze([]);
const NO_DEPS = Object.freeze([]) as unknown as Dep[];
const NO_STRINGS = Object.freeze([]) as unknown as string[];

const NO_PROVIDERS = Object.freeze([]) as unknown as Provider[];

export class Name {
  /** Packages providing this name (most names that only appear in dependencies have none). */
  providers: Provider[] = NO_PROVIDERS;
  /** Names of packages that depend on this name (filled as their dependencies are parsed). */
  rdepends: readonly Name[] = NO_NAMES;
  /** Names of packages whose install_if mentions this name. */
  rinstallIf: readonly Name[] = NO_NAMES;
  solverFlagsSet = false;
  private solverState?: NameSolverState;
  private solverGen = -1;
  constructor(
    readonly name: string,
    readonly table: NameTable,
  ) {}

  /** Solver state of the current solve (fresh for a name the solve has not touched yet). */
  get ss(): NameSolverState {
    if (this.solverGen !== this.table.gen) {
      this.solverGen = this.table.gen;
      this.solverState = newNameState();
      this.table.touched.push(this);
    }
    return this.solverState!;
  }

  /** Note that a package named `name` depends on this name. A repeat is dropped when it follows
   *  directly (one package naming this twice, versions of one name parsed in a row); a rarer one
   *  stays: every reader tolerates it, and a set per name would cost more than it saves. */
  addRdepend(name: Name): void {
    if (this.rdepends === NO_NAMES) this.rdepends = [name];
    else if (this.rdepends[this.rdepends.length - 1] !== name) (this.rdepends as Name[]).push(name);
  }

  addProvider(p: Provider): void {
    if (this.providers === NO_PROVIDERS) this.providers = [p];
    else this.providers.push(p);
  }

  addRinstallIf(name: Name): void {
    if (this.rinstallIf.includes(name)) return;
    if (this.rinstallIf === NO_NAMES) this.rinstallIf = [];
    (this.rinstallIf as Name[]).push(name);
  }
}

export function newNameState(): NameSolverState {
  return {
    seen: false,
    locked: false,
    chosen: null,
    requirers: 0,
    merge_depends: 0,
    merge_provides: 0,
    has_virtual_provides: false,
    has_options: false,
    has_auto_selectable: false,
    reverse_deps_done: false,
    reevaluate_deps: false,
    reevaluate_iif: false,
    has_iif: false,
    no_iif: false,
    iif_needed: false,
    resolvenow: false,
    order_id: 0,
    queue: 0,
    dirty: false,
    installed_pkg: null,
    installed_name: null,
    changeset_processed: false,
    changeset_removed: false,
    state_int: 0,
  };
}

export function newPkgState(): PkgSolverState {
  return {
    seen: false,
    pkg_selectable: false,
    pkg_available: false,
    tag_ok: false,
    tag_preferred: false,
    iif_triggered: false,
    iif_failed: false,
    dependencies_merged: false,
    dependencies_used: false,
    conflicts: 0,
    error: false,
    in_changeset: false,
    pinning_allowed: 0,
    pinning_preferred: 0,
    solver_flags: 0,
    solver_flags_inheritable: 0,
  };
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
}

export class Pkg {
  version = '';
  /** Where this package's index record is, for the text fields read only when asked for (A T U L
   *  o m c): slicing them out of thousands of records costs more than everything else in a parse. */
  private sourceText?: string;
  private sourceStart = 0;
  private sourceEnd = 0;
  private text?: Record<string, string>;
  buildTime = 0;
  size = 0;
  installedSize = 0;
  providerPriority = 0;
  replacesPriority = 0;
  /** The `D:` field as read from an index, parsed on first use of `depends`: a solve touches a few
   *  hundred of an index's thousands of packages. */
  dependsText = '';
  private parsedDepends?: Dep[];
  // shared empty lists until a field gives some (thousands of index packages have none)
  provides: Dep[] = NO_DEPS;
  installIf: Dep[] = NO_DEPS;
  replaces: Dep[] = NO_DEPS;
  triggers: string[] = NO_STRINGS;
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
  marked = false;
  stateInt = 0;
  private solverState?: PkgSolverState;
  private solverGen = -1;
  constructor(public name: Name) {}

  /** Remember the record the text fields come from (index parsing). */
  setSource(text: string, start: number, end: number): void {
    this.sourceText = text;
    this.sourceStart = start;
    this.sourceEnd = end;
  }

  private field(key: string): string {
    const t = (this.text ??= this.readText());
    return t[key] ?? '';
  }

  private setField(key: string, value: string): void {
    (this.text ??= this.readText())[key] = value;
  }

  private readText(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.sourceText === undefined) return out;
    const rec = this.sourceText.slice(this.sourceStart, this.sourceEnd);
    for (const key of 'ATULomc') {
      const at = rec.startsWith(`${key}:`) ? 0 : rec.indexOf(`\n${key}:`) + 1;
      if (at <= 0 && !rec.startsWith(`${key}:`)) continue;
      const nl = rec.indexOf('\n', at);
      out[key] = rec.slice(at + 2, nl < 0 ? rec.length : nl);
    }
    return out;
  }

  get arch(): string {
    return this.field('A');
  }
  set arch(v: string) {
    this.setField('A', v);
  }
  get description(): string {
    return this.field('T');
  }
  set description(v: string) {
    this.setField('T', v);
  }
  get url(): string {
    return this.field('U');
  }
  set url(v: string) {
    this.setField('U', v);
  }
  get license(): string {
    return this.field('L');
  }
  set license(v: string) {
    this.setField('L', v);
  }
  get origin(): string {
    return this.field('o');
  }
  set origin(v: string) {
    this.setField('o', v);
  }
  get maintainer(): string {
    return this.field('m');
  }
  set maintainer(v: string) {
    this.setField('m', v);
  }
  get commit(): string {
    return this.field('c');
  }
  set commit(v: string) {
    this.setField('c', v);
  }

  get depends(): Dep[] {
    if (!this.parsedDepends) {
      this.parsedDepends = parseDeps(this.dependsText, this.name.table, [], false);
      for (const d of this.parsedDepends) d.name.addRdepend(this.name);
    }
    return this.parsedDepends;
  }

  set depends(deps: Dep[]) {
    this.parsedDepends = deps;
    for (const d of deps) d.name.addRdepend(this.name);
  }

  /** Register a dependency added after parsing (virtual meta packages). */
  addDepend(dep: Dep): void {
    this.depends.push(dep);
    dep.name.addRdepend(this.name);
  }

  get ss(): PkgSolverState {
    const gen = this.name.table.gen;
    if (this.solverGen !== gen) {
      this.solverGen = gen;
      this.solverState = newPkgState();
    }
    return this.solverState!;
  }

  /** name-version, as apk prints packages. */
  get nameVersion(): string {
    return `${this.name.name}-${this.version}`;
  }
}

/** The name table: every name ever mentioned, by its text. */
export class NameTable {
  readonly names = new Map<string, Name>();
  /** Solver generation: bumping it resets every name's and package's solver state lazily. */
  gen = 0;
  /** Names whose solver state belongs to the current generation. */
  touched: Name[] = [];
  /** Atoms of index and database fields by their text; shared, never modified. */
  readonly depCache = new Map<string, Dep>();
  newGeneration(): void {
    this.gen++;
    this.touched = [];
  }
  get(text: string): Name {
    let n = this.names.get(text);
    if (!n) {
      n = new Name(text, this);
      this.names.set(text, n);
    }
    return n;
  }
  find(text: string): Name | undefined {
    return this.names.get(text);
  }
}

// < = > ~
const isOp = (c: number) => c === 60 || c === 61 || c === 62 || c === 126;
const isOpOrTag = (c: number) => isOp(c) || c === 64;

/**
 * Parse one atom: `[!]name[@tag][op version]`. Returns undefined when malformed.
 * `tagOf` maps a tag name to its index (world atoms); without it tags are not accepted.
 */
export function parseDep(
  text: string,
  names: NameTable,
  tagOf?: (tag: string) => number,
  validate = true,
): Dep | undefined {
  let i = 0;
  let conflict = false;
  if (text[0] === '!') {
    conflict = true;
    i = 1;
  }
  let end = i;
  while (end < text.length && !isOpOrTag(text.charCodeAt(end))) end++;
  const name = text.slice(i, end);
  if (name === '') return undefined;
  let tag = 0;
  if (text[end] === '@') {
    let t = end + 1;
    while (t < text.length && !isOp(text.charCodeAt(t))) t++;
    const tagName = text.slice(end + 1, t);
    if (!tagOf || tagName === '') return undefined;
    tag = tagOf(tagName);
    end = t;
  }
  let op = ANY;
  let version = '';
  if (end < text.length) {
    let v = end;
    while (v < text.length && isOp(text.charCodeAt(v))) v++;
    op = opMask(text.slice(end, v));
    version = text.slice(v);
    if (op === 0 || version === '') return undefined;
    if (!validate) {
      // index and database fields: trusted, and parsed by the thousand
    } else if (op === CHECKSUM) {
      if (!/^Q1[A-Za-z0-9+/]{27}=$/.test(version) && !/^[0-9a-f]{32}$/.test(version)) return undefined;
    } else if (!isValidVersion(version)) return undefined;
  }
  return { name: names.get(name), op, version, conflict, tag };
}

/** Space-separated atoms (index `D:`/`p:`/`i:` lines, .PKGINFO values); malformed ones are skipped. */
export function parseDeps(text: string, names: NameTable, into: Dep[] = [], validate = true): Dep[] {
  if (text === '') return into;
  const cache = validate ? undefined : names.depCache;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(' ', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const word = text.slice(start, end);
      // index atoms repeat by the thousand (so:libc…): parse each distinct one once
      let dep = cache?.get(word);
      if (!dep) {
        dep = parseDep(word, names, undefined, validate);
        if (dep && cache) cache.set(word, dep);
      }
      if (dep) into.push(dep);
    }
    start = end + 1;
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
