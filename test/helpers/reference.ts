// Reference tools for differential tests. Outside CI a missing tool skips its tests; in CI (where
// .ci/run installs them) a missing tool is a failure.
import { spawnSync } from 'node:child_process';

const found = new Map<string, boolean>();

export function hasTool(name: string): boolean {
  let ok = found.get(name);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
    if (!ok && process.env.CI) throw new Error(`reference tool ${name} is missing (CI must install it)`);
    found.set(name, ok);
  }
  return ok;
}

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run a program; output decoded as latin1 (bytes preserved), LC_ALL=C unless env says otherwise. */
export function runTool(
  argv: readonly string[],
  opts: { stdin?: string | Buffer; cwd?: string; env?: Record<string, string> } = {},
): ToolResult {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    input: opts.stdin,
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC', ...opts.env },
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  // EPIPE: the program did not read all of its input; that is its business, not an error
  if (r.error && (r.error as { code?: string }).code !== 'EPIPE') throw r.error;
  return {
    status: r.status ?? 128 + (r.signal ? (({ SIGPIPE: 13, SIGTERM: 15, SIGKILL: 9 }) as Record<string, number>)[r.signal] ?? 0 : 0),
    stdout: r.stdout.toString('latin1'),
    stderr: r.stderr.toString('latin1'),
  };
}
