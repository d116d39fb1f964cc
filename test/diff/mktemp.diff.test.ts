// mktemp against GNU coreutils. Names are random: outputs are compared with the X's as a pattern,
// and the trees by what was made (type and mode), with random parts masked.
import { expect } from 'vitest';
import { describeDiff, type Outcome, type Scenario } from '../helpers/scenario.js';

/** Mask letters and digits in names (the random part has the same length in both runs). */
const maskName = (text: string) => text.replace(/[A-Za-z0-9]/g, '#');
const check = (ref: Outcome, ours: Outcome) => {
  const m = (o: Outcome) => ({
    status: o.status,
    stderr: o.stderr,
    stdout: maskName(o.stdout),
    tree: o.tree?.map((line) => line.replace(/^\S+/, maskName)),
  });
  expect(m(ours)).toEqual(m(ref));
};
const cases = (list: (readonly string[])[], extra: Partial<Scenario> = {}): [string, Scenario][] =>
  list.map((argv) => [argv.join(' '), { argv, check, setup: () => {}, ...extra }]);

describeDiff('mktemp vs GNU', ['mktemp'], cases([
  ['mktemp', 'x'], ['mktemp', 'xXXX'], ['mktemp', '-d', 'dXXXXXX'], ['mktemp', '-u', 'uXXX'], ['mktemp', '-p', '.', 'fooXXXXbar'], ['mktemp', '--suffix=.txt', '-p', '.', 'aXXXX'],
  ['mktemp', '--suffix=/x', '-p', '.', 'aXXX'], ['mktemp', '-t', 'abc'], ['mktemp', '-t', 'a/bXXX'], ['mktemp', '-p', '/nonexist', 'XXXX'], ['mktemp', '-q', '-p', '/nonexist', 'XXXX'],
  ['mktemp', '-d', '-p', '/nonexist', 'XXXX'], ['mktemp', 'a', 'b'], ['mktemp', '--tmpdir=.', 'XXX'], ['mktemp', '--tmpdir', '/abs/XXX'], ['mktemp', '-p', '.', '/abs/XXX'],
  ['mktemp', 'XXXXXa'], ['mktemp', 'aXXXbXXX'], ['mktemp', '-p', '.', '--suffix=s', 'XXXs'], ['mktemp', '-x'], ['mktemp', 'sub/XXX'], ['mktemp', '-d', '-u', '-p', '.'],
]));
describeDiff('mktemp with TMPDIR vs GNU', ['mktemp'], cases([['mktemp', '-p', '', 'XXX'], ['mktemp', '-t', 'fooXXX'], ['mktemp', '-d']], { env: (dir) => ({ TMPDIR: dir }) }));
