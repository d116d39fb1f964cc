// How the interpreter unwinds. None of these carries a stack trace to the user: ShellError's
// message is printed by whoever catches it (the top level, a subshell, `command`), ShellExit and
// Suspend are plain objects (no stack capture, so throwing them is cheap).

/** A shell error that stops the current script (non-interactive) or command line (interactive):
 *  syntax errors, expansion errors, errors of special builtins. `message` is already formatted
 *  (`sh: line 3: x: parameter not set`), without the newline, and was printed when the error was
 *  raised (Shell.error), on the standard error in effect there, as ash does. */
export class ShellError extends Error {
  constructor(
    message: string,
    readonly status = 2,
  ) {
    super(message);
    this.name = 'ShellError';
  }
}

/** `exit` (and the end of a subshell by `exit`): unwinds to the shell's or subshell's top. */
export class ShellExit {
  constructor(readonly status: number) {}
}

/** An expansion needs the result of a command substitution that is still running. The caller
 *  awaits `promise` and expands the word again; results already computed are replayed from
 *  `frame` (the one in use, or a new one when the expansion had none). */
export class Suspend {
  constructor(
    readonly promise: Promise<unknown>,
    readonly frame?: { memo: unknown[]; index: number },
  ) {}
}
