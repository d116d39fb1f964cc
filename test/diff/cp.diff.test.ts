// cp against GNU coreutils: files, trees, links (symbolic and hard, followed or not), special
// files, modes (umask, -p, --preserve/--no-preserve), times, owners (as root), sparse files,
// backups, -i/-n/-u/-f/--remove-destination, --parents, -t/-T, and every error path GNU words.
import * as fs from 'node:fs';
import { runTool, type ToolResult } from '../helpers/reference.js';
import { build, describeDiff, fixTimes, type Fixture, type Scenario } from '../helpers/scenario.js';

const isRoot = process.getuid?.() === 0;
const T0 = 1_000_000_000.25; // a fixed time in the past, with a fraction that must survive -p
const FIXTURE: Fixture = {
  f: { text: 'f data\n', mode: 0o644 },
  g: { text: 'g\n', mode: 0o600 },
  x: { text: '#!/bin/sh\n', mode: 0o4755 },
  ro: { text: 'ro', mode: 0o444 },
  empty: '',
  'd/a': 'a',
  'd/sub/b': { text: 'b', mode: 0o640 },
  'd/sub/deep/c': 'c',
  'd/link': { link: 'a' },
  'd/abs': { link: '/nonexistent/target' },
  'd/hard1': 'shared',
  'd/hard2': { hard: 'd/hard1' },
  'd/sub/hard3': { hard: 'd/hard1' },
  'd/fifo': { fifo: true },
  'd/private/': null,
  'e/': null,
  'e/f': 'old e/f',
  'e/d/': null,
  lf: { link: 'f' },
  ld: { link: 'd' },
  dang: { link: 'nowhere' },
  sparse: { sparse: 8 * 1024 * 1024, text: 'end' },
  owned: { text: 'owned', uid: 2, gid: 3, mode: 0o640 },
  'f~': 'a backup',
};
const setup = (dir: string) => {
  build(dir, FIXTURE);
  fs.mkdirSync(`${dir}/dev`);
  if (isRoot) runTool(['mknod', `${dir}/dev/null`, 'c', '1', '3']);
  fs.chmodSync(`${dir}/d/private`, 0o500);
  fixTimes(dir, T0);
};
const TREE = { times: true, owners: true, blocks: true };
// Within a directory cp goes in inode order (GNU's savedir sorts so; ours too), and the fixture is
// built afresh for each of the two runs, so the inode numbers, and with them the order of -v lines
// and messages, can differ between the runs: lines are compared sorted.
const sortLines = (r: ToolResult): ToolResult => ({ ...r, stdout: sorted(r.stdout), stderr: sorted(r.stderr) });
const sorted = (text: string) => text.split('\n').sort().join('\n');
const cases = (list: (readonly string[] | [readonly string[], string])[]): [string, Scenario][] =>
  list.map((item) => {
    const [argv, stdin] = typeof item[0] === 'string' ? [item as readonly string[], undefined] : (item as [readonly string[], string]);
    return [`${argv.join(' ')}${stdin === undefined ? '' : ` <<< ${JSON.stringify(stdin)}`}`, { argv, setup, stdin, tree: TREE, normalize: sortLines }];
  });

describeDiff('cp vs GNU', ['cp', 'mkfifo'], cases([
  // operands and targets
  ['cp'], ['cp', 'f'], ['cp', 'f', 'f'], ['cp', 'nope', 'x'], ['cp', 'f', 'new'], ['cp', '-v', 'f', 'new'], ['cp', 'f', 'g'], ['cp', 'f', 'e'],
  ['cp', '-v', 'f', 'g', 'e'], ['cp', 'f', 'g', 'nope'], ['cp', 'f', 'g', 'ro'], ['cp', 'f', 'e/'], ['cp', 'f', 'nope/'], ['cp', 'f', 'f/'],
  ['cp', '-t', 'e', 'f', 'g'], ['cp', '-t', 'nope', 'f'], ['cp', '-t', 'f', 'g'], ['cp', '-t', 'e'], ['cp', '-t', 'e', '-t', 'e', 'f'],
  ['cp', '-T', 'f', 'e'], ['cp', '-T', 'f', 'g', 'x'], ['cp', '-T', '-t', 'e', 'f'], ['cp', '-T', 'f', 'newT'], ['cp', '-rT', 'd', 'e'],
  ['cp', 'f', 'g', 'f', 'e'], ['cp', 'f', './f', 'e'], ['cp', 'd/a', 'e/f', 'e'], ['cp', 'f', 'd/a', 'e/f', 'e'],
  // directories
  ['cp', 'd', 'x2'], ['cp', '-r', 'd', 'copy'], ['cp', '-rv', 'd', 'copy'], ['cp', '-R', 'd', 'e'], ['cp', '-r', 'd', 'd/sub'], ['cp', '-r', 'd', 'd'],
  ['cp', '-r', 'd', 'f'], ['cp', '-r', 'f', 'e/d'], ['cp', '-rv', 'd/', 'e2'], ['cp', '-r', 'd', 'd', 'e'], ['cp', '-r', '--strip-trailing-slashes', 'd/', 'e4'],
  ['cp', '-rv', 'd/sub/..', 'e'], ['cp', '-r', 'ld', 'l2'], ['cp', '-rH', 'ld', 'l3'], ['cp', '-rL', 'd', 'l4'], ['cp', '-rP', 'ld', 'l5'],
  ['cp', '-a', 'd', 'arch'], ['cp', '-av', 'd', 'e'], ['cp', '-a', 'ld', 'al'], ['cp', '-aH', 'ld', 'al2'], ['cp', '-r', '-x', 'd', 'xd'],
  ['cp', '-dr', 'd', 'dd'],
  // links
  ['cp', 'lf', 'lf2'], ['cp', '-P', 'lf', 'lf3'], ['cp', '-d', 'dang', 'dang2'], ['cp', 'dang', 'dang3'], ['cp', '-L', 'dang', 'x'],
  ['cp', '-H', 'lf', 'h1'], ['cp', 'f', 'dang'], ['cp', '-P', 'lf', 'g'], ['cp', '-d', 'lf', 'dang'], ['cp', '-l', 'f', 'l1'], ['cp', '-lv', 'f', 'l2'],
  ['cp', '-l', 'd', 'l3'], ['cp', '-rl', 'd', 'l4'], ['cp', '-l', 'f', 'g'], ['cp', '-lf', 'f', 'g'], ['cp', '-l', 'lf', 'l5'], ['cp', '-lP', 'lf', 'l6'],
  ['cp', '-s', 'f', 's1'], ['cp', '-sv', 'f', 's1'], ['cp', '-s', 'f', 'e'], ['cp', '-s', 'nope', 's2'], ['cp', '-sf', 'f', 'g'], ['cp', '-s', 'f', 'g'],
  ['cp', '-ls', 'f', 'g'], ['cp', '-r', '-s', 'd', 'rs'], ['cp', '-d', 'd/hard1', 'd/hard2', 'e'], ['cp', '-r', '-d', 'd', 'hl'],
  // attributes
  ['cp', 'x', 'x2'], ['cp', '-p', 'x', 'x2'], ['cp', '-p', 'f', 'g'], ['cp', 'owned', 'o2'], ['cp', '-p', 'owned', 'o2'], ['cp', '--preserve', 'owned', 'o3'],
  ['cp', '--preserve=mode', 'x', 'x3'], ['cp', '--preserve=timestamps', 'f', 't1'], ['cp', '--preserve=ownership', 'owned', 'o4'],
  ['cp', '--preserve=links', '-r', 'd', 'pl'], ['cp', '--preserve=all', 'owned', 'o5'], ['cp', '--preserve=m,t', 'x', 'x4'], ['cp', '--preserve=bogus', 'f', 'x'],
  ['cp', '--preserve=mode,bogus', 'f', 'x'], ['cp', '--no-preserve=all', '-v', 'f', 'x'], ['cp', '-a', '--no-preserve=mode', 'x', 'x5'],
  ['cp', '--no-preserve=mode', '-a', 'x', 'x6'], ['cp', '-a', '--no-preserve=ownership', 'owned', 'o6'], ['cp', '--no-preserve=bogus', 'f', 'x'],
  ['cp', '-p', 'g', 'ro'], ['cp', 'x', 'ro'], ['cp', '-a', 'd/private', 'pv'], ['cp', '-r', 'd/private', 'pv2'], ['cp', '--attributes-only', 'f', 'ao'],
  ['cp', '--attributes-only', '-p', 'x', 'f'],
  // special files and sparse files
  ['cp', '-r', 'd/fifo', 'ff'], ['cp', 'dev/null', 'nullcopy'], ['cp', '-r', 'dev', 'devcopy'], ['cp', '-a', 'dev', 'devcopy'],
  ['cp', '-r', '--copy-contents', 'dev', 'devcopy'], ['cp', '-R', 'dev/null', 'n2'], ['cp', '-a', 'd/fifo', 'ff'], ['cp', 'sparse', 'sp'], ['cp', '--sparse=always', 'sparse', 'sp'],
  ['cp', '--sparse=never', 'sparse', 'sp'], ['cp', '--sparse=always', 'f', 'sp'], ['cp', '--sparse=bogus', 'f', 'g'], ['cp', 'sparse', '/dev/null'],
  ['cp', '--reflink=never', 'f', 'r1'], ['cp', '--reflink=always', 'f', 'r1'], ['cp', '--reflink=bogus', 'f', 'r2'], ['cp', '--reflink=always', '--sparse=always', 'f', 'g'],
  // replacing
  [['cp', '-i', 'f', 'g'], 'y\n'], [['cp', '-i', 'f', 'g'], 'n\n'], [['cp', '-iv', 'f', 'g'], ''], [['cp', '-i', 'f', 'new'], ''], [['cp', '-ir', 'd', 'e'], 'y\nn\n'],
  ['cp', '-n', 'f', 'g'], ['cp', '-nv', 'f', 'g'], ['cp', '-n', 'f', 'newn'], [['cp', '-n', '-i', 'f', 'g'], 'y\n'], [['cp', '-i', '-n', 'f', 'g'], 'y\n'],
  ['cp', '-u', 'f', 'g'], ['cp', '-uv', 'g', 'f'], ['cp', '-u', 'f', 'new'], ['cp', '-f', 'f', 'ro'], ['cp', '--remove-destination', '-v', 'f', 'g'],
  ['cp', '--remove-destination', 'f', 'lf'], ['cp', 'f', 'lf'], ['cp', '-f', 'f', 'dang'], ['cp', '--remove-destination', 'f', 'dang'],
  // backups
  ['cp', '-b', 'f', 'g'], ['cp', '-bv', 'f', 'g'], ['cp', '--backup=numbered', 'f', 'g'], ['cp', '--backup=t', '-v', 'f', 'g'], ['cp', '-S', '.bak', 'f', 'g'],
  ['cp', '-b', 'f~', 'f'], ['cp', '-fb', 'f', 'f'], ['cp', '--backup=numbered', '-f', 'f', 'f'], ['cp', '-b', 'f', 'f'], ['cp', '-nb', 'f', 'g'],
  ['cp', '--backup=bogus', 'f', 'g'], ['cp', '-rb', 'd', 'e'], ['cp', '-b', '-r', 'd/sub', 'e/f'],
  // --parents
  ['cp', '--parents', 'd/sub/b', 'e'], ['cp', '--parents', '-v', 'd/sub/b', 'e'], ['cp', '--parents', '-p', 'd/sub/b', 'e'], ['cp', '--parents', 'd/a', 'nope'],
  ['cp', '--parents', 'f', 'g'], ['cp', '--parents', '-r', 'd/sub', 'e'], ['cp', '--parents', 'f', 'e'], ['cp', '--parents', 'e/f', 'd'],
  // misc
  ['cp', '-Z', 'f', 'z'], ['cp', '--context=x', 'f', 'z'], ['cp', '-x'], ['cp', '--bogus'], ['cp', '-u'], ['cp', "it's", 'a b'], ['cp', '-v', 'f', "it's"],
]));

describeDiff('cp under umask 027 vs GNU', ['cp', 'mkfifo'], cases([
  ['cp', 'f', 'new'], ['cp', 'x', 'new'], ['cp', '-r', 'd', 'copy'], ['cp', '-p', 'f', 'new'], ['cp', '--no-preserve=mode', 'x', 'new'],
  ['cp', '-a', '--no-preserve=mode', 'd', 'copy'], ['cp', '--parents', 'd/sub/b', 'e'], ['cp', '-r', 'd/fifo', 'ff'],
]).map(([name, s]) => [name, { ...s, umask: 0o027 }] as [string, Scenario]));
