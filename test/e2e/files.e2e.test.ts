// The file applets as the built executable, run through symlinks named after them: in a throwaway
// rootfs on the host, and inside a chroot for what must never run on the host (`rm -rf /`,
// `chmod -R /`) and for user and group names that must come from the root's own /etc files.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRootfs } from '../helpers/binary.js';
import { canChroot, makeChrootRoot } from '../helpers/chroot.js';
import { tempDir } from '../helpers/run.js';

const FILE_APPLETS = {
  basename: 'usr/bin', dirname: 'usr/bin', pwd: 'bin', readlink: 'bin', realpath: 'usr/bin', mkdir: 'bin', rmdir: 'bin', rm: 'bin', ln: 'bin',
  chmod: 'bin', chown: 'bin', chgrp: 'bin', cp: 'bin', mv: 'bin', install: 'usr/bin', mktemp: 'bin',
};
const root = makeRootfs(FILE_APPLETS);
const tool = (name: keyof typeof FILE_APPLETS) => path.join(root, FILE_APPLETS[name], name);

function exec(file: string, args: string[], cwd: string, input?: string) {
  const r = spawnSync(file, args, { cwd, input, env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' }, encoding: 'latin1', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('file applets through their symlinks', () => {
  it('make, copy, link, move and remove a tree', () => {
    const dir = tempDir();
    expect(exec(tool('mkdir'), ['-pv', 'a/b/c'], dir)).toEqual({ status: 0, stdout: "mkdir: created directory 'a'\nmkdir: created directory 'a/b'\nmkdir: created directory 'a/b/c'\n", stderr: '' });
    fs.writeFileSync(path.join(dir, 'a/b/f'), 'data');
    fs.utimesSync(path.join(dir, 'a/b/f'), 1e9, 1e9);
    expect(exec(tool('ln'), ['-s', 'f', 'a/b/lf'], dir).status).toBe(0);
    expect(exec(tool('ln'), ['a/b/f', 'a/b/hard'], dir).status).toBe(0);
    expect(exec(tool('cp'), ['-a', 'a', 'copy'], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(fs.readlinkSync(path.join(dir, 'copy/b/lf'))).toBe('f');
    expect(fs.statSync(path.join(dir, 'copy/b/f')).mtimeMs).toBe(1e12);
    expect(fs.statSync(path.join(dir, 'copy/b/f')).ino).toBe(fs.statSync(path.join(dir, 'copy/b/hard')).ino);
    expect(exec(tool('mv'), ['-v', 'copy', 'moved'], dir)).toEqual({ status: 0, stdout: "renamed 'copy' -> 'moved'\n", stderr: '' });
    expect(exec(tool('chmod'), ['-R', 'go-rwx', 'moved'], dir).status).toBe(0);
    expect(fs.statSync(path.join(dir, 'moved/b/f')).mode & 0o777).toBe(0o600);
    expect(exec(tool('readlink'), ['-f', 'moved/b/lf'], dir).stdout).toBe(`${fs.realpathSync(dir)}/moved/b/f\n`);
    expect(exec(tool('realpath'), ['--relative-to=moved', 'a/b/f'], dir).stdout).toBe('../a/b/f\n');
    expect(exec(tool('rm'), ['-rv', 'moved'], dir).stdout).toContain("removed directory 'moved'\n");
    expect(exec(tool('rmdir'), ['-p', 'a/b/c'], dir)).toMatchObject({ status: 1, stderr: "rmdir: failed to remove directory 'a/b': Directory not empty\n" });
    expect(exec(tool('basename'), ['-s', '.c', '/x/y.c'], dir).stdout).toBe('y\n');
    expect(exec(tool('dirname'), ['/x/y.c'], dir).stdout).toBe('/x\n');
    expect(exec(tool('pwd'), [], dir).stdout).toBe(`${fs.realpathSync(dir)}\n`);
  });
  it('install and mktemp', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    expect(exec(tool('install'), ['-D', '-m', '640', 'f', 'deep/er/g'], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(fs.statSync(path.join(dir, 'deep/er/g')).mode & 0o777).toBe(0o640);
    const t = exec(tool('mktemp'), ['-d', '-p', dir], dir);
    expect(t.stdout).toMatch(new RegExp(`^${dir}/tmp\\.[A-Za-z0-9]{10}\n$`));
    expect(fs.statSync(t.stdout.trim()).mode & 0o777).toBe(0o700);
  });
  it('answers prompts from stdin', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    fs.writeFileSync(path.join(dir, 'g'), 'y');
    expect(exec(tool('cp'), ['-i', 'f', 'g'], dir, 'n\n')).toEqual({ status: 0, stdout: '', stderr: "cp: overwrite 'g'? " });
    expect(fs.readFileSync(path.join(dir, 'g'), 'latin1')).toBe('y');
    expect(exec(tool('rm'), ['-i', 'f', 'g'], dir, 'y\nn\n')).toEqual({ status: 0, stdout: '', stderr: "rm: remove regular file 'f'? rm: remove regular file 'g'? " });
    expect(fs.existsSync(path.join(dir, 'f'))).toBe(false);
  });
  it('keeps holes in sparse copies', () => {
    const dir = tempDir();
    const fd = fs.openSync(path.join(dir, 'sparse'), 'w');
    fs.writeSync(fd, 'end', 64 * 1024 * 1024);
    fs.closeSync(fd);
    expect(exec(tool('cp'), ['sparse', 'copy'], dir).status).toBe(0);
    const st = fs.statSync(path.join(dir, 'copy'));
    expect(st.size).toBe(64 * 1024 * 1024 + 3);
    expect(st.blocks * 512).toBeLessThan(1024 * 1024);
  });
});

const PASSWD = 'admin:x:0:0:the root:/:/bin/sh\nalice:x:1234:2345::/home/alice:/bin/sh\nbob:x:1235:100::/:/bin/sh\n';
const GROUP = 'wheel:x:0:alice\nstaff:x:2345:\nusers:x:100:alice,bob\n';

describe.skipIf(!canChroot)('inside a chroot', () => {
  const chroot = makeChrootRoot(['rm', 'chmod', 'chown', 'chgrp', 'id', 'groups', 'whoami', 'install', 'cp', 'mkdir', 'mv'], { passwd: PASSWD, group: GROUP });
  const inRoot = (p: string) => path.join(chroot.dir, p);

  it('rm refuses / and its other names, and --no-preserve-root is needed to go on', () => {
    expect(chroot.run(['/bin/rm', '-rf', '/'])).toEqual({
      status: 1,
      stdout: '',
      stderr: "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n",
    });
    expect(chroot.run(['/bin/rm', '-r', '//'])).toMatchObject({ status: 1, stderr: "rm: it is dangerous to operate recursively on '//' (same as '/')\nrm: use --no-preserve-root to override this failsafe\n" });
    expect(chroot.run(['/bin/rm', '-r', '/tmp/..'])).toMatchObject({ status: 1, stderr: "rm: refusing to remove '.' or '..' directory: skipping '/tmp/..'\n" });
    expect(fs.existsSync(inRoot('bin/rm'))).toBe(true);
  });
  it('chmod and chown -R refuse / with --preserve-root', () => {
    const before = fs.statSync(inRoot('bin')).mode;
    const expected = (name: string) => `${name}: it is dangerous to operate recursively on '/'\n${name}: use --no-preserve-root to override this failsafe\n`;
    expect(chroot.run(['/bin/chmod', '-R', '--preserve-root', '700', '/'])).toEqual({ status: 1, stdout: '', stderr: expected('chmod') });
    expect(chroot.run(['/bin/chown', '-R', '--preserve-root', '0', '/'])).toEqual({ status: 1, stdout: '', stderr: expected('chown') });
    expect(chroot.run(['/bin/chgrp', '-R', '--preserve-root', '0', '/'])).toEqual({ status: 1, stdout: '', stderr: expected('chgrp') });
    expect(fs.statSync(inRoot('bin')).mode).toBe(before);
  });
  it('names users and groups from the root\'s /etc/passwd and /etc/group', () => {
    fs.writeFileSync(inRoot('tmp/f'), 'x');
    expect(chroot.run(['/bin/chown', '-v', 'alice:', '/tmp/f'])).toEqual({ status: 0, stdout: "changed ownership of '/tmp/f' from admin:wheel to alice:staff\n", stderr: '' });
    expect(fs.statSync(inRoot('tmp/f'))).toMatchObject({ uid: 1234, gid: 2345 });
    expect(chroot.run(['/bin/chgrp', '-v', 'users', '/tmp/f']).stdout).toBe("changed group of '/tmp/f' from staff to users\n");
    expect(chroot.run(['/bin/chown', '-v', '--from=alice', 'bob', '/tmp/f']).stdout).toBe("changed ownership of '/tmp/f' from alice to bob\n");
    expect(chroot.run(['/bin/chown', 'carol', '/tmp/f'])).toMatchObject({ status: 1, stderr: "chown: invalid user: 'carol'\n" });
    expect(chroot.run(['/bin/id'])).toMatchObject({ status: 0, stdout: 'uid=0(admin) gid=0(wheel) groups=0(wheel)\n' });
    expect(chroot.run(['/bin/id', 'alice']).stdout).toBe('uid=1234(alice) gid=2345(staff) groups=2345(staff),0(wheel),100(users)\n');
    expect(chroot.run(['/bin/groups', 'alice', 'bob']).stdout).toBe('alice : staff wheel users\nbob : users\n');
    expect(chroot.run(['/bin/whoami']).stdout).toBe('admin\n');
    expect(chroot.run(['/bin/install', '-o', 'alice', '-g', 'users', '-m', '600', '/tmp/f', '/tmp/g'])).toMatchObject({ status: 0, stderr: '' });
    expect(fs.statSync(inRoot('tmp/g'))).toMatchObject({ uid: 1234, gid: 100 });
  });
  it('cp -a and mv keep owners the root does not name', () => {
    fs.mkdirSync(inRoot('tmp/tree/sub'), { recursive: true });
    fs.writeFileSync(inRoot('tmp/tree/sub/x'), 'x');
    fs.chownSync(inRoot('tmp/tree/sub/x'), 4242, 4343);
    expect(chroot.run(['/bin/cp', '-a', '/tmp/tree', '/tmp/copy'])).toMatchObject({ status: 0, stderr: '' });
    expect(fs.statSync(inRoot('tmp/copy/sub/x'))).toMatchObject({ uid: 4242, gid: 4343 });
  });
});
