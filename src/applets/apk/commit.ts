// Solving and committing: the `(1/3) Installing …` lines, the transaction itself (everything fetched
// and verified first, then applied package by package, the database written atomically at the end),
// and apk's `unable to select packages` report when the solver fails.
import type { Apk } from './context.js';
import type { Database } from './database.js';
import { formatDep, type Dep, type Name, type Pkg } from './package.js';
import {
  type Change,
  type Changeset,
  DEFAULT_PINNING_MASK,
  DEP_CONFLICTS,
  DEP_SATISFIES,
  depAnalyze,
  forEachReverseDependency,
  type NameFlags,
  REPOSITORY_CACHED_BIT,
  solve,
} from './solver.js';
import { compareVersions, EQUAL, GREATER, LESS } from './version.js';

/** Solve world and commit. Returns apk's exit status. */
export async function solveAndCommit(
  apk: Apk,
  db: Database,
  world: Dep[],
  solverFlags: number,
  nameFlags?: NameFlags,
  beforeCommit?: (changeset: Changeset) => void,
): Promise<number> {
  if (!checkWorld(apk, db, world)) {
    await apk.error('Not committing changes due to missing repository tags. Use --force-broken-world to override.');
    return 99;
  }
  const { errors, changeset } = solve(db, world, solverFlags, nameFlags);
  if (errors) {
    await printErrors(apk, db, changeset, world);
    return Math.min(errors, 99);
  }
  beforeCommit?.(changeset);
  return commitChangeset(apk, db, changeset, world);
}

function checkWorld(apk: Apk, db: Database, world: Dep[]): boolean {
  if (apk.has('force-broken-world')) return true;
  let bad = 0;
  for (const d of world) {
    if (!d.tag) continue;
    if (db.repoTags[d.tag]!.allowedRepos) continue;
    void apk.warning(`The repository tag for world dependency '${formatDep(d, (t) => db.tagName(t))}' does not exist`);
    bad++;
  }
  return bad === 0;
}

function pkgAvailable(db: Database, pkg: Pkg): boolean {
  return (pkg.repos & db.availableRepos) !== 0 || !!pkg.filename;
}

function changeMessage(db: Database, c: Change): [string, string] | undefined {
  const name = (c.newPkg ?? c.oldPkg)!.name.name;
  const tag = c.newTag ? `@${db.tagName(c.newTag)}` : '';
  if (!c.oldPkg) return ['Installing', `${name}${tag} (${c.newPkg!.version})`];
  if (!c.newPkg) return ['Purging', `${name}${tag} (${c.oldPkg.version})`];
  if (c.newPkg === c.oldPkg) {
    let msg: string | undefined;
    if (c.reinstall) msg = pkgAvailable(db, c.newPkg) ? 'Reinstalling' : '[APK unavailable, skipped] Reinstalling';
    else if (c.oldTag !== c.newTag) msg = 'Updating pinning';
    return msg ? [msg, `${name}${tag} (${c.newPkg.version})`] : undefined;
  }
  const r = compareVersions(c.newPkg.version, c.oldPkg.version);
  const msg = r === LESS ? 'Downgrading' : r === EQUAL ? 'Replacing' : 'Upgrading';
  return [msg, `${name}${tag} (${c.oldPkg.version} -> ${c.newPkg.version})`];
}

function isChange(c: Change): boolean {
  return c.newPkg !== c.oldPkg || c.reinstall || c.newTag !== c.oldTag;
}

/** apk's human size for the -v preview (`20 KiB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = bytes;
  while (v >= 10000 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Math.floor(v)} ${units[i]}`;
}

async function commitChangeset(apk: Apk, db: Database, changeset: Changeset, world: Dep[]): Promise<number> {
  const changes = changeset.changes;
  let sizeDiff = 0;
  let pkgDiff = 0;
  let total = 0;
  for (const c of changes) {
    if (c.newPkg) {
      sizeDiff += c.newPkg.installedSize;
      pkgDiff++;
    }
    if (c.oldPkg) {
      sizeDiff -= c.oldPkg.installedSize;
      pkgDiff--;
    }
    if (isChange(c)) total++;
  }

  if ((apk.verbosity > 1 || apk.has('interactive')) && !apk.simulate) {
    const listed = previewChanges(apk, db, changes, sizeDiff);
    if (listed > 0 && apk.has('interactive') && !(await confirm(apk))) return 99;
  }

  let errors = 0;
  const doInstall = !apk.simulate && changes.some((c) => c.newPkg !== c.oldPkg || c.reinstall);
  let txn: import('./install.js').Transaction | undefined;
  if (doInstall) {
    const { Transaction } = await import('./install.js');
    txn = new Transaction(apk, db);
    const failed = await txn.prepare(changes);
    if (failed) return failed;
    await txn.runCommitHooks('pre-commit');
  }
  let done = 0;
  // progress as apk weighs it: installed bytes plus one per package
  const weight = (c: Change) => (c.newPkg ? c.newPkg.installedSize + 1 : 0) + (c.oldPkg ? 1 : 0);
  const totalWeight = changes.reduce((n, c) => n + (isChange(c) ? weight(c) : 0), 0);
  let doneWeight = 0;
  for (const c of changes) {
    let r = c.oldPkg && (c.oldPkg.installed?.brokenFiles || c.oldPkg.installed?.brokenScript) ? 1 : 0;
    const m = changeMessage(db, c);
    if (m) {
      apk.msg(`(${done + 1}/${total}) ${m[0]} ${m[1]}`);
      apk.progress(doneWeight, totalWeight);
      if (txn && (c.oldPkg !== c.newPkg || (c.reinstall && pkgAvailable(db, c.newPkg!)))) r = (await txn.apply(c)) ? 1 : 0;
      if (!r && c.newPkg?.installed && !apk.simulate) c.newPkg.installed.repositoryTag = c.newTag;
    }
    errors += r;
    if (isChange(c)) {
      done++;
      doneWeight += weight(c);
    }
  }
  if (total) apk.progress(totalWeight, totalWeight);
  if (txn) errors += await txn.finish();

  db.world = [...world];
  if (!apk.simulate) {
    writeArch(db);
    db.writeState();
    if (txn) await txn.runCommitHooks('post-commit');
  }
  if (!db.performingPreupgrade) printSummary(apk, db, errors, sizeDiff, pkgDiff);
  return errors;
}

function writeArch(db: Database): void {
  const fs = process.getBuiltinModule('node:fs');
  const p = db.path('etc/apk/arch');
  if (!fs.existsSync(p)) {
    fs.mkdirSync(db.path('etc/apk'), { recursive: true });
    fs.writeFileSync(p, `${db.arch}\n`);
  }
}

export function installedStats(db: Database): { bytes: number; packages: number; dirs: number; files: number } {
  let bytes = 0;
  let files = 0;
  const dirs = new Set<string>();
  for (const p of db.installed) {
    bytes += p.installedSize;
    for (const d of p.installed?.dirs ?? []) {
      dirs.add(d.name);
      files += d.files.length;
    }
  }
  return { bytes, packages: db.installed.length, dirs: dirs.size, files };
}

export function printSummary(apk: Apk, db: Database, errors: number, sizeDiff = 0, pkgDiff = 0): void {
  const head = errors ? `${errors} error${errors > 1 ? 's' : ''};` : 'OK:';
  const st = installedStats(db);
  let bytes = st.bytes;
  let packages = st.packages;
  if (apk.simulate) {
    bytes += sizeDiff;
    packages += pkgDiff;
  }
  const mib = Math.floor(Math.max(0, bytes) / (1024 * 1024));
  if (apk.verbosity > 1) apk.msg(`${head} ${packages} packages, ${st.dirs} dirs, ${st.files} files, ${mib} MiB`);
  else apk.msg(`${head} ${mib} MiB in ${packages} packages`);
}

/** -i: `Do you want to continue [Y/n]?`; yes, enter or end of input go on. */
async function confirm(apk: Apk): Promise<boolean> {
  apk.out('Do you want to continue [Y/n]? ');
  await apk.flush();
  const chunk = await apk.ctx.stdin.read();
  const answer = chunk && chunk.length ? String.fromCharCode(chunk[0]!) : '';
  if (chunk && chunk.length > 1) apk.ctx.stdin.unread(chunk.subarray(1));
  return answer === '' || answer === 'y' || answer === 'Y' || answer === '\n';
}

/** The -v / -i preview of what will change; returns how many packages it listed. */
function previewChanges(apk: Apk, db: Database, changes: Change[], sizeDiff: number): number {
  const nameOf = (c: Change) => (c.oldPkg ?? c.newPkg)!.name.name;
  const sorted = [...changes].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
  const dump = (pred: (c: Change) => boolean, title: string): number => {
    const names = sorted.filter(pred).map((c) => (c.newPkg ?? c.oldPkg)!.name.name);
    if (!names.length) return 0;
    const ind = new Indent(apk.ctx.isTTY(1) ? (apk.ctx.host.terminalSize(1)?.columns ?? 80) : 50, (t) => apk.out(t));
    ind.line(`${title}:\n`);
    ind.group(2, '');
    for (const n of names) ind.word(n);
    ind.end();
    return names.length;
  };
  let r = dump((c) => !c.newPkg, 'The following packages will be REMOVED');
  r += dump((c) => !!c.newPkg && !!c.oldPkg && compareVersions(c.newPkg.version, c.oldPkg.version) === LESS, 'The following packages will be DOWNGRADED');
  if (r || apk.has('interactive') || apk.verbosity > 2) {
    r += dump((c) => !c.oldPkg, 'The following NEW packages will be installed');
    r += dump(
      (c) =>
        !!c.newPkg && !!c.oldPkg && c.newPkg !== c.oldPkg && (compareVersions(c.newPkg.version, c.oldPkg.version) & (GREATER | EQUAL)) !== 0,
      'The following packages will be upgraded',
    );
    r += dump((c) => c.reinstall, 'The following packages will be reinstalled');
    const download = changes
      .filter((c) => c.newPkg && c.newPkg !== c.oldPkg && !(c.newPkg.repos & db.localRepos))
      .reduce((s, c) => s + c.newPkg!.size, 0);
    if (download) apk.msg(`Need to download ${humanSize(download)} of packages.`);
    apk.msg(
      `After this operation, ${humanSize(Math.abs(sizeDiff))} of ${sizeDiff < 0 ? 'disk space will be freed' : 'additional disk space will be used'}.`,
    );
  }
  return r;
}

/** apk's word wrapper (apk_print_indented): continuation lines indent under the first word. */
export class Indent {
  x = 0;
  indent = 0;
  constructor(
    readonly width: number,
    readonly write: (text: string) => void,
  ) {}
  line(text: string): void {
    this.write(text);
    this.x = this.indent = 0;
  }
  group(indent: number, text: string): void {
    this.write(text);
    this.x = text.endsWith('\n') ? 0 : text.length;
    this.indent = indent || text.length + 1;
  }
  word(text: string): void {
    if (this.x <= this.indent) {
      const pad = ' '.repeat(Math.max(0, this.indent - this.x));
      this.write(pad + text);
      this.x += pad.length + text.length;
    } else if (this.x + text.length + 1 >= this.width) {
      this.write(`\n${' '.repeat(this.indent)}${text}`);
      this.x = this.indent + text.length;
    } else {
      this.write(` ${text}`);
      this.x += text.length + 1;
    }
  }
  words(text: string): void {
    for (const w of text.split(' ')) if (w) this.word(w);
  }
  end(): void {
    if (this.x) {
      this.write('\n');
      this.x = this.indent = 0;
    }
  }
}

// --- the error report (apk_solver_print_errors) ---

const STATE_PRESENT = 0x80000000;
const STATE_MISSING = 0x40000000;
const STATE_VIRTUAL_ONLY = 0x20000000;
const STATE_INSTALLIF = 0x10000000;
const STATE_COUNT_MASK = 0x0000ffff;

async function printErrors(apk: Apk, db: Database, changeset: Changeset, world: Dep[]): Promise<void> {
  let text = 'ERROR: unable to select packages:\n';
  const width = apk.ctx.isTTY(2) ? (apk.ctx.host.terminalSize(2)?.columns ?? 80) : 50;
  const ind = new Indent(width, (t) => (text += t));
  let label: string | undefined;
  let numLabels = 0;
  const tagName = (t: number) => db.tagName(t);
  const depText = (d: Dep) => formatDep(d, tagName);

  for (const n of db.names.touched) n.ss.state_int = 0;
  for (const p of db.packages) {
    p.marked = false;
    p.stateInt = 0;
  }
  for (const c of changeset.changes) if (c.newPkg) c.newPkg.marked = true;

  const labelStart = (t: string) => {
    if (label) {
      ind.line(`  ${label}:\n`);
      label = undefined;
      numLabels++;
    }
    if (!ind.x) ind.group(0, `    ${t}`);
  };
  const labelEnd = () => ind.end();

  const isNameConcrete = (pkg: Pkg, name: Name) =>
    pkg.name === name || pkg.provides.some((d) => d.name === name && d.version !== '');

  const discoverName = (name: Name, pkgState: number) => {
    for (const p of name.providers) {
      let state = pkgState;
      if (!p.pkg.marked) continue;
      if ((state === STATE_PRESENT || state === STATE_INSTALLIF) && !p.pkg.providerPriority && !isNameConcrete(p.pkg, name))
        state = STATE_VIRTUAL_ONLY;
      if ((p.pkg.stateInt & state) >>> 0) continue;
      p.pkg.stateInt = (p.pkg.stateInt | state) >>> 0;
      p.pkg.name.ss.state_int = (p.pkg.name.ss.state_int | state) >>> 0;
      for (const d of p.pkg.provides) {
        let dstate = state;
        if (dstate === STATE_INSTALLIF && d.version === '') dstate = STATE_VIRTUAL_ONLY;
        d.name.ss.state_int = (d.name.ss.state_int | dstate) >>> 0;
      }
      discoverDeps(p.pkg.depends);
      if (state === STATE_PRESENT || state === STATE_INSTALLIF) {
        discoverReverseIif(p.pkg.name);
        for (const d of p.pkg.provides) discoverReverseIif(d.name);
      }
    }
  };
  const discoverReverseIif = (name: Name) => {
    for (const name0 of name.rinstallIf) {
      for (const p of name0.providers) {
        if (!p.pkg.marked || !p.pkg.installIf.length) continue;
        let ok = true;
        for (const d of p.pkg.installIf) {
          if (d.conflict === ((d.name.ss.state_int & (STATE_PRESENT | STATE_INSTALLIF)) !== 0)) {
            ok = false;
            break;
          }
        }
        if (ok) {
          discoverName(p.pkg.name, STATE_INSTALLIF);
          for (const d of p.pkg.provides) discoverName(d.name, STATE_INSTALLIF);
        }
      }
    }
  };
  const discoverDeps = (deps: Dep[]) => {
    for (const d of deps) if (!d.conflict) discoverName(d.name, STATE_PRESENT);
  };

  const printPinningErrors = (pkg: Pkg, tag: number) => {
    if (pkg.installed) return;
    if (!(pkg.repos & db.availableRepos) && !pkg.filename) {
      labelStart('masked in:');
      ind.word('--no-network');
    } else if (pkg.repos === REPOSITORY_CACHED_BIT && !pkg.filename) {
      labelStart('masked in:');
      ind.word('cache');
    } else {
      let allowed = 0;
      for (let i = 0; i < db.repoTags.length; i++) if ((DEFAULT_PINNING_MASK | (1 << tag)) & (1 << i)) allowed |= db.repoTags[i]!.allowedRepos;
      if (pkg.repos & allowed || pkg.filename) return;
      for (let i = 0; i < db.repoTags.length; i++) {
        if (pkg.repos & db.repoTags[i]!.allowedRepos) {
          labelStart('masked in:');
          ind.word(`@${db.repoTags[i]!.name}`);
        }
      }
    }
    labelEnd();
  };
  const printConflicts = (pkg: Pkg) => {
    for (const p of pkg.name.providers) {
      if (p.pkg === pkg || !p.pkg.marked) continue;
      labelStart('conflicts:');
      ind.word(p.pkg.nameVersion);
    }
    for (const d of pkg.provides) {
      let once = true;
      for (const p of d.name.providers) {
        if (!p.pkg.marked) continue;
        if (d.version === '' && p.version === null) continue;
        if (once && p.pkg === pkg && (p.version ?? '') === d.version) {
          once = false;
          continue;
        }
        labelStart('conflicts:');
        ind.word(`${p.pkg.nameVersion}[${depText(d)}]`);
      }
    }
    labelEnd();
  };
  const printDeps = (pkg: Pkg, match: number) => {
    const word = match === DEP_SATISFIES ? 'satisfies:' : 'breaks:';
    for (const d of world) {
      if (depAnalyze(d, pkg) === match) {
        labelStart(word);
        ind.word(`world[${depText(d)}]`);
      }
    }
    forEachReverseDependency(
      pkg,
      false,
      true,
      (pkg0, d0, m) => {
        if (m !== match) return;
        labelStart(word);
        ind.word(`${pkg0.nameVersion}[${depText(d0)}]`);
      },
      new Set(),
    );
    labelEnd();
  };
  const analyzePackage = (pkg: Pkg, tag: number) => {
    label = pkg.nameVersion;
    printPinningErrors(pkg, tag);
    printConflicts(pkg);
    printDeps(pkg, DEP_CONFLICTS);
    if (label === undefined) printDeps(pkg, DEP_SATISFIES);
  };
  const analyzeMissingName = (name: Name) => {
    if (name.providers.length) {
      label = `${name.name} (virtual)`;
      labelStart('note:');
      ind.words("please select one of the 'provided by' packages explicitly");
      labelEnd();
      labelStart('provided by:');
      for (const p0 of name.providers) p0.pkg.name.ss.state_int++;
      for (const p0 of name.providers) {
        const name0 = p0.pkg.name;
        const refs = name0.ss.state_int & STATE_COUNT_MASK;
        if (refs === name0.providers.length) {
          ind.word(name0.name);
          name0.ss.state_int = (name0.ss.state_int & ~STATE_COUNT_MASK) >>> 0;
        } else if (refs > 0) {
          ind.word(p0.pkg.nameVersion);
          name0.ss.state_int--;
        }
      }
      labelEnd();
    } else label = `${name.name} (no such package)`;
    labelStart('required by:');
    for (const d0 of world) {
      if (d0.name !== name || d0.conflict) continue;
      ind.word(`world[${depText(d0)}]`);
    }
    const seen = new Set<Pkg>();
    for (const name0 of name.rdepends) {
      let found = false;
      for (const p0 of name0.providers) {
        if (!p0.pkg.marked || seen.has(p0.pkg)) continue;
        seen.add(p0.pkg);
        const d0 = p0.pkg.depends.find((d) => d.name === name && !d.conflict);
        if (d0) {
          ind.word(`${p0.pkg.nameVersion}[${depText(d0)}]`);
          found = true;
          break;
        }
      }
      if (found) continue;
    }
    labelEnd();
  };
  const analyzeDeps = (deps: Dep[]) => {
    for (const d0 of deps) {
      const name0 = d0.name;
      if (d0.conflict) continue;
      if (name0.ss.state_int & (STATE_INSTALLIF | STATE_PRESENT | STATE_MISSING)) continue;
      name0.ss.state_int = (name0.ss.state_int | STATE_MISSING) >>> 0;
      analyzeMissingName(name0);
    }
  };

  discoverDeps(world);
  analyzeDeps(world);
  for (const c of changeset.changes) {
    const pkg = c.newPkg;
    if (!pkg) continue;
    analyzePackage(pkg, c.newTag);
    analyzeDeps(pkg.depends);
  }
  if (!numLabels) ind.line("  Huh? Error reporter did not find the broken constraints.\n");
  await apk.err(text);
}
