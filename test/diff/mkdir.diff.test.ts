// mkdir and rmdir against GNU coreutils: parents, modes (octal, symbolic, special bits, umask),
// verbose output, and every failure (existing files, dangling links, files in the way).
import { build, describeDiff, type Fixture, type Scenario } from '../helpers/scenario.js';

const FIXTURE: Fixture = {
  f: 'file',
  'd/': null,
  'full/x': 'x',
  'a/b/c/': null,
  'x/y/': null,
  'x/f': '',
  dl: { link: 'nowhere' },
  ld: { link: 'a' },
  'em/': null,
  'z1/z2/': null,
  'm1/m2/': null,
};
const setup = (dir: string) => build(dir, FIXTURE);
const cases = (list: (readonly string[])[]): [string, Scenario][] => list.map((argv) => [argv.join(' '), { argv, setup }]);

describeDiff('mkdir vs GNU', ['mkdir'], cases([
  ['mkdir'], ['mkdir', 'new'], ['mkdir', 'd'], ['mkdir', 'f'], ['mkdir', 'new/sub'], ['mkdir', 'n1', 'n2', 'd', 'n3'],
  ['mkdir', '-v', 'n1', 'n2'], ['mkdir', '-p', 'p/q/r'], ['mkdir', '-pv', 'p/q/r', 'p/q'], ['mkdir', '-pv', './p1//p2/./p3/../p4'],
  ['mkdir', '-p', 'd'], ['mkdir', '-p', 'f'], ['mkdir', '-p', 'f/x'], ['mkdir', '-p', 'f/x/y'], ['mkdir', 'f/x'],
  ['mkdir', '-p', 'dl'], ['mkdir', 'dl'], ['mkdir', '-p', 'dl/x'], ['mkdir', '-p', 'ld/new'], ['mkdir', '-p', 'nope/../q'],
  ['mkdir', ''], ['mkdir', '-p', ''], ['mkdir', '-p', 'trail/ing/'], ['mkdir', '-pv', 'trail//ing//'],
  ['mkdir', '-m', '700', 'm'], ['mkdir', '-m', '777', 'm'], ['mkdir', '-m', '0', 'm'], ['mkdir', '-m', '1777', 'm'],
  ['mkdir', '-m', '2755', 'm'], ['mkdir', '-m', '4700', 'm'], ['mkdir', '-m', 'u=rwx,go=', 'm'], ['mkdir', '-m', '+t', 'm'],
  ['mkdir', '-m', 'a=rwx', 'm'], ['mkdir', '-m', 'g+s', 'm'], ['mkdir', '-m', 'o-rx', 'm'], ['mkdir', '-m', 'u-w', 'm'],
  ['mkdir', '-m', '=', 'm'], ['mkdir', '-m', 'go=u', 'm'], ['mkdir', '-m', 'a-x', 'm'],
  ['mkdir', '-pm', '700', 'n/e/s/t'], ['mkdir', '-p', '-m', '0', 'deep/leaf'], ['mkdir', '--mode=750', '--parents', '--verbose', 'l/o/n/g'],
  ['mkdir', '-m', 'bad', 'm'], ['mkdir', '-m', '8', 'm'], ['mkdir', '-m', 'u+q', 'm'], ['mkdir', '-m'], ['mkdir', '-x', 'm'],
  ['mkdir', '--', '-m'], ['mkdir', '--par', 'pp/qq'], ['mkdir', "it's", 'a b', 'tab\tname'], ['mkdir', '-v', "it's/x"],
]));

describeDiff('rmdir vs GNU', ['rmdir'], cases([
  ['rmdir'], ['rmdir', 'em'], ['rmdir', 'full'], ['rmdir', 'nope'], ['rmdir', 'f'], ['rmdir', 'ld'], ['rmdir', 'ld/'],
  ['rmdir', 'x/y/'], ['rmdir', 'em/'], ['rmdir', 'em/.'], ['rmdir', 'em/..'], ['rmdir', '.'], ['rmdir', ''], ['rmdir', 'dl'],
  ['rmdir', '-v', 'em', 'nope', 'd'], ['rmdir', '-p', 'a/b/c'], ['rmdir', '-pv', 'a/b/c'], ['rmdir', '-pv', 'x/y'],
  ['rmdir', '-p', 'z1//z2//'], ['rmdir', '-pv', './m1/m2'], ['rmdir', '--ignore-fail-on-non-empty', 'full', 'em'],
  ['rmdir', '-p', '--ignore-fail-on-non-empty', 'x/y'], ['rmdir', '--ignore-fail-on-non-empty', '-pv', 'x/y'],
  ['rmdir', '--parents', '--verbose', 'a/b/c/'], ['rmdir', '-p', 'nope/x'], ['rmdir', '-x'], ['rmdir', '--ignore', 'full'],
]));

describeDiff('mkdir under umask 077 vs GNU', ['mkdir'], cases([
  ['mkdir', 'new'], ['mkdir', '-p', 'p/q/r'], ['mkdir', '-m', '755', 'm'], ['mkdir', '-pm', '755', 'a1/b1'], ['mkdir', '-m', '+w', 'm'], ['mkdir', '-m', 'go+rx', 'm'],
]).map(([name, s]) => [name, { ...s, umask: 0o077 }] as [string, Scenario]));
describeDiff('mkdir under umask 0333 (ancestors still writable) vs GNU', ['mkdir'], cases([['mkdir', '-p', 'p/q/r'], ['mkdir', '-pv', 'x/y']]).map(([name, s]) => [name, { ...s, umask: 0o333 }] as [string, Scenario]));
