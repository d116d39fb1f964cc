// expr as GNU coreutils has it: arbitrary-precision integers (GNU links GMP, so there is no
// overflow), GNU's precedence (| & comparisons + - * / % : then match substr index length + and
// parentheses), lazy evaluation of the side | and & do not need, `:` as an anchored BRE match
// (core/regex.ts), and GNU's messages and statuses: 0, 1 for null or 0, 2 invalid, 3 error.
import { defineApplet } from '../core/applet.js';
import { AppletError } from '../core/errors.js';
import { Regex, RegexSyntaxError } from '../core/regex.js';

type Value = { int: bigint; str?: undefined } | { str: string; int?: undefined };

const INVALID = 2;

/** quotearg's locale style in the C locale: 'text' with \' \\ and C escapes, other bytes in octal. */
function quote(s: string): string {
  const named: Record<number, string> = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else if (named[c]) out += `\\${named[c]}`;
    else out += `\\${c.toString(8).padStart(3, '0')}`;
  }
  return `${out}'`;
}

const looksLikeInteger = (s: string) => /^-?[0-9]+$/.test(s);

function isNull(v: Value): boolean {
  if (v.int !== undefined) return v.int === 0n;
  return v.str === '' || /^-?0+$/.test(v.str);
}

function toStr(v: Value): string {
  return v.int !== undefined ? v.int.toString() : v.str;
}

/** The integer a value stands for, or undefined. */
function toInt(v: Value): bigint | undefined {
  if (v.int !== undefined) return v.int;
  return looksLikeInteger(v.str) ? BigInt(v.str) : undefined;
}

class Evaluator {
  private i = 0;
  constructor(private readonly args: readonly string[]) {}

  private more(): boolean {
    return this.i < this.args.length;
  }
  private next(token: string): boolean {
    if (this.i < this.args.length && this.args[this.i] === token) {
      this.i++;
      return true;
    }
    return false;
  }
  private requireMore(): void {
    if (!this.more()) throw new AppletError(`syntax error: missing argument after ${quote(this.args[this.i - 1]!)}`, INVALID);
  }

  run(): Value {
    const v = this.or(true);
    if (this.more()) throw new AppletError(`syntax error: unexpected argument ${quote(this.args[this.i]!)}`, INVALID);
    return v;
  }

  private or(evaluate: boolean): Value {
    let l = this.and(evaluate);
    while (this.next('|')) {
      const r = this.and(evaluate && isNull(l));
      if (isNull(l)) l = isNull(r) ? { int: 0n } : r;
    }
    return l;
  }

  private and(evaluate: boolean): Value {
    let l = this.compare(evaluate);
    while (this.next('&')) {
      const r = this.compare(evaluate && !isNull(l));
      if (isNull(l) || isNull(r)) l = { int: 0n };
    }
    return l;
  }

  private compare(evaluate: boolean): Value {
    let l = this.sum(evaluate);
    for (;;) {
      let op: string | undefined;
      for (const candidate of ['<', '<=', '=', '==', '!=', '>=', '>']) {
        if (this.next(candidate)) {
          op = candidate;
          break;
        }
      }
      if (!op) return l;
      const r = this.sum(evaluate);
      let result = false;
      if (evaluate) {
        const a = toStr(l);
        const b = toStr(r);
        const cmp = looksLikeInteger(a) && looksLikeInteger(b) ? Number(BigInt(a) > BigInt(b)) - Number(BigInt(a) < BigInt(b)) : a < b ? -1 : a > b ? 1 : 0;
        result =
          op === '<' ? cmp < 0 : op === '<=' ? cmp <= 0 : op === '=' || op === '==' ? cmp === 0 : op === '!=' ? cmp !== 0 : op === '>=' ? cmp >= 0 : cmp > 0;
      }
      l = { int: result ? 1n : 0n };
    }
  }

  private sum(evaluate: boolean): Value {
    let l = this.product(evaluate);
    for (;;) {
      const op = this.next('+') ? '+' : this.next('-') ? '-' : undefined;
      if (!op) return l;
      const r = this.product(evaluate);
      if (evaluate) {
        const a = toInt(l);
        const b = toInt(r);
        if (a === undefined || b === undefined) throw new AppletError('non-integer argument', INVALID);
        l = { int: op === '+' ? a + b : a - b };
      }
    }
  }

  private product(evaluate: boolean): Value {
    let l = this.colon(evaluate);
    for (;;) {
      const op = this.next('*') ? '*' : this.next('/') ? '/' : this.next('%') ? '%' : undefined;
      if (!op) return l;
      const r = this.colon(evaluate);
      if (evaluate) {
        const a = toInt(l);
        const b = toInt(r);
        if (a === undefined || b === undefined) throw new AppletError('non-integer argument', INVALID);
        if (op !== '*' && b === 0n) throw new AppletError('division by zero', INVALID);
        // BigInt division truncates toward zero, as mpz_tdiv_q/r do.
        l = { int: op === '*' ? a * b : op === '/' ? a / b : a % b };
      }
    }
  }

  private colon(evaluate: boolean): Value {
    let l = this.unary(evaluate);
    while (this.next(':')) {
      const r = this.unary(evaluate);
      if (evaluate) l = match(l, r);
    }
    return l;
  }

  private unary(evaluate: boolean): Value {
    if (this.next('+')) {
      this.requireMore();
      return { str: this.args[this.i++]! };
    }
    if (this.next('length')) {
      const r = this.unary(evaluate);
      return { int: BigInt(toStr(r).length) };
    }
    if (this.next('match')) {
      const l = this.unary(evaluate);
      const r = this.unary(evaluate);
      return evaluate ? match(l, r) : l;
    }
    if (this.next('index')) {
      const l = toStr(this.unary(evaluate));
      const chars = toStr(this.unary(evaluate));
      let pos = 0;
      for (let k = 0; k < l.length; k++) {
        if (chars.includes(l[k]!)) {
          pos = k + 1;
          break;
        }
      }
      return { int: BigInt(pos) };
    }
    if (this.next('substr')) {
      const s = toStr(this.unary(evaluate));
      const p = toInt(this.unary(evaluate));
      const n = toInt(this.unary(evaluate));
      if (p === undefined || n === undefined) return { str: '' };
      // GNU: positions count from 1; a negative or zero position or length gives the empty string.
      if (p <= 0n || n <= 0n || p > BigInt(s.length)) return { str: '' };
      const start = Number(p) - 1;
      const len = n > BigInt(s.length) ? s.length : Number(n);
      return { str: s.slice(start, start + len) };
    }
    return this.primary(evaluate);
  }

  private primary(evaluate: boolean): Value {
    this.requireMore();
    if (this.next('(')) {
      const v = this.or(evaluate);
      if (!this.more()) throw new AppletError(`syntax error: expecting ')' after ${quote(this.args[this.i - 1]!)}`, INVALID);
      if (!this.next(')')) throw new AppletError(`syntax error: expecting ')' instead of ${quote(this.args[this.i]!)}`, INVALID);
      return v;
    }
    if (this.next(')')) throw new AppletError("syntax error: unexpected ')'", INVALID);
    return { str: this.args[this.i++]! };
  }
}

/** STRING : REGEXP, anchored at the start: the first group's text if the pattern has groups,
 *  else the length of the match. */
function match(l: Value, r: Value): Value {
  const s = toStr(l);
  let re: Regex;
  try {
    re = new Regex(toStr(r), { dialect: 'expr' });
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new AppletError(err.message, INVALID);
    throw err;
  }
  const m = re.matchAt(s, 0, re.groups > 0);
  if (re.groups > 0) {
    if (!m || m.groups[3]! < 0) return { str: '' };
    return { str: s.slice(m.groups[2], m.groups[3]) };
  }
  return { int: BigInt(m ? m.end : 0) };
}

export default defineApplet({
  name: 'expr',
  summary: 'Print the value of EXPRESSION to standard output.',
  usage: 'expr EXPRESSION',
  help: [
    '  ARG1 | ARG2       ARG1 if it is neither null nor 0, otherwise ARG2',
    '  ARG1 & ARG2       ARG1 if neither argument is null or 0, otherwise 0',
    '  ARG1 < ARG2       ARG1 is less than ARG2 (also <=, =, ==, !=, >=, >)',
    '  ARG1 + ARG2       arithmetic sum of ARG1 and ARG2 (also -, *, /, %)',
    '  STRING : REGEXP   anchored pattern match of REGEXP in STRING',
    '  match STRING REGEXP        same as STRING : REGEXP',
    '  substr STRING POS LENGTH   substring of STRING, POS counted from 1',
    '  index STRING CHARS         index in STRING where any CHARS is found, or 0',
    '  length STRING              length of STRING',
    '  + TOKEN                    interpret TOKEN as a string, even if it is a keyword',
    '  ( EXPRESSION )             value of EXPRESSION',
    '',
    'Comparisons are arithmetic if both ARGs are numbers, else lexicographical.',
    'Pattern matches return the string matched between \\( and \\) or null; if',
    '\\( and \\) are not used, they return the number of characters matched or 0.',
    '',
    'Exit status is 0 if EXPRESSION is neither null nor 0, 1 if EXPRESSION is null',
    'or 0, 2 if EXPRESSION is syntactically invalid, and 3 if an error occurred.',
  ].join('\n'),
  async run(ctx) {
    let args = ctx.operands;
    if (args.length === 1 && args[0] === '--version') {
      await ctx.stdout.write('expr (toolbox) 9.1\n');
      return 0;
    }
    if (args[0] === '--') args = args.slice(1);
    if (args.length === 0) {
      await ctx.stderr.write(`${ctx.name}: missing operand\nTry '${ctx.name} --help' for more information.\n`);
      return INVALID;
    }
    const v = new Evaluator(args).run();
    await ctx.stdout.write(`${toStr(v)}\n`);
    return isNull(v) ? 1 : 0;
  },
});
