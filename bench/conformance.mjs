// Shell conformance: BusyBox 1.35's own ash test suite (shell/ash_test: 334 scripts, each with the
// output it must give) run through toolbox sh and the reference shells side by side. The suite is
// not in the repository: point CONFORMANCE_DIR at a folder holding BusyBox's source tree
// (`apt-get source busybox` after adding a deb-src line, or the upstream busybox-1.35.0 tarball):
//   CONFORMANCE_DIR=/tmp/conformance npm run conformance            pass counts per shell
//   CONFORMANCE_DIR=/tmp/conformance npm run conformance -- -v      and the failures of ours
// Each test runs as run-all does it: `$THIS_SH ./NAME.tests 2>&1` in its folder, with the suite's
// helper programs (printenv, recho, zecho; built with cc) first on PATH, compared with NAME.right.
// A test that exits 77 skips itself (needs a BusyBox build option); it counts for no shell.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const verbose = process.argv.includes('-v');
const base = process.env.CONFORMANCE_DIR;
const tree = base && fs.existsSync(base) ? fs.readdirSync(base).find((d) => /^busybox-\d/.test(d) && fs.existsSync(path.join(base, d, 'shell/ash_test'))) : undefined;
if (!tree) {
  console.error('conformance: set CONFORMANCE_DIR to a folder holding an unpacked BusyBox source tree (busybox-1.35.0/shell/ash_test)');
  process.exit(1);
}
const suite = path.join(base, tree, 'shell/ash_test');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'toolbox-conformance-'));
const helpers = path.join(work, 'bin');
fs.mkdirSync(helpers);
for (const tool of ['printenv', 'recho', 'zecho']) execFileSync('cc', ['-O2', '-o', path.join(helpers, tool), path.join(suite, `${tool}.c`)]);

const have = (p) => spawnSync('sh', ['-c', `command -v ${p}`], { stdio: 'ignore' }).status === 0;
// Each shell as one executable path (THIS_SH is called by the tests themselves).
function wrapper(name, argv) {
  const file = path.join(work, `${name}-sh`);
  fs.writeFileSync(file, `#!/bin/sh\nexec ${argv.join(' ')} "$@"\n`, { mode: 0o755 });
  return file;
}
const ours = path.join(work, 'toolbox', 'sh');
fs.mkdirSync(path.dirname(ours));
fs.symlinkSync(path.join(root, 'dist/toolbox'), ours);
const shells = [
  { name: 'toolbox sh', path: ours },
  have('busybox') && { name: 'busybox sh 1.35', path: wrapper('busybox', ['busybox', 'sh']) },
  have('dash') && { name: 'dash', path: '/usr/bin/dash' },
  have('bash') && { name: 'bash --posix', path: wrapper('bash', ['bash', '--posix']) },
].filter(Boolean);

const tests = [];
for (const dir of fs.readdirSync(suite).filter((d) => d.startsWith('ash-')).sort()) {
  for (const f of fs.readdirSync(path.join(suite, dir)).sort()) {
    if (f.endsWith('.tests') && fs.existsSync(path.join(suite, dir, f.replace(/\.tests$/, '.right')))) tests.push(`${dir}/${f}`);
  }
}

const env = {
  PATH: `${helpers}:/usr/sbin:/usr/bin:/sbin:/bin`,
  HOME: work,
  TERM: 'dumb',
  CONFIG_FEATURE_FANCY_ECHO: 'y',
};

for (const shell of shells) {
  // a fresh copy per shell: tests write files next to themselves
  const copy = path.join(work, shell.name.replace(/\W+/g, '-'));
  fs.cpSync(suite, copy, { recursive: true });
  let pass = 0;
  let skipped = 0;
  const failed = [];
  for (const test of tests) {
    const dir = path.join(copy, path.dirname(test));
    const name = path.basename(test);
    // as run-all runs it: standard error merged into standard output, in write order
    const r = spawnSync('/bin/sh', ['-c', 'exec "$0" "./$1" 2>&1 </dev/null', shell.path, name], {
      cwd: dir,
      env: { ...env, THIS_SH: shell.path },
      timeout: 20_000,
      maxBuffer: 64 << 20,
    });
    if (r.status === 77) {
      skipped++;
      continue;
    }
    const want = fs.readFileSync(path.join(dir, name.replace(/\.tests$/, '.right')), 'latin1');
    if ((r.stdout ?? Buffer.alloc(0)).toString('latin1') === want) pass++;
    else failed.push(test);
  }
  const counted = tests.length - skipped;
  console.log(`${shell.name.padEnd(18)} ${String(pass).padStart(4)} / ${counted} passed (${((100 * pass) / counted).toFixed(1)}%)`);
  if (verbose && shell.path === ours) for (const f of failed) console.log(`  fail: ${f}`);
}
fs.rmSync(work, { recursive: true, force: true });

