// printenv as GNU has it: the whole environment, or the values of the named variables (status 1
// if any is unset; 2 for usage errors).
import { defineApplet } from '../core/applet.js';
import { OutBuffer } from '../core/io.js';

export default defineApplet({
  name: 'printenv',
  summary: 'Print the values of the specified environment VARIABLE(s), or all of them',
  usage: 'printenv [OPTION]... [VARIABLE]...',
  help: '-0, --null\tEnd each output line with NUL, not newline',
  usageStatus: 2,
  options: { '0': { long: 'null' } },
  async run(ctx) {
    const end = ctx.opts['0'] ? '\0' : '\n';
    const out = new OutBuffer(ctx.stdout);
    let status = 0;
    if (ctx.operands.length === 0) {
      for (const [name, value] of ctx.env.entries()) await out.put(`${name}=${value}${end}`);
    } else {
      for (const name of ctx.operands) {
        const value = name.includes('=') ? undefined : ctx.env.get(name);
        if (value === undefined) status = 1;
        else await out.put(value + end);
      }
    }
    await out.flush();
    return status;
  },
});
