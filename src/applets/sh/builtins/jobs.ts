// jobs [-lp] [%JOB...]: background jobs, as `[N]+  Running` padded to ash's columns (the command
// text only in an interactive shell, as ash). Finished jobs are shown once, then forgotten.
import { signalDescription } from '../../../core/process.js';
import type { Job } from '../jobs.js';
import type { Shell } from '../shell.js';
import type { Builtin } from './index.js';

export function jobState(job: Job): string {
  if (job.status === undefined) return 'Running';
  if (job.signal) return signalDescription(job.signal);
  return job.status === 0 ? 'Done' : `Done(${job.status})`;
}

export function jobLine(sh: Shell, job: Job, withPid: boolean): string {
  const list = sh.jobs.list;
  const mark = job === list[list.length - 1] ? '+' : job === list[list.length - 2] ? '-' : ' ';
  let line = `[${job.id}]${mark}  `;
  if (withPid) line += `${job.pid} `;
  line += jobState(job);
  line = line.padEnd(33);
  if (sh.interactive) line += job.command;
  return `${line}\n`;
}

export default {
  run(sh, argv) {
    let withPid = false;
    let pidsOnly = false;
    let i = 1;
    for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
      for (const c of argv[i]!.slice(1)) {
        if (c === 'l') withPid = true;
        else if (c === 'p') pidsOnly = true;
        else {
          void sh.warn(`illegal option -${c}`, 'jobs');
          return 2;
        }
      }
    }
    let selected: Job[];
    if (i < argv.length) {
      selected = [];
      for (const spec of argv.slice(i)) {
        const job = sh.jobs.find(spec);
        if (!job) {
          void sh.warn(`${spec}: no such job`, 'jobs');
          return 2;
        }
        selected.push(job);
      }
    } else selected = [...sh.jobs.list].reverse();
    let out = '';
    for (const job of selected) {
      out += pidsOnly ? `${job.pid}\n` : jobLine(sh, job, withPid);
      if (job.status !== undefined) sh.jobs.remove(job);
    }
    if (!out) return 0;
    return sh.writeOut(out)?.then(() => 0) ?? 0;
  },
} satisfies Builtin;
