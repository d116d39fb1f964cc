// apk cache clean|download|sync: keep the package cache (etc/apk/cache → DIR) matching world.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Apk } from '../context.js';
import { describeError } from '../database.js';
import { solve, SOLVERF_AVAILABLE, SOLVERF_LATEST, SOLVERF_UPGRADE } from '../solver.js';

export async function cache(apk: Apk, args: string[]): Promise<number> {
  const action = args[0];
  if (action !== 'clean' && action !== 'download' && action !== 'sync') {
    await apk.err('usage: apk cache [<OPTIONS>...] clean|download|sync\n');
    return 1;
  }
  const db = await apk.open({ repos: true, write: false });
  const { Transaction } = await import('../install.js');
  const txn = new Transaction(apk, db);
  const dir = txn.cacheDir();
  if (!dir) {
    await apk.error('Package cache is not enabled.');
    return 2;
  }
  let flags = 0;
  if (apk.has('upgrade')) flags |= SOLVERF_UPGRADE;
  if (apk.has('latest')) flags |= SOLVERF_LATEST;
  if (apk.has('available')) flags |= SOLVERF_AVAILABLE;
  const { errors, changeset } = solve(db, [...db.world], flags);
  if (errors) return errors;
  const wanted = new Set<string>();
  const wantedPkgs = [...db.installed];
  for (const c of changeset.changes) if (c.newPkg) wantedPkgs.push(c.newPkg);
  for (const p of wantedPkgs)
    wanted.add(`${p.name.name}-${p.version}.${Buffer.from(p.identity.slice(2), 'base64').subarray(0, 4).toString('hex')}.apk`);
  let failed = 0;
  if (action === 'clean' || action === 'sync') {
    for (const f of fs.readdirSync(fsPath(dir), { encoding: 'latin1' })) {
      if (wanted.has(f) || /^APKINDEX\.[0-9a-f]{8}\.tar\.gz$/.test(f) || f === 'installed') continue;
      apk.msg(`deleting ${f}`);
      if (!apk.simulate) fs.rmSync(fsPath(`${dir}/${f}`), { force: true, recursive: true });
    }
  }
  if (action === 'download' || action === 'sync') {
    const present = new Set(fs.readdirSync(fsPath(dir), { encoding: 'latin1' }));
    const missing = wantedPkgs.filter(
      (p) => !present.has(`${p.name.name}-${p.version}.${Buffer.from(p.identity.slice(2), 'base64').subarray(0, 4).toString('hex')}.apk`) && p.repos & ~1,
    );
    const unique = [...new Set(missing)];
    failed = await txn.prepare(unique.map((p) => ({ oldPkg: null, newPkg: p, oldTag: 0, newTag: 0, reinstall: false }))).catch(async (err) => {
      await apk.error(describeError(err));
      return 1;
    });
  }
  return failed;
}
