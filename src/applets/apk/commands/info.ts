// apk info: installed names, or fields of packages (description, webpage, size, contents, deps …).
import { humanSize } from '../commit.js';
import type { Apk } from '../context.js';
import type { Database } from '../database.js';
import { formatDep, type Pkg } from '../package.js';
import { latestOf } from '../query.js';
import { forEachReverseDependency } from '../solver.js';

type Field = [option: string, title: string, body: (db: Database, pkg: Pkg) => string[]];

const FIELDS: Field[] = [
  ['description', 'description', (_db, p) => [p.description]],
  ['webpage', 'webpage', (_db, p) => [p.url]],
  ['size', 'installed size', (_db, p) => [humanSize(p.installedSize)]],
  [
    'contents',
    'contains',
    (_db, p) => (p.installed?.dirs ?? []).flatMap((d) => d.files.map((f) => (d.name ? `${d.name}/${f.name}` : f.name))),
  ],
  ['depends', 'depends on', (_db, p) => p.depends.map((d) => formatDep(d))],
  ['provides', 'provides', (_db, p) => p.provides.map((d) => formatDep(d))],
  [
    'rdepends',
    'is required by',
    (_db, p) => {
      const out: string[] = [];
      forEachReverseDependency(p, true, false, (pkg0, _d, m) => {
        if (m === 1 && !out.includes(pkg0.nameVersion)) out.push(pkg0.nameVersion);
      });
      return out;
    },
  ],
  ['install-if', 'has auto-install rule', (_db, p) => p.installIf.map((d) => formatDep(d))],
  [
    'rinstall-if',
    'affects auto-installation of',
    (_db, p) => p.name.rinstallIf.flatMap((n) => n.providers.filter((x) => x.pkg.installed).map((x) => x.pkg.nameVersion)).filter((v, i, a) => a.indexOf(v) === i),
  ],
  ['triggers', 'triggers', (_db, p) => p.installed?.triggers ?? p.triggers],
  ['license', 'license', (_db, p) => [p.license]],
  ['replaces', 'replaces', (_db, p) => p.replaces.map((d) => formatDep(d))],
];

export async function info(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: args.length > 0 && !apk.has('installed') && !apk.has('who-owns'), write: false });
  db.buildReverse();
  if (apk.has('who-owns')) return whoOwns(apk, db, args);
  if (apk.has('installed')) {
    let missing = 0;
    for (const a of args) {
      if (db.installedOf(a)) apk.out(`${a}\n`);
      else missing++;
    }
    return missing;
  }
  if (!args.length) {
    const list = [...db.installed].sort((a, b) => (a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : 0));
    for (const p of list) {
      if (apk.verbosity > 2) apk.out(`${p.nameVersion} - ${p.description}\n`);
      else if (apk.verbosity > 1) apk.out(`${p.nameVersion}\n`);
      else apk.out(`${p.name.name}\n`);
    }
    return 0;
  }
  const chosen = apk.has('all')
    ? FIELDS
    : FIELDS.filter(([o]) => apk.has(o));
  const fields = chosen.length ? chosen : FIELDS.slice(0, 3);
  for (const a of args) {
    const name = db.names.find(a);
    const pkgs = name ? (db.installedOf(a) ? [db.installedOf(a)!] : [latestOf(db, name)].filter((p): p is Pkg => !!p)) : [];
    for (const pkg of pkgs) {
      for (const [, title, body] of fields) {
        const lines = body(db, pkg);
        if (apk.verbosity > 1 && lines.length <= 1) {
          apk.out(`${pkg.name.name}: ${lines[0] ?? ''}\n`);
          continue;
        }
        if (apk.verbosity >= 1) apk.out(`${pkg.nameVersion} ${title}:\n`);
        for (const l of lines) apk.out(`${l}\n`);
        apk.out('\n');
      }
    }
  }
  return 0;
}

async function whoOwns(apk: Apk, db: Database, args: string[]): Promise<number> {
  let errors = 0;
  const owners = new Map<string, Pkg>();
  for (const p of db.installed)
    for (const d of p.installed!.dirs) for (const f of d.files) owners.set(d.name ? `${d.name}/${f.name}` : f.name, p);
  for (const a of args) {
    const abs = apk.ctx.path(a);
    const rootPrefix = db.root === '/' ? '/' : `${db.root}/`;
    // a path under --root, or one meant inside the root
    const rel = abs.startsWith(rootPrefix) ? abs.slice(rootPrefix.length) : abs.replace(/^\/+/, '');
    const pkg = owners.get(rel);
    if (!pkg) {
      await apk.error(`${a}: Could not find owner package`);
      errors++;
      continue;
    }
    if (apk.verbosity < 1) apk.out(`${pkg.name.name}\n`);
    else apk.out(`${a} is owned by ${pkg.nameVersion}\n`);
  }
  return errors;
}
