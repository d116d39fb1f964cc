// apk upgrade: the same world, newest versions (-a: prefer what repositories still have, -l: latest).
import { solveAndCommit } from '../commit.js';
import type { Apk } from '../context.js';
import { type NameFlags, SOLVERF_AVAILABLE, SOLVERF_LATEST, SOLVERF_UPGRADE } from '../solver.js';

export async function upgrade(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: true });
  let flags = SOLVERF_UPGRADE;
  if (apk.has('available')) flags |= SOLVERF_AVAILABLE;
  if (apk.has('latest')) flags |= SOLVERF_LATEST;
  if (apk.has('self-upgrade-only')) return 0;
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
