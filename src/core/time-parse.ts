// GNU date strings (gnulib parse-datetime), for date -d, touch -d, find -newermt and friends:
// "2024-01-02 03:04:05", "2024-01-02T03:04:05Z", "@1700000000.5", "Jan 2 2024", "2 Jan 2024",
// "1/2/2024", "17-JUN-1992", "Sun, 29 Feb 2004 16:21:42 -0800", "now", "yesterday", "tomorrow",
// "3 days ago", "+2 weeks", "next monday", "last year", "noon"-free GNU wording, time zones
// (UTC, EST, +0100, military letters, TZ="Europe/Paris" prefix), "(comments)".
//
// The grammar is GNU's bison grammar, parsed greedily the way bison resolves its conflicts (shift),
// so odd inputs such as "10:30 +2 days" (the +2 is a zone) mean what they mean to GNU date.
import { FixedZone, loadZone, localtime, mktime, type Tm, type Zone } from './time.js';

export interface Timespec {
  sec: number;
  nsec: number;
}

type Tok =
  | { k: 'UNUM' | 'SNUM'; v: number; digits: number; negative: boolean }
  | { k: 'UDEC' | 'SDEC'; sec: number; nsec: number }
  | { k: 'MERIDIAN' | 'MONTH' | 'DAY' | 'ZONE' | 'DAYZONE' | 'LOCAL_ZONE' | 'DAY_UNIT' | 'DAY_SHIFT' | 'ORDINAL' | 'AGO'; v: number }
  | { k: 'DST' | 'YEAR_UNIT' | 'MONTH_UNIT' | 'HOUR_UNIT' | 'MINUTE_UNIT' | 'SEC_UNIT' | 'J' | 'T' | 'END' }
  | { k: 'CHAR'; c: string };

const MER_AM = 0;
const MER_PM = 1;
const MER_24 = 2;
const HOUR = 3600;

const MERIDIANS: Record<string, number> = { AM: MER_AM, 'A.M.': MER_AM, PM: MER_PM, 'P.M.': MER_PM };
const MONTHS_AND_DAYS: [string, 'MONTH' | 'DAY', number][] = [
  ['JANUARY', 'MONTH', 1],
  ['FEBRUARY', 'MONTH', 2],
  ['MARCH', 'MONTH', 3],
  ['APRIL', 'MONTH', 4],
  ['MAY', 'MONTH', 5],
  ['JUNE', 'MONTH', 6],
  ['JULY', 'MONTH', 7],
  ['AUGUST', 'MONTH', 8],
  ['SEPTEMBER', 'MONTH', 9],
  ['SEPT', 'MONTH', 9],
  ['OCTOBER', 'MONTH', 10],
  ['NOVEMBER', 'MONTH', 11],
  ['DECEMBER', 'MONTH', 12],
  ['SUNDAY', 'DAY', 0],
  ['MONDAY', 'DAY', 1],
  ['TUESDAY', 'DAY', 2],
  ['TUES', 'DAY', 2],
  ['WEDNESDAY', 'DAY', 3],
  ['WEDNES', 'DAY', 3],
  ['THURSDAY', 'DAY', 4],
  ['THUR', 'DAY', 4],
  ['THURS', 'DAY', 4],
  ['FRIDAY', 'DAY', 5],
  ['SATURDAY', 'DAY', 6],
];
const TIME_UNITS: Record<string, Tok> = {
  YEAR: { k: 'YEAR_UNIT' },
  MONTH: { k: 'MONTH_UNIT' },
  FORTNIGHT: { k: 'DAY_UNIT', v: 14 },
  WEEK: { k: 'DAY_UNIT', v: 7 },
  DAY: { k: 'DAY_UNIT', v: 1 },
  HOUR: { k: 'HOUR_UNIT' },
  MINUTE: { k: 'MINUTE_UNIT' },
  MIN: { k: 'MINUTE_UNIT' },
  SECOND: { k: 'SEC_UNIT' },
  SEC: { k: 'SEC_UNIT' },
};
const RELATIVE: Record<string, Tok> = {
  TOMORROW: { k: 'DAY_SHIFT', v: 1 },
  YESTERDAY: { k: 'DAY_SHIFT', v: -1 },
  TODAY: { k: 'DAY_SHIFT', v: 0 },
  NOW: { k: 'DAY_SHIFT', v: 0 },
  LAST: { k: 'ORDINAL', v: -1 },
  THIS: { k: 'ORDINAL', v: 0 },
  NEXT: { k: 'ORDINAL', v: 1 },
  FIRST: { k: 'ORDINAL', v: 1 },
  THIRD: { k: 'ORDINAL', v: 3 },
  FOURTH: { k: 'ORDINAL', v: 4 },
  FIFTH: { k: 'ORDINAL', v: 5 },
  SIXTH: { k: 'ORDINAL', v: 6 },
  SEVENTH: { k: 'ORDINAL', v: 7 },
  EIGHTH: { k: 'ORDINAL', v: 8 },
  NINTH: { k: 'ORDINAL', v: 9 },
  TENTH: { k: 'ORDINAL', v: 10 },
  ELEVENTH: { k: 'ORDINAL', v: 11 },
  TWELFTH: { k: 'ORDINAL', v: 12 },
  AGO: { k: 'AGO', v: -1 },
  HENCE: { k: 'AGO', v: 1 },
};
const UNIVERSAL_ZONES: Record<string, number> = { GMT: 0, UT: 0, UTC: 0 };
const ZONES: [string, 'ZONE' | 'DAYZONE', number][] = [
  ['WET', 'ZONE', 0],
  ['WEST', 'DAYZONE', 0],
  ['BST', 'DAYZONE', 0],
  ['ART', 'ZONE', -3 * HOUR],
  ['BRT', 'ZONE', -3 * HOUR],
  ['BRST', 'DAYZONE', -3 * HOUR],
  ['NST', 'ZONE', -(3 * HOUR + 1800)],
  ['NDT', 'DAYZONE', -(3 * HOUR + 1800)],
  ['AST', 'ZONE', -4 * HOUR],
  ['ADT', 'DAYZONE', -4 * HOUR],
  ['CLT', 'ZONE', -4 * HOUR],
  ['CLST', 'DAYZONE', -4 * HOUR],
  ['EST', 'ZONE', -5 * HOUR],
  ['EDT', 'DAYZONE', -5 * HOUR],
  ['CST', 'ZONE', -6 * HOUR],
  ['CDT', 'DAYZONE', -6 * HOUR],
  ['MST', 'ZONE', -7 * HOUR],
  ['MDT', 'DAYZONE', -7 * HOUR],
  ['PST', 'ZONE', -8 * HOUR],
  ['PDT', 'DAYZONE', -8 * HOUR],
  ['AKST', 'ZONE', -9 * HOUR],
  ['AKDT', 'DAYZONE', -9 * HOUR],
  ['HST', 'ZONE', -10 * HOUR],
  ['HAST', 'ZONE', -10 * HOUR],
  ['HADT', 'DAYZONE', -10 * HOUR],
  ['SST', 'ZONE', -12 * HOUR],
  ['WAT', 'ZONE', HOUR],
  ['CET', 'ZONE', HOUR],
  ['CEST', 'DAYZONE', HOUR],
  ['MET', 'ZONE', HOUR],
  ['MEZ', 'ZONE', HOUR],
  ['MEST', 'DAYZONE', HOUR],
  ['MESZ', 'DAYZONE', HOUR],
  ['EET', 'ZONE', 2 * HOUR],
  ['EEST', 'DAYZONE', 2 * HOUR],
  ['CAT', 'ZONE', 2 * HOUR],
  ['SAST', 'ZONE', 2 * HOUR],
  ['EAT', 'ZONE', 3 * HOUR],
  ['MSK', 'ZONE', 3 * HOUR],
  ['MSD', 'DAYZONE', 3 * HOUR],
  ['IST', 'ZONE', 5 * HOUR + 1800],
  ['SGT', 'ZONE', 8 * HOUR],
  ['KST', 'ZONE', 9 * HOUR],
  ['JST', 'ZONE', 9 * HOUR],
  ['GST', 'ZONE', 10 * HOUR],
  ['NZST', 'ZONE', 12 * HOUR],
  ['NZDT', 'DAYZONE', 12 * HOUR],
];
// Military zones (letters other than J, local time, and T, the ISO date/time separator).
function militaryOffset(letter: string): number {
  const c = letter.charCodeAt(0);
  if (letter === 'Z') return 0;
  if (c <= 73) return (c - 64) * HOUR; // A–I: +1..+9
  if (c <= 77) return (c - 65) * HOUR; // K–M: +10..+12
  return -(c - 77) * HOUR; // N–Y: -1..-12
}

type LocalZones = { name: string; isdst: number }[];

function lookupZone(word: string, local: LocalZones): Tok | undefined {
  if (word in UNIVERSAL_ZONES) return { k: 'ZONE', v: UNIVERSAL_ZONES[word]! };
  const l = local.find((z) => z.name === word);
  if (l) return { k: 'LOCAL_ZONE', v: l.isdst };
  const z = ZONES.find(([n]) => n === word);
  return z ? { k: z[1], v: z[2] } : undefined;
}

function lookupWord(raw: string, local: LocalZones): Tok | undefined {
  let word = raw.toUpperCase();
  if (word in MERIDIANS) return { k: 'MERIDIAN', v: MERIDIANS[word]! };
  const abbrev = word.length === 3 || (word.length === 4 && word[3] === '.');
  const md = MONTHS_AND_DAYS.find(([n]) => (abbrev ? n.startsWith(word.slice(0, 3)) : n === word));
  if (md) return { k: md[1], v: md[2] };
  const zone = lookupZone(word, local);
  if (zone) return zone;
  if (word === 'DST') return { k: 'DST' };
  if (word in TIME_UNITS) return TIME_UNITS[word];
  if (word.endsWith('S') && word.slice(0, -1) in TIME_UNITS) return TIME_UNITS[word.slice(0, -1)];
  if (word in RELATIVE) return RELATIVE[word];
  if (word.length === 1) {
    // coreutils 9.1's parser has no J (local time) military zone: the word is unknown there.
    if (word === 'J') return undefined;
    if (word === 'T') return { k: 'T' };
    if (/[A-Z]/.test(word)) return { k: 'ZONE', v: militaryOffset(word) };
  }
  if (word.includes('.')) {
    word = word.replace(/\./g, '');
    const z = lookupZone(word, local);
    if (z) return z;
  }
  return undefined;
}

const isSpace = (c: string | undefined) => c !== undefined && (c === ' ' || (c >= '\t' && c <= '\r'));
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) => c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));

function tokenize(input: string, local: LocalZones): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  for (;;) {
    while (isSpace(input[i])) i++;
    const c = input[i];
    if (c === undefined) {
      toks.push({ k: 'END' });
      return toks;
    }
    if (isDigit(c) || c === '-' || c === '+') {
      let sign = 0;
      let p = i;
      if (c === '-' || c === '+') {
        sign = c === '-' ? -1 : 1;
        p++;
        while (isSpace(input[p])) p++;
        i = p;
        if (!isDigit(input[p])) continue; // a lone sign is skipped
      }
      const start = p;
      while (isDigit(input[p])) p++;
      const digitsText = input.slice(start, p);
      const value = Number(digitsText);
      if ((input[p] === '.' || input[p] === ',') && isDigit(input[p + 1])) {
        let q = p + 1;
        let frac = input.slice(q, q + 9);
        frac = frac.replace(/\D.*$/, '');
        q += frac.length;
        let ns = Number(frac.padEnd(9, '0'));
        // Excess digits truncate toward -infinity.
        let excess = false;
        while (isDigit(input[q])) {
          if (input[q] !== '0') excess = true;
          q++;
        }
        let s = sign < 0 ? -value : value;
        if (sign < 0) {
          if (excess) ns++;
          if (ns) {
            s -= 1;
            ns = 1e9 - ns;
          }
        }
        toks.push({ k: sign ? 'SDEC' : 'UDEC', sec: s, nsec: ns });
        i = q;
      } else {
        toks.push({ k: sign ? 'SNUM' : 'UNUM', v: sign < 0 ? -value : value, digits: p - start, negative: sign < 0 });
        i = p;
      }
      continue;
    }
    if (isAlpha(c)) {
      let p = i;
      while (isAlpha(input[p]) || input[p] === '.') p++;
      const word = input.slice(i, p).slice(0, 19);
      i = p;
      const tok = lookupWord(word, local);
      if (!tok) return [...toks, { k: 'CHAR', c: '?' }];
      toks.push(tok);
      continue;
    }
    if (c !== '(') {
      toks.push({ k: 'CHAR', c });
      i++;
      continue;
    }
    let depth = 0;
    do {
      const d = input[i++];
      if (d === undefined) {
        toks.push({ k: 'END' });
        return toks;
      }
      if (d === '(') depth++;
      else if (d === ')') depth--;
    } while (depth !== 0);
  }
}

interface Rel {
  year: number;
  month: number;
  day: number;
  hour: number;
  minutes: number;
  seconds: number;
  ns: number;
}

interface Parsed {
  timespecSeen: boolean;
  seconds: Timespec;
  year: { value: number; digits: number };
  month: number;
  day: number;
  hour: number;
  minutes: number;
  meridian: number;
  timeZone: number;
  localIsdst: number;
  dayOrdinal: number;
  dayNumber: number;
  rel: Rel;
  relsSeen: boolean;
  datesSeen: number;
  daysSeen: number;
  timesSeen: number;
  jZonesSeen: number;
  localZonesSeen: number;
  dstsSeen: number;
  zonesSeen: number;
}

class ParseError extends Error {}

const UNITS = new Set(['YEAR_UNIT', 'MONTH_UNIT', 'DAY_UNIT', 'HOUR_UNIT', 'MINUTE_UNIT', 'SEC_UNIT']);

function parseTokens(toks: Tok[], pc: Parsed): void {
  let pos = 0;
  const peek = (n = 0) => toks[pos + n]!;
  const next = () => toks[pos++]!;
  const fail: () => never = () => {
    throw new ParseError();
  };
  const isChar = (t: Tok, c: string) => t.k === 'CHAR' && t.c === c;
  const num = (t: Tok) => t as Extract<Tok, { k: 'UNUM' | 'SNUM' }>;
  const val = (t: Tok) => (t as { v: number }).v;

  const relUnit = (unit: Tok, n: number): Rel => {
    const r: Rel = { year: 0, month: 0, day: 0, hour: 0, minutes: 0, seconds: 0, ns: 0 };
    switch (unit.k) {
      case 'YEAR_UNIT':
        r.year = n;
        break;
      case 'MONTH_UNIT':
        r.month = n;
        break;
      case 'DAY_UNIT':
        r.day = n * val(unit);
        break;
      case 'HOUR_UNIT':
        r.hour = n;
        break;
      case 'MINUTE_UNIT':
        r.minutes = n;
        break;
      case 'SEC_UNIT':
        r.seconds = n;
        break;
      default:
        fail();
    }
    return r;
  };
  const applyRel = (r: Rel, factor: number) => {
    for (const k of ['year', 'month', 'day', 'hour', 'minutes', 'seconds', 'ns'] as const) pc.rel[k] += factor * r[k];
    pc.relsSeen = true;
  };
  /** rel: relunit [AGO] */
  const relWithAgo = (r: Rel) => {
    if (peek().k === 'AGO') applyRel(r, val(next()));
    else applyRel(r, 1);
  };
  const timeZoneHhmm = (s: Extract<Tok, { k: 'UNUM' | 'SNUM' }>, mm: number): void => {
    let value = s.v;
    if (s.digits <= 2 && mm < 0) value *= 100;
    let minutes: number;
    if (mm < 0) minutes = Math.trunc(value / 100) * 60 + (value % 100);
    else minutes = value * 60 + (s.negative ? -mm : mm);
    if (!(minutes >= -24 * 60 && minutes <= 24 * 60)) fail();
    pc.timeZone = minutes * 60;
  };
  const oColonMinutes = (): number => {
    if (isChar(peek(), ':') && peek(1).k === 'UNUM') {
      next();
      return num(next()).v;
    }
    if (isChar(peek(), ':')) fail();
    return -1;
  };
  const zoneOffset = () => {
    const s = num(next());
    pc.zonesSeen++;
    timeZoneHhmm(s, oColonMinutes());
  };
  const setHhmmss = (h: number, m: number, s: Timespec) => {
    pc.hour = h;
    pc.minutes = m;
    pc.seconds = s;
  };
  const unsignedSeconds = (): Timespec => {
    const t = next();
    if (t.k === 'UDEC') return { sec: t.sec, nsec: t.nsec };
    if (t.k === 'UNUM') return { sec: t.v, nsec: 0 };
    return fail();
  };
  /** After `UNUM ':'`: the rest of a time of day, with a meridian or an optional zone offset. */
  const timeAfterColon = (hour: number, iso: boolean) => {
    const m = next();
    if (m.k !== 'UNUM') fail();
    let secs: Timespec = { sec: 0, nsec: 0 };
    if (isChar(peek(), ':')) {
      next();
      secs = unsignedSeconds();
    }
    setHhmmss(hour, num(m).v, secs);
    if (!iso && peek().k === 'MERIDIAN') {
      pc.meridian = val(next());
      return;
    }
    pc.meridian = MER_24;
    if (peek().k === 'SNUM') zoneOffset();
  };
  /** iso_8601_time: UNUM zone_offset | UNUM ':' UNUM [':' seconds] [zone_offset] */
  const isoTime = () => {
    const h = next();
    if (h.k !== 'UNUM') fail();
    if (isChar(peek(), ':')) {
      next();
      timeAfterColon(num(h).v, true);
    } else if (peek().k === 'SNUM') {
      setHhmmss(num(h).v, 0, { sec: 0, nsec: 0 });
      pc.meridian = MER_24;
      zoneOffset();
    } else fail();
  };
  const digitsToDateTime = (n: Extract<Tok, { k: 'UNUM' | 'SNUM' }>) => {
    if (pc.datesSeen && !pc.year.digits && !pc.relsSeen && (pc.timesSeen || n.digits > 2)) {
      pc.year = { value: n.v, digits: n.digits };
    } else if (n.digits > 4) {
      pc.datesSeen++;
      pc.day = n.v % 100;
      pc.month = Math.floor(n.v / 100) % 100;
      pc.year = { value: Math.floor(n.v / 10000), digits: n.digits - 4 };
    } else {
      pc.timesSeen++;
      if (n.digits <= 2) {
        pc.hour = n.v;
        pc.minutes = 0;
      } else {
        pc.hour = Math.floor(n.v / 100);
        pc.minutes = n.v % 100;
      }
      pc.seconds = { sec: 0, nsec: 0 };
      pc.meridian = MER_24;
    }
  };

  if (isChar(peek(), '@')) {
    next();
    const t = next();
    if (t.k === 'SDEC' || t.k === 'UDEC') pc.seconds = { sec: t.sec, nsec: t.nsec };
    else if (t.k === 'SNUM' || t.k === 'UNUM') pc.seconds = { sec: t.v, nsec: 0 };
    else fail();
    if (peek().k !== 'END') fail();
    pc.timespecSeen = true;
    return;
  }

  while (peek().k !== 'END') {
    const t = next();
    switch (t.k) {
      case 'UNUM': {
        const la = peek();
        if (la.k === 'MERIDIAN') {
          next();
          setHhmmss(t.v, 0, { sec: 0, nsec: 0 });
          pc.meridian = la.v;
          pc.timesSeen++;
        } else if (isChar(la, ':')) {
          next();
          timeAfterColon(t.v, false);
          pc.timesSeen++;
        } else if (la.k === 'SNUM') {
          const la2 = peek(1);
          if (la2.k === 'SNUM') {
            // ISO 8601 date, perhaps with T and a time
            next();
            next();
            pc.year = { value: t.v, digits: t.digits };
            pc.month = -la.v;
            pc.day = -la2.v;
            if (peek().k === 'T') {
              next();
              isoTime();
              pc.timesSeen++;
            }
            pc.datesSeen++;
          } else if (UNITS.has(la2.k)) {
            next();
            next();
            digitsToDateTime(t);
            applyRel(relUnit(la2, la.v), 1);
          } else {
            setHhmmss(t.v, 0, { sec: 0, nsec: 0 });
            pc.meridian = MER_24;
            zoneOffset();
            pc.timesSeen++;
          }
        } else if (isChar(la, '/')) {
          next();
          const b = next();
          if (b.k !== 'UNUM') fail();
          if (isChar(peek(), '/')) {
            next();
            const c = next();
            if (c.k !== 'UNUM') fail();
            if (t.digits >= 4) {
              pc.year = { value: t.v, digits: t.digits };
              pc.month = num(b).v;
              pc.day = c.v;
            } else {
              pc.month = t.v;
              pc.day = num(b).v;
              pc.year = { value: c.v, digits: c.digits };
            }
          } else {
            pc.month = t.v;
            pc.day = num(b).v;
          }
          pc.datesSeen++;
        } else if (la.k === 'MONTH') {
          next();
          pc.day = t.v;
          pc.month = la.v;
          const y = peek();
          if (y.k === 'SNUM') {
            next();
            pc.year = { value: -y.v, digits: y.digits };
          } else if (y.k === 'UNUM') {
            next();
            pc.year = { value: y.v, digits: y.digits };
          }
          pc.datesSeen++;
        } else if (la.k === 'DAY') {
          next();
          pc.dayOrdinal = t.v;
          pc.dayNumber = la.v;
          pc.daysSeen++;
        } else if (UNITS.has(la.k)) {
          next();
          relWithAgo(relUnit(la, t.v));
        } else digitsToDateTime(t);
        break;
      }
      case 'SNUM': {
        const u = next();
        if (!UNITS.has(u.k)) fail();
        relWithAgo(relUnit(u, t.v));
        break;
      }
      case 'UDEC':
      case 'SDEC': {
        if (next().k !== 'SEC_UNIT') fail();
        relWithAgo({ year: 0, month: 0, day: 0, hour: 0, minutes: 0, seconds: t.sec, ns: t.nsec });
        break;
      }
      case 'MONTH': {
        const a = next();
        if (a.k === 'SNUM') {
          const b = next();
          if (b.k !== 'SNUM') fail();
          pc.month = t.v;
          pc.day = -a.v;
          pc.year = { value: -num(b).v, digits: num(b).digits };
        } else if (a.k === 'UNUM') {
          pc.month = t.v;
          pc.day = a.v;
          if (isChar(peek(), ',')) {
            next();
            const y = next();
            if (y.k !== 'UNUM') fail();
            pc.year = { value: num(y).v, digits: num(y).digits };
          }
        } else fail();
        pc.datesSeen++;
        break;
      }
      case 'DAY':
        if (isChar(peek(), ',')) next();
        pc.dayOrdinal = 0;
        pc.dayNumber = t.v;
        pc.daysSeen++;
        break;
      case 'ORDINAL': {
        const la = next();
        if (la.k === 'DAY') {
          pc.dayOrdinal = t.v;
          pc.dayNumber = la.v;
          pc.daysSeen++;
        } else if (UNITS.has(la.k)) relWithAgo(relUnit(la, t.v));
        else fail();
        break;
      }
      case 'ZONE':
      case 'T': {
        const base = t.k === 'T' ? -7 * HOUR : val(t);
        const la = peek();
        if (la.k === 'SNUM' && UNITS.has(peek(1).k)) {
          next();
          pc.timeZone = base;
          applyRel(relUnit(next(), la.v), 1);
        } else if (t.k === 'ZONE' && la.k === 'SNUM') {
          next();
          timeZoneHhmm(la, oColonMinutes());
          pc.timeZone += base;
        } else if (t.k === 'ZONE' && la.k === 'DST') {
          next();
          pc.timeZone = base + HOUR;
        } else pc.timeZone = base;
        pc.zonesSeen++;
        break;
      }
      case 'DAYZONE':
        pc.timeZone = t.v + HOUR;
        pc.zonesSeen++;
        break;
      case 'LOCAL_ZONE':
        if (peek().k === 'DST') {
          next();
          pc.localIsdst = 1;
          pc.dstsSeen++;
        } else pc.localIsdst = t.v;
        pc.localZonesSeen++;
        break;
      case 'J':
        pc.jZonesSeen++;
        break;
      case 'YEAR_UNIT':
      case 'MONTH_UNIT':
      case 'HOUR_UNIT':
      case 'MINUTE_UNIT':
      case 'SEC_UNIT':
        relWithAgo(relUnit(t, 1));
        break;
      case 'DAY_UNIT':
        relWithAgo(relUnit(t, 1));
        break;
      case 'DAY_SHIFT':
        applyRel({ year: 0, month: 0, day: t.v, hour: 0, minutes: 0, seconds: 0, ns: 0 }, 1);
        break;
      default:
        fail();
    }
  }
}

function toHour(hours: number, meridian: number): number {
  if (meridian === MER_24) return hours >= 0 && hours < 24 ? hours : -1;
  if (meridian === MER_AM) return hours > 0 && hours < 12 ? hours : hours === 12 ? 0 : -1;
  return hours > 0 && hours < 12 ? hours + 12 : hours === 12 ? 12 : -1;
}

/** Local mktime that also returns the normalised broken-down time. */
function mk(fields: { year: number; mon: number; mday: number; hour: number; min: number; sec: number; isdst?: boolean }, zone: Zone): Tm {
  return localtime(mktime(fields, zone), zone);
}

function sameFields(a: { year: number; mon: number; mday: number; hour: number; min: number; sec: number }, b: Tm): boolean {
  return a.year === b.year && a.mon === b.mon && a.mday === b.mday && a.hour === b.hour && a.min === b.min && a.sec === b.sec;
}

/**
 * Parse a GNU date string relative to `now` in `zone` (TZ="..." at the start of the string picks
 * another zone). Returns undefined when GNU date would say `invalid date`.
 */
export function parseDateTime(text: string, nowTs: Timespec, zone: Zone, env?: { get(name: string): string | undefined }): Timespec | undefined {
  let p = text;
  let i = 0;
  while (isSpace(p[i])) i++;
  p = p.slice(i);
  if (p.startsWith('TZ="')) {
    let spec = '';
    let k = 4;
    let closed = false;
    for (; k < p.length; k++) {
      const c = p[k]!;
      if (c === '\\') {
        const n = p[k + 1];
        if (n !== '\\' && n !== '"') break;
        spec += n;
        k++;
      } else if (c === '"') {
        closed = true;
        break;
      } else spec += c;
    }
    if (closed) {
      zone = loadZone(spec, env);
      p = p.slice(k + 1).replace(/^[\s]+/, '');
    }
  }
  const nowTm = localtime(nowTs.sec, zone);
  if (p === '') p = '0';

  // Local zone names: now's, and one with the other DST flag within the next three quarters.
  const local: LocalZones = [{ name: nowTm.zone, isdst: nowTm.isdst ? 1 : 0 }];
  for (let q = 1; q <= 3; q++) {
    const probe = localtime(nowTs.sec + q * 90 * 86400, zone);
    if (probe.isdst !== nowTm.isdst && probe.zone) {
      local.push({ name: probe.zone, isdst: probe.isdst ? 1 : 0 });
      break;
    }
  }
  if (local.length === 2 && local[0]!.name === local[1]!.name) {
    local[0]!.isdst = -1;
    local.pop();
  }

  const pc: Parsed = {
    timespecSeen: false,
    seconds: { sec: nowTm.sec, nsec: nowTs.nsec },
    year: { value: nowTm.year, digits: 0 },
    month: nowTm.mon + 1,
    day: nowTm.mday,
    hour: nowTm.hour,
    minutes: nowTm.min,
    meridian: MER_24,
    timeZone: 0,
    localIsdst: 0,
    dayOrdinal: 0,
    dayNumber: 0,
    rel: { year: 0, month: 0, day: 0, hour: 0, minutes: 0, seconds: 0, ns: 0 },
    relsSeen: false,
    datesSeen: 0,
    daysSeen: 0,
    timesSeen: 0,
    jZonesSeen: 0,
    localZonesSeen: 0,
    dstsSeen: 0,
    zonesSeen: 0,
  };
  try {
    parseTokens(tokenize(p, local), pc);
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
  if (pc.timespecSeen) return pc.seconds;

  if (
    pc.timesSeen > 1 ||
    pc.datesSeen > 1 ||
    pc.daysSeen > 1 ||
    pc.dstsSeen > 1 ||
    pc.jZonesSeen + pc.localZonesSeen + pc.zonesSeen > 1
  )
    return undefined;

  let year = pc.year.value;
  if (year >= 0 && pc.year.digits === 2) year += year < 69 ? 2000 : 1900;
  const tm = { year, mon: pc.month - 1, mday: pc.day, hour: 0, min: 0, sec: 0, isdst: undefined as boolean | undefined };
  let nsec = pc.seconds.nsec;
  if (pc.timesSeen || (pc.relsSeen && !pc.datesSeen && !pc.daysSeen)) {
    tm.hour = toHour(pc.hour, pc.meridian);
    if (tm.hour < 0) return undefined;
    tm.min = pc.minutes;
    tm.sec = pc.seconds.sec;
  } else nsec = 0;
  // mktime works out DST for an absolute time; a relative one keeps now's; a local zone name says.
  tm.isdst = pc.datesSeen || pc.daysSeen || pc.timesSeen ? undefined : nowTm.isdst;
  if (pc.localZonesSeen) tm.isdst = pc.localIsdst < 0 ? undefined : pc.localIsdst === 1;
  const tm0 = { ...tm };

  let result = mk(tm, zone);
  let zoneUsed = zone;
  if (!sameFields(tm0, result)) {
    if (!pc.zonesSeen) return undefined;
    // Near the edges (or in a DST gap) the explicit zone decides: read the fields at a fixed offset.
    zoneUsed = new FixedZone('XXX', 0, 'XXX');
    result = mk(tm0, zoneUsed);
    if (!sameFields(tm0, result)) return undefined;
  }

  if (pc.daysSeen && !pc.datesSeen) {
    const ordinal = pc.dayOrdinal - (pc.dayOrdinal > 0 && result.wday !== pc.dayNumber ? 1 : 0);
    const dayIncr = ordinal * 7 + ((pc.dayNumber - result.wday + 7) % 7);
    result = mk({ year: result.year, mon: result.mon, mday: result.mday + dayIncr, hour: result.hour, min: result.min, sec: result.sec }, zoneUsed);
  }

  if (pc.rel.year || pc.rel.month || pc.rel.day) {
    result = mk(
      {
        year: result.year + pc.rel.year,
        mon: result.mon + pc.rel.month,
        mday: result.mday + pc.rel.day,
        hour: tm0.hour,
        min: tm0.min,
        sec: tm0.sec,
        isdst: tm0.isdst,
      },
      zoneUsed,
    );
  }

  let start = result.t;
  if (pc.zonesSeen) start -= pc.timeZone - result.gmtoff;

  const sumNs = nsec + pc.rel.ns;
  const normalizedNs = ((sumNs % 1e9) + 1e9) % 1e9;
  const carry = (sumNs - normalizedNs) / 1e9;
  return { sec: start + pc.rel.hour * 3600 + pc.rel.minutes * 60 + pc.rel.seconds + carry, nsec: normalizedNs };
}

/**
 * POSIX touch/date time stamps: `[[CC]YY]MMDDhhmm[.ss]` (touch -t), or with the year after the
 * minutes, `MMDDhhmm[[CC]YY][.ss]` (date's operand). Two-digit years are 1969–2068. Fields out
 * of range (February 30) make it invalid.
 */
export function parsePosixTime(text: string, zone: Zone, nowSec: number, trailingYear: boolean): number | undefined {
  const m = /^(\d+)(?:\.(\d\d))?$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!;
  if (digits.length !== 8 && digits.length !== 10 && digits.length !== 12) return undefined;
  const yearDigits = digits.length - 8;
  const yearText = trailingYear ? digits.slice(8) : digits.slice(0, yearDigits);
  const rest = trailingYear ? digits.slice(0, 8) : digits.slice(yearDigits);
  let year: number;
  if (yearDigits === 0) year = localtime(nowSec, zone).year;
  else if (yearDigits === 2) {
    const yy = Number(yearText);
    year = yy < 69 ? 2000 + yy : 1900 + yy;
  } else year = Number(yearText);
  const fields = {
    year,
    mon: Number(rest.slice(0, 2)) - 1,
    mday: Number(rest.slice(2, 4)),
    hour: Number(rest.slice(4, 6)),
    min: Number(rest.slice(6, 8)),
    sec: m[2] === undefined ? 0 : Number(m[2]),
  };
  // A leap second (ss = 60) is accepted as the first second of the next minute.
  const leap = fields.sec === 60;
  if (leap) fields.sec = 59;
  const t = mktime(fields, zone);
  if (!sameFields(fields, localtime(t, zone))) return undefined;
  return leap ? t + 1 : t;
}


/**
 * strptime(3) in the C locale, for BusyBox's `date -D FORMAT`: %Y %y %C %m %d %e %H %k %I %l %M
 * %S %p %b %B %h %a %A %j %s %z %Z %n %t %% and the composites %D %F %R %T %r %c %x %X. Returns
 * the time in `zone`, or undefined when the text does not match the format.
 */
export function strptime(text: string, format: string, zone: Zone, nowSec: number): number | undefined {
  const cur = localtime(nowSec, zone);
  const f = { year: cur.year, mon: cur.mon, mday: cur.mday, hour: 0, min: 0, sec: 0 };
  let pm: boolean | undefined;
  let hour12 = false;
  let epoch: number | undefined;
  let offset: number | undefined;
  let century: number | undefined;
  let yy: number | undefined;
  let i = 0;
  const expand: Record<string, string> = { D: '%m/%d/%y', F: '%Y-%m-%d', R: '%H:%M', T: '%H:%M:%S', r: '%I:%M:%S %p', c: '%a %b %e %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' };
  let fmt = format;
  for (let k = 0; k < 4; k++) fmt = fmt.replace(/%([DFRTrcxX])/g, (_, c: string) => expand[c]!);
  const num = (maxDigits: number, signed = false): number | undefined => {
    while (isSpace(text[i])) i++;
    const m = new RegExp(`^${signed ? '[+-]?' : ''}\\d{1,${maxDigits}}`).exec(text.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  const word = (names: string[]): number | undefined => {
    const rest = text.slice(i).toLowerCase();
    for (const [k, name] of names.entries()) {
      for (const candidate of [name, name.slice(0, 3)]) {
        if (rest.startsWith(candidate)) {
          i += candidate.length;
          return k;
        }
      }
    }
    return undefined;
  };
  for (let fi = 0; fi < fmt.length; fi++) {
    const c = fmt[fi]!;
    if (isSpace(c)) {
      while (isSpace(text[i])) i++;
      continue;
    }
    if (c !== '%') {
      if (text[i] !== c) return undefined;
      i++;
      continue;
    }
    const conv = fmt[++fi];
    let v: number | undefined;
    switch (conv) {
      case 'Y':
        if ((v = num(4, true)) === undefined) return undefined;
        f.year = v;
        break;
      case 'y':
        if ((v = num(2)) === undefined) return undefined;
        yy = v;
        break;
      case 'C':
        if ((v = num(2)) === undefined) return undefined;
        century = v;
        break;
      case 'm':
        if ((v = num(2)) === undefined || v < 1 || v > 12) return undefined;
        f.mon = v - 1;
        break;
      case 'd':
      case 'e':
        if ((v = num(2)) === undefined || v < 1 || v > 31) return undefined;
        f.mday = v;
        break;
      case 'H':
      case 'k':
        if ((v = num(2)) === undefined || v > 23) return undefined;
        f.hour = v;
        break;
      case 'I':
      case 'l':
        if ((v = num(2)) === undefined || v < 1 || v > 12) return undefined;
        f.hour = v % 12;
        hour12 = true;
        break;
      case 'M':
        if ((v = num(2)) === undefined || v > 59) return undefined;
        f.min = v;
        break;
      case 'S':
        if ((v = num(2)) === undefined || v > 61) return undefined;
        f.sec = v;
        break;
      case 'j':
        if ((v = num(3)) === undefined || v < 1 || v > 366) return undefined;
        f.mon = 0;
        f.mday = v;
        break;
      case 'p': {
        const rest = text.slice(i).toUpperCase();
        if (rest.startsWith('AM')) pm = false;
        else if (rest.startsWith('PM')) pm = true;
        else return undefined;
        i += 2;
        break;
      }
      case 'b':
      case 'B':
      case 'h':
        if ((v = word(FULL_MONTHS)) === undefined) return undefined;
        f.mon = v;
        break;
      case 'a':
      case 'A':
        if (word(FULL_DAYS) === undefined) return undefined;
        break;
      case 's':
        if ((v = num(20, true)) === undefined) return undefined;
        epoch = v;
        break;
      case 'z': {
        while (isSpace(text[i])) i++;
        const m = /^(?:Z|([+-])(\d\d):?(\d\d)?)/.exec(text.slice(i));
        if (!m) return undefined;
        i += m[0].length;
        offset = m[0] === 'Z' ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60);
        break;
      }
      case 'Z': {
        const m = /^[A-Za-z]+/.exec(text.slice(i));
        if (m) i += m[0].length;
        break;
      }
      case 'n':
      case 't':
        while (isSpace(text[i])) i++;
        break;
      case '%':
        if (text[i] !== '%') return undefined;
        i++;
        break;
      default:
        return undefined;
    }
  }
  if (i !== text.length) return undefined;
  if (epoch !== undefined) return epoch;
  if (yy !== undefined) f.year = century !== undefined ? century * 100 + yy : yy < 69 ? 2000 + yy : 1900 + yy;
  else if (century !== undefined) f.year = century * 100 + (((f.year % 100) + 100) % 100);
  if (hour12 && pm) f.hour += 12;
  if (offset !== undefined) return mktime(f, new FixedZone('', offset, ''));
  return mktime(f, zone);
}

const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const FULL_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** BusyBox date's own forms, for strings GNU's grammar rejects: `[YYYY.]MM.DD-hh:mm[:ss]`. */
export function parseBusyboxDate(text: string, zone: Zone, nowSec: number): number | undefined {
  const m = /^(?:(\d{4})\.)?(\d{1,2})\.(\d{1,2})-(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const cur = localtime(nowSec, zone);
  const fields = { year: m[1] ? Number(m[1]) : cur.year, mon: Number(m[2]) - 1, mday: Number(m[3]), hour: Number(m[4]), min: Number(m[5]), sec: Number(m[6] ?? 0) };
  const t = mktime(fields, zone);
  return sameFields(fields, localtime(t, zone)) ? t : undefined;
}
