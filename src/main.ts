// The process entry, and the only module that touches process globals: it picks the applet by the
// name we were invoked by (or `toolbox APPLET ...`), wraps the real descriptors as byte streams,
// copies the environment, runs the applet and exits with its status.
import { isSea } from 'node:sea';
import type { ProcessHost } from './core/context.js';
import { fromUtf8 } from './core/bytes.js';
import { Env } from './core/env.js';
import { errorCode } from './core/errors.js';
import { FdSink, FdSource } from './core/io.js';
import { runApplet } from './core/run.js';
import { findApplet } from './registry.js';

function createHost(): ProcessHost {
  const tty = () => process.getBuiltinModule('node:tty');
  return {
    pid: process.pid,
    ppid: process.ppid,
    self: (isSea() ? [process.execPath] : [process.execPath, process.argv[1]!]).map(fromUtf8),
    uid: () => process.getuid?.() ?? 0,
    gid: () => process.getgid?.() ?? 0,
    euid: () => process.geteuid?.() ?? 0,
    egid: () => process.getegid?.() ?? 0,
    groups: () => process.getgroups?.() ?? [],
    umask: (mask) => (mask === undefined ? process.umask() : process.umask(mask)),
    isatty: (fd) => tty().isatty(fd),
    terminalSize(fd) {
      if (!tty().isatty(fd)) return undefined;
      // Only stdout and stderr have a window size Node can read (an ioctl on the descriptor).
      const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined;
      const size = stream && 'getWindowSize' in stream ? stream.getWindowSize() : undefined;
      return size ? { columns: size[0], rows: size[1] } : undefined;
    },
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
    kill: (pid, signal) => void process.kill(pid, signal),
    execve: process.execve ? (file, argv, env) => process.execve!(file, [...argv], env) as never : undefined,
  };
}

function currentDirectory(env: Env): string {
  try {
    return fromUtf8(process.cwd());
  } catch {
    return env.get('PWD') ?? '/'; // the directory was removed under us
  }
}

async function main(): Promise<number> {
  const host = createHost();
  const env = new Env(Object.entries(process.env).map(([k, v]) => [fromUtf8(k), fromUtf8(v ?? '')] as const));
  const stdout = new FdSink(1);
  const stderr = new FdSink(2);
  const invoked = isSea() ? fromUtf8(process.argv0) : 'toolbox';
  let name = invoked.slice(invoked.lastIndexOf('/') + 1);
  let args = process.argv.slice(2).map(fromUtf8);

  if (name.startsWith('toolbox')) {
    const first = args[0];
    if (first === undefined || first.startsWith('--')) {
      const { multicall } = await import('./multicall.js');
      return multicall(args, { host, stdout, stderr, cwd: currentDirectory(env) });
    }
    name = first;
    args = args.slice(1);
  }
  const entry = findApplet(name);
  if (!entry) {
    await stderr.write(`${name}: applet not found\n`).catch(() => {});
    return 127;
  }
  const decl = (await entry.load()).default;
  const stdin = new FdSource(0, false, decl.syncStdin);
  const signal = new AbortController().signal;
  return runApplet(decl, { name, args, env, cwd: currentDirectory(env), signal, host, stdin, stdout, stderr });
}

// The last resort: whatever escapes is reported in one line, never as a stack trace (unless asked).
function fatal(err: unknown): never {
  if (errorCode(err) === 'EPIPE') process.exit(141);
  const debug = process.env.TOOLBOX_DEBUG;
  const text = debug && debug !== '0' && err instanceof Error ? String(err.stack) : err instanceof Error ? err.message : String(err);
  try {
    process.getBuiltinModule('node:fs').writeSync(2, `toolbox: internal error: ${text}\n`);
  } catch {
    // stderr is gone too
  }
  process.exit(1);
}

process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
main().then((status) => process.exit(status), fatal);
