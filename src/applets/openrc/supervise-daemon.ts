// supervise-daemon: keep a foreground daemon running. `supervise-daemon NAME --start ... CMD -- ARGS`
// starts a supervisor process (this executable again, in a session of its own) and returns once it
// is up; the supervisor starts CMD, starts it again when it dies (waiting --respawn-delay, giving
// up after --respawn-max respawns within --respawn-period), runs the service's `healthcheck`
// after --healthcheck-delay and every --healthcheck-timer seconds (and `unhealthy`, then a restart,
// when it fails), and on SIGTERM stops CMD by the --retry schedule and marks the service stopped.
// `--stop` stops the supervisor; `--signal SIG` sends a signal to the daemon.
//
// OpenRC talks to its supervisor through a FIFO; Node cannot make one, and the only message is
// "send this signal to the child", so the client sends it to the recorded child_pid itself.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { defineApplet } from '../../core/applet.js';
import { fsPath, toUtf8 } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import type { Env } from '../../core/env.js';
import { errorCode, strerror } from '../../core/errors.js';
import { groupByGid, groupByName, userByUid } from '../../core/ids.js';
import { type CliSpec, commonOption, declUsage, getoptLong, usageError, usageText, versionText } from './cli.js';
import { loadConf, rcSys } from './conf.js';
import { daemonSet, doStop, parseSchedule, parseSignal, processAlive, readPidfile, runStopSchedule, type ScheduleItem, ScheduleError, type StopIo } from './daemons.js';
import { Einfo, contextOut } from './einfo.js';
import { daemonEnv, expandHome, parseUser } from './start-stop-daemon.js';
import { Rc, State } from './state.js';

/** Set in the environment of the supervisor process this applet starts (never of the daemon). */
const SUPERVISOR_MARK = 'TOOLBOX_SUPERVISOR';

const SPEC: CliSpec = {
  usage: 'Usage: supervise-daemon [options] ',
  getopt: 'A:a:D:d:e:g:H:I:Kk:m:N:p:R:r:s:Su:1:2:3',
  longopts: [
    { name: 'healthcheck-timer', letter: 'a', has: 1, help: 'set an initial health check delay' },
    { name: 'healthcheck-delay', letter: 'A', has: 1, help: 'set a health check timer' },
    { name: 'capabilities', has: 1, help: 'Set the inheritable, ambient and bounding capabilities' },
    { name: 'secbits', has: 1, help: 'Set the security-bits for the program' },
    { name: 'no-new-privs', has: 0, help: 'Set the No New Privs flag for the program' },
    { name: 'respawn-delay', letter: 'D', has: 1, help: 'Set a respawn delay' },
    { name: 'chdir', letter: 'd', has: 1, help: 'Change the PWD' },
    { name: 'env', letter: 'e', has: 1, help: 'Set an environment string' },
    { name: 'group', letter: 'g', has: 1, help: 'Change the process group' },
    { name: 'ionice', letter: 'I', has: 1, help: 'Set an ionice class:data when starting' },
    { name: 'stop', letter: 'K', has: 0, help: 'Stop daemon' },
    { name: 'umask', letter: 'k', has: 1, help: 'Set the umask for the daemon' },
    { name: 'respawn-max', letter: 'm', has: 1, help: 'set maximum number of respawn attempts' },
    { name: 'nicelevel', letter: 'N', has: 1, help: 'Set a nicelevel when starting' },
    { name: 'oom-score-adj', has: 1, help: 'Set OOM score adjustment when starting' },
    { name: 'pidfile', letter: 'p', has: 1, help: 'Match pid found in this file' },
    // -P is in the help but not in OpenRC's short options: only --respawn-period works
    { name: 'respawn-period', letter: 'P', has: 1, help: 'Set respawn time period' },
    { name: 'retry', letter: 'R', has: 1, help: 'Retry schedule to use when stopping' },
    { name: 'chroot', letter: 'r', has: 1, help: 'Chroot to this directory' },
    { name: 'signal', letter: 's', has: 1, help: 'Send a signal to the daemon' },
    { name: 'start', letter: 'S', has: 0, help: 'Start daemon' },
    { name: 'user', letter: 'u', has: 1, help: 'Change the process user' },
    { name: 'stdout', letter: '1', has: 1, help: 'Redirect stdout to file' },
    { name: 'stderr', letter: '2', has: 1, help: 'Redirect stderr to file' },
    { name: 'reexec', letter: '3', has: 0, help: 'reexec (used internally)' },
  ],
};

class Die {
  constructor(readonly status: number) {}
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Settings {
  svcname: string;
  exec: string;
  argv: string[];
  pidfile: string;
  retry: string | undefined;
  signal: number;
  respawnDelay: number;
  respawnMax: number;
  respawnPeriod: number;
  healthcheckDelay: number;
  healthcheckTimer: number;
  chdir: string | undefined;
  chroot: string | undefined;
  user: { uid: number; gid: number } | undefined;
  gid: number | undefined;
  umask: number;
  nicelevel: number | undefined;
  oomScoreAdj: number | undefined;
  stdout: string | undefined;
  stderr: string | undefined;
}

export default defineApplet({
  name: 'supervise-daemon',
  ...declUsage(SPEC),
  async run(ctx) {
    try {
      return await supervise(ctx);
    } catch (err) {
      if (err instanceof Die) return err.status;
      throw err;
    }
  },
});

/** `YYYY-MM-DD HH:MM:SS` in local time, as OpenRC records start_time. */
function localTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

async function supervise(ctx: Ctx): Promise<number> {
  const env = ctx.env.child();
  const einfo = new Einfo(env, contextOut(ctx));
  const applet = ctx.name;
  const die = async (message: string): Promise<never> => {
    await einfo.eerror(message);
    throw new Die(1);
  };
  const svcname = env.get('RC_SVCNAME');
  if (svcname === undefined) return die(`${applet}: The RC_SVCNAME environment variable is not set`);
  const args = ctx.operands;
  if (args.length === 0 || args[0] !== svcname) return die(`${applet}: the first argument is ${args[0] ?? '(null)'} and must be ${svcname}`);
  const rc = Rc.of(env);

  let nicelevel: number | undefined;
  let oomScoreAdj: number | undefined;
  const ssdNice = env.get('SSD_NICELEVEL');
  if (ssdNice !== undefined) {
    if (/^\s*[+-]?\d+/.test(ssdNice)) nicelevel = parseInt(ssdNice, 10);
    else await einfo.eerror(`${applet}: invalid nice level \`${ssdNice}' (SSD_NICELEVEL)`);
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
  let sendsig = false;
  let reexec = false;
  let sig = 15;
  const s: Omit<Settings, 'svcname' | 'exec' | 'argv' | 'pidfile' | 'signal'> & { pidfile?: string } = {
    retry: undefined,
    respawnDelay: 0,
    respawnMax: 10,
    respawnPeriod: 0,
    healthcheckDelay: 0,
    healthcheckTimer: 0,
    chdir: undefined,
    chroot: undefined,
    user: undefined,
    gid: undefined,
    umask: 0o022,
    nicelevel,
    oomScoreAdj,
    stdout: undefined,
    stderr: undefined,
  };
  const operands: string[] = [];
  const quiet = { n: 0 };
  const int = (v: string) => (/^\s*[+-]?\d+/.test(v) ? parseInt(v, 10) : undefined);
  for (const item of getoptLong(args.slice(1), SPEC, operands)) {
    if (item.kind === 'error') return usageError(ctx, applet, SPEC, item.message);
    const v = item.value ?? '';
    switch (item.key) {
      case 'a':
      case 'H': {
        const n = int(v);
        if (n === undefined || n < 1) await die(`${applet}: invalid health check timer ${v}`);
        s.healthcheckTimer = n!;
        break;
      }
      case 'A': {
        const n = int(v);
        if (n === undefined || n < 1) await die(`${applet}: invalid health check delay ${v}`);
        s.healthcheckDelay = n!;
        break;
      }
      case 'capabilities':
      case 'secbits':
        await die('Capabilities support not enabled');
        break;
      case 'no-new-privs':
        break;
      case 'D': {
        const n = int(v);
        if (n === undefined || n < 1) await die(`Invalid respawn-delay value '${v}'`);
        s.respawnDelay = n!;
        break;
      }
      case 'd':
        s.chdir = v;
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
        s.gid = gr!.gid;
        break;
      }
      case 'I':
        if (!/^\s*[+-]?\d/.test(v)) await die(`${applet}: invalid ionice \`${v}'`);
        break;
      case 'K':
        stop = true;
        break;
      case 'k':
        if (!/^[0-7]+$/.test(v) || parseInt(v, 8) > 0o7777) await die(`${applet}: invalid mode \`${v}'`);
        s.umask = parseInt(v, 8);
        break;
      case 'm': {
        const n = int(v);
        if (n === undefined || n < 0) await die(`Invalid respawn-max value '${v}'`);
        s.respawnMax = n!;
        break;
      }
      case 'N': {
        const n = int(v);
        if (n === undefined) await die(`${applet}: invalid nice level \`${v}'`);
        s.nicelevel = n;
        break;
      }
      case 'oom-score-adj': {
        const n = int(v);
        if (n === undefined) await die(`${applet}: invalid oom-score-adj \`${v}'`);
        s.oomScoreAdj = n;
        break;
      }
      case 'P': {
        const n = int(v);
        if (n === undefined || n < 1) await die(`Invalid respawn-period value '${v}'`);
        s.respawnPeriod = n!;
        break;
      }
      case 's': {
        const n = parseSignal(v);
        if (n === undefined) await die(`${applet}: \`${v}' is not a valid signal`);
        sig = n!;
        sendsig = true;
        break;
      }
      case 'S':
        start = true;
        break;
      case 'p':
        s.pidfile = v;
        break;
      case 'R':
        s.retry = v;
        break;
      case 'r':
        s.chroot = v;
        break;
      case 'u': {
        const u = parseUser(v);
        if ('error' in u) await die(`${applet}: ${u.error}`);
        const parsed = u as { uid: number; gid: number; name: string; home?: string };
        s.user = parsed;
        home = parsed.home;
        if (parsed.home !== undefined) env.set('HOME', parsed.home);
        env.set('USER', parsed.name);
        if (s.gid === undefined || v.includes(':')) s.gid = parsed.gid;
        break;
      }
      case '1':
        s.stdout = v;
        break;
      case '2':
        s.stderr = v;
        break;
      case '3':
        reexec = true;
        break;
      default: {
        const what = commonOption(item.key, env, args.length, quiet);
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
  if (s.chdir !== undefined) s.chdir = expandHome(home, s.chdir);
  if (s.chroot !== undefined) s.chroot = expandHome(home, s.chroot);
  // without --pidfile, the one recorded at --start (OpenRC finds its supervisor through a FIFO named
  // after the service instead)
  const pidfile = s.pidfile ?? (start ? undefined : rc.valueGet(svcname, 'pidfile')) ?? `${rc.root}/var/run/supervise-${svcname}.pid`;
  let exec = operands[0];
  const settings = (): Settings => ({ ...s, svcname, exec: exec!, argv: operands, pidfile, signal: sig });

  if (env.get(SUPERVISOR_MARK) !== undefined) {
    env.delete(SUPERVISOR_MARK);
    return supervisor(ctx, rc, env, settings());
  }
  if (reexec) return die(`${applet}: --reexec is used internally`);

  if (start) {
    if (exec === undefined) return die(`${applet}: nothing to start`);
    exec = expandHome(home, exec);
    operands[0] = exec;
    let execFile: string | undefined;
    if (exec.startsWith('/') || exec.startsWith('.')) execFile = s.chroot !== undefined ? `${s.chroot}/${exec}` : exec;
    else {
      for (const dir of (env.get('PATH') ?? '').split(':')) {
        const candidate = s.chroot !== undefined ? `${s.chroot}/${dir}/${exec}` : `${dir}/${exec}`;
        if (fs.existsSync(fsPath(candidate))) {
          execFile = candidate;
          break;
        }
      }
    }
    if (execFile === undefined || !fs.existsSync(fsPath(execFile))) {
      await einfo.eerror(`${applet}: ${execFile ?? exec} does not exist`);
      return 1;
    }
    const read = readPidfile(pidfile);
    if ('pid' in read && (await doStop(applet, { pid: read.pid }, 0, stopIo(ctx, einfo))) > 0) return die(`${applet}: ${exec} is already running`);
    if (s.respawnPeriod > 0 && s.respawnDelay * s.respawnMax > s.respawnPeriod) {
      await einfo.ewarn(`${applet}: Please increase the value of --respawn-period to more than ${s.respawnDelay * s.respawnMax} to avoid infinite respawning`);
    }
    try {
      parseSchedule(s.retry, sig, applet);
    } catch (err) {
      if (err instanceof ScheduleError) return die(err.message);
      throw err;
    }
    if (s.retry !== undefined) rc.valueSet(svcname, 'retry', s.retry);
    await einfo.einfov(`Detaching to start \`${exec}'`);
    fs.rmSync(fsPath(pidfile), { force: true });
    try {
      fs.writeFileSync(fsPath(pidfile), '');
    } catch (err) {
      return die(`${applet}: fopen \`${pidfile}': ${strerror(errorCode(err) ?? 'EIO')}`);
    }
    rc.valueSet(svcname, 'pidfile', pidfile);
    rc.valueSet(svcname, 'respawn_delay', String(s.respawnDelay));
    rc.valueSet(svcname, 'respawn_max', String(s.respawnMax));
    rc.valueSet(svcname, 'respawn_period', String(s.respawnPeriod));
    return startSupervisor(ctx, env, pidfile, applet, exec);
  }

  if (stop) {
    const read = readPidfile(pidfile);
    if ('pid' in read) {
      try {
        ctx.host.kill(read.pid, 'SIGTERM');
        // the supervisor stops the daemon by its schedule, then goes
        while (processAlive(ctx.host, read.pid) && !ctx.signal.aborted) await sleep(10);
      } catch {
        await einfo.ewarn('Unable to shut down the supervisor');
      }
    }
    fs.rmSync(fsPath(pidfile), { force: true });
    daemonSet(rc, svcname, exec, operands.length ? operands : undefined, pidfile, false);
    rc.mark(svcname, State.Stopped);
    return 0;
  }

  if (sendsig) {
    const child = rc.valueGet(svcname, 'child_pid');
    const read = readPidfile(pidfile);
    if (!child || !/^\d+$/.test(child) || !('pid' in read) || !processAlive(ctx.host, read.pid)) {
      return die(`${applet}: unable to open control fifo ${strerror('ENXIO')}`);
    }
    try {
      ctx.host.kill(Number(child), sig);
    } catch (err) {
      return die(`${applet}: error writing to control fifo: ${strerror(errorCode(err) ?? 'EIO')}`);
    }
    return 0;
  }
  return 0;
}

function stopIo(ctx: Ctx, einfo: Einfo): StopIo {
  return {
    host: ctx.host,
    einfo: (t) => einfo.einfo(t),
    eerror: (t) => einfo.eerror(t),
    signal: ctx.signal,
  };
}

/** Start the supervisor as a process of its own and wait until it has written its pidfile. */
async function startSupervisor(ctx: Ctx, env: Env, pidfile: string, applet: string, exec: string): Promise<number> {
  const { spawn } = await import('node:child_process');
  const [self, ...selfArgs] = ctx.host.self;
  const childEnv = env.child();
  childEnv.set(SUPERVISOR_MARK, '1');
  const child = spawn(toUtf8(self!), [...selfArgs, 'supervise-daemon', ...ctx.operands].map(toUtf8), {
    env: childEnv.toProcessEnv(),
    stdio: 'ignore',
    detached: true,
    cwd: '/',
  });
  let exited = false;
  let exitStatus: number | null = null;
  child.once('exit', (code) => {
    exited = true;
    exitStatus = code;
  });
  const failed = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (failed) {
    await new Einfo(env, contextOut(ctx)).eerror(`${applet}: fork: ${strerror(errorCode(failed) ?? 'EIO')}`);
    return 1;
  }
  // up when the pidfile names it (bounded: a supervisor that cannot start says so by exiting with a
  // failure; one that has already given up on a daemon that keeps crashing exits with 0)
  let up = false;
  for (let i = 0; i < 1000 && !up && !exited; i++) {
    const read = readPidfile(pidfile);
    up = 'pid' in read && read.pid === child.pid;
    if (!up) await sleep(10);
  }
  child.unref();
  if (!up && exited && exitStatus !== 0) {
    await new Einfo(env, contextOut(ctx)).eerror(`${applet}: failed to start \`${exec}'`);
    return 1;
  }
  return 0;
}

/** The supervisor process: run the daemon, respawn it, check its health, stop it on SIGTERM. */
async function supervisor(ctx: Ctx, rc: Rc, env: Env, s: Settings): Promise<number> {
  const { spawn } = await import('node:child_process');
  s.argv.forEach((a, i) => rc.valueSet(s.svcname, `argv_${i}`, a));
  rc.valueSet(s.svcname, 'argc', String(s.argv.length));
  rc.valueSet(s.svcname, 'exec', s.exec);
  let schedule: ScheduleItem[];
  try {
    schedule = parseSchedule(s.retry, s.signal, 'supervise-daemon');
  } catch {
    schedule = parseSchedule(undefined, 15, 'supervise-daemon');
  }
  const childEnv = daemonEnv(env, rc.libexecdir);
  const einfo = new Einfo(env, contextOut(ctx));
  const io: StopIo = { host: ctx.host, einfo: (t) => einfo.einfo(t), eerror: async () => undefined };

  let exiting = false;
  let failing = false;
  let child: ChildProcess | undefined;
  let childPid = 0;
  let respawnCount = 0;
  let firstSpawn = 0;
  let wake: (() => void) | undefined;
  const nudge = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let childExited = false;
  let healthDue = false;
  let alarm: NodeJS.Timeout | undefined;
  const setAlarm = (seconds: number) => {
    if (alarm) clearTimeout(alarm);
    alarm = seconds > 0 ? setTimeout(() => ((healthDue = true), nudge()), seconds * 1000) : undefined;
  };
  const unsubscribe = [
    ctx.host.onSignal('SIGTERM', () => ((exiting = true), nudge())),
    // OpenRC's supervisor re-executes itself on other signals; this one just carries on
    ...(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE'] as const).map((name) => ctx.host.onSignal(name, () => {})),
  ];

  const spawnChild = async (): Promise<void> => {
    const stdio: StdioOptions = ['ignore', 'ignore', 'ignore'];
    const opened: number[] = [];
    try {
      for (const [fd, file] of [[1, s.stdout], [2, s.stderr]] as const) {
        if (file !== undefined) {
          const f = fs.openSync(fsPath(file), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
          opened.push(f);
          stdio[fd] = f;
        }
      }
      let file = s.exec;
      let childArgs = s.argv.slice(1);
      if (s.chroot !== undefined) {
        childArgs = [s.chroot, s.exec, ...childArgs];
        file = 'chroot';
      }
      const old = ctx.host.umask(s.umask);
      try {
        child = spawn(toUtf8(file), childArgs.map(toUtf8), {
          argv0: toUtf8(s.argv[0] ?? s.exec),
          cwd: toUtf8(s.chdir ?? '/'),
          env: childEnv.toProcessEnv(),
          stdio,
          detached: true,
          uid: s.user?.uid,
          gid: s.gid ?? s.user?.gid,
        });
      } finally {
        ctx.host.umask(old);
      }
      childExited = false;
      child.once('exit', () => ((childExited = true), nudge()));
      await new Promise<void>((resolve) => {
        child!.once('spawn', () => resolve());
        child!.once('error', () => ((childExited = true), resolve()));
      });
      childPid = child.pid ?? 0;
      if (childPid && s.nicelevel !== undefined) {
        try {
          os.setPriority(childPid, s.nicelevel);
        } catch {
          // as the child's setpriority failing: it runs at the default priority
        }
      }
      if (childPid && s.oomScoreAdj !== undefined) {
        try {
          fs.writeFileSync(`/proc/${childPid}/oom_score_adj`, `${s.oomScoreAdj}\n`);
        } catch {
          // the kernel refused: the daemon runs with its default score
        }
      }
      rc.valueSet(s.svcname, 'start_time', localTime(new Date()));
      rc.valueSet(s.svcname, 'start_count', String(respawnCount));
      rc.valueSet(s.svcname, 'child_pid', String(childPid));
    } finally {
      for (const f of opened) fs.closeSync(f);
    }
  };

  /** Run the service script with a command (healthcheck, unhealthy); its status. */
  const runScript = async (command: string): Promise<number> => {
    const file = rc.resolve(s.svcname);
    if (!file || !fs.existsSync(fsPath(file))) return 0;
    const { spawnProgram } = await import('../../core/process.js');
    const { nullSink, BytesSource } = await import('../../core/io.js');
    try {
      return await spawnProgram({ file, argv: [file, command], env, cwd: '/', stdio: { stdin: new BytesSource(''), stdout: nullSink, stderr: nullSink } });
    } catch {
      return 1;
    }
  };

  await spawnChild();
  // the pidfile last: the client waits for it, and then finds child_pid and start_time recorded
  fs.writeFileSync(fsPath(s.pidfile), `${ctx.host.pid}\n`);
  daemonSet(rc, s.svcname, s.exec, s.argv, s.pidfile, true);
  setAlarm(s.healthcheckDelay || s.healthcheckTimer);
  while (!exiting) {
    if (!childExited && !healthDue) await new Promise<void>((resolve) => (wake = resolve));
    let healthRespawn = false;
    if (healthDue && !exiting) {
      healthDue = false;
      setAlarm(0);
      if ((await runScript('healthcheck')) === 0) setAlarm(s.healthcheckTimer);
      else {
        await runScript('unhealthy');
        const n = await runStopSchedule('supervise-daemon', { pid: childPid, quiet: true }, schedule, io);
        if (n >= 0) healthRespawn = true;
      }
    }
    if (exiting) break;
    if (childExited || healthRespawn) {
      healthDue = false;
      setAlarm(0);
      const now = Date.now() / 1000;
      if (firstSpawn === 0) firstSpawn = now;
      if (s.respawnPeriod > 0 && now - firstSpawn > s.respawnPeriod) {
        respawnCount = 0;
        firstSpawn = 0;
      } else respawnCount++;
      if (s.respawnMax > 0 && respawnCount > s.respawnMax) {
        exiting = true;
        failing = true;
        break;
      }
      if (s.respawnDelay > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, s.respawnDelay * 1000);
          wake = () => (clearTimeout(t), resolve());
        });
      }
      if (exiting) break;
      await spawnChild();
      setAlarm(s.healthcheckDelay || s.healthcheckTimer);
    }
  }

  setAlarm(0);
  if (!childExited && childPid) await runStopSchedule('supervise-daemon', { pid: childPid, quiet: true }, schedule, io);
  for (const off of unsubscribe) off();
  daemonSet(rc, s.svcname, s.exec, s.argv, s.pidfile, false);
  rc.valueSet(s.svcname, 'child_pid', undefined);
  rc.mark(s.svcname, State.Stopped);
  if (failing) rc.mark(s.svcname, State.Failed);
  fs.rmSync(fsPath(s.pidfile), { force: true });
  return 0;
}
