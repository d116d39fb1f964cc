// ulimit [-HSa] [-cdefilmnqrstuvx [LIMIT]]: resource limits, read from /proc/self/limits. Setting
// one needs prlimit(1) (util-linux), as the runtime has no setrlimit; limits are per process, so a
// change in a subshell reaches the whole shell.
import * as fs from 'node:fs';
import type { Builtin } from './index.js';

// letter → [label as ash prints it, /proc/self/limits row, unit divisor, prlimit option]
const LIMITS: [string, string, string, number, string][] = [
  ['c', 'core file size (blocks)', 'Max core file size', 512, 'core'],
  ['d', 'data seg size (kb)', 'Max data size', 1024, 'data'],
  ['e', 'scheduling priority', 'Max nice priority', 1, 'nice'],
  ['f', 'file size (blocks)', 'Max file size', 512, 'fsize'],
  ['i', 'pending signals', 'Max pending signals', 1, 'sigpending'],
  ['l', 'max locked memory (kb)', 'Max locked memory', 1024, 'memlock'],
  ['m', 'max memory size (kb)', 'Max resident set', 1024, 'rss'],
  ['n', 'open files', 'Max open files', 1, 'nofile'],
  ['q', 'POSIX message queues (bytes)', 'Max msgqueue size', 1, 'msgqueue'],
  ['r', 'real-time priority', 'Max realtime priority', 1, 'rtprio'],
  ['s', 'stack size (kb)', 'Max stack size', 1024, 'stack'],
  ['t', 'cpu time (seconds)', 'Max cpu time', 1, 'cpu'],
  ['u', 'max user processes', 'Max processes', 1, 'nproc'],
  ['v', 'virtual memory (kb)', 'Max address space', 1024, 'as'],
  ['x', 'file locks', 'Max file locks', 1, 'locks'],
];

function readLimits(): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  try {
    for (const line of fs.readFileSync('/proc/self/limits', 'latin1').split('\n').slice(1)) {
      const m = /^(.+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
      if (m) out.set(m[1]!.trim(), [m[2]!, m[3]!]);
    }
  } catch {
    // no /proc: every limit shows as unlimited
  }
  return out;
}

function show(raw: string | undefined, divisor: number): string {
  if (raw === undefined || raw === 'unlimited') return 'unlimited';
  return String(Math.floor(Number(raw) / divisor));
}

export default {
  run(sh, argv) {
    let hard = false;
    let soft = false;
    let all = false;
    let which = 'f';
    let value: string | undefined;
    for (const a of argv.slice(1)) {
      if (/^-[HSa]*[a-zA-Z]?$/.test(a) && a.length > 1) {
        for (const c of a.slice(1)) {
          if (c === 'H') hard = true;
          else if (c === 'S') soft = true;
          else if (c === 'a') all = true;
          else if (LIMITS.some((l) => l[0] === c)) which = c;
          else {
            void sh.warn(`illegal option -${c}`, 'ulimit');
            return 2;
          }
        }
      } else value = a;
    }
    const limits = readLimits();
    const pick = (row: string) => limits.get(row)?.[hard && !soft ? 1 : 0];
    if (all) {
      const text = LIMITS.map(([l, label, row, div]) => `${label.padEnd(32)}(-${l}) ${show(pick(row), div)}\n`).join('');
      const w = sh.writeOut(text);
      return w ? w.then(() => 0) : 0;
    }
    const [, , row, div, option] = LIMITS.find((l) => l[0] === which)!;
    if (value === undefined) {
      const w = sh.writeOut(`${show(pick(row), div)}\n`);
      return w ? w.then(() => 0) : 0;
    }
    if (value !== 'unlimited' && !/^[0-9]+$/.test(value)) {
      void sh.warn(`invalid number '${value}'`, 'ulimit');
      return 1;
    }
    const bytes = value === 'unlimited' ? 'unlimited' : String(BigInt(value) * BigInt(div));
    const { spawnSync } = process.getBuiltinModule('node:child_process');
    // Without -H or -S both limits are set, as ash does.
    const setting = hard && !soft ? `--${option}=:${bytes}` : soft && !hard ? `--${option}=${bytes}:` : `--${option}=${bytes}:${bytes}`;
    const r = spawnSync('prlimit', ['--pid', String(sh.host.pid), setting], { stdio: 'ignore' });
    if (r.status !== 0) {
      void sh.warn('error setting limit (Operation not permitted)', 'ulimit');
      return 1;
    }
    return 0;
  },
} satisfies Builtin;
