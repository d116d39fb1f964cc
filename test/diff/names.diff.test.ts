// basename, dirname, readlink, realpath and pwd against GNU coreutils: every option, the odd names
// (slashes only, empty, dangling and looping links, `..` after a file) and the error forms.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, describeDiff, type Fixture, type Scenario } from '../helpers/scenario.js';

const FIXTURE: Fixture = {
  f: 'file\n',
  'd/sub/g': 'g\n',
  lf: { link: 'f' },
  ld: { link: 'd' },
  dang: { link: 'nowhere' },
  loop1: { link: 'loop2' },
  loop2: { link: 'loop1' },
  abs: { link: '/tmp' },
  'd/up': { link: '../f' },
  chain: { link: 'ld/sub/../up' },
  "it's": 'q',
  'a:b': 'c',
};
const setup = (dir: string) => build(dir, FIXTURE);
const cases = (list: (readonly string[])[], extra: Partial<Scenario> = {}): [string, Scenario][] =>
  list.map((argv) => [argv.join(' '), { argv, setup, tree: false, ...extra }]);

const NAMES = ['/', '//', '///', 'a', 'a/', 'a//', '/a', '/a/b/', '', '.', '..', '//a', 'a//b', '///a/b', 'a/b//c///', 'x.c', '.c', '/x/.c/'];

describeDiff('basename vs GNU', ['basename'], cases([
  ...NAMES.map((n) => ['basename', n]),
  ['basename', 'a.txt', '.txt'], ['basename', '.txt', '.txt'], ['basename', 'x/.txt', '.txt'], ['basename', '/', '/'],
  ['basename', '//', '/'], ['basename', 'a/b.c/', '.c'], ['basename', 'dir/x.tar.gz', '.gz'],
  ['basename', '-a', ...NAMES.filter(Boolean)], ['basename', '-s', '.c', 'a.c', 'b.c', 'c', '.c'],
  ['basename', '--suffix=.c', 'a.c'], ['basename', '-z', 'a/b', '.c'], ['basename', '-az', 'a/b', 'c/d/'],
  ['basename', '--multiple', '--zero', 'x', 'y'], ['basename', '-sa', '.c', 'a.c'],
  ['basename'], ['basename', 'a', 'b', 'c'], ['basename', '-s'], ['basename', '-a'], ['basename', '-q', 'x'],
  ['basename', '--', '-a'], ['basename', '--bogus'], ['basename', '--mul', 'a', 'b'],
]));

describeDiff('dirname vs GNU', ['dirname'], cases([
  ...NAMES.map((n) => ['dirname', n]),
  ['dirname', ...NAMES], ['dirname', '-z', 'a/b', 'c'], ['dirname', '--zero', '/x/y/'], ['dirname'], ['dirname', '-x'],
]));

const LINK_OPERANDS = ['f', 'f/', 'f/x', 'lf', 'lf/', 'dang', 'dang/x', 'd/..', 'f/..', 'nope', 'nope/x', 'nope/..', 'loop1', 'loop1/x',
  'd/nope/x', '', '.', '/', 'ld/sub/..', 'chain', 'd/up', 'abs', "it's", 'a:b', 'ld/', '//', './lf', 'd/./sub//g'];

describeDiff('readlink vs GNU', ['readlink'], cases([
  ...['', '-f', '-e', '-m'].flatMap((mode) => LINK_OPERANDS.map((o) => ['readlink', '-v', ...(mode ? [mode] : []), '--', o])),
  ['readlink', ...LINK_OPERANDS.filter(Boolean)], ['readlink', '-f', ...LINK_OPERANDS.filter(Boolean)],
  ['readlink', '-n', 'lf'], ['readlink', '-n', 'lf', 'dang'], ['readlink', '-fn', 'lf'], ['readlink', '-z', 'lf', 'dang', 'f'],
  ['readlink', '-zn', 'lf'], ['readlink', '-e', '-f', 'dang'], ['readlink', '-f', '-e', 'dang'], ['readlink', '-vq', 'f'],
  ['readlink', '-qv', 'f'], ['readlink', '-sv', 'f'], ['readlink', '--verbose', '--silent', 'f'], ['readlink', '--canonicalize', 'lf'],
  ['readlink', '--canonicalize-existing', 'dang'], ['readlink', '--canonicalize-missing', 'dang'], ['readlink', '--no-newline', 'lf'],
  ['readlink', '--zero', 'lf'], ['readlink', '--quiet', 'f'], ['readlink'], ['readlink', '-x'], ['readlink', '--canon', 'lf'],
]));

describeDiff('realpath vs GNU', ['realpath'], cases([
  ...['', '-e', '-m', '-s', '-L', '-P', '-Ls', '-sP', '-se', '-sm', '-Le', '-Lm'].flatMap((mode) =>
    LINK_OPERANDS.map((o) => ['realpath', ...(mode ? [mode] : []), '--', o])),
  ['realpath', ...LINK_OPERANDS.filter(Boolean)], ['realpath', '-q', 'nope/x', 'f'], ['realpath', '--quiet', '-e', 'dang'],
  ['realpath', '-z', 'f', 'd'], ['realpath', '--zero', 'f'],
  ['realpath', '--relative-to=d', 'f', 'd/..', '/', 'd/sub/g', 'd'], ['realpath', '--relative-to', 'd/sub', 'f', 'd'],
  ['realpath', '--relative-base=.', 'f', '/', '/tmp', 'd/sub'], ['realpath', '--relative-base=/', 'f'],
  ['realpath', '--relative-base=d', '--relative-to=.', 'f', 'd/sub/g'],
  ['realpath', '--relative-base=.', '--relative-to=d/sub', 'f', 'd/sub/g', '/'],
  ['realpath', '--relative-to=nope', 'f'], ['realpath', '--relative-to=nope/x', 'f'], ['realpath', '--relative-base=dang/x', 'f'],
  ['realpath', '-e', '--relative-to=nope', 'f'], ['realpath', '-s', '--relative-to=ld', 'ld/sub'], ['realpath', '-m', '--relative-to=x/y', 'a/b'],
  ['realpath'], ['realpath', '-x'], ['realpath', '--relative'],
]));

const linkedCwd = (dir: string) => {
  setup(dir);
  fs.symlinkSync('d/sub', path.join(dir, 'cwdlink'));
};
describeDiff('pwd vs GNU', ['pwd'], [
  ...(['-P', '-L', '', '-LP', '-PL', '--logical', '--physical', 'extra'] as const).map((o): [string, Scenario] => [
    `pwd ${o} (in a linked directory, PWD set)`,
    { argv: ['pwd', ...(o ? [o] : [])], setup: linkedCwd, cwd: 'cwdlink', env: (dir) => ({ PWD: `${dir}/cwdlink` }), tree: false },
  ]),
  ...['/', 'relative', '/nonexistent', '/tmp/../tmp', '/tmp/./x', '.'].map((pwd): [string, Scenario] => [
    `pwd -L with PWD=${pwd}`,
    { argv: ['pwd', '-L'], setup: linkedCwd, cwd: 'cwdlink', env: { PWD: pwd }, tree: false },
  ]),
  ['pwd -L with PWD naming the directory with double slashes', { argv: ['pwd', '-L'], setup: linkedCwd, cwd: 'cwdlink', env: (dir) => ({ PWD: `${dir}//cwdlink` }), tree: false }],
  ['pwd -L with PWD naming the directory through ..', { argv: ['pwd', '-L'], setup: linkedCwd, cwd: 'cwdlink', env: (dir) => ({ PWD: `${dir}/d/../cwdlink` }), tree: false }],
  ['pwd -L with PWD naming another directory', { argv: ['pwd', '-L'], setup: linkedCwd, cwd: 'cwdlink', env: (dir) => ({ PWD: `${dir}/d` }), tree: false }],
  ['pwd with a bad option', { argv: ['pwd', '-x'], setup: linkedCwd, tree: false }],
]);
