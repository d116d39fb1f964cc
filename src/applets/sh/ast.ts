// The shell's syntax tree. parse() makes it, unparse() prints it back, the interpreter walks it.
// Every command node carries its position (offset into the source and 1-based line), so errors and
// $LINENO can name the line. Strings are binary (one char per byte), like all user data in toolbox.

/** A piece of a word. Quoting is kept (q/dq), because it decides splitting, globbing and patterns. */
export type Part = Lit | Quoted | DoubleQuoted | Param | CommandSubst | Arith | Tilde;

/** Unquoted text: glob characters in it are active. */
export interface Lit {
  t: 'lit';
  s: string;
}
/** Quoted text ('...', $'...', \c, or literal text inside "..."): taken as is. */
export interface Quoted {
  t: 'q';
  s: string;
}
export interface DoubleQuoted {
  t: 'dq';
  parts: Part[];
}

export type ParamOp =
  | '' // $x ${x}
  | 'len' // ${#x}
  | '-' | '=' | '?' | '+' // with `colon` for :- := :? :+
  | '#' | '##' | '%' | '%%' // pattern removal
  | '/' | '//' | '/#' | '/%' // pattern substitution (ash/bash)
  | ':'; // substring ${x:off:len}

export interface Param {
  t: 'param';
  /** A name, a positional number (`1`, `10`), or one of @ * # ? - $ ! 0. */
  name: string;
  op: ParamOp;
  /** With - = ? +: tests for empty as well as unset. */
  colon?: boolean;
  /** The operand: default word, pattern, substring offset. */
  arg?: Word;
  /** The second operand: replacement of / //, length of a substring. */
  arg2?: Word;
  /** Written with braces (only matters for printing). */
  brace?: boolean;
}

export interface CommandSubst {
  t: 'cmd';
  /** The commands; null for `$()`. */
  body: Command | null;
  backquote?: boolean;
}

export interface Arith {
  t: 'arith';
  /** The expression text, expanded (parameters, substitutions, quote removal) before evaluation. */
  expr: Word;
  /** Set by the expander: the compiled expression, when its text is constant. */
  compiled?: unknown;
}

/** `~` or `~user` at the start of a word (or after `:` in an assignment). */
export interface Tilde {
  t: 'tilde';
  user: string;
}

export interface Word {
  parts: Part[];
  /** Offset of the word in the source. */
  pos: number;
  /** Set when the word is plain unquoted text without expansions or glob characters: its value. */
  lit?: string;
  /** The word contains a command substitution somewhere (expansion may have to wait for it). */
  subst?: boolean;
  /** Set by the expander: the word's pattern text, when it is constant. */
  pattern?: string;
}

export type RedirOp = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-' | '<<<' | '&>';

export interface Redir {
  /** The descriptor written before the operator; undefined for the operator's default. */
  fd?: number;
  op: RedirOp;
  /** The file, descriptor number or here-string; for here-documents the delimiter as written. */
  target: Word;
  /** Here-document body (`<<`, `<<-`): expanded unless the delimiter was quoted. */
  body?: Word;
  quoted?: boolean;
}

interface At {
  /** Offset of the command's first character in the source. */
  pos: number;
  /** Line number (1-based within the parsed text). */
  line: number;
}

export interface Assign {
  name: string;
  value: Word;
}

export interface Simple extends At {
  t: 'simple';
  assigns: Assign[];
  words: Word[];
  redirs: Redir[];
  /** Set by the interpreter on first run: a command substitution occurs somewhere in it. */
  subst?: boolean;
  /** Set by the interpreter on first run: this command specialised to a function (compile.ts). */
  runner?: unknown;
}
export interface Pipeline extends At {
  t: 'pipe';
  cmds: Command[];
  bang: boolean;
}
export interface AndOr extends At {
  t: 'and' | 'or';
  left: Command;
  right: Command;
}
/** Commands run one after another (`;` or newline). */
export interface Sequence extends At {
  t: 'seq';
  cmds: Command[];
}
/** `cmd &` */
export interface Background extends At {
  t: 'bg';
  cmd: Command;
}
export interface Subshell extends At {
  t: 'sub';
  body: Command;
  redirs: Redir[];
}
export interface Group extends At {
  t: 'group';
  body: Command;
  redirs: Redir[];
}
export interface If extends At {
  t: 'if';
  cond: Command;
  then: Command;
  else?: Command;
  /** This `if` was written as an `elif` of the enclosing one. */
  elif?: boolean;
  redirs: Redir[];
}
export interface Loop extends At {
  t: 'while' | 'until';
  cond: Command;
  body: Command;
  redirs: Redir[];
}
export interface For extends At {
  t: 'for';
  name: string;
  /** null: `for x do` (iterates over "$@"). */
  words: Word[] | null;
  body: Command;
  redirs: Redir[];
}
export interface CaseItem {
  patterns: Word[];
  body: Command | null;
  /** Ended by `;&`: fall through into the next item's body. */
  fallthrough: boolean;
}
export interface Case extends At {
  t: 'case';
  word: Word;
  items: CaseItem[];
  redirs: Redir[];
}
export interface FuncDef extends At {
  t: 'func';
  name: string;
  body: Command;
  /** Written as `function name`. */
  keyword?: boolean;
}

export type Command =
  | Simple
  | Pipeline
  | AndOr
  | Sequence
  | Background
  | Subshell
  | Group
  | If
  | Loop
  | For
  | Case
  | FuncDef;

/** Compound commands: the ones that take trailing redirections. */
export type Compound = Subshell | Group | If | Loop | For | Case;

export const RESERVED = new Set([
  '!', '{', '}', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'then', 'until', 'while',
]);
