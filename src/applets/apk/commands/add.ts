// apk add: add atoms (or local .apk files, or a --virtual meta package) to world and commit.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import { solveAndCommit } from '../commit.js';
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import { describeError } from '../database.js';
import { readPackage } from '../formats/signed.js';
import { pkgFromInfo } from '../pkgfile.js';
import { type Dep, parseDep, Pkg } from '../package.js';
import { type NameFlags, SOLVERF_LATEST, SOLVERF_UPGRADE } from '../solver.js';

import { CHECKSUM, EQUAL } from '../version.js';

export async function add(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: true, write: true });
  const world = [...db.world];
  let solverFlags = 0;
  if (apk.has('upgrade')) solverFlags |= SOLVERF_UPGRADE;
  if (apk.has('latest')) solverFlags |= SOLVERF_LATEST;
  const virtualName = apk.value('virtual');
  let virtualPkg: Pkg | undefined;
  if (virtualName !== undefined) {
    const spec = parseDep(virtualName, db.names);
    if (!spec || spec.conflict || (spec.version !== '' && spec.op !== EQUAL)) {
      await apk.error(`${virtualName}: bad package specifier`);
      return 99;
    }
    virtualPkg = makeVirtual(db, spec.name.name, spec.version || undefined);
    if (!args.length) await apk.warning('creating empty virtual package');
  }
  const nameFlags: NameFlags = new Map();
  for (const arg of args) {
    let dep: Dep | undefined;
    if (arg.endsWith('.apk') && fs.existsSync(fsPath(apk.ctx.path(arg)))) {
      let pkg: Pkg;
      try {
        const file = apk.ctx.path(arg);
        const archive = await readPackage(fs.readFileSync(fsPath(file)), {
          keys: db.keys,
          allowUntrusted: apk.has('allow-untrusted'),
        });
        pkg = pkgFromInfo(db.names, archive.info, archive.identity, fs.statSync(fsPath(file)).size);
        pkg.filename = file;
        db.beginSource();
        pkg = db.addPackage(pkg, 0);
        if (!pkg.filename) pkg.filename = file;
      } catch (err) {
        await apk.error(`${arg}: ${describeError(err)}`);
        return 1;
      }
      db.buildReverse();
      dep = { name: pkg.name, op: CHECKSUM, version: pkg.identity, conflict: false, tag: 0 };
    } else {
      // an unknown tag is created here and reported by the commit (missing repository tags)
      dep = parseDep(arg, db.names, (tag) => db.tagIndex(tag, true));
      if (!dep || (virtualPkg && dep.tag)) {
        await apk.error(
          virtualPkg
            ? `'${arg}' is not a valid child dependency, format is name([<>~=]version)`
            : `'${arg}' is not a valid world dependency, format is name(@tag)([<>~=]version)`,
        );
        return 99;
      }
    }
    if (virtualPkg) {
      virtualPkg.addDepend(dep);
    } else {
      replaceWorldDep(world, dep);
      if (solverFlags) nameFlags.set(dep.name, { flags: solverFlags, inheritable: solverFlags });
    }
  }
  if (virtualPkg) {
    db.beginSource();
    db.addPackage(virtualPkg, 0);
    db.buildReverse();
    replaceWorldDep(world, { name: virtualPkg.name, op: EQUAL, version: virtualPkg.version, conflict: false, tag: 0 });
    if (solverFlags) nameFlags.set(virtualPkg.name, { flags: solverFlags, inheritable: solverFlags });
  }
  return solveAndCommit(apk, db, world, 0, nameFlags.size ? nameFlags : undefined);
}

function replaceWorldDep(world: Dep[], dep: Dep): void {
  const i = world.findIndex((d) => d.name === dep.name);
  if (i >= 0) world[i] = dep;
  else world.push(dep);
}

/** The meta package of `add -t NAME`: version NAME's `=VER`, else the time (UTC, as apk). */
function makeVirtual(db: Database, name: string, version?: string): Pkg {
  const now = new Date();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const pkg = new Pkg(db.names.get(name));
  pkg.version =
    version ??
    `${now.getUTCFullYear()}${p2(now.getUTCMonth() + 1)}${p2(now.getUTCDate())}.${p2(now.getUTCHours())}${p2(now.getUTCMinutes())}${p2(now.getUTCSeconds())}`;
  pkg.arch = 'noarch';
  pkg.description = 'virtual meta package';
  pkg.license = '';
  const sha1 = process.getBuiltinModule('node:crypto').createHash('sha1').update(`${name}-${pkg.version}-${now.getTime()}`);
  pkg.identity = `Q1${sha1.digest('base64')}`;
  return pkg;
}

