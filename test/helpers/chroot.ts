// A root file system that works under chroot(2): the built executable hard-linked in (a symbolic
// link would point outside), the shared libraries it needs copied, symlinks for the applets, and
// /etc/passwd and /etc/group of the test's choosing. For tests that must not touch the host:
// `rm -rf /`, `chmod -R /`, names looked up in the root's own files.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBinary } from './binary.js';
import { tempDir } from './run.js';

const CHROOT = spawnSync('sh', ['-c', 'command -v chroot'], { encoding: 'utf8' }).stdout.trim();
export const canChroot = process.getuid?.() === 0 && CHROOT !== '' && spawnSync('sh', ['-c', 'command -v ldd'], { stdio: 'ignore' }).status === 0;

export interface ChrootRoot {
  dir: string;
  /** Run a command inside the root (argv[0] an absolute name inside it). */
  run(argv: readonly string[], opts?: { input?: string; env?: Record<string, string> }): { status: number | null; stdout: string; stderr: string };
}

export function makeChrootRoot(applets: readonly string[], etc: { passwd: string; group: string }): ChrootRoot {
  const bin = requireBinary();
  const dir = tempDir('toolbox-chroot-');
  fs.mkdirSync(path.join(dir, 'bin'));
  try {
    fs.linkSync(bin, path.join(dir, 'bin/toolbox'));
  } catch {
    fs.copyFileSync(bin, path.join(dir, 'bin/toolbox'));
    fs.chmodSync(path.join(dir, 'bin/toolbox'), 0o755);
  }
  const ldd = spawnSync('ldd', [bin], { encoding: 'utf8' }).stdout;
  for (const lib of ldd.match(/\/\S+/g) ?? []) {
    fs.mkdirSync(path.join(dir, path.dirname(lib)), { recursive: true });
    fs.copyFileSync(lib, path.join(dir, lib));
  }
  for (const name of applets) fs.symlinkSync('toolbox', path.join(dir, 'bin', name));
  fs.mkdirSync(path.join(dir, 'etc'));
  fs.writeFileSync(path.join(dir, 'etc/passwd'), etc.passwd);
  fs.writeFileSync(path.join(dir, 'etc/group'), etc.group);
  fs.mkdirSync(path.join(dir, 'tmp'), { mode: 0o1777 });
  return {
    dir,
    run(argv, opts = {}) {
      const r = spawnSync(CHROOT, [dir, ...argv], {
        input: opts.input,
        env: { PATH: '/bin', LC_ALL: 'C', ...opts.env },
        encoding: 'latin1',
        timeout: 60_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
