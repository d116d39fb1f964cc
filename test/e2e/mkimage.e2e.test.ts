// mkimage through the built executable: every output format, checked with the tools that consume
// them (umoci, skopeo, podman with a private store), run in a chroot, and rebuilt byte for byte.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findApplet } from '../../src/registry.js';
import { buildRepo, serveDir, signingKey, writeKeysDir } from '../applets/apk/builder.js';
import { requireBinary } from '../helpers/binary.js';
import { hasTool } from '../helpers/reference.js';
import { tempDir } from '../helpers/run.js';

const bin = requireBinary();
const isRoot = process.getuid?.() === 0;
const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', SOURCE_DATE_EPOCH: '1700000000' };

function mkimage(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(bin, ['mkimage', ...args], { env: { ...ENV, ...env }, encoding: 'latin1', timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** mkimage run asynchronously, for when the test process serves its repository. */
function mkimageAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['mkimage', ...args], { env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('latin1').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const canIsolate = isRoot && hasTool('unshare') && hasTool('chroot');

/** A shell command chrooted into `root` inside private PID and mount namespaces with its own /proc:
 *  every daemon it starts ends with the namespace. */
function inNamespace(root: string, script: string) {
  const r = spawnSync('unshare', ['--fork', '--pid', '--mount', `--mount-proc=${path.join(root, 'proc')}`, 'chroot', root, '/bin/sh', '-c', script], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' },
    encoding: 'latin1',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inChroot(root: string, argv: string[]) {
  const r = spawnSync('chroot', [root, ...argv], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' }, encoding: 'latin1', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mkimage', () => {
  const work = tempDir('toolbox-mkimage-');

  it('writes a rootfs directory that runs in a chroot', () => {
    const root = path.join(work, 'root');
    expect(mkimage([root])).toEqual({ status: 0, stdout: '', stderr: '' });
    for (const f of ['bin/toolbox', 'etc/passwd', 'etc/group', 'etc/shadow', 'etc/hosts', 'etc/os-release', 'etc/profile']) {
      expect(fs.existsSync(path.join(root, f)), f).toBe(true);
    }
    expect(fs.readFileSync(path.join(root, 'etc/shadow'), 'latin1')).toMatch(/^root:\*:/);
    expect(fs.statSync(path.join(root, 'tmp')).mode & 0o7777).toBe(0o1777);
    for (const d of ['etc/init.d', 'etc/conf.d', 'etc/runlevels/sysinit', 'etc/runlevels/boot', 'etc/runlevels/default', 'etc/runlevels/shutdown', 'root', 'run', 'var', 'home', 'dev', 'proc', 'sys']) {
      expect(fs.statSync(path.join(root, d)).isDirectory(), d).toBe(true);
    }
    expect(fs.readdirSync(path.join(root, 'dev'))).toEqual([]);
    expect(fs.readlinkSync(path.join(root, 'bin/cat'))).toBe('/bin/toolbox');
    expect(fs.statSync(path.join(root, 'etc/passwd')).mtimeMs).toBe(1700000000 * 1000);
    if (!isRoot) return;
    expect(inChroot(root, ['/bin/cat', '/etc/os-release']).stdout).toMatch(/^NAME="toolbox"/);
    if (findApplet('sh') && findApplet('ls')) {
      const r = inChroot(root, ['/bin/sh', '-c', 'ls / | cat']);
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n')).toContain('etc');
    }
    if (findApplet('apk')) expect(inChroot(root, ['/sbin/apk', '--version']).stdout).toMatch(/^apk-tools /);
    // OpenRC's rc-service --list fails (status 1, no output) when there is no service at all
    if (findApplet('rc-service')) expect(inChroot(root, ['/sbin/rc-service', '--list'])).toMatchObject({ status: 1, stdout: '', stderr: '' });
    if (findApplet('rc-status')) expect(inChroot(root, ['/bin/rc-status', '--runlevel'])).toMatchObject({ status: 0, stdout: 'sysinit\n' });
  });

  it('refuses a non-empty target directory and bad options', () => {
    const dir = path.join(work, 'full');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'x'), '');
    expect(mkimage([dir])).toMatchObject({ status: 1, stderr: `mkimage: ${dir}: Directory not empty\n` });
    expect(mkimage(['-f', 'zip', path.join(work, 'z')])).toMatchObject({ status: 1 });
    expect(mkimage([]).stderr).toBe("mkimage: missing operand\nTry 'mkimage --help' for more information.\n");
  });

  it('writes a reproducible rootfs tarball', () => {
    const a = path.join(work, 'a.tar.gz');
    const b = path.join(work, 'b.tar.gz');
    expect(mkimage([ '-f', 'tar', a]).status).toBe(0);
    expect(mkimage([ '-f', 'tar', b]).status).toBe(0);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    const list = spawnSync('tar', ['-tvzf', a], { encoding: 'latin1' }).stdout;
    expect(list).toMatch(/^-rwxr-xr-x 0\/0 +\d+ 2023-11-14 22:13 bin\/toolbox$/m);
    expect(list).toMatch(/^lrwxrwxrwx 0\/0 +0 2023-11-14 22:13 bin\/cat -> \/bin\/toolbox$/m);
    expect(list).toMatch(/^drwxrwxrwt 0\/0 +0 2023-11-14 22:13 tmp\/$/m);
  });

  describe.skipIf(!hasTool('umoci') || !hasTool('skopeo'))('OCI image layout', () => {
    it('is read by skopeo and unpacked by umoci into a rootfs that runs, and rebuilds identically', () => {
      const oci = path.join(work, 'oci');
      const args = ['-f', 'oci', '-t', 'toolbox:1.0', '--cmd', '/bin/sh', '-e', 'LANG=C.UTF-8', '-w', '/root', '-l', 'org.example.x=y', oci];
      expect(mkimage(args)).toMatchObject({ status: 0, stderr: '' });
      const inspect = JSON.parse(spawnSync('skopeo', ['inspect', `oci:${oci}:1.0`], { encoding: 'utf8' }).stdout);
      expect(inspect).toMatchObject({ Architecture: 'amd64', Os: 'linux', Created: '2023-11-14T22:13:20Z', Labels: { 'org.example.x': 'y' } });
      expect(inspect.Env).toContain('LANG=C.UTF-8');
      const config = JSON.parse(spawnSync('skopeo', ['inspect', '--config', `oci:${oci}:1.0`], { encoding: 'utf8' }).stdout);
      expect(config.config).toMatchObject({ Cmd: ['/bin/sh'], WorkingDir: '/root' });
      const bundle = path.join(work, 'bundle');
      const unpack = spawnSync('umoci', ['unpack', '--image', `${oci}:1.0`, bundle], { encoding: 'utf8' });
      expect(unpack.status, unpack.stderr).toBe(0);
      if (isRoot) expect(inChroot(path.join(bundle, 'rootfs'), ['/bin/echo', 'ok']).stdout).toBe('ok\n');
      const again = path.join(work, 'oci2');
      expect(mkimage([...args.slice(0, -1), again]).status).toBe(0);
      expect(spawnSync('diff', ['-r', oci, again]).status).toBe(0);
    });
  });

  describe.skipIf(!hasTool('podman'))('docker-archive', () => {
    it('is loaded by podman (into a private store) and rebuilds identically', () => {
      const archive = path.join(work, 'image.tar');
      expect(mkimage(['-f', 'docker', '-t', 'example/toolbox:2', archive])).toMatchObject({ status: 0, stderr: '' });
      const store = path.join(work, 'store');
      // podman wants a run root path of at most 50 characters: a short one straight under /tmp
      const runRoot = fs.mkdtempSync('/tmp/podman-run-');
      const podman = (...a: string[]) =>
        spawnSync('podman', ['--root', `${store}/root`, '--runroot', runRoot, '--storage-driver', 'vfs', ...a], { encoding: 'utf8', timeout: 300_000 });
      let load;
      try {
        load = podman('load', '-i', archive);
      } finally {
        fs.rmSync(runRoot, { recursive: true, force: true });
      }
      expect(load.status, load.stderr).toBe(0);
      expect(load.stdout).toMatch(/Loaded image: .*example\/toolbox:2/);
      const again = path.join(work, 'image2.tar');
      expect(mkimage(['-f', 'docker', '-t', 'example/toolbox:2', again]).status).toBe(0);
      expect(fs.readFileSync(archive).equals(fs.readFileSync(again))).toBe(true);
    }, 600_000);
  });

  describe.skipIf(!findApplet('apk') || !findApplet('rc-service'))('packages and services', () => {
    const INIT_SCRIPT = [
      '#!/sbin/openrc-run',
      'description="a test daemon"',
      'command=/bin/sleep',
      'command_args=1000',
      'command_background=yes',
      'pidfile=/run/hellod.pid',
      '',
    ].join('\n');

    it('installs packages from a signed loopback repository; in the image, rc-update and service run them', async () => {
      const key = signingKey();
      const keyFile = path.join(writeKeysDir(key), key.name);
      const repo = await buildRepo(path.join(work, 'repo'), [
        { name: 'hellod', version: '1.0-r0', depends: ['hello-doc'], files: { 'etc/init.d/hellod': { data: INIT_SCRIPT, mode: 0o755 } } },
        { name: 'hello-doc', version: '1.0-r0', files: { 'usr/share/doc/hello/README': 'hello\n' } },
      ]);
      const server = await serveDir(repo);
      const root = path.join(work, 'with-packages');
      try {
        const r = await mkimageAsync(['-X', server.url, '-k', keyFile, '-p', 'hellod', root]);
        expect(r, r.stderr).toMatchObject({ status: 0, stderr: '' });
      } finally {
        await server.close();
      }
      expect(fs.readFileSync(path.join(root, 'etc/apk/world'), 'latin1')).toBe('hellod\n');
      expect(fs.readFileSync(path.join(root, 'etc/apk/repositories'), 'latin1')).toBe(`${server.url}\n`);
      expect(fs.readdirSync(path.join(root, 'etc/apk/keys'))).toEqual([key.name]);
      expect(fs.readFileSync(path.join(root, 'usr/share/doc/hello/README'), 'latin1')).toBe('hello\n');
      if (!canIsolate) return;
      expect(inChroot(root, ['/sbin/apk', 'info'])).toEqual({ status: 0, stdout: 'hello-doc\nhellod\n', stderr: '' });
      const session = inNamespace(
        root,
        [
          'openrc sysinit >/dev/null 2>&1',
          'rc-update add hellod default',
          'service hellod start',
          'service hellod status',
          'rc-service --list',
          'pid=$(cat /run/hellod.pid); [ -d /proc/$pid ] && echo running',
          'service hellod stop',
          'service hellod status; echo "status $?"',
        ].join('; '),
      );
      expect(session.stdout).toBe(
        [
          ' * service hellod added to runlevel default',
          ' * Starting hellod ... [ ok ]',
          ' * status: started',
          'hellod',
          'running',
          ' * Stopping hellod ... [ ok ]',
          ' * status: stopped',
          'status 3',
          '',
        ].join('\n'),
      );
      expect(session.status).toBe(0);
    }, 600_000);
  });
});
