// apk fetch: download packages (with -R their dependencies) into -o DIR or to stdout.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Apk } from '../context.js';
import { describeError, localPath } from '../database.js';
import type { Pkg } from '../package.js';
import { latestOf } from '../query.js';

export async function fetchCmd(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: false });
  const outDir = apk.ctx.path(apk.value('output') ?? '.');
  const toStdout = apk.has('stdout');
  if (!toStdout) {
    try {
      if (!fs.statSync(fsPath(outDir)).isDirectory()) throw new Error();
    } catch {
      await apk.error(`${apk.value('output') ?? '.'}: Bad file descriptor`);
      return 1;
    }
  }
  const want: Pkg[] = [];
  let errors = 0;
  const add = (pkg: Pkg) => {
    if (want.includes(pkg)) return;
    want.push(pkg);
    if (!apk.has('recursive')) return;
    for (const d of pkg.depends) {
      if (d.conflict) continue;
      const provider = d.name.providers.map((p) => p.pkg).find((p) => p.name === d.name) ?? d.name.providers[0]?.pkg;
      const best = provider ? (latestOf(db, provider.name) ?? provider) : undefined;
      if (best) add(best);
    }
  };
  for (const a of args) {
    const name = db.names.find(a);
    const pkg = name && latestOf(db, name, true);
    if (!pkg) {
      await apk.error(`${a}: unable to select package (or its dependencies)`);
      errors++;
      continue;
    }
    add(pkg);
  }
  for (const pkg of want) {
    apk.msg(`Downloading ${pkg.nameVersion}`);
    if (apk.has('simulate')) continue;
    const repo = db.repos.find((r) => r.loaded && pkg.repos & r.bit);
    try {
      if (!repo) throw new Error('package not available');
      const url = `${repo.url.replace(/\/$/, '')}/${pkg.arch || db.arch}/${pkg.nameVersion}.apk`;
      const data = repo.local ? fs.readFileSync(fsPath(localPath(url, apk.ctx.cwd))) : await apk.fetch(url);
      if (toStdout) {
        await apk.flush();
        await apk.ctx.stdout.write(data);
      } else {
        const target = `${outDir}/${pkg.nameVersion}.apk`;
        if (apk.has('link') && repo.local) {
          fs.rmSync(fsPath(target), { force: true });
          fs.symlinkSync(fsPath(localPath(url, apk.ctx.cwd)), fsPath(target));
        } else {
          fs.writeFileSync(fsPath(`${target}.tmp`), data);
          fs.renameSync(fsPath(`${target}.tmp`), fsPath(target));
        }
      }
    } catch (err) {
      await apk.error(`${pkg.nameVersion}: ${describeError(err)}`);
      errors++;
    }
  }
  return errors;
}
