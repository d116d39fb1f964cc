// Assembling the root filesystem of an image in a staging directory: the directory skeleton a real
// system expects, /etc, this executable with its applet links, and the loader and libraries it needs.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { statIfExists } from '../../core/fs.js';
import { appletNames, findApplet } from '../../registry.js';
import { VERSION } from '../../version.js';
import { runtimeFiles } from './elf.js';

/** Directories and their modes, parents first. */
const DIRECTORIES: [string, number][] = [
  ['bin', 0o755], ['sbin', 0o755], ['lib', 0o755], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755],
  ['usr/lib', 0o755], ['usr/local', 0o755], ['usr/local/bin', 0o755], ['usr/local/sbin', 0o755],
  ['usr/share', 0o755], ['etc', 0o755], ['etc/apk', 0o755], ['etc/apk/keys', 0o755], ['etc/init.d', 0o755],
  ['etc/conf.d', 0o755], ['etc/runlevels', 0o755], ['etc/runlevels/sysinit', 0o755],
  ['etc/runlevels/boot', 0o755], ['etc/runlevels/default', 0o755], ['etc/runlevels/shutdown', 0o755],
  ['etc/profile.d', 0o755], ['lib/apk', 0o755], ['lib/apk/db', 0o755], ['dev', 0o755], ['proc', 0o555],
  ['sys', 0o555], ['run', 0o755], ['tmp', 0o1777], ['root', 0o700], ['home', 0o755], ['mnt', 0o755],
  ['media', 0o755], ['opt', 0o755], ['srv', 0o755], ['var', 0o755], ['var/cache', 0o755],
  ['var/cache/apk', 0o755], ['var/cache/misc', 0o755], ['var/empty', 0o555], ['var/lib', 0o755],
  ['var/lib/misc', 0o755], ['var/local', 0o755], ['var/lock', 0o755], ['var/log', 0o755],
  ['var/mail', 0o755], ['var/opt', 0o755], ['var/spool', 0o755], ['var/tmp', 0o1777],
];

function etcFiles(): [string, string, number][] {
  return [
    ['etc/passwd', 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n', 0o644],
    [
      'etc/group',
      'root:x:0:root\ndaemon:x:2:root,daemon\ntty:x:5:\nwheel:x:10:root\nshadow:x:42:\nusers:x:100:\nnogroup:x:65533:\nnobody:x:65534:\n',
      0o644,
    ],
    // root's password locked: no password login until one is set
    ['etc/shadow', 'root:*::0:::::\ndaemon:!::0:::::\nnobody:!::0:::::\n', 0o640],
    ['etc/hosts', '127.0.0.1\tlocalhost localhost.localdomain\n::1\t\tlocalhost localhost.localdomain\n', 0o644],
    ['etc/shells', '/bin/sh\n/bin/ash\n', 0o644],
    [
      'etc/os-release',
      `NAME="toolbox"\nID=toolbox\nVERSION_ID=${VERSION}\nPRETTY_NAME="toolbox v${VERSION}"\n`,
      0o644,
    ],
    [
      'etc/profile',
      'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' +
        'export PAGER=less\n' +
        'umask 022\n' +
        'for script in /etc/profile.d/*.sh; do\n\tif [ -r "$script" ]; then\n\t\t. "$script"\n\tfi\ndone\nunset script\n',
      0o644,
    ],
    ['etc/rc.conf', '# Global OpenRC settings (see rc.conf(5)).\n', 0o644],
    ['etc/fstab', '', 0o644],
  ];
}

export interface RootfsOptions {
  /** The toolbox executable to install as /bin/toolbox. */
  executable: string;
  repositories: string[];
  /** Public key files for /etc/apk/keys. */
  keys: string[];
  arch: string;
  world: string[];
  /** The build host's CA bundle, copied to /etc/ssl/certs/ca-certificates.crt. */
  caBundle?: string;
}

/** Lay out the rootfs in `stage` (an empty directory). */
export function assembleRootfs(stage: string, opts: RootfsOptions): void {
  const at = (rel: string) => `${stage}/${rel}`;
  for (const [dir, mode] of DIRECTORIES) {
    fs.mkdirSync(fsPath(at(dir)), { recursive: true });
    fs.chmodSync(fsPath(at(dir)), mode);
  }
  for (const [file, text, mode] of etcFiles()) writeFile(at(file), text, mode);
  writeFile(at('etc/apk/repositories'), opts.repositories.map((r) => `${r}\n`).join(''), 0o644);
  writeFile(at('etc/apk/world'), opts.world.map((w) => `${w}\n`).join(''), 0o644);
  writeFile(at('etc/apk/arch'), `${opts.arch}\n`, 0o644);
  for (const key of opts.keys) copyFile(key, at(`etc/apk/keys/${key.slice(key.lastIndexOf('/') + 1)}`), 0o644);
  if (opts.caBundle) {
    fs.mkdirSync(fsPath(at('etc/ssl/certs')), { recursive: true });
    copyFile(opts.caBundle, at('etc/ssl/certs/ca-certificates.crt'), 0o644);
  }

  copyFile(opts.executable, at('bin/toolbox'), 0o755);
  for (const name of appletNames()) {
    const link = at(`${findApplet(name)!.dir}/${name}`);
    if (!statIfExists(link, false)) fs.symlinkSync('/bin/toolbox', fsPath(link));
  }

  const runtime = runtimeFiles(opts.executable);
  for (const file of [...(runtime.interpreter ? [runtime.interpreter] : []), ...runtime.libraries]) {
    copyWithLinks(file, stage);
  }
}

function writeFile(p: string, text: string, mode: number): void {
  fs.writeFileSync(fsPath(p), text, { encoding: 'latin1', mode });
  fs.chmodSync(fsPath(p), mode);
}

function copyFile(from: string, to: string, mode: number): void {
  fs.copyFileSync(fsPath(from), fsPath(to));
  fs.chmodSync(fsPath(to), mode);
}

/** Copy a host file to the same path in the image. A symbolic link is copied as a link, and what it
 *  points to is copied too, so `libstdc++.so.6 -> libstdc++.so.6.0.30` arrives whole. */
function copyWithLinks(file: string, stage: string, depth = 0): void {
  if (depth > 16) return;
  const dest = `${stage}${file}`;
  if (statIfExists(dest, false)) return;
  fs.mkdirSync(fsPath(dest.slice(0, dest.lastIndexOf('/'))), { recursive: true });
  const st = fs.lstatSync(fsPath(file));
  if (st.isSymbolicLink()) {
    const target = fs.readlinkSync(fsPath(file), 'latin1');
    fs.symlinkSync(fsPath(target), fsPath(dest));
    const resolved = target.startsWith('/') ? target : `${file.slice(0, file.lastIndexOf('/'))}/${target}`;
    copyWithLinks(normalize(resolved), stage, depth + 1);
  } else {
    copyFile(file, dest, st.mode & 0o7777);
  }
}

function normalize(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Every timestamp in a tree set to the epoch (symbolic links themselves, not their targets). */
export function setTreeTimes(dir: string, epoch: number): void {
  for (const entry of fs.readdirSync(fsPath(dir), { encoding: 'latin1', withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory()) setTreeTimes(p, epoch);
    fs.lutimesSync(fsPath(p), epoch, epoch);
  }
  fs.lutimesSync(fsPath(dir), epoch, epoch);
}
