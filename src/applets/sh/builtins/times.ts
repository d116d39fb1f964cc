// times: user and system time of the shell, then of its children (which the runtime does not
// report for spawned programs: shown as zero).
import type { Builtin } from './index.js';

function fmt(micros: number): string {
  const ms = Math.round(micros / 1000);
  return `${Math.floor(ms / 60000)}m${Math.floor((ms % 60000) / 1000)}.${String(ms % 1000).padStart(3, '0')}s`;
}

export default {
  special: true,
  run(sh) {
    const self = process.cpuUsage();
    const w = sh.writeOut(`${fmt(self.user)} ${fmt(self.system)}\n${fmt(0)} ${fmt(0)}\n`);
    return w ? w.then(() => 0) : 0;
  },
} satisfies Builtin;
