// touch as GNU coreutils has it: create missing files (not with -c or -h), set access and
// modification times to now, to -d STRING (GNU date strings, relative to -r FILE's times when both
// are given), to -t [[CC]YY]MMDDhhmm[.ss], or to FILE's (-r); -a/-m/--time pick which; -h sets a
// symlink's own times; `-` is standard output. Node sets times through doubles, so nanoseconds
// land within a few hundred of the request (and a time left alone with -a/-m is rewritten so).
import * as fs from 'node:fs';
import { type ArgTable, argmatch } from '../core/argmatch.js';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { utimeArg } from '../core/fs.js';
import { AppletError, errorCode, errorText, UsageError } from '../core/errors.js';
import { isUtf8Locale, quote, quoteaf } from '../core/quote.js';
import { now, zoneFromEnv } from '../core/time.js';
import { parseDateTime, parsePosixTime, type Timespec } from '../core/time-parse.js';

const TIME_ARGS: ArgTable<'a' | 'm'> = [
  ['atime', 'a'],
  ['access', 'a'],
  ['use', 'a'],
  ['mtime', 'm'],
  ['modify', 'm'],
];

export default defineApplet({
  name: 'touch',
  summary: 'Update the access and modification times of each FILE to the current time',
  usage: 'touch [OPTION]... FILE...',
  help: [
    'A FILE argument that does not exist is created empty, unless -c or -h is supplied.',
    'A FILE argument string of - is handled specially and causes touch to change the',
    'times of the file associated with standard output.',
    '',
    '  -a                     change only the access time',
    '  -c, --no-create        do not create any files',
    '  -d, --date=STRING      parse STRING and use it instead of current time',
    '  -f                     (ignored)',
    '  -h, --no-dereference   affect each symbolic link instead of any referenced file',
    '  -m                     change only the modification time',
    '  -r, --reference=FILE   use this file\'s times instead of current time',
    '  -t STAMP               use [[CC]YY]MMDDhhmm[.ss] instead of current time',
    '      --time=WORD        change the specified time: access, atime, use (-a);',
    '                           modify, mtime (-m)',
  ].join('\n'),
  options: {
    a: {},
    c: { long: 'no-create' },
    d: { long: 'date', arg: 'string' },
    f: {},
    h: { long: 'no-dereference' },
    m: {},
    r: { long: 'reference', arg: 'string' },
    t: { arg: 'string' },
    time: { arg: 'list' },
  },
  usageStatus: 1,
  async run(ctx) {
    const o = ctx.opts;
    const utf8 = isUtf8Locale(ctx.env);
    const zone = zoneFromEnv(ctx.env);
    let changeAtime = !!o.a;
    let changeMtime = !!o.m;
    for (const w of o.time ?? []) {
      if (argmatch(w, TIME_ARGS, '--time', 1) === 'a') changeAtime = true;
      else changeMtime = true;
    }
    if (!changeAtime && !changeMtime) changeAtime = changeMtime = true;

    let times: [Timespec, Timespec] | undefined;
    if (o.t !== undefined) {
      const t = parsePosixTime(o.t, zone, now().sec, false);
      if (t === undefined) throw new AppletError(`invalid date format ${quote(o.t, utf8)}`);
      if (o.d !== undefined || o.r !== undefined) throw new UsageError('cannot specify times from more than one source');
      times = [
        { sec: t, nsec: 0 },
        { sec: t, nsec: 0 },
      ];
    }
    if (o.r !== undefined) {
      let st: fs.BigIntStats;
      try {
        const ref = fsPath(ctx.path(o.r));
        st = o.h ? fs.lstatSync(ref, { bigint: true }) : fs.statSync(ref, { bigint: true });
      } catch (err) {
        throw new AppletError(`failed to get attributes of ${quoteaf(o.r, utf8)}: ${errorText(err)}`);
      }
      times = [split(st.atimeNs), split(st.mtimeNs)];
    }
    if (o.d !== undefined) {
      // With -r, the date is relative to the reference file's times.
      const bases = times ?? [now(), now()];
      const parsed = bases.map((base) => parseDateTime(o.d!, base, zone, ctx.env));
      if (!parsed[0] || !parsed[1]) throw new AppletError(`invalid date format ${quote(o.d, utf8)}`);
      times = [parsed[0], parsed[1]];
    }
    if (ctx.operands.length === 0) throw new UsageError('missing file operand');

    let status = 0;
    for (const file of ctx.operands) {
      const message = touchOne(ctx.path(file), file === '-' ? ctx.stdout.fd : undefined, {
        times,
        changeAtime,
        changeMtime,
        create: !o.c && !o.h,
        noDereference: !!o.h,
        noCreate: !!o.c,
      });
      if (message) status = await ctx.warn(new AppletError(message.replace('%s', quoteaf(file, utf8))));
    }
    return status;
  },
});

function split(ns: bigint): Timespec {
  const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
  return { sec: Number(sec), nsec: Number(ns - sec * 1000000000n) };
}

const seconds = (t: Timespec) => utimeArg(t.sec, t.nsec);

interface TouchOptions {
  times?: [Timespec, Timespec];
  changeAtime: boolean;
  changeMtime: boolean;
  create: boolean;
  noDereference: boolean;
  noCreate: boolean;
}

/** Touch one file; returns GNU's message (with %s for the name) when it fails. */
function touchOne(path: string, stdoutFd: number | undefined, o: TouchOptions): string | undefined {
  let fd: number | undefined = stdoutFd;
  let openError: unknown;
  if (fd === undefined && o.create) {
    try {
      fd = fs.openSync(fsPath(path), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY, 0o666);
    } catch (err) {
      const code = errorCode(err);
      if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') openError = err;
    }
  }
  try {
    let atime: string;
    let mtime: string;
    const current = now();
    const [a, m] = o.times ?? [current, current];
    if (o.changeAtime && o.changeMtime) {
      atime = seconds(a);
      mtime = seconds(m);
    } else {
      // Node cannot leave one time alone: put back the one not asked for.
      const st = statFor(path, fd, o.noDereference);
      atime = o.changeAtime ? seconds(a) : seconds(split(st.atimeNs));
      mtime = o.changeMtime ? seconds(m) : seconds(split(st.mtimeNs));
    }
    if (fd !== undefined) fs.futimesSync(fd, atime, mtime);
    else if (o.noDereference) fs.lutimesSync(fsPath(path), atime, mtime);
    else fs.utimesSync(fsPath(path), atime, mtime);
    return undefined;
  } catch (err) {
    if (openError) return `cannot touch %s: ${errorText(openError)}`;
    if (o.noCreate && errorCode(err) === 'ENOENT') return undefined;
    return `setting times of %s: ${errorText(err)}`;
  } finally {
    if (fd !== undefined && fd !== stdoutFd) fs.closeSync(fd);
  }
}

function statFor(path: string, fd: number | undefined, noDereference: boolean): fs.BigIntStats {
  if (fd !== undefined) return fs.fstatSync(fd, { bigint: true });
  return noDereference ? fs.lstatSync(fsPath(path), { bigint: true }) : fs.statSync(fsPath(path), { bigint: true });
}
