// Test fixtures made the way abuild makes them (spec §11): signed APK v2 packages and indexes, a
// loopback HTTP server for repositories, and roots that can run package scripts.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { gzipMember } from '../../../src/applets/apk/formats/gzip.js';
import type { EntryType } from '../../../src/core/archive/header.js';
import { encodeHeader } from '../../../src/core/archive/writer.js';
import { run, tempDir } from '../../helpers/run.js';

export interface SigningKey {
  name: string;
  privateKey: crypto.KeyObject;
  publicPem: string;
}

let cachedKey: SigningKey | undefined;

/** An RSA-2048 key pair (generated once per test file). */
export function signingKey(name = 'test@example.org-00000001.rsa.pub'): SigningKey {
  if (cachedKey && cachedKey.name === name) return cachedKey;
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  cachedKey = { name, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  return cachedKey;
}

export function writeKeysDir(key: SigningKey, dir = tempDir('apk-keys-')): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, key.name), key.publicPem);
  return dir;
}

export type FileSpec =
  | string
  | { data: string | Buffer; mode?: number; xattrs?: Record<string, string> }
  | { symlink: string }
  | { hardlink: string };

export interface PackageSpec {
  name: string;
  version: string;
  arch?: string;
  description?: string;
  url?: string;
  license?: string;
  origin?: string;
  depends?: string[];
  provides?: string[];
  installIf?: string[];
  replaces?: string[];
  providerPriority?: number;
  replacesPriority?: number;
  triggers?: string[];
  /** Paths (no leading slash) → content; directories are created from the paths. */
  files?: Record<string, FileSpec>;
  scripts?: Partial<Record<'pre-install' | 'post-install' | 'pre-deinstall' | 'post-deinstall' | 'pre-upgrade' | 'post-upgrade' | 'trigger', string>>;
  signing?: 'RSA' | 'RSA256' | 'none';
  noDatahash?: boolean;
  builddate?: number;
  /** Directory entries left out of the data tar (a package apk refuses files of). */
  omitDirs?: string[];
  /** gzip level of the data member (1 for big test packages). */
  level?: number;
}

const MTIME = 1700000000;

const TYPES: Record<string, EntryType> = { '0': 'file', '1': 'link', '2': 'symlink', '5': 'directory' };

interface TarFileInit {
  name: string;
  /** '0' (default), '1', '2' or '5'. */
  type?: string;
  mode?: number;
  mtime?: number;
  linkname?: string;
  /** pax records: the entry gets an extended header (abuild's APK-TOOLS.checksum.SHA1, xattrs). */
  pax?: Record<string, string>;
}

/** One entry as abuild's tar writes it: ustar, or pax when records are given, root-owned. */
function tarFile(h: TarFileInit, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const type = TYPES[h.type ?? '0'] ?? 'file';
  const header = encodeHeader(
    {
      name: h.name,
      type,
      mode: h.mode ?? 0o644,
      mtime: h.mtime ?? 0,
      uid: 0,
      gid: 0,
      uname: 'root',
      gname: 'root',
      size: type === 'file' ? data.length : 0,
      linkname: h.linkname,
      pax: h.pax ? Object.entries(h.pax) : undefined,
    },
    h.pax ? 'pax' : 'ustar',
  );
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([header, data, Buffer.alloc(pad)]);
}

function dataTar(spec: PackageSpec): { tar: Buffer; size: number } {
  const files = spec.files ?? {};
  const entries = new Map<string, FileSpec | 'dir'>();
  for (const p of Object.keys(files)) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) entries.set(parts.slice(0, i).join('/'), 'dir');
    entries.set(p, files[p]!);
  }
  const names = [...entries.keys()].sort();
  const parts: Buffer[] = [];
  let size = 0;
  for (const name of names) {
    const f = entries.get(name)!;
    if (f === 'dir') {
      if (!spec.omitDirs?.includes(name)) parts.push(tarFile({ name: `${name}/`, type: '5', mode: 0o755, mtime: MTIME }));
      continue;
    }
    if (typeof f === 'object' && 'symlink' in f) {
      const sum = crypto.createHash('sha1').update(f.symlink).digest('hex');
      parts.push(tarFile({ name, type: '2', mode: 0o777, mtime: MTIME, linkname: f.symlink, pax: { 'APK-TOOLS.checksum.SHA1': sum } }));
      continue;
    }
    if (typeof f === 'object' && 'hardlink' in f) {
      parts.push(tarFile({ name, type: '1', mode: 0o644, mtime: MTIME, linkname: f.hardlink }));
      continue;
    }
    const data = Buffer.from(typeof f === 'string' ? f : f.data);
    const mode = typeof f === 'string' ? 0o644 : (f.mode ?? 0o644);
    size += data.length;
    const sum = crypto.createHash('sha1').update(data).digest('hex');
    const xattrs = typeof f === 'object' && 'xattrs' in f ? f.xattrs : undefined;
    const pax: Record<string, string> = { 'APK-TOOLS.checksum.SHA1': sum };
    for (const [k, v] of Object.entries(xattrs ?? {})) pax[`SCHILY.xattr.${k}`] = v;
    parts.push(tarFile({ name, mode, mtime: MTIME, pax }, data));
  }
  parts.push(Buffer.alloc(1024));
  return { tar: Buffer.concat(parts), size };
}

/** A package file as abuild writes it: signature member, control member, data member. */
export function buildPackage(spec: PackageSpec, key: SigningKey = signingKey()): Buffer {
  const { tar, size } = dataTar(spec);
  const data = gzipMember(tar, spec.level);
  const lines = [
    '# Generated by the toolbox test fixture builder',
    `pkgname = ${spec.name}`,
    `pkgver = ${spec.version}`,
    `pkgdesc = ${spec.description ?? `${spec.name} test package`}`,
    `url = ${spec.url ?? 'https://example.org/'}`,
    `builddate = ${spec.builddate ?? MTIME}`,
    'packager = Test <test@example.org>',
    `size = ${size}`,
    `arch = ${spec.arch ?? 'x86_64'}`,
    `origin = ${spec.origin ?? spec.name}`,
    `license = ${spec.license ?? 'MIT'}`,
  ];
  for (const d of spec.replaces ?? []) lines.push(`replaces = ${d}`);
  if (spec.replacesPriority) lines.push(`replaces_priority = ${spec.replacesPriority}`);
  if (spec.providerPriority) lines.push(`provider_priority = ${spec.providerPriority}`);
  for (const d of spec.depends ?? []) lines.push(`depend = ${d}`);
  for (const d of spec.provides ?? []) lines.push(`provides = ${d}`);
  if (spec.installIf?.length) lines.push(`install_if = ${spec.installIf.join(' ')}`);
  if (spec.triggers?.length) lines.push(`triggers = ${spec.triggers.join(' ')}`);
  if (!spec.noDatahash) lines.push(`datahash = ${crypto.createHash('sha256').update(data).digest('hex')}`);
  const control: Buffer[] = [tarFile({ name: '.PKGINFO', mode: 0o644, mtime: MTIME }, Buffer.from(`${lines.join('\n')}\n`))];
  for (const [action, body] of Object.entries(spec.scripts ?? {}))
    control.push(tarFile({ name: `.${action}`, mode: 0o755, mtime: MTIME }, Buffer.from(body)));
  const controlGz = gzipMember(Buffer.concat(control));
  const signing = spec.signing ?? 'RSA';
  if (signing === 'none') return Buffer.concat([controlGz, data]);
  const signed = spec.noDatahash ? Buffer.concat([controlGz, data]) : controlGz;
  return Buffer.concat([signatureMember(signed, key, signing), controlGz, data]);
}

function signatureMember(signed: Buffer, key: SigningKey, alg: 'RSA' | 'RSA256'): Buffer {
  const sig = crypto.sign(alg === 'RSA' ? 'sha1' : 'sha256', signed, key.privateKey);
  return gzipMember(tarFile({ name: `.SIGN.${alg}.${key.name}`, mode: 0o644, mtime: MTIME }, sig));
}

/** abuild-sign: prepend a signature member over the (single) index member. */
export function signIndex(unsigned: Buffer, key: SigningKey = signingKey()): Buffer {
  return Buffer.concat([signatureMember(unsigned, key, 'RSA'), unsigned]);
}

/** A repository folder: <dir>/<arch>/*.apk and a signed APKINDEX.tar.gz made by our `apk index`. */
export async function buildRepo(
  dir: string,
  specs: PackageSpec[],
  opts: { key?: SigningKey; arch?: string; description?: string; sign?: boolean } = {},
): Promise<string> {
  const arch = opts.arch ?? 'x86_64';
  const key = opts.key ?? signingKey();
  const archDir = path.join(dir, arch);
  fs.mkdirSync(archDir, { recursive: true });
  const files: string[] = [];
  for (const spec of specs) {
    const file = path.join(archDir, `${spec.name}-${spec.version}.apk`);
    fs.writeFileSync(file, buildPackage(spec, key));
    files.push(file);
  }
  const out = path.join(archDir, 'APKINDEX.unsigned.tar.gz');
  const r = await run(['apk', 'index', '--no-warnings', '-d', opts.description ?? 'test-repo', '-o', out, ...files]);
  if (r.status !== 0) throw new Error(`apk index failed: ${r.stderr}`);
  const unsigned = fs.readFileSync(out);
  fs.rmSync(out);
  fs.writeFileSync(path.join(archDir, 'APKINDEX.tar.gz'), opts.sign === false ? unsigned : signIndex(unsigned, key));
  return dir;
}

/** Serve a directory over HTTP on 127.0.0.1; close() when done. */
export async function serveDir(dir: string): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(rel);
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': fs.statSync(file).size });
    fs.createReadStream(file).pipe(res); // streamed: test packages may be big
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Copy a host program and the shared libraries it needs into root (for chrooted scripts). */
export function copyProgram(root: string, program: string, dest: string): void {
  const target = path.join(root, dest);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fs.realpathSync(program), target);
  fs.chmodSync(target, 0o755);
  const ldd = execFileSync('ldd', [program], { encoding: 'utf8' });
  for (const m of ldd.matchAll(/(\/\S+)\s+\(0x/g)) {
    const lib = m[1]!;
    const to = path.join(root, lib);
    if (fs.existsSync(to)) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(fs.realpathSync(lib), to);
  }
}

/** A root with a working /bin/sh (the host's busybox until our sh applet lands). */
export function shellRoot(root: string): boolean {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
  if (!busybox) return false;
  copyProgram(root, busybox, 'bin/busybox');
  for (const applet of ['sh', 'echo', 'cat', 'mkdir', 'touch', 'ls']) {
    const link = path.join(root, 'bin', applet);
    if (!fs.existsSync(link)) fs.symlinkSync('busybox', link);
  }
  return true;
}
