// touch against GNU touch (coreutils 9.1): each case runs in two identical directories, one per
// implementation, and the resulting files and times (to the microsecond: Node sets times as
// doubles) are compared, with the messages and statuses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

const gnu = hasTool('touch') && runTool(['touch', '--version']).stdout.includes('GNU');

function setup(): string {
  const root = tempDir();
  fs.writeFileSync(path.join(root, 'file'), 'x');
  fs.writeFileSync(path.join(root, 'ref'), 'x');
  fs.utimesSync(path.join(root, 'ref'), 1e9 + 0.5, 1.2e9 + 0.25);
  fs.utimesSync(path.join(root, 'file'), 5e8, 6e8);
  fs.mkdirSync(path.join(root, 'dir'));
  fs.utimesSync(path.join(root, 'dir'), 5e8, 6e8);
  fs.symlinkSync('file', path.join(root, 'link'));
  fs.symlinkSync('nowhere', path.join(root, 'dangling'));
  for (const l of ['link', 'dangling']) fs.lutimesSync(path.join(root, l), 4e8, 4e8);
  return root;
}

/** Every entry's type and times, to the microsecond (a symlink's atime moves whenever it is read: left out). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(root).sort()) {
    const st = fs.lstatSync(path.join(root, name), { bigint: true });
    const us = (ns: bigint) => String((ns + 500n) / 1000n);
    const link = st.isSymbolicLink();
    out[name] = `${link ? 'l' : st.isDirectory() ? 'd' : 'f'} a=${link ? '-' : us(st.atimeNs)} m=${us(st.mtimeNs)}`;
  }
  return out;
}

const CASES: { args: string[]; env?: Record<string, string> }[] = [
  { args: ['-d', '2001-02-03 04:05:06.789', 'new', 'file'] },
  { args: ['-d', '2001-02-03 04:05', 'file'], env: { TZ: 'America/New_York' } },
  { args: ['-d', '@1000.5', 'file', 'dir'] },
  { args: ['-d', '@-5.5', 'file'] },
  { args: ['-d', '1960-01-01 00:00:00.25', 'file'] },
  { args: ['-d', '1 Jan 2030 12:00 UTC', 'file'] },
  { args: ['-d', 'TZ="Asia/Tokyo" 2020-06-01 09:00', 'file'] },
  { args: ['-t', '200102030405.06', 'file'] },
  { args: ['-t', '0102030405', 'file'] },
  { args: ['-t', '6902030405', 'file'] },
  { args: ['-t', '02030405', 'file'] },
  { args: ['-t', '197001010000', 'file'], env: { TZ: 'EST5EDT' } },
  { args: ['-t', 'abc', 'file'] },
  { args: ['-t', '200102030405.6', 'file'] },
  { args: ['-a', '-d', '@1000', 'file'] },
  { args: ['-m', '-d', '@1000', 'file'] },
  { args: ['--time=atime', '-d', '@7', 'file'] },
  { args: ['--time=mtime', '-d', '@7', 'file'] },
  { args: ['--time=use', '-d', '@7', 'file'] },
  { args: ['--time=bogus', 'file'] },
  { args: ['-c', 'nonexist'] },
  { args: ['--no-create', '-d', '@9', 'nonexist', 'file'] },
  { args: ['-r', 'ref', 'file', 'new'] },
  { args: ['-r', 'ref', '-d', '+1 day', 'file'] },
  { args: ['-a', '-r', 'ref', 'file'] },
  { args: ['-r', 'nonexist', 'file'] },
  { args: ['-h', '-d', '@5', 'link', 'dangling'] },
  { args: ['-d', '@5', 'link'] },
  { args: ['-d', '@5', 'dangling'] },
  { args: ['-c', '-d', '@5', 'dangling'] },
  { args: ['-d', '@5', 'nodir/x'] },
  { args: ['-d', '@5', 'file/x'] },
  { args: ['-d', 'garbage', 'file'] },
  { args: ['-d', '2020-01-01', '-t', '202001010000', 'file'] },
  { args: [] },
  { args: ['-f', '-d', '@3', 'file'] },
  { args: ['-d', '@3', '--', '-x'] },
  { args: ['--bogus'] },
];

describe.skipIf(!gnu)('touch vs GNU touch', () => {
  it.each(CASES.map((c) => [c.args.join(' '), c]))('touch %s', async (_, c) => {
    const { args, env } = c as (typeof CASES)[number];
    const gdir = setup();
    const odir = setup();
    const g = runTool(['touch', ...args], { cwd: gdir, env });
    const o = await run(['touch', ...args], { cwd: odir, env: { LC_ALL: 'C', TZ: 'UTC', ...env } });
    expect({ stdout: o.stdout, stderr: o.stderr, status: o.status }).toEqual({ stdout: g.stdout, stderr: g.stderr, status: g.status });
    expect(snapshot(odir)).toEqual(snapshot(gdir));
  });

  it('without a time, sets both to now (and creates)', async () => {
    const odir = setup();
    const before = Date.now();
    const o = await run(['touch', 'file', 'new'], { cwd: odir });
    expect(o.status).toBe(0);
    for (const f of ['file', 'new']) {
      const st = fs.statSync(path.join(odir, f));
      expect(st.mtimeMs).toBeGreaterThanOrEqual(before - 1000);
      expect(st.atimeMs).toBeGreaterThanOrEqual(before - 1000);
    }
  });
});
