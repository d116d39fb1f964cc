// apk end to end, in-process: fixture repositories (signed with a test key) into throwaway roots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../../helpers/run.js';
import { buildPackage, buildRepo, type PackageSpec, serveDir, shellRoot, signingKey, writeKeysDir } from './builder.js';

const key = signingKey();
let keys: string;
let repo: string;

const basePkgs: PackageSpec[] = [
  { name: 'libfoo', version: '1.0-r0', files: { 'usr/lib/libfoo.so.1': 'libfoo\n' }, provides: ['so:libfoo.so.1=1'] },
  { name: 'foo', version: '1.0-r0', depends: ['so:libfoo.so.1'], files: { 'usr/bin/foo': { data: '#!/bin/sh\necho foo\n', mode: 0o755 } } },
  { name: 'bar', version: '2.0-r0', depends: ['foo'], files: { 'usr/bin/bar': 'bar\n', 'usr/share/bar/link': { symlink: '../../bin/bar' } } },
  { name: 'docs', version: '1.0-r0' },
  { name: 'foo-doc', version: '1.0-r0', installIf: ['docs', 'foo'], files: { 'usr/share/doc/foo/README': 'readme\n' } },
  { name: 'hello', version: '1.0-r0', files: { 'usr/bin/hello': 'hello\n' }, provides: ['cmd:hello=1.0-r0'] },
  { name: 'clash', version: '1.0-r0', files: { 'usr/bin/hello': 'clash\n' } },
  { name: 'hello-replacer', version: '1.0-r0', files: { 'usr/bin/hello': 'replaced\n' }, replaces: ['hello'] },
  { name: 'vi-a', version: '1.0-r0', provides: ['vi'], files: { 'usr/bin/vi-a': 'a\n' } },
  { name: 'vi-b', version: '1.0-r0', provides: ['vi'], providerPriority: 10, files: { 'usr/bin/vi-b': 'b\n' } },
  { name: 'nano', version: '1.0-r0', provides: ['editor'], files: { 'usr/bin/nano': 'n\n' } },
  { name: 'conflicter', version: '1.0-r0', depends: ['!hello'] },
];

function apk(root: string, ...args: string[]) {
  return run(['apk', '--root', root, '--keys-dir', keys, '-X', repo, '--no-progress', ...args]);
}

function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'latin1');
}

beforeAll(async () => {
  keys = writeKeysDir(key);
  repo = await buildRepo(tempDir('apk-repo-'), basePkgs);
});

describe('apk add / del against a local repository', () => {
  it('installs with dependencies first, writes files, world and the database', async () => {
    const root = tempDir('apk-root-');
    const r = await apk(root, '--initdb', 'add', 'bar');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '(1/3) Installing libfoo (1.0-r0)\n(2/3) Installing foo (1.0-r0)\n(3/3) Installing bar (2.0-r0)\nOK: 0 MiB in 3 packages\n',
    );
    expect(r.status).toBe(0);
    expect(read(root, 'usr/bin/foo')).toBe('#!/bin/sh\necho foo\n');
    expect(fs.statSync(path.join(root, 'usr/bin/foo')).mode & 0o777).toBe(0o755);
    expect(fs.readlinkSync(path.join(root, 'usr/share/bar/link'))).toBe('../../bin/bar');
    expect(read(root, 'etc/apk/world')).toBe('bar\n');
    const db = read(root, 'lib/apk/db/installed');
    expect(db).toMatch(/^C:Q1.{27}=\nP:bar\nV:2\.0-r0\nA:x86_64\n/);
    expect(db).toContain('P:foo\n');
    expect(db).toContain('F:usr/bin\nR:foo\na:0:0:755\nZ:Q1');
    expect(db).toContain('R:link\na:0:0:777\nZ:Q1');
    expect(read(root, 'etc/apk/arch')).toBe('x86_64\n');
    expect(fs.readdirSync(path.join(root, 'usr/bin')).filter((f) => f.startsWith('.apk.'))).toEqual([]);
    expect(fs.existsSync(path.join(root, 'lib/apk/db/lock'))).toBe(false);
  });

  it('removes dependents before what they depend on, and orphans', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'bar', 'docs');
    const r = await apk(root, 'del', 'bar', 'docs');
    expect(r.stdout).toBe(
      // libfoo is reached through a provided name (so:libfoo.so.1), so apk-tools' changeset walk
      // removes it last, from the installed list, after docs
      '(1/5) Purging bar (2.0-r0)\n(2/5) Purging foo-doc (1.0-r0)\n(3/5) Purging foo (1.0-r0)\n(4/5) Purging docs (1.0-r0)\n(5/5) Purging libfoo (1.0-r0)\nOK: 0 MiB in 0 packages\n',
    );
    expect(fs.existsSync(path.join(root, 'usr/bin/foo'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'usr/share'))).toBe(false);
    expect(read(root, 'etc/apk/world')).toBe('\n');
    expect(read(root, 'lib/apk/db/installed')).toBe('');
  });

  it('install_if pulls foo-doc right after its trigger', async () => {
    const root = tempDir('apk-root-');
    const r = await apk(root, '--initdb', '-s', 'add', 'docs', 'foo');
    expect(r.stdout).toBe(
      '(1/4) Installing docs (1.0-r0)\n(2/4) Installing libfoo (1.0-r0)\n(3/4) Installing foo (1.0-r0)\n(4/4) Installing foo-doc (1.0-r0)\nOK: 0 MiB in 4 packages\n',
    );
  });

  it('del of a name nobody knows', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'hello');
    const r = await apk(root, 'del', 'nothere');
    expect(r).toMatchObject({ status: 1, stderr: 'ERROR: No such package: nothere\n', stdout: '' });
  });

  it('a file clash is an error, the package is flagged, replaces allows it', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'hello');
    const r = await apk(root, 'add', 'clash');
    expect(r.stderr).toBe('ERROR: clash-1.0-r0: trying to overwrite usr/bin/hello owned by hello-1.0-r0.\n');
    expect(r.stdout).toBe('(1/1) Installing clash (1.0-r0)\n1 error; 0 MiB in 2 packages\n');
    expect(r.status).toBe(1);
    expect(read(root, 'usr/bin/hello')).toBe('hello\n');
    expect(read(root, 'lib/apk/db/installed')).toMatch(/P:clash\n[^]*f:f\n/);
    const r2 = await apk(root, 'add', 'hello-replacer');
    expect(r2.stderr).toBe('');
    expect(read(root, 'usr/bin/hello')).toBe('replaced\n');
  });

  it('virtual providers: provider_priority picks, otherwise an explicit choice is needed', async () => {
    const root = tempDir('apk-root-');
    const r = await apk(root, '--initdb', '-s', 'add', 'vi');
    expect(r.stdout).toBe('(1/1) Installing vi-b (1.0-r0)\nOK: 0 MiB in 1 packages\n');
    const r2 = await apk(root, '-s', 'add', 'editor');
    expect(r2.stderr).toBe(
      "ERROR: unable to select packages:\n  editor (virtual):\n    note: please select one of the 'provided by'\n          packages explicitly\n    provided by: nano\n    required by: world[editor]\n",
    );
    expect(r2.status).toBe(1);
  });

  it('conflicts and the unable-to-select report change nothing', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'hello');
    const before = read(root, 'lib/apk/db/installed');
    const r = await apk(root, 'add', 'conflicter');
    expect(r.stderr).toBe(
      'ERROR: unable to select packages:\n  hello-1.0-r0:\n    breaks: conflicter-1.0-r0[!hello]\n    satisfies: world[hello]\n',
    );
    expect(r.status).toBe(2); // two problems: hello (broken by the conflict) and conflicter (unfulfilled)
    expect(read(root, 'lib/apk/db/installed')).toBe(before);
    expect(read(root, 'etc/apk/world')).toBe('hello\n');
  });

  it('bad world atoms', async () => {
    const root = tempDir('apk-root-');
    const r = await apk(root, '--initdb', 'add', 'foo==');
    expect(r).toMatchObject({
      status: 99,
      stderr: "ERROR: 'foo==' is not a valid world dependency, format is name(@tag)([<>~=]version)\n",
    });
  });

  it('--virtual makes a meta package and del drops it with its orphans', async () => {
    const root = tempDir('apk-root-');
    const r = await apk(root, '--initdb', 'add', '-t', '.build-deps', 'hello', 'foo');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Installing \.build-deps \(\d{8}\.\d{6}\)\n/);
    expect(read(root, 'etc/apk/world')).toMatch(/^\.build-deps=\d{8}\.\d{6}\n$/);
    const r2 = await apk(root, 'del', '.build-deps');
    expect(r2.stdout).toContain('Purging hello');
    expect(r2.stdout).toMatch(/OK: 0 MiB in 0 packages\n$/);
  });

  it('a local .apk file goes to world by identity', async () => {
    const root = tempDir('apk-root-');
    const file = path.join(tempDir('apk-files-'), 'local-1.0-r0.apk');
    fs.writeFileSync(file, buildPackage({ name: 'local', version: '1.0-r0', files: { 'etc/local.conf': 'x=1\n' } }));
    const r = await apk(root, '--initdb', 'add', file);
    expect(r.stdout).toBe('(1/1) Installing local (1.0-r0)\nOK: 0 MiB in 1 packages\n');
    expect(read(root, 'etc/apk/world')).toMatch(/^local><Q1.{27}=\n$/);
  });

  it('upgrade replaces versions and removes files the new version dropped', async () => {
    const root = tempDir('apk-root-');
    const repo1 = await buildRepo(tempDir('apk-up1-'), [
      { name: 'app', version: '1.0-r0', files: { 'usr/bin/app': 'v1\n', 'usr/share/app/old': 'old\n' } },
    ]);
    const repo2 = await buildRepo(tempDir('apk-up2-'), [{ name: 'app', version: '1.1-r0', files: { 'usr/bin/app': 'v2\n' } }]);
    await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', repo1, 'add', 'app']);
    const r = await run(['apk', '--root', root, '--keys-dir', keys, '-X', repo2, 'upgrade']);
    expect(r.stdout).toBe('(1/1) Upgrading app (1.0-r0 -> 1.1-r0)\nOK: 0 MiB in 1 packages\n');
    expect(read(root, 'usr/bin/app')).toBe('v2\n');
    expect(fs.existsSync(path.join(root, 'usr/share/app'))).toBe(false);
  });
});

describe('extraction stays inside the root', () => {
  it('a symlink planted by one package cannot carry another outside', async () => {
    const outside = tempDir('apk-outside-');
    const root = tempDir('apk-root-');
    const r1 = await buildRepo(tempDir('apk-evil-'), [
      { name: 'planter', version: '1.0-r0', files: { evil: { symlink: outside } } },
      { name: 'follower', version: '1.0-r0', files: { 'evil/escaped': 'x\n' } },
    ]);
    const base = ['apk', '--root', root, '--keys-dir', keys, '-X', r1, '--no-progress'];
    expect((await run([...base, '--initdb', 'add', 'planter'])).status).toBe(0);
    // the absolute link resolves inside the root, as in a chroot, where it leads nowhere: refused
    const r = await run([...base, 'add', 'follower']);
    expect(r.stderr).toBe('ERROR: follower-1.0-r0: No such file or directory\n');
    expect(r.status).toBe(1);
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});

describe('queries', () => {
  let root: string;
  beforeAll(async () => {
    root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'bar');
  });
  it('info lists installed names; info NAME prints blocks', async () => {
    expect((await apk(root, 'info')).stdout).toBe('bar\nfoo\nlibfoo\n');
    expect((await apk(root, 'info', 'bar')).stdout).toBe(
      'bar-2.0-r0 description:\nbar test package\n\nbar-2.0-r0 webpage:\nhttps://example.org/\n\nbar-2.0-r0 installed size:\n4 B\n\n',
    );
    expect((await apk(root, 'info', '-L', 'foo')).stdout).toBe('foo-1.0-r0 contains:\nusr/bin/foo\n\n');
    expect((await apk(root, 'info', '-R', 'foo')).stdout).toBe('foo-1.0-r0 depends on:\nso:libfoo.so.1\n\n');
    expect((await apk(root, 'info', '-r', 'libfoo')).stdout).toBe('libfoo-1.0-r0 is required by:\nfoo-1.0-r0\n\n');
    expect((await apk(root, 'info', '-W', '/usr/bin/foo')).stdout).toBe('/usr/bin/foo is owned by foo-1.0-r0\n');
    expect((await apk(root, 'info', '-W', `${root}/usr/bin/foo`)).stdout).toBe(`${root}/usr/bin/foo is owned by foo-1.0-r0\n`);
    expect(await apk(root, 'info', '-e', 'foo', 'nothere')).toMatchObject({ stdout: 'foo\n', status: 1 });
  });
  it('search, list, policy, version', async () => {
    expect((await apk(root, 'search', 'hel')).stdout).toBe('hello-1.0-r0\nhello-replacer-1.0-r0\n');
    expect((await apk(root, 'search', '-x', 'hello')).stdout).toBe('hello-1.0-r0\n');
    expect((await apk(root, 'search', '-v', '-x', 'hello')).stdout).toBe('hello-1.0-r0 - hello test package\n');
    expect((await apk(root, 'list', '-I')).stdout).toBe(
      'bar-2.0-r0 x86_64 {bar} (MIT) [installed]\nfoo-1.0-r0 x86_64 {foo} (MIT) [installed]\nlibfoo-1.0-r0 x86_64 {libfoo} (MIT) [installed]\n',
    );
    expect((await apk(root, 'list', '-P', 'vi')).stdout).toBe(
      '<vi> vi-a-1.0-r0 x86_64 {vi-a} (MIT)\n<vi> vi-b-1.0-r0 x86_64 {vi-b} (MIT)\n',
    );
    expect((await apk(root, 'policy', 'foo')).stdout).toBe(`foo policy:\n  1.0-r0:\n    lib/apk/db/installed\n    ${repo}\n`);
    expect((await apk(root, 'version', '-t', '1.0', '1.0-r1')).stdout).toBe('<\n');
    expect(await apk(root, 'version', '-c', '1.0', 'abc', '1.0_foo')).toMatchObject({ stdout: 'abc\n1.0_foo\n', status: 2 });
    expect((await apk(root, 'version', 'foo')).stdout).toBe(`${'Installed:'.padEnd(39)}   Available:\n${'foo-1.0-r0'.padEnd(39)} = 1.0-r0 \n`);
  });
});

describe('signatures', () => {
  it('an untrusted repository is skipped with a warning', async () => {
    const root = tempDir('apk-root-');
    const r = await run(['apk', '--root', root, '--initdb', '--keys-dir', tempDir('apk-nokeys-'), '-X', repo, 'add', 'hello']);
    expect(r.stderr).toBe(
      `WARNING: opening ${repo}/x86_64/APKINDEX.tar.gz: UNTRUSTED signature\nERROR: unable to select packages:\n  hello (no such package):\n    required by: world[hello]\n`,
    );
    expect(r.status).toBe(1);
  });
  it('apk verify', async () => {
    const dir = tempDir('apk-verify-');
    const good = path.join(dir, 'good.apk');
    fs.writeFileSync(good, buildPackage({ name: 'good', version: '1.0-r0', files: { a: 'a\n' } }));
    const unsigned = path.join(dir, 'unsigned.apk');
    fs.writeFileSync(unsigned, buildPackage({ name: 'u', version: '1.0-r0', signing: 'none' }));
    const bad = path.join(dir, 'bad.apk');
    const other = buildPackage({ name: 'good', version: '1.0-r0', files: { a: 'b\n' } });
    const goodBuf = fs.readFileSync(good);
    // signature and control of `good`, data of `other`: datahash mismatch
    const cut = (b: Buffer) => {
      const { splitMembers } = require('../../../src/applets/apk/formats/gzip.js');
      return splitMembers(b) as { raw: Buffer }[];
    };
    void cut;
    fs.writeFileSync(bad, Buffer.concat([goodBuf.subarray(0, goodBuf.length - 10), other.subarray(other.length - 10)]));
    const r = await run(['apk', '--root', tempDir('apk-root-'), '--keys-dir', keys, 'verify', good, unsigned, bad]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${good}: 0 - OK`);
    expect(lines[1]).toBe(`${unsigned}: 0 - UNTRUSTED`);
    expect(lines[2]).toMatch(new RegExp(`^${bad}: -(5|129|74) - `));
    expect(r.status).toBe(2);
  });
});

describe('over loopback HTTP', () => {
  let server: Awaited<ReturnType<typeof serveDir>>;
  beforeAll(async () => {
    server = await serveDir(repo);
  });
  afterAll(() => server.close());
  it('fetches the index into the cache, then packages', async () => {
    const root = tempDir('apk-root-');
    const base = ['apk', '--root', root, '--keys-dir', keys, '-X', `${server.url}/`, '--no-progress'];
    const r = await run([...base, '--initdb', 'add', 'hello']);
    expect(r.stdout).toBe(`fetch ${server.url}/x86_64/APKINDEX.tar.gz\n(1/1) Installing hello (1.0-r0)\nOK: 0 MiB in 1 packages\n`);
    const cached = fs.readdirSync(path.join(root, 'var/cache/apk'));
    expect(cached).toHaveLength(1);
    expect(cached[0]).toMatch(/^APKINDEX\.[0-9a-f]{8}\.tar\.gz$/);
    const u = await run([...base, 'update']);
    expect(u.stdout).toBe(`test-repo [${server.url}/]\nOK: 12 distinct packages available\n`);
    const u2 = await run([...base, '-U', 'update']);
    expect(u2.stdout).toBe(`fetch ${server.url}/x86_64/APKINDEX.tar.gz\ntest-repo [${server.url}/]\nOK: 12 distinct packages available\n`);
  });
  it('an unreachable server is a warning', async () => {
    const root = tempDir('apk-root-');
    const closed = await serveDir(repo);
    const url = closed.url;
    await closed.close(); // a port nothing listens on any more
    const r = await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', url, 'update']);
    expect(r.stderr).toBe(`WARNING: updating and opening ${url}/x86_64/APKINDEX.tar.gz: could not connect to server (check repositories file)\n`);
    expect(r.status).toBe(1);
  });

  it('a missing repository is a warning', async () => {
    const root = tempDir('apk-root-');
    const r = await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', `${server.url}/nothere`, 'update']);
    expect(r.stderr).toBe(
      `WARNING: updating and opening ${server.url}/nothere/x86_64/APKINDEX.tar.gz: No such file or directory\n`,
    );
    expect(r.stdout).toBe(
      `fetch ${server.url}/nothere/x86_64/APKINDEX.tar.gz\n1 unavailable, 0 stale; 0 distinct packages available\n`,
    );
    expect(r.status).toBe(1);
  });
});

describe.skipIf(process.getuid?.() !== 0)('scripts and triggers (chroot)', () => {
  it('runs scripts inside the root and fires triggers', async () => {
    const root = tempDir('apk-root-');
    if (!shellRoot(root)) return;
    const srepo = await buildRepo(tempDir('apk-srepo-'), [
      {
        name: 'scripted',
        version: '1.0-r0',
        files: { 'usr/share/trig/sub/file': 'x\n' },
        scripts: { 'post-install': '#!/bin/sh\necho "post-install $1" > /post-install.out\n', 'pre-deinstall': '#!/bin/sh\nexit 3\n' },
      },
      {
        name: 'trig',
        version: '1.0-r0',
        triggers: ['/usr/share/trig/*'],
        scripts: { trigger: '#!/bin/sh\necho "trig fired $@"\n' },
      },
    ]);
    const base = ['apk', '--root', root, '--keys-dir', keys, '-X', srepo, '--no-progress'];
    const r = await run([...base, '--initdb', 'add', 'trig']);
    expect(r.stdout).toBe('(1/1) Installing trig (1.0-r0)\nOK: 0 MiB in 1 packages\n');
    const r2 = await run([...base, 'add', 'scripted']);
    expect(r2.stdout).toBe(
      '(1/1) Installing scripted (1.0-r0)\nExecuting scripted-1.0-r0.post-install\nExecuting trig-1.0-r0.trigger\ntrig fired /usr/share/trig/sub\nOK: 0 MiB in 2 packages\n',
    );
    expect(read(root, 'post-install.out')).toBe('post-install 1.0-r0\n');
    expect(fs.readdirSync(path.join(root, 'lib/apk/exec'))).toEqual([]);
    expect(read(root, 'lib/apk/db/triggers')).toMatch(/^Q1.{27}= \/usr\/share\/trig\/\*\n$/);
    const r3 = await run([...base, 'del', 'scripted']);
    expect(r3.stderr).toBe('ERROR: scripted-1.0-r0.pre-deinstall: script exited with error 3\n');
  });
});

describe('recovery, locking, cache, fetch, index', () => {
  it('apk fix reinstalls what a killed transaction left half done', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'foo');
    // what a kill leaves: a temporary file never renamed, a file of the package gone
    fs.writeFileSync(path.join(root, 'usr/bin/.apk.0123456789abcdef01234567'), 'partial');
    fs.rmSync(path.join(root, 'usr/bin/foo'));
    const r = await apk(root, 'fix');
    expect(r.stdout).toBe('(1/1) Reinstalling foo (1.0-r0)\nOK: 0 MiB in 2 packages\n');
    expect(read(root, 'usr/bin/foo')).toBe('#!/bin/sh\necho foo\n');
    expect(fs.readdirSync(path.join(root, 'usr/bin'))).toEqual(['foo']);
  });

  it('a held lock makes apk wait (--wait) and then give up with status 99', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'hello');
    fs.writeFileSync(path.join(root, 'lib/apk/db/lock'), `${process.ppid}\n`); // a live process that is not us
    const r = await apk(root, '--wait', '1', 'add', 'foo');
    expect(r).toMatchObject({
      status: 99,
      stderr: 'ERROR: Unable to lock database: Resource temporarily unavailable\nERROR: Failed to open apk database: Resource temporarily unavailable\n',
    });
    // a lock whose holder is gone is taken over
    fs.writeFileSync(path.join(root, 'lib/apk/db/lock'), '999999999\n');
    expect((await apk(root, 'add', 'foo')).status).toBe(0);
  });

  it('cache download/clean with etc/apk/cache linked to a directory', async () => {
    const root = tempDir('apk-root-');
    const server = await serveDir(repo);
    try {
      const base = ['apk', '--root', root, '--keys-dir', keys, '-X', server.url, '--no-progress'];
      await run([...base, '--initdb', 'add', 'hello']);
      expect(await run([...base, 'cache', 'sync'])).toMatchObject({ status: 2, stderr: 'ERROR: Package cache is not enabled.\n' });
      const cacheDir = tempDir('apk-cache-');
      fs.symlinkSync(cacheDir, path.join(root, 'etc/apk/cache'));
      fs.writeFileSync(path.join(cacheDir, 'stale-0.1-r0.deadbeef.apk'), 'x');
      const r = await run([...base, 'cache', 'sync']);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('deleting stale-0.1-r0.deadbeef.apk\n');
      expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.apk'))).toEqual([
        expect.stringMatching(/^hello-1\.0-r0\.[0-9a-f]{8}\.apk$/),
      ]);
    } finally {
      await server.close();
    }
  });

  it('fetch downloads packages (with -R their dependencies)', async () => {
    const root = tempDir('apk-root-');
    const out = tempDir('apk-fetch-');
    const r = await apk(root, '--initdb', 'fetch', '-R', '-o', out, 'foo');
    expect(r.stdout).toBe('Downloading foo-1.0-r0\nDownloading libfoo-1.0-r0\n');
    expect(fs.readdirSync(out).sort()).toEqual(['foo-1.0-r0.apk', 'libfoo-1.0-r0.apk']);
    expect(fs.readFileSync(path.join(out, 'foo-1.0-r0.apk'))).toEqual(fs.readFileSync(path.join(repo, 'x86_64/foo-1.0-r0.apk')));
  });

  it('index writes the fields apk writes, sorted by name', async () => {
    const { readIndexArchive, KeyStore } = await import('../../../src/applets/apk/formats/signed.js');
    const dir = tempDir('apk-idx-');
    const files = ['bar-2.0-r0.apk', 'foo-1.0-r0.apk', 'vi-b-1.0-r0.apk', 'foo-doc-1.0-r0.apk'].map((f) => path.join(repo, 'x86_64', f));
    const out = path.join(dir, 'APKINDEX.tar.gz');
    expect((await run(['apk', 'index', '-o', out, ...files])).stderr).toBe(
      'WARNING: Total of 1 unsatisfiable package names. Your repository may be broken.\n',
    );
    const a = await readIndexArchive(fs.readFileSync(out), { keys: new KeyStore([]), allowUntrusted: true });
    const recs = a.index.split('\n\n').filter(Boolean);
    expect(recs.map((r) => /^P:(.*)$/m.exec(r)![1])).toEqual(['bar', 'foo', 'foo-doc', 'vi-b']);
    expect(recs[3]).toMatch(
      /^C:Q1.{27}=\nP:vi-b\nV:1\.0-r0\nA:x86_64\nS:\d+\nI:2\nT:vi-b test package\nU:https:\/\/example\.org\/\nL:MIT\no:vi-b\nt:1700000000\nk:10\np:vi$/,
    );
    expect(recs[2]).toMatch(/\ni:docs foo$/);
    expect(a.index.endsWith('\n\n')).toBe(true);
  });
});

describe('progress bar', () => {
  it('draws apk-style progress when asked (--progress; on a terminal by default)', async () => {
    const root = tempDir('apk-root-');
    const r = await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', repo, '--progress', 'add', 'hello']);
    expect(r.stdout).toContain(`\x1b7100% ${'#'.repeat(74)}\x1b8\x1b[0K`);
    expect(r.stdout).toContain('(1/1) Installing hello (1.0-r0)\n');
    const quiet = await run(['apk', '--root', tempDir('apk-root-'), '--initdb', '--keys-dir', keys, '-X', repo, 'add', 'hello']);
    expect(quiet.stdout).not.toContain('\x1b7');
  });
});

describe('@tag pinning', () => {
  it('packages only in a tagged repository are masked unless asked for by tag', async () => {
    const edge = await buildRepo(tempDir('apk-edge-'), [
      { name: 'edgeonly', version: '1.0-r0', files: { 'usr/bin/edgeonly': 'e\n' } },
      { name: 'hello', version: '2.0-r0', files: { 'usr/bin/hello': 'hello 2\n' } },
    ]);
    const root = tempDir('apk-root-');
    fs.mkdirSync(path.join(root, 'etc/apk'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/apk/repositories'), `${repo}\n@edge ${edge}\n`);
    const base = ['apk', '--root', root, '--keys-dir', keys, '--no-progress'];
    const masked = await run([...base, '--initdb', 'add', 'edgeonly']);
    expect(masked.stderr).toBe('ERROR: unable to select packages:\n  edgeonly-1.0-r0:\n    masked in: @edge\n    satisfies: world[edgeonly]\n');
    expect(masked.status).toBe(1);
    const r = await run([...base, 'add', 'edgeonly@edge', 'hello']);
    expect(r.stdout).toBe('(1/2) Installing edgeonly@edge (1.0-r0)\n(2/2) Installing hello (1.0-r0)\nOK: 0 MiB in 2 packages\n');
    expect(read(root, 'etc/apk/world')).toBe('edgeonly@edge\nhello\n');
    expect(read(root, 'lib/apk/db/installed')).toMatch(/P:edgeonly\n[^]*\ns:edge\n/);
    expect((await run([...base, 'policy', 'hello'])).stdout).toBe(`hello policy:\n  1.0-r0:\n    lib/apk/db/installed\n    ${repo}\n  2.0-r0:\n    @edge ${edge}\n`);
    const bad = await run([...base, 'add', 'hello@nosuchtag']);
    expect(bad).toMatchObject({
      status: 99,
      stderr:
        "WARNING: The repository tag for world dependency 'hello@nosuchtag' does not exist\nERROR: Not committing changes due to missing repository tags. Use --force-broken-world to override.\n",
    });
  });
});

describe('preview, confirmation and configuration files', () => {
  it('-v lists removals and the space freed; -i asks', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'bar');
    const r = await apk(root, '-v', 'del', 'bar');
    expect(r.stdout).toMatch(
      /^The following packages will be REMOVED:\n {2}bar foo libfoo\nAfter this operation, \d+ B of disk space will be freed\.\n\(1\/3\) Purging bar \(2\.0-r0\)\n/,
    );
    expect(r.stdout).toMatch(/\nOK: 0 packages, 0 dirs, 0 files, 0 MiB\n$/);
    await apk(root, 'add', 'bar');
    const no = await run(['apk', '--root', root, '--keys-dir', keys, '-X', repo, '--no-progress', '-i', 'del', 'bar'], { stdin: 'n\n' });
    expect(no.stdout).toContain('Do you want to continue [Y/n]? ');
    expect(no.status).toBe(99);
    expect(read(root, 'etc/apk/world')).toBe('bar\n');
  });

  it('an edited configuration file is kept on upgrade, the new one saved as .apk-new', async () => {
    const root = tempDir('apk-root-');
    const v1 = await buildRepo(tempDir('apk-conf1-'), [{ name: 'conf', version: '1.0-r0', files: { 'etc/conf.conf': 'a=1\n', 'etc/other.conf': 'b=1\n' } }]);
    const v2 = await buildRepo(tempDir('apk-conf2-'), [{ name: 'conf', version: '2.0-r0', files: { 'etc/conf.conf': 'a=2\n', 'etc/other.conf': 'b=2\n' } }]);
    await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', v1, 'add', 'conf']);
    fs.writeFileSync(path.join(root, 'etc/conf.conf'), 'a=mine\n');
    const r = await run(['apk', '--root', root, '--keys-dir', keys, '-X', v2, 'upgrade']);
    expect(r.stdout).toBe('(1/1) Upgrading conf (1.0-r0 -> 2.0-r0)\nOK: 0 MiB in 1 packages\n');
    expect(read(root, 'etc/conf.conf')).toBe('a=mine\n');
    expect(read(root, 'etc/conf.conf.apk-new')).toBe('a=2\n');
    expect(read(root, 'etc/other.conf')).toBe('b=2\n');
  });
});

describe('one package in two repositories', () => {
  it('is one package, available from both', async () => {
    const copy = tempDir('apk-copy-');
    fs.cpSync(repo, copy, { recursive: true });
    const root = tempDir('apk-root-');
    const base = ['apk', '--root', root, '--keys-dir', keys, '-X', repo, '-X', copy, '--no-progress'];
    await run([...base, '--initdb', 'add', 'hello']);
    expect((await run([...base, 'policy', 'hello'])).stdout).toBe(`hello policy:\n  1.0-r0:\n    lib/apk/db/installed\n    ${repo}\n    ${copy}\n`);
    expect((await run([...base, 'search', '-x', 'hello'])).stdout).toBe('hello-1.0-r0\n');
    expect((await run([...base, 'upgrade'])).stdout).toBe('OK: 0 MiB in 1 packages\n');
  });
});

describe('del of something still needed', () => {
  it('updates world and says what keeps the package', async () => {
    const root = tempDir('apk-root-');
    await apk(root, '--initdb', 'add', 'bar', 'foo');
    const r = await apk(root, 'del', 'foo');
    expect(r.stdout).toBe('World updated, but the following packages are not removed due to:\n  foo: bar\nOK: 0 MiB in 3 packages\n');
    expect(read(root, 'etc/apk/world')).toBe('bar\n');
  });
});

describe('a root that does not exist', () => {
  it('is refused without --initdb', async () => {
    const root = path.join(tempDir('apk-none-'), 'missing');
    expect(await apk(root, 'info')).toMatchObject({
      status: 99,
      stderr: 'ERROR: Unable to open root: No such file or directory\nERROR: Failed to open apk database: No such file or directory\n',
    });
    expect(fs.existsSync(root)).toBe(false);
  });
});

describe('upgrade', () => {
  it('upgrades an installed apk-tools first, in its own transaction', async () => {
    const root = tempDir('apk-root-');
    const r1 = await buildRepo(tempDir('apk-self1-'), [
      { name: 'apk-tools', version: '2.14.0-r0', files: { 'sbin/apk.txt': '1\n' } },
      { name: 'app', version: '1.0-r0' },
    ]);
    const r2 = await buildRepo(tempDir('apk-self2-'), [
      { name: 'apk-tools', version: '2.14.10-r0', files: { 'sbin/apk.txt': '2\n' } },
      { name: 'app', version: '1.1-r0' },
    ]);
    await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', r1, 'add', 'apk-tools', 'app']);
    const r = await run(['apk', '--root', root, '--keys-dir', keys, '-X', r2, 'upgrade']);
    expect(r.stdout).toBe(
      'Upgrading critical system libraries and apk-tools:\n(1/1) Upgrading apk-tools (2.14.0-r0 -> 2.14.10-r0)\nContinuing the upgrade transaction with new apk-tools:\n(1/1) Upgrading app (1.0-r0 -> 1.1-r0)\nOK: 0 MiB in 2 packages\n',
    );
  });
});
