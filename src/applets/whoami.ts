// whoami as GNU has it: the name of the effective user, from the root's /etc/passwd.
import { defineApplet } from '../core/applet.js';
import { AppletError, UsageError } from '../core/errors.js';
import { userByUid } from '../core/ids.js';
import { quote } from '../core/quote.js';

export default defineApplet({
  name: 'whoami',
  summary: 'Print the user name associated with the current effective user ID',
  usage: 'whoami [OPTION]...',
  options: {},
  async run(ctx) {
    if (ctx.operands.length) throw new UsageError(`extra operand ${quote(ctx.operands[0]!)}`);
    const uid = ctx.host.euid();
    const user = userByUid(uid);
    if (!user) throw new AppletError(`cannot find name for user ID ${uid}`);
    await ctx.stdout.write(`${user.name}\n`);
    return 0;
  },
});
