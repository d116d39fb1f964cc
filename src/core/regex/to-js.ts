// Syntax tree → JavaScript RegExp source over binary strings (one char per byte, no `u` flag). Every
// construct is spelled out explicitly, so JavaScript's own notions never leak in: sets are listed
// byte by byte (no `.`, no `\s`, which would match U+00A0), case folding is done in the sets (the `i`
// flag would fold é/É, which the C locale does not), anchors are lookarounds where lines end inside
// the subject.
import type { ByteSet } from './charset.js';
import type { Assertion, Node } from './parse.js';

/** Where the subject's lines and records end, for the anchors. */
export interface MatchEnv {
  /** A byte that separates records inside the subject (grep searches a buffer of many lines): no set
   *  matches it, and ^ $ \` \' match next to it as at the ends of the subject. */
  separator?: number;
  /** ^ and $ also match next to a newline (sed's M flag). */
  anchorsAtNewline?: boolean;
  /** The RegExp gets the `i` flag (only for patterns of ASCII bytes, where JavaScript folds case as
   *  the C locale does): a letter with its other case is written as the letter alone. */
  caseFlag?: boolean;
}

function hex(c: number): string {
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

function charSource(c: number): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) {
    return String.fromCharCode(c);
  }
  return hex(c);
}

/** A set as a JavaScript class; `[]` never matches, `[^]` matches any byte. */
export function setSource(set: ByteSet, env: MatchEnv): string {
  const members: [number, number][] = [];
  let count = 0;
  for (let c = 0; c < 256; c++) {
    if (!set[c] || c === env.separator) continue;
    count++;
    const last = members[members.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else members.push([c, c]);
  }
  if (count === 1) return charSource(members[0]![0]);
  if (count === 2 && env.caseFlag && members.length === 2) {
    const [a, b] = [members[0]![0], members[1]![0]];
    if (a >= 0x41 && a <= 0x5a && b === a + 32) return charSource(b);
  }
  if (count === 256) return '[^]';
  let body = '';
  for (const [from, to] of members) {
    body += hex(from);
    if (to > from) body += (to > from + 1 ? '-' : '') + hex(to);
  }
  return `[${body}]`;
}

function lineBreaks(env: MatchEnv, newline: boolean): string {
  let chars = '';
  if (env.separator !== undefined) chars += hex(env.separator);
  if (newline && env.separator !== 0x0a) chars += '\\n';
  return chars;
}

export function assertionSource(kind: Assertion, env: MatchEnv): string {
  switch (kind) {
    case 'bol': {
      const breaks = lineBreaks(env, !!env.anchorsAtNewline);
      return breaks ? `(?<![^${breaks}])` : '^';
    }
    case 'eol': {
      const breaks = lineBreaks(env, !!env.anchorsAtNewline);
      return breaks ? `(?![^${breaks}])` : '$';
    }
    case 'bob': {
      const breaks = lineBreaks(env, false);
      return breaks ? `(?<![^${breaks}])` : '(?<![^])';
    }
    case 'eob': {
      const breaks = lineBreaks(env, false);
      return breaks ? `(?![^${breaks}])` : '(?![^])';
    }
    case 'word':
      return '\\b';
    case 'notword':
      return '\\B';
    case 'wordstart':
      return '\\b(?=\\w)';
    case 'wordend':
      return '\\b(?<=\\w)';
    case 'nowordbefore':
      return '(?<!\\w)';
    case 'nowordafter':
      return '(?!\\w)';
  }
}

/** JavaScript source for a node. `atom` asks for something a quantifier can follow. */
export function toJs(node: Node, env: MatchEnv, atom = false): string {
  switch (node.type) {
    case 'set':
      return setSource(node.set, env);
    case 'empty':
      return '(?:)';
    case 'assert':
      return atom ? `(?:${assertionSource(node.kind, env)})` : assertionSource(node.kind, env);
    case 'backref':
      return `(?:\\${node.index})`;
    case 'group':
      return `(${toJs(node.body, env)})`;
    case 'cat': {
      const body = node.items.map((n) => toJs(n, env)).join('');
      return atom ? `(?:${body})` : body;
    }
    case 'alt':
      return `(?:${node.alts.map((n) => toJs(n, env)).join('|')})`;
    case 'repeat': {
      const { min, max } = node;
      const q =
        min === 0 && max === Infinity
          ? '*'
          : min === 1 && max === Infinity
            ? '+'
            : min === 0 && max === 1
              ? '?'
              : max === Infinity
                ? `{${min},}`
                : min === max
                  ? `{${min}}`
                  : `{${min},${max}}`;
      // A quantified quantifier needs its own group: `a+?` would be lazy, not (a+)?.
      const body = node.body.type === 'repeat' ? `(?:${toJs(node.body, env)})` : toJs(node.body, env, true);
      return body + q;
    }
  }
}

const isSingleChar = (n: Node) => n.type === 'set';

/** Whether the leftmost match JavaScript finds (first in priority order) is also the longest, so its
 *  extent and groups are what POSIX/glibc report. True for concatenations of characters, sets,
 *  quantified single characters, anchors and unquantified groups of those, and for an alternation of
 *  fixed-length strings (put longest first by `reorderForLongest`) when nothing but assertions follow
 *  it and only fixed-length items precede it. */
export function jsIsLongest(node: Node): boolean {
  return exactIn(node, true, true);
}

function exactIn(node: Node, tail: boolean, fixedBefore: boolean): boolean {
  switch (node.type) {
    case 'set':
    case 'empty':
    case 'assert':
      return true;
    case 'backref':
      return false;
    case 'group':
      return exactIn(node.body, tail, fixedBefore);
    case 'repeat':
      return isSingleChar(node.body);
    case 'cat': {
      let fixed = fixedBefore;
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i]!;
        const restIsZeroWidth = node.items.slice(i + 1).every(isZeroWidth);
        if (!exactIn(item, tail && restIsZeroWidth, fixed)) return false;
        fixed = fixed && fixedLength(item) >= 0;
      }
      return true;
    }
    case 'alt':
      return tail && fixedBefore && node.alts.every((a) => fixedLength(a) >= 0 && !hasGroup(a));
  }
}

function isZeroWidth(node: Node): boolean {
  return node.type === 'assert' || node.type === 'empty';
}

/** The length every match of node has, or -1 if it varies (or cannot be known). */
export function fixedLength(node: Node): number {
  switch (node.type) {
    case 'set':
      return 1;
    case 'empty':
    case 'assert':
      return 0;
    case 'backref':
      return -1;
    case 'group':
      return fixedLength(node.body);
    case 'repeat': {
      if (node.min !== node.max) return -1;
      const n = fixedLength(node.body);
      return n < 0 ? -1 : n * node.min;
    }
    case 'cat': {
      let total = 0;
      for (const item of node.items) {
        const n = fixedLength(item);
        if (n < 0) return -1;
        total += n;
      }
      return total;
    }
    case 'alt': {
      const lengths = node.alts.map(fixedLength);
      return lengths.every((n) => n === lengths[0]) ? lengths[0]! : -1;
    }
  }
}

function hasGroup(node: Node): boolean {
  switch (node.type) {
    case 'group':
      return true;
    case 'cat':
      return node.items.some(hasGroup);
    case 'alt':
      return node.alts.some(hasGroup);
    case 'repeat':
      return hasGroup(node.body);
    default:
      return false;
  }
}

/** Alternations of fixed-length strings, longest first (stable), so JavaScript's first choice is the
 *  longest; only where jsIsLongest allows it, so group numbering never changes. */
export function reorderForLongest(node: Node): Node {
  switch (node.type) {
    case 'alt': {
      const alts = node.alts
        .map((a, i) => ({ a, i, n: fixedLength(a) }))
        .sort((x, y) => y.n - x.n || x.i - y.i)
        .map((x) => x.a);
      return { type: 'alt', alts };
    }
    case 'group':
      return { ...node, body: reorderForLongest(node.body) };
    case 'cat':
      return { ...node, items: node.items.map(reorderForLongest) };
    default:
      return node;
  }
}
