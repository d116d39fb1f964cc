// gnulib's argmatch: the value of an option like `--interactive=WHEN` or `--sparse=WHEN`, matched
// exactly or by an unambiguous prefix, and GNU's messages when it does not match.
import { UsageError } from './errors.js';
import { quote } from './quote.js';

/**
 * The value `arg` selects among `choices` (name → value). A prefix is enough when every name it
 * starts resolves to the same value. Throws UsageError with GNU's wording and list of valid
 * arguments (`option` as the user sees it, e.g. `--interactive`).
 */
export function argmatch<T>(arg: string, option: string, choices: Readonly<Record<string, T>>): T {
  if (Object.hasOwn(choices, arg)) return choices[arg]!;
  const names = Object.keys(choices).filter((name) => name.startsWith(arg));
  const values = new Set(names.map((name) => choices[name]));
  if (values.size === 1) return choices[names[0]!]!;
  const problem = values.size > 1 ? 'ambiguous' : 'invalid';
  // Valid arguments, synonyms (names with the same value) on one line, as argmatch_valid prints them
  const lines: string[] = [];
  let last: T | undefined;
  for (const [name, value] of Object.entries(choices)) {
    if (lines.length && value === last) lines[lines.length - 1] += `, ${quote(name)}`;
    else lines.push(`  - ${quote(name)}`);
    last = value;
  }
  throw new UsageError(`${problem} argument ${quote(arg)} for ${quote(option)}\nValid arguments are:\n${lines.join('\n')}`);
}
