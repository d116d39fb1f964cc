// The grammar of POSIX.1-2024's Shell Command Language plus what BusyBox ash accepts (`function`,
// `&>`, `<<<`, `;&`, a simple command as a function body), by recursive descent. Syntax errors are
// worded as ash words them; one that ends at the end of the text is marked `incomplete`, so an
// interactive shell can ask for another line.
import type { Assign, CaseItem, Command, Compound, Redir, RedirOp, Simple, Word } from './ast.js';
import { assignmentTildes, isName, Lexer, type LexerOptions, makeWord, type Token } from './lexer.js';

export { ParseError } from './lexer.js';

/** Tokens that end a compound list. */
const LIST_END = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
const REDIR_OPS = new Set(['<', '>', '>>', '>|', '<>', '<&', '>&', '<<', '<<-', '<<<', '&>']);

export class Parser extends Lexer {
  constructor(text: string, private readonly opts: LexerOptions = {}, start = 0) {
    super(text, opts, start);
  }

  /** The next complete command (up to a newline at top level), or null at the end of the text.
   *  Commands are parsed one at a time so that an alias defined by one applies to the next. */
  parseNext(): Command | null {
    try {
      return this.nextCommand();
    } catch (err) {
      // Text nested deeper than the parser's recursion can go
      if (err instanceof RangeError) throw this.error('nesting too deep');
      throw err;
    }
  }

  private nextCommand(): Command | null {
    this.skipNewlines();
    if (this.peek().k === 'eof') return null;
    const cmd = this.andOrList(true);
    const t = this.peek();
    if (t.k === 'nl') this.next();
    else if (t.k !== 'eof') throw this.unexpected(t);
    return cmd;
  }

  /** The whole text as one command list (null if it holds none). */
  parseAll(): Command | null {
    const cmds: Command[] = [];
    for (let c = this.parseNext(); c; c = this.parseNext()) cmds.push(c);
    return seq(cmds);
  }

  protected parseSubstitution(): Command | null {
    const body = this.compoundList(false);
    const t = this.next();
    if (!(t.k === 'op' && t.op === ')')) throw this.unexpected(t, ')');
    return body;
  }

  protected subParser(text: string, line: number): Parser {
    return new Parser(text, { ...this.opts, firstLine: line, final: true });
  }

  // ---- errors

  private describe(t: Token): string {
    switch (t.k) {
      case 'eof':
        return 'end of file';
      case 'nl':
        return 'newline';
      case 'op':
        return `"${t.op}"`;
      case 'io':
        return 'redirection';
      case 'word':
        return reservedWord(t) !== undefined ? `"${t.raw}"` : 'word';
    }
  }

  private unexpected(t: Token, expecting?: string): Error {
    const what = this.describe(t);
    const exp = expecting ? ` (expecting "${expecting}")` : '';
    return this.error(`unexpected ${what}${exp}`, t.k === 'eof', t.pos);
  }

  // ---- helpers

  private skipNewlines(): void {
    while (this.peek().k === 'nl') this.next();
  }

  private isOp(t: Token, op: string): t is Token & { k: 'op'; op: string } {
    return t.k === 'op' && t.op === op;
  }

  /** The next token is the reserved word `word` (in a position where reserved words count). */
  private atReserved(word: string): boolean {
    const t = this.peek();
    return t.k === 'word' && reservedWord(t) === word;
  }

  private expectReserved(word: string): void {
    const t = this.next();
    if (!(t.k === 'word' && reservedWord(t) === word)) throw this.unexpected(t, word);
  }

  /** Expand an alias at the start of a command (and after an alias ending in a blank). */
  private expandAlias(): void {
    for (;;) {
      const t = this.peek();
      if (t.k !== 'word' || !this.aliases || t.raw !== t.w.lit || t.w.lit === undefined) return;
      const value = this.aliases(t.raw);
      if (value === undefined || this.aliasActive(t.raw)) return;
      this.unpeek();
      this.pushAlias(t.raw, value);
    }
  }

  // ---- grammar

  /** and-or lists separated by `;` `&` (and newlines unless `top`): a complete command or a compound list. */
  private andOrList(top: boolean): Command {
    const cmds: Command[] = [];
    for (;;) {
      const first = this.andOr();
      const t = this.peek();
      if (this.isOp(t, '&')) {
        this.next();
        cmds.push({ t: 'bg', cmd: first, pos: first.pos, line: first.line });
      } else if (this.isOp(t, ';')) {
        this.next();
        cmds.push(first);
      } else {
        cmds.push(first);
        break;
      }
      // After ; or &: another command may follow on the same line.
      const n = this.peek();
      if (n.k === 'nl' || n.k === 'eof' || (n.k === 'op' && (n.op === ')' || n.op === ';;' || n.op === ';&'))) break;
      if (!top && n.k === 'word' && LIST_END.has(reservedWord(n) ?? '')) break;
    }
    return seq(cmds)!;
  }

  /** A compound list: commands separated by ; & or newlines, up to a closing reserved word or `)`.
   *  `expecting` names what must close it, for the message when the text ends first. */
  private compoundList(required = true, expecting?: string): Command | null {
    const cmds: Command[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.k === 'eof' || (t.k === 'op' && (t.op === ')' || t.op === ';;' || t.op === ';&'))) break;
      if (t.k === 'word' && LIST_END.has(reservedWord(t) ?? '')) break;
      cmds.push(this.andOrList(false));
    }
    if (required && cmds.length === 0) {
      const t = this.peek();
      throw this.unexpected(t, t.k === 'eof' ? expecting : undefined);
    }
    return seq(cmds);
  }

  private andOr(): Command {
    let left = this.pipeline();
    for (;;) {
      const t = this.peek();
      if (!(this.isOp(t, '&&') || this.isOp(t, '||'))) return left;
      this.next();
      this.skipNewlines();
      const right = this.pipeline();
      left = { t: t.op === '&&' ? 'and' : 'or', left, right, pos: left.pos, line: left.line };
    }
  }

  private pipeline(): Command {
    const start = this.peek();
    let bang = false;
    if (start.k === 'word' && reservedWord(start) === '!') {
      this.next();
      bang = true;
      const t = this.peek();
      if (t.k === 'word' && reservedWord(t) === '!') throw this.unexpected(t);
    }
    const cmds = [this.command()];
    while (this.isOp(this.peek(), '|')) {
      this.next();
      this.skipNewlines();
      const t = this.peek();
      if (t.k === 'word' && reservedWord(t) === '!') throw this.unexpected(t);
      cmds.push(this.command());
    }
    if (cmds.length === 1 && !bang) return cmds[0]!;
    return { t: 'pipe', cmds, bang, pos: start.pos, line: this.lineAt(start.pos) };
  }

  private command(): Command {
    this.expandAlias();
    const t = this.peek();
    const pos = t.pos;
    const line = this.lineAt(pos);
    if (t.k === 'op' && t.op === '(') {
      this.next();
      const body = this.compoundList(true, ')')!;
      const close = this.next();
      if (!this.isOp(close, ')')) throw this.unexpected(close, ')');
      return this.withRedirs({ t: 'sub', body, redirs: [], pos, line });
    }
    if (t.k === 'word') {
      switch (reservedWord(t)) {
        case '{': {
          this.next();
          const body = this.compoundList(true, '}')!;
          this.expectReserved('}');
          return this.withRedirs({ t: 'group', body, redirs: [], pos, line });
        }
        case 'if':
          this.next();
          return this.withRedirs(this.ifClause(pos, line));
        case 'while':
        case 'until': {
          this.next();
          const cond = this.compoundList(true, 'do')!;
          this.expectReserved('do');
          const body = this.compoundList(true, 'done')!;
          this.expectReserved('done');
          return this.withRedirs({ t: reservedWord(t) as 'while' | 'until', cond, body, redirs: [], pos, line });
        }
        case 'for':
          this.next();
          return this.withRedirs(this.forClause(pos, line));
        case 'case':
          this.next();
          return this.withRedirs(this.caseClause(pos, line));
        case 'function':
          return this.functionKeyword(pos, line);
        case undefined:
        case 'in':
          break;
        default:
          throw this.unexpected(t);
      }
    }
    return this.simple(pos, line);
  }

  private ifClause(pos: number, line: number, elif = false): Compound {
    const cond = this.compoundList(true, 'then')!;
    this.expectReserved('then');
    const then = this.compoundList(true, 'fi')!;
    const node: Compound = { t: 'if', cond, then, redirs: [], pos, line };
    if (elif) node.elif = true;
    const t = this.peek();
    if (t.k === 'word' && reservedWord(t) === 'elif') {
      this.next();
      node.else = this.ifClause(t.pos, this.lineAt(t.pos), true);
      return node;
    }
    if (t.k === 'word' && reservedWord(t) === 'else') {
      this.next();
      node.else = this.compoundList(true, 'fi')!;
    }
    this.expectReserved('fi');
    return node;
  }

  private forClause(pos: number, line: number): Compound {
    const nameTok = this.next();
    if (nameTok.k !== 'word' || !isName(nameTok.raw)) throw this.error('bad for loop variable', nameTok.k === 'eof', nameTok.pos);
    let words: Word[] | null = null;
    this.skipNewlines();
    if (this.atReserved('in')) {
      this.next();
      words = [];
      for (;;) {
        const t = this.peek();
        if (t.k !== 'word') break;
        this.next();
        words.push(t.w);
      }
      const t = this.next();
      if (!(t.k === 'nl' || this.isOp(t, ';'))) throw this.unexpected(t);
      this.skipNewlines();
    } else if (this.isOp(this.peek(), ';')) {
      this.next();
      this.skipNewlines();
    }
    this.expectReserved('do');
    const body = this.compoundList(true, 'done')!;
    this.expectReserved('done');
    return { t: 'for', name: nameTok.raw, words, body, redirs: [], pos, line };
  }

  private caseClause(pos: number, line: number): Compound {
    const wt = this.next();
    if (wt.k !== 'word') throw this.unexpected(wt);
    this.skipNewlines();
    this.expectReserved('in');
    const items: CaseItem[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.atReserved('esac')) {
        this.next();
        break;
      }
      if (this.isOp(this.peek(), '(')) this.next();
      const patterns: Word[] = [];
      for (;;) {
        const p = this.next();
        if (p.k !== 'word') throw this.unexpected(p, p.k === 'eof' ? ')' : undefined);
        patterns.push(p.w);
        const sep = this.next();
        if (this.isOp(sep, ')')) break;
        if (!this.isOp(sep, '|')) throw this.unexpected(sep, ')');
      }
      const body = this.compoundList(false);
      const end = this.peek();
      const item: CaseItem = { patterns, body, fallthrough: false };
      items.push(item);
      if (this.isOp(end, ';;') || this.isOp(end, ';&')) {
        this.next();
        item.fallthrough = end.op === ';&';
        continue;
      }
      if (this.atReserved('esac')) {
        this.next();
        break;
      }
      throw this.unexpected(end, ';;');
    }
    return { t: 'case', word: wt.w, items, redirs: [], pos, line };
  }

  private functionKeyword(pos: number, line: number): Command {
    this.next();
    const nameTok = this.next();
    if (nameTok.k !== 'word') throw this.unexpected(nameTok, 'word');
    if (this.isOp(this.peek(), '(')) {
      this.next();
      const close = this.next();
      if (!this.isOp(close, ')')) throw this.unexpected(close, ')');
    }
    return this.functionBody(nameTok.raw, pos, line, true);
  }

  private functionBody(name: string, pos: number, line: number, keyword = false): Command {
    this.skipNewlines();
    const t = this.peek();
    if (t.k === 'eof' || (t.k === 'op' && !REDIR_OPS.has(t.op) && t.op !== '(')) throw this.unexpected(t);
    const body = this.command();
    return { t: 'func', name, body, keyword: keyword || undefined, pos, line } as Command;
  }

  /** Redirections after a compound command. */
  private withRedirs<C extends Compound>(node: C): C {
    for (;;) {
      const t = this.peek();
      if (t.k === 'io' || (t.k === 'op' && REDIR_OPS.has(t.op))) node.redirs.push(this.redirection());
      else break;
    }
    // `{ a; } then`: a reserved word that ends the enclosing list may follow directly
    const t = this.peek();
    if (t.k === 'word' && !LIST_END.has(reservedWord(t) ?? '')) throw this.unexpected(t);
    if (this.isOp(t, '(')) throw this.unexpected(t);
    return node;
  }

  private redirection(): Redir {
    let fd: number | undefined;
    let t = this.next();
    if (t.k === 'io') {
      fd = t.fd;
      t = this.next();
    }
    if (t.k !== 'op' || !REDIR_OPS.has(t.op)) throw this.unexpected(t);
    const op = t.op as RedirOp;
    const heredoc = op === '<<' || op === '<<-';
    this.eofMark = heredoc;
    let target: Token;
    try {
      target = this.next();
    } finally {
      this.eofMark = false;
    }
    if (target.k !== 'word') throw this.unexpected(target);
    const redir: Redir = { op, target: target.w };
    if (fd !== undefined) redir.fd = fd;
    if (heredoc) this.addHeredoc(redir, target.raw);
    return redir;
  }

  private simple(pos: number, line: number): Command {
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      // The command name is checked for an alias after assignments too, and any word after an
      // alias whose text ends in a blank.
      const next = this.peek();
      if (next.k === 'word' && ((words.length === 0 && assigns.length > 0) || next.afterAlias)) this.expandAlias();
      const t = this.peek();
      if (t.k === 'io' || (t.k === 'op' && REDIR_OPS.has(t.op))) {
        redirs.push(this.redirection());
        continue;
      }
      if (t.k !== 'word') break;
      if (words.length === 0) {
        const eq = t.raw.indexOf('=');
        if (eq > 0 && isName(t.raw.slice(0, eq)) && t.w.parts[0]?.t === 'lit' && t.w.parts[0].s.length > eq) {
          this.next();
          assigns.push(assignment(t.w, eq));
          continue;
        }
      }
      this.next();
      words.push(t.w);
      if (words.length === 1 && assigns.length === 0 && redirs.length === 0 && this.isOp(this.peek(), '(')) {
        // name() body: a function definition
        this.next();
        const close = this.next();
        if (!this.isOp(close, ')')) throw this.unexpected(close, ')');
        return this.functionBody(t.raw, pos, line);
      }
    }
    if (!assigns.length && !words.length && !redirs.length) throw this.unexpected(this.peek());
    const node: Simple = { t: 'simple', assigns, words, redirs, pos, line };
    return node;
  }
}

/** The reserved word a token is, if it is one written without quotes. */
function reservedWord(t: Token & { k: 'word' }): string | undefined {
  const s = t.raw;
  return RESERVED_WORDS.has(s) && t.w.lit === s ? s : undefined;
}
const RESERVED_WORDS = new Set(['!', '{', '}', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'then', 'until', 'while']);

/** `NAME=value` → an assignment (the value with its tilde prefixes). */
function assignment(w: Word, eq: number): Assign {
  const first = w.parts[0] as { t: 'lit'; s: string };
  const name = first.s.slice(0, eq);
  const rest = first.s.slice(eq + 1);
  const parts = rest ? [{ t: 'lit' as const, s: rest }, ...w.parts.slice(1)] : w.parts.slice(1);
  return { name, value: makeWord(assignmentTildes(parts), w.pos + eq + 1) };
}

function seq(cmds: Command[]): Command | null {
  if (cmds.length === 0) return null;
  if (cmds.length === 1) return cmds[0]!;
  return { t: 'seq', cmds, pos: cmds[0]!.pos, line: cmds[0]!.line };
}

/** Text with here-document rules (expansions; quotes are ordinary characters): prompts, $ENV. */
export function parseExpandable(text: string): Word {
  return new Parser(text, {}).readHeredocText();
}

/** Parse a whole text (for tests, eval, functions and -n). */
export function parse(text: string, opts: LexerOptions = {}): Command | null {
  return new Parser(text, opts).parseAll();
}
