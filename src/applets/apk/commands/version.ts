// apk version (apk-tools 2.14 app_version.c): installed versions against the newest the installed
// package's repository tag allows (-a: any tag); only `<` rows unless names, -v or -l are given;
// -t compares two versions, -c lists invalid ones, -I lists the repositories' descriptions.
import type { Apk } from '../context.js';
import type { Pkg } from '../package.js';
import { eachSortedName } from '../query.js';
import { compareVersions, isValidVersion, opString } from '../version.js';

export async function version(apk: Apk, args: string[]): Promise<number> {
  if (apk.has('test')) {
    if (args.length !== 2) return 1;
    apk.out(`${opString(compareVersions(args[0]!, args[1]!))}\n`);
    return 0;
  }
  if (apk.has('check')) {
    let bad = 0;
    for (const v of args) {
      if (isValidVersion(v)) continue;
      apk.msg(v);
      bad++;
    }
    return bad;
  }
  const db = await apk.open({ repos: true, write: false });
  if (apk.has('indexes')) {
    for (const repo of db.repos) if (repo.loaded && repo.description) apk.out(`${repo.description} [${repo.url}]\n`);
    return 0;
  }
  let limit = apk.value('limit');
  if (limit === '') limit = undefined;
  else if (limit === undefined && !args.length && apk.verbosity === 1) limit = '<';
  const allTags = apk.has('all');

  const rows: { installed: Pkg; latest: Pkg; op: string; tag: number }[] = [];
  let width = 39;
  eachSortedName(db, args, (_match, name) => {
    if (!name) return;
    const installed = db.installedOf(name.name);
    if (!installed?.installed) return;
    const allowed = db.repoTags[installed.installed.repositoryTag]?.allowedRepos ?? 0;
    let latest = installed;
    let latestRepos = 0;
    for (const p of name.providers) {
      const pkg = p.pkg;
      if (pkg.name !== name || pkg.repos === 0) continue;
      if (!allTags && !(pkg.repos & allowed)) continue;
      const r = compareVersions(pkg.version, latest.version);
      if (r === 4 /* GREATER */) {
        latest = pkg;
        latestRepos = pkg.repos;
      } else if (r === 2 /* EQUAL */) latestRepos |= pkg.repos;
    }
    const op = opString(compareVersions(installed.version, latest.version));
    if (limit !== undefined && !limit.includes(op[0]!)) return;
    let tag = 0;
    for (let i = 1; i < db.repoTags.length; i++) {
      if (latestRepos & db.repoTags[i]!.allowedRepos) {
        tag = i;
        break;
      }
    }
    rows.push({ installed, latest, op, tag });
    width = Math.max(width, installed.nameVersion.length);
  });
  apk.msg(`${'Installed:'.padEnd(width)}   Available:`);
  for (const r of rows) {
    if (apk.verbosity <= 0) apk.out(`${r.installed.name.name}\n`);
    else apk.out(`${r.installed.nameVersion.padEnd(width)} ${r.op} ${r.latest.version} ${r.tag ? `@${db.tagName(r.tag)}` : ''}\n`);
  }
  return 0;
}
