// tar's listing: names quoted as GNU tar's default "escape" style does, and the -tv line
// (`-rw-r--r-- user/group  size YYYY-MM-DD HH:MM name`), whose owner/size column widens as
// wider values come along, exactly as GNU's does.
import type { TarEntry } from '../../core/archive/reader.js';

const C_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };

/** A name as GNU tar prints it: control characters and (in the C locale) bytes above 127 as
 *  backslash escapes; in a UTF-8 locale, valid printable UTF-8 stays as it is. */
export function quoteName(name: string, utf8: boolean): string {
  if (!/[\x00-\x1f\x7f-\xff\\]/.test(name)) return name;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const b = name.charCodeAt(i);
    if (b >= 0x20 && b < 0x7f && b !== 92) {
      out += name[i];
      continue;
    }
    if (b >= 0x80 && utf8) {
      const len = utf8Length(name, i);
      if (len > 0) {
        out += name.slice(i, i + len);
        i += len - 1;
        continue;
      }
    }
    out += C_ESCAPES[b] ?? `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** Length of a valid, printable UTF-8 sequence at i (0 if invalid or a C1 control). */
function utf8Length(s: string, i: number): number {
  const b = s.charCodeAt(i);
  const len = b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
  if (!len || i + len > s.length) return 0;
  for (let k = 1; k < len; k++) if ((s.charCodeAt(i + k) & 0xc0) !== 0x80) return 0;
  const cp = Buffer.from(s.slice(i, i + len), 'latin1').toString('utf8').codePointAt(0)!;
  if (cp === 0xfffd || (cp >= 0x80 && cp < 0xa0)) return 0;
  return len;
}

/** Whether the environment's locale is a UTF-8 one (LC_ALL, then LC_CTYPE, then LANG). */
export function utf8Locale(get: (name: string) => string | undefined): boolean {
  const locale = get('LC_ALL') || get('LC_CTYPE') || get('LANG') || '';
  return /utf-?8/i.test(locale);
}

const TYPE_CHAR: Record<string, string> = {
  '0': '-',
  '1': 'h',
  '2': 'l',
  '3': 'c',
  '4': 'b',
  '5': 'd',
  '6': 'p',
  '7': 'C',
  S: '-',
  D: 'd',
  V: 'V',
  M: 'M',
};

function permissions(mode: number): string {
  const bit = (mask: number, ch: string) => (mode & mask ? ch : '-');
  const special = (exec: number, flag: number, set: string, unset: string) => (mode & flag ? (mode & exec ? set : unset) : mode & exec ? 'x' : '-');
  return (
    bit(0o400, 'r') + bit(0o200, 'w') + special(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + special(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + special(0o001, 0o1000, 't', 'T')
  );
}

/** Dates as GNU tar prints them, in the time zone the environment names. */
export class TimeFormat {
  private readonly fmt: Intl.DateTimeFormat;
  constructor(
    tz: string | undefined,
    private readonly full: boolean,
  ) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone: timeZoneName(tz),
    };
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', options);
    } catch {
      this.fmt = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
  }
  format(t: number): string {
    const sec = Math.floor(t);
    const date = new Date(sec * 1000);
    if (Number.isNaN(date.getTime()) || Math.abs(sec) > 8.64e12) return String(sec);
    const parts: Record<string, string> = {};
    for (const p of this.fmt.formatToParts(date)) parts[p.type] = p.value;
    let year = parts.year!;
    if (year.startsWith('-')) year = `-${year.slice(1).padStart(4, '0')}`;
    else year = year.padStart(4, '0');
    const base = `${year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
    if (!this.full) return base;
    const frac = t - sec;
    return `${base}:${parts.second}${frac ? `.${Math.round(frac * 1e9).toString().padStart(9, '0')}` : ''}`;
  }
}

/** TZ as Intl understands it: IANA names; `UTC0`, `:UTC` and the like; else the system's. */
function timeZoneName(tz: string | undefined): string | undefined {
  if (tz === undefined) return undefined;
  const t = tz.replace(/^:/, '');
  if (t === '' || /^(UTC|GMT|UCT)0?$/.test(t)) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: t });
    return t;
  } catch {
    return undefined;
  }
}

export interface Names {
  user(e: TarEntry): string;
  group(e: TarEntry): string;
}

/** The -tv line writer: keeps GNU's growing owner/size column width across entries. */
export class LongLister {
  private ugsWidth = 19;
  constructor(
    private readonly times: TimeFormat,
    private readonly utf8: boolean,
    private readonly numeric: boolean,
  ) {}

  line(e: TarEntry, displayName: string): string {
    const typeChar = TYPE_CHAR[e.typeflag] ?? '?';
    const modes = typeChar + permissions(e.mode);
    const user = !this.numeric && e.uname ? e.uname : String(e.uid);
    const group = !this.numeric && e.gname ? e.gname : String(e.gid);
    const size = e.type === 'chardev' || e.type === 'blockdev' ? `${e.devmajor},${e.devminor}` : String(e.realSize);
    const pad = user.length + 1 + group.length + 1 + size.length;
    if (pad > this.ugsWidth) this.ugsWidth = pad;
    const sizeField = size.padStart(this.ugsWidth - pad + size.length);
    let line = `${modes} ${user}/${group} ${sizeField} ${this.times.format(e.mtime).padEnd(16)} ${quoteName(displayName, this.utf8)}`;
    switch (e.typeflag) {
      case '2':
        line += ` -> ${quoteName(e.linkname, this.utf8)}`;
        break;
      case '1':
        line += ` link to ${quoteName(e.linkname, this.utf8)}`;
        break;
      case 'V':
        line += '--Volume Header--';
        break;
      case 'M':
        line += `--Continued at byte ${e.realSize}--`;
        break;
      default:
        if (!(e.typeflag in TYPE_CHAR)) line += ` unknown file type '${e.typeflag}'`;
    }
    return `${line}\n`;
  }
}
