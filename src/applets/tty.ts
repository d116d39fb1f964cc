// tty as GNU has it: the name of the terminal on standard input, or `not a tty` (status 1).
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { UsageError } from '../core/errors.js';
import { quote } from '../core/quote.js';

export default defineApplet({
  name: 'tty',
  summary: 'Print the file name of the terminal connected to standard input',
  usage: 'tty [OPTION]...',
  help: '-s, --silent, --quiet\tPrint nothing, only return an exit status',
  usageStatus: 2,
  options: { s: { long: ['silent', 'quiet'] } },
  async run(ctx) {
    if (ctx.operands.length) throw new UsageError(`extra operand ${quote(ctx.operands[0]!)}`);
    const isTty = ctx.isTTY(0);
    if (ctx.opts.s) return isTty ? 0 : 1;
    let name: string | undefined;
    if (isTty && ctx.stdin.fd !== undefined) {
      try {
        name = fs.readlinkSync(`/proc/self/fd/${ctx.stdin.fd}`, { encoding: 'latin1' });
      } catch {
        name = undefined;
      }
    }
    await ctx.stdout.write(`${name ?? 'not a tty'}\n`);
    return name === undefined ? 1 : 0;
  },
});
