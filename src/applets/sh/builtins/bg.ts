// bg [%JOB]: background jobs already run; without job control none is ever stopped.
import type { Builtin } from './index.js';

export default {
  run(sh, argv) {
    const job = argv[1] === undefined ? sh.jobs.current() : sh.jobs.find(argv[1]);
    if (!job) {
      void sh.warn(argv[1] === undefined ? 'No current job' : `${argv[1]}: no such job`, 'bg');
      return 2;
    }
    return 0;
  },
} satisfies Builtin;
