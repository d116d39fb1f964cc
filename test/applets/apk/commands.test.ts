// apk's query and maintenance commands as apk-tools 2.14 prints them (list, search, version, fetch,
// stats, dot, audit, fix), and what an install does that apk does: protected paths by mode,
// extended attributes, refused members, failing pre-install scripts.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../../helpers/run.js';
import { buildPackage, buildRepo, type PackageSpec, signingKey, writeKeysDir } from './builder.js';

const hasSetfattr = spawnSync('sh', ['-c', 'command -v setfattr && command -v getfattr'], { stdio: 'ignore' }).status === 0;
let keys: string;
let repo: string;

const pkgs: PackageSpec[] = [
  { name: 'libfoo', version: '1.0-r0', origin: 'foo', files: { 'usr/lib/libfoo.so.1': 'libfoo\n' }, provides: ['so:libfoo.so.1=1'] },
  {
    name: 'foo',
    version: '1.0-r0',
    depends: ['so:libfoo.so.1'],
    files: { 'usr/bin/foo': { data: 'foo\n', mode: 0o755 }, 'etc/foo.conf': 'a=1\n', 'etc/init.d/foo': { data: '#!/sbin/openrc-run\n', mode: 0o755 } },
  },
  { name: 'foo', version: '1.1-r0', depends: ['so:libfoo.so.1'], files: { 'usr/bin/foo': { data: 'foo11\n', mode: 0o755 } } },
  { name: 'bar', version: '2.0-r0', depends: ['foo', 'missing'], files: { 'usr/bin/bar': 'bar\n' } },
  { name: 'xa', version: '1.0-r0', files: { 'usr/share/xa/f': { data: 'x\n', xattrs: { 'user.mime': 'text/plain' } } } },
];

beforeAll(async () => {
  keys = writeKeysDir(signingKey());
  repo = await buildRepo(tempDir('apk-cmd-repo-'), pkgs);
});

/** A root with foo 1.0 (and libfoo) and xa installed. */
async function installedRoot(env?: Record<string, string>) {
  const root = tempDir('apk-cmd-root-');
  const apk = (...a: string[]) => run(['apk', '--root', root, '--keys-dir', keys, '-X', repo, '--no-progress', ...a], { env });
  const r = await apk('--initdb', 'add', 'foo=1.0-r0', 'xa');
  return { root, apk, add: r };
}

describe('query commands', () => {
  it('list: every version, origins (-o), dependents (-d), upgradable (-u), --manifest', async () => {
    const { apk } = await installedRoot();
    expect((await apk('list')).stdout).toBe(
      [
        'bar-2.0-r0 x86_64 {bar} (MIT)',
        'foo-1.0-r0 x86_64 {foo} (MIT) [installed]',
        'foo-1.1-r0 x86_64 {foo} (MIT) [upgradable from: foo-1.0-r0]',
        'libfoo-1.0-r0 x86_64 {foo} (MIT) [installed]',
        'xa-1.0-r0 x86_64 {xa} (MIT) [installed]',
        '',
      ].join('\n'),
    );
    expect((await apk('list', '-o', 'foo')).stdout).toBe(
      'foo-1.0-r0 x86_64 {foo} (MIT) [installed]\nfoo-1.1-r0 x86_64 {foo} (MIT) [upgradable from: foo-1.0-r0]\nlibfoo-1.0-r0 x86_64 {foo} (MIT) [installed]\n',
    );
    expect((await apk('list', '-d', 'foo')).stdout).toBe('bar-2.0-r0 x86_64 {bar} (MIT)\n');
    expect((await apk('list', '-u')).stdout).toBe('foo-1.1-r0 x86_64 {foo} (MIT) [upgradable from: foo-1.0-r0]\n');
    expect((await apk('list', '--manifest')).stdout).toBe('foo 1.0-r0\nlibfoo 1.0-r0\nxa 1.0-r0\n');
    expect((await apk('list', '-v', 'bar')).stdout).toBe('bar-2.0-r0 x86_64 {bar} (MIT)\n  bar test package\n\n');
  });

  it('search: names and provided names, the newest of each unless -a; -r what requires them', async () => {
    const { apk } = await installedRoot();
    expect((await apk('search', 'foo')).stdout).toBe('foo-1.1-r0\nlibfoo-1.0-r0\n');
    expect((await apk('search', '-a', 'foo')).stdout).toBe('foo-1.0-r0\nfoo-1.1-r0\nlibfoo-1.0-r0\n');
    expect((await apk('search', 'so:lib*')).stdout).toBe('libfoo-1.0-r0\n');
    expect((await apk('search', '-q', 'FOO')).stdout).toBe('foo\nlibfoo\n');
    expect((await apk('search', '-o', 'libfoo')).stdout).toBe('foo-1.0-r0\n');
    expect((await apk('search', '-d', 'xa test')).stdout).toBe('xa-1.0-r0\n');
    expect((await apk('search', '-r', 'foo')).stdout).toBe(
      'foo-1.1-r0 is required by:\nbar-2.0-r0\nlibfoo-1.0-r0 is required by:\nfoo-1.0-r0\nfoo-1.1-r0\n',
    );
  });

  it('version: only `<` rows by default; -l "" every row, the installed version when nothing is newer', async () => {
    const { apk } = await installedRoot();
    const head = `${'Installed:'.padEnd(39)}   Available:\n`;
    expect((await apk('version')).stdout).toBe(`${head}${'foo-1.0-r0'.padEnd(39)} < 1.1-r0 \n`);
    expect((await apk('version', '-l', '')).stdout).toBe(
      `${head}${'foo-1.0-r0'.padEnd(39)} < 1.1-r0 \n${'libfoo-1.0-r0'.padEnd(39)} = 1.0-r0 \n${'xa-1.0-r0'.padEnd(39)} = 1.0-r0 \n`,
    );
    expect((await apk('version', '-a', '-l', '=')).stdout).toBe(`${head}${'libfoo-1.0-r0'.padEnd(39)} = 1.0-r0 \n${'xa-1.0-r0'.padEnd(39)} = 1.0-r0 \n`);
    // quiet: the names only, and every row (the `<` default is for verbosity 1 alone)
    expect((await apk('version', '-q')).stdout).toBe('foo\nlibfoo\nxa\n');
    expect((await apk('version', '-q', '-l', '<')).stdout).toBe('foo\n');
  });

  it('stats: the counts apk keeps', async () => {
    const { apk } = await installedRoot();
    // 8 dirs: etc, etc/init.d, usr, usr/bin, usr/lib, usr/share, usr/share/xa and the root; atoms:
    // x86_64 1.0-r0 1.1-r0 2.0-r0 MIT foo bar xa 1 (so:libfoo.so.1=1), and three ownership
    // records (root 0755, root 0644, xa's file with its xattr digest)
    expect((await apk('stats')).stdout).toBe(
      'installed:\n  packages: 3\n  dirs: 8\n  files: 5\n  bytes: 36\n  triggers: 0\navailable:\n  names: 6\n  packages: 5\natoms:\n  num: 12\n',
    );
  });

  it('dot: depth first, edges after what they lead to, missing names in red; --errors; --installed', async () => {
    const { apk } = await installedRoot();
    const head = 'digraph "apkindex" {\n  rankdir=LR;\n  node [shape=box];\n';
    expect((await apk('dot', 'bar')).stdout).toBe(
      `${head}  "foo-1.0-r0" -> "libfoo-1.0-r0"[arrowhead=inv,label="so:libfoo.so.1",];\n  "bar-2.0-r0" -> "foo-1.0-r0"[];\n` +
        '  "foo-1.1-r0" -> "libfoo-1.0-r0"[arrowhead=inv,label="so:libfoo.so.1",];\n  "bar-2.0-r0" -> "foo-1.1-r0"[];\n' +
        '  "missing" [style=dashed, color=red, fontcolor=red, shape=octagon];\n  "bar-2.0-r0" -> "missing" [color=red];\n}\n',
    );
    expect((await apk('dot', '--errors', 'bar')).stdout).toBe(
      `${head}  "missing" [style=dashed, color=red, fontcolor=red, shape=octagon];\n  "bar-2.0-r0" -> "missing" [color=red];\n}\n`,
    );
    expect((await apk('dot', '--installed')).stdout).toBe(`${head}  "foo-1.0-r0" -> "libfoo-1.0-r0"[arrowhead=inv,label="so:libfoo.so.1",];\n}\n`);
    expect(await apk('dot', '--errors', 'xa')).toMatchObject({ status: 1, stdout: '', stderr: '' });
  });

  it('fetch: --url, -R through the solver, --world, files of the right size kept, --purge', async () => {
    const { apk } = await installedRoot();
    const out = tempDir('apk-cmd-fetch-');
    expect((await apk('fetch', '--url', '-o', out, 'xa')).stdout).toBe(`${repo}/x86_64/xa-1.0-r0.apk\n`);
    expect(fs.readdirSync(out)).toEqual(['xa-1.0-r0.apk']);
    // already there with the right size: nothing to do
    expect((await apk('fetch', '-o', out, 'xa')).stdout).toBe('');
    fs.writeFileSync(path.join(out, 'old-0.1-r0.apk'), 'x');
    fs.writeFileSync(path.join(out, 'README'), 'x');
    const r = await apk('fetch', '--world', '--purge', '-o', out);
    expect(r.stdout.split('\n').sort()).toEqual(['', 'Downloading foo-1.0-r0', 'Downloading libfoo-1.0-r0', 'Purging old-0.1-r0.apk']);
    expect(fs.readdirSync(out).sort()).toEqual(['README', 'foo-1.0-r0.apk', 'libfoo-1.0-r0.apk', 'xa-1.0-r0.apk']);
    expect(await apk('fetch', 'nosuch')).toMatchObject({ stdout: 'nosuch: unable to select package (or its dependencies)\n', status: 1 });
    expect((await apk('fetch', '-R', '--simulate', 'nosuch')).status).toBe(2); // apk counts it twice
    expect((await apk('fetch', 'coffee')).stdout).toBe('Go and fetch your own coffee.\n');
    expect((await apk('fetch', '--force', 'coffee')).stdout).toContain('(-------)');
    const missingDir = path.join(out, 'nodir');
    expect(await apk('fetch', '-o', missingDir, 'xa')).toMatchObject({
      status: 1,
      stdout: 'Downloading xa-1.0-r0\n',
      stderr: 'ERROR: xa-1.0-r0: Bad file descriptor\n',
    });
  });

  it('audit: protected paths by mode (--backup), owned files (--system), permissions, packages', async () => {
    const { root, apk } = await installedRoot();
    fs.mkdirSync(path.join(root, 'etc/apk/protected_paths.d'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/apk/protected_paths.d/test.list'), '-etc/skip\n!etc/all\n');
    for (const d of ['etc/skip', 'etc/all']) fs.mkdirSync(path.join(root, d));
    fs.writeFileSync(path.join(root, 'etc/skip/x'), 'x');
    fs.writeFileSync(path.join(root, 'etc/all/y'), 'y');
    fs.writeFileSync(path.join(root, 'etc/foo.conf'), 'changed\n');
    fs.writeFileSync(path.join(root, 'etc/new.conf'), 'new\n');
    fs.writeFileSync(path.join(root, 'etc/init.d/local'), 'x');
    fs.symlinkSync('foo', path.join(root, 'etc/init.d/link'));
    fs.rmSync(path.join(root, 'usr/bin/foo'));
    fs.chmodSync(path.join(root, 'usr/lib/libfoo.so.1'), 0o600);
    // etc/init.d (@) shows only links; etc/apk and etc/all (!) every file; etc/skip (-) nothing,
    // not even itself (apk treats an ignored directory as an unprotected one)
    expect((await apk('audit')).stdout).toBe('D etc/all/\nD etc/apk/\nU etc/foo.conf\nA etc/init.d/link\nA etc/new.conf\n');
    expect((await apk('audit', '-r')).stdout).toBe(
      'd etc/all/\nA etc/all/y\nd etc/apk/\nA etc/apk/arch\nd etc/apk/protected_paths.d/\nA etc/apk/protected_paths.d/test.list\nA etc/apk/world\nU etc/foo.conf\nA etc/init.d/link\nA etc/new.conf\n',
    );
    expect((await apk('audit', '--system')).stdout).toBe('X usr/bin/foo\n');
    expect((await apk('audit', '--system', '--check-permissions')).stdout).toBe('M usr/lib/libfoo.so.1\nX usr/bin/foo\n');
    expect((await apk('audit', '--system', '--packages')).stdout).toBe('foo-1.0-r0\n');
    expect((await apk('audit', '-q', 'etc')).stderr).toBe('WARNING: etc: relative path skipped.\n');
  });
});

describe('install', () => {
  it.skipIf(!hasSetfattr)('sets extended attributes (setfattr) and records their digest', async () => {
    const { root, add } = await installedRoot();
    expect(add.stderr).toBe('');
    expect(execFileSync('getfattr', ['--only-values', '-n', 'user.mime', path.join(root, 'usr/share/xa/f')], { encoding: 'latin1' })).toBe('text/plain');
    // apk's digest: SHA-1 over the sorted attributes, each length-prefixed name and value
    expect(fs.readFileSync(path.join(root, 'lib/apk/db/installed'), 'latin1')).toContain('R:f\na:0:0:644:Q1bCKvTey6TWCUZkxwgyKKrGo434c=\n');
  });

  it('without setfattr: a warning once, the package flagged (f:x), and fix -x retries it', async () => {
    const { root, add, apk } = await installedRoot({ PATH: '/nonexistent' });
    expect(add.stderr).toBe('WARNING: setfattr not found: extended attributes are not set (install the attr package)\n');
    expect(fs.readFileSync(path.join(root, 'lib/apk/db/installed'), 'latin1')).toMatch(/P:xa\n[^]*f:x\n/);
    expect((await apk('fix')).stdout).toBe('OK: 0 MiB in 3 packages\n');
    expect((await apk('fix', '-x')).stdout).toBe('(1/1) Reinstalling xa (1.0-r0)\nOK: 0 MiB in 3 packages\n');
  });

  it('refuses files whose directory has no entry (no dirent in archive) and flags the package', async () => {
    const r2 = await buildRepo(tempDir('apk-cmd-nodir-'), [{ name: 'nodir', version: '1.0-r0', omitDirs: ['usr/share/nodir'], files: { 'usr/share/nodir/f': 'x\n' } }]);
    const root = tempDir('apk-cmd-root-');
    const r = await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', r2, '--no-progress', 'add', 'nodir']);
    expect(r).toMatchObject({ status: 1, stderr: 'ERROR: nodir-1.0-r0: usr/share/nodir/f: no dirent in archive\n' });
    expect(r.stdout).toBe('(1/1) Installing nodir (1.0-r0)\n1 error; 0 MiB in 1 packages\n');
    expect(fs.existsSync(path.join(root, 'usr/share/nodir/f'))).toBe(false);
    expect(fs.readFileSync(path.join(root, 'lib/apk/db/installed'), 'latin1')).toContain('f:f\n');
  });

  it('keeps changed files in protected directories of every mode (+ @ !), replaces them in - ones', async () => {
    const v1 = (v: string): PackageSpec => ({
      name: 'cfg',
      version: v,
      files: { 'etc/cfg.conf': `${v}\n`, 'etc/init.d/cfg': `${v}\n`, 'etc/apk/cfg': `${v}\n`, 'etc/plain/cfg': `${v}\n` },
    });
    const ra = await buildRepo(tempDir('apk-cmd-p1-'), [v1('1.0-r0')]);
    const rb = await buildRepo(tempDir('apk-cmd-p2-'), [v1('2.0-r0')]);
    const root = tempDir('apk-cmd-root-');
    const base = ['apk', '--root', root, '--keys-dir', keys, '--no-progress'];
    await run([...base, '--initdb', '-X', ra, 'add', 'cfg']);
    fs.mkdirSync(path.join(root, 'etc/apk/protected_paths.d'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/apk/protected_paths.d/plain.list'), '-etc/plain\n');
    for (const f of ['etc/cfg.conf', 'etc/init.d/cfg', 'etc/apk/cfg', 'etc/plain/cfg']) fs.writeFileSync(path.join(root, f), 'mine\n');
    expect((await run([...base, '-X', rb, 'upgrade'])).stdout).toBe('(1/1) Upgrading cfg (1.0-r0 -> 2.0-r0)\nOK: 0 MiB in 1 packages\n');
    for (const f of ['etc/cfg.conf', 'etc/init.d/cfg', 'etc/apk/cfg']) {
      expect(fs.readFileSync(path.join(root, f), 'latin1')).toBe('mine\n');
      expect(fs.readFileSync(path.join(root, `${f}.apk-new`), 'latin1')).toBe('2.0-r0\n');
    }
    expect(fs.readFileSync(path.join(root, 'etc/plain/cfg'), 'latin1')).toBe('2.0-r0\n');
    expect(fs.existsSync(path.join(root, 'etc/plain/cfg.apk-new'))).toBe(false);
  });

  it('a failing pre-install script flags the package and the install goes on (apk-tools 2)', async () => {
    if (process.getuid?.() !== 0) return;
    const r2 = await buildRepo(tempDir('apk-cmd-pre-'), [
      { name: 'pre', version: '1.0-r0', files: { 'usr/share/pre/f': 'x\n' }, scripts: { 'pre-install': '#!/bin/sh\nexit 2\n' } },
    ]);
    const root = tempDir('apk-cmd-root-');
    const { shellRoot } = await import('./builder.js');
    if (!shellRoot(root)) return;
    const r = await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '-X', r2, '--no-progress', 'add', 'pre']);
    expect(r.stderr).toBe('ERROR: pre-1.0-r0.pre-install: script exited with error 2\n');
    expect(r.stdout).toBe('(1/1) Installing pre (1.0-r0)\nExecuting pre-1.0-r0.pre-install\n1 error; 0 MiB in 1 packages\n');
    expect(fs.readFileSync(path.join(root, 'usr/share/pre/f'), 'latin1')).toBe('x\n');
    expect(fs.readFileSync(path.join(root, 'lib/apk/db/installed'), 'latin1')).toContain('f:s\n');
  });

  it('a local .apk is read in place, not loaded whole', async () => {
    const file = path.join(tempDir('apk-cmd-local-'), 'local-1.0-r0.apk');
    fs.writeFileSync(file, buildPackage({ name: 'local', version: '1.0-r0', files: { 'usr/share/local/f': 'l\n' } }));
    const root = tempDir('apk-cmd-root-');
    const r = await run(['apk', '--root', root, '--initdb', '--keys-dir', keys, '--no-progress', 'add', file]);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(root, 'usr/share/local/f'), 'latin1')).toBe('l\n');
  });
});
