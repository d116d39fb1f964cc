// Throwaway OpenRC systems for tests: a root directory with init scripts, runlevels and the state
// directory as `openrc sysinit` leaves it, whose userland is either the built toolbox or OpenRC
// 0.45.2's own binaries (Debian's packages, fetched with `apt-get download` and unpacked with
// `dpkg -x`, never installed). Commands run chrooted into it, inside a private PID and mount
// namespace (unshare), so /etc/init.d and /run/openrc are the test's own and every process a test
// starts ends with the namespace. Before that, whatever is still running is stopped by its PID.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBinary } from './binary.js';
import { tempDir } from './run.js';

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Root, with unshare, chroot and ldd: what every test here needs. */
export const canIsolate = process.getuid?.() === 0 && have('unshare') && have('chroot') && have('ldd');

const CACHE = path.resolve('node_modules/.cache/openrc-reference');
const REFERENCE_VERSION = '0.45.2';

/** OpenRC 0.45.2's files, unpacked from Debian's packages (fetched once into the build cache).
 *  undefined when they cannot be had (no apt, no network, another version): differential tests
 *  skip, except in CI. */
export function openrcReference(): string | undefined {
  const root = path.join(CACHE, 'root');
  if (fs.existsSync(path.join(root, 'sbin/openrc-run'))) return root;
  if (!canIsolate || !have('apt-get') || !have('dpkg-deb')) return missing('apt-get and dpkg are needed');
  const debs = path.join(CACHE, 'debs');
  fs.rmSync(CACHE, { recursive: true, force: true });
  fs.mkdirSync(debs, { recursive: true });
  const got = spawnSync('apt-get', ['download', 'openrc', 'librc1', 'libeinfo1'], { cwd: debs, encoding: 'utf8', timeout: 120_000 });
  if (got.status !== 0) return missing(`apt-get download failed: ${got.stderr}`);
  for (const deb of fs.readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
    const version = spawnSync('dpkg-deb', ['-f', path.join(debs, deb), 'Version'], { encoding: 'utf8' }).stdout.trim();
    if (!version.startsWith(REFERENCE_VERSION)) return missing(`${deb} is ${version}, not ${REFERENCE_VERSION}`);
    spawnSync('dpkg-deb', ['-x', path.join(debs, deb), root]);
  }
  return fs.existsSync(path.join(root, 'sbin/openrc-run')) ? root : missing('the packages hold no openrc-run');
}

function missing(why: string): undefined {
  if (process.env.CI) throw new Error(`OpenRC reference: ${why}`);
  return undefined;
}

/** Copy a program's shared libraries (and loader) into a root. */
function copyLibraries(root: string, program: string): void {
  const ldd = spawnSync('ldd', [program], { encoding: 'utf8' }).stdout;
  for (const lib of ldd.match(/\/\S+/g) ?? []) {
    if (!fs.existsSync(lib)) continue;
    const dest = path.join(root, lib);
    if (fs.existsSync(dest)) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(lib, dest);
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function linkOrCopy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
    fs.chmodSync(to, 0o755);
  }
}

export interface CommandResult {
  command: string;
  status: number;
  stdout: string;
  stderr: string;
}

export interface RcSystem {
  dir: string;
  /** Files to put into the root (relative paths; executable when the content starts with #!). */
  write(files: Record<string, string>): void;
  /** Run each command (a shell command line, run by the root's /bin/sh) in order, in one namespace
   *  session; state carries over from one to the next. `tty` runs each on a terminal (80 columns). */
  run(commands: readonly string[], opts?: { tty?: boolean; timeout?: number; env?: Record<string, string> }): CommandResult[];
}

export interface SystemOptions {
  /** Runlevel → services in it. */
  runlevels?: Record<string, string[]>;
  /** Init scripts (name → text) and other files (path → text). */
  files?: Record<string, string>;
  /** Leave out the state directory (the system was not booted by OpenRC). */
  unbooted?: boolean;
  /** The init scripts Debian's openrc package ships (agetty, cgroups, savecache, rc, rcS), from the reference. */
  debianScripts?: boolean;
}

const LEVELS = ['sysinit', 'boot', 'default', 'nonetwork', 'shutdown'];
const SVCDIRS = ['starting', 'started', 'stopping', 'inactive', 'wasinactive', 'failed', 'hotplugged', 'scheduled', 'daemons', 'options', 'exclusive', 'tmp'];

function populate(root: string, opts: SystemOptions): void {
  // a temporary directory is private: the root of a system is not (daemons run as other users)
  fs.chmodSync(root, 0o755);
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'dev', 'tmp', 'run', 'var/run', 'root', 'etc/init.d', 'etc/conf.d', 'etc/insserv.conf.d', 'lib/rc']) {
    fs.mkdirSync(path.join(root, d), { recursive: true });
  }
  fs.chmodSync(path.join(root, 'tmp'), 0o1777);
  for (const level of LEVELS) fs.mkdirSync(path.join(root, 'etc/runlevels', level), { recursive: true });
  // Debian's OpenRC reads insserv's configuration; empty, it stays quiet
  fs.writeFileSync(path.join(root, 'etc/insserv.conf'), '');
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/:/bin/false\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n');
  if (!fs.existsSync(path.join(root, 'etc/rc.conf'))) fs.writeFileSync(path.join(root, 'etc/rc.conf'), '');
  spawnSync('mknod', ['-m', '666', path.join(root, 'dev/null'), 'c', '1', '3']);
  // a real program as the daemon of the tests (toolbox's own processes are all named node-MainThread)
  linkOrCopy('/usr/bin/sleep', path.join(root, 'usr/bin/sleep'));
  copyLibraries(root, '/usr/bin/sleep');
  if (!opts.unbooted) {
    for (const d of SVCDIRS) fs.mkdirSync(path.join(root, 'run/openrc', d), { recursive: true });
    fs.writeFileSync(path.join(root, 'run/openrc/softlevel'), 'default\n');
  }
  writeFiles(root, opts.files ?? {});
  for (const [level, services] of Object.entries(opts.runlevels ?? {})) {
    fs.mkdirSync(path.join(root, 'etc/runlevels', level), { recursive: true });
    for (const s of services) fs.symlinkSync(`/etc/init.d/${s}`, path.join(root, 'etc/runlevels', level, s));
  }
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name.includes('/') ? name : `etc/init.d/${name}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (text.startsWith('#!')) fs.chmodSync(file, 0o755);
  }
}

function system(root: string, shell: string): RcSystem {
  return {
    dir: root,
    write: (files) => writeFiles(root, files),
    run(commands, opts = {}) {
      const work = path.join(root, 'tmp/.rc-test');
      fs.rmSync(work, { recursive: true, force: true });
      fs.mkdirSync(work);
      commands.forEach((c, i) => fs.writeFileSync(path.join(work, `cmd.${i}`), `${c}\n`));
      // each command in a process of its own, as typed at a terminal (on one with `tty`: script
      // from util-linux, outside the root), stdin from /dev/null
      const inner = commands
        .map((_, i) =>
          opts.tty
            ? `TERM=xterm script -qec "stty cols 80 rows 24; chroot '${root}' ${shell} /tmp/.rc-test/cmd.${i}" /dev/null </dev/null >'${work}/out.${i}' 2>&1; echo $? > '${work}/status.${i}'`
            : `chroot '${root}' ${shell} /tmp/.rc-test/cmd.${i} </dev/null >'${work}/out.${i}' 2>'${work}/err.${i}'; echo $? > '${work}/status.${i}'`,
        )
        .join('\n');
      // PID 1 is a shell of the host that reaps every orphan (as init does) while the commands run;
      // afterwards it stops what is left, by pid
      const script = `mount -t proc proc '${root}/proc' || exit 99
( ${inner} ) &
wait $!
for p in $(ls /proc | grep '^[0-9]*$'); do [ "$p" != 1 ] && kill -TERM "$p" 2>/dev/null; done
sleep 0.2
for p in $(ls /proc | grep '^[0-9]*$'); do [ "$p" != 1 ] && kill -KILL "$p" 2>/dev/null; done
wait
`;
      const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', TZ: 'UTC', ...opts.env };
      const r = spawnSync('unshare', ['--fork', '--pid', '--mount', '--propagation', 'private', '/bin/sh', '-c', script], {
        env,
        encoding: 'latin1',
        timeout: opts.timeout ?? 60_000,
      });
      if (r.status === 99) throw new Error(`mounting /proc in ${root} failed: ${r.stderr}`);
      return commands.map((command, i) => {
        const read = (f: string) => {
          try {
            return fs.readFileSync(path.join(work, `${f}.${i}`), 'latin1');
          } catch {
            return '';
          }
        };
        const status = read('status').trim();
        return { command, status: status === '' ? -1 : Number(status), stdout: read('out'), stderr: opts.tty ? '' : read('err') };
      });
    },
  };
}

/** A system whose userland is the built toolbox (linked, with its libraries). */
export function toolboxSystem(opts: SystemOptions = {}): RcSystem {
  const bin = requireBinary();
  const root = tempDir('toolbox-openrc-');
  linkOrCopy(bin, path.join(root, 'bin/toolbox'));
  copyLibraries(root, bin);
  const list = spawnSync(bin, ['--list-full'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const entry of list) {
    const dest = path.join(root, entry);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (!fs.existsSync(dest)) fs.symlinkSync('/bin/toolbox', dest);
  }
  if (opts.debianScripts) copyDebianScripts(root);
  // the utilities toolbox does not have (yet) come from busybox, as in the reference system
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  if (busybox) {
    linkOrCopy(busybox, path.join(root, 'usr/libexec/busybox'));
    copyLibraries(root, busybox);
    for (const a of spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
      const taken = ['bin', 'sbin', 'usr/bin', 'usr/sbin'].some((d) => fs.existsSync(path.join(root, d, a)) || isLink(path.join(root, d, a)));
      if (!taken) fs.symlinkSync('/usr/libexec/busybox', path.join(root, 'bin', a));
    }
  }
  // a shell that runs every command as a process of its own, for tests of signals
  const dash = spawnSync('sh', ['-c', 'command -v dash'], { encoding: 'utf8' }).stdout.trim();
  if (dash) {
    linkOrCopy(dash, path.join(root, 'usr/libexec/dash'));
    copyLibraries(root, dash);
  }
  populate(root, opts);
  return system(root, '/bin/sh');
}

/** A system running OpenRC 0.45.2's binaries (dash as /bin/sh, busybox for the rest; Debian's
 *  package has no start-stop-daemon and no `service`: toolbox's and a link to rc-service stand in).
 *  undefined when the reference cannot be had. */
export function referenceSystem(opts: SystemOptions = {}): RcSystem | undefined {
  const ref = openrcReference();
  if (!ref || !have('dash') || !have('busybox')) return undefined;
  const root = tempDir('toolbox-openrc-ref-');
  fs.cpSync(ref, root, { recursive: true, verbatimSymlinks: true });
  if (!opts.debianScripts) {
    for (const s of ['agetty', 'cgroups', 'savecache', 'rc', 'rcS']) fs.rmSync(path.join(root, 'etc/init.d', s), { force: true });
    fs.rmSync(path.join(root, 'etc/runlevels'), { recursive: true, force: true });
    fs.writeFileSync(path.join(root, 'etc/rc.conf'), '');
  }
  const dash = spawnSync('sh', ['-c', 'command -v dash'], { encoding: 'utf8' }).stdout.trim();
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  linkOrCopy(dash, path.join(root, 'bin/sh'));
  copyLibraries(root, dash);
  linkOrCopy(busybox, path.join(root, 'bin/busybox'));
  copyLibraries(root, busybox);
  // librc and libeinfo came with the packages (ldd cannot find them outside the root)
  for (const program of ['sbin/openrc-run', 'sbin/supervise-daemon']) copyLibraries(root, path.join(ref, program));
  const bin = requireBinary();
  linkOrCopy(bin, path.join(root, 'sbin/toolbox'));
  copyLibraries(root, bin);
  fs.symlinkSync('toolbox', path.join(root, 'sbin/start-stop-daemon'));
  fs.symlinkSync('rc-service', path.join(root, 'sbin/service'));
  const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const a of applets) {
    if (a === 'start-stop-daemon') continue;
    const taken = ['bin', 'sbin', 'usr/bin', 'usr/sbin'].some((d) => fs.existsSync(path.join(root, d, a)));
    if (!taken) fs.symlinkSync('busybox', path.join(root, 'bin', a));
  }
  populate(root, opts);
  return system(root, '/bin/sh');
}

/** The init scripts and rc.conf that Debian's openrc package ships, into a toolbox root. */
function copyDebianScripts(root: string): void {
  const ref = openrcReference();
  if (!ref) return;
  for (const s of ['agetty', 'cgroups', 'savecache', 'rc', 'rcS']) linkOrCopy(path.join(ref, 'etc/init.d', s), path.join(root, 'etc/init.d', s));
  fs.copyFileSync(path.join(ref, 'etc/rc.conf'), path.join(root, 'etc/rc.conf'));
  fs.cpSync(path.join(ref, 'etc/runlevels'), path.join(root, 'etc/runlevels'), { recursive: true, verbatimSymlinks: true });
}

/** A root for in-process tests (TOOLBOX_OPENRC_ROOT): state directory, runlevels, scripts. Links
 *  point into the root, as state.ts expects there. */
export function fixtureRoot(opts: SystemOptions = {}): string {
  const root = tempDir('toolbox-openrc-fixture-');
  for (const level of LEVELS) fs.mkdirSync(path.join(root, 'etc/runlevels', level), { recursive: true });
  for (const d of ['etc/init.d', 'etc/conf.d', 'run']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/rc.conf'), '');
  if (!opts.unbooted) {
    for (const d of SVCDIRS) fs.mkdirSync(path.join(root, 'run/openrc', d), { recursive: true });
    fs.writeFileSync(path.join(root, 'run/openrc/softlevel'), 'default\n');
  }
  writeFiles(root, opts.files ?? {});
  for (const [level, services] of Object.entries(opts.runlevels ?? {})) {
    fs.mkdirSync(path.join(root, 'etc/runlevels', level), { recursive: true });
    for (const s of services) fs.symlinkSync(path.join(root, 'etc/init.d', s), path.join(root, 'etc/runlevels', level, s));
  }
  return root;
}

/** OpenRC's note that it rebuilt its cache: where it appears varies (the C tools buffer stdout). */
export function withoutCaching(text: string): string {
  return text.replace(/^ \* Caching service dependencies \.\.\. \[ ok \]\n/m, '').replace(/ \* Caching service dependencies\x1b\[K \.\.\.\r?\n\x1b\[A\x1b\[73C .*\r?\n/, '');
}

/** The services of the tests (those of the spec's transcripts, and an Alpine docker-shaped one). */
export const SERVICES: Record<string, string> = {
  sleeper: `#!/sbin/openrc-run
description="A background sleeper"
command=/usr/bin/sleep
command_args=1000
command_background=yes
pidfile=/run/sleeper.pid
`,
  withcmd: `#!/sbin/openrc-run
description="Has extra commands"
extra_commands="hello"
extra_started_commands="reload"
description_hello="Say hello"
depend() {
	after sleeper
}
start() {
	ebegin "Starting withcmd"
	eend 0
}
stop() {
	ebegin "Stopping withcmd"
	eend 0
}
hello() {
	einfo "Hello from withcmd (runlevel '$RC_RUNLEVEL')"
	ewarn "a warning line"
	eerror "an error line"
}
reload() {
	ebegin "Reloading withcmd"
	eend 0
}
`,
  dependent: `#!/sbin/openrc-run
depend() {
	need sleeper
}
start() {
	ebegin "Raising the flag for dependent"
	eend 0
}
stop() {
	ebegin "Lowering the flag for dependent"
	eend 0
}
`,
  failing: `#!/sbin/openrc-run
start() {
	ebegin "Starting failing"
	eend 1 "could not start, as designed"
}
`,
  docker: `#!/sbin/openrc-run
description="Docker-shaped daemon, supervised"
supervisor=supervise-daemon
command=/usr/bin/sleep
command_args=2000
pidfile=/run/docker.pid
respawn_delay=1
respawn_max=3
depend() {
	need net
	after firewall
}
`,
  netup: `#!/sbin/openrc-run
depend() {
	provide net
}
start() {
	ebegin "Bringing up the network"
	eend 0
}
stop() {
	ebegin "Bringing down the network"
	eend 0
}
`,
  firewall: `#!/sbin/openrc-run
start() {
	ebegin "Starting firewall"
	eend 0
}
`,
};
