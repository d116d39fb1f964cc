// cut as GNU has it (bytes and characters are the same in the C locale): -b/-c/-f LIST with GNU's
// list syntax and messages, -d, -s, --complement, --output-delimiter, -z; and BusyBox's extras:
// -O (output delimiter), -D (keep the list's order, do not merge ranges) and -F (fields separated by
// a regular expression, by default runs of white space).
import { defineApplet } from '../core/applet.js';
import { AppletError, UsageError, errorCode } from '../core/errors.js';
import { OutBuffer, eachInput } from '../core/io.js';
import { forEachLine } from '../core/lines.js';
import { quote, quotef } from '../core/quote.js';
import { Regex, RegexSyntaxError } from '../core/regex.js';

/** A range of positions, 1-based and inclusive; hi is Infinity for `N-`. */
type Range = [lo: number, hi: number];

export default defineApplet({
  name: 'cut',
  summary: 'Print selected parts of lines from each FILE to standard output',
  usage: 'cut OPTION... [FILE]...',
  syncStdin: true,
  help: [
    'With no FILE, or when FILE is -, read standard input.',
    '',
    '-b, --bytes=LIST\t\tSelect only these bytes',
    '-c, --characters=LIST\tSelect only these characters (bytes, as in the C locale)',
    '-d, --delimiter=DELIM\tUse DELIM instead of TAB for the field delimiter',
    '-f, --fields=LIST\t\tSelect only these fields; also print lines without delimiters, unless -s',
    '-F LIST\t\t\tLike -f, but -d is a regular expression (default: runs of white space)',
    '-n\t\t\t(ignored)',
    '    --complement\t\tComplement the set of selected bytes, characters or fields',
    '-s, --only-delimited\tDo not print lines not containing delimiters',
    '    --output-delimiter=STRING, -O STRING\tUse STRING as the output delimiter',
    '-D\t\t\tPrint the list in the order given, without merging ranges',
    '-z, --zero-terminated\tLine delimiter is NUL, not newline',
    '',
    'LIST is ranges separated by commas: N, N-, N-M, -M.',
  ].join('\n'),
  options: {
    b: { long: 'bytes', arg: 'string' },
    c: { long: 'characters', arg: 'string' },
    d: { long: 'delimiter', arg: 'string' },
    f: { long: 'fields', arg: 'string' },
    F: { arg: 'string' },
    n: {},
    complement: {},
    s: { long: 'only-delimited' },
    'output-delimiter': { arg: 'string' },
    O: { arg: 'string' },
    D: {},
    z: { long: 'zero-terminated' },
  },
  async run(ctx) {
    const o = ctx.opts;
    const lists = (['b', 'c', 'f', 'F'] as const).filter((k) => o[k] !== undefined);
    if (lists.length === 0) throw new UsageError('you must specify a list of bytes, characters, or fields');
    if (lists.length > 1) throw new UsageError('only one list may be specified');
    const kind = lists[0]!;
    const byFields = kind === 'f' || kind === 'F';
    if (o.d !== undefined && !byFields) {
      throw new UsageError('an input delimiter may be specified only when operating on fields');
    }
    if (o.s && !byFields) {
      throw new UsageError('suppressing non-delimited lines makes sense\n\tonly when operating on fields');
    }
    let ranges = parseList(o[kind]!, byFields, !!o.D);
    if (o.complement) ranges = complement(ranges);
    const lineEnd = o.z ? '\0' : '\n';
    const outDelimiter = o['output-delimiter'] ?? o.O;

    let cutLine: (line: string) => string | undefined;
    if (!byFields) cutLine = (line) => cutPositions(line, ranges, outDelimiter);
    else if (kind === 'F') {
      const separator = regexSeparator(o.d);
      cutLine = (line) => cutRegexFields(line, separator, ranges, outDelimiter ?? ' ');
    } else {
      let delimiter = o.d ?? '\t';
      if (delimiter.length > 1) throw new UsageError('the delimiter must be a single character');
      if (delimiter === '') delimiter = '\0'; // GNU: -d '' is the NUL byte
      const out = outDelimiter ?? delimiter;
      if (o.D) cutLine = (line) => cutSplit(line.split(delimiter), ranges, out, !!o.s, line);
      else {
        const fields = new FieldSet(ranges);
        cutLine = (line) => cutFields(line, delimiter, fields, out, !!o.s);
      }
    }

    const out = new OutBuffer(ctx.stdout);
    let status = 0;
    for await (const input of eachInput(ctx, ctx.operands)) {
      if (input.error) {
        await out.flush();
        status = await ctx.warn(input.error, quotef(input.name));
        continue;
      }
      try {
        await forEachLine(input.source!, lineEnd, (line) => {
          const cut = cutLine(line);
          return cut === undefined ? undefined : out.put(cut + lineEnd);
        });
      } catch (err) {
        if (errorCode(err) === undefined) throw err;
        await out.flush();
        status = await ctx.warn(err, quotef(input.name));
      }
    }
    await out.flush();
    return status;
  },
});

/** GNU's set_fields, character by character for its exact messages: the ranges of LIST, sorted
 *  and merged (unless `keepOrder`, BusyBox's -D). */
export function parseList(list: string, fields: boolean, keepOrder = false): Range[] {
  const fromOne = fields ? 'fields are numbered from 1' : 'byte/character positions are numbered from 1';
  const ranges: Range[] = [];
  let initial = 1;
  let value = 0n;
  let lhs = false;
  let rhs = false;
  let dash = false;
  let numStart = -1;
  for (let i = 0; ; i++) {
    const c = list[i];
    if (c === '-') {
      numStart = -1;
      if (dash) throw new UsageError(fields ? 'invalid field range' : 'invalid byte or character range');
      dash = true;
      if (lhs && value === 0n) throw new UsageError(fromOne);
      initial = lhs ? Number(value) : 1;
      value = 0n;
    } else if (c === undefined || c === ',' || c === ' ' || c === '\t') {
      numStart = -1;
      if (dash) {
        dash = false;
        if (!lhs && !rhs) throw new UsageError('invalid range with no endpoint: -');
        if (!rhs) ranges.push([initial, Infinity]);
        else {
          if (Number(value) < initial) throw new UsageError('invalid decreasing range');
          ranges.push([initial, Number(value)]);
        }
      } else {
        if (value === 0n) throw new UsageError(fromOne);
        ranges.push([Number(value), Number(value)]);
      }
      value = 0n;
      if (c === undefined) break;
      lhs = rhs = false;
    } else if (c >= '0' && c <= '9') {
      if (numStart === -1) numStart = i;
      if (dash) rhs = true;
      else lhs = true;
      value = value * 10n + BigInt(c.charCodeAt(0) - 48);
      if (value >= (1n << 64n) - 1n) {
        const bad = /^[0-9]*/.exec(list.slice(numStart))![0];
        throw new UsageError(`${fields ? 'field number' : 'byte/character offset'} ${quote(bad)} is too large`);
      }
    } else {
      throw new UsageError(`${fields ? 'invalid field value' : 'invalid byte/character position'} ${quote(list.slice(i))}`);
    }
  }
  if (keepOrder) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** The positions not in `ranges` (which are sorted and merged). */
function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 1;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next !== Infinity) out.push([next, Infinity]);
  return out;
}

function cutPositions(line: string, ranges: Range[], outDelimiter: string | undefined): string {
  let res = '';
  let printed = false;
  for (const [lo, hi] of ranges) {
    if (lo > line.length) continue;
    const piece = line.slice(lo - 1, Math.min(hi, line.length));
    if (printed && outDelimiter !== undefined) res += outDelimiter;
    res += piece;
    printed = true;
  }
  return res;
}

/** Whether a field number is selected: a table for the low numbers, then an open-ended range. */
class FieldSet {
  private readonly low: Uint8Array;
  /** The first field of a final `N-` range (Infinity if none). */
  private readonly tail: number;
  /** The last field that can be selected. */
  readonly max: number;
  constructor(ranges: Range[]) {
    const open = ranges.find(([, hi]) => hi === Infinity);
    this.tail = open ? open[0] : Infinity;
    this.max = open ? Infinity : Math.max(0, ...ranges.map(([, hi]) => hi));
    const finiteTop = Math.max(0, ...ranges.filter(([, hi]) => hi !== Infinity).map(([, hi]) => hi));
    this.low = new Uint8Array(Math.min(finiteTop, 1 << 20) + 1);
    for (const [lo, hi] of ranges) for (let f = lo; f <= Math.min(hi, this.low.length - 1); f++) this.low[f] = 1;
  }
  has(field: number): boolean {
    return field >= this.tail || (field < this.low.length ? this.low[field] === 1 : false);
  }
}

/** -f in list order (GNU): walk the delimiters, stop after the last field that can be selected. */
function cutFields(line: string, delimiter: string, fields: FieldSet, outDelimiter: string, onlyDelimited: boolean): string | undefined {
  let d = line.indexOf(delimiter);
  if (d === -1) return onlyDelimited ? undefined : line;
  let res = '';
  let printed = false;
  let start = 0;
  for (let field = 1; ; field++) {
    const end = d === -1 ? line.length : d;
    if (fields.has(field)) {
      if (printed) res += outDelimiter;
      res += line.slice(start, end);
      printed = true;
    }
    if (d === -1 || field >= fields.max) return res;
    start = d + 1;
    d = line.indexOf(delimiter, start);
  }
}

/** The selected fields of a split line, in the order of `ranges`. */
function cutSplit(fields: string[], ranges: Range[], outDelimiter: string, onlyDelimited: boolean, line: string): string | undefined {
  if (fields.length === 1) return onlyDelimited ? undefined : line;
  const picked: string[] = [];
  for (const [lo, hi] of ranges) {
    for (let i = lo; i <= hi && i <= fields.length; i++) picked.push(fields[i - 1]!);
  }
  return picked.join(outDelimiter);
}

/** BusyBox -F: -d is a POSIX extended regular expression; by default, runs of white space. */
function regexSeparator(pattern: string | undefined): Regex {
  try {
    return new Regex(pattern ?? '[[:space:]]+', { extended: true });
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new AppletError(`bad regex '${pattern}': ${err.message}`);
    throw err;
  }
}

/** BusyBox's -F: the fields are the text between separators; a separator that matches nothing ends
 *  the splitting, and empty fields print nothing, not even the output delimiter before them. */
function cutRegexFields(line: string, separator: Regex, ranges: Range[], outDelimiter: string): string {
  const fields: string[] = [];
  for (let pos = 0; pos < line.length; ) {
    const m = separator.exec(line, pos, false);
    if (!m) {
      fields.push(line.slice(pos));
      break;
    }
    if (m.end === m.start) break;
    fields.push(line.slice(pos, m.start));
    pos = m.end;
  }
  let out = '';
  for (const [lo, hi] of ranges) {
    for (let i = lo; i <= hi && i <= fields.length; i++) {
      const field = fields[i - 1]!;
      if (field) out = out ? out + outDelimiter + field : field;
    }
  }
  return out;
}
