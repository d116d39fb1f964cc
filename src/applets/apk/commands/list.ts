// apk list: `name-ver arch {origin} (license) [status]` for matching packages.
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import type { Name, Pkg } from '../package.js';
import { globToRegExp, latestOf, packagesOf } from '../query.js';
import { compareVersions, GREATER } from '../version.js';

export async function list(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: false });
  db.buildReverse();
  const patterns = args.map((a) => globToRegExp(a));
  const match = (n: string) => !patterns.length || patterns.some((re) => re.test(n));
  const names = [...db.names.names.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const name of names) {
    if (!match(name.name)) continue;
    const pkgs = apk.has('providers') ? name.providers.map((p) => p.pkg) : packagesOf(name);
    for (const pkg of pkgs) {
      if (apk.has('installed') && !pkg.installed) continue;
      if (apk.has('available') && !(pkg.repos & ~1)) continue;
      if (apk.has('orphaned') && (!pkg.installed || isRequired(db, pkg))) continue;
      const up = upgradableFrom(db, pkg.name, pkg);
      if (apk.has('upgradable') && !up) continue;
      if (!apk.has('installed') && !apk.has('available') && !apk.has('upgradable') && !apk.has('orphaned') && !pkg.installed) {
        // default: only the newest of what is not installed
        if (latestOf(db, pkg.name) !== pkg) continue;
      }
      let line = apk.has('providers') ? `<${name.name}> ` : '';
      line += `${pkg.nameVersion} ${pkg.arch} {${pkg.origin || pkg.name.name}} (${pkg.license})`;
      if (pkg.installed) line += ' [installed]';
      else if (up) line += ` [upgradable from: ${up.nameVersion}]`;
      apk.out(`${line}\n`);
      if (apk.verbosity > 1) apk.out(`  ${pkg.description}\n`);
    }
  }
  return 0;
}

function upgradableFrom(db: Database, name: Name, pkg: Pkg): Pkg | undefined {
  if (pkg.installed) return undefined;
  const inst = db.installedOf(name.name);
  if (!inst || inst === pkg) return undefined;
  return compareVersions(pkg.version, inst.version) === GREATER ? inst : undefined;
}

function isRequired(db: Database, pkg: Pkg): boolean {
  if (db.world.some((d) => d.name === pkg.name || pkg.provides.some((p) => p.name === d.name))) return true;
  for (const other of db.installed)
    for (const d of other.depends) if (!d.conflict && (d.name === pkg.name || pkg.provides.some((p) => p.name === d.name))) return true;
  return false;
}
