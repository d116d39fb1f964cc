// printf FORMAT [ARG...]: the printf applet's formatting in its BusyBox ash dialect (`invalid
// number 'x'`, `%z: invalid format`, a missing number silently 0 as dash has it). Output and
// messages go out in the order they happen, as the C builtin's flushes put them; the common case
// (no message) is one synchronous write.
import { printfEvents } from '../../printf.js';
import type { Builtin } from './index.js';

const ASH = { dialect: 'ash' } as const;

export default {
  run(sh, argv) {
    let i = 1;
    if (argv[i] === '--') i++;
    const format = argv[i];
    if (format === undefined) {
      const w = sh.writeErr(`${sh.arg0}: usage: printf FORMAT [ARGUMENT...]\n`);
      return w ? w.then(() => 2) : 2;
    }
    const { events, status } = printfEvents(format, argv.slice(i + 1), ASH);
    if (events.length <= 1 && (events.length === 0 || 'out' in events[0]!)) {
      const out = events[0] && 'out' in events[0] ? events[0].out : '';
      const w = out ? sh.writeOut(out) : undefined;
      return w ? w.then(() => status) : status;
    }
    return (async () => {
      for (const e of events) {
        if ('out' in e) await sh.writeOut(e.out);
        else await sh.writeErr(`${sh.arg0}: ${e.err}\n`);
      }
      return status;
    })();
  },
} satisfies Builtin;
