// ps as Alpine's BusyBox has it (the "desktop" ps): every process from /proc, BusyBox's default
// columns `PID USER TIME COMMAND`, -o with its keywords (COL=HEADER renames), -T for threads.
// POSIX's -a -A -d -e -f -l are accepted and change nothing, as in BusyBox: all processes show.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { AppletError, errorText } from '../core/errors.js';
import { groupName, userName } from '../core/ids.js';
import { OutBuffer } from '../core/io.js';

const MAX_WIDTH = 2048;
const HZ = 100; // Linux's USER_HZ for /proc times

interface Proc {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  ttyNr: number;
  utime: number;
  stime: number;
  nice: number;
  startTime: number;
  vszKb: number;
  rssKb: number;
  uid: number;
  gid: number;
  ruid: number;
  rgid: number;
  dir: string;
}

interface Column {
  width: number;
  name: string;
  header: string;
  value: (p: Proc, width: number, now: Context) => string;
}

interface Context {
  uptime: number;
}

/** BusyBox's time format for a 5-wide column: mm:ss, then hh'h'mm, dd'd'hh, dddd'd'. */
function formatTime(seconds: number): string {
  let tt = Math.floor(seconds);
  let ff = tt % 60;
  tt = Math.floor(tt / 60);
  if (tt < 60) return `${String(tt).padStart(2)}:${String(ff).padStart(2, '0')}`;
  ff = tt % 60;
  tt = Math.floor(tt / 60);
  if (tt < 24) return `${String(tt).padStart(2)}h${String(ff).padStart(2, '0')}`;
  ff = tt % 24;
  tt = Math.floor(tt / 24);
  if (tt < 100) return `${String(tt).padStart(2)}d${String(ff).padStart(2, '0')}`;
  return `${String(tt).padStart(4)}d`;
}

/** smart_ulltoa4: four characters; past 9999 scaled by 1024s with a unit (m, g, t …):
 *  ` 51m`, `9.2g`. */
function scaled(kb: number): string {
  if (kb <= 9999) return String(kb).padStart(4);
  let v = Math.floor(kb * 10);
  let idx = 0;
  do {
    v = Math.floor(v / 1024);
    idx++;
  } while (v >= 10000);
  const unit = ' mgtpezy'[idx] ?? '?';
  const u = Math.floor(v / 10);
  return u >= 10 ? `${String(u).padStart(3)}${unit}` : `${u}.${v % 10}${unit}`;
}

/** BusyBox's read_cmdline: the command line with NULs as spaces, `{comm}` in front when the
 *  process renamed itself, `[comm]` for kernel threads. */
function commandLine(p: Proc, width: number): string {
  let raw: string;
  try {
    raw = fs.readFileSync(`${p.dir}/cmdline`).toString('latin1').slice(0, width);
  } catch {
    raw = '';
  }
  raw = raw.replace(/\0+$/, '');
  if (raw === '') return `[${p.comm}]`.slice(0, width);
  const argv0 = raw.split(/[\0 ]/)[0]!;
  let base = argv0.slice(argv0.lastIndexOf('/') + 1);
  if (base.startsWith('-')) base = base.slice(1);
  let line = raw.replace(/[\x00-\x1f]/g, ' ');
  if (!base.startsWith(p.comm)) line = `{${p.comm}} ${line}`;
  return line.slice(0, width);
}

const COLUMNS: Column[] = [
  { width: 8, name: 'user', header: 'USER', value: (p, w) => userName(p.uid).slice(0, w) },
  { width: 8, name: 'group', header: 'GROUP', value: (p, w) => groupName(p.gid).slice(0, w) },
  { width: 16, name: 'comm', header: 'COMMAND', value: (p, w) => p.comm.slice(0, w) },
  { width: MAX_WIDTH, name: 'args', header: 'COMMAND', value: (p, w) => commandLine(p, w) },
  { width: 5, name: 'pid', header: 'PID', value: (p, w) => String(p.pid).padStart(w) },
  { width: 5, name: 'ppid', header: 'PPID', value: (p, w) => String(p.ppid).padStart(w) },
  { width: 5, name: 'pgid', header: 'PGID', value: (p, w) => String(p.pgid).padStart(w) },
  { width: 7, name: 'etime', header: 'ELAPSED', value: (p, w, c) => formatTime(c.uptime - Math.floor(p.startTime / HZ)).slice(0, w) },
  { width: 5, name: 'nice', header: 'NI', value: (p, w) => String(p.nice).padStart(w) },
  { width: 8, name: 'rgroup', header: 'RGROUP', value: (p, w) => groupName(p.rgid).slice(0, w) },
  { width: 8, name: 'ruser', header: 'RUSER', value: (p, w) => userName(p.ruid).slice(0, w) },
  { width: 5, name: 'time', header: 'TIME', value: (p, w) => formatTime((p.utime + p.stime) / HZ).slice(0, w) },
  { width: 6, name: 'tty', header: 'TT', value: (p, w) => tty(p.ttyNr).slice(0, w) },
  { width: 4, name: 'vsz', header: 'VSZ', value: (p, w) => scaled(p.vszKb).slice(0, w) },
  { width: 5, name: 'sid', header: 'SID', value: (p, w) => String(p.sid).padStart(w) },
  { width: 4, name: 'stat', header: 'STAT', value: (p, w) => p.state.slice(0, w) },
  { width: 4, name: 'rss', header: 'RSS', value: (p, w) => scaled(p.rssKb).slice(0, w) },
];

function tty(nr: number): string {
  if (nr === 0) return '?';
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  return major ? `${major},${minor}` : '?';
}

/** One -o argument: comma-separated columns, each possibly renamed (`pid=PROC`; an empty
 *  header, `user=`, prints none; a header sets the column's width). */
function parseFormat(spec: string): { columns: Column[]; header: boolean } {
  const columns: Column[] = [];
  let header = false;
  for (const item of spec.split(',')) {
    const eq = item.indexOf('=');
    const name = eq === -1 ? item : item.slice(0, eq);
    // BusyBox compares with strncmp over six characters: "rgroupX" is rgroup, "use" is nothing
    const found = COLUMNS.find((c) => (c.name.length < 6 ? name === c.name : name.slice(0, 6) === c.name.slice(0, 6)));
    if (!found) throw new AppletError(`bad -o argument '${name}', supported arguments: ${COLUMNS.map((c) => c.name.slice(0, 6)).join(',')}`);
    const col = { ...found };
    if (eq !== -1) {
      col.header = item.slice(eq + 1);
      if (col.header) col.width = col.header.length;
    }
    if (col.header) header = true;
    columns.push(col);
  }
  return { columns, header };
}

/** One process (or thread) from /proc/PID[/task/TID]. */
function readProc(dir: string, pid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`${dir}/stat`, 'latin1');
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(open + 1, close);
    const f = stat.slice(close + 2).split(' ');
    const num = (i: number) => Number(f[i] ?? 0);
    const st = fs.statSync(dir);
    let ruid = st.uid;
    let rgid = st.gid;
    try {
      const status = fs.readFileSync(`${dir}/status`, 'latin1');
      ruid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? ruid);
      rgid = Number(/^Gid:\s+(\d+)/m.exec(status)?.[1] ?? rgid);
    } catch {
      // gone
    }
    // stat fields after the comm: state(0) ppid(1) pgrp(2) session(3) tty_nr(4) … utime(11)
    // stime(12) … nice(16) … starttime(19) vsize(20) rss(21)
    const vszKb = Math.floor(num(20) / 1024);
    const nice = num(16);
    const state = f[0] ?? '?';
    const flags = (vszKb === 0 && state !== 'Z' ? 'W' : '') + (nice < 0 ? '<' : nice > 0 ? 'N' : '');
    return {
      pid,
      comm,
      state: state + flags,
      ppid: num(1),
      pgid: num(2),
      sid: num(3),
      ttyNr: num(4),
      utime: num(11),
      stime: num(12),
      nice,
      startTime: num(19),
      vszKb,
      rssKb: num(21) * 4,
      uid: st.uid,
      gid: st.gid,
      ruid,
      rgid,
      dir,
    };
  } catch {
    return undefined; // it ended while we looked
  }
}

function* processes(threads: boolean): Generator<Proc> {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch (err) {
    throw new AppletError(`can't open '/proc': ${errorText(err)}`); // BusyBox's words (no /proc mounted)
  }
  const pids = names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    if (!threads) {
      const p = readProc(`/proc/${pid}`, pid);
      if (p) yield p;
      continue;
    }
    let tids: number[] = [];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`).map(Number).sort((a, b) => a - b);
    } catch {
      tids = [];
    }
    for (const tid of tids) {
      const p = readProc(`/proc/${pid}/task/${tid}`, tid);
      if (p) yield p;
    }
  }
}

export default defineApplet({
  name: 'ps',
  summary: 'Show list of processes',
  usage: 'ps [-o COL1,COL2=HEADER] [-T]',
  help: [
    '-o COL1,COL2=HEADER\tSelect columns for display',
    '-T\t\t\tShow threads',
    '',
    'COL: user group comm args pid ppid pgid etime nice rgroup ruser time tty vsz sid stat rss',
  ].join('\n'),
  style: 'busybox',
  options: { o: { arg: 'list' }, T: {}, Z: {}, a: {}, A: {}, d: {}, e: {}, f: {}, l: {} },
  async run(ctx) {
    let columns: Column[] = [];
    let printHeader = false;
    for (const spec of ctx.opts.o ?? ['pid,user,time,args']) {
      const parsed = parseFormat(spec);
      columns.push(...parsed.columns);
      printHeader ||= parsed.header;
    }
    let terminalWidth = MAX_WIDTH;
    if (ctx.isTTY(1) && ctx.stdout.fd !== undefined) {
      const size = ctx.host.terminalSize(ctx.stdout.fd);
      terminalWidth = Math.min((size?.columns ?? 80) - 1, MAX_WIDTH);
    }
    // Columns that do not start on the screen are dropped
    let used = 0;
    for (let i = 0; i < columns.length; i++) {
      used += columns[i]!.width + 1;
      if (used - terminalWidth > 0) {
        columns = columns.slice(0, i + 1);
        break;
      }
    }
    const out = new OutBuffer(ctx.stdout);
    const line = (cells: string[]) => {
      let text = '';
      for (const [i, cell] of cells.entries()) {
        text += cell;
        if (i < cells.length - 1) text += ' '.repeat(Math.max(0, columns[i]!.width - cell.length) + 1);
      }
      return `${text.slice(0, terminalWidth)}\n`;
    };
    if (printHeader) {
      let text = '';
      for (const [i, c] of columns.entries()) text += i < columns.length - 1 ? `${c.header.padEnd(c.width)} ` : c.header;
      await out.put(`${text.slice(0, terminalWidth)}\n`);
    }
    let uptime = 0;
    try {
      uptime = Math.floor(Number(fs.readFileSync('/proc/uptime', 'latin1').split(' ')[0]));
    } catch {
      uptime = 0;
    }
    const c: Context = { uptime };
    for (const p of processes(!!ctx.opts.T)) {
      const cells = columns.map((col) => col.value(p, col.width, c) || '-');
      await out.put(line(cells));
    }
    await out.flush();
    return 0;
  },
});
