// apk through the built executable: a symlink named apk in a throwaway rootfs, repositories served
// over loopback HTTP, packages installed into and removed from throwaway roots (--root).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, copyProgram, serveDir, shellRoot, signingKey, writeKeysDir } from '../applets/apk/builder.js';
import { corpusPath } from '../applets/apk/fixtures.js';
import { makeRootfs, requireBinary } from '../helpers/binary.js';
import { tempDir } from '../helpers/run.js';

requireBinary();
const rootfs = makeRootfs({ apk: 'sbin' });
const APK = path.join(rootfs, 'sbin/apk');

/** Run the built apk asynchronously (the loopback server lives in this process). */
function apk(args: string[], timeoutMs = 30_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(APK, args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' }, cwd: rootfs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('latin1').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const key = signingKey();
let keys: string;
let server: Awaited<ReturnType<typeof serveDir>>;

beforeAll(async () => {
  keys = writeKeysDir(key);
  const repo = await buildRepo(tempDir('apk-e2e-repo-'), [
    { name: 'libfoo', version: '1.0-r0', provides: ['so:libfoo.so.1=1'], files: { 'usr/lib/libfoo.so.1': 'lib\n' } },
    { name: 'foo', version: '1.0-r0', depends: ['so:libfoo.so.1'], files: { 'usr/bin/foo': { data: 'foo\n', mode: 0o755 } } },
    {
      name: 'greeter',
      version: '1.0-r0',
      files: { 'etc/greeting': 'hello\n' },
      scripts: { 'post-install': '#!/bin/sh\necho "installed $1" > /greeter.log\n' },
    },
  ]);
  server = await serveDir(repo);
});
afterAll(() => server?.close());

describe('apk (built executable)', () => {
  it('add, info, del over loopback HTTP into a fresh root', async () => {
    const root = tempDir('apk-e2e-root-');
    const base = ['--root', root, '--keys-dir', keys, '-X', server.url, '--no-progress'];
    const add = await apk([...base, '--initdb', 'add', 'foo']);
    expect(add).toEqual({
      status: 0,
      stdout: `fetch ${server.url}/x86_64/APKINDEX.tar.gz\n(1/2) Installing libfoo (1.0-r0)\n(2/2) Installing foo (1.0-r0)\nOK: 0 MiB in 2 packages\n`,
      stderr: '',
    });
    expect(fs.readFileSync(path.join(root, 'usr/bin/foo'), 'latin1')).toBe('foo\n');
    expect(await apk([...base, 'info'])).toEqual({ status: 0, stdout: 'foo\nlibfoo\n', stderr: '' });
    const del = await apk([...base, 'del', 'foo']);
    expect(del.stdout).toBe('(1/2) Purging foo (1.0-r0)\n(2/2) Purging libfoo (1.0-r0)\nOK: 0 MiB in 0 packages\n');
    expect(fs.existsSync(path.join(root, 'usr/bin/foo'))).toBe(false);
  });

  it('reports unsatisfiable requests with the problem count as status', async () => {
    const root = tempDir('apk-e2e-root-');
    const r = await apk(['--root', root, '--keys-dir', keys, '-X', server.url, '--initdb', 'add', 'nosuch']);
    expect(r.stderr).toBe('ERROR: unable to select packages:\n  nosuch (no such package):\n    required by: world[nosuch]\n');
    expect(r.status).toBe(1);
    expect(fs.readFileSync(path.join(root, 'etc/apk/world'), 'latin1')).toBe('');
  });

  it.skipIf(process.getuid?.() !== 0)('runs package scripts chrooted in the root', async () => {
    const root = tempDir('apk-e2e-root-');
    if (!shellRoot(root)) return;
    copyProgram(root, requireBinary(), 'bin/toolbox'); // our executable and its libraries inside the root
    const r = await apk(['--root', root, '--keys-dir', keys, '-X', server.url, '--initdb', '--no-progress', 'add', 'greeter']);
    expect(r.stdout).toBe(
      `fetch ${server.url}/x86_64/APKINDEX.tar.gz\n(1/1) Installing greeter (1.0-r0)\nExecuting greeter-1.0-r0.post-install\nOK: 0 MiB in 1 packages\n`,
    );
    expect(fs.readFileSync(path.join(root, 'greeter.log'), 'latin1')).toBe('installed 1.0-r0\n');
  });

  const index = corpusPath('v3.16-main-x86_64-APKINDEX.tar.gz');
  it.skipIf(!index)('solves alpine-base on the real v3.16 index (-s)', async () => {
    const repo = tempDir('apk-e2e-316-');
    fs.mkdirSync(path.join(repo, 'x86_64'));
    fs.copyFileSync(index!, path.join(repo, 'x86_64/APKINDEX.tar.gz'));
    const r = await apk(['--root', tempDir('apk-e2e-root-'), '--initdb', '--keys-dir', corpusPath('keys')!, '-X', repo, '-s', 'add', 'alpine-base']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\(1\/21\) Installing alpine-baselayout-data \(3\.2\.0-r23\)\n[^]*\(21\/21\) Installing alpine-base \(3\.16\.3-r0\)\nOK: 8 MiB in 21 packages\n$/);
  });

  it('--version and usage', async () => {
    expect(await apk(['--version'])).toEqual({ status: 0, stdout: 'apk-tools 2.14.10, compiled for x86_64.\n', stderr: '' });
    const r = await apk(['nosuchcommand']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^apk-tools 2\.14\.10, compiled for x86_64\.\n\nusage: apk /);
  });
});
