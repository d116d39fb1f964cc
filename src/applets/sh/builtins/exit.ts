// exit [N]: end the shell (or subshell) with status N, default $? (in a trap: $? when the trap
// started); N is taken modulo 256.
import { ShellExit } from '../errors.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  run(sh, argv) {
    let status = sh.trapEntryStatus ?? sh.status;
    if (argv.length > 1) {
      const arg = argv[1]!;
      if (!/^[0-9]+$/.test(arg)) throw sh.error(`Illegal number: ${arg}`, 'exit');
      status = Number(BigInt(arg) & 255n);
    }
    sh.exiting = true;
    throw new ShellExit(status);
  },
} satisfies Builtin;
