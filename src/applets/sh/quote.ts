import { RESERVED } from './ast.js';

// Quoting words for output that the shell can read back (set, export -p, trap, alias, set -x).

/** ash's single_quote(): runs of `'` in double quotes, everything else in single quotes. */
export function singleQuote(s: string): string {
  if (s === '') return "''";
  let out = '';
  let i = 0;
  while (i < s.length) {
    let j = i;
    if (s[i] === "'") {
      while (j < s.length && s[j] === "'") j++;
      out += `"${s.slice(i, j)}"`;
    } else {
      while (j < s.length && s[j] !== "'") j++;
      out += `'${s.slice(i, j)}'`;
    }
    i = j;
  }
  return out;
}

/** ash's maybe_single_quote() (set -x): quote only words with characters the shell would take
 *  specially; `+,-./0-9:@A-Z]^_a-z` are left alone (and the empty word stays empty). Reserved words
 *  are quoted too. */
export function maybeQuote(s: string): string {
  if (RESERVED.has(s)) return singleQuote(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x2b || (c >= 0x3b && c <= 0x3f) || c === 0x60 || c === 0x5b || c === 0x5c || c > 0x7a) return singleQuote(s);
  }
  return s;
}
