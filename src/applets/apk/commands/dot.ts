// apk dot (apk-tools 2.14 app_dot.c): the dependency graph of the packages of the names given (all
// names without any) as graphviz. Each package is expanded once, depth first; an edge is written
// after what it leads to, red when that part of the graph has a missing dependency or a cycle;
// --errors keeps only those, --installed reads only the installed database. Nothing to draw: no
// output and status 1.
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import { depIsProvided, type Name, type Pkg } from '../package.js';
import { apkHash, fnmatch, hashOrder, sortedProviders } from '../query.js';

const S_EVALUATED = -1;
const S_EVALUATING = -2;

export async function dot(apk: Apk, args: string[]): Promise<number> {
  const installedOnly = apk.has('installed');
  const errorsOnly = apk.has('errors');
  // apk opens with NO_STATE; --installed reads the installed database and no repository
  const db = await apk.open({ repos: !installedOnly, write: false, state: installedOnly });
  let out = '';
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    out += 'digraph "apkindex" {\n  rankdir=LR;\n  node [shape=box];\n';
  };
  const errorNames = new Set<Name>();
  const errorName = (name: Name) => {
    if (errorNames.has(name)) return;
    errorNames.add(name);
    start();
    out += `  "${name.name}" [style=dashed, color=red, fontcolor=red, shape=octagon];\n`;
  };
  const state = new Map<Pkg, number>();
  const dump = (pkg: Pkg): number => {
    if (installedOnly && !pkg.installed) return 0;
    let s = state.get(pkg) ?? 0;
    if (s === S_EVALUATED) return 0;
    if (s <= S_EVALUATING) {
      state.set(pkg, s - 1);
      return 1;
    }
    state.set(pkg, S_EVALUATING);
    let ret = 0;
    for (const dep of pkg.depends) {
      if (dep.conflict) continue;
      const name = dep.name;
      if (name.providers.length === 0) {
        errorName(name);
        out += `  "${pkg.nameVersion}" -> "${name.name}" [color=red];\n`;
        continue;
      }
      for (const p0 of name.providers) {
        if (installedOnly && !p0.pkg.installed) continue;
        if (!depIsProvided(dep, p0)) continue;
        const r = dump(p0.pkg);
        ret += r;
        if (r || !errorsOnly) {
          start();
          out += `  "${pkg.nameVersion}" -> "${p0.pkg.nameVersion}"[${r ? 'color=red,' : ''}${p0.pkg.name !== dep.name ? `arrowhead=inv,label="${dep.name.name}",` : ''}];\n`;
        }
      }
    }
    s = state.get(pkg)!;
    ret -= S_EVALUATING - s;
    state.set(pkg, S_EVALUATED);
    return ret;
  };

  const visit = (name: Name | undefined) => {
    if (!name) return;
    for (const p of sortedProviders(name)) dump(p.pkg);
  };
  // apk_db_foreach_matching_name: the names given, or its table of names when there are none or a
  // wildcard among them
  if (args.length && !args.some((a) => a.includes('*'))) for (const a of args) visit(db.names.find(a));
  else for (const name of apkNameOrder(db)) if (!args.length || args.some((a) => fnmatch(a, name.name, true))) visit(name);
  if (!started) return 1;
  apk.out(`${out}}\n`);
  return 0;
}

/** apk's table of names (20000 buckets of its hash) in its own order: names inserted as apk's
 *  loader meets them, record by record: the package's name, then those of its D, p, i and r lines
 *  (`dot` reads no world). */
function apkNameOrder(db: Database): Name[] {
  const seen = new Set<Name>();
  const order: Name[] = [];
  const add = (n: Name) => {
    if (seen.has(n)) return;
    seen.add(n);
    order.push(n);
  };
  for (const pkg of db.packages) {
    add(pkg.name);
    for (const list of [pkg.depends, pkg.provides, pkg.installIf, pkg.installed?.replaces ?? []]) for (const d of list) add(d.name);
  }
  for (const n of db.names.list) add(n);
  return hashOrder(order, (n) => apkHash(n.name), 20000);
}
