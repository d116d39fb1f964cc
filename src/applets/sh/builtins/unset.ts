// unset [-v|-f] NAME...: remove variables (default) or functions.
import { isName } from '../lexer.js';
import type { Builtin } from './index.js';
import { options } from './util.js';

export default {
  special: true,
  run(sh, argv) {
    const o = options(sh, 'unset', argv, 'vf', true);
    if (typeof o === 'number') return o;
    const functions = o.set.has('f') && !o.set.has('v');
    for (const name of argv.slice(o.rest)) {
      if (functions) {
        sh.removeFunction(name);
        continue;
      }
      if (!isName(name)) throw sh.error(`${name}: bad variable name`, 'unset');
      sh.unset(name);
    }
    return 0;
  },
} satisfies Builtin;
