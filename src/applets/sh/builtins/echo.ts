// echo with BusyBox ash's rules: options only as leading words made of n, e and E; escapes only
// with -e (see applets/echo.ts, whose escape handling this shares).
import { expandEchoEscapes } from '../../echo.js';
import type { Builtin } from './index.js';

const OPTION = /^-[neE]+$/;

export default {
  run(sh, argv) {
    let newline = true;
    let escapes = false;
    let i = 1;
    for (; i < argv.length; i++) {
      const arg = argv[i]!;
      if (!OPTION.test(arg)) break;
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k];
        if (letter === 'n') newline = false;
        else escapes = letter === 'e';
      }
    }
    let text = i === argv.length - 1 ? argv[i]! : argv.slice(i).join(' ');
    if (escapes) {
      const expanded = expandEchoEscapes(text);
      text = expanded.text;
      if (expanded.stop) newline = false;
    }
    const w = sh.writeOut(newline ? `${text}\n` : text);
    return w ? w.then(() => 0) : 0;
  },
} satisfies Builtin;
