// exec [CMD [ARGS]]: without a command, the redirections of `exec` stay in effect for the shell
// (the interpreter applies them for good); with one, the command replaces the shell.
import { execReplace } from '../external.js';
import type { Builtin } from './index.js';

export default {
  special: true,
  keepsRedirections: true,
  run(sh, argv) {
    let i = 1;
    if (argv[i] === '--') i++;
    if (i >= argv.length) return 0;
    const env = sh.exportedEnv().child();
    for (const [name, value] of sh.prefixAssignments) env.set(name, value);
    return execReplace(sh, argv.slice(i), env);
  },
} satisfies Builtin;
