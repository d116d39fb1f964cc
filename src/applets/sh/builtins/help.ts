// help: the builtins, as ash lists them.
import { BUILTINS, type Builtin } from './index.js';

export default {
  run(sh) {
    const names = [...BUILTINS.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const lines: string[] = [];
    let line = '';
    for (const name of names) {
      if (line && line.length + 1 + name.length > 65) {
        lines.push(line);
        line = name;
      } else line = line ? `${line} ${name}` : name;
    }
    if (line) lines.push(line);
    const text = `Built-in commands:\n------------------\n${lines.map((l) => `\t${l}\n`).join('')}`;
    return sh.writeOut(text)?.then(() => 0) ?? 0;
  },
} satisfies Builtin;
