// local [NAME[=VALUE] | -]...: variables (and with `-`, options) restored when the function returns.
// Scoping is dynamic: functions called from here see and change these.
import { isName } from '../lexer.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  run(sh, argv) {
    if (sh.funcDepth === 0) throw sh.error('not in a function', 'local');
    for (const arg of argv.slice(1)) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (name !== '-' && !isName(name)) throw sh.error(`${name}: bad variable name`, 'local');
      sh.makeLocal(name, eq === -1 ? undefined : arg.slice(eq + 1));
    }
    return 0;
  },
} satisfies Builtin;
