// Running shell text in-process for the sh tests.
import { run, type RunOptions, type RunResult } from '../../helpers/run.js';

/** `sh -c SCRIPT [ARGS]` in-process. */
export function sh(script: string, opts: RunOptions & { args?: string[] } = {}): Promise<RunResult> {
  return run(['sh', '-c', script, ...(opts.args ?? [])], opts);
}

/** The standard output of `sh -c SCRIPT`. */
export async function out(script: string, opts: RunOptions = {}): Promise<string> {
  return (await sh(script, opts)).stdout;
}
