// nproc as GNU has it: processing units available to this process (its CPU affinity), or all
// installed (--all); OMP_NUM_THREADS and OMP_THREAD_LIMIT honoured; --ignore=N subtracted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { defineApplet } from '../core/applet.js';
import { AppletError, UsageError } from '../core/errors.js';
import { quote } from '../core/quote.js';

/** CPUs the kernel knows of (sysconf(_SC_NPROCESSORS_CONF)): /sys's `present` list. */
function installedCpus(): number {
  try {
    const list = fs.readFileSync('/sys/devices/system/cpu/present', 'latin1').trim();
    let n = 0;
    for (const range of list.split(',')) {
      const [a, b] = range.split('-').map(Number);
      n += b === undefined ? 1 : b - a! + 1;
    }
    if (n > 0) return n;
  } catch {
    // not Linux's /sys
  }
  return os.cpus().length || 1;
}

/** The first number of an OMP_* variable (`4,2` → 4), if it is a positive one. */
function ompValue(value: string | undefined): number | undefined {
  const m = /^\s*\+?(\d+)\s*(,|$)/.exec(value ?? '');
  const n = m ? Number(m[1]) : 0;
  return n > 0 ? n : undefined;
}

export default defineApplet({
  name: 'nproc',
  summary: 'Print the number of processing units available to the current process',
  usage: 'nproc [OPTION]...',
  help: '    --all\t\tPrint the number of installed processors\n    --ignore=N\t\tIf possible, exclude N processing units',
  options: { all: {}, ignore: { arg: 'string' } },
  async run(ctx) {
    if (ctx.operands.length) throw new UsageError(`extra operand ${quote(ctx.operands[0]!)}`);
    let ignore = 0;
    if (ctx.opts.ignore !== undefined) {
      if (!/^\s*\+?\d+$/.test(ctx.opts.ignore)) throw new AppletError(`invalid number: ${quote(ctx.opts.ignore)}`);
      ignore = Number(ctx.opts.ignore);
    }
    let n: number;
    if (ctx.opts.all) n = installedCpus();
    else {
      n = ompValue(ctx.env.get('OMP_NUM_THREADS')) ?? os.availableParallelism();
      const limit = ompValue(ctx.env.get('OMP_THREAD_LIMIT'));
      if (limit !== undefined) n = Math.min(n, limit);
    }
    await ctx.stdout.write(`${Math.max(1, n - ignore)}\n`);
    return 0;
  },
});
