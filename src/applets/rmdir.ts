// rmdir as GNU has it: empty directories only; -p walks up the name removing each ancestor.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { errorCode, errorText, UsageError } from '../core/errors.js';
import { quoteaf } from '../core/quote.js';

/** Whether --ignore-fail-on-non-empty covers this failure: the directory is not empty (some
 *  systems say so with EPERM, EACCES, EROFS or EBUSY; then look). */
function nonEmptyFailure(code: string | undefined, abs: string): boolean {
  if (code === 'ENOTEMPTY' || code === 'EEXIST') return true;
  if (code !== 'EPERM' && code !== 'EACCES' && code !== 'EROFS' && code !== 'EBUSY') return false;
  try {
    return fs.readdirSync(fsPath(abs)).length > 0;
  } catch {
    return false;
  }
}

/** `dir/` naming a link to a directory: rmdir(2) says ENOTDIR; GNU explains. */
function isLinkToDirectory(abs: string): boolean {
  const stripped = abs.replace(/(.)\/+$/, '$1');
  try {
    return fs.lstatSync(fsPath(stripped)).isSymbolicLink() && fs.statSync(fsPath(stripped)).isDirectory();
  } catch {
    return false;
  }
}

export default defineApplet({
  name: 'rmdir',
  summary: 'Remove the DIRECTORY(ies), if they are empty',
  usage: 'rmdir [OPTION]... DIRECTORY...',
  help: [
    '    --ignore-fail-on-non-empty\tIgnore each failure to remove a non-empty directory',
    '-p, --parents\t\t\tRemove DIRECTORY and its ancestors; e.g., \'rmdir -p a/b\' is similar to \'rmdir a/b a\'',
    '-v, --verbose\t\t\tOutput a diagnostic for every directory processed',
  ].join('\n'),
  options: {
    'ignore-fail-on-non-empty': {},
    p: { long: 'parents' },
    v: { long: 'verbose' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    if (operands.length === 0) throw new UsageError('missing operand');
    const ignoreNonEmpty = !!opts['ignore-fail-on-non-empty'];
    const remove = async (name: string): Promise<string | undefined> => {
      if (opts.v) await ctx.stdout.write(`${ctx.name}: removing directory, ${quoteaf(name)}\n`);
      try {
        fs.rmdirSync(fsPath(ctx.path(name)));
        return undefined;
      } catch (err) {
        return errorCode(err) ?? errorText(err);
      }
    };
    let status = 0;
    for (const name of operands) {
      const abs = ctx.path(name);
      const code = await remove(name);
      if (code !== undefined) {
        if (ignoreNonEmpty && nonEmptyFailure(code, abs)) continue;
        if (code === 'ENOTDIR' && name.endsWith('/') && isLinkToDirectory(abs)) {
          await ctx.stderr.write(`${ctx.name}: failed to remove ${quoteaf(name)}: Symbolic link not followed\n`);
          status = 1;
        } else status = await ctx.warn({ code }, `failed to remove ${quoteaf(name)}`);
        continue;
      }
      if (opts.p && !(await removeParents(ctx, name, remove, ignoreNonEmpty))) status = 1;
    }
    return status;
  },
});

/** rmdir -p after DIR itself went: each ancestor in turn, up to the first that will not go. */
async function removeParents(
  ctx: Ctx,
  name: string,
  remove: (name: string) => Promise<string | undefined>,
  ignoreNonEmpty: boolean,
): Promise<boolean> {
  let dir = name.replace(/(.)\/+$/, '$1');
  for (;;) {
    let slash = dir.lastIndexOf('/');
    if (slash === -1) return true;
    while (slash > 0 && dir[slash] === '/') slash--;
    dir = dir.slice(0, slash + 1);
    if (dir === '/') return true; // only slashes were left
    const code = await remove(dir);
    if (code === undefined) continue;
    if (ignoreNonEmpty && nonEmptyFailure(code, ctx.path(dir))) return true;
    await ctx.warn({ code }, `failed to remove directory ${quoteaf(dir)}`);
    return false;
  }
}
