// date as GNU coreutils has it: +FORMAT (GNU strftime), -d STRING (GNU date strings), -f FILE,
// -r FILE, -u, -R, -I[FMT], --rfc-3339=FMT, and -s / the MMDDhhmm[[CC]YY][.ss] operand, which a
// process without the privilege to set the clock is refused with GNU's message. BusyBox's -D FMT
// (strptime input format) and its `[YYYY.]MM.DD-hh:mm[:ss]` strings work too.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { argmatch, type ArgTable } from '../core/argmatch.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { FdSource, readLines } from '../core/io.js';
import { parseOptions } from '../core/options.js';
import { quote, quotef } from '../core/quote.js';
import { localtime, loadZone, now, strftime, zoneFromEnv } from '../core/time.js';
import { parseBusyboxDate, parseDateTime, parsePosixTime, strptime, type Timespec } from '../core/time-parse.js';

const ISO_FORMATS: ArgTable<string> = [
  ['hours', '%Y-%m-%dT%H%:z'],
  ['minutes', '%Y-%m-%dT%H:%M%:z'],
  ['date', '%Y-%m-%d'],
  ['seconds', '%Y-%m-%dT%H:%M:%S%:z'],
  ['ns', '%Y-%m-%dT%H:%M:%S,%N%:z'],
];
const RFC3339_FORMATS: ArgTable<string> = [
  ['date', '%Y-%m-%d'],
  ['seconds', '%Y-%m-%d %H:%M:%S%:z'],
  ['ns', '%Y-%m-%d %H:%M:%S.%N%:z'],
];
const RFC_EMAIL = '%a, %d %b %Y %H:%M:%S %z';
const DEFAULT_FORMAT = '%a %b %e %H:%M:%S %Z %Y';

// In GNU's order (getopt lists ambiguous candidates in table order).
const OPTIONS = {
  d: { long: 'date', arg: 'string' },
  f: { long: 'file', arg: 'string' },
  I: { long: 'iso-8601', arg: 'optional' },
  r: { long: 'reference', arg: 'string' },
  R: { long: ['rfc-email', 'rfc-822', 'rfc-2822'] },
  'rfc-3339': { arg: 'string' },
  s: { long: 'set', arg: 'string' },
  u: { long: ['uct', 'universal', 'utc'] },
  D: { arg: 'string' },
} as const;

export default defineApplet({
  name: 'date',
  summary: 'Display the current time in the given FORMAT, or set the system date',
  usage: 'date [OPTION]... [+FORMAT]\n  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]',
  help: [
    '-d, --date=STRING          display time described by STRING, not \'now\'',
    '-f, --file=DATEFILE        like --date; once for each line of DATEFILE',
    '-I[FMT], --iso-8601[=FMT]  output date/time in ISO 8601 format (FMT: date, hours,',
    '                           minutes, seconds or ns; date by default)',
    '-R, --rfc-email            output date and time in RFC 5322 format',
    '    --rfc-3339=FMT         output date/time in RFC 3339 format (date, seconds, ns)',
    '-r, --reference=FILE       display the last modification time of FILE',
    '-s, --set=STRING           set time described by STRING',
    '-u, --utc, --universal     print or set Coordinated Universal Time (UTC)',
    '-D FMT                     (BusyBox) read -d/-s STRING with strptime FORMAT',
    '',
    'FORMAT is a GNU strftime format: %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l',
    '%m %M %n %N %p %P %q %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %:z %::z %:::z %Z %%,',
    'with the flags - _ 0 ^ # and a field width after the %.',
  ].join('\n'),
  options: OPTIONS,
  usageStatus: 1,
  async run(ctx) {
    const o = ctx.opts;
    // The output format: -I, -R and --rfc-3339 each set one; two are an error (in GNU's order).
    let format: string | undefined;
    const setFormat = (f: string) => {
      if (format !== undefined) throw new AppletError('multiple output formats specified');
      format = f;
    };
    // ctx.opts keeps the last of each; GNU reacts to each in turn, so read them in order.
    for (const [key, value] of parseOptions(OPTIONS, ctx.argv.slice(1)).order) {
      if (key === 'I') setFormat(value === true ? ISO_FORMATS[2]![1] : argmatch(value as string, ISO_FORMATS, '--iso-8601', 1));
      else if (key === 'R') setFormat(RFC_EMAIL);
      else if (key === 'rfc-3339') setFormat(argmatch(value as string, RFC3339_FORMATS, '--rfc-3339', 1));
    }
    const specifiers = [o.d, o.f, o.r].filter((v) => v !== undefined).length;
    if (specifiers > 1) throw new UsageError('the options to specify dates for printing are mutually exclusive');
    if (o.s !== undefined && specifiers) throw new UsageError('the options to print and set the time may not be used together');
    const operands = [...ctx.operands];
    if (operands.length > 1) throw new UsageError(`extra operand ${quote(operands[1]!)}`);
    let setOperand: string | undefined;
    if (operands.length === 1) {
      if (operands[0]!.startsWith('+')) setFormat(operands[0]!.slice(1));
      else if (o.s !== undefined || specifiers)
        throw new UsageError(
          `the argument ${quote(operands[0]!)} lacks a leading '+';\nwhen using an option to specify date(s), any non-option\nargument must be a format string beginning with '+'`,
        );
      else setOperand = operands[0];
    }
    format ??= DEFAULT_FORMAT;

    const env = ctx.env;
    const zone = o.u ? loadZone('UTC0', env) : zoneFromEnv(env);
    const show = async (when: Timespec) => {
      await ctx.stdout.write(`${strftime(format!, localtime(when.sec, zone), when.nsec)}\n`);
    };
    const parse = (text: string): Timespec | undefined => {
      const current = now();
      if (o.D !== undefined) {
        const t = strptime(text, o.D, zone, current.sec);
        return t === undefined ? undefined : { sec: t, nsec: 0 };
      }
      const gnu = parseDateTime(text, current, zone, env);
      if (gnu) return gnu;
      const bb = parseBusyboxDate(text, zone, current.sec);
      return bb === undefined ? undefined : { sec: bb, nsec: 0 };
    };

    if (o.f !== undefined) return batch(ctx, o.f, parse, show);

    let when: Timespec | undefined;
    let setting = false;
    let datestr = '';
    if (o.r !== undefined) {
      when = mtimeOf(ctx.path(o.r), o.r);
    } else if (o.d !== undefined || o.s !== undefined) {
      datestr = (o.s ?? o.d)!;
      setting = o.s !== undefined;
      when = parse(datestr);
    } else if (setOperand !== undefined) {
      datestr = setOperand;
      setting = true;
      const t = parsePosixTime(setOperand, zone, now().sec, true);
      when = t === undefined ? undefined : { sec: t, nsec: 0 };
    } else when = now();
    if (!when) throw new AppletError(`invalid date ${quote(datestr)}`);

    let status = 0;
    if (setting) status = await ctx.warn(new AppletError(`cannot set date: ${cannotSetClock(ctx)}`));
    await show(when);
    return status;
  },
});

/** Why this process cannot set the clock: Node has no settimeofday, and only root may anyway. */
function cannotSetClock(ctx: Ctx<unknown>): string {
  return ctx.host.euid() === 0 ? 'Function not implemented' : 'Operation not permitted';
}

function mtimeOf(path: string, file: string): Timespec {
  try {
    const st = fs.statSync(fsPath(path), { bigint: true });
    return { sec: Number(st.mtimeNs / 1000000000n), nsec: Number(st.mtimeNs % 1000000000n) };
  } catch (err) {
    throw new AppletError(`${quotef(file)}: ${errorText(err)}`);
  }
}

/** -f: a date per line of FILE (- is standard input); bad lines are reported and skipped. */
async function batch(
  ctx: Ctx<unknown>,
  file: string,
  parse: (text: string) => Timespec | undefined,
  show: (when: Timespec) => Promise<void>,
): Promise<number> {
  let source = ctx.stdin;
  if (file !== '-') {
    try {
      source = new FdSource(fs.openSync(fsPath(ctx.path(file)), 'r'), true);
    } catch (err) {
      throw new AppletError(`${quotef(file)}: ${errorText(err)}`);
    }
  }
  let status = 0;
  try {
    for await (const raw of readLines(source)) {
      const line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
      const when = parse(line);
      if (when) await show(when);
      else status = await ctx.warn(new AppletError(`invalid date ${quote(line)}`));
    }
  } finally {
    if (source !== ctx.stdin) source.close();
  }
  return status;
}
