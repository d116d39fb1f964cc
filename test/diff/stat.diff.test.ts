// stat against GNU stat (coreutils 9.1): default, terse and custom formats over every file type,
// printf flags, escapes, errors; -f on file systems whose numbers hold still.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixture } from '../helpers/fstree.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run } from '../helpers/run.js';
import { toUtf8 } from '../../src/core/bytes.js';

const gnu = hasTool('stat') && runTool(['stat', '--version']).stdout.includes('GNU');
let dir = '';
const FILES = ['file', 'link', 'dir', 'fifo', 'sock', 'dangling', 'exec', 'setuidx', 'stickyw', 'sparse', 'old', 'future', 'with space', 'nl\nx', 'caf\xc3\xa9', 'linkdir', 'hardlink'];
const DEVICES = ['chardev', 'blockdev', 'bigdev'];
const ALL = '%n|%N|%a|%A|%b|%B|%d|%D|%f|%F|%g|%G|%h|%i|%m|%o|%s|%r|%R|%t|%T|%u|%U|%w|%W|%x|%X|%y|%Y|%z|%Z|%Hd|%Ld|%Hr|%Lr';

const CASES: { args: string[]; env?: Record<string, string> }[] = [
  { args: FILES },
  { args: ['-L', ...FILES.filter((f) => f !== 'dangling')] },
  { args: ['-t', ...FILES] },
  { args: ['-c', ALL, ...FILES] },
  { args: ['-L', '-c', ALL, 'link', 'linkdir'] },
  { args: ['--printf', `${ALL}\\n`, 'file', 'dir'] },
  { args: ['-c', '%Q|%5n|%-5n|%.2n|%#a|%05a|%x5|%.3Y|%10.3Y|%-12.1X|%+s|% s|%#x|%.0Y|%.10Y|%Hs|%Lz|%', 'file'] },
  { args: ['-c', '%010s|%-010s|%+d|%#o|%#X|%.5s|%.0s|%5.2A|%#f|%#D|%#R|%+10.3Y|%010.3Y|%-+5s|% X|%+u', 'file'] },
  { args: ['--printf', 'a\\tb\\n\\x41\\101\\q\\%%n\\n', 'file'] },
  { args: ['--printf', 'x\\', 'file'] },
  { args: ['-c', '%5%', 'file'] },
  { args: ['-c', '%N', 'link', 'dangling', 'with space'], env: { QUOTING_STYLE: 'literal' } },
  { args: ['-c', '%N', 'link', 'nl\nx'], env: { QUOTING_STYLE: 'c' } },
  { args: ['-c', '%y|%z'], env: { TZ: 'Asia/Kolkata' } },
  { args: ['nonexist'] },
  { args: ['', 'file'] },
  { args: ['-c', '%s', 'file', 'nonexist', 'big'] },
  { args: ['-L', 'dangling'] },
  { args: [] },
  { args: ['-c'] },
  { args: ['-z', 'file'] },
  { args: ['-f', '-c', '%n %a %b %c %d %f %l %s %S %t %T', '/proc', '/dev'] },
  { args: ['-f', '-c', '%x', '/proc'] },
];

describe.skipIf(!gnu)('stat vs GNU stat', () => {
  beforeAll(async () => {
    dir = await makeFixture();
  });
  it.each(CASES.map((c) => [c.args.join(' ').replace(/\n/g, '\\n'), c]))('stat %s', async (_, c) => {
    const { args, env } = c as (typeof CASES)[number];
    let argv = ['stat', ...args];
    if (args.some((a) => a === 'chardev') || args.length === 0) argv = argv.filter((a) => !DEVICES.includes(a));
    const g = runTool(argv.map(toUtf8), { cwd: dir, env });
    const o = await run(argv, { cwd: dir, env: { LC_ALL: 'C', TZ: 'UTC', ...env } });
    expect(o.stdout).toBe(g.stdout);
    expect(o.stderr).toBe(g.stderr);
    expect(o.status).toBe(g.status);
  });
  it.each(DEVICES.map((d) => [d]))('stat of a device node: %s', async (d) => {
    for (const args of [[d], ['-t', d], ['-c', ALL, d]]) {
      const g = runTool(['stat', ...args], { cwd: dir });
      if (g.status !== 0) continue; // not made (needs root)
      const o = await run(['stat', ...args], { cwd: dir, env: { LC_ALL: 'C', TZ: 'UTC' } });
      expect(o.stdout).toBe(g.stdout);
    }
  });
  it('stat -f: everything but the file system ID, which Node does not report', async () => {
    const g = runTool(['stat', '-f', '/dev'], { cwd: dir });
    const o = await run(['stat', '-f', '/dev'], { cwd: dir, env: { LC_ALL: 'C' } });
    const noId = (s: string) => s.replace(/ID: \S+ +/, 'ID: ');
    expect(noId(o.stdout)).toBe(noId(g.stdout));
  });
});
