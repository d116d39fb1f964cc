// eval ARGS: run the arguments, joined by spaces, as shell text.
import { runText } from '../script.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  run(sh, argv) {
    if (argv.length < 2) return 0;
    // Errors of the commands run are reported as eval's (ash: `sh: eval: line 0: x: not found`).
    const saved = sh.commandName;
    sh.commandName = 'eval';
    const restore = () => {
      sh.commandName = saved;
    };
    let r: number | Promise<number>;
    try {
      r = runText(sh, argv.slice(1).join(' '), { firstLine: sh.lineno, context: 'eval' });
    } catch (err) {
      restore();
      throw err;
    }
    if (typeof r === 'number') {
      restore();
      return r;
    }
    return r.finally(restore);
  },
} satisfies Builtin;
