// The Shell value: every piece of an interpreter's state (variables, functions, aliases, options,
// traps, positional parameters, descriptors, jobs, working directory). A subshell is fork(): a copy
// that shares files with its parent and nothing else, so `( cd /; x=1 )` and `$(...)` need no process.
import type { AppletDecl } from '../../core/applet.js';
import { type ProcessHost, resolvePath } from '../../core/context.js';
import { nestedHost } from '../../core/run.js';
import type { OptionSpecs } from '../../core/options.js';
import { Env } from '../../core/env.js';
import type { ByteSource } from '../../core/io.js';
import type { ArithFn, ArithScope } from './arith.js';
import type { FuncDef } from './ast.js';
import type { Builtin } from './builtins/index.js';
import { ShellError } from './errors.js';
import type { ShellFile } from './files.js';
import { Jobs } from './jobs.js';
import { PatternCache } from './pattern.js';

export interface Var {
  value: string | undefined;
  exported?: boolean;
  readonly?: boolean;
  /** A variable the shell itself reacts to (IFS, PATH, OPTIND, RANDOM, LINENO, ...). */
  special?: boolean;
}

/** Option names as `set -o` lists them (ash's order), with their letters. */
export const OPTION_NAMES = [
  ['errexit', 'e'], ['noglob', 'f'], ['ignoreeof', 'I'], ['monitor', 'm'], ['noexec', 'n'], ['xtrace', 'x'],
  ['verbose', 'v'], ['noclobber', 'C'], ['allexport', 'a'], ['notify', 'b'], ['nounset', 'u'], ['errtrace', 'E'],
  ['vi', ''], ['pipefail', ''],
] as const;
export type OptionName = (typeof OPTION_NAMES)[number][0];
export type Options = Record<OptionName, boolean>;

/** The order ash lists option letters in `$-`. */
const DASH_ORDER = 'ubaCvxcsnmiIfeE';

/** The special variables: reading or writing them means something to the shell. */
const SPECIAL = new Set(['PATH', 'OPTIND', 'RANDOM', 'LINENO', 'FUNCNAME']);

/** What `local` saved, restored when the function returns (made on the first `local`). */
interface LocalFrame {
  saved: Map<string, Var | undefined>;
  options?: Options;
}

/** Expansion results kept while a word waits for a command substitution (see errors.ts Suspend). */
export interface ReplayFrame {
  memo: unknown[];
  index: number;
}

export const enum Skip {
  None = 0,
  Break = 1,
  Continue = 2,
  Return = 3,
}

/** What a shell and all its subshells share: they run in one process, on one event loop. */
export interface Runtime {
  /** Counters for giving the event loop a turn during long synchronous loops. */
  ticks: number;
  lastYield: number;
  /** Applet declarations loaded so far. */
  applets: Map<string, AppletDecl<OptionSpecs>>;
  /** The host as applets run by the shell see it: without execve (only the shell may replace
   *  the process, and only when it is the process's own program). */
  nestedHost: ProcessHost;
  /** Numbers handed out to jobs without a process of their own. */
  jobCounter: number;
  /** The process's file-creation mask as last set (each shell has its own, applied on use). */
  umask: number;
  /** The shell that receives the process's signals (the top-level one). */
  signalTarget?: Shell;
  /** Builtins an embedding applet adds (openrc-run's ebegin, service_set_value ...): regular
   *  builtins, found after functions, as if they were programs on PATH. */
  extraBuiltins?: ReadonlyMap<string, Builtin>;
  /** Stops the top-level shell and everything it runs (a signal it does not catch). */
  stop?: AbortController;
}

export interface ShellIo {
  host: ProcessHost;
  /** Aborts everything this shell runs (pipeline teardown, a killed background job, ^C). */
  signal: AbortSignal;
  runtime: Runtime;
}

export function createRuntime(host: ProcessHost): Runtime {
  // ticks starts due, so the rarely taken branch of yieldDue runs once before it is optimised
  return { ticks: 2000, lastYield: 0, applets: new Map(), nestedHost: nestedHost(host), jobCounter: 0, umask: host.umask() };
}

export class Shell {
  // ---- identity and invocation
  host: ProcessHost;
  /** $0 */
  arg0 = 'sh';
  /** ash's commandname: the script, sourced file or builtin whose errors are being reported. */
  commandName: string | undefined;
  params: readonly string[] = [];
  interactive = false;
  /** Invoked with -c (shows in $-). */
  minusC = false;
  /** Reading commands from standard input (-s, shows in $-). */
  minusS = false;
  /** Lines of -c text count from 0, of files from 1. */
  lineBase = 1;
  /** Nesting of subshells: 0 in the shell itself. */
  subshell = 0;

  // ---- state
  vars = new Map<string, Var>();
  /** One entry per running function: what its `local`s saved (undefined until it has any). */
  private localFrames: (LocalFrame | undefined)[] = [];
  funcs = new Map<string, FuncDef>();
  private funcsShared = false;
  aliases = new Map<string, string>();
  opts: Options = Object.fromEntries(OPTION_NAMES.map(([n]) => [n, false])) as Options;
  /** $? */
  status = 0;
  /** $! */
  lastBackground: number | undefined;
  cwd = '/';
  fds: (ShellFile | undefined)[] = [];
  /** Trap actions by signal number; 0 is EXIT. undefined: default, '': ignored. */
  traps: (string | undefined)[] = [];
  /** `$(trap)` lists the parent's traps until the substitution sets its own (ash). */
  trapsShown: (string | undefined)[] | undefined;
  jobs!: Jobs;
  /** Command name → path found on PATH (`hash`). */
  hashed = new Map<string, string>();

  // ---- execution state
  skip: Skip = Skip.None;
  skipCount = 0;
  loopDepth = 0;
  funcDepth = 0;
  /** Inside a condition (if/while test, left of && ||, after !): set -e does not apply. */
  errexitOff = 0;
  /** Line of the command being run (absolute, as $LINENO shows it). */
  lineno = 0;
  /** Status of the last command substitution (an assignment-only command's status). */
  substStatus: number | undefined;
  replay: ReplayFrame | null = null;
  readonly patterns: PatternCache;
  readonly arithCache: Map<string, ArithFn>;
  /** Names of the functions being run, innermost last (FUNCNAME). */
  funcNames: string[] = [];
  /** Signals caught while running, whose traps are still to run. */
  pendingTraps: number[] = [];
  /** When this shell started (SECONDS, times). */
  startTime = Date.now();
  private randomState = 0;
  private exportCache: Env | undefined;
  /** The source the shell reads its commands from, when that is a stream (`sh < script`). */
  scriptInput: ByteSource | undefined;
  /** Set when the shell (or subshell) is to end after the current command: `exit` in a trap. */
  exiting = false;
  /** While a trap runs: $? when it started, the status a bare `exit` in it ends with (ash, dash). */
  trapEntryStatus: number | undefined;
  /** Depth of `.` files being run (`return` ends one). */
  sourceDepth = 0;
  /** Assignments written before the special builtin being run (exec passes them on). */
  prefixAssignments: [string, string][] = [];
  /** The signal that killed this (background) shell, if one did. */
  killedBy: number | undefined;
  /** Programs started by this shell's job (they get the job's signals). */
  procs: Set<number> | undefined;
  /** Told the pid of each program this shell's job starts. */
  onSpawn: ((pid: number) => void) | undefined;
  /** The file-creation mask of this shell. */
  umask = 0o022;
  /** Lines entered at the interactive prompt. */
  history: string[] = [];
  /** This shell receives the process's signals (the top-level shell, not its subshells). */
  ownsSignals = false;
  /** Unsubscribe functions of the signals we catch, by number. */
  signalSubs = new Map<number, () => void>();
  /** Woken when a trapped signal arrives (wait). */
  private signalWaiters: ((sig: number) => void)[] = [];
  /** Interactive shells catch these themselves even without a trap. */
  interactiveSignals = new Set<number>();
  /** What an interactive shell does with a signal it catches without a trap; true if handled. */
  defaultSignalHandler: ((sig: number) => boolean) | undefined;

  constructor(
    public io: ShellIo,
    caches?: { patterns: PatternCache; arith: Map<string, ArithFn> },
  ) {
    this.host = io.host;
    this.patterns = caches?.patterns ?? new PatternCache();
    this.arithCache = caches?.arith ?? new Map();
    this.randomState = (Date.now() ^ (io.host.pid << 8)) >>> 0;
    this.umask = io.runtime.umask;
  }

  /** Whether the shell's descriptor fd is a terminal. */
  isatty(fd: number): boolean {
    const real = this.fds[fd]?.fd;
    return real !== undefined && this.host.isatty(real);
  }

  /** Resolve a path against the shell's working directory. */
  path(p: string): string {
    return resolvePath(this.cwd, p);
  }

  /** Make this shell's umask the process's, before creating files or starting programs. */
  applyUmask(): void {
    const rt = this.io.runtime;
    if (rt.umask !== this.umask) {
      this.host.umask(this.umask);
      rt.umask = this.umask;
    }
  }

  setUmask(mask: number): void {
    this.umask = mask;
    this.applyUmask();
  }

  // ---- signals

  /** A signal arrived for this shell: its trap runs at the next chance. */
  queueTrap(sig: number): void {
    this.pendingTraps.push(sig);
    const waiters = this.signalWaiters;
    this.signalWaiters = [];
    for (const wake of waiters) wake(sig);
  }

  /** Called by the process's signal subscription. */
  signalArrived(sig: number): void {
    this.queueTrap(sig);
  }

  /** Resolves with the next trapped signal's number (wait uses it to be interrupted). */
  nextSignal(): Promise<number> {
    return new Promise((resolve) => this.signalWaiters.push(resolve));
  }

  /** An interactive shell handles some signals itself when no trap is set. */
  interactiveSignal(sig: number): boolean {
    return this.interactiveSignals.has(sig);
  }

  /** A queued signal without a trap: true if the shell dealt with it (interactive ^C). */
  onDefaultSignal(sig: number): boolean {
    return this.defaultSignalHandler?.(sig) ?? false;
  }

  // ---- variables

  /** A variable's value (undefined when unset). Special parameters are not variables: see param(). */
  get(name: string): string | undefined {
    const v = this.vars.get(name);
    if (v === undefined) return undefined;
    if (v.special) {
      if (name === 'LINENO') return String(this.lineno);
      if (name === 'RANDOM') return String(this.nextRandom());
      if (name === 'FUNCNAME') return this.funcNames[this.funcNames.length - 1] ?? '';
    }
    return v.value;
  }

  /** Assign; throws ShellError for a readonly variable. */
  set(name: string, value: string): void {
    const v = this.vars.get(name);
    if (v !== undefined) {
      if (v.readonly) throw this.error(`${name}: is read only`);
      v.value = value;
      if (v.exported) this.exportCache = undefined;
      else if (this.opts.allexport) {
        v.exported = true;
        this.exportCache = undefined;
      }
      if (v.special) this.specialChanged(name, value);
      return;
    }
    const nv: Var = { value };
    if (this.opts.allexport) {
      nv.exported = true;
      this.exportCache = undefined;
    }
    if (SPECIAL.has(name)) {
      nv.special = true;
      this.specialChanged(name, value);
    }
    this.vars.set(name, nv);
  }

  /** The variable record, created (unset) if absent. */
  variable(name: string): Var {
    let v = this.vars.get(name);
    if (!v) {
      v = { value: undefined };
      if (SPECIAL.has(name)) v.special = true;
      this.vars.set(name, v);
    }
    return v;
  }

  unset(name: string): void {
    const v = this.vars.get(name);
    if (!v) return;
    if (v.readonly) throw this.error(`${name}: is read only`, 'unset');
    if (v.exported) this.exportCache = undefined;
    this.vars.delete(name);
    if (v.special) this.specialChanged(name, undefined);
  }

  /** Put back a variable as it was (undefined: did not exist), after a temporary assignment. */
  restoreVar(name: string, old: Var | undefined): void {
    if (old) this.vars.set(name, old);
    else this.vars.delete(name);
    this.exportCache = undefined;
    if (SPECIAL.has(name)) this.specialChanged(name, old?.value);
  }

  setExported(name: string, on: boolean): void {
    const v = this.variable(name);
    v.exported = on;
    this.exportCache = undefined;
  }

  private specialChanged(name: string, value: string | undefined): void {
    switch (name) {
      case 'PATH':
        this.hashed.clear();
        break;
      case 'RANDOM':
        if (value !== undefined) this.randomState = Number(value) >>> 0 || 0;
        break;
      case 'OPTIND':
        this.getoptsState = undefined;
        break;
    }
  }

  /** getopts' position inside a cluster of option letters (`-abc`). */
  getoptsState: { arg: number; char: number } | undefined;
  /** New positional parameters were set: getopts starts again from the first. */
  getoptsRestart = false;

  /** ash's RANDOM: a 32-bit LCG, reproducible after seeding, 0..32767. */
  private nextRandom(): number {
    this.randomState = (Math.imul(this.randomState, 1103515245) + 12345) >>> 0;
    return (this.randomState >>> 16) & 0x7fff;
  }

  /** The environment of commands we run: the exported variables. */
  exportedEnv(): Env {
    if (!this.exportCache) {
      const env = new Env();
      for (const [name, v] of this.vars) if (v.exported && v.value !== undefined) env.set(name, v.value);
      this.exportCache = env;
    }
    return this.exportCache;
  }

  /** `local NAME[=VALUE]` in the innermost function. */
  makeLocal(name: string, value: string | undefined): void {
    const depth = this.localFrames.length;
    if (depth === 0) throw this.error('not in a function', 'local');
    const frame: LocalFrame = (this.localFrames[depth - 1] ??= { saved: new Map() });
    if (name === '-') {
      frame.options ??= { ...this.opts };
      return;
    }
    const old = this.vars.get(name);
    if (old?.readonly) throw this.error(`${name}: is read only`, 'local');
    if (!frame.saved.has(name)) frame.saved.set(name, old ? { ...old } : undefined);
    if (value !== undefined) this.set(name, value);
    else if (old) {
      // `local x` leaves x unset in the function (ash), keeping only its export flag
      old.value = undefined;
    } else this.variable(name);
  }

  pushLocals(): void {
    this.localFrames.push(undefined);
  }

  popLocals(): void {
    const frame = this.localFrames.pop();
    if (!frame) return;
    for (const [name, old] of frame.saved) {
      if (old) this.vars.set(name, old);
      else this.vars.delete(name);
      if (SPECIAL.has(name)) this.specialChanged(name, old?.value);
    }
    if (frame.saved.size) this.exportCache = undefined;
    if (frame.options) this.opts = frame.options;
  }

  /** Arithmetic's view of the variables. */
  readonly arithScope: ArithScope = {
    get: (name) => this.get(name),
    set: (name, value) => this.set(name, value),
  };

  // ---- functions and aliases

  defineFunction(name: string, def: FuncDef): void {
    if (this.funcsShared) {
      this.funcs = new Map(this.funcs);
      this.funcsShared = false;
    }
    this.funcs.set(name, def);
  }

  removeFunction(name: string): void {
    if (!this.funcs.has(name)) return;
    if (this.funcsShared) {
      this.funcs = new Map(this.funcs);
      this.funcsShared = false;
    }
    this.funcs.delete(name);
  }

  // ---- options

  /** $- */
  flags(): string {
    const on: Record<string, boolean> = {};
    for (const [name, letter] of OPTION_NAMES) if (letter && this.opts[name]) on[letter] = true;
    if (this.minusC) on.c = true;
    if (this.minusS) on.s = true;
    if (this.interactive) on.i = true;
    let out = '';
    for (const l of DASH_ORDER) if (on[l]) out += l;
    return out;
  }

  // ---- messages

  /** `sh: [context: ][line N: ]message`, as ash words its errors. */
  format(message: string, context?: string): string {
    const name = context ?? this.commandName;
    let out = `${this.arg0}: `;
    if (name !== undefined) {
      if (name !== this.arg0) out += `${name}: `;
      if (!this.interactive || this.commandName !== undefined) out += `line ${this.lineno}: `;
    }
    return out + message;
  }

  /** A fatal error to throw (exits a non-interactive shell with `status`); printed now. */
  error(message: string, context?: string, status = 2): ShellError {
    const err = new ShellError(this.format(message, context), status);
    void this.writeErr(`${err.message}\n`);
    return err;
  }

  /** Print a message on stderr (a non-fatal error). */
  warn(message: string, context?: string): Promise<void> | undefined {
    return this.writeErr(`${this.format(message, context)}\n`);
  }

  /** Write to a descriptor: synchronously when it has room, else a promise. */
  write(fd: number, text: string): Promise<void> | undefined {
    const f = this.fds[fd];
    if (!f?.sink) throw new BadFd(fd);
    return f.write(text);
  }

  writeOut(text: string): Promise<void> | undefined {
    return this.write(1, text);
  }

  /** Error output never fails the caller: a closed stderr swallows it. */
  writeErr(text: string): Promise<void> | undefined {
    try {
      const r = this.fds[2]?.write(text);
      return r?.catch(() => {});
    } catch {
      return undefined;
    }
  }

  // ---- subshells

  /** A copy for a subshell, command substitution, pipeline stage or background job. */
  fork(kind: 'subshell' | 'subst' | 'stage' | 'background', io?: Partial<ShellIo>): Shell {
    const sh = new Shell({ ...this.io, ...io }, { patterns: this.patterns, arith: this.arithCache });
    sh.arg0 = this.arg0;
    sh.commandName = this.commandName;
    sh.params = this.params;
    sh.interactive = false;
    sh.minusC = this.minusC;
    sh.minusS = this.minusS;
    sh.lineBase = this.lineBase;
    sh.subshell = this.subshell + 1;
    for (const [name, v] of this.vars) sh.vars.set(name, { ...v });
    sh.funcs = this.funcs;
    sh.funcsShared = this.funcsShared = true;
    sh.aliases = new Map(this.aliases);
    sh.opts = { ...this.opts };
    sh.status = this.status;
    sh.lastBackground = this.lastBackground;
    sh.cwd = this.cwd;
    sh.fds = this.fds.map((f) => f?.share());
    // Traps are reset in a subshell, except ignored ones (POSIX).
    sh.traps = this.traps.map((t) => (t === '' ? '' : undefined));
    if (kind === 'subst') sh.trapsShown = this.traps.slice();
    sh.hashed = new Map(this.hashed);
    sh.lineno = this.lineno;
    sh.funcNames = this.funcNames.slice();
    sh.funcDepth = this.funcDepth;
    sh.localFrames = this.localFrames.map((f) => f && { saved: new Map(f.saved), options: f.options });
    sh.randomState = this.randomState + 1;
    sh.startTime = this.startTime;
    sh.scriptInput = this.scriptInput;
    sh.getoptsState = this.getoptsState;
    sh.sourceDepth = this.sourceDepth;
    sh.jobs = new Jobs();
    sh.procs = this.procs;
    sh.onSpawn = this.onSpawn;
    sh.umask = this.umask;
    sh.errexitOff = this.errexitOff;
    // a subshell is in the loops it was started in: break and continue end it there (ash, dash)
    sh.loopDepth = this.loopDepth;
    return sh;
  }

  /** Give back every descriptor (the end of a subshell). */
  releaseFiles(): void {
    for (const f of this.fds) f?.release();
    this.fds = [];
  }
}

/** A write to a descriptor that is not open. */
export class BadFd extends Error {
  constructor(readonly fd: number) {
    super('Bad file descriptor');
    this.name = 'BadFd';
  }
}
