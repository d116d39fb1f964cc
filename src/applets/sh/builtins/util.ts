// Small helpers shared by builtins: number arguments and option clusters, with ash's messages.
import type { Shell } from '../shell.js';

/** A non-negative decimal argument; anything else is ash's `Illegal number`, which ends the shell. */
export function number(sh: Shell, name: string, arg: string): number {
  if (!/^[0-9]+$/.test(arg)) throw sh.error(`Illegal number: ${arg}`, name);
  return Number(arg);
}

/** Leading option clusters (`-ab -c`) up to `--` or the first operand, checked against `allowed`.
 *  Returns the letters given and the index of the first operand. */
export function options(sh: Shell, name: string, argv: readonly string[], allowed: string, fatal = false): { set: Set<string>; rest: number } | number {
  const set = new Set<string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    for (const c of a.slice(1)) {
      if (!allowed.includes(c)) {
        if (fatal) throw sh.error(`illegal option -${c}`, name);
        void sh.warn(`illegal option -${c}`, name);
        return 2;
      }
      set.add(c);
    }
  }
  return { set, rest: i };
}
