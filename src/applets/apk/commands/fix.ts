// apk fix: reinstall (or with -u upgrade) packages, by default those flagged broken; world unchanged.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import { solveAndCommit } from '../commit.js';
import type { Apk } from '../context.js';
import { type NameFlags, SOLVERF_REINSTALL, SOLVERF_UPGRADE } from '../solver.js';

export async function fix(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: true });
  let flags = 0;
  if (apk.has('upgrade')) flags |= SOLVERF_UPGRADE;
  if (apk.has('reinstall') || !apk.has('upgrade')) flags |= SOLVERF_REINSTALL;
  const inheritable = apk.has('depends') ? flags : 0;
  const nameFlags: NameFlags = new Map();
  if (args.length) {
    for (const a of args) {
      const pkg = db.installedOf(a);
      if (!pkg) {
        await apk.error(`${a} is not installed`);
        return 1;
      }
      nameFlags.set(pkg.name, { flags, inheritable });
    }
  } else {
    for (const pkg of db.installed) {
      const i = pkg.installed!;
      if (i.brokenFiles || i.brokenScript || i.brokenXattr || hasMissingFiles(db, pkg)) nameFlags.set(pkg.name, { flags, inheritable });
    }
  }
  if (!apk.simulate) removeStrayTemporaries(db);
  return solveAndCommit(apk, db, [...db.world], 0, nameFlags);
}

/** Files a killed transaction left under their temporary names (`.apk.<hex>`), in the directories
 *  of installed packages. */
function removeStrayTemporaries(db: import('../database.js').Database): void {
  const seen = new Set<string>();
  for (const pkg of db.installed)
    for (const d of pkg.installed?.dirs ?? []) {
      if (seen.has(d.name)) continue;
      seen.add(d.name);
      let names: string[];
      try {
        names = fs.readdirSync(fsPath(db.path(d.name)), { encoding: 'latin1' });
      } catch {
        continue;
      }
      for (const n of names) if (/^\.apk\.[0-9a-f]{24}$/.test(n)) fs.rmSync(fsPath(db.path(d.name ? `${d.name}/${n}` : n)), { force: true });
    }
}

function hasMissingFiles(db: import('../database.js').Database, pkg: import('../package.js').Pkg): boolean {
  for (const d of pkg.installed?.dirs ?? [])
    for (const f of d.files) {
      try {
        fs.lstatSync(fsPath(db.path(d.name ? `${d.name}/${f.name}` : f.name)));
      } catch {
        return true;
      }
    }
  return false;
}
