// One OpenRC command at work in this process (rc-service, openrc, an init script run directly):
// the services it holds locked and the dependency tree it loaded. OpenRC gives each service its own
// openrc-run process and locks exclusive/NAME with flock; here the services a command starts run
// in this process, so the lock is a file naming its holder (pid and process start time, so that a
// lock left by a killed process is seen to be stale), and the session knows which locks are its
// own — waiting for one of those would be waiting for ourselves: a dependency loop.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import type { ProcessHost } from '../../core/context.js';
import { errorCode } from '../../core/errors.js';
import type { DepTree } from './deptree.js';
import { basename, type Rc, readText } from './state.js';

/** The start time of a process (field 22 of /proc/PID/stat), to tell it from a later one with its pid. */
function startTime(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export class Session {
  /** Services this command holds the exclusive lock of. */
  readonly held = new Set<string>();
  /** Services being started or stopped by this command, outermost first. */
  readonly chain: string[] = [];
  deptree: DepTree | undefined;
  private readonly token: string;
  private readonly aborter = new AbortController();
  /** Aborts what the command runs (scripts, their programs) when the caller's signal does, or a
   *  signal to this process arrives (see catchSignals). */
  readonly signal: AbortSignal;
  /** The signal that interrupted the command, if one did. */
  caught: string | undefined;

  constructor(
    readonly rc: Rc,
    readonly host: ProcessHost,
    callerSignal: AbortSignal,
  ) {
    this.token = `${host.pid} ${startTime(host.pid) ?? ''}\n`;
    this.signal = AbortSignal.any([callerSignal, this.aborter.signal]);
  }

  /** As OpenRC's openrc-run does for SIGINT, SIGTERM and SIGQUIT: say so, stop the script, put the
   *  service's state back and end with status 1. Only for the process's own command (a command an
   *  interactive shell runs is interrupted through the shell). Returns the unsubscribe function. */
  catchSignals(say: (message: string) => void): () => void {
    if (!this.host.execve) return () => {};
    const offs = (['SIGINT', 'SIGTERM', 'SIGQUIT'] as const).map((name) =>
      this.host.onSignal(name, () => {
        if (this.caught) return;
        this.caught = name;
        say(`${this.chain[this.chain.length - 1] ?? 'openrc'}: caught ${name}, aborting`);
        this.aborter.abort();
      }),
    );
    return () => offs.forEach((off) => off());
  }

  private lockFile(service: string): string {
    return `${this.rc.svcdir}/exclusive/${basename(service)}`;
  }

  /** Whether a lock file names a live holder. */
  private liveHolder(file: string): boolean {
    const text = readText(file);
    if (text === undefined) return false;
    const [pid, started] = text.trim().split(' ');
    if (!pid || !/^\d+$/.test(pid)) return false;
    const now = startTime(Number(pid));
    return now !== undefined && (started === undefined || started === '' || now === started);
  }

  /** svc_lock: take the exclusive lock, or say who has it ('busy'); 'error' with its code else. */
  lock(service: string): 'ok' | 'busy' | { code: string } {
    const file = this.lockFile(service);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(fsPath(file), this.token, { flag: 'wx', mode: 0o664 });
        this.held.add(basename(service));
        return 'ok';
      } catch (err) {
        const code = errorCode(err);
        if (code !== 'EEXIST') return { code: code ?? 'EIO' };
      }
      if (this.liveHolder(file)) return 'busy';
      fs.rmSync(fsPath(file), { force: true }); // left by a process that is gone
    }
    return 'busy';
  }

  /** svc_unlock. */
  unlock(service: string): void {
    this.held.delete(basename(service));
    fs.rmSync(fsPath(this.lockFile(service)), { force: true });
  }

  /** Whether someone (alive) holds the service's lock. */
  locked(service: string): boolean {
    return this.liveHolder(this.lockFile(service));
  }

  /** Whether this command itself holds it. */
  ownLock(service: string): boolean {
    return this.held.has(basename(service)) && this.locked(service);
  }
}
