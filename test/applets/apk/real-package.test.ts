// The real alpine-baselayout package (signed by Alpine) verified and installed into a throwaway root,
// next to fixture packages that stand in for its dependencies.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../../helpers/run.js';
import { buildPackage, signIndex, signingKey, writeKeysDir } from './builder.js';
import { corpusPath } from './fixtures.js';

const pkgFile = corpusPath('alpine-baselayout-3.2.0-r23.aarch64.apk');
const alpineKeys = corpusPath('keys');

describe.skipIf(!pkgFile || !alpineKeys)('the real alpine-baselayout package', () => {
  it('verifies with the Alpine key and installs with its files recorded', async () => {
    const key = signingKey();
    const keys = writeKeysDir(key);
    for (const f of fs.readdirSync(alpineKeys!)) fs.copyFileSync(path.join(alpineKeys!, f), path.join(keys, f));
    const repo = tempDir('apk-real-');
    const arch = path.join(repo, 'aarch64');
    fs.mkdirSync(arch);
    fs.copyFileSync(pkgFile!, path.join(arch, 'alpine-baselayout-3.2.0-r23.apk'));
    const stand = [
      { name: 'alpine-baselayout-data', version: '3.2.0-r23', arch: 'aarch64', files: { 'etc/fstab': '# fstab\n' } },
      { name: 'musl', version: '1.2.3-r2', arch: 'aarch64', provides: ['so:libc.musl-aarch64.so.1=1'] },
      { name: 'busybox', version: '1.35.0-r17', arch: 'aarch64', provides: ['/bin/sh', 'cmd:sh=1.35.0-r17'] },
    ];
    for (const s of stand) fs.writeFileSync(path.join(arch, `${s.name}-${s.version}.apk`), buildPackage(s, key));
    const files = fs.readdirSync(arch).map((f) => path.join(arch, f));
    const out = path.join(repo, 'unsigned.tar.gz');
    expect((await run(['apk', 'index', '--no-warnings', '-o', out, ...files])).status).toBe(0);
    fs.writeFileSync(path.join(arch, 'APKINDEX.tar.gz'), signIndex(fs.readFileSync(out), key));

    const v = await run(['apk', '--root', tempDir('apk-r-'), '--keys-dir', keys, 'verify', pkgFile!]);
    expect(v).toMatchObject({ stdout: `${pkgFile}: 0 - OK\n`, status: 0 });

    const root = tempDir('apk-root-');
    const base = ['apk', '--root', root, '--keys-dir', keys, '-X', repo, '--arch', 'aarch64', '--no-progress'];
    const r = await run([...base, '--initdb', '--no-scripts', 'add', 'alpine-baselayout', 'busybox']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '(1/4) Installing alpine-baselayout-data (3.2.0-r23)\n(2/4) Installing busybox (1.35.0-r17)\n(3/4) Installing musl (1.2.3-r2)\n(4/4) Installing alpine-baselayout (3.2.0-r23)\nOK: 0 MiB in 4 packages\n',
    );
    expect(fs.readFileSync(path.join(root, 'etc/motd'), 'latin1')).toContain('Alpine');
    expect(fs.statSync(path.join(root, 'tmp')).mode & 0o7777).toBe(0o1777);
    const db = fs.readFileSync(path.join(root, 'lib/apk/db/installed'), 'latin1');
    expect(db).toContain('C:Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=\nP:alpine-baselayout\nV:3.2.0-r23\nA:aarch64\n');
    expect(db).toMatch(/F:tmp\nM:0:0:1777\n/);
    expect(fs.readFileSync(path.join(root, 'lib/apk/db/scripts.tar')).includes('alpine-baselayout-3.2.0-r23.Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=.pre-install')).toBe(true);
    // the manifest lists the checksums the package's PAX headers carry
    const m = await run([...base, 'manifest', 'alpine-baselayout']);
    expect(m.stdout).toMatch(/^sha1:[0-9a-f]{40}  etc\/motd$/m);
    const audit = await run([...base, 'audit', '--system']);
    expect(audit.stdout).not.toMatch(/^[UX] /m);
  });
});
