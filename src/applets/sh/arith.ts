// $(( )) arithmetic: C's operators at C's precedence (plus `**`), 64-bit two's-complement wrap,
// literals in decimal, octal (010), hex (0x1f) and base#digits (2..64), variables that hold numbers
// or expressions (evaluated recursively, as ash and bash do). An expression is compiled once into
// closures; the interpreter caches the compiled form per text. Values are JavaScript numbers while
// they are safe integers and BigInts beyond, so common arithmetic never pays for BigInt.

export type Num = number | bigint;

/** What an expression reads and writes: the shell's variables. */
export interface ArithScope {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class ArithError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArithError';
  }
}

/** A compiled expression; `depth` counts nested evaluations of variables holding expressions. */
export type ArithFn = (scope: ArithScope, depth: number) => Num;

const syntaxError = () => new ArithError('arithmetic syntax error');

// ---- 64-bit helpers

function norm(v: bigint): Num {
  const w = BigInt.asIntN(64, v);
  return w >= -9007199254740991n && w <= 9007199254740991n ? Number(w) : w;
}
const big = (v: Num) => (typeof v === 'bigint' ? v : BigInt(v));
const isZero = (v: Num) => v === 0 || v === 0n;
const truth = (v: Num) => (isZero(v) ? 0 : 1);

function add(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return norm(big(a) + big(b));
}
function sub(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return norm(big(a) - big(b));
}
function mul(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return norm(big(a) * big(b));
}
function div(a: Num, b: Num): Num {
  if (isZero(b)) throw new ArithError('divide by zero');
  if (typeof a === 'number' && typeof b === 'number') {
    const r = (a - (a % b)) / b;
    return r === 0 ? 0 : r;
  }
  const x = big(a);
  const y = big(b);
  if (x === -(2n ** 63n) && y === -1n) return x; // wraps, as the hardware would not (ash)
  return norm(x / y);
}
function mod(a: Num, b: Num): Num {
  if (isZero(b)) throw new ArithError('divide by zero');
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    return r === 0 ? 0 : r;
  }
  return norm(big(a) % big(b));
}
function pow(a: Num, b: Num): Num {
  if (b < 0) throw new ArithError('exponent less than 0');
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a ** b;
    if (Number.isSafeInteger(r)) return r;
  }
  let base = big(a);
  let e = big(b);
  let r = 1n;
  while (e > 0n) {
    if (e & 1n) r = BigInt.asIntN(64, r * base);
    base = BigInt.asIntN(64, base * base);
    e >>= 1n;
  }
  return norm(r);
}
const int32 = (v: Num) => typeof v === 'number' && v >= -2147483648 && v <= 2147483647;
function band(a: Num, b: Num): Num {
  return int32(a) && int32(b) ? (a as number) & (b as number) : norm(big(a) & big(b));
}
function bor(a: Num, b: Num): Num {
  return int32(a) && int32(b) ? (a as number) | (b as number) : norm(big(a) | big(b));
}
function bxor(a: Num, b: Num): Num {
  return int32(a) && int32(b) ? (a as number) ^ (b as number) : norm(big(a) ^ big(b));
}
function shl(a: Num, b: Num): Num {
  return norm(big(a) << (big(b) & 63n));
}
function shr(a: Num, b: Num): Num {
  return norm(BigInt.asIntN(64, big(a)) >> (big(b) & 63n));
}
const neg = (a: Num) => sub(0, a);
const bnot = (a: Num) => (int32(a) ? ~(a as number) : norm(~big(a)));

const BINARY: Record<string, (a: Num, b: Num) => Num> = {
  '*': mul, '/': div, '%': mod, '+': add, '-': sub, '<<': shl, '>>': shr, '&': band, '^': bxor, '|': bor, '**': pow,
  '<': (a, b) => (a < b ? 1 : 0), '>': (a, b) => (a > b ? 1 : 0), '<=': (a, b) => (a <= b ? 1 : 0),
  '>=': (a, b) => (a >= b ? 1 : 0), '==': (a, b) => (a == b ? 1 : 0), '!=': (a, b) => (a != b ? 1 : 0),
};

// Binding power of binary operators (higher binds tighter); ** is right-associative.
const PRECEDENCE: Record<string, number> = {
  '||': 4, '&&': 5, '|': 6, '^': 7, '&': 8, '==': 9, '!=': 9, '<': 10, '>': 10, '<=': 10, '>=': 10,
  '<<': 11, '>>': 11, '+': 12, '-': 12, '*': 13, '/': 13, '%': 13, '**': 14,
};
const ASSIGN_OPS = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);
const OPERATORS = ['<<=', '>>=', '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=',
  '+', '-', '*', '/', '%', '<', '>', '&', '^', '|', '!', '~', '?', ':', '(', ')', ',', '='];

type Tok = { k: 'num'; v: Num } | { k: 'name'; v: string } | { k: 'op'; v: string } | { k: 'end' };

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f') {
      i++;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < text.length && /[0-9A-Za-z_@#]/.test(text[j]!)) j++;
      toks.push({ k: 'num', v: parseNumber(text.slice(i, j)) });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      toks.push({ k: 'name', v: text.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw syntaxError();
    toks.push({ k: 'op', v: op });
    i += op.length;
  }
  toks.push({ k: 'end' });
  return toks;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@_';

/** A numeric literal: decimal, 0octal, 0xhex or base#digits. Throws on malformed ones. */
export function parseNumber(s: string): Num {
  let base = 10;
  let digits = s;
  const hash = s.indexOf('#');
  if (hash !== -1) {
    if (!/^[0-9]+$/.test(s.slice(0, hash))) throw syntaxError();
    base = Number(s.slice(0, hash));
    if (base < 2 || base > 64) throw syntaxError();
    digits = s.slice(hash + 1);
    if (digits === '') return 0;
  } else if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
    if (digits === '') throw syntaxError();
  } else if (s.length > 1 && s[0] === '0') {
    base = 8;
    digits = s.slice(1);
  }
  if (base === 10 && digits.length < 16 && /^[0-9]+$/.test(digits)) return Number(digits);
  let v = 0n;
  const b = BigInt(base);
  for (const ch of digits) {
    let d = DIGITS.indexOf(ch);
    if (base <= 36 && d >= 36 && d < 62) d -= 26; // upper and lower case are the same digits
    if (d === -1 || d >= base) throw syntaxError();
    v = v * b + BigInt(d);
  }
  if (base === 10 && v > 18446744073709551615n) return 0; // ash: an overflowing literal is 0
  return norm(v);
}

/** A variable's value as a number: a literal, or an expression evaluated in turn. */
function valueOf(name: string, scope: ArithScope, depth: number): Num {
  const s = scope.get(name);
  if (s === undefined || s === '') return 0;
  const n = quickDecimal(s);
  if (n !== undefined) return n;
  if (depth > 64 || s === name) throw new ArithError('expression recursion loop detected');
  return compile(s)(scope, depth + 1);
}

/** Plain decimal text (optional blanks and sign) without BigInt or a compile. */
function quickDecimal(s: string): number | undefined {
  let i = 0;
  let end = s.length;
  while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9) i++;
  while (end > i && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
  let sign = 1;
  const c0 = s.charCodeAt(i);
  if (c0 === 45 || c0 === 43) {
    if (c0 === 45) sign = -1;
    i++;
  }
  if (end - i === 0 || end - i > 15) return undefined;
  if (s.charCodeAt(i) === 48 && end - i > 1) return undefined; // octal or hex
  let v = 0;
  for (let k = i; k < end; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return sign * v || 0;
}

type Node = ArithFn;

/** Compile an expression (already expanded text). Throws ArithError on syntax errors. */
export function compile(text: string): ArithFn {
  const toks = tokenize(text);
  let pos = 0;
  const peek = () => toks[pos]!;
  const isOp = (v: string) => {
    const t = toks[pos]!;
    return t.k === 'op' && t.v === v;
  };
  const take = () => toks[pos++]!;

  // comma (lowest)
  function expr(): Node {
    let left = assign();
    while (isOp(',')) {
      take();
      const l = left;
      const r = assign();
      left = (s, d) => (l(s, d), r(s, d));
    }
    return left;
  }

  function assign(): Node {
    const t = peek();
    const next = toks[pos + 1]!;
    if (t.k === 'name' && next.k === 'op' && ASSIGN_OPS.has(next.v)) {
      pos += 2;
      const name = t.v;
      const rhs = assign();
      if (next.v === '=') {
        return (s, d) => {
          const v = rhs(s, d);
          s.set(name, String(v));
          return v;
        };
      }
      const op = BINARY[next.v.slice(0, -1)]!;
      return (s, d) => {
        const v = op(valueOf(name, s, d), rhs(s, d));
        s.set(name, String(v));
        return v;
      };
    }
    const cond = ternary();
    if (peek().k === 'op' && ASSIGN_OPS.has((peek() as { v: string }).v)) throw syntaxError(); // 1=2
    return cond;
  }

  function ternary(): Node {
    const cond = binary(4);
    if (!isOp('?')) return cond;
    take();
    const yes = expr();
    if (!isOp(':')) throw syntaxError();
    take();
    const no = ternary();
    return (s, d) => (isZero(cond(s, d)) ? no(s, d) : yes(s, d));
  }

  function binary(minPrec: number): Node {
    let left = unary();
    for (;;) {
      const t = peek();
      if (t.k !== 'op') break;
      const prec = PRECEDENCE[t.v];
      if (prec === undefined || prec < minPrec) break;
      take();
      const right = binary(t.v === '**' ? prec : prec + 1);
      const l = left;
      if (t.v === '&&') left = (s, d) => (isZero(l(s, d)) ? 0 : truth(right(s, d)));
      else if (t.v === '||') left = (s, d) => (isZero(l(s, d)) ? truth(right(s, d)) : 1);
      else {
        const f = BINARY[t.v]!;
        left = (s, d) => f(l(s, d), right(s, d));
      }
    }
    return left;
  }

  function unary(): Node {
    const t = peek();
    if (t.k === 'op') {
      switch (t.v) {
        case '+': {
          take();
          return unary();
        }
        case '-': {
          take();
          const a = unary();
          return (s, d) => neg(a(s, d));
        }
        case '!': {
          take();
          const a = unary();
          return (s, d) => (isZero(a(s, d)) ? 1 : 0);
        }
        case '~': {
          take();
          const a = unary();
          return (s, d) => bnot(a(s, d));
        }
        case '++':
        case '--': {
          take();
          const n = peek();
          if (n.k !== 'name') return unary(); // ++1 is +(+1), --1 is -(-1), in ash and bash
          take();
          const step = t.v === '++' ? 1 : -1;
          return (s, d) => {
            const v = add(valueOf(n.v, s, d), step);
            s.set(n.v, String(v));
            return v;
          };
        }
      }
    }
    return postfix();
  }

  function postfix(): Node {
    const t = peek();
    if (t.k === 'name' && toks[pos + 1]!.k === 'op') {
      const op = (toks[pos + 1] as { v: string }).v;
      if (op === '++' || op === '--') {
        pos += 2;
        const step = op === '++' ? 1 : -1;
        return (s, d) => {
          const v = valueOf(t.v, s, d);
          s.set(t.v, String(add(v, step)));
          return v;
        };
      }
    }
    return primary();
  }

  function primary(): Node {
    const t = take();
    if (t.k === 'num') {
      const v = t.v;
      return () => v;
    }
    if (t.k === 'name') {
      const name = t.v;
      return (s, d) => valueOf(name, s, d);
    }
    if (t.k === 'op' && t.v === '(') {
      const inner = expr();
      if (!isOp(')')) throw syntaxError();
      take();
      return inner;
    }
    throw syntaxError();
  }

  if (peek().k === 'end') return () => 0;
  const root = expr();
  if (peek().k !== 'end') throw syntaxError();
  return root;
}

/** Evaluate compiled arithmetic against the shell's variables. */
export function run(fn: ArithFn, scope: ArithScope): Num {
  return fn(scope, 0);
}
