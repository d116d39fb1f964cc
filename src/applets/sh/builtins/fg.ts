// fg [%JOB]: wait for a background job in the foreground. Without job control (the runtime cannot
// give a terminal to another process group) there are no stopped jobs to continue.
import type { Builtin } from './index.js';

export default {
  async run(sh, argv) {
    const job = argv[1] === undefined ? sh.jobs.current() : sh.jobs.find(argv[1]);
    if (!job) {
      await sh.warn(argv[1] === undefined ? 'No current job' : `${argv[1]}: no such job`, 'fg');
      return 2;
    }
    await sh.writeOut(`${job.command}\n`);
    const status = await job.done;
    sh.jobs.remove(job);
    return status;
  },
} satisfies Builtin;
