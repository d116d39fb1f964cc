// Lookups shared by the query commands (info, search, list, policy, version, fetch, dot), with
// apk-tools' orders: its display sort (apk_name_cmp_display, apk_pkg_cmp_display) and, where apk
// walks a hash table, the table's own order.
import type { Database } from './database.js';
import type { Name, Pkg, Provider } from './package.js';
import { compareVersions, GREATER, LESS } from './version.js';

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

const lowerAscii = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/** apk_name_cmp_display: strcasecmp, then strcmp. */
export function compareNames(a: string, b: string): number {
  const la = lowerAscii(a);
  const lb = lowerAscii(b);
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** apk_pkg_cmp_display: by name, then version. */
export function comparePackages(a: Pkg, b: Pkg): number {
  if (a.name !== b.name) return compareNames(a.name.name, b.name.name);
  const r = compareVersions(a.version, b.version);
  return r === LESS ? -1 : r === GREATER ? 1 : 0;
}

/** apk_name_sorted_providers: a name's providers in display order (sorted in place, as apk does). */
export function sortedProviders(name: Name): Provider[] {
  if (name.providers.length > 1) name.providers.sort((a, b) => comparePackages(a.pkg, b.pkg));
  return name.providers;
}

/** fnmatch(3) without flags (or FNM_CASEFOLD): `*`, `?`, `[…]`, `\` escapes; `/` is ordinary. */
export function fnmatch(pattern: string, text: string, casefold = false): boolean {
  return globToRegExp(pattern, casefold).test(text);
}

const globCache = new Map<string, RegExp>();

/** Shell-style pattern as a regular expression (fnmatch without FNM_PATHNAME). */
export function globToRegExp(pattern: string, casefold = false): RegExp {
  const key = `${casefold ? 'i' : 's'}${pattern}`;
  let re = globCache.get(key);
  if (re) return re;
  let src = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') src += '[^]*';
    else if (c === '?') src += '[^]';
    else if (c === '\\' && i + 1 < pattern.length) src += escapeRe(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) src += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set[0] === '!') set = `^${set.slice(1)}`;
        src += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else src += escapeRe(c);
  }
  re = new RegExp(`${src}$`, casefold ? 'i' : '');
  globCache.set(key, re);
  return re;
}

const escapeRe = (c: string) => c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');

/** apk_db_foreach_sorted_name: the names given (those that exist) or, with none or a wildcard
 *  among them, every name matching (fnmatch, case folded), in display order. `cb` gets null
 *  for a name given that does not exist. */
export function eachSortedName(db: Database, filter: readonly string[], cb: (match: string | undefined, name: Name | null) => void): void {
  let walkAll = filter.length === 0;
  const found: Name[] = [];
  for (const f of filter) {
    const name = db.names.find(f) ?? null;
    if (f.includes('*')) {
      walkAll = true;
      continue;
    }
    if (!name) {
      cb(f, null);
      continue;
    }
    if (!walkAll) found.push(name);
  }
  const names = walkAll ? [...db.names.list] : found;
  names.sort((a, b) => compareNames(a.name, b.name));
  for (const name of names) {
    if (!filter.length) {
      cb(undefined, name);
      continue;
    }
    const match = filter.find((f) => fnmatch(f, name.name, true));
    if (match !== undefined) cb(match, name);
  }
}

/** apk_db_foreach_sorted_providers/package: packages (providers of names given, with
 *  `provides` also of what they provide) in display order; every package when filtered by
 *  wildcards or nothing. */
export function eachSortedPackage(db: Database, filter: readonly string[], provides: boolean, cb: (match: string | undefined, pkg: Pkg | null) => void): void {
  const matchOf = (pkg: Pkg): string | undefined => {
    if (!filter.length) return '';
    const own = filter.find((f) => fnmatch(f, pkg.name.name, true));
    if (own !== undefined || !provides) return own;
    for (const d of pkg.provides) {
      const m = filter.find((f) => fnmatch(f, d.name.name, true));
      if (m !== undefined) return m;
    }
    return undefined;
  };
  const walkAll = () => {
    const names = [...db.names.list].sort((a, b) => compareNames(a.name, b.name));
    for (const name of names)
      for (const p of sortedProviders(name)) {
        if (p.pkg.name !== name) continue;
        const m = matchOf(p.pkg);
        if (m !== undefined) cb(m || undefined, p.pkg);
      }
  };
  if (!filter.length || filter.some((f) => f.includes('*'))) return walkAll();
  const results: Pkg[] = [];
  for (const f of filter) {
    const name = db.names.find(f);
    if (!name) {
      cb(f, null);
      continue;
    }
    for (const p of name.providers) {
      if (!provides && p.pkg.name !== name) continue;
      if (!results.includes(p.pkg)) results.push(p.pkg);
    }
  }
  results.sort(comparePackages);
  for (const pkg of results) {
    const m = matchOf(pkg);
    if (m !== undefined) cb(m || undefined, pkg);
  }
}

/** apk_name_foreach_matching: the names given (null for one that does not exist) or, when one has
 *  a wildcard, every name matching one (fnmatch), each once. Nothing without names. */
export function eachMatchingName(db: Database, filter: readonly string[], cb: (match: string | undefined, name: Name | null) => void): void {
  if (!filter.length) return;
  if (filter.some((f) => f.includes('*'))) {
    for (const name of db.names.list) {
      const match = filter.find((f) => fnmatch(f, name.name));
      if (match !== undefined) cb(match, name);
    }
    return;
  }
  for (const f of filter) cb(f, db.names.find(f) ?? null);
}

/**
 * apk_blob_hash of apk-tools 2: djb2 over the bytes (as signed chars), in 64-bit arithmetic. Where
 * apk walks a hash table (`dot` of everything, names matched by wildcard) its order is the
 * buckets' (hash modulo their number), the latest insertion first within one.
 */
export function apkHash(text: string, seed = 5381n): bigint {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = (h * 33n + BigInt(c < 128 ? c : c - 256)) & 0xffffffffffffffffn;
  }
  return h;
}

/** Items in the order of an apk hash table of `buckets` buckets they were inserted into in order. */
export function hashOrder<T>(items: readonly T[], key: (item: T) => number | bigint, buckets: number): T[] {
  const slots = items.map((item, i) => ({ item, i, bucket: Number(BigInt(key(item)) % BigInt(buckets)) }));
  slots.sort((a, b) => a.bucket - b.bucket || b.i - a.i);
  return slots.map((s) => s.item);
}
