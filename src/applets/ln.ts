// ln as GNU has it: hard or symbolic (-s) links, into a directory or as a named link, relative
// targets (-r), backups, and GNU's messages. A link that replaces a file (-f, -b, -i) is made under
// a temporary name and renamed over it, so the name never goes missing.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { type Backup, backupName, backupSettings } from '../core/backup.js';
import { fsPath } from '../core/bytes.js';
import { canonicalize, relativePath, sameName } from '../core/canonical.js';
import type { Ctx } from '../core/context.js';
import { AppletError, errorCode, errorText, UsageError } from '../core/errors.js';
import { uniqueSuffix } from '../core/fs.js';
import { askYesNo } from '../core/prompt.js';
import { quoteaf, quotef } from '../core/quote.js';
import { dirName } from './dirname.js';

interface Settings {
  symbolic: boolean;
  relative: boolean;
  /** -L: hard links go to what a symbolic link points to. */
  logical: boolean;
  force: boolean;
  interactive: boolean;
  verbose: boolean;
  allowDirs: boolean;
  backup: Backup;
}

function lastComponent(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || name;
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** -r: the target as seen from the link's directory (both canonicalized, nothing need exist). */
function relativeTarget(ctx: Ctx, source: string, dest: string): string {
  try {
    const from = canonicalize(ctx.path(source), 'missing');
    const dir = canonicalize(ctx.path(dirName(dest)), 'missing');
    return relativePath(from, dir);
  } catch {
    return source;
  }
}

async function link(ctx: Ctx, s: Settings, source: string, dest: string): Promise<boolean> {
  const srcAbs = ctx.path(source);
  const destAbs = ctx.path(dest);
  let linkSource = srcAbs;
  if (!s.symbolic) {
    let st: fs.Stats;
    try {
      st = s.logical ? fs.statSync(fsPath(srcAbs)) : fs.lstatSync(fsPath(srcAbs));
      if (s.logical) linkSource = fs.realpathSync(fsPath(srcAbs), { encoding: 'latin1' });
    } catch (err) {
      await ctx.warn(err, `failed to access ${quoteaf(source)}`);
      return false;
    }
    if (st.isDirectory() && !s.allowDirs) {
      await ctx.stderr.write(`${ctx.name}: ${quotef(source)}: hard link not allowed for directory\n`);
      return false;
    }
  }
  const target = s.symbolic ? (s.relative ? relativeTarget(ctx, source, dest) : source) : linkSource;

  let backup: string | undefined;
  let replace = false;
  if (s.force || s.interactive || s.backup.type !== 'none') {
    let destSt: fs.Stats | undefined;
    try {
      destSt = fs.lstatSync(fsPath(destAbs));
    } catch {
      destSt = undefined;
    }
    if (destSt) {
      if (destSt.isDirectory()) {
        await ctx.stderr.write(`${ctx.name}: ${quotef(dest)}: cannot overwrite directory\n`);
        return false;
      }
      if (sameName(srcAbs, destAbs)) {
        await ctx.stderr.write(`${ctx.name}: ${quoteaf(source)} and ${quoteaf(dest)} are the same file\n`);
        return false;
      }
      if (s.interactive && !(await askYesNo(ctx, `${ctx.name}: replace ${quoteaf(dest)}? `))) return true;
      if (s.backup.type !== 'none') {
        const backupAbs = backupName(destAbs, s.backup);
        backup = dest + backupAbs.slice(destAbs.length);
        try {
          fs.renameSync(fsPath(destAbs), fsPath(backupAbs));
        } catch (err) {
          if (errorCode(err) !== 'ENOENT') {
            await ctx.warn(err, `cannot backup ${quoteaf(dest)}`);
            return false;
          }
          backup = undefined;
        }
      }
      replace = s.force || s.interactive;
    }
  }

  const make = (at: string) => (s.symbolic ? fs.symlinkSync(fsPath(target), fsPath(at)) : fs.linkSync(fsPath(target), fsPath(at)));
  try {
    try {
      make(destAbs);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST' || !replace) throw err;
      replaceAtomically(destAbs, make);
    }
  } catch (err) {
    const code = errorCode(err);
    let what: string;
    if (s.symbolic) {
      what = code === 'ENAMETOOLONG' || target === '' ? `failed to create symbolic link ${quoteaf(dest)} -> ${quoteaf(target)}` : `failed to create symbolic link ${quoteaf(dest)}`;
    } else if (code === 'EMLINK') what = `failed to create hard link to ${quoteaf(source)}`;
    else if (code === 'EDQUOT' || code === 'EEXIST' || code === 'ENOSPC' || code === 'EROFS') what = `failed to create hard link ${quoteaf(dest)}`;
    else what = `failed to create hard link ${quoteaf(dest)} => ${quoteaf(source)}`;
    await ctx.stderr.write(`${ctx.name}: ${what}: ${errorText(err)}\n`);
    return false;
  }
  if (s.verbose) {
    const prefix = backup !== undefined ? `${quoteaf(backup)} ~ ` : '';
    await ctx.stdout.write(`${prefix}${quoteaf(dest)} ${s.symbolic ? '-' : '='}> ${quoteaf(s.symbolic ? target : source)}\n`);
  }
  return true;
}

/** Make the link under a temporary name beside `dest`, then rename it over dest. */
function replaceAtomically(dest: string, make: (at: string) => void): void {
  const slash = dest.lastIndexOf('/');
  const tmp = `${dest.slice(0, slash + 1)}.${dest.slice(slash + 1)}.${uniqueSuffix()}`;
  make(tmp);
  try {
    fs.renameSync(fsPath(tmp), fsPath(dest));
  } finally {
    // rename() between two links to one file does nothing: the temporary name is still there
    fs.rmSync(fsPath(tmp), { force: true });
  }
}

export default defineApplet({
  name: 'ln',
  summary: 'Create links: to TARGET with the name LINK_NAME, or to each TARGET in DIRECTORY',
  usage: 'ln [OPTION]... [-T] TARGET LINK_NAME\n   or: ln [OPTION]... TARGET\n   or: ln [OPTION]... TARGET... DIRECTORY\n   or: ln [OPTION]... -t DIRECTORY TARGET...',
  help: [
    '    --backup[=CONTROL]\tMake a backup of each existing destination file',
    '-b\t\t\tLike --backup but does not accept an argument',
    '-d, -F, --directory\tAllow hard links to directories (the kernel refuses them)',
    '-f, --force\t\tRemove existing destination files',
    '-i, --interactive\tPrompt whether to remove destinations',
    '-L, --logical\t\tDereference TARGETs that are symbolic links',
    '-n, --no-dereference\tTreat LINK_NAME as a normal file if it is a symbolic link to a directory',
    '-P, --physical\t\tMake hard links directly to symbolic links (default)',
    '-r, --relative\t\tWith -s, create links relative to link location',
    '-s, --symbolic\t\tMake symbolic links instead of hard links',
    '-S, --suffix=SUFFIX\tOverride the usual backup suffix',
    '-t, --target-directory=DIRECTORY\tSpecify the DIRECTORY in which to create the links',
    '-T, --no-target-directory\tTreat LINK_NAME as a normal file always',
    '-v, --verbose\t\tPrint name of each linked file',
  ].join('\n'),
  options: {
    backup: { arg: 'optional' },
    b: {},
    d: { long: 'directory' },
    F: {},
    f: { long: 'force', overrides: 'i' },
    i: { long: 'interactive', overrides: 'f' },
    L: { long: 'logical', overrides: 'P' },
    n: { long: 'no-dereference' },
    P: { long: 'physical', overrides: 'L' },
    r: { long: 'relative' },
    s: { long: 'symbolic' },
    S: { long: 'suffix', arg: 'string' },
    t: { long: 'target-directory', arg: 'string' },
    T: { long: 'no-target-directory' },
    v: { long: 'verbose' },
  },
  async run(ctx) {
    const { opts } = ctx;
    const operands = [...ctx.operands];
    const settings: Settings = {
      symbolic: !!opts.s,
      relative: !!opts.r,
      logical: !!opts.L,
      force: !!opts.f,
      interactive: !!opts.i,
      verbose: !!opts.v,
      allowDirs: !!(opts.d || opts.F),
      backup: backupSettings(opts.backup ?? (opts.b ? true : undefined), opts.S, ctx.env),
    };
    if (settings.relative && !settings.symbolic) throw new AppletError('cannot do --relative without --symbolic');
    if (opts.t !== undefined && opts.T) throw new AppletError('cannot combine --target-directory and --no-target-directory');
    if (operands.length === 0) throw new UsageError('missing file operand');

    let targetDir: string | undefined = opts.t;
    if (opts.T) {
      if (operands.length < 2) throw new UsageError(`missing destination file operand after ${quoteaf(operands[0]!)}`);
      if (operands.length > 2) throw new UsageError(`extra operand ${quoteaf(operands[2]!)}`);
    } else if (targetDir !== undefined) {
      let st: fs.Stats;
      try {
        st = fs.statSync(fsPath(ctx.path(targetDir)));
      } catch (err) {
        throw new AppletError(`failed to access ${quoteaf(targetDir)}: ${errorText(err)}`);
      }
      if (!st.isDirectory()) throw new AppletError(`target ${quoteaf(targetDir)} is not a directory`);
    } else if (operands.length === 1) {
      targetDir = '.';
    } else {
      const last = operands[operands.length - 1]!;
      const abs = ctx.path(last);
      let code: string | undefined;
      try {
        const st = opts.n ? fs.lstatSync(fsPath(abs)) : fs.statSync(fsPath(abs));
        if (st.isDirectory()) targetDir = last;
        else code = 'ENOTDIR';
      } catch (err) {
        code = errorCode(err) ?? 'EIO';
        if (code !== 'ENOENT') throw new AppletError(`failed to access ${quoteaf(last)}: ${errorText(err)}`);
      }
      if (targetDir !== undefined) operands.pop();
      else if (operands.length > 2) throw new AppletError(`target ${quoteaf(last)}: ${errorText({ code })}`);
    }

    let ok = true;
    if (targetDir === undefined) ok = await link(ctx, settings, operands[0]!, operands[1]!);
    else {
      for (const source of operands) {
        if (!(await link(ctx, settings, source, join(targetDir, lastComponent(source))))) ok = false;
      }
    }
    return ok ? 0 : 1;
  },
});
