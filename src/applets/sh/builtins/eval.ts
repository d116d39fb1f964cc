// eval ARGS: run the arguments, joined by spaces, as shell text.
import { runText } from '../script.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  run(sh, argv) {
    if (argv.length < 2) return 0;
    return runText(sh, argv.slice(1).join(' '), { firstLine: sh.lineno, context: 'eval' });
  },
} satisfies Builtin;
