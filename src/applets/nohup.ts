// nohup as GNU has it: a terminal on stdin is replaced by /dev/null (opened for writing, so reads
// fail), a terminal on stdout by nohup.out (or $HOME/nohup.out), a terminal on stderr by stdout;
// then the command runs immune to hangups. A spawned program gets a session of its own, because
// Node resets signal dispositions in children and cannot hand SIGHUP's "ignore" on; an in-process
// applet is covered by nohup ignoring SIGHUP itself.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Stdio } from '../core/context.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { FdSink, FdSource } from '../core/io.js';
import { CommandError, KillRequest, signalNumber } from '../core/process.js';
import { quoteaf } from '../core/quote.js';

const INTERNAL_FAILURE = 125;
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGQUIT'];

export default defineApplet({
  name: 'nohup',
  summary: 'Run COMMAND, ignoring hangup signals',
  usage: 'nohup COMMAND [ARG]...',
  help: [
    'If standard input is a terminal, redirect it from an unreadable file.',
    'If standard output is a terminal, append output to \'nohup.out\' if possible,',
    '\'$HOME/nohup.out\' otherwise. If standard error is a terminal, redirect it to standard output.',
  ].join('\n'),
  usageStatus: INTERNAL_FAILURE,
  stopAtOperand: true,
  options: {},
  async run(ctx) {
    if (ctx.operands.length === 0) throw new UsageError('missing operand');
    const ignoringInput = ctx.isTTY(0);
    const redirectingStdout = ctx.isTTY(1);
    const redirectingStderr = ctx.isTTY(2);
    const opened: number[] = [];
    const io: Partial<Stdio> = {};
    const say = (text: string) => ctx.stderr.write(`${ctx.name}: ${text}\n`);
    try {
      if (ignoringInput) {
        try {
          const fd = fs.openSync('/dev/null', 'w');
          opened.push(fd);
          io.stdin = new FdSource(fd);
        } catch (err) {
          throw new AppletError(`failed to render standard input unusable: ${errorText(err)}`, INTERNAL_FAILURE);
        }
        if (!redirectingStdout && !redirectingStderr) await say('ignoring input');
      }
      let outFd: number | undefined;
      if (redirectingStdout) {
        let file = 'nohup.out';
        const open = (name: string) => fs.openSync(fsPath(ctx.path(name)), fs.constants.O_CREAT | fs.constants.O_WRONLY | fs.constants.O_APPEND, 0o600);
        try {
          outFd = open(file);
        } catch (first) {
          const home = ctx.env.get('HOME');
          const inHome = home !== undefined ? `${home.replace(/\/+$/, '')}/nohup.out` : undefined;
          try {
            if (inHome === undefined) throw first;
            outFd = open(inHome);
            file = inHome;
          } catch (second) {
            await say(`failed to open ${quoteaf(file)}: ${errorText(first)}`);
            if (inHome !== undefined) await say(`failed to open ${quoteaf(inHome)}: ${errorText(second)}`);
            return INTERNAL_FAILURE;
          }
        }
        opened.push(outFd);
        io.stdout = new FdSink(outFd);
        await say(`${ignoringInput ? 'ignoring input and appending' : 'appending'} output to ${quoteaf(file)}`);
      }
      if (redirectingStderr) {
        if (!redirectingStdout) await say(ignoringInput ? 'ignoring input and redirecting stderr to stdout' : 'redirecting stderr to stdout');
        io.stderr = io.stdout ?? ctx.stdout;
      }

      const controller = new AbortController();
      const unsubscribe = [
        ctx.host.onSignal('SIGHUP', () => {}),
        ...FORWARDED.map((name) => ctx.host.onSignal(name, () => controller.abort(new KillRequest(signalNumber(name)!)))),
      ];
      try {
        return await ctx.exec(ctx.operands, { ...io, signal: controller.signal, newSession: true });
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        await say(`failed to run command ${quoteaf(ctx.operands[0]!)}: ${err.message}`);
        return err.status;
      } finally {
        for (const off of unsubscribe) off();
      }
    } finally {
      for (const fd of opened) fs.closeSync(fd);
    }
  },
});
