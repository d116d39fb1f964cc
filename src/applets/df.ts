// df in BusyBox's form (what Alpine users see): the mount table (/proc/self/mounts) or the file
// systems holding each FILE, with statfs for the numbers; -k -m -B SIZE -h -P -T -t TYPE -a -i,
// GNU's long spellings of those, and GNU's -x TYPE to leave a type out.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { AppletError, errorText } from '../core/errors.js';

interface Mount {
  device: string;
  dir: string;
  type: string;
}

const SUFFIXES: Record<string, number> = {
  k: 1024,
  K: 1024,
  m: 1024 ** 2,
  M: 1024 ** 2,
  g: 1024 ** 3,
  G: 1024 ** 3,
  t: 1024 ** 4,
  T: 1024 ** 4,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  TB: 1000 ** 4,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

export default defineApplet({
  name: 'df',
  summary: 'Print filesystem usage statistics',
  usage: 'df [-PkmhTai] [-B SIZE] [-t TYPE] [-x TYPE] [FILESYSTEM]...',
  help: [
    '-P\tPOSIX output format',
    '-k\t1024-byte blocks (default)',
    '-m\t1M-byte blocks',
    '-h\tHuman readable (e.g. 1K 243M 2G)',
    '-T\tPrint filesystem type',
    '-t TYPE\tPrint only mounts of this type',
    '-x TYPE\tDo not print mounts of this type',
    '-a\tShow all filesystems',
    '-i\tInodes',
    '-B SIZE\tBlocksize',
  ].join('\n'),
  options: {
    k: { overrides: 'mB' },
    P: { long: 'portability' },
    T: { long: 'print-type' },
    t: { long: 'type', arg: 'string' },
    x: { long: 'exclude-type', arg: 'list' },
    a: { long: 'all' },
    i: { long: 'inodes' },
    B: { long: 'block-size', arg: 'string', overrides: 'km' },
    h: { long: 'human-readable' },
    H: { long: 'si' },
    m: { overrides: 'Bk' },
  },
  style: 'busybox',
  usageStatus: 1,
  async run(ctx) {
    const o = ctx.opts;
    let unit = ctx.env.get('POSIXLY_CORRECT') !== undefined ? 512 : 1024;
    if (o.m) unit = 1024 * 1024;
    if (o.B !== undefined) {
      const m = /^(\d*)([A-Za-z]*)$/.exec(o.B);
      const mult = m && m[2] ? SUFFIXES[m[2]] : 1;
      const n = m && m[1] ? Number(m[1]) : m && m[2] ? 1 : Number.NaN;
      if (!m || mult === undefined || !Number.isSafeInteger(n * mult) || n * mult < 1) throw new AppletError(`invalid number '${o.B}'`);
      unit = n * mult;
    }
    const human = !!(o.h || o.H);
    let unitsHeader: string;
    if (human) unitsHeader = '     Size';
    else if (o.i) unitsHeader = '   Inodes';
    else unitsHeader = `${o.P ? String(unit) : bbHuman(unit, 0, 0)}-blocks`;

    let out = `Filesystem           ${o.T ? 'Type       ' : ''}${unitsHeader.padEnd(15)}Used Available ${o.P ? 'Capacity' : 'Use%'} Mounted on\n`;
    let status = 0;
    let mounts: Mount[];
    try {
      mounts = readMounts();
    } catch (err) {
      throw new AppletError(`/proc/self/mounts: ${errorText(err)}`);
    }
    const targets: (Mount | undefined)[] = [];
    const names = ctx.operands;
    if (names.length === 0) targets.push(...mounts.filter((m) => m.device !== 'rootfs'));
    for (const name of names) {
      const m = findMountPoint(ctx.path(name), name, mounts);
      if (!m) {
        await ctx.stdout.write(out);
        out = '';
        await ctx.stderr.write(`${ctx.name}: ${name}: can't find mount point\n`);
        status = 1;
        continue;
      }
      targets.push(m);
    }
    for (const m of targets) {
      if (!m) continue;
      if (o.t !== undefined && m.type !== o.t) continue;
      if (o.x?.includes(m.type)) continue;
      let s: fs.StatsFs;
      try {
        s = fs.statfsSync(fsPath(m.dir));
      } catch (err) {
        await ctx.stdout.write(out);
        out = '';
        await ctx.stderr.write(`${ctx.name}: ${m.dir}: ${errorText(err)}\n`);
        status = 1;
        continue;
      }
      let blocks = s.blocks;
      let bfree = s.bfree;
      let bavail = s.bavail;
      let frsize = s.bsize;
      let displayUnit = human ? 0 : unit;
      if (!(blocks > 0 || names.length > 0 || o.a)) continue;
      if (o.i) {
        blocks = s.files;
        bavail = bfree = s.ffree;
        frsize = 1;
        if (displayUnit) displayUnit = 1;
      }
      let used = blocks - bfree;
      let total = used + bavail;
      let percent = 0;
      if (total !== 0) {
        while (total >= Math.floor(0x7fffffff / 101)) {
          total = Math.floor(total / 2);
          used = Math.floor(used / 2);
        }
        percent = Math.floor((used * 100 + Math.floor(total / 2)) / total);
      }
      // BusyBox (with Unicode support, as Debian and Alpine build it) pads with printf's "%*s" and
      // 20 - width: a name over 20 wraps, or with -P gets |20 - width| spaces (a negative width).
      let line = m.device.length > 20 && !o.P ? `${m.device}\n${' '.repeat(20)}` : m.device + ' '.repeat(Math.abs(20 - m.device.length));
      if (o.T) {
        if (m.type.length > 10 && !o.P) line += ` ${m.type}\n${' '.repeat(31)}`;
        else line += ` ${m.type}${' '.repeat(Math.abs(10 - m.type.length))}`;
      }
      line += ` ${bbHuman(blocks, frsize, displayUnit).padStart(9)} `;
      line += `${bbHuman(blocks - bfree, frsize, displayUnit).padStart(9)} `;
      line += `${bbHuman(bavail, frsize, displayUnit).padStart(9)} ${String(percent).padStart(3)}% ${m.dir}\n`;
      out += line;
    }
    await ctx.stdout.write(out);
    return status;
  },
});

/** BusyBox's make_human_readable_str: `value` blocks of `blockSize` bytes in `displayUnit` units
 *  (rounded), or with 0, scaled to K/M/G with one decimal (none when blockSize is 0). */
function bbHuman(value: number, blockSize: number, displayUnit: number): string {
  if (value === 0) return '0';
  let val = BigInt(Math.trunc(value));
  if (blockSize > 1) val *= BigInt(blockSize);
  if (displayUnit) {
    const u = BigInt(displayUnit);
    return String((val + u / 2n) / u);
  }
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  let u = 0;
  let frac = 0n;
  let scaled = false;
  while (val >= 1024n) {
    scaled = true;
    u++;
    frac = ((val % 1024n) * 10n + 512n) / 1024n;
    val /= 1024n;
  }
  if (frac >= 10n) {
    val++;
    frac = 0n;
  }
  if (blockSize === 0) {
    if (frac >= 5n) val++;
    return `${val}${units[u]}`;
  }
  return scaled ? `${val}.${frac}${units[u]}` : String(val);
}

/** The mount table, with getmntent's octal escapes decoded. */
function readMounts(): Mount[] {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mounts', 'latin1');
  } catch {
    text = fs.readFileSync('/etc/mtab', 'latin1');
  }
  const decode = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(/[ \t]+/);
    if (f.length < 3 || line.startsWith('#')) continue;
    mounts.push({ device: decode(f[0]!), dir: decode(f[1]!), type: decode(f[2]!) });
  }
  return mounts;
}

/** BusyBox's find_mount_point: the first mount named NAME (directory or device), or holding it. */
function findMountPoint(path: string, name: string, mounts: Mount[]): Mount | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(fsPath(path));
  } catch {
    return undefined;
  }
  const dev = st.isBlockDevice() || st.isCharacterDevice() ? st.rdev : st.dev;
  for (const m of mounts) {
    if (m.device === 'rootfs') continue;
    if (name === m.dir || name === m.device) return m;
    try {
      if (m.device.startsWith('/') && fs.statSync(fsPath(m.device)).rdev === dev) return m;
    } catch {
      // not a device node
    }
    try {
      if (fs.statSync(fsPath(m.dir)).dev === dev) return m;
    } catch {
      // unreachable mount
    }
  }
  return undefined;
}
