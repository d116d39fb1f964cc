// test EXPR, [ EXPR ], [[ EXPR ]] (ash: the same command with a closing `]]`). The expression logic
// is the test applet's, in its BusyBox ash dialect (its grammar, 64-bit integers, `<` `>`, messages
// such as `missing ]` and `abc: bad number`); errors are `sh: ...` with status 2. The shapes a loop
// condition takes (`[ "$i" -lt 10 ]`, `[ "$a" = b ]`, `[ -n "$x" ]`) are answered here first,
// without the general parser: they are most of a script's tests.
import { evaluateTest, type TestEnvironment } from '../../test.js';
import type { Shell } from '../shell.js';
import type { Builtin } from './index.js';

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

/** The answer for the common shapes, or undefined for the general parser. */
function quick(args: readonly string[], from: number, end: number): boolean | undefined {
  const n = end - from;
  if (n === 1) return args[from] !== '';
  if (n === 2) {
    const op = args[from];
    if (op === '-n') return args[from + 1] !== '';
    if (op === '-z') return args[from + 1] === '';
    return undefined;
  }
  if (n !== 3) return undefined;
  const a = args[from]!;
  const op = args[from + 1]!;
  const b = args[from + 2]!;
  if (a === '!' || a === '(') return undefined;
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
  if (op.length !== 3 || op[0] !== '-') return undefined;
  const x = quickInteger(a);
  const y = quickInteger(b);
  if (x === undefined || y === undefined) return undefined;
  switch (op) {
    case '-eq': return x === y;
    case '-ne': return x !== y;
    case '-lt': return x < y;
    case '-le': return x <= y;
    case '-gt': return x > y;
    case '-ge': return x >= y;
  }
  return undefined;
}

/** What the test applet's logic needs, from the shell: its directory, its descriptors, its ids. */
function environment(sh: Shell): TestEnvironment {
  return { path: (p) => sh.path(p), isTTY: (fd) => sh.isatty(fd), host: sh.host };
}

/** Run test: `argv` is the whole command (`[ a = b ]`). The status, or the error text (status 2). */
export function runTest(sh: Shell, argv: readonly string[]): number | string {
  const name = argv[0];
  const bracket = name === '[' ? '[' : name === '[[' ? '[[' : undefined;
  let end = argv.length;
  if (bracket) {
    if (argv[end - 1] !== (bracket === '[' ? ']' : ']]')) return `missing ${bracket === '[' ? ']' : ']]'}`;
    end--;
  }
  const q = quick(argv, 1, end);
  if (q !== undefined) return q ? 0 : 1;
  const r = evaluateTest(argv.slice(1), environment(sh), { dialect: 'ash', bracket });
  return r.error ?? r.status;
}

export default {
  run(sh, argv) {
    const r = runTest(sh, argv);
    if (typeof r === 'number') return r;
    const w = sh.writeErr(`${sh.arg0}: ${r}\n`);
    return w ? w.then(() => 2) : 2;
  },
} satisfies Builtin;
