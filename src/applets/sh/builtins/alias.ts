// alias [NAME[=VALUE]...]: define aliases, or print them as NAME='value'.
import { singleQuote } from '../quote.js';
import type { Builtin } from './index.js';

export default {
  run(sh, argv) {
    let out = '';
    let status = 0;
    if (argv.length === 1) {
      for (const [name, value] of sh.aliases) out += `${name}=${singleQuote(value)}\n`;
    }
    for (const arg of argv.slice(1)) {
      const eq = arg.indexOf('=');
      if (eq > 0) {
        sh.aliases.set(arg.slice(0, eq), arg.slice(eq + 1));
        continue;
      }
      const value = sh.aliases.get(arg);
      if (value === undefined) {
        void sh.writeErr(`alias: ${arg} not found\n`);
        status = 1;
      } else out += `${arg}=${singleQuote(value)}\n`;
    }
    if (!out) return status;
    const w = sh.writeOut(out);
    return w ? w.then(() => status) : status;
  },
} satisfies Builtin;
