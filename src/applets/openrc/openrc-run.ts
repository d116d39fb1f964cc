// openrc-run SCRIPT [options] COMMAND...: the interpreter named by `#!/sbin/openrc-run` (see
// runscript.ts for what it does).
import * as fs from 'node:fs';
import { defineApplet } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import { Runscript, withSession } from './runscript.js';

export default defineApplet({
  name: 'openrc-run',
  summary: 'Run an OpenRC service script',
  usage: 'openrc-run SCRIPT [options] stop | start | restart | describe | zap',
  async run(ctx) {
    const [script, ...args] = ctx.operands;
    if (script === undefined || !fs.existsSync(fsPath(ctx.path(script)))) {
      await ctx.stderr.write('openrc-run should not be run directly\n');
      return 1;
    }
    return withSession(ctx, ctx.env, (session) => new Runscript(ctx, session, ctx.env).main(ctx.path(script), args));
  },
});
