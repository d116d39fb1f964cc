// timeout as GNU has it: run a command (through ctx.exec: an applet in-process, else a program),
// and when DURATION passes, stop it: a spawned program gets the signal (then SIGKILL after -k), an
// in-process applet sees its ctx.signal abort. Status 124 on time-out, 125-127 for timeout's own
// failures, the command's status otherwise.
import { defineApplet } from '../core/applet.js';
import { parseDuration } from '../core/duration.js';
import { AppletError, UsageError } from '../core/errors.js';
import { CommandError, KillRequest, signalName, signalNumber } from '../core/process.js';
import { quote, quoteaf } from '../core/quote.js';

const SIGKILL = 9;
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

function duration(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined) throw new UsageError(`invalid time interval ${quote(text)}`);
  return seconds;
}

export default defineApplet({
  name: 'timeout',
  summary: 'Start COMMAND, and kill it if still running after DURATION',
  usage: 'timeout [OPTION] DURATION COMMAND [ARG]...',
  help: [
    '    --preserve-status\tExit with the same status as COMMAND, even when it times out',
    '    --foreground\tWhen not running timeout directly from a shell prompt, allow COMMAND to read',
    '\t\t\tfrom the TTY and get TTY signals',
    '-k, --kill-after=DURATION\tAlso send a KILL signal if COMMAND is still running this long after the first signal',
    '-s, --signal=SIGNAL\tSignal to send on timeout (a name like \'HUP\' or a number); default TERM',
    '-v, --verbose\t\tDiagnose to stderr any signal sent upon timeout',
    '',
    'DURATION is a number with an optional suffix: \'s\' seconds (default), \'m\' minutes, \'h\' hours, \'d\' days.',
    'A duration of 0 disables the timeout. If the command times out, and --preserve-status is not set,',
    'the status is 124; 125 if timeout itself fails, 126 if COMMAND cannot run, 127 if it is not found.',
  ].join('\n'),
  usageStatus: 125,
  stopAtOperand: true,
  options: {
    'preserve-status': {},
    foreground: {},
    k: { long: 'kill-after', arg: 'string' },
    s: { long: 'signal', arg: 'string' },
    v: { long: 'verbose' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    let signal = 15;
    if (opts.s !== undefined) {
      const n = signalNumber(opts.s);
      if (n === undefined || n === 0) throw new UsageError(`${quote(opts.s)}: invalid signal`);
      signal = n;
    }
    const killAfter = opts.k !== undefined ? duration(opts.k) : undefined;
    if (operands.length < 2) {
      await ctx.stderr.write(`Try '${ctx.name} --help' for more information.\n`);
      return 125;
    }
    const seconds = duration(operands[0]!);
    const command = operands.slice(1);

    const controller = new AbortController();
    let timedOut = false;
    let sentKill = false;
    const stop = (sig: number, afterMs?: number) => {
      if (controller.signal.aborted) return;
      controller.abort(new KillRequest(sig, afterMs));
    };
    const onTimeout = async () => {
      timedOut = true;
      if (opts.v) await ctx.stderr.write(`${ctx.name}: sending signal ${signalName(signal) ?? signal} to command ${quote(command[0]!)}\n`).catch(() => {});
      stop(signal, killAfter !== undefined && killAfter > 0 ? killAfter * 1000 : undefined);
      if (signal === SIGKILL) sentKill = true;
    };
    const timer = seconds > 0 && Number.isFinite(seconds) ? setTimeout(() => void onTimeout(), Math.min(seconds * 1000, 2 ** 31 - 1)) : undefined;
    const unsubscribe = FORWARDED.map((name) => ctx.host.onSignal(name, () => stop(signalNumber(name)!)));
    // An in-process command that ignores the abort cannot be killed: after the grace time, give up on it
    let giveUp: NodeJS.Timeout | undefined;
    const abandoned = new Promise<number>((resolve) => {
      controller.signal.addEventListener('abort', () => {
        const request = controller.signal.reason as KillRequest;
        const grace = request.killAfterMs ?? (request.signal === SIGKILL ? 1000 : undefined);
        if (grace !== undefined) giveUp = setTimeout(() => resolve(128 + SIGKILL), grace + 1000);
      });
    });
    let status: number;
    try {
      status = await Promise.race([ctx.exec(command, { signal: controller.signal }), abandoned]);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      throw new AppletError(`failed to run command ${quoteaf(command[0]!)}: ${err.message}`, err.status);
    } finally {
      if (timer) clearTimeout(timer);
      if (giveUp) clearTimeout(giveUp);
      for (const off of unsubscribe) off();
    }
    if (status === 128 + SIGKILL && controller.signal.aborted) sentKill = true;
    if (!timedOut) return status;
    // GNU's timeout signals its own process group: a KILL takes timeout with it
    if (sentKill) return 128 + SIGKILL;
    return opts['preserve-status'] ? status : 124;
  },
});
