// Running shell text: one complete command at a time (so an alias defined on one line applies to
// the next, and a syntax error late in a file stops it only there). Used for scripts, -c strings,
// `.`, eval and traps.
import type { Command } from './ast.js';
import { execute, settle, type Status } from './interp.js';
import { ParseError, Parser } from './parser.js';
import type { Shell } from './shell.js';

const isPromise = (s: unknown): s is Promise<number> => typeof s === 'object' && s !== null;

export interface TextOptions {
  /** Line number of the text's first line. */
  firstLine: number;
  /** Error context (`eval`), or undefined for the shell's own name. */
  context?: string;
}

export function parserFor(sh: Shell, text: string, firstLine: number, final = true): Parser {
  return new Parser(text, { aliases: (name) => sh.aliases.get(name), firstLine, final });
}

/** A syntax error as ash reports it: it ends a non-interactive shell with status 2. */
export function syntaxError(sh: Shell, err: ParseError, context?: string): Error {
  sh.lineno = err.line;
  return sh.error(err.message, context);
}

/** Parse and run text; the status of its last command (0 if it has none). */
export function runText(sh: Shell, text: string, opts: TextOptions): Status {
  return runParsed(sh, parserFor(sh, text, opts.firstLine), opts.context, text, false);
}

/** The next command, or null at the end; syntax errors become shell errors. */
function next(sh: Shell, parser: Parser, context: string | undefined): Command | null {
  try {
    return parser.parseNext();
  } catch (err) {
    if (err instanceof ParseError) throw syntaxError(sh, err, context);
    throw err;
  }
}

/** Run commands from a parser until the text ends (or a return/break unwinds it). */
export function runParsed(sh: Shell, parser: Parser, context: string | undefined, text: string, ran: boolean): Status {
  for (;;) {
    const cmd = nextToRun(sh, parser, context, text);
    if (cmd === null) {
      if (!ran) sh.status = 0;
      return sh.status;
    }
    ran = true;
    if (cmd === undefined) continue;
    const r = execute(sh, cmd);
    if (isPromise(r) || sh.pendingTraps.length) return runParsedAsync(sh, parser, context, text, Promise.resolve(r));
    if (sh.skip) return sh.status;
  }
}

async function runParsedAsync(sh: Shell, parser: Parser, context: string | undefined, text: string, pending: Promise<number>): Promise<number> {
  await pending;
  await settle(sh);
  while (!sh.skip) {
    const cmd = nextToRun(sh, parser, context, text);
    if (cmd === null) break;
    if (cmd === undefined) continue;
    const r = execute(sh, cmd);
    if (isPromise(r)) {
      await r;
      await settle(sh);
    }
  }
  return sh.status;
}

/** The next command to run; undefined when it is only to be parsed (-n), null at the end. */
function nextToRun(sh: Shell, parser: Parser, context: string | undefined, text: string): Command | null | undefined {
  const start = parser.offset;
  const cmd = next(sh, parser, context);
  if (!cmd) return null;
  if (sh.opts.verbose) void sh.writeErr(text.slice(start, parser.offset).replace(/^\n+/, ''));
  if (sh.opts.noexec && !sh.interactive) return undefined;
  return cmd;
}
