// apk search (apk-tools 2.14 app_search.c): packages of the repositories whose name or a provided
// name matches `*PATTERN*` (case folded; -x exactly), the newest of each name unless -a; -d
// matches descriptions too, -o prints origins, --has-origin matches them, -r lists what requires
// each match. The installed database is not read (apk opens it with NO_STATE).
import type { Apk } from '../context.js';
import type { Pkg } from '../package.js';
import { eachSortedPackage, fnmatch } from '../query.js';
import { DEP_SATISFIES, forEachReverseDependency } from '../solver.js';
import { compareVersions, GREATER } from '../version.js';

export async function search(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: false, state: false });
  const hasOrigin = apk.has('has-origin');
  const description = apk.has('description');
  const exact = apk.has('exact') || hasOrigin;
  const showAll = apk.has('all') || description || hasOrigin;
  const filter = exact ? args : args.map((a) => `*${a}*`);
  const v = apk.verbosity;

  const printPackage = apk.has('origin')
    ? (pkg: Pkg) => apk.out(`${pkg.origin || pkg.name.name}${v > 0 ? `-${pkg.version}` : ''}\n`)
    : (pkg: Pkg) => apk.out(`${pkg.name.name}${v > 0 ? `-${pkg.version}` : ''}${v > 1 ? ` - ${pkg.description}` : ''}\n`);
  let printResult = printPackage;
  if (apk.has('rdepends')) {
    db.buildReverse();
    // each requirer once: per match when they are listed under it, else once in all
    let printed = new Set<Pkg>();
    printResult = (pkg) => {
      if (v > 0) {
        apk.out(`${pkg.nameVersion} is required by:\n`);
        printed = new Set();
      }
      forEachReverseDependency(pkg, false, false, (pkg0, _dep, m) => {
        if (m !== DEP_SATISFIES || printed.has(pkg0)) return;
        printed.add(pkg0);
        printPackage(pkg0);
      });
    };
  }
  const result = (pkg: Pkg) => {
    if (description) {
      if (!filter.some((f) => fnmatch(f, pkg.description, true) || fnmatch(f, pkg.name.name, true))) return;
    } else if (hasOrigin) {
      if (!pkg.origin || !filter.includes(pkg.origin)) return;
    }
    printResult(pkg);
  };

  // -d and --has-origin walk every package and filter here; otherwise names (and provided names)
  let prev: Pkg | undefined;
  eachSortedPackage(db, description || hasOrigin ? [] : filter, true, (_m, pkg) => {
    if (!pkg) return;
    if (showAll) return result(pkg);
    if (prev && prev.name !== pkg.name) result(prev);
    if (!prev || prev.name !== pkg.name || compareVersions(pkg.version, prev.version) === GREATER) prev = pkg;
  });
  if (prev) result(prev);
  return 0;
}
