// tr, seq and printf against GNU coreutils: SET syntax and validation, seq's formats and widths,
// printf's conversions, escapes, number parsing, warnings and statuses.
import { describe, expect, it } from 'vitest';
import { formatPrintf } from '../../src/applets/printf.js';
import { ALL_BYTES, both, fixtureDir, words } from '../helpers/differential.js';
import { hasTool } from '../helpers/reference.js';

const dir = fixtureDir({});
const TEXT = Buffer.concat([ALL_BYTES, Buffer.from('\nHello, World! 123 aaa   bbb\n\tTabs and  spaces\nzzz')]);

const TR: string[][] = [
  [], ['a'], ['-d'], ['-d', 'a', 'b'], ['-s'], ['-ds', 'a'], ['-d', '-s', 'a', 'b', 'c'], ['a', 'b', 'c'], ['z-a', 'x'], ['[::]', 'x'],
  ['[:foo:]', 'x'], ['[==]', 'x'], ['[=ab=]', 'x'], ['a', '[:digit:]'], ['[a*]', 'x'], ['a', '[b*][c*]'], ['a', '[=b=]'],
  ['[:upper:]', '[:lower:][:upper:]'], ['a[:upper:]', '[:lower:]'], ['a', '[b*x]'], ['a', '[b*099]'], ['-c', '[:digit:]', '[:upper:]'],
  ['-c', '[:digit:]', 'ab'], ['abc', ''], ['-t', 'abc', ''], ['ab\\', 'x'], ['\\400', 'x'], ['-d', '[a*3]'], ['-s', 'a', '[b*]'],
  ['[:upper:]', '[:digit:]'], ['[:lower:]', '[:upper:]x'], ['[[:alpha:]]', 'x'], ['a-z', 'A-Z'], ['[:lower:]', '[:upper:]'],
  ['[:upper:]', '[:lower:]'], ['[:alpha:]', '[:upper:]'], ['-d', '[:digit:]'], ['-cd', '[:alnum:]\\n'], ['-cs', '[:alnum:]', '\\n'],
  ['-s', ' '], ['-s', 'a-z'], ['-ds', 'l', 'o'], ['-c', 'a-z', '*'], ['-c', 'a-z\\n', '[*]'], ['-c', 'a-z\\n', 'xy'], ['-t', 'abcdef', 'xy'],
  ['abcdef', 'xy'], ['a-c', '[x*]yz'], ['a-f', '[x*2]yz'], ['a-f', '[x*02]y'], ['\\141-\\143', 'X-Z'], ['\\-a', 'xy'], ['a\\-z', '123'],
  ['[a-c]', 'xyz'], ['[:*3]', 'x'], ['[=*3]', 'x'], ['a[b', 'xyz'], ['[', 'x'], ['a-', 'xy'], ['-a', 'xy'], ['\\n', 'x'], ['-C', 'a', 'x'],
  ['[:lower:]', '[:upper:][:lower:]'], ['[:lower:][:upper:]', '[:upper:][:lower:]'], ['[:upper:]', '[:upper:]'], ['[:lower:]', 'a-z'],
  ['-c', '', 'x'], ['', ''], ['a', '[b*0]'], ['-d', '\\0'], ['\\0-\\377', '\\377-\\377'], ['\\0-\\377', '[x*]'], ['-s', '\\0-\\377'],
  ['[:space:][:punct:]', '_'], ['-d', '[:cntrl:][:graph:]'], ['-d', '[:blank:][:print:]'], ['[:xdigit:]', 'x'], ['-c', '[:alpha:]', '[X*]'],
  ['--complement', '--delete', '--squeeze-repeats', 'a', 'b'], ['--truncate-set1', 'ab', 'x'], ['\\a\\b\\f\\r\\t\\v\\\\', 'abcdefg'], ['-x'],
];

describe.skipIf(!hasTool('tr'))('tr vs GNU', () => {
  it.each(TR.map((a) => [a.join(' '), a]))('tr %s', async (_, args) => {
    const { ours, ref } = await both(['tr', ...(args as string[])], { cwd: dir, stdin: TEXT });
    expect(ours).toEqual(ref);
  });
});

const SEQ = [
  "'1 '", "' 1'", '1e5000', '0x10', '0x1p3', '1.5e1 20', '-w 8 10', '-w 1 0.5 2', '-w -1 1', '-w 0 0.01 0.03', '1e2 1e2', '0.1 0.1 0.3',
  '-s, 5', "-s ', ' 3", '-f %05.2f 3', "-f '%e' 2", "-f '%g x' 2", "-f 'a%%b%g' 2", '-f %d 2', '-f %s 1', "-f '%g %g' 1", "-f 'x' 1",
  "-f '%' 1", "-f '%Lg' 2", 'nan', '1 0 3', 'inf 1', '-- -1 1', '-1 1', '-w 5 -1 1', '1 1 1e1', '1.0 0.5 3', '1. 3', '.5 2', '-.5 1',
  '1e-1 0.1 0.3', '-w 1e-1 0.1 0.3', '2 -0.5 0', '0x1 3', '1 a', '1 2 3 4', '', "-f '%a' 1 2", "-f '%.3a' 1", "-f '%A' 0.1 0.1 0.1",
  '0 0.1 1', '-f %.20f 0 0.1 0.3', '0 0.000001 0.000003', '-f %g 0 0.000001 0.000003', '1 0.1 1.5', '-w 0.5 0.25 3', '-w -10 3 10',
  '-w 1.5e1 1 17', "-s '' 3", "-s 'ab' 4", '10 -3 -10', "-f '%+08.3e' -2 0.5 2", "-f '%#g' 1 3", "-f '%-8gx' 1 3", "-f '% f' -1 1",
  '1e-5 1e-5 5e-5', '-f %g 1e-5 1e-5 5e-5', '0x1.8 0.5 3', '-w 099 101', '99999999999999999998 100000000000000000001',
  '99999999999999999998 2 100000000000000000003', '18446744073709551614 18446744073709551617', '-18446744073709551617 -18446744073709551614',
  '1 201 500', '1 200 500', '-f %.0f 0.5 1 3.5', "-f '%.1f' 0.05 0.1 0.35", '1e18 1e18', '-1e18 -1e18',
  '1.000000000000000000001 1.000000000000000000003', "-f '%10.3g|' 100000 1 100002", '-w 1 1e1', '-w 1e0 1.50 2', '10 1', '-s x -w 1 3',
  '-w -0.5 0.5', '-1 -1', '-- -1', '-5 0.7 50', '--equal-width --separator=: 9 11', '--format=%.2f 3', '-w -f %g 1 2', '-x',
  '-s -1 3', '-f%g 2', '1 1000',
];

describe.skipIf(!hasTool('seq'))('seq vs GNU', () => {
  it.each(SEQ)('seq %s', async (line) => {
    const { ours, ref } = await both(['seq', ...words(line)], { cwd: dir });
    expect(ours).toEqual(ref);
  });
});

const PRINTF: string[][] = [
  ['%d\\n', '12abc'], ['%d\\n', 'abc'], ['%d\\n', ''], ['%d\\n', '99999999999999999999'], ['%u\\n', '-1'], ['%x\\n', '-1'], ['%d\\n', "'A"],
  ['%d\\n', "'AB"], ['%d\\n', '0x1f', '010', ' 7', '+3'], ['%s-%s\\n', 'a', 'b', 'c'], ['%c', ''], ['%5c|\\n', 'x'], ['%q\\n', 'a b'],
  ['%q\\n', "it's"], ['%z\\n', '1'], ['%5%\\n'], ['%'], ['abc\\n', 'x', 'y'], ['%b', 'a\\tb\\c', 'x'], ['%b\\n', '\\0101\\101\\x41'],
  ['\\0101\\x41\\101\\n'], ['\\u00e9\\n'], ['\\u0041\\n'], ['\\x\\n'], ['\\q\\n'], ['%.3s|%5s|%-5s|\\n', 'abcdef', 'ab', 'ab'],
  ['%*d|%-*d|%.*d\\n', '5', '1', '5', '2', '3', '4'], ['%*d\\n', 'x', '1'], ['%.*d\\n', '-1', '5'], ['%f %e %g %a\\n', '1', '1', '1', '1'],
  ['%.20f\\n', '0.1'], ['%g\\n', '1e100', '1e-5', '123456789'], ['%f\\n', 'abc'], ['%f\\n', '1.5x'], ['%f\\n', '1e99999'], ['%i\\n', '077'],
  ['%#o %#x %#X\\n', '8', '255', '255'], ['%+d % d %05d %-5d|\\n', '1', '1', '1', '1'], ['%ld %lld %hd %jd\\n', '1', '2', '3', '4'],
  ['%s\\n'], ['%d %d\\n', '1'], ['%c%c\\n', 'ab', 'c'], ['%10.4f|\\n', '3.14159'], ['%e\\n', '-0'], ['%s\\n', '-v'], ['--', '%s\\n', 'a'],
  ['%#s', 'a'], ['%0s', 'a'], ["%'d\\n", '1000'], ['%.0e\\n', '5'], ['%G\\n', '1e-10'], ['%5.1A\\n', '1'], ['%F\\n', 'inf'], ['%f\\n', 'nan'],
  ['%f\\n', '-nan'], ['%d\\n', '1.5'], ['%d\\n', '-9223372036854775809'], ['%u\\n', '18446744073709551616'], ['%d\\n', '0x'], ['%o\\n', '1e3'],
  ['\\c after', 'x'], ['%b %s\\n', 'a\\cb', 'x'], ['%b\\n', '\\1234'], ['%b\\n', '\\01234'], ['%s\\n', "'"], ['%d\\n', "'"],
  ['%d', "'ab", "'c"], ['%*.*f|\\n', '8', '2', '3.14159'], ['%-*s|\\n', '-5', 'ab'], ['%*s|\\n', '99999999999', 'x'], ['%.*s|\\n', '99999999999', 'x'],
  ['%#x %#o\\n', '0', '0'], ['%.0d|%.0x|\\n', '0', '0'], ['%+u\\n', '5'], ['%+s\\n', 'x'], ['%-05d|\\n', '3'],
  ['%08.3f|% .2e|%+g\\n', '-3.14159', '2.5', '0.0001'], ['%.3g %.10g %g\\n', '0.0001234', '1234567.891', '100000'], ['%g %g\\n', '1000000', '0.00001'],
  ['%#.3g %#g\\n', '1', '0.5'], ['%a %A %.2a\\n', '0.1', '255', '3'], ['%.0f %.0f %.0f %.0f\\n', '0.5', '1.5', '2.5', '-0.5'], ['%.2f\\n', '2.675', '1.005'],
  ['%e\\n', '1e-310'], ['%Lf\\n', '1'], ['%hhd\\n', '300'], ['%5b|\\n', 'x'], ['%%|%s\\n', 'a'], ['\\"\\\\\\a\\b\\e\\f\\r\\t\\v'], ['\\101\\1011\\0'],
  ['\\u002\\n'], ['\\U0001F600\\n'], ['\\ud800\\n'], ['\\u0024\\n'], ['%b\\n', '\\u0041\\x4'], ['%d %s\\n', '1', 'a', '2', 'b', '3'], ['%s'], [''],
  ['x%sy\\n'], ['-x'], ['%s %s %s\\n', ...'abcdefg'], ['%.3d|%8.3x|%-8.3o|\\n', '7', '255', '8'], ['%c|%3c|%-3c|\\n', 'xyz', 'a', 'b'], [],
  ['%d\\n', ' -5', '--5', '- 5'], ['%g %G\\n', 'inf', '-inf'], ['%.1f %.1f\\n', '0.25', '0.35'], ['%.15g %.17g %.20g\\n', '0.1', '0.1', '0.1'],
  ['%a\\n', '0', '-0', '1e-4950', '0x1p-16445'], ['%e %f\\n', '1e4932', '1e4933'],
];

describe.skipIf(!hasTool('printf'))('printf vs GNU', () => {
  it.each(PRINTF.map((a) => [a.join(' '), a]))('printf %s', async (_, args) => {
    const a = (args as string[]).map((s) => s.replace(/\\\\n/g, '\\n'));
    const { ours, ref } = await both(['printf', ...a], { cwd: dir });
    expect(ours).toEqual(ref);
  });
});

describe.skipIf(!hasTool('busybox'))('formatPrintf(ash) vs BusyBox ash printf', () => {
  it.each([
    ['%d\\n', 'abc'], ['%d\\n', '12abc'], ['%d\\n', '99999999999999999999'], ['%s-%s\\n', 'a', 'b', 'c'], ['%d\\n', "'A"], ['%d %d %d\\n', '0x1f', '010', ' 7'],
    ['%u\\n', '-1'], ['%q\\n', 'x'], ['%5b|\\n', 'x'], ['%b|%s\\n', 'a\\tb', 'c'], ['%x %o\\n', '255', '8'],
  ])('printf %s', async (...args) => {
    const { runTool } = await import('../helpers/reference.js');
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const bb = runTool(['busybox', 'sh', '-c', `printf ${quoted}`]);
    const ours = formatPrintf(args[0]!, args.slice(1), { dialect: 'ash' });
    expect({ stdout: ours.output, stderr: ours.errors.map((e) => `sh: ${e}\n`).join(''), status: ours.status }).toEqual(bb);
  });
});
