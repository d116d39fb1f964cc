// Tokens and words. The shell's lexical rules depend on where the parser is (reserved words, aliases,
// here-documents, nested command substitutions), so the Lexer is the base class of the Parser: it
// reads characters, words and operators, and calls back into the parser for `$(...)`.
//
// Words come out already split into parts (quoted, unquoted, expansions), so the expander never
// looks at quote characters again. Aliases are expanded by pushing the alias text as an input frame;
// positions and line numbers always refer to the base text.
import type { Command, DoubleQuoted, Part, Param, ParamOp, Redir, Word } from './ast.js';

export class ParseError extends Error {
  constructor(
    message: string,
    /** Offset in the parsed text. */
    readonly pos: number,
    readonly line: number,
    /** The text ended too early: more input could complete it (interactive PS2, chunked input). */
    readonly incomplete: boolean,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

export type Token =
  | { k: 'word'; w: Word; raw: string; pos: number; afterAlias?: boolean }
  | { k: 'op'; op: string; pos: number }
  | { k: 'io'; fd: number; pos: number }
  | { k: 'nl'; pos: number }
  | { k: 'eof'; pos: number };

export interface LexerOptions {
  /** An alias's value, if `name` is one. */
  aliases?: (name: string) => string | undefined;
  /** Line number of the text's first line (1 for files; ash counts `-c` text from 0). */
  firstLine?: number;
  /** No more text will follow: an unterminated here-document runs to the end instead of asking for more. */
  final?: boolean;
}

const OPERATORS = ['<<<', '<<-', '&&', '||', ';;', ';&', '<<', '>>', '<&', '>&', '<>', '>|', '&>', '&', '|', ';', '(', ')', '<', '>'];

/** Characters that end an unquoted word. */
function isMeta(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>';
}

export function isName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string) => isNameStart(c) || (c >= '0' && c <= '9');
const isDigit = (c: string) => c >= '0' && c <= '9';
/** Whether unquoted text may be a glob pattern (a `[` counts only with a `]` after it: `[` alone,
 *  as in `[ a = b ]`, is an ordinary word). */
const hasGlob = (s: string) => /[*?]|\[.*\]/s.test(s);

interface Frame {
  src: string;
  i: number;
  /** The alias this frame expands (undefined for the base text). */
  alias?: string;
  /** The alias text ended in a blank: the word after it is checked for an alias too. */
  blank?: boolean;
}

interface PendingHeredoc {
  redir: Redir;
  delim: string;
  strip: boolean;
}

export abstract class Lexer {
  protected src: string;
  protected i: number;
  /** Suspended outer frames while alias text is being read; frames[0] is the base text. */
  protected frames: Frame[] = [];
  /** The alias whose text is being read (it is not expanded again inside itself). */
  private current: { alias?: string; blank?: boolean } = {};
  private readonly base: string;
  private newlines: number[] | undefined;
  protected readonly firstLine: number;
  protected readonly final: boolean;
  protected readonly aliases: ((name: string) => string | undefined) | undefined;
  protected pendingHeredocs: PendingHeredoc[] = [];
  /** Reading a here-document delimiter: `$` and backquotes are plain characters (ash). */
  protected eofMark = false;
  /** An alias text ending in a blank was just left: the next word is checked for an alias too. */
  private afterBlankAlias = false;

  constructor(text: string, opts: LexerOptions = {}, start = 0) {
    this.src = this.base = text;
    this.i = start;
    this.firstLine = opts.firstLine ?? 1;
    this.final = opts.final ?? true;
    this.aliases = opts.aliases;
  }

  /** Parse `$(...)` contents up to the closing parenthesis (which the parser consumes). */
  protected abstract parseSubstitution(): Command | null;
  /** A parser for a separate text (backquotes, here-document bodies) that shares our settings. */
  protected abstract subParser(text: string, line: number): Lexer;
  /** The whole text as one command list. */
  abstract parseAll(): Command | null;

  // ---- positions

  /** Offset in the base text of the current position (the alias word's place while in an alias). */
  protected basePos(): number {
    return this.frames.length ? this.frames[0]!.i : this.i;
  }

  /** Line number of a base-text offset. */
  lineAt(pos: number): number {
    if (!this.newlines) {
      this.newlines = [];
      for (let p = this.base.indexOf('\n'); p !== -1; p = this.base.indexOf('\n', p + 1)) this.newlines.push(p);
    }
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newlines[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return this.firstLine + lo;
  }

  /** Where parsing stopped in the base text. */
  get offset(): number {
    return this.basePos();
  }

  protected error(message: string, incomplete = false, pos = this.basePos()): ParseError {
    return new ParseError(`syntax error: ${message}`, pos, this.lineAt(pos), incomplete);
  }

  // ---- characters

  protected peekc(k = 0): string {
    return this.src[this.i + k] ?? '';
  }
  protected atEnd(): boolean {
    return this.i >= this.src.length;
  }

  /** Leave alias frames that are used up (only between tokens: a token never spans frames). */
  private popFrames(): void {
    while (this.i >= this.src.length && this.frames.length) {
      if (this.current.blank) this.afterBlankAlias = true;
      const outer = this.frames.pop()!;
      this.src = outer.src;
      this.i = outer.i;
      this.current = { alias: outer.alias, blank: outer.blank };
    }
  }

  /** Whether `name` is being expanded in an enclosing frame (or is the current one). */
  protected aliasActive(name: string): boolean {
    return this.current.alias === name || this.frames.some((f) => f.alias === name);
  }

  /** Continue reading from an alias's text, then from here. */
  protected pushAlias(name: string, text: string): void {
    this.frames.push({ src: this.src, i: this.i, ...this.current });
    this.src = text;
    this.i = 0;
    this.current = { alias: name, blank: /[ \t]$/.test(text) };
  }

  /** Skip blanks, line continuations and a comment. */
  protected skipBlanks(): void {
    for (;;) {
      this.popFrames();
      const c = this.src[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2;
      else if (c === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  // ---- tokens

  private peeked: Token | undefined;

  protected peek(): Token {
    return (this.peeked ??= this.readToken());
  }
  protected next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }
  /** Forget a peeked token (after pushing alias text in its place). */
  protected unpeek(): void {
    this.peeked = undefined;
  }

  private readToken(): Token {
    this.skipBlanks();
    const pos = this.basePos();
    if (this.atEnd()) {
      if (this.pendingHeredocs.length) this.readHeredocs();
      return { k: 'eof', pos };
    }
    const c = this.src[this.i]!;
    if (c === '\n') {
      this.i++;
      if (this.pendingHeredocs.length) this.readHeredocs();
      return { k: 'nl', pos };
    }
    if (isDigit(c)) {
      let j = this.i;
      while (isDigit(this.src[j] ?? '')) j++;
      const after = this.src[j];
      if ((after === '<' || after === '>') && j - this.i < 10) {
        const fd = Number(this.src.slice(this.i, j));
        this.i = j;
        return { k: 'io', fd, pos };
      }
    }
    for (const op of OPERATORS) {
      const end = this.operatorEnd(op);
      if (end !== -1) {
        this.i = end;
        return { k: 'op', op, pos };
      }
    }
    const start = this.i;
    const w = this.readWord();
    const tok: Token = { k: 'word', w, raw: this.src.slice(start, this.i), pos };
    if (this.afterBlankAlias) tok.afterAlias = true;
    this.afterBlankAlias = false;
    return tok;
  }

  /** Where operator `op` ends if it starts here, or -1; line continuations may split it (`&\\\n&`). */
  private operatorEnd(op: string): number {
    let j = this.i;
    for (let k = 0; k < op.length; k++) {
      if (k > 0) while (this.src[j] === '\\' && this.src[j + 1] === '\n') j += 2;
      if (this.src[j] !== op[k]) return -1;
      j++;
    }
    return j;
  }

  // ---- words

  /** An unquoted word, up to the next metacharacter. */
  protected readWord(): Word {
    const pos = this.basePos();
    const parts: Part[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ t: 'lit', s: lit });
      lit = '';
    };
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined || isMeta(c)) break;
      if (c === '\\') {
        const n = this.src[this.i + 1];
        if (n === '\n') {
          this.i += 2;
          continue;
        }
        flush();
        this.i += 2;
        pushQuoted(parts, n ?? '\\');
        continue;
      }
      if (c === "'") {
        flush();
        this.i++;
        pushQuoted(parts, this.readSingle());
        continue;
      }
      if (c === '"') {
        flush();
        this.i++;
        parts.push(this.readDouble());
        continue;
      }
      if ((c === '$' || c === '`') && !this.eofMark) {
        const part = c === '$' ? this.readDollar(false) : this.readBackquote(false);
        if (part) {
          flush();
          if (part.t === 'q') pushQuoted(parts, part.s);
          else parts.push(part);
          continue;
        }
      }
      lit += c;
      this.i++;
    }
    flush();
    return makeWord(splitTilde(parts), pos);
  }

  /** After `'`: up to the closing quote. */
  private readSingle(): string {
    const end = this.src.indexOf("'", this.i);
    if (end === -1) {
      this.i = this.src.length;
      throw this.error('unterminated quoted string', true);
    }
    const s = this.src.slice(this.i, end);
    this.i = end + 1;
    return s;
  }

  /** After `"`: up to the closing quote. */
  private readDouble(): DoubleQuoted {
    const parts: Part[] = [];
    let q = '';
    const flush = () => {
      if (q) parts.push({ t: 'q', s: q });
      q = '';
    };
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw this.error('unterminated quoted string', true);
      if (c === '"') {
        this.i++;
        break;
      }
      if (c === '\\') {
        const n = this.src[this.i + 1];
        if (n === '\n') {
          this.i += 2;
          continue;
        }
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          q += n;
          this.i += 2;
          continue;
        }
        q += c;
        this.i++;
        continue;
      }
      if ((c === '$' || c === '`') && !this.eofMark) {
        const part = c === '$' ? this.readDollar(true) : this.readBackquote(true);
        if (part) {
          if (part.t === 'q') q += part.s;
          else {
            flush();
            parts.push(part);
          }
          continue;
        }
      }
      q += c;
      this.i++;
    }
    flush();
    return { t: 'dq', parts };
  }

  /** At `$`: an expansion, `$'...'`, or null when the `$` is literal (then nothing is consumed). */
  protected readDollar(inDq: boolean): Part | null {
    const n = this.src[this.i + 1] ?? '';
    if (n === '{') {
      this.i += 2;
      return this.readBraceParam(inDq);
    }
    if (n === '(') {
      if (this.src[this.i + 2] === '(') {
        const arith = this.tryArith();
        if (arith) return arith;
      }
      this.i += 2;
      const body = this.parseSubstitution();
      return { t: 'cmd', body };
    }
    if (n === "'" && !inDq) {
      this.i += 2;
      return { t: 'q', s: this.readDollarSingle() };
    }
    if (isNameStart(n)) {
      let j = this.i + 2;
      while (isNameChar(this.src[j] ?? '')) j++;
      const name = this.src.slice(this.i + 1, j);
      this.i = j;
      return { t: 'param', name, op: '' };
    }
    if (isDigit(n) || '@*#?-$!'.includes(n)) {
      this.i += 2;
      return { t: 'param', name: n, op: '' };
    }
    return null;
  }

  /** After `$'`: ANSI-C quoting, up to the closing quote. */
  private readDollarSingle(): string {
    let out = '';
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw this.error('unterminated quoted string', true);
      this.i++;
      if (c === "'") return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.src[this.i];
      if (e === undefined) throw this.error('unterminated quoted string', true);
      this.i++;
      const simple: Record<string, string> = {
        a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
        '\\': '\\', "'": "'", '"': '"', '?': '?',
      };
      if (e in simple) out += simple[e];
      else if (e >= '0' && e <= '7') {
        let digits = e;
        while (digits.length < 3 && /[0-7]/.test(this.src[this.i] ?? '')) digits += this.src[this.i++];
        out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      } else if (e === 'x' && /[0-9a-fA-F]/.test(this.src[this.i] ?? '')) {
        let digits = '';
        while (digits.length < 2 && /[0-9a-fA-F]/.test(this.src[this.i] ?? '')) digits += this.src[this.i++];
        out += String.fromCharCode(parseInt(digits, 16));
      } else if (e === 'c' && this.i < this.src.length) {
        out += String.fromCharCode(this.src.charCodeAt(this.i++) & 0x1f);
      } else out += `\\${e}`;
    }
  }

  /** At `$((`: an arithmetic expansion if a matching `))` closes it; else null and nothing consumed
   *  (it is `$(` followed by a subshell). */
  private tryArith(): Part | null {
    // Find where the expression ends by paren depth, skipping quoted text; `) )` is not `))`.
    let depth = 0;
    let j = this.i + 3;
    for (; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === '\\') j++;
      else if (c === "'") {
        const e = this.src.indexOf("'", j + 1);
        if (e === -1) break;
        j = e;
      } else if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) {
          if (this.src[j + 1] === ')') break;
          if (this.src[j + 1] !== undefined) return null;
          j = this.src.length; // `$((1+2)` at the end: an unclosed arithmetic expansion
          break;
        }
        depth--;
      }
    }
    if (j >= this.src.length) {
      // No closing `))` before the end
      this.i += 3;
      throw this.error("missing '))'", true);
    }
    const save = this.i;
    this.i += 3;
    const expr = this.readArithWord();
    if (this.src[this.i] !== ')' || this.src[this.i + 1] !== ')') {
      this.i = save;
      return null;
    }
    this.i += 2;
    return { t: 'arith', expr };
  }

  /** The text of an arithmetic expression, up to the `)` that closes it at depth 0. */
  private readArithWord(): Word {
    const pos = this.basePos();
    const parts: Part[] = [];
    let lit = '';
    let depth = 0;
    const flush = () => {
      if (lit) parts.push({ t: 'lit', s: lit });
      lit = '';
    };
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw this.error("missing '))'", true);
      if (c === ')' && depth === 0) break;
      if (c === '(') depth++;
      else if (c === ')') depth--;
      if (c === '\\') {
        const n = this.src[this.i + 1];
        this.i += 2;
        if (n === '\n') continue;
        flush();
        pushQuoted(parts, n ?? '\\');
        continue;
      }
      if (c === '"') {
        flush();
        this.i++;
        parts.push(this.readDouble());
        continue;
      }
      if (c === "'") {
        flush();
        this.i++;
        pushQuoted(parts, this.readSingle());
        continue;
      }
      if ((c === '$' || c === '`') && !this.eofMark) {
        const part = c === '$' ? this.readDollar(false) : this.readBackquote(false);
        if (part) {
          flush();
          parts.push(part);
          continue;
        }
      }
      lit += c;
      this.i++;
    }
    flush();
    return makeWord(parts, pos);
  }

  /** After `${`. */
  private readBraceParam(inDq: boolean): Param {
    const bad = () => this.error('bad substitution');
    let c = this.src[this.i] ?? '';
    if (c === '') throw this.error("missing '}'", true);
    let len = false;
    // ${#x} is the length of x; ${#} and ${#-...} ${#?...} ${##...} are $# itself (with an operator).
    if (c === '#') {
      const n = this.src[this.i + 1] ?? '';
      const n2 = this.src[this.i + 2] ?? '';
      if (n === '}') {
        // ${#}
      } else if ((n === '-' || n === '?' || n === '=' || n === '+') && n2 !== '}') {
        // ${#-word}: $# with a default
      } else if (n === ':' && n2 !== '}') {
        // ${#:-word}
      } else if ((n === '#' || n === '%') && n2 !== '}') {
        // ${##word} ${#%word}: $# with a pattern removed (ash, dash); ${##} is the length of $#
      } else if (n !== '') {
        len = true;
        this.i++;
        c = n;
      }
    }
    let name: string;
    if (isNameStart(c)) {
      let j = this.i + 1;
      while (isNameChar(this.src[j] ?? '')) j++;
      name = this.src.slice(this.i, j);
      this.i = j;
    } else if (isDigit(c)) {
      let j = this.i + 1;
      while (isDigit(this.src[j] ?? '')) j++;
      name = this.src.slice(this.i, j);
      this.i = j;
    } else if ('@*#?-$!'.includes(c)) {
      name = c;
      this.i++;
    } else if (c === '}') {
      throw bad();
    } else {
      this.skipToBrace();
      throw bad();
    }
    const param: Param = { t: 'param', name, op: '', brace: true };
    const at = this.src[this.i];
    if (at === undefined) throw this.error("missing '}'", true);
    if (at === '}') {
      this.i++;
      if (len) param.op = 'len';
      return param;
    }
    if (len) {
      this.skipToBrace();
      throw bad();
    }
    let op: ParamOp;
    const two = this.src.slice(this.i, this.i + 2);
    if (at === ':' && '-=?+'.includes(this.src[this.i + 1] ?? '') && this.src[this.i + 1] !== undefined) {
      param.colon = true;
      op = this.src[this.i + 1] as ParamOp;
      this.i += 2;
    } else if ('-=?+'.includes(at)) {
      op = at as ParamOp;
      this.i++;
    } else if (two === '##' || two === '%%' || two === '//' || two === '/#' || two === '/%') {
      op = two as ParamOp;
      this.i += 2;
    } else if (at === '#' || at === '%' || at === '/') {
      op = at as ParamOp;
      this.i++;
    } else if (at === ':') {
      op = ':';
      this.i++;
    } else {
      this.skipToBrace();
      throw bad();
    }
    param.op = op;
    if (op === '/' || op === '//' || op === '/#' || op === '/%') {
      param.arg = this.readParamWord(inDq, true, '/}');
      if (this.src[this.i] === '/') {
        this.i++;
        param.arg2 = this.readParamWord(inDq, false, '}');
      }
    } else if (op === ':') {
      param.arg = this.readParamWord(inDq, false, ':}', true);
      if (this.src[this.i] === ':') {
        this.i++;
        param.arg2 = this.readParamWord(inDq, false, '}', true);
      }
      // ${x:} is an error; ${x::4} is an empty offset, 0 (ash)
      if (param.arg.parts.length === 0 && !param.arg2) throw this.error("missing '}'");
    } else {
      param.arg = this.readParamWord(inDq, op === '#' || op === '##' || op === '%' || op === '%%', '}');
    }
    if (this.src[this.i] !== '}') throw this.error("missing '}'", true);
    this.i++;
    return param;
  }

  /** After a bad `${`: move past the closing brace so the error points past it. */
  private skipToBrace(): void {
    const end = this.src.indexOf('}', this.i);
    this.i = end === -1 ? this.src.length : end + 1;
  }

  /** An operand inside `${...}`, up to an unquoted character of `stop` (not consumed). Pattern
   *  operands (and any operand outside double quotes) follow unquoted rules; the others inside
   *  double quotes follow double-quote rules, where `'` is an ordinary character. */
  private readParamWord(inDq: boolean, pattern: boolean, stop: string, arith = false): Word {
    const pos = this.basePos();
    const parts: Part[] = [];
    const dqRules = inDq && !pattern;
    let text = '';
    let depth = 0; // parentheses in ${x:(-2)}
    const flush = () => {
      if (text) parts.push(dqRules ? { t: 'q', s: text } : { t: 'lit', s: text });
      text = '';
    };
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw this.error("missing '}'", true);
      if (stop.includes(c) && depth === 0) break;
      if (arith && c === '(') depth++;
      else if (arith && c === ')') depth--;
      if (c === '\\') {
        const n = this.src[this.i + 1];
        if (n === '\n') {
          this.i += 2;
          continue;
        }
        if (dqRules && n !== '$' && n !== '`' && n !== '"' && n !== '\\' && n !== '}') {
          text += c;
          this.i++;
          continue;
        }
        flush();
        this.i += 2;
        pushQuoted(parts, n ?? '\\');
        continue;
      }
      if (c === "'" && !dqRules) {
        flush();
        this.i++;
        pushQuoted(parts, this.readSingle());
        continue;
      }
      if (c === '"') {
        flush();
        this.i++;
        parts.push(this.readDouble());
        continue;
      }
      if (c === '$' || c === '`') {
        const part = c === '$' ? this.readDollar(dqRules) : this.readBackquote(inDq);
        if (part) {
          flush();
          if (part.t === 'q') pushQuoted(parts, part.s);
          else parts.push(part);
          continue;
        }
      }
      text += c;
      this.i++;
    }
    flush();
    return makeWord(parts, pos);
  }

  /** At a backquote: the command up to the matching unescaped backquote. */
  private readBackquote(inDq: boolean): Part {
    const startLine = this.lineAt(this.basePos());
    this.i++;
    let inner = '';
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw this.error('EOF in backquote substitution', true);
      this.i++;
      if (c === '`') break;
      if (c === '\\') {
        const n = this.src[this.i];
        if (n === '$' || n === '`' || n === '\\' || (inDq && n === '"')) {
          inner += n;
          this.i++;
          continue;
        }
      }
      inner += c;
    }
    const body = this.subParser(inner, startLine).parseAll();
    return { t: 'cmd', body, backquote: true };
  }

  // ---- here-documents

  protected addHeredoc(redir: Redir, rawDelim: string): void {
    const quoted = /['"\\`]/.test(rawDelim); // a backquote in the word quotes the body too (ash)
    redir.quoted = quoted;
    this.pendingHeredocs.push({ redir, delim: removeQuotes(rawDelim), strip: redir.op === '<<-' });
  }

  /** After a newline: the bodies of the here-documents started on the line just ended. */
  private readHeredocs(): void {
    const pending = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const h of pending) {
      const bodyLine = this.lineAt(this.basePos());
      let body = '';
      let joined = false; // the previous line ended in `\`: this one continues it (unquoted only)
      for (;;) {
        if (this.atEnd()) {
          if (!this.final) throw this.error('unexpected end of file (here-document)', true);
          break;
        }
        let end = this.src.indexOf('\n', this.i);
        const hasNl = end !== -1;
        if (!hasNl) end = this.src.length;
        let line = this.src.slice(this.i, end);
        this.i = hasNl ? end + 1 : end;
        if (h.strip) line = line.replace(/^\t+/, '');
        if (!joined && line === h.delim) break;
        if (!hasNl && !this.final && line !== '') {
          throw this.error('unexpected end of file (here-document)', true);
        }
        body += line + (hasNl ? '\n' : '');
        joined = !h.redir.quoted && /(^|[^\\])(\\\\)*\\$/.test(line);
      }
      h.redir.body = h.redir.quoted ? makeWord(body ? [{ t: 'q', s: body }] : [], 0) : this.parseHeredocBody(body, bodyLine);
    }
  }

  /** An unquoted here-document body: `$` and backquote expansions; `\` escapes only `$ \` \\` and newline. */
  private parseHeredocBody(body: string, line: number): Word {
    const sub = this.subParser(body, line);
    return sub.readHeredocText();
  }

  /** The rest of the text as an unquoted here-document body. */
  readHeredocText(): Word {
    const parts: Part[] = [];
    let q = '';
    const flush = () => {
      if (q) parts.push({ t: 'q', s: q });
      q = '';
    };
    while (!this.atEnd()) {
      const c = this.src[this.i]!;
      if (c === '\\') {
        const n = this.src[this.i + 1];
        if (n === '\n') {
          this.i += 2;
          continue;
        }
        if (n === '$' || n === '`' || n === '\\') {
          q += n;
          this.i += 2;
          continue;
        }
        q += c;
        this.i++;
        continue;
      }
      if ((c === '$' || c === '`') && !this.eofMark) {
        const part = c === '$' ? this.readDollar(true) : this.readBackquote(false);
        if (part) {
          if (part.t === 'q') q += part.s;
          else {
            flush();
            parts.push(part);
          }
          continue;
        }
      }
      q += c;
      this.i++;
    }
    flush();
    return makeWord(parts, 0);
  }
}

/** Append quoted text, merging with a preceding quoted part. */
function pushQuoted(parts: Part[], s: string): void {
  const last = parts[parts.length - 1];
  if (last?.t === 'q') last.s += s;
  else parts.push({ t: 'q', s });
}

/** `~user/rest` at the start of a word: a tilde part, if the prefix is all unquoted. */
function splitTilde(parts: Part[]): Part[] {
  const first = parts[0];
  if (first?.t !== 'lit' || first.s[0] !== '~') return parts;
  const slash = first.s.indexOf('/');
  if (slash === -1 && parts.length > 1) return parts; // a quoted or expanded part inside the prefix
  const user = first.s.slice(1, slash === -1 ? undefined : slash);
  const rest = slash === -1 ? '' : first.s.slice(slash);
  const out: Part[] = [{ t: 'tilde', user }];
  if (rest) out.push({ t: 'lit', s: rest });
  return out.concat(parts.slice(1));
}

/** In an assignment value, `~` after the `=` and after each unquoted `:` is a tilde prefix. */
export function assignmentTildes(parts: Part[]): Part[] {
  const out: Part[] = [];
  let atStart = true;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (p.t !== 'lit') {
      out.push(p);
      atStart = false;
      continue;
    }
    const pieces = p.s.split(':');
    for (let j = 0; j < pieces.length; j++) {
      const piece = pieces[j]!;
      const segStart = j > 0 || atStart;
      if (j > 0) out.push({ t: 'lit', s: ':' });
      const followedByMore = j === pieces.length - 1 && k < parts.length - 1 && parts[k + 1]!.t !== 'lit';
      if (segStart && piece.startsWith('~')) {
        const slash = piece.indexOf('/');
        if (slash === -1 && followedByMore) out.push({ t: 'lit', s: piece });
        else {
          out.push({ t: 'tilde', user: piece.slice(1, slash === -1 ? undefined : slash) });
          if (slash !== -1) out.push({ t: 'lit', s: piece.slice(slash) });
        }
      } else if (piece) out.push({ t: 'lit', s: piece });
    }
    atStart = false;
  }
  return mergeLits(out);
}

function mergeLits(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.t === 'lit' && last?.t === 'lit') last.s += p.s;
    else out.push(p);
  }
  return out;
}

/** Build a word and its precomputed facts (literal value, contains a substitution). */
export function makeWord(parts: Part[], pos: number): Word {
  const w: Word = { parts, pos };
  let lit = '';
  let literal = true;
  for (const p of parts) {
    if (p.t === 'q') lit += p.s;
    else if (p.t === 'lit' && !hasGlob(p.s)) lit += p.s;
    else literal = false;
  }
  if (literal && parts.length) w.lit = lit;
  if (parts.some(hasSubst)) w.subst = true;
  return w;
}

function hasSubst(p: Part): boolean {
  switch (p.t) {
    case 'cmd':
      return true;
    case 'dq':
      return p.parts.some(hasSubst);
    case 'param':
      return !!(p.arg?.subst || p.arg2?.subst);
    case 'arith':
      return !!p.expr.subst;
    default:
      return false;
  }
}

/** Quote removal on raw text (here-document delimiters). */
function removeQuotes(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) out += raw[++i];
    else if (c === "'") {
      const e = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, e === -1 ? undefined : e);
      i = e === -1 ? raw.length : e;
    } else if (c === '"') {
      i++;
      for (; i < raw.length && raw[i] !== '"'; i++) {
        if (raw[i] === '\\' && '$`"\\'.includes(raw[i + 1] ?? '')) i++;
        out += raw[i];
      }
    } else out += c;
  }
  return out;
}
