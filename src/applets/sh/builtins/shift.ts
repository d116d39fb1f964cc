// shift [N]: drop the first N positional parameters; more than there are: status 1, nothing shifted.
import type { Builtin } from './index.js';
import { number } from './util.js';

export default {
  special: true,
  run(sh, argv) {
    const n = argv.length > 1 ? number(sh, 'shift', argv[1]!) : 1;
    if (n > sh.params.length) return 1;
    sh.params = sh.params.slice(n);
    return 0;
  },
} satisfies Builtin;
