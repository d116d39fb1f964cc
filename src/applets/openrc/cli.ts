// What every OpenRC command line shares: getopt_long as glibc runs it (options taken in order, so
// an option that acts at once — rc-status -l, rc-service -e — acts before a later bad one is seen;
// operands collected around them), the common options -C -h -q -V -v, and the usage text of
// OpenRC's _usage.c (`Options: [ getoptstring ]` then one line per long option, help at column 36).
import type { Ctx } from '../../core/context.js';
import type { Env } from '../../core/env.js';
import { VERSION } from './state.js';

export interface LongOpt {
  readonly name: string;
  /** The short letter, or undefined for a long-only option. */
  readonly letter?: string;
  /** 0 no argument, 1 required, 2 optional. */
  readonly has: 0 | 1 | 2;
  readonly help: string;
}

export interface CliSpec {
  /** The first part of the usage: `Usage: NAME [options] ...` (may hold several lines). */
  readonly usage: string;
  /** The short options, getopt style (`acf:l`); the common ones are appended. */
  readonly getopt: string;
  readonly longopts: readonly LongOpt[];
  /** Help texts of the common options, when the program's list is out of step with them (openrc). */
  readonly commonHelp?: readonly string[];
}

export const COMMON_GETOPT = 'ChqVv';
const COMMON: readonly LongOpt[] = [
  { name: 'help', letter: 'h', has: 0, help: 'Display this help output' },
  { name: 'nocolor', letter: 'C', has: 0, help: 'Disable color output' },
  { name: 'version', letter: 'V', has: 0, help: 'Display software version' },
  { name: 'verbose', letter: 'v', has: 0, help: 'Run verbosely' },
  { name: 'quiet', letter: 'q', has: 0, help: 'Run quietly (repeat to suppress errors)' },
];

function allLongopts(spec: CliSpec): LongOpt[] {
  const common = spec.commonHelp ? COMMON.map((o, i) => ({ ...o, help: spec.commonHelp![i]! })) : COMMON;
  return [...spec.longopts, ...common];
}

/** The option block of the usage: `Options: [ ... ]` and a line per long option. */
export function optionsBlock(spec: CliSpec): string {
  const lines = [`Options: [ ${spec.getopt}${COMMON_GETOPT} ]`];
  for (const o of allLongopts(spec)) {
    let line = `  ${(o.letter ? `-${o.letter},` : '').padStart(3)} --${o.name} ${['', '<arg>', '[arg]'][o.has]}`;
    let width = line.length;
    for (const part of o.help.split('\n')) {
      const pad = 36 - width;
      line += (pad > 0 ? ' '.repeat(pad) : '') + part;
      lines.push(line);
      line = '';
      width = 0;
    }
  }
  return lines.join('\n');
}

/** The whole usage text, as `usage()` prints it. */
export function usageText(spec: CliSpec): string {
  return `${spec.usage}\n\n${optionsBlock(spec)}\n`;
}

export type GetoptItem =
  | { kind: 'option'; key: string; value?: string }
  | { kind: 'error'; message: string };

/** glibc getopt_long, permuting: yields options in order and an error where one is; operands go to
 *  `operands` (all of them after `--`). */
export function* getoptLong(args: readonly string[], spec: CliSpec, operands: string[]): Generator<GetoptItem> {
  const shorts = `${spec.getopt}${COMMON_GETOPT}`;
  const longs = allLongopts(spec);
  const keyOf = (o: LongOpt) => o.letter ?? o.name;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      return;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const value = eq < 0 ? undefined : arg.slice(eq + 1);
      let found = longs.find((o) => o.name === name);
      if (!found) {
        const candidates = longs.filter((o) => o.name.startsWith(name));
        const distinct = candidates.filter((o, k) => candidates.findIndex((c) => keyOf(c) === keyOf(o) && c.has === o.has) === k);
        if (distinct.length > 1) {
          yield { kind: 'error', message: `option '${arg.split('=')[0]}' is ambiguous; possibilities:${distinct.map((o) => ` '--${o.name}'`).join('')}` };
          continue;
        }
        found = distinct[0];
      }
      if (!found) {
        yield { kind: 'error', message: `unrecognized option '${arg}'` };
        continue;
      }
      if (found.has === 0 && value !== undefined) {
        yield { kind: 'error', message: `option '--${found.name}' doesn't allow an argument` };
        continue;
      }
      if (found.has === 1 && value === undefined) {
        if (i + 1 >= args.length) {
          yield { kind: 'error', message: `option '--${found.name}' requires an argument` };
          continue;
        }
        yield { kind: 'option', key: keyOf(found), value: args[++i]! };
        continue;
      }
      yield { kind: 'option', key: keyOf(found), value };
      continue;
    }
    if (arg.length > 1 && arg.startsWith('-')) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const at = letter === ':' ? -1 : shorts.indexOf(letter);
        if (at < 0) {
          yield { kind: 'error', message: `invalid option -- '${letter}'` };
          continue;
        }
        if (shorts[at + 1] === ':') {
          if (j + 1 < arg.length) yield { kind: 'option', key: letter, value: arg.slice(j + 1) };
          else if (i + 1 < args.length) yield { kind: 'option', key: letter, value: args[++i]! };
          else yield { kind: 'error', message: `option requires an argument -- '${letter}'` };
          break;
        }
        yield { kind: 'option', key: letter };
      }
      continue;
    }
    operands.push(arg);
  }
}

/** The common options' effects on the environment; `'help'`/`'version'` when the caller must print.
 *  `argCount` is C's argc: -V prints the version only when it is the one argument. */
export function commonOption(key: string, env: Env, argCount: number, quietCount: { n: number }): 'help' | 'version' | 'handled' | undefined {
  switch (key) {
    case 'C':
      env.set('EINFO_COLOR', 'NO');
      return 'handled';
    case 'h':
      return 'help';
    case 'V':
      return argCount === 2 ? 'version' : 'handled';
    case 'v':
      env.set('EINFO_VERBOSE', 'YES');
      return 'handled';
    case 'q':
      quietCount.n++;
      if (quietCount.n === 1) env.set('EINFO_QUIET', 'YES');
      else if (quietCount.n === 2) env.set('EERROR_QUIET', 'YES');
      return 'handled';
    default:
      return undefined;
  }
}

/** `NAME (OpenRC [SYS]) 0.45.2`, as -V prints it. */
export function versionText(applet: string, sys: string | undefined): string {
  return `${applet} (OpenRC${sys ? ` [${sys}]` : ''}) ${VERSION}\n`;
}

/** A getopt error: glibc's message on stderr, the usage on stdout, status 1. */
export async function usageError(ctx: Pick<Ctx, 'stdout' | 'stderr'>, applet: string, spec: CliSpec, message: string): Promise<number> {
  await ctx.stderr.write(`${applet}: ${message}\n`);
  await ctx.stdout.write(usageText(spec));
  return 1;
}

/** The `usage` and `summary` of a declaration whose help text is OpenRC's usage (see helpText). */
export function declUsage(spec: CliSpec): { usage: string; summary: string } {
  return { usage: spec.usage.replace(/^Usage: /, ''), summary: optionsBlock(spec) };
}
