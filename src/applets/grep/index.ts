// grep, egrep, fgrep as GNU grep 3.8 has them: BRE, ERE and fixed strings with glibc's syntax rules
// (core/regex.ts), every option of the everyday set, recursive search with --include/--exclude,
// binary files, colours from GREP_COLORS, and GNU's exit statuses (0 selected, 1 none, 2 trouble
// unless -q found something).
import * as fs from 'node:fs';
import { defineApplet } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorCode, errorText, UsageError } from '../../core/errors.js';
import { type ByteSource, FdSource, readAll, StringBatch } from '../../core/io.js';
import { checkPattern, dfaVerdict, Regex, type RegexOptions, RegexSyntaxError } from '../../core/regex.js';
import { fnmatch } from './fnmatch.js';
import { perlMatcher } from './perl.js';
import { type Colors, type Extractor, type Finder, Grep, type GrepConfig, StopAll } from './search.js';

const options = {
  E: { long: 'extended-regexp' },
  F: { long: 'fixed-strings' },
  G: { long: 'basic-regexp' },
  P: { long: 'perl-regexp' },
  e: { long: 'regexp', arg: 'list' },
  f: { long: 'file', arg: 'list' },
  i: { long: 'ignore-case', overrides: ['no-ignore-case'] },
  y: { overrides: ['no-ignore-case'], implies: 'i' },
  'no-ignore-case': { overrides: 'iy' },
  w: { long: 'word-regexp' },
  x: { long: 'line-regexp' },
  z: { long: 'null-data' },
  s: { long: 'no-messages' },
  v: { long: 'invert-match' },
  V: { long: 'version' },
  m: { long: 'max-count', arg: 'string' },
  b: { long: 'byte-offset' },
  n: { long: 'line-number' },
  'line-buffered': {},
  H: { long: 'with-filename', overrides: 'h' },
  h: { long: 'no-filename', overrides: 'H' },
  label: { arg: 'string' },
  o: { long: 'only-matching' },
  q: { long: ['quiet', 'silent'] },
  'binary-files': { arg: 'string', overrides: 'aI' },
  a: { long: 'text', overrides: ['I', 'binary-files'] },
  I: { overrides: ['a', 'binary-files'] },
  d: { long: 'directories', arg: 'string', overrides: 'r' },
  D: { long: 'devices', arg: 'string' },
  r: { long: 'recursive', overrides: 'd' },
  R: { long: 'dereference-recursive', overrides: 'd', implies: 'r' },
  include: { arg: 'list' },
  exclude: { arg: 'list' },
  'exclude-from': { arg: 'list' },
  'exclude-dir': { arg: 'list' },
  L: { long: 'files-without-match', overrides: 'l' },
  l: { long: 'files-with-matches', overrides: 'L' },
  c: { long: 'count' },
  T: { long: 'initial-tab' },
  Z: { long: 'null' },
  B: { long: 'before-context', arg: 'string' },
  A: { long: 'after-context', arg: 'string' },
  C: { long: 'context', arg: 'string' },
  'group-separator': { arg: 'string', overrides: ['no-group-separator'] },
  'no-group-separator': { overrides: ['group-separator'] },
  color: { long: 'colour', arg: 'optional' },
  U: { long: 'binary' },
} as const;

/** Letters that take a value (the rest of a cluster, or the next word). */
const VALUE_LETTERS = 'ABCDXdefm';

/** GNU's -NUM (same as --context=NUM), anywhere in an option cluster. */
function rewriteDigits(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith('-') || arg.startsWith('--') || arg.length < 2 || !/[0-9]/.test(arg)) {
      out.push(arg);
      continue;
    }
    let letters = '';
    let j = 1;
    let takesNext = false;
    while (j < arg.length) {
      const c = arg[j]!;
      if (c >= '0' && c <= '9') {
        let k = j;
        while (k < arg.length && arg[k]! >= '0' && arg[k]! <= '9') k++;
        if (letters) out.push(`-${letters}`);
        letters = '';
        out.push(`--context=${arg.slice(j, k)}`);
        j = k;
        continue;
      }
      letters += c;
      j++;
      if (VALUE_LETTERS.includes(c)) {
        letters += arg.slice(j);
        takesNext = j >= arg.length;
        break;
      }
    }
    if (letters) out.push(`-${letters}`);
    if (takesNext && i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}

const HELP = `Search for PATTERNS in each FILE.
Example: grep -i 'hello world' menu.h main.c
PATTERNS can contain multiple patterns separated by newlines.

Pattern selection and interpretation:
  -E, --extended-regexp     PATTERNS are extended regular expressions
  -F, --fixed-strings       PATTERNS are strings
  -G, --basic-regexp        PATTERNS are basic regular expressions
  -P, --perl-regexp         PATTERNS are Perl regular expressions
  -e, --regexp=PATTERNS     use PATTERNS for matching
  -f, --file=FILE           take PATTERNS from FILE
  -i, --ignore-case         ignore case distinctions in patterns and data
      --no-ignore-case      do not ignore case distinctions (default)
  -w, --word-regexp         match only whole words
  -x, --line-regexp         match only whole lines
  -z, --null-data           a data line ends in 0 byte, not newline

Miscellaneous:
  -s, --no-messages         suppress error messages
  -v, --invert-match        select non-matching lines
  -V, --version             display version information and exit
      --help                display this help text and exit

Output control:
  -m, --max-count=NUM       stop after NUM selected lines
  -b, --byte-offset         print the byte offset with output lines
  -n, --line-number         print line number with output lines
      --line-buffered       flush output on every line
  -H, --with-filename       print file name with output lines
  -h, --no-filename         suppress the file name prefix on output
      --label=LABEL         use LABEL as the standard input file name prefix
  -o, --only-matching       show only nonempty parts of lines that match
  -q, --quiet, --silent     suppress all normal output
      --binary-files=TYPE   assume that binary files are TYPE;
                            TYPE is 'binary', 'text', or 'without-match'
  -a, --text                equivalent to --binary-files=text
  -I                        equivalent to --binary-files=without-match
  -d, --directories=ACTION  how to handle directories;
                            ACTION is 'read', 'recurse', or 'skip'
  -D, --devices=ACTION      how to handle devices, FIFOs and sockets;
                            ACTION is 'read' or 'skip'
  -r, --recursive           like --directories=recurse
  -R, --dereference-recursive  likewise, but follow all symlinks
      --include=GLOB        search only files that match GLOB (a file pattern)
      --exclude=GLOB        skip files that match GLOB
      --exclude-from=FILE   skip files that match any file pattern from FILE
      --exclude-dir=GLOB    skip directories that match GLOB
  -L, --files-without-match  print only names of FILEs with no selected lines
  -l, --files-with-matches  print only names of FILEs with selected lines
  -c, --count               print only a count of selected lines per FILE
  -T, --initial-tab         make tabs line up (if needed)
  -Z, --null                print 0 byte after FILE name

Context control:
  -B, --before-context=NUM  print NUM lines of leading context
  -A, --after-context=NUM   print NUM lines of trailing context
  -C, --context=NUM         print NUM lines of output context
  -NUM                      same as --context=NUM
      --group-separator=SEP  print SEP on line between matches with context
      --no-group-separator  do not print separator for matches with context
      --color[=WHEN],
      --colour[=WHEN]       use markers to highlight the matching strings;
                            WHEN is 'always', 'never', or 'auto'
  -U, --binary              do not strip CR characters at EOL (MSDOS/Windows)

When FILE is '-', read standard input.  With no FILE, read '.' if
recursive, '-' otherwise.  With fewer than two FILEs, assume -h.
Exit status is 0 if any line is selected, 1 otherwise;
if any error occurs and -q is not given, the exit status is 2.`;

const decl = defineApplet({
  name: 'grep',
  summary: 'Search for PATTERNS in each FILE.',
  usage: 'grep [OPTION]... PATTERNS [FILE]...',
  help: HELP.slice(HELP.indexOf('\n') + 1),
  options,
  style: 'gnu',
  usageStatus: 2,
  usageLineOnError: true,
  rewriteArgs: rewriteDigits,
  async run(ctx) {
    return grepMain(ctx);
  },
});
export default decl;

type GrepCtx = Ctx<{ -readonly [K in keyof typeof options]?: unknown }>;

/** A pattern and where it came from, for messages about it (`grep: FILE:LINE: ...`). */
interface Key {
  text: string;
  file?: string;
  line?: number;
}

const DEFAULT_COLORS: Colors = { ms: '01;31', mc: '01;31', sl: '', cx: '', fn: '35', ln: '32', bn: '32', se: '36', rv: false, ne: false };

function contextArg(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new AppletError(`${value}: invalid context length argument`, 2);
  return Math.min(Number(value), Number.MAX_SAFE_INTEGER);
}

async function grepMain(ctx: GrepCtx): Promise<number> {
  const o = ctx.opts as Record<string, string | string[] | true | number | undefined>;
  const name = ctx.name;
  const fail = async (message: string): Promise<number> => {
    await ctx.stderr.write(`${name}: ${message}\n`);
    return 2;
  };
  if (o.V) {
    await ctx.stdout.write('grep (toolbox) 3.8\n');
    return 0;
  }

  // The matcher: -G, -E, -F (egrep and fgrep are grep -E and grep -F).
  const matchers = new Set<string>();
  if (name === 'egrep') matchers.add('E');
  if (name === 'fgrep') matchers.add('F');
  for (const m of ['E', 'F', 'G', 'P']) if (o[m]) matchers.add(m);
  if (matchers.size > 1) return fail('conflicting matchers specified');
  const matcher = [...matchers][0] ?? 'G';

  let maxCount = Infinity;
  if (typeof o.m === 'string') {
    if (!/^\s*[-+]?[0-9]+$/.test(o.m)) return fail('invalid max count');
    const n = Number(o.m);
    maxCount = n < 0 ? Infinity : n;
  }
  let after = -1;
  let before = -1;
  let context = -1;
  if (typeof o.A === 'string') after = contextArg(o.A);
  if (typeof o.B === 'string') before = contextArg(o.B);
  if (typeof o.C === 'string') context = contextArg(o.C);
  if (after < 0) after = context;
  if (before < 0) before = context;

  let binaryFiles: GrepConfig['binaryFiles'] = 'binary';
  if (o.a) binaryFiles = 'text';
  if (o.I) binaryFiles = 'without-match';
  if (typeof o['binary-files'] === 'string') {
    const t = o['binary-files'];
    if (t === 'binary' || t === 'text' || t === 'without-match') binaryFiles = t;
    else return fail('unknown binary-files type');
  }
  let directories: 'read' | 'skip' | 'recurse' = o.r ? 'recurse' : 'read';
  if (typeof o.d === 'string') {
    if (o.d === 'read' || o.d === 'skip' || o.d === 'recurse') directories = o.d;
    else {
      throw new UsageError(
        `invalid argument '${o.d}' for '--directories'\nValid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'`,
      );
    }
  }
  let devices: 'read' | 'skip' | 'read-command-line' = o.R ? 'read' : 'read-command-line';
  if (typeof o.D === 'string') {
    if (o.D === 'read' || o.D === 'skip') devices = o.D;
    else return fail('unknown devices method');
  }
  let colorWhen = 'never';
  if (o.color !== undefined) {
    const v = o.color === true ? 'auto' : String(o.color).toLowerCase();
    if (['always', 'yes', 'force'].includes(v)) colorWhen = 'always';
    else if (['never', 'no', 'none'].includes(v)) colorWhen = 'never';
    else if (['auto', 'tty', 'if-tty'].includes(v)) colorWhen = 'auto';
    else {
      await ctx.stdout.write(`Usage: ${decl.usage}\n${HELP}\n`);
      return 0;
    }
  }

  // Patterns: -e and -f, else the first operand.
  const operands = [...ctx.operands];
  const keys: Key[] = [];
  const eList = (o.e as string[] | undefined) ?? [];
  const fList = (o.f as string[] | undefined) ?? [];
  let havePatterns = eList.length > 0 || fList.length > 0;
  for (const e of eList) for (const text of e.split('\n')) keys.push({ text });
  for (const file of fList) {
    let data: string;
    try {
      data = file === '-' ? (await readAll(ctx.stdin)).toString('latin1') : fs.readFileSync(fsPath(ctx.path(file))).toString('latin1');
    } catch (err) {
      return fail(`${file}: ${errorText(err)}`);
    }
    if (data.endsWith('\n')) data = data.slice(0, -1);
    if (data === '' && !data.length) continue;
    data.split('\n').forEach((text, i) => keys.push({ text, file, line: i + 1 }));
  }
  if (!havePatterns) {
    if (operands.length === 0) {
      await ctx.stderr.write(`Usage: ${decl.usage}\nTry '${name} --help' for more information.\n`);
      return 2;
    }
    let pattern = operands.shift()!;
    if (matcher !== 'F' && pattern.startsWith('\\-')) pattern = pattern.slice(1);
    for (const text of pattern.split('\n')) keys.push({ text });
    havePatterns = true;
  }
  let invert = !!o.v;
  let wordMatch = !!o.w;
  let lineMatch = !!o.x;
  // No patterns at all (grep -f /dev/null) match nothing: GNU inverts the empty pattern.
  if (keys.length === 0) {
    invert = !invert;
    wordMatch = lineMatch = false;
    keys.push({ text: '' });
  }
  const seen = new Set<string>();
  const unique = keys.filter((k) => (seen.has(k.text) ? false : (seen.add(k.text), true)));

  const eol = o.z ? '\0' : '\n';
  const ignoreCase = !!o.i;
  const extended = matcher === 'E';
  const patterns = unique.map((k) => (matcher === 'F' ? escapeFixed(k.text) : k.text));
  const regexOptions: RegexOptions = {
    extended,
    dialect: 'grep',
    ignoreCase,
    separator: eol,
    wordMatch: wordMatch && !lineMatch,
    lineMatch,
  };
  let find: Finder;
  let extract: Extractor | undefined;
  const needExtents = !!o.o || colorWhen !== 'never';
  if (matcher === 'P') {
    ({ find, extract } = perlMatcher(patterns, { ignoreCase, wordMatch, lineMatch, eol }));
  } else {
    // Each pattern is checked on its own, as GNU reports every bad one; then dfa.c's verdict.
    let bad = false;
    for (const [i, pattern] of patterns.entries()) {
      try {
        checkPattern(pattern, regexOptions);
      } catch (err) {
        if (!(err instanceof RegexSyntaxError)) throw err;
        const key = unique[i]!;
        await ctx.stderr.write(`${name}: ${key.file !== undefined ? `${key.file}:${key.line}: ` : ''}${err.message}\n`);
        bad = true;
      }
    }
    if (bad) return 2;
    if (matcher !== 'F') {
      for (const pattern of patterns) {
        const verdict = dfaVerdict(pattern, 'grep', extended);
        for (const w of verdict.warnings) await ctx.stderr.write(`${name}: warning: ${w}\n`);
        if (verdict.error) return fail(verdict.error);
      }
    }
    const select = new Regex(patterns, { ...regexOptions, dfaGrammar: true });
    extract = needExtents ? new Regex(patterns, regexOptions) : undefined;
    find = makeFinder(select, ignoreCase, eol);
  }

  // Where output goes decides some behaviour: /dev/null needs no output, a tty gets colour on auto.
  const stdoutFd = ctx.stdout.fd;
  let outStat: fs.Stats | undefined;
  let devNullOutput = false;
  if (!o.q && stdoutFd !== undefined) {
    try {
      const st = fs.fstatSync(stdoutFd);
      if (st.isFile()) outStat = st;
      else if (st.isCharacterDevice()) {
        const nul = fs.statSync('/dev/null');
        devNullOutput = st.ino === nul.ino && st.dev === nul.dev && st.rdev === nul.rdev;
      }
    } catch {
      // not a descriptor we can inspect
    }
  }
  let colors: Colors | null = null;
  const term = ctx.env.get('TERM');
  if (colorWhen === 'always' || (colorWhen === 'auto' && !devNullOutput && ctx.isTTY(1) && term !== undefined && term !== 'dumb')) {
    colors = { ...DEFAULT_COLORS };
    const legacy = ctx.env.get('GREP_COLOR');
    if (legacy && /^[0-9;]+$/.test(legacy)) {
      colors.ms = colors.mc = legacy;
    }
    const usedLegacy = parseGrepColors(ctx.env.get('GREP_COLORS'), colors, legacy);
    if (legacy && /^[0-9;]+$/.test(legacy) && usedLegacy) {
      await ctx.stderr.write(`${name}: warning: GREP_COLOR='${legacy}' is deprecated; use GREP_COLORS='mt=${legacy}'\n`);
    }
  }

  let listFiles: GrepConfig['listFiles'] = o.l ? 'matching' : o.L ? 'nonmatching' : 'none';
  let count = !!o.c;
  const exitOnMatch = !!o.q;
  if (exitOnMatch || devNullOutput) listFiles = 'none';
  if (exitOnMatch || devNullOutput || listFiles !== 'none') count = false;

  // When nothing can be selected GNU does not even read the input (`grep -v ''`, `-m 0`, -f /dev/null).
  const onlyEmptyPattern = patterns.length === 1 && patterns[0] === '';
  if ((maxCount === 0 || (onlyEmptyPattern && invert && !wordMatch && !lineMatch)) && listFiles !== 'nonmatching') return 1;

  const cfg: GrepConfig = {
    find,
    extract,
    invert,
    count,
    listFiles,
    exitOnMatch,
    doneOnMatch: (exitOnMatch || devNullOutput || listFiles !== 'none') && maxCount === Infinity,
    onlyMatching: !!o.o,
    lineNumbers: !!o.n,
    byteOffset: !!o.b,
    initialTab: !!o.T,
    nullAfterName: !!o.Z,
    before,
    after,
    maxCount,
    groupSeparator: o['no-group-separator'] ? null : typeof o['group-separator'] === 'string' ? o['group-separator'] : '--',
    colors,
    binaryFiles,
    eol,
    suppressErrors: !!o.s,
    signal: ctx.signal,
  };

  const out = new StringBatch(ctx.stdout, 256 * 1024);
  const suppress = !!o.s;
  let errseen = false;
  const warn = async (text: string) => {
    await ctx.stderr.write(`${name}: ${text}\n`);
  };
  const grep = new Grep(cfg, out, warn);
  const report = async (subject: string, err: unknown) => {
    errseen = true;
    if (!suppress) {
      await out.flush();
      await warn(`${subject}: ${errorText(err)}`);
    }
  };

  const recursive = directories === 'recurse';
  const files = operands.length ? operands : [recursive ? '.' : '-'];
  const omitDotSlash = operands.length === 0 && recursive;
  const filenameOption = o.H ? 1 : o.h ? -1 : 0;
  let outFile: number = filenameOption === 0 && operands.length <= 1 ? (recursive ? -1 : 0) : filenameOption >= 0 ? 1 : 0;
  const label = typeof o.label === 'string' ? o.label : '(standard input)';
  const excludes = await buildExcludes(ctx, o);
  let matched = false;

  const searchInput = async (src: ByteSource, display: string, st: fs.Stats | undefined, isStdin: boolean) => {
    if (outFile < 0) outFile = st?.isDirectory() ? 1 : 0;
    if (
      !grep.outQuiet &&
      listFiles === 'none' &&
      maxCount > 1 &&
      st?.isFile() &&
      outStat &&
      st.ino === outStat.ino &&
      st.dev === outStat.dev
    ) {
      errseen = true;
      if (!suppress) await warn(`${display}: input file is also the output`);
      return;
    }
    try {
      const lines = await grep.search(src, display, outFile > 0, st?.isFile() ? st.size : undefined, isStdin);
      if (lines > 0) matched = true;
    } catch (err) {
      if (err instanceof StopAll) throw err;
      if (errorCode(err) === undefined) throw err;
      await report(display, err);
    }
  };

  const isDevice = (st: fs.Stats) => st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO() || st.isSocket();
  const skipDevices = (commandLine: boolean) => devices === 'skip' || (devices === 'read-command-line' && !commandLine);

  /** GNU's grepfile + grepdesc for one path. */
  const grepPath = async (path: string, display: string, follow: boolean, commandLine: boolean, ancestors: Set<string>): Promise<void> => {
    let fd: number;
    try {
      const flags = fs.constants.O_RDONLY | fs.constants.O_NOCTTY | (follow ? 0 : fs.constants.O_NOFOLLOW) | (skipDevices(commandLine) ? fs.constants.O_NONBLOCK : 0);
      fd = fs.openSync(fsPath(path), flags);
    } catch (err) {
      if (follow || errorCode(err) !== 'ELOOP') await report(display, err);
      return;
    }
    let closed = false;
    try {
      const st = fs.fstatSync(fd);
      if (skipDevices(commandLine) && isDevice(st)) return;
      if (commandLine && isSkipped(excludes, display, true, st.isDirectory(), directories, omitDotSlash)) return;
      if (outFile < 0) outFile = st.isDirectory() ? 1 : 0;
      if (recursive && st.isDirectory()) {
        fs.closeSync(fd);
        closed = true;
        await walk(path, display, st, ancestors);
        return;
      }
      if (directories === 'skip' && st.isDirectory()) return;
      const src = new FdSource(fd, true);
      closed = true;
      try {
        await searchInput(src, display, st, false);
      } finally {
        src.close();
      }
    } finally {
      if (!closed) fs.closeSync(fd);
    }
  };

  /** Recursion (fts): entries in directory order, -r not following symlinks below the operands. */
  const walk = async (dir: string, display: string, st: fs.Stats, ancestors: Set<string>): Promise<void> => {
    const id = `${st.dev}:${st.ino}`;
    if (ancestors.has(id)) {
      if (!suppress) await warn(`${display}: warning: recursive directory loop`);
      return;
    }
    const inner = new Set(ancestors).add(id);
    let handle: fs.Dir;
    try {
      handle = fs.opendirSync(fsPath(dir), { encoding: 'latin1' } as fs.OpenDirOptions);
    } catch (err) {
      await report(display, err);
      return;
    }
    const names: string[] = [];
    try {
      for (let ent = handle.readSync(); ent; ent = handle.readSync()) names.push(ent.name as unknown as string);
    } catch (err) {
      await report(display, err);
    } finally {
      handle.closeSync();
    }
    const join = (base: string, n: string) => (base.endsWith('/') ? base + n : `${base}/${n}`);
    for (const entry of names) {
      if (ctx.signal.aborted) return;
      const path = join(dir, entry);
      let shown = join(display, entry);
      if (omitDotSlash && shown.startsWith('./')) shown = shown.slice(2);
      let est: fs.Stats;
      try {
        est = o.R ? fs.statSync(fsPath(path)) : fs.lstatSync(fsPath(path));
      } catch (err) {
        await report(shown, err);
        continue;
      }
      if (isSkipped(excludes, entry, false, est.isDirectory(), directories, omitDotSlash)) continue;
      if (est.isDirectory()) {
        await walk(path, shown, est, inner);
        continue;
      }
      if (est.isSymbolicLink()) continue; // -r: symlinks met while recursing are not followed
      if (isDevice(est) && skipDevices(false)) continue;
      await grepPath(path, shown, !!o.R, false, inner);
    }
  };

  try {
    for (const file of files) {
      if (file === '-') {
        let st: fs.Stats | undefined;
        if (ctx.stdin.fd !== undefined) {
          try {
            st = fs.fstatSync(ctx.stdin.fd);
          } catch {
            st = undefined;
          }
        }
        await searchInput(ctx.stdin, label, st, true);
      } else {
        await grepPath(ctx.path(file), file, true, true, new Set());
      }
      if (ctx.signal.aborted) break;
    }
  } catch (err) {
    if (err instanceof StopAll) {
      await out.flush();
      return 0;
    }
    throw err;
  }
  await out.flush();
  return errseen && !(exitOnMatch && matched) ? 2 : matched ? 0 : 1;
}

/** -F patterns as BRE (GNU's fgrep_to_grep_pattern). */
function escapeFixed(s: string): string {
  return s.replace(/[$*.[\\^]/g, (c) => `\\${c}`);
}

/** The fastest search the pattern allows: the literal itself in the bytes; for a pattern every
 *  match of which contains some literal, that literal in the bytes and the RegExp on the lines it
 *  is in (GNU's kwset prefilter); else the RegExp over the decoded region. */
function makeFinder(select: Regex, ignoreCase: boolean, eol: string): Finder {
  const eolByte = eol.charCodeAt(0);
  const literal = ignoreCase ? undefined : select.literal;
  if (literal !== undefined && literal !== '') {
    const needle = Buffer.from(literal, 'latin1');
    return (h, from) => h.data.indexOf(needle, from);
  }
  const must = select.mustContain;
  if (must !== undefined && must.length >= 2) {
    const needle = Buffer.from(must, 'latin1');
    return (h, from, lim) => {
      const data = h.data;
      for (let p = from; p < lim; ) {
        const i = data.indexOf(needle, p);
        if (i < 0 || i >= lim) return -1;
        const lineStart = i === 0 ? 0 : data.lastIndexOf(eolByte, i - 1) + 1;
        const start = lineStart < p ? p : lineStart;
        let lineEnd = data.indexOf(eolByte, i);
        if (lineEnd < 0 || lineEnd > lim) lineEnd = lim;
        const k = select.searchFrom(data.toString('latin1', start, lineEnd), 0);
        if (k >= 0) return start + k;
        p = lineEnd + 1;
      }
      return -1;
    };
  }
  return (h, from, lim) => {
    const { text, base } = h.region(from, lim);
    const k = select.searchFrom(text, from - base);
    return k < 0 ? -1 : base + k;
  };
}

/** GREP_COLORS: name=value pairs separated by colons; rv and ne are flags. Returns whether the
 *  legacy GREP_COLOR still decides the match colours. */
function parseGrepColors(spec: string | undefined, colors: Colors, legacy: string | undefined): boolean {
  let legacyInEffect = !!legacy;
  if (!spec) return legacyInEffect;
  for (const item of spec.split(':')) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    if (value !== undefined && !/^[0-9;]*$/.test(value)) break;
    switch (key) {
      case 'mt':
        if (value !== undefined) {
          colors.ms = colors.mc = value;
          legacyInEffect = false;
        }
        break;
      case 'ms':
      case 'mc':
        if (value !== undefined) {
          colors[key] = value;
          legacyInEffect = false;
        }
        break;
      case 'sl':
      case 'cx':
      case 'fn':
      case 'ln':
      case 'bn':
      case 'se':
        if (value !== undefined) colors[key] = value;
        break;
      case 'rv':
        colors.rv = true;
        break;
      case 'ne':
        colors.ne = true;
        break;
    }
  }
  return legacyInEffect;
}

interface Exclude {
  kind: 'include' | 'exclude';
  pattern: string;
}

interface Excludes {
  files: Exclude[];
  dirs: string[];
}

async function buildExcludes(ctx: GrepCtx, o: Record<string, unknown>): Promise<Excludes> {
  // GNU keeps --include, --exclude and --exclude-from in the order given.
  const files: Exclude[] = [];
  for (const [key, value] of ctx.optionOrder ?? []) {
    if (key === 'include' || key === 'exclude') files.push({ kind: key, pattern: String(value) });
    else if (key === 'exclude-from') {
      let data: string;
      try {
        data = fs.readFileSync(fsPath(ctx.path(String(value)))).toString('latin1');
      } catch (err) {
        throw new AppletError(`${String(value)}: ${errorText(err)}`, 2);
      }
      for (const line of data.split('\n')) if (line) files.push({ kind: 'exclude', pattern: line });
    }
  }
  const dirs = ((o['exclude-dir'] as string[] | undefined) ?? []).map((d) => d.replace(/(.)\/+$/, '$1'));
  return { files, dirs };
}

/** gnulib's excluded_file_name: the last option that matches decides; if none matches, files are
 *  excluded exactly when the first option was an --include. Command-line names may match at any
 *  `/`-separated suffix; names met while recursing are base names, matched whole. */
function isSkipped(ex: Excludes, name: string, commandLine: boolean, isDir: boolean, directories: string, omitDotSlash: boolean): boolean {
  if (!isDir) {
    if (ex.files.length === 0) return false;
    for (let i = ex.files.length - 1; i >= 0; i--) {
      if (globMatches(ex.files[i]!.pattern, name, commandLine)) return ex.files[i]!.kind === 'exclude';
    }
    return ex.files[0]!.kind === 'include';
  }
  if (directories === 'skip') return true;
  if (commandLine && omitDotSlash) return false;
  return ex.dirs.some((d) => globMatches(d, name, commandLine));
}

function globMatches(pattern: string, name: string, unanchored: boolean): boolean {
  if (fnmatch(pattern, name)) return true;
  if (!unanchored) return false;
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '/' && name[i + 1] !== '/' && fnmatch(pattern, name.slice(i + 1))) return true;
  }
  return false;
}
