// return [N]: leave the function (or sourced file) with status N (default: $?). At the top level
// of a script it ends the script, as in ash and dash.
import { ShellExit } from '../errors.js';
import { Skip } from '../shell.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  run(sh, argv) {
    let status = sh.status;
    if (argv.length > 1) {
      const arg = argv[1]!;
      if (!/^-?[0-9]+$/.test(arg)) throw sh.error(`Illegal number: ${arg}`, 'return');
      status = Number(arg) & 255;
    }
    if (sh.funcDepth === 0 && sh.sourceDepth === 0) throw new ShellExit(status);
    sh.skip = Skip.Return;
    sh.status = status;
    return status;
  },
} satisfies Builtin;
