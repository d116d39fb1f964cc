// let EXPR...: evaluate arithmetic; status 1 when the last value is 0.
import { evalArith } from '../expand.js';
import type { Builtin } from './index.js';

export default {
  run(sh, argv) {
    if (argv.length < 2) {
      void sh.warn('expression expected', 'let');
      return 2;
    }
    let last: number | bigint = 0;
    for (const expr of argv.slice(1)) last = evalArith(sh, expr);
    return last === 0 || last === 0n ? 1 : 0;
  },
} satisfies Builtin;
