// apk del: drop names from world (with -r, also what depends on them) and commit; orphans go too.
import { Indent, solveAndCommit } from '../commit.js';
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import type { Name, Pkg } from '../package.js';
import { type Changeset, DEP_SATISFIES, forEachReverseDependency } from '../solver.js';

export async function del(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: true });
  let world = [...db.world];
  let errors = 0;
  const drop = new Set<Name>();
  for (const arg of args) {
    const name = db.names.find(arg);
    if (!name) {
      await apk.error(`No such package: ${arg}`);
      errors++;
      continue;
    }
    drop.add(name);
    if (apk.has('rdepends')) {
      const visit = (n: Name) => {
        for (const p of n.providers) {
          if (!p.pkg.installed) continue;
          forEachReverseDependency(p.pkg, true, false, (pkg0, _d, m) => {
            if (m === 1 && !drop.has(pkg0.name)) {
              drop.add(pkg0.name);
              visit(pkg0.name);
            }
          });
        }
      };
      visit(name);
    }
  }
  if (errors) return errors;
  world = world.filter((d) => !drop.has(d.name));
  return solveAndCommit(apk, db, world, 0, undefined, (changeset) => reportKept(apk, db, args, changeset));
}

/** Names asked to go that stay, because what remains still depends on them. */
function reportKept(apk: Apk, db: Database, args: string[], changeset: Changeset): void {
  for (const p of db.packages) p.marked = false;
  for (const c of changeset.changes) if (c.newPkg) c.newPkg.marked = true;
  let header = false;
  for (const arg of args) {
    const name = db.names.find(arg);
    if (!name) continue;
    const ind = new Indent(apk.ctx.isTTY(1) ? (apk.ctx.host.terminalSize(1)?.columns ?? 80) : 50, (t) => apk.out(t));
    const seen = new Set<Pkg>();
    for (const p of name.providers) {
      if (!p.pkg.marked) continue;
      forEachReverseDependency(
        p.pkg,
        false,
        true,
        (pkg0, _d, m) => {
          if (m !== DEP_SATISFIES) return;
          if (!header) {
            apk.msg('World updated, but the following packages are not removed due to:');
            header = true;
          }
          if (!ind.x) ind.group(0, `  ${name.name}:`);
          if (pkg0.name !== name) ind.word(pkg0.name.name);
        },
        seen,
      );
    }
    ind.end();
  }
}
