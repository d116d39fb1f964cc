// The shell's builtins, one module each. `special` marks POSIX special builtins (and ash's extras
// that behave like them): they are found before functions, their assignments persist, and their
// errors end a non-interactive shell.
import type { Shell } from '../shell.js';
import alias from './alias.js';
import bg from './bg.js';
import breakBuiltin from './break.js';
import cd from './cd.js';
import colon from './colon.js';
import command from './command.js';
import continueBuiltin from './continue.js';
import dot from './dot.js';
import echo from './echo.js';
import evalBuiltin from './eval.js';
import exec from './exec.js';
import exit from './exit.js';
import exportBuiltin from './export.js';
import falseBuiltin from './false.js';
import fg from './fg.js';
import getopts from './getopts.js';
import hash from './hash.js';
import help from './help.js';
import history from './history.js';
import jobs from './jobs.js';
import kill from './kill.js';
import letBuiltin from './let.js';
import local from './local.js';
import printf from './printf.js';
import pwd from './pwd.js';
import read from './read.js';
import readonly from './readonly.js';
import returnBuiltin from './return.js';
import set from './set.js';
import shift from './shift.js';
import test from './test.js';
import times from './times.js';
import trap from './trap.js';
import trueBuiltin from './true.js';
import type from './type.js';
import ulimit from './ulimit.js';
import umask from './umask.js';
import unalias from './unalias.js';
import unset from './unset.js';
import wait from './wait.js';

export interface Builtin {
  readonly special?: boolean;
  /** exec: with no command, its redirections are applied for good. */
  readonly keepsRedirections?: boolean;
  run(sh: Shell, argv: string[]): number | Promise<number>;
}

export const BUILTINS: Map<string, Builtin> = new Map<string, Builtin>([
  ['.', dot], [':', colon], ['[', test], ['[[', test], ['alias', alias], ['bg', bg], ['break', breakBuiltin],
  ['cd', cd], ['chdir', cd], ['command', command], ['continue', continueBuiltin], ['echo', echo],
  ['eval', evalBuiltin], ['exec', exec], ['exit', exit], ['export', exportBuiltin], ['false', falseBuiltin],
  ['fg', fg], ['getopts', getopts], ['hash', hash], ['help', help], ['history', history], ['jobs', jobs],
  ['kill', kill], ['let', letBuiltin], ['local', local], ['printf', printf], ['pwd', pwd], ['read', read],
  ['readonly', readonly], ['return', returnBuiltin], ['set', set], ['shift', shift], ['source', dot],
  ['test', test], ['times', times], ['trap', trap], ['true', trueBuiltin], ['type', type], ['ulimit', ulimit],
  ['umask', umask], ['unalias', unalias], ['unset', unset], ['wait', wait],
]);

/** The builtin `name` runs: the shell's own, else one its embedder added. */
export function findBuiltin(sh: Shell, name: string): Builtin | undefined {
  return BUILTINS.get(name) ?? sh.io.runtime.extraBuiltins?.get(name);
}

/** Names `type` calls special builtins (ash's list). */
export const SPECIAL_NAMES = new Set([':', '.', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset', 'local', 'source']);
