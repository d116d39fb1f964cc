// test EXPR, [ EXPR ], [[ EXPR ]] (ash: the same command with a closing `]]`). The expression
// grammar is BusyBox's: -o over -a over !, parentheses, unary and binary primaries; a word that
// cannot be an operator in its place is a string. Errors are `sh: ...` with status 2.
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import type { Builtin } from './index.js';

class TestError extends Error {}

const UNARY = new Set(['-b', '-c', '-d', '-e', '-f', '-g', '-G', '-h', '-k', '-L', '-n', '-O', '-p', '-r', '-s', '-S', '-t', '-u', '-w', '-x', '-z']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

/** What the test needs from outside: paths, terminals, the effective ids (the Shell is one). */
export interface TestEnv {
  path(p: string): string;
  isatty(fd: number): boolean;
  readonly host: { euid(): number; egid(): number };
}

/** A plain decimal without blanks or sign: the common case, without a regular expression. */
function quickInteger(s: string): number | undefined {
  if (s.length === 0 || s.length > 15) return undefined;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return v;
}

function integer(s: string): number | bigint {
  const quick = quickInteger(s);
  if (quick !== undefined) return quick;
  const m = /^[ \t]*([+-]?[0-9]+)[ \t]*$/.exec(s);
  if (!m) throw new TestError(`${s}: bad number`);
  const v = BigInt(m[1]!);
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new TestError(`${s}: out of range`);
  return v;
}

function stat(env: TestEnv, p: string, follow = true): fs.BigIntStats | undefined {
  if (p === '') return undefined;
  try {
    return follow ? fs.statSync(fsPath(env.path(p)), { bigint: true }) : fs.lstatSync(fsPath(env.path(p)), { bigint: true });
  } catch {
    return undefined;
  }
}

function access(env: TestEnv, p: string, mode: number): boolean {
  if (p === '') return false;
  try {
    fs.accessSync(fsPath(env.path(p)), mode);
    return true;
  } catch {
    return false;
  }
}

const S_IFMT = 0o170000n;
const typeIs = (st: fs.BigIntStats | undefined, t: bigint) => st !== undefined && (st.mode & S_IFMT) === t;

function unary(env: TestEnv, op: string, a: string): boolean {
  switch (op) {
    case '-n': return a !== '';
    case '-z': return a === '';
    case '-e': return stat(env, a) !== undefined;
    case '-f': return typeIs(stat(env, a), 0o100000n);
    case '-d': return typeIs(stat(env, a), 0o040000n);
    case '-b': return typeIs(stat(env, a), 0o060000n);
    case '-c': return typeIs(stat(env, a), 0o020000n);
    case '-p': return typeIs(stat(env, a), 0o010000n);
    case '-S': return typeIs(stat(env, a), 0o140000n);
    case '-h':
    case '-L': return typeIs(stat(env, a, false), 0o120000n);
    case '-s': return (stat(env, a)?.size ?? 0n) > 0n;
    case '-u': return ((stat(env, a)?.mode ?? 0n) & 0o4000n) !== 0n;
    case '-g': return ((stat(env, a)?.mode ?? 0n) & 0o2000n) !== 0n;
    case '-k': return ((stat(env, a)?.mode ?? 0n) & 0o1000n) !== 0n;
    case '-O': return stat(env, a)?.uid === BigInt(env.host.euid());
    case '-G': return stat(env, a)?.gid === BigInt(env.host.egid());
    case '-r': return access(env, a, fs.constants.R_OK);
    case '-w': return access(env, a, fs.constants.W_OK);
    case '-x': return access(env, a, fs.constants.X_OK);
    case '-t': return env.isatty(Number(integer(a)));
  }
  return false;
}

function binary(env: TestEnv, a: string, op: string, b: string): boolean {
  switch (op) {
    case '=':
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    // numbers may be a mix of number and bigint: loose equality compares their values
    case '-eq': return integer(a) == integer(b);
    case '-ne': return integer(a) != integer(b);
    case '-lt': return integer(a) < integer(b);
    case '-le': return integer(a) <= integer(b);
    case '-gt': return integer(a) > integer(b);
    case '-ge': return integer(a) >= integer(b);
    case '-nt':
    case '-ot': {
      const x = stat(env, a);
      const y = stat(env, b);
      if (op === '-nt') return x !== undefined && (y === undefined || x.mtimeNs > y.mtimeNs);
      return y !== undefined && (x === undefined || x.mtimeNs < y.mtimeNs);
    }
    case '-ef': {
      const x = stat(env, a);
      const y = stat(env, b);
      return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
    }
  }
  return false;
}

/** Evaluate test's arguments (without the closing bracket): 0 true, 1 false; throws TestError. */
function evaluate(env: TestEnv, args: readonly string[]): boolean {
  // POSIX's rules for few arguments first (no parser needed), then the grammar.
  const n = args.length;
  if (n === 0) return false;
  if (n === 1) return args[0] !== '';
  if (n === 2 && args[0] === '!') return args[1] === '';
  if (n === 2 && UNARY.has(args[0]!)) return unary(env, args[0]!, args[1]!);
  if (n === 3 && BINARY.has(args[1]!)) return binary(env, args[0]!, args[1]!, args[2]!);
  if (n === 4 && args[0] === '!' && BINARY.has(args[2]!)) return !binary(env, args[1]!, args[2]!, args[3]!);
  return parseExpression(env, args);
}

function parseExpression(env: TestEnv, args: readonly string[]): boolean {
  let pos = 0;
  const n = args.length;
  const peek = () => args[pos];
  const oexpr = (): boolean => {
    let r = aexpr();
    while (peek() === '-o' && pos + 1 < n) {
      pos++;
      r = aexpr() || r;
    }
    return r;
  };
  const aexpr = (): boolean => {
    let r = nexpr();
    while (peek() === '-a' && pos + 1 < n) {
      pos++;
      r = nexpr() && r;
    }
    return r;
  };
  const nexpr = (): boolean => {
    if (peek() === '!' && pos + 1 < n) {
      pos++;
      return !nexpr();
    }
    return primary();
  };
  const primary = (): boolean => {
    const t = args[pos];
    if (t === undefined) throw new TestError('argument expected');
    // `( x )`: a parenthesised expression, unless `(` is the left operand of a binary operator
    if (t === '(' && pos + 1 < n && !(pos + 2 < n && BINARY.has(args[pos + 1]!) && args[pos + 2] !== ')')) {
      pos++;
      const r = oexpr();
      if (args[pos] !== ')') throw new TestError(args[pos] === undefined ? 'missing )' : `${args[pos]}: unknown operand`);
      pos++;
      return r;
    }
    if (UNARY.has(t) && pos + 1 < n && !(pos + 2 < n && BINARY.has(args[pos + 1]!))) {
      pos += 2;
      return unary(env, t, args[pos - 1]!);
    }
    pos++;
    const op = args[pos];
    if (op !== undefined && BINARY.has(op)) {
      pos++;
      const right = args[pos];
      if (right === undefined) throw new TestError(`${op}: argument expected`);
      pos++;
      return binary(env, t, op, right);
    }
    return t !== '';
  };
  const r = oexpr();
  if (pos < n) throw new TestError(`${args[pos]}: unknown operand`);
  return r;
}

/** Run test: `argv` is the whole command (`[ a = b ]`). The status, or the error text (status 2). */
export function runTest(env: TestEnv, argv: readonly string[]): number | string {
  const name = argv[0];
  let end = argv.length;
  if (name === '[' || name === '[[') {
    const close = name === '[' ? ']' : ']]';
    if (argv[end - 1] !== close) return `missing ${close}`;
    end--;
  }
  const args = end === 4 ? [argv[1]!, argv[2]!, argv[3]!] : argv.slice(1, end);
  try {
    return evaluate(env, args) ? 0 : 1;
  } catch (err) {
    if (err instanceof TestError) return err.message;
    throw err;
  }
}

export default {
  run(sh, argv) {
    const r = runTest(sh, argv);
    if (typeof r === 'number') return r;
    const w = sh.writeErr(`${sh.arg0}: ${r}\n`);
    return w ? w.then(() => 2) : 2;
  },
} satisfies Builtin;
