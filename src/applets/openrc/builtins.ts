// The helper commands init scripts call, which OpenRC installs as programs in /lib/rc/bin and
// /lib/rc/sbin: the einfo family, yesno, service_* tests, mark_service_*, service_get_value and
// service_set_value, checkpath, is_newer_than, shell_var, mountinfo, the depend() words. Here they
// are shell builtins (sh's Runtime.extraBuiltins), so a script never starts a process to print a
// line. They behave as the programs do: they see only exported variables, and what they change in
// their own environment is lost, except where OpenRC's shell wrappers keep it (EINFO_LASTCMD).
import * as fs from 'node:fs';
import type { ProcessHost } from '../../core/context.js';
import { fsPath } from '../../core/bytes.js';
import { errorCode, strerror } from '../../core/errors.js';
import { groupByGid, groupByName, userByName, userByUid } from '../../core/ids.js';
import type { Builtin } from '../sh/builtins/index.js';
import { callFunction } from '../sh/interp.js';
import { runText } from '../sh/script.js';
import type { Shell } from '../sh/shell.js';
import { daemonsCrashed, startedDaemon } from './daemons.js';
import { newerThan } from './deptree.js';
import { Color, Einfo, type EinfoOut } from './einfo.js';
import { LAZY_FUNCTIONS } from './library.js';
import { basename, type Rc, State } from './state.js';

/** What the builtins need from the openrc-run (or gendepends) running the shell. */
export interface LibraryHooks {
  rc: Rc;
  host: ProcessHost;
  /** A mark_service_* changed the state of the service being run: openrc-run must not mark it
   *  again from the script's exit status (OpenRC signals its openrc-run for this). */
  onSelfMark?(): void;
  /** gendepends: a depend() word, for the service being read. */
  depend?(service: string, type: string, values: string[]): void;
  /** gendepends: a service was read. */
  depinfo?(service: string): void;
  /** Set by `_rc_remember_lastcmd` (stdout is not a colour terminal): the e* commands then keep
   *  EINFO_LASTCMD in the shell, as OpenRC's wrapper functions do. */
  rememberLastCmd?: boolean;
}

/** The e* commands whose last use OpenRC's shell wrappers remember in EINFO_LASTCMD (its list,
 *  which names `error` and `errorn` where it means eerror and eerrorn). */
const REMEMBERED = new Set(['ebegin', 'eend', 'einfo', 'einfon', 'ewarn', 'ewarnn', 'ewend', 'vebegin', 'veend', 'veinfo', 'vewarn', 'vewend']);

function shellOut(sh: Shell): EinfoOut {
  return {
    write(fd, text) {
      try {
        return sh.write(fd, text)?.catch(() => {});
      } catch {
        return undefined; // a closed descriptor: the program's write would fail silently too
      }
    },
    isatty: (fd) => sh.isatty(fd),
    columns(fd) {
      const real = sh.fds[fd]?.fd;
      return real !== undefined && sh.host.isatty(real) ? sh.host.terminalSize(real)?.columns : undefined;
    },
  };
}

/** An Einfo over the shell's exported variables, as a program started by the script sees them. */
function einfoFor(sh: Shell): Einfo {
  return new Einfo(sh.exportedEnv().child(), shellOut(sh));
}

function getenv(sh: Shell, name: string): string | undefined {
  return sh.exportedEnv().get(name);
}

/** C's strtoimax(s, &p, 0) with the whole string consumed. */
function wholeNumber(s: string): number | undefined {
  if (/^\s*[+-]?0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s.trim().replace(/^([+-]?)0[xX]/, '$10x'), 16);
  if (/^\s*[+-]?0[0-7]*$/.test(s)) return parseInt(s, 8);
  if (/^\s*[+-]?[1-9][0-9]*$/.test(s)) return parseInt(s, 10);
  return undefined;
}

type EinfoCommand = (e: Einfo, message: string | undefined, status: number) => Promise<number>;

const EINFO_COMMANDS: Record<string, EinfoCommand> = {
  einfo: (e, m) => e.einfo(m),
  einfon: (e, m) => e.einfon(m),
  ewarn: (e, m) => e.ewarn(m),
  ewarnn: (e, m) => e.ewarnn(m),
  eerror: (e, m) => e.eerror(m),
  eerrorn: (e, m) => e.eerrorn(m),
  ebegin: (e, m) => e.ebegin(m),
  eend: (e, m, s) => e.eend(s, m),
  ewend: (e, m, s) => e.eend(s, m, true),
  veinfo: (e, m) => e.einfov(m),
  veinfon: (e, m) => e.einfovn(m),
  vewarn: (e, m) => e.ewarnv(m),
  vewarnn: (e, m) => e.ewarnvn(m),
  vebegin: (e, m) => e.ebeginv(m),
  veend: (e, m, s) => e.eendv(s, m),
  vewend: (e, m, s) => e.eendv(s, m, true),
};

const TAKES_STATUS = new Set(['eend', 'ewend', 'veend', 'vewend']);

function einfoBuiltin(name: string, run: EinfoCommand, hooks: LibraryHooks): Builtin {
  return {
    async run(sh, argv) {
      const e = einfoFor(sh);
      let args = argv.slice(1);
      let status = 0;
      if (TAKES_STATUS.has(name) && args.length > 0) {
        const n = wholeNumber(args[0]!);
        if (n === undefined) status = 1;
        else {
          status = n;
          args = args.slice(1);
        }
      }
      const message = args.length ? args.join(' ') : undefined;
      let result = await run(e, message, status);
      if (name === 'eerror' || name === 'eerrorn') result = 1;
      else if (!TAKES_STATUS.has(name)) result = 0;
      if (REMEMBERED.has(name) && hooks.rememberLastCmd) {
        sh.set('EINFO_LASTCMD', name);
        sh.setExported('EINFO_LASTCMD', true);
      }
      return result;
    },
  };
}

/** yesno: functions.sh's function — a yes/no word, or the name of a variable holding one. */
const yesnoBuiltin = (hooks: LibraryHooks): Builtin => ({
  run(sh, argv) {
    const arg = argv[1];
    if (!arg) return 1;
    const word = (v: string) => (/^(yes|true|on|1)$/i.test(v) ? 0 : /^(no|false|off|0)$/i.test(v) ? 1 : undefined);
    const direct = word(arg);
    if (direct !== undefined) return direct;
    // `eval value=\"\$$1\"`: the longest name at the start is the variable, the rest is text
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(arg);
    const value = m ? (sh.get(m[0]) ?? '') + arg.slice(m[0].length) : `$${arg}`;
    const indirect = word(value);
    if (indirect !== undefined) return indirect;
    return einfoFor(sh)
      .ewarnv(`$${arg} is not set properly`)
      .then(() => {
        // through the vewarn wrapper, which remembers it even when it printed nothing
        if (hooks.rememberLastCmd) {
          sh.set('EINFO_LASTCMD', 'vewarn');
          sh.setExported('EINFO_LASTCMD', true);
        }
        return 2;
      });
  },
});

function serviceArg(sh: Shell, argv: string[]): string | undefined {
  const service = argv.length > 1 ? argv[1] : getenv(sh, 'RC_SVCNAME');
  return service ? service : undefined;
}

async function fail(sh: Shell, message: string): Promise<number> {
  await einfoFor(sh).eerror(message);
  return 1;
}

const SERVICE_TESTS: Record<string, State> = {
  service_started: State.Started,
  service_stopped: State.Stopped,
  service_inactive: State.Inactive,
  service_starting: State.Starting,
  service_stopping: State.Stopping,
  service_hotplugged: State.Hotplugged,
  service_wasinactive: State.WasInactive,
  service_failed: State.Failed,
};

const MARKS: Record<string, State> = {
  mark_service_started: State.Started,
  mark_service_stopped: State.Stopped,
  mark_service_inactive: State.Inactive,
  mark_service_starting: State.Starting,
  mark_service_stopping: State.Stopping,
  mark_service_hotplugged: State.Hotplugged,
  mark_service_wasinactive: State.WasInactive,
  mark_service_failed: State.Failed,
};

/** checkpath's mode argument: octal only. */
function parseMode(text: string): number | undefined {
  if (!/^[0-7]+$/.test(text)) return undefined;
  const n = parseInt(text, 8);
  return n > 0o7777 ? undefined : n;
}

async function checkpath(sh: Shell, argv: string[], hooks: LibraryHooks): Promise<number> {
  const e = einfoFor(sh);
  const applet = 'checkpath';
  let type: 'file' | 'dir' | 'fifo' | undefined;
  let trunc = false;
  let mode = 0;
  let owner: string | undefined;
  let writable = false;
  const paths: string[] = [];
  const longs: Record<string, string> = {
    directory: 'd', 'directory-truncate': 'D', file: 'f', 'file-truncate': 'F', pipe: 'p', mode: 'm', owner: 'o',
    symlinks: 's', writable: 'W', quiet: 'q', verbose: 'v', nocolor: 'C',
  };
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      paths.push(...args.slice(i + 1));
      break;
    }
    let opts: [string, string | undefined][] = [];
    if (a.startsWith('--')) {
      const [name, value] = a.slice(2).split(/=(.*)/s) as [string, string | undefined];
      const letter = longs[name] ?? Object.entries(longs).find(([n]) => n.startsWith(name))?.[1];
      if (!letter) return fail(sh, `${applet}: unrecognized option '${a}'`);
      opts = [[letter, value]];
    } else if (a.length > 1 && a.startsWith('-')) {
      for (let j = 1; j < a.length; j++) {
        const letter = a[j]!;
        if (letter === 'm' || letter === 'o') {
          opts.push([letter, j + 1 < a.length ? a.slice(j + 1) : undefined]);
          break;
        }
        opts.push([letter, undefined]);
      }
    } else {
      paths.push(a);
      continue;
    }
    for (const [letter, inline] of opts) {
      let value = inline;
      if ((letter === 'm' || letter === 'o') && value === undefined) value = args[++i];
      switch (letter) {
        case 'D':
          trunc = true;
          type = 'dir';
          break;
        case 'd':
          type = 'dir';
          break;
        case 'F':
          trunc = true;
          type = 'file';
          break;
        case 'f':
          type = 'file';
          break;
        case 'p':
          type = 'fifo';
          break;
        case 'm': {
          const m = value === undefined ? undefined : parseMode(value);
          if (m === undefined) return fail(sh, `${applet}: invalid mode \`${value ?? ''}'`);
          mode = m;
          break;
        }
        case 'o':
          owner = value ?? '';
          break;
        case 'W':
          writable = true;
          break;
        case 's':
        case 'q':
        case 'v':
        case 'C':
          break;
        default:
          return fail(sh, `${applet}: invalid option -- '${letter}'`);
      }
    }
  }
  if (paths.length === 0) return fail(sh, `${applet}: no path specified`);
  if (writable && type) return fail(sh, `${applet}: -W cannot be specified along with -d, -f or -p`);

  const root = hooks.rc.root || '/';
  let uid = sh.host.euid();
  let gid = sh.host.gid();
  if (owner !== undefined) {
    const [u, g] = owner.split(/:(.*)/s) as [string, string | undefined];
    const user = u ? (/^\d+$/.test(u) ? userByUid(Number(u), root) : userByName(u, root)) : undefined;
    const group = g ? (/^\d+$/.test(g) ? groupByGid(Number(g), root) : groupByName(g, root)) : undefined;
    if ((u && !user) || (g && !group)) return fail(sh, `${applet}: owner \`${owner}' not found`);
    if (user) {
      uid = user.uid;
      gid = user.gid;
    }
    if (group) gid = group.gid;
  }

  let status = 0;
  for (const raw of paths) {
    const path = raw.replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');
    if (writable) {
      try {
        fs.accessSync(fsPath(path), fs.constants.W_OK);
      } catch {
        status = 1;
      }
      continue;
    }
    if (!path.startsWith('/')) {
      await e.eerror(`${applet}: empty or relative path`);
      return 1;
    }
    if (!(await checkOne(e, path, type, trunc, mode, owner !== undefined ? { uid, gid } : undefined, sh))) status = 1;
  }
  return status;
}

async function checkOne(e: Einfo, path: string, type: 'file' | 'dir' | 'fifo' | undefined, trunc: boolean, mode: number, owner: { uid: number; gid: number } | undefined, sh: Shell): Promise<boolean> {
  const applet = 'checkpath';
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(fsPath(path));
  } catch {
    st = undefined;
  }
  if (!st) {
    if (!type) return false;
    const defaults = { file: 0o664, dir: 0o775, fifo: 0o600 };
    const createMode = mode || defaults[type];
    await e.einfo(`${path}: creating ${type === 'dir' ? 'directory' : type}`);
    const old = sh.host.umask(0);
    try {
      if (type === 'dir') fs.mkdirSync(fsPath(path), createMode);
      else if (type === 'file') fs.closeSync(fs.openSync(fsPath(path), 'wx', createMode));
      else {
        const { spawnSync } = process.getBuiltinModule('node:child_process');
        const r = spawnSync('mkfifo', ['-m', createMode.toString(8), path]);
        if (r.status !== 0) throw Object.assign(new Error('mkfifo'), { code: 'EIO' });
      }
    } catch (err) {
      const what = type === 'dir' ? 'mkdirat' : type === 'fifo' ? 'mkfifo' : 'open';
      await e.eerror(`${applet}: ${what}: ${strerror(errorCode(err) ?? 'EIO')}`);
      return false;
    } finally {
      sh.host.umask(old);
    }
    st = fs.lstatSync(fsPath(path));
  } else if (trunc && type === 'file' && st.isFile()) {
    fs.truncateSync(fsPath(path), 0);
  }
  if (type !== 'dir' && st.isDirectory()) {
    await e.eerror(`${path}: is a directory`);
    return false;
  }
  if (type !== 'file' && st.isFile()) {
    await e.eerror(`${path}: is a file`);
    return false;
  }
  if (type !== 'fifo' && st.isFIFO()) {
    await e.eerror(`${path}: is a fifo`);
    return false;
  }
  if (mode && (st.mode & 0o7777) !== mode) {
    if (type !== 'dir' && st.nlink > 1) {
      await e.eerror(`${applet}: chmod: Too many hard links to ${path}`);
      return false;
    }
    await e.einfo(`${path}: correcting mode`);
    try {
      fs.chmodSync(fsPath(path), mode);
    } catch (err) {
      await e.eerror(`${applet}: chmod: ${strerror(errorCode(err) ?? 'EIO')}`);
      return false;
    }
  }
  if (owner && (st.uid !== owner.uid || st.gid !== owner.gid)) {
    if (type !== 'dir' && st.nlink > 1) {
      await e.eerror(`${applet}: chown: Too many hardlinks to ${path}`);
      return false;
    }
    await e.einfo(`${path}: correcting owner`);
    try {
      fs.lchownSync(fsPath(path), owner.uid, owner.gid);
    } catch (err) {
      await e.eerror(`${applet}: chown: ${strerror(errorCode(err) ?? 'EIO')}`);
      return false;
    }
  }
  return true;
}

interface Mount {
  source: string;
  target: string;
  fstype: string;
  options: string;
}

function readMounts(): Mount[] {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mounts', 'latin1');
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [source = '', target = '', fstype = '', options = ''] = line.split(' ');
      return { source: unescape(source), target: unescape(target), fstype, options };
    });
}

const NET_FSTYPES = /^(afs|ceph|cifs|coda|davfs|fuse|fuse\.sshfs|gfs|glusterfs|lustre|ncpfs|nfs|nfs4|ocfs2|shfs|smbfs)$/;

/** mountinfo: the mount points (or whether the ones given are mounted), filtered as asked. */
async function mountinfo(sh: Shell, argv: string[]): Promise<number> {
  let quiet = false;
  let show: 'target' | 'fstype' | 'options' | 'source' = 'target';
  const filters: ((m: Mount) => boolean)[] = [];
  const points: string[] = [];
  const args = argv.slice(1);
  const regex = (r: string | undefined) => new RegExp(r ?? '');
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    switch (a) {
      case '-q':
      case '--quiet':
        quiet = true;
        break;
      case '-s':
      case '--fstype':
        show = 'fstype';
        break;
      case '-i':
      case '--options':
        show = 'options';
        break;
      case '-t':
      case '--fstype-regex': {
        const r = regex(args[++i]);
        filters.push((m) => r.test(m.fstype));
        break;
      }
      case '-T':
      case '--skip-fstype-regex': {
        const r = regex(args[++i]);
        filters.push((m) => !r.test(m.fstype));
        break;
      }
      case '-p':
      case '--point-regex': {
        const r = regex(args[++i]);
        filters.push((m) => r.test(m.target));
        break;
      }
      case '-P':
      case '--skip-point-regex': {
        const r = regex(args[++i]);
        filters.push((m) => !r.test(m.target));
        break;
      }
      case '-o':
      case '--options-regex': {
        const r = regex(args[++i]);
        filters.push((m) => r.test(m.options));
        break;
      }
      case '-O':
      case '--skip-options-regex': {
        const r = regex(args[++i]);
        filters.push((m) => !r.test(m.options));
        break;
      }
      case '-n':
      case '--netdev':
        filters.push((m) => NET_FSTYPES.test(m.fstype) || m.options.split(',').includes('_netdev'));
        break;
      case '-N':
      case '--nonetdev':
        filters.push((m) => !NET_FSTYPES.test(m.fstype) && !m.options.split(',').includes('_netdev'));
        break;
      default:
        points.push(a);
    }
  }
  const mounts = readMounts().filter((m) => filters.every((f) => f(m)));
  let status = 0;
  const lines: string[] = [];
  if (points.length) {
    for (const p of points) {
      const m = [...mounts].reverse().find((x) => x.target === p);
      if (!m) {
        status = 1;
        continue;
      }
      lines.push(m[show]);
    }
  } else {
    if (mounts.length === 0) status = 1;
    for (const m of mounts) lines.push(m[show]);
  }
  if (!quiet && lines.length) await sh.writeOut(lines.map((l) => `${l}\n`).join(''));
  return status;
}

const DEPEND_TYPES: Record<string, string> = {
  need: 'ineed',
  use: 'iuse',
  want: 'iwant',
  before: 'ibefore',
  after: 'iafter',
  provide: 'iprovide',
  config: 'config',
  keyword: 'keyword',
};

function containers(sh: Shell): string[] {
  const uname = sh.get('RC_UNAME');
  if (uname === 'Linux') return ['-docker', '-lxc', '-openvz', '-rkt', '-systemd-nspawn', '-uml', '-vserver'];
  if (uname === 'FreeBSD') return ['-jail'];
  return [];
}

/** need/use/want/before/after/provide/config/keyword: recorded while the deptree is built, else
 *  printed as openrc-run.sh's functions print them (`openrc-run SCRIPT depend`). */
function dependBuiltin(word: string, hooks: LibraryHooks): Builtin {
  return {
    run(sh, argv) {
      let values = argv.slice(1).join(' ').split(/[ \t\n]+/).filter(Boolean);
      if (word === 'keyword') {
        values = values.flatMap((v) => (v === '-containers' ? containers(sh) : v === '!-containers' ? containers(sh).map((c) => `!${c}`) : [v]));
      }
      if (values.length === 0) return 1;
      if (hooks.depend) {
        hooks.depend(sh.get('RC_SVCNAME') ?? '', DEPEND_TYPES[word]!, values);
        return 0;
      }
      const text = word === 'keyword' ? `keyword ${values.join(' ')} ` : `${word} ${argv.slice(1).join(' ')}`;
      const w = sh.writeOut(`${text}\n`);
      return w ? w.then(() => 0) : 0;
    },
  };
}

/** A library function not defined yet: define it (in this shell), then call it. A script's own
 *  function of the name is found first, as it would replace the library's. */
function lazyFunction(name: string, text: string): Builtin {
  return {
    run(sh, argv) {
      let fn = sh.funcs.get(name);
      if (!fn) {
        const status = sh.status;
        const line = sh.lineno;
        runText(sh, text, { firstLine: 1 });
        sh.status = status;
        sh.lineno = line;
        fn = sh.funcs.get(name)!;
      }
      return callFunction(sh, fn, argv);
    },
  };
}

/** All the builtins of an openrc-run shell. */
export function libraryBuiltins(hooks: LibraryHooks): Map<string, Builtin> {
  const { rc } = hooks;
  const map = new Map<string, Builtin>();
  for (const [name, text] of Object.entries(LAZY_FUNCTIONS)) map.set(name, lazyFunction(name, text));
  for (const [name, run] of Object.entries(EINFO_COMMANDS)) map.set(name, einfoBuiltin(name, run, hooks));
  // as programs they could only change their own environment: nothing
  map.set('veindent', { run: () => 0 });
  map.set('veoutdent', { run: () => 0 });
  map.set('_rc_remember_lastcmd', {
    run() {
      hooks.rememberLastCmd = true;
      return 0;
    },
  });
  map.set('eval_ecolors', {
    run(sh) {
      const e = einfoFor(sh);
      const names = ['GOOD', 'WARN', 'BAD', 'HILITE', 'BRACKET', 'NORMAL'];
      const colors = [Color.Good, Color.Warn, Color.Bad, Color.Hilite, Color.Bracket, Color.Normal];
      const text = names.map((n, i) => `${n}='${e.ecolor(colors[i]!)}'\n`).join('');
      const w = sh.writeOut(text);
      return w ? w.then(() => 0) : 0;
    },
  });
  map.set('esyslog', {
    async run(sh, argv) {
      if (argv.length > 1 && !/\.[A-Za-z]+$|\.\d+$/.test(argv[1]!)) return fail(sh, `esyslog: invalid log level \`${argv[1]}'`);
      if (argv.length < 4) return fail(sh, 'esyslog: not enough arguments');
      return 0; // no syslog here: the message is dropped, as with no syslog daemon
    },
  });
  map.set('ewaitfile', {
    async run(sh, argv) {
      const e = einfoFor(sh);
      const timeout = argv[1] === undefined ? undefined : wholeNumber(argv[1]);
      if (timeout === undefined) return fail(sh, 'ewaitfile: invalid timeout');
      const files = argv.slice(2);
      if (files.length === 0) return fail(sh, 'ewaitfile: not enough arguments');
      const stop = Date.now() + timeout * 1000;
      for (const file of files) {
        await e.ebeginv(`Waiting for ${file}`);
        while (!fs.existsSync(fsPath(file))) {
          await new Promise((r) => setTimeout(r, 20));
          if (sh.io.signal.aborted) return 1;
          if (timeout > 0 && Date.now() >= stop) {
            await e.eendv(1, `timed out waiting for ${file}`);
            return 1;
          }
        }
        await e.eendv(0);
      }
      return 0;
    },
  });
  map.set('yesno', yesnoBuiltin(hooks));

  for (const [name, bit] of Object.entries(SERVICE_TESTS)) {
    map.set(name, {
      run(sh, argv) {
        const service = serviceArg(sh, argv);
        if (!service) return fail(sh, `${name}: no service specified`);
        return rc.state(service) & bit ? 0 : 1;
      },
    });
  }
  map.set('service_crashed', {
    run(sh, argv) {
      const service = serviceArg(sh, argv);
      if (!service) return fail(sh, 'service_crashed: no service specified');
      return daemonsCrashed(rc, hooks.host, service) ? 0 : 1;
    },
  });
  map.set('service_started_daemon', {
    run(sh, argv) {
      let service = getenv(sh, 'RC_SVCNAME') ?? '';
      let exec = argv[1] ?? '';
      let index = 0;
      if (argv.length > 3) {
        service = argv[1]!;
        exec = argv[2]!;
        index = parseInt(argv[3]!, 10) || 0;
      } else if (argv.length === 3) {
        if (/^\s*[+-]?\d/.test(argv[2]!)) index = parseInt(argv[2]!, 10);
        else {
          service = argv[1]!;
          exec = argv[2]!;
        }
      }
      return startedDaemon(rc, service, exec, undefined, index) ? 0 : 1;
    },
  });
  for (const [name, bit] of Object.entries(MARKS)) {
    map.set(name, {
      run(sh, argv) {
        const service = serviceArg(sh, argv);
        if (!service) return fail(sh, `${name}: no service specified`);
        const ok = rc.mark(service, bit);
        if (ok && service === getenv(sh, 'RC_SVCNAME')) hooks.onSelfMark?.();
        return ok ? 0 : 1;
      },
    });
  }
  for (const [name, get] of [['service_get_value', true], ['get_options', true], ['service_set_value', false], ['save_options', false]] as const) {
    map.set(name, {
      run(sh, argv) {
        const service = getenv(sh, 'RC_SVCNAME');
        if (service === undefined) return fail(sh, `${name}: no service specified`);
        if (!argv[1]) return fail(sh, `${name}: no option specified`);
        if (!get) return rc.valueSet(service, argv[1], argv[2]) ? 0 : 1;
        const value = rc.valueGet(service, argv[1]);
        if (value === undefined) return 1;
        const w = sh.writeOut(value);
        return w ? w.then(() => 0) : 0;
      },
    });
  }
  map.set('checkpath', { run: (sh, argv) => checkpath(sh, argv, hooks) });
  for (const [name, newer] of [['is_newer_than', true], ['is_older_than', false]] as const) {
    map.set(name, {
      run(sh, argv) {
        if (argv.length < 3) return fail(sh, `${name}: not enough arguments`);
        for (const target of argv.slice(2)) if (!newerThan(argv[1]!, target, newer)) return 1;
        return 0;
      },
    });
  }
  map.set('shell_var', {
    run(sh, argv) {
      const words = argv.slice(1).map((w) => w.replace(/[^A-Za-z0-9_]/g, '_'));
      const w = sh.writeOut(words.length ? `${words.join(' ')}\n` : '');
      return w ? w.then(() => 0) : 0;
    },
  });
  map.set('mountinfo', { run: (sh, argv) => mountinfo(sh, argv) });
  for (const word of Object.keys(DEPEND_TYPES)) map.set(word, dependBuiltin(word, hooks));
  map.set('_rc_depinfo', {
    run(_sh, argv) {
      hooks.depinfo?.(basename(argv[1] ?? ''));
      return 0;
    },
  });
  return map;
}
