// The system applets against their references: GNU coreutils for env, printenv, id, whoami, groups,
// uname, nproc, tty, sleep, timeout, nohup, sync; BusyBox for which and hostname's read-only forms;
// kill's GNU formats are unit-tested (Debian ships procps's kill, which words things its own way).
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { build, describeDiff, type Outcome, type Scenario } from '../helpers/scenario.js';

const BUSYBOX = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim() || 'busybox';
const noTree = (argv: readonly string[], extra: Partial<Scenario> = {}): [string, Scenario] => [argv.join(' '), { argv, tree: false, ...extra }];
const ENV = { FOO: 'foo', BAR: 'bar=baz', EMPTY: '' };

describeDiff('env vs GNU', ['env'], [
  noTree(['env'], { env: ENV }), noTree(['env', '-i']), noTree(['env', '-i', 'A=1', 'B=2']), noTree(['env', '-', 'X=1']), noTree(['env', '-i', '=x']),
  noTree(['env', '-u', 'FOO'], { env: ENV }), noTree(['env', '-u', 'FOO', '-u', 'BAR', 'NEW=1'], { env: ENV }), noTree(['env', '-i', '-u', 'FOO', 'A=1'], { env: ENV }),
  noTree(['env', '-0', '-i', 'A=1', 'B=2']), noTree(['env', '--null', '-i', 'A=1']), noTree(['env', '-0', 'echo']), noTree(['env', '-C']), noTree(['env', '-C', '/']),
  noTree(['env', '-C', '/nope', 'true']), noTree(['env', '-C', '/etc/passwd', 'true']), noTree(['env', '-C', '/tmp', 'pwd']), noTree(['env', '-u', 'a=b', 'true']),
  noTree(['env', 'nosuchcmd']), noTree(['env', '/etc/passwd']), noTree(['env', 'false']), noTree(['env', 'true']), noTree(['env', 'sh', '-c', 'exit 3']),
  noTree(['env', '-i', 'PATH=/bin:/usr/bin', 'sh', '-c', 'echo $PATH $FOO'], { env: ENV }), noTree(['env', 'A=1', 'printenv', 'A']), noTree(['env', '-x']),
  noTree(['env', '--', '-i']), noTree(['env', '-i', '--', 'A=1']), noTree(['env', '-S', 'echo a  b', 'c']), noTree(['env', '-Secho "x y" ${FOO}'], { env: ENV }),
  noTree(['env', '-S', "printf '%s|' 'a b' \\_c d\\_e"]), noTree(['env', '-S', '-i A=1 printenv A']), noTree(['env', '--split-string=echo  z']),
  noTree(['env', '-S', 'echo a # comment']), noTree(['env', '-S', 'echo \\c ignored']), noTree(['env', '-S', 'echo \\q']), noTree(['env', '-S', 'echo "unterminated']),
  noTree(['env', '-S', 'echo $FOO'], { env: ENV }), noTree(['env', 'echo x', 'y']), noTree(['env', '-v', '-i', 'A=1', 'true']),
  noTree(['env', '-v', '-u', 'FOO', 'true'], { env: ENV }), noTree(['env', '-v', '-C', '/', 'true']), noTree(['env', '--ignore-environment', '--unset=X', 'Y=1']),
]);

describeDiff('printenv vs GNU', ['printenv'], [
  noTree(['printenv'], { env: ENV }), noTree(['printenv', 'FOO', 'BAR'], { env: ENV }), noTree(['printenv', 'FOO', 'NOPE', 'BAR'], { env: ENV }),
  noTree(['printenv', '-0', 'FOO', 'EMPTY'], { env: ENV }), noTree(['printenv', '--null'], { env: ENV }), noTree(['printenv', 'BAR=baz'], { env: ENV }),
  noTree(['printenv', '-x']), noTree(['printenv', 'EMPTY'], { env: ENV }),
]);

describeDiff('id, whoami, groups vs GNU', ['id', 'whoami', 'groups'], [
  ...[[], ['-u'], ['-un'], ['-ur'], ['-unr'], ['-g'], ['-gn'], ['-gr'], ['-G'], ['-Gn'], ['-Gr'], ['-Gz'], ['-uz'], ['-a'], ['-n'], ['-r'], ['-z'], ['-ug'], ['-uG'], ['-Z'],
    ['root'], ['daemon'], ['0'], ['1'], ['+1'], ['nosuch'], ['root', 'daemon'], ['root', 'nosuch', 'bin'], ['-Gn', 'root', 'daemon'], ['-un', 'bin'], ['-gn', 'sys'],
    ['-G', 'nobody'], ['-zG', 'root', 'daemon'], ['--user', '--name'], ['--groups', '--real'], ['-x']].map((a) => noTree(['id', ...a])),
  noTree(['whoami']), noTree(['whoami', 'x']), noTree(['whoami', '-x']),
  noTree(['groups']), noTree(['groups', 'root']), noTree(['groups', 'root', 'daemon']), noTree(['groups', 'nosuch']), noTree(['groups', 'root', 'nosuch', 'bin']), noTree(['groups', '-x']),
]);

describeDiff('uname, nproc, tty, sync vs GNU', ['uname', 'nproc', 'tty', 'sync'], [
  ...[[], ['-a'], ['-s'], ['-n'], ['-r'], ['-v'], ['-m'], ['-p'], ['-i'], ['-o'], ['-snrvmpio'], ['-ap'], ['--all'], ['--kernel-name'], ['--nodename'],
    ['--kernel-release'], ['--kernel-version'], ['--machine'], ['--processor'], ['--hardware-platform'], ['--operating-system'], ['x'], ['-x']].map((a) => noTree(['uname', ...a])),
  ...[[], ['--all'], ['--ignore=1'], ['--ignore=100'], ['--ignore', '0'], ['x'], ['--ignore=x'], ['--ignore=-1']].map((a) => noTree(['nproc', ...a])),
  noTree(['nproc'], { env: { OMP_NUM_THREADS: '7' } }), noTree(['nproc'], { env: { OMP_NUM_THREADS: '7', OMP_THREAD_LIMIT: '3' } }),
  noTree(['nproc'], { env: { OMP_NUM_THREADS: '3,2' } }), noTree(['nproc'], { env: { OMP_NUM_THREADS: 'x' } }), noTree(['nproc', '--all'], { env: { OMP_NUM_THREADS: '7' } }),
  noTree(['tty']), noTree(['tty', '-s']), noTree(['tty', '--silent']), noTree(['tty', 'x']), noTree(['tty', '-x']),
  ['sync files', { argv: ['sync', 'f', 'd'], setup: (dir) => build(dir, { f: 'x', 'd/': null }), tree: false }],
  ['sync -d', { argv: ['sync', '-d', 'f'], setup: (dir) => build(dir, { f: 'x' }), tree: false }],
  ['sync -f', { argv: ['sync', '-f', 'f'], setup: (dir) => build(dir, { f: 'x' }), tree: false }],
  noTree(['sync', 'nope']), noTree(['sync', '-d']), noTree(['sync', '-d', '-f', 'x']), noTree(['sync', '-x']),
]);

describeDiff('sleep and timeout vs GNU', ['sleep', 'timeout'], [
  ...[[], ['x'], ['1x'], ['0'], ['0.05'], ['.05'], ['0.02s', '0.01'], ['0.0005m'], ['0h'], ['0d'], ['1e-2'], ['0x1p-6'], [' 0.01'], ['-1'], ['--', '-1'],
    ['0.01', 'x', 'y'], ['nan'], ['0s5']].map((a) => noTree(['sleep', ...a])),
  noTree(['timeout']), noTree(['timeout', '1']), noTree(['timeout', 'x', 'true']), noTree(['timeout', '0.2', 'sleep', '5']), noTree(['timeout', '5', 'true']),
  noTree(['timeout', '5', 'sh', '-c', 'exit 7']), noTree(['timeout', '--preserve-status', '0.2', 'sleep', '5']), noTree(['timeout', '-s', 'KILL', '0.2', 'sleep', '5']),
  noTree(['timeout', '-v', '0.2', 'sleep', '5']), noTree(['timeout', '-v', '-s', 'INT', '0.2', 'sleep', '5']), noTree(['timeout', '-s', 'HUP', '--preserve-status', '0.2', 'sleep', '5']),
  noTree(['timeout', '1', 'nosuch']), noTree(['timeout', '1', '/etc/passwd']), noTree(['timeout', '1', 'false']), noTree(['timeout', '0', 'true']),
  noTree(['timeout', '-k', '0.2', '0.2', 'sh', '-c', 'trap "" TERM; sleep 3 >/dev/null 2>&1']), noTree(['timeout', '-s', 'BOGUS', '1', 'true']), noTree(['timeout', '-k', 'x', '1', 'true']),
  noTree(['timeout', '--foreground', '0.1', 'sleep', '1']), noTree(['timeout', '-s', '9', '0.1', 'sleep', '1']), noTree(['timeout', '--signal=TERM', '0.1', 'sleep', '1']),
  noTree(['timeout', '0.5', 'sh', '-c', 'echo out; echo err >&2']), noTree(['timeout', '-x']),
]);

describeDiff('nohup vs GNU (not on a terminal)', ['nohup'], [
  noTree(['nohup']), noTree(['nohup', 'nosuch']), noTree(['nohup', '/etc/passwd']), noTree(['nohup', 'echo', 'hi']), noTree(['nohup', 'sh', '-c', 'echo out; echo err >&2; exit 4']),
  noTree(['nohup', '-x']), noTree(['nohup', '--', 'echo', '-x']),
]);

const pathDir = (dir: string) => {
  build(dir, { 'bin1/tool': { text: '#!/bin/sh\n', mode: 0o755 }, 'bin2/tool': { text: '#!/bin/sh\n', mode: 0o755 }, 'bin2/plain': 'not executable', 'bin1/dir/': null, 'local': { text: '', mode: 0o755 } });
};
describeDiff('which vs BusyBox', ['busybox'], [
  ...[['tool'], ['-a', 'tool'], ['plain'], ['nosuch'], ['tool', 'nosuch', 'tool'], ['dir'], ['./local'], ['local'], [`/bin/sh`], ['-a', 'nosuch']].map((a): [string, Scenario] => [
    `which ${a.join(' ')}`,
    { argv: ['which', ...a], reference: [BUSYBOX, 'which', ...a], setup: pathDir, tree: false, env: (dir) => ({ PATH: `${dir}/bin1:${dir}/bin2` }) },
  ]),
  ['which with an empty PATH element', { argv: ['which', 'local'], reference: [BUSYBOX, 'which', 'local'], setup: pathDir, tree: false, env: (dir) => ({ PATH: `:${dir}/bin1` }) }],
]);

describeDiff('hostname (reading) vs BusyBox', ['busybox'], [
  ...[[], ['-s'], ['-f'], ['-d'], ['-i'], ['-sf'], ['-x']].map((a): [string, Scenario] => [
    `hostname ${a.join(' ')}`,
    {
      argv: ['hostname', ...a],
      reference: ['busybox', 'hostname', ...a],
      tree: false,
      // BusyBox's usage text names BusyBox: compare the first line only
      normalize: (r) => ({ ...r, stderr: r.stderr.split('\n')[0]! }),
    },
  ]),
]);

// ps lists live processes: compared on the header and on PIDs 1 and 2 (init and kthreadd, which
// do not change between the two runs). Debian's BusyBox lacks the time columns (FEATURE_PS_TIME).
const stableRows = (text: string) => text.split('\n').filter((line, i) => i === 0 || /^\s*[12] /.test(line));
const psCheck = (ref: Outcome, ours: Outcome) => {
  // ours is Alpine's BusyBox, with the time columns Debian's leaves out
  const stderr = ours.stderr.replace(',etime', '').replace(',time', '');
  expect({ ...ours, stderr, stdout: stableRows(ours.stdout) }).toEqual({ ...ref, stdout: stableRows(ref.stdout) });
};
describeDiff('ps vs BusyBox', ['busybox'], [
  ['pid,ppid,pgid,sid,user,group,ruser,rgroup,comm,nice,tty,stat,vsz,args'], ['pid,user,args'], ['pid=PROC,comm'], ['comm,pid'], ['pid', 'rss=R,vsz=V'],
  ['user=', 'pid='], ['bogus'], ['pid,bogus'],
].map((specs): [string, Scenario] => {
  const args = specs.flatMap((s) => ['-o', s]);
  return [`ps ${args.join(' ')}`, { argv: ['ps', ...args], reference: [BUSYBOX, 'ps', ...args], tree: false, check: psCheck }];
}));
