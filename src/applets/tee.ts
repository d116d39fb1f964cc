// tee as GNU has it: standard input to standard output and to each FILE (`-` is a file named -),
// unbuffered. -a appends, -i ignores SIGINT. Write errors follow --output-error: by default a
// closed pipe ends tee as SIGPIPE would (status 141) and other errors are reported while the
// remaining outputs go on; -p (warn-nopipe) drops closed pipes silently.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { argmatch } from '../core/argmatch.js';
import { AppletError, BrokenPipe, errorCode, errorText } from '../core/errors.js';
import { type ByteSink, writeAvailableSync } from '../core/io.js';
import { quotef } from '../core/quote.js';

type Mode = 'sigpipe' | 'warn' | 'warn-nopipe' | 'exit' | 'exit-nopipe';
const MODES = ['warn', 'warn-nopipe', 'exit', 'exit-nopipe'] as const;

interface Output {
  name: string;
  write(chunk: Uint8Array): Promise<void>;
  close(): void;
}

export default defineApplet({
  name: 'tee',
  summary: 'Copy standard input to each FILE, and also to standard output',
  usage: 'tee [OPTION]... [FILE]...',
  syncStdin: true,
  help: [
    '-a, --append\t\tAppend to the given FILEs, do not overwrite',
    '-i, --ignore-interrupts\tIgnore interrupt signals',
    '-p\t\t\tDiagnose errors writing to non pipes (--output-error=warn-nopipe)',
    '    --output-error[=MODE]\tBehaviour on write errors: warn, warn-nopipe (default with',
    '\t\t\tthe option), exit, exit-nopipe',
    '',
    'Without --output-error, tee exits at once on a closed pipe and diagnoses errors writing',
    'to other outputs.',
  ].join('\n'),
  options: {
    a: { long: 'append' },
    i: { long: 'ignore-interrupts' },
    p: {},
    'output-error': { arg: 'optional' },
  },
  async run(ctx) {
    const o = ctx.opts;
    let mode: Mode = o.p ? 'warn-nopipe' : 'sigpipe';
    const chosen = o['output-error'];
    if (chosen !== undefined) {
      if (chosen === true) mode = 'warn-nopipe';
      else mode = argmatch(chosen, MODES.map((m) => [m, m] as const), '--output-error');
    }
    const unsubscribe = o.i ? ctx.host.onSignal('SIGINT', () => {}) : undefined;
    const outputs: (Output | undefined)[] = [sinkOutput('standard output', ctx.stdout)];
    let status = 0;
    try {
      for (const name of ctx.operands) {
        try {
          const fd = fs.openSync(fsPath(ctx.path(name)), o.a ? 'a' : 'w', 0o666);
          outputs.push(fdOutput(name, fd));
        } catch (err) {
          status = await ctx.warn(err, quotef(name));
        }
      }
      for (let chunk = await ctx.stdin.read(); chunk; chunk = await ctx.stdin.read()) {
        for (const [i, out] of outputs.entries()) {
          if (!out) continue;
          try {
            await out.write(chunk);
          } catch (err) {
            const pipe = err instanceof BrokenPipe || errorCode(err) === 'EPIPE';
            if (!pipe && errorCode(err) === undefined) throw err;
            if (pipe && mode === 'sigpipe') throw new BrokenPipe();
            outputs[i] = undefined;
            if (i > 0) out.close();
            if (pipe && (mode === 'warn-nopipe' || mode === 'exit-nopipe')) continue;
            const text = `${quotef(out.name)}: ${pipe ? 'Broken pipe' : errorText(err)}`;
            if (mode === 'exit' || mode === 'exit-nopipe') throw new AppletError(text);
            status = await ctx.warn(new AppletError(text));
          }
        }
        if (outputs.every((out) => !out)) break;
      }
    } finally {
      unsubscribe?.();
      for (const out of outputs.slice(1)) out?.close();
    }
    return status;
  },
});

function sinkOutput(name: string, sink: ByteSink): Output {
  return { name, write: (chunk) => sink.write(chunk), close: () => {} };
}

function fdOutput(name: string, fd: number): Output {
  return {
    name,
    async write(chunk) {
      const done = writeAvailableSync(fd, chunk);
      if (done < chunk.length) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    },
    close: () => fs.closeSync(fd),
  };
}
