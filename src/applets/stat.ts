// stat as GNU coreutils 9.1 has it: the default and terse (-t) forms, -c/--format and --printf
// with every % directive and printf's flags, width and precision, -L, and -f for file systems.
// What Node's statfs leaves out (the file system ID, its name length limit, the fundamental block
// size) is given as 0, 255 and the block size.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { resolvePath } from '../core/context.js';
import type { Ctx } from '../core/context.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { groupByGid, userByUid } from '../core/ids.js';
import { modeString } from '../core/mode.js';
import { QUOTING_STYLES, type QuotingStyle, isUtf8Locale, quote, quotearg, quoteaf } from '../core/quote.js';
import { localtime, strftime, type Zone, zoneFromEnv } from '../core/time.js';

const FILE_DEFAULT =
  '  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n' + 'Device: %Hd,%Ld\tInode: %-11i Links: %h\n';
const DEVICE_DEFAULT =
  '  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n' + 'Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n';
const FILE_DEFAULT_TAIL =
  'Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n';
const FS_DEFAULT =
  '  File: "%n"\n    ID: %-8i Namelen: %-7l Type: %T\nBlock size: %-10s Fundamental block size: %S\n' +
  'Blocks: Total: %-10b Free: %-10f Available: %a\nInodes: Total: %-10c Free: %d\n';
const FILE_TERSE = '%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n';
const FS_TERSE = '%n %i %l %t %s %S %b %f %a %c %d\n';

// Linux file system magic numbers and the names GNU stat gives them.
const FS_TYPES: Record<number, string> = {
  0xef53: 'ext2/ext3',
  0x01021994: 'tmpfs',
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x794c7630: 'overlayfs',
  0x9123683e: 'btrfs',
  0x58465342: 'xfs',
  0x6969: 'nfs',
  0x4d44: 'msdos',
  0x2011bab0: 'exfat',
  0x5346544e: 'ntfs',
  0x65735546: 'fuseblk',
  0x65735543: 'fusectl',
  0x1cd1: 'devpts',
  0x27e0eb: 'cgroupfs',
  0x63677270: 'cgroup2fs',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0xcafe4a11: 'bpf_fs',
  0x6e736673: 'nsfs',
  0x42494e4d: 'binfmt_misc',
  0x958458f6: 'hugetlbfs',
  0x19800202: 'mqueue',
  0x73717368: 'squashfs',
  0x9660: 'isofs',
  0x2fc12fc1: 'zfs',
  0xf2f52010: 'f2fs',
  0x3153464a: 'jfs',
  0x52654973: 'reiserfs',
  0xff534d42: 'cifs',
  0xfe534d42: 'smb2',
  0x01021997: 'v9fs',
  0x6165676c: 'pstorefs',
  0xde5e81e4: 'efivarfs',
  0x858458f6: 'ramfs',
  0x28cd3d45: 'cramfs',
  0x3434: 'nilfs',
  0x15013346: 'udf',
  0xabba1974: 'xenfs',
  0x57ac6e9d: 'stack',
  0xca451a4e: 'bcachefs',
};

type Stat = fs.BigIntStats;

export default defineApplet({
  name: 'stat',
  summary: 'Display file or file system status',
  usage: 'stat [OPTION]... FILE...',
  help: [
    '  -L, --dereference     follow links',
    '  -f, --file-system     display file system status instead of file status',
    '  -c  --format=FORMAT   use the specified FORMAT instead of the default;',
    '                          output a newline after each use of FORMAT',
    '      --printf=FORMAT   like --format, but interpret backslash escapes,',
    '                          and do not output a mandatory trailing newline',
    '  -t, --terse           print the information in terse form',
    '',
    'Files: %a %A %b %B %C %d %D %f %F %g %G %h %i %m %n %N %o %s %t %T %u %U',
    '       %w %W %x %X %y %Y %z %Z %Hd %Ld %Hr %Lr %r %R',
    'File systems: %a %b %c %d %f %i %l %n %s %S %t %T',
  ].join('\n'),
  options: {
    L: { long: 'dereference' },
    f: { long: 'file-system' },
    c: { long: 'format', arg: 'string' },
    printf: { arg: 'string' },
    t: { long: 'terse' },
    cached: { arg: 'string' },
  },
  usageStatus: 1,
  async run(ctx) {
    const o = ctx.opts;
    if (ctx.operands.length === 0) throw new UsageError('missing operand');
    if (o.cached !== undefined && !['default', 'never', 'always'].some((w) => w.startsWith(o.cached!) && o.cached !== '')) {
      throw new UsageError(`invalid argument '${o.cached}' for '--cached'\nValid arguments are:\n  - 'default'\n  - 'never'\n  - 'always'`);
    }
    const userFormat = o.printf ?? o.c;
    const printf = o.printf !== undefined;
    // -c ends each use with a newline (after expansion: a final % stays a %).
    const newline = o.printf === undefined && o.c !== undefined;
    const env = ctx.env;
    const zone = zoneFromEnv(env);
    // %N quotes only when the user's format asks for it (GNU leaves the default literal).
    let quoting: QuotingStyle = 'literal';
    if (userFormat?.includes('%N')) {
      const q = env.get('QUOTING_STYLE');
      quoting = q && (QUOTING_STYLES as readonly string[]).includes(q) ? (q as QuotingStyle) : 'shell-escape-always';
    }
    const s = new Stat_(ctx, zone, quoting, isUtf8Locale(env));
    let status = 0;
    for (const name of ctx.operands) {
      try {
        if (o.f) {
          const sf = s.statfs(name);
          const fmt = userFormat ?? (o.t ? FS_TERSE : FS_DEFAULT);
          await s.print(fmt, printf, newline, (d, spec) => s.fsDirective(d, spec, name, sf));
        } else {
          const st = s.stat(name, !!o.L);
          const isDevice = st.isCharacterDevice() || st.isBlockDevice();
          const fmt = userFormat ?? (o.t ? FILE_TERSE : (isDevice ? DEVICE_DEFAULT : FILE_DEFAULT) + FILE_DEFAULT_TAIL);
          await s.print(fmt, printf, newline, (d, spec) => s.fileDirective(d, spec, name, st, !!o.L));
        }
      } catch (err) {
        status = await ctx.warn(err);
      }
      status = Math.max(status, s.status);
    }
    return status;
  },
});

/** A directive's printf flags, width and precision, as written. */
interface Spec {
  flags: string;
  width: string;
  precision: string | undefined;
}

class Stat_ {
  status = 0;

  constructor(
    private readonly ctx: Ctx<unknown>,
    private readonly zone: Zone,
    private readonly quoting: QuotingStyle,
    private readonly utf8: boolean,
  ) {}

  stat(name: string, follow: boolean): Stat {
    try {
      if (name === '-' && this.ctx.stdin.fd !== undefined) return fs.fstatSync(this.ctx.stdin.fd, { bigint: true });
      const p = fsPath(resolvePath(this.ctx.cwd, name));
      return follow ? fs.statSync(p, { bigint: true }) : fs.lstatSync(p, { bigint: true });
    } catch (err) {
      throw new AppletError(`cannot statx ${quoteaf(name, this.utf8)}: ${errorText(err)}`);
    }
  }

  statfs(name: string): fs.StatsFs {
    try {
      return fs.statfsSync(fsPath(resolvePath(this.ctx.cwd, name)));
    } catch (err) {
      throw new AppletError(`cannot read file system information for ${quoteaf(name, this.utf8)}: ${errorText(err)}`);
    }
  }

  /** Expand a format (and --printf's escapes) and write it. */
  async print(format: string, printf: boolean, newline: boolean, directive: (d: string, spec: Spec) => string): Promise<void> {
    let out = '';
    for (let i = 0; i < format.length; i++) {
      const c = format[i]!;
      if (c === '\\' && printf) {
        const r = this.escape(format, i);
        if (r.warning) {
          // (GNU's error() flushes standard output first)
          await this.ctx.stdout.write(out);
          out = '';
          await this.ctx.stderr.write(`${this.ctx.name}: warning: ${r.warning}\n`);
        }
        out += r.text;
        i = r.end;
        continue;
      }
      if (c !== '%') {
        out += c;
        continue;
      }
      const m = /^%([-#+ 0']*)(\d*)(?:\.(\d*))?/.exec(format.slice(i))!;
      let j = i + m[0].length;
      const spec: Spec = { flags: m[1]!, width: m[2]!, precision: m[3] };
      let d = format[j];
      if (d === undefined || d === '%') {
        if (m[0] !== '%') {
          await this.ctx.stdout.write(out);
          throw new AppletError(`${quote(format.slice(i, j + 1))}: invalid directive`);
        }
        out += '%';
        i = j;
        continue;
      }
      if (d === 'H' || d === 'L') {
        const next = format[j + 1];
        if (next === 'd' || next === 'r') {
          d += next;
          j++;
        } else {
          out += '?';
          i = j;
          continue;
        }
      }
      out += directive(d, spec);
      i = j;
    }
    if (newline) out += '\n';
    await this.ctx.stdout.write(out);
  }

  /** A backslash escape in --printf's format (an unknown one is warned about and kept). */
  private escape(format: string, i: number): { text: string; end: number; warning?: string } {
    const e = format[i + 1];
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };
    if (e === undefined) return { text: '\\', end: i, warning: 'backslash at end of format' };
    if (e in simple) return { text: simple[e]!, end: i + 1 };
    const oct = /^[0-7]{1,3}/.exec(format.slice(i + 1));
    if (oct) return { text: String.fromCharCode(parseInt(oct[0], 8) & 0xff), end: i + oct[0].length };
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(format.slice(i + 1));
    if (hex) return { text: String.fromCharCode(parseInt(hex[1]!, 16)), end: i + hex[0].length };
    return { text: e, end: i + 1, warning: `unrecognized escape '\\${e}'` };
  }

  fileDirective(d: string, spec: Spec, name: string, st: Stat, follow: boolean): string {
    const mode = Number(st.mode);
    switch (d) {
      case 'a':
        return int(spec, mode & 0o7777, 'o');
      case 'A':
        return str(spec, modeString(mode));
      case 'b':
        return int(spec, st.blocks);
      case 'B':
        return int(spec, 512);
      case 'C':
        this.status = 1;
        void this.ctx.stderr.write(`${this.ctx.name}: failed to get security context of ${quoteaf(name, this.utf8)}: No data available\n`);
        return str(spec, '?');
      case 'd':
        return int(spec, st.dev);
      case 'D':
        return int(spec, st.dev, 'x');
      case 'Hd':
        return int(spec, major(st.dev));
      case 'Ld':
        return int(spec, minor(st.dev));
      case 'f':
        return int(spec, st.mode, 'x');
      case 'F':
        return str(spec, fileType(st));
      case 'g':
        return int(spec, st.gid);
      case 'G':
        return str(spec, groupByGid(Number(st.gid))?.name ?? 'UNKNOWN');
      case 'h':
        return int(spec, st.nlink);
      case 'i':
        return int(spec, st.ino);
      case 'm':
        return str(spec, this.mountPoint(name, follow));
      case 'n':
        return str(spec, name);
      case 'N': {
        let text = quotearg(name, this.quoting, { utf8: this.utf8 });
        if (st.isSymbolicLink()) {
          try {
            const target = fs.readlinkSync(fsPath(resolvePath(this.ctx.cwd, name)), { encoding: 'latin1' });
            text += ` -> ${quotearg(target, this.quoting, { utf8: this.utf8 })}`;
          } catch (err) {
            void this.ctx.stderr.write(`${this.ctx.name}: cannot read symbolic link ${quoteaf(name, this.utf8)}: ${errorText(err)}\n`);
            this.status = 1;
          }
        }
        return str(spec, text);
      }
      case 'o':
        return int(spec, st.blksize);
      case 's':
        return int(spec, st.size, 'd', true);
      case 'r':
        return int(spec, st.rdev);
      case 'R':
        return int(spec, st.rdev, 'x');
      case 'Hr':
        return int(spec, major(st.rdev));
      case 'Lr':
        return int(spec, minor(st.rdev));
      case 't':
        return int(spec, major(st.rdev), 'x');
      case 'T':
        return int(spec, minor(st.rdev), 'x');
      case 'u':
        return int(spec, st.uid);
      case 'U':
        return str(spec, userByUid(Number(st.uid))?.name ?? 'UNKNOWN');
      case 'w':
        return st.birthtimeNs === 0n ? str(spec, '-') : str(spec, this.humanTime(st.birthtimeNs));
      case 'W':
        return st.birthtimeNs === 0n ? str(spec, '0') : epoch(spec, st.birthtimeNs);
      case 'x':
        return str(spec, this.humanTime(st.atimeNs));
      case 'X':
        return epoch(spec, st.atimeNs);
      case 'y':
        return str(spec, this.humanTime(st.mtimeNs));
      case 'Y':
        return epoch(spec, st.mtimeNs);
      case 'z':
        return str(spec, this.humanTime(st.ctimeNs));
      case 'Z':
        return epoch(spec, st.ctimeNs);
      default:
        return '?';
    }
  }

  fsDirective(d: string, spec: Spec, name: string, sf: fs.StatsFs): string {
    switch (d) {
      case 'a':
        return int(spec, sf.bavail);
      case 'b':
        return int(spec, sf.blocks);
      case 'c':
        return int(spec, sf.files);
      case 'd':
        return int(spec, sf.ffree);
      case 'f':
        return int(spec, sf.bfree);
      case 'i':
        return int(spec, 0, 'x');
      case 'l':
        return int(spec, 255);
      case 'n':
        return str(spec, name);
      case 's':
      case 'S':
        return int(spec, sf.bsize);
      case 't':
        return int(spec, sf.type, 'x');
      case 'T':
        return str(spec, FS_TYPES[sf.type] ?? `UNKNOWN (0x${sf.type.toString(16)})`);
      default:
        return '?';
    }
  }

  private humanTime(ns: bigint): string {
    const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
    return strftime('%Y-%m-%d %H:%M:%S.%N %z', localtime(Number(sec), this.zone), Number(ns - sec * 1000000000n));
  }

  /** The mount point of a file: the highest directory above it on the same device. */
  private mountPoint(name: string, follow: boolean): string {
    let dir = resolvePath(this.ctx.cwd, name);
    try {
      const st = follow ? fs.statSync(fsPath(dir)) : fs.lstatSync(fsPath(dir));
      if (!st.isDirectory()) dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
      dir = fs.realpathSync(fsPath(dir), { encoding: 'latin1' });
      const dev = fs.statSync(fsPath(dir)).dev;
      while (dir !== '/') {
        const parent = dir.slice(0, dir.lastIndexOf('/')) || '/';
        if (fs.statSync(fsPath(parent)).dev !== dev) break;
        dir = parent;
      }
      return dir;
    } catch {
      return '?';
    }
  }
}

function fileType(st: Stat): string {
  if (st.isFile()) return st.size === 0n ? 'regular empty file' : 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isCharacterDevice()) return 'character special file';
  if (st.isBlockDevice()) return 'block special file';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'weird file';
}

function major(dev: bigint): bigint {
  return ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
}
function minor(dev: bigint): bigint {
  return (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
}

/** printf %s with flags, width and precision. */
function str(spec: Spec, s: string): string {
  if (spec.precision !== undefined) s = s.slice(0, Number(spec.precision || 0));
  return padTo(spec, s, false);
}

/** printf %u, %o or %x (or %d for the signed values: sizes and times) with flags, width and
 *  precision. */
function int(spec: Spec, value: number | bigint, base: 'd' | 'o' | 'x' = 'd', signed = false): string {
  const v = BigInt(value);
  const negative = v < 0n;
  let digits = (negative ? -v : v).toString(base === 'd' ? 10 : base === 'o' ? 8 : 16);
  if (spec.precision !== undefined) {
    const p = Number(spec.precision || 0);
    if (p === 0 && v === 0n) digits = '';
    digits = digits.padStart(p, '0');
  }
  let prefix = '';
  if (spec.flags.includes('#')) {
    if (base === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
    if (base === 'x' && v !== 0n) prefix = '0x';
  }
  if (base === 'd') prefix = negative ? '-' : !signed ? '' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  return padTo(spec, digits, spec.precision === undefined, prefix);
}

/** Seconds since the epoch with an optional fraction (%.3Y), as GNU's out_epoch_sec. */
function epoch(spec: Spec, ns: bigint): string {
  const sec = ns >= 0n ? ns / 1000000000n : (ns - 999999999n) / 1000000000n;
  const frac = ns - sec * 1000000000n;
  if (spec.precision === undefined) return int(spec, sec, 'd', true);
  const p = Number(spec.precision || 0);
  if (p === 0) return int({ ...spec, precision: undefined }, sec, 'd', true);
  let fraction = String(frac).padStart(9, '0');
  fraction = p <= 9 ? fraction.slice(0, p) : fraction + '0'.repeat(p - 9);
  const whole = int({ flags: spec.flags.replace(/[-0]/g, ''), width: '', precision: undefined }, sec, 'd', true);
  return padTo({ ...spec, precision: undefined }, `${whole}.${fraction}`, spec.flags.includes('0'));
}

function padTo(spec: Spec, body: string, zeroAllowed: boolean, prefix = ''): string {
  const width = Number(spec.width || 0);
  const len = prefix.length + body.length;
  if (len >= width) return prefix + body;
  if (spec.flags.includes('-')) return prefix + body + ' '.repeat(width - len);
  if (zeroAllowed && spec.flags.includes('0')) return prefix + '0'.repeat(width - len) + body;
  return ' '.repeat(width - len) + prefix + body;
}
