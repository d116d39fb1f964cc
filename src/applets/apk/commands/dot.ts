// apk dot: the dependency graph of packages as graphviz.
import type { Apk } from '../context.js';
import type { Pkg } from '../package.js';
import { latestOf } from '../query.js';

export async function dot(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: !apk.has('installed'), write: false });
  const roots: Pkg[] = [];
  if (apk.has('installed') || !args.length) roots.push(...db.installed);
  for (const a of args) {
    const n = db.names.find(a);
    const p = n && (db.installedOf(a) ?? latestOf(db, n));
    if (p) roots.push(p);
  }
  let out = 'digraph "apkindex" {\n  rankdir=LR;\n  node [shape=box];\n';
  const seen = new Set<Pkg>();
  const visit = (pkg: Pkg) => {
    if (seen.has(pkg)) return;
    seen.add(pkg);
    for (const d of pkg.depends) {
      if (d.conflict) continue;
      const providers = d.name.providers.map((p) => p.pkg).filter((p) => !apk.has('installed') || p.installed);
      if (!providers.length) {
        out += `  "${d.name.name}" [style=dashed, color=red, fontcolor=red, shape=octagon];\n`;
        out += `  "${pkg.nameVersion}" -> "${d.name.name}" [color=red];\n`;
        continue;
      }
      for (const p of providers) {
        out += `  "${pkg.nameVersion}" -> "${p.nameVersion}" [arrowhead=inv,label="${d.name.name}"];\n`;
        visit(p);
      }
    }
  };
  for (const r of roots) visit(r);
  apk.out(`${out}}\n`);
  return 0;
}
