// apk fix: reinstall (or with -u upgrade) packages, by default those flagged broken; world unchanged.
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
  return solveAndCommit(apk, db, [...db.world], 0, nameFlags);
}

function hasMissingFiles(db: import('../database.js').Database, pkg: import('../package.js').Pkg): boolean {
  const fs = process.getBuiltinModule('node:fs');
  for (const d of pkg.installed?.dirs ?? [])
    for (const f of d.files) {
      try {
        fs.lstatSync(db.path(d.name ? `${d.name}/${f.name}` : f.name));
      } catch {
        return true;
      }
    }
  return false;
}
