// Background jobs (`cmd &`). A job runs in a fork of the shell, concurrently, in this process. When
// it is one external program, $! is that program's real pid; otherwise the job gets a number above
// the kernel's largest pid, which the shell's own kill, wait and jobs understand.
import * as fs from 'node:fs';
import type { Command } from './ast.js';
import { ShellExit } from './errors.js';
import { openedFile } from './files.js';
import { runChild } from './interp.js';
import type { Shell } from './shell.js';
import { commandText } from './unparse.js';

export interface Job {
  /** %N */
  id: number;
  /** What $! gave for it. */
  pid: number;
  /** Running programs started by the job (they get the job's signals). */
  procs: Set<number>;
  command: string;
  /** Set when the job has ended. */
  status?: number;
  /** The signal that killed it, if one did (for `Terminated` and `jobs`). */
  signal?: number;
  done: Promise<number>;
  abort: AbortController;
  shell: Shell;
  /** Reported as finished (by `jobs`, `wait` or the prompt); then it is forgotten. */
  reported?: boolean;
}

export class Jobs {
  list: Job[] = [];

  /** The job for a pid or %spec, if any. */
  find(spec: string): Job | undefined {
    if (spec.startsWith('%')) {
      const rest = spec.slice(1);
      if (rest === '' || rest === '%' || rest === '+') return this.current();
      if (rest === '-') return this.list[this.list.length - 2];
      if (/^\d+$/.test(rest)) return this.list.find((j) => j.id === Number(rest));
      return this.list.find((j) => j.command.startsWith(rest));
    }
    const pid = Number(spec);
    return this.list.find((j) => j.pid === pid || j.procs.has(pid));
  }

  current(): Job | undefined {
    return this.list[this.list.length - 1];
  }

  remove(job: Job): void {
    this.list = this.list.filter((j) => j !== job);
  }

  running(): Job[] {
    return this.list.filter((j) => j.status === undefined);
  }
}

let pidMax: number | undefined;

/** Numbers for jobs without a process of their own: above any real pid. */
function syntheticPid(sh: Shell): number {
  if (pidMax === undefined) {
    try {
      pidMax = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'latin1').trim()) || 4194304;
    } catch {
      pidMax = 4194304;
    }
  }
  return pidMax + ++sh.io.runtime.jobCounter;
}

/** Start `cmd` in the background; returns the status of the `&` command itself (0). */
export function startBackground(sh: Shell, cmd: Command): number {
  const abort = new AbortController();
  const child = sh.fork('background', { signal: AbortSignal.any([sh.io.signal, abort.signal]) });
  child.errexitOff = 0;
  if (!sh.interactive && !sh.opts.monitor) {
    // Without job control a background command reads /dev/null (POSIX).
    try {
      child.fds[0]?.release();
      child.fds[0] = openedFile(fs.openSync('/dev/null', 'r'), true, false);
    } catch {
      // no /dev/null: leave stdin as it is
    }
  }
  const procs = new Set<number>();
  let firstPid: number | undefined;
  child.procs = procs;
  child.onSpawn = (pid) => {
    firstPid ??= pid;
  };
  const id = (sh.jobs.list.reduce((m, j) => Math.max(m, j.id), 0) || 0) + 1;
  const job: Job = { id, pid: 0, procs, command: commandText(cmd), done: undefined as unknown as Promise<number>, abort, shell: child };
  let result: number | Promise<number>;
  try {
    result = runChild(undefined, child, cmd);
  } catch (err) {
    result = err instanceof ShellExit ? err.status : 2;
  }
  job.pid = cmd.t === 'simple' && firstPid !== undefined ? firstPid : syntheticPid(sh);
  job.done = Promise.resolve(result).then(
    (status) => finished(sh, job, status),
    () => finished(sh, job, 2),
  );
  sh.jobs.list.push(job);
  sh.lastBackground = job.pid;
  return 0;
}

function finished(sh: Shell, job: Job, status: number): number {
  job.status = job.signal ? 128 + job.signal : status;
  if (sh.traps[17]) sh.queueTrap(17);
  return job.status;
}
