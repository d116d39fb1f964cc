// apk audit (apk-tools 2.14 app_audit.c): compare the file system with the installed database.
// --backup (the default) walks the protected directories: changed configuration files (U), files
// no package owns (A), every file of `!` directories (A), symbolic links of `@` ones; --system
// walks what packages own and reports changed (U) and missing (X) files. -r descends into new
// directories (d instead of D), --check-permissions reports modes and owners (M, m), --packages
// names the packages instead. Codes: A added, U updated, X missing, D/d new directory, M/m
// permissions, e unreadable.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import { crypto, q1 } from '../formats/signed.js';
import type { InstalledDir, InstalledFile, Pkg } from '../package.js';
import { PROTECT_ALL, PROTECT_IGNORE, PROTECT_NONE, PROTECT_SYMLINKS_ONLY, ProtectedPaths, protectModeNone } from '../protect.js';
import { apkHash, hashOrder } from '../query.js';

interface DbFile {
  file: InstalledFile;
  dir: string;
  pkg: Pkg;
  audited: boolean;
}

const BUSYBOX_LINKS = new Set(['/bin/busybox', '/bin/bbsuid', '/bin/busybox-extras']);

export async function audit(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: false, write: false });
  const system = apk.has('system') && lastOf(apk, 'system', 'backup');
  const recursive = apk.has('recursive');
  const checkPermissions = apk.has('check-permissions');
  const protection = ProtectedPaths.load((rel) => db.path(rel));

  // the database's files and directories (a directory is known when a package has it or one of
  // its subdirectories)
  const files = new Map<string, DbFile>();
  const dirOwner = new Map<string, InstalledDir>();
  const knownDirs = new Set<string>(['']);
  for (const pkg of db.installed)
    for (const d of pkg.installed!.dirs) {
      if (!dirOwner.has(d.name)) dirOwner.set(d.name, d);
      for (let p = d.name; p !== '' && !knownDirs.has(p); p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') knownDirs.add(p);
      for (const f of d.files) files.set(join(d.name, f.name), { file: f, dir: d.name, pkg, audited: false });
    }
  const visited = new Set<string>();
  const reported = new Set<Pkg>();
  const report = (reason: string, path: string, pkg?: Pkg) => {
    if (apk.has('packages')) {
      if (!pkg || reported.has(pkg)) return;
      reported.add(pkg);
      apk.out(`${apk.verbosity < 1 ? pkg.name.name : pkg.nameVersion}\n`);
    } else if (apk.verbosity < 1) apk.out(`${path}\n`);
    else apk.out(`${reason} ${path}\n`);
  };

  const walk = (dirRel: string) => {
    visited.add(dirRel);
    let entries: string[];
    try {
      entries = fs.readdirSync(fsPath(db.path(dirRel) || '/'), { encoding: 'latin1' }).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const rel = join(dirRel, name);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(fsPath(db.path(rel)));
      } catch {
        const dbf = files.get(rel);
        if (dbf) dbf.audited = true;
        report('e', rel, dbf?.pkg);
        continue;
      }
      if (st.isDirectory()) {
        const known = knownDirs.has(rel);
        let reason = '';
        let recurse = true;
        if (!system) {
          const p = protection.dir(rel);
          recurse = p.hasProtectedChildren;
          if (!protectModeNone(p.mode)) reason = auditDirectory(rel, known, st);
        } else {
          if (!known) continue;
          reason = auditDirectory(rel, known, st);
        }
        if (reason) report(reason, `${rel}/`);
        if (reason !== 'D' && recurse) walk(rel);
        continue;
      }
      const mode = protection.file(dirRel, name);
      const dbf = files.get(rel);
      if (dbf) dbf.audited = true;
      let reason = '';
      if (!system) {
        if (mode === PROTECT_NONE || mode === PROTECT_IGNORE) continue;
        if (mode === PROTECT_SYMLINKS_ONLY && !st.isSymbolicLink()) continue;
        if (mode === PROTECT_ALL) reason = 'A';
        if ((!dbf || reason === 'A') && name.endsWith('.apk-new')) continue;
      } else if (!dbf || !protectModeNone(mode)) continue;
      if (!dbf && apk.has('ignore-busybox-symlinks') && st.isSymbolicLink()) {
        const target = fs.readlinkSync(fsPath(db.path(rel)), { encoding: 'latin1' });
        if (BUSYBOX_LINKS.has(target)) continue;
      }
      if (!reason) reason = auditFile(db, rel, dbf, st, checkPermissions);
      if (reason) report(reason, rel, dbf?.pkg);
    }
  };

  /** apk's audit_directory: a directory no package knows is new (D, d with -r). */
  const auditDirectory = (rel: string, known: boolean, st: fs.Stats): string => {
    if (!known) return recursive ? 'd' : 'D';
    if (checkPermissions) {
      const [uid, gid, mode] = parseAcl(dirOwner.get(rel)?.acl, 0o755);
      if ((st.mode & 0o7777) !== mode || st.uid !== uid || st.gid !== gid) return 'm';
    }
    return '';
  };

  if (!args.length) walk('');
  for (const a of args) {
    if (!a.startsWith('/')) {
      await apk.warning(`${a}: relative path skipped.`);
      continue;
    }
    walk(a.replace(/^\/+|\/+$/g, ''));
  }
  if (system) {
    // apk walks its table of files (200000 buckets of the name's hash seeded with its directory's)
    const missing = [...files.values()].filter(
      (f) => !f.audited && visited.has(f.dir) && protection.file(f.dir, f.file.name) !== PROTECT_IGNORE,
    );
    for (const f of hashOrder(missing, (x) => apkHash(x.file.name, apkHash(x.dir)), 200000)) report('X', join(f.dir, f.file.name), f.pkg);
  }
  return 0;
}

/** Whether `--system` comes after the last `--backup` (the last mode given wins). */
function lastOf(apk: Apk, a: string, b: string): boolean {
  const keys = [...apk.opts.keys()];
  return !apk.has(b) || keys.indexOf(a) > keys.indexOf(b);
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** uid, gid and mode of an acl record (uid:gid:mode[:xattrs]), else the default. */
function parseAcl(acl: string | undefined, defaultMode: number): [number, number, number] {
  if (!acl) return [0, 0, defaultMode];
  const [uid = '0', gid = '0', mode = '0'] = acl.split(':');
  return [Number(uid), Number(gid), Number.parseInt(mode, 8)];
}

/** apk's audit_file: no record A; a content (or link target) other than recorded U; with
 *  --check-permissions a mode or owner other than recorded M. */
function auditFile(db: Database, rel: string, dbf: DbFile | undefined, st: fs.Stats, checkPermissions: boolean): string {
  if (!dbf) return 'A';
  let data: Buffer;
  try {
    data = st.isSymbolicLink() ? Buffer.from(fs.readlinkSync(fsPath(db.path(rel)), { encoding: 'latin1' }), 'latin1') : fs.readFileSync(fsPath(db.path(rel)));
  } catch {
    return 'e';
  }
  if (dbf.file.csum) {
    if (q1(crypto().createHash('sha1').update(data).digest()) !== dbf.file.csum) return 'U';
  } else if (st.isSymbolicLink()) return 'U';
  if (checkPermissions) {
    const [uid, gid, mode] = parseAcl(dbf.file.acl, 0o644);
    if ((st.mode & 0o7777) !== mode || st.uid !== uid || st.gid !== gid) return 'M';
  }
  return '';
}

