// Lookups shared by the query commands (info, search, list, policy, version, fetch).
import type { Database } from './database.js';
import type { Name, Pkg } from './package.js';
import { compareVersions, GREATER } from './version.js';

/** Packages whose own name is `name`, available or installed. */
export function packagesOf(name: Name): Pkg[] {
  return name.providers.filter((p) => p.pkg.name === name).map((p) => p.pkg);
}

/** The newest package of a name in the repositories (installed-only copies excluded unless none). */
export function latestOf(db: Database, name: Name, availableOnly = false): Pkg | undefined {
  let best: Pkg | undefined;
  for (const pkg of packagesOf(name)) {
    if (availableOnly && !(pkg.repos & db.availableRepos & ~1)) continue;
    if (!best || compareVersions(pkg.version, best.version) === GREATER) best = pkg;
  }
  return best;
}

export function byName(a: { name: { name: string } }, b: { name: { name: string } }): number {
  return a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : 0;
}

/** Shell-style pattern (fnmatch without FNM_PATHNAME). */
export function globToRegExp(pattern: string): RegExp {
  let re = '^';
  for (const c of pattern) {
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}
