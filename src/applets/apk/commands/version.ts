// apk version: installed versus available, or -t/-c on version strings.
import type { Apk } from '../context.js';
import { latestOf } from '../query.js';
import { compareVersions, EQUAL, GREATER, isValidVersion, LESS } from '../version.js';

const sym = (r: number) => (r === LESS ? '<' : r === EQUAL ? '=' : r === GREATER ? '>' : '?');

export async function version(apk: Apk, args: string[]): Promise<number> {
  if (apk.has('test')) {
    if (args.length !== 2) return 1;
    apk.out(`${sym(compareVersions(args[0]!, args[1]!))}\n`);
    return 0;
  }
  if (apk.has('check')) {
    let bad = 0;
    for (const v of args) {
      if (isValidVersion(v)) continue;
      apk.out(`${v}\n`);
      bad++;
    }
    return bad;
  }
  const db = await apk.open({ repos: true, write: false });
  if (apk.has('indexes')) {
    for (const repo of db.repos) if (repo.loaded) apk.msg(`${repo.description} [${repo.url}]`);
    return 0;
  }
  const limit = apk.value('limit') ?? (args.length || apk.verbosity > 1 || apk.has('all') ? undefined : '<');
  const pkgs = (args.length ? args.map((a) => db.installedOf(a)).filter((p) => !!p) : [...db.installed]).sort((a, b) =>
    a!.name.name < b!.name.name ? -1 : 1,
  );
  const width = Math.max(39, ...pkgs.map((p) => p!.nameVersion.length));
  if (apk.verbosity > 0) apk.out(`${'Installed:'.padEnd(width)}   Available:\n`);
  for (const pkg of pkgs) {
    const latest = latestOf(db, pkg!.name, true);
    const op = latest ? sym(compareVersions(pkg!.version, latest.version)) : '?';
    if (limit !== undefined && !limit.includes(op)) continue;
    if (apk.verbosity <= 0) {
      apk.out(`${pkg!.name.name}\n`);
      continue;
    }
    const tagIndex = latest ? db.repos.find((r) => latest.repos & r.bit)?.tag ?? 0 : 0;
    const tag = tagIndex ? `@${db.tagName(tagIndex)}` : '';
    apk.out(`${pkg!.nameVersion.padEnd(width)} ${op} ${latest?.version ?? ''} ${tag}\n`);
  }
  return 0;
}
