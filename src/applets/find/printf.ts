// find -printf and -ls, as GNU findutils 4.9 prints them.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { AppletError } from '../../core/errors.js';
import { groupByGid, userByUid } from '../../core/ids.js';
import { modeString } from '../../core/mode.js';
import { localtime, strftime, type Zone } from '../../core/time.js';

/** A literal piece, a directive (%f with its printf flags), or \c (stop). */
export type PrintfItem = { t: 'lit'; s: string } | { t: 'dir'; c: string; k?: string; flags: string } | { t: 'stop' };

/** What a directive needs to know about the file. */
export interface PrintfFile {
  path: string;
  /** The path for system calls (relative to the applet's cwd). */
  osPath: string;
  /** The starting point it was found under. */
  root: string;
  depth: number;
  st: fs.BigIntStats | undefined;
  lst(): fs.BigIntStats | undefined;
  /** Type following symlinks (for %Y): a letter, or L (loop) / N (missing). */
  followedType(): string;
  linkTarget(): string;
  fsType(): string;
  /** Names for ids from /etc/passwd and /etc/group (looked up once per run). */
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
}

/** uid and gid → name, remembered for one run of find. */
export class IdNames {
  private readonly users = new Map<number, string | undefined>();
  private readonly groups = new Map<number, string | undefined>();
  user(uid: number): string | undefined {
    if (!this.users.has(uid)) this.users.set(uid, userByUid(uid)?.name);
    return this.users.get(uid);
  }
  group(gid: number): string | undefined {
    if (!this.groups.has(gid)) this.groups.set(gid, groupByGid(gid)?.name);
    return this.groups.get(gid);
  }
}

/** Compile a -printf format (warnings for unknown escapes and directives go to `warnings`). */
export function compilePrintf(format: string, warnings: string[]): PrintfItem[] {
  const items: PrintfItem[] = [];
  let lit = '';
  const flush = () => {
    if (lit) items.push({ t: 'lit', s: lit });
    lit = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '\\') {
      const e = format[i + 1];
      const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
      if (e === undefined) {
        lit += '\\';
        continue;
      }
      if (e in simple) {
        lit += simple[e];
        i++;
      } else if (e === 'c') {
        flush();
        items.push({ t: 'stop' });
        i++;
      } else if (/[0-7]/.test(e)) {
        const m = /^[0-7]{1,3}/.exec(format.slice(i + 1))![0];
        lit += String.fromCharCode(parseInt(m, 8) & 0xff);
        i += m.length;
      } else {
        warnings.push(`warning: unrecognized escape \`\\${e}'`);
        lit += `\\${e}`;
        i++;
      }
      continue;
    }
    if (c !== '%') {
      lit += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\d*)(\.\d*)?/.exec(format.slice(i))!;
    const flags = m[1]! + m[2]! + (m[3] ?? '');
    const j = i + m[0].length;
    const d = format[j];
    if (d === undefined) throw new AppletError('error: % at end of format string');
    if (d === '%') {
      lit += '%';
      i = j;
      continue;
    }
    if (d === '{' || d === '[' || d === '(') throw new AppletError(`error: the format directive \`%${d}' is reserved for future use`);
    if ('ACT'.includes(d)) {
      const k = format[j + 1];
      if (k === undefined) throw new AppletError(`error: missing time format specifier after %${d}`);
      flush();
      items.push({ t: 'dir', c: d, k, flags });
      i = j + 1;
      continue;
    }
    if (!'abcdDfFgGhHiklmMnpPsStuUyYZ'.includes(d)) {
      warnings.push(`warning: unrecognized format directive \`%${d}'`);
      lit += `%${d}`;
      i = j;
      continue;
    }
    flush();
    items.push({ t: 'dir', c: d, flags });
    i = j;
  }
  flush();
  return items;
}

/** Expand a compiled -printf for one file; `stop` tells the caller that \c ended all output. */
export function runPrintf(items: PrintfItem[], f: PrintfFile, zone: Zone): { text: string; stop: boolean } {
  let out = '';
  for (const item of items) {
    if (item.t === 'lit') out += item.s;
    else if (item.t === 'stop') return { text: out, stop: true };
    else out += pad(item.flags, directive(item.c, item.k, f, zone, item.flags));
  }
  return { text: out, stop: false };
}

/** printf's %s with flags, width and precision (find formats every directive as a string). */
function pad(flags: string, s: string): string {
  const m = /^([-+ #0]*)(\d*)(?:\.(\d*))?$/.exec(flags)!;
  if (m[3] !== undefined) s = s.slice(0, Number(m[3] || 0));
  const width = Number(m[2] || 0);
  if (s.length >= width) return s;
  return m[1]!.includes('-') ? s + ' '.repeat(width - s.length) : ' '.repeat(width - s.length) + s;
}

const big = (n: bigint) => n.toString();

function baseName(path: string): string {
  const stripped = path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
  if (stripped === '/') return '/';
  return stripped.slice(stripped.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const stripped = path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
  const slash = stripped.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : stripped.slice(0, slash);
}

function typeLetter(mode: number): string {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'f';
    case 0o040000:
      return 'd';
    case 0o120000:
      return 'l';
    case 0o020000:
      return 'c';
    case 0o060000:
      return 'b';
    case 0o010000:
      return 'p';
    case 0o140000:
      return 's';
    default:
      return 'U';
  }
}

/** A time as find prints %t/%a/%c (ctime with a fraction) or %Tk with a strftime letter. */
function timeText(ns: bigint, k: string | undefined, zone: Zone): string {
  const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
  const nsec = Number(ns - sec * 1000000000n);
  const tm = localtime(Number(sec), zone);
  const frac = `.${String(nsec).padStart(9, '0')}0`;
  if (k === undefined) return strftime('%a %b %e %H:%M:%S', tm) + frac + strftime(' %Y', tm);
  switch (k) {
    case '@':
      return `${sec}${frac}`;
    case '+':
      return strftime('%Y-%m-%d+%H:%M:%S', tm) + frac;
    case 'S':
      return strftime('%S', tm) + frac;
    case 'T':
    case 'X':
      return strftime('%H:%M:%S', tm) + frac;
    default:
      // Other letters are the C library's strftime conversions; gnulib's own (%N, %q) are not
      // among them and come out as written.
      return 'Nq:'.includes(k) ? `%${k}` : strftime(`%${k}`, tm);
  }
}

function directive(c: string, k: string | undefined, f: PrintfFile, zone: Zone, flags: string): string {
  const st = f.st;
  if (!st && c !== 'p' && c !== 'f' && c !== 'h' && c !== 'P' && c !== 'H' && c !== 'd') return '';
  switch (c) {
    case 'p':
      return f.path;
    case 'f':
      return baseName(f.path);
    case 'h':
      return dirName(f.path);
    case 'P':
      return f.path === f.root ? '' : f.path.slice(f.root.endsWith('/') ? f.root.length : f.root.length + 1);
    case 'H':
      return f.root;
    case 'd':
      return String(f.depth);
    case 'D':
      return big(st!.dev);
    case 's':
      return big(st!.size);
    case 'b':
      return big(st!.blocks);
    case 'k':
      return big((st!.blocks + 1n) / 2n);
    case 'S': {
      const size = Number(st!.size);
      if (size === 0) return '1';
      return String(Number(((512 * Number(st!.blocks)) / size).toPrecision(6)));
    }
    case 'm': {
      const octal = (Number(st!.mode) & 0o7777).toString(8);
      return flags.includes('#') ? `0${octal}` : octal;
    }
    case 'M':
      return modeString(Number(st!.mode));
    case 'n':
      return big(st!.nlink);
    case 'i':
      return big(st!.ino);
    case 'u':
      return f.userName(Number(st!.uid)) ?? big(st!.uid);
    case 'U':
      return big(st!.uid);
    case 'g':
      return f.groupName(Number(st!.gid)) ?? big(st!.gid);
    case 'G':
      return big(st!.gid);
    case 'l':
      return f.linkTarget();
    case 'y':
      return typeLetter(Number(f.lst()?.mode ?? st!.mode));
    case 'Y':
      return f.followedType();
    case 'F':
      return f.fsType();
    case 'Z':
      return '?';
    case 't':
      return timeText(st!.mtimeNs, undefined, zone);
    case 'a':
      return timeText(st!.atimeNs, undefined, zone);
    case 'c':
      return timeText(st!.ctimeNs, undefined, zone);
    case 'T':
      return timeText(st!.mtimeNs, k, zone);
    case 'A':
      return timeText(st!.atimeNs, k, zone);
    case 'C':
      return timeText(st!.ctimeNs, k, zone);
    default:
      return '';
  }
}

/** One -ls line (GNU's list_file): inode, 1K blocks, mode, links, owner, group, size, date, name. */
/**
 * find's -ls line (findutils' list_file): the columns start at GNU's minimum widths and widen,
 * for the rest of the run, to the widest value printed so far; names are escaped as find does.
 */
export class LsFormatter {
  private ino = 9;
  private blocks = 6;
  private nlink = 3;
  private owner = 8;
  private group = 8;
  private major = 3;
  private minor = 3;
  private size = 8;
  /** Dates already formatted, by second (files made together share them). */
  private readonly dates = new Map<number, string>();

  constructor(
    private readonly nowSec: number,
    private readonly zone: Zone,
  ) {}

  line(f: PrintfFile, st: fs.BigIntStats, onError: (err: unknown) => void): string {
    const mode = Number(st.mode);
    const ino = big(st.ino).padStart(this.ino);
    this.ino = Math.max(this.ino, ino.length);
    const blocks = big((st.blocks + 1n) / 2n).padStart(this.blocks);
    this.blocks = Math.max(this.blocks, blocks.length);
    const nlink = big(st.nlink).padStart(this.nlink);
    this.nlink = Math.max(this.nlink, nlink.length);
    let line = `${ino} ${blocks} ${modeString(mode)} ${nlink} `;
    const user = f.userName(Number(st.uid));
    if (user !== undefined) {
      this.owner = Math.max(this.owner, user.length);
      line += `${user.padEnd(this.owner)} `;
    } else {
      // GNU counts the separating space into the width here.
      const s = `${big(st.uid).padEnd(8)} `;
      this.owner = Math.max(this.owner, s.length);
      line += s;
    }
    const group = f.groupName(Number(st.gid));
    if (group !== undefined) {
      this.group = Math.max(this.group, group.length);
      line += `${group.padEnd(this.group)} `;
    } else {
      const s = big(st.gid).padEnd(this.group);
      this.group = Math.max(this.group, s.length);
      line += `${s} `;
    }
    const type = mode & 0o170000;
    if (type === 0o020000 || type === 0o060000) {
      const dev = st.rdev;
      const major = big(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)).padStart(this.major);
      this.major = Math.max(this.major, major.length);
      const minor = big((dev & 0xffn) | ((dev >> 12n) & ~0xffn)).padStart(this.minor);
      this.minor = Math.max(this.minor, minor.length);
      line += `${major}, ${minor}`;
    } else {
      const size = big(st.size).padStart(this.size);
      this.size = Math.max(this.size, size.length);
      line += size;
    }
    const mtime = Number(st.mtimeNs / 1000000000n) - (st.mtimeNs < 0n && st.mtimeNs % 1000000000n !== 0n ? 1 : 0);
    // Six months are 180 days here, and an hour of the future still counts as recent.
    const recent = this.nowSec - 180 * 86400 <= mtime && mtime <= this.nowSec + 3600;
    let date = this.dates.get(mtime);
    if (date === undefined) {
      if (this.dates.size >= 4096) this.dates.clear();
      date = strftime(recent ? '%b %e %H:%M' : '%b %e  %Y', localtime(mtime, this.zone));
      this.dates.set(mtime, date);
    }
    line += ` ${date} ${escapeLsName(f.path)}`;
    if (type === 0o120000) {
      try {
        line += ` -> ${escapeLsName(fs.readlinkSync(fsPath(f.osPath), { encoding: 'latin1' }))}`;
      } catch (err) {
        onError(err);
      }
    }
    return `${line}\n`;
  }
}

const LS_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\b': '\\b',
  '\r': '\\r',
  '\t': '\\t',
  '\f': '\\f',
  ' ': '\\ ',
  '"': '\\"',
};

/** Names in -ls output: backslash escapes for blanks, quotes and control bytes, octal for the rest. */
export function escapeLsName(name: string): string {
  if (!/[^\x21-\x7e]|["\\]/.test(name)) return name;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const code = c.charCodeAt(0);
    const esc = LS_ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (code > 0x20 && code < 0x7f) out += c;
    else out += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export function readTarget(path: string): string {
  try {
    return fs.readlinkSync(fsPath(path), { encoding: 'latin1' });
  } catch {
    return '';
  }
}
