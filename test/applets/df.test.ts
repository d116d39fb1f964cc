// df in-process: BusyBox's header and columns from the mount table and statfs.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';

describe('df', () => {
  it('prints BusyBox header and a line for the file system of a file', async () => {
    const r = await run('df /proc', { env: { LC_ALL: 'C' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Filesystem           1K-blocks      Used Available Use% Mounted on\nproc                         0         0         0   0% /proc\n');
  });
  it('-P, -T, -h and -i change the columns', async () => {
    expect((await run('df -P /proc')).stdout.split('\n')[0]).toBe('Filesystem           1024-blocks    Used Available Capacity Mounted on');
    expect((await run('df -T /proc')).stdout).toBe(
      'Filesystem           Type       1K-blocks      Used Available Use% Mounted on\nproc                 proc               0         0         0   0% /proc\n',
    );
    expect((await run('df -h /proc')).stdout.split('\n')[0]).toBe('Filesystem                Size      Used Available Use% Mounted on');
    expect((await run('df -i /proc')).stdout.split('\n')[0]).toMatch(/^Filesystem {14,}Inodes +Used Available Use% Mounted on$/);
  });
  it('lists every mounted file system with blocks, and more with -a', async () => {
    const plain = (await run('df')).stdout.split('\n').length;
    const all = (await run('df -a')).stdout.split('\n').length;
    expect(all).toBeGreaterThan(plain);
  });
  it('fails for a missing file', async () => {
    const r = await run('df /nonexistent');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("df: /nonexistent: can't find mount point\n");
  });
});
