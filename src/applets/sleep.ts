// sleep as GNU has it: the sum of its operands, each a number with an optional s/m/h/d suffix
// (fractions, hexadecimal, `inf`); stopped at once by ctx.signal.
import { defineApplet } from '../core/applet.js';
import { parseDuration, waitFor } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { abortStatus } from '../core/process.js';
import { quote } from '../core/quote.js';

export default defineApplet({
  name: 'sleep',
  summary: 'Pause for NUMBER seconds; with several, for their sum',
  usage: 'sleep NUMBER[SUFFIX]...',
  help: 'SUFFIX may be \'s\' for seconds (the default), \'m\' for minutes, \'h\' for hours or \'d\' for days.\nNUMBER need not be an integer; \'inf\' sleeps until interrupted.',
  options: {},
  async run(ctx) {
    if (ctx.operands.length === 0) throw new UsageError('missing operand');
    let total = 0;
    let bad = false;
    for (const arg of ctx.operands) {
      const seconds = parseDuration(arg);
      if (seconds === undefined) {
        await ctx.stderr.write(`${ctx.name}: invalid time interval ${quote(arg)}\n`);
        bad = true;
      } else total += seconds;
    }
    if (bad) {
      await ctx.stderr.write(`Try '${ctx.name} --help' for more information.\n`);
      return 1;
    }
    return (await waitFor(total, ctx.signal)) ? 0 : abortStatus(ctx.signal);
  },
});
