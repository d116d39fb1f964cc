// break [N]: leave N enclosing loops (outside a loop: nothing, status 0, as ash).
import { Skip } from '../shell.js';
import type { Builtin } from './index.js';
import { number } from './util.js';

export default {
  special: true,
  run(sh, argv) {
    const n = argv.length > 1 ? number(sh, 'break', argv[1]!) : 1;
    if (n === 0) throw sh.error(`Illegal number: ${argv[1]}`, 'break');
    if (sh.loopDepth === 0) return 0;
    sh.skip = Skip.Break;
    sh.skipCount = Math.min(n, sh.loopDepth);
    return 0;
  },
} satisfies Builtin;
