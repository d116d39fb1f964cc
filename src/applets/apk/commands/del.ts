// apk del: drop names from world (with -r, also what depends on them) and commit; orphans go too.
import { solveAndCommit } from '../commit.js';
import type { Apk } from '../context.js';
import type { Name } from '../package.js';
import { forEachReverseDependency } from '../solver.js';

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
  return solveAndCommit(apk, db, world, 0);
}
