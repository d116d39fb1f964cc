// apk verify: check each package file's signature and integrity; exit status = failures.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Apk } from '../context.js';
import { ApkError, EIO } from '../errors.js';
import { readPackage } from '../formats/signed.js';

export async function verify(apk: Apk, args: string[]): Promise<number> {
  const db = await apk.open({ repos: false, write: false });
  let failed = 0;
  for (const file of args) {
    let r = 0;
    let text: string;
    try {
      const p = await readPackage(fs.readFileSync(fsPath(apk.ctx.path(file))), { keys: db.keys, allowUntrusted: true });
      for await (const _ of p.dataEntries());
      text = p.trusted ? 'OK' : 'UNTRUSTED';
      if (!p.trusted) failed++;
    } catch (err) {
      const e = err instanceof ApkError ? err : new ApkError(EIO, (err as { code?: string }).code === 'ENOENT' ? 'No such file or directory' : undefined);
      r = -e.errno;
      text = e.message;
      failed++;
    }
    apk.msg(`${file}: ${r} - ${text}`);
  }
  return failed;
}
