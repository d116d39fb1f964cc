import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupName, groupsOfUser, resolveGid, resolveUid, userByName, userName } from '../../src/core/ids.js';
import { tempDir } from '../helpers/run.js';

describe('ids under a root', () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n# comment\nalice:x:1000:100:Alice:/home/alice:/bin/ash\nbroken\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nusers:x:100:\nwheel:x:10:root,alice\n');
  it('maps names and numbers, falling back to the number', () => {
    expect(userName(1000, root)).toBe('alice');
    expect(userName(4242, root)).toBe('4242');
    expect(groupName(10, root)).toBe('wheel');
    expect(resolveUid('alice', root)).toBe(1000);
    expect(resolveUid('77', root)).toBe(77);
    expect(resolveUid('nobody', root)).toBeUndefined();
    expect(resolveGid('users', root)).toBe(100);
    expect(groupsOfUser(userByName('alice', root)!, root)).toEqual([100, 10]);
  });
  it('sees changes to the files', () => {
    fs.appendFileSync(path.join(root, 'etc/passwd'), 'bob:x:1001:100::/home/bob:/bin/sh\n');
    expect(userName(1001, root)).toBe('bob');
  });
  it('gives numbers when the root has no such files', () => {
    expect(userName(0, tempDir())).toBe('0');
  });
});
