// uniq as GNU has it: adjacent equal lines (compared after skipping -f fields and -s bytes, on at
// most -w bytes, -i ignoring case) folded into one; -c counts, -d/-u/-D choose which lines print,
// --all-repeated and --group delimit groups, -z for NUL-ended lines, an optional OUTPUT file, and
// the historical `-N` (skip N fields) and `+N` (skip N bytes) forms.
import * as fs from 'node:fs';
import { argmatch } from '../core/argmatch.js';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { AppletError, UsageError, errorCode, errorText } from '../core/errors.js';
import { type ByteSink, FdSink, OutBuffer, eachInput } from '../core/io.js';
import { forEachLine } from '../core/lines.js';
import { parseCount } from '../core/numbers.js';
import { quote, quotef } from '../core/quote.js';

type Delimit = 'none' | 'prepend' | 'separate';
type Group = 'prepend' | 'append' | 'separate' | 'both';

const SIZE_MAX = Number.MAX_SAFE_INTEGER; // larger than any line

export default defineApplet({
  name: 'uniq',
  summary: 'Filter adjacent matching lines from INPUT (or standard input), writing to OUTPUT (or standard output)',
  usage: 'uniq [OPTION]... [INPUT [OUTPUT]]',
  syncStdin: true,
  help: [
    'With no options, matching lines are merged to the first occurrence.',
    '',
    '-c, --count\t\tPrefix lines by the number of occurrences',
    '-d, --repeated\t\tOnly print duplicate lines, one for each group',
    '-D\t\t\tPrint all duplicate lines',
    '    --all-repeated[=METHOD]\tLike -D, but allow separating groups with an empty line;',
    '\t\t\tMETHOD={none(default),prepend,separate}',
    '-f, --skip-fields=N\tAvoid comparing the first N fields',
    '    --group[=METHOD]\tShow all items, separating groups with an empty line;',
    '\t\t\tMETHOD={separate(default),prepend,append,both}',
    '-i, --ignore-case\tIgnore differences in case when comparing',
    '-s, --skip-chars=N\tAvoid comparing the first N characters',
    '-u, --unique\t\tOnly print unique lines',
    '-z, --zero-terminated\tLine delimiter is NUL, not newline',
    '-w, --check-chars=N\tCompare no more than N characters in lines',
    '',
    'A field is a run of blanks (usually spaces and/or TABs), then non-blank characters.',
    'Fields are skipped before characters. -N is -f N; an operand +N is -s N.',
  ].join('\n'),
  options: {
    c: { long: 'count' },
    d: { long: 'repeated' },
    D: {},
    'all-repeated': { arg: 'optional' },
    f: { long: 'skip-fields', arg: 'string' },
    group: { arg: 'optional' },
    i: { long: 'ignore-case' },
    s: { long: 'skip-chars', arg: 'string' },
    u: { long: 'unique' },
    z: { long: 'zero-terminated' },
    w: { long: 'check-chars', arg: 'string' },
  },
  rewriteArgs: rewriteObsolete,
  async run(ctx) {
    const o = ctx.opts;
    const skipFields = size(o.f, 'invalid number of fields to skip');
    const skipChars = size(o.s, 'invalid number of bytes to skip');
    const checkChars = o.w === undefined ? SIZE_MAX : size(o.w, 'invalid number of bytes to compare');
    let delimit: Delimit = 'none';
    const allRepeated = o['all-repeated'];
    if (allRepeated !== undefined && allRepeated !== true) {
      delimit = argmatch(allRepeated, [['none', 'none'], ['prepend', 'prepend'], ['separate', 'separate']] as const, '--all-repeated');
    }
    const laterRepeated = !!o.D || allRepeated !== undefined;
    const unique = !o.d && !laterRepeated;
    const firstRepeated = !o.u;
    let group: Group | undefined;
    if (o.group !== undefined) {
      group = o.group === true ? 'separate' : argmatch(o.group, [['prepend', 'prepend'], ['append', 'append'], ['separate', 'separate'], ['both', 'both']] as const, '--group');
    }
    if (group && (o.c || o.d || o.u || laterRepeated)) throw new UsageError('--group is mutually exclusive with -c/-d/-D/-u');
    if (o.c && laterRepeated) throw new UsageError('printing all duplicated lines and repeat counts is meaningless');
    if (ctx.operands.length > 2) throw new UsageError(`extra operand ${quote(ctx.operands[2]!)}`);

    const [inputName = '-', outputName = '-'] = ctx.operands;
    const d = o.z ? '\0' : '\n';
    const fold = o.i ? (s: string) => s.toUpperCase() : undefined;
    const keyOf = (line: string): string => {
      let i = 0;
      const n = line.length;
      for (let f = 0; f < skipFields && i < n; f++) {
        while (i < n && isFieldSeparator(line.charCodeAt(i))) i++;
        while (i < n && !isFieldSeparator(line.charCodeAt(i))) i++;
      }
      i += Math.min(skipChars, n - i);
      const key = line.slice(i, i + checkChars);
      return fold ? foldCase(key) : key;
    };

    for await (const input of eachInput(ctx, [inputName])) {
      if (input.error) throw new AppletError(`${quotef(inputName)}: ${errorText(input.error)}`);
      let sink: ByteSink = ctx.stdout;
      let outFd: number | undefined;
      if (outputName !== '-') {
        try {
          outFd = fs.openSync(fsPath(ctx.path(outputName)), 'w', 0o666);
        } catch (err) {
          throw new AppletError(`${quotef(outputName)}: ${errorText(err)}`);
        }
        sink = new FdSink(outFd);
      }
      const out = new OutBuffer(sink);
      try {
        let prev: string | undefined;
        let prevKey = '';
        let matches = 0;
        let firstDelimiter = true;
        let groupPrinted = false;
        const write = (line: string, match: boolean, count: number) => {
          if (!(count === 0 ? unique : !match ? firstRepeated : laterRepeated)) return undefined;
          return out.put(o.c ? `${String(count + 1).padStart(7)} ${line}${d}` : line + d);
        };
        await forEachLine(input.source!, d, (line) => {
          const key = keyOf(line);
          if (group) {
            const newGroup = prev === undefined || key !== prevKey;
            const delimited = newGroup && (group === 'prepend' || group === 'both' || (groupPrinted && (group === 'append' || group === 'separate')));
            groupPrinted = true;
            prev = line;
            prevKey = key;
            return out.put(delimited ? d + line + d : line + d);
          }
          if (prev === undefined) {
            prev = line;
            prevKey = key;
            return undefined;
          }
          const match = key === prevKey;
          if (match) matches++;
          let delimiter: Promise<void> | undefined;
          if (delimit !== 'none') {
            if (!match) {
              if (matches) firstDelimiter = false;
            } else if (matches === 1 && (delimit === 'prepend' || (delimit === 'separate' && !firstDelimiter))) delimiter = out.put(d);
          }
          if (!match || laterRepeated) {
            const [shown, shownMatch, shownCount] = [prev, match, matches];
            prev = line;
            prevKey = key;
            if (!match) matches = 0;
            return delimiter ? delimiter.then(() => write(shown, shownMatch, shownCount)) : write(shown, shownMatch, shownCount);
          }
          return delimiter;
        });
        if (group) {
          if ((group === 'append' || group === 'both') && groupPrinted) await out.put(d);
        } else if (prev !== undefined) await write(prev, false, matches);
        await out.flush();
      } catch (err) {
        if (errorCode(err) === undefined) throw err;
        throw new AppletError(`${quotef(inputName)}: ${errorText(err)}`);
      } finally {
        if (outFd !== undefined) fs.closeSync(outFd);
      }
    }
    return 0;
  },
});

/** A -f/-s/-w value: any size (too large means "all"), or GNU's message. */
function size(text: string | undefined, message: string): number {
  if (text === undefined) return 0;
  const r = parseCount(text, '');
  if ('value' in r) return Number(r.value) > SIZE_MAX ? SIZE_MAX : Number(r.value);
  if (r.error === 'overflow') return SIZE_MAX;
  throw new AppletError(`${text}: ${message}`);
}

/** Blanks and newlines separate fields (newlines matter with -z). */
function isFieldSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 10;
}

/** toupper() in the C locale: only ASCII letters change. */
function foldCase(s: string): string {
  return /[a-z]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s;
}

/**
 * The historical forms, in order with the rest: `-N` skips N fields (digits given one after the
 * other accumulate until a -f resets them, as GNU's do), an operand `+N` skips N bytes. Clusters
 * are split into single options, so the digits can be told from the values of -f, -s and -w.
 */
function rewriteObsolete(args: readonly string[]): string[] {
  const out: string[] = [];
  let run: string | undefined; // the digits of the current obsolete -N
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i)); // after --, +N is a file name
      break;
    }
    if (/^\+\d+$/.test(arg)) {
      out.push('-s', arg.slice(1));
      continue;
    }
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (name.length >= 6 && 'skip-fields'.startsWith(name)) run = undefined;
      out.push(arg);
      const takesValue = name !== '' && VALUE_LONGS.some((l) => l.startsWith(name));
      if (takesValue && !arg.includes('=') && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (arg.length < 2 || arg[0] !== '-') {
      out.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      if (letter >= '0' && letter <= '9') {
        run = (run ?? '') + letter;
        out.push('-f', run);
      } else if (letter === 'f' || letter === 's' || letter === 'w') {
        if (letter === 'f') run = undefined;
        out.push(`-${letter}`);
        const rest = arg.slice(j + 1);
        if (rest) out.push(rest);
        else if (i + 1 < args.length) out.push(args[++i]!);
        break;
      } else out.push(`-${letter}`);
    }
  }
  return out;
}

const VALUE_LONGS = ['skip-fields', 'skip-chars', 'check-chars'];
