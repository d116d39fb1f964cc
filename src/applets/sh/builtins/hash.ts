// hash [-r] [NAME...]: remember where commands are (and list what is remembered).
import { searchPath } from '../external.js';
import type { Builtin } from './index.js';

export default {
  run(sh, argv) {
    const args = argv.slice(1);
    if (args[0] === '-r') {
      sh.hashed.clear();
      args.shift();
    }
    if (args.length === 0) {
      if (argv.length > 1) return 0;
      const lines = [...sh.hashed.values()].map((p) => `${p}\n`).join('');
      return lines ? (sh.writeOut(lines)?.then(() => 0) ?? 0) : 0;
    }
    let status = 0;
    for (const name of args) {
      if (name.includes('/')) continue;
      if (searchPath(sh, name) === undefined) {
        void sh.warn(`${name}: not found`, 'hash');
        status = 1;
      }
    }
    return status;
  },
} satisfies Builtin;
