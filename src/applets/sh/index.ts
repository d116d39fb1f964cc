// sh (and ash): a POSIX shell with BusyBox ash's extensions. This module is the applet: it reads
// the invocation (-c, a script, standard input, or an interactive terminal), builds the Shell and
// runs it; the language lives in parser.ts, expand.ts and interp.ts.
import * as fs from 'node:fs';
import { defineApplet } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { BrokenPipe, errorCode, strerror } from '../../core/errors.js';
import { KillRequest } from '../../core/process.js';
import { execute, settle } from './interp.js';
import { ShellError, ShellExit } from './errors.js';
import { borrowedFile } from './files.js';
import { Jobs } from './jobs.js';
import { ParseError, Parser } from './parser.js';
import { parserFor, runParsed, runText, syntaxError } from './script.js';
import { createRuntime, OPTION_NAMES, type OptionName, Shell } from './shell.js';
import { deliverSignal, runExitTrap } from './traps.js';

const USAGE = "sh [-il] [-|+Cabefmnuvx] [-|+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]";

interface Invocation {
  command?: string;
  file?: string;
  readStdin: boolean;
  interactive?: boolean;
  login: boolean;
  set: [OptionName, boolean][];
  args: string[];
}

class InvocationError extends Error {}

/** ash's command line: option clusters with - or +, -o NAME, then -c STRING / FILE / -s, then args. */
function parseArgs(argv: readonly string[]): Invocation {
  const inv: Invocation = { readStdin: false, login: false, set: [], args: [] };
  const byLetter = new Map<string, OptionName>(OPTION_NAMES.filter(([, l]) => l).map(([n, l]) => [l, n]));
  let minusC = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--' || a === '-') {
      i++;
      break;
    }
    if (a.length < 2 || (a[0] !== '-' && a[0] !== '+')) break;
    const on = a[0] === '-';
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (c === 'c' && on) minusC = true;
      else if (c === 's' && on) inv.readStdin = true;
      else if (c === 'i') inv.interactive = on;
      else if (c === 'l' && on) inv.login = true;
      else if (c === 'o') {
        const name = argv[++i];
        if (name === undefined) throw new InvocationError(`-o requires an argument`);
        if (!OPTION_NAMES.some(([n]) => n === name)) throw new InvocationError(`illegal option ${a[0]}o ${name}`);
        inv.set.push([name as OptionName, on]);
      } else {
        const name = byLetter.get(c);
        if (!name) throw new InvocationError(`illegal option ${a[0]}${c}`);
        inv.set.push([name, on]);
      }
    }
  }
  const rest = argv.slice(i);
  if (minusC) {
    if (rest.length === 0) throw new InvocationError('-c requires an argument');
    inv.command = rest[0];
    inv.args = rest.slice(1);
  } else if (!inv.readStdin && rest.length > 0) {
    inv.file = rest[0];
    inv.args = rest.slice(1);
  } else {
    inv.readStdin = true;
    inv.args = rest;
  }
  return inv;
}

/** Variables a shell starts with: the environment (exported), then ash's defaults. */
function initVariables(sh: Shell, ctx: Ctx): void {
  for (const [name, value] of ctx.env.entries()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    sh.set(name, value);
    sh.setExported(name, true);
  }
  sh.variable('IFS').value ??= ' \t\n';
  sh.variable('OPTIND').value = '1';
  sh.variable('PS1').value ??= '\\w \\$ ';
  sh.variable('PS2').value ??= '> ';
  sh.variable('PS4').value ??= '+ ';
  sh.variable('LINENO');
  sh.variable('FUNCNAME');
  if (sh.get('PATH') === undefined) {
    sh.set('PATH', '/sbin:/usr/sbin:/bin:/usr/bin');
    sh.setExported('PATH', true);
  }
  sh.variable('PPID').value = String(ctx.host.ppid);
  const level = Number(sh.get('SHLVL') ?? '0');
  sh.set('SHLVL', String(Number.isInteger(level) ? level + 1 : 1));
  sh.setExported('SHLVL', true);
  if (sh.get('HOSTNAME') === undefined) {
    try {
      sh.set('HOSTNAME', fs.readFileSync('/proc/sys/kernel/hostname', 'latin1').trim());
    } catch {
      // no /proc: no HOSTNAME
    }
  }
  // PWD stays as inherited when it names the working directory (a logical path); else the real one.
  const pwd = sh.get('PWD');
  let keep = false;
  if (pwd?.startsWith('/')) {
    try {
      const a = fs.statSync(fsPath(pwd));
      const b = fs.statSync(fsPath(ctx.cwd));
      keep = a.ino === b.ino && a.dev === b.dev;
    } catch {
      keep = false;
    }
  }
  sh.cwd = keep ? pwd! : ctx.cwd;
  sh.set('PWD', sh.cwd);
  sh.setExported('PWD', true);
}

/** A new top-level shell for an applet invocation. */
export function createShell(ctx: Ctx): Shell {
  const runtime = createRuntime(ctx.host);
  const stop = new AbortController();
  runtime.stop = stop;
  const sh = new Shell({ host: ctx.host, signal: stop.signal, runtime });
  sh.jobs = new Jobs();
  sh.fds = [borrowedFile(ctx.stdin), borrowedFile(undefined, ctx.stdout), borrowedFile(undefined, ctx.stderr)];
  // Only the process's own program (its host can execve) takes the process's signals. A shell run
  // in-process by another applet gets them as aborts of ctx.signal: see takeAborts.
  sh.ownsSignals = ctx.host.execve !== undefined;
  runtime.signalTarget = sh;
  takeAborts(sh, ctx.signal, stop);
  // Node starts its debugger on SIGUSR1 unless someone listens: the shell listens, and without a
  // trap the signal ends it as it ends a C shell (status 138).
  if (sh.ownsSignals) {
    try {
      sh.signalSubs.set(10, ctx.host.onSignal('SIGUSR1', () => (sh.traps[10] === undefined ? stop.abort(new KillRequest(10)) : sh.signalArrived(10))));
    } catch {
      // a host without signals
    }
  }
  initVariables(sh, ctx);
  return sh;
}

/** Whoever runs the shell stops it through ctx.signal, the reason naming a signal (timeout,
 *  nohup): the shell takes it as that signal, so a trap runs and `trap ''` ignores it; a KILL
 *  follows after the reason's grace time. Without a KillRequest it is SIGTERM. */
function takeAborts(sh: Shell, outer: AbortSignal, stop: AbortController): void {
  const onAbort = () => {
    const reason: unknown = outer.reason;
    const request = reason instanceof KillRequest ? reason : new KillRequest(15);
    if (request.killAfterMs !== undefined) setTimeout(() => stop.abort(new KillRequest(9)), request.killAfterMs).unref();
    deliverSignal(sh, request.signal);
  };
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
}

/** Run commands until the end of input; errors and `exit` end it. Returns the exit status. */
export async function runToEnd(sh: Shell, run: () => number | Promise<number>): Promise<number> {
  let status: number;
  try {
    status = await run();
    await settle(sh);
    status = sh.status;
  } catch (err) {
    status = await unwound(sh, err);
  }
  try {
    return await runExitTrap(sh, status);
  } catch (err) {
    return unwound(sh, err);
  }
}

/** The status for whatever ended the shell early, with its message printed. */
async function unwound(sh: Shell, err: unknown): Promise<number> {
  if (err instanceof ShellExit) return err.status;
  if (err instanceof BrokenPipe) return 141;
  if (err instanceof ShellError) return err.status;
  if (err instanceof RangeError && /call stack/.test(err.message)) {
    // endless recursion (eval calling itself ...): where ash would crash, we stop with a message
    await sh.writeErr(`${sh.arg0}: stack overflow\n`);
    return 2;
  }
  throw err;
}

/** A login shell first runs /etc/profile and ~/.profile (their errors do not stop it). */
async function sourceProfiles(sh: Shell): Promise<void> {
  for (const file of ['/etc/profile', `${sh.get('HOME') ?? ''}/.profile`]) {
    let text: string;
    try {
      text = fs.readFileSync(fsPath(file)).toString('latin1');
    } catch {
      continue;
    }
    const saved = sh.commandName;
    sh.commandName = file;
    try {
      await runText(sh, text, { firstLine: 1 });
    } catch (err) {
      if (!(err instanceof ShellError)) throw err;
    } finally {
      sh.commandName = saved;
    }
  }
}

/** Read a script from a stream (standard input), a complete command at a time. What was read
 *  beyond the command is given back to the stream before the command runs, so `read` and applets
 *  in the script see the lines after it, as bash does. */
async function runStream(sh: Shell): Promise<number> {
  const source = sh.fds[0]!.source!;
  sh.scriptInput = source;
  let text = '';
  let eof = false;
  let offset = 0;
  let ran = false;
  for (;;) {
    const parser = new Parser(text, { aliases: (n) => sh.aliases.get(n), firstLine: 1, final: eof }, offset);
    let cmd;
    try {
      cmd = parser.parseNext();
    } catch (err) {
      if (err instanceof ParseError && err.incomplete && !eof) {
        const chunk = await source.read();
        if (chunk === null) eof = true;
        else text += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
        continue;
      }
      if (err instanceof ParseError) throw syntaxError(sh, err);
      throw err;
    }
    if (!cmd) {
      if (eof) break;
      // Only blank lines so far: read on.
      const chunk = await source.read();
      if (chunk === null) eof = true;
      else text = text.slice(0, parser.offset) + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      offset = parser.offset;
      continue;
    }
    const end = parser.offset;
    if (sh.opts.verbose) await sh.writeErr(text.slice(offset, end).replace(/^\n+/, ''));
    if (end < text.length) source.unread(Buffer.from(text.slice(end), 'latin1'));
    text = text.slice(0, end);
    offset = end;
    ran = true;
    if (sh.opts.noexec) continue;
    const r = execute(sh, cmd);
    if (typeof r !== 'number') await r;
    await settle(sh);
  }
  if (!ran) sh.status = 0;
  return sh.status;
}

/** V8's optimising compiler (TurboFan) spends more compiling the interpreter's large, polymorphic
 *  functions than a short script gains from it: measured, the loops of bench/sh run 20-40% faster on
 *  Maglev alone. The shell that owns the process starts without TurboFan and turns it back on after
 *  a while, so long-running work (the shell's or an applet's) still gets it. V8 reads the flag when
 *  it decides to optimise, so the change takes effect from then on. */
function deferOptimizer(): void {
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--no-opt');
  setTimeout(() => v8.setFlagsFromString('--opt'), 300).unref();
}

export default defineApplet({
  name: 'sh',
  summary: 'Unix shell interpreter',
  usage: USAGE,
  style: 'busybox',
  usageStatus: 2,
  async run(ctx) {
    let inv: Invocation;
    try {
      inv = parseArgs(ctx.operands);
    } catch (err) {
      if (!(err instanceof InvocationError)) throw err;
      await ctx.stderr.write(`${ctx.name}: ${err.message}\n`);
      return 2;
    }
    if (ctx.host.execve) deferOptimizer();
    const sh = createShell(ctx);
    sh.arg0 = ctx.name;
    for (const [name, on] of inv.set) sh.opts[name] = on;
    sh.params = inv.args;
    // A login shell (-l, or started as `-sh`) reads the profiles first.
    const login = inv.login || ctx.name.startsWith('-');
    const withProfiles = (run: () => number | Promise<number>) => async () => {
      if (login) await sourceProfiles(sh);
      return run();
    };

    if (inv.command !== undefined) {
      sh.minusC = true;
      if (inv.args.length) {
        sh.arg0 = inv.args[0]!;
        sh.commandName = sh.arg0;
        sh.params = inv.args.slice(1);
      }
      sh.interactive = inv.interactive === true;
      const text = inv.command;
      return runToEnd(sh, withProfiles(() => runParsed(sh, parserFor(sh, text, 0), undefined, text, false)));
    }

    if (inv.file !== undefined) {
      const file = inv.file;
      sh.arg0 = file;
      sh.commandName = file;
      let text: string;
      try {
        const st = fs.statSync(fsPath(sh.path(file)));
        text = st.isDirectory() ? '' : fs.readFileSync(fsPath(sh.path(file))).toString('latin1');
      } catch (err) {
        await ctx.stderr.write(`${ctx.name}: can't open '${file}': ${strerror(errorCode(err) ?? 'ENOENT')}\n`);
        return 2;
      }
      return runToEnd(sh, withProfiles(() => runParsed(sh, parserFor(sh, text, 1), undefined, text, false)));
    }

    sh.minusS = true;
    const tty = ctx.isTTY(0) && ctx.isTTY(2);
    sh.interactive = inv.interactive ?? tty;
    if (sh.interactive) {
      const { interact } = await import('./interactive.js');
      return interact(sh, ctx, login ? () => sourceProfiles(sh) : undefined);
    }
    return runToEnd(sh, withProfiles(() => runStream(sh)));
  },
});
