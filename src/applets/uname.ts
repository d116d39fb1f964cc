// uname as GNU has it: the fields of uname(2) (Node's os module reads them), in GNU's order.
import * as os from 'node:os';
import { defineApplet } from '../core/applet.js';
import { UsageError } from '../core/errors.js';
import { fromUtf8 } from '../core/bytes.js';
import { quote } from '../core/quote.js';

export default defineApplet({
  name: 'uname',
  summary: 'Print certain system information (with no OPTION, same as -s)',
  usage: 'uname [OPTION]...',
  help: [
    '-a, --all\t\tPrint all information, in the following order, except omit -p and -i if unknown:',
    '-s, --kernel-name\tPrint the kernel name',
    '-n, --nodename\t\tPrint the network node hostname',
    '-r, --kernel-release\tPrint the kernel release',
    '-v, --kernel-version\tPrint the kernel version',
    '-m, --machine\t\tPrint the machine hardware name',
    '-p, --processor\t\tPrint the processor type (non-portable)',
    '-i, --hardware-platform\tPrint the hardware platform (non-portable)',
    '-o, --operating-system\tPrint the operating system',
  ].join('\n'),
  options: {
    a: { long: 'all' },
    s: { long: ['kernel-name', 'sysname'] },
    n: { long: 'nodename' },
    r: { long: ['kernel-release', 'release'] },
    v: { long: 'kernel-version' },
    m: { long: 'machine' },
    p: { long: 'processor' },
    i: { long: 'hardware-platform' },
    o: { long: 'operating-system' },
  },
  async run(ctx) {
    const o = ctx.opts;
    if (ctx.operands.length) throw new UsageError(`extra operand ${quote(ctx.operands[0]!)}`);
    const all = !!o.a;
    const none = !Object.values(o).some(Boolean);
    const fields: string[] = [];
    if (all || none || o.s) fields.push(os.type());
    if (all || o.n) fields.push(fromUtf8(os.hostname()));
    if (all || o.r) fields.push(os.release());
    if (all || o.v) fields.push(os.version());
    if (all || o.m) fields.push(os.machine());
    // GNU's -p and -i say "unknown" on Linux, and -a leaves unknowns out (even with -p or -i)
    if (o.p && !all) fields.push('unknown');
    if (o.i && !all) fields.push('unknown');
    if (all || o.o) fields.push('GNU/Linux');
    await ctx.stdout.write(`${fields.join(' ')}\n`);
    return 0;
  },
});
