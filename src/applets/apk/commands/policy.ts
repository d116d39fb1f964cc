// apk policy: for each name, every version and where it comes from.
import type { Apk } from '../context.js';
import { packagesOf } from '../query.js';
import { compareVersions, LESS } from '../version.js';

export async function policy(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: false });
  for (const a of args) {
    const name = db.names.find(a);
    if (!name) continue;
    const pkgs = packagesOf(name).sort((x, y) => (compareVersions(x.version, y.version) === LESS ? -1 : 1));
    apk.out(`${name.name} policy:\n`);
    let last: string | undefined;
    for (const pkg of pkgs) {
      if (pkg.version !== last) apk.out(`  ${pkg.version}:\n`);
      last = pkg.version;
      if (pkg.installed) apk.out('    lib/apk/db/installed\n');
      for (const repo of db.repos) {
        if (!(pkg.repos & repo.bit)) continue;
        apk.out(`    ${repo.tag ? `@${db.tagName(repo.tag)} ` : ''}${repo.url}\n`);
      }
    }
  }
  return 0;
}
