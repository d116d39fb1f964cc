// continue [N]: the next iteration of the Nth enclosing loop.
import { Skip } from '../shell.js';
import type { Builtin } from './index.js';
import { number } from './util.js';

export default {
  special: true,
  run(sh, argv) {
    const n = argv.length > 1 ? number(sh, 'continue', argv[1]!) : 1;
    if (n === 0) throw sh.error(`Illegal number: ${argv[1]}`, 'continue');
    if (sh.loopDepth === 0) return 0;
    sh.skip = Skip.Continue;
    sh.skipCount = Math.min(n, sh.loopDepth);
    return 0;
  },
} satisfies Builtin;
