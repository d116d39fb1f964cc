// find's command line: starting points, global options, and the expression, parsed into a tree
// as GNU findutils 4.9 parses it (precedence: , < -o < -a < ! < primaries and parentheses), with
// its messages for every mistake.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { resolvePath } from '../../core/context.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorText } from '../../core/errors.js';
import { compileGlob, type Matcher } from '../../core/glob.js';
import { resolveGid, resolveUid } from '../../core/ids.js';
import { POSIX_BASIC, POSIX_EXTENDED, Regex, RegexSyntaxError, Syntax as S } from '../../core/regex.js';
import { applyMode } from '../../core/mode.js';
import { localtime, mktime, type Zone } from '../../core/time.js';
import { parseDateTime } from '../../core/time-parse.js';
import { compilePrintf, type PrintfItem } from './printf.js';

export type Cmp = 'gt' | 'lt' | 'eq';

/** A node of the expression. */
export type Expr =
  | { k: 'and' | 'or' | 'comma'; left: Expr; right: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'true' | 'false' | 'prune' | 'quit' | 'delete' | 'empty' | 'nouser' | 'nogroup' | 'readable' | 'writable' | 'executable' }
  | { k: 'name' | 'path' | 'lname'; m: Matcher }
  | { k: 'type' | 'xtype'; types: string }
  | { k: 'size'; cmp: Cmp; n: number; unit: number }
  | { k: 'time'; field: 'atime' | 'mtime' | 'ctime'; cmp: Cmp; ref: Ts; window: number }
  | { k: 'newer'; field: 'atime' | 'mtime' | 'ctime' | 'btime'; ref: Ts }
  | { k: 'num'; field: 'links' | 'inum' | 'uid' | 'gid'; cmp: Cmp; n: number }
  | { k: 'user' | 'group'; id: number }
  | { k: 'perm'; how: 'exact' | 'all' | 'any'; file: number; dir: number }
  | { k: 'samefile'; dev: number; ino: number }
  | { k: 'print' | 'print0' | 'ls'; out?: FileOut }
  | { k: 'printf'; items: PrintfItem[]; out?: FileOut }
  | { k: 'exec'; argv: string[]; plus: boolean; dir: boolean; ok: boolean; id: number };

/** Seconds and nanoseconds. */
export interface Ts {
  sec: number;
  nsec: number;
}

/** The fds of -fprint /dev/stdout and /dev/stderr, which (as in GNU find) name the applet's own streams. */
export const STDOUT = -1;
export const STDERR = -2;

/** An output file of -fprint, -fprint0, -fls, -fprintf. */
export interface FileOut {
  name: string;
  fd: number;
}

export interface Parsed {
  paths: string[];
  expr: Expr;
  follow: 'never' | 'roots' | 'all';
  maxDepth?: number;
  minDepth: number;
  depthFirst: boolean;
  xdev: boolean;
  /** Files opened by -fprint and friends, closed at the end. */
  outputs: FileOut[];
  warnings: string[];
}

const DAY = 86400;

/** Words that begin the expression (a lone `-` or `--` is a path). */
function looksLikeExpression(arg: string, leading: boolean): boolean {
  if (arg.length > 1 && arg[0] === '-') return true;
  if (leading) return arg === '(' || arg === '!';
  return arg === ')' || arg === ',' || arg === '(' || arg === '!';
}

/** Parse find's arguments (after the name). `now` is the start time; `zone` the local zone. */
export function parseFind(ctx: Ctx<unknown>, args: readonly string[], now: Ts, zone: Zone): Parsed {
  let i = 0;
  let follow: Parsed['follow'] = 'never';
  // Options before the starting points: -H -L -P -D debugopts -Olevel.
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-H') follow = 'roots';
    else if (a === '-L') follow = 'all';
    else if (a === '-P') follow = 'never';
    else if (a === '-D') {
      if (i + 1 >= args.length) throw new AppletError("Missing argument after the -D option.");
      i++;
    } else if (/^-O\d*$/.test(a)) continue;
    else if (a === '--') {
      i++;
      break;
    } else break;
  }
  const paths: string[] = [];
  for (; i < args.length && !looksLikeExpression(args[i]!, true); i++) paths.push(args[i]!);
  if (paths.length === 0) paths.push('.');

  const p = new Parser(ctx, args.slice(i), now, zone);
  p.follow = follow;
  const expr = p.parse();
  return {
    paths,
    expr,
    follow: p.follow,
    maxDepth: p.maxDepth,
    minDepth: p.minDepth,
    depthFirst: p.depthFirst,
    xdev: p.xdev,
    outputs: p.outputs,
    warnings: p.warnings,
  };
}

class Parser {
  follow: Parsed['follow'] = 'never';
  maxDepth?: number;
  minDepth = 0;
  depthFirst = false;
  explicitDepth = false;
  xdev = false;
  outputs: FileOut[] = [];
  warnings: string[] = [];
  private pos = 0;
  private hasAction = false;
  private hasPrune = false;
  private hasDelete = false;
  private dayStart = false;
  private execCount = 0;
  private regexSyntax = REGEX_TYPES['findutils-default']!;

  constructor(
    private readonly ctx: Ctx<unknown>,
    private readonly args: readonly string[],
    private readonly now: Ts,
    private readonly zone: Zone,
  ) {}

  parse(): Expr {
    let expr: Expr | undefined;
    if (this.pos < this.args.length) expr = this.comma();
    if (this.pos < this.args.length) {
      const a = this.args[this.pos]!;
      if (a === ')') throw new AppletError("you have too many ')'");
      throw new AppletError(`paths must precede expression: \`${a}'`);
    }
    if (this.hasDelete && this.hasPrune && !this.explicitDepth) {
      throw new AppletError(
        'The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option.',
      );
    }
    if (this.hasDelete) this.depthFirst = true;
    // No action but -prune/-quit: print what the expression accepts.
    if (!this.hasAction) expr = expr ? { k: 'and', left: expr, right: { k: 'print' } } : { k: 'print' };
    return expr ?? { k: 'true' };
  }

  private peek(): string | undefined {
    return this.args[this.pos];
  }

  private comma(): Expr {
    let left = this.or();
    while (this.peek() === ',') {
      this.pos++;
      if (this.pos >= this.args.length) throw new AppletError("expected an expression after ','");
      left = { k: 'comma', left, right: this.or() };
    }
    return left;
  }

  private or(): Expr {
    let left = this.and();
    while (this.peek() === '-o' || this.peek() === '-or') {
      const op = this.args[this.pos++]!;
      if (this.pos >= this.args.length || this.peek() === ')' || this.peek() === ',') throw new AppletError(`expected an expression after '${op}'`);
      left = { k: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    for (;;) {
      const a = this.peek();
      if (a === undefined || a === ')' || a === ',' || a === '-o' || a === '-or') return left;
      if (a === '-a' || a === '-and') {
        this.pos++;
        if (this.pos >= this.args.length || this.peek() === ')' || this.peek() === ',') throw new AppletError(`expected an expression after '${a}'`);
      }
      left = { k: 'and', left, right: this.not() };
    }
  }

  private not(): Expr {
    const a = this.peek();
    if (a === '!' || a === '-not') {
      this.pos++;
      if (this.pos >= this.args.length || this.peek() === ')') throw new AppletError(`expected an expression after '${a}'`);
      return { k: 'not', e: this.not() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const a = this.args[this.pos++]!;
    if (a === '(') {
      if (this.peek() === ')') throw new AppletError('invalid expression; empty parentheses are not allowed.');
      if (this.pos >= this.args.length) throw new AppletError("invalid expression; I was expecting to find a ')' somewhere but did not see one.");
      const e = this.comma();
      if (this.peek() !== ')') throw new AppletError("invalid expression; I was expecting to find a ')' somewhere but did not see one.");
      this.pos++;
      return e;
    }
    if (a === ')') throw new AppletError("invalid expression; you have used a binary operator ')' with nothing before it.");
    if (a === '-a' || a === '-and' || a === '-o' || a === '-or' || a === ',') {
      throw new AppletError(`invalid expression; you have used a binary operator '${a}' with nothing before it.`);
    }
    if (!a.startsWith('-')) throw new AppletError(`paths must precede expression: \`${a}'`);
    return this.predicate(a);
  }

  /** -regex: the pattern must match the whole path, in the syntax -regextype chose. */
  private regexMatcher(pattern: string, ignoreCase: boolean): Matcher {
    let regex: Regex;
    try {
      regex = new Regex(pattern, { syntax: this.regexSyntax, ignoreCase });
    } catch (err) {
      if (err instanceof RegexSyntaxError) throw new AppletError(`failed to compile regular expression '${pattern}': ${err.message}`);
      throw err;
    }
    return (path) => regex.matchAt(path, 0, false)?.end === path.length;
  }

  private arg(pred: string): string {
    const v = this.args[this.pos];
    if (v === undefined) throw new AppletError(`missing argument to \`${pred}'`);
    this.pos++;
    return v;
  }

  private predicate(pred: string): Expr {
    switch (pred) {
      // ----- options (global; they evaluate to true where they stand) -----
      case '-maxdepth':
      case '-mindepth': {
        const v = this.arg(pred);
        if (!/^\d+$/.test(v)) throw new AppletError(`Expected a positive decimal integer argument to ${pred}, but got '${v}'`);
        if (pred === '-maxdepth') this.maxDepth = Number(v);
        else this.minDepth = Number(v);
        return { k: 'true' };
      }
      case '-depth':
      case '-d':
        this.depthFirst = true;
        this.explicitDepth = true;
        return { k: 'true' };
      case '-xdev':
      case '-mount':
        this.xdev = true;
        return { k: 'true' };
      case '-follow':
        this.follow = 'all';
        return { k: 'true' };
      case '-daystart':
        this.dayStart = true;
        return { k: 'true' };
      case '-noleaf':
      case '-ignore_readdir_race':
      case '-noignore_readdir_race':
      case '-warn':
      case '-nowarn':
        return { k: 'true' };
      case '-regextype': {
        const type = this.arg(pred);
        const syntax = REGEX_TYPES[type];
        if (syntax === undefined) {
          const valid = Object.keys(REGEX_TYPES).map((t) => `'${t}'`).join(', ');
          throw new AppletError(`Unknown regular expression type '${type}'; valid types are ${valid}.`);
        }
        this.regexSyntax = syntax;
        return { k: 'true' };
      }
      case '-help':
      case '--help':
        throw new AppletError('use find --help');
      // ----- tests -----
      case '-true':
        return { k: 'true' };
      case '-false':
        return { k: 'false' };
      case '-name':
      case '-iname':
        return { k: 'name', m: compileGlob(this.arg(pred), { casefold: pred === '-iname' }) };
      case '-regex':
      case '-iregex':
        return { k: 'path', m: this.regexMatcher(this.arg(pred), pred === '-iregex') };
      case '-path':
      case '-wholename':
      case '-ipath':
      case '-iwholename':
        return { k: 'path', m: compileGlob(this.arg(pred), { casefold: pred.startsWith('-i') }) };
      case '-lname':
      case '-ilname':
        return { k: 'lname', m: compileGlob(this.arg(pred), { casefold: pred === '-ilname' }) };
      case '-type':
      case '-xtype': {
        const v = this.arg(pred);
        const letters = v.split(',');
        for (const t of letters) {
          if (t.length !== 1) throw new AppletError(`Must separate multiple arguments to ${pred} using: ','`);
          if (!'bcdpflsD'.includes(t)) throw new AppletError(`Unknown argument to ${pred}: ${t}`);
        }
        if (v === '' || v.endsWith(',')) throw new AppletError(`Last file type in list argument to ${pred} is missing, i.e., list is ending on: ','`);
        return { k: pred === '-type' ? 'type' : 'xtype', types: letters.join('') };
      }
      case '-size': {
        const v = this.arg(pred);
        const m = /^([+-]?)(\d+)([bcwkMG]?)$/.exec(v);
        if (!m) {
          const unit = /^[+-]?\d+(.)/.exec(v);
          if (unit) throw new AppletError(`invalid -size type \`${unit[1]}'`);
          throw new AppletError(`invalid argument \`${v}' to \`-size'`);
        }
        const units: Record<string, number> = { b: 512, '': 512, c: 1, w: 2, k: 1024, M: 1048576, G: 1073741824 };
        return { k: 'size', cmp: cmpOf(m[1]!), n: Number(m[2]), unit: units[m[3]!]! };
      }
      case '-mtime':
      case '-atime':
      case '-ctime':
        return this.timeTest(pred, DAY);
      case '-mmin':
      case '-amin':
      case '-cmin':
        return this.timeTest(pred, 60);
      case '-newer':
      case '-anewer':
      case '-cnewer': {
        const ref = this.refStat(this.arg(pred));
        const field = pred === '-anewer' ? 'atime' : pred === '-cnewer' ? 'ctime' : 'mtime';
        return { k: 'newer', field, ref: tsOf(ref.mtimeNs) };
      }
      case '-used':
        throw new AppletError(`unknown predicate \`${pred}'`);
      case '-links':
      case '-inum':
      case '-uid':
      case '-gid': {
        const v = this.arg(pred);
        const m = /^([+-]?)(\d+)$/.exec(v);
        if (!m) throw new AppletError(`invalid argument \`${v}' to \`${pred}'`);
        return { k: 'num', field: pred.slice(1) as 'links' | 'inum' | 'uid' | 'gid', cmp: cmpOf(m[1]!), n: Number(m[2]) };
      }
      case '-user': {
        const v = this.arg(pred);
        const id = resolveUid(v);
        if (id === undefined) {
          if (v === '') throw new AppletError('The argument to -user should not be empty');
          throw new AppletError(`'${v}' is not the name of a known user`);
        }
        return { k: 'user', id };
      }
      case '-group': {
        const v = this.arg(pred);
        const id = resolveGid(v);
        if (id === undefined) {
          if (v === '') throw new AppletError('argument to -group is empty, but should be a group name');
          throw new AppletError(`'${v}' is not the name of an existing group`);
        }
        return { k: 'group', id };
      }
      case '-nouser':
        return { k: 'nouser' };
      case '-nogroup':
        return { k: 'nogroup' };
      case '-perm':
        return this.perm(this.arg(pred));
      case '-empty':
        return { k: 'empty' };
      case '-readable':
        return { k: 'readable' };
      case '-writable':
        return { k: 'writable' };
      case '-executable':
        return { k: 'executable' };
      case '-samefile': {
        const st = this.refStat(this.arg(pred));
        return { k: 'samefile', dev: Number(st.dev), ino: Number(st.ino) };
      }
      // ----- actions -----
      case '-print':
      case '-print0':
      case '-ls':
        this.hasAction = true;
        return { k: pred.slice(1) as 'print' | 'print0' | 'ls' };
      case '-fprint':
      case '-fprint0':
      case '-fls': {
        this.hasAction = true;
        const out = this.openOutput(this.arg(pred));
        return { k: pred.slice(2) as 'print' | 'print0' | 'ls', out };
      }
      case '-printf':
        this.hasAction = true;
        return { k: 'printf', items: compilePrintf(this.arg(pred), this.warnings) };
      case '-fprintf': {
        this.hasAction = true;
        const out = this.openOutput(this.arg(pred));
        return { k: 'printf', items: compilePrintf(this.arg(pred), this.warnings), out };
      }
      case '-prune':
        this.hasPrune = true;
        return { k: 'prune' };
      case '-quit':
        return { k: 'quit' };
      case '-delete':
        this.hasAction = true;
        this.hasDelete = true;
        return { k: 'delete' };
      case '-exec':
      case '-execdir':
      case '-ok':
      case '-okdir':
        this.hasAction = true;
        return this.exec(pred);
      default: {
        const newer = /^-newer(.)(.)$/.exec(pred);
        if (newer) return this.newerXY(pred, newer[1]!, newer[2]!);
        throw new AppletError(`unknown predicate \`${pred}'`);
      }
    }
  }

  /** -newerXY: the file's time X (a, c, m) after the reference's Y (a, c, m), or after the date
   *  string given (Y = t). This system gives find no birth times (B), as GNU find says here. */
  private newerXY(pred: string, x: string, y: string): Expr {
    const fields: Record<string, 'atime' | 'ctime' | 'mtime' | 'btime'> = { a: 'atime', c: 'ctime', m: 'mtime', B: 'btime' };
    if (!fields[x] || !(fields[y] || y === 't')) throw new AppletError(`invalid predicate \`${pred}'`);
    if (x === 'B' || y === 'B') {
      throw new AppletError(`This system does not provide a way to find the birth time of a file.\n${this.ctx.name}: invalid predicate \`${pred}'`);
    }
    if (this.args[this.pos] === undefined) throw new AppletError(`The '${pred}' test needs an argument`);
    const arg = this.arg(pred);
    let ref: Ts;
    if (y === 't') {
      const t = parseDateTime(arg, this.now, this.zone, this.ctx.env);
      if (!t) throw new AppletError(`I cannot figure out how to interpret ${quoteFind(arg)} as a date or time`);
      ref = { sec: t.sec, nsec: t.nsec };
    } else {
      const st = this.refStat(arg);
      ref = tsOf(y === 'a' ? st.atimeNs : y === 'c' ? st.ctimeNs : st.mtimeNs);
    }
    return { k: 'newer', field: fields[x]!, ref };
  }

  private timeTest(pred: string, unit: number): Expr {
    const v = this.arg(pred);
    const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)$/.exec(v);
    if (!m) throw new AppletError(`invalid argument \`${v}' to \`${pred}'`);
    const sign = m[1]!;
    // GNU counts -mtime from 24 hours before the start (-daystart: from today's midnight), one
    // second short of a day later for -N; -mmin from the start (-daystart: the end of today).
    const dayStart: Ts = this.dayStart ? { sec: this.startOfToday(), nsec: this.now.nsec } : { sec: this.now.sec - DAY, nsec: this.now.nsec };
    const origin: Ts = unit === DAY ? { ...dayStart } : { sec: dayStart.sec + DAY, nsec: dayStart.nsec };
    if (unit === DAY && sign === '-') origin.sec += DAY - 1;
    const amount = Number(m[2]) * unit;
    const whole = Math.trunc(amount);
    const ns = Math.round((amount - whole) * 1e9);
    let ref: Ts = { sec: origin.sec - whole, nsec: origin.nsec - ns };
    if (ref.nsec < 0) ref = { sec: ref.sec - 1, nsec: ref.nsec + 1e9 };
    const field = pred[1] === 'a' ? 'atime' : pred[1] === 'c' ? 'ctime' : 'mtime';
    // The comparison is inverted: +n means older than the reference time.
    const cmp: Cmp = sign === '+' ? 'lt' : sign === '-' ? 'gt' : 'eq';
    return { k: 'time', field, cmp, ref, window: unit };
  }

  private startOfToday(): number {
    const tm = localtime(this.now.sec, this.zone);
    return mktime({ year: tm.year, mon: tm.mon, mday: tm.mday, hour: 0, min: 0, sec: 0 }, this.zone);
  }

  private refStat(name: string): fs.BigIntStats {
    try {
      const p = fsPath(resolvePath(this.ctx.cwd, name));
      return this.follow === 'never' ? fs.lstatSync(p, { bigint: true }) : fs.statSync(p, { bigint: true });
    } catch (err) {
      throw new AppletError(`${quoteFind(name)}: ${errorText(err)}`);
    }
  }

  private perm(v: string): Expr {
    let how: 'exact' | 'all' | 'any' = 'exact';
    let spec = v;
    if (spec.startsWith('-')) {
      how = 'all';
      spec = spec.slice(1);
    } else if (spec.startsWith('/')) {
      how = 'any';
      spec = spec.slice(1);
    }
    let file: number;
    let dir: number;
    try {
      if (spec === '' || spec.startsWith('+')) throw new Error();
      file = applyMode(spec, 0, { isDir: false, umask: 0 });
      dir = applyMode(spec, 0, { isDir: true, umask: 0 });
    } catch {
      throw new AppletError(`invalid mode '${spec}'`);
    }
    return { k: 'perm', how, file, dir };
  }

  private openOutput(name: string): FileOut {
    const existing = this.outputs.find((o) => o.name === name);
    if (existing) return existing;
    let fd: number;
    if (name === '/dev/stdout') fd = STDOUT;
    else if (name === '/dev/stderr') fd = STDERR;
    else fd = fs.openSync(fsPath(resolvePath(this.ctx.cwd, name)), 'w', 0o666);
    const out = { name, fd };
    this.outputs.push(out);
    return out;
  }

  private exec(pred: string): Expr {
    const argv: string[] = [];
    let plus = false;
    for (;;) {
      const a = this.args[this.pos];
      if (a === undefined) throw new AppletError(`missing argument to \`${pred}'`);
      this.pos++;
      if (a === ';') break;
      if (a === '+' && argv.length > 0 && argv[argv.length - 1]!.includes('{}') && !pred.startsWith('-ok')) {
        if (argv[argv.length - 1] !== '{}') {
          throw new AppletError(`In '${pred} ... {} +' the '{}' must appear by itself, but you specified ${quoteFind(argv[argv.length - 1]!)}`);
        }
        plus = true;
        break;
      }
      argv.push(a);
    }
    if (argv.length === 0) throw new AppletError(`missing argument to \`${pred}'`);
    return { k: 'exec', argv, plus, dir: pred.endsWith('dir'), ok: pred.startsWith('-ok'), id: this.execCount++ };
  }
}

function cmpOf(sign: string): Cmp {
  return sign === '+' ? 'gt' : sign === '-' ? 'lt' : 'eq';
}

export function tsOf(ns: bigint): Ts {
  const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
  return { sec: Number(sec), nsec: Number(ns - sec * 1000000000n) };
}

/** find's quoting of names in messages: 'like this', with C escapes. */
export function quoteFind(s: string): string {
  return `'${s.replace(/[\\']|[^\x20-\x7e]/g, (c) => {
    const esc: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
    return esc[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  })}'`;
}

/** glibc's syntax bits for each -regextype, as findutils 4.9 (gnulib's regextype table) names them;
 *  the default is Emacs syntax (no bits; `.` does not match a newline there, as measured). */
const EMACS = 0;
const GREP = (POSIX_BASIC | S.NEWLINE_ALT) & ~S.CONTEXT_INVALID_DUP;
const EGREP = (POSIX_EXTENDED | S.INVALID_INTERVAL_ORD | S.NEWLINE_ALT) & ~S.CONTEXT_INVALID_OPS;
const REGEX_TYPES: Record<string, number> = {
  'findutils-default': EMACS,
  ed: POSIX_BASIC,
  emacs: EMACS,
  'gnu-awk': (POSIX_EXTENDED | S.BACKSLASH_ESCAPE_IN_LISTS | S.INVALID_INTERVAL_ORD) & ~(S.CONTEXT_INDEP_OPS | S.CONTEXT_INVALID_OPS),
  grep: GREP,
  'posix-awk': POSIX_EXTENDED | S.BACKSLASH_ESCAPE_IN_LISTS | S.INTERVALS | S.NO_GNU_OPS | S.INVALID_INTERVAL_ORD,
  awk:
    S.BACKSLASH_ESCAPE_IN_LISTS | S.NO_BK_PARENS | S.NO_BK_REFS | S.NO_BK_VBAR | S.NO_EMPTY_RANGES | S.DOT_NEWLINE |
    S.CONTEXT_INDEP_ANCHORS | S.CHAR_CLASSES | S.UNMATCHED_RIGHT_PAREN_ORD | S.NO_GNU_OPS,
  'posix-basic': POSIX_BASIC,
  'posix-egrep': EGREP,
  egrep: EGREP,
  'posix-extended': POSIX_EXTENDED,
  'posix-minimal-basic': (POSIX_BASIC & ~(S.BK_PLUS_QM | S.CONTEXT_INVALID_DUP)) | S.LIMITED_OPS,
  sed: POSIX_BASIC,
};
