// pwd as GNU has it: the physical directory by default (-P); with -L, $PWD when it is an absolute
// name of this same directory without `.` or `..` components.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { realpath } from '../core/fs.js';

/** $PWD if it names the working directory logically (as GNU's logical_getcwd checks). */
function logicalCwd(ctx: Ctx): string | undefined {
  const pwd = ctx.env.get('PWD');
  if (!pwd?.startsWith('/') || /(^|\/)\.\.?(\/|$)/.test(pwd)) return undefined;
  try {
    const a = fs.statSync(fsPath(pwd));
    const b = fs.statSync(fsPath(ctx.cwd));
    return a.dev === b.dev && a.ino === b.ino ? pwd : undefined;
  } catch {
    return undefined;
  }
}

export default defineApplet({
  name: 'pwd',
  summary: 'Print the full name of the current working directory',
  usage: 'pwd [-LP]',
  help: '-L, --logical\tUse PWD from environment, even if it contains symlinks\n-P, --physical\tResolve all symlinks (the default)',
  options: {
    L: { long: 'logical', overrides: 'P' },
    P: { long: 'physical', overrides: 'L' },
  },
  async run(ctx) {
    if (ctx.operands.length) await ctx.stderr.write(`${ctx.name}: ignoring non-option arguments\n`);
    const dir = (ctx.opts.L && logicalCwd(ctx)) || realpath(ctx.cwd);
    await ctx.stdout.write(`${dir}\n`);
    return 0;
  },
});
