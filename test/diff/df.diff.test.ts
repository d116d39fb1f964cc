// df against BusyBox df (the form Alpine users see): header and columns for every option on file
// systems whose numbers hold still (/proc, /sys, /dev), and the same mounts in the full table.
import { describe, expect, it } from 'vitest';
import { hasTool, runTool } from '../helpers/reference.js';
import { run } from '../helpers/run.js';

const bb = hasTool('busybox') && runTool(['busybox', 'df', '/proc']).status === 0;

const STILL = ['/proc', '/sys', '/dev'];
const CASES: string[][] = [
  [],
  ['-P'],
  ['-T'],
  ['-PT'],
  ['-k'],
  ['-m'],
  ['-h'],
  ['-hT'],
  ['-i'],
  ['-B', '1M'],
  ['-B', '4k'],
  ['-B', 'MiB'],
  ['-B', 'x'],
  ['-t', 'proc'],
  ['-a'],
];

describe.skipIf(!bb)('df vs BusyBox df', () => {
  it.each(CASES.map((c) => [c.join(' '), c]))('df %s on still file systems', async (_, args) => {
    const argv = [...(args as string[]), ...STILL];
    const b = runTool(['busybox', 'df', ...argv]);
    const o = await run(['df', ...argv], { env: { LC_ALL: 'C' } });
    expect({ stdout: o.stdout, status: o.status }).toEqual({ stdout: b.stdout, status: b.status });
    if (b.status !== 0) expect(o.stderr.split('\n')[0]).toBe(b.stderr.split('\n')[0]);
  });
  it.each([[], ['-a'], ['-T'], ['-P']].map((c) => [c.join(' '), c]))('df %s lists the same mounts', async (_, args) => {
    const shape = (out: string) =>
      out
        .split('\n')
        .map((l) => l.replace(/\s+\d+\s+\d+\s+\d+\s+\d+%/, ' N'))
        .join('\n');
    const b = runTool(['busybox', 'df', ...(args as string[])]);
    const o = await run(['df', ...(args as string[])], { env: { LC_ALL: 'C' } });
    expect(shape(o.stdout)).toBe(shape(b.stdout));
    expect(o.status).toBe(b.status);
  });
  it('a missing file', async () => {
    const b = runTool(['busybox', 'df', '/nonexistent', '/proc']);
    const o = await run(['df', '/nonexistent', '/proc'], { env: { LC_ALL: 'C' } });
    expect({ stdout: o.stdout, stderr: o.stderr, status: o.status }).toEqual({ stdout: b.stdout, stderr: b.stderr, status: b.status });
  });
});
