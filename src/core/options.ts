// Declarative option parsing with getopt_long's behaviour and messages (which GNU and BusyBox share):
// clusters (-la), attached and separate values (-w80, -w 80), long options with unique-prefix
// abbreviation (--col → --color), `--name=value`, `--` ending options, a lone `-` as an operand,
// options after operands unless the applet stops at its first operand (sh -c, env, xargs), and
// tar's dash-less first word (`tar xzf a.tgz`), whose letters take their values from the words after it.
//
// minimist was the first plan; measured, it loses option order, reads `-l1` as l=1, accepts any
// `--no-x`, returns "" for a missing value and knows no abbreviations. Fixing those left nothing
// of it in use, so the tokenizer below builds the result itself.
import { UsageError } from './errors.js';

export interface OptSpec {
  /** Long names (`all` → --all). A key longer than one letter is itself a long name. */
  readonly long?: string | readonly string[];
  /** Absent: a flag. string: takes a value (last wins). list: repeats collect in order.
   *  optional: long `--x[=V]` or attached `-xV` only. count: how many times given. */
  readonly arg?: 'string' | 'list' | 'optional' | 'count';
  /** Keys this option also sets (A: { implies: 'vET' }); a string of one-letter keys or a list. */
  readonly implies?: string | readonly string[];
  /** Keys this option unsets: the last of several given wins (C: { overrides: '1lmx' }). */
  readonly overrides?: string | readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptSpec>>;

type ValueOf<S extends OptSpec> = S['arg'] extends 'string'
  ? string
  : S['arg'] extends 'list'
    ? string[]
    : S['arg'] extends 'count'
      ? number
      : S['arg'] extends 'optional'
        ? string | true
        : true;

/** The parsed options of a spec: each key absent, or its value. */
export type OptsOf<T extends OptionSpecs> = { -readonly [K in keyof T]?: ValueOf<T[K]> };

export type OptValue = true | string | string[] | number;
export type Opts = Record<string, OptValue | undefined>;

export interface ParseSettings {
  /** Everything from the first operand on is an operand (sh -c, env, xargs, nice). */
  readonly stopAtOperand?: boolean;
  /** A first argument without a dash is a cluster of options (tar xvf, ar). */
  readonly firstArgNoDash?: boolean;
}

export interface Parsed<O = Opts> {
  opts: O;
  operands: string[];
  /** Options in the order given, for applets where order matters (grep -e/-f, sort -k). */
  order: [key: string, value: OptValue][];
  /** `--help` was given (and the spec does not define help itself). */
  help: boolean;
}

function listOf(v: string | readonly string[] | undefined): readonly string[] {
  if (v === undefined) return [];
  return typeof v === 'string' ? (v.includes(',') ? v.split(',') : [...v]) : v;
}

interface Compiled {
  short: Map<string, string>; // letter → key
  long: [name: string, key: string][]; // in declaration order, for prefix matching and messages
}

const compiledCache = new WeakMap<OptionSpecs, Compiled>();

function compile(spec: OptionSpecs): Compiled {
  let c = compiledCache.get(spec);
  if (c) return c;
  c = { short: new Map(), long: [] };
  for (const [key, s] of Object.entries(spec)) {
    if (key.length === 1) c.short.set(key, key);
    else c.long.push([key, key]);
    const longs = typeof s.long === 'string' ? [s.long] : (s.long ?? []);
    for (const name of longs) c.long.push([name, key]);
  }
  if (!spec.help) c.long.push(['help', 'help']);
  compiledCache.set(spec, c);
  return c;
}

/** Parse args (without the applet name) against spec. Throws UsageError with getopt's wording. */
export function parseOptions<T extends OptionSpecs>(
  spec: T,
  args: readonly string[],
  settings: ParseSettings = {},
): Parsed<OptsOf<T>> {
  const c = compile(spec);
  const opts: Opts = {};
  const order: [string, OptValue][] = [];
  const operands: string[] = [];
  let help = false;

  const set = (key: string, value: string | undefined) => {
    if (key === 'help' && !spec.help) {
      help = true;
      return;
    }
    const s = spec[key]!;
    let v: OptValue;
    switch (s.arg) {
      case 'list':
        v = [...((opts[key] as string[] | undefined) ?? []), value!];
        break;
      case 'count':
        v = ((opts[key] as number | undefined) ?? 0) + 1;
        break;
      case 'string':
        v = value!;
        break;
      case 'optional':
        v = value ?? true;
        break;
      default:
        v = true;
    }
    for (const other of listOf(s.overrides)) if (other !== key) delete opts[other];
    opts[key] = v;
    order.push([key, s.arg === 'list' ? value! : v]);
    for (const implied of listOf(s.implies)) if (spec[implied] && opts[implied] === undefined) opts[implied] = true;
  };
  const takesValue = (key: string) => {
    const a = spec[key]?.arg;
    return a === 'string' || a === 'list';
  };

  let i = 0;
  if (settings.firstArgNoDash && args[0] !== undefined && args[0] !== '' && !args[0].startsWith('-')) {
    // Old-style cluster: each letter that takes a value takes the next word after the cluster.
    let next = 1;
    for (const letter of args[0]) {
      const key = c.short.get(letter);
      if (!key) throw new UsageError(`invalid option -- '${letter}'`);
      if (takesValue(key)) {
        if (next >= args.length) throw new UsageError(`option requires an argument -- '${letter}'`);
        set(key, args[next++]);
      } else set(key, undefined);
    }
    i = next;
  }

  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const value = eq === -1 ? undefined : arg.slice(eq + 1);
      const [longName, key] = matchLong(c, name, arg);
      const kind = key === 'help' && !spec.help ? undefined : spec[key]!.arg;
      if (kind === 'string' || kind === 'list') {
        if (value !== undefined) set(key, value);
        else if (i + 1 < args.length) set(key, args[++i]);
        else throw new UsageError(`option '--${longName}' requires an argument`);
      } else if (kind === 'optional') set(key, value);
      else if (value !== undefined) throw new UsageError(`option '--${longName}' doesn't allow an argument`);
      else set(key, undefined);
      continue;
    }
    if (arg.length > 1 && arg.startsWith('-')) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const key = c.short.get(letter);
        if (!key) throw new UsageError(`invalid option -- '${letter}'`);
        const kind = spec[key]!.arg;
        if (kind === 'string' || kind === 'list') {
          if (j + 1 < arg.length) set(key, arg.slice(j + 1));
          else if (i + 1 < args.length) set(key, args[++i]);
          else throw new UsageError(`option requires an argument -- '${letter}'`);
          break;
        }
        if (kind === 'optional') {
          set(key, j + 1 < arg.length ? arg.slice(j + 1) : undefined);
          break;
        }
        set(key, undefined);
      }
      continue;
    }
    if (settings.stopAtOperand) {
      operands.push(...args.slice(i));
      break;
    }
    operands.push(arg);
  }
  return { opts: opts as OptsOf<T>, operands, order, help };
}

/** The long option `name` stands for, exactly or as a unique prefix: [its full name, its key]. */
function matchLong(c: Compiled, name: string, arg: string): [string, string] {
  const exact = c.long.find(([n]) => n === name);
  if (exact) return exact;
  const candidates = c.long.filter(([n]) => n.startsWith(name));
  const keys = new Set(candidates.map(([, k]) => k));
  if (name !== '' && keys.size === 1) return candidates[0]!;
  if (name !== '' && keys.size > 1) {
    // getopt lists the first match and every match that is not the same option as it
    const names = candidates
      .filter(([, k], i) => i === 0 || k !== candidates[0]![1])
      .map(([n]) => `'--${n}'`)
      .join(' ');
    throw new UsageError(`option '${arg.split('=')[0]}' is ambiguous; possibilities: ${names}`);
  }
  throw new UsageError(`unrecognized option '${arg}'`);
}
