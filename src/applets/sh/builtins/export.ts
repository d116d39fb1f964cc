// export [-p] [-n] [NAME[=VALUE]...]: mark variables for the environment of commands (or list them
// as `export NAME='value'`, sorted).
import { isName } from '../lexer.js';
import { singleQuote } from '../quote.js';
import type { Shell } from '../shell.js';
import type { Builtin } from './index.js';

/** `export`/`readonly` listing lines for variables with `flag`. */
export function listing(sh: Shell, keyword: string, has: (v: { exported?: boolean; readonly?: boolean }) => boolean): string {
  const names = [...sh.vars.keys()].filter((n) => has(sh.vars.get(n)!)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => {
    const v = sh.vars.get(n)!;
    return v.value === undefined ? `${keyword} ${n}\n` : `${keyword} ${n}=${singleQuote(v.value)}\n`;
  }).join('');
}

export default {
  special: true,
  run(sh, argv) {
    let i = 1;
    let unexport = false;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (a === '-p') continue;
      if (a === '-n') unexport = true;
      else if (a.startsWith('-') && a.length > 1) throw sh.error(`illegal option ${a}`, 'export');
      else break;
    }
    if (i >= argv.length) {
      const text = listing(sh, 'export', (v) => !!v.exported);
      return text ? (sh.writeOut(text)?.then(() => 0) ?? 0) : 0;
    }
    for (const arg of argv.slice(i)) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (!isName(name)) throw sh.error(`${name}: bad variable name`, 'export');
      if (eq !== -1) {
        if (sh.vars.get(name)?.readonly) throw sh.error(`${name}: is read only`, 'export');
        sh.set(name, arg.slice(eq + 1));
      }
      sh.setExported(name, !unexport);
    }
    return 0;
  },
} satisfies Builtin;
