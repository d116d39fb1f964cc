// pwd [-L|-P]: the working directory, as $PWD knows it (-L) or with symbolic links resolved (-P).
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Builtin } from './index.js';

export default {
  run(sh, argv) {
    let physical = false;
    for (const a of argv.slice(1)) {
      if (a === '-P') physical = true;
      else if (a === '-L') physical = false;
      else break;
    }
    let dir = sh.cwd;
    if (physical) {
      try {
        dir = fs.realpathSync(fsPath(dir), { encoding: 'latin1' });
      } catch {
        // keep the logical name
      }
    }
    const w = sh.writeOut(`${dir}\n`);
    return w ? w.then(() => 0) : 0;
  },
} satisfies Builtin;
