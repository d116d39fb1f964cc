// The interpreter: walks the syntax tree against a Shell.
//
// Speed comes from staying synchronous. Every exec function returns the status as a number when
// the command finished without waiting, or a promise when it had to wait (a pipeline, an applet, a
// program, a read from a pipe). Loops and lists run in a synchronous loop and switch to an async
// twin only when a command actually returns a promise, continuing where they were; so a `while`
// loop of builtins and arithmetic never creates a promise. Each function sets sh.status ($?)
// before it returns.
import type { Case, Command, For, FuncDef, If, Loop, Pipeline, Redir, Simple, Word } from './ast.js';
import { type Builtin, findBuiltin } from './builtins/index.js';
import { ShellError, ShellExit, Suspend } from './errors.js';
import { expandHeredoc, expandPattern, expandString, expandWords } from './expand.js';
import { pipeReader, pipeWriter, ShellFile } from './files.js';
import { runProgram } from './external.js';
import { runText } from './script.js';
import { createPipe, MemorySink } from '../../core/io.js';
import { BrokenPipe, errorCode, strerror } from '../../core/errors.js';
import { abortStatus } from '../../core/process.js';
import { applyRedirs, RedirError, restoreRedirs, type Saved } from './redirect.js';
import { BadFd, type ReplayFrame, Shell, Skip, type Var } from './shell.js';
import { startBackground } from './jobs.js';
import { maybeQuote } from './quote.js';
import { runTraps } from './traps.js';
import { simpleRunner } from './compile.js';

export type Status = number | Promise<number>;

// ---- entry

/** Run a command. */
export function execute(sh: Shell, node: Command): Status {
  switch (node.t) {
    case 'simple':
      return ((node.runner ??= simpleRunner(node) ?? ((s: Shell) => execSimple(s, node))) as (s: Shell) => Status)(sh);
    case 'seq':
      return execSeq(sh, node.cmds, 0);
    case 'and':
    case 'or':
      return execAndOr(sh, node);
    case 'pipe':
      return execPipeline(sh, node);
    case 'bg':
      return done(sh, startBackground(sh, node.cmd));
    case 'sub':
      if (node.redirs.length) return withRedirs(sh, node.redirs, () => checkExit(sh, subshell(sh, node.body, 'subshell')));
      return checkExit(sh, subshell(sh, node.body, 'subshell'));
    case 'group':
      if (node.redirs.length) return withRedirs(sh, node.redirs, () => execute(sh, node.body));
      return execute(sh, node.body);
    case 'if':
      if (node.redirs.length) return withRedirs(sh, node.redirs, () => execIf(sh, node));
      return execIf(sh, node);
    case 'while':
    case 'until':
      if (node.redirs.length) return withRedirs(sh, node.redirs, () => execLoop(sh, node));
      return execLoop(sh, node);
    case 'for':
      if (node.redirs.length) return withRedirs(sh, node.redirs, () => execFor(sh, node));
      return execFor(sh, node);
    case 'case':
      if (node.redirs.length) return withRedirs(sh, node.redirs, () => execCase(sh, node));
      return execCase(sh, node);
    case 'func':
      sh.defineFunction(node.name, node);
      return done(sh, 0);
  }
}

function done(sh: Shell, status: number): number {
  sh.status = status;
  return status;
}

function isPromise<T>(s: T | Promise<T>): s is Promise<T> {
  return s instanceof Promise;
}

/** set -e: a failed simple command, pipeline or subshell ends the shell outside conditions. */
function checkExit(sh: Shell, s: Status): Status {
  if (isPromise(s)) return s.then((v) => checkExit(sh, v));
  if (s !== 0 && sh.opts.errexit && sh.errexitOff === 0) throw new ShellExit(s);
  return s;
}

/** Run `body` with errexit suspended (conditions). */
function tested(sh: Shell, node: Command): Status {
  sh.errexitOff++;
  let r: Status;
  try {
    r = execute(sh, node);
  } catch (err) {
    sh.errexitOff--;
    throw err;
  }
  if (isPromise(r)) return r.finally(() => sh.errexitOff--);
  sh.errexitOff--;
  return r;
}

/** After an await: stop if the job was killed; run traps for signals that arrived meanwhile. */
export async function settle(sh: Shell): Promise<void> {
  if (sh.pendingTraps.length) await runTraps(sh);
  // Aborted: a killed background job or ^C (the signal is the reason), or whoever runs this shell
  // stopped it (taken as SIGTERM). An interactive shell is only interrupted, by its traps above.
  if (sh.io.signal.aborted && !sh.interactive) throw new ShellExit(sh.killedBy ? 128 + sh.killedBy : abortStatus(sh.io.signal));
}

/** Long synchronous loops give the event loop a turn now and then, so signals, traps, background
 *  jobs and the other stages of a pipeline are not starved. */
function yieldDue(sh: Shell): boolean {
  const rt = sh.io.runtime;
  if (++rt.ticks < 2000) return false;
  rt.ticks = 0;
  const now = Date.now();
  if (now - rt.lastYield < 40) return false;
  rt.lastYield = now;
  return true;
}

function giveTurn(sh: Shell): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => settle(sh));
}

// ---- lists

function execSeq(sh: Shell, cmds: readonly Command[], i: number): Status {
  for (; i < cmds.length; i++) {
    const r = execute(sh, cmds[i]!);
    if (isPromise(r)) return seqResume(sh, cmds, i, r);
    if (sh.skip) break;
    // `set -n` stops a script at once, even in the middle of a list (dash, ash; not at a prompt)
    if (sh.opts.noexec && !sh.interactive) break;
    // `kill -USR1 $$` queues its own trap at once: it runs before the next command
    if (sh.pendingTraps.length) return seqResume(sh, cmds, i, Promise.resolve(r));
  }
  return sh.status;
}

/** A command of the list had to wait: when it is done, go on synchronously with the next. */
async function seqResume(sh: Shell, cmds: readonly Command[], i: number, pending: Promise<number>): Promise<number> {
  await pending;
  await settle(sh);
  if (sh.skip) return sh.status;
  return execSeq(sh, cmds, i + 1);
}

function execAndOr(sh: Shell, node: Command & { t: 'and' | 'or' }): Status {
  const left = tested(sh, node.left);
  if (isPromise(left)) return left.then(() => andOrRight(sh, node));
  return andOrRight(sh, node);
}

function andOrRight(sh: Shell, node: Command & { t: 'and' | 'or' }): Status {
  if (sh.skip) return sh.status;
  if ((sh.status === 0) !== (node.t === 'and')) return sh.status;
  return execute(sh, node.right);
}

// ---- compound commands

function withRedirs(sh: Shell, redirs: readonly Redir[], body: () => Status): Status {
  const targets = redirTargets(sh, redirs);
  if (isPromise(targets)) return targets.then((t) => withRedirsApplied(sh, redirs, t, body));
  return withRedirsApplied(sh, redirs, targets, body);
}

function withRedirsApplied(sh: Shell, redirs: readonly Redir[], targets: string[], body: () => Status): Status {
  let saved: Saved | undefined;
  try {
    saved = applyRedirs(sh, redirs, targets, false);
  } catch (err) {
    if (err instanceof RedirError) return redirFailed(sh, err);
    throw err;
  }
  let r: Status;
  try {
    r = body();
  } catch (err) {
    restoreRedirs(sh, saved);
    throw err;
  }
  if (isPromise(r)) return r.finally(() => restoreRedirs(sh, saved));
  restoreRedirs(sh, saved);
  return r;
}

function redirFailed(sh: Shell, err: RedirError): number {
  void sh.warn(err.message);
  return done(sh, 1);
}

function execIf(sh: Shell, node: If): Status {
  const c = tested(sh, node.cond);
  if (isPromise(c)) return c.then(() => ifBranch(sh, node));
  return ifBranch(sh, node);
}

function ifBranch(sh: Shell, node: If): Status {
  if (sh.skip) return sh.status;
  if (sh.status === 0) return execute(sh, node.then);
  if (node.else) return execute(sh, node.else);
  return done(sh, 0);
}

/** After a loop body: whether to leave the loop (break, return, or continue out of it). */
function leaveLoop(sh: Shell): boolean {
  if (sh.skip === Skip.None) return false;
  if (sh.skip === Skip.Return) return true;
  if (sh.skipCount > 1) {
    sh.skipCount--;
    return true;
  }
  const wasBreak = sh.skip === Skip.Break;
  sh.skip = Skip.None;
  sh.skipCount = 0;
  return wasBreak;
}

// Loops count themselves in sh.loopDepth (break and continue need it) for as long as they run:
// when a part of the loop has to wait, the count is kept until the waiting is over.

function execLoop(sh: Shell, node: Loop, status = 0): Status {
  sh.loopDepth++;
  let held = false;
  try {
    for (;;) {
      const c = tested(sh, node.cond);
      if (isPromise(c)) {
        held = true;
        return loopResume(sh, node, status, c, true);
      }
      if (sh.skip) {
        // `return` in the condition returns its own status, not the last body's (dash's evalloop)
        if (sh.skip === Skip.Return) return done(sh, c);
        if (leaveLoop(sh)) return done(sh, status);
        continue;
      }
      if ((sh.status === 0) !== (node.t === 'while')) return done(sh, status);
      const b = execute(sh, node.body);
      if (isPromise(b)) {
        held = true;
        return loopResume(sh, node, status, b, false);
      }
      status = b;
      if (leaveLoop(sh)) return done(sh, status);
      if (yieldDue(sh)) return giveTurn(sh).then(() => execLoop(sh, node, status));
    }
  } finally {
    if (!held) sh.loopDepth--;
  }
}

/** The condition (`inCondition`) or the body had to wait: finish this round, then loop on. */
async function loopResume(sh: Shell, node: Loop, status: number, pending: Promise<number>, inCondition: boolean): Promise<number> {
  try {
    let r = await pending;
    await settle(sh);
    if (inCondition) {
      if (sh.skip) {
        if (sh.skip === Skip.Return) return done(sh, r);
        if (leaveLoop(sh)) return done(sh, status);
        r = status;
      } else if ((sh.status === 0) !== (node.t === 'while')) return done(sh, status);
      else {
        const b = execute(sh, node.body);
        r = isPromise(b) ? await b : b;
        await settle(sh);
      }
    }
    status = r;
    if (leaveLoop(sh)) return done(sh, status);
  } finally {
    sh.loopDepth--;
  }
  return execLoop(sh, node, status);
}

function execFor(sh: Shell, node: For): Status {
  const words = node.words === null ? sh.params.slice() : expandWithReplay(sh, node.words, () => expandWords(sh, node.words!));
  if (isPromise(words)) return words.then((w) => forLoop(sh, node, w, 0, 0));
  return forLoop(sh, node, words, 0, 0);
}

function forLoop(sh: Shell, node: For, words: string[], i: number, status: number): Status {
  sh.loopDepth++;
  let held = false;
  try {
    for (; i < words.length; i++) {
      sh.set(node.name, words[i]!);
      const b = execute(sh, node.body);
      if (isPromise(b)) {
        held = true;
        return forResume(sh, node, words, i, b);
      }
      status = b;
      if (leaveLoop(sh)) return done(sh, status);
      if (yieldDue(sh)) {
        const next = i + 1;
        return giveTurn(sh).then(() => forLoop(sh, node, words, next, status));
      }
    }
  } finally {
    if (!held) sh.loopDepth--;
  }
  return done(sh, status);
}

async function forResume(sh: Shell, node: For, words: string[], i: number, pending: Promise<number>): Promise<number> {
  let status: number;
  try {
    status = await pending;
    await settle(sh);
    if (leaveLoop(sh)) return done(sh, status);
  } finally {
    sh.loopDepth--;
  }
  return forLoop(sh, node, words, i + 1, status);
}

function execCase(sh: Shell, node: Case): Status {
  const word = expandWithReplay(sh, [node.word], () => expandString(sh, node.word));
  if (isPromise(word)) return word.then((w) => caseMatch(sh, node, w, 0));
  return caseMatch(sh, node, word, 0);
}

function caseMatch(sh: Shell, node: Case, word: string, from: number): Status {
  for (let i = from; i < node.items.length; i++) {
    const item = node.items[i]!;
    for (let k = 0; k < item.patterns.length; k++) {
      const pw = item.patterns[k]!;
      const pat = pw.lit !== undefined && !pw.parts.some((p) => p.t === 'lit' && /[*?[\\]/.test(p.s)) ? undefined : expandWithReplay(sh, [pw], () => expandPattern(sh, pw));
      if (isPromise(pat)) {
        return pat.then((p) => (sh.patterns.get(p).matches(word) ? caseBody(sh, node, i) : caseMatchFrom(sh, node, word, i, k + 1)));
      }
      const hit = pat === undefined ? pw.lit === word : sh.patterns.get(pat).matches(word);
      if (hit) return caseBody(sh, node, i);
    }
  }
  return done(sh, 0);
}

/** Continue matching at pattern k of item i (after an asynchronous pattern). */
function caseMatchFrom(sh: Shell, node: Case, word: string, i: number, k: number): Status {
  const item = node.items[i]!;
  if (k < item.patterns.length) {
    const rest: Case = { ...node, items: [{ ...item, patterns: item.patterns.slice(k) }, ...node.items.slice(i + 1)] };
    return caseMatch(sh, rest, word, 0);
  }
  return caseMatch(sh, node, word, i + 1);
}

/** Run item i's body, and the following ones while items end in `;&`. */
function caseBody(sh: Shell, node: Case, i: number): Status {
  const item = node.items[i]!;
  const r: Status = item.body ? execute(sh, item.body) : done(sh, 0);
  if (!item.fallthrough || i + 1 >= node.items.length || sh.skip) return r;
  if (isPromise(r)) return r.then(() => caseBody(sh, node, i + 1));
  return caseBody(sh, node, i + 1);
}

// ---- expansion that may wait for command substitutions

/** Expand with replay: if a command substitution has to wait, await it and expand again, with
 *  every result computed before replayed (see expand.ts). */
export function expandWithReplay<T>(sh: Shell, words: readonly Word[], fn: () => T): T | Promise<T> {
  if (!words.some((w) => w.subst)) return fn();
  const frame: ReplayFrame = { memo: [], index: 0 };
  const saved = sh.replay;
  sh.replay = frame;
  try {
    return fn();
  } catch (err) {
    if (err instanceof Suspend) return replayAsync(sh, fn, frame, err);
    throw err;
  } finally {
    sh.replay = saved;
  }
}

async function replayAsync<T>(sh: Shell, fn: () => T, frame: ReplayFrame, suspended: Suspend): Promise<T> {
  for (;;) {
    if (suspended.frame && suspended.frame !== frame) frame = suspended.frame;
    await suspended.promise;
    frame.index = 0;
    const saved = sh.replay;
    sh.replay = frame;
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof Suspend)) throw err;
      suspended = err;
    } finally {
      sh.replay = saved;
    }
  }
}

/** The expanded targets of redirections (here-document bodies for << and <<-). */
function redirTargets(sh: Shell, redirs: readonly Redir[]): string[] | Promise<string[]> {
  const words = redirs.map((r) => r.body ?? r.target);
  return expandWithReplay(sh, words, () =>
    redirs.map((r) => {
      if (r.op === '<<' || r.op === '<<-') return r.body ? (r.quoted ? (r.body.lit ?? '') : expandHeredoc(sh, r.body)) : '';
      if (r.op === '<<<') return `${expandString(sh, r.target)}\n`;
      return expandString(sh, r.target);
    }),
  );
}

// ---- subshells

/** Run `body` in a copy of the shell; the copy's `exit`, errors and EXIT trap stay inside it. A
 *  subshell sets $?; a command substitution does not (its status is the command's business). */
export function subshell(sh: Shell, body: Command, kind: 'subshell' | 'subst', configure?: (child: Shell) => void): Status {
  const child = sh.fork(kind);
  if (kind === 'subst') child.errexitOff = 0;
  else child.errexitOff = sh.errexitOff;
  configure?.(child);
  return runChild(kind === 'subshell' ? sh : undefined, child, body);
}

/** Run a forked shell to its end: its status; files released, EXIT trap run. */
export function runChild(parent: Shell | undefined, child: Shell, body: Command): Status {
  let r: Status;
  try {
    r = execute(child, body);
  } catch (err) {
    return finishChild(parent, child, childStatus(err));
  }
  if (isPromise(r)) {
    return r.then(
      (v) => finishChild(parent, child, v),
      (err) => finishChild(parent, child, childStatus(err)),
    );
  }
  return finishChild(parent, child, r);
}

/** The status a subshell ends with when something unwinds it. */
function childStatus(err: unknown): Status {
  if (err instanceof ShellExit) return err.status;
  if (err instanceof BrokenPipe) return 141;
  if (err instanceof ShellError) return err.status;
  throw err;
}

function finishChild(parent: Shell | undefined, child: Shell, status: Status): Status {
  if (isPromise(status)) return status.then((s) => finishChild(parent, child, s));
  child.status = status;
  const trap = child.traps[0];
  let r: Status = status;
  if (trap) {
    child.traps[0] = undefined;
    r = runTrapAction(child, trap, status);
  }
  if (isPromise(r)) {
    return r.then(
      (s) => {
        child.releaseFiles();
        return parent ? done(parent, s) : s;
      },
      (err) => {
        child.releaseFiles();
        throw err;
      },
    );
  }
  child.releaseFiles();
  return parent ? done(parent, r) : r;
}

/** Run a trap's text; its own status is discarded unless it exits. */
export function runTrapAction(sh: Shell, action: string, status: number): Status {
  const saveStatus = status;
  let r: Status;
  sh.trapEntryStatus = status;
  try {
    r = evalText(sh, action, 'trap');
  } catch (err) {
    if (err instanceof ShellExit) return err.status;
    throw err;
  }
  if (isPromise(r)) {
    return r.then(
      () => done(sh, saveStatus),
      (err) => {
        if (err instanceof ShellExit) return err.status;
        throw err;
      },
    );
  }
  return done(sh, saveStatus);
}

/** `$(...)`: the output (trailing newlines removed) and status of the commands, run in a subshell. */
export function commandSubstitution(sh: Shell, body: Command | null): [string, number] | Promise<[string, number]> {
  if (!body) return ['', 0];
  const out = new MemorySink();
  const r = subshell(sh, body, 'subst', (child) => {
    child.fds[1]?.release();
    child.fds[1] = new ShellFile(undefined, out);
  });
  const result = (status: number): [string, number] => [out.text().replace(/\n+$/, ''), status];
  if (isPromise(r)) return r.then(result);
  return result(r);
}

/** Parse and run text in this shell (traps). */
export function evalText(sh: Shell, text: string, context: string): Status {
  return runText(sh, text, { firstLine: sh.lineno, context });
}

// ---- pipelines

function execPipeline(sh: Shell, node: Pipeline): Status {
  if (node.cmds.length === 1) {
    if (!node.bang) return execute(sh, node.cmds[0]!);
    const r = tested(sh, node.cmds[0]!);
    if (isPromise(r)) return r.then((v) => done(sh, v === 0 ? 1 : 0));
    return done(sh, r === 0 ? 1 : 0);
  }
  const n = node.cmds.length;
  const statuses: Status[] = [];
  let input: ShellFile | undefined;
  for (let i = 0; i < n; i++) {
    const child = sh.fork('stage');
    child.errexitOff = sh.errexitOff + (node.bang ? 1 : 0);
    if (input) {
      child.fds[0]?.release();
      child.fds[0] = input;
      input = undefined;
    }
    if (i < n - 1) {
      const pipe = createPipe();
      child.fds[1]?.release();
      child.fds[1] = pipeWriter(pipe.sink);
      input = pipeReader(pipe.source);
    }
    statuses.push(runChild(sh, child, node.cmds[i]!));
  }
  const finish = (all: number[]): number => {
    let status = all[n - 1]!;
    if (sh.opts.pipefail) for (const s of all) if (s !== 0) status = s;
    if (node.bang) status = status === 0 ? 1 : 0;
    done(sh, status);
    if (!node.bang) checkExitNumber(sh, status);
    return status;
  };
  if (statuses.some(isPromise)) return Promise.all(statuses).then(finish);
  return finish(statuses as number[]);
}

function checkExitNumber(sh: Shell, s: number): void {
  if (s !== 0 && sh.opts.errexit && sh.errexitOff === 0) throw new ShellExit(s);
}

// ---- simple commands
//
// Order (POSIX): words are expanded, then redirections performed, then assignments expanded and
// made one after the other (each sees the ones before it). Before a special builtin, or with no
// command, the assignments stay; before anything else they are temporary (and exported).

function execSimple(sh: Shell, node: Simple): Status {
  sh.lineno = node.line;
  if (node.subst === undefined) node.subst = simpleHasSubst(node);
  if (!node.subst) {
    const argv = node.words.length ? expandWords(sh, node.words) : EMPTY;
    const targets = node.redirs.length ? (redirTargets(sh, node.redirs) as string[]) : EMPTY;
    return runSimple(sh, node, argv, targets);
  }
  sh.substStatus = undefined;
  const argv = expandWithReplay(sh, node.words, () => expandWords(sh, node.words));
  if (isPromise(argv)) return argv.then((a) => simpleAfterWords(sh, node, a));
  return simpleAfterWords(sh, node, argv);
}

export const EMPTY: string[] = [];

function simpleHasSubst(node: Simple): boolean {
  return node.words.some((w) => w.subst) || node.assigns.some((a) => a.value.subst) || node.redirs.some((r) => r.target.subst || r.body?.subst);
}

function simpleAfterWords(sh: Shell, node: Simple, argv: string[]): Status {
  const targets = node.redirs.length ? redirTargets(sh, node.redirs) : EMPTY;
  if (isPromise(targets)) return targets.then((t) => runSimple(sh, node, argv, t));
  return runSimple(sh, node, argv, targets);
}

/** How a command name resolves. */
const enum Kind {
  None,
  Special,
  Function,
  Builtin,
  External,
}

/** After expansion of words and redirection targets: everything else. */
function runSimple(sh: Shell, node: Simple, argv: string[], targets: readonly string[]): Status {
  let kind = Kind.None;
  let builtin: Builtin | undefined;
  let fn: FuncDef | undefined;
  if (argv.length) {
    const name = argv[0]!;
    builtin = findBuiltin(sh, name);
    if (builtin?.special) kind = Kind.Special;
    else if ((fn = sh.funcs.get(name))) kind = Kind.Function;
    else kind = builtin ? Kind.Builtin : Kind.External;
  }
  let saved: Saved | undefined;
  if (node.redirs.length) {
    // `exec` without a command: its redirections stay
    const permanent = kind === Kind.Special && builtin!.keepsRedirections === true && argv.length === 1;
    try {
      saved = applyRedirs(sh, node.redirs, targets, permanent);
    } catch (err) {
      if (!(err instanceof RedirError)) throw err;
      if (kind === Kind.Special && !sh.interactive) throw sh.error(err.message, undefined, 1);
      redirFailed(sh, err);
      return checkedDone(sh, 1); // a simple command whose redirection failed counts for set -e
    }
  }
  const temp = kind === Kind.Function || kind === Kind.Builtin || kind === Kind.External;
  let assigned: Assigned | Promise<Assigned>;
  try {
    assigned = node.assigns.length ? assign(sh, node, temp) : NO_ASSIGNMENTS;
  } catch (err) {
    restoreRedirs(sh, saved);
    throw err;
  }
  if (isPromise(assigned)) {
    return assigned.then(
      (a) => runAssigned(sh, node, kind, builtin, fn, argv, a, saved),
      (err) => {
        restoreRedirs(sh, saved);
        throw err;
      },
    );
  }
  return runAssigned(sh, node, kind, builtin, fn, argv, assigned, saved);
}

/** Assignment values as made, and how to undo temporary ones. */
interface Assigned {
  values: string[];
  /** Temporary assignments: the variables as they were. */
  saved?: [string, Var | undefined][];
  restore?: () => void;
}
const NO_ASSIGNMENTS: Assigned = { values: EMPTY };

/** Expand and make the assignments in order (each value sees the assignments before it). */
function assign(sh: Shell, node: Simple, temp: boolean, from = 0, result: Assigned = startAssigned(sh, temp)): Assigned | Promise<Assigned> {
  for (let i = from; i < node.assigns.length; i++) {
    const a = node.assigns[i]!;
    const v = a.value.lit ?? (a.value.subst ? expandWithReplay(sh, [a.value], () => expandString(sh, a.value)) : expandString(sh, a.value));
    if (isPromise(v)) {
      return v.then((value) => {
        setAssigned(sh, a.name, value, result);
        return assign(sh, node, temp, i + 1, result);
      });
    }
    setAssigned(sh, a.name, v, result);
  }
  return result;
}

function startAssigned(sh: Shell, temp: boolean): Assigned {
  if (!temp) return { values: [] };
  const saved: [string, Var | undefined][] = [];
  return { values: [], saved, restore: () => { for (let i = saved.length - 1; i >= 0; i--) sh.restoreVar(...saved[i]!); } };
}

function setAssigned(sh: Shell, name: string, value: string, result: Assigned): void {
  if (result.saved) {
    const old = sh.vars.get(name);
    result.saved.push([name, old ? { ...old } : undefined]);
    sh.set(name, value);
    sh.setExported(name, true);
  } else sh.set(name, value);
  result.values.push(value);
}

/** set -x: PS4, the assignments and the words, quoted where needed (ash's style). */
export function xtrace(sh: Shell, node: Simple, argv: readonly string[], values: readonly string[], saved?: Saved): void {
  const ps4 = sh.get('PS4') ?? '+ ';
  const items: string[] = [];
  for (let i = 0; i < values.length; i++) items.push(`${node.assigns[i]!.name}=${maybeQuote(values[i]!)}`);
  for (const a of argv) items.push(maybeQuote(a));
  const text = `${ps4}${items.join(' ')}\n`;
  // the trace goes to the standard error in effect before the command's own redirections
  const before = saved?.find((s) => s[0] === 2);
  if (!before) {
    void sh.writeErr(text);
    return;
  }
  try {
    void before[1]?.write(text)?.catch(() => {});
  } catch {
    // a closed standard error: no trace
  }
}

function runAssigned(sh: Shell, node: Simple, kind: Kind, builtin: Builtin | undefined, fn: FuncDef | undefined, argv: string[], assigned: Assigned, saved: Saved | undefined): Status {
  if (sh.opts.xtrace) xtrace(sh, node, argv, assigned.values, saved);
  const finish = () => {
    assigned.restore?.();
    restoreRedirs(sh, saved);
  };
  let r: Status;
  try {
    switch (kind) {
      case Kind.None:
        // redirections alone (`> file`): the file is made, then the shell's fds are as before
        finish();
        return checkedDone(sh, sh.substStatus ?? 0);
      case Kind.Special:
        sh.prefixAssignments = node.assigns.map((a, i) => [a.name, assigned.values[i]!]);
        r = callBuiltin(sh, builtin!, argv);
        break;
      case Kind.Builtin:
        r = callBuiltin(sh, builtin!, argv);
        break;
      case Kind.Function:
        r = callFunction(sh, fn!, argv);
        break;
      default:
        r = runProgram(sh, argv, sh.exportedEnv());
        if (!isPromise(r)) r = checkedDone(sh, r);
        else r = r.then((v) => checkedDone(sh, v));
    }
  } catch (err) {
    finish();
    throw err;
  }
  if (isPromise(r)) {
    return r.then(
      (v) => {
        finish();
        return v;
      },
      (err) => {
        finish();
        throw err;
      },
    );
  }
  finish();
  return r;
}

/** The status of a command, with set -e applied. */
export function checkedDone(sh: Shell, status: number): number {
  done(sh, status);
  checkExitNumber(sh, status);
  return status;
}

/** Run a builtin: its status (set -e applied); a write to a closed descriptor is ash's `write error`. */
export function callBuiltin(sh: Shell, builtin: Builtin, argv: string[]): Status {
  let r: Status;
  try {
    r = builtin.run(sh, argv);
  } catch (err) {
    return checkedDone(sh, writeFailure(sh, err));
  }
  if (isPromise(r)) return r.then((v) => checkedDone(sh, v), (err) => checkedDone(sh, writeFailure(sh, err)));
  return checkedDone(sh, r);
}

/** A builtin's output could not be written: ash's message, status 1. Anything else goes on. */
function writeFailure(sh: Shell, err: unknown): number {
  if (err instanceof BadFd) {
    void sh.writeErr(`${sh.arg0}: write error: Bad file descriptor\n`);
    return 1;
  }
  const code = errorCode(err);
  if (code && code !== 'EPIPE') {
    void sh.writeErr(`${sh.arg0}: write error: ${strerror(code)}\n`);
    return 1;
  }
  throw err;
}

/** What a function call changed, to undo when it returns. */
interface CallFrame {
  params: readonly string[];
}

/** How deep functions may call each other: beyond, the interpreter's own stack would run out. */
const MAX_FUNCTION_DEPTH = 1000;

/** Call a shell function with argv (argv[0] is its name). */
export function callFunction(sh: Shell, fn: FuncDef, argv: string[]): Status {
  if (sh.funcDepth >= MAX_FUNCTION_DEPTH) throw sh.error(`${fn.name}: function nesting too deep`);
  const frame: CallFrame = { params: sh.params };
  sh.params = argv.length === 1 ? EMPTY : argv.slice(1);
  sh.pushLocals();
  sh.funcDepth++;
  sh.funcNames.push(fn.name);
  let r: Status;
  try {
    r = execute(sh, fn.body);
  } catch (err) {
    returned(sh, frame);
    throw err;
  }
  if (isPromise(r)) return functionResume(sh, frame, r);
  returned(sh, frame);
  return sh.status;
}

async function functionResume(sh: Shell, frame: CallFrame, pending: Promise<number>): Promise<number> {
  try {
    await pending;
  } finally {
    returned(sh, frame);
  }
  return sh.status;
}

/** Undo what callFunction set up. */
function returned(sh: Shell, frame: CallFrame): void {
  sh.funcNames.pop();
  sh.funcDepth--;
  sh.popLocals();
  sh.params = frame.params;
  if (sh.skip === Skip.Return) {
    sh.skip = Skip.None;
    sh.skipCount = 0;
  }
}
