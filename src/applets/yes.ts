// yes as GNU has it: the operands joined by spaces (or `y`), one line after another, until the
// reader goes away (status 141, quietly) or ctx.signal aborts. Writes are large: the line repeated
// to fill a buffer.
import { defineApplet } from '../core/applet.js';

const BUFFER_SIZE = 64 * 1024;

export default defineApplet({
  name: 'yes',
  summary: "Repeatedly output a line with all specified STRING(s), or 'y'",
  usage: 'yes [STRING]...',
  options: {},
  async run(ctx) {
    const line = `${ctx.operands.length ? ctx.operands.join(' ') : 'y'}\n`;
    const block = Buffer.from(line.repeat(Math.max(1, Math.floor(BUFFER_SIZE / line.length))), 'latin1');
    for (let n = 1; !ctx.signal.aborted; n++) {
      await ctx.stdout.write(block);
      // Synchronous writes never yield to timers or signals; let them in now and then.
      if ((n & 63) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return 1;
  },
});
