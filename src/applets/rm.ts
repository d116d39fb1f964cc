// rm as GNU has it, walking trees the way its fts loop does: entries in readdir order, a directory
// removed after its contents, prompts (-i, -I, write-protected files on a terminal) worded and
// ordered as GNU's, ancestors of anything left behind skipped silently, `/`, `.` and `..` refused.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { argmatch } from '../core/argmatch.js';
import { fsPath } from '../core/bytes.js';
import { absoluteName } from '../core/canonical.js';
import type { Ctx } from '../core/context.js';
import { readdirInOrder } from '../core/dirents.js';
import { AppletError, errorCode, ExitStatus, UsageError } from '../core/errors.js';
import { OutBuffer } from '../core/io.js';
import { fileTypeName } from '../core/mode.js';
import { askYesNo } from '../core/prompt.js';
import { quoteaf } from '../core/quote.js';

type Interactive = 'always' | 'sometimes' | 'never';

interface Settings {
  recursive: boolean;
  emptyDirs: boolean;
  verbose: boolean;
  interactive: Interactive;
  ignoreMissing: boolean;
  oneFileSystem: boolean;
  preserveRoot: 'no' | 'root' | 'all';
  stdinTty: boolean;
}

/** What became of an entry: gone; kept because the user said no (its directory may still be
 *  tried, and fail); or failed (its ancestors are then left alone, silently). */
type Outcome = 'removed' | 'kept' | 'failed';

function errnoError(code: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(code);
  err.code = code;
  return err;
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

class Remover {
  status = 0;
  private readonly out: OutBuffer;
  private readonly root: fs.Stats | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly s: Settings,
  ) {
    this.out = new OutBuffer(ctx.stdout);
    this.root = s.recursive && s.preserveRoot !== 'no' ? fs.statSync('/') : undefined;
  }

  async flush(): Promise<void> {
    await this.out.flush();
  }

  /** -f: a file that is not there is no error (nor a name through a non-directory). */
  private ignorable(err: unknown): boolean {
    const code = errorCode(err);
    return this.s.ignoreMissing && (code === 'ENOENT' || code === 'ENOTDIR');
  }

  private async say(text: string): Promise<void> {
    await this.out.flush();
    await this.ctx.stderr.write(`${this.ctx.name}: ${text}\n`);
    this.status = 1;
  }

  private async fail(err: unknown, name: string): Promise<'failed'> {
    await this.out.flush();
    this.status = await this.ctx.warn(err, `cannot remove ${quoteaf(name)}`);
    return 'failed';
  }

  private async ask(question: string): Promise<boolean> {
    await this.out.flush();
    return askYesNo(this.ctx, `${this.ctx.name}: ${question}? `);
  }

  async operand(name: string): Promise<void> {
    const abs = absoluteName(this.ctx.cwd, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(fsPath(abs));
    } catch (err) {
      if (!this.ignorable(err)) await this.fail(err, name);
      return;
    }
    if (st.isDirectory()) await this.directory(name, abs, st, true);
    else await this.nonDirectory(name, abs, st);
  }

  /** A directory: refused, or its contents then itself. */
  private async directory(name: string, abs: string, st: fs.Stats, topLevel: boolean): Promise<Outcome> {
    let entries: ReturnType<typeof readdirInOrder> | undefined;
    let readError: unknown;
    try {
      entries = readdirInOrder(abs);
    } catch (err) {
      readError = err;
    }
    const empty = entries !== undefined && entries.length === 0;
    if (!this.s.recursive && !(this.s.emptyDirs && empty)) {
      return this.fail(errnoError(this.s.emptyDirs ? 'ENOTEMPTY' : 'EISDIR'), name);
    }
    if (topLevel && !(await this.topLevelChecks(name, abs, st))) return 'failed';

    const answer = await this.prompt(name, abs, st, entries !== undefined && !empty ? 'descend' : 'remove');
    if (answer !== 'removed') return answer === 'kept' ? 'failed' : answer; // declining descent leaves the ancestors
    if (empty) return this.excise(name, abs, true);

    let leftBehind = false;
    for (const entry of entries ?? []) {
      if (this.ctx.signal.aborted) throw new ExitStatus(130);
      const childName = join(name, entry.name);
      const childAbs = join(abs, entry.name);
      let outcome: Outcome;
      if (entry.type === 'dir' || entry.type === undefined) {
        let childSt: fs.Stats;
        try {
          childSt = fs.lstatSync(fsPath(childAbs));
        } catch (err) {
          outcome = this.ignorable(err) ? 'removed' : await this.fail(err, childName);
          if (outcome === 'failed') leftBehind = true;
          continue;
        }
        if (!childSt.isDirectory()) outcome = await this.nonDirectory(childName, childAbs, childSt);
        else if (this.s.oneFileSystem && childSt.dev !== st.dev) {
          await this.say(`skipping ${quoteaf(childName)}, since it's on a different device`);
          outcome = 'failed';
        } else outcome = await this.directory(childName, childAbs, childSt, false);
      } else outcome = await this.nonDirectory(childName, childAbs, undefined);
      if (outcome === 'failed') leftBehind = true;
    }
    if (leftBehind) return 'failed';
    const again = await this.prompt(name, abs, st, 'remove');
    if (again !== 'removed') return again;
    return this.excise(name, abs, true, readError);
  }

  /** Checks for command-line directories: `.`/`..`, the root, other file systems (--preserve-root=all). */
  private async topLevelChecks(name: string, abs: string, st: fs.Stats): Promise<boolean> {
    const last = name.replace(/\/+$/, '').split('/').pop();
    if (last === '.' || last === '..') {
      await this.say(`refusing to remove ${quoteaf('.')} or ${quoteaf('..')} directory: skipping ${quoteaf(name)}`);
      return false;
    }
    if (this.root && st.dev === this.root.dev && st.ino === this.root.ino) {
      if (name === '/') await this.say(`it is dangerous to operate recursively on ${quoteaf(name)}`);
      else await this.say(`it is dangerous to operate recursively on ${quoteaf(name)} (same as ${quoteaf('/')})`);
      await this.say('use --no-preserve-root to override this failsafe');
      return false;
    }
    if (this.root && this.s.preserveRoot === 'all') {
      const parent = join(abs, '..');
      let parentSt: fs.Stats | undefined;
      try {
        parentSt = fs.lstatSync(fsPath(parent));
      } catch {
        await this.say(`failed to stat ${quoteaf(join(name, '..'))}: skipping ${quoteaf(name)}`);
        return false;
      }
      if (parentSt.dev !== st.dev) {
        await this.say(`skipping ${quoteaf(name)}, since it's on a different device`);
        await this.say('and --preserve-root=all is in effect');
        return false;
      }
    }
    return true;
  }

  private async nonDirectory(name: string, abs: string, st: fs.Stats | undefined): Promise<Outcome> {
    const answer = await this.prompt(name, abs, st, 'remove');
    if (answer !== 'removed') return answer;
    return this.excise(name, abs, false);
  }

  /** GNU's prompt(): 'removed' means go ahead. Asks when -i, or when the file is write-protected
   *  and stdin is a terminal (never with -f). */
  private async prompt(name: string, abs: string, st: fs.Stats | undefined, action: 'descend' | 'remove'): Promise<Outcome> {
    const s = this.s;
    if (s.interactive === 'never') return 'removed';
    let protectedFile = false;
    let lst = st;
    if (!s.ignoreMissing && (s.interactive === 'always' || s.stdinTty) && !lst?.isSymbolicLink()) {
      try {
        lst ??= fs.lstatSync(fsPath(abs));
        if (!lst.isSymbolicLink()) fs.accessSync(fsPath(abs), fs.constants.W_OK);
      } catch (err) {
        const code = errorCode(err);
        if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') protectedFile = true;
        else return this.fail(err, name);
      }
    }
    if (!protectedFile && s.interactive !== 'always') return 'removed';
    try {
      lst ??= fs.lstatSync(fsPath(abs));
    } catch (err) {
      return this.fail(err, name);
    }
    if (lst.isSymbolicLink() && s.interactive !== 'always') return 'removed';
    const guarded = protectedFile ? 'write-protected ' : '';
    const question =
      action === 'descend'
        ? `descend into ${guarded}directory ${quoteaf(name)}`
        : `remove ${guarded}${fileTypeName(lst.mode, lst.size)} ${quoteaf(name)}`;
    return (await this.ask(question)) ? 'removed' : 'kept';
  }

  /** Unlink or rmdir, and say so with -v. */
  private async excise(name: string, abs: string, isDir: boolean, readError?: unknown): Promise<Outcome> {
    try {
      if (isDir) fs.rmdirSync(fsPath(abs));
      else fs.unlinkSync(fsPath(abs));
    } catch (err) {
      const code = errorCode(err);
      if (this.ignorable(err)) return 'removed';
      // An unreadable directory: its own error says more than ENOTEMPTY
      const reported = readError && (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTDIR') ? readError : err;
      return this.fail(reported, name);
    }
    if (this.s.verbose) {
      const line = `${isDir ? 'removed directory' : 'removed'} ${quoteaf(name)}\n`;
      const pending = this.out.put(line);
      if (pending) await pending;
    }
    return 'removed';
  }
}

const INTERACTIVE: Record<string, Interactive | 'once'> = { never: 'never', no: 'never', none: 'never', once: 'once', always: 'always', yes: 'always' };

export default defineApplet({
  name: 'rm',
  summary: 'Remove (unlink) the FILE(s)',
  usage: 'rm [OPTION]... [FILE]...',
  help: [
    '-f, --force\t\tIgnore nonexistent files and arguments, never prompt',
    '-i\t\t\tPrompt before every removal',
    '-I\t\t\tPrompt once before removing more than three files, or when removing recursively',
    '    --interactive[=WHEN]\tPrompt according to WHEN: never, once (-I), or always (-i)',
    '    --one-file-system\tWhen removing a hierarchy recursively, skip any directory on a different file system',
    '    --no-preserve-root\tDo not treat \'/\' specially',
    '    --preserve-root[=all]\tDo not remove \'/\' (default); with \'all\', reject any argument on a separate device from its parent',
    '-r, -R, --recursive\tRemove directories and their contents recursively',
    '-d, --dir\t\tRemove empty directories',
    '-v, --verbose\t\tExplain what is being done',
  ].join('\n'),
  // The last of -f, -i, -I and --interactive decides; -f also ignores missing files unless a
  // later -i, -I or --interactive=once/always takes that back (GNU's rules).
  options: {
    f: { long: 'force', overrides: 'i,I,interactive' },
    i: { overrides: 'f,I,interactive' },
    I: { overrides: 'f,i,interactive' },
    interactive: { arg: 'optional', overrides: 'iI' },
    'one-file-system': {},
    'no-preserve-root': { overrides: ['preserve-root'] },
    'preserve-root': { arg: 'optional', overrides: ['no-preserve-root'] },
    r: { long: 'recursive' },
    R: {},
    d: { long: 'dir' },
    v: { long: 'verbose' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    let mode: Interactive | 'once' = opts.f ? 'never' : opts.i ? 'always' : opts.I ? 'once' : 'sometimes';
    if (opts.interactive !== undefined) {
      mode = opts.interactive === true ? 'always' : argmatch(opts.interactive, '--interactive', INTERACTIVE);
    }
    const ignoreMissing = !!opts.f && (opts.interactive === undefined || mode === 'never');
    let preserveRoot: Settings['preserveRoot'] = opts['no-preserve-root'] ? 'no' : 'root';
    const pr = opts['preserve-root'];
    if (typeof pr === 'string') {
      if (pr !== 'all') throw new AppletError(`unrecognized --preserve-root argument: ${quoteaf(pr)}`);
      preserveRoot = 'all';
    }
    if (operands.length === 0) {
      if (ignoreMissing) return 0;
      throw new UsageError('missing operand');
    }
    const recursive = !!(opts.r || opts.R);
    if (mode === 'once' && (recursive || operands.length > 3)) {
      const n = operands.length;
      const question = `${ctx.name}: remove ${n} ${n === 1 ? 'argument' : 'arguments'}${recursive ? ' recursively' : ''}? `;
      if (!(await askYesNo(ctx, question))) return 0;
    }
    const remover = new Remover(ctx, {
      recursive,
      emptyDirs: !!opts.d,
      verbose: !!opts.v,
      interactive: mode === 'once' ? 'sometimes' : mode,
      ignoreMissing,
      oneFileSystem: !!opts['one-file-system'],
      preserveRoot,
      stdinTty: ctx.isTTY(0),
    });
    try {
      for (const name of operands) await remover.operand(name);
    } finally {
      await remover.flush();
    }
    return remover.status;
  },
});
