// echo as BusyBox has it: options only as leading words made of n, e and E (`-nx` is printed), `--`
// printed; escapes only with -e. Unlike BusyBox 1.35, where -E is a no-op, the last of -e/-E wins,
// as in GNU echo and bash (the difference shows only for `echo -e -E`).
import { defineApplet } from '../core/applet.js';
import { errorText } from '../core/errors.js';

/** Expand echo -e escapes. Returns the text and whether \c cut the output short. */
export function expandEchoEscapes(s: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const e = s[++i]!;
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'c': return { text: out, stop: true };
      case 'e': out += '\x1b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case 'x': {
        const hex = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))?.[0];
        if (!hex) out += '\\x';
        else {
          out += String.fromCharCode(parseInt(hex, 16));
          i += hex.length;
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          // \0NNN and \NNN: up to three octal digits (after the optional leading 0)
          let j = e === '0' && s[i + 1] !== undefined && s[i + 1]! >= '0' && s[i + 1]! <= '7' ? i + 1 : i;
          const digits = /^[0-7]{1,3}/.exec(s.slice(j))![0];
          out += String.fromCharCode(parseInt(digits, 8) & 0xff);
          i = j + digits.length - 1;
        } else out += `\\${e}`;
    }
  }
  return { text: out, stop: false };
}

export default defineApplet({
  name: 'echo',
  summary: 'Print the arguments, separated by spaces, followed by a newline',
  usage: 'echo [-neE] [ARG]...',
  help: '-n\tNo trailing newline\n-e\tInterpret backslash escapes (\\t \\n \\c \\0NNN \\xHH ...)\n-E\tDon\'t interpret backslash escapes (default)',
  async run(ctx) {
    const args = ctx.operands;
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i]!;
      if (!/^-[neE]+$/.test(arg)) break;
      for (const letter of arg.slice(1)) {
        if (letter === 'n') newline = false;
        else escapes = letter === 'e';
      }
    }
    let text = args.slice(i).join(' ');
    if (escapes) {
      const expanded = expandEchoEscapes(text);
      text = expanded.text;
      if (expanded.stop) newline = false;
    }
    try {
      await ctx.stdout.write(newline ? `${text}\n` : text);
    } catch (err) {
      if ((err as { code?: string }).code === undefined) throw err;
      await ctx.stderr.write(`${ctx.name}: write error: ${errorText(err)}\n`).catch(() => {});
      return 1;
    }
    return 0;
  },
});
