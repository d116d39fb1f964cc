// The package model shared by indexes, the installed database and the solver: names (each with the
// packages that provide it), packages, dependency atoms (spec §6) and identities (spec §3).
import { ANY, CHECKSUM, EQUAL, FUZZY, GREATER, isValidVersion, LESS, opMask, opString, versionMatches } from './version.js';

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
  /** The atom naming just this name (no version, no `!`), shared by the index fields that say so. */
  plainDep: Dep | undefined = undefined;
  constructor(
    readonly name: string,
    readonly table: NameTable,
    /** Index of this name's solver state (solver.ts keeps it in arrays, not objects). */
    readonly id: number,
  ) {}

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
    const list = this.rinstallIf;
    if (list === NO_NAMES) {
      this.rinstallIf = [name];
      return;
    }
    // popular triggers (docs, openrc …) collect thousands of names: a set keeps this linear
    if (list.length < 16) {
      if (list.includes(name)) return;
    } else {
      this.rinstallIfSet ??= new Set(list);
      if (this.rinstallIfSet.has(name)) return;
      this.rinstallIfSet.add(name);
    }
    (list as Name[]).push(name);
  }
  private rinstallIfSet?: Set<Name>;
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

export class Pkg {
  version = '';
  /** Where this package's index record is, for the text fields read only when asked for (A T U L
   *  o m c): slicing them out of thousands of records costs more than everything else in a parse. */
  private sourceText?: string = undefined;
  private sourceStart = 0;
  private sourceEnd = 0;
  buildTime = 0;
  size = 0;
  installedSize = 0;
  providerPriority = 0;
  /** The `D:` field as read from an index, parsed on first use of `depends`: a solve touches a few
   *  hundred of an index's thousands of packages. */
  dependsText = '';
  // shared empty lists until a field gives some (thousands of index packages have none)
  provides: Dep[] = NO_DEPS;
  installIf: Dep[] = NO_DEPS;
  /** Q1… identity. */
  identity = '';
  /** Repositories holding it: bit 0 the cache, bit i+1 repository i. */
  repos = 0;
  /** Index of this package's solver state. */
  readonly id: number;
  /** A package is the provider of its own name (with its own version): no object per package. */
  readonly pkg: Pkg = this;

  // Every field is set here, so all packages share one shape: code reading them stays optimised.
  private text?: Record<string, string> = undefined;
  private parsedDepends?: Dep[] = undefined;
  replacesPriority = 0;
  replaces: Dep[] = NO_DEPS;
  triggers: string[] = NO_STRINGS;
  /** A local .apk given on the command line. */
  filename?: string = undefined;
  /** An unknown upper-case index field: cannot be installed. */
  uninstallable = false;
  cached = false;
  cachedNonRepository = false;
  installed?: InstalledInfo = undefined;
  marked = false;
  stateInt = 0;

  constructor(public name: Name) {
    this.id = name.table.pkgCount++;
  }

  /** Remember the record the text fields come from (index parsing). */
  setSource(text: string, start: number, end: number): void {
    this.sourceText = text;
    this.sourceStart = start;
    this.sourceEnd = end;
  }

  /** A text field (A T U L o m c) as the record has it: undefined when the record has no such line. */
  textField(key: string): string | undefined {
    return (this.text ??= this.readText())[key];
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

  /** name-version, as apk prints packages. */
  get nameVersion(): string {
    return `${this.name.name}-${this.version}`;
  }
}

/** The name table: every name ever mentioned, by its text. */
export class NameTable {
  private readonly byText = new Map<string, Name>();
  /** Every name, by id. */
  readonly list: Name[] = [];
  /** Packages created over these names (ids are 0 … pkgCount-1). */
  pkgCount = 0;
  /** Names whose solverFlagsSet the last solve set. */
  flagged: Name[] = [];
  /** Told of every new name while a solve is running (its state arrays grow). */
  onNewName?: (count: number) => void;
  /** The name of a record whose P: line is still to come (not in the table). */
  readonly placeholder = new Name('', this, -1);

  get size(): number {
    return this.list.length;
  }

  get(text: string): Name {
    let n = this.byText.get(text);
    if (!n) {
      n = new Name(text, this, this.list.length);
      this.byText.set(text, n);
      this.list.push(n);
      this.onNewName?.(this.list.length);
    }
    return n;
  }

  find(text: string): Name | undefined {
    return this.byText.get(text);
  }

  /** The name text[start, end) spells, made when new. */
  getIn(text: string, start: number, end: number): Name {
    return this.get(text.slice(start, end));
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
  if (!validate) return parseAtomsIn(text, 0, text.length, names, into);
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(' ', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const dep = parseDep(text.slice(start, end), names, undefined, validate);
      if (dep) into.push(dep);
    }
    start = end + 1;
  }
  return into;
}

/**
 * The atoms of text[start, end), read in place (index and database fields: trusted, and parsed by
 * the ten thousand): no copy of the line or of each word, names looked up where they stand, and an
 * unversioned atom is its name's one shared Dep. Same grammar as parseDep without validation; a
 * malformed atom is skipped.
 */
export function parseAtomsIn(text: string, start: number, end: number, names: NameTable, out: Dep[] = []): Dep[] {
  // most lines hold only `name` and `name=version` atoms: split with the engine's searches
  const line = start === 0 && end === text.length ? text : text.slice(start, end);
  if (!SPECIAL_ATOM.test(line)) return parsePlainAtoms(line, names, out);
  let i = start;
  while (i < end) {
    let wordEnd = text.indexOf(' ', i);
    if (wordEnd === -1 || wordEnd > end) wordEnd = end;
    let p = i;
    let conflict = false;
    if (text.charCodeAt(p) === 33 /* ! */) {
      conflict = true;
      p++;
    }
    let nameEnd = p;
    let c = 0;
    while (nameEnd < wordEnd) {
      c = text.charCodeAt(nameEnd);
      if (c === 60 || c === 61 || c === 62 || c === 126 || c === 64) break;
      nameEnd++;
    }
    if (nameEnd > p && c !== 64) {
      let op = ANY;
      let version = '';
      let ok = true;
      if (nameEnd < wordEnd) {
        let v = nameEnd;
        op = 0;
        for (; v < wordEnd; v++) {
          c = text.charCodeAt(v);
          if (c === 60) op |= LESS;
          else if (c === 62) op |= GREATER;
          else if (c === 61) op |= EQUAL;
          else if (c === 126) op |= FUZZY | EQUAL;
          else break;
        }
        version = text.slice(v, wordEnd);
        ok = op !== 0 && version !== '';
      }
      if (ok) {
        const name = names.getIn(text, p, nameEnd);
        out.push(op === ANY && !conflict ? (name.plainDep ??= { name, op: ANY, version: '', conflict: false, tag: 0 }) : { name, op, version, conflict, tag: 0 });
      }
    }
    i = wordEnd + 1;
  }
  return out;
}

/** What only the general atom parse handles: other operators, `==`, tags, conflicts. */
const SPECIAL_ATOM = /[<>~@!]|==/;

/** parseAtomsIn for a line of `name` and `name=version` atoms only. */
function parsePlainAtoms(line: string, names: NameTable, out: Dep[]): Dep[] {
  const len = line.length;
  let i = 0;
  while (i < len) {
    let wordEnd = line.indexOf(' ', i);
    if (wordEnd === -1) wordEnd = len;
    if (wordEnd > i) {
      let eq = line.indexOf('=', i);
      if (eq === -1 || eq > wordEnd) eq = wordEnd;
      if (eq > i) {
        const name = names.get(line.slice(i, eq));
        if (eq === wordEnd) out.push((name.plainDep ??= { name, op: ANY, version: '', conflict: false, tag: 0 }));
        else if (wordEnd > eq + 1) out.push({ name, op: EQUAL, version: line.slice(eq + 1, wordEnd), conflict: false, tag: 0 });
      }
    }
    i = wordEnd + 1;
  }
  return out;
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
