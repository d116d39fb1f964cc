// mv as GNU has it: rename(2) when it can; across file systems a copy that keeps everything
// (core/copy.ts in move mode: modes, owners, times, hard links, special files), then the source
// removed as rm -r would (core/remove.ts).
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { backupSettings } from '../core/backup.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { Copier, type CopyOptions } from '../core/copy.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { quoteaf } from '../core/quote.js';
import { Remover } from '../core/remove.js';

function lastComponent(name: string): string {
  const t = name.replace(/\/+$/, '');
  return t.slice(t.lastIndexOf('/') + 1) || name;
}

/** Move one operand; after a copy across file systems, remove the source. */
async function move(ctx: Ctx, copier: Copier, x: CopyOptions, source: string, dest: string): Promise<void> {
  const outcome = await copier.copy(source, dest, false);
  if (!outcome.ok) return;
  if (outcome.copyIntoSelf) {
    copier.status = 1;
    return;
  }
  if (outcome.renameSucceeded) return;
  await copier.flush();
  const remover = new Remover(ctx, {
    recursive: true,
    emptyDirs: true,
    verbose: x.verbose,
    interactive: 'never',
    ignoreMissing: false,
    oneFileSystem: false,
    preserveRoot: 'root',
    stdinTty: false,
  });
  try {
    await remover.operand(source);
  } finally {
    await remover.flush();
  }
  if (remover.status) copier.status = 1;
}

export default defineApplet({
  name: 'mv',
  summary: 'Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY',
  usage: 'mv [OPTION]... [-T] SOURCE DEST\n   or: mv [OPTION]... SOURCE... DIRECTORY\n   or: mv [OPTION]... -t DIRECTORY SOURCE...',
  help: [
    '    --backup[=CONTROL]\tMake a backup of each existing destination file',
    '-b\t\t\tLike --backup but does not accept an argument',
    '-f, --force\t\tDo not prompt before overwriting',
    '-i, --interactive\tPrompt before overwrite',
    '-n, --no-clobber\tDo not overwrite an existing file',
    '    --strip-trailing-slashes\tRemove any trailing slashes from each SOURCE argument',
    '-S, --suffix=SUFFIX\tOverride the usual backup suffix',
    '-t, --target-directory=DIRECTORY\tMove all SOURCE arguments into DIRECTORY',
    '-T, --no-target-directory\tTreat DEST as a normal file',
    '-u, --update\t\tMove only when the SOURCE file is newer than the destination file or when it is missing',
    '-v, --verbose\t\tExplain what is being done',
    '',
    'If you specify more than one of -i, -f, -n, only the final one takes effect.',
  ].join('\n'),
  options: {
    backup: { arg: 'optional' },
    b: {},
    f: { long: 'force', overrides: 'in' },
    i: { long: 'interactive', overrides: 'fn' },
    n: { long: 'no-clobber', overrides: 'fi' },
    'strip-trailing-slashes': {},
    S: { long: 'suffix', arg: 'string' },
    t: { long: 'target-directory', arg: 'list' },
    T: { long: 'no-target-directory' },
    u: { long: 'update' },
    v: { long: 'verbose' },
    Z: {},
    context: { arg: 'optional' },
  },
  async run(ctx) {
    const { opts } = ctx;
    if (typeof opts.context === 'string') await ctx.stderr.write(`${ctx.name}: warning: ignoring --context; it requires an SELinux-enabled kernel\n`);
    if ((opts.t?.length ?? 0) > 1) throw new AppletError('multiple target directories specified');
    let targetDir = opts.t?.[0];
    const files = [...ctx.operands];
    if (files.length <= (targetDir === undefined ? 1 : 0)) {
      if (files.length === 0) throw new UsageError('missing file operand');
      throw new UsageError(`missing destination file operand after ${quoteaf(files[0]!)}`);
    }
    if (opts.T) {
      if (targetDir !== undefined) throw new AppletError('cannot combine --target-directory (-t) and --no-target-directory (-T)');
      if (files.length > 2) throw new UsageError(`extra operand ${quoteaf(files[2]!)}`);
    } else if (targetDir !== undefined) {
      let st: fs.Stats;
      try {
        st = fs.statSync(fsPath(ctx.path(targetDir)));
      } catch (err) {
        throw new AppletError(`target directory ${quoteaf(targetDir)}: ${errorText(err)}`);
      }
      if (!st.isDirectory()) throw new AppletError(`target directory ${quoteaf(targetDir)}: Not a directory`);
    } else {
      // Two operands: rename if the destination does not exist; else into it if it is a directory
      const last = files[files.length - 1]!;
      const lastAbs = ctx.path(last);
      let exists = true;
      try {
        fs.lstatSync(fsPath(lastAbs));
      } catch {
        exists = false;
      }
      if (files.length > 2 || exists) {
        let problem: unknown;
        try {
          if (fs.statSync(fsPath(lastAbs)).isDirectory()) targetDir = files.pop();
          else problem = { code: 'ENOTDIR' };
        } catch (err) {
          problem = err;
        }
        if (targetDir === undefined && files.length > 2) throw new AppletError(`target ${quoteaf(last)}: ${errorText(problem)}`);
      }
    }
    if (opts['strip-trailing-slashes']) for (let i = 0; i < files.length; i++) files[i] = files[i]!.replace(/(.)\/+$/, '$1');

    const makeBackups = opts.b !== undefined || opts.backup !== undefined || opts.S !== undefined;
    if (makeBackups && opts.n) throw new UsageError('options --backup and --no-clobber are mutually exclusive');
    const x: CopyOptions = {
      dereference: 'never',
      recursive: true,
      copyAsRegular: false,
      hardLink: false,
      symbolicLink: false,
      interactive: opts.f ? 'yes' : opts.i ? 'ask' : opts.n ? 'no' : 'unspecified',
      unlinkDestBeforeOpening: false,
      unlinkDestAfterFailedOpen: false,
      update: !!opts.u && !opts.n,
      verbose: !!opts.v,
      oneFileSystem: false,
      preserveMode: true,
      preserveOwnership: true,
      preserveTimestamps: true,
      preserveLinks: true,
      requirePreserve: false,
      explicitNoPreserveMode: false,
      moveMode: true,
      installMode: false,
      sparse: 'auto',
      reflink: 'auto',
      dataCopyRequired: true,
      backup: backupSettings(makeBackups ? (opts.backup ?? true) : undefined, opts.S, ctx.env),
      stdinTty: ctx.isTTY(0),
    };
    const copier = new Copier(ctx, x);
    try {
      if (targetDir !== undefined) {
        if (files.length >= 2) copier.trackOperands();
        for (const source of files) {
          const base = lastComponent(source);
          const dest = targetDir.endsWith('/') ? targetDir + base : `${targetDir}/${base}`;
          await move(ctx, copier, x, source, dest);
        }
      } else await move(ctx, copier, x, files[0]!, files[1]!);
    } finally {
      await copier.flush();
    }
    return copier.status;
  },
});
