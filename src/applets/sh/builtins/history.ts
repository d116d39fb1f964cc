// history: the interactive shell's command history, numbered.
import type { Builtin } from './index.js';

export default {
  run(sh) {
    const text = sh.history.map((line, i) => `${String(i + 1).padStart(4)} ${line}\n`).join('');
    return text ? (sh.writeOut(text)?.then(() => 0) ?? 0) : 0;
  },
} satisfies Builtin;
