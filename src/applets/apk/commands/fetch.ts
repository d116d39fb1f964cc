// apk fetch (apk-tools 2.14 app_fetch.c): download packages into -o DIR (or to stdout with -s).
// Each name gives its newest provider; -R fetches what installing the names (with --world, the
// world too) would need, as the solver picks it. A file already there with the right size is kept;
// --url prints URLs instead of "Downloading"; --link hard-links what is in the cache; --purge
// removes other packages from the directory. The installed database is not read.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import { errorCode } from '../../../core/errors.js';
import { printErrors } from '../commit.js';
import type { Apk } from '../context.js';
import { type Database, describeError, localPath } from '../database.js';
import { ApkError, EAPKSTALEINDEX } from '../errors.js';
import type { Dep, Pkg } from '../package.js';
import { eachMatchingName, hashOrder } from '../query.js';
import { solve, SOLVERF_IGNORE_CONFLICT } from '../solver.js';
import { compareVersions, GREATER } from '../version.js';

export async function fetchCmd(apk: Apk, args: string[]): Promise<number> {
  const world = apk.has('world');
  const recursive = apk.has('recursive') || world;
  const toStdout = apk.has('stdout');
  const simulate = apk.has('simulate');
  const db = await apk.open({ repos: true, write: false, state: world ? 'world' : false });
  if (args.length === 1 && args[0] === 'coffee') {
    if (apk.has('force')) return coffee(apk);
    apk.msg('Go and fetch your own coffee.');
    return 0;
  }
  const marked = new Set<Pkg>();
  let errors = 0;
  const unable = (match: string) => {
    if (match.includes('*')) return;
    apk.msg(`${match}: unable to select package (or its dependencies)`);
    errors++;
  };
  if (recursive) {
    const want: Dep[] = [...db.world];
    eachMatchingName(db, args, (match, name) => {
      if (!name) {
        errors++; // apk counts the name twice: here and in the message
        return unable(match!);
      }
      const i = want.findIndex((d) => d.name === name);
      const dep: Dep = { name, op: 7, version: '', conflict: false, tag: 0 };
      if (i >= 0) want[i] = dep;
      else want.push(dep);
    });
    if (!errors) {
      const { errors: e, changeset } = solve(db, want, SOLVERF_IGNORE_CONFLICT);
      if (e) {
        await printErrors(apk, db, changeset, want);
        errors++;
      } else for (const c of changeset.changes) if (c.newPkg) marked.add(c.newPkg);
    }
  } else {
    eachMatchingName(db, args, (match, name) => {
      let best: Pkg | undefined;
      for (const p of name?.providers ?? []) if (!best || compareVersions(p.pkg.version, best.version) === GREATER) best = p.pkg;
      if (best) marked.add(best);
      else unable(match ?? name!.name);
    });
  }
  if (errors) return errors;

  const outDir = toStdout ? undefined : apk.ctx.path(apk.value('output') ?? '.');
  // apk walks its table of packages: buckets by the identity's first four bytes
  const order = hashOrder(db.packages, (p) => Buffer.from(p.identity.slice(2), 'base64').readUInt32LE(0), 10000);
  for (const pkg of order) {
    if (!marked.has(pkg)) continue;
    try {
      await fetchPackage(apk, db, pkg, outDir, simulate);
    } catch (err) {
      await apk.error(`${pkg.nameVersion}: ${describeError(err)}`);
      errors++;
    }
  }
  if (!errors && apk.has('purge') && outDir) errors += purge(apk, db, marked, outDir, simulate);
  return errors;
}

async function fetchPackage(apk: Apk, db: Database, pkg: Pkg, outDir: string | undefined, simulate: boolean): Promise<void> {
  const file = `${pkg.nameVersion}.apk`;
  if (outDir) {
    const st = fs.statSync(fsPath(`${outDir}/${file}`), { throwIfNoEntry: false });
    if (st && st.size === pkg.size) return;
  }
  // apk_db_select_repo: a local repository first, then the first configured one, else the cache
  const repos = db.repos.filter((r) => r.loaded && pkg.repos & r.bit);
  const repo = repos.find((r) => r.local) ?? repos[0];
  const cached = !repo && pkg.repos & 1 ? cachedFile(db, pkg) : undefined;
  if (!repo && !cached) throw new ApkError(EAPKSTALEINDEX);
  const url = repo ? `${repo.url.replace(/\/+$/, '')}/${pkg.arch || db.arch}/${file}` : cached!;
  apk.msg(apk.has('url') ? url : `Downloading ${pkg.nameVersion}`);
  if (simulate) return;
  if (outDir && apk.has('link') && cached) {
    try {
      fs.linkSync(fsPath(cached), fsPath(`${outDir}/${file}`));
      return;
    } catch {
      // not linkable: copied below
    }
  }
  const data = repo && !repo.local ? await apk.fetch(url) : fs.readFileSync(fsPath(repo ? localPath(url, apk.ctx.cwd) : cached!));
  if (!outDir) {
    await apk.flush();
    await apk.ctx.stdout.write(data);
    return;
  }
  const tmp = `${outDir}/.${file}.${apk.ctx.host.pid}`;
  try {
    fs.writeFileSync(fsPath(tmp), data, { mode: 0o644 });
    fs.renameSync(fsPath(tmp), fsPath(`${outDir}/${file}`));
  } catch (err) {
    fs.rmSync(fsPath(tmp), { force: true });
    // an output directory that could not be opened: apk writes through a descriptor it never got
    if (errorCode(err) === 'ENOENT' && !fs.existsSync(fsPath(outDir))) throw Object.assign(new Error('Bad file descriptor'), { code: 'EBADF' });
    throw err;
  }
}

function cachedFile(db: Database, pkg: Pkg): string | undefined {
  const name = `${pkg.nameVersion}.${Buffer.from(pkg.identity.slice(2), 'base64').subarray(0, 4).toString('hex')}.apk`;
  return `${db.path('etc/apk/cache')}/${name}`;
}

/** --purge: packages in the directory that were not asked for go ("Purging FILE"). */
function purge(apk: Apk, db: Database, marked: Set<Pkg>, dir: string, simulate: boolean): number {
  let files: string[];
  try {
    files = fs.readdirSync(fsPath(dir), { encoding: 'latin1' }).sort();
  } catch {
    return 0;
  }
  for (const f of files) {
    const parsed = parsePackageFileName(f);
    if (!parsed) continue;
    const name = db.names.find(parsed);
    const keep = name?.providers.some((p) => p.pkg.name === name && `${p.pkg.nameVersion}.apk` === f && marked.has(p.pkg));
    if (keep) continue;
    apk.msg(`Purging ${f}`);
    if (!simulate) fs.rmSync(fsPath(`${dir}/${f}`), { force: true });
  }
  return 0;
}

/** apk_pkg_parse_name: the name of `name-1.2-r0.apk` (the last dash followed by a digit, with at
 *  most one other dash after it), or undefined. */
function parsePackageFileName(file: string): string | undefined {
  let dashes = 0;
  for (let i = file.length - 2; i >= 0; i--) {
    if (file[i] !== '-') continue;
    if (/[0-9]/.test(file[i + 1]!)) return file.slice(0, i);
    if (++dashes >= 2) return undefined;
  }
  return undefined;
}

async function coffee(apk: Apk): Promise<number> {
  const zlib = process.getBuiltinModule('node:zlib') as typeof import('node:zlib');
  await apk.flush();
  await apk.ctx.stdout.write(zlib.inflateSync(Buffer.from(CUP, 'base64')));
  return 0;
}

// apk-tools' cup of coffee (fetch --force coffee), zlib-compressed as apk stores it
const CUP =
  'eJydlD2OxCAMhfucwnJDRopNP2eJZHcrbbttDj/GhE0IhFXWouDvezbhEYBuzFN/PsXrzx0gIsw8U44X2YBt7g5hQjyLz8cSInGLMQXVsBFLpzIvgGlrsJhA4s26arrkZe1hI0S1lQaL3mxhcN4Otu3EQwxWb48x0DW1x1gG/4FJhLgOsdjBZjEORlxDye/l3GOx3GdtMbPJaXSHx6MbarO9LzvVDFc7znxe5UjQSAGSSYv3/Fhns/cUIFxMnszreH5kpqH1snA4CXx//cCKTshV6BLinxqxuYJSAnrl+dmIR3k7RmEn+VGxF7AsDtU5LZYlJ9bRP6UI4Z5Op+kDsQq2dQ==';
