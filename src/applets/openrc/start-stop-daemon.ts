// start-stop-daemon (OpenRC's): start a program as a daemon (in its own session, optionally in the
// background with a pidfile, as another user, in another directory, with its output in files or
// piped to a logger), or find processes by pidfile, executable, name or user and stop them by a
// signal schedule. Run by an init script (RC_SVCNAME set) it records the daemons it starts under
// daemons/NAME, which is how `status` tells a crashed service.
//
// It runs in the caller's process: the daemon is a spawned child in a session of its own, so it
// outlives us without anything of ours having to stay behind.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Writable } from 'node:stream';
import { defineApplet } from '../../core/applet.js';
import { fsPath, toUtf8 } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import type { Env } from '../../core/env.js';
import { errorCode, strerror } from '../../core/errors.js';
import { groupByGid, groupByName, userByName, userByUid } from '../../core/ids.js';
import { findInPath, spawnProgram } from '../../core/process.js';
import { type CliSpec, commonOption, declUsage, getoptLong, usageError, usageText, versionText } from './cli.js';
import { loadConf, rcSys } from './conf.js';
import { daemonSet, doStop, findPids, parseSchedule, parseSignal, readPidfile, runStopSchedule, ScheduleError, type StopIo } from './daemons.js';
import { Einfo, contextOut, yesno } from './einfo.js';
import { Rc } from './state.js';

const SPEC: CliSpec = {
  usage: 'Usage: start-stop-daemon [options] ',
  getopt: 'I:KN:PR:Sa:bc:d:e:g:ik:mn:op:s:tu:r:w:x:1:2:3:4:',
  longopts: [
    { name: 'capabilities', has: 1, help: 'Set the inheritable, ambient and bounding capabilities' },
    { name: 'secbits', has: 1, help: 'Set the security-bits for the program' },
    { name: 'no-new-privs', has: 0, help: 'Set the No New Privs flag for the program' },
    { name: 'ionice', letter: 'I', has: 1, help: 'Set an ionice class:data when starting' },
    { name: 'stop', letter: 'K', has: 0, help: 'Stop daemon' },
    { name: 'nicelevel', letter: 'N', has: 1, help: 'Set a nicelevel when starting' },
    { name: 'oom-score-adj', has: 1, help: 'Set OOM score adjustment when starting' },
    { name: 'retry', letter: 'R', has: 1, help: 'Retry schedule to use when stopping' },
    { name: 'start', letter: 'S', has: 0, help: 'Start daemon' },
    { name: 'startas', letter: 'a', has: 1, help: 'deprecated, use --exec or --name' },
    { name: 'background', letter: 'b', has: 0, help: 'Force daemon to background' },
    { name: 'chuid', letter: 'c', has: 1, help: 'deprecated, use --user' },
    { name: 'chdir', letter: 'd', has: 1, help: 'Change the PWD' },
    { name: 'env', letter: 'e', has: 1, help: 'Set an environment string' },
    { name: 'umask', letter: 'k', has: 1, help: 'Set the umask for the daemon' },
    { name: 'group', letter: 'g', has: 1, help: 'Change the process group' },
    { name: 'interpreted', letter: 'i', has: 0, help: 'Match process name by interpreter' },
    { name: 'make-pidfile', letter: 'm', has: 0, help: 'Create a pidfile' },
    { name: 'name', letter: 'n', has: 1, help: 'Match process name' },
    { name: 'oknodo', letter: 'o', has: 0, help: 'deprecated' },
    { name: 'pidfile', letter: 'p', has: 1, help: 'Match pid found in this file' },
    { name: 'signal', letter: 's', has: 1, help: 'Send a different signal' },
    { name: 'test', letter: 't', has: 0, help: "Test actions, don't do them" },
    { name: 'user', letter: 'u', has: 1, help: 'Change the process user' },
    { name: 'chroot', letter: 'r', has: 1, help: 'Chroot to this directory' },
    { name: 'wait', letter: 'w', has: 1, help: 'Milliseconds to wait for daemon start' },
    { name: 'exec', letter: 'x', has: 1, help: 'Binary to start/stop' },
    { name: 'stdout', letter: '1', has: 1, help: 'Redirect stdout to file' },
    { name: 'stderr', letter: '2', has: 1, help: 'Redirect stderr to file' },
    { name: 'stdout-logger', letter: '3', has: 1, help: 'Redirect stdout to process' },
    { name: 'stderr-logger', letter: '4', has: 1, help: 'Redirect stderr to process' },
    { name: 'progress', letter: 'P', has: 0, help: 'Print dots each second while waiting' },
  ],
};

/** Ends the applet with a status (eerrorx's exit). */
class Die {
  constructor(readonly status: number) {}
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The environment of the daemon: no RC_ variables but RC_SERVICE and RC_SVCNAME, no SSD_
 *  settings, and PATH without OpenRC's helper directories. */
export function daemonEnv(env: Env, libexecdir: string): Env {
  const out = env.child();
  for (const name of [...out.keys()]) {
    if ((name.startsWith('RC_') && name !== 'RC_SERVICE' && name !== 'RC_SVCNAME') || name === 'SSD_NICELEVEL' || name === 'SSD_IONICELEVEL' || name === 'SSD_OOM_SCORE_ADJ') out.delete(name);
  }
  const path = out.get('PATH');
  if (path !== undefined) {
    const drop = new Set(['/lib/rc/bin', '/lib/rc/sbin', `${libexecdir}/bin`, `${libexecdir}/sbin`]);
    out.set('PATH', path.split(':').filter((p) => p !== '' && !drop.has(p)).join(':'));
  }
  return out;
}

/** `user[:group]` by name or number: uid, gid and the user's passwd entry. */
export function parseUser(spec: string): { uid: number; gid: number; name: string; home?: string } | { error: string } {
  const [u, g] = spec.split(/:(.*)/s) as [string, string | undefined];
  const pw = /^\d+$/.test(u) ? userByUid(Number(u)) : userByName(u);
  if (!pw) return { error: `user \`${u}' not found` };
  let gid = pw.gid;
  if (g !== undefined) {
    const gr = /^\d+$/.test(g) ? groupByGid(Number(g)) : groupByName(g);
    if (!gr) return { error: `group \`${g}' not found` };
    gid = gr.gid;
  }
  return { uid: pw.uid, gid, name: pw.name, home: pw.home };
}

/** ~ and ~user at the start of a path. */
export function expandHome(home: string | undefined, path: string): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = path.slice(1, slash < 0 ? undefined : slash);
  const rest = slash < 0 ? '' : path.slice(slash);
  const dir = user ? userByName(user)?.home : home;
  return dir === undefined ? path : dir + rest;
}

/** An output file opened for appending (created 0660 for a daemon), as the daemon's descriptor. */
function openLog(file: string, mode: number): number {
  return fs.openSync(fsPath(file), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, mode);
}

/** A logger command for a daemon's output: `sh -c CMD` reading what the daemon writes. */
async function spawnLogger(command: string, env: Env): Promise<Writable> {
  const { spawn } = await import('node:child_process');
  const child = spawn('/bin/sh', ['-c', toUtf8(command)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true, env: env.toProcessEnv() });
  child.unref();
  return child.stdin!;
}

export default defineApplet({
  name: 'start-stop-daemon',
  ...declUsage(SPEC),
  async run(ctx) {
    try {
      return await startStop(ctx);
    } catch (err) {
      if (err instanceof Die) return err.status;
      throw err;
    }
  },
});

async function startStop(ctx: Ctx): Promise<number> {
  const env = ctx.env.child();
  const einfo = new Einfo(env, contextOut(ctx));
  const applet = ctx.name;
  const die = async (message: string): Promise<never> => {
    await einfo.eerror(message);
    throw new Die(1);
  };
  const svcname = env.get('RC_SVCNAME');
  const rc = Rc.of(env);

  let nicelevel: number | undefined;
  let oomScoreAdj: number | undefined;
  const ssdNice = env.get('SSD_NICELEVEL');
  if (ssdNice !== undefined) {
    if (/^\s*[+-]?\d+/.test(ssdNice)) nicelevel = parseInt(ssdNice, 10);
    else await einfo.eerror(`${applet}: invalid nice level \`${ssdNice}' (SSD_NICELEVEL)`);
  }
  const ssdOom = env.get('SSD_OOM_SCORE_ADJ');
  if (ssdOom !== undefined) {
    if (/^\s*[+-]?\d+/.test(ssdOom)) oomScoreAdj = parseInt(ssdOom, 10);
    else await einfo.eerror(`${applet}: invalid oom_score_adj \`${ssdOom}' (SSD_OOM_SCORE_ADJ)`);
  }
  let home = env.get('HOME');
  if (home === undefined || env.get('USER') === undefined) {
    const pw = userByUid(ctx.host.uid());
    if (pw) {
      if (env.get('USER') === undefined) env.set('USER', pw.name);
      if (home === undefined) {
        env.set('HOME', pw.home);
        home = pw.home;
      }
    }
  }

  let start = false;
  let stop = false;
  let oknodo = false;
  let test = false;
  let background = false;
  let makePidfile = false;
  let interpreted = false;
  let progress = false;
  let exec: string | undefined;
  let startas: string | undefined;
  let name: string | undefined;
  let pidfile: string | undefined;
  let retry: string | undefined;
  let sig = -1;
  let user: { uid: number; gid: number; name: string } | undefined;
  let gid: number | undefined;
  let chdir: string | undefined;
  let chroot: string | undefined;
  let umask = 0o022;
  let startWait = 0;
  let redirectStdout: string | undefined;
  let redirectStderr: string | undefined;
  let stdoutLogger: string | undefined;
  let stderrLogger: string | undefined;
  const operands: string[] = [];
  const quiet = { n: 0 };
  const args = ctx.operands;

  for (const item of getoptLong(args, SPEC, operands)) {
    if (item.kind === 'error') return usageError(ctx, applet, SPEC, item.message);
    const v = item.value ?? '';
    switch (item.key) {
      case 'capabilities':
      case 'secbits':
        await die('Capabilities support not enabled');
        break;
      case 'no-new-privs':
        break; // nothing to drop: the daemon is spawned without new privileges to gain
      case 'I':
        // I/O priorities need ioprio_set, which Node cannot reach: checked, not applied
        if (!/^\s*[+-]?\d/.test(v)) await die(`${applet}: invalid ionice \`${v}'`);
        break;
      case 'K':
        stop = true;
        break;
      case 'N':
        if (!/^\s*[+-]?\d+/.test(v)) await die(`${applet}: invalid nice level \`${v}'`);
        nicelevel = parseInt(v, 10);
        break;
      case 'oom-score-adj':
        if (!/^\s*[+-]?\d+/.test(v)) await die(`${applet}: invalid oom-score-adj \`${v}'`);
        oomScoreAdj = parseInt(v, 10);
        break;
      case 'P':
        progress = true;
        break;
      case 'R':
        retry = v;
        break;
      case 'S':
        start = true;
        break;
      case 'b':
        background = true;
        break;
      case 'c':
      case 'u': {
        if (item.key === 'c') await einfo.ewarn('WARNING: -c/--chuid is deprecated and will be removed in the future, please use -u/--user instead');
        const u = parseUser(v);
        if ('error' in u) await die(`${applet}: ${u.error}`);
        const parsed = u as { uid: number; gid: number; name: string; home?: string };
        user = parsed;
        home = parsed.home;
        if (parsed.home !== undefined) env.set('HOME', parsed.home);
        env.set('USER', parsed.name);
        if (gid === undefined || v.includes(':')) gid = parsed.gid;
        break;
      }
      case 'd':
        chdir = v;
        break;
      case 'e': {
        const eq = v.indexOf('=');
        if (eq > 0) env.set(v.slice(0, eq), v.slice(eq + 1));
        else env.delete(v);
        break;
      }
      case 'g': {
        const gr = /^\d+$/.test(v) ? groupByGid(Number(v)) : groupByName(v);
        if (!gr) await die(`${applet}: group \`${v}' not found`);
        gid = gr!.gid;
        break;
      }
      case 'i':
        interpreted = true;
        break;
      case 'k':
        if (!/^[0-7]+$/.test(v) || parseInt(v, 8) > 0o7777) await die(`${applet}: invalid mode \`${v}'`);
        umask = parseInt(v, 8);
        break;
      case 'm':
        makePidfile = true;
        break;
      case 'n':
        name = v;
        break;
      case 'o':
        await einfo.ewarn('WARNING: -o/--oknodo is deprecated and will be removed in the future');
        oknodo = true;
        break;
      case 'p':
        pidfile = v;
        break;
      case 's': {
        const n = parseSignal(v);
        if (n === undefined) await die(`${applet}: \`${v}' is not a valid signal`);
        sig = n!;
        break;
      }
      case 't':
        test = true;
        break;
      case 'r':
        chroot = v;
        break;
      case 'a':
        await einfo.ewarn('WARNING: -a/--startas is deprecated and will be removed in the future, please use -x/--exec or -n/--name instead');
        startas = v;
        break;
      case 'w':
        if (!/^\s*\+?\d+/.test(v)) await die(`${applet}: \`${v}' not a number`);
        startWait = parseInt(v, 10);
        break;
      case 'x':
        exec = v;
        break;
      case '1':
        redirectStdout = v;
        break;
      case '2':
        redirectStderr = v;
        break;
      case '3':
        stdoutLogger = v;
        break;
      case '4':
        stderrLogger = v;
        break;
      default: {
        const what = commonOption(item.key, env, args.length + 1, quiet);
        if (what === 'help') {
          await ctx.stdout.write(usageText(SPEC));
          return 0;
        }
        if (what === 'version') {
          await ctx.stdout.write(versionText(applet, rcSys(loadConf(rc))));
          return 0;
        }
      }
    }
  }

  // start-stop-daemon --signal HUP --exec ... sends a signal without stopping
  if (!start && !stop && sig !== 2 && sig !== 15 && sig !== 3 && sig !== 9) oknodo = true;

  if (exec === undefined) exec = startas;
  else if (name === undefined) name = startas;
  let argv = [...operands];
  if (exec === undefined) {
    exec = argv[0] ?? name;
    if (name !== undefined && start && argv.length) argv[0] = name;
  } else argv = [name ?? exec, ...argv];

  if (stop || sig !== -1) {
    if (sig === -1) sig = 15;
    if (argv.length === 0 && pidfile === undefined && name === undefined && !user) await die(`${applet}: --stop needs --exec, --pidfile, --name or --user`);
    if (background) await die(`${applet}: --background is only relevant with --start`);
    if (makePidfile) await die(`${applet}: --make-pidfile is only relevant with --start`);
    if (redirectStdout !== undefined || redirectStderr !== undefined) await die(`${applet}: --stdout and --stderr are only relevant with --start`);
    if (stdoutLogger !== undefined || stderrLogger !== undefined) await die(`${applet}: --stdout-logger and --stderr-logger are only relevant with --start`);
    if (startWait) await einfo.ewarn('using --wait with --stop has no effect, use --retry instead');
  } else {
    if (exec === undefined) await die(`${applet}: nothing to start`);
    if (makePidfile && pidfile === undefined) await die(`${applet}: --make-pidfile is only relevant with --pidfile`);
    if ((redirectStdout !== undefined || redirectStderr !== undefined) && !background) await die(`${applet}: --stdout and --stderr are only relevant with --background`);
    if ((stdoutLogger !== undefined || stderrLogger !== undefined) && !background) await die(`${applet}: --stdout-logger and --stderr-logger are only relevant with --background`);
    if (redirectStdout !== undefined && stdoutLogger !== undefined) await die(`${applet}: do not use --stdout and --stdout-logger together`);
    if (redirectStderr !== undefined && stderrLogger !== undefined) await die(`${applet}: do not use --stderr and --stderr-logger together`);
  }

  if (chdir !== undefined) chdir = expandHome(home, chdir);
  if (chroot !== undefined) chroot = expandHome(home, chroot);
  let execFile: string | undefined;
  if (exec !== undefined) {
    exec = expandHome(home, exec);
    if (exec.startsWith('/') || exec.startsWith('.')) execFile = chroot !== undefined ? `${chroot}/${exec}` : exec;
    else {
      for (const dir of (env.get('PATH') ?? '').split(':')) {
        const candidate = chroot !== undefined ? `${chroot}/${dir}/${exec}` : `${dir}/${exec}`;
        if (fs.existsSync(fsPath(candidate))) {
          execFile = candidate;
          break;
        }
      }
    }
  }
  if (start && (execFile === undefined || !fs.existsSync(fsPath(execFile)))) {
    await einfo.eerror(`${applet}: ${execFile ?? exec} does not exist`);
    return 1;
  }
  if (start && retry !== undefined) await einfo.ewarn('using --retry with --start has no effect, use --wait instead');

  // an interpreted daemon (a script) runs as its interpreter: match on that
  let margv = argv;
  if (interpreted && pidfile === undefined && execFile !== undefined) {
    const first = (() => {
      try {
        return fs.readFileSync(fsPath(execFile)).toString('latin1').split('\n')[0] ?? '';
      } catch {
        return '';
      }
    })();
    if (first.startsWith('#!')) {
      const [interp, ...rest] = first.slice(2).trim().split(' ');
      execFile = interp;
      margv = [interp!, ...(rest.length ? [rest.join(' ')] : []), ...argv];
    }
  }

  const stopIo: StopIo = {
    host: ctx.host,
    einfo: (t) => einfo.einfo(t),
    eerror: (t) => einfo.eerror(t),
    verbose: { begin: (t) => einfo.ebeginv(t), end: (s, t) => einfo.eendv(s, t), info: (t) => einfo.einfov(t) },
    progress: (t) => ctx.stdout.write(t),
    signal: ctx.signal,
  };

  if (stop || sig !== -1) {
    if (!stop) oknodo = true;
    let schedule;
    try {
      schedule = parseSchedule(retry ?? (test || oknodo ? '0' : undefined), sig, applet);
    } catch (err) {
      if (err instanceof ScheduleError) return die(err.message);
      throw err;
    }
    let pid = 0;
    if (pidfile !== undefined) {
      const read = readPidfile(pidfile);
      if ('pid' in read) pid = read.pid;
      else {
        if (read.error === 'open') await einfo.ewarnv(`${applet}: fopen \`${pidfile}': ${strerror(read.code ?? 'EIO')}`);
        else await einfo.ewarnv(`${applet}: no pid found in \`${pidfile}'`);
        if (read.error !== 'open' || read.code !== 'ENOENT') return 1;
        pid = -1;
      }
    }
    const killed = await runStopSchedule(applet, { exec, argv: margv.length ? margv : undefined, pid, uid: user?.uid, test, exclude: openrcPid(env) }, schedule, stopIo, progress);
    if (killed < 0) return 1;
    if (test || oknodo) return killed > 0 ? 0 : 1;
    if (pidfile !== undefined) fs.rmSync(fsPath(pidfile), { force: true });
    if (svcname) daemonSet(rc, svcname, exec, argv, pidfile, false);
    return 0;
  }

  // ---- start
  let running: number[];
  const pidRead = pidfile !== undefined ? readPidfile(pidfile) : undefined;
  if (pidRead && 'pid' in pidRead) running = findPids({ pid: pidRead.pid });
  else {
    if (pidRead && !('pid' in pidRead)) {
      if (pidRead.error === 'open') await einfo.ewarnv(`${applet}: fopen \`${pidfile}': ${strerror(pidRead.code ?? 'EIO')}`);
      else await einfo.ewarnv(`${applet}: no pid found in \`${pidfile}'`);
    }
    running = findPids({ exec, argv, uid: user?.uid, exclude: openrcPid(env) });
  }
  if (running.length) await die(`${applet}: ${exec} is already running`);

  if (test) {
    if (yesno(env.get('EINFO_QUIET'))) return 0;
    await einfo.einfon('Would start');
    await ctx.stdout.write(`${argv.map((a) => ` ${a}`).join('')}\n`);
    einfo.eindent();
    if (user && user.uid !== 0) await einfo.einfo(`as user id ${user.uid}`);
    if (gid) await einfo.einfo(`as group id ${gid}`);
    if (chroot !== undefined) await einfo.einfo(`in root \`${chroot}'`);
    if (chdir !== undefined) await einfo.einfo(`in dir \`${chdir}'`);
    if (nicelevel !== 0) await einfo.einfo(`with a priority of ${nicelevel ?? -2147483648}`);
    if (name !== undefined) await einfo.einfo(`with a process name of ${name}`);
    einfo.eoutdent();
    return 0;
  }

  await einfo.ebeginv(`Detaching to start \`${exec}'`);
  if (pidfile !== undefined) fs.rmSync(fsPath(pidfile), { force: true });

  const childEnv = daemonEnv(env, rc.libexecdir);
  const quietOut = yesno(env.get('EINFO_QUIET'));
  const opened: number[] = [];
  const loggers: Writable[] = [];
  let child: ChildProcess | undefined;
  let pid: number;
  try {
    const stdio: StdioOptions = [background ? 'ignore' : (ctx.stdin.fd ?? 'ignore'), 'ignore', 'ignore'];
    const out = async (fd: 1 | 2, file: string | undefined, logger: string | undefined) => {
      if (file !== undefined) {
        try {
          const f = openLog(file, 0o660);
          opened.push(f);
          stdio[fd] = f;
        } catch (err) {
          await die(`${applet}: unable to open the logfile for ${fd === 1 ? 'stdout' : 'stderr'} \`${file}': ${strerror(errorCode(err) ?? 'EIO')}`);
        }
      } else if (logger !== undefined) {
        const w = await spawnLogger(logger, childEnv);
        loggers.push(w);
        stdio[fd] = w;
      } else if (!background && !quietOut) {
        stdio[fd] = (fd === 1 ? ctx.stdout.fd : ctx.stderr.fd) ?? 'ignore';
      }
    };
    await out(1, redirectStdout, stdoutLogger);
    await out(2, redirectStderr, stderrLogger);

    const { spawn } = await import('node:child_process');
    let file = exec!;
    let childArgs = argv.slice(1);
    let argv0 = argv[0] ?? exec!;
    if (chroot !== undefined) {
      // Node cannot chroot a child: the system's chroot does it
      const chrootBin = findInPath('chroot', env, '/');
      if (!chrootBin) await die(`${applet}: chroot \`${chroot}': ${strerror('ENOSYS')}`);
      childArgs = [chroot, exec!, ...childArgs];
      file = chrootBin!;
      argv0 = chrootBin!;
    }
    if (!background && !quietOut && (ctx.stdout.fd === undefined || ctx.stderr.fd === undefined)) {
      // the caller's output is not a descriptor to hand over: pump it, as for any program
      const old = ctx.host.umask(umask);
      try {
        const status = await spawnProgram({
          file,
          argv: [argv0, ...childArgs],
          env: childEnv,
          cwd: chdir ?? '/',
          stdio: { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr },
          signal: ctx.signal,
          newSession: true,
        });
        if (status !== 0) await die(`${applet}: failed to start \`${exec}'`);
      } finally {
        ctx.host.umask(old);
      }
      pid = 0;
    } else {
      const old = ctx.host.umask(umask);
      try {
        child = spawn(toUtf8(file), childArgs.map(toUtf8), {
          argv0: toUtf8(argv0),
          cwd: toUtf8(chdir ?? '/'),
          env: childEnv.toProcessEnv(),
          stdio,
          detached: true,
          uid: user?.uid,
          gid: gid ?? user?.gid,
        });
      } finally {
        ctx.host.umask(old);
      }
      const spawned = await new Promise<Error | undefined>((resolve) => {
        child!.once('spawn', () => resolve(undefined));
        child!.once('error', (err) => resolve(err));
      });
      if (spawned) {
        const code = errorCode(spawned) ?? 'EIO';
        if (chdir !== undefined && code === 'ENOENT' && !fs.existsSync(fsPath(chdir))) await die(`${applet}: chdir \`${chdir}': ${strerror(code)}`);
        await die(`${applet}: failed to exec \`${exec}': ${strerror(code)}`);
      }
      pid = child.pid!;
      if (makePidfile && pidfile !== undefined) {
        try {
          fs.writeFileSync(fsPath(pidfile), `${pid}\n`);
        } catch (err) {
          await die(`${applet}: fopen \`${pidfile}': ${strerror(errorCode(err) ?? 'EIO')}`);
        }
      }
      if (nicelevel !== undefined) {
        try {
          os.setPriority(pid, nicelevel);
        } catch (err) {
          await die(`${applet}: setpriority ${nicelevel}: ${strerror(errorCode(err) ?? 'EPERM')}`);
        }
      }
      if (oomScoreAdj !== undefined) {
        try {
          fs.writeFileSync(`/proc/${pid}/oom_score_adj`, `${oomScoreAdj}\n`);
        } catch (err) {
          await die(`${applet}: oom_score_adj ${oomScoreAdj}: ${strerror(errorCode(err) ?? 'EIO')}`);
        }
      }
      if (background) child.unref();
      else {
        const status = await new Promise<number>((resolve) => {
          child!.once('exit', (code, signal) => resolve(signal ? 128 : (code ?? 1)));
        });
        if (status !== 0) await die(`${applet}: failed to start \`${exec}'`);
      }
    }
  } finally {
    for (const f of opened) fs.closeSync(f);
    for (const w of loggers) w.destroy();
  }

  let wait = startWait;
  if (wait === 0) {
    const setting = env.get('SSD_STARTWAIT') ?? loadConf(rc).get('rc_start_wait');
    if (setting !== undefined && /^\s*\+?\d+/.test(setting)) wait = parseInt(setting, 10);
  }
  if (wait > 0) {
    await sleep(wait);
    let alive = false;
    if (background) {
      try {
        ctx.host.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    } else {
      let checkPid = 0;
      if (pidfile !== undefined) {
        const read = readPidfile(pidfile);
        if (!('pid' in read)) await die(`${applet}: did not create a valid pid in \`${pidfile}'`);
        checkPid = (read as { pid: number }).pid;
      }
      alive = (await doStop(applet, { exec, argv: margv, pid: checkPid, uid: user?.uid }, 0, stopIo)) > 0;
    }
    if (!alive) await die(`${applet}: ${exec} died`);
  }
  if (svcname) daemonSet(rc, svcname, exec, margv, pidfile, true);
  return 0;
}

function openrcPid(env: Env): number | undefined {
  const v = env.get('RC_OPENRC_PID');
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}
