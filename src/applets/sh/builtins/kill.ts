// kill [-s SIG | -SIG] PID|%JOB...; kill -l [N...]. Jobs of this shell get the signal here: their
// programs get it from the system, their in-process part runs its trap or ends (128+N).
import { KillRequest, signalList, signalName, signalNumber } from '../../../core/process.js';
import { errorCode, strerror } from '../../../core/errors.js';
import type { Job } from '../jobs.js';
import type { Shell } from '../shell.js';
import { deliverSignal } from '../traps.js';
import type { Builtin } from './index.js';

const HARMLESS = new Set([17, 18, 19, 20, 21, 22, 23, 28]);

/** Deliver a signal to one of our jobs; false if it has already ended. */
export function signalJob(sh: Shell, job: Job, sig: number): boolean {
  if (job.status !== undefined) return false;
  if (sig === 0) return true;
  for (const pid of job.procs) {
    try {
      sh.host.kill(pid, sig);
    } catch {
      // already gone
    }
  }
  const js = job.shell;
  if (js.traps[sig] !== undefined) {
    if (js.traps[sig] !== '') js.queueTrap(sig);
    return true;
  }
  if (HARMLESS.has(sig)) return true;
  job.signal = sig;
  js.killedBy = sig;
  job.abort.abort(new KillRequest(sig));
  return true;
}

function listSignals(sh: Shell, args: string[]): number | Promise<number> {
  if (args.length === 0) {
    const text = signalList().map(([name, n]) => `${String(n).padStart(2)}) ${name}\n`).join('');
    return sh.writeOut(text)?.then(() => 0) ?? 0;
  }
  let out = '';
  for (const a of args) {
    if (/^[0-9]+$/.test(a)) {
      let n = Number(a);
      if (n > 128) n -= 128;
      const name = signalName(n);
      if (!name) {
        void sh.writeErr(`${sh.arg0}: bad signal name '${a}'\n`);
        return 1;
      }
      out += `${name}\n`;
    } else {
      const n = signalNumber(a);
      if (n === undefined) {
        void sh.writeErr(`${sh.arg0}: bad signal name '${a}'\n`);
        return 1;
      }
      out += `${n}\n`;
    }
  }
  return sh.writeOut(out)?.then(() => 0) ?? 0;
}

export default {
  run(sh, argv) {
    let i = 1;
    let sig = 15;
    const first = argv[1];
    if (first === '-l' || first === '-L') return listSignals(sh, argv.slice(2));
    if (first === '-s' || first === '-n') {
      const spec = argv[2];
      const n = spec === undefined ? undefined : signalNumber(spec);
      if (n === undefined) {
        void sh.writeErr(`${sh.arg0}: bad signal name '${spec ?? ''}'\n`);
        return 1;
      }
      sig = n;
      i = 3;
    } else if (first !== undefined && first.startsWith('-') && first !== '--' && first.length > 1 && !/^-[0-9]+$/.test(first.slice(0)) ) {
      const n = signalNumber(first.slice(1));
      if (n === undefined) {
        void sh.writeErr(`${sh.arg0}: bad signal name '${first.slice(1)}'\n`);
        return 1;
      }
      sig = n;
      i = 2;
    } else if (first !== undefined && /^-[0-9]+$/.test(first)) {
      sig = Number(first.slice(1));
      i = 2;
    }
    if (argv[i] === '--') i++;
    const targets = argv.slice(i);
    let toSelf = false;
    if (targets.length === 0) {
      void sh.writeErr(`${sh.arg0}: you need to specify whom to kill\n`);
      return 1;
    }
    let status = 0;
    for (const t of targets) {
      if (t.startsWith('%')) {
        const job = sh.jobs.find(t);
        if (!job) {
          void sh.warn(`${t}: no such job`, 'kill');
          status = 2;
          continue;
        }
        if (!signalJob(sh, job, sig)) status = 1;
        continue;
      }
      if (!/^-?[0-9]+$/.test(t)) {
        void sh.warn(`invalid number '${t}'`, 'kill');
        status = 1;
        continue;
      }
      const pid = Number(t);
      const self = sh.io.runtime.signalTarget;
      if (pid === sh.host.pid && self && sig !== 0 && ((self.traps[sig] !== undefined && sig !== 9 && sig !== 19) || !self.ownsSignals || sig === 10)) {
        // A trapped signal to ourselves is taken at once, as the kernel would deliver it; a shell
        // run in-process takes any signal to the process as its own (it must not end its host);
        // SIGUSR1 is always caught (Node's debugger), so its default action is ours to take.
        deliverSignal(self, sig);
        toSelf = true;
        continue;
      }
      const job = sh.jobs.list.find((j) => j.pid === pid);
      if (job && (job.procs.size === 0 || !job.procs.has(pid))) {
        if (!signalJob(sh, job, sig)) {
          void sh.writeErr(`${sh.arg0}: can't kill pid ${t}: No such process\n`);
          status = 1;
        }
        continue;
      }
      try {
        sh.host.kill(pid, sig);
      } catch (err) {
        void sh.writeErr(`${sh.arg0}: can't kill pid ${t}: ${strerror(errorCode(err) ?? 'ESRCH')}\n`);
        status = 1;
      }
    }
    // a signal that stops the shell takes effect before the next command (the caller settles)
    return toSelf && sh.io.signal.aborted ? Promise.resolve(status) : status;
  },
} satisfies Builtin;
