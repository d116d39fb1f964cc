// kill as GNU coreutils has it (-s SIG, -SIG, -l and -t), with the letters other kills use:
// -n SIG (bash), -L for the table (procps). `%N` job specifications mean the shell's jobs: only
// the shell's own kill can know them, and this one says so.
import { type AppletDecl, defineApplet, helpText } from '../core/applet.js';
import { errorText, UsageError } from '../core/errors.js';
import { OutBuffer } from '../core/io.js';
import type { OptionSpecs } from '../core/options.js';
import { signalDescription, signalList } from '../core/process.js';
import { quote } from '../core/quote.js';

const RTMIN = 34; // glibc keeps 32 and 33 for itself
const RTMAX = 64;

/** GNU's name for a signal number (sig2str): POLL for 29, RTMIN+n / RTMAX-n for real-time ones. */
export function signalNameGnu(n: number): string | undefined {
  if (n === 0) return 'EXIT';
  if (n === 29) return 'POLL';
  if (n >= RTMIN && n <= RTMAX) {
    const fromMin = n <= RTMIN + (RTMAX - RTMIN) / 2;
    const delta = fromMin ? n - RTMIN : n - RTMAX;
    return `${fromMin ? 'RTMIN' : 'RTMAX'}${delta === 0 ? '' : delta > 0 ? `+${delta}` : delta}`;
  }
  return signalList().find(([, num]) => num === n)?.[0];
}

const ALIASES: Record<string, number> = { IO: 29, IOT: 6, CLD: 17 };

/** A signal operand: a name (any case, SIG prefix optional) or number, or an exit status (143). */
export function parseSignal(text: string): number | undefined {
  if (/^\d/.test(text)) {
    if (!/^\d+$/.test(text)) return undefined;
    if (text.length > 10 || Number(text) > 2 ** 31 - 1) return undefined;
    let n = Number(text);
    // an exit status of a killed process (128 + n) names signal n, as WIFSIGNALED/WTERMSIG see it
    if ((n & 0x7f) !== 0 && (n & 0x7f) !== 0x7f) n &= 0x7f;
    return signalNameGnu(n) ? n : undefined;
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  for (let n = 0; n <= RTMAX; n++) if (signalNameGnu(n) === name) return n;
  return ALIASES[name];
}

const decl = defineApplet({
  name: 'kill',
  summary: 'Send signals to processes, or list signals',
  usage: 'kill [-s SIGNAL | -SIGNAL] PID...\n   or: kill -l [SIGNAL]...\n   or: kill -t [SIGNAL]...',
  help: [
    '-s, --signal=SIGNAL, -SIGNAL, -n SIGNAL\tSpecify the name or number of the signal to be sent',
    '-l, --list\t\tList signal names, or convert signal names to/from numbers',
    '-t, --table, -L\t\tPrint a table of signal information',
    '',
    'SIGNAL may be a signal name like \'HUP\', or a signal number like \'1\', or the exit status of a',
    'process terminated by a signal. PID is an integer; if negative it identifies a process group.',
    'Job specifications (%1) are the shell\'s: use the shell\'s kill for them.',
  ].join('\n'),
  // parsed here: -9, -KILL and -SIGKILL are options whose letters are the signal
  async run(ctx) {
    const args = [...ctx.operands];
    let signal: number | undefined;
    let list = false;
    let table = false;
    const setSignal = (text: string) => {
      if (signal !== undefined) throw new UsageError(`${quote(text)}: multiple signals specified`);
      const n = parseSignal(text);
      if (n === undefined) throw new UsageError(`${quote(text)}: invalid signal`);
      signal = n;
    };
    const setList = (asTable: boolean) => {
      if (list) throw new UsageError('multiple -l or -t options specified');
      list = true;
      table = asTable;
    };
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '--') {
        i++;
        break;
      }
      if (!arg.startsWith('-') || arg === '-') break;
      if (arg.startsWith('--')) {
        const [name, value] = arg.slice(2).split(/=(.*)/s) as [string, string?];
        if (name.length && 'signal'.startsWith(name)) setSignal(value ?? args[++i] ?? missing('signal'));
        else if (name.length && 'list'.startsWith(name)) setList(false);
        else if (name.length && 'table'.startsWith(name)) setList(true);
        else if (name === 'help') {
          await ctx.stdout.write(helpText(decl as AppletDecl<OptionSpecs>));
          return 0;
        }
        else throw new UsageError(`unrecognized option '${arg}'`);
        continue;
      }
      const letter = arg[1]!;
      if (letter === 's' || letter === 'n') setSignal(arg.length > 2 ? arg.slice(2) : (args[++i] ?? missingShort(letter)));
      else if (arg === '-l') setList(false);
      else if (arg === '-t' || arg === '-L') setList(true);
      else if (/^-\d/.test(arg) && i > 0) break; // a negative process id
      else if (/^-[0-9A-Za-z]/.test(arg)) setSignal(arg.slice(1));
      else throw new UsageError(`invalid option -- '${letter}'`);
    }
    const rest = args.slice(i);
    if (signal !== undefined && list) throw new UsageError('cannot combine signal with -l or -t');
    const out = new OutBuffer(ctx.stdout);
    let status = 0;
    if (list) {
      const row = (n: number) => (table ? `${String(n).padStart(2)} ${signalNameGnu(n)!.padEnd(8)} ${description(n)}\n` : `${signalNameGnu(n)}\n`);
      if (rest.length === 0) {
        for (let n = 1; n <= RTMAX; n++) if (signalNameGnu(n)) await out.put(row(n));
      } else {
        for (const text of rest) {
          const n = parseSignal(text);
          if (n === undefined) {
            await out.flush();
            await ctx.stderr.write(`${ctx.name}: ${quote(text)}: invalid signal\n`);
            status = 1;
          } else if (table) await out.put(row(n));
          else await out.put(/^\d/.test(text) ? `${signalNameGnu(n)}\n` : `${n}\n`);
        }
      }
      await out.flush();
      return status;
    }
    if (rest.length === 0) throw new UsageError('no process ID specified');
    for (const target of rest) {
      if (target.startsWith('%')) {
        await ctx.stderr.write(`${ctx.name}: ${quote(target)}: job specifications are the shell's; use its kill builtin\n`);
        status = 1;
        continue;
      }
      if (!/^[+-]?\d+$/.test(target) || !Number.isSafeInteger(Number(target)) || Math.abs(Number(target)) > 2 ** 31 - 1) {
        await ctx.stderr.write(`${ctx.name}: ${quote(target)}: invalid process id\n`);
        status = 1;
        continue;
      }
      try {
        ctx.host.kill(Number(target), signal ?? 15);
      } catch (err) {
        await ctx.stderr.write(`${ctx.name}: ${quote(target)}: ${errorText(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
});

function description(n: number): string {
  if (n >= RTMIN && n <= RTMAX) return `Real-time signal ${n - RTMIN}`;
  return signalDescription(n);
}

function missing(name: string): never {
  throw new UsageError(`option '--${name}' requires an argument`);
}

function missingShort(letter: string): never {
  throw new UsageError(`option requires an argument -- '${letter}'`);
}

export default decl;
