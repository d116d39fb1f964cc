// xargs as GNU findutils has it: items read with its quoting rules (or -0/-d delimiters), batched
// by -n, -L, -s (and -x), or substituted with -I; commands run through ctx.exec, so applets run
// in-process and programs are spawned, up to -P at a time, each with stdin from /dev/null (or the
// terminal with -o). Statuses as GNU's: 123 if a command failed, 124 if one exited 255, 125 if one
// was killed, 126 not runnable, 127 not found, 1 for xargs' own errors.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { AppletError, BrokenPipe, UsageError, errorCode, errorText } from '../core/errors.js';
import { type ByteSource, FdSource } from '../core/io.js';
import type { OptionSpecs, OptsOf } from '../core/options.js';
import { CommandError } from '../core/process.js';
import { quote } from '../core/quote.js';

/** The command-line budget GNU uses unless -s says otherwise. */
const DEFAULT_ARG_MAX = 128 * 1024;
/** sysconf(_SC_ARG_MAX) on Linux with the usual 8 MiB stack: a quarter of it. */
const SYSTEM_ARG_MAX = 2 * 1024 * 1024;
const POSIX_ARG_MIN = 4096;
const HEADROOM = 2048;

/** Ends xargs with a status after its message was printed. */
class Stop {
  constructor(readonly status: number) {}
}

const OPTIONS = {
  '0': { long: 'null' },
  a: { long: 'arg-file', arg: 'list' },
  d: { long: 'delimiter', arg: 'string' },
  E: { arg: 'string' },
  e: { long: 'eof', arg: 'optional' },
  I: { arg: 'string' },
  i: { long: 'replace', arg: 'optional' },
  L: { arg: 'string' },
  l: { long: 'max-lines', arg: 'optional' },
  n: { long: 'max-args', arg: 'string' },
  o: { long: 'open-tty' },
  P: { long: 'max-procs', arg: 'string' },
  'process-slot-var': { arg: 'string' },
  r: { long: 'no-run-if-empty' },
  s: { long: 'max-chars', arg: 'string' },
  'show-limits': {},
  t: { long: 'verbose' },
  x: { long: 'exit' },
} as const satisfies OptionSpecs;

interface Settings {
  argMax: number;
  argsPerExec: number;
  linesPerExec: number;
  replace: string | undefined;
  eof: string | undefined;
  delimiter: number | undefined;
  exitIfTooBig: boolean;
  procs: number;
  verbose: boolean;
  noRunIfEmpty: boolean;
}

export default defineApplet({
  name: 'xargs',
  summary: 'Run COMMAND with arguments INITIAL-ARGS and more arguments read from input',
  usage: 'xargs [OPTION]... COMMAND [INITIAL-ARGS]...',
  stopAtOperand: true,
  help: [
    '-0, --null\t\t\tItems are separated by a null, not whitespace; disables quote and backslash processing',
    '-a, --arg-file=FILE\t\tRead arguments from FILE, not standard input',
    '-d, --delimiter=CHARACTER\tItems are separated by CHARACTER, not by whitespace',
    '-E END\t\t\t\tSet logical EOF string; if END occurs as a line of input, the rest is ignored',
    '-e, --eof[=END]\t\t\tEquivalent to -E END if END is specified; otherwise, there is no EOF string',
    '-I R\t\t\t\tSame as --replace=R',
    '-i, --replace[=R]\t\tReplace R in INITIAL-ARGS with names read from standard input (default {})',
    '-L, --max-lines=MAX-LINES\tUse at most MAX-LINES non-blank input lines per command line',
    '-l[MAX-LINES]\t\t\tSimilar to -L but defaults to at most one non-blank input line',
    '-n, --max-args=MAX-ARGS\t\tUse at most MAX-ARGS arguments per command line',
    '-o, --open-tty\t\t\tReopen stdin as /dev/tty in the child process before executing the command',
    '-P, --max-procs=MAX-PROCS\tRun at most MAX-PROCS processes at a time',
    '    --process-slot-var=VAR\tSet environment variable VAR in child processes',
    '-r, --no-run-if-empty\t\tIf there are no arguments, then do not run COMMAND',
    '-s, --max-chars=MAX-CHARS\tLimit length of command line to MAX-CHARS',
    '    --show-limits\t\tShow limits on command-line length',
    '-t, --verbose\t\t\tPrint commands before executing them',
    '-x, --exit\t\t\tExit if the size (see -s) is exceeded',
  ].join('\n'),
  options: OPTIONS,
  async run(ctx) {
    try {
      return await xargs(ctx);
    } catch (e) {
      if (e instanceof Stop) return e.status;
      throw e;
    }
  },
});

/** parse_num: a decimal in [min, max]; below min is fatal (with the usage hint) when `fatal`. */
async function parseNum(ctx: Ctx, text: string, letter: string, min: number, max: number, fatal: boolean): Promise<number> {
  const m = /^\s*([+-]?\d+)$/.exec(text);
  if (!m) throw new UsageError(`invalid number ${JSON.stringify(text)} for -${letter} option`);
  const value = Number(m[1]);
  if (value < min) {
    if (fatal) throw new UsageError(`value ${text} for -${letter} option should be >= ${min}`);
    await say(ctx, `value ${text} for -${letter} option should be >= ${min}`);
    return min;
  }
  if (max >= 0 && value > max) {
    if (fatal) throw new UsageError(`value ${text} for -${letter} option should be <= ${max}`);
    await say(ctx, `value ${text} for -${letter} option should be <= ${max}`);
    return max;
  }
  return value;
}

async function say(ctx: Ctx, text: string): Promise<void> {
  await ctx.stderr.write(`${ctx.name}: ${text}\n`);
}

/** The -d value: one character, or an escape (\n \t \\ \0 \NNN \xHH …). */
function delimiterOf(spec: string): number {
  if (spec.length === 1) return spec.charCodeAt(0);
  if (spec[0] === '\\') {
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
    if (spec.length === 2 && simple[spec[1]!] !== undefined) return simple[spec[1]!]!;
    let m = /^\\x([0-9a-fA-F]{1,2})$/.exec(spec);
    if (m) return parseInt(m[1]!, 16);
    m = /^\\([0-7]{1,3})$/.exec(spec);
    if (m && parseInt(m[1]!, 8) < 256) return parseInt(m[1]!, 8);
  }
  throw new AppletError(
    `Invalid input delimiter specification ${spec}: the delimiter must be either a single character or an escape sequence starting with \\.`,
  );
}

function environmentSize(ctx: Ctx): number {
  let size = 0;
  for (const [k, v] of ctx.env.entries()) size += k.length + v.length + 2 + 8;
  return size;
}

async function xargs(ctx: Ctx<OptsOf<typeof OPTIONS>>): Promise<number> {
  // Which of -n, -L and -I wins depends on which came last.
  const order = ctx.optionOrder;
  const limitMax = SYSTEM_ARG_MAX - environmentSize(ctx) - HEADROOM;
  const s: Settings = {
    argMax: Math.min(DEFAULT_ARG_MAX, limitMax),
    argsPerExec: 0,
    linesPerExec: 0,
    replace: undefined,
    eof: undefined,
    delimiter: undefined,
    exitIfTooBig: false,
    procs: 1,
    verbose: false,
    noRunIfEmpty: false,
  };
  let eofGiven = false;
  let argFile: string | undefined;
  const warnExclusive = (offending: string, option: string) =>
    say(ctx, `warning: options ${offending} and ${option} are mutually exclusive, ignoring previous ${offending} value`);
  for (const [key, value] of order) {
    switch (key) {
      case '0':
        s.delimiter = 0;
        break;
      case 'd':
        s.delimiter = delimiterOf(value as string);
        break;
      case 'E':
      case 'e':
        s.eof = typeof value === 'string' && value !== '' ? value : undefined;
        eofGiven = s.eof !== undefined;
        break;
      case 'I':
      case 'i':
        if (s.argsPerExec) {
          await warnExclusive('--max-args', '--replace/-I/-i');
          s.argsPerExec = 0;
        }
        if (s.linesPerExec) {
          await warnExclusive('--max-lines', '--replace/-I/-i');
          s.linesPerExec = 0;
        }
        s.replace = typeof value === 'string' ? value : '{}';
        break;
      case 'L':
      case 'l':
        s.linesPerExec = key === 'L' || typeof value === 'string' ? await parseNum(ctx, value as string, key, 1, -1, true) : 1;
        if (s.argsPerExec) {
          await warnExclusive('--max-args', key === 'L' ? '-L' : '--max-lines/-l');
          s.argsPerExec = 0;
        }
        if (s.replace !== undefined) {
          await warnExclusive('--replace', key === 'L' ? '-L' : '--max-lines/-l');
          s.replace = undefined;
        }
        break;
      case 'n': {
        const n = await parseNum(ctx, value as string, 'n', 1, -1, true);
        if (s.linesPerExec) {
          await warnExclusive('--max-lines', '--max-args/-n');
          s.linesPerExec = 0;
        }
        if (n === 1 && s.replace !== undefined) break; // GNU ignores -n1 after -I
        s.argsPerExec = n;
        if (s.replace !== undefined) {
          await warnExclusive('--replace', '--max-args/-n');
          s.replace = undefined;
        }
        break;
      }
      case 's':
        s.argMax = await parseNum(ctx, value as string, 's', 1, limitMax, false);
        break;
      case 'P':
        s.procs = await parseNum(ctx, value as string, 'P', 0, -1, true);
        break;
      case 'a':
        argFile = value as string;
        break;
      case 'x':
        s.exitIfTooBig = true;
        break;
      case 't':
        s.verbose = true;
        break;
      case 'r':
        s.noRunIfEmpty = true;
        break;
    }
  }
  if (s.replace !== undefined) {
    s.exitIfTooBig = true;
    s.linesPerExec = 1;
  }
  if (s.delimiter !== undefined && eofGiven) await say(ctx, 'warning: the -E option has no effect if -0 or -d is used.\n');
  const o = ctx.opts;
  if (o['show-limits']) {
    await ctx.stderr.write(
      `Your environment variables take up ${environmentSize(ctx)} bytes\n` +
        `POSIX upper limit on argument length (this system): ${SYSTEM_ARG_MAX - environmentSize(ctx)}\n` +
        `POSIX smallest allowable upper limit on argument length (all systems): ${POSIX_ARG_MIN}\n` +
        `Maximum length of command we could actually use: ${limitMax}\n` +
        `Size of command buffer we are actually using: ${s.argMax}\n` +
        `Maximum parallelism (--max-procs must be no greater): 2147483647\n\n`,
    );
  }
  const command = ctx.operands.length ? [...ctx.operands] : ['echo'];

  let input: ByteSource = ctx.stdin;
  let inputFd: number | undefined;
  if (argFile !== undefined && argFile !== '-') {
    try {
      inputFd = fs.openSync(fsPath(ctx.path(argFile)), 'r');
    } catch (err) {
      throw new AppletError(`Cannot open input file ${quote(argFile)}: ${errorText(err)}`);
    }
    input = new FdSource(inputFd, true);
  }
  const runner = new Runner(ctx, s, command, argFile !== undefined && argFile !== '-', !!o.o, o['process-slot-var']);
  try {
    const reader = new ItemReader(ctx, input, s);
    await runner.feed(reader);
    return await runner.finish();
  } finally {
    runner.close();
    if (inputFd !== undefined) input.close();
  }
}

/** GNU's read_line (quotes, backslashes, blanks) and read_string (-0, -d). Each call reads one
 *  input line (or one delimited item), handing each item to `push` as soon as it is complete, and
 *  returns false at the end of the input. `lineno` counts lines for -L, as GNU's global does. */
class ItemReader {
  lineno = 0;
  private buf: Uint8Array | null = new Uint8Array(0);
  private pos = 0;
  private eof = false;
  private nulWarned = false;
  constructor(
    private readonly ctx: Ctx,
    private readonly src: ByteSource,
    private readonly s: Settings,
  ) {}
  /** The next byte, -1 at the end of input, or NEED_INPUT when refill() must be awaited first
   *  (so bytes are taken synchronously, with one await per chunk rather than per byte). */
  private take(): number {
    if (!this.buf) return -1;
    return this.pos < this.buf.length ? this.buf[this.pos++]! : NEED_INPUT;
  }
  private async refill(): Promise<void> {
    this.buf = await this.src.read();
    this.pos = 0;
  }
  async line(push: (item: string) => Promise<void>, tooLong: () => Promise<never>, limit: number): Promise<boolean> {
    if (this.eof) return false;
    const give = push;
    // Arguments are C strings to GNU: one ends at its first NUL byte.
    push = (item) => give(item.includes('\0') ? item.slice(0, item.indexOf('\0')) : item);
    return this.s.delimiter !== undefined ? this.delimited(push, tooLong, limit) : this.quoted(push, tooLong, limit);
  }
  private async delimited(push: (item: string) => Promise<void>, tooLong: () => Promise<never>, limit: number): Promise<boolean> {
    let item = '';
    for (;;) {
      const c = this.take();
      if (c === NEED_INPUT) {
        await this.refill();
        continue;
      }
      if (c === -1) {
        this.eof = true;
        if (item === '') return false;
        await push(item);
        return true;
      }
      if (c === this.s.delimiter) {
        this.lineno++;
        await push(item);
        return true;
      }
      if (item.length >= limit) await tooLong();
      item += String.fromCharCode(c);
    }
  }
  private async quoted(push: (item: string) => Promise<void>, tooLong: () => Promise<never>, limit: number): Promise<boolean> {
    const replacing = this.s.replace !== undefined;
    let state: 'space' | 'norm' | 'quote' | 'backslash' = 'space';
    let quote = 0;
    let item = '';
    let first = true;
    let seenArg = false; // GNU's seen_arg: a quoted '' on a line of its own is still an argument
    let prev = -1;
    let c = -1;
    const isEofString = (text: string) => this.s.eof !== undefined && text === this.s.eof;
    for (;;) {
      const next = this.take();
      if (next === NEED_INPUT) {
        await this.refill();
        continue;
      }
      prev = c;
      c = next;
      if (c === -1) {
        this.eof = true;
        if (item === '') return false;
        if (state === 'quote') await this.unmatched(quote);
        if (first && isEofString(item)) return false;
        await push(item);
        return true;
      }
      if (state === 'space') {
        if (c === 32 || (c >= 9 && c <= 13)) continue;
        state = 'norm';
      }
      switch (state) {
        case 'norm':
          if (c === 10) {
            if (prev !== 32 && prev !== 9) this.lineno++;
            if (item === '' && !seenArg) {
              state = 'space'; // a blank line
              continue;
            }
            if (isEofString(item)) {
              this.eof = true;
              return !first;
            }
            await push(item);
            return true;
          }
          seenArg = true;
          if (!replacing && (c === 32 || c === 9)) {
            if (isEofString(item)) {
              this.eof = true;
              return !first;
            }
            await push(item);
            item = '';
            state = 'space';
            first = false;
            continue;
          }
          if (c === 92) {
            state = 'backslash';
            continue;
          }
          if (c === 39 || c === 34) {
            state = 'quote';
            quote = c;
            continue;
          }
          break;
        case 'quote':
          if (c === 10) await this.unmatched(quote);
          if (c === quote) {
            state = 'norm';
            seenArg = true;
            continue;
          }
          break;
        case 'backslash':
          state = 'norm';
          break;
      }
      if (c === 0 && !this.nulWarned) {
        this.nulWarned = true;
        await say(
          this.ctx,
          'WARNING: a NUL character occurred in the input.  It cannot be passed through in the argument list.  Did you mean to use the --null option?',
        );
      }
      if (item.length >= limit) await tooLong();
      item += String.fromCharCode(c);
    }
  }
  private async unmatched(quote: number): Promise<never> {
    this.pendingError = `unmatched ${quote === 34 ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`;
    throw new PendingError();
  }
  pendingError: string | undefined;
}

class PendingError extends Error {}

const NEED_INPUT = -2;

/** Builds command lines within the limits and runs them, up to -P at a time. */
class Runner {
  private args: string[] = [];
  private chars: number;
  private readonly initialChars: number;
  private status = 0;
  private executed = 0;
  private running = new Set<Promise<void>>();
  private stopping: Stop | undefined;
  private devnull: number | undefined;
  private slots: boolean[] = [];
  constructor(
    private readonly ctx: Ctx,
    private readonly s: Settings,
    private readonly command: string[],
    private readonly keepStdin: boolean,
    private readonly openTty: boolean,
    private readonly slotVar: string | undefined,
  ) {
    this.initialChars = command.reduce((n, a) => n + a.length + 1, 0);
    this.chars = this.initialChars;
  }
  close(): void {
    if (this.devnull !== undefined) fs.closeSync(this.devnull);
  }

  async feed(reader: ItemReader): Promise<void> {
    const s = this.s;
    if (this.initialChars > s.argMax) {
      await say(this.ctx, 'cannot fit single argument within argument list size limit');
      throw new Stop(1);
    }
    const limit = s.argMax - this.initialChars - 1;
    const tooLong = async (): Promise<never> => {
      await this.execIfPossible();
      await say(this.ctx, 'argument line too long');
      throw new Stop(1);
    };
    try {
      let line = '';
      const push = async (item: string) => {
        if (s.replace !== undefined) line = item;
        else await this.push(item);
      };
      while (await reader.line(push, tooLong, limit)) {
        if (s.replace !== undefined) await this.runReplaced(line);
        else if (s.linesPerExec && reader.lineno >= s.linesPerExec) {
          await this.exec();
          reader.lineno = 0;
        }
        if (this.stopping) throw this.stopping;
      }
    } catch (e) {
      if (e instanceof PendingError) {
        await this.execIfPossible();
        await say(this.ctx, reader.pendingError!);
        throw new Stop(1);
      }
      throw e;
    }
    if (s.replace === undefined && (this.args.length > 0 || (!s.noRunIfEmpty && this.executed === 0))) await this.exec();
  }

  async finish(): Promise<number> {
    await Promise.all(this.running);
    if (this.stopping) throw this.stopping;
    return this.status;
  }

  private async execIfPossible(): Promise<void> {
    if (this.args.length) await this.exec();
    await Promise.all(this.running);
  }

  /** bc_push_arg: make room for one more argument, running what is gathered when it would not fit. */
  private async push(arg: string): Promise<void> {
    const s = this.s;
    const len = arg.length + 1;
    if (this.chars + len > s.argMax) {
      if (this.args.length === 0) {
        await say(this.ctx, 'cannot fit single argument within argument list size limit');
        throw new Stop(1);
      }
      if (s.exitIfTooBig && (s.linesPerExec || s.argsPerExec)) {
        await say(this.ctx, 'argument list too long');
        throw new Stop(1);
      }
      await this.exec();
    }
    this.args.push(arg);
    this.chars += len;
    if (s.argsPerExec && this.args.length >= s.argsPerExec) await this.exec();
  }

  private async runReplaced(line: string): Promise<void> {
    const pattern = this.s.replace!;
    const argv = this.command.map((a) => (pattern !== '' && a.includes(pattern) ? a.split(pattern).join(line) : a));
    const size = argv.reduce((n, a) => n + a.length + 1, 0);
    if (size > this.s.argMax) {
      await Promise.all(this.running);
      await say(this.ctx, 'argument list too long');
      throw new Stop(1);
    }
    await this.launch(argv);
  }

  private async exec(): Promise<void> {
    const argv = [...this.command, ...this.args];
    this.args = [];
    this.chars = this.initialChars;
    await this.launch(argv);
  }

  /** Start a command once a slot is free. */
  private async launch(argv: string[]): Promise<void> {
    if (this.stopping) throw this.stopping;
    const max = this.s.procs === 0 ? Infinity : this.s.procs;
    while (this.running.size >= max) await Promise.race(this.running);
    if (this.stopping) throw this.stopping;
    this.executed++;
    if (this.s.verbose) await this.ctx.stderr.write(`${argv.join(' ')}\n`);
    let slot = this.slots.indexOf(false);
    if (slot === -1) slot = this.slots.push(true) - 1;
    else this.slots[slot] = true;
    const job = this.runOne(argv, slot).finally(() => {
      this.running.delete(job);
      this.slots[slot] = false;
    });
    this.running.add(job);
    if (max === 1) await job;
  }

  private async runOne(argv: string[], slot: number): Promise<void> {
    const ctx = this.ctx;
    let stdin: ByteSource = ctx.stdin;
    let ttyFd: number | undefined;
    if (this.openTty) {
      try {
        ttyFd = fs.openSync('/dev/tty', 'r');
      } catch (err) {
        await say(ctx, `failed to open /dev/tty for reading: ${errorText(err)}`);
        this.stopping = new Stop(1);
        return;
      }
      stdin = new FdSource(ttyFd);
    } else if (!this.keepStdin) {
      this.devnull ??= fs.openSync('/dev/null', 'r');
      stdin = new FdSource(this.devnull);
    }
    let env = ctx.env;
    if (this.slotVar !== undefined) {
      env = ctx.env.child();
      env.set(this.slotVar, String(slot));
    }
    let code: number;
    try {
      code = await ctx.exec(argv, { stdin, env });
    } catch (err) {
      if (err instanceof CommandError) {
        await say(ctx, `${argv[0]}: ${errorText({ code: err.code })}`);
        this.stopping = new Stop(err.status);
        return;
      }
      if (err instanceof BrokenPipe || errorCode(err) === undefined) throw err;
      await say(ctx, `${argv[0]}: ${errorText(err)}`);
      this.stopping = new Stop(1);
      return;
    } finally {
      if (ttyFd !== undefined) fs.closeSync(ttyFd);
    }
    if (code === 0) return;
    if (code === 255) {
      await say(ctx, `${argv[0]}: exited with status 255; aborting`);
      this.stopping = new Stop(124);
    } else if (code > 128) {
      // A status above 128 is how a killed command reports (128 + the signal).
      await say(ctx, `${argv[0]}: terminated by signal ${code - 128}`);
      this.stopping = new Stop(125);
    } else this.status = 123;
  }
}
