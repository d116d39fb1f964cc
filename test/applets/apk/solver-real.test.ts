// The real Alpine v3.16 index against plans measured with apk-tools 2.14.10 (`apk -s add …`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../../helpers/run.js';
import { corpusPath } from './fixtures.js';

const index = corpusPath('v3.16-main-x86_64-APKINDEX.tar.gz');
const plans = corpusPath('expected-alpine316-plans.txt');
const keys = corpusPath('keys');

function parsePlans(text: string): { args: string[]; output: string; rc: number }[] {
  const out: { args: string[]; output: string; rc: number }[] = [];
  for (const block of text.split(/^## apk -s add /m).slice(1)) {
    const [head, ...rest] = block.split('\n');
    const body = rest.join('\n');
    const rc = Number(/^rc=(\d+)$/m.exec(body)![1]);
    out.push({ args: head!.trim().split(' '), output: body.slice(0, body.indexOf('rc=')), rc });
  }
  return out;
}

describe.skipIf(!index || !plans || !keys)('solver on the real v3.16 index', () => {
  const repo = tempDir('apk-repo-');
  beforeAll(() => {
    fs.mkdirSync(path.join(repo, 'x86_64'));
    fs.copyFileSync(index!, path.join(repo, 'x86_64/APKINDEX.tar.gz'));
  });
  for (const { args, output, rc } of parsePlans(plans ? fs.readFileSync(plans, 'latin1') : '')) {
    it(`apk -s add ${args.join(' ')}`, async () => {
      const root = tempDir('apk-root-');
      const r = await run([
        'apk', '--root', root, '--initdb', '--keys-dir', keys!, '-X', repo, '--arch', 'x86_64', '--no-progress', '-s', 'add', ...args,
      ]);
      expect(r.stdout + r.stderr).toBe(output);
      expect(r.status).toBe(rc);
    });
  }
});
