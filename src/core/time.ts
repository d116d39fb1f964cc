// Time: time zones from TZ (as ctx.env gives it), local time, mktime, and GNU's strftime.
//
// TZ is resolved as glibc does: unset → /etc/localtime; `:NAME` or NAME → the zoneinfo file
// ($TZDIR or /usr/share/zoneinfo) when there is one; else a POSIX rule (`UTC0`, `EST5EDT`,
// `<+03>-3`, `CET-1CEST,M3.5.0,M10.5.0/3`); else an IANA name known to Intl (a rootfs without
// tzdata still gets Europe/Paris right); else UTC under the name's leading letters, as glibc.
// Dates are proleptic Gregorian with astronomical years; times are seconds since the epoch.
// Date-string parsing (date -d, touch -d) is in time-parse.ts.
import * as fs from 'node:fs';

/** Broken-down local time, as struct tm (but with the full year and the epoch time kept). */
export interface Tm {
  /** The full year (2024; 0 is 1 BC). */
  year: number;
  /** 0–11 */
  mon: number;
  /** 1–31 */
  mday: number;
  hour: number;
  min: number;
  sec: number;
  /** 0 = Sunday */
  wday: number;
  /** 0–365 */
  yday: number;
  isdst: boolean;
  /** Seconds east of UTC. */
  gmtoff: number;
  /** Zone abbreviation (CET, EST, +03). */
  zone: string;
  /** Seconds since the epoch this is the local time of. */
  t: number;
}

export interface ZoneInfo {
  offset: number;
  isdst: boolean;
  abbr: string;
}

export interface Zone {
  /** What TZ said (or the file the zone came from). */
  readonly name: string;
  /** The offset, DST flag and abbreviation in force at `t`. */
  at(t: number): ZoneInfo;
}

// ----- calendar -----

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12; the day may overflow). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number (days since 1970-01-01). */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** The broken-down time of t at a fixed offset. */
function breakDown(t: number, info: ZoneInfo): Tm {
  const local = t + info.offset;
  const days = Math.floor(local / 86400);
  let secs = local - days * 86400;
  const { y, m, d } = civilFromDays(days);
  const hour = Math.floor(secs / 3600);
  secs -= hour * 3600;
  const min = Math.floor(secs / 60);
  return {
    year: y,
    mon: m - 1,
    mday: d,
    hour,
    min,
    sec: secs - min * 60,
    wday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(y, 1, 1),
    isdst: info.isdst,
    gmtoff: info.offset,
    zone: info.abbr,
    t,
  };
}

/** Local time of `t` (seconds, integer) in `zone`. */
export function localtime(t: number, zone: Zone): Tm {
  return breakDown(t, zone.at(t));
}

/** Broken-down UTC. */
export function gmtime(t: number): Tm {
  return breakDown(t, UTC_INFO);
}

/** The fields mktime takes; out-of-range values are normalised (month 13 is next January). */
export interface TmFields {
  year: number;
  mon: number;
  mday: number;
  hour: number;
  min: number;
  sec: number;
  /** true/false: the caller says whether DST is in force; undefined: work it out. */
  isdst?: boolean;
}

/** Seconds since the epoch of a local time in `zone`, as mktime does it: a time that exists twice
 *  (clocks going back) takes the DST hint, else the earlier; a time that does not exist (clocks
 *  going forward) is read with the offset in force before the change, so it normalises past it. */
export function mktime(f: TmFields, zone: Zone): number {
  const months = f.year * 12 + f.mon;
  const year = Math.floor(months / 12);
  const local = (daysFromCivil(year, months - year * 12 + 1, 1) + f.mday - 1) * 86400 + f.hour * 3600 + f.min * 60 + f.sec;
  const candidates: { t: number; info: ZoneInfo }[] = [];
  const seen = new Set<number>();
  for (const probe of [local - 86400, local, local + 86400]) {
    const off = zone.at(probe - zone.at(probe).offset).offset;
    for (const o of [off, zone.at(probe).offset]) {
      if (seen.has(o)) continue;
      seen.add(o);
      const t = local - o;
      const info = zone.at(t);
      if (info.offset === o) candidates.push({ t, info });
    }
  }
  candidates.sort((a, b) => a.t - b.t);
  if (candidates.length) {
    if (f.isdst !== undefined) {
      const match = candidates.find((c) => c.info.isdst === f.isdst);
      if (match) return match.t;
      // The hint contradicts the date: read the fields with the offset the hint asks for.
      const other = offsetWithDst(zone, candidates[0]!.t, f.isdst);
      if (other !== undefined) return local - other;
    }
    return candidates[0]!.t;
  }
  // In a gap: the offset before the change.
  return local - zone.at(local - zone.at(local).offset - 86400).offset;
}

/** An offset the zone uses near t with the given DST flag. */
function offsetWithDst(zone: Zone, t: number, isdst: boolean): number | undefined {
  for (let k = 1; k <= 12; k++) {
    for (const probe of [t - k * 30 * 86400, t + k * 30 * 86400]) {
      const info = zone.at(probe);
      if (info.isdst === isdst) return info.offset;
    }
  }
  return undefined;
}

// ----- zones -----

const UTC_INFO: ZoneInfo = { offset: 0, isdst: false, abbr: 'UTC' };

export class FixedZone implements Zone {
  private readonly info: ZoneInfo;
  constructor(
    readonly name: string,
    offset: number,
    abbr: string,
  ) {
    this.info = { offset, isdst: false, abbr };
  }
  at(): ZoneInfo {
    return this.info;
  }
}

export const UTC: Zone = new FixedZone('UTC', 0, 'UTC');

/** One end of a POSIX DST rule: Jn, n, or Mm.w.d, and the local time it happens at. */
interface RuleDate {
  kind: 'J' | 'n' | 'M';
  day: number;
  month: number;
  week: number;
  time: number;
}

/** A POSIX TZ rule: `std offset [dst [offset] [,start[/time],end[/time]]]`. */
export class PosixZone implements Zone {
  private readonly std: ZoneInfo;
  private readonly dst?: ZoneInfo;
  private readonly start?: RuleDate;
  private readonly end?: RuleDate;
  private readonly cache = new Map<number, [number, number]>();

  private constructor(
    readonly name: string,
    std: ZoneInfo,
    dst?: ZoneInfo,
    start?: RuleDate,
    end?: RuleDate,
  ) {
    this.std = std;
    this.dst = dst;
    this.start = start;
    this.end = end;
  }

  /** Parse a POSIX TZ string; undefined if it is not one. */
  static parse(spec: string): PosixZone | undefined {
    let i = 0;
    const name = (): string | undefined => {
      if (spec[i] === '<') {
        const close = spec.indexOf('>', i);
        if (close < 0) return undefined;
        const n = spec.slice(i + 1, close);
        i = close + 1;
        return /^[A-Za-z0-9+-]{3,}$/.test(n) ? n : undefined;
      }
      const m = /^[A-Za-z]{3,}/.exec(spec.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return m[0];
    };
    const clock = (allowSign: boolean, maxHours: number): number | undefined => {
      const m = /^([+-])?(\d{1,3})(?::(\d{1,2})(?::(\d{1,2}))?)?/.exec(spec.slice(i));
      if (!m || (m[1] && !allowSign)) return undefined;
      const h = Number(m[2]);
      if (h > maxHours) return undefined;
      i += m[0].length;
      const v = h * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
      return m[1] === '-' ? -v : v;
    };
    const stdName = name();
    if (stdName === undefined) return undefined;
    const stdWest = clock(true, 24);
    if (stdWest === undefined) return undefined;
    const std: ZoneInfo = { offset: -stdWest, isdst: false, abbr: stdName };
    if (i === spec.length) return new PosixZone(spec, std);
    const dstName = name();
    if (dstName === undefined) return undefined;
    let dstOffset = std.offset + 3600;
    if (i < spec.length && spec[i] !== ',') {
      const west = clock(true, 24);
      if (west === undefined) return undefined;
      dstOffset = -west;
    }
    const dst: ZoneInfo = { offset: dstOffset, isdst: true, abbr: dstName };
    const ruleDate = (): RuleDate | undefined => {
      let r: RuleDate;
      const rest = spec.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^J(\d{1,3})/.exec(rest))) r = { kind: 'J', day: Number(m[1]), month: 0, week: 0, time: 7200 };
      else if ((m = /^(\d{1,3})/.exec(rest))) r = { kind: 'n', day: Number(m[1]), month: 0, week: 0, time: 7200 };
      else if ((m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(rest))) r = { kind: 'M', month: Number(m[1]), week: Number(m[2]), day: Number(m[3]), time: 7200 };
      else return undefined;
      i += m[0].length;
      if (spec[i] === '/') {
        i++;
        const t = clock(true, 167);
        if (t === undefined) return undefined;
        r.time = t;
      }
      return r;
    };
    let start: RuleDate | undefined;
    let end: RuleDate | undefined;
    if (spec[i] === ',') {
      i++;
      start = ruleDate();
      if (!start || spec[i] !== ',') return undefined;
      i++;
      end = ruleDate();
      if (!end) return undefined;
    } else {
      // glibc's default when a DST name has no rule: the US rules.
      start = { kind: 'M', month: 3, week: 2, day: 0, time: 7200 };
      end = { kind: 'M', month: 11, week: 1, day: 0, time: 7200 };
    }
    if (i !== spec.length) return undefined;
    return new PosixZone(spec, std, dst, start, end);
  }

  /** The standard-time zone info (for the first instant's name etc.). */
  get standard(): ZoneInfo {
    return this.std;
  }

  at(t: number): ZoneInfo {
    if (!this.dst) return this.std;
    const year = civilFromDays(Math.floor((t + this.std.offset) / 86400)).y;
    let range = this.cache.get(year);
    if (!range) {
      // Start is in standard local time, end in daylight local time.
      range = [this.instant(year, this.start!) - this.std.offset, this.instant(year, this.end!) - this.dst.offset];
      if (this.cache.size > 64) this.cache.clear();
      this.cache.set(year, range);
    }
    const [s, e] = range;
    const inDst = s < e ? t >= s && t < e : !(t >= e && t < s);
    return inDst ? this.dst : this.std;
  }

  /** Local seconds since the epoch at which a rule date happens in `year`. */
  private instant(year: number, r: RuleDate): number {
    let days: number;
    const jan1 = daysFromCivil(year, 1, 1);
    if (r.kind === 'J') days = jan1 + r.day - 1 + (isLeapYear(year) && r.day >= 60 ? 1 : 0);
    else if (r.kind === 'n') days = jan1 + r.day;
    else {
      const first = daysFromCivil(year, r.month, 1);
      const wdayFirst = (((first + 4) % 7) + 7) % 7;
      let d = first + ((r.day - wdayFirst + 7) % 7) + (r.week - 1) * 7;
      if (r.week === 5) {
        const nextMonth = r.month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, r.month + 1, 1);
        while (d >= nextMonth) d -= 7;
      }
      days = d;
    }
    return days * 86400 + r.time;
  }
}

/** A compiled zoneinfo (TZif) file: transitions, their local-time types, and the rule after them. */
export class TzifZone implements Zone {
  private constructor(
    readonly name: string,
    private readonly times: Float64Array,
    private readonly typeOf: Uint8Array,
    private readonly types: ZoneInfo[],
    private readonly footer: Zone | undefined,
  ) {}

  static parse(name: string, data: Buffer): TzifZone | undefined {
    if (data.length < 44 || data.toString('latin1', 0, 4) !== 'TZif') return undefined;
    const version = data[4]!;
    const counts = (off: number) => ({
      isut: data.readUInt32BE(off + 20),
      isstd: data.readUInt32BE(off + 24),
      leap: data.readUInt32BE(off + 28),
      time: data.readUInt32BE(off + 32),
      type: data.readUInt32BE(off + 36),
      char: data.readUInt32BE(off + 40),
    });
    let c = counts(0);
    let off = 44;
    let timeSize = 4;
    if (version >= 0x32) {
      // Skip the 32-bit data; use the 64-bit block that follows.
      off += c.time * 4 + c.time + c.type * 6 + c.char + c.leap * 8 + c.isstd + c.isut;
      if (data.length < off + 44 || data.toString('latin1', off, off + 4) !== 'TZif') return undefined;
      c = counts(off);
      off += 44;
      timeSize = 8;
    }
    const times = new Float64Array(c.time);
    for (let k = 0; k < c.time; k++) times[k] = timeSize === 8 ? Number(data.readBigInt64BE(off + k * 8)) : data.readInt32BE(off + k * 4);
    off += c.time * timeSize;
    const typeOf = Uint8Array.from(data.subarray(off, off + c.time));
    off += c.time;
    const typeRecords: { offset: number; isdst: boolean; abbrIndex: number }[] = [];
    for (let k = 0; k < c.type; k++) {
      typeRecords.push({ offset: data.readInt32BE(off), isdst: data[off + 4] !== 0, abbrIndex: data[off + 5]! });
      off += 6;
    }
    const chars = data.toString('latin1', off, off + c.char);
    off += c.char + c.leap * (timeSize + 4) + c.isstd + c.isut;
    const types = typeRecords.map((r) => ({ offset: r.offset, isdst: r.isdst, abbr: chars.slice(r.abbrIndex, chars.indexOf('\0', r.abbrIndex) >>> 0 || undefined) }));
    if (types.length === 0) return undefined;
    let footer: Zone | undefined;
    if (version >= 0x32 && data[off] === 0x0a) {
      const nl = data.indexOf(0x0a, off + 1);
      const spec = data.toString('latin1', off + 1, nl < 0 ? data.length : nl);
      if (spec) footer = PosixZone.parse(spec);
    }
    return new TzifZone(name, times, typeOf, types, footer);
  }

  at(t: number): ZoneInfo {
    const times = this.times;
    const n = times.length;
    if (n === 0 || t < times[0]!) {
      if (n === 0 && this.footer) return this.footer.at(t);
      return this.types[0]!;
    }
    if (t >= times[n - 1]! && this.footer) return this.footer.at(t);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return this.types[this.typeOf[lo]!]!;
  }
}

const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-CA', 'en-NZ', 'en-ZA', 'en-SG', 'en-IE'];

/** A zone from the runtime's own time-zone database (Intl), for an IANA name with no zoneinfo file. */
export class IntlZone implements Zone {
  private readonly parts: Intl.DateTimeFormat;
  private readonly names: (Intl.DateTimeFormat | undefined)[] = [];
  private readonly cache = new Map<number, ZoneInfo>();

  constructor(readonly name: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  }

  static tryCreate(name: string): IntlZone | undefined {
    try {
      return new IntlZone(name);
    } catch {
      return undefined;
    }
  }

  at(t: number): ZoneInfo {
    // Offsets change on quarter hours at most: cache by quarter hour.
    const key = Math.floor(t / 900);
    let info = this.cache.get(key);
    if (info) return info;
    const offset = this.offsetAt(t);
    const jan = this.offsetAt(Math.floor(t / 31556952) * 31556952);
    const jul = this.offsetAt(Math.floor(t / 31556952) * 31556952 + 15778476);
    const isdst = offset > Math.min(jan, jul);
    info = { offset, isdst, abbr: this.abbreviation(t, offset) };
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(key, info);
    return info;
  }

  private offsetAt(t: number): number {
    const ms = Math.max(-8.64e15, Math.min(8.64e15, t * 1000));
    const p: Record<string, string> = {};
    for (const part of this.parts.formatToParts(ms)) p[part.type] = part.value;
    let year = Number(p.year);
    if (p.era === 'BC' || p.era === 'B') year = 1 - year;
    const local = daysFromCivil(year, Number(p.month), Number(p.day)) * 86400 + Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second);
    return local - Math.floor(ms / 1000);
  }

  private abbreviation(t: number, offset: number): string {
    // ICU knows a zone's customary abbreviation only in locales where it is customary.
    for (const [k, locale] of ABBREVIATION_LOCALES.entries()) {
      this.names[k] ??= new Intl.DateTimeFormat(locale, { timeZone: this.name, timeZoneName: 'short' });
      const name = this.names[k]!.formatToParts(t * 1000).find((part) => part.type === 'timeZoneName')?.value ?? '';
      if (/^[A-Z]{3,5}$/.test(name) && (name !== 'GMT' || offset === 0)) return name;
    }
    // tzdata's numeric style for zones without a customary abbreviation: +03, +0530
    const sign = offset < 0 ? '-' : '+';
    const a = Math.abs(offset);
    const hh = String(Math.floor(a / 3600)).padStart(2, '0');
    const mm = Math.floor((a % 3600) / 60);
    return `${sign}${hh}${mm ? String(mm).padStart(2, '0') : ''}`;
  }
}

const zoneCache = new Map<string, Zone>();

/** The zone TZ names (undefined: the system's, from /etc/localtime). `env` gives TZDIR. */
export function loadZone(tz: string | undefined, env?: { get(name: string): string | undefined }): Zone {
  const key = `${tz === undefined ? '\0' : tz}\0${env?.get('TZDIR') ?? ''}`;
  let zone = zoneCache.get(key);
  if (!zone) {
    zone = resolveZone(tz, env?.get('TZDIR') || '/usr/share/zoneinfo');
    zoneCache.set(key, zone);
  }
  return zone;
}

/** The zone a context's environment selects (TZ, TZDIR). */
export function zoneFromEnv(env: { get(name: string): string | undefined }): Zone {
  return loadZone(env.get('TZ'), env);
}

function readTzif(file: string, name: string): Zone | undefined {
  try {
    return TzifZone.parse(name, fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

function resolveZone(tz: string | undefined, tzdir: string): Zone {
  if (tz === undefined) return readTzif('/etc/localtime', 'localtime') ?? fromLocaltimeLink() ?? UTC;
  let spec = tz.startsWith(':') ? tz.slice(1) : tz;
  if (spec === '') return UTC;
  if (spec.startsWith('/')) {
    const z = readTzif(spec, spec);
    if (z) return z;
  } else if (!spec.split('/').includes('..')) {
    const z = readTzif(`${tzdir}/${spec}`, spec);
    if (z) return z;
  }
  const posix = PosixZone.parse(spec);
  if (posix) return posix;
  const intl = /^[A-Za-z][A-Za-z0-9_+/-]*$/.test(spec) ? IntlZone.tryCreate(spec) : undefined;
  if (intl) return intl;
  // glibc: an unusable TZ is UTC, named by its leading letters.
  spec = /^[A-Za-z]*/.exec(spec)![0];
  return new FixedZone(tz, 0, spec || 'UTC');
}

/** /etc/localtime as a link into a zoneinfo tree the file system lacks: its name, through Intl. */
function fromLocaltimeLink(): Zone | undefined {
  try {
    const target = fs.readlinkSync('/etc/localtime');
    const m = /zoneinfo\/(.+)$/.exec(target);
    return m ? IntlZone.tryCreate(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}

// ----- now -----

/** The current time as seconds and nanoseconds (microsecond resolution). */
export function now(): { sec: number; nsec: number } {
  const ms = performance.timeOrigin + performance.now();
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.min(999999999, Math.round((ms - sec * 1000) * 1e6)) };
}

// ----- strftime -----

// Conversions only %c and %x use: the year as the C library prints it (unpadded; 00–99).
// Outside the byte range, so no format string can contain them.
const GLIBC_YEAR = '\u0100';
const GLIBC_YY = '\u0101';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** English month abbreviations (the C locale's). */
export const MONTH_ABBR = MONTHS.map((m) => m.slice(0, 3));
/** English weekday abbreviations (the C locale's). */
export const DAY_ABBR = DAYS.map((d) => d.slice(0, 3));

/** glibc's own rendering of %Ec-style and %Od-style conversions in the C locale, or undefined
 *  where gnulib formats it itself (or rejects it). */
function libcModified(conv: string, modifier: string, tm: Tm): string | undefined {
  const two = (n: number) => String(n).padStart(2, '0');
  const glibcYY = () => two((((tm.year - 1900) % 100) + 100) % 100);
  if (modifier === 'E') {
    if (conv === 'C') return String(Math.floor(tm.year / 100));
    if (conv === 'y') return glibcYY();
    if (conv === 'Y') return String(tm.year);
    return undefined;
  }
  switch (conv) {
    case 'd':
    case 'H':
    case 'M':
    case 'S':
    case 'm':
    case 'U':
    case 'W':
    case 'V':
    case 'I':
    case 'e':
    case 'k':
    case 'l':
    case 'j':
    case 'u':
    case 'w': {
      const plain = formatTime(`%${conv}`, tm, 0, false, '', -1);
      return plain;
    }
    case 'y':
      return glibcYY();
    case 'C':
      return tm.year < 0 ? undefined : String(Math.floor(tm.year / 100));
    case 'G':
    case 'g':
      return tm.year < 1 ? undefined : formatTime(`%${conv}`, tm, 0, false, '', -1);
    default:
      return undefined;
  }
}

/** The number of the first ISO week's days before `yday` (gnulib's iso_week_days). */
function isoWeekDays(yday: number, wday: number): number {
  const big = (Math.floor(366 / 7) + 2) * 7;
  return yday - ((yday - wday + 4 + big) % 7) + 3;
}

/**
 * GNU strftime (gnulib nstrftime, as coreutils 9.1 has it) in the C locale: every conversion,
 * the flags `_ - 0 + ^ #`, field widths, the E and O modifiers, %N for the nanoseconds `ns`,
 * %:z %::z %:::z, and unknown conversions copied as written.
 */
export function strftime(format: string, tm: Tm, ns = 0): string {
  return formatTime(format, tm, ns, false, '', -1);
}

function formatTime(format: string, tm: Tm, ns: number, upcase: boolean, yrSpec: string, outerWidth: number): string {
  let out = '';
  const hour12 = tm.hour % 12 === 0 ? 12 : tm.hour % 12;
  for (let fi = 0; fi < format.length; fi++) {
    const ch = format[fi]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const specStart = fi;
    let pad = '';
    let toUpper = upcase;
    let toLower = false;
    let changeCase = false;
    for (;;) {
      const f = format[fi + 1];
      if (f === '_' || f === '-' || f === '+' || f === '0') pad = f;
      else if (f === '^') toUpper = true;
      else if (f === '#') changeCase = true;
      else break;
      fi++;
    }
    // A subformat's width (%10F) applies to its first conversion only, as in gnulib.
    let width = outerWidth;
    outerWidth = -1;
    if (/\d/.test(format[fi + 1] ?? '')) {
      width = 0;
      while (/\d/.test(format[fi + 1] ?? '')) width = Math.min(width * 10 + Number(format[++fi]), 0x7fffffff);
    }
    let modifier = '';
    if (format[fi + 1] === 'E' || format[fi + 1] === 'O') modifier = format[++fi]!;
    fi++;
    const conv = format[fi];

    // Emitters, with gnulib's width and padding rules.
    const addText = (text: string) => {
      const w = pad === '-' || width < 0 ? 0 : width;
      const fill = text.length < w ? (pad === '0' || pad === '+' ? '0' : ' ').repeat(w - text.length) : '';
      let s = text;
      if (toLower) s = s.toLowerCase();
      else if (toUpper) s = s.toUpperCase();
      out += fill + s;
    };
    const badFormat = (widthBias = 0) => {
      const end = conv === undefined ? format.length : fi + 1;
      const spec = format.slice(specStart, end);
      const w = pad === '-' || width < 0 ? 0 : width + widthBias;
      out += spec.length < w ? (pad === '0' || pad === '+' ? '0' : ' ').repeat(w - spec.length) + spec : spec;
      if (conv === undefined) fi = format.length;
    };
    const number = (
      digits: number,
      value: number,
      opts: { spacePad?: boolean; yearish?: boolean; sign?: boolean; colonMask?: number; negative?: boolean } = {},
    ) => {
      let p = pad;
      if (opts.spacePad && p === '') p = '_';
      if (opts.yearish && p === '') p = yrSpec;
      const negative = opts.negative ?? value < 0;
      let alwaysSign = !!opts.sign;
      if (opts.yearish) alwaysSign = p === '+' && ((digits === 2 ? 99 : 9999) < Math.abs(value) || digits < width);
      let u = Math.abs(value);
      let mask = opts.colonMask ?? 0;
      let num = '';
      do {
        if (mask & 1) num = `:${num}`;
        mask >>= 1;
        num = String(u % 10) + num;
        u = Math.floor(u / 10);
      } while (u !== 0 || mask !== 0);
      if (p === '') p = '0';
      let w = width < 0 ? digits : width;
      const signChar = negative ? '-' : alwaysSign ? '+' : '';
      const shortage = w - (signChar ? 1 : 0) - num.length;
      const padding = p === '-' || shortage <= 0 ? 0 : shortage;
      let s = '';
      if (signChar) {
        if (p === '_') {
          s += ' '.repeat(padding);
          w -= padding;
        }
        s += signChar;
        w--;
      }
      const fillWidth = p === '-' || w < 0 ? 0 : w;
      s += num.length < fillWidth ? (p === '0' || p === '+' ? '0' : ' ').repeat(fillWidth - num.length) + num : num;
      out += s;
    };
    // A composite (%D %F %R %T): the width pads the whole; %F also passes a width to its year.
    const sub = (subfmt: string, subWidth = -1, subPad = pad) => {
      const text = formatTime(subfmt, tm, ns, toUpper, subPad, subWidth);
      const w = pad === '-' || width < 0 ? 0 : width;
      out += text.length < w ? (pad === '0' || pad === '+' ? '0' : ' ').repeat(w - text.length) + text : text;
    };
    // What gnulib leaves to the C library's strftime (%c %x %X %r): its width pads the whole text.
    const libc = (subfmt: string) => addText(formatTime(subfmt, tm, ns, toUpper, '', -1));

    // E and O hand the conversion to the C library (gnulib has no locale data of its own): in the
    // C locale that is the plain conversion, unflagged, with the width padding the result.
    if (modifier && conv !== undefined) {
      const alt = libcModified(conv, modifier, tm);
      if (alt !== undefined) {
        addText(alt);
        continue;
      }
    }

    switch (conv) {
      case '%':
        // coreutils 9.1 takes only a bare %%; with flags, a width or a modifier it is copied.
        if (fi - specStart > 1) badFormat(1);
        else out += '%';
        break;
      case 'a':
      case 'A':
        if (modifier) badFormat();
        else {
          if (changeCase) toUpper = true;
          addText(conv === 'a' ? DAY_ABBR[tm.wday]! : DAYS[tm.wday]!);
        }
        break;
      case 'b':
      case 'h':
      case 'B':
        if (modifier === 'E') badFormat();
        else {
          if (changeCase) toUpper = true;
          addText(conv === 'B' ? MONTHS[tm.mon]! : MONTH_ABBR[tm.mon]!);
        }
        break;
      case 'c':
        if (modifier === 'O') badFormat();
        else libc(`%a %b %e %H:%M:%S %${GLIBC_YEAR}`);
        break;
      case 'C': {
        // As gnulib computes it from tm_year (year - 1900), with C's truncating division.
        const tmYear = tm.year - 1900;
        let century = Math.trunc(tmYear / 100) + 19;
        if (tmYear % 100 < 0 && century > 0) century--;
        number(2, century, { yearish: true, negative: tm.year < 0 });
        break;
      }
      case 'x':
        if (modifier === 'O') badFormat();
        else libc(`%m/%d/%${GLIBC_YY}`);
        break;
      case 'D':
        if (modifier) badFormat();
        else sub('%m/%d/%y');
        break;
      case 'd':
        if (modifier === 'E') badFormat();
        else number(2, tm.mday);
        break;
      case 'e':
        if (modifier === 'E') badFormat();
        else number(2, tm.mday, { spacePad: true });
        break;
      case 'F':
        if (modifier) badFormat();
        else if (pad === '' && width < 0) sub('%Y-%m-%d', 4, '+');
        else sub('%Y-%m-%d', Math.max(0, width - 6));
        break;
      case 'H':
        if (modifier === 'E') badFormat();
        else number(2, tm.hour);
        break;
      case 'I':
        if (modifier === 'E') badFormat();
        else number(2, hour12);
        break;
      case 'k':
        if (modifier === 'E') badFormat();
        else number(2, tm.hour, { spacePad: true });
        break;
      case 'l':
        if (modifier === 'E') badFormat();
        else number(2, hour12, { spacePad: true });
        break;
      case 'j':
        if (modifier === 'E') badFormat();
        else number(3, tm.yday + 1);
        break;
      case 'M':
        if (modifier === 'E') badFormat();
        else number(2, tm.min);
        break;
      case 'm':
        if (modifier === 'E') badFormat();
        else number(2, tm.mon + 1);
        break;
      case 'N': {
        if (modifier === 'E') {
          badFormat();
          break;
        }
        if (width <= 0) {
          // No width: all nine digits, whatever the flags.
          out += String(ns).padStart(9, '0');
          break;
        }
        let n = ns;
        let ndigs = 9;
        while (width < ndigs || (ndigs > 1 && n % 10 === 0)) {
          ndigs--;
          n = Math.floor(n / 10);
        }
        const digitsText = String(n).padStart(ndigs, '0');
        const fill = pad === '-' ? '' : (pad === '_' ? ' ' : '0').repeat(Math.max(0, width - ndigs));
        out += digitsText + fill;
        break;
      }
      case 'n':
        addText('\n');
        break;
      case 'P':
      case 'p':
        if (conv === 'P' || changeCase) {
          toLower = true;
          toUpper = false;
        }
        addText(tm.hour > 11 ? 'PM' : 'AM');
        break;
      case 'q':
        number(1, Math.floor((tm.mon * 11) / 32) + 1);
        break;
      case 'R':
        sub('%H:%M');
        break;
      case 'r':
        libc('%I:%M:%S %p');
        break;
      case 'S':
        if (modifier === 'E') badFormat();
        else number(2, tm.sec);
        break;
      case 's':
        number(1, tm.t);
        break;
      case 'X':
        if (modifier === 'O') badFormat();
        else libc('%H:%M:%S');
        break;
      case GLIBC_YEAR:
        out += String(tm.year);
        break;
      case GLIBC_YY:
        out += String((((tm.year - 1900) % 100) + 100) % 100).padStart(2, '0');
        break;
      case 'T':
        sub('%H:%M:%S');
        break;
      case 't':
        addText('\t');
        break;
      case 'u':
        number(1, ((tm.wday + 6) % 7) + 1);
        break;
      case 'U':
        if (modifier === 'E') badFormat();
        else number(2, Math.floor((tm.yday - tm.wday + 7) / 7));
        break;
      case 'V':
      case 'g':
      case 'G': {
        if (modifier === 'E') {
          badFormat();
          break;
        }
        let yearAdjust = 0;
        let days = isoWeekDays(tm.yday, tm.wday);
        if (days < 0) {
          yearAdjust = -1;
          days = isoWeekDays(tm.yday + (365 + (isLeapYear(tm.year - 1) ? 1 : 0)), tm.wday);
        } else {
          const d = isoWeekDays(tm.yday - (365 + (isLeapYear(tm.year) ? 1 : 0)), tm.wday);
          if (d >= 0) {
            yearAdjust = 1;
            days = d;
          }
        }
        const isoYear = tm.year + yearAdjust;
        if (conv === 'g') {
          const tmYear = tm.year - 1900;
          const yy = ((tmYear % 100) + yearAdjust) % 100;
          number(2, yy >= 0 ? yy : tmYear < -1900 - yearAdjust ? -yy : yy + 100, { yearish: true });
        } else if (conv === 'G') number(4, isoYear, { yearish: true });
        else number(2, Math.floor(days / 7) + 1);
        break;
      }
      case 'W':
        if (modifier === 'E') badFormat();
        else number(2, Math.floor((tm.yday - ((tm.wday + 6) % 7) + 7) / 7));
        break;
      case 'w':
        if (modifier === 'E') badFormat();
        else number(1, tm.wday);
        break;
      case 'Y':
        if (modifier === 'O') badFormat();
        else number(4, tm.year, { yearish: true });
        break;
      case 'y': {
        let yy = (tm.year - 1900) % 100;
        if (yy < 0) yy = tm.year < 0 ? -yy : yy + 100;
        number(2, yy, { yearish: true });
        break;
      }
      case 'Z':
        if (changeCase) {
          toUpper = false;
          toLower = true;
        }
        addText(tm.zone);
        break;
      case ':':
      case 'z': {
        let colons = 0;
        if (conv === ':') {
          let k = fi;
          while (format[k] === ':') k++;
          colons = k - fi;
          if (format[k] !== 'z') {
            badFormat();
            break;
          }
          fi = k;
          if (colons > 3) {
            badFormat();
            break;
          }
        }
        const diff = tm.gmtoff;
        const negative = diff < 0 || (diff === 0 && tm.zone.startsWith('-'));
        const a = Math.abs(diff);
        const hh = Math.floor(a / 3600);
        const mm = Math.floor(a / 60) % 60;
        const ss = a % 60;
        const tz = (digits: number, mask: number, value: number) => number(digits, value, { sign: true, colonMask: mask, negative });
        let c = colons;
        if (c === 3) c = ss ? 2 : mm ? 1 : 3;
        if (c === 0) tz(5, 0, hh * 100 + mm);
        else if (c === 1) tz(6, 4, hh * 100 + mm);
        else if (c === 2) tz(9, 0o24, hh * 10000 + mm * 100 + ss);
        else tz(3, 0, hh);
        break;
      }
      case undefined:
        badFormat();
        break;
      default:
        badFormat();
    }
  }
  return out;
}
