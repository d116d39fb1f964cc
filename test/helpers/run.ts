// Runs applets in-process for tests: a fresh temporary directory as cwd, in-memory stdio, an empty
// environment unless given, no spawning. The result is what a user would see.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProcessHost } from '../../src/core/context.js';
import { Env } from '../../src/core/env.js';
import { BytesSource, MemorySink, type ByteSource, type ByteSink } from '../../src/core/io.js';
import { runApplet } from '../../src/core/run.js';
import { findApplet } from '../../src/registry.js';

export interface RunOptions {
  stdin?: string | Buffer | ByteSource;
  /** Files to create in the working directory (relative names; parent directories are made). */
  files?: Record<string, string | Buffer>;
  env?: Record<string, string>;
  /** Working directory; default: a fresh temporary directory. */
  cwd?: string;
  /** Pretend these descriptors are terminals. */
  tty?: number[];
  stdout?: ByteSink;
  signal?: AbortSignal;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  /** The working directory the applet ran in. */
  cwd: string;
}

export function tempDir(prefix = 'toolbox-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testHost(tty: number[] = []): ProcessHost {
  return {
    pid: process.pid,
    ppid: process.ppid,
    self: [process.execPath, path.resolve('dist/esm/main.js')],
    uid: () => process.getuid!(),
    gid: () => process.getgid!(),
    euid: () => process.geteuid!(),
    egid: () => process.getegid!(),
    groups: () => process.getgroups!(),
    umask: (mask) => (mask === undefined ? process.umask() : process.umask(mask)),
    isatty: (fd) => tty.includes(fd),
    terminalSize: (fd) => (tty.includes(fd) ? { columns: 80, rows: 24 } : undefined),
    onSignal: () => () => {},
    kill: (pid, sig) => void process.kill(pid, sig),
  };
}

/** Split a simple command line on spaces; pass an array for arguments with spaces. */
function words(cmd: string | readonly string[]): string[] {
  return typeof cmd === 'string' ? cmd.split(' ').filter(Boolean) : [...cmd];
}

export async function run(cmd: string | readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [name, ...args] = words(cmd);
  const entry = findApplet(name!);
  if (!entry) throw new Error(`no applet ${name}`);
  const cwd = opts.cwd ?? tempDir();
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
    fs.writeFileSync(path.join(cwd, rel), content);
  }
  const stdout = opts.stdout ?? new MemorySink();
  const stderr = new MemorySink();
  const stdin =
    opts.stdin === undefined
      ? new BytesSource('')
      : typeof opts.stdin === 'string' || Buffer.isBuffer(opts.stdin)
        ? new BytesSource(Buffer.isBuffer(opts.stdin) ? opts.stdin : Buffer.from(opts.stdin, 'latin1'))
        : opts.stdin;
  const decl = (await entry.load()).default;
  const status = await runApplet(decl, {
    name: name!,
    args,
    env: new Env(opts.env ?? {}),
    cwd,
    signal: opts.signal ?? new AbortController().signal,
    host: testHost(opts.tty),
    stdin,
    stdout,
    stderr,
  });
  return {
    status,
    stdout: stdout instanceof MemorySink ? stdout.text() : '',
    stderr: stderr.text(),
    cwd,
  };
}
