// Differential testing: the same command line through a reference tool and through our applet
// (in-process), with the same working directory and standard input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTool, type ToolResult } from './reference.js';
import { run, tempDir } from './run.js';

/** A directory of fixture files shared by a test file's cases. */
export function fixtureDir(files: Record<string, string | Buffer>): string {
  const dir = tempDir('toolbox-diff-');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Every byte value, with newlines among them and no final newline. */
export const ALL_BYTES = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), 10, 0, 0xff, 10, 0x41]);

export interface Outcome extends ToolResult {}

/** Run argv (argv[0] is the applet) through `reference` (default: argv[0] on PATH) and ours. */
export async function both(
  argv: readonly string[],
  opts: { cwd: string; stdin?: string | Buffer; reference?: readonly string[]; env?: Record<string, string> },
): Promise<{ ours: Outcome; ref: Outcome }> {
  const ref = runTool([...(opts.reference ?? [argv[0]!]), ...argv.slice(1)], { cwd: opts.cwd, stdin: opts.stdin ?? '', env: opts.env });
  const r = await run(argv, { cwd: opts.cwd, stdin: opts.stdin ?? '', env: { LC_ALL: 'C', ...opts.env } });
  return { ours: { status: r.status, stdout: r.stdout, stderr: r.stderr }, ref };
}

/** Split a command line on spaces, keeping '…' groups (for readable case tables). */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2]!);
  return out;
}
