// ln against GNU coreutils: hard and symbolic links, target directories (-t, -T, -n, a last
// operand that is a directory or a link to one), -f/-i/-b replacing, -r, -L/-P, -v, and failures.
import { build, describeDiff, type Fixture, type Scenario } from '../helpers/scenario.js';

const FIXTURE: Fixture = {
  f: 'f',
  g: 'g',
  'd/': null,
  'e/': null,
  'd/old': 'old',
  h: { hard: 'f' },
  ld: { link: 'd' },
  lf: { link: 'f' },
  dang: { link: 'nowhere' },
  'g.~1~': 'backup',
  'sub/dir/': null,
};
const setup = (dir: string) => build(dir, FIXTURE);
const cases = (list: (readonly string[] | [readonly string[], string])[]): [string, Scenario][] =>
  list.map((item) => {
    const [argv, stdin] = typeof item[0] === 'string' ? [item as readonly string[], undefined] : (item as [readonly string[], string]);
    return [`${argv.join(' ')}${stdin === undefined ? '' : ` <<< ${JSON.stringify(stdin)}`}`, { argv, setup, stdin }];
  });

describeDiff('ln vs GNU', ['ln'], cases([
  ['ln'], ['ln', 'f'], ['ln', 'f', 'f'], ['ln', 'f', 'new'], ['ln', '-v', 'f', 'new'], ['ln', 'f', 'g'], ['ln', '-f', 'f', 'g'],
  ['ln', '-fv', 'f', 'g'], ['ln', '-f', 'f', 'f'], ['ln', '-f', 'f', 'h'], ['ln', '-fv', 'f', 'h'], ['ln', '-sf', 'f', 'f'], ['ln', '-f', 'f', './f'],
  ['ln', '-s', 'f', 'sf'], ['ln', '-s', 'f', 'lf'], ['ln', '-sf', 'g', 'lf'], ['ln', '-sv', '/x/y', 'd'], ['ln', '-s', 'g', 'ld'],
  ['ln', '-sfn', 'g', 'ld'], ['ln', '-sfnv', 'g', 'ld'], ['ln', '-sn', 'g', 'ld'], ['ln', '-n', 'f', 'ld'], ['ln', '-sT', 'f', 'd'], ['ln', '-T', 'f', 'd'],
  ['ln', '-fT', 'f', 'd'], ['ln', '-sfT', 'f', 'e'], ['ln', '-sfn', 'f', 'd'], ['ln', '-t', 'd', 'f', 'g'], ['ln', '-vt', 'e', 'f', 'g', 'lf'],
  ['ln', '-t', 'nope', 'f'], ['ln', '-t', 'f', 'g'], ['ln', '-T', 'a', 'b', 'c'], ['ln', '-T', 'a'], ['ln', '-T', '-t', 'd', 'f'],
  ['ln', 'f', 'g', 'h'], ['ln', 'f', 'g', 'nope'], ['ln', '-s', 'a', 'b', 'c'], ['ln', 'f', 'g', 'e'], ['ln', '-v', 'f', 'g', 'ld'],
  ['ln', '-sr', 'f', 'd/rel'], ['ln', '-srv', 'd/../g', 'd/rel2'], ['ln', '-srv', 'sub/dir', 'd/x'], ['ln', '-sr', 'nope/x', 'd/y'],
  ['ln', '-svr', 'f', 'd/deep/z'], ['ln', '-r', 'f', 'x'], ['ln', '-srv', 'd', 'sub/dir/back'], ['ln', '-srv', '.', 'sub/dir/top'],
  ['ln', 'd', 'd2'], ['ln', '-d', 'f', 'x2'], ['ln', '-s'], ['ln', '-sv', 'f'], ['ln', '-s', '', 'empty'], ['ln', 'dang', 'hd'],
  ['ln', '-L', 'dang', 'hd2'], ['ln', '-P', 'lf', 'plf'], ['ln', '-L', 'lf', 'llf'], ['ln', '-Lv', 'ld', 'x'], ['ln', 'nope', 'x'],
  ['ln', '-s', 'd/old', 'd/'], ['ln', 'f', 'd/'], ['ln', '-sv', 'f', 'd/'], ['ln', '-s', '-t', 'd', 'f'], ['ln', '--target-directory=d', '-sf', 'old'],
  [['ln', '-i', 'f', 'g'], ''], [['ln', '-i', 'f', 'g'], 'y\n'], [['ln', '-i', 'f', 'g'], 'n\n'], [['ln', '-i', '-f', 'f', 'g'], ''],
  [['ln', '-f', '-i', 'f', 'g'], 'n\n'], [['ln', '-iv', 'f', 'new'], ''],
  ['ln', '-b', 'f', 'g'], ['ln', '-bv', 'f', 'g'], ['ln', '-sfvb', 'g', 'f'], ['ln', '--backup=numbered', 'f', 'g'], ['ln', '--backup=t', '-v', 'f', 'g'],
  ['ln', '-S', '.bak', '-b', 'f', 'g'], ['ln', '--suffix=.old', '--backup=simple', '-v', 'f', 'g'], ['ln', '--backup=never', 'f', 'g'],
  ['ln', '--backup=nil', 'f', 'g'], ['ln', '--backup=existing', 'f', 'd/old'], ['ln', '--backup=none', '-f', 'f', 'g'], ['ln', '--backup=off', 'f', 'g'],
  ['ln', '--backup=', 'f', 'g'], ['ln', '--backup=bogus', 'f', 'g'], ['ln', '--backup=n', 'f', 'g'], ['ln', '-b', 'f', 'new'],
  ['ln', '--symbolic', '--force', '--no-dereference', '--verbose', 'f', 'ld'], ['ln', '--logical', 'lf', 'x'], ['ln', '--physical', 'lf', 'x'],
  ['ln', '--relative', '--symbolic', 'f', 'sub/dir/y'], ['ln', '--no-target-directory', 'f', 'x'], ['ln', '--interactive', 'f', 'new'],
  ['ln', '-x'], ['ln', '--bogus'], ['ln', "it's", 'a b'], ['ln', '-s', "it's", 'a b'],
]));

describeDiff('ln with VERSION_CONTROL and SIMPLE_BACKUP_SUFFIX', ['ln'], [
  ['VERSION_CONTROL=numbered', { argv: ['ln', '-fb', 'f', 'h'], setup, env: { VERSION_CONTROL: 'numbered' } }],
  ['VERSION_CONTROL=bogus', { argv: ['ln', '-fb', 'f', 'h'], setup, env: { VERSION_CONTROL: 'bogus' } }],
  ['VERSION_CONTROL=never', { argv: ['ln', '-fb', 'f', 'g'], setup, env: { VERSION_CONTROL: 'never' } }],
  ['SIMPLE_BACKUP_SUFFIX=.old', { argv: ['ln', '-fb', 'f', 'h'], setup, env: { SIMPLE_BACKUP_SUFFIX: '.old' } }],
  ['SIMPLE_BACKUP_SUFFIX with a slash', { argv: ['ln', '-fb', 'f', 'h'], setup, env: { SIMPLE_BACKUP_SUFFIX: 'a/b' } }],
]);
