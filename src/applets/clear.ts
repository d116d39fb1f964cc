// clear as BusyBox has it: cursor home, clear to the end of the screen.
import { defineApplet } from '../core/applet.js';

export default defineApplet({
  name: 'clear',
  summary: 'Clear the screen',
  usage: 'clear',
  options: {},
  style: 'busybox',
  async run(ctx) {
    await ctx.stdout.write('\x1b[H\x1b[J');
    return 0;
  },
});
