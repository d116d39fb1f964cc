// apk index: build an (unsigned) APKINDEX.tar.gz from package files; abuild-sign adds the signature.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import { formatIndexEntry, parseIndex } from '../apkindex.js';
import type { Apk } from '../context.js';
import { describeError } from '../database.js';
import { gzipMember } from '../formats/gzip.js';
import { KeyStore, readIndexArchive, readPackage } from '../formats/signed.js';
import { TAR_END, tarFile } from '../formats/tar.js';
import { NameTable, type Pkg } from '../package.js';
import { pkgFromInfo } from '../pkgfile.js';
import { compareVersions, LESS } from '../version.js';

export async function index(apk: Apk, args: string[]): Promise<number> {
  const names = new NameTable();
  const pkgs: Pkg[] = [];
  let errors = 0;
  // -x OLD: reuse entries of files whose name and size are unchanged
  const old = new Map<string, Pkg>();
  const oldIndex = apk.value('index');
  if (oldIndex) {
    try {
      const a = await readIndexArchive(fs.readFileSync(fsPath(apk.ctx.path(oldIndex))), { keys: new KeyStore([]), allowUntrusted: true });
      for (const r of parseIndex(a.index, names)) old.set(`${r.pkg.name.name}-${r.pkg.version}.apk`, r.pkg);
    } catch {
      // no usable old index: read every file
    }
  }
  const rewriteArch = apk.value('rewrite-arch');
  for (const file of args) {
    const path = apk.ctx.path(file);
    const base = file.slice(file.lastIndexOf('/') + 1);
    try {
      const st = fs.statSync(fsPath(path));
      const prev = old.get(base);
      let pkg: Pkg;
      if (prev && prev.size === st.size) pkg = prev;
      else {
        const a = await readPackage(fs.readFileSync(fsPath(path)), { keys: new KeyStore([]), allowUntrusted: true });
        pkg = pkgFromInfo(names, a.info, a.identity, st.size);
      }
      if (rewriteArch) pkg.arch = rewriteArch;
      pkgs.push(pkg);
    } catch (err) {
      await apk.error(`${file}: ${describeError(err)}`);
      errors++;
    }
  }
  pkgs.sort((a, b) =>
    a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : compareVersions(a.version, b.version) === LESS ? -1 : 1,
  );
  if (!apk.has('no-warnings')) {
    const provided = new Set<string>();
    for (const p of pkgs) {
      provided.add(p.name.name);
      for (const d of p.provides) provided.add(d.name.name);
    }
    const missing = new Set<string>();
    for (const p of pkgs) for (const d of p.depends) if (!d.conflict && !provided.has(d.name.name)) missing.add(d.name.name);
    if (missing.size) await apk.warning(`Total of ${missing.size} unsatisfiable package names. Your repository may be broken.`);
  }
  const text = pkgs.map((p) => `${formatIndexEntry(p)}\n`).join('');
  const mtime = Math.floor(Date.now() / 1000);
  const parts: Buffer[] = [];
  const desc = apk.value('description');
  if (desc !== undefined) parts.push(tarFile({ name: 'DESCRIPTION', mode: 0o644, mtime }, Buffer.from(desc, 'latin1')));
  parts.push(tarFile({ name: 'APKINDEX', mode: 0o644, mtime }, Buffer.from(text, 'latin1')), TAR_END);
  const out = gzipMember(Buffer.concat(parts));
  const output = apk.value('output');
  if (output) {
    const target = apk.ctx.path(output);
    fs.writeFileSync(fsPath(`${target}.tmp`), out);
    fs.renameSync(fsPath(`${target}.tmp`), fsPath(target));
  } else await apk.ctx.stdout.write(out);
  return errors;
}
