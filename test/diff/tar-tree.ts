// Trees for tar's differential tests: one with every kind of file and name tar has to carry,
// and a description of a tree on disk that two extractions can be compared by.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const b = (s: string) => Buffer.from(s, 'latin1');

/** Make the test tree under dir/src; returns dir/src. Names are binary strings. */
export function makeTree(dir: string, opts: { big?: number } = {}): string {
  const src = path.join(dir, 'src');
  fs.mkdirSync(src);
  const at = (rel: string) => b(`${src}/${rel}`);
  const file = (rel: string, data: string | Buffer, mode = 0o644) => {
    fs.writeFileSync(at(rel), data);
    fs.chmodSync(at(rel), mode);
  };
  fs.mkdirSync(at('empty-dir'));
  fs.mkdirSync(at('dir/sub/deeper'), { recursive: true });
  file('dir/plain.txt', 'hello\n');
  file('dir/sub/deeper/file', 'deep\n');
  file('empty-file', '');
  file('setuid', '#!/bin/sh\n', 0o4755);
  file('setgid-sticky', 'x', 0o3755);
  file('no-perms', 'secret', 0o000);
  fs.mkdirSync(at('private-dir'), 0o700);
  file('private-dir/inside', 'p');
  fs.chmodSync(at('private-dir'), 0o700);
  // long names: over 100 (GNU long name / ustar prefix), over 256 (pax or GNU only)
  const long1 = `${'long-directory-name-'.repeat(4)}/${'f'.repeat(95)}`;
  fs.mkdirSync(at(long1.slice(0, long1.indexOf('/'))), { recursive: true });
  file(long1, 'long name\n');
  const long2 = `${'d'.repeat(120)}/${'e'.repeat(120)}`;
  fs.mkdirSync(at(long2), { recursive: true });
  file(`${long2}/${'g'.repeat(90)}`, 'very long\n');
  // unicode (UTF-8) names, and a name that is not UTF-8 at all
  file('caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt', 'utf8 name\n');
  file('latin1-\xe9t\xe9', 'not utf8\n');
  file('spaces and\ttab', 'odd name\n');
  // links
  fs.symlinkSync('dir/plain.txt', at('rel-link'));
  fs.symlinkSync('/nonexistent/absolute', at('abs-dangling'));
  fs.symlinkSync(b(`${'t'.repeat(150)}`), at('long-target-link'));
  fs.linkSync(at('dir/plain.txt'), at('hard-link'));
  fs.linkSync(at('dir/plain.txt'), at('dir/sub/hard-link-2'));
  // a FIFO
  mkfifo(at('fifo'));
  if (opts.big) {
    const fd = fs.openSync(at('big.bin'), 'w');
    const chunk = Buffer.alloc(1 << 20);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + (i >> 9)) & 0xff;
    for (let left = opts.big; left > 0; left -= chunk.length) fs.writeSync(fd, chunk, 0, Math.min(left, chunk.length));
    fs.closeSync(fd);
  }
  // fixed times, so trees compare by mtime too (directories last: adding entries changes them)
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(at(rel), { encoding: 'latin1' })) {
      const child = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(at(child));
      if (st.isDirectory()) walk(child);
      if (!st.isSymbolicLink()) fs.utimesSync(at(child), 1600000000, 1600000000 + child.length);
    }
  };
  walk('');
  return src;
}

function mkfifo(p: Buffer) {
  spawnSync('mkfifo', [p.toString('utf8')]);
}

export interface TreeNode {
  type: string;
  mode?: number;
  size?: number;
  sha256?: string;
  target?: string;
  mtime?: number;
  uid?: number;
  gid?: number;
  /** The first name (in walk order) of the file this one is a hard link of. */
  linkOf?: string;
}

/** Everything tar should carry: type, permissions, owner, size, content, link target, mtime, and
 *  which names are hard links of one file. Directory mtimes are included unless told not to. */
export function snapshot(root: string, opts: { dirTimes?: boolean } = {}): Record<string, TreeNode> {
  const out: Record<string, TreeNode> = {};
  const inodes = new Map<string, string>();
  const walk = (rel: string) => {
    const names = fs.readdirSync(b(rel ? `${root}/${rel}` : root), { encoding: 'latin1' }).sort();
    for (const name of names) {
      const child = rel ? `${rel}/${name}` : name;
      const p = b(`${root}/${child}`);
      const st = fs.lstatSync(p);
      const node: TreeNode = { type: '', uid: st.uid, gid: st.gid };
      if (st.isSymbolicLink()) Object.assign(node, { type: 'symlink', target: fs.readlinkSync(p, { encoding: 'latin1' }) });
      else {
        node.mode = st.mode & 0o7777;
        if (st.isDirectory()) {
          node.type = 'dir';
          if (opts.dirTimes !== false) node.mtime = Math.floor(st.mtimeMs / 1000);
        } else {
          node.mtime = Math.floor(st.mtimeMs / 1000);
          if (st.isFile()) {
            Object.assign(node, { type: 'file', size: st.size, sha256: hash(p) });
            if (st.nlink > 1) {
              const key = `${st.dev}:${st.ino}`;
              const first = inodes.get(key);
              if (first) node.linkOf = first;
              else inodes.set(key, child);
            }
          } else node.type = st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'chardev' : 'other';
        }
      }
      out[child] = node;
      if (st.isDirectory()) walk(child);
    }
  };
  walk('');
  return out;
}

function hash(p: Buffer): string {
  const h = createHash('sha256');
  const fd = fs.openSync(p, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}
