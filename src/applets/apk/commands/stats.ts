// apk stats (apk-tools 2.14 app_stats.c): counts kept by apk's database, computed as apk counts
// them: directories with their parents (and the root), distinct files, packages with triggers,
// every name and package known, and the atoms (apk's interned strings: versions, architectures,
// licences, origins, maintainers, dependency versions, tags, and the distinct ownership/mode
// records of installed files and directories).
import type { Apk } from '../context.js';

export async function stats(apk: Apk): Promise<number> {
  const db = await apk.open({ repos: true, write: false });
  db.buildReverse(); // every dependency parsed: apk creates the names they mention at load
  const dirs = new Set<string>();
  const files = new Set<string>();
  const acls = new Set<string>(['755:0:0:', '644:0:0:']); // apk's default directory and file records
  const acl = (text: string) => {
    const [uid = '0', gid = '0', mode = '0', xattr = ''] = text.split(':');
    return `${Number.parseInt(mode, 8).toString(8)}:${Number(uid)}:${Number(gid)}:${xattr}`;
  };
  let bytes = 0;
  let triggers = 0;
  for (const pkg of db.installed) {
    const info = pkg.installed!;
    bytes += pkg.installedSize;
    if (info.triggers.length) triggers++;
    for (const d of info.dirs) {
      for (let p = d.name; !dirs.has(p); p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
        dirs.add(p);
        if (p === '') break;
      }
      if (d.acl) acls.add(acl(d.acl));
      for (const f of d.files) {
        files.add(`${d.name}/${f.name}`);
        if (f.acl) acls.add(acl(f.acl));
      }
    }
  }
  const atoms = new Set<string>([db.arch]);
  for (const t of db.repoTags.slice(1)) atoms.add(`@${t.name}`);
  for (const d of db.world) if (d.version) atoms.add(d.version);
  for (const pkg of db.packages) {
    atoms.add(pkg.version);
    for (const key of 'ALom') {
      const v = pkg.textField(key);
      if (v !== undefined) atoms.add(v);
    }
    for (const list of [pkg.depends, pkg.provides, pkg.installIf, pkg.installed?.replaces ?? []])
      for (const d of list) if (d.version) atoms.add(d.version);
  }
  apk.out(
    `installed:\n  packages: ${db.installed.length}\n  dirs: ${dirs.size}\n  files: ${files.size}\n  bytes: ${bytes}\n  triggers: ${triggers}\n` +
      `available:\n  names: ${db.names.size}\n  packages: ${db.packages.length}\natoms:\n  num: ${atoms.size + acls.size}\n`,
  );
  return 0;
}
