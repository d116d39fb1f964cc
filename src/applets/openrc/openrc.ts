// openrc [RUNLEVEL]: change runlevel. Services running that the new runlevel (with sysinit, boot,
// stacked runlevels and hotplugged services) does not want are stopped, newest dependents first;
// then the runlevel's services start in dependency order. OpenRC's rc.c, without the parallel
// start (rc_parallel) and the interactive boot.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { defineApplet } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import { errorCode, strerror } from '../../core/errors.js';
import { type CliSpec, commonOption, declUsage, getoptLong, usageError, usageText, versionText } from './cli.js';
import { envConfig, envFilter, loadConf, rcSys } from './conf.js';
import { daemonsCrashed } from './daemons.js';
import { DEP_START, DEP_STOP, DEP_STRICT, DEP_TRACE, depend, depends, depView, loadDeptree } from './deptree.js';
import { Color, Einfo, contextOut, yesno } from './einfo.js';
import { newSession, runService, withSession } from './runscript.js';
import type { Session } from './session.js';
import { byteSort, LEVEL_SHUTDOWN, LEVEL_SINGLE, LEVEL_SYSINIT, Rc, readText, State, VERSION } from './state.js';

const SPEC: CliSpec = {
  usage: 'Usage: openrc [options] [<runlevel>]',
  getopt: 'a:no:s:S',
  longopts: [
    { name: 'no-stop', letter: 'n', has: 0, help: 'do not stop any services' },
    { name: 'override', letter: 'o', has: 1, help: 'override the next runlevel to change into\n' },
    { name: 'service', letter: 's', has: 1, help: 'when leaving single user or boot runlevels' },
    { name: 'sys', letter: 'S', has: 0, help: 'runs the service specified with the rest\nof the arguments' },
  ],
  // OpenRC 0.45.2's help strings are one off from its options (a missing comma); kept as it prints them
  commonHelp: ['output the RC system type, if any', 'Display this help output', 'Disable color output', 'Display software version', 'Run verbosely'],
};

const TYPES_NWUA = ['ineed', 'iwant', 'iuse', 'iafter'];

export default defineApplet({
  name: 'openrc',
  ...declUsage(SPEC),
  async run(ctx) {
    const env = ctx.env.child();
    const einfo = new Einfo(env, contextOut(ctx));
    const rc = Rc.of(env);
    const applet = ctx.name;
    let conf = loadConf(rc);
    if (readText(`${rc.root}/etc/conf.d/rc`) !== undefined) {
      await einfo.ewarn(`${rc.root}/etc/conf.d/rc still exists on your system and should be removed.`);
      await einfo.ewarn(`Please migrate to the appropriate settings in ${rc.rcConf}`);
    }
    let nostop = false;
    const operands: string[] = [];
    const quiet = { n: 0 };
    const args = ctx.operands;
    for (const item of getoptLong(args, SPEC, operands)) {
      if (item.kind === 'error') return usageError(ctx, applet, SPEC, item.message);
      switch (item.key) {
        case 'n':
          nostop = true;
          break;
        case 'o': {
          const level = item.value!;
          if (!rc.runlevelExists(level)) {
            await einfo.eerror(`runlevel \`${level}' does not exist`);
            return 1;
          }
          if (!setKrunlevel(rc, env, level)) return 1;
          await einfo.einfo(`Overriding next runlevel to ${level}`);
          return 0;
        }
        case 's': {
          const file = rc.resolve(item.value!);
          if (!file) {
            await einfo.eerror(`${applet}: service \`${item.value}' does not exist`);
            return 1;
          }
          return withSession(ctx, env, (session) => runService(ctx, session, file, operands.length ? operands : args.slice(args.indexOf(item.value!) + 1), env));
        }
        case 'S': {
          const sys = rcSys(conf);
          if (sys) await ctx.stdout.write(`${sys}\n`);
          return 0;
        }
        default: {
          const what = commonOption(item.key, env, args.length + 1, quiet);
          if (what === 'help') {
            await ctx.stdout.write(usageText(SPEC));
            return 0;
          }
          if (what === 'version') {
            await ctx.stdout.write(versionText(applet, rcSys(conf)));
            return 0;
          }
          if (what === undefined) {
            await ctx.stdout.write(usageText(SPEC));
            return 1;
          }
        }
      }
    }

    envFilter(env, rc, conf);
    envConfig(env, rc, conf, os.type());
    let newlevel = operands[0];
    if (newlevel === 'reboot') {
      newlevel = LEVEL_SHUTDOWN;
      env.set('RC_REBOOT', 'YES');
    }
    env.set('EINFO_LOG', 'openrc');
    env.set('RC_PID', String(ctx.host.pid));
    const bootlevel = env.get('RC_BOOTLEVEL')!;
    let runlevel = rc.runlevelGet();
    const session = newSession(ctx, env);
    const offSignals = session.catchSignals((message) => void einfo.eerror(message));

    if (newlevel === LEVEL_SYSINIT) {
      await sysinitBanner(ctx, einfo, conf);
      env.set('RC_RUNLEVEL', LEVEL_SYSINIT);
      rc.ensureSvcdir();
      conf = loadConf(rc);
      const sys = rcSys(conf);
      if (sys) env.set('RC_SYS', sys);
      runlevel = rc.runlevelGet();
    }

    let goingDown = false;
    if (newlevel === LEVEL_SHUTDOWN || newlevel === LEVEL_SINGLE) {
      goingDown = true;
      if (readText(`${rc.svcdir}/krunlevel`) === undefined) setKrunlevel(rc, env, runlevel);
      rc.runlevelSet(newlevel);
      env.set('RC_RUNLEVEL', newlevel);
      env.set('RC_GOINGDOWN', 'YES');
    } else {
      if (newlevel === undefined || (newlevel !== LEVEL_SYSINIT && newlevel !== bootlevel)) {
        const k = readText(`${rc.svcdir}/krunlevel`);
        if (k !== undefined) {
          newlevel = k.split('\n')[0];
          setKrunlevel(rc, env, undefined);
        }
      }
      if (newlevel !== undefined && runlevel !== newlevel && !rc.runlevelExists(newlevel)) {
        await einfo.eerror(`${newlevel}: not a valid runlevel`);
        return 1;
      }
    }

    const loaded = await loadDeptree(ctx, rc, conf, env, einfo, ctx.host);
    if (!loaded.tree) {
      await einfo.eerror('failed to load deptree');
      return 1;
    }
    session.deptree = loaded.tree;
    if (readText(`${rc.svcdir}/clock-skewed`) !== undefined) await einfo.ewarn('WARNING: clock skew detected!');
    cleanFailed(rc);

    const stopping = `${rc.svcdir}/rc.stopping`;
    const starting = `${rc.svcdir}/rc.starting`;
    try {
      fs.mkdirSync(fsPath(stopping), 0o755);
    } catch (err) {
      const code = errorCode(err) ?? 'EIO';
      if (code === 'EACCES') await einfo.eerror(`${applet}: superuser access required`);
      else await einfo.eerror(`${applet}: failed to create stopping dir '${stopping}': ${strerror(code)}`);
      return 1;
    }
    try {
      const target = newlevel ?? runlevel;
      const tree = loaded.tree;
      let stopList = byteSort([...rc.servicesInState(State.Started), ...rc.servicesInState(State.Inactive), ...rc.servicesInState(State.Starting)]);
      stopList = depends(depView(tree, rc, env), TYPES_NWUA, stopList, runlevel, DEP_STRICT | DEP_TRACE | DEP_STOP);

      const hotplugged = rc.servicesInState(State.Hotplugged);
      const startList = rc.servicesInRunlevelStacked(target);
      if (target !== LEVEL_SHUTDOWN && target !== LEVEL_SYSINIT) {
        startList.push(...rc.servicesInRunlevel(LEVEL_SYSINIT));
        if (target !== LEVEL_SINGLE) {
          if (target !== bootlevel) startList.push(...rc.servicesInRunlevel(bootlevel));
          for (const s of hotplugged) if (!startList.includes(s)) startList.push(s);
        }
      }

      if (!nostop) await stopServices(ctx, session, env, stopList, startList, runlevel, newlevel, goingDown);
      fs.rmSync(fsPath(stopping), { recursive: true, force: true });

      if (newlevel !== undefined) {
        rc.runlevelSet(newlevel);
        runlevel = newlevel;
        env.set('RC_RUNLEVEL', runlevel);
      }
      fs.mkdirSync(fsPath(starting), { recursive: true, mode: 0o755 });
      for (const s of hotplugged) rc.mark(s, State.Hotplugged);

      if (startList.length) {
        const order = depends(depView(tree, rc, env), TYPES_NWUA, byteSort(startList), runlevel, DEP_STRICT | DEP_TRACE | DEP_START);
        await startServices(session, ctx, env, order, conf);
      }
      if (loaded.regenerated && runlevel === bootlevel) fs.rmSync(fsPath(`${rc.svcdir}/deptree`), { force: true });
    } finally {
      offSignals();
      fs.rmSync(fsPath(stopping), { recursive: true, force: true });
      fs.rmSync(fsPath(starting), { recursive: true, force: true });
      cleanFailed(rc);
    }
    return session.caught ? 1 : 0;
  },
});

type RunCtx = Parameters<typeof newSession>[0];

/** The next runlevel to enter instead of the one asked (openrc -o), kept in krunlevel. */
function setKrunlevel(rc: Rc, env: { get(n: string): string | undefined }, level: string | undefined): boolean {
  const file = `${rc.svcdir}/krunlevel`;
  if (!level || level === env.get('RC_BOOTLEVEL') || level === LEVEL_SINGLE || level === LEVEL_SYSINIT) {
    fs.rmSync(fsPath(file), { force: true });
    return false;
  }
  try {
    fs.writeFileSync(fsPath(file), level);
    return true;
  } catch {
    return false;
  }
}

function cleanFailed(rc: Rc): void {
  const dir = `${rc.svcdir}/failed`;
  let names: string[] = [];
  try {
    names = fs.readdirSync(fsPath(dir), { encoding: 'latin1' });
  } catch {
    return;
  }
  for (const name of names) fs.rmSync(fsPath(`${dir}/${name}`), { force: true });
}

async function sysinitBanner(ctx: RunCtx, einfo: Einfo, conf: Map<string, string>): Promise<void> {
  const sys = rcSys(conf);
  const text =
    `\n   ${einfo.ecolor(Color.Good)}OpenRC ${einfo.ecolor(Color.Hilite)}${VERSION}${einfo.ecolor(Color.Normal)} is starting up ${einfo.ecolor(Color.Bracket)}` +
    `${os.type()} ${os.release()} (${os.machine()})${sys ? ` [${sys}]` : ''}${einfo.ecolor(Color.Normal)}\n\n`;
  await ctx.stdout.write(text);
}

/** Whether a service has a conf.d file for this runlevel (it is restarted to use the right one). */
function runlevelConfig(rc: Rc, service: string, level: string): boolean {
  const init = rc.resolve(service);
  if (!init) return false;
  const dir = init.slice(0, init.lastIndexOf('/'));
  return readText(`${dir.slice(0, dir.lastIndexOf('/'))}/conf.d/${service}.${level}`) !== undefined;
}

async function stopServices(ctx: RunCtx, session: Session, env: Parameters<typeof runService>[4], stopList: string[], startList: string[], runlevel: string, newlevel: string | undefined, goingDown: boolean): Promise<void> {
  const rc = session.rc;
  const conf = loadConf(rc);
  const crashedStop = yesno(conf.get('rc_crashed_stop'));
  const nostop = (conf.get('rc_nostop') ?? '').split(' ').filter(Boolean);
  const tree = session.deptree!;
  for (const service of [...stopList].reverse()) {
    if (session.signal.aborted) return;
    const state = rc.state(service);
    if (state & (State.Stopped | State.Failed)) continue;
    if (nostop.includes(service)) {
      rc.mark(service, State.Failed);
      continue;
    }
    const keywords = depend(tree, service, 'keyword');
    if (keywords.includes('-stop') || keywords.includes('nostop') || (goingDown && (keywords.includes('-shutdown') || keywords.includes('noshutdown')))) {
      rc.mark(service, State.Failed);
      continue;
    }
    if (!(crashedStop && daemonsCrashed(rc, ctx.host, service))) {
      if (startList.includes(service)) {
        // wanted by the new runlevel: kept, unless it has a conf.d file for one of the two runlevels
        if (!newlevel || runlevel === newlevel) continue;
        if (!runlevelConfig(rc, service, runlevel) && !runlevelConfig(rc, service, newlevel)) continue;
      } else {
        const users = depends(depView(tree, rc, env), ['needsme', 'wantsme'], [service], newlevel ?? runlevel, DEP_STRICT | DEP_TRACE);
        if (users.some((u) => startList.includes(u))) continue;
      }
    }
    await execService(session, ctx, env, service, 'stop');
  }
}

async function startServices(session: Session, ctx: RunCtx, env: Parameters<typeof runService>[4], order: string[], conf: Map<string, string>): Promise<void> {
  const rc = session.rc;
  const crashedSetting = conf.get('rc_crashed_start');
  const crashedStart = crashedSetting === undefined || yesno(crashedSetting);
  for (const service of order) {
    if (session.signal.aborted) return;
    const state = rc.state(service);
    if (state & State.Failed) continue;
    if (!(state & State.Stopped)) {
      if (crashedStart && daemonsCrashed(rc, ctx.host, service)) rc.mark(service, State.Stopped);
      else continue;
    }
    if (!(await execService(session, ctx, env, service, 'start'))) break;
  }
}

/** exec_service: lock, then run the service's script; false when the lock was not to be had. */
async function execService(session: Session, ctx: RunCtx, env: Parameters<typeof runService>[4], service: string, action: string): Promise<boolean> {
  const rc = session.rc;
  if (session.lock(service) !== 'ok') return false;
  const file = rc.resolve(service);
  if (!file || !fs.existsSync(fsPath(file))) {
    rc.mark(service, State.Stopped);
    session.unlock(service);
    return true;
  }
  await runService(ctx, session, file, [action], env, true);
  return true;
}
