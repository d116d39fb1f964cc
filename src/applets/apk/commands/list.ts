// apk list (apk-tools 2.14 app_list.c): `name-ver arch {origin} (license) [status]` for the packages
// of matching names, in display order; -o matches origins, -d lists what depends on the names, -P
// providers; -I installed, -O orphaned, -a available, -u upgradable, --manifest `name version`.
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import type { Name, Pkg } from '../package.js';
import { eachSortedName, sortedProviders } from '../query.js';
import { LESS, versionMatches } from '../version.js';

interface ListCtx {
  installed: boolean;
  orphaned: boolean;
  available: boolean;
  upgradable: boolean;
  origins?: readonly string[];
  providers: boolean;
  manifest: boolean;
}

export async function list(apk: Apk, args: string[]): Promise<number> {
  const c: ListCtx = { installed: false, orphaned: false, available: false, upgradable: false, providers: false, manifest: false };
  // apk applies the options in command-line order (each occurrence; the first is what is known)
  for (const opt of apk.opts.keys()) {
    if (opt === 'available') Object.assign(c, { available: true, orphaned: false });
    else if (opt === 'installed') c.installed = true;
    else if (opt === 'manifest') Object.assign(c, { manifest: true, installed: true });
    else if (opt === 'origin') c.origins = args;
    else if (opt === 'orphaned') Object.assign(c, { installed: true, orphaned: true });
    else if (opt === 'providers') c.providers = true;
    else if (opt === 'upgradable') Object.assign(c, { available: true, orphaned: false, installed: false, upgradable: true });
  }
  // -I reads only the installed database (APK_OPENF_NO_SYS_REPOS)
  const db = await apk.open({ repos: !apk.has('installed'), write: false });
  if (apk.has('depends')) db.buildReverse();
  eachSortedName(db, c.origins ? [] : args, (_match, name) => {
    if (!name) return;
    sortedProviders(name);
    if (apk.has('depends')) for (const n of name.rdepends) listProviders(apk, db, c, n);
    else listProviders(apk, db, c, name);
  });
  return 0;
}

function listProviders(apk: Apk, db: Database, c: ListCtx, name: Name): void {
  for (const p of name.providers) {
    if (!c.providers && p.pkg.name !== name) continue;
    const pkg = p.pkg;
    if (c.origins && !(pkg.origin && c.origins.includes(pkg.origin))) continue;
    if (c.installed && !pkg.installed) continue;
    if (c.orphaned && !isOrphaned(pkg.name)) continue;
    if (c.available && pkg.repos === 1) continue;
    if (c.upgradable && !upgradableFrom(db, pkg)) continue;
    let line = c.providers ? `<${name.name}> ` : '';
    if (c.manifest) line += `${pkg.name.name} ${pkg.version}\n`;
    else if (apk.verbosity <= 0) line += `${pkg.name.name}\n`;
    else {
      line += `${pkg.nameVersion} ${pkg.arch} {${pkg.origin || pkg.name.name}} (${pkg.license})`;
      if (pkg.installed) line += ' [installed]';
      else {
        const u = upgradableFrom(db, pkg);
        if (u) line += ` [upgradable from: ${u.nameVersion}]`;
      }
      if (apk.verbosity > 1) {
        line += `\n  ${pkg.description}\n`;
        if (apk.verbosity > 2) line += `  <${pkg.url}>\n`;
      }
      line += '\n';
    }
    apk.out(line);
  }
}

/** No provider of the name is in a repository (only the installed database or the cache). */
function isOrphaned(name: Name): boolean {
  let repos = 0;
  for (const p of name.providers) repos |= p.pkg.repos;
  return (repos & ~1) === 0;
}

/** The installed package `pkg` would upgrade: newer, from a repository its tag allows. */
function upgradableFrom(db: Database, pkg: Pkg): Pkg | undefined {
  const inst = db.installedOf(pkg.name.name);
  if (!inst?.installed) return undefined;
  const allowed = db.repoTags[inst.installed.repositoryTag]?.allowedRepos ?? 0;
  if (!(pkg.repos & allowed)) return undefined;
  return versionMatches(inst.version, LESS, pkg.version) ? inst : undefined;
}
