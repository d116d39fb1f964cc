// The applet contract: a module exports one declaration (data first, then run). The dispatcher reads
// the declaration for --help, option parsing and messages before calling any code.
import type { Ctx } from './context.js';
import type { OptionSpecs, OptsOf } from './options.js';

export interface AppletDecl<T extends OptionSpecs = OptionSpecs> {
  /** The canonical name; an alias (service, [) runs the same declaration under its own name. */
  readonly name: string;
  /** One line: what the applet does. */
  readonly summary: string;
  /** The synopsis after `Usage: `, e.g. `cat [-nbsvteA] [FILE]...`. */
  readonly usage: string;
  /** Option descriptions for --help, one per line. */
  readonly help?: string;
  /** The options. Absent: the applet parses argv itself (ctx.operands is argv without the name) and
   *  `--help` is recognised only as the sole argument, as GNU echo/true/test do. */
  readonly options?: T;
  /** The applet answers --help itself: GNU test only when invoked as `[`; apk in apk-tools' layout,
   *  with status 1. */
  readonly ownHelp?: boolean;
  /** Whose conventions usage errors follow: GNU (`Try 'x --help'…`), GNU diffutils (`x: Try 'x
   *  --help'…`, prefixed like every other line) or BusyBox (usage block). */
  readonly style?: 'gnu' | 'diffutils' | 'busybox';
  /** Exit status for usage errors (GNU ls/grep: 2; most: 1). */
  readonly usageStatus?: number;
  /** GNU style only: print `Usage: <usage>` between the message and the `Try` line (GNU grep). */
  readonly usageLineOnError?: boolean;
  readonly stopAtOperand?: boolean;
  readonly firstArgNoDash?: boolean;
  /** Rewrite argv before parsing, for historical forms like `head -5`. */
  readonly rewriteArgs?: (args: readonly string[]) => string[];
  /** The applet runs nothing else concurrently (a plain filter): when it is the process's own
   *  applet, a piped stdin is read with blocking reads, which is faster. */
  readonly syncStdin?: boolean;
  /** false: daemons and anything that must own signals or the terminal; always spawned. */
  readonly inProcess?: boolean;
  run(ctx: Ctx<OptsOf<T>>): Promise<number> | number;
}

/** Declare an applet; the option types of ctx.opts are inferred from `options`. */
export function defineApplet<const T extends OptionSpecs = Record<never, never>>(decl: AppletDecl<T>): AppletDecl<T> {
  return decl;
}

/** The text `--help` prints. */
export function helpText(decl: AppletDecl<OptionSpecs>): string {
  let text = `Usage: ${decl.usage}\n\n${decl.summary}\n`;
  if (decl.help) text += `\n${decl.help.replace(/\n*$/, '\n')}`;
  return text;
}
