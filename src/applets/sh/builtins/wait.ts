// wait [PID|%JOB...]: wait for background jobs; the status of the last one named (127 for one that
// is not ours), 0 when waiting for all. A trapped signal interrupts the wait: its trap runs and wait
// returns 128+N.
import { signalDescription } from '../../../core/process.js';
import { settle } from '../interp.js';
import type { Job } from '../jobs.js';
import type { Shell } from '../shell.js';
import type { Builtin } from './index.js';

/** Wait for a job, or for a trapped signal: the job's status, or 128+N of the signal. */
async function waitFor(sh: Shell, job: Job): Promise<number> {
  if (job.status === undefined) {
    const interrupted = await Promise.race([job.done.then(() => undefined), sh.nextSignal()]);
    if (interrupted !== undefined) {
      await settle(sh);
      return 128 + interrupted;
    }
  }
  if (job.signal && job.signal !== 2 && job.signal !== 13) await sh.writeErr(`${signalDescription(job.signal)}\n`);
  sh.jobs.remove(job);
  return job.status!;
}

export default {
  async run(sh, argv) {
    const specs = argv.slice(1);
    if (specs.length === 0) {
      for (;;) {
        const job = sh.jobs.list.find((j) => j.status === undefined) ?? sh.jobs.list[0];
        if (!job) return 0;
        const s = await waitFor(sh, job);
        if (s > 128 && sh.jobs.list.includes(job)) return s;
      }
    }
    let status = 0;
    for (const spec of specs) {
      const job = sh.jobs.find(spec);
      if (!job) {
        if (spec.startsWith('%')) {
          await sh.warn(`${spec}: no such job`, 'wait');
          status = 127;
        } else status = 127;
        continue;
      }
      status = await waitFor(sh, job);
    }
    return status;
  },
} satisfies Builtin;
