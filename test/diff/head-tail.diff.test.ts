// head and tail against GNU coreutils: every option, the historical forms, suffixes, huge counts,
// all byte values, no final newline, empty input; headers across files and errors.
import { describe, expect, it } from 'vitest';
import { ALL_BYTES, both, fixtureDir, words } from '../helpers/differential.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run } from '../helpers/run.js';

const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('');
const dir = fixtureDir({
  lines,
  short: 'a\nb\nc\n',
  unterminated: 'a\nb\nc',
  empty: '',
  bytes: ALL_BYTES,
  nul: Buffer.from('a\0b\0c\0d'),
  'a b': 'spaced\n',
  'dir/x': '',
});

const COUNTS = ['0', '1', '2', '3', '-0', '-1', '-2', '+0', '+1', '+2', '+31', '29', '30', '31', '1000', '1b', '1k', '1K', '1kB', '1KiB', '1MB', '1M', '1G', 'K', '18446744073709551615', '18446744073709551616', '99999999999999999999999', 'x', '', '1x', '1KIB', '-x', ' 2', '1Y', '1R', '1Q'];
const FILES = ['lines', 'short', 'unterminated', 'empty', 'bytes', 'nul'];

describe.skipIf(!hasTool('head'))('head vs GNU', () => {
  it.each(COUNTS.filter((c) => !c.startsWith('+')).flatMap((n) => ['-n', '-c'].map((o) => [o, n])))('%s %s', async (opt, n) => {
    for (const file of FILES) {
      const { ours, ref } = await both(['head', opt!, n!, file], { cwd: dir });
      expect(ours, `head ${opt} '${n}' ${file}`).toEqual(ref);
    }
    const piped = await both(['head', opt!, n!], { cwd: dir, stdin: lines });
    expect(piped.ours).toEqual(piped.ref);
  });
  it.each([
    'lines', 'lines short', '-q lines short', '-v short', '-v -q short', '-q -v short', '-n 2 lines nosuch short', 'dir',
    '-z -n 2 nul', '-z -c 3 nul', '-z -n -1 nul', '--lines=2 --bytes=3 lines', '--bytes=3 --lines=2 lines', '--quiet lines short',
    '--silent lines', '--verbose short', '--zero-terminated nul', '-5 lines', '-5c lines', '-2vq lines short', '-1x lines', '-n2 -1 lines',
    '-5l lines', '-3b bytes', '-1k lines', '-1m lines', '-c1 - lines', "'a b' short", '-x', '--bogus', '-n', '--lin=2 lines', '- short',
  ])('head %s', async (line) => {
    const { ours, ref } = await both(['head', ...words(line)], { cwd: dir, stdin: 'from\nstdin\n' });
    expect(ours).toEqual(ref);
  });
});

describe.skipIf(!hasTool('tail'))('tail vs GNU', () => {
  it.each(COUNTS.flatMap((n) => ['-n', '-c'].map((o) => [o, n])))('%s %s', async (opt, n) => {
    for (const file of FILES) {
      const { ours, ref } = await both(['tail', opt!, n!, file], { cwd: dir });
      expect(ours, `tail ${opt} '${n}' ${file}`).toEqual(ref);
    }
    for (const input of [lines, ALL_BYTES, 'x\ny']) {
      const piped = await both(['tail', opt!, n!], { cwd: dir, stdin: input });
      expect(piped.ours, `piped tail ${opt} '${n}'`).toEqual(piped.ref);
    }
  });
  it.each([
    'lines', 'lines short', '-q lines short', '-v short', '-n 2 lines nosuch short', 'dir', '-n 0 nosuch', '-c 0 nosuch',
    '-z -n 2 nul', '-z -c 3 nul', '-z -n +2 nul', '--lines=2 --bytes=3 lines', '--bytes=3 --lines=2 lines', '--silent lines',
    '-5 lines', '+25 lines', '-5c lines', '+5c lines', '-3l lines', '-b bytes', '-2b bytes', '-5 -- lines', '-5 -', '-1 lines lines',
    '-5f lines lines', '+x lines', '-99999999999999999999999 lines', '-r lines', '--retry lines', '--pid=1 lines', '--pid=x -f lines',
    '-s x lines', '-s -1 lines', '--max-unchanged-stats=x lines', '-F -', '--follow=foo lines', '-n', '-x', "'a b'", '-c +0 lines',
  ])('tail %s', async (line) => {
    const { ours, ref } = await both(['tail', ...words(line)], { cwd: dir, stdin: 'from\nstdin\n' });
    expect(ours).toEqual(ref);
  });
  it('follows nothing when standard input is a pipe (-f)', async () => {
    // A real pipe for GNU (spawnSync's stdin is a socket, which GNU would follow)
    const ref = runTool(['sh', '-c', "printf 'a\\nb\\n' | tail -f -n 1"], { cwd: dir });
    const ours = await run(['tail', '-f', '-n', '1'], { cwd: dir, stdin: 'a\nb\n' });
    expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr }).toEqual(ref);
  });
});
