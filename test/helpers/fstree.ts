// A fixture tree for the file tools' differential tests (ls, stat, find, du): every file type,
// odd names, old, recent and future dates, set-id and sticky modes, several owners, hard links.
// Device nodes and other owners need root; without it they are left out.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { tempDir } from './run.js';

export const isRoot = process.getuid?.() === 0;

const ODD_NAMES = [
  '-dash',
  'with space',
  'nl\nx',
  'tab\tx',
  'bad\xff',
  'caf\xc3\xa9',
  "don't",
  'a"b',
  '*star',
  'q?m',
  'x~',
  '.hidden',
  '.hidden~',
  'back\\slash',
  'a:b',
  '$dollar',
  'file.tar.gz',
  'file.TXT',
  'file.txt',
  'v1.10',
  'v1.2',
  'v1.2~',
  'README',
  'a.c',
  'b.C',
];

function b(p: string): Buffer {
  return Buffer.from(p, 'latin1');
}

async function makeSocket(dir: string, name: string): Promise<void> {
  // Node removes a socket it listened on when it closes; a hard link keeps the inode.
  const tmp = path.join(dir, `.sock-${process.pid}`);
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(tmp, () => {
      fs.linkSync(tmp, path.join(dir, name));
      server.close(() => resolve());
    });
  });
}

/** Build the tree; returns its directory (a subdirectory, so `..` is stable too). */
export async function makeFixture(): Promise<string> {
  const top = tempDir('toolbox-fix-');
  const f = path.join(top, 'fix');
  fs.mkdirSync(f);
  const at = (p: string) => path.join(f, p);
  for (const d of ['dir', 'emptydir', 'sticky', 'sgid-dir', 'other-w', 'stickyw', 'sub dir', 'deep/a/b']) fs.mkdirSync(at(d), { recursive: true });
  fs.writeFileSync(at('file'), 'hello\n');
  fs.writeFileSync(at('big'), 'x'.repeat(5000));
  fs.writeFileSync(at('exec'), '#!/bin/sh\n', { mode: 0o755 });
  fs.chmodSync(at('exec'), 0o755);
  fs.writeFileSync(at('sparse'), '');
  fs.truncateSync(at('sparse'), 3_000_000_000);
  for (const [name, mode] of [
    ['setuid', 0o4644],
    ['setgid', 0o2644],
    ['setuidx', 0o6755],
  ] as const) {
    fs.writeFileSync(at(name), '');
    fs.chmodSync(at(name), mode);
  }
  fs.chmodSync(at('stickyw'), 0o1777);
  fs.chmodSync(at('sticky'), 0o1755);
  fs.chmodSync(at('sgid-dir'), 0o2755);
  fs.chmodSync(at('other-w'), 0o777);
  fs.symlinkSync('file', at('link'));
  fs.symlinkSync('nowhere', at('dangling'));
  fs.symlinkSync('dir', at('linkdir'));
  fs.symlinkSync('/etc/passwd', at('abslink'));
  fs.symlinkSync('link', at('linklink'));
  fs.linkSync(at('file'), at('hardlink'));
  spawnSync('mkfifo', [at('fifo')]);
  if (isRoot) {
    spawnSync('mknod', [at('chardev'), 'c', '1', '3']);
    spawnSync('mknod', [at('blockdev'), 'b', '7', '0']);
    spawnSync('mknod', [at('bigdev'), 'c', '300', '70000']);
  }
  await makeSocket(f, 'sock');
  for (const name of ODD_NAMES) fs.writeFileSync(b(at(name)), '');
  fs.writeFileSync(at('deep/a/b/leaf'), '');
  fs.writeFileSync(at('deep/a/x'), '');
  fs.symlinkSync('..', at('deep/a/b/up'));
  const now = Date.now() / 1000;
  fs.writeFileSync(at('old'), '');
  fs.utimesSync(at('old'), 946730096.123, 946730096.123);
  fs.writeFileSync(at('future'), '');
  fs.utimesSync(at('future'), 4102444800, 4102444800);
  fs.writeFileSync(at('epoch'), '');
  fs.utimesSync(at('epoch'), 0, 0);
  fs.writeFileSync(at('preepoch'), '');
  fs.utimesSync(at('preepoch'), -14182980, -14182980);
  fs.writeFileSync(at('recent'), '');
  fs.utimesSync(at('recent'), now - 3 * 86400, now - 3 * 86400);
  // Read every symlink once: with relatime the first readlink moves its atime, and the tools
  // compared must not see it move between them.
  for (const l of ['link', 'dangling', 'linkdir', 'abslink', 'linklink', 'deep/a/b/up']) fs.readlinkSync(at(l));
  if (isRoot) {
    fs.chownSync(at('file'), 1, 1);
    fs.chownSync(at('exec'), 2, 3);
    fs.chownSync(at('old'), 65534, 65534);
    fs.chownSync(at('future'), 12345, 54321);
  }
  return f;
}
