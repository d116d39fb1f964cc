// The context: everything an applet may know about the world. Nothing below main.ts reads process
// globals; a shell can therefore run any applet in-process, in a pipeline or a subshell, by giving
// it a context of its own.
import type { Env } from './env.js';
import type { ByteSink, ByteSource } from './io.js';
import type { OptValue, Opts } from './options.js';

export interface Stdio {
  stdin: ByteSource;
  stdout: ByteSink;
  stderr: ByteSink;
}

/** What only the real process can do; implemented once, in main.ts (and by the test harness). */
export interface ProcessHost {
  readonly pid: number;
  readonly ppid: number;
  /** The argv prefix that runs this executable: [toolbox] when packaged, [node, main.js] from source. */
  readonly self: readonly string[];
  uid(): number;
  gid(): number;
  euid(): number;
  egid(): number;
  groups(): number[];
  /** The file-creation mask; with an argument, sets it and returns the old one. */
  umask(mask?: number): number;
  isatty(fd: number): boolean;
  /** Terminal size of a descriptor that is a tty. */
  terminalSize(fd: number): { columns: number; rows: number } | undefined;
  /** Subscribe to a signal sent to this process; returns the unsubscribe function. While anyone is
   *  subscribed, the signal no longer has its default effect. */
  onSignal(signal: NodeJS.Signals, handler: (signal: NodeJS.Signals) => void): () => void;
  /** Send a signal (a name such as 'SIGTERM', or a number; 0 probes). */
  kill(pid: number, signal: NodeJS.Signals | number): void;
  /** Replace this process (execve). Absent where the runtime cannot. */
  execve?: (file: string, argv: readonly string[], env: Record<string, string>) => never;
}

/** How ctx.exec runs a command: its stdio, environment and directory, each defaulting to the caller's. */
export interface ExecOptions extends Partial<Stdio> {
  env?: Env;
  cwd?: string;
  signal?: AbortSignal;
  /** A spawned program gets a session of its own (nohup); no effect on in-process applets. */
  newSession?: boolean;
}

export interface Ctx<O = Opts> extends Stdio {
  /** The name the applet was invoked by (`service`, `[`, `cat`). */
  readonly name: string;
  /** argv[0] is the name used; the rest as given. */
  readonly argv: readonly string[];
  readonly opts: O;
  readonly operands: readonly string[];
  /** The options in the order given, for applets where later options undo earlier ones in ways
   *  `overrides` cannot say (cp -a --no-preserve=mode). Empty when the applet parses argv itself. */
  readonly optionOrder: readonly (readonly [key: string, value: OptValue])[];
  env: Env;
  /** Absolute working directory; resolve paths with ctx.path(), never the process's own. */
  cwd: string;
  /** Aborts on ^C, pipeline teardown or `timeout`; long loops check it. */
  readonly signal: AbortSignal;
  readonly host: ProcessHost;
  /** Whether stdin (0), stdout (1) or stderr (2) is a terminal. */
  isTTY(fd: 0 | 1 | 2): boolean;
  /** Run a command: an applet in-process, else a program found on PATH. Returns its status.
   *  Throws CommandError (status 127 not found, 126 not executable) for the caller to word. */
  exec(argv: readonly string[], io?: ExecOptions): Promise<number>;
  /** Print `name: [subject: ]message` on stderr (libc wording for system errors); returns the status. */
  warn(err: unknown, subject?: string): Promise<number>;
  /** A path made absolute against cwd, exactly as the kernel would resolve it (nothing collapsed). */
  path(p: string): string;
}

/** `p` made absolute by prefixing `cwd`, nothing else changed, as the kernel would see it relative
 *  to the working directory: `f/..` stays (it fails when f is a file), `link/..` is the link target's
 *  parent, and a trailing slash keeps its meaning (`ls link/` follows the link). */
export function resolvePath(cwd: string, p: string): string {
  if (p === '' || p.startsWith('/')) return p;
  return cwd.endsWith('/') ? cwd + p : `${cwd}/${p}`;
}
