// mv against GNU coreutils: renames, moves into directories, the refusals (into itself, directory
// onto file and back), -i/-n/-f/-u, backups, -t/-T, and moves across file systems (to /dev/shm,
// a tmpfs) that copy everything (modes, times, owners, hard links, symlinks, FIFOs) and remove
// the source with GNU's verbose lines.
import * as fs from 'node:fs';
import { describe } from 'vitest';
import { build, describeDiff, fixTimes, type Fixture, type Scenario } from '../helpers/scenario.js';

const T0 = 1_000_000_000.25;
const OTHER_FS = `/dev/shm/toolbox-mv-test-${process.pid}`;
const FIXTURE: Fixture = {
  f: { text: 'f data\n', mode: 0o644 },
  g: { text: 'g\n', mode: 0o600 },
  ro: { text: 'ro', mode: 0o444 },
  'd/a': 'a',
  'd/sub/b': { text: 'b', mode: 0o640, uid: 2, gid: 3 },
  'd/link': { link: 'a' },
  'd/hard1': 'shared',
  'd/sub/hard2': { hard: 'd/hard1' },
  'd/fifo': { fifo: true },
  'e/': null,
  'e/f': 'old e/f',
  'e/d/': null,
  'full/y': '',
  'empty/': null,
  'busy/d/z': 'occupied',
  lf: { link: 'f' },
  ld: { link: 'd' },
  dang: { link: 'nowhere' },
  'f~': 'a backup',
};
const setup = (dir: string) => {
  build(dir, FIXTURE);
  fixTimes(dir, T0);
  if (fs.existsSync(OTHER_FS)) {
    build(OTHER_FS, { 'occupied/h/': null, 'existing': 'there', 'ed/': null, 'full/d/q': 'q', 'emptyd/': null });
    fixTimes(OTHER_FS, T0);
  }
};
const TREE = { times: true, owners: true };
type Item = readonly string[] | [readonly string[], string];
const cases = (list: Item[], extra: Partial<Scenario> = {}): [string, Scenario][] =>
  list.map((item) => {
    const [argv, stdin] = typeof item[0] === 'string' ? [item as readonly string[], undefined] : (item as [readonly string[], string]);
    return [`${argv.join(' ')}${stdin === undefined ? '' : ` <<< ${JSON.stringify(stdin)}`}`, { argv, setup, stdin, tree: TREE, ...extra }];
  });

describeDiff('mv vs GNU', ['mv', 'mkfifo'], cases([
  ['mv'], ['mv', 'f'], ['mv', 'nope', 'x'], ['mv', '-v', 'f', 'f2'], ['mv', 'f', 'f'], ['mv', 'f', './f'], ['mv', 'd', 'd/sub'], ['mv', 'd', 'd'],
  ['mv', 'f', 'g', 'e'], ['mv', '-v', 'f', 'g', 'e'], ['mv', 'f', 'g', 'nope'], ['mv', 'f', 'g', 'ro'], ['mv', '-v', 'd', 'e'], ['mv', 'e/d', '.'],
  ['mv', '-T', 'd', 'full'], ['mv', '-T', 'd', 'empty'], ['mv', '-vT', 'd', 'empty'], ['mv', 'd', 'full'], ['mv', '-T', 'f', 'e'], ['mv', 'f', 'e'],
  ['mv', '-T', 'empty', 'f'], ['mv', 'empty', 'f'], ['mv', '-v', 'f', 'g'], ['mv', 'f', 'ro'], ['mv', 'lf', 'lf2'], ['mv', 'ld', 'e'], ['mv', 'dang', 'e'],
  ['mv', 'f', 'lf'], ['mv', 'lf', 'f'], ['mv', 'f/', 'x'], ['mv', 'empty/', 'e2/'], ['mv', '--strip-trailing-slashes', '-v', 'empty/', 'e3'],
  ['mv', '-t', 'nope', 'g'], ['mv', '-t', 'f', 'g'], ['mv', '-t', 'e', 'f', 'g'], ['mv', '-t', 'e', '-t', 'e', 'f'], ['mv', '-T', '-t', 'e', 'f'],
  ['mv', '-T', 'a', 'b', 'c'], ['mv', 'f', 'd/a', 'e'], ['mv', 'f', 'f', 'e'],
  ['mv', '-n', 'f', 'g'], ['mv', '-nv', 'f', 'g'], [['mv', '-i', 'f', 'g'], 'n\n'], [['mv', '-i', 'f', 'g'], 'y\n'], [['mv', '-iv', 'f', 'g'], ''],
  [['mv', '-i', 'f', 'new'], ''], [['mv', '-f', '-i', 'f', 'g'], 'n\n'], [['mv', '-i', '-f', 'f', 'g'], 'n\n'], [['mv', '-n', '-f', 'f', 'g'], ''],
  ['mv', '-u', 'f', 'g'], ['mv', '-uv', 'g', 'f'], ['mv', '-un', 'f', 'g'], ['mv', '-u', 'f', 'new'],
  ['mv', '-b', 'f', 'g'], ['mv', '-bv', 'f', 'g'], ['mv', '--backup=numbered', '-v', 'f', 'g'], ['mv', '-S', '.bak', 'f', 'g'], ['mv', '-b', 'f~', 'f'],
  ['mv', '-b', 'd', 'e'], ['mv', '-bn', 'f', 'g'], ['mv', '--backup=bogus', 'f', 'g'], ['mv', '-b', 'e/d', 'f'], ['mv', '-b', 'f', 'e/d'],
  ['mv', 'd', 'busy'], ['mv', '-v', 'f', 'd', 'busy'], ['mv', '-x'], ['mv', '--bogus'], ['mv', "it's", 'a b'], ['mv', '-Z', 'f', 'z'],
]));

describe.skipIf(!fs.existsSync('/dev/shm'))('across file systems', () => {
  const S = OTHER_FS;
  describeDiff('mv to another file system vs GNU', ['mv', 'mkfifo'], cases([
    ['mv', '-v', 'f', `${S}/`], ['mv', 'f', `${S}/moved`], ['mv', '-v', 'd', `${S}/`], ['mv', 'd', `${S}/dd`], ['mv', '-v', 'lf', 'dang', S],
    ['mv', 'f', `${S}/occupied`], ['mv', '-T', 'f', `${S}/ed`], ['mv', '-T', 'empty', `${S}/existing`], ['mv', '-T', 'empty', `${S}/full`],
    ['mv', '-T', 'empty', `${S}/emptyd`], ['mv', '-v', 'f', `${S}/existing`], ['mv', '-bv', 'f', `${S}/existing`], ['mv', '-n', 'f', `${S}/existing`],
    ['mv', '-v', 'd/hard1', 'd/sub/hard2', S], ['mv', '-v', 'd/sub', 'd/hard1', S], ['mv', '-v', 'e', 'g', S],
  ], { alsoTrees: [S] }));
});
