// apk search: packages whose name (or with -d description) matches, newest version per name.
import type { Apk } from '../context.js';
import type { Pkg } from '../package.js';
import { globToRegExp, latestOf, packagesOf } from '../query.js';

export async function search(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: false });
  const exact = apk.has('exact');
  const patterns = args.map((a) => globToRegExp(exact ? a : `*${a.toLowerCase()}*`));
  const matches = (text: string) => !patterns.length || patterns.some((re) => re.test(exact ? text : text.toLowerCase()));
  const out: Pkg[] = [];
  const names = [...db.names.names.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const name of names) {
    const pkgs = apk.has('all') ? packagesOf(name) : [latestOf(db, name)].filter((p): p is Pkg => !!p);
    for (const pkg of pkgs) {
      const hit = apk.has('description') ? matches(pkg.name.name) || matches(pkg.description) : apk.has('origin') ? matches(pkg.origin) : matches(pkg.name.name);
      if (hit) out.push(pkg);
    }
  }
  for (const pkg of out) {
    if (apk.verbosity <= 0) apk.out(`${pkg.name.name}\n`);
    else if (apk.verbosity > 1 || apk.has('description')) apk.out(`${pkg.nameVersion} - ${pkg.description}\n`);
    else apk.out(`${pkg.nameVersion}\n`);
  }
  return 0;
}
