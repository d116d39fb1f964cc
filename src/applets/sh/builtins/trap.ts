// trap [ACTION] SIGNAL...: run ACTION when the signal arrives (EXIT: when the shell ends); `-`
// resets, '' ignores; without arguments, lists the traps as `trap -- 'action' NAME`.
import { singleQuote } from '../quote.js';
import { setTrap, trapName, trapNumber } from '../traps.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  run(sh, argv) {
    let i = 1;
    if (argv[i] === '--') i++;
    else if (argv[i]?.startsWith('-') && argv[i] !== '-' && argv[i]!.length > 1) throw sh.error(`illegal option ${argv[i]}`, 'trap');
    const args = argv.slice(i);
    if (args.length === 0) {
      const traps = sh.trapsShown ?? sh.traps;
      let out = '';
      traps.forEach((action, n) => {
        if (action !== undefined) out += `trap -- ${singleQuote(action)} ${trapName(n)}\n`;
      });
      return out ? (sh.writeOut(out)?.then(() => 0) ?? 0) : 0;
    }
    let action: string | undefined = args[0]!;
    let signals = args.slice(1);
    // A lone operand, or a first operand that is a number, resets (POSIX).
    if (signals.length === 0 || /^[0-9]+$/.test(action)) {
      signals = args;
      action = undefined;
    } else if (action === '-') action = undefined;
    let status = 0;
    for (const spec of signals) {
      const n = trapNumber(spec);
      if (n === undefined) {
        void sh.warn(`${spec}: invalid signal specification`, 'trap');
        status = 1;
        continue;
      }
      setTrap(sh, n, action);
    }
    return status;
  },
} satisfies Builtin;
