// install as GNU has it: copy (core/copy.ts in install mode: the destination replaced, never
// written through), then owner, group and mode set exactly; -d makes directories, -D the leading
// ones; -C leaves identical files alone; -s runs the system's strip on the copy.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { backupSettings } from '../core/backup.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { Copier, type CopyOptions } from '../core/copy.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { groupByName, userByName } from '../core/ids.js';
import { modeChange } from '../core/mode.js';
import { CommandError } from '../core/process.js';
import { quote, quoteaf } from '../core/quote.js';

const DEFAULT_MODE = 0o755;
const MAX_ID = 0xfffffffe;

interface Plan {
  mode: number;
  dirMode: number;
  owner: number;
  group: number;
  strip?: string;
  compare: boolean;
  preserveTimes: boolean;
  verbose: boolean;
}

function lastComponent(name: string): string {
  const t = name.replace(/\/+$/, '');
  return t.slice(t.lastIndexOf('/') + 1) || name;
}

function resolveId(name: string | undefined, lookup: (n: string) => number | undefined, what: 'user' | 'group'): number {
  if (name === undefined) return -1;
  const id = lookup(name) ?? (/^\d+$/.test(name) && Number(name) <= MAX_ID ? Number(name) : undefined);
  if (id === undefined) throw new AppletError(`invalid ${what} ${quote(name)}`);
  return id;
}

/** Make the missing ancestors of `name` (install -D), and with finalMode `name` itself (-d):
 *  ancestors 0755 whatever the umask, announced with -v; the last one gets the owner and mode. */
async function makeDirs(ctx: Ctx, copier: Copier, plan: Plan, name: string, finalMode?: number): Promise<boolean> {
  const stem = name.replace(/\/+$/, '');
  const prefixes: string[] = [];
  for (let i = stem.indexOf('/', 1); i !== -1; i = stem.indexOf('/', i + 1)) if (stem[i - 1] !== '/') prefixes.push(stem.slice(0, i));
  if (finalMode !== undefined) prefixes.push(name);
  for (const [i, prefix] of prefixes.entries()) {
    const isLast = finalMode !== undefined && i === prefixes.length - 1;
    const abs = ctx.path(prefix);
    try {
      fs.mkdirSync(fsPath(abs), DEFAULT_MODE);
      fs.chmodSync(fsPath(abs), DEFAULT_MODE);
      if (plan.verbose) await copier.print(`${ctx.name}: creating directory ${quoteaf(prefix)}\n`);
    } catch (err) {
      let isDir = false;
      try {
        isDir = fs.statSync(fsPath(abs)).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) {
        // a file in the way of an ancestor is reported the way mkancesdirs meets it
        const reported = !isLast && (err as { code?: string }).code === 'EEXIST' ? { code: 'ENOTDIR' } : err;
        await copier.error(`cannot create directory ${quoteaf(prefix)}`, reported);
        return false;
      }
    }
    if (isLast) {
      try {
        if (plan.owner !== -1 || plan.group !== -1) fs.lchownSync(fsPath(abs), plan.owner, plan.group);
        fs.chmodSync(fsPath(abs), finalMode);
      } catch (err) {
        await copier.error(`cannot change owner and permissions of ${quoteaf(prefix)}`, err);
        return false;
      }
    }
  }
  return true;
}

/** -C: whether the destination differs from what installing would make of it. */
function needCopy(ctx: Ctx, plan: Plan, from: string, to: string): boolean {
  const extra = (m: number) => (m & 0o7000) !== 0;
  if (extra(plan.mode)) return true;
  let src: fs.Stats;
  let dst: fs.Stats;
  try {
    src = fs.lstatSync(fsPath(ctx.path(from)));
    dst = fs.lstatSync(fsPath(ctx.path(to)));
  } catch {
    return true;
  }
  if (!src.isFile() || !dst.isFile() || extra(src.mode) || extra(dst.mode)) return true;
  if (src.size !== dst.size || (dst.mode & 0o7777) !== plan.mode) return true;
  if (dst.uid !== (plan.owner === -1 ? ctx.host.uid() : plan.owner)) return true;
  if (dst.gid !== (plan.group === -1 ? ctx.host.gid() : plan.group)) return true;
  try {
    return !fs.readFileSync(fsPath(ctx.path(from))).equals(fs.readFileSync(fsPath(ctx.path(to))));
  } catch {
    return true;
  }
}

/** Run the strip program on the installed file. */
async function strip(ctx: Ctx, copier: Copier, program: string, file: string): Promise<boolean> {
  let status: number;
  try {
    status = await ctx.exec([program, file]);
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    await copier.error(`cannot run ${quoteaf(program)}`, { code: err.code });
    status = 1;
  }
  if (status === 0) return true;
  await copier.error('strip process terminated abnormally');
  return false;
}

async function installFile(ctx: Ctx, copier: Copier, plan: Plan, from: string, to: string): Promise<boolean> {
  let fromSt: fs.Stats | undefined;
  if (plan.preserveTimes) {
    try {
      fromSt = fs.statSync(fsPath(ctx.path(from)));
    } catch (err) {
      return copier.error(`cannot stat ${quoteaf(from)}`, err);
    }
  }
  if (plan.compare && !needCopy(ctx, plan, from, to)) return true;
  if (!(await copier.copy(from, to, false)).ok) return false;
  const abs = ctx.path(to);
  if (plan.strip !== undefined && !(await strip(ctx, copier, plan.strip, to))) {
    try {
      fs.unlinkSync(fsPath(abs));
    } catch (err) {
      throw new AppletError(`cannot unlink destination file ${quoteaf(to)}: ${errorText(err)}`);
    }
    return false;
  }
  if (fromSt && (plan.strip !== undefined || !fromSt.isFile())) {
    try {
      fs.utimesSync(fsPath(abs), fromSt.atimeMs / 1000, fromSt.mtimeMs / 1000);
    } catch (err) {
      return copier.error(`cannot set timestamps for ${quoteaf(to)}`, err);
    }
  }
  try {
    if (plan.owner !== -1 || plan.group !== -1) fs.lchownSync(fsPath(abs), plan.owner, plan.group);
  } catch (err) {
    return copier.error(`cannot change ownership of ${quoteaf(to)}`, err);
  }
  try {
    fs.chmodSync(fsPath(abs), plan.mode);
  } catch (err) {
    return copier.error(`cannot change permissions of ${quoteaf(to)}`, err);
  }
  return true;
}

export default defineApplet({
  name: 'install',
  summary: 'Copy files and set attributes',
  usage:
    'install [OPTION]... [-T] SOURCE DEST\n   or: install [OPTION]... SOURCE... DIRECTORY\n   or: install [OPTION]... -t DIRECTORY SOURCE...\n   or: install [OPTION]... -d DIRECTORY...',
  help: [
    '    --backup[=CONTROL]\tMake a backup of each existing destination file',
    '-b\t\t\tLike --backup but does not accept an argument',
    '-c\t\t\t(ignored)',
    '-C, --compare\t\tDo not modify a destination whose content, owner, group and mode are already right',
    '-d, --directory\t\tTreat all arguments as directory names; create all components of them',
    '-D\t\t\tCreate all leading components of DEST except the last (or all of --target-directory), then copy',
    '-g, --group=GROUP\tSet group ownership, instead of the process\' current group',
    '-m, --mode=MODE\t\tSet permission mode (as in chmod), instead of rwxr-xr-x',
    '-o, --owner=OWNER\tSet ownership (super-user only)',
    '-p, --preserve-timestamps\tApply access/modification times of SOURCE files to the destinations',
    '-s, --strip\t\tStrip symbol tables (runs the system\'s strip)',
    '    --strip-program=PROGRAM\tProgram used to strip binaries',
    '-S, --suffix=SUFFIX\tOverride the usual backup suffix',
    '-t, --target-directory=DIRECTORY\tCopy all SOURCE arguments into DIRECTORY',
    '-T, --no-target-directory\tTreat DEST as a normal file',
    '-v, --verbose\t\tPrint the name of each file copied and directory created',
  ].join('\n'),
  options: {
    backup: { arg: 'optional' },
    b: {},
    c: {},
    C: { long: 'compare' },
    d: { long: 'directory' },
    D: {},
    g: { long: 'group', arg: 'string' },
    m: { long: 'mode', arg: 'string' },
    o: { long: 'owner', arg: 'string' },
    p: { long: 'preserve-timestamps' },
    s: { long: 'strip' },
    'strip-program': { arg: 'string' },
    S: { long: 'suffix', arg: 'string' },
    t: { long: 'target-directory', arg: 'list' },
    T: { long: 'no-target-directory' },
    v: { long: 'verbose' },
    'preserve-context': {},
    Z: {},
    context: { arg: 'optional' },
  },
  async run(ctx) {
    const { opts } = ctx;
    if ((opts.t?.length ?? 0) > 1) throw new AppletError('multiple target directories specified');
    let targetDir = opts.t?.[0];
    const stripProgram = opts.s ? (opts['strip-program'] ?? 'strip') : undefined;
    if (opts.d && stripProgram !== undefined) throw new AppletError('the strip option may not be used when installing a directory');
    if (opts.d && targetDir !== undefined) throw new AppletError('target directory not allowed when installing a directory');
    if (opts.C && stripProgram !== undefined) throw new UsageError('options --compare (-C) and --strip are mutually exclusive');
    const makeBackups = opts.b !== undefined || opts.backup !== undefined || opts.S !== undefined;
    const backup = backupSettings(makeBackups ? (opts.backup ?? true) : undefined, opts.S, ctx.env);

    const files = [...ctx.operands];
    if (files.length <= (opts.d || targetDir !== undefined ? 0 : 1)) {
      if (files.length === 0) throw new UsageError('missing file operand');
      throw new UsageError(`missing destination file operand after ${quoteaf(files[0]!)}`);
    }
    if (opts.T) {
      if (targetDir !== undefined) throw new AppletError('cannot combine --target-directory (-t) and --no-target-directory (-T)');
      if (files.length > 2) throw new UsageError(`extra operand ${quoteaf(files[2]!)}`);
    } else if (targetDir !== undefined) {
      if (!opts.D) {
        let st: fs.Stats;
        try {
          st = fs.statSync(fsPath(ctx.path(targetDir)));
        } catch (err) {
          throw new AppletError(`failed to access ${quoteaf(targetDir)}: ${errorText(err)}`);
        }
        if (!st.isDirectory()) throw new AppletError(`failed to access ${quoteaf(targetDir)}: Not a directory`);
      }
    } else if (!opts.d) {
      const last = files[files.length - 1]!;
      let problem: unknown;
      try {
        if (fs.statSync(fsPath(ctx.path(last))).isDirectory()) targetDir = files.pop();
        else problem = { code: 'ENOTDIR' };
      } catch (err) {
        problem = err;
      }
      if (targetDir === undefined && files.length > 2) throw new AppletError(`target ${quoteaf(last)}: ${errorText(problem)}`);
    }

    let mode = DEFAULT_MODE;
    let dirMode = DEFAULT_MODE;
    if (opts.m !== undefined) {
      try {
        mode = modeChange(opts.m, 0).mode;
        dirMode = modeChange(opts.m, 0, { isDir: true }).mode;
      } catch {
        throw new AppletError(`invalid mode ${quote(opts.m)}`);
      }
      if (opts.C && mode & 0o7000) {
        await ctx.stderr.write(`${ctx.name}: the --compare (-C) option is ignored when you specify a mode with non-permission bits\n`);
      }
    }
    const plan: Plan = {
      mode,
      dirMode,
      owner: resolveId(opts.o, (n) => userByName(n)?.uid, 'user'),
      group: resolveId(opts.g, (n) => groupByName(n)?.gid, 'group'),
      strip: stripProgram,
      compare: !!opts.C,
      preserveTimes: !!opts.p,
      verbose: !!opts.v,
    };
    const x: CopyOptions = {
      dereference: 'always',
      recursive: false,
      copyAsRegular: true,
      hardLink: false,
      symbolicLink: false,
      interactive: 'unspecified',
      unlinkDestBeforeOpening: true,
      unlinkDestAfterFailedOpen: false,
      update: false,
      verbose: !!opts.v,
      oneFileSystem: false,
      preserveMode: false,
      preserveOwnership: false,
      preserveTimestamps: !!opts.p,
      preserveLinks: false,
      requirePreserve: false,
      explicitNoPreserveMode: false,
      // made writable by us first, so strip can work on it; the real mode comes last
      setMode: 0o600,
      moveMode: false,
      installMode: true,
      sparse: 'auto',
      reflink: 'auto',
      dataCopyRequired: true,
      backup,
      stdinTty: false,
    };
    const copier = new Copier(ctx, x);
    let ok = true;
    try {
      if (opts.d) {
        for (const dir of files) if (!(await makeDirs(ctx, copier, plan, dir, plan.dirMode))) ok = false;
      } else if (targetDir === undefined) {
        const [from, to] = files as [string, string];
        if (opts.D && !(await makeDirs(ctx, copier, plan, to))) ok = false;
        else if (!(await installFile(ctx, copier, plan, from, to))) ok = false;
      } else {
        if (files.length >= 2) copier.trackOperands();
        if (opts.D && !(await makeDirs(ctx, copier, plan, `${targetDir.replace(/\/+$/, '')}/x`))) ok = false;
        else {
          for (const from of files) {
            const to = targetDir.endsWith('/') ? targetDir + lastComponent(from) : `${targetDir}/${lastComponent(from)}`;
            if (!(await installFile(ctx, copier, plan, from, to))) ok = false;
          }
        }
      }
    } finally {
      await copier.flush();
    }
    return ok && copier.status === 0 ? 0 : 1;
  },
});
