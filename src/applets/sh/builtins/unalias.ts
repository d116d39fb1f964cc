// unalias [-a] NAME...: remove aliases (-a: all of them).
import type { Builtin } from './index.js';

export default {
  run(sh, argv) {
    let status = 0;
    for (const name of argv.slice(1)) {
      if (name === '-a') {
        sh.aliases.clear();
        continue;
      }
      if (!sh.aliases.delete(name)) {
        void sh.writeErr(`unalias: ${name} not found\n`);
        status = 1;
      }
    }
    return status;
  },
} satisfies Builtin;
