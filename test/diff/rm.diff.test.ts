// rm against GNU coreutils: plain, -r/-d trees, prompts (-i, -I, --interactive, answers yes/no/
// end of input), -v, -f with missing files, and the refusals of `.` and `..`. Refusing `/` is
// tested end-to-end inside a chroot (test/e2e/files.e2e.test.ts): never on the host.
import { build, describeDiff, type Fixture, type Scenario } from '../helpers/scenario.js';

const FIXTURE: Fixture = {
  f: 'file',
  empty: '',
  'd/f': 'x',
  'd/sub/g': 'y',
  'd/sub/deeper/h': 'z',
  'd/e/': null,
  'em/': null,
  'e/g': '',
  'e/g2/': null,
  'e/h': 'h',
  ld: { link: 'd' },
  dl: { link: 'nowhere' },
  a: 'a', b: 'b', c: 'c', four: '4',
  ro: { text: 'ro', mode: 0o444 },
};
const setup = (dir: string) => build(dir, FIXTURE);
const cases = (list: (readonly string[] | [readonly string[], string])[]): [string, Scenario][] =>
  list.map((item) => {
    const [argv, stdin] = typeof item[0] === 'string' ? [item as readonly string[], undefined] : (item as [readonly string[], string]);
    return [`${argv.join(' ')}${stdin === undefined ? '' : ` <<< ${JSON.stringify(stdin)}`}`, { argv, setup, stdin }];
  });

describeDiff('rm vs GNU', ['rm'], cases([
  ['rm'], ['rm', '-f'], ['rm', 'f'], ['rm', 'nope'], ['rm', '-f', 'nope'], ['rm', '-f', 'f/'], ['rm', 'f/'], ['rm', 'f', 'nope', 'empty'],
  ['rm', 'd'], ['rm', '-d', 'd'], ['rm', '-d', 'em'], ['rm', '-dv', 'em', 'f'], ['rm', '-r', 'd'], ['rm', '-rv', 'd'], ['rm', '-Rv', 'e', 'f'],
  ['rm', '--recursive', '--verbose', 'd/'], ['rm', '-rv', 'ld'], ['rm', '-rv', 'ld/'], ['rm', '-v', 'dl', 'ld'], ['rm', '.'], ['rm', '..'],
  ['rm', '-r', '.'], ['rm', '-rf', './..'], ['rm', '-r', 'd/.'], ['rm', '-d', 'em/.'], ['rm', '-d', 'em/..'], ['rm', '-d', '.'],
  ['rm', '-r', 'nope/.'], ['rm', '-r', 'd/sub/..'], ['rm', '-rf', 'nope', 'f'],
  ['rm', '-rd', 'em'], ['rm', '--dir', '--verbose', 'em'],
  [['rm', '-i', 'f'], 'y\n'], [['rm', '-i', 'f'], 'n\n'], [['rm', '-i', 'f'], ''], [['rm', '-i', 'f', 'empty', 'a'], 'y\nn\nyes\n'],
  [['rm', '-i', 'nope'], 'y\n'], [['rm', '-i', 'd'], 'y\n'], [['rm', '-di', 'em'], 'y\n'], [['rm', '-di', 'd'], 'y\n'],
  [['rm', '-ri', 'e'], 'y\n'], [['rm', '-ri', 'e'], 'y\ny\nn\ny\n'], [['rm', '-ri', 'e'], 'y\ny\ny\ny\ny\n'], [['rm', '-ri', 'e'], 'n\n'],
  [['rm', '-ri', 'd'], 'y\ny\ny\nn\ny\ny\ny\ny\ny\n'], [['rm', '-rvi', 'd'], 'y\ny\ny\ny\ny\ny\ny\ny\ny\ny\n'],
  [['rm', '-ri', 'em'], 'y\n'], [['rm', '-i', 'dl', 'ld'], 'y\ny\n'], [['rm', '-i', 'ro'], 'n\n'],
  [['rm', '-I', 'a', 'b', 'c', 'four'], 'n\n'], [['rm', '-I', 'a', 'b', 'c', 'four'], 'y\n'], [['rm', '-I', 'a', 'b', 'c'], ''],
  [['rm', '-I', '-r', 'd'], 'y\n'], [['rm', '-I', '-r', 'd', 'e'], 'no\n'], [['rm', '-I', '-r', 'd'], ''],
  [['rm', '--interactive', 'f'], 'y\n'], [['rm', '--interactive=always', 'f'], 'n\n'], [['rm', '--interactive=once', '-r', 'd'], 'y\n'],
  [['rm', '--interactive=never', 'f', 'nope'], ''], [['rm', '--interactive=no', 'f'], ''], [['rm', '--interactive=n', 'f'], ''],
  [['rm', '--interactive=bogus', 'f'], ''], [['rm', '--interactive=', 'f'], ''], [['rm', '-fi', 'nope'], ''], [['rm', '-if', 'nope'], ''],
  [['rm', '-fI', 'nope'], ''], [['rm', '-fi', 'f'], 'n\n'], [['rm', '-f', '--interactive=never', 'nope'], ''],
  [['rm', '-f', '--interactive=always', 'nope'], ''], [['rm', '--interactive=never', '-i', 'f'], 'n\n'],
  ['rm', '--preserve-root=bogus', 'f'], ['rm', '--preserve-root=all', '-r', 'd'], ['rm', '--no-preserve-root', '-rf', 'nope'],
  ['rm', '--one-file-system', '-r', 'd'], ['rm', '-x', 'f'], ['rm', '--bogus'], ['rm', '--', '-f'], ['rm', "it's", 'a b'],
]));
