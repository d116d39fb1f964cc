// which as BusyBox has it: the first executable file of each name on PATH (all of them with -a);
// a name with a slash is checked as it is; status 1 if any was not found, and nothing printed for it.
import * as fs from 'node:fs';
import { defineApplet, helpText } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { OutBuffer } from '../core/io.js';
import { DEFAULT_PATH } from '../core/process.js';

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(fsPath(p)).isFile()) return false;
    fs.accessSync(fsPath(p), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const decl = defineApplet({
  name: 'which',
  summary: 'Locate COMMAND',
  usage: 'which [-a] COMMAND...',
  help: '-a\tShow all matches',
  style: 'busybox',
  options: { a: {} },
  async run(ctx) {
    if (ctx.operands.length === 0) {
      await ctx.stderr.write(helpText(decl));
      return 1;
    }
    const dirs = (ctx.env.get('PATH') ?? DEFAULT_PATH).split(':');
    const out = new OutBuffer(ctx.stdout);
    let status = 0;
    for (const name of ctx.operands) {
      let found = false;
      if (name.includes('/')) {
        if (isExecutableFile(ctx.path(name))) {
          found = true;
          await out.put(`${name}\n`);
        }
      } else {
        for (const dir of dirs) {
          const base = dir === '' ? '.' : dir;
          const candidate = base.endsWith('/') ? base + name : `${base}/${name}`;
          if (!isExecutableFile(ctx.path(candidate))) continue;
          found = true;
          await out.put(`${candidate}\n`);
          if (!ctx.opts.a) break;
        }
      }
      if (!found) status = 1;
    }
    await out.flush();
    return status;
  },
});

export default decl;
