// readonly [-p] [NAME[=VALUE]...]: make variables unchangeable (or list them).
import { isName } from '../lexer.js';
import { listing } from './export.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  run(sh, argv) {
    let i = 1;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (a === '-p') continue;
      if (a.startsWith('-') && a.length > 1) throw sh.error(`illegal option ${a}`, 'readonly');
      break;
    }
    if (i >= argv.length) {
      const text = listing(sh, 'readonly', (v) => !!v.readonly);
      return text ? (sh.writeOut(text)?.then(() => 0) ?? 0) : 0;
    }
    for (const arg of argv.slice(i)) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (!isName(name)) throw sh.error(`${name}: bad variable name`, 'readonly');
      if (eq !== -1) {
        if (sh.vars.get(name)?.readonly) throw sh.error(`${name}: is read only`, 'readonly');
        sh.set(name, arg.slice(eq + 1));
      }
      sh.variable(name).readonly = true;
    }
    return 0;
  },
} satisfies Builtin;
