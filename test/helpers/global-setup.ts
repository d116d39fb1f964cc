// Every test's temporary files go under one directory per run (TMPDIR, inherited by the workers and
// by the programs the tests start), removed at the end, so a run leaves nothing behind in /tmp.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolbox-tests-'));
  fs.chmodSync(dir, 0o1777); // as /tmp: tests that run as another user (nobody) reach their files
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
