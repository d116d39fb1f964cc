// Redirections: open files and rearrange the shell's descriptor table. For one command the table is
// changed and restored afterwards; `exec` with only redirections keeps the change. Files opened
// here are real descriptors, so spawned programs get them as is.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { errorCode, strerror } from '../../core/errors.js';
import { BytesSource } from '../../core/io.js';
import type { Redir } from './ast.js';
import { ShellFile, openedFile } from './files.js';
import type { Shell } from './shell.js';

/** The entries a redirection replaced, to put back afterwards. */
export type Saved = [fd: number, previous: ShellFile | undefined][];

/** A redirection that failed: the message is ash's; the command's status is 1. */
export class RedirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedirError';
  }
}

/** ash's wording: its own text for a missing file or directory, libc's otherwise. */
function openError(err: unknown, verb: 'open' | 'create', name: string): RedirError {
  const code = errorCode(err) ?? 'EIO';
  const text = code === 'ENOENT' || code === 'ENOTDIR' ? (verb === 'open' ? 'no such file' : 'nonexistent directory') : strerror(code);
  return new RedirError(`can't ${verb} ${name}: ${text}`);
}

function open(sh: Shell, name: string, flags: number, verb: 'open' | 'create'): number {
  try {
    return fs.openSync(fsPath(sh.path(name)), flags, 0o666);
  } catch (err) {
    throw openError(err, verb, name);
  }
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_EXCL } = fs.constants;

/** Open the file a redirection names; `target` is its expanded word (or here-document text). */
function fileFor(sh: Shell, r: Redir, target: string): ShellFile | undefined | 'close' {
  switch (r.op) {
    case '<':
      return openedFile(open(sh, target, O_RDONLY, 'open'), true, false);
    case '>':
    case '&>':
      if (sh.opts.noclobber) return openedFile(noclobberOpen(sh, target), false, true);
      return openedFile(open(sh, target, O_WRONLY | O_CREAT | O_TRUNC, 'create'), false, true);
    case '>|':
      return openedFile(open(sh, target, O_WRONLY | O_CREAT | O_TRUNC, 'create'), false, true);
    case '>>':
      return openedFile(open(sh, target, O_WRONLY | O_CREAT | O_APPEND, 'create'), false, true);
    case '<>':
      return openedFile(open(sh, target, O_RDWR | O_CREAT, 'create'), true, true);
    case '<<':
    case '<<-':
    case '<<<':
      return new ShellFile(new BytesSource(target), undefined);
    case '<&':
    case '>&': {
      if (target === '-') return 'close';
      if (!/^[0-9]+$/.test(target)) {
        // `>&file` (ash): stdout and stderr to the file
        return openedFile(open(sh, target, O_WRONLY | O_CREAT | O_TRUNC, 'create'), false, true);
      }
      const from = sh.fds[Number(target)];
      if (!from) throw new RedirError(`${target}: Bad file descriptor`);
      return from.share();
    }
  }
}

/** noclobber: create, or open an existing file that is not a regular file (/dev/null). */
function noclobberOpen(sh: Shell, name: string): number {
  try {
    return fs.openSync(fsPath(sh.path(name)), O_WRONLY | O_CREAT | O_EXCL, 0o666);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') {
      try {
        if (!fs.statSync(fsPath(sh.path(name))).isFile()) return open(sh, name, O_WRONLY, 'create');
      } catch {
        // fall through to the error
      }
      throw new RedirError(`can't create ${name}: File exists`);
    }
    throw openError(err, 'create', name);
  }
}

function defaultFd(op: Redir['op']): number {
  return op === '<' || op === '<&' || op === '<>' || op === '<<' || op === '<<-' || op === '<<<' ? 0 : 1;
}

function install(sh: Shell, fd: number, file: ShellFile | undefined, saved: Saved | undefined): void {
  const old = sh.fds[fd];
  if (saved) saved.push([fd, old]);
  else old?.release();
  sh.fds[fd] = file;
}

/** Perform redirections. `targets` are the expanded words (here-document bodies for << and <<-).
 *  Returns what to restore, or undefined when `permanent` (exec). On failure, what was already done
 *  is undone and RedirError is thrown. */
export function applyRedirs(sh: Shell, redirs: readonly Redir[], targets: readonly string[], permanent: boolean): Saved | undefined {
  const saved: Saved = [];
  try {
    for (let i = 0; i < redirs.length; i++) {
      const r = redirs[i]!;
      const fd = r.fd ?? defaultFd(r.op);
      // `n>&n` leaves the table as it is, even with n closed (ash)
      if ((r.op === '>&' || r.op === '<&') && targets[i] === String(fd)) continue;
      const file = fileFor(sh, r, targets[i]!);
      if (file === 'close') {
        install(sh, fd, undefined, saved);
        continue;
      }
      const both = r.op === '&>' || (r.op === '>&' && r.fd === undefined && !/^[0-9]+$/.test(targets[i]!) && targets[i] !== '-');
      install(sh, fd, file, saved);
      if (both) install(sh, 2, file!.share(), saved);
    }
  } catch (err) {
    restoreRedirs(sh, saved);
    throw err;
  }
  if (!permanent) return saved;
  for (const [, old] of saved) old?.release();
  return undefined;
}

/** Undo applyRedirs. */
export function restoreRedirs(sh: Shell, saved: Saved | undefined): void {
  if (!saved) return;
  for (let i = saved.length - 1; i >= 0; i--) {
    const [fd, old] = saved[i]!;
    sh.fds[fd]?.release();
    sh.fds[fd] = old;
  }
}
