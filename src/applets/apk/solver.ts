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

export function resetSolverState(db: SolverDb): void {
  db.names.newGeneration();
}

class Solver {
  errors = 0;
  solverFlagsInherit = 0;
  pinningInherit = 0;
  defaultRepos = 0;
  orderId = 0;
  ignoreConflict = false;
  dirty: Name[] = [];
  resolvenow: Name[] = [];
  selectable: Name[] = [];
  unresolved: Name[] = [];
  readonly changeset: Changeset = { changes: [], numInstall: 0, numRemove: 0, numAdjust: 0 };

  constructor(readonly db: SolverDb) {}

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
    if (!pkg || pkg.ss.error) return;
    pkg.ss.error = true;
    this.errors++;
  }

  queueDirty(name: Name): void {
    const s = name.ss;
    if (s.dirty || s.locked || (s.requirers === 0 && !s.reevaluate_iif)) return;
    s.dirty = true;
    this.dirty.push(name);
  }

  queueResolveNow(name: Name): boolean {
    const s = name.ss;
    return s.reverse_deps_done && s.requirers > 0 && s.has_auto_selectable && !s.has_options;
  }

  listRemove(name: Name): void {
    const q = name.ss.queue;
    if (!q) return;
    const list = q === 1 ? this.resolvenow : q === 2 ? this.selectable : this.unresolved;
    const i = list.indexOf(name);
    if (i >= 0) list.splice(i, 1);
    name.ss.queue = 0;
  }

  queueInsert(list: Name[], name: Name, which: 2 | 3): void {
    let i = 0;
    while (i < list.length && name.ss.order_id < list[i]!.ss.order_id) i++;
    list.splice(i, 0, name);
    name.ss.queue = which;
  }

  queueUnresolved(name: Name, reevaluate: boolean): void {
    const s = name.ss;
    if (s.locked) return;
    if (s.queue) {
      if (s.resolvenow) return;
      if (this.queueResolveNow(name)) s.resolvenow = true;
      else if (!reevaluate) return;
      this.listRemove(name);
    } else {
      if (s.requirers === 0 && !s.has_iif && !s.iif_needed) return;
      s.resolvenow = this.queueResolveNow(name);
    }
    if (s.resolvenow) {
      this.resolvenow.push(name);
      s.queue = 1;
      return;
    }
    if (s.has_auto_selectable) this.queueInsert(this.selectable, name, 2);
    else this.queueInsert(this.unresolved, name, 3);
  }

  reevaluateReverseDeps(name: Name): void {
    for (const name0 of name.rdepends) {
      if (!name0.ss.seen) continue;
      name0.ss.reevaluate_deps = true;
      this.queueDirty(name0);
    }
  }

  reevaluateReverseInstallIf(name: Name): void {
    for (const name0 of name.rinstallIf) {
      if (!name0.ss.seen || name0.ss.no_iif) continue;
      name0.ss.reevaluate_iif = true;
      this.queueDirty(name0);
    }
  }

  reevaluateReverseInstallIfPkg(pkg: Pkg): void {
    this.reevaluateReverseInstallIf(pkg.name);
    for (const d of pkg.provides) this.reevaluateReverseInstallIf(d.name);
  }

  disqualifyPackage(pkg: Pkg): void {
    pkg.ss.pkg_selectable = false;
    this.reevaluateReverseDeps(pkg.name);
    for (const p of pkg.provides) this.reevaluateReverseDeps(p.name);
    this.reevaluateReverseInstallIfPkg(pkg);
  }

  dependencySatisfiable(dep: Dep): boolean {
    const name = dep.name;
    if (dep.conflict && this.ignoreConflict) return true;
    if (name.ss.locked) return depIsProvided(dep, name.ss.chosen);
    if (name.ss.requirers === 0 && depIsProvided(dep, providerNone)) return true;
    for (const p of name.providers) if (p.pkg.ss.pkg_selectable && depIsProvided(dep, p)) return true;
    return false;
  }

  discoverName(name: Name): void {
    const nss = name.ss;
    if (nss.seen) return;
    const db = this.db;
    nss.seen = true;
    nss.no_iif = true;
    let numVirtual = 0;
    for (const p of name.providers) {
      const pkg = p.pkg;
      const ss = pkg.ss;
      if (!ss.seen) {
        ss.seen = true;
        ss.pinning_allowed = DEFAULT_PINNING_MASK;
        ss.pinning_preferred = DEFAULT_PINNING_MASK;
        ss.pkg_available = !!pkg.filename || (pkg.repos & db.availableRepos & ~REPOSITORY_CACHED_BIT) !== 0;
        ss.pkg_selectable =
          !pkg.uninstallable &&
          (ss.pkg_available || pkg.cached || !!pkg.filename || pkg.cachedNonRepository || pkg.installedSize === 0 || !!pkg.installed);
        ss.iif_failed = pkg.installIf.length === 0 || ((this.solverFlagsInherit & SOLVERF_AVAILABLE) !== 0 && !ss.pkg_available);
        const repos = this.pkgRepos(pkg);
        ss.tag_preferred = !!pkg.filename || pkg.installedSize === 0 || (repos & this.defaultRepos) !== 0;
        ss.tag_ok = ss.tag_preferred || pkg.cachedNonRepository || !!pkg.installed;
        for (const dep of pkg.depends) this.discoverName(dep.name);
      }
      nss.no_iif &&= ss.iif_failed;
      if (pkg.name !== name) numVirtual++;
    }
    for (const name0 of name.rinstallIf) this.discoverName(name0);
    for (const p of name.providers) {
      for (const name0 of p.pkg.name.rinstallIf) this.discoverName(name0);
      for (const dep of p.pkg.provides) this.discoverName(dep.name);
    }
    // apk-tools' bits 31 and 30 over a counter; 29 and 28 here keep the numbers small integers
    // (V8 Smis), which the comparisons need no more than the order
    let orderFlags = 0;
    if (!name.solverFlagsSet) orderFlags |= 1 << 29;
    if (name.providers.length !== numVirtual) orderFlags |= 1 << 28;
    nss.order_id = orderFlags | ++this.orderId;
    for (const p of name.providers) for (const dep of p.pkg.installIf) this.discoverName(dep.name);
  }

  nameRequirersChanged(name: Name): void {
    this.queueUnresolved(name, false);
    this.reevaluateReverseInstallIf(name);
    this.queueDirty(name);
  }

  inheritPinningAndFlags(pkg: Pkg, ppkg: Pkg | null): void {
    const repos = this.pkgRepos(pkg);
    const ss = pkg.ss;
    if (ppkg) {
      ss.solver_flags |= ppkg.ss.solver_flags_inheritable;
      ss.solver_flags_inheritable |= ppkg.ss.solver_flags_inheritable;
      ss.pinning_allowed |= ppkg.ss.pinning_allowed;
    } else {
      ss.solver_flags |= this.solverFlagsInherit;
      ss.solver_flags_inheritable |= this.solverFlagsInherit;
      ss.pinning_allowed |= this.pinningInherit;
      ss.pinning_preferred = this.pinningInherit;
      ss.tag_preferred = (repos & this.pinningMaskRepos(ss.pinning_preferred)) !== 0;
    }
    ss.tag_ok ||= (repos & this.pinningMaskRepos(ss.pinning_allowed)) !== 0;
  }

  applyConstraint(ppkg: Pkg | null, dep: Dep): void {
    const name = dep.name;
    if (dep.conflict && this.ignoreConflict) return;
    if (!dep.conflict) {
      name.ss.requirers++;
      if (name.ss.requirers === 1) this.nameRequirersChanged(name);
    }
    for (const p0 of name.providers) {
      const pkg0 = p0.pkg;
      const isProvided = depIsProvided(dep, p0);
      if (!isProvided) pkg0.ss.conflicts++;
      if (pkg0.ss.pkg_selectable && pkg0.ss.conflicts) this.disqualifyPackage(pkg0);
      if (isProvided) this.inheritPinningAndFlags(pkg0, ppkg);
    }
  }

  excludeNonProviders(name: Name, mustProvide: Name, skipVirtuals: boolean): void {
    if (name === mustProvide || this.ignoreConflict) return;
    next: for (const p of name.providers) {
      if (p.pkg.name === mustProvide || !p.pkg.ss.pkg_selectable || (skipVirtuals && p.version === null)) continue;
      for (const d of p.pkg.provides) if (d.name === mustProvide || (skipVirtuals && d.version === '')) continue next;
      this.disqualifyPackage(p.pkg);
    }
  }

  isProviderAutoSelectable(p: Provider): boolean {
    // Virtual packages without provider_priority cannot be autoselected
    if (p.version !== null) return true;
    if (p.pkg.providerPriority) return true;
    if (p.pkg.name.ss.requirers) return true;
    return false;
  }

  reconsiderName(name: Name): void {
    const s = name.ss;
    const reevaluateDeps = s.reevaluate_deps;
    const reevaluateIif = s.reevaluate_iif;
    s.reevaluate_deps = false;
    s.reevaluate_iif = false;
    let firstCandidate: Pkg | null = null;
    let numOptions = 0;
    let numTagNotOk = 0;
    let hasIif = false;
    let noIif = true;
    let hasAutoSelectable = false;
    let reevaluate = false;

    for (const p of name.providers) {
      const pkg = p.pkg;
      pkg.ss.dependencies_merged = false;
      if (reevaluateDeps) {
        if (!pkg.ss.pkg_selectable) continue;
        for (const dep of pkg.depends) {
          if (!this.dependencySatisfiable(dep)) {
            this.disqualifyPackage(pkg);
            break;
          }
        }
      }
      if (!pkg.ss.pkg_selectable) continue;

      if (reevaluateIif && !pkg.ss.iif_triggered && !pkg.ss.iif_failed) {
        pkg.ss.iif_triggered = true;
        pkg.ss.iif_failed = false;
        for (const dep of pkg.installIf) {
          if (!dep.name.ss.locked) {
            if (dep.conflict) {
              dep.name.ss.iif_needed = true;
              this.queueUnresolved(dep.name, false);
            }
            pkg.ss.iif_triggered = false;
            pkg.ss.iif_failed = false;
            break;
          }
          if (!depIsProvided(dep, dep.name.ss.chosen)) {
            pkg.ss.iif_triggered = false;
            pkg.ss.iif_failed = true;
            break;
          }
        }
      }
      if (reevaluateIif && pkg.ss.iif_triggered)
        for (const dep of pkg.installIf) this.inheritPinningAndFlags(pkg, dep.name.ss.chosen?.pkg ?? null);
      hasIif ||= pkg.ss.iif_triggered;
      noIif &&= pkg.ss.iif_failed;
      hasAutoSelectable ||= pkg.ss.iif_triggered;

      if (s.requirers === 0) continue;

      pkg.ss.dependencies_merged = true;
      if (!firstCandidate) firstCandidate = pkg;
      for (const dep of pkg.depends) if (!dep.conflict) mergeIndex(dep.name, 'merge_depends', numOptions);
      if (mergeIndex(pkg.name, 'merge_provides', numOptions)) pkg.name.ss.has_virtual_provides ||= p.version === null;
      for (const dep of pkg.provides)
        if (mergeIndex(dep.name, 'merge_provides', numOptions)) dep.name.ss.has_virtual_provides ||= dep.version === '';
      if (!pkg.ss.tag_ok) numTagNotOk++;
      numOptions++;
      if (!hasAutoSelectable && this.isProviderAutoSelectable(p)) hasAutoSelectable = true;
    }
    s.has_options = numOptions > 1 || numTagNotOk > 0;
    s.has_iif = hasIif;
    s.no_iif = noIif;
    if (hasAutoSelectable !== s.has_auto_selectable) {
      s.has_auto_selectable = hasAutoSelectable;
      reevaluate = true;
    }

    if (firstCandidate) {
      const pkg = firstCandidate;
      for (const p of name.providers) p.pkg.ss.dependencies_used = p.pkg.ss.dependencies_merged;
      if (numOptions === 1) {
        for (const dep of pkg.depends)
          if (mergeIndexComplete(dep.name, 'merge_depends', numOptions)) this.applyConstraint(pkg, dep);
      } else {
        for (const dep of pkg.depends) {
          const name0 = dep.name;
          if (mergeIndexComplete(name0, 'merge_depends', numOptions) && name0.ss.requirers === 0) {
            name0.ss.requirers++;
            this.nameRequirersChanged(name0);
            for (const p of name0.providers) this.inheritPinningAndFlags(p.pkg, pkg);
          }
        }
      }
      if (mergeIndexComplete(pkg.name, 'merge_provides', numOptions))
        this.excludeNonProviders(pkg.name, name, pkg.name.ss.has_virtual_provides);
      for (const dep of pkg.provides)
        if (mergeIndexComplete(dep.name, 'merge_provides', numOptions))
          this.excludeNonProviders(dep.name, name, dep.name.ss.has_virtual_provides);
      pkg.name.ss.has_virtual_provides = false;
      for (const dep of pkg.provides) dep.name.ss.has_virtual_provides = false;
    }

    s.reverse_deps_done = true;
    for (const name0 of name.rdepends) {
      if (name0.ss.seen && !name0.ss.locked) {
        s.reverse_deps_done = false;
        break;
      }
    }
    this.queueUnresolved(name, reevaluate);
  }

  compareProviders(pA: Provider, pB: Provider | null): number {
    const pkgA = pA.pkg;
    const pkgB = pB?.pkg;
    if (!pkgB) return 1;
    const a = pkgA.ss;
    const b = pkgB.ss;
    const solverFlags = a.solver_flags | b.solver_flags;
    let r: number;
    if (
      solverFlags & SOLVERF_LATEST &&
      a.pinning_allowed === DEFAULT_PINNING_MASK &&
      b.pinning_allowed === DEFAULT_PINNING_MASK
    ) {
      if ((r = +a.tag_ok - +b.tag_ok)) return r;
      if (solverFlags & SOLVERF_AVAILABLE) {
        if ((r = +a.pkg_available - +b.pkg_available)) return r;
      } else if (solverFlags & SOLVERF_REINSTALL) {
        if ((r = +a.pkg_selectable - +b.pkg_selectable)) return r;
      }
    } else {
      if ((r = +a.pkg_selectable - +b.pkg_selectable)) return r;
      if ((r = +a.dependencies_used - +b.dependencies_used)) return r;
      if ((r = b.conflicts - a.conflicts)) return r;
      if ((this.db.performingPreupgrade && !(solverFlags & SOLVERF_UPGRADE)) || solverFlags & SOLVERF_INSTALLED) {
        if ((r = +!!pkgA.installed - +!!pkgB.installed)) return r;
      }
      if ((r = +a.tag_ok - +b.tag_ok)) return r;
      if (solverFlags & SOLVERF_AVAILABLE) {
        if ((r = +a.pkg_available - +b.pkg_available)) return r;
      }
      if ((r = +a.tag_preferred - +b.tag_preferred)) return r;
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
    if ((r = +a.pkg_selectable - +b.pkg_selectable)) return r;
    return ffs(pkgB.repos) - ffs(pkgA.repos);
  }

  assignName(name: Name, p: Provider | null): void {
    const s = name.ss;
    if (s.locked) {
      // both providing this name without a version is fine
      if (p && p.version === null && s.chosen && s.chosen.version === null) return;
      if (this.ignoreConflict) return;
      this.markError(p?.pkg ?? null);
      this.markError(s.chosen?.pkg ?? null);
      return;
    }
    s.locked = true;
    s.chosen = p;
    this.listRemove(name);
    if (s.dirty) {
      s.dirty = false;
      const i = this.dirty.indexOf(name);
      if (i >= 0) this.dirty.splice(i, 1);
    }
    if (p && !s.requirers && p.pkg.ss.iif_triggered) {
      for (const dep of p.pkg.installIf) if (!dep.name.ss.locked) this.applyConstraint(p.pkg, dep);
    }
    if (!this.ignoreConflict) {
      for (const p0 of name.providers) {
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
    let chosen: Provider | null = null;
    const s = name.ss;
    if (s.requirers || s.has_iif) {
      for (const p of name.providers) {
        if (s.requirers === 0 && (!p.pkg.ss.iif_triggered || !p.pkg.ss.tag_ok || !p.pkg.ss.pkg_selectable)) continue;
        if (!this.isProviderAutoSelectable(p)) continue;
        if (this.compareProviders(p, chosen) > 0) chosen = p;
      }
    }
    const pkg = chosen?.pkg;
    if (pkg) {
      if (!pkg.ss.pkg_selectable || !pkg.ss.tag_ok) this.markError(pkg);
      this.assignName(pkg.name, { pkg, version: pkg.version });
      for (const d of pkg.provides) this.assignName(d.name, { pkg, version: d.version === '' ? null : d.version });
      for (const d of pkg.depends) this.applyConstraint(pkg, d);
    } else {
      this.assignName(name, null);
      if (s.requirers > 0) this.errors++;
    }
  }

  // --- changeset generation ---

  recordChange(opkg: Pkg | null, npkg: Pkg | null): void {
    const change: Change = {
      oldPkg: opkg,
      newPkg: npkg,
      oldTag: opkg?.installed?.repositoryTag ?? 0,
      newTag: npkg ? this.getTag(npkg.ss.pinning_allowed, this.pkgRepos(npkg)) : 0,
      reinstall: npkg ? (npkg.ss.solver_flags & SOLVERF_REINSTALL) !== 0 : false,
    };
    this.changeset.changes.push(change);
    if (!npkg) this.changeset.numRemove++;
    else if (!opkg) this.changeset.numInstall++;
    else if (npkg !== opkg || change.reinstall || change.newTag !== change.oldTag) this.changeset.numAdjust++;
  }

  csetTrackDepsAdded(pkg: Pkg): void {
    for (const d of pkg.depends) {
      if (d.conflict || !d.name.ss.installed_name) continue;
      d.name.ss.installed_name.ss.requirers++;
    }
  }

  csetTrackDepsRemoved(pkg: Pkg): void {
    for (const d of pkg.depends) {
      if (d.conflict || !d.name.ss.installed_name) continue;
      if (--d.name.ss.installed_name.ss.requirers > 0) continue;
      const pkg0 = d.name.ss.installed_pkg;
      if (pkg0) this.csetGenNameRemove(pkg0);
    }
  }

  csetCheckRemovalByDeps(pkg: Pkg): void {
    if (pkg.name.ss.requirers === 0 && !pkg.name.ss.chosen?.pkg) this.csetGenNameRemove(pkg);
  }

  csetCheckInstallByIif(name: Name): void {
    const pkg = name.ss.chosen?.pkg;
    if (!pkg || !name.ss.seen || name.ss.changeset_processed) return;
    for (const dep0 of pkg.installIf) {
      const name0 = dep0.name;
      if (!dep0.conflict && !name0.ss.changeset_processed) return;
      if (!depIsProvided(dep0, name0.ss.chosen)) return;
    }
    this.csetGenNameChange(name);
  }

  csetCheckRemovalByIif(name: Name): void {
    const pkg = name.ss.installed_pkg;
    if (!pkg || name.ss.chosen?.pkg) return;
    if (name.ss.changeset_processed || name.ss.changeset_removed) return;
    for (const dep0 of pkg.installIf) {
      const name0 = dep0.name;
      if (name0.ss.changeset_removed && !name0.ss.chosen?.pkg) {
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
    if (name.ss.changeset_processed) return;
    name.ss.changeset_processed = true;
    const inst = name.ss.installed_pkg;
    if (inst && (!name.ss.chosen?.pkg || name.ss.chosen.pkg.name !== name)) this.csetGenNameRemove(inst);
    for (const p of name.providers) {
      const pkg0 = p.pkg;
      const name0 = pkg0.name;
      if (name0.ss.installed_pkg === pkg0 && !name0.ss.chosen?.pkg) this.csetGenNameRemove(pkg0);
    }
  }

  csetGenNameChange(name: Name): void {
    if (name.ss.changeset_processed) return;
    this.csetGenNamePreprocess(name);
    const pkg = name.ss.chosen?.pkg;
    if (!pkg || pkg.ss.in_changeset) return;
    pkg.ss.in_changeset = true;
    this.csetGenNamePreprocess(pkg.name);
    for (const d of pkg.provides) this.csetGenNamePreprocess(d.name);
    const opkg = pkg.name.ss.installed_pkg;
    this.csetCheckByReverseIif(opkg, (n) => this.csetCheckRemovalByIif(n));
    for (const d of pkg.depends) this.csetGenDep(pkg, d);
    this.recordChange(opkg, pkg);
    this.csetCheckByReverseIif(pkg, (n) => this.csetCheckInstallByIif(n));
    this.csetTrackDepsAdded(pkg);
    if (opkg) this.csetTrackDepsRemoved(opkg);
  }

  csetGenNameRemove(pkg: Pkg): void {
    const name = pkg.name;
    if (pkg.ss.in_changeset || (name.ss.chosen?.pkg && name.ss.chosen.pkg.name === name)) return;
    name.ss.changeset_removed = true;
    pkg.ss.in_changeset = true;
    forEachReverseDependency(pkg, true, false, (pkg0, _dep, m) => {
      if (m === DEP_SATISFIES) this.csetGenNameRemove(pkg0);
    });
    this.csetCheckByReverseIif(pkg, (n) => this.csetCheckRemovalByIif(n));
    this.recordChange(pkg, null);
    this.csetTrackDepsRemoved(pkg);
  }

  csetGenDep(ppkg: Pkg | null, dep: Dep): void {
    const name = dep.name;
    const pkg = name.ss.chosen?.pkg;
    if (dep.conflict && this.ignoreConflict) return;
    if (!depIsProvided(dep, name.ss.chosen)) this.markError(ppkg);
    this.csetGenNameChange(name);
    if (pkg && pkg.ss.error) this.markError(ppkg);
  }

  generateChangeset(world: Dep[]): void {
    const installed = this.db.installed;
    for (const n of this.db.names.touched) {
      const ss = n.ss;
      ss.installed_pkg = null;
      ss.installed_name = null;
      ss.requirers = 0;
    }
    for (const pkg of installed) {
      pkg.name.ss.installed_pkg = pkg;
      pkg.name.ss.installed_name = pkg.name;
      for (const d of pkg.provides) if (d.version !== '') d.name.ss.installed_name = pkg.name;
    }
    for (const pkg of installed) this.csetTrackDepsAdded(pkg);
    for (const pkg of installed) this.csetCheckRemovalByDeps(pkg);
    for (const d of world) this.csetGenDep(null, d);
    for (const pkg of installed) this.csetGenNameChange(pkg.name);
  }

  dequeueNextName(): Name | undefined {
    const name = this.resolvenow.shift() ?? this.selectable.shift() ?? this.unresolved.shift();
    if (name) name.ss.queue = 0;
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
        name.ss.dirty = false;
        this.reconsiderName(name);
      }
      const name = this.dequeueNextName();
      if (!name) break;
      this.selectPackage(name);
    }
    this.generateChangeset(world);
  }
}

function mergeIndex(name: Name, key: 'merge_depends' | 'merge_provides', numOptions: number): boolean {
  if (name.ss[key] !== numOptions) return false;
  name.ss[key] = numOptions + 1;
  return true;
}

function mergeIndexComplete(name: Name, key: 'merge_depends' | 'merge_provides', numOptions: number): boolean {
  const ret = name.ss[key] === numOptions;
  name.ss[key] = 0;
  return ret;
}

export const DEP_IRRELEVANT = 0;
export const DEP_SATISFIES = 1;
export const DEP_CONFLICTS = 2;

/** How dep relates to pkg: irrelevant (other name), satisfied, or conflicting (apk_dep_analyze). */
export function depAnalyze(dep: Dep, pkg: Pkg | null): number {
  if (!pkg) return DEP_IRRELEVANT;
  if (dep.name === pkg.name) return depIsProvided(dep, { pkg, version: pkg.version }) ? DEP_SATISFIES : DEP_CONFLICTS;
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
}

/** Solve world against db. World is sorted by name in place (as apk does). */
export function solve(db: SolverDb, world: Dep[], solverFlags: number, nameFlags?: NameFlags): SolveResult {
  world.sort((a, b) => (a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : 0));
  for (;;) {
    resetSolverState(db);
    for (const name of db.names.names.values()) if (name.solverFlagsSet && !nameFlags?.has(name)) name.solverFlagsSet = false;
    if (nameFlags)
      for (const [name, f] of nameFlags) {
        name.solverFlagsSet = true;
        for (const p of name.providers) {
          p.pkg.ss.solver_flags |= f.flags;
          p.pkg.ss.solver_flags_inheritable |= f.inheritable;
        }
      }
    const s = new Solver(db);
    s.run(world, solverFlags);
    if (s.errors && db.forceBrokenWorld && world.some((d) => !d.broken && (!d.name.ss.chosen?.pkg || d.name.ss.chosen.pkg.ss.error))) {
      for (const d of world) {
        const pkg = d.name.ss.chosen?.pkg;
        if (!pkg || pkg.ss.error) d.broken = true;
      }
      continue;
    }
    return { errors: s.errors, changeset: s.changeset };
  }
}
