// set: list variables; set [-+abCefhmnuvx] [-+o NAME] [--] [ARG...]: options and positional parameters.
import { singleQuote } from '../quote.js';
import { OPTION_NAMES, type OptionName, type Shell } from '../shell.js';
import type { Builtin } from './index.js';

const BY_LETTER = new Map<string, OptionName>(OPTION_NAMES.filter(([, l]) => l).map(([n, l]) => [l, n]));

function list(sh: Shell): string {
  const names = [...sh.vars.keys()].filter((n) => sh.vars.get(n)!.value !== undefined || n === 'LINENO');
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => `${n}=${singleQuote(sh.get(n) ?? '')}\n`).join('');
}

/** Apply one option by name; false if there is no such option. */
export function setOption(sh: Shell, name: string, on: boolean): boolean {
  if (!OPTION_NAMES.some(([n]) => n === name)) return false;
  sh.opts[name as OptionName] = on;
  return true;
}

export default {
  special: true,
  run(sh, argv) {
    if (argv.length === 1) {
      const w = sh.writeOut(list(sh));
      return w ? w.then(() => 0) : 0;
    }
    let i = 1;
    let params: string[] | undefined;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        params = argv.slice(i + 1);
        break;
      }
      if (a === '-' || a === '+') {
        // `set -` turns off -x and -v (historical)
        if (a === '-') {
          sh.opts.xtrace = false;
          sh.opts.verbose = false;
        }
        params = argv.slice(i + 1);
        if (params.length === 0) params = undefined;
        break;
      }
      const on = a[0] === '-';
      if (a[0] !== '-' && a[0] !== '+') {
        params = argv.slice(i);
        break;
      }
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        if (c === 'o') {
          const name = argv[i + 1];
          if (name === undefined || name.startsWith('-') || name.startsWith('+')) {
            const out = OPTION_NAMES.map(([n]) => (on ? `${n.padEnd(16)}${sh.opts[n] ? 'on' : 'off'}\n` : `set ${sh.opts[n] ? '-' : '+'}o ${n}\n`)).join('');
            const w = sh.writeOut(out);
            if (w) return w.then(() => 0);
            continue;
          }
          i++;
          if (!setOption(sh, name, on)) {
            void sh.warn(`illegal option ${on ? '-' : '+'}o ${name}`, 'set');
            return 1;
          }
          continue;
        }
        const name = BY_LETTER.get(c);
        if (!name) throw sh.error(`illegal option ${on ? '-' : '+'}${c}`, 'set');
        sh.opts[name] = on;
      }
    }
    if (params) {
      sh.params = params;
      sh.getoptsRestart = true;
    }
    return 0;
  },
} satisfies Builtin;
