// The shared POSIX regular-expression layer (grep, sed, expr, later awk). Patterns are parsed with
// glibc's rules (regex/parse.ts) and compiled to JavaScript RegExps over binary strings
// (regex/to-js.ts), which find the leftmost match fast. POSIX wants the leftmost-*longest* match,
// and glibc's groups for it; where JavaScript's first match could differ (alternations, repeated
// groups, back-references) a backtracking matcher (regex/vm.ts) extends the match JavaScript found
// to the longest one and recomputes the groups. Only the extent of a match needs this: whether a
// line matches at all is the same under both rules, so grep's line selection never pays for it.
import { type DfaVerdict, dfaCheck, type Node, parseRegex, POSIX_BASIC, POSIX_EXTENDED, Syntax } from './regex/parse.js';
import { type MatchEnv, jsIsLongest, reorderForLongest, setSource, toJs } from './regex/to-js.js';
import { canBeEmpty, Program } from './regex/vm.js';

export { POSIX_BASIC, POSIX_EXTENDED, RegexSyntaxError, Syntax } from './regex/parse.js';
export type { DfaVerdict, MatchEnv };

/** Whose rules decide what is special, literal or an error (glibc syntax bits as each tool sets them). */
export type RegexDialect = 'grep' | 'sed' | 'sed-posix' | 'expr';

/** glibc syntax bits for a tool's BRE or ERE. */
export function syntaxFor(dialect: RegexDialect, extended: boolean): number {
  const S = Syntax;
  switch (dialect) {
    case 'grep': // RE_SYNTAX_GREP / RE_SYNTAX_EGREP
      return extended
        ? (POSIX_EXTENDED | S.INVALID_INTERVAL_ORD | S.NEWLINE_ALT) & ~S.CONTEXT_INVALID_OPS
        : (POSIX_BASIC | S.NEWLINE_ALT) & ~S.CONTEXT_INVALID_DUP;
    case 'sed': // GNU sed 4.9: POSIX syntax; an unmatched `)` in ERE is an error
      return extended ? POSIX_EXTENDED & ~S.UNMATCHED_RIGHT_PAREN_ORD : POSIX_BASIC;
    case 'sed-posix': // sed --posix: no GNU operators, no \+ \? \| in BRE
      return extended
        ? POSIX_EXTENDED | S.NO_GNU_OPS
        : POSIX_BASIC | S.UNMATCHED_RIGHT_PAREN_ORD | S.NO_GNU_OPS | S.LIMITED_OPS;
    case 'expr': // coreutils expr: BRE, `a**` and empty ranges allowed
      return POSIX_BASIC & ~S.CONTEXT_INVALID_DUP & ~S.NO_EMPTY_RANGES;
  }
}

export interface RegexOptions {
  /** ERE (grep -E, sed -E) instead of BRE. */
  extended?: boolean;
  /** Default 'sed' (plain POSIX syntax with GNU operators). */
  dialect?: RegexDialect;
  /** glibc syntax bits, for a tool that takes them from its user (find -regextype); overrides
   *  dialect and extended. */
  syntax?: number;
  /** Case-insensitive, as the C locale folds: A–Z with a–z only. */
  ignoreCase?: boolean;
  /** sed's M flag: ^ and $ also match around embedded newlines, and neither `.` nor `[^…]` matches a
   *  newline. */
  multiline?: boolean;
  /** grep's record separator ('\n', or '\0' under -z): subjects are buffers of many records; nothing
   *  matches the separator, and ^ $ match next to it. */
  separator?: string;
  /** grep -w: the match must not touch a word character on either side. */
  wordMatch?: boolean;
  /** grep -x: the match must be a whole record. */
  lineMatch?: boolean;
  /** Parse as GNU's dfa.c where it differs from regcomp: grep selects lines that way (see
   *  regex/parse.ts), but reports match extents (-o, --color) with regcomp's reading. The dfa hands
   *  patterns with back-references or [= =] / [. .] to regcomp, so those keep regcomp's reading. */
  dfaGrammar?: boolean;
}

/** The syntax bits options ask for (sed's M flag: `.` and `[^…]` stop at newlines). */
function syntaxOf(options: RegexOptions): number {
  const syntax = options.syntax ?? syntaxFor(options.dialect ?? 'sed', !!options.extended);
  return options.multiline ? (syntax & ~Syntax.DOT_NEWLINE) | Syntax.HAT_LISTS_NOT_NEWLINE : syntax;
}

/** Check that a pattern compiles (grep reports each bad pattern on its own); throws RegexSyntaxError. */
export function checkPattern(pattern: string, options: RegexOptions = {}): void {
  parseRegex(pattern, { syntax: syntaxOf(options), ignoreCase: options.ignoreCase });
}

/** A match: start and end of the whole match and of each group (-1 where a group did not take part). */
export interface Match {
  readonly start: number;
  readonly end: number;
  /** [start0, end0, start1, end1, …] (for a match asked for without groups, only the first pair) */
  readonly groups: ArrayLike<number>;
}

/** Compiled patterns: one, or several matched as one (grep -e A -e B: the leftmost-longest of any). */
export class Regex {
  /** How many groups (over all the patterns). */
  readonly groups: number;
  /** The whole pattern is this literal string (fast paths: indexOf, grep -F). */
  readonly literal: string | undefined;
  /** A literal string every match contains (the longest known), for a fast indexOf prefilter. */
  readonly mustContain: string | undefined;
  /** Whether some match can be empty. */
  readonly canMatchEmpty: boolean;
  /** Whether JavaScript's first match is the POSIX leftmost-longest one (then `search` can be used
   *  directly, replace() included). */
  readonly jsExact: boolean;
  /** A global RegExp whose matches start where ours start (the first one is the leftmost). */
  readonly search: RegExp;
  private readonly exact: boolean;
  private readonly source: string;
  private readonly flags: string;
  private withIndices: RegExp | undefined;
  private sticky: RegExp | undefined;
  private vm: Program | undefined;
  private readonly root: Node;
  private readonly env: MatchEnv;
  /** false: JavaScript may decide existence wrongly (see jsCanSearch); the VM searches. */
  private readonly jsSearches: boolean;

  constructor(patterns: string | readonly string[], private readonly options: RegexOptions = {}) {
    const list = typeof patterns === 'string' ? [patterns] : patterns;
    const syntax = syntaxOf(options);
    const nodes: Node[] = [];
    let groups = 0;
    for (const pattern of list) {
      const dfaGrammar = !!options.dfaGrammar && !/\\[1-9]|\[[.=]/.test(pattern);
      const parsed = parseRegex(pattern, { syntax, ignoreCase: options.ignoreCase, groupBase: groups, dfaGrammar });
      nodes.push(parsed.node);
      groups += parsed.groups;
    }
    this.groups = groups;
    let root: Node = nodes.length === 1 ? nodes[0]! : nodes.length === 0 ? { type: 'set', set: new Uint8Array(256) } : { type: 'alt', alts: nodes };
    this.literal = options.wordMatch || options.lineMatch ? undefined : literalOf(root);
    if (options.lineMatch) root = { type: 'cat', items: [{ type: 'assert', kind: 'bol' }, root, { type: 'assert', kind: 'eol' }] };
    else if (options.wordMatch) {
      root = { type: 'cat', items: [{ type: 'assert', kind: 'nowordbefore' }, root, { type: 'assert', kind: 'nowordafter' }] };
    }
    this.env = {
      separator: options.separator === undefined ? undefined : options.separator.charCodeAt(0),
      anchorsAtNewline: !!options.multiline,
      // JavaScript's own case folding is faster than [aA] classes, and for ASCII-only patterns it
      // folds exactly as the C locale does (it never folds a byte above 127 to ASCII).
      caseFlag: !!options.ignoreCase && !list.some((p) => /[\x80-\xff]/.test(p)),
    };
    this.exact = jsIsLongest(root);
    if (this.exact) root = reorderForLongest(root);
    this.mustContain = options.ignoreCase ? undefined : mustLiteral(root);
    this.canMatchEmpty = canBeEmpty(root);
    this.root = root;
    // (With -i JavaScript would compare back-references folding Latin-1 letters too: the VM does them.)
    this.jsSearches = jsCanSearch(root, !!options.ignoreCase);
    this.jsExact = this.exact && this.jsSearches;
    this.source = toJs(root, this.env);
    this.flags = this.env.caseFlag ? 'i' : '';
    this.search = new RegExp(this.source, `g${this.flags}`);
  }

  private program(): Program {
    return (this.vm ??= new Program(this.root, this.groups, this.env, !!this.options.ignoreCase));
  }

  /** Start of the leftmost match at or after `from`, or -1. */
  searchFrom(s: string, from = 0): number {
    if (!this.jsSearches) return this.vmSearch(s, from)?.start ?? -1;
    const re = this.search;
    re.lastIndex = from;
    const m = re.exec(s);
    return m ? m.index : -1;
  }

  /** Whether s has a match. */
  test(s: string): boolean {
    if (!this.jsSearches) return this.searchFrom(s, 0) >= 0;
    const re = this.search;
    re.lastIndex = 0;
    return re.test(s); // no match array to build
  }

  /** The leftmost-longest match at or after `from` (groups only if wantGroups). */
  exec(s: string, from = 0, wantGroups = true): Match | null {
    if (!this.jsSearches) return this.vmSearch(s, from, wantGroups);
    if (this.exact) {
      if (wantGroups && this.groups > 0) {
        const re = (this.withIndices ??= new RegExp(this.source, `gd${this.flags}`));
        re.lastIndex = from;
        const m = re.exec(s);
        return m ? fromIndices(m, this.groups) : null;
      }
      const re = this.search;
      re.lastIndex = from;
      const m = re.exec(s);
      if (!m) return null;
      return bare(m.index, m.index + m[0].length);
    }
    const re = this.search;
    re.lastIndex = from;
    const m = re.exec(s);
    if (!m) return null;
    return this.extend(s, m.index, m.index + m[0].length, wantGroups);
  }

  /** The longest match starting exactly at `pos` (expr's anchored match), or null. */
  matchAt(s: string, pos: number, wantGroups = true): Match | null {
    if (!this.jsSearches) {
      const end = this.longestAt(s, pos);
      return end < 0 ? null : this.withGroups(s, pos, end, wantGroups);
    }
    const re = (this.sticky ??= new RegExp(this.source, `${this.exact && this.groups > 0 ? 'yd' : 'y'}${this.flags}`));
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return null;
    if (this.exact) return wantGroups && this.groups > 0 ? fromIndices(m, this.groups) : bare(pos, pos + m[0].length);
    return this.extend(s, pos, pos + m[0].length, wantGroups);
  }

  /** JavaScript found [start, end); make it the longest match there, with glibc's groups. */
  private extend(s: string, start: number, end: number, wantGroups: boolean): Match {
    const longest = Math.max(end, this.longestAt(s, start));
    return this.withGroups(s, start, longest, wantGroups);
  }

  private longestAt(s: string, start: number): number {
    return this.program().longest(s, start);
  }

  private withGroups(s: string, start: number, end: number, wantGroups: boolean): Match {
    if (!wantGroups || this.groups === 0) return bare(start, end);
    const groups = this.program().groupsFor(s, start, end);
    if (groups) return { start, end, groups };
    const unset = new Int32Array(2 * (this.groups + 1)).fill(-1);
    unset[0] = start;
    unset[1] = end;
    return { start, end, groups: unset };
  }

  private vmSearch(s: string, from: number, wantGroups = true): Match | null {
    for (let p = from; p <= s.length; p++) {
      const end = this.longestAt(s, p);
      if (end >= 0) return this.withGroups(s, p, end, wantGroups);
    }
    return null;
  }
}

function bare(start: number, end: number): Match {
  return { start, end, groups: [start, end] };
}

function fromIndices(m: RegExpExecArray, groups: number): Match {
  const g = new Int32Array(2 * (groups + 1)).fill(-1);
  const indices = m.indices!;
  for (let i = 0; i <= groups; i++) {
    const pair = indices[i];
    if (pair) {
      g[2 * i] = pair[0];
      g[2 * i + 1] = pair[1];
    }
  }
  return { start: g[0]!, end: g[1]!, groups: g };
}

/** The longest literal every match of node contains, or undefined (GNU grep's dfamust, simply). */
function mustLiteral(node: Node): string | undefined {
  let best = '';
  const consider = (s: string | undefined) => {
    if (s && s.length > best.length) best = s;
  };
  const single = (n: Node): number => (n.type === 'set' ? onlyByte(n.set) : -1);
  switch (node.type) {
    case 'cat': {
      let run = '';
      for (const item of node.items) {
        const c = single(item);
        if (c >= 0) {
          run += String.fromCharCode(c);
          continue;
        }
        consider(run);
        run = '';
        if (item.type !== 'assert' && item.type !== 'empty') consider(mustLiteral(item));
      }
      consider(run);
      break;
    }
    case 'group':
      consider(mustLiteral(node.body));
      break;
    case 'repeat':
      if (node.min > 0) consider(mustLiteral(node.body));
      break;
    case 'set': {
      const c = single(node);
      if (c >= 0) best = String.fromCharCode(c);
      break;
    }
    default:
      break;
  }
  return best || undefined;
}

function onlyByte(set: Uint8Array): number {
  let found = -1;
  for (let c = 0; c < 256; c++) {
    if (!set[c]) continue;
    if (found >= 0) return -1;
    found = c;
  }
  return found;
}

/** The literal string a tree stands for, if it is one (no sets of more than one byte, no operators). */
function literalOf(node: Node): string | undefined {
  const items = node.type === 'cat' ? node.items : [node];
  let text = '';
  for (const item of items) {
    if (item.type !== 'set') return undefined;
    let only = -1;
    for (let c = 0; c < 256; c++) {
      if (!item.set[c]) continue;
      if (only >= 0) return undefined;
      only = c;
    }
    if (only < 0) return undefined;
    text += String.fromCharCode(only);
  }
  return text;
}

/** Whether JavaScript decides "is there a match" exactly as glibc does. Not when a back-reference may
 *  name a group that did not take part (glibc: no match; JavaScript: matches empty), nor with -i
 *  (JavaScript compares back-references case-sensitively). */
function jsCanSearch(root: Node, ignoreCase: boolean): boolean {
  let ok = true;
  // Groups certainly set before a point, walking in order; anything under an alternation or an
  // optional repetition is uncertain.
  const walk = (n: Node, certain: Set<number>, sure: boolean): void => {
    switch (n.type) {
      case 'backref':
        if (ignoreCase || !certain.has(n.index)) ok = false;
        return;
      case 'group':
        walk(n.body, certain, sure);
        if (sure) certain.add(n.index);
        return;
      case 'cat':
        for (const item of n.items) walk(item, certain, sure);
        return;
      case 'alt':
        for (const alt of n.alts) walk(alt, new Set(certain), false);
        return;
      case 'repeat':
        walk(n.body, n.min > 0 ? certain : new Set(certain), sure && n.min > 0);
        return;
      default:
        return;
    }
  };
  walk(root, new Set(), true);
  return ok;
}

/** A JavaScript source for one set, for callers that build their own RegExps around ours. */
export function byteClassSource(set: Uint8Array): string {
  return setSource(set, {});
}

/** What GNU's dfa says about a pattern (see regex/parse.ts): grep's warnings, grep's and sed's
 *  `[:space:]` error. */
export function dfaVerdict(pattern: string, dialect: RegexDialect, extended: boolean): DfaVerdict {
  return dfaCheck(pattern, syntaxFor(dialect, extended), dialect === 'grep');
}

