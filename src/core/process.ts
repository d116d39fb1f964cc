// Spawning programs with a context's stdio, env and cwd; signal names, numbers and statuses.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import { fsPath, toUtf8 } from './bytes.js';
import type { Stdio } from './context.js';
import type { Env } from './env.js';
import { AppletError, BrokenPipe, errorCode, strerror } from './errors.js';
import { StreamSink, StreamSource } from './io.js';

// Linux signal numbers (x86_64 and arm64 agree), in number order, without the SIG prefix.
const SIGNALS: readonly [string, number][] = [
  ['HUP', 1], ['INT', 2], ['QUIT', 3], ['ILL', 4], ['TRAP', 5], ['ABRT', 6], ['BUS', 7], ['FPE', 8],
  ['KILL', 9], ['USR1', 10], ['SEGV', 11], ['USR2', 12], ['PIPE', 13], ['ALRM', 14], ['TERM', 15],
  ['STKFLT', 16], ['CHLD', 17], ['CONT', 18], ['STOP', 19], ['TSTP', 20], ['TTIN', 21], ['TTOU', 22],
  ['URG', 23], ['XCPU', 24], ['XFSZ', 25], ['VTALRM', 26], ['PROF', 27], ['WINCH', 28], ['IO', 29],
  ['PWR', 30], ['SYS', 31],
];
const ALIASES: Record<string, number> = { IOT: 6, POLL: 29, CLD: 17 };

// strsignal() texts, as shells print them for a job killed by a signal.
const DESCRIPTIONS: Record<number, string> = {
  1: 'Hangup', 2: 'Interrupt', 3: 'Quit', 4: 'Illegal instruction', 5: 'Trace/breakpoint trap',
  6: 'Aborted', 7: 'Bus error', 8: 'Floating point exception', 9: 'Killed', 10: 'User defined signal 1',
  11: 'Segmentation fault', 12: 'User defined signal 2', 13: 'Broken pipe', 14: 'Alarm clock',
  15: 'Terminated', 16: 'Stack fault', 17: 'Child exited', 18: 'Continued', 19: 'Stopped (signal)',
  20: 'Stopped', 21: 'Stopped (tty input)', 22: 'Stopped (tty output)', 23: 'Urgent I/O condition',
  24: 'CPU time limit exceeded', 25: 'File size limit exceeded', 26: 'Virtual timer expired',
  27: 'Profiling timer expired', 28: 'Window changed', 29: 'I/O possible', 30: 'Power failure',
  31: 'Bad system call',
};

/** All signals as [name without SIG, number], in number order. */
export function signalList(): readonly [string, number][] {
  return SIGNALS;
}

/** `TERM`, `SIGTERM`, `term` or `15` → 15; undefined if unknown. */
export function signalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n >= 0 && n <= 64 ? n : undefined;
  }
  const name = spec.toUpperCase().replace(/^SIG/, '');
  return SIGNALS.find(([n]) => n === name)?.[1] ?? ALIASES[name];
}

/** 15 → `TERM`. */
export function signalName(num: number): string | undefined {
  return SIGNALS.find(([, n]) => n === num)?.[0];
}

export function signalDescription(num: number): string {
  return DESCRIPTIONS[num] ?? `Unknown signal ${num}`;
}

/** The shell status of a process that ended by signal n. */
export function statusFromSignal(signal: NodeJS.Signals | number): number {
  const n = typeof signal === 'number' ? signal : (signalNumber(signal) ?? 0);
  return 128 + n;
}

/** An abort reason that says how to stop a spawned command (timeout, nohup): the signal to send,
 *  and after how long to follow it with SIGKILL. Without one, an abort sends SIGTERM. An applet
 *  running in-process stops when its ctx.signal aborts; abortStatus() tells it what to return. */
export class KillRequest {
  constructor(
    readonly signal: number,
    readonly killAfterMs?: number,
  ) {}
}

/** The status an applet returns when stopped by ctx.signal: 128 + the requested signal
 *  (SIGTERM when none was named), as if the signal had ended it. */
export function abortStatus(signal: AbortSignal): number {
  const reason: unknown = signal.reason;
  return 128 + (reason instanceof KillRequest ? reason.signal : 15);
}

/** A command could not be run: not found (127) or not executable (126). The caller words the
 *  message (`sh: foo: not found`, `env: 'foo': No such file or directory`); `message` is libc's text. */
export class CommandError extends AppletError {
  constructor(
    readonly command: string,
    readonly code: 'ENOENT' | 'EACCES' | 'ENOEXEC' | string,
  ) {
    super(strerror(code), code === 'ENOENT' ? 127 : 126);
    this.name = 'CommandError';
  }
}

/** BusyBox's default search path, used when PATH is unset. */
export const DEFAULT_PATH = '/sbin:/usr/sbin:/bin:/usr/bin';

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(fsPath(p));
    if (!st.isFile()) return false;
    fs.accessSync(fsPath(p), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Find a command name on PATH (`name` without a slash). Returns the full path, or undefined. */
export function findInPath(name: string, env: Env, cwd: string): string | undefined {
  const dirs = (env.get('PATH') ?? DEFAULT_PATH).split(':');
  for (const dir of dirs) {
    const base = dir === '' ? cwd : dir.startsWith('/') ? dir : `${cwd}/${dir}`;
    const candidate = `${base.replace(/\/+$/, '')}/${name}`;
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export interface SpawnOptions {
  /** The program file (a full path). */
  file: string;
  /** argv, argv[0] included (it becomes the program's argv[0]). */
  argv: readonly string[];
  env: Env;
  cwd: string;
  stdio: Stdio;
  signal?: AbortSignal;
  /** Run it in a session of its own (setsid), out of reach of the terminal's SIGHUP (nohup). */
  newSession?: boolean;
  /** Further descriptors for the child: child fd → our fd (sh's `3>file`). */
  extraFds?: ReadonlyMap<number, number>;
}

/** Run a program to completion, wiring our stdio to it: a real descriptor is handed over as is, an
 *  in-memory stream is pumped through a pipe. Resolves to its status (128+n if killed by signal n). */
export async function spawnProgram(opts: SpawnOptions): Promise<number> {
  const { spawn } = await import('node:child_process');
  const { stdin, stdout, stderr } = opts.stdio;
  const stdio: StdioOptions = [stdin.fd ?? 'pipe', stdout.fd ?? 'pipe', stderr.fd ?? 'pipe'];
  if (opts.extraFds) {
    for (const [childFd, ourFd] of opts.extraFds) {
      while (stdio.length < childFd) stdio.push('ignore');
      stdio[childFd] = ourFd;
    }
  }
  let child: ChildProcess;
  try {
    child = spawn(toUtf8(opts.file), opts.argv.slice(1).map(toUtf8), {
      argv0: toUtf8(opts.argv[0] ?? opts.file),
      cwd: toUtf8(opts.cwd),
      env: opts.env.toProcessEnv(),
      stdio,
      detached: opts.newSession === true,
    });
  } catch (err) {
    throw new CommandError(opts.argv[0] ?? opts.file, errorCode(err) ?? 'ENOEXEC');
  }
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', (err) => reject(new CommandError(opts.argv[0] ?? opts.file, errorCode(err) ?? 'ENOEXEC')));
    child.once('exit', (code, sig) => resolve(code ?? statusFromSignal(sig ?? 'SIGKILL')));
  });
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    const request: unknown = opts.signal?.reason;
    if (!(request instanceof KillRequest)) return void child.kill('SIGTERM');
    child.kill(request.signal);
    if (request.killAfterMs !== undefined) killTimer = setTimeout(() => child.kill('SIGKILL'), request.killAfterMs);
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const pumps: Promise<void>[] = [];
  if (child.stdout) pumps.push(pumpOut(new StreamSource(child.stdout), stdout));
  if (child.stderr) pumps.push(pumpOut(new StreamSource(child.stderr), stderr));
  let stopFeeding = false;
  if (child.stdin) void feed(stdin, new StreamSink(child.stdin), () => stopFeeding);
  try {
    const status = await exited;
    await Promise.all(pumps);
    return status;
  } finally {
    stopFeeding = true;
    if (killTimer) clearTimeout(killTimer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

async function pumpOut(from: StreamSource, to: Stdio['stdout']): Promise<void> {
  try {
    for await (const chunk of from) await to.write(chunk);
  } catch (err) {
    if (!(err instanceof BrokenPipe)) throw err;
    from.close(); // our reader is gone: the child gets EPIPE/SIGPIPE on its next write
  }
}

async function feed(from: Stdio['stdin'], to: StreamSink, stopped: () => boolean): Promise<void> {
  try {
    for (let chunk = await from.read(); chunk; chunk = await from.read()) {
      if (stopped()) {
        from.unread(chunk); // the child is gone: leave the rest for the next reader
        return;
      }
      await to.write(chunk);
    }
  } catch {
    // the child closed its stdin: nothing more to give it
  } finally {
    await to.close().catch(() => {});
  }
}
