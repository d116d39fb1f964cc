import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, gmtime, loadZone, localtime, mktime, PosixZone, strftime } from '../../src/core/time.js';
import { parseDateTime, parsePosixTime } from '../../src/core/time-parse.js';
import { Env } from '../../src/core/env.js';

const noTzdata = new Env({ TZDIR: '/nonexistent' });

describe('calendar', () => {
  it('converts days and dates both ways, BC included', () => {
    for (const days of [-719528, -1, 0, 1, 10957, 19723, 2932896]) {
      const { y, m, d } = civilFromDays(days);
      expect(daysFromCivil(y, m, d)).toBe(days);
    }
    expect(civilFromDays(0)).toEqual({ y: 1970, m: 1, d: 1 });
    expect(gmtime(951782400)).toMatchObject({ year: 2000, mon: 1, mday: 29, wday: 2, yday: 59 });
  });
});

describe('zones', () => {
  it('reads POSIX rules, southern ones too', () => {
    const ny = PosixZone.parse('EST5EDT,M3.2.0,M11.1.0')!;
    expect(ny.at(1719792000)).toEqual({ offset: -14400, isdst: true, abbr: 'EDT' });
    expect(ny.at(1704067200)).toEqual({ offset: -18000, isdst: false, abbr: 'EST' });
    const syd = PosixZone.parse('AEST-10AEDT,M10.1.0,M4.1.0/3')!;
    expect(syd.at(1704067200).abbr).toBe('AEDT');
    expect(syd.at(1719792000).abbr).toBe('AEST');
    expect(PosixZone.parse('<+0330>-3:30')!.at(0)).toEqual({ offset: 12600, isdst: false, abbr: '+0330' });
    expect(PosixZone.parse('Europe/Paris')).toBeUndefined();
  });
  it('falls back on Intl for IANA names when there is no zoneinfo file', () => {
    const intl = loadZone('Europe/Paris', noTzdata);
    const file = loadZone('Europe/Paris');
    for (const t of [0, 1711846800 - 1, 1711846800, 1719792000, 1729990800, 1704067200]) {
      expect(intl.at(t).offset, String(t)).toBe(file.at(t).offset);
      expect(intl.at(t).isdst, String(t)).toBe(file.at(t).isdst);
    }
    expect(localtime(1719792000, loadZone('Asia/Kolkata', noTzdata))).toMatchObject({ hour: 5, min: 30, zone: 'IST' });
  });
  it('treats an unusable TZ as UTC named by its letters, as glibc', () => {
    expect(localtime(0, loadZone('Foo/Bar')).zone).toBe('Foo');
    expect(localtime(0, loadZone('')).zone).toBe('UTC');
  });
});

describe('mktime', () => {
  it('normalises fields and resolves DST gaps and overlaps', () => {
    const ny = loadZone('America/New_York');
    expect(mktime({ year: 2024, mon: 12, mday: 1, hour: 0, min: 0, sec: 0 }, ny)).toBe(mktime({ year: 2025, mon: 0, mday: 1, hour: 0, min: 0, sec: 0 }, ny));
    const gap = mktime({ year: 2024, mon: 2, mday: 10, hour: 2, min: 30, sec: 0 }, ny);
    expect(localtime(gap, ny)).toMatchObject({ hour: 3, min: 30 });
    const earlier = mktime({ year: 2024, mon: 10, mday: 3, hour: 1, min: 30, sec: 0 }, ny);
    const later = mktime({ year: 2024, mon: 10, mday: 3, hour: 1, min: 30, sec: 0, isdst: false }, ny);
    expect(later - earlier).toBe(3600);
  });
});

describe('strftime and date strings', () => {
  const utc = loadZone('UTC0');
  it('formats as GNU date', () => {
    const tm = localtime(1700000000, utc);
    expect(strftime('%a %b %e %H:%M:%S %Z %Y', tm)).toBe('Tue Nov 14 22:13:20 UTC 2023');
    expect(strftime('%3N|%-N|%_5d|%^a|%:z|%s', tm, 50000000)).toBe('050|050000000|   14|TUE|+00:00|1700000000');
  });
  it('parses GNU date strings relative to now', () => {
    const now = { sec: 1700000000, nsec: 0 };
    expect(parseDateTime('yesterday', now, utc)).toEqual({ sec: 1700000000 - 86400, nsec: 0 });
    expect(parseDateTime('2024-01-02 03:04:05 +0100', now, utc)).toEqual({ sec: 1704161045, nsec: 0 });
    expect(parseDateTime('next friday', now, utc)!.sec).toBe(1700179200);
    expect(parseDateTime('nonsense', now, utc)).toBeUndefined();
  });
  it('parses POSIX stamps', () => {
    expect(parsePosixTime('202401020304.05', utc, 0, false)).toBe(1704164645);
    expect(parsePosixTime('01020304', utc, 1700000000, false)).toBe(1672628640);
    expect(parsePosixTime('0102030424', utc, 0, true)).toBe(1704164640);
    expect(parsePosixTime('02300000', utc, 0, false)).toBeUndefined();
  });
});
