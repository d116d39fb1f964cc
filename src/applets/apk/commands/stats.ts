// apk stats: counts of installed files and available packages.
import { installedStats } from '../commit.js';
import type { Apk } from '../context.js';

export async function stats(apk: Apk): Promise<number> {
  const db = await apk.open({ repos: true, write: false });
  const st = installedStats(db);
  const triggers = db.installed.filter((p) => p.installed!.triggers.length).length;
  apk.out(
    `installed:\n  packages: ${st.packages}\n  dirs: ${st.dirs}\n  files: ${st.files}\n  bytes: ${st.bytes}\n  triggers: ${triggers}\n` +
      `available:\n  names: ${db.names.names.size}\n  packages: ${db.packages.length}\natoms:\n  num: ${db.names.names.size}\n`,
  );
  return 0;
}
