// umask [-S] [MODE]: the file-creation mask, shown as 0022 (or u=rwx,g=rx,o=rx with -S), set from
// an octal number or a chmod-style symbolic mode (which says what to allow).
import { applyMode } from '../../../core/mode.js';
import type { Builtin } from './index.js';

function symbolic(mask: number): string {
  const allowed = ~mask & 0o777;
  const part = (shift: number) => (allowed >> shift & 4 ? 'r' : '') + (allowed >> shift & 2 ? 'w' : '') + (allowed >> shift & 1 ? 'x' : '');
  return `u=${part(6)},g=${part(3)},o=${part(0)}`;
}

export default {
  run(sh, argv) {
    let i = 1;
    let showSymbolic = false;
    if (argv[i] === '-S') {
      showSymbolic = true;
      i++;
    }
    const spec = argv[i];
    if (spec === undefined) {
      const text = showSymbolic ? symbolic(sh.umask) : sh.umask.toString(8).padStart(4, '0');
      const w = sh.writeOut(`${text}\n`);
      return w ? w.then(() => 0) : 0;
    }
    let mask: number;
    if (/^[0-7]+$/.test(spec)) mask = parseInt(spec, 8) & 0o777;
    else if (/^[0-9]/.test(spec)) {
      void sh.warn(`illegal mode: ${spec}`, 'umask');
      return 2;
    } else {
      try {
        mask = ~applyMode(spec, ~sh.umask & 0o777, { isDir: true }) & 0o777;
      } catch {
        void sh.warn(`illegal mode: ${spec}`, 'umask');
        return 2;
      }
    }
    sh.setUmask(mask);
    return 0;
  },
} satisfies Builtin;
