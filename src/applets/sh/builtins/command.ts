// command [-p] [-v|-V] NAME [ARGS]: run NAME skipping functions (a special builtin's errors then do
// not end the shell), or say how it would be run. ash's -v looks only at the first name.
import { DEFAULT_PATH } from '../../../core/process.js';
import { ShellError } from '../errors.js';
import { runProgram } from '../external.js';
import type { Shell } from '../shell.js';
import { type Builtin, findBuiltin } from './index.js';
import { commandV, describe } from './type.js';

function runDemoted(sh: Shell, builtin: Builtin, argv: string[]): number | Promise<number> {
  const demote = (err: unknown): number => {
    if (!(err instanceof ShellError)) throw err;
    return err.status;
  };
  try {
    const r = builtin.run(sh, argv);
    return typeof r === 'number' ? r : r.catch(demote);
  } catch (err) {
    return demote(err);
  }
}

export default {
  run(sh: Shell, argv: string[]): number | Promise<number> {
    let i = 1;
    let mode: 'run' | 'v' | 'V' = 'run';
    let defaultPath = false;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (!/^-[pvV]+$/.test(a)) break;
      for (const c of a.slice(1)) {
        if (c === 'p') defaultPath = true;
        else mode = c as 'v' | 'V';
      }
    }
    const args = argv.slice(i);
    if (args.length === 0) return 0;
    if (mode !== 'run') {
      const name = args[0]!;
      const line = mode === 'v' ? commandV(sh, name) : describe(sh, name);
      if (line === undefined) {
        if (mode === 'V') {
          const w = sh.writeErr(`${name}: not found\n`);
          return w ? w.then(() => 127) : 127;
        }
        return 127;
      }
      const w = sh.writeOut(`${line}\n`);
      return w ? w.then(() => 0) : 0;
    }
    const builtin: Builtin | undefined = findBuiltin(sh, args[0]!);
    if (builtin && !args[0]!.includes('/')) return runDemoted(sh, builtin, args);
    if (!defaultPath) return runProgram(sh, args, sh.exportedEnv());
    const savedPath = sh.get('PATH');
    sh.variable('PATH').value = DEFAULT_PATH;
    sh.hashed.clear();
    const restore = () => {
      sh.variable('PATH').value = savedPath;
      sh.hashed.clear();
    };
    try {
      const r = runProgram(sh, args, sh.exportedEnv());
      if (typeof r === 'number') {
        restore();
        return r;
      }
      return r.finally(restore);
    } catch (err) {
      restore();
      throw err;
    }
  },
} satisfies Builtin;
