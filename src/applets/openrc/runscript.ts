// openrc-run: the interpreter of `#!/sbin/openrc-run` scripts (OpenRC's openrc-run.c). It owns
// what happens around the script: the service's state marks and lock, starting what it needs
// first and stopping what needs it first, and putting the state back when the script fails or is
// interrupted. The script itself runs in our shell with the OpenRC library (library.ts), one
// shell per command as OpenRC runs one sh per command. Dependencies start in this process, each
// as its own Runscript, in order, as OpenRC starts them one openrc-run after another.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { fsPath } from '../../core/bytes.js';
import type { Env } from '../../core/env.js';
import { strerror } from '../../core/errors.js';
import { commonOption, type CliSpec, getoptLong, usageText, versionText } from './cli.js';
import { envConfig, envFilter, loadConf, type RcConf, rcSys } from './conf.js';
import { DEP_STRICT, DEP_TRACE, depends, depView, depend, type DepTree, loadDeptree, loopThrough } from './deptree.js';
import { Einfo, contextOut, yesno } from './einfo.js';
import { libraryPath, libraryText, RUNSCRIPT } from './library.js';
import { Session } from './session.js';
import { runLibrary, type ShellContext } from './shell.js';
import { basename, LEVEL_BOOT, LEVEL_SHUTDOWN, LEVEL_SINGLE, LEVEL_SYSINIT, Rc, State } from './state.js';

/** Ends an openrc-run early with a status, as exit() does in openrc-run.c (its cleanup still runs). */
export class RcExit {
  constructor(readonly status: number) {}
}

const EXTRAOPTS = 'stop | start | restart | describe | zap';

export function runscriptSpec(applet: string): CliSpec {
  return {
    usage: `Usage: ${applet} [options] ${EXTRAOPTS}`,
    getopt: 'dDsSvl:Z',
    longopts: [
      { name: 'debug', letter: 'd', has: 0, help: 'set xtrace when running the script' },
      { name: 'dry-run', letter: 'Z', has: 0, help: 'show what would be done' },
      { name: 'ifstarted', letter: 's', has: 0, help: 'only run commands when started' },
      { name: 'ifstopped', letter: 'S', has: 0, help: 'only run commands when stopped' },
      { name: 'nodeps', letter: 'D', has: 0, help: 'ignore dependencies' },
      { name: 'lockfd', letter: 'l', has: 1, help: 'fd of the exclusive lock from rc' },
    ],
  };
}

const TYPES_B = ['broken'];
const TYPES_N = ['ineed'];
const TYPES_NW = ['ineed', 'iwant'];
const TYPES_NWU = ['ineed', 'iwant', 'iuse'];
const TYPES_NWUA = ['ineed', 'iwant', 'iuse', 'iafter'];
const TYPES_M = ['needsme'];
const TYPES_MWUA = ['needsme', 'wantsme', 'usesme', 'beforeme'];
const RESOLVE_TYPES = new Set(['ineed', 'iuse', 'iwant', 'needsme', 'usesme', 'wantsme', 'iafter', 'ibefore', 'iprovide']);

const WAIT_TIMEOUT = 60;
const WARN_TIMEOUT = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether a file is an openrc-run script (its first line names openrc-run or runscript), which
 *  runs in this process; anything else is a program of its own. */
export function isRunscript(file: string): boolean {
  let head: string;
  try {
    const fd = fs.openSync(fsPath(file), 'r');
    try {
      const buf = Buffer.alloc(256);
      head = buf.subarray(0, fs.readSync(fd, buf, 0, 256, 0)).toString('latin1');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  const first = head.split('\n')[0] ?? '';
  return /^#!\s*\S*\/(openrc-run|runscript)(\s|$)/.test(first);
}

/** Run a service script with arguments: an openrc-run script in this process, anything else as a
 *  program. `lockHeld`: the caller took the service's lock for it (openrc's --lockfd). */
export async function runService(sc: ShellContext, session: Session, file: string, args: readonly string[], env: Env, lockHeld = false): Promise<number> {
  if (isRunscript(file)) return new Runscript(sc, session, env).main(file, args, lockHeld);
  try {
    return await sc.exec([file, ...args], { env: env.child() });
  } finally {
    if (lockHeld) session.unlock(basename(file));
  }
}

export class Runscript {
  private readonly rc: Rc;
  private readonly env: Env;
  private readonly einfo: Einfo;
  private conf!: RcConf;
  private applet = '';
  private service = '';
  private runlevel = '';
  private deps = true;
  private dryRun = false;
  private inBackground = false;
  private ibsave: string | undefined;
  /** We hold the service's exclusive lock (openrc-run's exclusive_fd). */
  private locked = false;
  /** The script marked its own state: do not mark it from its status. */
  private skipMark = false;
  private restartServices: string[] | undefined;
  private needServices: string[] = [];
  private wantServices: string[] = [];
  private useServices: string[] = [];

  constructor(
    private readonly sc: ShellContext,
    private readonly session: Session,
    parentEnv: Env,
  ) {
    this.rc = session.rc;
    this.env = parentEnv.child();
    this.einfo = new Einfo(this.env, contextOut(sc));
  }

  private async die(message: string, warn = false): Promise<never> {
    if (warn) await this.einfo.ewarn(message);
    else await this.einfo.eerror(message);
    throw new RcExit(1);
  }

  async main(script: string, args: readonly string[], lockHeld = false): Promise<number> {
    const { sc } = this;
    if (!fs.existsSync(fsPath(script))) {
      await sc.stderr.write('openrc-run should not be run directly\n');
      return 1;
    }
    this.applet = basename(script);
    try {
      this.service = fs.realpathSync(fsPath(script), { encoding: 'latin1' });
    } catch (err) {
      await this.einfo.eerror(`readpath: ${strerror((err as { code?: string }).code ?? 'EIO')}`);
      return 1;
    }
    const spec = runscriptSpec(this.applet);
    if (args.length === 0) {
      await sc.stdout.write(usageText(spec));
      return 1;
    }
    this.locked = lockHeld;
    if (lockHeld) this.session.held.add(this.applet);
    const commands: string[] = [];
    const quiet = { n: 0 };
    for (const item of getoptLong(args, spec, commands)) {
      if (item.kind === 'error') {
        // getopt names the script as it was run
        await sc.stderr.write(`${script}: ${item.message}\n`);
        await sc.stdout.write(usageText(spec));
        return this.finish(1);
      }
      switch (item.key) {
        case 'd':
          this.env.set('RC_DEBUG', 'YES');
          break;
        case 'l':
          break; // the lock comes with lockHeld: there are no descriptors to pass in one process
        case 's':
          if (!(this.rc.state(this.applet) & State.Started)) return this.finish(1);
          break;
        case 'S':
          if (!(this.rc.state(this.applet) & State.Stopped)) return this.finish(1);
          break;
        case 'D':
          this.deps = false;
          break;
        case 'Z':
          this.dryRun = true;
          break;
        default: {
          const what = commonOption(item.key, this.env, args.length + 1, quiet);
          if (what === 'help') {
            await sc.stdout.write(usageText(spec));
            return this.finish(0);
          }
          if (what === 'version') {
            await sc.stdout.write(versionText(this.applet, rcSys(loadConf(this.rc))));
            return this.finish(0);
          }
        }
      }
    }
    if (commands.length === 0) {
      await sc.stdout.write(usageText(spec));
      return this.finish(1);
    }

    this.conf = loadConf(this.rc);
    const runlevel = this.env.get('RC_RUNLEVEL');
    if (runlevel === undefined) {
      envFilter(this.env, this.rc, this.conf);
      envConfig(this.env, this.rc, this.conf, os.type());
      this.runlevel = this.rc.runlevelGet();
    } else this.runlevel = runlevel;
    this.env.set('EINFO_LOG', this.applet);
    this.env.set('RC_SVCNAME', this.applet);
    this.env.set('RC_OPENRC_PID', String(sc.host.pid));
    this.env.set('RC_RUNSCRIPT_PID', String(sc.host.pid));

    if (yesno(this.env.get('RC_NODEPS'))) this.deps = false;
    // changing runlevels, only openrc itself (RC_PID) may work with dependencies
    if (this.deps && this.env.get('RC_PID') === undefined && (this.rc.runlevelStarting() || this.rc.runlevelStopping())) this.deps = false;
    const ib = this.env.get('IN_BACKGROUND');
    if (ib !== undefined) {
      this.ibsave = ib;
      this.inBackground = yesno(ib);
      this.env.delete('IN_BACKGROUND');
    }
    if (yesno(this.env.get('IN_DRYRUN'))) this.dryRun = true;
    if (yesno(this.env.get('IN_HOTPLUG'))) {
      if (!this.pluggable()) {
        await this.einfo.eerror(`${this.applet}: not allowed to be hotplugged`);
        return this.finish(1);
      }
      this.inBackground = true;
    }

    let status = 0;
    try {
      for (const cmd of commands) {
        if (this.session.signal.aborted) throw new RcExit(1);
        this.env.set('RC_CMD', cmd);
        const result = await this.command(cmd);
        if (result !== 0) status = result;
      }
    } catch (err) {
      if (!(err instanceof RcExit)) {
        await this.cleanup();
        throw err;
      }
      status = err.status;
    }
    return this.finish(status);
  }

  private async finish(status: number): Promise<number> {
    await this.cleanup();
    return status;
  }

  private async command(cmd: string): Promise<number> {
    switch (cmd) {
      case 'describe':
      case 'help':
      case 'depend':
      case 'status':
        return this.svcExec(cmd);
      case 'start': {
        const r = await this.svcStart();
        this.restartServices = undefined;
        return r;
      }
      case 'stop': {
        const r = await this.cmdStop(cmd);
        this.restartServices = undefined;
        return r;
      }
      case 'restart': {
        await this.svcRestart();
        this.restartServices = undefined;
        return 0;
      }
      case 'condrestart':
      case 'conditionalrestart':
        if (this.rc.state(this.applet) & State.Started) await this.svcRestart();
        this.restartServices = undefined;
        return 0;
      case 'zap':
        await this.einfo.einfo(`Manually resetting ${this.applet} to stopped state`);
        if (!this.rc.mark(this.applet, State.Stopped)) await this.die(`rc_service_mark: ${strerror('EIO')}`);
        this.unhotplug();
        this.restartServices = undefined;
        return 0;
      default:
        if (RESOLVE_TYPES.has(cmd)) return this.resolveDeptype(cmd);
        return this.svcExec(cmd);
    }
  }

  // ---- running the script

  private async svcExec(cmd: string): Promise<number> {
    const arg0 = `${this.rc.libexecdir}/sh/openrc-run.sh`;
    await this.einfo.einfov(`Executing: ${arg0} ${this.service} ${cmd}`);
    const env = this.env.child();
    env.set('PATH', libraryPath(env.get('PATH'), this.rc.libexecdir));
    const status = await runLibrary({ ...this.sc, signal: this.session.signal }, {
      env,
      text: libraryText(RUNSCRIPT, this.rc),
      arg0,
      params: [this.service, cmd],
      hooks: { rc: this.rc, host: this.sc.host, onSelfMark: () => (this.skipMark = true) },
    });
    // interrupted: openrc-run exits at once (its cleanup puts the state back)
    if (this.session.signal.aborted) throw new RcExit(1);
    return status;
  }

  // ---- dependencies

  private depOptions(): number {
    const strict = this.conf.get('rc_depend_strict');
    return DEP_TRACE | (strict === undefined || yesno(strict) ? DEP_STRICT : 0);
  }

  private async tree(): Promise<DepTree> {
    if (!this.session.deptree) {
      const loaded = await loadDeptree(this.sc, this.rc, this.conf, this.env, this.einfo, this.sc.host);
      if (!loaded.tree) await this.die('failed to load deptree');
      this.session.deptree = loaded.tree;
    }
    return this.session.deptree!;
  }

  private async dependsOn(types: readonly string[], options: number): Promise<string[]> {
    return depends(depView(await this.tree(), this.rc, this.env), types, [this.applet], this.runlevel, options);
  }

  /** service_start / service_stop: run another service's script for start or stop, holding its
  lock, in this process. */
  private async execService(name: string, action: 'start' | 'stop'): Promise<void> {
    const base = basename(name);
    if (this.session.lock(base) !== 'ok') return;
    const file = this.rc.resolve(name);
    if (!file || !fs.existsSync(fsPath(file))) {
      this.rc.mark(name, State.Stopped);
      this.session.unlock(base);
      return;
    }
    await runService(this.sc, this.session, file, [action], this.env, true);
  }

  /** svc_wait: until whoever holds the service's lock lets go (60 s, warning every 10 s). */
  private async svcWait(svc: string): Promise<boolean> {
    const base = basename(svc);
    if (!this.session.locked(base)) return true;
    if (this.session.ownLock(base)) {
      // held by a command of ours further up: waiting would wait for ourselves
      const loop = loopThrough(await this.tree(), base, TYPES_NWUA);
      if (loop) await this.einfo.eerror(`Found an unresolvable dependency: ${loop}.`);
      return false;
    }
    const keywords = depend(await this.tree(), svc, 'keyword');
    const forever = keywords.includes('-timeout') || keywords.includes('notimeout');
    let timeout = WAIT_TIMEOUT;
    for (;;) {
      for (let i = 0; i < WARN_TIMEOUT * 50; i++) {
        await sleep(20);
        if (!this.session.locked(base)) return true;
        if (this.session.signal.aborted) return false;
      }
      if (forever) continue;
      timeout -= WARN_TIMEOUT;
      if (timeout <= 0) return false;
      await this.einfo.ewarn(`${this.applet}: waiting for ${base} (${timeout} seconds)`);
    }
  }

  // ---- start

  private async svcStartCheck(): Promise<void> {
    const state = this.rc.state(this.applet);
    if (this.inBackground) {
      if (!(state & (State.Inactive | State.Stopped))) throw new RcExit(1);
      if (yesno(this.env.get('IN_HOTPLUG'))) this.rc.mark(this.applet, State.Hotplugged);
      if (this.runlevel === LEVEL_SYSINIT) await this.die(`WARNING: ${this.applet} will be started in the next runlevel`, true);
    }
    if (state & State.Started) {
      await this.einfo.ewarn(`WARNING: ${this.applet} has already been started`);
      throw new RcExit(0);
    } else if (state & State.Inactive && !this.inBackground) {
      await this.die(`WARNING: ${this.applet} has already started, but is inactive`, true);
    }
    if (!this.locked) await this.takeLock(state, 'start');
    this.rc.mark(this.applet, State.Starting);
  }

  private async takeLock(state: number, action: 'start' | 'stop'): Promise<void> {
    const got = this.session.lock(this.applet);
    if (got === 'ok') {
      this.locked = true;
      return;
    }
    // with --nodeps a busy lock is someone else doing our job: fine (OpenRC issue 224)
    if (got === 'busy' && !this.deps) throw new RcExit(0);
    if (got !== 'busy') await this.die(`${this.applet}: failed to acquire lock: ${strerror(got.code)}`);
    if (action === 'start') await this.die(state & State.Stopping ? `WARNING: ${this.applet} is stopping` : `WARNING: ${this.applet} is already starting`, true);
    if (state & State.Stopping) await this.die(`WARNING: ${this.applet} is already stopping`, true);
    await this.die(`ERROR: ${this.applet} stopped by something else`);
  }

  private async svcStartDeps(): Promise<void> {
    const options = this.depOptions();
    const tree = await this.tree();
    const view = depView(tree, this.rc, this.env);
    const broken = depends(view, TYPES_B, [this.applet], this.runlevel, 0);
    if (broken.length) {
      await this.einfo.eerrorn(`ERROR: ${this.applet} needs service(s) `);
      await this.sc.stderr.write(`${broken.join(', ')}\n`);
      throw new RcExit(1);
    }
    this.needServices = depends(view, TYPES_N, [this.applet], this.runlevel, options);
    this.wantServices = depends(view, TYPES_NW, [this.applet], this.runlevel, options);
    this.useServices = depends(view, TYPES_NWU, [this.applet], this.runlevel, options);

    if (!this.rc.runlevelStarting()) {
      for (const svc of this.useServices) {
        const state = this.rc.state(svc);
        if (!(state & State.Stopped)) continue;
        if (this.dryRun) {
          await this.sc.stdout.write(` ${svc}`);
          continue;
        }
        await this.execService(svc, 'start');
      }
    }
    if (this.dryRun) return;

    const services = depends(view, TYPES_NWUA, [this.applet], this.runlevel, options);
    const waiting: string[] = [];
    for (const svc of services) {
      let state = this.rc.state(svc);
      if (state & State.Started) continue;
      // do not wait for services which went inactive and are now starting after us
      if (state & State.Starting && state & State.WasInactive) {
        if (!this.needServices.includes(svc) && !this.wantServices.includes(svc) && !this.useServices.includes(svc)) continue;
      }
      if (!(await this.svcWait(svc)) && !this.session.ownLock(svc)) await this.einfo.eerror(`${this.applet}: timed out waiting for ${svc}`);
      state = this.rc.state(svc);
      if (state & State.Started) continue;
      if (this.needServices.includes(svc)) {
        if (state & (State.Inactive | State.WasInactive)) waiting.push(svc);
        else if (waiting.length === 0) await this.die(`ERROR: cannot start ${this.applet} as ${svc} would not start`);
      }
    }
    if (waiting.length) {
      // keep the scheduled list: mark stopped and give up the lock
      this.rc.mark(this.applet, State.Stopped);
      for (const svc of waiting) {
        this.rc.scheduleStart(svc, this.applet);
        for (const p of depend(tree, svc, 'iprovide')) this.rc.scheduleStart(p, this.applet);
      }
      await this.die(`WARNING: ${this.applet} will start when ${waiting.join(', ')} ${waiting.length > 1 ? 'have' : 'has'} started`, true);
    }
  }

  private async svcStartReal(): Promise<void> {
    const saved = this.env.get('IN_BACKGROUND');
    if (this.ibsave !== undefined) this.env.set('IN_BACKGROUND', this.ibsave);
    this.skipMark = false;
    const started = (await this.svcExec('start')) === 0;
    if (this.ibsave !== undefined) {
      if (saved === undefined) this.env.delete('IN_BACKGROUND');
      else this.env.set('IN_BACKGROUND', saved);
    }
    if (this.rc.state(this.applet) & State.Inactive) await this.die(`WARNING: ${this.applet} has started, but is inactive`, true);
    else if (!started) await this.die(`ERROR: ${this.applet} failed to start`);
    if (!this.skipMark) this.rc.mark(this.applet, State.Started);
    this.unlock();

    // start what was waiting for us (or for what we provide)
    for (const svc of this.rc.scheduled(this.applet)) if (this.rc.state(svc) & State.Stopped) await this.execService(svc, 'start');
    const tree = this.session.deptree;
    if (tree) {
      for (const p of depend(tree, this.applet, 'iprovide')) {
        for (const svc of this.rc.scheduled(p)) if (this.rc.state(svc) & State.Stopped) await this.execService(svc, 'start');
      }
    }
  }

  private async svcStart(): Promise<number> {
    if (this.dryRun) await this.einfo.einfon('start:');
    else await this.svcStartCheck();
    this.session.chain.push(this.applet);
    try {
      if (this.deps) await this.svcStartDeps();
      if (this.dryRun) await this.sc.stdout.write(` ${this.applet}\n`);
      else await this.svcStartReal();
    } finally {
      this.session.chain.pop();
    }
    return 0;
  }

  // ---- stop

  /** 1 when it is stopped already. */
  private async svcStopCheck(): Promise<{ stopped: true } | { state: number }> {
    const state = this.rc.state(this.applet);
    if (this.rc.runlevelStopping() && state & State.Failed) throw new RcExit(1);
    if (this.inBackground && !(state & State.Started) && !(state & State.Inactive)) throw new RcExit(1);
    if (state & State.Stopped) {
      await this.einfo.ewarn(`WARNING: ${this.applet} is already stopped`);
      return { stopped: true };
    }
    if (!this.locked) await this.takeLock(state, 'stop');
    this.rc.mark(this.applet, State.Stopping);
    if (!this.rc.runlevelStopping()) {
      if (this.rc.inRunlevel(this.applet, LEVEL_SYSINIT)) await this.einfo.ewarn('WARNING: you are stopping a sysinit service');
      else if (this.rc.inRunlevel(this.applet, LEVEL_BOOT)) await this.einfo.ewarn('WARNING: you are stopping a boot service');
    }
    return { state };
  }

  private async svcStopDeps(state: number): Promise<void> {
    if (state & State.WasInactive) return;
    const options = this.depOptions();
    const tree = await this.tree();
    const view = depView(tree, this.rc, this.env);
    const services = depends(view, TYPES_M, [this.applet], this.runlevel, options);
    const stopped: string[] = [];
    for (const svc of [...services].reverse()) {
      const st = this.rc.state(svc);
      if (st & State.Failed && this.rc.runlevelStopping()) continue;
      if (!(st & (State.Started | State.Inactive))) continue;
      if (this.dryRun) {
        await this.sc.stdout.write(` ${svc}`);
        continue;
      }
      await this.svcWait(svc);
      if (this.rc.state(svc) & (State.Started | State.Inactive)) {
        await this.execService(svc, 'stop');
        stopped.push(svc);
      }
    }
    if (this.dryRun) return;
    for (const svc of stopped) {
      if (this.rc.state(svc) & State.Stopped) continue;
      await this.svcWait(svc);
      if (this.rc.state(svc) & State.Stopped) continue;
      if (this.rc.runlevelStopping()) {
        // shutting down, we stop even when a dependent failed to
        if (this.runlevel === LEVEL_SHUTDOWN || this.runlevel === LEVEL_SINGLE) continue;
        this.rc.mark(this.applet, State.Failed);
      }
      await this.die(`ERROR: cannot stop ${this.applet} as ${svc} is still up`);
    }
    // wait for those that use us and are stopping (a runlevel change)
    for (const svc of depends(view, TYPES_MWUA, [this.applet], this.runlevel, options)) {
      if (this.rc.state(svc) & State.Stopped) continue;
      await this.svcWait(svc);
    }
  }

  private async svcStopReal(): Promise<void> {
    if (this.applet === 'localmount') this.env.set('LC_ALL', 'C');
    if (this.ibsave !== undefined) this.env.set('IN_BACKGROUND', this.ibsave);
    this.skipMark = false;
    const stopped = (await this.svcExec('stop')) === 0;
    if (this.ibsave !== undefined) this.env.delete('IN_BACKGROUND');
    if (stopped && !this.skipMark) this.rc.mark(this.applet, this.inBackground ? State.Inactive : State.Stopped);
    if (!stopped) await this.die(`ERROR: ${this.applet} failed to stop`);
  }

  private async svcStop(): Promise<number> {
    let state = 0;
    if (this.dryRun) await this.einfo.einfon('stop:');
    else {
      const check = await this.svcStopCheck();
      if ('stopped' in check) return 1;
      state = check.state;
    }
    this.session.chain.push(this.applet);
    try {
      if (this.deps) await this.svcStopDeps(state);
      if (this.dryRun) await this.sc.stdout.write(` ${this.applet}\n`);
      else await this.svcStopReal();
    } finally {
      this.session.chain.pop();
    }
    return 0;
  }

  private async cmdStop(cmd: string): Promise<number> {
    if (cmd === 'pause') {
      await this.einfo.ewarn("WARNING: 'pause' is deprecated; please use '--nodeps stop'");
      this.deps = false;
    }
    if (this.deps && this.inBackground) this.getStartedServices();
    if ((await this.svcStop()) === 1) return 0;
    if (this.deps) {
      if (!this.inBackground && !this.rc.runlevelStopping() && this.rc.state(this.applet) & State.Stopped) this.unhotplug();
      if (this.inBackground && this.rc.state(this.applet) & State.Inactive) {
        for (const svc of this.restartServices ?? []) if (this.rc.state(svc) & State.Stopped) this.rc.scheduleStart(this.applet, svc);
      }
    }
    return 0;
  }

  private getStartedServices(): void {
    this.restartServices = [...this.rc.servicesInState(State.Started), ...this.rc.servicesInState(State.Inactive)];
  }

  private async svcRestart(): Promise<void> {
    if (!(this.rc.state(this.applet) & State.Stopped)) {
      this.getStartedServices();
      await this.svcStop();
      if (this.dryRun) await this.einfo.ewarn('Cannot calculate restart start dependencies on a dry-run');
    }
    await this.svcStart();
    await this.startServices(this.restartServices);
    this.restartServices = undefined;
  }

  /** Start again what our stop stopped (dependents), or schedule them while we are inactive. */
  private async startServices(list: readonly string[] | undefined): Promise<void> {
    const state = this.rc.state(this.applet);
    if (!list || !(state & (State.Inactive | State.WasInactive | State.Starting | State.Started))) return;
    for (const svc of list) {
      if (!(this.rc.state(svc) & State.Stopped)) continue;
      if (state & (State.Inactive | State.WasInactive)) {
        this.rc.scheduleStart(this.applet, svc);
        await this.einfo.ewarn(`WARNING: ${svc} will start when ${this.applet} has started`);
      } else await this.execService(svc, 'start');
    }
  }

  private async resolveDeptype(type: string): Promise<number> {
    const list = depends(depView(await this.tree(), this.rc, this.env), [type], [this.applet], this.runlevel, this.depOptions());
    await this.sc.stdout.write(`${list.map((s) => `${s} `).join('')}\n`);
    return 0;
  }

  // ---- leaving

  private unhotplug(): void {
    fs.rmSync(fsPath(`${this.rc.svcdir}/hotplugged/${this.applet}`), { force: true });
  }

  private unlock(): void {
    if (!this.locked) return;
    this.session.unlock(this.applet);
    this.locked = false;
  }

  /** restore_state: a start or stop that did not finish puts the service back where it was. */
  private restoreState(): void {
    if (!this.locked) return;
    const state = this.rc.state(this.applet);
    if (state & State.Stopping) {
      this.rc.mark(this.applet, state & State.WasInactive ? State.Inactive : State.Started);
      if (this.rc.runlevelStopping()) this.rc.mark(this.applet, State.Failed);
    } else if (state & State.Starting) {
      this.rc.mark(this.applet, state & State.WasInactive ? State.Inactive : State.Stopped);
      if (this.rc.runlevelStarting()) this.rc.mark(this.applet, State.Failed);
    }
    this.unlock();
  }

  private async cleanup(): Promise<void> {
    this.restoreState();
    if (this.restartServices) {
      const list = this.restartServices;
      this.restartServices = undefined;
      try {
        await this.startServices(list);
      } catch (err) {
        if (!(err instanceof RcExit)) throw err;
      }
    }
  }

  private pluggable(): boolean {
    const match = this.conf.get('rc_hotplug') ?? this.conf.get('rc_plug_services');
    if (!match) return false;
    for (let token of match.split(' ')) {
      const allow = !token.startsWith('!');
      if (!allow) token = token.slice(1);
      const re = new RegExp(`^${token.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      if (re.test(this.applet)) return allow;
    }
    return true;
  }
}

/** A session for a command that runs services (rc-service, openrc, openrc-run). */
export function newSession(sc: ShellContext, env: Env): Session {
  return new Session(Rc.of(env), sc.host, sc.signal);
}

/** Run a command's work in a session that catches SIGINT, SIGTERM and SIGQUIT. */
export async function withSession<T>(sc: ShellContext, env: Env, work: (session: Session) => Promise<T>): Promise<T> {
  const session = newSession(sc, env);
  const einfo = new Einfo(env, contextOut(sc));
  const off = session.catchSignals((message) => void einfo.eerror(message));
  try {
    return await work(session);
  } finally {
    off();
  }
}
