// wc, cut and uniq against GNU coreutils, option by option, over every byte value, lines without
// a final newline, empty input and the error cases.
import { describe, expect, it } from 'vitest';
import { ALL_BYTES, both, fixtureDir, words } from '../helpers/differential.js';
import { hasTool } from '../helpers/reference.js';

const wordsText = Array.from({ length: 256 }, (_, i) => Buffer.from([i, 0x61, 0x20, 0x62, 0x0a]));
const dir = fixtureDir({
  f3: 'a\nb\nc\n',
  lines: 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12',
  bytes: ALL_BYTES,
  bw: Buffer.concat(wordsText),
  tabs: 'a\tb\rcd\x01\x80x y\n\x0bword\x0cform\n',
  empty: '',
  fields: 'abc:def\nxyz\na:b:c:d:e\n\n::\nno delimiter here\n1:2:3\n',
  tabbed: 'one\ttwo\tthree\nfour\n\tfive\n',
  u1: 'a\na\nb\nc\nc\nc\nd\n',
  u2: 'x a\ny a\nz b\n',
  u3: 'ab\nAB\nac\nac\n\n\nx y z\nq y z\nq  y z\nxx\n',
  nul: Buffer.from('a\0a\0b:1\0b:2\0c'),
  'dir/x': '',
});

describe.skipIf(!hasTool('wc'))('wc vs GNU', () => {
  const flags = ['', '-c', '-m', '-l', '-w', '-L', '-lw', '-lc', '-cmlwL', '--bytes --chars', '--lines --words --max-line-length'];
  it.each(flags)('wc %s over each input, several at once and stdin', async (f) => {
    const opts = words(f);
    for (const operands of [['f3'], ['lines'], ['bytes'], ['bw'], ['tabs'], ['empty'], ['f3', 'lines', 'bytes'], ['f3', 'nosuch', 'lines'], ['dir'], ['-'], [], ['/dev/null', 'f3']]) {
      const { ours, ref } = await both(['wc', ...opts, ...operands], { cwd: dir, stdin: 'piped in\nwith words\n' });
      expect(ours, `wc ${f} ${operands.join(' ')}`).toEqual(ref);
    }
  });
  it.each(["--files0-from=- < list", '--files0-from=nosuch', 'x --files0-from=f3', '-x', '--bogus'])('wc %s', async (line) => {
    const stdin = line.includes('< list') ? 'f3\0lines\0' : '';
    const { ours, ref } = await both(['wc', ...words(line.replace(' < list', ''))], { cwd: dir, stdin });
    expect(ours).toEqual(ref);
  });
});

describe.skipIf(!hasTool('cut'))('cut vs GNU', () => {
  it.each([
    '-b 1', '-b 1-3', '-b 2-', '-b -2', '-b 1,3', "-b '1 3'", '-b 3,1', '-b 1-2,3-4', '-b 1-3,2-4', '-b 5-', '-c 2-', '-c 1',
    '-b 1-2,3-4 --output-delimiter=:', '-b 1-3,2-4 --output-delimiter=:', '-b 1-2,3-4 --complement --output-delimiter=:',
    '-d : -f 2', '-d : -f 1,3', '-d : -f 3-', '-d : -f -2 -s', '-d : -f 2 --complement', '-d : -f 1,3 --output-delimiter=XX',
    '-f 1', '-f 2', '-f 2 -s', "-f 1 -d ''", '-d : -f 2 -z', '-f 1,1,1 -d :', '-f 9 -d :', '-n -b 1', '-b 1 --complement',
    '-d : --fields=2 --only-delimited', '--bytes=1-2', '--characters=2', '-z -b 1', '-b 18446744073709551614',
  ])('cut %s', async (line) => {
    for (const file of ['fields', 'tabbed', 'bytes', 'empty', 'nul', 'lines']) {
      const { ours, ref } = await both(['cut', ...words(line), file], { cwd: dir });
      expect(ours, `cut ${line} ${file}`).toEqual(ref);
    }
  });
  it.each([
    '', '-b 1 -f 2', '-d ab -f1', '-d: -b1', '-s -b1', '-b 0', '-f 0', '-b 3-1', '-b -', "-b ''", '-b 1-2-3', '-b a', '-b 1-2a',
    '-b 99999999999999999999', '-b 1,,2', '-f 1 -b1', '-b 18446744073709551615', '-b 18446744073709551616-', '-f x', '-f 2-1',
    '-b 1 nosuch fields', '-b 1 dir', '-x',
  ])('cut errors: %s', async (line) => {
    const { ours, ref } = await both(['cut', ...words(line)], { cwd: dir, stdin: 'abc:def\n' });
    expect(ours).toEqual(ref);
  });
});

// -F (regular-expression separators) is BusyBox's own: BusyBox is the reference.
describe.skipIf(!hasTool('busybox'))('cut -F vs BusyBox', () => {
  const regexDir = fixtureDir({ r: 'a  b:c\t d\n  lead and trail  \na,,b\na,b,\n,ab\nab\nxxaxb\nabxb\na1b22c333d\n\n' });
  it.each(['-F 2', '-F 1-4 -O |', "-F 1-4 -O | -d ','", "-F 3,1 -d ,", "-F 2- -d '[0-9]+'", "-F 1-3 -d 'x*'", "-F 1 -s -d ,", "-F 1-9 -d '[[:space:]:]+'", "-F 1 -d '('", "-F 1 -d 'a{1'"])(
    'cut %s',
    async (line) => {
      const { ours, ref } = await both(['cut', ...words(line), 'r'], { cwd: regexDir, reference: ['busybox', 'cut'] });
      expect(ours).toEqual(ref);
    },
  );
});

describe.skipIf(!hasTool('uniq'))('uniq vs GNU', () => {
  it.each([
    '', '-c', '-d', '-u', '-D', '-dc', '-cu', '-D -u', '-d -u', '-i', '-ic', '-f 1 -c', '-f 2 -c', '-s 1 -w 1 -c', '-w 1 -c', '-s2', '-w0 -c',
    '-iD', '-cd -i', '--all-repeated=separate', '--all-repeated=prepend', '--all-repeated=none', '--all-repeated', '--group',
    '--group=prepend', '--group=append', '--group=both', '-z', '-z -c', '-1', '+2', '-f1 -2', '-1 -2', '-12', '-f 99999999999999999999',
    '--count --repeated', '--skip-fields=1', '--skip-chars=1', '--check-chars=1', '--ignore-case --unique', '--zero-terminated',
  ])('uniq %s', async (line) => {
    for (const file of ['u1', 'u2', 'u3', 'bytes', 'bw', 'empty', 'nul', 'lines']) {
      const { ours, ref } = await both(['uniq', ...words(line), file], { cwd: dir });
      expect(ours, `uniq ${line} ${file}`).toEqual(ref);
    }
  });
  it.each(['-f x', '-s x', '-w x', '-w -1', '-c -D', '--group -c', '--group=foo', '--all-repeated=x', 'u1 o1 extra', 'nosuch', 'u1 /nonexistent/x', '-- +2 u2', 'u1 -', '-x'])(
    'uniq errors: %s',
    async (line) => {
      const { ours, ref } = await both(['uniq', ...words(line)], { cwd: dir, stdin: 'a\na\n' });
      expect(ours).toEqual(ref);
    },
  );
});
