// install against GNU coreutils: copies with the default and given modes (octal, symbolic, special
// bits), owners and groups (as root), -d/-D directory making whatever the umask, -t/-T, -C, -p,
// -s through the system's strip, backups, -v, and the errors.
import * as fs from 'node:fs';
import { describe } from 'vitest';
import { build, describeDiff, fixTimes, type Fixture, type Scenario } from '../helpers/scenario.js';

const T0 = 1_000_000_000.25;
const FIXTURE: Fixture = {
  f: { text: 'data\n', mode: 0o644 },
  g: { text: 'g\n', mode: 0o600 },
  'd/': null,
  'd/old': 'old',
  same: { text: 'data\n', mode: 0o755 },
  lf: { link: 'f' },
  'e/': null,
};
const setup = (dir: string) => {
  build(dir, FIXTURE);
  fs.copyFileSync('/bin/true', `${dir}/prog`);
  fixTimes(dir, T0);
};
const TREE = { times: true, owners: true };
const cases = (list: (readonly string[])[], extra: Partial<Scenario> = {}): [string, Scenario][] =>
  list.map((argv) => [argv.join(' '), { argv, setup, tree: TREE, ...extra }]);

const isRoot = process.getuid?.() === 0;
describe.skipIf(!isRoot)('as root', () => {
  describeDiff('install vs GNU', ['install', 'strip'], cases([
    ['install'], ['install', 'f'], ['install', '-d'], ['install', 'f', 'i1'], ['install', '-v', 'f', 'i1'], ['install', 'f', 'g'], ['install', 'f', 'd'],
    ['install', '-v', 'f', 'g', 'd'], ['install', 'f', 'g', 'nope'], ['install', 'f', 'g', 'f'], ['install', '-t', 'nope', 'f'], ['install', '-t', 'f', 'g'],
    ['install', '-t', 'd', 'f', 'g'], ['install', '-T', 'f', 'd'], ['install', '-T', 'f', 'new'], ['install', '-T', 'a', 'b', 'c'], ['install', '-T', '-t', 'd', 'f'],
    ['install', 'd', 'x'], ['install', 'lf', 'x'], ['install', 'nope', 'x'], ['install', 'f', 'nope/x'], ['install', '/dev/null', 'empty'],
    ['install', '-m', '644', 'f', 'm1'], ['install', '-m', '+x', 'f', 'm2'], ['install', '-m', 'u+rw', 'f', 'm3'], ['install', '-m', '4755', 'f', 'm4'],
    ['install', '-m', 'a=rwx,o-w', 'f', 'm5'], ['install', '-m', 'bad', 'f', 'm6'], ['install', '--mode=600', '-v', 'f', 'm7'], ['install', '-m', '+t', 'f', 'm8'],
    ['install', '-o', 'bin', '-g', 'sys', '-v', 'f', 'o1'], ['install', '-o', '2', 'f', 'o2'], ['install', '-g', '3', 'f', 'o3'], ['install', '-o', 'nosuch', 'f', 'o4'],
    ['install', '-g', 'nosuch', 'f', 'o5'], ['install', '--owner=daemon', '--group=daemon', 'f', 'o6'],
    ['install', '-d', '-v', 'a/b/c'], ['install', '-dm', '700', '-v', 'x/y'], ['install', '-d', 'f'], ['install', '-d', 'd'], ['install', '-dm', '700', 'd'],
    ['install', '-d', '-o', 'bin', '-g', 'sys', 'own/dir'], ['install', '-d', '-s', 'x'], ['install', '-d', '-t', 'd', 'x'], ['install', '--directory', 'p', 'q/r'],
    ['install', '-D', '-v', 'f', 'p/q/r'], ['install', '-D', 'f', 'd/new/f'], ['install', '-Dt', 'new/dir', '-v', 'f', 'g'], ['install', '-D', '-m', '600', 'f', 'f/x'],
    ['install', '-C', '-v', 'f', 'same'], ['install', '-C', '-v', 'f', 'new'], ['install', '-C', '-m', '644', 'f', 'same'], ['install', '-C', '-m', '4755', 'f', 'same'],
    ['install', '-C', '-s', 'f', 'x'], ['install', '-p', 'f', 'p1'], ['install', '-p', '/dev/null', 'p2'], ['install', '-c', 'f', 'c1'],
    ['install', '-s', 'prog', 's1'], ['install', '-s', '-v', 'prog', 's2'], ['install', '-s', 'f', 's3'], ['install', '-s', '--strip-program=/bin/false', 'f', 's4'],
    ['install', '--strip-program=nonexist', '-s', 'f', 's5'], ['install', '-s', '-p', 'prog', 's6'],
    ['install', '-b', 'f', 'g'], ['install', '-bv', 'f', 'g'], ['install', '--backup=numbered', '-v', 'f', 'g'], ['install', '-S', '.bak', 'f', 'g'],
    ['install', '--backup=bogus', 'f', 'g'], ['install', '-x'], ['install', '--bogus'], ['install', "it's", 'a b'],
  ]));
  describeDiff('install under umask 077 vs GNU', ['install'], cases([
    ['install', '-d', 'u/v'], ['install', '-D', 'f', 'w/x/y'], ['install', 'f', 'z'], ['install', '-dm', '750', 'q'],
  ], { umask: 0o077 }));
});
