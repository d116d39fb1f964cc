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
    let errors = 0;
    for (const a of args) {
      const name = db.names.find(a);
      if (!name) {
        await apk.error(`Package '${a}' not found`);
        errors++;
      } else nameFlags.set(name, { flags, inheritable });
    }
    if (errors) return errors;
  } else {
    // broken files or scripts (and with -x, extended attributes), or files a killed transaction lost
    for (const pkg of db.installed) {
      const i = pkg.installed!;
      if (i.brokenFiles || i.brokenScript || (i.brokenXattr && apk.has('xattr')) || hasMissingFiles(db, pkg))
        nameFlags.set(pkg.name, { flags, inheritable });
    }
  }
  if (!apk.simulate) removeStrayTemporaries(db);
  let status = await solveAndCommit(apk, db, [...db.world], 0, nameFlags);
  if (apk.has('directory-permissions') && !apk.simulate) status += await resetDirectoryPermissions(apk, db);
  return status;
}

/** --directory-permissions: every directory of installed packages gets the mode and owner its
 *  packages record (apk_db_update_directory_permissions: the lowest owner wins, modes of equal
 *  owners are intersected). */
async function resetDirectoryPermissions(apk: Apk, db: import('../database.js').Database): Promise<number> {
  const want = new Map<string, { uid: number; gid: number; mode: number }>();
  for (const pkg of db.installed)
    for (const d of pkg.installed!.dirs) {
      if (d.name === '') continue;
      const [uid = 0, gid = 0, mode = 0o755] = d.acl ? d.acl.split(':').map((x, i) => (i === 2 ? Number.parseInt(x, 8) : Number(x))) : [];
      const cur = want.get(d.name);
      if (!cur || uid < cur.uid || (uid === cur.uid && gid < cur.gid)) want.set(d.name, { uid, gid, mode });
      else if (uid === cur.uid && gid === cur.gid) cur.mode &= mode;
    }
  let errors = 0;
  for (const [dir, w] of want) {
    const abs = fsPath(db.path(dir));
    try {
      const st = fs.lstatSync(abs);
      if (!st.isDirectory()) continue;
      if ((st.mode & 0o7777) !== w.mode) fs.chmodSync(abs, w.mode);
      if (st.uid !== w.uid || st.gid !== w.gid) fs.chownSync(abs, w.uid, w.gid);
    } catch {
      errors++;
    }
  }
  if (errors) await apk.error(`${errors} errors updating directory permissions`);
  return 0;
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
