// From ls's options to what it does. GNU ls (coreutils 9.1) reads its options in order and each
// one sets or resets its settings, so later options win and some undo others (-f drops -l, -s and
// --color given before it; -1 after -l does nothing): decode() replays them the same way.
import { type ArgTable, argmatch } from '../../core/argmatch.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, UsageError } from '../../core/errors.js';
import { type BlockSize, envBlockSize, HUMAN_1024, HUMAN_SI, parseBlockSize } from '../../core/format.js';
import { compileGlob, type Matcher } from '../../core/glob.js';
import type { OptValue } from '../../core/options.js';
import { isUtf8Locale, quote, QUOTING_STYLES, type QuotingStyle } from '../../core/quote.js';
import { columnsFromEnv, terminalColumns, WHEN_ARGS, type When } from '../../core/term.js';
import { Colors } from './colors.js';

export type Format = 'long' | 'one' | 'many' | 'horizontal' | 'commas';
export type SortType = 'name' | 'extension' | 'width' | 'size' | 'version' | 'time' | 'none';
export type TimeType = 'mtime' | 'ctime' | 'atime' | 'btime';
export type IndicatorStyle = 'none' | 'slash' | 'file-type' | 'classify';
export type Dereference = 'never' | 'cmdline' | 'cmdline-dirs' | 'always';

export interface Config {
  format: Format;
  /** default: hide dot files; dots: hide . and ..; none: hide nothing (but --ignore). */
  ignoreMode: 'default' | 'dots' | 'none';
  ignore: Matcher[];
  hide: Matcher[];
  sort: SortType;
  reverse: boolean;
  dirsFirst: boolean;
  time: TimeType;
  owner: boolean;
  group: boolean;
  author: boolean;
  numericIds: boolean;
  inode: boolean;
  blocks: boolean;
  context: boolean;
  blockSize: BlockSize;
  fileSize: BlockSize;
  indicator: IndicatorStyle;
  dereference: Dereference;
  recursive: boolean;
  directoryItself: boolean;
  quoting: QuotingStyle;
  /** -q: unprintable characters as `?`. */
  qmark: boolean;
  /** Characters the names' quoting escapes besides its own (-b's space, -F's indicators). */
  alsoQuote: string;
  /** Pad unquoted names with a space when some are quoted (shell and c-maybe styles). */
  alignQuotes: boolean;
  lineLength: number;
  tabSize: number;
  colors?: Colors;
  /** Check symlink targets (for colours of dangling links, -F of targets, dirs-first). */
  checkSymlinks: boolean;
  hyperlink: boolean;
  dired: boolean;
  eol: string;
  /** strftime formats for old and recent times in -l; undefined: not long format. */
  timeFormats: [old: string, recent: string];
  utf8: boolean;
  /** Warnings to print before listing (invalid COLUMNS, TABSIZE, LS_COLORS …). */
  warnings: string[];
}

const FORMAT_ARGS: ArgTable<Format> = [
  ['verbose', 'long'],
  ['long', 'long'],
  ['commas', 'commas'],
  ['horizontal', 'horizontal'],
  ['across', 'horizontal'],
  ['vertical', 'many'],
  ['single-column', 'one'],
];
const SORT_ARGS: ArgTable<SortType> = [
  ['none', 'none'],
  ['time', 'time'],
  ['size', 'size'],
  ['extension', 'extension'],
  ['version', 'version'],
  ['width', 'width'],
];
const TIME_ARGS: ArgTable<TimeType> = [
  ['atime', 'atime'],
  ['access', 'atime'],
  ['use', 'atime'],
  ['ctime', 'ctime'],
  ['status', 'ctime'],
  ['birth', 'btime'],
  ['creation', 'btime'],
];
const INDICATOR_ARGS: ArgTable<IndicatorStyle> = [
  ['none', 'none'],
  ['slash', 'slash'],
  ['file-type', 'file-type'],
  ['classify', 'classify'],
];
const QUOTING_ARGS: ArgTable<QuotingStyle> = QUOTING_STYLES.map((s) => [s, s] as const);
const TIME_STYLES = ['full-iso', 'long-iso', 'iso', 'locale'] as const;

// The option table, in GNU's order (getopt lists ambiguous long options in table order).
export const LS_OPTIONS = {
  a: { long: 'all' },
  b: { long: 'escape' },
  d: { long: 'directory' },
  D: { long: 'dired' },
  'full-time': {},
  'group-directories-first': {},
  h: { long: 'human-readable' },
  i: { long: 'inode' },
  k: { long: 'kibibytes' },
  n: { long: 'numeric-uid-gid' },
  G: { long: 'no-group' },
  q: { long: 'hide-control-chars' },
  r: { long: 'reverse' },
  s: { long: 'size' },
  w: { long: 'width', arg: 'string' },
  A: { long: 'almost-all' },
  B: { long: 'ignore-backups' },
  classify: { arg: 'optional' },
  'file-type': {},
  si: {},
  H: { long: 'dereference-command-line' },
  'dereference-command-line-symlink-to-dir': {},
  hide: { arg: 'list' },
  I: { long: 'ignore', arg: 'list' },
  'indicator-style': { arg: 'string' },
  L: { long: 'dereference' },
  N: { long: 'literal' },
  Q: { long: 'quote-name' },
  'quoting-style': { arg: 'string' },
  R: { long: 'recursive' },
  format: { arg: 'string' },
  'show-control-chars': {},
  sort: { arg: 'string' },
  T: { long: 'tabsize', arg: 'string' },
  time: { arg: 'string' },
  'time-style': { arg: 'string' },
  zero: {},
  color: { arg: 'optional' },
  hyperlink: { arg: 'optional' },
  'block-size': { arg: 'string' },
  Z: { long: 'context' },
  author: {},
  // Short options without long forms (-F takes no argument; --classify may).
  c: {},
  f: {},
  g: {},
  l: {},
  m: {},
  o: {},
  p: {},
  t: {},
  u: {},
  v: {},
  x: {},
  C: {},
  F: {},
  S: {},
  U: {},
  X: {},
  '1': {},
  // BusyBox: -e, full date and time.
  e: {},
} as const;

const STATUS = 2;

/** Parse a number the way xstrtoumax does (decimal, 0x hex, 0 octal); undefined if invalid. */
function parseSize(spec: string): number | undefined {
  const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(spec);
  if (!m) return undefined;
  const v = m[1]!.startsWith('0') && m[1]!.length > 1 && !/^0[xX]/.test(m[1]!) ? parseInt(m[1]!, 8) : Number(m[1]);
  return v;
}

/** GNU's decode_switches: options in order, then the defaults that depend on them. */
export function decode(ctx: Ctx<unknown>, order: readonly (readonly [string, OptValue])[]): Config {
  const tty = ctx.isTTY(1);
  let format: Format = tty ? 'many' : 'one';
  let ignoreMode: Config['ignoreMode'] = 'default';
  const ignore: Matcher[] = [];
  const hide: Matcher[] = [];
  let sort: SortType = 'name';
  let sortSpecified = false;
  let time: TimeType = 'mtime';
  let owner = true;
  let group = true;
  let author = false;
  let numericIds = false;
  let inode = false;
  let blocks = false;
  let context = false;
  let reverse = false;
  let dirsFirst = false;
  let recursive = false;
  let directoryItself = false;
  let indicator: IndicatorStyle = 'none';
  let dereference: Dereference | undefined;
  let quoting: QuotingStyle | undefined;
  let qmark: boolean | undefined;
  let width: number | undefined;
  let tabOption: number | undefined;
  let color = false;
  let hyperlink = false;
  let dired = false;
  let eol = '\n';
  let timeStyle: string | undefined;
  let kibibytes = false;
  let blockSize: BlockSize | undefined;
  let fileSize: BlockSize | undefined;
  const when = (v: OptValue, option: string): When => (v === true ? 'always' : argmatch(v as string, WHEN_ARGS, option, 1));
  const str = (v: OptValue) => v as string;

  for (const [key, v] of order) {
    switch (key) {
      case 'a':
        ignoreMode = 'none';
        break;
      case 'b':
        quoting = 'escape';
        break;
      case 'c':
        time = 'ctime';
        break;
      case 'd':
        directoryItself = true;
        break;
      case 'f':
        // -a -U, and no -l, -s, --color or --hyperlink given so far
        ignoreMode = 'none';
        sort = 'none';
        sortSpecified = true;
        if (format === 'long') format = tty ? 'many' : 'one';
        blocks = false;
        color = false;
        hyperlink = false;
        break;
      case 'file-type':
        indicator = 'file-type';
        break;
      case 'g':
        format = 'long';
        owner = false;
        break;
      case 'h':
        blockSize = fileSize = { size: 1, human: HUMAN_1024 };
        break;
      case 'i':
        inode = true;
        break;
      case 'k':
        kibibytes = true;
        break;
      case 'l':
        format = 'long';
        break;
      case 'm':
        format = 'commas';
        break;
      case 'n':
        numericIds = true;
        format = 'long';
        break;
      case 'o':
        format = 'long';
        group = false;
        break;
      case 'p':
        indicator = 'slash';
        break;
      case 'q':
        qmark = true;
        break;
      case 'r':
        reverse = true;
        break;
      case 's':
        blocks = true;
        break;
      case 't':
        sort = 'time';
        sortSpecified = true;
        break;
      case 'u':
        time = 'atime';
        break;
      case 'v':
        sort = 'version';
        sortSpecified = true;
        break;
      case 'w': {
        const n = parseSize(str(v));
        if (n === undefined) throw new AppletError(`invalid line width: ${quote(str(v))}`, STATUS);
        width = n;
        break;
      }
      case 'x':
        format = 'horizontal';
        break;
      case 'A':
        ignoreMode = 'dots';
        break;
      case 'B':
        ignore.push(compileGlob('*~', { period: true }), compileGlob('.*~', { period: true }));
        break;
      case 'C':
        format = 'many';
        break;
      case 'D':
        dired = true; // only in effect with -l (coreutils 9.1)
        break;
      case 'F':
        indicator = 'classify';
        break;
      case 'classify': {
        const w = when(v, '--classify');
        if (w === 'always' || (w === 'auto' && tty)) indicator = 'classify';
        break;
      }
      case 'G':
        group = false;
        break;
      case 'H':
        dereference = 'cmdline';
        break;
      case 'dereference-command-line-symlink-to-dir':
        dereference = 'cmdline-dirs';
        break;
      case 'I':
        ignore.push(compileGlob(str(v), { period: true }));
        break;
      case 'hide':
        hide.push(compileGlob(str(v), { period: true }));
        break;
      case 'L':
        dereference = 'always';
        break;
      case 'N':
        quoting = 'literal';
        break;
      case 'Q':
        quoting = 'c';
        break;
      case 'R':
        recursive = true;
        break;
      case 'S':
        sort = 'size';
        sortSpecified = true;
        break;
      case 'T': {
        const n = parseSize(str(v));
        if (n === undefined) throw new AppletError(`invalid tab size: ${quote(str(v))}`, STATUS);
        tabOption = n;
        break;
      }
      case 'U':
        sort = 'none';
        sortSpecified = true;
        break;
      case 'X':
        sort = 'extension';
        sortSpecified = true;
        break;
      case '1':
        if (format !== 'long') format = 'one';
        break;
      case 'author':
        author = true;
        break;
      case 'sort':
        sort = argmatch(str(v), SORT_ARGS, '--sort', 1);
        sortSpecified = true;
        break;
      case 'group-directories-first':
        dirsFirst = true;
        break;
      case 'time':
        time = argmatch(str(v), TIME_ARGS, '--time', 1);
        break;
      case 'format':
        format = argmatch(str(v), FORMAT_ARGS, '--format', 1);
        break;
      case 'full-time':
        format = 'long';
        timeStyle = 'full-iso';
        break;
      case 'e':
        format = 'long';
        timeStyle = '+%a %b %e %H:%M:%S %Y';
        break;
      case 'color': {
        const w = when(v, '--color');
        color = w === 'always' || (w === 'auto' && tty);
        break;
      }
      case 'hyperlink': {
        const w = when(v, '--hyperlink');
        hyperlink = w === 'always' || (w === 'auto' && tty);
        break;
      }
      case 'indicator-style':
        indicator = argmatch(str(v), INDICATOR_ARGS, '--indicator-style', 1);
        break;
      case 'quoting-style':
        quoting = argmatch(str(v), QUOTING_ARGS, '--quoting-style', 1);
        break;
      case 'time-style':
        timeStyle = str(v);
        break;
      case 'show-control-chars':
        qmark = false;
        break;
      case 'block-size':
        try {
          blockSize = fileSize = parseBlockSize(str(v), '--block-size');
        } catch (err) {
          throw new AppletError((err as Error).message, STATUS);
        }
        break;
      case 'si':
        blockSize = fileSize = { size: 1, human: HUMAN_SI };
        break;
      case 'Z':
        context = true;
        break;
      case 'zero':
        eol = '\0';
        qmark = false;
        if (format !== 'long') format = 'one';
        color = false;
        quoting = 'literal';
        break;
    }
  }

  const warnings: string[] = [];
  const env = ctx.env;
  if (!blockSize) {
    const fromEnv = envBlockSize(env, 'LS_BLOCK_SIZE');
    blockSize = fromEnv;
    fileSize = env.get('LS_BLOCK_SIZE') !== undefined || env.get('BLOCK_SIZE') !== undefined ? fromEnv : { size: 1, human: {} };
    if (kibibytes) blockSize = { size: 1024, human: {} };
  }

  // The line width, only where it matters.
  let lineLength = width;
  if (format === 'many' || format === 'horizontal' || format === 'commas' || color) {
    lineLength ??= terminalColumns(ctx);
    if (lineLength === undefined) {
      const cols = columnsFromEnv(env);
      if (cols !== undefined && Number.isNaN(cols)) warnings.push(`ignoring invalid width in environment variable COLUMNS: ${quote(env.get('COLUMNS')!)}`);
      else lineLength = cols;
    }
  }
  lineLength ??= 80;

  let tabSize = 8;
  if (format === 'many' || format === 'horizontal' || format === 'commas') {
    if (tabOption !== undefined) tabSize = tabOption;
    else {
      const t = env.get('TABSIZE');
      if (t !== undefined) {
        const n = parseSize(t);
        if (n === undefined) warnings.push(`ignoring invalid tab size in environment variable TABSIZE: ${quote(t)}`);
        else tabSize = n;
      }
    }
  }

  qmark ??= tty;
  if (quoting === undefined) {
    const q = env.get('QUOTING_STYLE');
    if (q !== undefined) {
      if ((QUOTING_STYLES as readonly string[]).includes(q)) quoting = q as QuotingStyle;
      else warnings.push(`ignoring invalid value of environment variable QUOTING_STYLE: ${quote(q)}`);
    }
  }
  quoting ??= tty ? 'shell-escape' : 'literal';
  const alignQuotes =
    (format === 'long' || ((format === 'many' || format === 'horizontal') && lineLength !== 0)) &&
    (quoting === 'shell' || quoting === 'shell-escape' || quoting === 'c-maybe');
  let alsoQuote = quoting === 'escape' ? ' ' : '';
  if (indicator === 'file-type') alsoQuote += '*=>@|';
  else if (indicator === 'classify') alsoQuote += '=>@|';

  dired = dired && format === 'long' && !hyperlink;
  if ((time === 'ctime' || time === 'atime') && !sortSpecified && format !== 'long') sort = 'time';

  let colors: Colors | undefined;
  if (color) {
    const c = Colors.fromEnv(env);
    warnings.push(...c.warnings);
    colors = c.colors;
    if (colors) tabSize = 0;
  }
  let checkSymlinks = false;
  if (dirsFirst) checkSymlinks = true;
  else if (colors && (colors.isColored('or') || (colors.isColored('ex') && colors.symlinkAsReferent) || (colors.isColored('mi') && format === 'long')))
    checkSymlinks = true;

  dereference ??= directoryItself || indicator === 'classify' || format === 'long' ? 'never' : 'cmdline-dirs';

  return {
    format,
    ignoreMode,
    ignore,
    hide,
    sort,
    reverse,
    dirsFirst,
    time,
    owner,
    group,
    author,
    numericIds,
    inode,
    blocks,
    context,
    blockSize,
    fileSize: fileSize!,
    indicator,
    dereference,
    recursive,
    directoryItself,
    quoting,
    qmark,
    alsoQuote,
    alignQuotes,
    lineLength,
    tabSize,
    colors,
    checkSymlinks,
    hyperlink,
    dired,
    eol,
    timeFormats: format === 'long' ? timeFormats(timeStyle ?? env.get('TIME_STYLE')) : ['', ''],
    utf8: isUtf8Locale(env),
    warnings,
  };
}

/** The strftime formats a --time-style (or TIME_STYLE) gives for old and recent files. */
function timeFormats(style: string | undefined): [string, string] {
  const locale: [string, string] = ['%b %e  %Y', '%b %e %H:%M'];
  if (style === undefined) return locale;
  // posix-STYLE means STYLE except in the C locale, where it is the locale's format.
  if (style.startsWith('posix-')) return locale;
  if (style.startsWith('+')) {
    const f = style.slice(1);
    const nl = f.indexOf('\n');
    if (nl < 0) return [f, f];
    if (f.indexOf('\n', nl + 1) >= 0) throw new AppletError(`invalid time style format ${quote(f)}`, STATUS);
    return [f.slice(0, nl), f.slice(nl + 1)];
  }
  const matches = TIME_STYLES.filter((s) => s.startsWith(style));
  const exact = TIME_STYLES.find((s) => s === style);
  const chosen = exact ?? (matches.length === 1 ? matches[0] : undefined);
  switch (chosen) {
    case 'full-iso':
      return ['%Y-%m-%d %H:%M:%S.%N %z', '%Y-%m-%d %H:%M:%S.%N %z'];
    case 'long-iso':
      return ['%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M'];
    case 'iso':
      return ['%Y-%m-%d ', '%m-%d %H:%M'];
    case 'locale':
      return locale;
  }
  const problem = matches.length > 1 ? 'ambiguous' : 'invalid';
  throw new UsageError(
    `${problem} argument ${quote(style)} for ${quote('time style')}\nValid arguments are:\n` +
      TIME_STYLES.map((s) => `  - [posix-]${s}\n`).join('') +
      `  - +FORMAT (e.g., +%H:%M) for a 'date'-style format`,
    STATUS,
  );
}
