// SafeRoot's bookkeeping: names split at their last slash take the same way as names with empty,
// `.` or `..` components; directories it made are "fresh" (nothing in them the caller did not
// put there), existing ones are not, and forgetting resolutions forgets freshness too.
// (What it refuses is tested against the published advisories in test/applets/tar-security.test.ts.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafeRoot } from '../../src/core/safe-path.js';
import { tempDir } from '../helpers/run.js';

describe('SafeRoot.locate', () => {
  it('gives the same place for a name however it is spelled', () => {
    const root = tempDir('safe-path-');
    const safe = new SafeRoot(root);
    const want = path.join(root, 'a/b/c');
    for (const name of ['a/b/c', 'a//b/c', './a/b/c', 'a/./b/c', 'a/b/c/', 'a/b/./c', './/a/b//c/']) {
      const at = safe.locate(name);
      expect([at.path, at.parent, at.comps], name).toEqual([want, path.join(root, 'a/b'), ['a', 'b', 'c']]);
    }
    expect(safe.locate('top').path).toBe(path.join(root, 'top'));
    expect(safe.locate('./').path).toBe(root);
    expect(() => safe.locate('a/../b')).toThrow(/\.\./);
  });

  it('knows which directories it made', () => {
    const root = tempDir('safe-path-');
    fs.mkdirSync(path.join(root, 'old'));
    const safe = new SafeRoot(root);
    expect(safe.locate('old/x').fresh).toBe(false);
    expect(safe.locate('new/x').fresh).toBe(true);
    expect(safe.locate('new/deeper/x').fresh).toBe(true);
    expect(safe.locate('x').fresh).toBe(false); // the root itself was there
    fs.mkdirSync(path.join(root, 'made'));
    safe.noteDirectory('made', true);
    expect(safe.locate('made/x').fresh).toBe(true);
    safe.noteDirectory('old/');
    expect(safe.locate('old/x').fresh).toBe(false);
    // a directory made on the way stays fresh when its own entry comes later
    safe.noteDirectory('new/');
    expect(safe.locate('new/x').fresh).toBe(true);
    safe.invalidate();
    expect(safe.locate('new/x').fresh).toBe(false);
  });
});
