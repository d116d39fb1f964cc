// getopts OPTSTRING VAR [ARG...]: the next option from ARGs (default: the positional parameters).
// OPTIND always names the argument after the one being scanned; the place inside a cluster
// (`-abc`) is remembered separately, and forgotten when OPTIND is assigned. Messages carry no
// prefix, as in ash and dash; a leading `:` in OPTSTRING (or OPTERR=0) makes getopts silent.
import { isName } from '../lexer.js';
import type { Builtin } from './index.js';

export default {
  run(sh, argv) {
    if (argv.length < 3) {
      void sh.warn('usage: getopts optstring var [arg]', 'getopts');
      return 2;
    }
    const optstring = argv[1]!;
    const varName = argv[2]!;
    const args = argv.length > 3 ? argv.slice(3) : sh.params;
    // OPTERR=0 makes it silent as a leading `:` does (ash; dash ignores OPTERR)
    const silent = optstring.startsWith(':') || sh.get('OPTERR') === '0';
    const specs = optstring.startsWith(':') ? optstring.slice(1) : optstring;
    let optind = Number(sh.get('OPTIND') ?? '1');
    if (!Number.isInteger(optind) || optind < 1) optind = 1;
    if (sh.getoptsRestart) {
      // `set --` gave new parameters: start over, whatever OPTIND says (ash, dash)
      sh.getoptsRestart = false;
      sh.getoptsState = undefined;
      optind = 1;
    }
    // Where we are: inside a cluster left by the previous call, or at the start of argument optind.
    const state = sh.getoptsState;
    let argIndex = optind;
    let char = 1;
    if (state && state.arg + 1 === optind) {
      argIndex = state.arg;
      char = state.char;
    }
    const word = args[argIndex - 1];
    const badName = !isName(varName);
    const setVar = (value: string): number => {
      if (!badName) {
        sh.set(varName, value);
        return 0;
      }
      void sh.warn(`${varName}: bad variable name`, 'getopts');
      return 2;
    };
    const stop = (nextOptind: number) => {
      sh.getoptsState = undefined;
      if (nextOptind !== optind || sh.get('OPTIND') !== String(nextOptind)) sh.set('OPTIND', String(nextOptind));
      sh.unset('OPTARG');
      return setVar('?') || 1;
    };
    if (char === 1) {
      if (word === undefined || word === '-' || !word.startsWith('-')) return stop(optind);
      if (word === '--') return stop(argIndex + 1);
    }
    const w = word!;
    const c = w[char]!;
    let nextArg = argIndex + 1;
    let nextChar = char + 1 < w.length ? char + 1 : 0;
    let optarg: string | undefined = '';
    let name = c;
    const at = c === ':' ? -1 : specs.indexOf(c);
    if (at === -1) {
      name = '?';
      if (silent) optarg = c;
      else {
        optarg = undefined;
        void sh.writeErr(`Illegal option -${c}\n`);
      }
    } else if (specs[at + 1] === ':') {
      if (nextChar) {
        optarg = w.slice(nextChar);
        nextChar = 0;
      } else if (args[nextArg - 1] !== undefined) {
        optarg = args[nextArg - 1];
        nextArg++;
      } else if (silent) {
        name = ':';
        optarg = c;
      } else {
        name = '?';
        optarg = undefined;
        void sh.writeErr(`No arg for -${c} option\n`);
      }
    }
    sh.set('OPTIND', String(nextArg));
    sh.getoptsState = nextChar ? { arg: argIndex, char: nextChar } : undefined;
    if (optarg === undefined) sh.unset('OPTARG');
    else sh.set('OPTARG', optarg);
    return setVar(name);
  },
} satisfies Builtin;
