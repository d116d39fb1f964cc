// chmod against GNU coreutils: octal and symbolic modes on files and directories (set-id bits kept
// on directories), umask-limited clauses, modes written as options (-w) and their warnings, -R in
// fts order with links inside the tree, -v/-c/-f, --reference, and the errors. `--preserve-root` on
// `/` is tested in a chroot (test/e2e/files.e2e.test.ts), never on the host.
import * as fs from 'node:fs';
import { build, describeDiff, type Fixture, type Scenario } from '../helpers/scenario.js';

const FIXTURE: Fixture = {
  f: { text: 'f', mode: 0o644 },
  g: { text: '', mode: 0o600 },
  x: { text: '#!/bin/sh\n', mode: 0o755 },
  ro: { text: 'ro', mode: 0o444 },
  'd/': null,
  'd/e/x': 'x',
  'd/e/y': { text: 'y', mode: 0o700 },
  'd/lf': { link: '../f' },
  'sg/': null,
  lf: { link: 'f' },
  ld: { link: 'd' },
  dang: { link: 'nowhere' },
};
const setup = (dir: string) => {
  build(dir, FIXTURE);
  fs.chmodSync(`${dir}/sg`, 0o2755);
};
const cases = (list: (readonly string[])[]): [string, Scenario][] => list.map((argv) => [argv.join(' '), { argv, setup }]);

const MODES = ['755', '0', '644', '4755', '2755', '1777', '00755', '07777', 'u+x', 'go-r', 'a=rX', 'u=rwx,g=rx,o=', 'g=u', 'o=g', 'u+s',
  'g+s', '+t', 'a-s', 'u-s,g-s', '+x', '+w', '-w', '=r', '=', 'a=', 'u+x-w', 'ug+rw,o-rwx', 'a+X', 'u=g,g=o', 'o+t', '+s', 'a+rwxst'];

describeDiff('chmod vs GNU', ['chmod'], cases([
  ...MODES.map((m) => ['chmod', '-v', m, 'f', 'g', 'x', 'ro', 'd', 'sg']),
  ['chmod'], ['chmod', '755'], ['chmod', '755', 'nope', 'f'], ['chmod', '-v', '755', 'f'], ['chmod', '-c', '644', 'f', 'g'],
  ['chmod', '-c', '600', 'f', 'g'], ['chmod', '-v', '644', 'lf'], ['chmod', '644', 'dang'], ['chmod', '-v', '644', 'dang'], ['chmod', '-f', '644', 'dang', 'nope'],
  ['chmod', '-v', '+w-x', 'f'], ['chmod', '-w', 'f'], ['chmod', '-v', '-w', 'f', 'g'], ['chmod', '-x', 'x'], ['chmod', '-vx', 'x'],
  ['chmod', '-rwx', 'f'], ['chmod', '-v', '-w', '-x', 'x'], ['chmod', '-vr', 'f'], ['chmod', '-v', 'u+w', 'f', '-x'], ['chmod', '-x,+r', 'x'],
  ['chmod', '-fw', 'f'], ['chmod', '-w', '-f', 'f'], ['chmod', '-Rw', 'd'], ['chmod', '--', '-w', 'f'], ['chmod', '-=r', 'f'], ['chmod', '-0', 'f'],
  ['chmod', '-v', 'a+w,+w', 'ro'], ['chmod', '-v', 'o+w,-w', 'f'], ['chmod', '-v', '+w', 'ro'], ['chmod', '-w'],
  ['chmod', '-R', '-v', 'u+x', 'd', 'lf'], ['chmod', '-c', '-R', 'u+x', 'd'], ['chmod', '-Rv', '600', 'd'], ['chmod', '-Rv', 'go=', 'ld'],
  ['chmod', '-Rc', '700', 'ld/'], ['chmod', '--recursive', '--verbose', 'a-x', 'd'], ['chmod', '-Rv', '--no-preserve-root', '755', 'd'],
  ['chmod', '-Rv', '--preserve-root', '755', 'd'], ['chmod', '--reference=x', 'f', 'd'], ['chmod', '-v', '--reference=sg', 'f'],
  ['chmod', '--reference', 'ro', 'f'], ['chmod', '--reference=nope', 'f'], ['chmod', '--reference=f'], ['chmod', '--ref=x', '-v', 'g'],
  ['chmod', 'x', 'f'], ['chmod', 'u+q', 'f'], ['chmod', '8', 'f'], ['chmod', '77777', 'f'], ['chmod', '', 'f'], ['chmod', ',', 'f'],
  ['chmod', 'u+', 'f'], ['chmod', 'a+r,', 'f'], ['chmod', '--bogus', 'f'], ['chmod', '-Z', 'f'], ['chmod', '--changes', '--quiet', '700', 'f'],
  ['chmod', '--silent', '700', 'nope'], ['chmod', '-v', '755', "it's", 'a b'],
]));

describeDiff('chmod octal modes with an operator vs GNU', ['chmod'], cases(
  ['+755', '-022', '=644', '=0', '+7000', '-7777', '=00644', '+0', 'u+644', '+7777,-1', '=755', '+77777', '-8'].map((m) => ['chmod', '-v', m, 'f', 'sg', 'd']),
));
