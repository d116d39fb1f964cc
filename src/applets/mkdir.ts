// mkdir as GNU has it, parents (-p) made one component at a time as gnulib's mkancesdirs does, and
// -m applied the way make_dir_parents applies it: the bits the mode names are forced over what the
// umask left, the rest stays as mkdir(2) made it.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { AppletError, errorCode, UsageError } from '../core/errors.js';
import { modeChange, S_ISGID, S_ISUID, S_ISVTX } from '../core/mode.js';
import { quote, quoteaf } from '../core/quote.js';

interface Plan {
  parents: boolean;
  verbose: boolean;
  /** The mode for the last component, and the bits -m names (0 without -m). */
  mode: number;
  bits: number;
  /** -m was given. */
  specified: boolean;
  umask: number;
}

/** `cannot create directory NAME`, for the component that failed. */
class CreateError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: unknown,
  ) {
    super(dir);
  }
}

function errnoError(code: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(code);
  err.code = code;
  return err;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(fsPath(p)).isDirectory();
  } catch {
    return false;
  }
}

async function announce(ctx: Ctx, plan: Plan, name: string): Promise<void> {
  if (plan.verbose) await ctx.stdout.write(`${ctx.name}: created directory ${quoteaf(name)}\n`);
}

/** Make the missing ancestors of `name` (each prefix up to a slash), as mkdir -p does. Throws
 *  CreateError for the first that cannot be made or is not a directory. */
async function makeAncestors(ctx: Ctx, plan: Plan, name: string): Promise<void> {
  const stem = name.replace(/\/+$/, ''); // trailing slashes belong to the last component
  for (let slash = stem.indexOf('/', 1); slash !== -1; slash = stem.indexOf('/', slash + 1)) {
    if (stem[slash - 1] === '/') continue; // repeated slashes
    const prefix = stem.slice(0, slash);
    const abs = ctx.path(prefix);
    try {
      // Ancestors must stay writable and searchable by us, whatever the umask says.
      fs.mkdirSync(fsPath(abs), 0o777);
      const wanted = 0o777 & ~(plan.umask & ~0o300);
      if (plan.umask & 0o300) fs.chmodSync(fsPath(abs), wanted);
      await announce(ctx, plan, prefix);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw new CreateError(prefix, err);
      let st: fs.Stats;
      try {
        st = fs.statSync(fsPath(abs));
      } catch {
        throw new CreateError(prefix, err); // a dangling link: `File exists`
      }
      if (!st.isDirectory()) throw new CreateError(prefix, errnoError('ENOTDIR'));
    }
  }
}

async function makeDirectory(ctx: Ctx, plan: Plan, name: string): Promise<void> {
  const abs = ctx.path(name);
  // Set-id and sticky bits to come: keep others out until they are in place, as gnulib does.
  const keepSpecial = ((plan.bits & (S_ISUID | S_ISGID)) | (plan.mode & S_ISVTX)) === 0;
  const initial = keepSpecial ? plan.mode : plan.mode & ~0o022;
  try {
    fs.mkdirSync(fsPath(abs), initial);
  } catch (err) {
    if (plan.parents && isDirectory(abs)) return;
    throw new CreateError(name, err);
  }
  await announce(ctx, plan, name);
  if (!plan.specified) return;
  // With -m, GNU lifts the umask for the bits the mode asks for: the directory gets `initial`
  // exactly (set-id bits aside, which mkdir(2) does not take).
  let made = fs.statSync(fsPath(abs)).mode & 0o7777;
  if ((made & 0o1777) !== (initial & 0o1777)) {
    made = (made & (S_ISUID | S_ISGID)) | (initial & 0o1777);
    fs.chmodSync(fsPath(abs), made);
  }
  const umaskDecides = (plan.mode & plan.bits & 0o777) === 0;
  if (keepSpecial && umaskDecides) return;
  if ((made ^ plan.mode) & plan.bits) fs.chmodSync(fsPath(abs), plan.mode | (made & ~plan.bits));
}

export default defineApplet({
  name: 'mkdir',
  summary: 'Create the DIRECTORY(ies), if they do not already exist',
  usage: 'mkdir [OPTION]... DIRECTORY...',
  help: [
    '-m, --mode=MODE\tSet file mode (as in chmod), not a=rwx - umask',
    '-p, --parents\tNo error if existing, make parent directories as needed',
    '-v, --verbose\tPrint a message for each created directory',
  ].join('\n'),
  options: {
    m: { long: 'mode', arg: 'string' },
    p: { long: 'parents' },
    v: { long: 'verbose' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    if (operands.length === 0) throw new UsageError('missing operand');
    const umask = ctx.host.umask();
    const plan: Plan = { parents: !!opts.p, verbose: !!opts.v, mode: 0o777, bits: 0, specified: opts.m !== undefined, umask };
    if (opts.m !== undefined) {
      try {
        ({ mode: plan.mode, bits: plan.bits } = modeChange(opts.m, 0o777, { isDir: true, umask }));
      } catch {
        throw new AppletError(`invalid mode ${quote(opts.m)}`);
      }
    }
    let status = 0;
    for (const name of operands) {
      try {
        if (plan.parents) await makeAncestors(ctx, plan, name);
        await makeDirectory(ctx, plan, name);
      } catch (err) {
        if (err instanceof CreateError) status = await ctx.warn(err.reason, `cannot create directory ${quote(err.dir)}`);
        else status = await ctx.warn(err, quoteaf(name)); // setting the mode failed
      }
    }
    return status;
  },
});
