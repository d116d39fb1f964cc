// Copying files and trees as GNU's copy.c does it, for cp, mv (across file systems) and install:
// the same checks in the same order (same file, -u, -i/-n, directory vs non-directory, backups,
// hard links met before, copying a directory into itself), the same attribute handling (modes
// created narrow and widened after chown, times and owners on request), sparse files kept sparse,
// and the same messages. Special files are made through core/special.ts.
import * as fs from 'node:fs';
import { type Backup, backupName } from './backup.js';
import { fsPath } from './bytes.js';
import { sameName } from './canonical.js';
import { resolvePath } from './context.js';
import type { Ctx } from './context.js';
import { readdirInOrder } from './dirents.js';
import { errorCode, errorText, ExitStatus } from './errors.js';
import { uniqueSuffix } from './fs.js';
import { OutBuffer } from './io.js';
import { modeString, S_ISGID, S_ISUID, S_ISVTX } from './mode.js';
import { askYesNo } from './prompt.js';
import { quoteaf, quotef } from './quote.js';
import { makeSpecial } from './special.js';

export type Dereference = 'never' | 'command-line' | 'always';
/** unspecified: the default; ask: -i; no: -n; yes: mv -f. */
export type Interactive = 'unspecified' | 'ask' | 'no' | 'yes';

export interface CopyOptions {
  dereference: Dereference;
  recursive: boolean;
  /** --copy-contents: read special files as if regular. */
  copyAsRegular: boolean;
  hardLink: boolean;
  symbolicLink: boolean;
  interactive: Interactive;
  /** --remove-destination */
  unlinkDestBeforeOpening: boolean;
  /** -f */
  unlinkDestAfterFailedOpen: boolean;
  update: boolean;
  verbose: boolean;
  oneFileSystem: boolean;
  preserveMode: boolean;
  preserveOwnership: boolean;
  preserveTimestamps: boolean;
  preserveLinks: boolean;
  /** Failing to preserve an attribute is an error (-p, -a, --preserve=). */
  requirePreserve: boolean;
  /** --no-preserve=mode: new files get 0666 (directories 0777) minus the umask. */
  explicitNoPreserveMode: boolean;
  /** install -m: the mode every copy gets. */
  setMode?: number;
  moveMode: boolean;
  installMode: boolean;
  sparse: 'auto' | 'always' | 'never';
  reflink: 'auto' | 'always' | 'never';
  /** --attributes-only: no data. */
  dataCopyRequired: boolean;
  backup: Backup;
  stdinTty: boolean;
}

/** What one copy() told its caller besides success. */
export interface CopyOutcome {
  ok: boolean;
  copyIntoSelf: boolean;
  /** mv: the source was renamed (nothing left to remove), or the move was declined. */
  renameSucceeded: boolean;
}

const COPY_BUFFER = 256 * 1024;

type Stats = fs.Stats;

function errnoError(code: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(code);
  err.code = code;
  return err;
}

function sameInode(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

function joinName(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function lastComponent(name: string): string {
  const t = name.replace(/\/+$/, '');
  return t.slice(t.lastIndexOf('/') + 1);
}

function dirName(name: string): string {
  const t = name.replace(/\/+$/, '');
  const i = t.lastIndexOf('/');
  if (i === -1) return '.';
  return t.slice(0, i).replace(/\/+$/, '') || '/';
}

const inodeKey = (st: Stats) => `${st.dev}:${st.ino}`;

/** gnulib's file-set of (name, inode) triples: a file is in the set when both its inode and its
 *  name (as one directory entry, see sameName) match. */
class FileSet {
  private readonly names = new Map<string, string[]>();
  add(st: Stats, absName: string): void {
    const key = inodeKey(st);
    const list = this.names.get(key);
    if (list) list.push(absName);
    else this.names.set(key, [absName]);
  }
  has(st: Stats, absName: string): boolean {
    return (this.names.get(inodeKey(st)) ?? []).some((n) => n === absName || sameName(n, absName));
  }
}

/** One cp/mv/install command: the tables that span its operands live here. */
export class Copier {
  status = 0;
  private readonly out: OutBuffer;
  /** Source inode → the destination name it was copied to (hard links, directories). */
  private readonly copied = new Map<string, string>();
  /** Destinations made by this command, and sources seen (only with two or more operands). */
  private destInfo?: FileSet;
  private srcInfo?: FileSet;
  private topSrc = '';
  private topDst = '';
  private readonly umask: number;
  private readonly chownPrivileges: boolean;

  constructor(
    private readonly ctx: Ctx,
    private readonly x: CopyOptions,
  ) {
    this.out = new OutBuffer(ctx.stdout);
    this.umask = ctx.host.umask();
    this.chownPrivileges = ctx.host.euid() === 0;
  }

  /** Turn on the checks that need two or more operands (`will not overwrite just-created`). */
  trackOperands(): void {
    this.destInfo = new FileSet();
    this.srcInfo = new FileSet();
  }

  async flush(): Promise<void> {
    await this.out.flush();
  }

  /** Print to stdout (verbose output). */
  async print(text: string): Promise<void> {
    const pending = this.out.put(text);
    if (pending) await pending;
  }

  /** `name: text` on stderr, in order with stdout. */
  async error(text: string, err?: unknown): Promise<false> {
    await this.out.flush();
    await this.ctx.stderr.write(`${this.ctx.name}: ${text}${err === undefined ? '' : `: ${errorText(err)}`}\n`);
    this.status = 1;
    return false;
  }

  /** A warning: printed like an error, but the status stays. */
  private async warning(text: string): Promise<void> {
    await this.out.flush();
    await this.ctx.stderr.write(`${this.ctx.name}: ${text}\n`);
  }

  private abs(name: string): string {
    return resolvePath(this.ctx.cwd, name);
  }

  /** Copy one command-line operand. */
  async copy(src: string, dst: string, newDst: boolean, options = this.x): Promise<CopyOutcome> {
    this.topSrc = src;
    this.topDst = dst;
    const outcome: CopyOutcome = { ok: false, copyIntoSelf: false, renameSucceeded: false };
    outcome.ok = await this.copyInternal(src, dst, newDst, undefined, [], options, true, { created: false }, outcome);
    if (!outcome.ok) this.status = 1;
    return outcome;
  }

  private verboseLine(src: string, dst: string, backup?: string): string {
    return `${quoteaf(src)} -> ${quoteaf(dst)}${backup !== undefined ? ` (backup: ${quoteaf(backup)})` : ''}\n`;
  }

  private async copyInternal(
    srcName: string,
    dstName: string,
    newDst: boolean,
    parent: Stats | undefined,
    ancestors: Stats[],
    x: CopyOptions,
    commandLineArg: boolean,
    firstDir: { created: boolean },
    outcome: CopyOutcome,
    knownSrc?: Stats,
  ): Promise<boolean> {
    if (this.ctx.signal.aborted) throw new ExitStatus(130);
    const srcAbs = this.abs(srcName);
    const dstAbs = this.abs(dstName);
    outcome.copyIntoSelf = false;
    let dstBackup: string | undefined;
    let earlierFile: string | undefined;

    // mv: try the rename first; an existing destination is dealt with below
    let renameErrno: string | undefined;
    if (x.moveMode) {
      renameErrno = this.renameNoReplace(srcAbs, dstAbs);
      newDst = renameErrno === undefined;
      outcome.renameSucceeded = newDst;
    }

    let srcSt: Stats;
    const statName = renameErrno === undefined && x.moveMode ? dstName : srcName;
    try {
      srcSt = knownSrc ?? (x.dereference === 'never' ? fs.lstatSync(fsPath(this.abs(statName))) : fs.statSync(fsPath(this.abs(statName))));
    } catch (err) {
      return this.error(`cannot stat ${quoteaf(statName)}`, err);
    }
    let srcMode = srcSt.mode;
    if (srcSt.isDirectory() && !x.recursive) {
      return this.error(x.installMode ? `omitting directory ${quoteaf(srcName)}` : `-r not specified; omitting directory ${quoteaf(srcName)}`);
    }

    if (commandLineArg && this.srcInfo) {
      if (!srcSt.isDirectory() && x.backup.type === 'none' && this.srcInfo.has(srcSt, srcAbs)) {
        await this.warning(`warning: source file ${quoteaf(srcName)} specified more than once`);
        return true;
      }
      this.srcInfo.add(srcSt, srcAbs);
    }

    const dereference = x.dereference === 'always' || (x.dereference === 'command-line' && commandLineArg);
    let dstSt: Stats | undefined;
    let haveDstLstat = false;

    if (!newDst) {
      const useLstat =
        (!srcSt.isFile() && (!x.copyAsRegular || srcSt.isDirectory() || srcSt.isSymbolicLink())) ||
        x.moveMode ||
        x.symbolicLink ||
        x.hardLink ||
        x.backup.type !== 'none' ||
        x.unlinkDestBeforeOpening;
      try {
        dstSt = useLstat ? fs.lstatSync(fsPath(dstAbs)) : fs.statSync(fsPath(dstAbs));
        haveDstLstat = useLstat;
        renameErrno = 'EEXIST';
      } catch (err) {
        const code = errorCode(err);
        if (code === 'ELOOP' && x.unlinkDestAfterFailedOpen) {
          // leave newDst false: the destination is unlinked later
        } else if (code !== 'ENOENT') {
          return this.error(`cannot stat ${quoteaf(dstName)}`, err);
        } else newDst = true;
      }

      if (renameErrno === 'EEXIST' && dstSt) {
        const check = this.sameFileOk(srcAbs, srcSt, dstAbs, dstSt, x);
        if (x.interactive !== 'no' && !check.ok) {
          return this.error(`${quoteaf(srcName)} and ${quoteaf(dstName)} are the same file`);
        }

        if (x.update && !srcSt.isDirectory() && dstSt.mtimeMs >= srcSt.mtimeMs) {
          // the destination is not older: nothing to do (a hard link still links)
          outcome.renameSucceeded = true;
          earlierFile = this.rememberCopied(dstName, srcSt);
          if (earlierFile !== undefined && !(await this.createHardLink(earlierFile, dstName, true, x.verbose, dereference))) return false;
          return true;
        }

        if (x.moveMode) {
          if (await this.abandonMove(x, dstName, dstSt)) {
            outcome.renameSucceeded = true;
            return true;
          }
        } else if (!srcSt.isDirectory() && (x.interactive === 'no' || (x.interactive === 'ask' && !(await this.overwriteOk(x, dstName, dstSt))))) {
          return true;
        }

        if (check.returnNow) return true;

        if (!dstSt.isDirectory()) {
          if (srcSt.isDirectory() && !(x.moveMode && x.backup.type !== 'none')) {
            return this.error(`cannot overwrite non-directory ${quoteaf(dstName)} with directory ${quoteaf(srcName)}`);
          }
          if (commandLineArg && x.backup.type !== 'numbered' && this.destInfo?.has(dstSt, dstAbs)) {
            return this.error(`will not overwrite just-created ${quoteaf(dstName)} with ${quoteaf(srcName)}`);
          }
        }
        if (!srcSt.isDirectory() && dstSt.isDirectory() && !(x.moveMode && x.backup.type !== 'none')) {
          return this.error(`cannot overwrite directory ${quoteaf(dstName)} with non-directory`);
        }
        if (x.moveMode && srcSt.isDirectory() && !dstSt.isDirectory() && x.backup.type === 'none') {
          return this.error(`cannot move directory onto non-directory: ${quotef(srcName)} -> ${quotef(dstName)}`);
        }

        const srcBase = lastComponent(srcName);
        if (x.backup.type !== 'none' && srcBase !== '.' && srcBase !== '..' && (x.moveMode || !dstSt.isDirectory())) {
          if (x.backup.type !== 'numbered' && this.sourceIsDstBackup(srcBase, srcSt, dstAbs, x.backup)) {
            return this.error(
              `backing up ${quoteaf(dstName)} might destroy source;  ${quoteaf(srcName)} not ${x.moveMode ? 'moved' : 'copied'}`,
            );
          }
          const backupAbs = backupName(dstAbs, x.backup);
          try {
            fs.renameSync(fsPath(dstAbs), fsPath(backupAbs));
            dstBackup = dstName + backupAbs.slice(dstAbs.length);
          } catch (err) {
            if (errorCode(err) !== 'ENOENT') return this.error(`cannot backup ${quoteaf(dstName)}`, err);
          }
          newDst = true;
        } else if (
          !dstSt.isDirectory() &&
          !x.moveMode &&
          (x.unlinkDestBeforeOpening ||
            (x.dataCopyRequired && ((x.preserveLinks && dstSt.nlink > 1) || (x.dereference === 'never' && !srcSt.isFile()))))
        ) {
          try {
            fs.unlinkSync(fsPath(dstAbs));
          } catch (err) {
            if (errorCode(err) !== 'ENOENT') return this.error(`cannot remove ${quoteaf(dstName)}`, err);
          }
          newDst = true;
          if (x.verbose) await this.print(`removed ${quoteaf(dstName)}\n`);
        }
      }
    }

    // Never copy through a symbolic link this very command made
    if (commandLineArg && this.destInfo && !x.moveMode && x.backup.type === 'none') {
      let lst: Stats | undefined = haveDstLstat ? dstSt : undefined;
      if (!lst) {
        try {
          lst = fs.lstatSync(fsPath(dstAbs));
        } catch {
          lst = undefined;
        }
      }
      if (lst?.isSymbolicLink() && this.destInfo.has(lst, dstAbs)) {
        return this.error(`will not copy ${quoteaf(srcName)} through just-created symlink ${quoteaf(dstName)}`);
      }
    }

    if (x.verbose && !x.moveMode && !srcSt.isDirectory()) await this.print(this.verboseLine(srcName, dstName, dstBackup));

    // Have we copied this inode before (hard links, a directory reached twice)?
    if (renameErrno === undefined && x.moveMode) earlierFile = undefined;
    else if (x.recursive && srcSt.isDirectory()) {
      earlierFile = commandLineArg ? this.rememberCopied(dstName, srcSt) : this.copied.get(inodeKey(srcSt));
    } else if (x.moveMode && srcSt.nlink === 1) {
      earlierFile = this.copied.get(inodeKey(srcSt));
    } else if (
      x.preserveLinks &&
      !x.hardLink &&
      (srcSt.nlink > 1 || (commandLineArg && x.dereference === 'command-line') || x.dereference === 'always')
    ) {
      earlierFile = this.rememberCopied(dstName, srcSt);
    }
    if (earlierFile !== undefined) {
      if (srcSt.isDirectory()) {
        if (sameName(srcAbs, this.abs(earlierFile))) {
          outcome.copyIntoSelf = true;
          await this.error(`cannot copy a directory, ${quoteaf(this.topSrc)}, into itself, ${quoteaf(this.topDst)}`);
          return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
        }
        if (sameName(dstAbs, this.abs(earlierFile))) {
          await this.warning(`warning: source directory ${quoteaf(this.topSrc)} specified more than once`);
          if (x.moveMode) outcome.renameSucceeded = true;
          return true;
        }
        if (!(x.dereference === 'always' || (commandLineArg && x.dereference === 'command-line'))) {
          await this.error(`will not create hard link ${quoteaf(dstName)} to directory ${quoteaf(earlierFile)}`);
          return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
        }
      } else {
        if (!(await this.createHardLink(earlierFile, dstName, true, x.verbose, dereference))) {
          return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
        }
        return true;
      }
    }

    if (x.moveMode) {
      if (renameErrno === 'EEXIST') renameErrno = this.rename(srcAbs, dstAbs);
      if (renameErrno === undefined) {
        if (x.verbose) await this.print(`renamed ${this.verboseLine(srcName, dstName, dstBackup)}`);
        outcome.renameSucceeded = true;
        if (commandLineArg && this.destInfo) this.destInfo.add(srcSt, dstAbs);
        return true;
      }
      if (renameErrno === 'EINVAL') {
        outcome.copyIntoSelf = true;
        await this.error(`cannot move ${quoteaf(this.topSrc)} to a subdirectory of itself, ${quoteaf(this.topDst)}`);
        return true;
      }
      if (renameErrno !== 'EXDEV') {
        this.copied.delete(inodeKey(srcSt));
        return this.error(`cannot move ${quoteaf(srcName)} to ${quoteaf(dstName)}`, errnoError(renameErrno));
      }
      // Across file systems: clear the way, then copy (and the caller removes the source)
      try {
        if (srcSt.isDirectory()) fs.rmdirSync(fsPath(dstAbs));
        else fs.unlinkSync(fsPath(dstAbs));
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') {
          this.copied.delete(inodeKey(srcSt));
          return this.error(`inter-device move failed: ${quoteaf(srcName)} to ${quoteaf(dstName)}; unable to remove target`, err);
        }
      }
      if (x.verbose && !srcSt.isDirectory()) await this.print(`copied ${this.verboseLine(srcName, dstName, dstBackup)}`);
      newDst = true;
    }

    const dstModeBits = (x.setMode ?? srcMode) & 0o7777;
    let omitted = dstModeBits & (x.preserveOwnership ? 0o077 : srcSt.isDirectory() ? 0o022 : 0);
    let restoreDstMode = false;
    let dstMode = 0;
    let delayedOk = true;
    let destIsSymlink = false;
    let copiedAsRegular = false;

    if (srcSt.isDirectory()) {
      if (ancestors.some((a) => sameInode(a, srcSt))) {
        await this.error(`cannot copy cyclic symbolic link ${quoteaf(srcName)}`);
        return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
      }
      if (newDst || !dstSt?.isDirectory()) {
        let made: Stats;
        try {
          fs.mkdirSync(fsPath(dstAbs), dstModeBits & ~omitted);
        } catch (err) {
          await this.error(`cannot create directory ${quoteaf(dstName)}`, err);
          return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
        }
        try {
          made = fs.lstatSync(fsPath(dstAbs));
        } catch (err) {
          await this.error(`cannot stat ${quoteaf(dstName)}`, err);
          return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
        }
        dstSt = made;
        if ((made.mode & 0o700) !== 0o700) {
          // we must be able to fill it; its own mode comes back at the end
          dstMode = made.mode;
          restoreDstMode = true;
          try {
            fs.chmodSync(fsPath(dstAbs), (made.mode | 0o700) & 0o7777);
          } catch (err) {
            await this.error(`setting permissions for ${quoteaf(dstName)}`, err);
            return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
          }
        }
        if (!firstDir.created) {
          this.rememberCopied(dstName, made);
          firstDir.created = true;
        }
        if (x.verbose) {
          if (x.moveMode) await this.print(`created directory ${quoteaf(dstName)}\n`);
          else await this.print(this.verboseLine(srcName, dstName));
        }
      } else omitted = 0;

      if (!(x.oneFileSystem && parent && parent.dev !== srcSt.dev)) {
        delayedOk = await this.copyDir(srcName, dstName, newDst, srcSt, [...ancestors, srcSt], x, firstDir, outcome);
      }
    } else if (x.symbolicLink) {
      destIsSymlink = true;
      if (!srcName.startsWith('/')) {
        const dstParent = dirName(dstName);
        let inCurrentDir = dstParent === '.';
        if (!inCurrentDir) {
          try {
            inCurrentDir = sameInode(fs.statSync(fsPath(this.ctx.cwd)), fs.statSync(fsPath(this.abs(dstParent))));
          } catch {
            inCurrentDir = true;
          }
        }
        if (!inCurrentDir) {
          await this.error(`${quotef(dstName)}: can make relative symbolic links only in current directory`);
          return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
        }
      }
      const err = this.forceSymlink(srcName, dstAbs, x.unlinkDestAfterFailedOpen);
      if (err) {
        await this.error(`cannot create symbolic link ${quoteaf(dstName)} to ${quoteaf(srcName)}`, err);
        return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
      }
    } else if (x.hardLink) {
      const replace = x.unlinkDestAfterFailedOpen || x.interactive === 'ask';
      if (!(await this.createHardLink(srcName, dstName, replace, false, dereference))) {
        return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
      }
    } else if (srcSt.isFile() || (x.copyAsRegular && !srcSt.isSymbolicLink())) {
      copiedAsRegular = true;
      const dstSpecial = !!dstSt && !dstSt.isFile() && !dstSt.isSymbolicLink();
      const result = await this.copyRegular(srcName, dstName, x, dstModeBits & 0o777, omitted, newDst, srcSt, dstSpecial);
      if (!result) return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
    } else if (srcSt.isFIFO() || srcSt.isCharacterDevice() || srcSt.isBlockDevice() || srcSt.isSocket()) {
      const kind = srcSt.isFIFO() ? 'fifo' : srcSt.isCharacterDevice() ? 'char' : srcSt.isBlockDevice() ? 'block' : 'socket';
      try {
        const mode = srcMode & 0o7777 & ~omitted & ~this.umask;
        await makeSpecial({ path: dstAbs, kind, mode, rdev: srcSt.rdev }, this.ctx.env, this.ctx.host);
      } catch (err) {
        await this.error(`cannot create ${kind === 'fifo' ? 'fifo' : 'special file'} ${quoteaf(dstName)}`, err);
        return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
      }
    } else if (srcSt.isSymbolicLink()) {
      destIsSymlink = true;
      let target: string;
      try {
        target = fs.readlinkSync(fsPath(srcAbs), { encoding: 'latin1' });
      } catch (err) {
        await this.error(`cannot read symbolic link ${quoteaf(srcName)}`, err);
        return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
      }
      let err = this.forceSymlink(target, dstAbs, x.unlinkDestAfterFailedOpen);
      if (err && x.update && !newDst && dstSt?.isSymbolicLink() && dstSt.size === Buffer.byteLength(target, 'latin1')) {
        try {
          if (fs.readlinkSync(fsPath(dstAbs), { encoding: 'latin1' }) === target) err = undefined;
        } catch {
          // keep the error
        }
      }
      if (err) {
        await this.error(`cannot create symbolic link ${quoteaf(dstName)}`, err);
        return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
      }
      if (x.preserveOwnership) {
        try {
          fs.lchownSync(fsPath(dstAbs), srcSt.uid, srcSt.gid);
        } catch (e) {
          if (!this.chownFailureOk(e)) {
            await this.error(`failed to preserve ownership for ${dstName}`, e);
            if (x.requirePreserve) return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
          }
        }
      }
    } else {
      await this.error(`${quoteaf(srcName)} has unknown file type`);
      return this.unBackup(dstBackup, dstName, srcSt, earlierFile, x);
    }

    if (commandLineArg && this.destInfo) {
      try {
        this.destInfo.add(fs.lstatSync(fsPath(dstAbs)), dstAbs);
      } catch {
        // gone already
      }
    }
    if (x.hardLink && !srcSt.isDirectory()) return delayedOk;
    if (copiedAsRegular) return delayedOk;

    if (x.preserveTimestamps) {
      try {
        const atime = srcSt.atimeMs / 1000;
        const mtime = srcSt.mtimeMs / 1000;
        if (destIsSymlink) fs.lutimesSync(fsPath(dstAbs), atime, mtime);
        else fs.utimesSync(fsPath(dstAbs), atime, mtime);
      } catch (err) {
        await this.error(`preserving times for ${quoteaf(dstName)}`, err);
        if (x.requirePreserve) return false;
      }
    }
    if (!destIsSymlink && x.preserveOwnership && (newDst || !dstSt || dstSt.uid !== srcSt.uid || dstSt.gid !== srcSt.gid)) {
      const r = await this.setOwner(x, dstName, undefined, srcSt, newDst, dstSt);
      if (r === -1) return false;
      if (r === 0) srcMode &= ~(S_ISUID | S_ISGID | S_ISVTX);
    }
    if (destIsSymlink) return delayedOk;

    const chmod = (mode: number) => fs.chmodSync(fsPath(dstAbs), mode & 0o7777);
    try {
      if (x.preserveMode || x.moveMode) chmod(srcMode);
      else if (x.setMode !== undefined) chmod(x.setMode);
      else if (x.explicitNoPreserveMode && newDst) chmod((srcSt.isDirectory() || srcSt.isSocket() ? 0o777 : 0o666) & ~this.umask);
      else {
        if (omitted) {
          omitted &= ~this.umask;
          if (omitted && !restoreDstMode) {
            let cur = dstSt;
            if (newDst || !cur) cur = fs.lstatSync(fsPath(dstAbs));
            dstMode = cur.mode;
            if (omitted & ~dstMode) restoreDstMode = true;
          }
        }
        if (restoreDstMode) chmod(dstMode | omitted);
      }
    } catch (err) {
      await this.error(`preserving permissions for ${quoteaf(dstName)}`, err);
      if (x.requirePreserve) return false;
    }
    return delayedOk;
  }

  /** After a failure: forget the inode, and put a backup made for this destination back. */
  private async unBackup(backup: string | undefined, dstName: string, srcSt: Stats, earlier: string | undefined, x: CopyOptions): Promise<false> {
    if (earlier === undefined) this.copied.delete(inodeKey(srcSt));
    if (backup !== undefined) {
      try {
        fs.renameSync(fsPath(this.abs(backup)), fsPath(this.abs(dstName)));
        if (x.verbose) await this.print(`${quoteaf(backup)} -> ${quoteaf(dstName)} (unbackup)\n`);
      } catch (err) {
        await this.error(`cannot un-backup ${quoteaf(dstName)}`, err);
      }
    }
    this.status = 1;
    return false;
  }

  /** remember_copied: record src inode → dst; returns the earlier destination if there was one. */
  private rememberCopied(dstName: string, st: Stats): string | undefined {
    const key = inodeKey(st);
    const earlier = this.copied.get(key);
    if (earlier !== undefined) return earlier;
    this.copied.set(key, dstName);
    return undefined;
  }

  /** rename(2) unless the destination exists (renameat2's RENAME_NOREPLACE, emulated). */
  private renameNoReplace(src: string, dst: string): string | undefined {
    try {
      fs.lstatSync(fsPath(dst));
      return 'EEXIST';
    } catch {
      return this.rename(src, dst);
    }
  }

  private rename(src: string, dst: string): string | undefined {
    try {
      fs.renameSync(fsPath(src), fsPath(dst));
      return undefined;
    } catch (err) {
      return errorCode(err) ?? 'EIO';
    }
  }

  private async copyDir(
    srcName: string,
    dstName: string,
    newDst: boolean,
    srcSt: Stats,
    ancestors: Stats[],
    x: CopyOptions,
    firstDir: { created: boolean },
    outcome: CopyOutcome,
  ): Promise<boolean> {
    let entries: { name: string; st?: Stats }[];
    try {
      entries = readdirInOrder(this.abs(srcName)).map((e) => ({ name: e.name }));
    } catch (err) {
      return this.error(`cannot access ${quoteaf(srcName)}`, err);
    }
    // savedir(SAVEDIR_SORT_FASTREAD) hands GNU the entries in inode order
    const dirAbs = this.abs(srcName);
    for (const e of entries) {
      try {
        e.st = fs.lstatSync(fsPath(joinName(dirAbs, e.name)));
      } catch {
        e.st = undefined;
      }
    }
    entries.sort((a, b) => (a.st?.ino ?? 0) - (b.st?.ino ?? 0));
    const inner: CopyOptions = x.dereference === 'command-line' ? { ...x, dereference: 'never' } : x;
    let ok = true;
    let created = false;
    for (const e of entries) {
      const first = { created: firstDir.created };
      const local: CopyOutcome = { ok: false, copyIntoSelf: false, renameSucceeded: false };
      const known = inner.dereference === 'never' ? e.st : undefined;
      ok = (await this.copyInternal(joinName(srcName, e.name), joinName(dstName, e.name), newDst, srcSt, ancestors, inner, false, first, local, known)) && ok;
      if (local.copyIntoSelf) {
        outcome.copyIntoSelf = true;
        break;
      }
      created ||= first.created;
    }
    firstDir.created = created;
    return ok;
  }

  /** A regular file's data and attributes (copy_reg). */
  private async copyRegular(
    srcName: string,
    dstName: string,
    x: CopyOptions,
    dstMode: number,
    omitted: number,
    newDst: boolean,
    srcSt: Stats,
    dstSpecial: boolean,
  ): Promise<boolean> {
    const srcAbs = this.abs(srcName);
    const dstAbs = this.abs(dstName);
    // FIFOs and devices may block on open and read: those go through the thread pool, so other
    // applets in this process (a writer at the other end of the FIFO) keep running
    const blocking = !srcSt.isFile();
    let srcFd: number;
    try {
      const flags = fs.constants.O_RDONLY | (x.dereference === 'never' ? fs.constants.O_NOFOLLOW : 0);
      srcFd = blocking ? await openAsync(srcAbs, flags) : fs.openSync(fsPath(srcAbs), flags);
    } catch (err) {
      return this.error(`cannot open ${quoteaf(srcName)} for reading`, err);
    }
    let dstFd = -1;
    try {
      const srcOpen = fs.fstatSync(srcFd);
      if (!sameInode(srcOpen, srcSt)) return await this.error(`skipping file ${quoteaf(srcName)}, as it was replaced while being copied`);
      let destErr: unknown;
      if (!newDst) {
        try {
          const flags = fs.constants.O_WRONLY | (x.dataCopyRequired ? fs.constants.O_TRUNC : 0);
          dstFd = dstSpecial ? await openAsync(dstAbs, flags) : fs.openSync(fsPath(dstAbs), flags);
        } catch (err) {
          destErr = err;
        }
        if (dstFd < 0 && x.unlinkDestAfterFailedOpen) {
          try {
            fs.unlinkSync(fsPath(dstAbs));
          } catch (err) {
            return await this.error(`cannot remove ${quoteaf(dstName)}`, err);
          }
          if (x.verbose) await this.print(`removed ${quoteaf(dstName)}\n`);
          newDst = true;
        }
      }
      for (;;) {
        if (newDst) {
          try {
            dstFd = fs.openSync(fsPath(dstAbs), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, dstMode & ~omitted);
          } catch (err) {
            destErr = err;
            if (errorCode(err) === 'EEXIST' && !x.moveMode) {
              let lst: Stats | undefined;
              try {
                lst = fs.lstatSync(fsPath(dstAbs));
              } catch {
                lst = undefined;
              }
              if (lst?.isSymbolicLink()) return await this.error(`not writing through dangling symlink ${quoteaf(dstName)}`);
            }
            if (errorCode(err) === 'EISDIR' && dstName.endsWith('/')) destErr = errnoError('ENOTDIR');
          }
        } else omitted = 0;
        if (dstFd >= 0) break;
        if (errorCode(destErr) === 'ENOENT' && !newDst && !x.moveMode) {
          newDst = true;
          continue;
        }
        return await this.error(`cannot create regular file ${quoteaf(dstName)}`, destErr);
      }

      const dstOpen = fs.fstatSync(dstFd);
      let dataRequired = x.dataCopyRequired;
      if (dataRequired && x.reflink === 'always') {
        // Node can clone only file to file by name, which also sets the mode: fixed below anyway
        try {
          fs.copyFileSync(fsPath(srcAbs), fsPath(dstAbs), fs.constants.COPYFILE_FICLONE_FORCE);
          dataRequired = false;
        } catch (err) {
          // libuv removed the file on failure; GNU leaves the empty file it made
          fs.closeSync(fs.openSync(fsPath(dstAbs), 'a', dstMode & ~omitted));
          return await this.error(`failed to clone ${quoteaf(dstName)} from ${quoteaf(srcName)}`, err);
        }
      }
      if (dataRequired) {
        const sparseSource = srcOpen.isFile() && srcOpen.blocks * 512 < srcOpen.size;
        const makeHoles = dstOpen.isFile() && (x.sparse === 'always' || (x.sparse === 'auto' && sparseSource));
        const failed = await this.copyData(srcFd, dstFd, srcName, dstName, makeHoles ? dstOpen.blksize || 4096 : 0, blocking || dstSpecial);
        if (failed) return false;
      }

      if (x.preserveTimestamps) {
        try {
          fs.futimesSync(dstFd, srcSt.atimeMs / 1000, srcSt.mtimeMs / 1000);
        } catch (err) {
          await this.error(`preserving times for ${quoteaf(dstName)}`, err);
          if (x.requirePreserve) return false;
        }
      }
      let srcMode = srcSt.mode;
      if (x.preserveOwnership && (srcSt.uid !== dstOpen.uid || srcSt.gid !== dstOpen.gid)) {
        const r = await this.setOwner(x, dstName, dstFd, srcSt, newDst, dstOpen);
        if (r === -1) return false;
        if (r === 0) srcMode &= ~(S_ISUID | S_ISGID | S_ISVTX);
      }
      try {
        if (x.preserveMode || x.moveMode) fs.fchmodSync(dstFd, srcMode & 0o7777);
        else if (x.setMode !== undefined) fs.fchmodSync(dstFd, x.setMode & 0o7777);
        else if (x.explicitNoPreserveMode && newDst) fs.fchmodSync(dstFd, 0o666 & ~this.umask);
        else if (omitted && omitted & ~this.umask) fs.fchmodSync(dstFd, dstMode);
      } catch (err) {
        await this.error(`preserving permissions for ${quoteaf(dstName)}`, err);
        if (x.requirePreserve) return false;
      }
      return true;
    } finally {
      if (dstFd >= 0) fs.closeSync(dstFd);
      fs.closeSync(srcFd);
    }
  }

  /** Copy the bytes; with holeSize, runs of zero blocks become holes (the destination is extended
   *  to its size at the end). Returns true on failure (reported). */
  private async copyData(srcFd: number, dstFd: number, srcName: string, dstName: string, holeSize: number, slow: boolean): Promise<boolean> {
    const buf = Buffer.allocUnsafe(COPY_BUFFER);
    let pos = 0;
    let endsInHole = false;
    for (;;) {
      if (this.ctx.signal.aborted) throw new ExitStatus(130);
      let n: number;
      try {
        n = slow ? await readAsync(srcFd, buf) : fs.readSync(srcFd, buf, 0, COPY_BUFFER, null);
      } catch (err) {
        await this.error(`error reading ${quoteaf(srcName)}`, err);
        return true;
      }
      if (n === 0) break;
      try {
        if (slow) await writeAsync(dstFd, buf.subarray(0, n));
        else if (!holeSize) writeAll(dstFd, buf, 0, n, null);
        else {
          for (let off = 0; off < n; off += holeSize) {
            const end = Math.min(off + holeSize, n);
            endsInHole = isZero(buf, off, end);
            if (!endsInHole) writeAll(dstFd, buf, off, end, pos + off);
          }
        }
      } catch (err) {
        await this.error(`error writing ${quoteaf(dstName)}`, err);
        return true;
      }
      pos += n;
    }
    if (endsInHole) {
      try {
        fs.ftruncateSync(dstFd, pos);
      } catch (err) {
        await this.error(`failed to extend ${quoteaf(dstName)}`, err);
        return true;
      }
    }
    return false;
  }

  /** set_owner: chown the copy; returns 1 done, 0 not done but acceptable, -1 failure. */
  private async setOwner(x: CopyOptions, dstName: string, fd: number | undefined, srcSt: Stats, newDst: boolean, dstSt: Stats | undefined): Promise<number> {
    const dstAbs = this.abs(dstName);
    if (!newDst && dstSt && (x.preserveMode || x.moveMode || x.setMode !== undefined)) {
      // Narrow an existing file's mode first, so it is never more open than either mode
      const oldMode = dstSt.mode;
      const newMode = x.preserveMode || x.moveMode ? srcSt.mode : x.setMode!;
      if (oldMode & 0o7777 & (~newMode | S_ISUID | S_ISGID | S_ISVTX)) {
        try {
          if (fd !== undefined) fs.fchmodSync(fd, oldMode & newMode & 0o700);
          else fs.chmodSync(fsPath(dstAbs), oldMode & newMode & 0o700);
        } catch (err) {
          if (!this.ownerFailureOk(err)) await this.error(`clearing permissions for ${quoteaf(dstName)}`, err);
          return x.requirePreserve ? -1 : 0;
        }
      }
    }
    try {
      if (fd !== undefined) fs.fchownSync(fd, srcSt.uid, srcSt.gid);
      else fs.lchownSync(fsPath(dstAbs), srcSt.uid, srcSt.gid);
      return 1;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EPERM' || code === 'EINVAL') {
        try {
          if (fd !== undefined) fs.fchownSync(fd, -1, srcSt.gid);
          else fs.lchownSync(fsPath(dstAbs), -1, srcSt.gid);
        } catch {
          // the group alone cannot be kept either
        }
      }
      if (!this.chownFailureOk(err)) {
        await this.error(`failed to preserve ownership for ${quoteaf(dstName)}`, err);
        if (x.requirePreserve) return -1;
      }
      return 0;
    }
  }

  private chownFailureOk(err: unknown): boolean {
    const code = errorCode(err);
    return (code === 'EPERM' || code === 'EINVAL') && !this.chownPrivileges;
  }

  private ownerFailureOk(err: unknown): boolean {
    return this.chownFailureOk(err);
  }

  /** Make a symbolic link, replacing an existing file when asked (under a temporary name). */
  private forceSymlink(target: string, dstAbs: string, replace: boolean): unknown {
    try {
      fs.symlinkSync(fsPath(target), fsPath(dstAbs));
      return undefined;
    } catch (err) {
      if (!replace || errorCode(err) !== 'EEXIST') return err;
    }
    const tmp = `${dstAbs}.${uniqueSuffix()}`;
    try {
      fs.symlinkSync(fsPath(target), fsPath(tmp));
      fs.renameSync(fsPath(tmp), fsPath(dstAbs));
      return undefined;
    } catch (err) {
      fs.rmSync(fsPath(tmp), { force: true });
      return err;
    }
  }

  /** Hard-link src to dst (force_linkat): with replace, over an existing file. */
  private async createHardLink(srcName: string, dstName: string, replace: boolean, verbose: boolean, dereference: boolean): Promise<boolean> {
    let src = this.abs(srcName);
    const dst = this.abs(dstName);
    if (dereference) {
      try {
        src = fs.realpathSync(fsPath(src), { encoding: 'latin1' });
      } catch {
        // link() reports it
      }
    }
    let removed = false;
    try {
      try {
        fs.linkSync(fsPath(src), fsPath(dst));
      } catch (err) {
        if (!replace || errorCode(err) !== 'EEXIST') throw err;
        const tmp = `${dst}.${uniqueSuffix()}`;
        fs.linkSync(fsPath(src), fsPath(tmp));
        try {
          const a = fs.lstatSync(fsPath(tmp));
          const b = fs.lstatSync(fsPath(dst));
          if (!sameInode(a, b)) {
            fs.renameSync(fsPath(tmp), fsPath(dst));
            removed = true;
          }
        } finally {
          fs.rmSync(fsPath(tmp), { force: true });
        }
      }
    } catch (err) {
      return this.error(`cannot create hard link ${quoteaf(dstName)} to ${quoteaf(srcName)}`, err);
    }
    if (removed && verbose) await this.print(`removed ${quoteaf(dstName)}\n`);
    return true;
  }

  private writable(dstAbs: string, st: Stats): boolean {
    if (st.isSymbolicLink() || this.chownPrivileges) return true;
    try {
      fs.accessSync(fsPath(dstAbs), fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  /** The -i question (overwrite_ok). */
  private async overwriteOk(x: CopyOptions, dstName: string, st: Stats): Promise<boolean> {
    await this.out.flush();
    let question: string;
    if (!this.writable(this.abs(dstName), st)) {
      const perms = `${(st.mode & 0o7777).toString(8).padStart(4, '0')} (${modeString(st.mode).slice(1)})`;
      question =
        x.moveMode || x.unlinkDestBeforeOpening || x.unlinkDestAfterFailedOpen
          ? `replace ${quoteaf(dstName)}, overriding mode ${perms}`
          : `unwritable ${quoteaf(dstName)} (mode ${perms.replace(' (', ', ').replace(/\)$/, '')}); try anyway`;
    } else question = `overwrite ${quoteaf(dstName)}`;
    return askYesNo(this.ctx, `${this.ctx.name}: ${question}? `);
  }

  /** mv: whether to leave this destination alone (-n, or a no to -i or to an unwritable file). */
  private async abandonMove(x: CopyOptions, dstName: string, st: Stats): Promise<boolean> {
    if (x.interactive === 'no') return true;
    const ask = x.interactive === 'ask' || (x.interactive === 'unspecified' && x.stdinTty && !this.writable(this.abs(dstName), st));
    return ask && !(await this.overwriteOk(x, dstName, st));
  }

  /** The source is the very backup this copy would make of the destination (`cp -b f~ f`). */
  private sourceIsDstBackup(srcBase: string, srcSt: Stats, dstAbs: string, backup: Backup): boolean {
    const dstBase = lastComponent(dstAbs);
    if (srcBase !== dstBase + backup.suffix) return false;
    try {
      return sameInode(srcSt, fs.statSync(fsPath(dstAbs + backup.suffix)));
    } catch {
      return false;
    }
  }

  /** same_file_ok: whether copying src over dst is safe although they may be one file. */
  private sameFileOk(srcAbs: string, srcSt: Stats, dstAbs: string, dstSt: Stats, x: CopyOptions): { ok: boolean; returnNow: boolean } {
    const same = sameInode(srcSt, dstSt);
    if (same && x.hardLink) return { ok: true, returnNow: true };
    let srcLink: Stats;
    let dstLink: Stats;
    let sameLink: boolean;
    if (x.dereference === 'never') {
      sameLink = same;
      if (srcSt.isSymbolicLink() && dstSt.isSymbolicLink()) {
        const sn = sameName(srcAbs, dstAbs);
        if (!sn) {
          if (x.backup.type !== 'none') return { ok: true, returnNow: false };
          if (sameLink) return { ok: !x.moveMode, returnNow: true };
        }
        return { ok: !sn, returnNow: false };
      }
      srcLink = srcSt;
      dstLink = dstSt;
    } else {
      if (!same) return { ok: true, returnNow: false };
      try {
        dstLink = fs.lstatSync(fsPath(dstAbs));
        srcLink = fs.lstatSync(fsPath(srcAbs));
      } catch {
        return { ok: true, returnNow: false };
      }
      sameLink = sameInode(srcLink, dstLink);
      if (srcLink.isSymbolicLink() && dstLink.isSymbolicLink() && x.unlinkDestBeforeOpening) return { ok: true, returnNow: false };
    }
    if (x.backup.type !== 'none') {
      if (!sameLink) {
        if (!x.moveMode && x.dereference !== 'never' && srcLink.isSymbolicLink() && !dstLink.isSymbolicLink()) return { ok: false, returnNow: false };
        return { ok: true, returnNow: false };
      }
      return { ok: !sameName(srcAbs, dstAbs), returnNow: false };
    }
    if (x.moveMode || x.unlinkDestBeforeOpening) {
      if (dstLink.isSymbolicLink()) return { ok: true, returnNow: false };
      if (sameLink && dstLink.nlink > 1 && !sameName(srcAbs, dstAbs)) return { ok: !x.moveMode, returnNow: false };
    }
    if (!srcLink.isSymbolicLink() && !dstLink.isSymbolicLink()) {
      if (!sameInode(srcLink, dstLink)) return { ok: true, returnNow: false };
      if (x.hardLink) return { ok: true, returnNow: true };
    }
    if (x.moveMode && srcSt.isSymbolicLink() && dstLink.nlink > 1) {
      try {
        const absSrc = fs.realpathSync(fsPath(srcAbs), { encoding: 'latin1' });
        return { ok: !sameName(absSrc, dstAbs), returnNow: false };
      } catch {
        // fall through
      }
    }
    if (x.symbolicLink && dstLink.isSymbolicLink()) return { ok: true, returnNow: false };
    if (x.dereference === 'never') {
      let s: Stats;
      let d: Stats;
      try {
        s = srcLink.isSymbolicLink() ? fs.statSync(fsPath(srcAbs)) : srcLink;
        d = dstLink.isSymbolicLink() ? fs.statSync(fsPath(dstAbs)) : dstLink;
      } catch {
        return { ok: true, returnNow: false };
      }
      if (!sameInode(s, d)) return { ok: true, returnNow: false };
      if (x.hardLink) return { ok: true, returnNow: !dstLink.isSymbolicLink() };
    }
    return { ok: false, returnNow: false };
  }
}

function openAsync(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => fs.open(fsPath(path), flags, (err, fd) => (err ? reject(err) : resolve(fd))));
}

function readAsync(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));
}

async function writeAsync(fd: number, data: Buffer): Promise<void> {
  for (let off = 0; off < data.length; ) {
    off += await new Promise<number>((resolve, reject) =>
      fs.write(fd, data, off, data.length - off, null, (err, n) => (err ? reject(err) : resolve(n))),
    );
  }
}

/** Write buf[start, end) at `position` (null: at the current offset, for pipes and devices). */
function writeAll(fd: number, buf: Buffer, start: number, end: number, position: number | null): void {
  while (start < end) {
    const n = fs.writeSync(fd, buf, start, end - start, position);
    start += n;
    if (position !== null) position += n;
  }
}

const ZEROS = Buffer.alloc(64 * 1024);

function isZero(buf: Buffer, start: number, end: number): boolean {
  for (let off = start; off < end; off += ZEROS.length) {
    const len = Math.min(ZEROS.length, end - off);
    if (buf.compare(ZEROS, 0, len, off, off + len) !== 0) return false;
  }
  return true;
}
