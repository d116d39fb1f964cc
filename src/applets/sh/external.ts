// Commands that are neither builtins nor functions: toolbox applets, run in-process through
// core/run.ts with the shell's descriptors as their stdio, and programs found on PATH, spawned
// with the right descriptors, environment and directory. Applets come first, as in BusyBox's
// standalone shell, unless the name has a slash.
import * as fs from 'node:fs';
import type { AppletDecl } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import type { Env } from '../../core/env.js';
import { BrokenPipe, errorCode } from '../../core/errors.js';
import type { ByteSink, ByteSource } from '../../core/io.js';
import type { OptionSpecs } from '../../core/options.js';
import { signalDescription, signalNumber, spawnProgram } from '../../core/process.js';
import { runApplet } from '../../core/run.js';
import { findApplet } from '../../registry.js';
import { ShellExit } from './errors.js';
import type { Shell } from './shell.js';

export type Found = { kind: 'applet'; name: string } | { kind: 'file'; path: string };

/** BusyBox's default search path, used when PATH is unset. */
export const DEFAULT_PATH = '/sbin:/usr/sbin:/bin:/usr/bin';

function isExecutable(p: string): boolean {
  try {
    if (!fs.statSync(fsPath(p)).isFile()) return false;
    fs.accessSync(fsPath(p), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Search PATH (the shell's variable) for a program. */
export function searchPath(sh: Shell, name: string): string | undefined {
  const hit = sh.hashed.get(name);
  if (hit !== undefined && isExecutable(hit)) return hit;
  for (const dir of (sh.get('PATH') ?? DEFAULT_PATH).split(':')) {
    const base = dir === '' ? '.' : dir;
    const candidate = `${base.replace(/\/+$/, '')}/${name}`;
    if (isExecutable(sh.path(candidate))) {
      sh.hashed.set(name, candidate);
      return candidate;
    }
  }
  return undefined;
}

/** What running `name` would run, if it is an applet or a program (not a builtin or function). */
export function findCommand(sh: Shell, name: string): Found | undefined {
  if (name.includes('/')) return { kind: 'file', path: name };
  if (findApplet(name)) return { kind: 'applet', name };
  const p = searchPath(sh, name);
  return p === undefined ? undefined : { kind: 'file', path: p };
}

export async function loadApplet(sh: Shell, name: string): Promise<AppletDecl<OptionSpecs>> {
  const cache = sh.io.runtime.applets;
  let decl = cache.get(name);
  if (!decl) {
    decl = (await findApplet(name)!.load()).default;
    cache.set(name, decl);
  }
  return decl;
}

/** A descriptor that is closed: reads and writes fail as EBADF would. */
const badFd = () => Object.assign(new Error('Bad file descriptor'), { code: 'EBADF' });
const closedSource: ByteSource = {
  read: async () => {
    throw badFd();
  },
  unread() {},
  close() {},
  async *[Symbol.asyncIterator]() {
    throw badFd();
  },
};
const closedSink: ByteSink = {
  write: async () => {
    throw badFd();
  },
  close: async () => {},
};

/** A source for a spawned program: bytes we already read ahead (and gave back) must reach it, so
 *  such a source is pumped instead of handing over its descriptor. */
function forChild(src: ByteSource): ByteSource {
  if (src.fd === undefined || !src.hasUnread?.()) return src;
  return { read: () => src.read(), unread: (c) => src.unread(c), close: () => {}, readNow: () => src.readNow?.(), [Symbol.asyncIterator]: () => src[Symbol.asyncIterator]() };
}

function stdioOf(sh: Shell) {
  return {
    stdin: sh.fds[0]?.source ?? closedSource,
    stdout: sh.fds[1]?.sink ?? closedSink,
    stderr: sh.fds[2]?.sink ?? closedSink,
  };
}

/** Run an applet or program; its status. Not found: 127, not executable: 126, with ash's message
 *  (naming `context`, the builtin that ran it, if any). */
export function runProgram(sh: Shell, argv: string[], env: Env, context?: string): number | Promise<number> {
  const name = argv[0]!;
  const found = findCommand(sh, name);
  if (!found) return notFound(sh, name, context);
  if (found.kind === 'applet') return runAppletNamed(sh, found.name, argv, env);
  return spawnFile(sh, found.path, argv, env, context);
}

function notFound(sh: Shell, name: string, context?: string): number {
  void sh.writeErr(`${sh.format(notFoundText(name), context)}\n`);
  return 127;
}

/** ash searches PATH for an empty name and finds directories: execve says EACCES (status still 127). */
function notFoundText(name: string): string {
  return name === '' ? ': Permission denied' : `${name}: not found`;
}

function notExecutable(sh: Shell, name: string, context?: string): number {
  void sh.writeErr(`${sh.format(`${name}: Permission denied`, context)}\n`);
  return 126;
}

/** ash's message for a signal that killed a foreground command (nothing for INT and PIPE). */
function reportSignal(sh: Shell, signal: NodeJS.Signals | null): void {
  if (!signal || signal === 'SIGINT' || signal === 'SIGPIPE') return;
  void sh.writeErr(`${signalDescription(signalNumber(signal) ?? 0)}\n`);
}

export async function runAppletNamed(sh: Shell, name: string, argv: string[], env: Env): Promise<number> {
  const decl = await loadApplet(sh, name);
  const stdio = stdioOf(sh);
  if (decl.inProcess === false) {
    const [self, ...selfArgs] = sh.host.self;
    return spawnFile(sh, self!, [self!, ...selfArgs, name, ...argv.slice(1)], env, undefined, true);
  }
  return runApplet(decl, { name, args: argv.slice(1), env, cwd: sh.cwd, signal: sh.io.signal, host: sh.io.runtime.nestedHost, ...stdio });
}

async function spawnFile(sh: Shell, file: string, argv: string[], env: Env, context?: string, self = false): Promise<number> {
  const path = self ? file : sh.path(file);
  if (!self) {
    let st: fs.Stats;
    try {
      st = fs.statSync(fsPath(path));
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return notFound(sh, argv[0]!, context);
      return notExecutable(sh, argv[0]!, context);
    }
    if (st.isDirectory() || !isExecutableMode(path)) return notExecutable(sh, argv[0]!, context);
  }
  const stdio = stdioOf(sh);
  // Descriptors above 2: real ones are handed over, in-memory ones (here-documents, pipes) pumped.
  const extraFds = new Map<number, number | ByteSource | ByteSink>();
  for (let fd = 3; fd < sh.fds.length; fd++) {
    const f = sh.fds[fd];
    if (!f) continue;
    const stream = f.fd !== undefined ? f.fd : (f.source ?? f.sink);
    if (stream !== undefined) extraFds.set(fd, stream);
  }
  let signal: NodeJS.Signals | null = null;
  let pid: number | undefined;
  try {
    const status = await spawnProgram({
      file: path,
      argv,
      env,
      cwd: sh.cwd,
      stdio: { stdin: forChild(stdio.stdin), stdout: stdio.stdout, stderr: stdio.stderr },
      signal: sh.io.signal,
      extraFds,
      onSpawn: (p) => {
        pid = p;
        sh.onSpawn?.(p);
        sh.procs?.add(p);
      },
      onExit: (_code, sig) => {
        signal = sig;
        if (pid !== undefined) sh.procs?.delete(pid);
      },
    });
    reportSignal(sh, signal);
    return status;
  } catch (err) {
    if (err instanceof BrokenPipe) throw err;
    const code = errorCode(err);
    if (code === 'ENOEXEC') return runAsScript(sh, path, argv, env);
    if (code === 'ENOENT') return notFound(sh, argv[0]!, context);
    return notExecutable(sh, argv[0]!, context);
  }
}

function isExecutableMode(p: string): boolean {
  try {
    fs.accessSync(fsPath(p), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A file without `#!` that the system cannot execute: run it with a new shell (POSIX). */
async function runAsScript(sh: Shell, path: string, argv: string[], env: Env): Promise<number> {
  const decl = await loadApplet(sh, 'sh');
  return runApplet(decl, {
    name: 'sh', args: [path, ...argv.slice(1)], env, cwd: sh.cwd, signal: sh.io.signal, host: sh.io.runtime.nestedHost, ...stdioOf(sh),
  });
}

/** `exec CMD`: replace the shell. The process is replaced (execve) when this is the process's own
 *  shell and its descriptors are still the ones it was started with; otherwise the command runs and
 *  the shell exits with its status. */
export async function execReplace(sh: Shell, argv: string[], env: Env): Promise<never> {
  const name = argv[0]!;
  const found = findCommand(sh, name);
  if (!found) {
    void sh.writeErr(`${sh.format(notFoundText(name), 'exec')}\n`);
    throw new ShellExit(127);
  }
  // Applets run by the shell get a host without execve: having it means this shell owns the process.
  const host = sh.host;
  if (found.kind === 'file' && host.execve && sh.subshell === 0 && stdioIsOriginal(sh)) {
    const path = sh.path(found.path);
    if (isExecutableMode(path)) host.execve(path, argv, env.toProcessEnv());
  }
  const status = await runProgram(sh, argv, env, 'exec');
  throw new ShellExit(status);
}

function stdioIsOriginal(sh: Shell): boolean {
  for (let fd = 0; fd < sh.fds.length; fd++) {
    const f = sh.fds[fd];
    if (fd < 3 ? f?.fd !== fd : f !== undefined) return false;
  }
  return true;
}
