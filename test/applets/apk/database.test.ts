// The installed database in apk-tools' own format: the corpus sample (written by an older apk, in
// install order) loads, and writing it back gives the same records, sorted by name as 2.14 does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../src/applets/apk/database.js';
import { readTar } from '../../../src/applets/apk/formats/tar.js';
import { tempDir } from '../../helpers/run.js';
import { corpusPath } from './fixtures.js';

const sample = corpusPath('installed-db-sample');

async function openDb(root: string): Promise<Database> {
  const db = new Database({
    root,
    cwd: root,
    extraRepositories: [],
    allowUntrusted: false,
    noCache: false,
    noNetwork: true,
    updateCache: false,
    forceRefresh: false,
    cacheMaxAge: 240,
    forceBrokenWorld: false,
    message: () => {},
    warning: () => {},
    fetch: () => Promise.reject(new Error('offline')),
  });
  await db.loadConfig();
  return db;
}

const records = (text: string) => text.split('\n\n').filter((r) => r.trim() !== '').map((r) => `${r.replace(/\n+$/, '')}\n`);

describe.skipIf(!sample)('installed database sample', () => {
  it('loads and writes back the same records, sorted by name', async () => {
    const root = tempDir('apk-db-');
    fs.mkdirSync(path.join(root, 'lib/apk/db'), { recursive: true });
    fs.mkdirSync(path.join(root, 'etc/apk'), { recursive: true });
    for (const f of ['installed', 'scripts.tar', 'triggers']) fs.copyFileSync(path.join(sample!, f), path.join(root, 'lib/apk/db', f));
    const original = fs.readFileSync(path.join(root, 'lib/apk/db/installed'), 'latin1');
    const db = await openDb(root);
    expect(db.installed.length).toBe(14);
    expect(db.installed.map((p) => p.name.name).slice(0, 3)).toEqual(['alpine-baselayout-data', 'musl', 'busybox']);
    const busybox = db.installedOf('busybox')!;
    expect(busybox.installed!.triggers).toEqual(['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/lib/modules/*']);
    expect([...busybox.installed!.scripts.keys()].sort()).toEqual(['post-install', 'post-upgrade', 'trigger']);
    db.writeState();
    const written = fs.readFileSync(path.join(root, 'lib/apk/db/installed'), 'latin1');
    expect(records(written).sort()).toEqual(records(original).sort());
    const names = records(written).map((r) => /^P:(.*)$/m.exec(r)![1]!);
    expect(names).toEqual([...names].sort());
    const scriptNames = async (buf: Buffer) =>
      (await readTar(buf)).map((e) => `${e.name} ${e.mode.toString(8)} ${e.data.toString('base64')}`).sort();
    expect(await scriptNames(fs.readFileSync(path.join(root, 'lib/apk/db/scripts.tar')))).toEqual(
      await scriptNames(fs.readFileSync(path.join(sample!, 'scripts.tar'))),
    );
    expect(fs.readFileSync(path.join(root, 'lib/apk/db/triggers'), 'latin1')).toBe(
      fs.readFileSync(path.join(sample!, 'triggers'), 'latin1'),
    );
  });
});
