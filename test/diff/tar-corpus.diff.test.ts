// The real-world archives of ../shared/corpus/tar (libarchive's test suite): wherever GNU tar
// extracts one, ours extracts the same tree (extracted_tree_gnu in expected.json); the broken
// ones fail with a `tar:` message and a non-zero status, touching nothing outside the target;
// `tar -tvf` prints what GNU tar prints.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archivePath, corpus, hasCorpus, type TreeItem } from '../core/archive/corpus.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

/** The tree under dir as expected.json describes one: path → type, size, sha256, target. */
export function describeTree(dir: string): Record<string, TreeItem> {
  const out: Record<string, TreeItem> = {};
  const walk = (rel: string) => {
    const abs = rel ? path.join(dir, rel) : dir;
    for (const name of fs.readdirSync(abs, { encoding: 'buffer' })) {
      const childRel = rel ? Buffer.concat([Buffer.from(rel, 'latin1'), Buffer.from('/'), name]).toString('latin1') : name.toString('latin1');
      const p = Buffer.from(path.join(dir, childRel), 'latin1');
      const st = fs.lstatSync(p);
      const key = utf8OrHex(Buffer.from(childRel, 'latin1'));
      if (st.isSymbolicLink()) out[key] = { type: 'symlink', target: fs.readlinkSync(p, 'utf8') };
      else if (st.isDirectory()) {
        out[key] = { type: 'dir' };
        walk(childRel);
      } else if (st.isFile()) out[key] = { type: 'file', size: st.size, sha256: hashFile(p, st.size) };
      else out[key] = { type: st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'chardev' : st.isBlockDevice() ? 'blockdev' : 'other' };
    }
  };
  walk('');
  return out;
}

/** expected.json's keys: the path as UTF-8, or `hex:` and its bytes when it is not UTF-8. */
function utf8OrHex(b: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return `hex:${b.toString('hex')}`;
  }
}

function hashFile(p: Buffer, size: number): string {
  const h = createHash('sha256');
  const fd = fs.openSync(p, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let pos = 0; pos < size; ) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

// A 10 GiB sparse member: extracted and hashed (holes read as zeros: a few seconds).
const SLOW = new Set(['test_read_format_gtar_sparse_skip_entry.tar']);

describe.skipIf(!hasCorpus)('corpus: extraction', () => {
  const cases = corpus();
  it.each(cases.filter(([n, a]) => a.gnu_tar_extract_rc === 0 && !SLOW.has(n)))('%s extracts as GNU tar does', async (name, expected) => {
    const dir = tempDir('tar-corpus-');
    const r = await run(['tar', '-xf', archivePath(name)], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(describeTree(dir)).toEqual(expected.extracted_tree_gnu);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it.each(cases.filter(([n]) => SLOW.has(n)))('%s (10 GiB sparse) extracts as GNU tar does', { timeout: 120_000 }, async (name, expected) => {
    const dir = tempDir('tar-corpus-');
    const r = await run(['tar', '-xf', archivePath(name)], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(describeTree(dir)).toEqual(expected.extracted_tree_gnu);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it.each(cases.filter(([, a]) => a.gnu_tar_extract_rc !== 0))('%s fails cleanly, as GNU tar does', async (name) => {
    const parent = tempDir('tar-corpus-');
    const dir = path.join(parent, 'target');
    fs.mkdirSync(dir);
    const r = await run(['tar', '-xf', archivePath(name)], { cwd: dir });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^tar: /);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js/);
    expect(fs.readdirSync(parent)).toEqual(['target']);
    fs.rmSync(parent, { recursive: true, force: true });
  });
});

// Listings that differ on purpose, and why.
const LISTING_DIFFERS: Record<string, string> = {
  'test_compat_tar_directory_1.tar':
    "a directory header with size 1: GNU tar skips a block after it in -t but not in -x; we read archives one way, as GNU's extraction (and bsdtar, Python) do, so we list the second directory GNU's -t misses",
};

describe.skipIf(!hasCorpus || !hasTool('tar'))('corpus: tar -tvf against GNU tar', () => {
  it.each(corpus())('%s', async (name, expected) => {
    const gnu = runTool(['tar', '-tvf', archivePath(name)]);
    const ours = await run(['tar', '-tvf', archivePath(name)], { env: { TZ: 'UTC', LC_ALL: 'C' } });
    expect(ours.status).toBe(gnu.status);
    expect(gnu.status).toBe(expected.gnu_tar_list_rc);
    if (gnu.status !== 0) {
      expect(ours.stderr).toMatch(/^tar: /);
      return;
    }
    if (LISTING_DIFFERS[name]) {
      expect(ours.stdout.startsWith(gnu.stdout), LISTING_DIFFERS[name]).toBe(true);
      return;
    }
    expect(ours.stdout).toBe(gnu.stdout);
    expect(ours.stderr).toBe(gnu.stderr);
  });
});
