// Finding and stopping daemons (librc-daemon and OpenRC's stop schedules): processes are matched
// through /proc by pid, by the name the kernel keeps for them (comm, compared with the basename of
// the executable as OpenRC does, so names longer than 15 bytes never match), by argv and by owner.
// The daemons a service started are recorded under daemons/NAME so that `status` can tell a
// crashed service from a running one.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import type { ProcessHost } from '../../core/context.js';
import { signalNumber } from '../../core/process.js';
import { basename, type Rc, listDir, readText } from './state.js';

export interface PidQuery {
  exec?: string;
  argv?: readonly string[];
  uid?: number;
  pid?: number;
  /** Never match this pid (RC_OPENRC_PID: the openrc-run running the script). */
  exclude?: number;
}

/** A process that has ended but not been waited for (state Z) counts as gone. In this process
 *  that matters: a daemon started here is our child until we exit, and is reaped only when our
 *  event loop gets to it, where OpenRC's daemons are orphans init reaps at once. */
function isZombie(pid: number): boolean {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return false;
  return stat[stat.lastIndexOf(')') + 2] === 'Z';
}

function pidIsExec(pid: number, exec: string): boolean {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return false;
  const open = stat.indexOf('(');
  if (open < 0) return false;
  // Compare like the C loop: the name must end exactly where comm's ')' is.
  const name = basename(exec);
  const comm = stat.slice(open + 1, open + 1 + name.length + 1);
  return comm === `${name})`;
}

function pidIsArgv(pid: number, argv: readonly string[]): boolean {
  let cmdline: Buffer;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return false;
  }
  const words = cmdline.subarray(0, 4096).toString('latin1').split('\0');
  return argv.every((a, i) => words[i] === a);
}

/** rc_find_pids: the processes matching every criterion given. */
export function findPids(q: PidQuery): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const p = Number(entry);
    if (q.exclude && p === q.exclude) continue;
    if (q.pid && q.pid !== p) continue;
    if (q.uid) {
      try {
        if (fs.statSync(`/proc/${p}`).uid !== q.uid) continue;
      } catch {
        continue;
      }
    }
    if (q.exec && !pidIsExec(p, q.exec)) continue;
    if (q.argv && !pidIsArgv(p, q.argv)) continue;
    if (isZombie(p)) continue;
    pids.unshift(p); // librc inserts at the head of its list
  }
  return pids;
}

export type Killer = Pick<ProcessHost, 'kill'>;

export function processAlive(host: Killer, pid: number): boolean {
  try {
    host.kill(pid, 0);
    return !isZombie(pid);
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** The pid in a pidfile: a number at its start (fscanf %d), else undefined with the reason. */
export function readPidfile(pidfile: string): { pid: number } | { error: 'open' | 'parse'; code?: string } {
  let text: string;
  try {
    text = fs.readFileSync(fsPath(pidfile), 'latin1');
  } catch (err) {
    return { error: 'open', code: (err as { code?: string }).code };
  }
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? { pid: Number(m[1]) } : { error: 'parse' };
}

// ---- the daemons a service started (daemons/NAME/NNN)

function matchLines(exec: string | undefined, argv: readonly string[] | undefined, pidfile: string | undefined): string[] {
  const lines: string[] = [];
  if (exec !== undefined) lines.push(`exec=${exec}`);
  // librc numbers every argv line argv_0 when matching (its records count them): kept as it is
  for (const a of argv ?? []) lines.push(`argv_0=${a}`);
  if (pidfile !== undefined) lines.push(`pidfile=${pidfile}`);
  return lines;
}

function recordMatches(file: string, wanted: string[]): boolean {
  const text = readText(file);
  if (text === undefined) return false;
  const left = [...wanted];
  for (const line of text.split('\n')) {
    const at = left.indexOf(line);
    if (at >= 0) left.splice(at, 1);
    if (left.length === 0) break;
  }
  return left.length === 0;
}

/** rc_service_daemon_set: forget the matching record, and with started=true write a new one. */
export function daemonSet(rc: Rc, service: string, exec: string | undefined, argv: readonly string[] | undefined, pidfile: string | undefined, started: boolean): boolean {
  if (exec === undefined && pidfile === undefined) return false;
  const dir = `${rc.svcdir}/daemons/${basename(service)}`;
  let nfiles = 0;
  let old = '';
  const wanted = matchLines(exec, argv, pidfile);
  for (const name of listDir(dir)) {
    const file = `${dir}/${name}`;
    nfiles++;
    if (!old) {
      if (recordMatches(file, wanted)) {
        fs.rmSync(fsPath(file), { force: true });
        old = file;
        nfiles--;
      }
    } else {
      // close the gap: each later record moves down one number
      fs.renameSync(fsPath(file), fsPath(old));
      old = file;
    }
  }
  if (!started) return true;
  try {
    fs.mkdirSync(fsPath(dir), { recursive: true, mode: 0o755 });
  } catch {
    return false;
  }
  let text = `exec=${exec ?? ''}`;
  (argv ?? []).forEach((a, i) => (text += `\nargv_${i}=${a}`));
  text += `\npidfile=${pidfile ?? ''}\n`;
  try {
    fs.writeFileSync(fsPath(`${dir}/${String(nfiles + 1).padStart(3, '0')}`), text, 'latin1');
    return true;
  } catch {
    return false;
  }
}

/** rc_service_started_daemon: whether a record (or record number index) names this exec/argv. */
export function startedDaemon(rc: Rc, service: string, exec: string, argv: readonly string[] | undefined, index: number): boolean {
  const dir = `${rc.svcdir}/daemons/${basename(service)}`;
  const wanted = matchLines(exec, argv, undefined);
  if (index > 0) return recordMatches(`${dir}/${String(index).padStart(3, '0')}`, wanted);
  return listDir(dir).some((name) => recordMatches(`${dir}/${name}`, wanted));
}

/** rc_service_daemons_crashed: a recorded daemon whose pidfile or process is gone. */
export function daemonsCrashed(rc: Rc, host: Killer, service: string): boolean {
  const dir = `${rc.svcdir}/daemons/${basename(service)}`;
  for (const name of listDir(dir)) {
    const text = readText(`${dir}/${name}`);
    if (text === undefined) break;
    let exec: string | undefined;
    const argv: string[] = [];
    let pidfile: string | undefined;
    for (const line of text.split('\n')) {
      const eq = line.indexOf('=');
      if (eq < 0 || eq === line.length - 1) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      if (key === 'exec') exec = value;
      else if (key.startsWith('argv_')) argv.push(value);
      else if (key === 'pidfile') {
        pidfile = value;
        break;
      }
    }
    if (pidfile !== undefined) {
      const chroot = rc.valueGet(basename(service), 'chroot');
      const read = readPidfile(chroot ? chroot + pidfile : pidfile);
      if (!('pid' in read)) return true;
      if (!processAlive(host, read.pid)) return true;
      continue;
    }
    const list = argv.length ? argv : exec !== undefined ? [exec] : undefined;
    if (findPids({ argv: list }).length === 0) return true;
  }
  return false;
}

// ---- stop schedules (--retry)

export type ScheduleItem = { type: 'signal'; value: number } | { type: 'timeout'; value: number } | { type: 'forever' } | { type: 'goto'; to: number };

export class ScheduleError extends Error {}

/** A signal by name (HUP, SIGHUP) or number, as OpenRC's parse_signal accepts it. */
export function parseSignal(spec: string): number | undefined {
  if (spec === '') return undefined;
  if (/^\d/.test(spec)) {
    const n = parseInt(spec, 10);
    return n < 65 ? n : undefined;
  }
  if (spec === 'NULL') return 0;
  const name = spec.startsWith('SIG') ? spec.slice(3) : spec;
  if (name !== name.toUpperCase() || name === 'STKFLT') return undefined;
  return signalNumber(name);
}

/** parse_schedule: `TIMEOUT`, or `SIG/TIMEOUT/SIG/TIMEOUT...` with `forever` repeating from there. */
export function parseSchedule(spec: string | undefined, signal: number, applet: string): ScheduleItem[] {
  if (spec === undefined || !spec.includes('/')) {
    let timeout = 5;
    if (spec !== undefined) {
      const m = /^\s*[+-]?\d+/.exec(spec);
      if (!m) throw new ScheduleError(`${applet}: invalid timeout value in schedule '${spec}'`);
      timeout = parseInt(m[0], 10);
    }
    return [{ type: 'signal', value: signal }, { type: 'timeout', value: timeout }];
  }
  const items: ScheduleItem[] = [];
  let repeatAt = -1;
  for (const part of spec.split('/')) {
    if (part.length >= 20) throw new ScheduleError(`${applet}: invalid schedule item, far too long`);
    if (part === 'forever') {
      if (repeatAt >= 0) throw new ScheduleError(`${applet}: invalid schedule, \`forever' appears more than once`);
      repeatAt = items.length;
      items.push({ type: 'forever' });
      continue;
    }
    if (/^\d/.test(part)) {
      items.push({ type: 'timeout', value: parseInt(part, 10) });
      continue;
    }
    const sig = parseSignal(part.startsWith('-') ? part.slice(1) : part);
    if (sig === undefined) {
      // parse_signal dies with its own message for a bad name
      throw new ScheduleError(`${applet}: \`${part.startsWith('-') ? part.slice(1) : part}' is not a valid signal`);
    }
    items.push({ type: 'signal', value: sig });
  }
  if (repeatAt >= 0) items.push({ type: 'goto', to: repeatAt });
  return items;
}

export interface StopIo {
  host: Killer;
  einfo(text: string): Promise<unknown>;
  eerror(text: string): Promise<unknown>;
  /** Verbose-only progress (ebeginv/eendv/einfov). */
  verbose?: {
    begin(text: string): Promise<unknown>;
    end(status: number, text: string): Promise<unknown>;
    info(text: string): Promise<unknown>;
  };
  /** Print dots while waiting (--progress). */
  progress?: (text: string) => Promise<unknown>;
  signal?: AbortSignal;
}

export interface StopTarget extends PidQuery {
  test?: boolean;
  quiet?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** do_stop: signal every matching process; how many (or -1 when a signal could not be sent). */
export async function doStop(applet: string, t: StopTarget, sig: number, io: StopIo): Promise<number> {
  const pids = t.pid && t.pid > 0 ? findPids({ pid: t.pid }) : findPids(t);
  let n = 0;
  for (const pid of pids) {
    if (t.test) {
      await io.einfo(`Would send signal ${sig} to PID ${pid}`);
      n++;
      continue;
    }
    if (sig && !t.quiet) await io.verbose?.begin(`Sending signal ${sig} to PID ${pid}`);
    let killed = true;
    let code = '';
    try {
      io.host.kill(pid, sig);
    } catch (err) {
      code = (err as { code?: string }).code ?? '';
      killed = code === 'ESRCH';
    }
    if (!t.quiet) await io.verbose?.end(killed ? 0 : 1, `${applet}: failed to send signal ${sig} to PID ${pid}: ${code}`);
    if (!killed) n = -1;
    else if (n !== -1) n++;
  }
  return n;
}

/** run_stop_schedule: how many processes were stopped, 0 for none found, -N when N refused to go. */
export async function runStopSchedule(applet: string, t: StopTarget, schedule: ScheduleItem[], io: StopIo, progress = false): Promise<number> {
  if (!((t.pid && t.pid > 0) || t.exec || t.uid || t.argv?.length)) return 0;
  if (t.exec) await io.verbose?.info(`Will stop ${t.exec}`);
  if (t.pid && t.pid > 0) await io.verbose?.info(`Will stop PID ${t.pid}`);
  if (t.uid) await io.verbose?.info(`Will stop processes owned by UID ${t.uid}`);
  let nkilled = 0;
  let tkilled = 0;
  let nrunning = 0;
  let progressed = false;
  for (let i = 0; i < schedule.length; ) {
    const item = schedule[i]!;
    if (item.type === 'goto') {
      i = item.to;
      continue;
    }
    if (item.type === 'signal') {
      nrunning = 0;
      nkilled = await doStop(applet, t, item.value, io);
      if (nkilled === 0) {
        if (tkilled === 0) {
          if (progressed) await io.progress?.('\n');
          await io.eerror(`${applet}: no matching processes found`);
        }
        return tkilled;
      }
      if (nkilled === -1) return 0;
      tkilled += nkilled;
    } else {
      if (item.type === 'timeout' && item.value < 1) break;
      for (let secs = 0; item.type === 'forever' || secs < item.value; secs++) {
        for (let loop = 0; loop < 50; loop++) {
          nrunning = await doStop(applet, t, 0, { ...io, verbose: undefined });
          if (nrunning === 0) return 0;
          if (io.signal?.aborted) return 0;
          await sleep(20);
        }
        if (progress) {
          await io.progress?.('.');
          progressed = true;
        }
      }
    }
    i++;
  }
  if (t.test || (tkilled > 0 && nrunning === 0)) return nkilled;
  if (progressed) await io.progress?.('\n');
  if (!t.quiet) {
    if (nrunning === 1) await io.eerror(`${applet}: ${nrunning} process refused to stop`);
    else await io.eerror(`${applet}: ${nrunning} process(es) refused to stop`);
  }
  return -nrunning;
}

/** The basenames of pids' executables, for messages. */
export function readCmdline(pid: number): string[] {
  const text = readText(`/proc/${pid}/cmdline`);
  return text ? text.split('\0').filter((_, i, a) => i < a.length - 1) : [];
}
