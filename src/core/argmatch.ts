// Option values from a fixed set, as GNU's argmatch matches them: an exact name, or a prefix that
// names one value (`--color=al` → always; `--time=a` → atime, since atime and access agree). The
// error lists the valid arguments grouped by value, in GNU's words.
import { UsageError } from './errors.js';
import { quote } from './quote.js';

/** Names and their values, in the order GNU lists them. */
export type ArgTable<T> = readonly (readonly [name: string, value: T])[];

/** The value `arg` names in `table`; throws UsageError (with `status`) naming `option` otherwise. */
export function argmatch<T>(arg: string, table: ArgTable<T>, option: string, status?: number): T {
  const exact = table.find(([name]) => name === arg);
  if (exact) return exact[1];
  // an empty argument is a prefix of every name: GNU calls it ambiguous (`rm --interactive=`)
  const candidates = table.filter(([name]) => name.startsWith(arg));
  if (candidates.length > 0 && candidates.every(([, v]) => v === candidates[0]![1])) return candidates[0]![1];
  const problem = candidates.length > 0 ? 'ambiguous' : 'invalid';
  throw new UsageError(`${problem} argument ${quote(arg)} for ${quote(option)}\n${validArguments(table)}`, status);
}

/** `Valid arguments are:` and one line per value, its names separated by commas. */
export function validArguments<T>(table: ArgTable<T>): string {
  const lines: string[] = [];
  let last: T | undefined;
  for (const [i, [name, value]] of table.entries()) {
    if (i > 0 && value === last) lines[lines.length - 1] += `, ${quote(name)}`;
    else lines.push(`  - ${quote(name)}`);
    last = value;
  }
  return `Valid arguments are:\n${lines.join('\n')}`;
}
