// POSIX regular expressions → syntax tree, with the rules of glibc's regcomp as GNU grep, sed and
// expr use it: the same syntax-bit switches (what is special where, what is an error, what is
// literal), the same error messages, the C locale (bytes, ASCII classes and case folding).
import {
  addClass,
  addRange,
  type ByteSet,
  emptySet,
  foldCase,
  fullSet,
  invert,
  isSpace,
  isWordChar,
  singleton,
  toLower,
} from './charset.js';

// glibc's syntax bits (regex.h), the ones that change parsing.
export const Syntax = {
  BACKSLASH_ESCAPE_IN_LISTS: 1 << 0,
  BK_PLUS_QM: 1 << 1,
  CHAR_CLASSES: 1 << 2,
  CONTEXT_INDEP_ANCHORS: 1 << 3,
  CONTEXT_INDEP_OPS: 1 << 4,
  CONTEXT_INVALID_OPS: 1 << 5,
  DOT_NEWLINE: 1 << 6,
  HAT_LISTS_NOT_NEWLINE: 1 << 8,
  INTERVALS: 1 << 9,
  LIMITED_OPS: 1 << 10,
  NEWLINE_ALT: 1 << 11,
  NO_BK_BRACES: 1 << 12,
  NO_BK_PARENS: 1 << 13,
  NO_BK_REFS: 1 << 14,
  NO_BK_VBAR: 1 << 15,
  NO_EMPTY_RANGES: 1 << 16,
  UNMATCHED_RIGHT_PAREN_ORD: 1 << 17,
  NO_GNU_OPS: 1 << 19,
  INVALID_INTERVAL_ORD: 1 << 20,
  CONTEXT_INVALID_DUP: 1 << 22,
  /** Not a glibc bit: set while fetching the first token of an expression, where `^` anchors. */
  CARET_ANCHORS_HERE: 1 << 23,
} as const;

const S = Syntax;
const COMMON = S.CHAR_CLASSES | S.DOT_NEWLINE | S.INTERVALS | S.NO_EMPTY_RANGES;
/** RE_SYNTAX_POSIX_BASIC and RE_SYNTAX_POSIX_EXTENDED, without RE_DOT_NOT_NULL (no tool here wants it). */
export const POSIX_BASIC = COMMON | S.BK_PLUS_QM | S.CONTEXT_INVALID_DUP;
export const POSIX_EXTENDED =
  COMMON |
  S.CONTEXT_INDEP_ANCHORS |
  S.CONTEXT_INDEP_OPS |
  S.NO_BK_BRACES |
  S.NO_BK_PARENS |
  S.NO_BK_VBAR |
  S.CONTEXT_INVALID_OPS |
  S.UNMATCHED_RIGHT_PAREN_ORD;

/** The largest repetition count (RE_DUP_MAX). */
export const DUP_MAX = 0x7fff;

export type Assertion =
  | 'bol'
  | 'eol'
  | 'bob'
  | 'eob'
  | 'word'
  | 'notword'
  | 'wordstart'
  | 'wordend'
  // grep -w's guards: no word character just before / just after
  | 'nowordbefore'
  | 'nowordafter';

/** The syntax tree. Literal characters are one-member sets. Group indexes count from 1 across all the
 *  patterns compiled together; backrefs use the same numbering. */
export type Node =
  | { type: 'set'; set: ByteSet }
  | { type: 'cat'; items: Node[] }
  | { type: 'alt'; alts: Node[] }
  | { type: 'group'; index: number; body: Node }
  | { type: 'repeat'; min: number; max: number; body: Node }
  | { type: 'backref'; index: number }
  | { type: 'assert'; kind: Assertion }
  | { type: 'empty' };

/** A pattern that does not compile; the message is glibc's regerror() text. */
export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

const MSG = {
  BADPAT: 'Invalid regular expression',
  ECOLLATE: 'Invalid collation character',
  ECTYPE: 'Invalid character class name',
  EESCAPE: 'Trailing backslash',
  ESUBREG: 'Invalid back reference',
  EBRACK: 'Unmatched [, [^, [:, [., or [=',
  EPAREN: 'Unmatched ( or \\(',
  EBRACE: 'Unmatched \\{',
  BADBR: 'Invalid content of \\{\\}',
  ERANGE: 'Invalid range end',
  BADRPT: 'Invalid preceding regular expression',
  ESIZE: 'Regular expression too big',
  ERPAREN: 'Unmatched ) or \\)',
} as const;

const enum T {
  CHARACTER,
  END,
  BACK_SLASH,
  ALT,
  BACK_REF,
  ANCHOR,
  WORD,
  NOTWORD,
  SPACE,
  NOTSPACE,
  OPEN_SUBEXP,
  CLOSE_SUBEXP,
  DUP_PLUS,
  DUP_QUESTION,
  DUP_ASTERISK,
  OPEN_DUP_NUM,
  CLOSE_DUP_NUM,
  OPEN_BRACKET,
  PERIOD,
  // inside brackets
  OPEN_COLL_ELEM,
  OPEN_EQUIV_CLASS,
  OPEN_CHAR_CLASS,
  CHARSET_RANGE,
  CLOSE_BRACKET,
  NON_MATCH_LIST,
}

interface Token {
  type: T;
  /** The character (for CHARACTER and for operators read as literals). */
  c: number;
  /** Bytes the token takes in the pattern. */
  len: number;
  /** Back-reference number (1–9) or anchor kind. */
  ref?: number;
  anchor?: Assertion;
}

export interface ParseOptions {
  syntax: number;
  ignoreCase?: boolean;
  /** Read the pattern as GNU's dfa.c does where it differs from regcomp (grep selects lines with the
   *  dfa): anchors can be repeated (`^*` is (^)*), and in ERE an interval first in an expression
   *  repeats the empty string (`{2}a` is a) while an invalid one is literal (`{$` is \{$). */
  dfaGrammar?: boolean;
  /** Number the groups of this pattern from groupBase + 1 (patterns compiled together). */
  groupBase?: number;
}

export interface Parsed {
  node: Node;
  /** How many groups the pattern has (re_nsub). */
  groups: number;
}

/** Parse one pattern (a binary string). Throws RegexSyntaxError with glibc's message. */
export function parseRegex(pattern: string, options: ParseOptions): Parsed {
  const p = new Parser(pattern, options.syntax, !!options.ignoreCase, options.groupBase ?? 0, !!options.dfaGrammar);
  return { node: p.parse(), groups: p.nsub };
}

type BracketElem =
  | { kind: 'char'; c: number }
  | { kind: 'coll'; name: string }
  | { kind: 'equiv'; name: string }
  | { kind: 'class'; name: string };

class Parser {
  private pos = 0;
  nsub = 0;
  /** Groups 1–9 already closed, as bits 0–8: a back-reference may name only those (glibc). */
  private completed = 0;
  private tok: Token = { type: T.END, c: 0, len: 0 };
  /** dfa.c's notion: nothing but anchors since the start of the expression (dfaGrammar only). */
  private laststart = true;

  constructor(
    private readonly src: string,
    private readonly syn: number,
    private readonly icase: boolean,
    private readonly groupBase: number,
    private readonly dfaGrammar: boolean,
  ) {}

  parse(): Node {
    this.fetch(this.syn | S.CARET_ANCHORS_HERE);
    const tree = this.parseRegExp(0);
    return tree ?? { type: 'empty' };
  }

  // ---- tokens -----------------------------------------------------------------------------------

  /** The pattern byte at i; under -i letters read lower-case, as glibc translates the pattern. */
  private byte(i: number): number {
    const c = this.src.charCodeAt(i);
    return this.icase ? toLower(c) : c;
  }
  private raw(i: number): number {
    return this.src.charCodeAt(i);
  }

  private fetch(syn = this.syn): void {
    this.tok = this.peek(this.pos, syn);
    this.pos += this.tok.len;
  }

  private peek(at: number, syn: number): Token {
    const src = this.src;
    if (at >= src.length) return { type: T.END, c: 0, len: 0 };
    const c = this.byte(at);
    if (c === 0x5c /* \ */) {
      if (at + 1 >= src.length) return { type: T.BACK_SLASH, c, len: 1 };
      const c2 = this.raw(at + 1);
      const tok: Token = { type: T.CHARACTER, c: c2, len: 2 };
      const gnu = !(syn & S.NO_GNU_OPS);
      switch (c2) {
        case 0x7c /* | */:
          if (!(syn & S.LIMITED_OPS) && !(syn & S.NO_BK_VBAR)) tok.type = T.ALT;
          break;
        case 0x31:
        case 0x32:
        case 0x33:
        case 0x34:
        case 0x35:
        case 0x36:
        case 0x37:
        case 0x38:
        case 0x39:
          if (!(syn & S.NO_BK_REFS)) {
            tok.type = T.BACK_REF;
            tok.ref = c2 - 0x30;
          }
          break;
        case 0x3c /* < */:
          if (gnu) Object.assign(tok, { type: T.ANCHOR, anchor: 'wordstart' });
          break;
        case 0x3e /* > */:
          if (gnu) Object.assign(tok, { type: T.ANCHOR, anchor: 'wordend' });
          break;
        case 0x62 /* b */:
          if (gnu) Object.assign(tok, { type: T.ANCHOR, anchor: 'word' });
          break;
        case 0x42 /* B */:
          if (gnu) Object.assign(tok, { type: T.ANCHOR, anchor: 'notword' });
          break;
        case 0x77 /* w */:
          if (gnu) tok.type = T.WORD;
          break;
        case 0x57 /* W */:
          if (gnu) tok.type = T.NOTWORD;
          break;
        case 0x73 /* s */:
          if (gnu) tok.type = T.SPACE;
          break;
        case 0x53 /* S */:
          if (gnu) tok.type = T.NOTSPACE;
          break;
        case 0x60 /* ` */:
          if (gnu) Object.assign(tok, { type: T.ANCHOR, anchor: 'bob' });
          break;
        case 0x27 /* ' */:
          if (gnu) Object.assign(tok, { type: T.ANCHOR, anchor: 'eob' });
          break;
        case 0x28 /* ( */:
          if (!(syn & S.NO_BK_PARENS)) tok.type = T.OPEN_SUBEXP;
          break;
        case 0x29 /* ) */:
          if (!(syn & S.NO_BK_PARENS)) tok.type = T.CLOSE_SUBEXP;
          break;
        case 0x2b /* + */:
          if (!(syn & S.LIMITED_OPS) && syn & S.BK_PLUS_QM) tok.type = T.DUP_PLUS;
          break;
        case 0x3f /* ? */:
          if (!(syn & S.LIMITED_OPS) && syn & S.BK_PLUS_QM) tok.type = T.DUP_QUESTION;
          break;
        case 0x7b /* { */:
          if (syn & S.INTERVALS && !(syn & S.NO_BK_BRACES)) tok.type = T.OPEN_DUP_NUM;
          break;
        case 0x7d /* } */:
          if (syn & S.INTERVALS && !(syn & S.NO_BK_BRACES)) tok.type = T.CLOSE_DUP_NUM;
          break;
      }
      return tok;
    }
    const tok: Token = { type: T.CHARACTER, c, len: 1 };
    switch (c) {
      case 0x0a:
        if (syn & S.NEWLINE_ALT) tok.type = T.ALT;
        break;
      case 0x7c /* | */:
        if (!(syn & S.LIMITED_OPS) && syn & S.NO_BK_VBAR) tok.type = T.ALT;
        break;
      case 0x2a /* * */:
        tok.type = T.DUP_ASTERISK;
        break;
      case 0x2b /* + */:
        if (!(syn & S.LIMITED_OPS) && !(syn & S.BK_PLUS_QM)) tok.type = T.DUP_PLUS;
        break;
      case 0x3f /* ? */:
        if (!(syn & S.LIMITED_OPS) && !(syn & S.BK_PLUS_QM)) tok.type = T.DUP_QUESTION;
        break;
      case 0x7b /* { */:
        if (syn & S.INTERVALS && syn & S.NO_BK_BRACES) tok.type = T.OPEN_DUP_NUM;
        break;
      case 0x7d /* } */:
        if (syn & S.INTERVALS && syn & S.NO_BK_BRACES) tok.type = T.CLOSE_DUP_NUM;
        break;
      case 0x28 /* ( */:
        if (syn & S.NO_BK_PARENS) tok.type = T.OPEN_SUBEXP;
        break;
      case 0x29 /* ) */:
        if (syn & S.NO_BK_PARENS) tok.type = T.CLOSE_SUBEXP;
        break;
      case 0x5b /* [ */:
        tok.type = T.OPEN_BRACKET;
        break;
      case 0x2e /* . */:
        tok.type = T.PERIOD;
        break;
      case 0x5e /* ^ */:
        // An anchor first in an expression (after \( or \| in BRE), anywhere in ERE, after a newline
        // that separates alternatives; elsewhere an ordinary character.
        if (!(syn & (S.CONTEXT_INDEP_ANCHORS | S.CARET_ANCHORS_HERE)) && at !== 0) {
          if (!(syn & S.NEWLINE_ALT) || this.raw(at - 1) !== 0x0a) break;
        }
        Object.assign(tok, { type: T.ANCHOR, anchor: 'bol' });
        break;
      case 0x24 /* $ */:
        // An anchor last in an expression (before \) or \| in BRE), anywhere in ERE.
        if (!(syn & S.CONTEXT_INDEP_ANCHORS) && at + 1 !== this.src.length) {
          const next = this.peek(at + 1, syn & ~S.CARET_ANCHORS_HERE);
          if (next.type !== T.ALT && next.type !== T.CLOSE_SUBEXP) break;
        }
        Object.assign(tok, { type: T.ANCHOR, anchor: 'eol' });
        break;
    }
    return tok;
  }

  private peekBracket(at: number): Token {
    if (at >= this.src.length) return { type: T.END, c: 0, len: 0 };
    const c = this.byte(at);
    if (c === 0x5c && this.syn & S.BACKSLASH_ESCAPE_IN_LISTS && at + 1 < this.src.length) {
      return { type: T.CHARACTER, c: this.byte(at + 1), len: 2 };
    }
    if (c === 0x5b /* [ */) {
      const c2 = at + 1 < this.src.length ? this.byte(at + 1) : 0;
      if (c2 === 0x2e /* . */) return { type: T.OPEN_COLL_ELEM, c: c2, len: 2 };
      if (c2 === 0x3d /* = */) return { type: T.OPEN_EQUIV_CLASS, c: c2, len: 2 };
      if (c2 === 0x3a /* : */ && this.syn & S.CHAR_CLASSES) return { type: T.OPEN_CHAR_CLASS, c: c2, len: 2 };
      return { type: T.CHARACTER, c, len: 1 };
    }
    const type = c === 0x2d ? T.CHARSET_RANGE : c === 0x5d ? T.CLOSE_BRACKET : c === 0x5e ? T.NON_MATCH_LIST : T.CHARACTER;
    return { type, c, len: 1 };
  }

  // ---- grammar ----------------------------------------------------------------------------------

  private parseRegExp(nest: number): Node | null {
    const initial = this.completed;
    let tree = this.parseBranch(nest);
    let alts: (Node | null)[] | undefined;
    while (this.tok.type === T.ALT) {
      this.fetch(this.syn | S.CARET_ANCHORS_HERE);
      this.laststart = true;
      let branch: Node | null = null;
      const t = this.tok.type;
      if (t !== T.ALT && t !== T.END && (nest === 0 || t !== T.CLOSE_SUBEXP)) {
        // A back-reference may not name a group of an earlier alternative (glibc ≥ 2.28).
        const accumulated = this.completed;
        this.completed = initial;
        branch = this.parseBranch(nest);
        this.completed |= accumulated;
      }
      (alts ??= [tree]).push(branch);
    }
    if (alts) tree = { type: 'alt', alts: alts.map((a) => a ?? { type: 'empty' }) };
    return tree;
  }

  private parseBranch(nest: number): Node | null {
    const items: Node[] = [];
    const first = this.parseExpression(nest);
    if (first) items.push(first);
    for (;;) {
      const t: T = this.tok.type;
      if (t === T.ALT || t === T.END || (nest !== 0 && t === T.CLOSE_SUBEXP)) break;
      const exp = this.parseExpression(nest);
      if (exp) items.push(exp);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? items[0]! : { type: 'cat', items };
  }

  private literal(c: number): Node {
    const set = singleton(c);
    return { type: 'set', set: this.icase ? foldCase(set) : set };
  }

  private parseExpression(nest: number): Node | null {
    const tok = this.tok;
    let tree: Node | null;
    const laststart = this.laststart;
    if (tok.type !== T.ANCHOR && tok.type !== T.ALT && tok.type !== T.END) this.laststart = false;
    switch (tok.type) {
      case T.CHARACTER:
        tree = this.literal(tok.c);
        break;
      case T.OPEN_SUBEXP:
        tree = this.parseSubExp(nest + 1);
        break;
      case T.OPEN_BRACKET:
        tree = this.parseBracket();
        break;
      case T.BACK_REF:
        if (!(this.completed & (1 << (tok.ref! - 1)))) throw new RegexSyntaxError(MSG.ESUBREG);
        tree = { type: 'backref', index: this.groupBase + tok.ref! };
        break;
      case T.OPEN_DUP_NUM:
      case T.DUP_ASTERISK:
      case T.DUP_PLUS:
      case T.DUP_QUESTION:
        if (tok.type === T.OPEN_DUP_NUM && this.syn & S.CONTEXT_INVALID_DUP) throw new RegexSyntaxError(MSG.BADRPT);
        if (this.syn & S.CONTEXT_INVALID_OPS && !(this.syn & S.CONTEXT_INVALID_DUP)) throw new RegexSyntaxError(MSG.BADRPT);
        if (this.dfaGrammar && tok.type === T.OPEN_DUP_NUM && this.syn & S.CONTEXT_INDEP_OPS) {
          // dfa.c: a valid interval here repeats the empty string; an invalid one is a literal `{`.
          if (!dfaIntervalValid(this.src, this.pos, tok.len === 2) && this.syn & S.INVALID_INTERVAL_ORD) {
            tree = this.literal(0x7b);
            break;
          }
          return this.repetitions(this.parseDupOp({ type: 'empty' }) ?? { type: 'empty' });
        }
        if (this.syn & S.CONTEXT_INDEP_OPS) {
          // A leading repetition operator is skipped (GNU grep -E: `*a` is `a`).
          this.fetch();
          return this.parseExpression(nest);
        }
        tree = this.literal(tok.c);
        break;
      case T.CLOSE_SUBEXP:
        if (!(this.syn & S.UNMATCHED_RIGHT_PAREN_ORD)) throw new RegexSyntaxError(MSG.ERPAREN);
        tree = this.literal(tok.c);
        break;
      case T.CLOSE_DUP_NUM:
        tree = this.literal(tok.c);
        break;
      case T.ANCHOR: {
        // For regcomp anchors cannot be repeated: `^*` is an anchor and a literal star. dfa.c
        // repeats them, except where a BRE star first in an expression is a literal.
        this.fetch();
        const anchor: Node = { type: 'assert', kind: tok.anchor! };
        if (!this.dfaGrammar || (laststart && !(this.syn & S.CONTEXT_INDEP_OPS))) return anchor;
        return this.repetitions(anchor);
      }
      case T.PERIOD: {
        const set = fullSet();
        if (!(this.syn & S.DOT_NEWLINE)) set[0x0a] = 0;
        tree = { type: 'set', set };
        break;
      }
      case T.WORD:
      case T.NOTWORD:
        tree = this.classOp(isWordChar, tok.type === T.NOTWORD);
        break;
      case T.SPACE:
      case T.NOTSPACE:
        tree = this.classOp(isSpace, tok.type === T.NOTSPACE);
        break;
      case T.ALT:
      case T.END:
        return null;
      case T.BACK_SLASH:
        throw new RegexSyntaxError(MSG.EESCAPE);
      default:
        return null;
    }
    this.fetch();
    return this.repetitions(tree);
  }

  /** The repetition operators after an atom. */
  private repetitions(atom: Node | null): Node | null {
    let tree = atom;
    while (
      this.tok.type === T.DUP_ASTERISK ||
      this.tok.type === T.DUP_PLUS ||
      this.tok.type === T.DUP_QUESTION ||
      this.tok.type === T.OPEN_DUP_NUM
    ) {
      tree = this.parseDupOp(tree);
      // In BRE two repetitions in a row are an error (POSIX); GNU grep allows `a**`.
      if (this.syn & S.CONTEXT_INVALID_DUP && (this.tok.type === T.DUP_ASTERISK || this.tok.type === T.OPEN_DUP_NUM)) {
        throw new RegexSyntaxError(MSG.BADRPT);
      }
    }
    return tree;
  }

  private classOp(test: (c: number) => boolean, negate: boolean): Node {
    let set = emptySet();
    for (let c = 0; c < 256; c++) if (test(c)) set[c] = 1;
    if (negate) {
      set = invert(set);
      if (this.syn & S.HAT_LISTS_NOT_NEWLINE) set[0x0a] = 0;
    }
    return { type: 'set', set: this.icase ? foldCase(set) : set };
  }

  private parseSubExp(nest: number): Node {
    const index = this.nsub++;
    this.fetch(this.syn | S.CARET_ANCHORS_HERE);
    this.laststart = true;
    let body: Node | null = null;
    if (this.tok.type !== T.CLOSE_SUBEXP) {
      body = this.parseRegExp(nest);
      if ((this.tok.type as T) !== T.CLOSE_SUBEXP) throw new RegexSyntaxError(MSG.EPAREN);
    }
    if (index < 9) this.completed |= 1 << index;
    return { type: 'group', index: this.groupBase + index + 1, body: body ?? { type: 'empty' } };
  }

  /** Digits up to `}` or `,`: -1 for none, -2 for anything else (glibc's fetch_number). */
  private fetchNumber(): number {
    let num = -1;
    for (;;) {
      this.fetch();
      const { type, c } = this.tok;
      if (type === T.END) return -2;
      if (type === T.CLOSE_DUP_NUM || c === 0x2c) break;
      num =
        type !== T.CHARACTER || c < 0x30 || c > 0x39 || num === -2
          ? -2
          : num === -1
            ? c - 0x30
            : Math.min(DUP_MAX + 1, num * 10 + c - 0x30);
    }
    return num;
  }

  private parseDupOp(elem: Node | null): Node | null {
    const startTok = this.tok;
    const startPos = this.pos;
    let min: number;
    let max: number;
    if (startTok.type === T.OPEN_DUP_NUM) {
      let end = 0;
      let start = this.fetchNumber();
      if (start === -1) {
        if (this.tok.type === T.CHARACTER && this.tok.c === 0x2c) start = 0; // {,n} is {0,n}
        else throw new RegexSyntaxError(MSG.BADBR);
      }
      if (start !== -2) {
        end =
          this.tok.type === T.CLOSE_DUP_NUM ? start : this.tok.type === T.CHARACTER && this.tok.c === 0x2c ? this.fetchNumber() : -2;
      }
      if (start === -2 || end === -2) {
        if (!(this.syn & S.INVALID_INTERVAL_ORD)) {
          throw new RegexSyntaxError(this.tok.type === T.END ? MSG.EBRACE : MSG.BADBR);
        }
        // Not an interval after all (GNU ERE): the brace is an ordinary character.
        this.pos = startPos;
        this.tok = { ...startTok, type: T.CHARACTER };
        return elem;
      }
      if ((end !== -1 && start > end) || this.tok.type !== T.CLOSE_DUP_NUM) throw new RegexSyntaxError(MSG.BADBR);
      if (DUP_MAX < (end === -1 ? start : end)) throw new RegexSyntaxError(MSG.ESIZE);
      min = start;
      max = end === -1 ? Infinity : end;
    } else {
      min = startTok.type === T.DUP_PLUS ? 1 : 0;
      max = startTok.type === T.DUP_QUESTION ? 1 : Infinity;
    }
    this.fetch();
    if (!elem) return null;
    if (min === 0 && max === 0) return null; // x{0} matches the empty string; its groups stay unset
    return { type: 'repeat', min, max, body: elem };
  }

  // ---- bracket expressions ----------------------------------------------------------------------

  private parseBracket(): Node {
    let set = emptySet();
    let tok = this.peekBracket(this.pos);
    if (tok.type === T.END) throw new RegexSyntaxError(MSG.BADPAT);
    let nonMatch = false;
    if (tok.type === T.NON_MATCH_LIST) {
      nonMatch = true;
      if (this.syn & S.HAT_LISTS_NOT_NEWLINE) set[0x0a] = 1;
      this.pos += tok.len;
      tok = this.peekBracket(this.pos);
      if (tok.type === T.END) throw new RegexSyntaxError(MSG.BADPAT);
    }
    if (tok.type === T.CLOSE_BRACKET) tok = { ...tok, type: T.CHARACTER }; // `]` first is ordinary
    let firstRound = true;
    for (;;) {
      const start = this.parseBracketElement(tok, firstRound);
      firstRound = false;
      tok = this.peekBracket(this.pos);
      let rangeEndTok: Token | undefined;
      if (start.kind !== 'class' && start.kind !== 'equiv') {
        if (tok.type === T.END) throw new RegexSyntaxError(MSG.EBRACK);
        if (tok.type === T.CHARSET_RANGE) {
          this.pos += tok.len;
          const tok2 = this.peekBracket(this.pos);
          if (tok2.type === T.END) throw new RegexSyntaxError(MSG.EBRACK);
          if (tok2.type === T.CLOSE_BRACKET) {
            this.pos -= tok.len; // `-` last is ordinary
            tok = { ...tok, type: T.CHARACTER };
          } else rangeEndTok = tok2;
        }
      }
      if (rangeEndTok) {
        const end = this.parseBracketElement(rangeEndTok, true);
        tok = this.peekBracket(this.pos);
        this.addRange(set, start, end);
      } else {
        this.addElement(set, start);
      }
      if (tok.type === T.END) throw new RegexSyntaxError(MSG.EBRACK);
      if (tok.type === T.CLOSE_BRACKET) break;
    }
    this.pos += tok.len;
    if (nonMatch) set = invert(set);
    return { type: 'set', set: this.icase ? foldCase(set) : set };
  }

  private parseBracketElement(tok: Token, acceptHyphen: boolean): BracketElem {
    this.pos += tok.len;
    if (tok.type === T.OPEN_COLL_ELEM || tok.type === T.OPEN_CHAR_CLASS || tok.type === T.OPEN_EQUIV_CLASS) {
      return this.parseBracketSymbol(tok);
    }
    if (tok.type === T.CHARSET_RANGE && !acceptHyphen) {
      // `-` may only be a range end or last; `[a-c-e]` is an error.
      if (this.peekBracket(this.pos).type !== T.CLOSE_BRACKET) throw new RegexSyntaxError(MSG.ERANGE);
    }
    return { kind: 'char', c: tok.c };
  }

  private parseBracketSymbol(tok: Token): BracketElem {
    const delim = tok.c;
    const src = this.src;
    if (this.pos >= src.length) throw new RegexSyntaxError(MSG.EBRACK);
    let name = '';
    for (let i = 0; ; i++) {
      if (i >= 32) throw new RegexSyntaxError(MSG.EBRACK);
      const ch = tok.type === T.OPEN_CHAR_CLASS ? this.raw(this.pos) : this.byte(this.pos);
      this.pos++;
      if (this.pos >= src.length) throw new RegexSyntaxError(MSG.EBRACK);
      if (ch === delim && this.raw(this.pos) === 0x5d) break;
      name += String.fromCharCode(ch);
    }
    this.pos++;
    if (tok.type === T.OPEN_COLL_ELEM) return { kind: 'coll', name };
    if (tok.type === T.OPEN_EQUIV_CLASS) return { kind: 'equiv', name };
    return { kind: 'class', name };
  }

  private addElement(set: ByteSet, elem: BracketElem): void {
    switch (elem.kind) {
      case 'char':
        set[elem.c] = 1;
        return;
      case 'coll':
      case 'equiv':
        // The C locale has no multi-character collating elements and no equivalence classes wider
        // than the character itself.
        if (elem.name.length !== 1) throw new RegexSyntaxError(MSG.ECOLLATE);
        set[elem.name.charCodeAt(0)] = 1;
        return;
      case 'class': {
        const name = this.icase && (elem.name === 'upper' || elem.name === 'lower') ? 'alpha' : elem.name;
        if (!addClass(set, name)) throw new RegexSyntaxError(MSG.ECTYPE);
        return;
      }
    }
  }

  private addRange(set: ByteSet, start: BracketElem, end: BracketElem): void {
    if (start.kind === 'equiv' || start.kind === 'class' || end.kind === 'equiv' || end.kind === 'class') {
      throw new RegexSyntaxError(MSG.ERANGE);
    }
    if ((start.kind === 'coll' && start.name.length > 1) || (end.kind === 'coll' && end.name.length > 1)) {
      throw new RegexSyntaxError(MSG.ECOLLATE);
    }
    const from = start.kind === 'char' ? start.c : start.name.charCodeAt(0);
    const to = end.kind === 'char' ? end.c : end.name.charCodeAt(0);
    if (from > to) {
      if (this.syn & S.NO_EMPTY_RANGES) throw new RegexSyntaxError(MSG.ERANGE);
      return;
    }
    addRange(set, from, to);
  }
}

/** Whether the interval whose `{` ends just before `at` is valid for dfa.c. */
function dfaIntervalValid(src: string, at: number, backslash: boolean): boolean {
  const digit = (i: number) => i < src.length && src.charCodeAt(i) >= 0x30 && src.charCodeAt(i) <= 0x39;
  let p = at;
  let min = -1;
  let max = -1;
  while (digit(p)) min = Math.min(DUP_MAX + 1, (min < 0 ? 0 : min * 10) + src.charCodeAt(p++) - 0x30);
  if (p < src.length) {
    if (src[p] !== ',') max = min;
    else {
      if (min < 0) min = 0;
      while (digit(++p)) max = Math.min(DUP_MAX + 1, (max < 0 ? 0 : max * 10) + src.charCodeAt(p) - 0x30);
    }
  }
  if (backslash && src[p++] !== '\\') return false;
  return src[p] === '}' && min >= 0 && (max < 0 || min <= max);
}

/** What GNU's dfa.c says about a pattern that regcomp accepted: grep 3.8 warns about a repetition
 *  operator at the start of an ERE (`* at start of expression`), and grep and sed refuse a bracket
 *  expression that looks like a misplaced class (`[:space:]`). */
export interface DfaVerdict {
  warnings: string[];
  error?: string;
}

/** Lex a pattern as dfa.c does; `warn` enables grep's start-of-expression warnings. */
export function dfaCheck(pattern: string, syntax: number, warn: boolean): DfaVerdict {
  const verdict: DfaVerdict = { warnings: [] };
  const len = pattern.length;
  const at = (i: number) => (i < len ? pattern.charCodeAt(i) : -1);
  let i = 0;
  let laststart = true;
  let lasttok: 'end' | 'lparen' | 'or' | 'other' = 'end';
  let parens = 0;
  const gnu = !(syntax & S.NO_GNU_OPS);
  const indep = !!(syntax & S.CONTEXT_INDEP_OPS);
  const startWarning = (what: string): boolean => {
    // A repetition at the start: in BRE an ordinary character, in ERE an operator (with a warning).
    if (!laststart) return true;
    if (!indep) return false;
    if (warn) verdict.warnings.push(`${what} at start of expression`);
    return true;
  };
  while (i < len) {
    let c = at(i++);
    let backslash = false;
    if (c === 0x5c) {
      if (i >= len) break; // regcomp already said: Trailing backslash
      backslash = true;
      c = at(i++);
    }
    let normal = false;
    switch (c) {
      case 0x5e /* ^ */:
        if (!backslash && (syntax & S.CONTEXT_INDEP_ANCHORS || lasttok !== 'other')) lasttok = 'other';
        else normal = true;
        break;
      case 0x24 /* $ */: {
        const bkParen = !(syntax & S.NO_BK_PARENS) && at(i) === 0x5c ? 1 : 0;
        const bkVbar = !(syntax & S.NO_BK_VBAR) && at(i) === 0x5c ? 1 : 0;
        if (
          !backslash &&
          (syntax & S.CONTEXT_INDEP_ANCHORS || i >= len || at(i + bkParen) === 0x29 || at(i + bkVbar) === 0x7c)
        ) {
          lasttok = 'other';
        } else normal = true;
        break;
      }
      case 0x60 /* ` */:
      case 0x27 /* ' */:
      case 0x3c /* < */:
      case 0x3e /* > */:
      case 0x62 /* b */:
      case 0x42 /* B */:
        if (backslash && gnu) lasttok = 'other';
        else normal = true;
        break;
      case 0x3f /* ? */:
      case 0x2b /* + */:
        if (syntax & S.LIMITED_OPS || backslash !== !!(syntax & S.BK_PLUS_QM) || !startWarning(String.fromCharCode(c))) normal = true;
        else lasttok = 'other';
        break;
      case 0x2a /* * */:
        if (backslash || !startWarning('*')) normal = true;
        else lasttok = 'other';
        break;
      case 0x7b /* { */: {
        if (!(syntax & S.INTERVALS) || backslash !== !(syntax & S.NO_BK_BRACES)) {
          normal = true;
          break;
        }
        let p = i;
        let min = -1;
        let max = -1;
        while (p < len && at(p) >= 0x30 && at(p) <= 0x39) min = min < 0 ? at(p++) - 0x30 : Math.min(DUP_MAX + 1, min * 10 + at(p++) - 0x30);
        if (p < len) {
          if (at(p) !== 0x2c) max = min;
          else {
            if (min < 0) min = 0;
            while (++p < len && at(p) >= 0x30 && at(p) <= 0x39) max = max < 0 ? at(p) - 0x30 : Math.min(DUP_MAX + 1, max * 10 + at(p) - 0x30);
          }
        }
        let valid = true;
        if (backslash) valid = p < len && at(p++) === 0x5c;
        valid = valid && p < len && at(p++) === 0x7d && min >= 0 && (max < 0 || min <= max);
        if ((!valid && syntax & S.INVALID_INTERVAL_ORD) || !startWarning('{...}')) {
          normal = true;
          break;
        }
        i = p;
        laststart = false;
        lasttok = 'other';
        break;
      }
      case 0x7c /* | */:
        if (syntax & S.LIMITED_OPS || backslash !== !(syntax & S.NO_BK_VBAR)) normal = true;
        else {
          laststart = true;
          lasttok = 'or';
        }
        break;
      case 0x0a:
        if (syntax & S.NEWLINE_ALT && !backslash) {
          laststart = true;
          lasttok = 'or';
        } else normal = true;
        break;
      case 0x28 /* ( */:
        if (backslash !== !(syntax & S.NO_BK_PARENS)) normal = true;
        else {
          parens++;
          laststart = true;
          lasttok = 'lparen';
        }
        break;
      case 0x29 /* ) */:
        if (backslash !== !(syntax & S.NO_BK_PARENS) || (parens === 0 && syntax & S.UNMATCHED_RIGHT_PAREN_ORD)) normal = true;
        else {
          parens--;
          laststart = false;
          lasttok = 'other';
        }
        break;
      case 0x5b /* [ */:
        if (backslash) normal = true;
        else {
          laststart = false;
          lasttok = 'other';
          const r = dfaBracket(pattern, i, syntax);
          i = r.end;
          if (r.confusing) verdict.error ??= 'character class syntax is [[:space:]], not [:space:]';
        }
        break;
      default:
        normal = true;
    }
    if (normal) {
      laststart = false;
      lasttok = 'other';
    }
  }
  return verdict;
}

/** Skip a bracket expression starting after its `[` as dfa.c reads it; note `[:alpha:]`-like ones. */
function dfaBracket(pattern: string, start: number, syntax: number): { end: number; confusing: boolean } {
  const len = pattern.length;
  let i = start;
  const next = () => (i < len ? pattern.charCodeAt(i++) : -1);
  let c = next();
  if (c === 0x5e) c = next();
  // Bits: 1 first is a colon, 2 last is a colon, 4 any other character, 8 ranges or classes.
  let state = c === 0x3a ? 1 : 0;
  let c1: number;
  do {
    if (c < 0) return { end: len, confusing: false };
    c1 = -2;
    state &= ~2;
    if (c === 0x5b) {
      c1 = next();
      if ((c1 === 0x3a && syntax & S.CHAR_CLASSES) || c1 === 0x2e || c1 === 0x3d) {
        for (;;) {
          c = next();
          if (i >= len || (c === c1 && pattern.charCodeAt(i) === 0x5d)) break;
        }
        next(); // the ]
        state |= 8;
        c1 = next();
        continue;
      }
    }
    if (c1 === -2) c1 = next();
    if (c1 === 0x2d) {
      let c2 = next();
      if (c2 === 0x5b && pattern.charCodeAt(i) === 0x2e) c2 = 0x5d;
      if (c2 === 0x5d) i--;
      else {
        state |= 8;
        c1 = next();
        if (c !== c2) continue;
      }
    }
    state |= c === 0x3a ? 2 : 4;
  } while ((c = c1) !== 0x5d && c >= 0);
  return { end: i, confusing: state === 7 };
}
