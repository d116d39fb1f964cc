// du as GNU coreutils has it: disk usage (or apparent size, or inodes) of each FILE, directories
// summed over their contents, through the streaming walk in directory order; hard-linked files
// counted once (-l counts each), -a -s -d -S -c -x -L -H -P -t, --exclude and -X, --time, -0,
// and sizes in blocks of --block-size (-k -m -b), or human-readable (-h --si).
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { type ArgTable, argmatch } from '../core/argmatch.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { type BlockSize, envBlockSize, formatBlocks, HUMAN_1024, HUMAN_SI, parseBlockSize } from '../core/format.js';
import { compileGlob, type Matcher } from '../core/glob.js';
import { readLines, FdSource } from '../core/io.js';
import { parseOptions } from '../core/options.js';
import { isUtf8Locale, quote, quoteaf, quotef } from '../core/quote.js';
import { localtime, strftime, zoneFromEnv } from '../core/time.js';
import { walk, type WalkEntry } from '../core/walk.js';

const OPTIONS = {
  '0': { long: 'null' },
  a: { long: 'all' },
  'apparent-size': {},
  B: { long: 'block-size', arg: 'string' },
  b: { long: 'bytes' },
  c: { long: 'total' },
  D: { long: 'dereference-args' },
  d: { long: 'max-depth', arg: 'string' },
  'files0-from': { arg: 'string' },
  H: {},
  h: { long: 'human-readable' },
  inodes: {},
  k: {},
  L: { long: 'dereference' },
  l: { long: 'count-links' },
  m: {},
  P: { long: 'no-dereference' },
  S: { long: 'separate-dirs' },
  si: {},
  s: { long: 'summarize' },
  t: { long: 'threshold', arg: 'string' },
  time: { arg: 'optional' },
  'time-style': { arg: 'string' },
  X: { long: 'exclude-from', arg: 'list' },
  exclude: { arg: 'list' },
  x: { long: 'one-file-system' },
} as const;

const TIME_ARGS: ArgTable<'mtime' | 'atime' | 'ctime'> = [
  ['atime', 'atime'],
  ['access', 'atime'],
  ['use', 'atime'],
  ['ctime', 'ctime'],
  ['status', 'ctime'],
];

interface Totals {
  size: number;
  inodes: number;
  /** Latest time in the subtree, for --time: seconds and nanoseconds. */
  time: number;
  ns: number;
  /** Excluded, or counted already: neither added nor printed. */
  ignored?: boolean;
}

const IGNORED: Totals = { size: 0, inodes: 0, time: -Infinity, ns: 0, ignored: true };

/** Keep the later of two times in `into`. */
function later(into: Totals, t: Totals): void {
  if (t.time > into.time || (t.time === into.time && t.ns > into.ns)) {
    into.time = t.time;
    into.ns = t.ns;
  }
}

export default defineApplet({
  name: 'du',
  summary: 'Summarize disk usage of the set of FILEs, recursively for directories',
  usage: 'du [OPTION]... [FILE]...\n  or:  du [OPTION]... --files0-from=F',
  help: [
    '  -0, --null            end each output line with NUL, not newline',
    '  -a, --all             write counts for all files, not just directories',
    '      --apparent-size   print apparent sizes rather than disk usage',
    '  -B, --block-size=SIZE  scale sizes by SIZE before printing them',
    '  -b, --bytes           equivalent to \'--apparent-size --block-size=1\'',
    '  -c, --total           produce a grand total',
    '  -D, --dereference-args  dereference only symlinks that are listed on the',
    '                          command line',
    '  -d, --max-depth=N     print the total for a directory (or file, with --all)',
    '                          only if it is N or fewer levels below the command',
    '                          line argument;  --max-depth=0 is the same as --summarize',
    '      --files0-from=F   summarize disk usage of the NUL-terminated file names',
    '                          specified in file F; if F is -, then read names',
    '                          from standard input',
    '  -H                    equivalent to --dereference-args (-D)',
    '  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)',
    '      --inodes          list inode usage information instead of block usage',
    '  -k                    like --block-size=1K',
    '  -L, --dereference     dereference all symbolic links',
    '  -l, --count-links     count sizes many times if hard linked',
    '  -m                    like --block-size=1M',
    '  -P, --no-dereference  don\'t follow any symbolic links (this is the default)',
    '  -S, --separate-dirs   for directories do not include size of subdirectories',
    '      --si              like -h, but use powers of 1000 not 1024',
    '  -s, --summarize       display only a total for each argument',
    '  -t, --threshold=SIZE  exclude entries smaller than SIZE if positive,',
    '                          or entries greater than SIZE if negative',
    '      --time            show time of the last modification of any file in the',
    '                          directory, or any of its subdirectories',
    '      --time=WORD       show time as WORD instead of modification time:',
    '                          atime, access, use, ctime or status',
    '      --time-style=STYLE  show times using STYLE: full-iso, long-iso, iso, +FORMAT',
    '  -X, --exclude-from=FILE  exclude files that match any pattern in FILE',
    '      --exclude=PATTERN  exclude files that match PATTERN',
    '  -x, --one-file-system  skip directories on different file systems',
  ].join('\n'),
  options: OPTIONS,
  usageStatus: 1,
  async run(ctx) {
    const o = ctx.opts;
    const utf8 = isUtf8Locale(ctx.env);
    // Block size: the last of -B, -b, -k, -m, -h, --si wins, as in GNU's option loop.
    let bs: BlockSize = envBlockSize(ctx.env, 'DU_BLOCK_SIZE');
    let apparent = !!o['apparent-size'];
    let follow: 'never' | 'roots' | 'all' = 'never';
    for (const [key, value] of parseOptions(OPTIONS, ctx.argv.slice(1)).order) {
      if (key === 'B') bs = parseBlockSize(value as string, spelledAs(ctx, '-B', 'block-size'));
      else if (key === 'b') {
        apparent = true;
        bs = { size: 1, human: {} };
      } else if (key === 'k') bs = { size: 1024, human: {} };
      else if (key === 'm') bs = { size: 1048576, human: {} };
      else if (key === 'h') bs = { size: 1, human: HUMAN_1024 };
      else if (key === 'si') bs = { size: 1, human: HUMAN_SI };
      else if (key === 'L') follow = 'all';
      else if (key === 'H' || key === 'D') follow = 'roots';
      else if (key === 'P') follow = 'never';
    }
    if (o.inodes && apparent) await ctx.stderr.write(`${ctx.name}: warning: options --apparent-size and -b are ineffective with --inodes\n`);
    let maxDepth: number | undefined;
    if (o.d !== undefined) {
      if (!/^\d+$/.test(o.d)) throw new UsageError(`invalid maximum depth ${quote(o.d, utf8)}`);
      maxDepth = Number(o.d);
    }
    if (o.s) {
      if (maxDepth !== undefined && maxDepth !== 0) throw new UsageError(`warning: summarizing conflicts with --max-depth=${maxDepth}`);
      maxDepth = 0;
    }
    if (o.s && o.a) throw new UsageError('cannot both summarize and show all entries');
    let threshold = 0;
    if (o.t !== undefined) {
      const m = /^(-?)(.*)$/s.exec(o.t)!;
      let n: number;
      try {
        n = /^0+$/.test(m[2]!) ? 0 : parseBlockSize(m[2]!, '--threshold').size;
      } catch {
        throw new AppletError(`invalid ${spelledAs(ctx, '-t', 'threshold')} argument ${quote(o.t, utf8)}`);
      }
      if (m[1] && n === 0) throw new AppletError(`invalid ${spelledAs(ctx, '-t', 'threshold')} argument ${quote(o.t, utf8)}`);
      threshold = m[1] ? -n : n;
    }
    const excludes: Matcher[] = (o.exclude ?? []).map((p) => compileGlob(p));
    for (const file of o.X ?? []) {
      try {
        for (const line of fs.readFileSync(fsPath(ctx.path(file)), 'latin1').split('\n')) if (line) excludes.push(compileGlob(line));
      } catch (err) {
        throw new AppletError(`${quoteaf(file, utf8)}: ${errorText(err)}`);
      }
    }
    let timeField: 'mtime' | 'atime' | 'ctime' | undefined;
    if (o.time !== undefined) timeField = o.time === true ? 'mtime' : argmatch(o.time, TIME_ARGS, '--time', 1);
    let timeFormat = '%Y-%m-%d %H:%M';
    const style = o['time-style'] ?? ctx.env.get('TIME_STYLE');
    if (timeField && style !== undefined) {
      const s = style.replace(/^posix-/, '');
      if (s.startsWith('+')) timeFormat = s.slice(1).split('\n')[0]!;
      else timeFormat = argmatch(s, [['full-iso', '%Y-%m-%d %H:%M:%S.%N %z'], ['long-iso', '%Y-%m-%d %H:%M'], ['iso', '%Y-%m-%d']] as const, 'time style', 1);
    }

    let operands = [...ctx.operands];
    if (o['files0-from'] !== undefined) {
      if (operands.length) throw new UsageError(`extra operand ${quote(operands[0]!, utf8)}\nfile operands cannot be combined with --files0-from`);
      operands = await readFiles0(ctx, o['files0-from']);
    } else if (operands.length === 0) operands = ['.'];

    const du = new Du(ctx, {
      apparent,
      bs,
      countLinks: !!o.l,
      all: !!o.a,
      separate: !!o.S,
      inodes: !!o.inodes,
      maxDepth,
      threshold,
      excludes,
      timeField,
      timeFormat,
      eol: o['0'] ? '\0' : '\n',
      xdev: !!o.x,
      follow,
      utf8,
      // With several operands (or -L) the same directory may come twice: remember them all.
      hashAll: operands.length > 1 || follow === 'all',
    });
    const grand: Totals = { size: 0, inodes: 0, time: -Infinity, ns: 0 };
    const files0 = o['files0-from'];
    for (const [i, root] of operands.entries()) {
      if (ctx.signal.aborted) break;
      if (root === '' && files0 === undefined) {
        await du.warn('invalid zero-length file name');
        continue;
      }
      if (files0 !== undefined && (root === '' || (root === '-' && files0 === '-'))) {
        await du.warn(
          root === '' ? `${quotef(files0)}:${i + 1}: invalid zero-length file name` : "when reading file names from stdin, no file name of '-' allowed",
        );
        continue;
      }
      const t = await du.measure(root);
      if (t) {
        grand.size += t.size;
        grand.inodes += t.inodes;
        later(grand, t);
      }
    }
    if (o.c) du.print(grand, 'total');
    await du.flush();
    return du.status;
  },
});

interface DuOptions {
  apparent: boolean;
  bs: BlockSize;
  countLinks: boolean;
  all: boolean;
  separate: boolean;
  inodes: boolean;
  maxDepth?: number;
  threshold: number;
  excludes: Matcher[];
  timeField?: 'mtime' | 'atime' | 'ctime';
  timeFormat: string;
  eol: string;
  xdev: boolean;
  follow: 'never' | 'roots' | 'all';
  utf8: boolean;
  hashAll: boolean;
}

class Du {
  status = 0;
  private out = '';
  private readonly seen = new Set<string>();
  private readonly zone;

  constructor(
    private readonly ctx: Ctx<unknown>,
    private readonly o: DuOptions,
  ) {
    this.zone = zoneFromEnv(ctx.env);
  }

  private excluded(path: string): boolean {
    if (!this.o.excludes.length) return false;
    // GNU's exclude: the whole name, or any part of it after a slash.
    for (const m of this.o.excludes) {
      if (m(path)) return true;
      for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) if (path[i + 1] !== '/' && m(path.slice(i + 1))) return true;
    }
    return false;
  }

  async measure(root: string): Promise<Totals | undefined> {
    const o = this.o;
    const stack: Totals[] = [];
    let result: Totals | undefined;
    let n = 0;
    for (const e of walk([root], { follow: o.follow, xdev: o.xdev, postorder: true, cwd: this.ctx.cwd })) {
      // (AbortSignal.aborted is a slow getter: looked at every 256 files.)
      if ((++n & 255) === 0 && this.ctx.signal.aborted) break;
      if (this.out.length >= 65536) await this.flush();
      if (e.phase === 'error') {
        await this.warn(`cannot read directory ${quoteaf(e.path, o.utf8)}: ${errorText(e.error)}`);
        continue;
      }
      if (e.phase === 'loop') continue; // expected when following symlinks (GNU warns only then not)
      if (e.phase === 'post') {
        const t = stack.pop()!;
        this.done(e, t, stack, true);
        if (e.depth === 0) result = t;
        continue;
      }
      let st: fs.Stats;
      try {
        st = e.stat();
      } catch (err) {
        await this.warn(`cannot access ${quoteaf(e.path, o.utf8)}: ${errorText(err)}`);
        continue;
      }
      if (e.dangling) {
        // (GNU says no more: fts reports the link without an error number)
        await this.warn(`cannot access ${quoteaf(e.path, o.utf8)}`);
        continue;
      }
      if (e.depth > 0 && this.excluded(e.path)) {
        if (e.phase === 'pre') {
          e.skip();
          stack.push(IGNORED);
        }
        continue;
      }
      let counted = true;
      if (!o.countLinks && (o.hashAll || (!st.isDirectory() && st.nlink > 1))) {
        const key = `${st.dev}:${st.ino}`;
        if (this.seen.has(key)) counted = false;
        else this.seen.add(key);
      }
      if (!counted && e.phase === 'pre') {
        // Already counted (the same directory named twice): not walked, not printed again.
        e.skip();
        stack.push(IGNORED);
        continue;
      }
      if (!counted) continue; // a hard link to a file already counted: neither added nor printed
      const own: Totals = { size: o.inodes ? 0 : o.apparent ? st.size : st.blocks * 512, inodes: 1, time: 0, ns: 0 };
      if (o.timeField) this.timeOf(e, st, own);
      if (e.phase === 'pre') {
        stack.push(own);
        continue;
      }
      // A file (or a directory the walk does not enter).
      this.done(e, own, stack, false);
      if (e.depth === 0) result = own;
    }
    return result;
  }

  /** A finished entry: add it to its parent, print it if wanted. */
  private done(e: WalkEntry, t: Totals, stack: Totals[], isDir: boolean): void {
    const o = this.o;
    if (t.ignored) return;
    const parent = stack[stack.length - 1];
    if (parent) {
      if (!(o.separate && isDir)) {
        parent.size += t.size;
        parent.inodes += t.inodes;
      }
      later(parent, t);
    }
    const depthOk = o.maxDepth === undefined || e.depth <= o.maxDepth;
    if (depthOk && (isDir || o.all || e.depth === 0)) this.print(t, e.path);
  }

  /** The entry's --time into t (to the nanosecond when the format shows them). */
  private timeOf(e: WalkEntry, st: fs.Stats, t: Totals): void {
    const f = this.o.timeField!;
    if (this.o.timeFormat.includes('%N')) {
      const follow = this.o.follow === 'all' || (this.o.follow === 'roots' && e.depth === 0);
      const big = follow ? fs.statSync(fsPath(e.osPath), { bigint: true }) : fs.lstatSync(fsPath(e.osPath), { bigint: true });
      const ns = f === 'atime' ? big.atimeNs : f === 'ctime' ? big.ctimeNs : big.mtimeNs;
      const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
      t.time = Number(sec);
      t.ns = Number(ns - sec * 1000000000n);
      return;
    }
    const ms = f === 'atime' ? st.atimeMs : f === 'ctime' ? st.ctimeMs : st.mtimeMs;
    t.time = Math.floor(ms / 1000);
    t.ns = Math.min(999999999, Math.round((ms - t.time * 1000) * 1e6));
  }

  print(t: Totals, name: string): void {
    const o = this.o;
    const value = o.inodes ? t.inodes : t.size;
    if (o.threshold > 0 ? value < o.threshold : o.threshold < 0 ? value > -o.threshold : false) return;
    let line = o.inodes ? formatBlocks(t.inodes, 1, o.bs.human.autoscale ? o.bs : { size: 1, human: {} }) : formatBlocks(t.size, 1, o.bs);
    line += '\t';
    if (o.timeField) {
      line += `${strftime(o.timeFormat, localtime(t.time, this.zone), t.ns)}\t`;
    }
    this.out += `${line}${name}${o.eol}`;
  }

  async flush(): Promise<void> {
    if (this.out) await this.ctx.stdout.write(this.out);
    this.out = '';
  }

  async warn(message: string): Promise<void> {
    await this.flush();
    await this.ctx.stderr.write(`${this.ctx.name}: ${message}\n`);
    this.status = 1;
  }
}

/** How the user spelled an option, for GNU's `invalid -B argument` / `invalid --block-size argument`. */
function spelledAs(ctx: Ctx<unknown>, short: string, long: string): string {
  return ctx.argv.some((a) => a.startsWith('--') && a.length > 2 && long.startsWith(a.slice(2).split('=')[0]!)) ? `--${long}` : short;
}

/** --files0-from: NUL-separated names from a file (or - for standard input). */
async function readFiles0(ctx: Ctx<unknown>, file: string): Promise<string[]> {
  let source = ctx.stdin;
  if (file !== '-') {
    try {
      source = new FdSource(fs.openSync(fsPath(ctx.path(file)), 'r'), true);
    } catch (err) {
      throw new AppletError(`cannot open ${quoteaf(file)} for reading: ${errorText(err)}`);
    }
  }
  const names: string[] = [];
  try {
    for await (const chunk of readLines(source, '\0')) {
      names.push(chunk.endsWith('\0') ? chunk.slice(0, -1) : chunk);
    }
  } finally {
    if (source !== ctx.stdin) source.close();
  }
  return names;
}
