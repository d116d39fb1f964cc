// Issue 8: OpenRC — a start/stop cycle of a background service and `rc-status -a`, toolbox's
// against OpenRC 0.45.2's own binaries (Debian's packages unpacked, as the tests use them) on the
// same scripts (the reference with dpkg's start-stop-daemon). Each system is a root of its own, run chrooted in a private mount and PID
// namespace (so /run/openrc and /proc are its own and nothing outlives a run); a third row times
// that wrapper alone, the floor both stand on.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SLEEPER = `#!/sbin/openrc-run
description="A background sleeper"
command=/usr/bin/sleep
command_args=1000
command_background=yes
pidfile=/run/sleeper.pid
`;
const FLAG = (name, deps) => `#!/sbin/openrc-run
depend() {
\t${deps}
}
start() {
\tebegin "Raising the flag for ${name}"
\teend 0
}
`;

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();

function libraries(root, program) {
  const ldd = spawnSync('ldd', [program], { encoding: 'utf8' }).stdout;
  for (const lib of ldd.match(/\/\S+/g) ?? []) {
    const dest = path.join(root, lib);
    if (!fs.existsSync(lib) || fs.existsSync(dest)) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(lib, dest);
  }
}

function link(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
    fs.chmodSync(to, 0o755);
  }
}

/** OpenRC 0.45.2 unpacked (the tests' cache, fetched with apt-get download when missing). */
function reference(env) {
  const cache = path.join(env.root, 'node_modules/.cache/openrc-reference');
  const root = path.join(cache, 'root');
  if (fs.existsSync(path.join(root, 'sbin/openrc-run'))) return root;
  if (!have('apt-get') || !have('dpkg-deb')) return undefined;
  const debs = path.join(cache, 'debs');
  fs.mkdirSync(debs, { recursive: true });
  if (spawnSync('apt-get', ['download', 'openrc', 'librc1', 'libeinfo1'], { cwd: debs, stdio: 'ignore' }).status !== 0) return undefined;
  for (const deb of fs.readdirSync(debs).filter((f) => f.endsWith('.deb'))) execFileSync('dpkg-deb', ['-x', path.join(debs, deb), root]);
  return fs.existsSync(path.join(root, 'sbin/openrc-run')) ? root : undefined;
}

/** The same services in a root: sleeper, twelve flag services needing it, all in default. */
function populate(root) {
  for (const d of ['proc', 'dev', 'tmp', 'run/openrc', 'etc/init.d', 'etc/conf.d', 'etc/insserv.conf.d', 'usr/bin']) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const l of ['sysinit', 'boot', 'default', 'nonetwork', 'shutdown']) fs.mkdirSync(path.join(root, 'etc/runlevels', l), { recursive: true });
  for (const d of ['starting', 'started', 'stopping', 'inactive', 'wasinactive', 'failed', 'hotplugged', 'scheduled', 'daemons', 'options', 'exclusive', 'tmp']) {
    fs.mkdirSync(path.join(root, 'run/openrc', d), { recursive: true });
  }
  fs.writeFileSync(path.join(root, 'run/openrc/softlevel'), 'default\n');
  fs.writeFileSync(path.join(root, 'etc/insserv.conf'), '');
  fs.writeFileSync(path.join(root, 'etc/rc.conf'), '');
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
  spawnSync('mknod', ['-m', '666', path.join(root, 'dev/null'), 'c', '1', '3']);
  link('/usr/bin/sleep', path.join(root, 'usr/bin/sleep'));
  libraries(root, '/usr/bin/sleep');
  const services = { sleeper: SLEEPER };
  for (let i = 1; i <= 12; i++) services[`flag${i}`] = FLAG(`flag${i}`, i % 2 ? 'need sleeper' : `after flag${i - 1}`);
  for (const [name, text] of Object.entries(services)) {
    fs.writeFileSync(path.join(root, 'etc/init.d', name), text, { mode: 0o755 });
    fs.symlinkSync(`/etc/init.d/${name}`, path.join(root, 'etc/runlevels/default', name));
  }
}

function oursRoot(env) {
  const root = path.join(env.work, 'openrc-ours');
  fs.rmSync(root, { recursive: true, force: true });
  const bin = path.join(env.root, 'dist/toolbox');
  link(bin, path.join(root, 'bin/toolbox'));
  libraries(root, bin);
  for (const entry of execFileSync(bin, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    fs.mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
    fs.symlinkSync('/bin/toolbox', path.join(root, entry));
  }
  populate(root);
  return root;
}

function referenceRoot(env, ref) {
  const root = path.join(env.work, 'openrc-ref');
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(ref, root, { recursive: true, verbatimSymlinks: true });
  for (const s of ['agetty', 'cgroups', 'savecache', 'rc', 'rcS']) fs.rmSync(path.join(root, 'etc/init.d', s), { force: true });
  fs.rmSync(path.join(root, 'etc/runlevels'), { recursive: true, force: true });
  link(which('dash'), path.join(root, 'bin/sh'));
  libraries(root, which('dash'));
  link(which('busybox'), path.join(root, 'bin/busybox'));
  libraries(root, which('busybox'));
  for (const p of ['sbin/openrc-run', 'sbin/supervise-daemon']) libraries(root, path.join(ref, p));
  // Debian's package has no start-stop-daemon of OpenRC's: dpkg's (C, the options openrc-run.sh
  // passes mean the same there) stands in, so that the reference runs no toolbox at all
  link('/sbin/start-stop-daemon', path.join(root, 'sbin/start-stop-daemon'));
  libraries(root, '/sbin/start-stop-daemon');
  for (const a of execFileSync(which('busybox'), ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    if (a === 'start-stop-daemon' || ['bin', 'sbin', 'usr/bin', 'usr/sbin'].some((d) => fs.existsSync(path.join(root, d, a)))) continue;
    fs.symlinkSync('busybox', path.join(root, 'bin', a));
  }
  populate(root);
  return root;
}

/** A command run chrooted in `root`, in private mount and PID namespaces. */
const inRoot = (root, command) => `unshare --fork --pid --mount --propagation private /bin/sh -c 'mount -t proc proc ${root}/proc && exec chroot ${root} /bin/sh -c "${command}"'`;

export function groups(env) {
  if (process.getuid?.() !== 0 || !['unshare', 'chroot', 'dash', 'busybox', '/sbin/start-stop-daemon'].every(have)) return [];
  const ref = reference(env);
  if (!ref) return [];
  let ours;
  let theirs;
  const setup = () => {
    ours ??= oursRoot(env);
    theirs ??= referenceRoot(env, ref);
  };
  const rows = (name, command) => ({
    name,
    reference: 'OpenRC 0.45.2',
    runs: 12,
    setup,
    commands: [
      { label: 'toolbox', cmd: inRoot(path.join(env.work, 'openrc-ours'), command), shell: true },
      { label: 'OpenRC 0.45.2', cmd: inRoot(path.join(env.work, 'openrc-ref'), command), shell: true },
      { label: 'namespace + chroot alone (floor)', cmd: inRoot(path.join(env.work, 'openrc-ref'), '/usr/bin/sleep 0'), shell: true },
    ],
  });
  return [
    // dpkg's start-stop-daemon returns before its child has become /usr/bin/sleep: a stop that comes
    // too soon finds no sleep to stop and fails, leaving the service started in the root (the PID
    // namespace ends the daemon). The zap on that path puts the state back for the next run.
    rows('openrc: start and stop a background service', 'rc-service sleeper start >/dev/null && rc-service sleeper stop >/dev/null || rc-service sleeper zap >/dev/null'),
    rows('openrc: rc-status -a (13 services)', 'rc-status -a >/dev/null'),
  ];
}
