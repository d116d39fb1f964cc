// date against GNU date (coreutils 9.1): date strings (-d), every strftime conversion with flags
// and widths, time zones (IANA names, POSIX rules, odd offsets, LMT), output formats, errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

const gnuDate = hasTool('date') && runTool(['date', '--version']).stdout.includes('GNU');

async function both(argv: string[], env: Record<string, string> = {}, stdin?: string) {
  const gnu = runTool(argv, { env, stdin });
  const ours = await run(argv, { env: { TZ: 'UTC', ...env }, stdin });
  return { gnu, ours: { status: ours.status, stdout: ours.stdout, stderr: ours.stderr } };
}

const DATE_STRINGS = [
  '2024-01-02', '2024-01-02 03:04:05', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05+05:30', '2024-01-02 03:04:05.123456789',
  '2024-01-02 03:04:05 -0800', '2024-01-02 03:04 UTC', '@1700000000', '@-1', '@1.5', '@-1.5', 'Jan 2 2024', '2 Jan 2024',
  'January 2, 2024', '1/2/2024', '1/2/24', '2024/1/2', '17-JUN-1992', 'JUN-17-1992', 'Sun, 29 Feb 2004 16:21:42 -0800',
  'Sun, 29 Feb 2004 16:21:42 GMT', 'Thu Nov 14 22:13:20 UTC 2023', '2024-01-15 10:00 +3 days', '2024-01-15 10:00 3 days ago',
  '2024-01-15 10:00 next monday', '2024-01-15 10:00 last friday', '2024-01-31 +1 month', '2024-02-29 +1 year',
  '2024-01-15 12:00 2 hours ago', '2024-01-15 12:00 +90 minutes', '2024-01-15 12:00 +1.5 seconds', '20240102', '20240102 1200',
  '2024-01-02 5pm', '2024-01-02 5:30am', '2024-01-02 12am', '2024-01-02 12pm', '2024-01-02 13pm', '2024-01-02 noon',
  '2024-01-02 EST', '2024-01-02 EDT', '2024-01-02 12:00 CET', '2024-01-02 12:00 CEST', '2024-01-02 12:00 Z', '2024-01-02 12:00 J',
  '2024-01-02 12:00 A', '2024-01-02 12:00 UTC+5', '2024-01-02 12:00 GMT-3', '2024-01-02 12:00 EST DST', 'TZ="Asia/Tokyo" 2024-01-02 12:00',
  'TZ="America/New_York" 2024-03-10 02:30', '2024-03-10 02:30', '2024-11-03 01:30', '2024-02-30', '2024-13-01',
  '1970-01-01 00:00:00 UTC', '1969-12-31 23:59:59 UTC', '2100-01-01', '1900-01-01', '0001-01-01 UTC', '2024-01-02 10:30 +2 days',
  '2024-01-02 (comment) 10:00', 'garbage', '2024-01-02 25:00', '2024-06-15 this week', '2024-06-15 first thursday', '2024-06-15 third sat',
  '2024-06-15 -1 day', '2024-06-15 - 1 day', '2024-06-15 10:00:60', '2024-06-15 10:00 PDT', '2024-06-15 10:00 pst', '2024-06-15 10:00 ist',
  '2024-06-15 10:00 a.m.', '2024-06-15 10:00 p.m.', '2024-06-15 T 10', '1700000000', '2024-06-15 1 year 2 months 3 days 4 hours 5 minutes 6 seconds',
  '2024-06-15 hence 2 days', '2024-06-15 2 days hence', '', '  2024-06-15  ', '2024-06-15 12:00 +0545', '2024-06-15 12:00 -12:45',
];
const ZONES = ['UTC', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC0', 'EST5EDT', '<+0330>-3:30', 'Foo/Bar', ''];
const FULL = '%Y-%m-%d %H:%M:%S.%N %Z %z';

describe.skipIf(!gnuDate)('date vs GNU date', () => {
  it.each(ZONES.map((z) => [z]))('-d strings in TZ=%s', async (tz) => {
    for (const s of DATE_STRINGS) {
      const r = await both(['date', '-d', s, `+${FULL}`], { TZ: tz });
      expect(r.ours, `${tz} ${JSON.stringify(s)}`).toEqual(r.gnu);
    }
  });

  const FORMATS = [
    '%a|%A|%b|%B|%c|%C|%d|%D|%e|%F|%g|%G|%h|%H|%I|%j|%k|%l|%m|%M|%n|%N|%p|%P|%q|%r|%R|%s|%S|%t|%T|%u|%U|%V|%w|%W|%x|%X|%y|%Y|%z|%:z|%::z|%:::z|%Z|%%',
    '%-d|%_m|%05Y|%^a|%#Z|%10A|%-N|%3N|%_3N|%-3N|%12N|%_H|%+8Y|%-j|%^c|%#p|%^P|%10z|%_10z|%-z|%8:z|%_:z',
    '%Q|%5Q|%E|%Ey|%Od|%OS|%Ez|%::::z|%:y|%5%|%-%|%10D|%12F|%+12F|%030X|%-30x|%30c|%+4C|%+3y',
    'a%',
    '',
  ];
  const TIMES = ['0', '-1', '1700000000.123456789', '951782400', '1230768000', '1293840000', '1104537600', '-62167219200', '-62198755200', '-30610224000', '253402300799', '1719792000', '1710054000', '4102444800'];
  it.each(['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Europe/London', '<-03>3', 'Pacific/Chatham'].map((z) => [z]))('strftime in TZ=%s', async (tz) => {
    for (const t of TIMES) {
      for (const f of FORMATS) {
        const r = await both(['date', '-d', `@${t}`, `+${f}`], { TZ: tz });
        expect(r.ours, `${tz} @${t} ${f}`).toEqual(r.gnu);
      }
    }
  });

  it('output formats: default, -u, -R, -I[FMT], --rfc-3339', async () => {
    for (const args of [[], ['-u'], ['-R'], ['-I'], ['-Ih'], ['-Iminutes'], ['-Is'], ['-Ins'], ['--iso-8601=date'], ['--rfc-3339=date'], ['--rfc-3339=seconds'], ['--rfc-3339=ns'], ['--rfc-email'], ['--universal', '-R'], ['--uct']]) {
      for (const tz of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
        const r = await both(['date', '-d', '2024-07-01 12:34:56.789', ...args], { TZ: tz });
        expect(r.ours, `${tz} ${args.join(' ')}`).toEqual(r.gnu);
      }
    }
  });

  it('-r FILE, -f FILE', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'f');
    fs.writeFileSync(f, '2024-01-02\n@0\nbad date\n\n2024-06-15 10:00 +1 day');
    fs.utimesSync(f, 1000000, 1234567890.25);
    for (const args of [['-r', f], ['-r', f, '+%s.%N'], ['-f', f], ['-f', f, '+%F %T'], ['-f', '-'], ['-r', path.join(dir, 'nope')], ['-f', path.join(dir, 'nope')]]) {
      const r = await both(['date', ...args], { TZ: 'UTC' }, 'tomorrow\n2000-01-01\n');
      if (args[1] === '-') {
        expect(r.ours.stdout.split('\n')[1]).toBe(r.gnu.stdout.split('\n')[1]);
        continue;
      }
      expect(r.ours, args.join(' ')).toEqual(r.gnu);
    }
  });

  it('errors as GNU words them', async () => {
    for (const args of [
      ['-d', 'x', '-d'],
      ['--rfc'],
      ['-Ix'],
      ['--rfc-3339=x'],
      ['+%s', '+%s'],
      ['-d', 'now', '-r', '/etc'],
      ['-R', '-I'],
      ['-I', '-I'],
      ['-d', 'now', '-s', 'now'],
      ['-d', 'now', 'x'],
      ['-d', 'nonsense words'],
      ['--bogus'],
      ['-z'],
      ['13011200'],
    ]) {
      const r = await both(['date', ...args]);
      expect(r.ours, args.join(' ')).toEqual(r.gnu);
    }
  });
});

describe('date', () => {
  it('refuses to set the clock, then prints the date, as GNU does', async () => {
    const r = await run(['date', '-u', '-s', '2024-01-02 03:04:05']);
    expect(r.stdout).toBe('Tue Jan  2 03:04:05 UTC 2024\n');
    expect(r.stderr).toMatch(/^date: cannot set date: (Operation not permitted|Function not implemented)\n$/);
    expect(r.status).toBe(1);
    const op = await run(['date', '-u', '010203042024.05']);
    expect(op.stdout).toBe('Tue Jan  2 03:04:05 UTC 2024\n');
    expect(op.status).toBe(1);
  });
  it('takes BusyBox -D formats and date forms', async () => {
    expect((await run(['date', '-u', '-D', '%d/%m/%Y %H.%M', '-d', '15/06/2024 10.30', '+%F %T'])).stdout).toBe('2024-06-15 10:30:00\n');
    expect((await run(['date', '-u', '-d', '2024.06.15-10:00', '+%F %T'])).stdout).toBe('2024-06-15 10:00:00\n');
    expect((await run(['date', '-u', '-D', '%s', '-d', '86400', '+%F'])).stdout).toBe('1970-01-02\n');
  });
  it('reads TZ from its environment, not the process', async () => {
    const r = await run(['date', '-d', '@0', '+%H %Z'], { env: { TZ: 'Asia/Tokyo' } });
    expect(r.stdout).toBe('09 JST\n');
    const posix = await run(['date', '-d', '@0', '+%H %Z'], { env: { TZ: 'EST5EDT' } });
    expect(posix.stdout).toBe('19 EST\n');
  });
});
