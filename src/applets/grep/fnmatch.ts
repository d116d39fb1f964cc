// fnmatch(3) without flags, as GNU grep's --include/--exclude use it: `*` and `?` match any byte
// including `/` and a leading `.`, `[...]` is a bracket expression, `\` quotes. (core/glob.ts, when it
// lands from the ls/find work, can replace this.)
import { addClass, emptySet, invert } from '../../core/regex/charset.js';
import { byteClassSource } from '../../core/regex.js';

const cache = new Map<string, RegExp>();

export function fnmatch(pattern: string, name: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${globSource(pattern)}$`);
    cache.set(pattern, re);
  }
  return re.test(name);
}

function literal(c: number): string {
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

function globSource(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') out += '[^]*';
    else if (c === '?') out += '[^]';
    else if (c === '\\' && i + 1 < p.length) out += literal(p.charCodeAt(++i));
    else if (c === '[') {
      const bracket = parseBracket(p, i + 1);
      if (bracket) {
        out += bracket.source;
        i = bracket.end;
      } else out += literal(0x5b);
    } else out += literal(p.charCodeAt(i));
  }
  return out;
}

/** A bracket expression starting after `[`: its source and the index of its `]`; null if unclosed. */
function parseBracket(p: string, start: number): { source: string; end: number } | null {
  let set = emptySet();
  let i = start;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  let first = true;
  for (; i < p.length; first = false) {
    let c = p.charCodeAt(i);
    if (c === 0x5d && !first) {
      if (negate) set = invert(set);
      return { source: byteClassSource(set), end: i };
    }
    if (c === 0x5b && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      if (close >= 0 && addClass(set, p.slice(i + 2, close))) {
        i = close + 2;
        continue;
      }
    }
    if (c === 0x5c && i + 1 < p.length) c = p.charCodeAt(++i);
    i++;
    if (p[i] === '-' && i + 1 < p.length && p[i + 1] !== ']') {
      let to = p.charCodeAt(i + 1);
      i += 2;
      if (to === 0x5c && i < p.length) to = p.charCodeAt(i++);
      for (let x = c; x <= to; x++) set[x] = 1;
    } else set[c] = 1;
  }
  return null;
}
