// apk manifest: `sha1:<hex>  path` for every file of installed packages (or of .apk files).
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Apk } from '../context.js';
import { describeError } from '../database.js';
import { readPackage } from '../formats/signed.js';

function hexOf(csum: string): string {
  return csum.startsWith('Q1') ? Buffer.from(csum.slice(2), 'base64').toString('hex') : csum;
}

export async function manifest(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: false, write: false });
  let errors = 0;
  for (const a of args) {
    const pkg = db.installedOf(a);
    if (pkg) {
      for (const d of pkg.installed!.dirs)
        for (const f of d.files) if (f.csum) apk.out(`sha1:${hexOf(f.csum)}  ${d.name ? `${d.name}/` : ''}${f.name}\n`);
      continue;
    }
    try {
      const p = await readPackage(fs.readFileSync(fsPath(apk.ctx.path(a))), { keys: db.keys, allowUntrusted: apk.has('allow-untrusted') });
      for await (const e of p.dataEntries()) {
        const sum = e.pax.get('APK-TOOLS.checksum.SHA1');
        if (sum && e.type !== '5') apk.out(`sha1:${sum}  ${e.name}\n`);
      }
    } catch (err) {
      await apk.error(`${a}: ${describeError(err)}`);
      errors++;
    }
  }
  return errors;
}
