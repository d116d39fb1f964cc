// Word expansion in POSIX order: tilde, parameter, command substitution and arithmetic (left to
// right), field splitting by IFS, pathname expansion, quote removal. The parser has already split
// words into quoted and unquoted parts, so quote removal is implicit.
//
// Expansion is synchronous. A command substitution whose commands have to wait (an applet, a
// program) throws Suspend; the caller awaits it and expands again with the results computed so far
// replayed from sh.replay (see interp.ts withReplay), so nothing runs twice.
import { userByName } from '../../core/ids.js';
import { ArithError, compile, type ArithFn, type Num } from './arith.js';
import type { Arith, CommandSubst, Param, Part, Word } from './ast.js';
import { Suspend } from './errors.js';
import { commandSubstitution } from './interp.js';
import { escapePattern, glob, hasMagic, type Pattern } from './pattern.js';
import type { Shell } from './shell.js';

const DEFAULT_IFS = ' \t\n';
const GLOB_CHARS = /[*?[]/;
const PATTERN_SPECIAL = /[\\*?[\]]/;

const enum Delim {
  /** Nothing yet in this word. */
  Start,
  /** Inside a field (or after literal text). */
  None,
  /** A field just ended at IFS white space. */
  White,
  /** A field just ended at an IFS character that is not white space. */
  Hard,
}

/** Builds the fields of one or more words. */
class Fields {
  private cur = '';
  private pat = '';
  /** The current field exists even if empty (it had quoted text). */
  private exists = false;
  /** The current field has an unquoted glob character. */
  private magic = false;
  private delim = Delim.Start;
  /** IFS and its white-space characters, looked up when first needed. */
  private ifsChars: string | undefined;
  private ifsWhiteChars = '';

  constructor(
    private readonly sh: Shell,
    /** false: one field per word, no splitting or globbing (assignments, case words ...). */
    private readonly split: boolean,
    readonly out: string[] = [],
  ) {}

  private get ifs(): string {
    if (this.ifsChars === undefined) {
      this.ifsChars = this.split ? (this.sh.get('IFS') ?? DEFAULT_IFS) : '';
      this.ifsWhiteChars = this.ifsChars === DEFAULT_IFS ? DEFAULT_IFS : this.ifsChars.replace(/[^ \t\n]/g, '');
    }
    return this.ifsChars;
  }
  private get ifsWhite(): string {
    void this.ifs;
    return this.ifsWhiteChars;
  }

  /** Literal text from the word itself (unquoted: glob characters active, never split). */
  lit(s: string): void {
    this.cur += s;
    this.pat += s;
    if (this.split && !this.magic && GLOB_CHARS.test(s)) this.magic = true;
    this.exists = true;
    this.delim = Delim.None;
  }

  /** Quoted text: taken as is. */
  quoted(s: string): void {
    this.cur += s;
    if (this.split) this.pat += PATTERN_SPECIAL.test(s) ? escapePattern(s) : s;
    this.exists = true;
    this.delim = Delim.None;
  }

  /** The result of an unquoted expansion: split at IFS characters, glob characters active. */
  expanded(s: string): void {
    if (s === '') return;
    if (!this.split) {
      this.cur += s;
      this.exists = true;
      this.delim = Delim.None;
      return;
    }
    if (!hasIfsChar(s, this.ifs)) {
      this.cur += s;
      this.pat += s.includes('\\') ? s.replace(/\\/g, '\\\\') : s;
      if (!this.magic && GLOB_CHARS.test(s)) this.magic = true;
      this.exists = true;
      this.delim = Delim.None;
      return;
    }
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (!this.ifs.includes(c)) continue;
      if (i > start) this.expanded(s.slice(start, i));
      start = i + 1;
      if (this.ifsWhite.includes(c)) {
        if (this.exists) {
          this.end();
          this.delim = Delim.White;
        }
      } else if (this.exists) {
        this.end();
        this.delim = Delim.Hard;
      } else if (this.delim === Delim.White) this.delim = Delim.Hard;
      else {
        this.exists = true;
        this.end();
        this.delim = Delim.Hard;
      }
    }
    if (start < s.length) this.expanded(s.slice(start));
  }

  /** A field break that is not an IFS character (between "$@" elements, unquoted $@ elements). */
  brk(force: boolean): void {
    if (this.exists || force) {
      this.exists = true;
      this.end();
    }
    this.delim = Delim.Start;
  }

  /** Mark the current field as existing (a quoted empty string). */
  touch(): void {
    this.exists = true;
    this.delim = Delim.None;
  }

  /** End of a word. */
  finish(): void {
    if (this.exists) this.end();
    this.delim = Delim.Start;
  }

  private end(): void {
    if (this.magic && !this.sh.opts.noglob && hasMagic(this.pat)) {
      const found = glob(this.pat, this.sh.cwd, this.sh.patterns);
      if (found.length) this.out.push(...found);
      else this.out.push(this.cur);
    } else this.out.push(this.cur);
    this.cur = '';
    this.pat = '';
    this.exists = false;
    this.magic = false;
  }
}

function hasIfsChar(s: string, ifs: string): boolean {
  if (ifs === DEFAULT_IFS) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10) return true;
    }
    return false;
  }
  for (let i = 0; i < ifs.length; i++) if (s.includes(ifs[i]!)) return true;
  return false;
}

// ---- entry points

/** `"$name"`: the parameter, if the word is just that (the commonest word after a literal). */
function quotedParam(w: Word): Param | undefined {
  if (w.parts.length !== 1) return undefined;
  const p = w.parts[0]!;
  if (p.t !== 'dq' || p.parts.length !== 1) return undefined;
  const q = p.parts[0]!;
  return q.t === 'param' && q.op === '' && q.name !== '@' && q.name !== '*' ? q : undefined;
}

/** Words → fields (command arguments, for-loop lists). */
export function expandWords(sh: Shell, words: readonly Word[]): string[] {
  const out: string[] = [];
  let f: Fields | undefined;
  // Indexed loops: in code not yet optimised, for-of allocates an iterator result per step.
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.lit !== undefined) {
      out.push(w.lit);
      continue;
    }
    const qp = quotedParam(w);
    if (qp) {
      const v = paramValue(sh, qp.name);
      if (v !== undefined || !sh.opts.nounset) {
        out.push(v ?? '');
        continue;
      }
    }
    f ??= new Fields(sh, true, out);
    expandParts(sh, w.parts, false, f);
    f.finish();
  }
  return out;
}

/** One word → one string: no field splitting, no pathname expansion (assignments, case words,
 *  here-strings, redirection targets). */
export function expandString(sh: Shell, w: Word): string {
  if (w.lit !== undefined) return w.lit;
  if (w.parts.length === 1) {
    // The common single-expansion words, without building fields.
    const p = w.parts[0]!;
    if (p.t === 'arith') return String(arithmetic(sh, p));
    if (p.t === 'param') return paramString(sh, p);
    if (p.t === 'dq' && p.parts.length === 1 && p.parts[0]!.t === 'param') return paramString(sh, p.parts[0] as Param);
  }
  const f = new Fields(sh, false);
  expandParts(sh, w.parts, false, f);
  f.finish();
  return f.out.join(' ');
}

/** A word as a pattern (case patterns, ${x#...}): quoted characters escaped with a backslash. */
export function expandPattern(sh: Shell, w: Word): string {
  let out = '';
  for (let i = 0; i < w.parts.length; i++) out += patternPart(sh, w.parts[i]!);
  return out;
}

function patternPart(sh: Shell, p: Part): string {
  switch (p.t) {
    case 'lit':
      return p.s;
    case 'q':
      return escapePattern(p.s);
    case 'dq':
      return escapePattern(stringOfParts(sh, p.parts, true));
    default: {
      const s = stringOfParts(sh, [p], false);
      return p.t === 'tilde' ? escapePattern(s) : s;
    }
  }
}

/** Here-document body (no splitting, no globbing; quotes are ordinary characters). */
export function expandHeredoc(sh: Shell, w: Word): string {
  return stringOfParts(sh, w.parts, true);
}

/** Parts → one string without splitting or globbing. */
function stringOfParts(sh: Shell, parts: Part[], quoted: boolean): string {
  const f = new Fields(sh, false);
  expandParts(sh, parts, quoted, f);
  f.finish();
  return f.out.length ? f.out.join(' ') : '';
}

// ---- parts

/** Expand parts into the fields. `operand`: the parts are a ${x-word} operand, whose unquoted text
 *  is part of the expansion's result and so is split like it. */
function expandParts(sh: Shell, parts: readonly Part[], quoted: boolean, f: Fields, operand = false): void {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    switch (p.t) {
      case 'lit':
        if (quoted) f.quoted(p.s);
        else if (operand) f.expanded(p.s);
        else f.lit(p.s);
        break;
      case 'q':
        f.quoted(p.s);
        break;
      case 'dq':
        if (p.parts.length === 0) f.touch();
        else if (p.parts.length === 1 && p.parts[0]!.t === 'param' && isAtList(p.parts[0] as Param)) {
          // "$@" alone contributes no field when there are no parameters
          expandParam(sh, p.parts[0] as Param, true, f);
        } else {
          f.touch();
          expandParts(sh, p.parts, true, f);
        }
        break;
      case 'tilde':
        f.quoted(tilde(sh, p.user));
        break;
      case 'param':
        expandParam(sh, p, quoted, f);
        break;
      case 'cmd': {
        const out = substitute(sh, p);
        if (quoted) f.quoted(out);
        else f.expanded(out);
        break;
      }
      case 'arith': {
        const v = String(arithmetic(sh, p));
        if (quoted) f.quoted(v);
        else f.expanded(v);
        break;
      }
    }
  }
}

function isAtList(p: Param): boolean {
  return p.name === '@' && (p.op === '' || p.op === '#' || p.op === '##' || p.op === '%' || p.op === '%%' || p.op === ':' || p.op === '/' || p.op === '//' || p.op === '/#' || p.op === '/%');
}

function tilde(sh: Shell, user: string): string {
  if (user === '') {
    const home = sh.get('HOME');
    if (home !== undefined) return home;
    return userByName(sh.host.uid() === 0 ? 'root' : '')?.home ?? '~';
  }
  const entry = userByName(user);
  return entry ? entry.home : `~${user}`;
}

/** A result that expansion depends on: computed once, replayed if the word is expanded again. */
function remembered<T>(sh: Shell, compute: () => T): T {
  const r = sh.replay;
  if (!r) return compute();
  if (r.index < r.memo.length) return r.memo[r.index++] as T;
  const v = compute();
  r.memo.push(v);
  r.index++;
  return v;
}

function substitute(sh: Shell, p: CommandSubst): string {
  const r = sh.replay;
  if (r && r.index < r.memo.length) {
    const [out, status] = r.memo[r.index++] as [string, number];
    sh.substStatus = status;
    return out;
  }
  const result = commandSubstitution(sh, p.body);
  if (result instanceof Promise) {
    // Wait for it, remember it, and expand the word again (see withReplay).
    const frame = r ?? { memo: [], index: 0 };
    throw new Suspend(result.then((v) => void frame.memo.push(v)), frame);
  }
  if (r) {
    r.memo.push(result);
    r.index++;
  }
  sh.substStatus = result[1];
  return result[0];
}


export function arithmetic(sh: Shell, p: Arith): Num {
  if (sh.replay) return remembered(sh, () => evalArith(sh, p.expr.lit ?? stringOfArith(sh, p.expr)));
  if (p.expr.lit === undefined) return evalArith(sh, stringOfArith(sh, p.expr));
  // A constant expression is compiled once, on the node.
  let fn = p.compiled as ArithFn | undefined;
  if (!fn) {
    try {
      fn = compile(p.expr.lit);
    } catch (err) {
      if (err instanceof ArithError) throw sh.error(err.message);
      throw err;
    }
    p.compiled = fn;
  }
  try {
    return fn(sh.arithScope, 0);
  } catch (err) {
    if (err instanceof ArithError) throw sh.error(err.message);
    throw err;
  }
}

function stringOfArith(sh: Shell, w: Word): string {
  let out = '';
  for (let i = 0; i < w.parts.length; i++) {
    const p = w.parts[i]!;
    if (p.t === 'lit' || p.t === 'q') out += p.s;
    else if (p.t === 'param' && p.op === '' && p.name !== '@' && p.name !== '*') {
      const v = paramValue(sh, p.name);
      if (v === undefined && sh.opts.nounset) unsetError(sh, p.name);
      out += v ?? '';
    } else out += stringOfParts(sh, [p], true);
  }
  return out;
}

/** Evaluate arithmetic text; errors are fatal shell errors. */
export function evalArith(sh: Shell, text: string): Num {
  let fn: ArithFn | undefined = sh.arithCache.get(text);
  try {
    if (!fn) {
      fn = compile(text);
      if (sh.arithCache.size > 1000) sh.arithCache.clear();
      sh.arithCache.set(text, fn);
    }
    return fn(sh.arithScope, 0);
  } catch (err) {
    if (err instanceof ArithError) throw sh.error(err.message);
    throw err;
  }
}

// ---- parameters

/** The value of a parameter that is not a list ($@ $*): undefined when unset. */
export function paramValue(sh: Shell, name: string): string | undefined {
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    if (name === '0') return sh.arg0;
    return sh.params[Number(name) - 1];
  }
  switch (name) {
    case '#':
      return String(sh.params.length);
    case '?':
      return String(sh.status);
    case '-':
      return sh.flags();
    case '$':
      return String(sh.host.pid);
    case '!':
      return sh.lastBackground === undefined ? undefined : String(sh.lastBackground);
    case '@':
    case '*':
      return sh.params.join(joiner(sh));
  }
  return sh.get(name);
}

/** What "$*" joins with: IFS's first character (space when IFS is unset). */
function joiner(sh: Shell): string {
  const ifs = sh.get('IFS');
  return ifs === undefined ? ' ' : ifs.slice(0, 1);
}

function unsetError(sh: Shell, name: string): never {
  throw sh.error(`${name}: parameter not set`);
}

/** The compiled pattern of a ${x#...} or ${x/...} operand (constant operands compiled once). */
function operandPattern(sh: Shell, w: Word | undefined): Pattern {
  if (!w) return sh.patterns.get('');
  if (w.pattern !== undefined) return sh.patterns.get(w.pattern);
  const text = expandPattern(sh, w);
  if (w.parts.every((p) => p.t === 'lit' || p.t === 'q')) w.pattern = text;
  return sh.patterns.get(text);
}

/** ${x#p} ${x##p} ${x%p} ${x%%p} on one value. */
function strip(p: Param, pattern: Pattern, s: string): string {
  const longest = p.op.length === 2;
  if (p.op[0] === '#') {
    const n = pattern.prefixLength(s, longest);
    return n < 0 ? s : s.slice(n);
  }
  const n = pattern.suffixLength(s, longest);
  return n < 0 ? s : s.slice(0, s.length - n);
}

/** ${x/p/r} ${x//p/r} ${x/#p/r} ${x/%p/r} on one value. */
function replace(p: Param, pattern: Pattern, rep: string, s: string): string {
  if (p.op === '/#') {
    const n = pattern.prefixLength(s, true);
    return n < 0 ? s : rep + s.slice(n);
  }
  if (p.op === '/%') {
    const n = pattern.suffixLength(s, true);
    return n < 0 ? s : s.slice(0, s.length - n) + rep;
  }
  let out = '';
  let at = 0;
  for (;;) {
    const m = pattern.find(s, at);
    if (!m) break;
    out += s.slice(at, m[0]) + rep;
    at = m[1];
    if (p.op === '/') break;
  }
  return out + s.slice(at);
}

/** ${x:offset:length} on a string. */
function substring(s: string, offset: number, length: number | undefined): string {
  let start = offset < 0 ? s.length + offset : offset;
  if (start < 0 || start > s.length) start = s.length;
  let end = length === undefined ? s.length : length < 0 ? s.length + length : start + length;
  if (end > s.length) end = s.length;
  return end > start ? s.slice(start, end) : '';
}

/** ${@:offset:length}: positional parameters from $offset ($0 counts as 0). */
function sliceParams(sh: Shell, offset: number, length: number | undefined): string[] {
  const all = [sh.arg0, ...sh.params];
  const start = offset < 0 ? all.length + offset : offset;
  if (start < 0) return [];
  const end = length === undefined ? all.length : length < 0 ? all.length + length : start + length;
  return all.slice(start, Math.max(start, end));
}

function substringBounds(sh: Shell, p: Param): [number, number | undefined] {
  const offset = toInt(evalArith(sh, p.arg ? stringOfParts(sh, p.arg.parts, true) : '0'));
  const length = p.arg2 ? toInt(evalArith(sh, stringOfParts(sh, p.arg2.parts, true))) : undefined;
  return [offset, length];
}

/** Whether ${x-...} and friends take the value (set; with `:` also non-empty). $@ and $* count as
 *  set even without parameters (ash, dash). */
function isSet(sh: Shell, p: Param, v: string | undefined): boolean {
  if (p.name === '@' || p.name === '*') return !p.colon || (sh.params.length > 0 && v !== '');
  return v !== undefined && (!p.colon || v !== '');
}

/** ${x?msg} and ${x=value} when x is not set. */
function unsetAction(sh: Shell, p: Param): string {
  if (p.op === '?') {
    const msg = p.arg && p.arg.parts.length ? stringOfParts(sh, p.arg.parts, false) : p.colon ? 'parameter not set or null' : 'parameter not set';
    throw sh.error(`${p.name}: ${msg}`);
  }
  if (!isVarName(p.name)) throw sh.error(`${p.name}: bad variable name`);
  const value = p.arg ? stringOfParts(sh, p.arg.parts, false) : '';
  sh.set(p.name, value);
  return value;
}

/** The values a list parameter ($@ $*) gives with an operator, before joining or splitting. */
function listValues(sh: Shell, p: Param, quoted: boolean): readonly string[] {
  switch (p.op) {
    case '#':
    case '##':
    case '%':
    case '%%': {
      const pattern = operandPattern(sh, p.arg);
      return sh.params.map((s) => strip(p, pattern, s));
    }
    case '/':
    case '//':
    case '/#':
    case '/%': {
      const pattern = operandPattern(sh, p.arg);
      const rep = p.arg2 ? stringOfParts(sh, p.arg2.parts, quoted) : '';
      return sh.params.map((s) => replace(p, pattern, rep, s));
    }
    case ':':
      return sliceParams(sh, ...substringBounds(sh, p));
    default:
      return sh.params;
  }
}

/** A non-list parameter with an operator other than - = ? + (those may expand a word). */
function scalarValue(sh: Shell, p: Param): string | undefined {
  const v = paramValue(sh, p.name);
  if (v === undefined && sh.opts.nounset && p.name !== '@' && p.name !== '*') unsetError(sh, p.name);
  switch (p.op) {
    case '':
      return v;
    case 'len':
      return String((v ?? '').length);
    case '#':
    case '##':
    case '%':
    case '%%':
      return strip(p, operandPattern(sh, p.arg), v ?? '');
    case '/':
    case '//':
    case '/#':
    case '/%':
      return replace(p, operandPattern(sh, p.arg), p.arg2 ? stringOfParts(sh, p.arg2.parts, false) : '', v ?? '');
    case ':': {
      const [offset, length] = substringBounds(sh, p);
      return substring(v ?? '', offset, length);
    }
    default:
      return v;
  }
}

/** A parameter expansion as one string (no field splitting): assignments, here-documents ... */
export function paramString(sh: Shell, p: Param): string {
  const isList = p.name === '@' || p.name === '*';
  if (p.op === '-' || p.op === '=' || p.op === '?' || p.op === '+') {
    const v = paramValue(sh, p.name);
    const set = isSet(sh, p, v);
    if (p.op === '+') return set && p.arg ? stringOfParts(sh, p.arg.parts, false) : '';
    if (set) return isList ? sh.params.join(p.name === '*' ? joiner(sh) : ' ') : v!;
    if (p.op === '-') return p.arg ? stringOfParts(sh, p.arg.parts, false) : '';
    return unsetAction(sh, p);
  }
  if (isList && p.op !== 'len') return listValues(sh, p, false).join(p.name === '*' ? joiner(sh) : ' ');
  return scalarValue(sh, p) ?? '';
}

function expandParam(sh: Shell, p: Param, quoted: boolean, f: Fields): void {
  const isList = p.name === '@' || p.name === '*';
  if (p.op === '-' || p.op === '=' || p.op === '?' || p.op === '+') {
    const v = paramValue(sh, p.name);
    const set = isSet(sh, p, v);
    if (p.op === '+') {
      if (set && p.arg) expandParts(sh, p.arg.parts, quoted, f, true);
      return;
    }
    if (set) {
      if (isList) return expandList(sh, p.name, sh.params, quoted, f);
      if (quoted) f.quoted(v!);
      else f.expanded(v!);
      return;
    }
    if (p.op === '-') {
      if (p.arg) expandParts(sh, p.arg.parts, quoted, f, true);
      return;
    }
    const value = unsetAction(sh, p);
    if (quoted) f.quoted(value);
    else f.expanded(value);
    return;
  }
  if (isList && p.op !== 'len') return expandList(sh, p.name, listValues(sh, p, quoted), quoted, f);
  const v = scalarValue(sh, p);
  if (v === undefined) return;
  if (quoted) f.quoted(v);
  else f.expanded(v);
}

const isVarName = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

function toInt(v: Num): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** $@ and $* (and their pattern/substring forms) over a list of values. */
function expandList(sh: Shell, name: string, values: readonly string[], quoted: boolean, f: Fields): void {
  if (quoted && name === '*') {
    f.quoted(values.join(joiner(sh)));
    return;
  }
  for (let i = 0; i < values.length; i++) {
    if (quoted) {
      if (i > 0) f.brk(true);
      f.quoted(values[i]!);
    } else {
      if (i > 0) f.brk(false);
      f.expanded(values[i]!);
    }
  }
}

