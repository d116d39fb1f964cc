// Running the library text (openrc-run.sh, gendepends.sh) in our shell, in this process: a new
// Shell per run, as OpenRC starts a new sh per command, with the helper builtins added.
import type { Ctx } from '../../core/context.js';
import type { Env } from '../../core/env.js';
import { nestedHost } from '../../core/run.js';
import { createShell, runToEnd } from '../sh/index.js';
import { runText } from '../sh/script.js';
import { type LibraryHooks, libraryBuiltins } from './builtins.js';

/** What a library run borrows from the applet running it. */
export type ShellContext = Pick<Ctx, 'host' | 'signal' | 'stdin' | 'stdout' | 'stderr' | 'isTTY' | 'exec' | 'warn' | 'path' | 'name' | 'argv' | 'opts' | 'operands' | 'optionOrder' | 'cwd' | 'env'>;

export interface LibraryRun {
  /** The environment the shell starts with (its variables, all exported). */
  env: Env;
  text: string;
  /** $0: the file OpenRC would be running. */
  arg0: string;
  params: string[];
  hooks: LibraryHooks;
  cwd?: string;
}

/** Run the text to its end (or `exit`); the shell's exit status. */
export async function runLibrary(sc: ShellContext, run: LibraryRun): Promise<number> {
  const ctx: Ctx = { ...sc, env: run.env, cwd: run.cwd ?? '/', host: nestedHost(sc.host) };
  const sh = createShell(ctx);
  sh.io.runtime.extraBuiltins = libraryBuiltins(run.hooks);
  sh.arg0 = run.arg0;
  sh.commandName = run.arg0;
  sh.params = run.params;
  // interrupted, the script ends after what it is running (as the sh OpenRC starts dies of the signal)
  const stop = () => (sh.killedBy ??= 15);
  ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    return await runToEnd(sh, () => runText(sh, run.text, { firstLine: 1 }));
  } finally {
    ctx.signal.removeEventListener('abort', stop);
  }
}
