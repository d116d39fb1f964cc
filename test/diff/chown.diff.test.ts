// chown and chgrp against GNU coreutils, as root, with the host's users and groups (root, daemon,
// bin, sys: in every Debian /etc/passwd): every spec form, --from, --reference, -h, -R with
// -H/-L/-P through links to files and directories, -v/-c/-f wording, and the errors. Names from a
// rootfs's own /etc/passwd are tested in test/e2e/files.e2e.test.ts, inside a chroot.
import { describe } from 'vitest';
import { build, describeDiff, type Fixture, type Scenario } from '../helpers/scenario.js';

const FIXTURE: Fixture = {
  f: 'f',
  g: { text: 'g', uid: 2, gid: 2 },
  'd/sub/x': 'x',
  'd/lf2': { link: '../f' },
  'd/lsub': { link: 'sub' },
  lf: { link: 'f' },
  ld: { link: 'd' },
  dang: { link: 'nowhere' },
  odd: { text: 'o', uid: 99999, gid: 88888 },
  setid: { text: 's', mode: 0o6755 },
};
const setup = (dir: string) => build(dir, FIXTURE);
const cases = (list: (readonly string[])[]): [string, Scenario][] =>
  list.map((argv) => [argv.join(' '), { argv, setup, tree: { owners: true } }]);

const SPECS = ['daemon', 'daemon:bin', ':sys', '0', 'root:', 'bin.', '.daemon', ':', '', '0:0', '1:1', '+0', '+1:+2', '99999:88888',
  'nosuch', 'root:nosuch', '1234:', 'nosuch:', ':nosuch', 'daemon.bin', 'a.b', '4294967295', '4294967294', '-1', 'root:+3', 'bin::', ':5', ':+1', '0:sys'];

const isRoot = process.getuid?.() === 0;
describe.skipIf(!isRoot)('as root', () => {
  describeDiff('chown vs GNU', ['chown'], cases([
    ...SPECS.map((s) => ['chown', '-v', s, 'f', 'odd']),
    ['chown'], ['chown', 'daemon'], ['chown', '-v', 'lf'], ['chown', '-v', 'bin', 'lf'], ['chown', '-hv', 'daemon', 'lf'], ['chown', '-v', 'bin', 'dang'],
    ['chown', '-hv', 'bin', 'dang'], ['chown', '-fv', 'bin', 'dang'], ['chown', '-v', 'bin', 'nope', 'f'], ['chown', '-c', 'bin', 'f', 'g'],
    ['chown', '-c', '0:0', 'f', 'g'], ['chown', '-v', '--from=bin:bin', 'root', 'f', 'g'], ['chown', '-v', '--from=0', 'daemon', 'f', 'g'],
    ['chown', '-v', '--from=:2', 'daemon', 'f', 'g'], ['chown', '--from=nosuch', 'daemon', 'f'], ['chown', '--from=bin.', 'daemon', 'g'],
    ['chown', '-Rv', 'daemon', 'd'], ['chown', '-Rvh', 'bin', 'd'], ['chown', '-RHv', '0', 'd'], ['chown', '-R', '--dereference', '0', 'd'],
    ['chown', '-RLv', '2', 'd'], ['chown', '-RHv', '3', 'ld'], ['chown', '-Rv', '3', 'ld'], ['chown', '-RLv', '3', 'ld'], ['chown', '-RLPv', '3', 'ld'],
    ['chown', '-RPLv', '3', 'ld'], ['chown', '-RHLv', 'bin', 'd'], ['chown', '-Rv', '-H', '--dereference', '1', 'ld'], ['chown', '-R', '-h', '-L', '1', 'd'],
    ['chown', '-Rcv', '1:1', 'd'], ['chown', '-v', 'daemon', 'd'], ['chown', '--reference=g', 'f'], ['chown', '-v', '--reference=odd', 'f', 'g'],
    ['chown', '-v', '--reference=nope', 'f'], ['chown', '--reference=g'], ['chown', '-v', 'bin', 'setid'], ['chown', '-v', ':bin', 'setid'],
    ['chown', '--changes', '--silent', 'bin', 'nope'], ['chown', '--verbose', '--no-dereference', 'daemon', 'lf'], ['chown', '-Rv', '--preserve-root', '1', 'd'],
    ['chown', '-x', 'f'], ['chown', '-v', 'daemon', "it's", 'a b'],
  ]));

  describeDiff('chgrp vs GNU', ['chgrp'], cases([
    ['chgrp', '-v', 'daemon', 'f', 'odd'], ['chgrp', '-v', '1', 'f'], ['chgrp', '-v', '+2', 'f'], ['chgrp', '-v', 'nosuch', 'f'], ['chgrp', '-v', '', 'f'],
    ['chgrp', '-v', '88888', 'f'], ['chgrp', '-c', 'bin', 'f', 'g'], ['chgrp', '-cv', 'root', 'f', 'g'], ['chgrp'], ['chgrp', 'bin'],
    ['chgrp', '-v', 'bin', 'lf'], ['chgrp', '-hv', 'bin', 'lf'], ['chgrp', '-v', 'bin', 'dang'], ['chgrp', '-Rv', 'daemon', 'd'], ['chgrp', '-RLv', 'sys', 'ld'],
    ['chgrp', '-RHv', 'sys', 'ld'], ['chgrp', '--reference=g', '-v', 'f'], ['chgrp', '--reference=nope', 'f'], ['chgrp', '-v', 'bin', 'nope', 'f'],
    ['chgrp', '-f', 'bin', 'nope'], ['chgrp', '--from=0', 'bin', 'f'], ['chgrp', '-v', 'root:bin', 'f'],
  ]));
});
