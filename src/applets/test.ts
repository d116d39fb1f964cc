// test and [ as GNU has them (and BusyBox's [[): POSIX's rules for one to four arguments, then GNU's recursive parser
// (! binds tighter than -a, -a tighter than -o, parentheses), every POSIX primary plus -nt -ot -ef,
// -l STRING, integers of any size, and GNU's messages with status 2. The logic is exported for the
// shell's test/[ builtins, which follow BusyBox ash instead (dialect 'ash': its own parser, 64-bit
// integers, `<` and `>`, and messages such as `missing ]` and `abc: bad number`).
import * as fs from 'node:fs';
import { defineApplet, helpText } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { ProcessHost } from '../core/context.js';
import { quote } from '../core/quote.js';
import { VERSION } from '../version.js';

/** What a test needs from its surroundings. */
export interface TestEnvironment {
  /** Resolve a file operand against the working directory. */
  path(p: string): string;
  /** Whether fd 0, 1 or 2 of the caller is a terminal (its own streams, which may be redirected). */
  isTTY?(fd: 0 | 1 | 2): boolean;
  host: Pick<ProcessHost, 'isatty' | 'euid' | 'egid' | 'uid' | 'gid' | 'groups'>;
}

export interface TestOptions {
  /** 'gnu' (default) or 'ash' (BusyBox's test, as the shell builtin). */
  dialect?: 'gnu' | 'ash';
  /** Invoked as `[` (or `[[`, ash only): the last argument must close it. */
  bracket?: '[' | '[[';
}

export interface TestResult {
  /** 0 true, 1 false, 2 error. */
  status: 0 | 1 | 2;
  /** The message for an error, without the `test: ` prefix. */
  error?: string;
}

class SyntaxError2 extends Error {}

/** Evaluate a test expression (the arguments after `test`, or after `[` including the `]`). */
export function evaluateTest(args: readonly string[], env: TestEnvironment, options: TestOptions = {}): TestResult {
  const ash = options.dialect === 'ash';
  let argv = [...args];
  if (options.bracket) {
    const close = options.bracket === '[' ? ']' : ']]';
    if (argv[argv.length - 1] !== close) {
      return { status: 2, error: ash ? `missing ${close}` : `missing ${quote(close)}` };
    }
    argv = argv.slice(0, -1);
  }
  try {
    const value = ash ? new AshTest(argv, env).run() : new GnuTest(argv, env, options.bracket && (options.bracket === '[' ? ']' : ']]')).run();
    return { status: value ? 0 : 1 };
  } catch (e) {
    if (e instanceof SyntaxError2) return { status: 2, error: e.message };
    throw e;
  }
}

// ---- file tests shared by both dialects ----

function statOf(env: TestEnvironment, p: string, follow = true): fs.BigIntStats | undefined {
  if (p === '') return undefined;
  try {
    return follow ? fs.statSync(fsPath(env.path(p)), { bigint: true }) : fs.lstatSync(fsPath(env.path(p)), { bigint: true });
  } catch {
    return undefined;
  }
}

const S_IFMT = 0o170000n;
const TYPES: Record<string, bigint> = { f: 0o100000n, d: 0o040000n, c: 0o020000n, b: 0o060000n, p: 0o010000n, S: 0o140000n };

/** euidaccess() as glibc does it for GNU (root reads and writes anything, executes what has an x
 *  bit or is a directory), and as BusyBox's test_eaccess (root executes only with an x bit). */
function accessible(env: TestEnvironment, st: fs.BigIntStats, mode: 4 | 2 | 1, ash: boolean): boolean {
  const euid = BigInt(env.host.euid());
  if (euid === 0n) {
    if (mode !== 1) return true;
    if (st.mode & 0o111n) return true;
    if (!ash && (st.mode & S_IFMT) === TYPES.d) return true;
    if (!ash) return false;
  }
  let bits = BigInt(mode);
  if (st.uid === euid) bits <<= 6n;
  else if (st.gid === BigInt(env.host.egid()) || st.gid === BigInt(env.host.gid()) || env.host.groups().some((g) => BigInt(g) === st.gid)) bits <<= 3n;
  return (st.mode & bits) !== 0n;
}

function fileTest(env: TestEnvironment, op: string, p: string, ash: boolean): boolean {
  if (op === 'h' || op === 'L') {
    const st = statOf(env, p, false);
    return !!st && (st.mode & S_IFMT) === 0o120000n;
  }
  const st = statOf(env, p);
  if (!st) return false;
  switch (op) {
    case 'e':
      return true;
    case 'r':
      return accessible(env, st, 4, ash);
    case 'w':
      return accessible(env, st, 2, ash);
    case 'x':
      return accessible(env, st, 1, ash);
    case 's':
      return st.size > 0n;
    case 'u':
      return (st.mode & 0o4000n) !== 0n;
    case 'g':
      return (st.mode & 0o2000n) !== 0n;
    case 'k':
      return (st.mode & 0o1000n) !== 0n;
    case 'O':
      return st.uid === BigInt(env.host.euid());
    case 'G':
      return st.gid === BigInt(env.host.egid());
    case 'N':
      return st.mtimeNs > st.atimeNs;
    default:
      return (st.mode & S_IFMT) === TYPES[op];
  }
}

function isTerminal(env: TestEnvironment, fd: number): boolean {
  if (fd >= 0 && fd <= 2 && env.isTTY) return env.isTTY(fd as 0 | 1 | 2);
  try {
    return env.host.isatty(fd);
  } catch {
    return false;
  }
}

// ---- GNU ----

const GNU_UNARY = new Set('abcdefghkLnNOprsStuwxzG'.split(''));
const GNU_BINARY = new Set(['=', '!=', '==', '-nt', '-ot', '-ef', '-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

/** coreutils test.c: posixtest() for up to four arguments, else expr(). */
class GnuTest {
  private pos = 0;
  constructor(
    private readonly argv: string[],
    private readonly env: TestEnvironment,
    /** As `[`, GNU's argv still holds the `]` just past the end. */
    private readonly closing?: string,
  ) {}
  private get argc(): number {
    return this.argv.length;
  }
  run(): boolean {
    if (this.argc === 0) return false;
    const value = this.posixtest(this.argc);
    if (this.pos !== this.argc) this.fail(`extra argument ${quote(this.argv[this.pos]!)}`);
    return value;
  }
  private fail(message: string): never {
    throw new SyntaxError2(message);
  }
  private beyond(): never {
    this.fail(`missing argument after ${quote(this.argv[this.argc - 1]!)}`);
  }
  private advance(checkEnd: boolean): void {
    this.pos++;
    if (checkEnd && this.pos >= this.argc) this.beyond();
  }
  private at(i: number): string | undefined {
    return this.argv[i];
  }
  private posixtest(nargs: number): boolean {
    switch (nargs) {
      case 1:
        return this.oneArgument();
      case 2:
        return this.twoArguments();
      case 3:
        return this.threeArguments();
      case 4:
        if (this.at(this.pos) === '!') {
          this.advance(true);
          return !this.threeArguments();
        }
        if (this.at(this.pos) === '(' && this.at(this.pos + 3) === ')') {
          this.advance(false);
          const value = this.twoArguments();
          this.advance(false);
          return value;
        }
        return this.expr();
      default:
        return this.expr();
    }
  }
  private oneArgument(): boolean {
    return this.argv[this.pos++] !== '';
  }
  private isUnaryOperator(s: string | undefined): boolean {
    return s !== undefined && s.length === 2 && s[0] === '-' && GNU_UNARY.has(s[1]!);
  }
  private twoArguments(): boolean {
    const a = this.at(this.pos)!;
    if (a === '!') {
      this.advance(false);
      return !this.oneArgument();
    }
    if (a.length === 2 && a[0] === '-') {
      if (this.isUnaryOperator(a)) return this.unaryOperator();
      this.fail(`${quote(a)}: unary operator expected`);
    }
    this.beyond();
  }
  private threeArguments(): boolean {
    if (GNU_BINARY.has(this.at(this.pos + 1)!)) return this.binaryOperator(false);
    if (this.at(this.pos) === '!') {
      this.advance(true);
      return !this.twoArguments();
    }
    if (this.at(this.pos) === '(' && this.at(this.pos + 2) === ')') {
      this.advance(false);
      const value = this.oneArgument();
      this.advance(false);
      return value;
    }
    const op = this.at(this.pos + 1)!;
    if (op === '-a' || op === '-o') return this.expr();
    this.fail(`${quote(op)}: binary operator expected`);
  }
  private expr(): boolean {
    if (this.pos >= this.argc) this.beyond();
    return this.or();
  }
  private or(): boolean {
    let value = false;
    for (;;) {
      value = this.and() || value;
      if (!(this.pos < this.argc && this.at(this.pos) === '-o')) return value;
      this.advance(false);
    }
  }
  private and(): boolean {
    let value = true;
    for (;;) {
      value = this.term() && value;
      if (!(this.pos < this.argc && this.at(this.pos) === '-a')) return value;
      this.advance(false);
    }
  }
  private term(): boolean {
    let negated = false;
    while (this.pos < this.argc && this.at(this.pos) === '!') {
      this.advance(true);
      negated = !negated;
    }
    if (this.pos >= this.argc) this.beyond();
    let value: boolean;
    const a = this.at(this.pos)!;
    if (a === '(') {
      this.advance(true);
      let nargs = 1;
      for (; this.pos + nargs < this.argc && this.at(this.pos + nargs) !== ')'; nargs++) {
        if (nargs === 4) {
          nargs = this.argc - this.pos;
          break;
        }
      }
      value = this.posixtest(nargs);
      const close = this.pos === this.argc ? this.closing : this.at(this.pos);
      if (close === undefined) this.fail(`${quote(')')} expected`);
      if (close !== ')') this.fail(`${quote(')')} expected, found ${quote(close)}`);
      this.advance(false);
    } else if (this.argc - this.pos >= 4 && a === '-l' && GNU_BINARY.has(this.at(this.pos + 2)!)) {
      value = this.binaryOperator(true);
    } else if (this.argc - this.pos >= 3 && GNU_BINARY.has(this.at(this.pos + 1)!)) {
      value = this.binaryOperator(false);
    } else if (a.length === 2 && a[0] === '-') {
      if (!this.isUnaryOperator(a)) this.fail(`${quote(a)}: unary operator expected`);
      value = this.unaryOperator();
    } else {
      value = a !== '';
      this.advance(false);
    }
    return negated !== value;
  }
  /** An integer operand as GNU's find_int: blanks, a sign, digits, blanks. Returns it normalised. */
  private integer(s: string): bigint {
    const m = /^[ \t]*([+-]?)([0-9]+)[ \t]*$/.exec(s);
    if (!m) this.fail(`invalid integer ${quote(s)}`);
    const v = BigInt(m[2]!);
    return m[1] === '-' ? -v : v;
  }
  private binaryOperator(leftIsLength: boolean): boolean {
    if (leftIsLength) this.advance(false);
    const op = this.pos + 1;
    let rightIsLength = false;
    if (op < this.argc - 2 && this.at(op + 1) === '-l') {
      rightIsLength = true;
      this.advance(false);
    }
    const name = this.at(op)!;
    const left = this.at(op - 1)!;
    const right = this.at(op + 1)!;
    if (/^-(eq|ne|lt|le|gt|ge)$/.test(name)) {
      const l = leftIsLength ? BigInt(left.length) : this.integer(left);
      const r = rightIsLength ? BigInt(this.at(op + 2)!.length) : this.integer(right);
      this.pos += 3;
      switch (name) {
        case '-eq':
          return l === r;
        case '-ne':
          return l !== r;
        case '-lt':
          return l < r;
        case '-le':
          return l <= r;
        case '-gt':
          return l > r;
        default:
          return l >= r;
      }
    }
    if (name === '-nt' || name === '-ot' || name === '-ef') {
      this.pos += 3;
      if (leftIsLength || rightIsLength) this.fail(`${name} does not accept -l`);
      const a = statOf(this.env, left);
      const b = statOf(this.env, right);
      if (name === '-ef') return !!a && !!b && a.dev === b.dev && a.ino === b.ino;
      if (name === '-nt') return !!a && (!b || a.mtimeNs > b.mtimeNs);
      return !!b && (!a || a.mtimeNs < b.mtimeNs);
    }
    const value = name === '!=' ? this.at(this.pos) !== this.at(this.pos + 2) : this.at(this.pos) === this.at(this.pos + 2);
    this.pos += 3;
    return value;
  }
  private unaryOperator(): boolean {
    const op = this.at(this.pos)![1]!;
    this.advance(true);
    const arg = this.at(this.pos)!;
    this.pos++;
    switch (op) {
      case 'n':
        return arg !== '';
      case 'z':
        return arg === '';
      case 't': {
        const fd = this.integer(arg);
        return fd >= 0n && fd <= 2147483647n && isTerminal(this.env, Number(fd));
      }
      case 'a':
      case 'o':
        this.fail(`${quote(`-${op}`)}: unary operator expected`);
      // falls through (fail never returns)
      default:
        return fileTest(this.env, op, arg, false);
    }
  }
}

// ---- BusyBox ----

type AshKind = 'unop' | 'binop' | 'not' | 'and' | 'or' | 'lparen' | 'rparen' | 'operand' | 'eoi';
const ASH_UNARY = new Set(['-r', '-w', '-x', '-e', '-f', '-d', '-c', '-b', '-p', '-u', '-g', '-k', '-s', '-t', '-z', '-n', '-h', '-O', '-G', '-L', '-S']);
const ASH_BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-ge', '-gt', '-le', '-lt', '-nt', '-ot', '-ef']);

function ashKind(s: string | undefined): AshKind {
  if (s === undefined) return 'eoi';
  if (ASH_UNARY.has(s)) return 'unop';
  if (ASH_BINARY.has(s)) return 'binop';
  return s === '!' ? 'not' : s === '-a' ? 'and' : s === '-o' ? 'or' : s === '(' ? 'lparen' : s === ')' ? 'rparen' : 'operand';
}

/** BusyBox 1.35's test_main and its oexpr/aexpr/nexpr/primary parser. */
class AshTest {
  private args: (string | undefined)[];
  private i = 0;
  constructor(
    argv: string[],
    private readonly env: TestEnvironment,
  ) {
    this.args = [...argv];
  }
  private fail(op: string | undefined, message: string): never {
    throw new SyntaxError2(op ? `${op}: ${message}` : message);
  }
  run(): boolean {
    const a = this.args;
    let start = 0;
    let negate = false;
    for (;;) {
      if (a[start] === undefined) return negate; // "test": false, negated if "!"
      if (a[start + 1] === undefined) return (a[start] !== '') !== negate;
      if (a[start + 2] !== undefined) {
        if (a[start + 3] === undefined) {
          if (ashKind(a[start + 1]) === 'binop') {
            this.i = start;
            return this.binop() !== negate;
          }
        } else if (a[start + 4] === undefined && a[start] === '(' && a[start + 3] === ')') {
          a[start + 3] = undefined; // BusyBox's own quirk: the closing paren is dropped
          start++;
        }
      }
      if (a[start] === '!') {
        start++;
        negate = !negate;
        continue;
      }
      break;
    }
    this.i = 0;
    const value = this.oexpr(ashKind(this.args[0]));
    if (this.args[this.i] !== undefined && this.args[++this.i] !== undefined) this.fail(this.args[this.i], 'unknown operand');
    return value;
  }
  private next(): AshKind {
    return ashKind(this.args[++this.i]);
  }
  private oexpr(n: AshKind): boolean {
    const res = this.aexpr(n);
    if (this.next() === 'or') return this.oexpr(this.next()) || res;
    this.i--;
    return res;
  }
  private aexpr(n: AshKind): boolean {
    const res = this.nexpr(n);
    if (this.next() === 'and') return this.aexpr(this.next()) && res;
    this.i--;
    return res;
  }
  private nexpr(n: AshKind): boolean {
    if (n === 'not') {
      const k = this.next();
      if (k === 'eoi') {
        this.i--;
        return true;
      }
      return !this.nexpr(k);
    }
    return this.primary(n);
  }
  private primary(n: AshKind): boolean {
    if (n === 'eoi') this.fail(undefined, 'argument expected');
    if (n === 'lparen') {
      const res = this.oexpr(this.next());
      if (this.next() !== 'rparen') this.fail(undefined, 'closing paren expected');
      return res;
    }
    const here = this.args[this.i]!;
    if (this.args[this.i + 1] !== undefined && this.args[this.i + 2] !== undefined && ashKind(this.args[this.i + 1]) === 'binop') {
      return this.binop();
    }
    if (n === 'unop') {
      if (this.args[this.i + 1] === undefined) return here !== '';
      const arg = this.args[++this.i]!;
      if (here === '-z') return arg === '';
      if (here === '-n') return arg !== '';
      if (here === '-t') return isTerminal(this.env, Number(this.number(arg)));
      return fileTest(this.env, here[1]!, arg, true);
    }
    if (ashKind(this.args[this.i + 1]) === 'binop') return this.binop();
    return here !== '';
  }
  /** strtoll with BusyBox's complaints. */
  private number(s: string): bigint {
    const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
    if (m) {
      const v = BigInt(m[1]!);
      if (v > (1n << 63n) - 1n || v < -(1n << 63n)) this.fail(s, 'out of range');
      if (/^[ \t\n\v\f\r]*$/.test(s.slice(m[0].length))) return v;
    }
    this.fail(s, 'bad number');
  }
  private binop(): boolean {
    const left = this.args[this.i]!;
    const op = this.args[++this.i]!;
    const right = this.args[++this.i];
    if (right === undefined) this.fail(op, 'argument expected');
    switch (op) {
      case '=':
      case '==':
        return left === right;
      case '!=':
        return left !== right;
      case '<':
        return left < right;
      case '>':
        return left > right;
      case '-nt':
      case '-ot':
      case '-ef': {
        const a = statOf(this.env, left);
        const b = statOf(this.env, right);
        if (!a || !b) return false;
        if (op === '-ef') return a.dev === b.dev && a.ino === b.ino;
        const [ta, tb] = [a.mtimeNs / 1000000000n, b.mtimeNs / 1000000000n];
        return op === '-nt' ? ta > tb : ta < tb;
      }
    }
    const l = this.number(left);
    const r = this.number(right);
    switch (op) {
      case '-eq':
        return l === r;
      case '-ne':
        return l !== r;
      case '-ge':
        return l >= r;
      case '-gt':
        return l > r;
      case '-le':
        return l <= r;
      default:
        return l < r;
    }
  }
}

const test = defineApplet({
  name: 'test',
  ownHelp: true,
  summary: 'Exit with the status determined by EXPRESSION',
  usage: 'test EXPRESSION\n  or:  test\n  or:  [ EXPRESSION ]\n  or:  [ ]',
  help: [
    'An omitted EXPRESSION defaults to false. EXPRESSION may be:',
    '( EXPR )  ! EXPR  EXPR1 -a EXPR2  EXPR1 -o EXPR2',
    '[-n] STRING  -z STRING  S1 = S2  S1 != S2',
    'N1 -eq N2 (also -ge -gt -le -lt -ne; -l STRING is its length)',
    'F1 -ef F2  F1 -nt F2  F1 -ot F2',
    '-b -c -d -e -f -g -G -h -k -L -N -O -p -r -s -S -t FD -u -w -x FILE',
    'Status: 0 true, 1 false, 2 error. Only `[` answers --help and --version.',
  ].join('\n'),
  async run(ctx) {
    const args = ctx.operands;
    const bracket = ctx.name === '[' || ctx.name === '[[' ? ctx.name : undefined;
    if (bracket && args.length === 1 && (args[0] === '--help' || args[0] === '--version')) {
      await ctx.stdout.write(args[0] === '--help' ? helpText(test) : `${bracket} (toolbox) ${VERSION}\n`);
      return 0;
    }
    // `[[` is BusyBox's (GNU has none): its parser and messages, closed by `]]`.
    const r = evaluateTest(args, ctx, bracket === '[[' ? { dialect: 'ash', bracket } : bracket ? { bracket } : {});
    if (r.error) await ctx.stderr.write(`${ctx.name}: ${r.error}\n`);
    return r.status;
  },
});

export default test;
