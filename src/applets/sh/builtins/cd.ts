// cd [-L|-P] [DIR | -]: change the shell's working directory (only the shell's: nothing in the
// process changes, commands get it as their cwd). Logical by default: `..` removes a component of
// $PWD rather than following the physical parent; CDPATH is searched for relative names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsPath } from '../../../core/bytes.js';
import { errorCode, strerror } from '../../../core/errors.js';
import type { Shell } from '../shell.js';
import type { Builtin } from './index.js';

/** Whether `dir` is a directory we may enter; the errno code if not. */
function enterable(dir: string): string | undefined {
  try {
    if (!fs.statSync(fsPath(dir)).isDirectory()) return 'ENOTDIR';
    fs.accessSync(fsPath(dir), fs.constants.X_OK);
    return undefined;
  } catch (err) {
    return errorCode(err) ?? 'ENOENT';
  }
}

export function changeDirectory(sh: Shell, target: string, physical: boolean): string | undefined {
  let dir = path.posix.resolve(sh.cwd, target);
  const failure = enterable(dir);
  if (failure) return failure;
  if (physical) dir = fs.realpathSync(fsPath(dir), { encoding: 'latin1' });
  const old = sh.cwd;
  sh.cwd = dir;
  sh.set('OLDPWD', sh.get('PWD') ?? old);
  sh.set('PWD', dir);
  return undefined;
}

export default {
  run(sh, argv) {
    let physical = false;
    let i = 1;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (a === '-L') physical = false;
      else if (a === '-P') physical = true;
      else break;
    }
    let target = argv[i];
    let print = false;
    if (target === undefined) {
      target = sh.get('HOME');
      if (!target) return 0;
    } else if (target === '-') {
      target = sh.get('OLDPWD') ?? sh.cwd;
      print = true;
    }
    const candidates: [string, boolean][] = [];
    const cdpath = sh.get('CDPATH');
    if (cdpath && !target.startsWith('/') && !/^\.\.?(\/|$)/.test(target)) {
      for (const entry of cdpath.split(':')) {
        candidates.push([entry === '' ? target : `${entry.replace(/\/+$/, '')}/${target}`, entry !== '']);
      }
    }
    candidates.push([target, false]);
    let failure: string | undefined;
    for (const [candidate, viaCdpath] of candidates) {
      const err = changeDirectory(sh, candidate, physical);
      if (err === undefined) {
        if (print || viaCdpath) return sh.writeOut(`${sh.cwd}\n`)?.then(() => 0) ?? 0;
        return 0;
      }
      failure ??= err;
      if (!viaCdpath) failure = err;
    }
    const w = sh.warn(`can't cd to ${target}: ${strerror(failure ?? 'ENOENT')}`, 'cd');
    return w ? w.then(() => 2) : 2;
  },
} satisfies Builtin;
