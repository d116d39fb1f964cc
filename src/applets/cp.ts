// cp as GNU has it. The options are read in the order given (later ones undo earlier ones, as in
// cp.c); the copying itself is core/copy.ts, shared with mv and install.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { argmatch, type ArgTable } from '../core/argmatch.js';
import { backupName, backupSettings } from '../core/backup.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { Copier, type CopyOptions } from '../core/copy.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { quoteaf, quotef } from '../core/quote.js';

const PRESERVE_WORDS: ArgTable<string> = ['mode', 'timestamps', 'ownership', 'links', 'context', 'xattr', 'all'].map((w) => [w, w] as const);
const REFLINK: ArgTable<CopyOptions['reflink']> = [
  ['auto', 'auto'],
  ['always', 'always'],
  ['never', 'never'],
];
const SPARSE: ArgTable<CopyOptions['sparse']> = [
  ['never', 'never'],
  ['auto', 'auto'],
  ['always', 'always'],
];

/** --preserve=LIST / --no-preserve=LIST */
function decodePreserve(x: CopyOptions, list: string, on: boolean): void {
  for (const word of list.split(',')) {
    const what = argmatch(word, PRESERVE_WORDS, on ? '--preserve' : '--no-preserve');
    if (what === 'mode' || what === 'all') {
      x.preserveMode = on;
      x.explicitNoPreserveMode = !on;
    }
    if (what === 'timestamps' || what === 'all') x.preserveTimestamps = on;
    if (what === 'ownership' || what === 'all') x.preserveOwnership = on;
    if (what === 'links' || what === 'all') x.preserveLinks = on;
    // context and xattr: nothing to keep (no SELinux, and Node has no xattr calls)
  }
}

interface MadeParent {
  dst: string;
  srcSt: fs.Stats;
  /** Made by this command (else it existed: only -p's attributes are applied to it). */
  isNew: boolean;
}

/** --parents: make the directories of `rel` under `target` that are missing (`dir/a/b` for
 *  `a/b/f`), each like its source directory. Returns those made (for restoreParents), or
 *  undefined after reporting a failure. */
async function makeParents(ctx: Ctx, copier: Copier, x: CopyOptions, target: string, rel: string): Promise<MadeParent[] | undefined> {
  const made: MadeParent[] = [];
  const lead = rel.startsWith('/') ? '/' : '';
  const parts = rel.split('/').filter((p) => p !== '');
  parts.pop();
  for (let i = 1; i <= parts.length; i++) {
    const src = lead + parts.slice(0, i).join('/');
    const dst = `${target.replace(/\/+$/, '')}/${parts.slice(0, i).join('/')}`;
    const dstAbs = ctx.path(dst);
    let existing: fs.Stats | undefined;
    try {
      existing = fs.statSync(fsPath(dstAbs));
    } catch {
      existing = undefined;
    }
    let srcSt: fs.Stats;
    try {
      srcSt = fs.statSync(fsPath(ctx.path(src)));
    } catch (err) {
      await copier.error(`failed to get attributes of ${quoteaf(src)}`, err);
      return undefined;
    }
    if (existing) {
      if (!existing.isDirectory()) {
        await copier.error(`${quotef(dst)} exists but is not a directory`);
        return undefined;
      }
      made.push({ dst, srcSt, isNew: false });
      continue;
    }
    const omitted = x.preserveOwnership ? 0o077 : 0o022;
    try {
      fs.mkdirSync(fsPath(dstAbs), (x.explicitNoPreserveMode ? 0o777 : srcSt.mode) & 0o777 & ~omitted);
      const st = fs.statSync(fsPath(dstAbs));
      if ((st.mode & 0o700) !== 0o700) fs.chmodSync(fsPath(dstAbs), (st.mode | 0o700) & 0o7777);
    } catch (err) {
      await copier.error(`cannot make directory ${quoteaf(dst)}`, err);
      return undefined;
    }
    made.push({ dst, srcSt, isNew: true });
    if (x.verbose) await copier.print(`${src} -> ${dst}\n`);
  }
  return made;
}

/** re_protect: give the directories --parents made their sources' attributes, deepest first. */
async function restoreParents(ctx: Ctx, copier: Copier, x: CopyOptions, made: MadeParent[]): Promise<void> {
  const umask = ctx.host.umask();
  for (const { dst, srcSt, isNew } of [...made].reverse()) {
    const abs = fsPath(ctx.path(dst));
    try {
      if (x.preserveTimestamps) fs.utimesSync(abs, srcSt.atimeMs / 1000, srcSt.mtimeMs / 1000);
    } catch (err) {
      await copier.error(`failed to preserve times for ${quoteaf(dst)}`, err);
    }
    try {
      if (x.preserveOwnership) fs.lchownSync(abs, srcSt.uid, srcSt.gid);
    } catch (err) {
      if (ctx.host.euid() === 0) await copier.error(`failed to preserve ownership for ${quoteaf(dst)}`, err);
    }
    try {
      if (x.preserveMode) fs.chmodSync(abs, srcSt.mode & 0o7777);
      else if (isNew) fs.chmodSync(abs, (x.explicitNoPreserveMode ? 0o777 : srcSt.mode) & 0o777 & ~umask);
    } catch (err) {
      await copier.error(`failed to preserve permissions for ${quoteaf(dst)}`, err);
    }
  }
}

export default defineApplet({
  name: 'cp',
  summary: 'Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY',
  usage: 'cp [OPTION]... [-T] SOURCE DEST\n   or: cp [OPTION]... SOURCE... DIRECTORY\n   or: cp [OPTION]... -t DIRECTORY SOURCE...',
  help: [
    '-a, --archive\t\tSame as -dR --preserve=all',
    '    --attributes-only\tDon\'t copy the file data, just the attributes',
    '    --backup[=CONTROL]\tMake a backup of each existing destination file',
    '-b\t\t\tLike --backup but does not accept an argument',
    '    --copy-contents\tCopy contents of special files when recursive',
    '-d\t\t\tSame as --no-dereference --preserve=links',
    '-f, --force\t\tIf an existing destination file cannot be opened, remove it and try again',
    '-i, --interactive\tPrompt before overwrite (overrides a previous -n)',
    '-H\t\t\tFollow command-line symbolic links in SOURCE',
    '-l, --link\t\tHard link files instead of copying',
    '-L, --dereference\tAlways follow symbolic links in SOURCE',
    '-n, --no-clobber\tDo not overwrite an existing file (overrides a previous -i)',
    '-P, --no-dereference\tNever follow symbolic links in SOURCE',
    '-p\t\t\tSame as --preserve=mode,ownership,timestamps',
    '    --preserve[=ATTR_LIST]\tPreserve the attributes (default: mode,ownership,timestamps); also links, all',
    '    --no-preserve=ATTR_LIST\tDon\'t preserve the specified attributes',
    '    --parents\t\tUse full source file name under DIRECTORY',
    '-R, -r, --recursive\tCopy directories recursively',
    '    --reflink[=WHEN]\tControl clone/CoW copies (auto, always, never)',
    '    --remove-destination\tRemove each existing destination file before attempting to open it',
    '    --sparse=WHEN\tControl creation of sparse files (auto, always, never)',
    '    --strip-trailing-slashes\tRemove any trailing slashes from each SOURCE argument',
    '-s, --symbolic-link\tMake symbolic links instead of copying',
    '-S, --suffix=SUFFIX\tOverride the usual backup suffix',
    '-t, --target-directory=DIRECTORY\tCopy all SOURCE arguments into DIRECTORY',
    '-T, --no-target-directory\tTreat DEST as a normal file',
    '-u, --update\t\tCopy only when the SOURCE file is newer than the destination file or when it is missing',
    '-v, --verbose\t\tExplain what is being done',
    '-x, --one-file-system\tStay on this file system',
  ].join('\n'),
  options: {
    a: { long: 'archive' },
    'attributes-only': {},
    backup: { arg: 'optional' },
    b: {},
    'copy-contents': {},
    d: {},
    f: { long: 'force' },
    i: { long: 'interactive' },
    H: {},
    l: { long: 'link' },
    L: { long: 'dereference' },
    n: { long: 'no-clobber' },
    P: { long: 'no-dereference' },
    p: {},
    preserve: { arg: 'optional' },
    'no-preserve': { arg: 'string' },
    parents: {},
    R: { long: 'recursive' },
    r: {},
    reflink: { arg: 'optional' },
    'remove-destination': {},
    sparse: { arg: 'string' },
    'strip-trailing-slashes': {},
    s: { long: 'symbolic-link' },
    S: { long: 'suffix', arg: 'string' },
    t: { long: 'target-directory', arg: 'list' },
    T: { long: 'no-target-directory' },
    u: { long: 'update' },
    v: { long: 'verbose' },
    x: { long: 'one-file-system' },
    Z: {},
    context: { arg: 'optional' },
  },
  async run(ctx) {
    const x: CopyOptions = {
      dereference: 'never',
      recursive: false,
      copyAsRegular: true,
      hardLink: false,
      symbolicLink: false,
      interactive: 'unspecified',
      unlinkDestBeforeOpening: false,
      unlinkDestAfterFailedOpen: false,
      update: false,
      verbose: false,
      oneFileSystem: false,
      preserveMode: false,
      preserveOwnership: false,
      preserveTimestamps: false,
      preserveLinks: false,
      requirePreserve: false,
      explicitNoPreserveMode: false,
      moveMode: false,
      installMode: false,
      sparse: 'auto',
      reflink: 'auto',
      dataCopyRequired: true,
      backup: { type: 'none', suffix: '~' },
      stdinTty: false,
    };
    let dereference: CopyOptions['dereference'] | undefined;
    let makeBackups = false;
    let backupControl: string | true | undefined;
    let suffix: string | undefined;
    let copyContents = false;
    let parents = false;
    let stripSlashes = false;
    let targetDir: string | undefined;
    let noTargetDir = false;
    const preserveDefaults = () => {
      x.preserveOwnership = x.preserveMode = x.preserveTimestamps = true;
      x.requirePreserve = true;
    };
    for (const [key, value] of ctx.optionOrder) {
      switch (key) {
        case 'a':
          dereference = 'never';
          x.preserveLinks = true;
          preserveDefaults();
          x.recursive = true;
          break;
        case 'attributes-only': x.dataCopyRequired = false; break;
        case 'backup':
          makeBackups = true;
          backupControl = value as string | true;
          break;
        case 'b': makeBackups = true; break;
        case 'copy-contents': copyContents = true; break;
        case 'd':
          x.preserveLinks = true;
          dereference = 'never';
          break;
        case 'f': x.unlinkDestAfterFailedOpen = true; break;
        case 'H': dereference = 'command-line'; break;
        case 'i': x.interactive = 'ask'; break;
        case 'l': x.hardLink = true; break;
        case 'L': dereference = 'always'; break;
        case 'n': x.interactive = 'no'; break;
        case 'P': dereference = 'never'; break;
        case 'no-preserve': decodePreserve(x, value as string, false); break;
        case 'preserve':
          if (value === true) preserveDefaults();
          else {
            decodePreserve(x, value as string, true);
            x.requirePreserve = true;
          }
          break;
        case 'p': preserveDefaults(); break;
        case 'parents': parents = true; break;
        case 'R':
        case 'r':
          x.recursive = true;
          break;
        case 'reflink':
          x.reflink = value === true ? 'always' : argmatch(value as string, REFLINK, '--reflink');
          break;
        case 'remove-destination': x.unlinkDestBeforeOpening = true; break;
        case 'sparse': x.sparse = argmatch(value as string, SPARSE, '--sparse'); break;
        case 'strip-trailing-slashes': stripSlashes = true; break;
        case 's': x.symbolicLink = true; break;
        case 'S':
          makeBackups = true;
          suffix = value as string;
          break;
        case 't':
          if (targetDir !== undefined) throw new AppletError('multiple target directories specified');
          targetDir = value as string;
          break;
        case 'T': noTargetDir = true; break;
        case 'u': x.update = true; break;
        case 'v': x.verbose = true; break;
        case 'x': x.oneFileSystem = true; break;
        case 'context':
          if (value !== true) await ctx.stderr.write(`${ctx.name}: warning: ignoring --context; it requires an SELinux-enabled kernel\n`);
          break;
      }
    }
    if (x.hardLink && x.symbolicLink) throw new UsageError('cannot make both hard and symbolic links');
    if (makeBackups && x.interactive === 'no') throw new UsageError('options --backup and --no-clobber are mutually exclusive');
    if (x.reflink === 'always' && x.sparse !== 'auto') throw new UsageError('--reflink can be used only with --sparse=auto');
    x.backup = backupSettings(makeBackups ? (backupControl ?? true) : undefined, suffix, ctx.env);
    x.dereference = dereference ?? (x.recursive && !x.hardLink ? 'never' : 'always');
    if (x.recursive) x.copyAsRegular = copyContents;
    if (x.unlinkDestAfterFailedOpen && (x.hardLink || x.symbolicLink)) x.unlinkDestBeforeOpening = true;

    const files = [...ctx.operands];
    if (files.length <= (targetDir === undefined ? 1 : 0)) {
      if (files.length === 0) throw new UsageError('missing file operand');
      throw new UsageError(`missing destination file operand after ${quoteaf(files[0]!)}`);
    }
    if (noTargetDir) {
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

    const copier = new Copier(ctx, x);
    try {
      if (targetDir !== undefined) {
        if (files.length >= 2) copier.trackOperands();
        for (let arg of files) {
          if (stripSlashes) arg = arg.replace(/(.)\/+$/, '$1');
          let dst: string;
          if (parents) {
            const rel = arg.replace(/(.)\/+$/, '$1');
            dst = `${targetDir.replace(/\/+$/, '')}/${rel.replace(/^\/+/, '')}`;
            const made = await makeParents(ctx, copier, x, targetDir, rel);
            if (!made) continue;
            await copier.copy(arg, dst, false);
            await restoreParents(ctx, copier, x, made);
            continue;
          } else {
            const base = arg.replace(/(.)\/+$/, '$1').split('/').pop() || arg;
            // `cp -r src/.. dir` copies into dir itself (GNU names it dir/.)
            const name = base === '..' ? '.' : base;
            dst = targetDir.endsWith('/') ? targetDir + name : `${targetDir}/${name}`;
          }
          await copier.copy(arg, dst, false);
        }
      } else {
        if (parents) throw new UsageError('with --parents, the destination must be a directory');
        const [source, dest] = files as [string, string];
        // `cp --force --backup f f` copies f to its own backup name
        let options = x;
        let target = dest;
        if (x.unlinkDestAfterFailedOpen && x.backup.type !== 'none' && source === dest && isRegular(ctx, dest)) {
          const abs = ctx.path(dest);
          target = dest + backupName(abs, x.backup).slice(abs.length);
          options = { ...x, backup: { ...x.backup, type: 'none' } };
        }
        await copier.copy(source, target, false, options);
      }
    } finally {
      await copier.flush();
    }
    return copier.status;
  },
});

function isRegular(ctx: Ctx, name: string): boolean {
  try {
    return fs.statSync(fsPath(ctx.path(name))).isFile();
  } catch {
    return false;
  }
}
