// Removing files and trees the way GNU rm's fts loop does (rm, and mv after a copy across file
// systems): entries in readdir order, a directory removed after its contents, prompts (-i, files
// write-protected on a terminal) worded and ordered as GNU's, ancestors of anything left behind
// skipped silently, `/`, `.` and `..` refused.
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';
import { resolvePath } from './context.js';
import type { Ctx } from './context.js';
import { readdirInOrder } from './dirents.js';
import { errorCode, ExitStatus } from './errors.js';
import { OutBuffer } from './io.js';
import { fileTypeName } from './mode.js';
import { askYesNo } from './prompt.js';
import { quoteaf } from './quote.js';

export type Interactive = 'always' | 'sometimes' | 'never';

export interface RemoveSettings {
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

export class Remover {
  status = 0;
  private readonly out: OutBuffer;
  private readonly root: fs.Stats | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly s: RemoveSettings,
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
    const abs = resolvePath(this.ctx.cwd, name);
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
