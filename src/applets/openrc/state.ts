// librc: where OpenRC keeps things and what it knows about services. Service states are symlinks
// in the state directory (/run/openrc: started/NAME -> /etc/init.d/NAME ...), runlevels are
// directories of symlinks under /etc/runlevels, values a service saves are files under
// options/NAME, daemons it started are records under daemons/NAME. Everything lives under a root
// (normally /; tests give their own, see rootOf) so that the same code serves a chroot and a test;
// links point to paths under that root.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import type { Env } from '../../core/env.js';
import { errorCode } from '../../core/errors.js';

/** The environment variable that moves every OpenRC path under another root (tests). OpenRC
 *  itself has fixed paths; a real system never sets this. */
export const ROOT_VARIABLE = 'TOOLBOX_OPENRC_ROOT';

export function rootOf(env: Env): string {
  const root = env.get(ROOT_VARIABLE);
  return root ? root.replace(/\/+$/, '') : '';
}

export const enum State {
  Started = 0x0001,
  Stopped = 0x0002,
  Starting = 0x0004,
  Stopping = 0x0008,
  Inactive = 0x0010,
  WasInactive = 0x0100,
  Hotplugged = 0x0200,
  Failed = 0x0400,
  Scheduled = 0x0800,
  Crashed = 0x1000,
}

// State directories, the exclusive ones (≤ Inactive) first, as librc lists them.
const STATE_NAMES: readonly [State, string][] = [
  [State.Started, 'started'],
  [State.Stopped, 'stopped'],
  [State.Starting, 'starting'],
  [State.Stopping, 'stopping'],
  [State.Inactive, 'inactive'],
  [State.WasInactive, 'wasinactive'],
  [State.Hotplugged, 'hotplugged'],
  [State.Failed, 'failed'],
  [State.Scheduled, 'scheduled'],
];

/** The sub-directories of the state directory (librc creates them before building the deptree). */
export const SVCDIR_SUBDIRS = [
  'starting', 'started', 'stopping', 'inactive', 'wasinactive', 'failed', 'hotplugged', 'daemons',
  'options', 'exclusive', 'scheduled', 'tmp',
];

export function stateName(state: State): string | undefined {
  return STATE_NAMES.find(([s]) => s === state)?.[1];
}

export const LEVEL_SYSINIT = 'sysinit';
export const LEVEL_BOOT = 'boot';
export const LEVEL_DEFAULT = 'default';
export const LEVEL_SINGLE = 'single';
export const LEVEL_SHUTDOWN = 'shutdown';

export const VERSION = '0.45.2';

/** The last path component. */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function exists(p: string): boolean {
  try {
    fs.statSync(fsPath(p));
    return true;
  } catch {
    return false;
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(fsPath(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(fsPath(p)).isDirectory();
  } catch {
    return false;
  }
}

/** A file's contents as a binary string, or undefined. */
export function readText(p: string): string | undefined {
  try {
    return fs.readFileSync(fsPath(p), 'latin1');
  } catch {
    return undefined;
  }
}

function writeText(p: string, text: string): boolean {
  try {
    fs.writeFileSync(fsPath(p), text, 'latin1');
    return true;
  } catch {
    return false;
  }
}

function unlink(p: string): boolean {
  try {
    fs.unlinkSync(fsPath(p));
    return true;
  } catch {
    return false;
  }
}

function mkdir(p: string, mode = 0o755): boolean {
  try {
    fs.mkdirSync(fsPath(p), { mode });
    return true;
  } catch (err) {
    return errorCode(err) === 'EEXIST';
  }
}

/** Names in a directory in the order the file system keeps them (as readdir(3) gives them to the
 *  C tools; Node's readdirSync sorts), without dot files. */
export function listDir(dir: string, only?: 'initd' | 'dirs'): string[] {
  const names: string[] = [];
  let d: fs.Dir;
  try {
    d = fs.opendirSync(fsPath(dir), { encoding: 'latin1' } as fs.OpenDirOptions);
  } catch {
    return names;
  }
  try {
    for (let e = d.readSync(); e; e = d.readSync()) {
      const name = e.name as unknown as string;
      if (name.startsWith('.')) continue;
      if (only) {
        let st: fs.Stats;
        try {
          st = fs.statSync(fsPath(`${dir}/${name}`));
        } catch {
          continue; // a dangling link: the service was removed
        }
        if (only === 'initd' && name.length > 2 && name.endsWith('.sh')) continue;
        if (only === 'dirs' && !st.isDirectory()) continue;
      }
      names.push(name);
    }
  } finally {
    d.closeSync();
  }
  return names;
}

/** Remove a directory tree (librc's rm_dir). */
function removeTree(p: string): void {
  try {
    fs.rmSync(fsPath(p), { recursive: true, force: true });
  } catch {
    // as librc: best effort
  }
}

/** Byte order, as C's strcmp sorts. */
export function byteSort(list: string[]): string[] {
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The OpenRC system under a root: paths, service states, runlevels, values and daemon records. */
export class Rc {
  readonly svcdir: string;
  readonly initdir: string;
  readonly localInitdir: string;
  readonly pkgInitdir: string;
  readonly confdir: string;
  readonly runleveldir: string;
  readonly rcConf: string;
  readonly libexecdir: string;

  constructor(readonly root: string) {
    this.svcdir = `${root}/run/openrc`;
    this.initdir = `${root}/etc/init.d`;
    this.localInitdir = `${root}/usr/local/etc/init.d`;
    this.pkgInitdir = `${root}/usr/etc/init.d`;
    this.confdir = `${root}/etc/conf.d`;
    this.runleveldir = `${root}/etc/runlevels`;
    this.rcConf = `${root}/etc/rc.conf`;
    this.libexecdir = `${root}/lib/rc`;
  }

  static of(env: Env): Rc {
    return new Rc(rootOf(env));
  }

  /** The directories init scripts are looked for in, in gendepends.sh's order. */
  initDirs(): string[] {
    return [this.initdir, this.pkgInitdir, this.localInitdir];
  }

  /** Create the state directory's sub-directories (as librc does before it builds the deptree). */
  ensureSvcdir(): void {
    mkdir(this.svcdir);
    for (const sub of SVCDIR_SUBDIRS) mkdir(`${this.svcdir}/${sub}`);
  }

  // ---- runlevels

  runlevelGet(): string {
    const text = readText(`${this.svcdir}/softlevel`);
    const level = text?.split('\n')[0];
    return level ? level : LEVEL_SYSINIT;
  }

  /** Whether softlevel exists (openrc-run refuses to act on a system OpenRC did not boot). */
  booted(): boolean {
    return exists(`${this.svcdir}/softlevel`);
  }

  runlevelSet(level: string): boolean {
    return writeText(`${this.svcdir}/softlevel`, level);
  }

  runlevelExists(level: string | undefined): boolean {
    if (!level || level === '.' || level === '..') return false;
    return isDir(`${this.runleveldir}/${level}`);
  }

  runlevelList(): string[] {
    return listDir(this.runleveldir, 'dirs');
  }

  /** The runlevel and those stacked into it (recursively), each once, the deepest last. */
  runlevelStacks(level: string): string[] {
    const chain: string[] = [];
    const walk = (l: string) => {
      if (!this.runlevelExists(l)) return;
      const at = chain.indexOf(l);
      if (at >= 0) chain.splice(at, 1);
      chain.push(l);
      for (const sub of listDir(`${this.runleveldir}/${l}`, 'dirs')) walk(sub);
    };
    walk(level);
    return chain;
  }

  runlevelStack(dst: string, src: string): boolean {
    if (!this.runlevelExists(dst) || !this.runlevelExists(src)) return false;
    fs.symlinkSync(fsPath(`../${src}`), fsPath(`${this.runleveldir}/${dst}/${src}`));
    return true;
  }

  runlevelUnstack(dst: string, src: string): boolean {
    fs.unlinkSync(fsPath(`${this.runleveldir}/${dst}/${src}`));
    return true;
  }

  /** rc.starting / rc.stopping exist while `openrc` changes runlevel. */
  runlevelStarting(): boolean {
    return exists(`${this.svcdir}/rc.starting`);
  }
  runlevelStopping(): boolean {
    return exists(`${this.svcdir}/rc.stopping`);
  }

  // ---- services

  /** The script for a service name: what started/inactive point to, else the first init dir that has it. */
  resolve(service: string): string | undefined {
    if (service.startsWith('/')) return service;
    for (const state of ['started', 'inactive']) {
      const link = `${this.svcdir}/${state}/${service}`;
      if (isLink(link)) {
        try {
          const target = fs.readlinkSync(fsPath(link), { encoding: 'latin1' });
          if (target) return target;
        } catch {
          // fall through to the init dirs
        }
      }
    }
    for (const dir of [this.localInitdir, this.initdir, this.pkgInitdir]) {
      const file = `${dir}/${service}`;
      if (exists(file)) return file;
    }
    return undefined;
  }

  /** ENOENT: no such service; ENOEXEC: not executable; EINVAL: a .sh file. */
  existsError(service: string): 'ENOENT' | 'ENOEXEC' | 'EINVAL' | undefined {
    if (service.length > 2 && service.endsWith('.sh')) return 'EINVAL';
    const file = this.resolve(service);
    if (!file) return 'ENOENT';
    try {
      return fs.statSync(fsPath(file)).mode & 0o111 ? undefined : 'ENOEXEC';
    } catch {
      return 'ENOENT';
    }
  }

  exists(service: string): boolean {
    return this.existsError(service) === undefined;
  }

  inRunlevel(service: string, level: string): boolean {
    return exists(`${this.runleveldir}/${level}/${basename(service)}`);
  }

  /** Services in a runlevel, or with no runlevel every service there is. */
  servicesInRunlevel(level?: string): string[] {
    if (level === undefined) {
      return [...listDir(this.initdir, 'initd'), ...listDir(this.pkgInitdir, 'initd'), ...listDir(this.localInitdir, 'initd')];
    }
    if (level === LEVEL_SINGLE) return [];
    return listDir(`${this.runleveldir}/${level}`, 'initd');
  }

  servicesInRunlevelStacked(level: string): string[] {
    const list = this.servicesInRunlevel(level);
    for (const stacked of this.runlevelStacks(level)) list.push(...this.servicesInRunlevel(stacked));
    return list;
  }

  servicesInState(state: State): string[] {
    const name = stateName(state)!;
    if (state !== State.Scheduled) return listDir(`${this.svcdir}/${name}`, 'initd');
    const list: string[] = [];
    for (const by of listDir(`${this.svcdir}/scheduled`)) list.push(...listDir(`${this.svcdir}/scheduled/${by}`, 'initd'));
    return list;
  }

  /** The service's state bits: one of started/stopped/starting/stopping/inactive, plus flags. */
  state(service: string): number {
    const base = basename(service);
    let state: number = State.Stopped;
    for (const [bit, name] of STATE_NAMES) {
      if (!exists(`${this.svcdir}/${name}/${base}`)) continue;
      if (bit <= 0x10) state = bit;
      else state |= bit;
    }
    if (state & State.Stopped) {
      for (const by of listDir(`${this.svcdir}/scheduled`)) {
        if (exists(`${this.svcdir}/scheduled/${by}/${service}`)) {
          state |= State.Scheduled;
          break;
        }
      }
    }
    return state;
  }

  /** Move a service to a state (rc_service_mark), with librc's side effects on the other marks. */
  mark(service: string, state: State): boolean {
    const init = this.resolve(service);
    if (!init) return false;
    const base = basename(service);
    let skip: State | undefined;
    const target = init;
    if (state !== State.Stopped) {
      if (!exists(init)) return false;
      const file = `${this.svcdir}/${stateName(state)}/${base}`;
      if (isLink(file) || exists(file)) unlink(file);
      try {
        fs.symlinkSync(fsPath(target), fsPath(file));
      } catch {
        return false;
      }
      skip = state;
    }
    if (state === State.Hotplugged || state === State.Failed) return true;

    let skipWasInactive = false;
    for (const [bit, name] of STATE_NAMES) {
      if (bit === skip || bit === State.Stopped || bit === State.Hotplugged || bit === State.Scheduled) continue;
      if (skipWasInactive && bit === State.WasInactive) continue;
      const file = `${this.svcdir}/${name}/${base}`;
      if (!isLink(file) && !exists(file)) continue;
      if ((state === State.Starting || state === State.Stopping) && bit === State.Inactive) {
        try {
          fs.symlinkSync(fsPath(target), fsPath(`${this.svcdir}/wasinactive/${base}`));
        } catch {
          return false;
        }
        skipWasInactive = true;
      }
      if (!unlink(file)) return false;
    }

    if (state === State.Started || state === State.Stopped || state === State.Inactive) unlink(`${this.svcdir}/exclusive/${base}`);
    if (state === State.Stopped) {
      removeTree(`${this.svcdir}/options/${base}`);
      removeTree(`${this.svcdir}/daemons/${base}`);
      removeTree(`${this.svcdir}/scheduled/${base}`);
    }
    if (state === State.Started || state === State.Stopped) {
      const scheduled = `${this.svcdir}/scheduled`;
      for (const by of listDir(scheduled)) {
        unlink(`${scheduled}/${by}/${base}`);
        try {
          fs.rmdirSync(fsPath(`${scheduled}/${by}`));
        } catch {
          // not empty: other services are scheduled by it
        }
      }
    }
    return true;
  }

  // ---- values a service keeps (service_set_value, supervise-daemon's bookkeeping)

  valueGet(service: string, option: string): string | undefined {
    return readText(`${this.svcdir}/options/${service}/${option}`);
  }

  valueSet(service: string, option: string, value: string | undefined): boolean {
    if (!mkdir(`${this.svcdir}/options/${service}`)) return false;
    return writeText(`${this.svcdir}/options/${service}/${option}`, value ?? '');
  }

  // ---- scheduling (start B when A has started)

  scheduleStart(service: string, toStart: string): boolean {
    if (!this.exists(toStart)) return false;
    const dir = `${this.svcdir}/scheduled/${basename(service)}`;
    if (!mkdir(dir)) return false;
    const file = `${dir}/${basename(toStart)}`;
    if (exists(file)) return true;
    try {
      fs.symlinkSync(fsPath(this.resolve(toStart)!), fsPath(file));
      return true;
    } catch {
      return false;
    }
  }

  scheduled(service: string): string[] {
    return listDir(`${this.svcdir}/scheduled/${basename(service)}`, 'initd');
  }

  // ---- runlevel membership

  serviceAdd(level: string, service: string): { ok: true } | { ok: false; code: string } {
    if (!this.runlevelExists(level)) return { ok: false, code: 'ENOENT' };
    if (this.inRunlevel(service, level)) return { ok: false, code: 'EEXIST' };
    const init = this.resolve(service)!;
    let target = init;
    // Only scripts in /etc/init.d may join the boot runlevel.
    if (level === LEVEL_BOOT) {
      let dir: string;
      try {
        dir = fs.realpathSync(fsPath(init.slice(0, init.lastIndexOf('/')) || '/'), { encoding: 'latin1' });
      } catch (err) {
        return { ok: false, code: errorCode(err) ?? 'ENOENT' };
      }
      if (dir !== this.initdir) return { ok: false, code: 'EPERM' };
      target = `${this.initdir}/${service}`;
    }
    try {
      fs.symlinkSync(fsPath(target), fsPath(`${this.runleveldir}/${level}/${basename(service)}`));
      return { ok: true };
    } catch (err) {
      return { ok: false, code: errorCode(err) ?? 'EIO' };
    }
  }

  serviceDelete(level: string, service: string): { ok: true } | { ok: false; code: string } {
    try {
      fs.unlinkSync(fsPath(`${this.runleveldir}/${level}/${basename(service)}`));
      return { ok: true };
    } catch (err) {
      return { ok: false, code: errorCode(err) ?? 'EIO' };
    }
  }
}
