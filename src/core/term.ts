// The terminal: how wide a line is, and whether to colour. Width comes from the terminal itself
// (ctx.host.terminalSize), then COLUMNS, then 80, as GNU ls decides it; colour from --color=WHEN
// (always/never/auto, GNU's spellings) with picocolors for the applets whose colours are fixed.
import picocolors from 'picocolors';
import { type ArgTable, argmatch } from './argmatch.js';
import type { Ctx } from './context.js';

export type When = 'always' | 'never' | 'auto';

export const WHEN_ARGS: ArgTable<When> = [
  ['always', 'always'],
  ['yes', 'always'],
  ['force', 'always'],
  ['never', 'never'],
  ['no', 'never'],
  ['none', 'never'],
  ['auto', 'auto'],
  ['tty', 'auto'],
  ['if-tty', 'auto'],
];

/** `--color[=WHEN]`'s value: no argument means always. */
export function parseWhen(value: string | true | undefined, option = '--color', status?: number): When | undefined {
  if (value === undefined) return undefined;
  return value === true ? 'always' : argmatch(value, WHEN_ARGS, option, status);
}

/** Columns of the terminal on stdout, if stdout is one that reports its size. */
export function terminalColumns(ctx: Pick<Ctx, 'isTTY' | 'host' | 'stdout'>): number | undefined {
  if (!ctx.isTTY(1) || ctx.stdout.fd === undefined) return undefined;
  const size = ctx.host.terminalSize(ctx.stdout.fd);
  return size && size.columns > 0 ? size.columns : undefined;
}

/** COLUMNS as a width: undefined when unset or empty, NaN when not a valid number (0 means no limit). */
export function columnsFromEnv(env: Ctx['env']): number | undefined {
  const value = env.get('COLUMNS');
  if (!value) return undefined;
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** The line width for column output: the terminal's, else COLUMNS, else 80. */
export function lineWidth(ctx: Pick<Ctx, 'isTTY' | 'host' | 'stdout' | 'env'>): number {
  const tty = terminalColumns(ctx);
  if (tty !== undefined) return tty;
  const env = columnsFromEnv(ctx.env);
  return env !== undefined && !Number.isNaN(env) ? env : 80;
}

/** Whether to colour output for WHEN (auto: stdout is a terminal and TERM is not dumb). */
export function colorWanted(ctx: Pick<Ctx, 'isTTY' | 'env'>, when: When | undefined): boolean {
  if (when === 'always') return true;
  if (when !== 'auto') return false;
  return ctx.isTTY(1) && ctx.env.get('TERM') !== 'dumb';
}

/** picocolors formatters, enabled or not. */
export function colors(enabled: boolean): ReturnType<typeof picocolors.createColors> {
  return picocolors.createColors(enabled);
}
