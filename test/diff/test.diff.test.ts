// test and [ against GNU's /usr/bin/test and /usr/bin/[ (the reference for the applet), and the ash
// dialect of evaluateTest (the shell's builtin) against BusyBox's test, over the same expressions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateTest } from '../../src/applets/test.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir, testHost } from '../helpers/run.js';

const dir = tempDir();
fs.writeFileSync(path.join(dir, 'file'), 'data\n');
fs.writeFileSync(path.join(dir, 'empty'), '');
fs.mkdirSync(path.join(dir, 'dir'));
fs.symlinkSync('file', path.join(dir, 'link'));
fs.symlinkSync('nowhere', path.join(dir, 'dangling'));
fs.writeFileSync(path.join(dir, 'old'), '');
fs.utimesSync(path.join(dir, 'old'), 1000, 1000);
fs.writeFileSync(path.join(dir, 'exe'), '');
fs.chmodSync(path.join(dir, 'exe'), 0o755);
fs.writeFileSync(path.join(dir, 'setid'), '');
fs.chmodSync(path.join(dir, 'setid'), 0o6644);
fs.mkdirSync(path.join(dir, 'sticky'));
fs.chmodSync(path.join(dir, 'sticky'), 0o1777);

// Each case is the argument list (without `[`/`]`).
const CASES: string[][] = [
  [], ['a'], [''], ['-n'], ['-z'], ['!'], ['('], [')'], ['-a'], ['-o'], ['-e'], ['--help'], ['--version'],
  ['a', 'b'], ['-x'], ['-q', 'a'], ['!', 'a'], ['!', ''], ['-n', ''], ['-z', ''], ['-n', 'x'], ['-z', 'x'],
  ['a', '=', 'a'], ['a', '!=', 'b'], ['a', '==', 'a'], ['a', '=', 'b'], ['=', '=', '='], ['!', '=', '='],
  ['a', '-eq', 'a'], ['1', '-eq', '1'], ['1', '-eq', '01'], [' 1 ', '-eq', '1'], ['+1', '-eq', '1'], ['-0', '-eq', '0'],
  ['1', '-ne', '2'], ['1', '-lt', '2'], ['2', '-le', '2'], ['3', '-gt', '2'], ['2', '-ge', '3'], ['1x', '-lt', '2'],
  ['99999999999999999999', '-gt', '1'], ['-99999999999999999999', '-lt', '99999999999999999999'], ['9223372036854775807', '-eq', '9223372036854775807'],
  ['1', '-lt'], ['a', 'b', 'c'], ['a', '-a', 'b'], ['', '-o', ''], ['-a', 'x'], ['-o', 'x'],
  ['(', 'a', ')'], ['(', 'a'], ['(', 'a', 'b', ')'], ['!', 'a', '=', 'b'], ['!', '!', 'a'], ['!', '!', '!', 'a'],
  ['a', '-a', 'b', '-o', 'c'], ['(', 'a', '-a', '', ')', '-o', 'b'], ['-l', 'abc', '-eq', '3'], ['3', '-eq', '-l', 'abc'],
  ['-l'], ['-l', 'a'], ['(', '-l', 'abc', '-eq', '3', ')'], ['a', '<', 'b'], ['b', '>', 'a'], ['a', '-foo', 'b'], ['(', ')'],
  ['!', '(', 'a', ')'], ['a', '=', 'a', '-a'], ['1', '-eq', '2', '-o', '2', '-eq', '2'], ['-n', 'a', '-a', '-z', ''],
  ['x', '-a', '(', 'y'], ['=', 'a'], ['a', '='], ['(', ')', ')'], ['(', '(', 'a', ')', ')'], ['(', '!', '-e', ')'],
  ['!', 'a', '-a', 'b'], ['a', '-o', 'b', '-a', ''], ['', '-a', 'b', '-o', 'c'], ['!', '', '-o', ''], ['(', 'a', ')', 'x'],
  ['1', '-eq', '1', 'x', 'y'], ['(', '=', '('], ['-t', '0', '-o', 'a'], ['a', '=', 'b', '-o', '(', 'c', '!=', 'd', ')'],
  ['(', 'a', '=', 'b', ')', '-o', '(', 'c', '=', 'c', ')'], ['-z', '-z'], ['-n', '-n', '-n'], ['a', '-ef'], ['1', '-gt', '2', '3'],
  ['-t', '1'], ['-t', 'x'], ['-t', '99'], ['-t', ' 5 '],
  ['-e', 'file'], ['-e', 'nosuch'], ['-e', ''], ['-f', 'file'], ['-f', 'dir'], ['-d', 'dir'], ['-d', 'file'], ['-s', 'file'], ['-s', 'empty'],
  ['-h', 'link'], ['-L', 'link'], ['-L', 'file'], ['-L', 'dangling'], ['-e', 'dangling'], ['-r', 'file'], ['-w', 'file'], ['-x', 'file'],
  ['-x', 'exe'], ['-x', 'dir'], ['-r', 'nosuch'], ['-u', 'setid'], ['-g', 'setid'], ['-u', 'file'], ['-k', 'sticky'], ['-k', 'dir'],
  ['-p', 'file'], ['-S', 'file'], ['-b', 'file'], ['-c', '/dev/null'], ['-b', '/dev/null'], ['-O', 'file'], ['-G', 'file'], ['-N', 'file'],
  ['file', '-nt', 'old'], ['old', '-nt', 'file'], ['file', '-ot', 'old'], ['old', '-ot', 'file'], ['file', '-nt', 'nosuch'],
  ['nosuch', '-ot', 'file'], ['nosuch', '-nt', 'file'], ['file', '-ef', 'link'], ['file', '-ef', 'file'], ['file', '-ef', 'old'],
  ['-e', 'file', '-a', '-d', 'dir'], ['!', '-e', 'nosuch', '-a', '-e', 'file'], ['-r', 'file', '-a', '-w', 'file'],
];

function gnu(argv: string[]) {
  const r = runTool(argv, { cwd: dir });
  return { ...r, stderr: r.stderr.replace(/^\/usr\/bin\//gm, '') };
}

describe.skipIf(!hasTool('test'))('test vs GNU test', () => {
  it.each(CASES.map((c) => [c.join(' ') || '(none)', c]))('test %s', async (_, args) => {
    const ours = await run(['test', ...(args as string[])], { cwd: dir });
    expect({ status: ours.status, stdout: ours.stdout.split('\n')[0], stderr: ours.stderr }).toEqual(
      (() => {
        const g = gnu(['/usr/bin/test', ...(args as string[])]);
        return { status: g.status, stdout: g.stdout.split('\n')[0], stderr: g.stderr };
      })(),
    );
  });
  it.each(CASES.map((c) => [c.join(' ') || '(none)', c]))('[ %s ]', async (_, args) => {
    const a = args as string[];
    const ours = await run(['[', ...a, ']'], { cwd: dir });
    const g = gnu(['/usr/bin/[', ...a, ']']);
    expect({ status: ours.status, stderr: ours.stderr }).toEqual({ status: g.status, stderr: g.stderr });
  });
  it.each([[['a']], [[]], [['a', '=', 'a', ']', ']']], [['--help']]] as const)('[ without its closing ]: %j', async (args) => {
    const ours = await run(['[', ...args], { cwd: dir });
    const g = gnu(['/usr/bin/[', ...args]);
    expect({ status: ours.status, stderr: ours.stderr }).toEqual({ status: g.status, stderr: g.stderr });
  });
});

describe.skipIf(!hasTool('busybox'))('evaluateTest(ash) vs BusyBox test', () => {
  const env = { path: (p: string) => path.resolve(dir, p), host: testHost() };
  it.each(CASES.filter((c) => !c.includes('-t') && !c.includes('-N')).map((c) => [c.join(' ') || '(none)', c]))('%s', (_, args) => {
    const a = args as string[];
    const bb = runTool(['busybox', 'test', ...a], { cwd: dir });
    const ours = evaluateTest(a, env, { dialect: 'ash' });
    expect({ status: ours.status, stderr: ours.error ? `test: ${ours.error}\n` : '' }).toEqual({ status: bb.status, stderr: bb.stderr });
    const bbBracket = runTool(['busybox', '[', ...a, ']'], { cwd: dir });
    const oursBracket = evaluateTest([...a, ']'], env, { dialect: 'ash', bracket: '[' });
    expect(oursBracket.status).toBe(bbBracket.status);
  });
  it('words a missing ] as ash does', () => {
    expect(evaluateTest(['a'], env, { dialect: 'ash', bracket: '[' })).toEqual({ status: 2, error: 'missing ]' });
    expect(evaluateTest(['a'], env, { dialect: 'ash', bracket: '[[' })).toEqual({ status: 2, error: 'missing ]]' });
  });
});
