// apk upgrade: the same world, newest versions (-a: prefer what repositories still have, -l: latest).
// As apk-tools, an installed apk-tools package is upgraded first, in a transaction of its own.
import { solveAndCommit } from '../commit.js';
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import { latestOf } from '../query.js';
import { type NameFlags, SOLVERF_AVAILABLE, SOLVERF_LATEST, SOLVERF_UPGRADE } from '../solver.js';
import { compareVersions, LESS } from '../version.js';

export async function upgrade(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: true });
  let flags = SOLVERF_UPGRADE;
  if (apk.has('available')) flags |= SOLVERF_AVAILABLE;
  if (apk.has('latest')) flags |= SOLVERF_LATEST;
  if (!apk.has('no-self-upgrade') && !args.length) {
    const r = await selfUpgrade(apk, db, flags);
    if (r !== 0 || apk.has('self-upgrade-only')) return r;
  }
  if (args.length) {
    const nameFlags: NameFlags = new Map();
    for (const a of args) {
      const n = db.names.find(a);
      if (n) nameFlags.set(n, { flags, inheritable: flags });
    }
    return solveAndCommit(apk, db, [...db.world], 0, nameFlags);
  }
  return solveAndCommit(apk, db, [...db.world], flags);
}

/** Upgrade apk-tools (and what it needs) first, when it is installed and a newer one exists. */
async function selfUpgrade(apk: Apk, db: Database, flags: number): Promise<number> {
  const installed = db.installedOf('apk-tools');
  const latest = installed && latestOf(db, installed.name, true);
  if (!installed || !latest || compareVersions(installed.version, latest.version) !== LESS) return 0;
  apk.msg('Upgrading critical system libraries and apk-tools:');
  db.performingPreupgrade = true;
  const r = await solveAndCommit(apk, db, [...db.world], 0, new Map([[installed.name, { flags, inheritable: 0 }]]));
  db.performingPreupgrade = false;
  if (r === 0 && !apk.has('self-upgrade-only')) apk.msg('Continuing the upgrade transaction with new apk-tools:');
  return r;
}
