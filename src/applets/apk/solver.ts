// The dependency solver (spec §7): apk-tools' up- and down-propagating deductive solver, step for
// step, so that the same world, installed set and repositories give the same changeset, in the same
// order, with the same error count. Names are resolved one at a time from priority queues; each
// choice propagates constraints (requirers, conflicts, pinning) until nothing is left to decide.
import { type Dep, depIsProvided, type Name, type NameTable, type Pkg, type Provider } from './package.js';
import { compareVersions, GREATER, LESS } from './version.js';

export const SOLVERF_UPGRADE = 0x0001;
export const SOLVERF_AVAILABLE = 0x0002;
export const SOLVERF_REINSTALL = 0x0004;
export const SOLVERF_LATEST = 0x0008;
export const SOLVERF_IGNORE_CONFLICT = 0x0010;
export const SOLVERF_INSTALLED = 0x0020;
export const SOLVERF_REMOVE = 0x0040;

export const REPOSITORY_CACHED_BIT = 1;
export const DEFAULT_PINNING_MASK = 1; // BIT(0): the untagged repositories

/** What the solver needs to know about the database. */
export interface SolverDb {
  readonly names: NameTable;
  readonly packages: Iterable<Pkg>;
  /** Installed packages in installation order. */
  readonly installed: readonly Pkg[];
  /** Bits of the repositories whose index could be opened. */
  readonly availableRepos: number;
  /** Tags: index 0 is the untagged default; allowedRepos are repository bits. */
  readonly repoTags: readonly { name: string; allowedRepos: number }[];
  /** `apk upgrade` of apk-tools itself first: prefer what is installed. */
  readonly performingPreupgrade?: boolean;
  readonly forceBrokenWorld?: boolean;
}

export interface Change {
  oldPkg: Pkg | null;
  newPkg: Pkg | null;
  oldTag: number;
  newTag: number;
  reinstall: boolean;
}

export interface Changeset {
  changes: Change[];
  numInstall: number;
  numRemove: number;
  numAdjust: number;
}

const ffs = (x: number) => (x === 0 ? 0 : 32 - Math.clz32(x & -x));
const providerNone: Provider | null = null;

/** Solver flags set on names before solving (`add -u NAME`, `upgrade NAME`, `fix`). */
export type NameFlags = Map<Name, { flags: number; inheritable: number }>;

// Per-name flags (apk-tools' bit fields of struct apk_name.ss).
const N_SEEN = 1 << 0;
const N_LOCKED = 1 << 1;
const N_HAS_VIRTUAL_PROVIDES = 1 << 2;
const N_HAS_OPTIONS = 1 << 3;
const N_HAS_AUTO_SELECTABLE = 1 << 4;
const N_REVERSE_DEPS_DONE = 1 << 5;
const N_REEVALUATE_DEPS = 1 << 6;
const N_REEVALUATE_IIF = 1 << 7;
const N_HAS_IIF = 1 << 8;
const N_NO_IIF = 1 << 9;
const N_IIF_NEEDED = 1 << 10;
const N_RESOLVENOW = 1 << 11;
const N_DIRTY = 1 << 12;
const N_CS_PROCESSED = 1 << 13;
const N_CS_REMOVED = 1 << 14;

// Per-package flags (struct apk_package.ss).
const P_SEEN = 1 << 0;
const P_SELECTABLE = 1 << 1;
const P_AVAILABLE = 1 << 2;
const P_TAG_OK = 1 << 3;
const P_TAG_PREFERRED = 1 << 4;
const P_IIF_TRIGGERED = 1 << 5;
const P_IIF_FAILED = 1 << 6;
const P_DEPS_MERGED = 1 << 7;
const P_DEPS_USED = 1 << 8;
const P_ERROR = 1 << 9;
const P_IN_CHANGESET = 1 << 10;

// Which queue a name waits in.
const Q_NONE = 0;
const Q_RESOLVENOW = 1;
const Q_SELECTABLE = 2;
const Q_UNRESOLVED = 3;

/**
 * The state of one solve, as columns indexed by Name.id and Pkg.id: a solve touches thousands of
 * names and packages, and an object per name and per package was most of its garbage.
 */
export class SolveState {
  nameCap = 0;
  nf = new Uint32Array(0);
  requirers = new Int32Array(0);
  mergeDepends = new Int32Array(0);
  mergeProvides = new Int32Array(0);
  orderId = new Int32Array(0);
  /** Discovery: how many of the name's rinstallIf are known discovered (a prefix). */
  riifSeen = new Int32Array(0);
  queue = new Uint8Array(0);
  chosen: (Provider | null)[] = [];
  installedPkg: (Pkg | null)[] = [];
  installedName: (Name | null)[] = [];
  readonly pf: Uint32Array;
  readonly conflicts: Int32Array;
  readonly pinningAllowed: Int32Array;
  readonly pinningPreferred: Int32Array;
  readonly solverFlags: Int32Array;
  readonly solverFlagsInheritable: Int32Array;
  /** Discovery: how many of the package's provides are known discovered (a prefix). */
  readonly providesSeen: Int32Array;

  constructor(names: number, pkgs: number) {
    this.growNames(names);
    this.pf = new Uint32Array(pkgs);
    this.conflicts = new Int32Array(pkgs);
    this.pinningAllowed = new Int32Array(pkgs);
    this.pinningPreferred = new Int32Array(pkgs);
    this.solverFlags = new Int32Array(pkgs);
    this.solverFlagsInheritable = new Int32Array(pkgs);
    this.providesSeen = new Int32Array(pkgs);
  }

  /** Room for `count` names (names are created while a solve parses dependencies lazily). */
  growNames(count: number): void {
    if (count <= this.nameCap) return;
    const cap = Math.max(count + 1024, this.nameCap + (this.nameCap >> 1));
    const grow32 = <T extends Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.nf = grow32(this.nf, (n) => new Uint32Array(n));
    this.requirers = grow32(this.requirers, (n) => new Int32Array(n));
    this.mergeDepends = grow32(this.mergeDepends, (n) => new Int32Array(n));
    this.mergeProvides = grow32(this.mergeProvides, (n) => new Int32Array(n));
    this.orderId = grow32(this.orderId, (n) => new Int32Array(n));
    this.riifSeen = grow32(this.riifSeen, (n) => new Int32Array(n));
    const q = new Uint8Array(cap);
    q.set(this.queue);
    this.queue = q;
    const grow = <T>(a: (T | null)[]) => {
      const b = new Array<T | null>(cap).fill(null);
      for (let i = 0; i < a.length; i++) b[i] = a[i]!;
      return b;
    };
    this.chosen = grow(this.chosen);
    this.installedPkg = grow(this.installedPkg);
    this.installedName = grow(this.installedName);
    this.nameCap = cap;
  }

  /** The package chosen for a name, if any. */
  chosenPkg(name: Name): Pkg | null {
    return this.chosen[name.id]?.pkg ?? null;
  }

  hasError(pkg: Pkg): boolean {
    return (this.pf[pkg.id]! & P_ERROR) !== 0;
  }
}

class Solver {
  errors = 0;
  solverFlagsInherit = 0;
  pinningInherit = 0;
  defaultRepos = 0;
  orderCounter = 0;
  ignoreConflict = false;
  dirty: Name[] = [];
  resolvenow: Name[] = [];
  selectable: Name[] = [];
  unresolved: Name[] = [];
  readonly changeset: Changeset = { changes: [], numInstall: 0, numRemove: 0, numAdjust: 0 };
  // the state's columns, read often enough to keep at hand (the name ones may be replaced by growth)
  readonly pf: Uint32Array;
  readonly conflicts: Int32Array;

  constructor(
    readonly db: SolverDb,
    readonly st: SolveState,
  ) {
    this.pf = st.pf;
    this.conflicts = st.conflicts;
  }

  pinningMaskRepos(mask: number): number {
    let repos = 0;
    const tags = this.db.repoTags;
    for (let i = 0; i < tags.length; i++) if (mask & (1 << i)) repos |= tags[i]!.allowedRepos;
    return repos;
  }

  pkgRepos(pkg: Pkg): number {
    return pkg.repos | (pkg.installed ? (this.db.repoTags[pkg.installed.repositoryTag]?.allowedRepos ?? 0) : 0);
  }

  getTag(pinningMask: number, repos: number): number {
    const tags = this.db.repoTags;
    for (let i = 0; i < tags.length; i++) {
      if (!((1 << i) & pinningMask)) continue;
      if (tags[i]!.allowedRepos & repos) return i;
    }
    return 0;
  }

  markError(pkg: Pkg | null): void {
    if (!pkg || this.pf[pkg.id]! & P_ERROR) return;
    this.pf[pkg.id]! |= P_ERROR;
    this.errors++;
  }

  queueDirty(name: Name): void {
    const st = this.st;
    const f = st.nf[name.id]!;
    if (f & (N_DIRTY | N_LOCKED) || (st.requirers[name.id] === 0 && !(f & N_REEVALUATE_IIF))) return;
    st.nf[name.id] = f | N_DIRTY;
    this.dirty.push(name);
  }

  queueResolveNow(name: Name): boolean {
    const f = this.st.nf[name.id]!;
    return (f & (N_REVERSE_DEPS_DONE | N_HAS_AUTO_SELECTABLE | N_HAS_OPTIONS)) === (N_REVERSE_DEPS_DONE | N_HAS_AUTO_SELECTABLE) && this.st.requirers[name.id]! > 0;
  }

  listRemove(name: Name): void {
    const q = this.st.queue[name.id]!;
    if (!q) return;
    const list = q === Q_RESOLVENOW ? this.resolvenow : q === Q_SELECTABLE ? this.selectable : this.unresolved;
    const i = list.indexOf(name);
    if (i >= 0) list.splice(i, 1);
    this.st.queue[name.id] = Q_NONE;
  }

  queueInsert(list: Name[], name: Name, which: number): void {
    const order = this.st.orderId;
    const mine = order[name.id]!;
    let i = 0;
    while (i < list.length && mine < order[list[i]!.id]!) i++;
    list.splice(i, 0, name);
    this.st.queue[name.id] = which;
  }

  queueUnresolved(name: Name, reevaluate: boolean): void {
    const st = this.st;
    const id = name.id;
    const f = st.nf[id]!;
    if (f & N_LOCKED) return;
    let resolvenow: boolean;
    if (st.queue[id]) {
      if (f & N_RESOLVENOW) return;
      if (this.queueResolveNow(name)) resolvenow = true;
      else if (!reevaluate) return;
      else resolvenow = false;
      this.listRemove(name);
    } else {
      if (st.requirers[id] === 0 && !(f & (N_HAS_IIF | N_IIF_NEEDED))) return;
      resolvenow = this.queueResolveNow(name);
    }
    if (resolvenow) {
      st.nf[id] = st.nf[id]! | N_RESOLVENOW;
      this.resolvenow.push(name);
      st.queue[id] = Q_RESOLVENOW;
      return;
    }
    st.nf[id] = st.nf[id]! & ~N_RESOLVENOW;
    if (st.nf[id]! & N_HAS_AUTO_SELECTABLE) this.queueInsert(this.selectable, name, Q_SELECTABLE);
    else this.queueInsert(this.unresolved, name, Q_UNRESOLVED);
  }

  reevaluateReverseDeps(name: Name): void {
    const nf = this.st.nf;
    const rdepends = name.rdepends;
    for (let i = 0; i < rdepends.length; i++) {
      const name0 = rdepends[i]!;
      if (!(nf[name0.id]! & N_SEEN)) continue;
      nf[name0.id] = nf[name0.id]! | N_REEVALUATE_DEPS;
      this.queueDirty(name0);
    }
  }

  reevaluateReverseInstallIf(name: Name): void {
    const nf = this.st.nf;
    const rinstallIf = name.rinstallIf;
    for (let i = 0; i < rinstallIf.length; i++) {
      const name0 = rinstallIf[i]!;
      const f = nf[name0.id]!;
      if (!(f & N_SEEN) || f & N_NO_IIF) continue;
      nf[name0.id] = f | N_REEVALUATE_IIF;
      this.queueDirty(name0);
    }
  }

  reevaluateReverseInstallIfPkg(pkg: Pkg): void {
    this.reevaluateReverseInstallIf(pkg.name);
    const provides = pkg.provides;
    for (let i = 0; i < provides.length; i++) this.reevaluateReverseInstallIf(provides[i]!.name);
  }

  disqualifyPackage(pkg: Pkg): void {
    this.pf[pkg.id]! &= ~P_SELECTABLE;
    this.reevaluateReverseDeps(pkg.name);
    const provides = pkg.provides;
    for (let i = 0; i < provides.length; i++) this.reevaluateReverseDeps(provides[i]!.name);
    this.reevaluateReverseInstallIfPkg(pkg);
  }

  dependencySatisfiable(dep: Dep): boolean {
    const name = dep.name;
    const st = this.st;
    if (dep.conflict && this.ignoreConflict) return true;
    if (st.nf[name.id]! & N_LOCKED) return depIsProvided(dep, st.chosen[name.id]!);
    if (st.requirers[name.id] === 0 && depIsProvided(dep, providerNone)) return true;
    const providers = name.providers;
    for (let i = 0; i < providers.length; i++) {
      const p = providers[i]!;
      if (this.pf[p.pkg.id]! & P_SELECTABLE && depIsProvided(dep, p)) return true;
    }
    return false;
  }

  discoverName(name: Name): void {
    const st = this.st;
    if (st.nf[name.id]! & N_SEEN) return;
    const db = this.db;
    const pf = this.pf;
    let noIif = true;
    st.nf[name.id] = st.nf[name.id]! | N_SEEN;
    let numVirtual = 0;
    const providers = name.providers;
    for (let i = 0; i < providers.length; i++) {
      const pkg = providers[i]!.pkg;
      const id = pkg.id;
      if (!(pf[id]! & P_SEEN)) {
        let f = P_SEEN;
        st.pinningAllowed[id] = DEFAULT_PINNING_MASK;
        st.pinningPreferred[id] = DEFAULT_PINNING_MASK;
        const available = !!pkg.filename || (pkg.repos & db.availableRepos & ~REPOSITORY_CACHED_BIT) !== 0;
        if (available) f |= P_AVAILABLE;
        if (
          !pkg.uninstallable &&
          (available || pkg.cached || !!pkg.filename || pkg.cachedNonRepository || pkg.installedSize === 0 || !!pkg.installed)
        )
          f |= P_SELECTABLE;
        if (pkg.installIf.length === 0 || ((this.solverFlagsInherit & SOLVERF_AVAILABLE) !== 0 && !available)) f |= P_IIF_FAILED;
        const repos = this.pkgRepos(pkg);
        const tagPreferred = !!pkg.filename || pkg.installedSize === 0 || (repos & this.defaultRepos) !== 0;
        if (tagPreferred) f |= P_TAG_PREFERRED;
        if (tagPreferred || pkg.cachedNonRepository || !!pkg.installed) f |= P_TAG_OK;
        pf[id] = pf[id]! | f;
        const depends = pkg.depends;
        for (let j = 0; j < depends.length; j++) {
          const n = depends[j]!.name;
          if (!(st.nf[n.id]! & N_SEEN)) this.discoverName(n);
        }
      }
      if (!(pf[id]! & P_IIF_FAILED)) noIif = false;
      if (pkg.name !== name) numVirtual++;
    }
    if (noIif) st.nf[name.id] = st.nf[name.id]! | N_NO_IIF;
    // apk walks these lists for every name a package provides, so a package with k provides costs
    // k² steps; each list keeps how much of its start is known discovered and a walk starts past
    // that (a discovered name would return at once: same order, fewer steps)
    this.discoverRinstallIf(name);
    for (let i = 0; i < providers.length; i++) {
      const pkg = providers[i]!.pkg;
      this.discoverRinstallIf(pkg.name);
      const provides = pkg.provides;
      const id = pkg.id;
      let j = st.providesSeen[id]!;
      while (j < provides.length) {
        const n = provides[j]!.name;
        if (!(st.nf[n.id]! & N_SEEN)) this.discoverName(n);
        const known = st.providesSeen[id]!;
        j = known > j ? known : (st.providesSeen[id] = j + 1);
      }
    }
    // apk-tools' bits 31 and 30 over a counter; 29 and 28 here keep the numbers small integers
    // (V8 Smis), which the comparisons need no more than the order
    let orderFlags = 0;
    if (!name.solverFlagsSet) orderFlags |= 1 << 29;
    if (providers.length !== numVirtual) orderFlags |= 1 << 28;
    st.orderId[name.id] = orderFlags | ++this.orderCounter;
    for (let i = 0; i < providers.length; i++) {
      const installIf = providers[i]!.pkg.installIf;
      for (let j = 0; j < installIf.length; j++) {
        const n = installIf[j]!.name;
        if (!(st.nf[n.id]! & N_SEEN)) this.discoverName(n);
      }
    }
  }

  /** discoverName over name.rinstallIf, from the first not known discovered. */
  private discoverRinstallIf(name: Name): void {
    const list = name.rinstallIf;
    const st = this.st;
    let j = st.riifSeen[name.id]!;
    while (j < list.length) {
      const n = list[j]!;
      if (!(st.nf[n.id]! & N_SEEN)) this.discoverName(n);
      const known = st.riifSeen[name.id]!;
      j = known > j ? known : (st.riifSeen[name.id] = j + 1);
    }
  }

  nameRequirersChanged(name: Name): void {
    this.queueUnresolved(name, false);
    this.reevaluateReverseInstallIf(name);
    this.queueDirty(name);
  }

  inheritPinningAndFlags(pkg: Pkg, ppkg: Pkg | null): void {
    const st = this.st;
    const id = pkg.id;
    const repos = this.pkgRepos(pkg);
    if (ppkg) {
      st.solverFlags[id]! |= st.solverFlagsInheritable[ppkg.id]!;
      st.solverFlagsInheritable[id]! |= st.solverFlagsInheritable[ppkg.id]!;
      st.pinningAllowed[id]! |= st.pinningAllowed[ppkg.id]!;
    } else {
      st.solverFlags[id]! |= this.solverFlagsInherit;
      st.solverFlagsInheritable[id]! |= this.solverFlagsInherit;
      st.pinningAllowed[id]! |= this.pinningInherit;
      st.pinningPreferred[id] = this.pinningInherit;
      if ((repos & this.pinningMaskRepos(st.pinningPreferred[id]!)) !== 0) this.pf[id]! |= P_TAG_PREFERRED;
      else this.pf[id]! &= ~P_TAG_PREFERRED;
    }
    if ((repos & this.pinningMaskRepos(st.pinningAllowed[id]!)) !== 0) this.pf[id]! |= P_TAG_OK;
  }

  applyConstraint(ppkg: Pkg | null, dep: Dep): void {
    const name = dep.name;
    const st = this.st;
    if (dep.conflict && this.ignoreConflict) return;
    if (!dep.conflict) {
      if (++st.requirers[name.id]! === 1) this.nameRequirersChanged(name);
    }
    const providers = name.providers;
    for (let i = 0; i < providers.length; i++) {
      const p0 = providers[i]!;
      const pkg0 = p0.pkg;
      const isProvided = depIsProvided(dep, p0);
      if (!isProvided) this.conflicts[pkg0.id]!++;
      if (this.pf[pkg0.id]! & P_SELECTABLE && this.conflicts[pkg0.id]) this.disqualifyPackage(pkg0);
      if (isProvided) this.inheritPinningAndFlags(pkg0, ppkg);
    }
  }

  excludeNonProviders(name: Name, mustProvide: Name, skipVirtuals: boolean): void {
    if (name === mustProvide || this.ignoreConflict) return;
    const providers = name.providers;
    next: for (let i = 0; i < providers.length; i++) {
      const p = providers[i]!;
      if (p.pkg.name === mustProvide || !(this.pf[p.pkg.id]! & P_SELECTABLE) || (skipVirtuals && p.version === null)) continue;
      const provides = p.pkg.provides;
      for (let j = 0; j < provides.length; j++) {
        const d = provides[j]!;
        if (d.name === mustProvide || (skipVirtuals && d.version === '')) continue next;
      }
      this.disqualifyPackage(p.pkg);
    }
  }

  isProviderAutoSelectable(p: Provider): boolean {
    // Virtual packages without provider_priority cannot be autoselected
    if (p.version !== null) return true;
    if (p.pkg.providerPriority) return true;
    if (this.st.requirers[p.pkg.name.id]) return true;
    return false;
  }

  /** apk-tools' merge_index: counts the candidates naming a dependency (or a provided name). */
  mergeIndex(counts: Int32Array, name: Name, numOptions: number): boolean {
    if (counts[name.id] !== numOptions) return false;
    counts[name.id] = numOptions + 1;
    return true;
  }

  /** Whether every candidate named it; resets the count. */
  mergeIndexComplete(counts: Int32Array, name: Name, numOptions: number): boolean {
    const ret = counts[name.id] === numOptions;
    counts[name.id] = 0;
    return ret;
  }

  reconsiderName(name: Name): void {
    const st = this.st;
    const pf = this.pf;
    const nf0 = st.nf[name.id]!;
    const reevaluateDeps = (nf0 & N_REEVALUATE_DEPS) !== 0;
    const reevaluateIif = (nf0 & N_REEVALUATE_IIF) !== 0;
    st.nf[name.id] = nf0 & ~(N_REEVALUATE_DEPS | N_REEVALUATE_IIF);
    const requirers = st.requirers[name.id]!;
    let firstCandidate: Pkg | null = null;
    let numOptions = 0;
    let numTagNotOk = 0;
    let hasIif = false;
    let noIif = true;
    let hasAutoSelectable = false;
    let reevaluate = false;

    const providers = name.providers;
    for (let i = 0; i < providers.length; i++) {
      const p = providers[i]!;
      const pkg = p.pkg;
      const id = pkg.id;
      pf[id]! &= ~P_DEPS_MERGED;
      if (reevaluateDeps) {
        if (!(pf[id]! & P_SELECTABLE)) continue;
        const depends = pkg.depends;
        for (let j = 0; j < depends.length; j++) {
          if (!this.dependencySatisfiable(depends[j]!)) {
            this.disqualifyPackage(pkg);
            break;
          }
        }
      }
      if (!(pf[id]! & P_SELECTABLE)) continue;

      if (reevaluateIif && !(pf[id]! & (P_IIF_TRIGGERED | P_IIF_FAILED))) {
        let f = pf[id]! | P_IIF_TRIGGERED;
        const installIf = pkg.installIf;
        for (let j = 0; j < installIf.length; j++) {
          const dep = installIf[j]!;
          if (!(st.nf[dep.name.id]! & N_LOCKED)) {
            if (dep.conflict) {
              st.nf[dep.name.id] = st.nf[dep.name.id]! | N_IIF_NEEDED;
              this.queueUnresolved(dep.name, false);
            }
            f &= ~(P_IIF_TRIGGERED | P_IIF_FAILED);
            break;
          }
          if (!depIsProvided(dep, st.chosen[dep.name.id]!)) {
            f = (f & ~P_IIF_TRIGGERED) | P_IIF_FAILED;
            break;
          }
        }
        pf[id] = f;
      }
      if (reevaluateIif && pf[id]! & P_IIF_TRIGGERED) {
        const installIf = pkg.installIf;
        for (let j = 0; j < installIf.length; j++) this.inheritPinningAndFlags(pkg, st.chosenPkg(installIf[j]!.name));
      }
      const triggered = (pf[id]! & P_IIF_TRIGGERED) !== 0;
      hasIif ||= triggered;
      noIif &&= (pf[id]! & P_IIF_FAILED) !== 0;
      hasAutoSelectable ||= triggered;

      if (requirers === 0) continue;

      pf[id]! |= P_DEPS_MERGED;
      if (!firstCandidate) firstCandidate = pkg;
      const depends = pkg.depends;
      for (let j = 0; j < depends.length; j++) {
        const dep = depends[j]!;
        if (!dep.conflict) this.mergeIndex(st.mergeDepends, dep.name, numOptions);
      }
      if (this.mergeIndex(st.mergeProvides, pkg.name, numOptions) && p.version === null)
        st.nf[pkg.name.id] = st.nf[pkg.name.id]! | N_HAS_VIRTUAL_PROVIDES;
      const provides = pkg.provides;
      for (let j = 0; j < provides.length; j++) {
        const dep = provides[j]!;
        if (this.mergeIndex(st.mergeProvides, dep.name, numOptions) && dep.version === '')
          st.nf[dep.name.id] = st.nf[dep.name.id]! | N_HAS_VIRTUAL_PROVIDES;
      }
      if (!(pf[id]! & P_TAG_OK)) numTagNotOk++;
      numOptions++;
      if (!hasAutoSelectable && this.isProviderAutoSelectable(p)) hasAutoSelectable = true;
    }
    let f = st.nf[name.id]! & ~(N_HAS_OPTIONS | N_HAS_IIF | N_NO_IIF);
    if (numOptions > 1 || numTagNotOk > 0) f |= N_HAS_OPTIONS;
    if (hasIif) f |= N_HAS_IIF;
    if (noIif) f |= N_NO_IIF;
    if (hasAutoSelectable !== ((f & N_HAS_AUTO_SELECTABLE) !== 0)) {
      f ^= N_HAS_AUTO_SELECTABLE;
      reevaluate = true;
    }
    st.nf[name.id] = f;

    if (firstCandidate) {
      const pkg = firstCandidate;
      for (let i = 0; i < providers.length; i++) {
        const id = providers[i]!.pkg.id;
        pf[id] = pf[id]! & P_DEPS_MERGED ? pf[id]! | P_DEPS_USED : pf[id]! & ~P_DEPS_USED;
      }
      const depends = pkg.depends;
      if (numOptions === 1) {
        for (let j = 0; j < depends.length; j++) {
          const dep = depends[j]!;
          if (this.mergeIndexComplete(st.mergeDepends, dep.name, numOptions)) this.applyConstraint(pkg, dep);
        }
      } else {
        for (let j = 0; j < depends.length; j++) {
          const name0 = depends[j]!.name;
          if (this.mergeIndexComplete(st.mergeDepends, name0, numOptions) && st.requirers[name0.id] === 0) {
            st.requirers[name0.id] = 1;
            this.nameRequirersChanged(name0);
            const providers0 = name0.providers;
            for (let k = 0; k < providers0.length; k++) this.inheritPinningAndFlags(providers0[k]!.pkg, pkg);
          }
        }
      }
      if (this.mergeIndexComplete(st.mergeProvides, pkg.name, numOptions))
        this.excludeNonProviders(pkg.name, name, (st.nf[pkg.name.id]! & N_HAS_VIRTUAL_PROVIDES) !== 0);
      const provides = pkg.provides;
      for (let j = 0; j < provides.length; j++) {
        const dep = provides[j]!;
        if (this.mergeIndexComplete(st.mergeProvides, dep.name, numOptions))
          this.excludeNonProviders(dep.name, name, (st.nf[dep.name.id]! & N_HAS_VIRTUAL_PROVIDES) !== 0);
      }
      st.nf[pkg.name.id] = st.nf[pkg.name.id]! & ~N_HAS_VIRTUAL_PROVIDES;
      for (let j = 0; j < provides.length; j++) {
        const id = provides[j]!.name.id;
        st.nf[id] = st.nf[id]! & ~N_HAS_VIRTUAL_PROVIDES;
      }
    }

    let done = true;
    const rdepends = name.rdepends;
    for (let i = 0; i < rdepends.length; i++) {
      const f0 = st.nf[rdepends[i]!.id]!;
      if (f0 & N_SEEN && !(f0 & N_LOCKED)) {
        done = false;
        break;
      }
    }
    if (done) st.nf[name.id] = st.nf[name.id]! | N_REVERSE_DEPS_DONE;
    else st.nf[name.id] = st.nf[name.id]! & ~N_REVERSE_DEPS_DONE;
    this.queueUnresolved(name, reevaluate);
  }

  compareProviders(pA: Provider, pB: Provider | null): number {
    const pkgA = pA.pkg;
    const pkgB = pB?.pkg;
    if (!pkgB) return 1;
    const st = this.st;
    const a = this.pf[pkgA.id]!;
    const b = this.pf[pkgB.id]!;
    const bit = (f: number, flag: number) => ((f & flag) !== 0 ? 1 : 0);
    const solverFlags = st.solverFlags[pkgA.id]! | st.solverFlags[pkgB.id]!;
    let r: number;
    if (
      solverFlags & SOLVERF_LATEST &&
      st.pinningAllowed[pkgA.id] === DEFAULT_PINNING_MASK &&
      st.pinningAllowed[pkgB.id] === DEFAULT_PINNING_MASK
    ) {
      if ((r = bit(a, P_TAG_OK) - bit(b, P_TAG_OK))) return r;
      if (solverFlags & SOLVERF_AVAILABLE) {
        if ((r = bit(a, P_AVAILABLE) - bit(b, P_AVAILABLE))) return r;
      } else if (solverFlags & SOLVERF_REINSTALL) {
        if ((r = bit(a, P_SELECTABLE) - bit(b, P_SELECTABLE))) return r;
      }
    } else {
      if ((r = bit(a, P_SELECTABLE) - bit(b, P_SELECTABLE))) return r;
      if ((r = bit(a, P_DEPS_USED) - bit(b, P_DEPS_USED))) return r;
      if ((r = this.conflicts[pkgB.id]! - this.conflicts[pkgA.id]!)) return r;
      if ((this.db.performingPreupgrade && !(solverFlags & SOLVERF_UPGRADE)) || solverFlags & SOLVERF_INSTALLED) {
        if ((r = +!!pkgA.installed - +!!pkgB.installed)) return r;
      }
      if ((r = bit(a, P_TAG_OK) - bit(b, P_TAG_OK))) return r;
      if (solverFlags & SOLVERF_AVAILABLE) {
        if ((r = bit(a, P_AVAILABLE) - bit(b, P_AVAILABLE))) return r;
      }
      if ((r = bit(a, P_TAG_PREFERRED) - bit(b, P_TAG_PREFERRED))) return r;
      if (
        !(solverFlags & (SOLVERF_REMOVE | SOLVERF_UPGRADE)) &&
        (pkgA.name === pkgB.name || pA.version !== null || pB!.version !== null)
      ) {
        if ((r = +!!pkgA.installed - +!!pkgB.installed)) return r;
      }
    }
    const cmp = compareVersions(pA.version ?? '', pB!.version ?? '');
    if (pA.version !== null && pB!.version !== null) {
      if (cmp === LESS) return -1;
      if (cmp === GREATER) return 1;
    }
    if (pkgA.name === pkgB.name) {
      const c = compareVersions(pkgA.version, pkgB.version);
      if (c === LESS) return -1;
      if (c === GREATER) return 1;
    }
    if ((r = pkgA.providerPriority - pkgB.providerPriority)) return r;
    if (!(solverFlags & SOLVERF_REMOVE)) {
      if ((r = +!!pkgA.installed - +!!pkgB.installed)) return r;
    }
    if ((r = bit(a, P_SELECTABLE) - bit(b, P_SELECTABLE))) return r;
    return ffs(pkgB.repos) - ffs(pkgA.repos);
  }

  assignName(name: Name, p: Provider | null): void {
    const st = this.st;
    const id = name.id;
    const chosen = st.chosen[id]!;
    if (st.nf[id]! & N_LOCKED) {
      // both providing this name without a version is fine
      if (p && p.version === null && chosen && chosen.version === null) return;
      if (this.ignoreConflict) return;
      this.markError(p?.pkg ?? null);
      this.markError(chosen?.pkg ?? null);
      return;
    }
    st.nf[id] = st.nf[id]! | N_LOCKED;
    st.chosen[id] = p;
    this.listRemove(name);
    if (st.nf[id]! & N_DIRTY) {
      st.nf[id] = st.nf[id]! & ~N_DIRTY;
      const i = this.dirty.indexOf(name);
      if (i >= 0) this.dirty.splice(i, 1);
    }
    if (p && !st.requirers[id] && this.pf[p.pkg.id]! & P_IIF_TRIGGERED) {
      const installIf = p.pkg.installIf;
      for (let i = 0; i < installIf.length; i++) {
        const dep = installIf[i]!;
        if (!(st.nf[dep.name.id]! & N_LOCKED)) this.applyConstraint(p.pkg, dep);
      }
    }
    if (!this.ignoreConflict) {
      const providers = name.providers;
      for (let i = 0; i < providers.length; i++) {
        const p0 = providers[i]!;
        if (p0.pkg === p?.pkg) continue;
        if (p && p.version === null && p0.version === null) continue;
        this.disqualifyPackage(p0.pkg);
      }
    }
    this.reevaluateReverseDeps(name);
    if (p) this.reevaluateReverseInstallIfPkg(p.pkg);
    else this.reevaluateReverseInstallIf(name);
  }

  selectPackage(name: Name): void {
    const st = this.st;
    const pf = this.pf;
    let chosen: Provider | null = null;
    const requirers = st.requirers[name.id]!;
    if (requirers || st.nf[name.id]! & N_HAS_IIF) {
      const providers = name.providers;
      for (let i = 0; i < providers.length; i++) {
        const p = providers[i]!;
        const f = pf[p.pkg.id]!;
        if (requirers === 0 && (f & (P_IIF_TRIGGERED | P_TAG_OK | P_SELECTABLE)) !== (P_IIF_TRIGGERED | P_TAG_OK | P_SELECTABLE)) continue;
        if (!this.isProviderAutoSelectable(p)) continue;
        if (this.compareProviders(p, chosen) > 0) chosen = p;
      }
    }
    const pkg = chosen?.pkg;
    if (pkg) {
      if ((pf[pkg.id]! & (P_SELECTABLE | P_TAG_OK)) !== (P_SELECTABLE | P_TAG_OK)) this.markError(pkg);
      this.assignName(pkg.name, pkg);
      const provides = pkg.provides;
      for (let i = 0; i < provides.length; i++) {
        const d = provides[i]!;
        this.assignName(d.name, { pkg, version: d.version === '' ? null : d.version });
      }
      const depends = pkg.depends;
      for (let i = 0; i < depends.length; i++) this.applyConstraint(pkg, depends[i]!);
    } else {
      this.assignName(name, null);
      if (requirers > 0) this.errors++;
    }
  }

  // --- changeset generation ---

  recordChange(opkg: Pkg | null, npkg: Pkg | null): void {
    const st = this.st;
    const change: Change = {
      oldPkg: opkg,
      newPkg: npkg,
      oldTag: opkg?.installed?.repositoryTag ?? 0,
      newTag: npkg ? this.getTag(st.pinningAllowed[npkg.id]!, this.pkgRepos(npkg)) : 0,
      reinstall: npkg ? (st.solverFlags[npkg.id]! & SOLVERF_REINSTALL) !== 0 : false,
    };
    this.changeset.changes.push(change);
    if (!npkg) this.changeset.numRemove++;
    else if (!opkg) this.changeset.numInstall++;
    else if (npkg !== opkg || change.reinstall || change.newTag !== change.oldTag) this.changeset.numAdjust++;
  }

  csetTrackDepsAdded(pkg: Pkg): void {
    const st = this.st;
    for (const d of pkg.depends) {
      const inst = st.installedName[d.name.id];
      if (d.conflict || !inst) continue;
      st.requirers[inst.id]!++;
    }
  }

  csetTrackDepsRemoved(pkg: Pkg): void {
    const st = this.st;
    for (const d of pkg.depends) {
      const inst = st.installedName[d.name.id];
      if (d.conflict || !inst) continue;
      if (--st.requirers[inst.id]! > 0) continue;
      const pkg0 = st.installedPkg[d.name.id];
      if (pkg0) this.csetGenNameRemove(pkg0);
    }
  }

  csetCheckRemovalByDeps(pkg: Pkg): void {
    if (this.st.requirers[pkg.name.id] === 0 && !this.st.chosenPkg(pkg.name)) this.csetGenNameRemove(pkg);
  }

  csetCheckInstallByIif(name: Name): void {
    const st = this.st;
    const pkg = st.chosenPkg(name);
    if (!pkg || (st.nf[name.id]! & (N_SEEN | N_CS_PROCESSED)) !== N_SEEN) return;
    for (const dep0 of pkg.installIf) {
      const name0 = dep0.name;
      if (!dep0.conflict && !(st.nf[name0.id]! & N_CS_PROCESSED)) return;
      if (!depIsProvided(dep0, st.chosen[name0.id]!)) return;
    }
    this.csetGenNameChange(name);
  }

  csetCheckRemovalByIif(name: Name): void {
    const st = this.st;
    const pkg = st.installedPkg[name.id];
    if (!pkg || st.chosenPkg(name)) return;
    if (st.nf[name.id]! & (N_CS_PROCESSED | N_CS_REMOVED)) return;
    for (const dep0 of pkg.installIf) {
      const name0 = dep0.name;
      if (st.nf[name0.id]! & N_CS_REMOVED && !st.chosenPkg(name0)) {
        this.csetCheckRemovalByDeps(pkg);
        return;
      }
    }
  }

  csetCheckByReverseIif(pkg: Pkg | null, cb: (name: Name) => void): void {
    if (!pkg) return;
    for (const name of pkg.name.rinstallIf) cb(name);
    for (const d of pkg.provides) for (const name of d.name.rinstallIf) cb(name);
  }

  csetGenNamePreprocess(name: Name): void {
    const st = this.st;
    if (st.nf[name.id]! & N_CS_PROCESSED) return;
    st.nf[name.id] = st.nf[name.id]! | N_CS_PROCESSED;
    const inst = st.installedPkg[name.id];
    const chosen = st.chosenPkg(name);
    if (inst && (!chosen || chosen.name !== name)) this.csetGenNameRemove(inst);
    for (const p of name.providers) {
      const pkg0 = p.pkg;
      const name0 = pkg0.name;
      if (st.installedPkg[name0.id] === pkg0 && !st.chosenPkg(name0)) this.csetGenNameRemove(pkg0);
    }
  }

  csetGenNameChange(name: Name): void {
    const st = this.st;
    if (st.nf[name.id]! & N_CS_PROCESSED) return;
    this.csetGenNamePreprocess(name);
    const pkg = st.chosenPkg(name);
    if (!pkg || this.pf[pkg.id]! & P_IN_CHANGESET) return;
    this.pf[pkg.id]! |= P_IN_CHANGESET;
    this.csetGenNamePreprocess(pkg.name);
    for (const d of pkg.provides) this.csetGenNamePreprocess(d.name);
    const opkg = st.installedPkg[pkg.name.id] ?? null;
    this.csetCheckByReverseIif(opkg, (n) => this.csetCheckRemovalByIif(n));
    for (const d of pkg.depends) this.csetGenDep(pkg, d);
    this.recordChange(opkg, pkg);
    this.csetCheckByReverseIif(pkg, (n) => this.csetCheckInstallByIif(n));
    this.csetTrackDepsAdded(pkg);
    if (opkg) this.csetTrackDepsRemoved(opkg);
  }

  csetGenNameRemove(pkg: Pkg): void {
    const st = this.st;
    const name = pkg.name;
    const chosen = st.chosenPkg(name);
    if (this.pf[pkg.id]! & P_IN_CHANGESET || (chosen && chosen.name === name)) return;
    st.nf[name.id] = st.nf[name.id]! | N_CS_REMOVED;
    this.pf[pkg.id]! |= P_IN_CHANGESET;
    forEachReverseDependency(pkg, true, false, (pkg0, _dep, m) => {
      if (m === DEP_SATISFIES) this.csetGenNameRemove(pkg0);
    });
    this.csetCheckByReverseIif(pkg, (n) => this.csetCheckRemovalByIif(n));
    this.recordChange(pkg, null);
    this.csetTrackDepsRemoved(pkg);
  }

  csetGenDep(ppkg: Pkg | null, dep: Dep): void {
    const name = dep.name;
    const pkg = this.st.chosenPkg(name);
    if (dep.conflict && this.ignoreConflict) return;
    if (!depIsProvided(dep, this.st.chosen[name.id]!)) this.markError(ppkg);
    this.csetGenNameChange(name);
    if (pkg && this.pf[pkg.id]! & P_ERROR) this.markError(ppkg);
  }

  generateChangeset(world: Dep[]): void {
    const st = this.st;
    const installed = this.db.installed;
    st.requirers.fill(0);
    for (const pkg of installed) {
      st.installedPkg[pkg.name.id] = pkg;
      st.installedName[pkg.name.id] = pkg.name;
      for (const d of pkg.provides) if (d.version !== '') st.installedName[d.name.id] = pkg.name;
    }
    for (const pkg of installed) this.csetTrackDepsAdded(pkg);
    for (const pkg of installed) this.csetCheckRemovalByDeps(pkg);
    for (const d of world) this.csetGenDep(null, d);
    for (const pkg of installed) this.csetGenNameChange(pkg.name);
  }

  dequeueNextName(): Name | undefined {
    const name = this.resolvenow.shift() ?? this.selectable.shift() ?? this.unresolved.shift();
    if (name) this.st.queue[name.id] = Q_NONE;
    return name;
  }

  run(world: Dep[], solverFlags: number): void {
    this.defaultRepos = this.pinningMaskRepos(DEFAULT_PINNING_MASK);
    this.ignoreConflict = (solverFlags & SOLVERF_IGNORE_CONFLICT) !== 0;
    this.solverFlagsInherit = solverFlags;
    for (const d of world) if (!d.broken) this.discoverName(d.name);
    for (const d of world) {
      if (d.broken) continue;
      this.pinningInherit = 1 << d.tag;
      this.applyConstraint(null, d);
    }
    this.solverFlagsInherit = 0;
    this.pinningInherit = 0;
    for (;;) {
      while (this.dirty.length) {
        const name = this.dirty.shift()!;
        this.st.nf[name.id] = this.st.nf[name.id]! & ~N_DIRTY;
        this.reconsiderName(name);
      }
      const name = this.dequeueNextName();
      if (!name) break;
      this.selectPackage(name);
    }
    this.generateChangeset(world);
  }
}

export const DEP_IRRELEVANT = 0;
export const DEP_SATISFIES = 1;
export const DEP_CONFLICTS = 2;

/** How dep relates to pkg: irrelevant (other name), satisfied, or conflicting (apk_dep_analyze). */
export function depAnalyze(dep: Dep, pkg: Pkg | null): number {
  if (!pkg) return DEP_IRRELEVANT;
  if (dep.name === pkg.name) return depIsProvided(dep, pkg) ? DEP_SATISFIES : DEP_CONFLICTS;
  for (const p of pkg.provides) {
    if (p.name !== dep.name) continue;
    return depIsProvided(dep, { pkg, version: p.version === '' ? null : p.version }) ? DEP_SATISFIES : DEP_CONFLICTS;
  }
  return DEP_IRRELEVANT;
}

/** Every dependency of other packages that names pkg (or what it provides), with how it relates. */
export function forEachReverseDependency(
  pkg: Pkg,
  installedOnly: boolean,
  markedOnly: boolean,
  cb: (pkg0: Pkg, dep: Dep, match: number) => void,
  seen?: Set<Pkg>,
): void {
  const visit = (rdepends: readonly Name[]) => {
    for (const name0 of rdepends) {
      for (const p0 of name0.providers) {
        const pkg0 = p0.pkg;
        if (installedOnly && !pkg0.installed) continue;
        if (markedOnly && !pkg0.marked) continue;
        if (seen) {
          if (seen.has(pkg0)) continue;
          seen.add(pkg0);
        }
        for (const d0 of pkg0.depends) {
          const m = depAnalyze(d0, pkg);
          if (m) cb(pkg0, d0, m);
        }
      }
    }
  };
  visit(pkg.name.rdepends);
  for (const p of pkg.provides) visit(p.name.rdepends);
}

export interface SolveResult {
  errors: number;
  changeset: Changeset;
  /** The final state: what was chosen for each name, which packages have errors. */
  state: SolveState;
}

/** Solve world against db. World is sorted by name in place (as apk does). */
export function solve(db: SolverDb, world: Dep[], solverFlags: number, nameFlags?: NameFlags): SolveResult {
  world.sort((a, b) => (a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : 0));
  const names = db.names;
  for (;;) {
    // room for the names lazily parsed dependencies will add
    const state = new SolveState(names.size + (names.size >> 2), names.pkgCount);
    for (const name of names.flagged) name.solverFlagsSet = false;
    names.flagged = [];
    if (nameFlags)
      for (const [name, f] of nameFlags) {
        name.solverFlagsSet = true;
        names.flagged.push(name);
        for (const p of name.providers) {
          state.solverFlags[p.pkg.id]! |= f.flags;
          state.solverFlagsInheritable[p.pkg.id]! |= f.inheritable;
        }
      }
    const s = new Solver(db, state);
    names.onNewName = (count) => state.growNames(count);
    try {
      s.run(world, solverFlags);
    } finally {
      names.onNewName = undefined;
    }
    if (s.errors && db.forceBrokenWorld && world.some((d) => !d.broken && (!state.chosenPkg(d.name) || state.hasError(state.chosenPkg(d.name)!)))) {
      for (const d of world) {
        const pkg = state.chosenPkg(d.name);
        if (!pkg || state.hasError(pkg)) d.broken = true;
      }
      continue;
    }
    return { errors: s.errors, changeset: s.changeset, state };
  }
}
