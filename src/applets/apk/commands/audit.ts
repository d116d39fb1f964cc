// apk audit: compare the file system with the database: A added, U updated, X missing, D new dir.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Apk } from '../context.js';
import { crypto, q1 } from '../formats/signed.js';
import type { InstalledFile } from '../package.js';

export async function audit(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: false, write: false });
  const files = new Map<string, InstalledFile>();
  const dirs = new Set<string>();
  for (const p of db.installed)
    for (const d of p.installed!.dirs) {
      dirs.add(d.name);
      for (const f of d.files) files.set(d.name ? `${d.name}/${f.name}` : f.name, f);
    }
  const system = apk.has('system');
  const scopes = args.length ? args.map((a) => a.replace(/^\/+|\/+$/g, '')) : system ? [''] : ['etc'];
  const report = (code: string, path: string) => apk.out(apk.verbosity < 1 ? `${path}\n` : `${code} ${path}\n`);
  const csumOf = (abs: string, st: fs.Stats) => {
    const data = st.isSymbolicLink() ? Buffer.from(fs.readlinkSync(fsPath(abs), { encoding: 'latin1' }), 'latin1') : fs.readFileSync(fsPath(abs));
    return q1(crypto().createHash('sha1').update(data).digest());
  };
  const walk = (rel: string) => {
    let entries: fs.Dirent<string>[];
    try {
      entries = fs.readdirSync(fsPath(db.path(rel)), { encoding: 'latin1', withFileTypes: true }) as unknown as fs.Dirent<string>[];
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (!system && rel === '' && e.name !== 'etc') continue;
      if (child === 'lib/apk' || child === 'proc' || child === 'sys' || child === 'dev' || child === 'tmp' || child === 'var/cache/apk') continue;
      if (e.isDirectory()) {
        if (!dirs.has(child)) report('D', `${child}/`);
        if (dirs.has(child) || apk.has('recursive')) walk(child);
        continue;
      }
      const f = files.get(child);
      const abs = db.path(child);
      if (!f) {
        if (!e.name.endsWith('.apk-new')) report('A', child);
        continue;
      }
      const st = fs.lstatSync(fsPath(abs));
      if (f.csum && csumOf(abs, st) !== f.csum) report('U', child);
    }
  };
  for (const s of scopes) walk(s);
  for (const [path] of files) {
    if (!scopes.some((s) => s === '' || path === s || path.startsWith(`${s}/`))) continue;
    try {
      fs.lstatSync(fsPath(db.path(path)));
    } catch {
      report('X', path);
    }
  }
  return 0;
}
