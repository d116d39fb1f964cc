// tar through the built executable: a symlink named tar in a throwaway rootfs, real pipes
// (`tar c | tar x`, gzip in a pipe), device nodes and FIFOs through the system's mknod/mkfifo (and a
// clean per-entry error without them), every corpus archive, and GNU tar on the other end.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archivePath, corpus, hasCorpus } from '../core/archive/corpus.js';
import { makeRootfs } from '../helpers/binary.js';
import { hasTool } from '../helpers/reference.js';
import { tempDir } from '../helpers/run.js';
import { makeTree, snapshot } from '../diff/tar-tree.js';

const root = makeRootfs({ tar: 'bin' });
const TAR = path.join(root, 'bin/tar');
const ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' };

function sh(script: string, cwd: string, input?: Buffer) {
  const r = spawnSync('sh', ['-c', script], { cwd, env: { ...ENV, TAR }, input, encoding: 'latin1', timeout: 120_000, maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tar, the executable', () => {
  it('creates and extracts a tree through a pipe (tar c | tar x), gzip in the pipe too', () => {
    const dir = tempDir('tar-e2e-');
    const src = makeTree(dir, { big: 3 * 1024 * 1024 });
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    expect(sh('"$TAR" -cf - src | (cd a && "$TAR" -xf -)', dir).status).toBe(0);
    expect(snapshot(path.join(dir, 'a/src'))).toEqual(snapshot(src));
    const r = sh('"$TAR" -czf - src | "$TAR" -xzvf - -C b | sort | head -3', dir);
    expect(r).toMatchObject({ status: 0, stdout: 'src/\nsrc/abs-dangling\nsrc/big.bin\n' });
    expect(snapshot(path.join(dir, 'b/src'))).toEqual(snapshot(src));
  });

  it.skipIf(!hasTool('tar'))('GNU tar reads what it writes, and the other way round, through pipes', () => {
    const dir = tempDir('tar-e2e-');
    const src = makeTree(dir);
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    expect(sh('"$TAR" -cJf - src | tar -xJf - -C a', dir).status).toBe(0);
    expect(snapshot(path.join(dir, 'a/src'))).toEqual(snapshot(src));
    expect(sh('tar -cjf - src | "$TAR" -xf - -C b', dir).status).toBe(0);
    expect(snapshot(path.join(dir, 'b/src'))).toEqual(snapshot(src));
    expect(sh('"$TAR" -tvf - < /dev/null; echo $?', dir).stdout).toBe('0\n');
  });

  it('old-style arguments, --help, usage errors with status 64 and 2', () => {
    const dir = tempDir('tar-e2e-');
    expect(sh('"$TAR" --help | head -1', dir).stdout).toBe('Usage: tar [OPTION...] [FILE]...\n');
    expect(sh('"$TAR" -y', dir)).toMatchObject({ status: 64, stderr: "tar: invalid option -- 'y'\nTry 'tar --help' or 'tar --usage' for more information.\n" });
    expect(sh('"$TAR"', dir).status).toBe(2);
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    expect(sh('"$TAR" cf a.tar f && "$TAR" tvf a.tar', dir).stdout).toMatch(/^-rw-r--r-- root\/root +1 \d{4}-\d\d-\d\d \d\d:\d\d f\n$/);
  });

  it('a missing archive is a fatal error with status 2', () => {
    const dir = tempDir('tar-e2e-');
    expect(sh('"$TAR" -xf missing.tar', dir)).toMatchObject({ status: 2, stderr: 'tar: missing.tar: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n' });
  });

  it('makes device nodes and FIFOs with mknod/mkfifo, and says so when it cannot', () => {
    const dir = tempDir('tar-e2e-');
    // an archive holding a char device, a block device and a FIFO, written by us from a description
    fs.mkdirSync(path.join(dir, 'src'));
    expect(sh('mknod src/null c 1 3 && mknod src/loop b 7 200 && mkfifo src/fifo', dir).status).toBe(0);
    expect(sh('"$TAR" -cf dev.tar src', dir).status).toBe(0);
    expect(sh('"$TAR" -tvf dev.tar', dir).stdout).toContain('crw-r--r-- root/root       1,3 ');
    fs.mkdirSync(path.join(dir, 'out'));
    const r = sh('"$TAR" -xf dev.tar -C out && ls -l out/src | cut -c1-10,24- | sort', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.statSync(path.join(dir, 'out/src/null')).isCharacterDevice()).toBe(true);
    expect(fs.statSync(path.join(dir, 'out/src/loop')).isBlockDevice()).toBe(true);
    expect(fs.statSync(path.join(dir, 'out/src/fifo')).isFIFO()).toBe(true);
    expect(fs.statSync(path.join(dir, 'out/src/null')).rdev).toBe(fs.statSync(path.join(dir, 'src/null')).rdev);
    // no mknod/mkfifo on PATH: an error per entry, the rest extracted, status 2 at the end
    fs.mkdirSync(path.join(dir, 'out2'));
    const n = spawnSync(TAR, ['-xf', 'dev.tar', '-C', 'out2'], { cwd: dir, env: { ...ENV, PATH: '/nonexistent' }, encoding: 'latin1' });
    expect(n.status).toBe(2);
    expect(n.stderr).toContain('tar: src/null: Cannot mknod: Function not implemented (no mknod program)\n');
    expect(n.stderr).toContain('tar: src/fifo: Cannot mkfifo: Function not implemented (no mkfifo program)\n');
    expect(n.stderr.endsWith('tar: Exiting with failure status due to previous errors\n')).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out2/src'))).toBe(true);
  });

  it.skipIf(!hasCorpus)('extracts every corpus archive GNU tar extracts, and fails cleanly on the others', { timeout: 300_000 }, () => {
    for (const [name, expected] of corpus()) {
      if (name === 'test_read_format_gtar_sparse_skip_entry.tar') continue; // 10 GiB: the in-process suite does it
      const dir = tempDir('tar-e2e-c-');
      const r = spawnSync(TAR, ['-xf', archivePath(name)], { cwd: dir, env: ENV, encoding: 'latin1', timeout: 60_000 });
      if (expected.gnu_tar_extract_rc === 0) expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      else {
        expect(r.status, name).not.toBe(0);
        expect(r.stderr, name).toMatch(/^tar: /);
      }
      expect(r.stderr, name).not.toMatch(/internal error/);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
