// Signed APK v2 archives (spec §1, §2): packages and indexes. An index is small enough to verify in
// memory. A package is read as apk-tools reads it: its head (signature and control members) from
// the start of the file, then its data member streamed, never whole: hashed for the datahash (or
// the old-style signature and identity), and at install time inflated straight into the tar parser
// and on into files. Nothing is trusted before the signature over the control member is checked,
// and a package's files reach their real names only after its data hash matched.
import type { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import { ApkError, EBADMSG, EIO, EKEYREJECTED, ENOKEY, ENOMSG } from '../errors.js';
import { crcOk, type GzipMember, inflateMemberSync, splitMembers } from './gzip.js';
import { type BodySink, readTar, type TarEntry, type TarHeader, TarParser } from './tar.js';

type Crypto = typeof import('node:crypto');
export const crypto = (): Crypto => process.getBuiltinModule('node:crypto') as Crypto;
type Zlib = typeof import('node:zlib');
const zlib = (): Zlib => process.getBuiltinModule('node:zlib') as Zlib;

/** Load what reading archives needs (milliseconds of module loading), while a download is awaited. */
export function preloadFormats(): void {
  zlib();
  crypto();
}

const DIGEST: Record<string, string> = { RSA: 'sha1', RSA256: 'sha256', RSA512: 'sha512', DSA: 'sha1' };

/** Trusted public keys: a directory of PEM files, loaded on first use by file name. */
export class KeyStore {
  private readonly cache = new Map<string, KeyObject | null>();
  constructor(readonly dirs: readonly string[]) {}
  get(name: string): KeyObject | undefined {
    if (name.includes('/')) return undefined;
    let key = this.cache.get(name);
    if (key === undefined) {
      key = null;
      for (const dir of this.dirs) {
        try {
          key = crypto().createPublicKey(fs.readFileSync(fsPath(`${dir}/${name}`)));
          break;
        } catch {
          // missing or not a key: try the next directory
        }
      }
      this.cache.set(name, key);
    }
    return key ?? undefined;
  }
}

interface Signature {
  alg: string;
  keyName: string;
  sig: Buffer;
}

function signaturesOf(member: GzipMember): Signature[] | undefined {
  const sigs: Signature[] = [];
  try {
    for (const e of readTar(member.data)) {
      const m = /^\.SIGN\.([A-Z0-9]+)\.(.+)$/.exec(e.name);
      if (!m) return undefined;
      sigs.push({ alg: m[1]!, keyName: m[2]!, sig: e.data });
    }
  } catch {
    return undefined;
  }
  return sigs.length ? sigs : undefined;
}

/** The first signature whose key is trusted, with a verifier to feed the signed bytes to. */
function trustedSignature(sigs: Signature[] | undefined, keys: KeyStore): { sig: Signature; key: KeyObject; digest: string } | undefined {
  for (const sig of sigs ?? []) {
    const digest = DIGEST[sig.alg];
    const key = digest && keys.get(sig.keyName);
    if (key) return { sig, key, digest };
  }
  return undefined;
}

export interface VerifyOptions {
  keys: KeyStore;
  allowUntrusted: boolean;
}

export interface IndexArchive {
  /** The APKINDEX text (latin1). */
  index: string;
  description: string;
  /** Whether a trusted key verified it (false only with allowUntrusted). */
  trusted: boolean;
}

/** Open an APKINDEX.tar.gz held in memory. */
export async function readIndexArchive(bytes: Buffer, opts: VerifyOptions): Promise<IndexArchive> {
  const first = splitMembers(bytes, 1)[0];
  if (!first) throw new ApkError(ENOMSG);
  const sigs = signaturesOf(first);
  let signer: ReturnType<typeof trustedSignature>;
  let body = first;
  if (sigs) {
    body = inflateMemberSync(bytes, first.raw.length);
    signer = trustedSignature(sigs, opts.keys);
    if (!signer && !crcOk(body)) throw new ApkError(EIO);
  }
  if (signer && !crypto().verify(signer.digest, body.raw, signer.key, signer.sig.sig)) throw new ApkError(EKEYREJECTED);
  if (!signer && !opts.allowUntrusted) throw new ApkError(ENOKEY);
  let data = body.data;
  // the index tar may span further members when unsigned tools concatenated them
  const bodyStart = sigs ? first.raw.length : 0;
  if (bodyStart + body.raw.length < bytes.length) {
    data = Buffer.concat([body.data, ...splitMembers(bytes.subarray(bodyStart + body.raw.length)).map((m) => m.data)]);
  }
  let index: string | undefined;
  let description = '';
  for (const e of readTar(data)) {
    if (e.name === 'APKINDEX') index = e.data.toString('latin1');
    else if (e.name === 'DESCRIPTION') description = e.data.toString('latin1');
  }
  if (index === undefined) throw new ApkError(ENOMSG);
  return { index, description, trusted: !!signer };
}

export const SCRIPT_ACTIONS = [
  'pre-install',
  'post-install',
  'pre-deinstall',
  'post-deinstall',
  'pre-upgrade',
  'post-upgrade',
  'trigger',
] as const;

export function parsePkgInfo(text: string): Map<string, string[]> {
  const info = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line[0] === '#') continue;
    const eq = line.indexOf(' = ');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const list = info.get(key);
    if (list) list.push(line.slice(eq + 3));
    else info.set(key, [line.slice(eq + 3)]);
  }
  return info;
}

export function q1(digest: Buffer): string {
  return `Q1${digest.toString('base64')}`;
}

// ---- packages ----

/** Where a package's bytes are: in memory (small downloads) or in a file (read in pieces). */
export type PackageSource = { buffer: Buffer; path?: undefined } | { path: string; buffer?: undefined };

/** Bytes read at a time from a package file. */
const READ_CHUNK = 256 * 1024;
/** Largest head (signature and control members) read: the control member holds .PKGINFO and scripts. */
const MAX_HEAD = 64 * 1024 * 1024;

/** Size of a source. */
function sourceSize(src: PackageSource): number {
  return src.buffer ? src.buffer.length : fs.statSync(fsPath(src.path)).size;
}

/** The bytes of `src` from `offset` to its end, in pieces (a file is read, not loaded). With
 *  `reuse`, every piece is read into the same buffer: the caller is done with one before it asks
 *  for the next (no garbage for the collector to catch up with). */
function* sourceChunks(src: PackageSource, offset: number, reuse = false): Generator<Buffer> {
  if (src.buffer) {
    if (offset < src.buffer.length) yield src.buffer.subarray(offset);
    return;
  }
  const fd = fs.openSync(fsPath(src.path), 'r');
  try {
    let pos = offset;
    const shared = reuse ? Buffer.allocUnsafe(READ_CHUNK) : undefined;
    for (;;) {
      const chunk = shared ?? Buffer.allocUnsafe(READ_CHUNK);
      const n = fs.readSync(fd, chunk, 0, READ_CHUNK, pos);
      if (n <= 0) return;
      pos += n;
      yield n === READ_CHUNK ? chunk : chunk.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The first `n` bytes of a source (fewer at its end). */
function sourceStart(src: PackageSource, n: number): Buffer {
  if (src.buffer) return src.buffer.subarray(0, n);
  const fd = fs.openSync(fsPath(src.path), 'r');
  try {
    const buf = Buffer.allocUnsafe(n);
    return buf.subarray(0, fs.readSync(fd, buf, 0, n, 0));
  } finally {
    fs.closeSync(fd);
  }
}

export interface PackageArchive {
  /** .PKGINFO key/values; repeatable keys collected in order. */
  info: Map<string, string[]>;
  /** Scripts of the control member by action (`post-install` …). */
  scripts: Map<string, Buffer>;
  /** Q1… identity. */
  identity: string;
  trusted: boolean;
  hasDatahash: boolean;
  /** Size of the whole file. */
  fileSize: number;
  /** Stream the data member through the tar parser: `onEntry` says where each body goes. The
   *  bytes are hashed again on the way (a file may change after it was verified): a mismatch
   *  throws after the last entry, so the caller commits nothing it extracted. */
  extract(onEntry: (h: TarHeader) => BodySink | undefined): Promise<void>;
}

interface Head {
  sigs: Signature[] | undefined;
  control: GzipMember;
  /** Where the data member starts. */
  dataOffset: number;
  info: Map<string, string[]>;
  scripts: Map<string, Buffer>;
  datahash: string | undefined;
}

/** Signature and control members from the start of the source (read in growing pieces). */
function readHead(src: PackageSource): Head {
  let want = 64 * 1024;
  for (;;) {
    const start = sourceStart(src, want);
    const complete = start.length < want;
    const members = splitMembers(start, 2, !complete);
    let sigs: Signature[] | undefined;
    if (members.length >= 1) sigs = signaturesOf(members[0]!);
    const controlIndex = sigs ? 1 : 0;
    const control = members[controlIndex];
    if (control) {
      let pkginfo: string | undefined;
      const scripts = new Map<string, Buffer>();
      let entries: TarEntry[];
      try {
        entries = readTar(control.data);
      } catch {
        throw new ApkError(EBADMSG);
      }
      for (const e of entries) {
        if (e.name === '.PKGINFO') pkginfo = e.data.toString('latin1');
        else if (e.name.startsWith('.') && (SCRIPT_ACTIONS as readonly string[]).includes(e.name.slice(1)))
          scripts.set(e.name.slice(1), e.data);
      }
      if (pkginfo === undefined) throw new ApkError(ENOMSG);
      const info = parsePkgInfo(pkginfo);
      const dataOffset = members.slice(0, controlIndex + 1).reduce((n, m) => n + m.raw.length, 0);
      return { sigs, control, dataOffset, info, scripts, datahash: info.get('datahash')?.[0]?.toLowerCase() };
    }
    if (complete) throw new ApkError(ENOMSG);
    if (want >= MAX_HEAD) throw new ApkError(EIO);
    want *= 4;
  }
}

/** Hashes of the data part: the datahash (SHA-256), or for old-style packages the identity and
 *  signature, which cover control and data together. */
class DataDigest {
  private readonly sha256?: import('node:crypto').Hash;
  private readonly sha1?: import('node:crypto').Hash;
  private readonly verifier?: import('node:crypto').Verify;
  constructor(
    head: Head,
    signer: ReturnType<typeof trustedSignature>,
  ) {
    const c = crypto();
    if (head.datahash) this.sha256 = c.createHash('sha256');
    else {
      this.sha1 = c.createHash('sha1').update(head.control.raw);
      if (signer) this.verifier = c.createVerify(signer.digest).update(head.control.raw);
    }
  }
  update(chunk: Uint8Array): void {
    this.sha256?.update(chunk);
    this.sha1?.update(chunk);
    this.verifier?.update(chunk);
  }
  /** Check the data against the head; returns the identity of an old-style package. */
  check(head: Head, signer: ReturnType<typeof trustedSignature>): string | undefined {
    if (this.sha256 && this.sha256.digest('hex') !== head.datahash) throw new ApkError(EKEYREJECTED);
    if (this.verifier && !this.verifier.verify(signer!.key, signer!.sig.sig)) throw new ApkError(EKEYREJECTED);
    return this.sha1 ? q1(this.sha1.digest()) : undefined;
  }
}

/** Whether a (small) data member fails to inflate or to read as tar. */
function dataIsMalformed(src: PackageSource, head: Head): boolean {
  if (sourceSize(src) - head.dataOffset > MAX_INFLATE_AT_ONCE / 4) return false;
  try {
    const data = zlib().gunzipSync(Buffer.concat([...sourceChunks(src, head.dataOffset)]), { maxOutputLength: MAX_INFLATE_AT_ONCE });
    const parser = new TarParser(() => undefined);
    parser.push(data);
    parser.finish();
    return false;
  } catch (err) {
    return !(err instanceof RangeError);
  }
}

/** Largest data member inflated in one call; a bigger one (or a bigger source) is streamed. */
const MAX_INFLATE_AT_ONCE = 16 * 1024 * 1024;

/**
 * Open and verify a package: signature, identity and data hash, reading its data member as a
 * stream (bounded memory whatever its size). Throws ApkError: ENOKEY untrusted, EKEYREJECTED bad
 * signature or datahash, EIO when a member does not inflate, EBADMSG for a bad tar.
 */
export function openPackage(src: PackageSource, opts: VerifyOptions): PackageArchive {
  const head = readHead(src);
  const signer = trustedSignature(head.sigs, opts.keys);
  if (head.datahash && signer) {
    if (!crypto().verify(signer.digest, head.control.raw, signer.key, signer.sig.sig)) throw new ApkError(EKEYREJECTED);
  }
  if (!signer && !opts.allowUntrusted) throw new ApkError(ENOKEY);
  const digest = new DataDigest(head, signer);
  for (const chunk of sourceChunks(src, head.dataOffset, true)) digest.update(chunk);
  let identity: string;
  try {
    identity = digest.check(head, signer) ?? q1(crypto().createHash('sha1').update(head.control.raw).digest());
  } catch (err) {
    // apk inflates while it hashes, so damage inside the data shows as a bad archive first
    if (head.datahash && dataIsMalformed(src, head)) throw new ApkError(EBADMSG);
    throw err;
  }
  return {
    info: head.info,
    scripts: head.scripts,
    identity,
    trusted: !!signer,
    hasDatahash: head.datahash !== undefined,
    fileSize: sourceSize(src),
    // a buffer was verified above and cannot change; a file is hashed again as it is read
    extract: (onEntry) => extractData(src, head, src.path ? new DataDigest(head, signer) : undefined, signer, onEntry),
  };
}

async function extractData(
  src: PackageSource,
  head: Head,
  digest: DataDigest | undefined,
  signer: ReturnType<typeof trustedSignature>,
  onEntry: (h: TarHeader) => BodySink | undefined,
): Promise<void> {
  const parser = new TarParser(onEntry);
  const z = zlib();
  const size = src.buffer ? src.buffer.length : sourceSize(src);
  let inflated: Buffer | undefined;
  if (size - head.dataOffset <= MAX_INFLATE_AT_ONCE / 4) {
    // small: read and inflate in one go (a bomb falls back to streaming)
    const raw = src.buffer ? src.buffer.subarray(head.dataOffset) : Buffer.concat([...sourceChunks(src, head.dataOffset)]);
    digest?.update(raw);
    try {
      inflated = z.gunzipSync(raw, { maxOutputLength: MAX_INFLATE_AT_ONCE });
    } catch (err) {
      if (!(err instanceof RangeError)) throw new ApkError(EIO);
    }
    if (inflated) {
      parser.push(inflated);
      parser.finish();
      digest?.check(head, signer);
      return;
    }
    digest = src.path ? new DataDigest(head, signer) : undefined;
  }
  // each piece is written once the inflater has taken the last one in (its write callback), so
  // one read buffer serves the whole file; what comes out goes through the tar parser at once
  const gunzip = z.createGunzip({ chunkSize: READ_CHUNK });
  let failure: unknown;
  const ended = new Promise<void>((resolve, reject) => {
    gunzip.on('end', resolve);
    gunzip.on('close', resolve); // destroyed after the parser refused an entry
    gunzip.on('error', reject);
  });
  ended.catch(() => undefined);
  gunzip.on('data', (chunk: Buffer) => {
    if (failure) return;
    try {
      parser.push(chunk);
    } catch (err) {
      failure = err;
      gunzip.destroy();
    }
  });
  const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => gunzip.write(chunk, (err) => (err ? reject(err) : resolve())));
  try {
    for (const chunk of sourceChunks(src, head.dataOffset, true)) {
      digest?.update(chunk);
      await Promise.race([write(chunk), ended]);
      if (failure) break;
    }
    if (!failure) {
      gunzip.end();
      await ended;
    }
  } catch (err) {
    if (!failure) failure = err instanceof ApkError ? err : new ApkError(EIO);
  }
  if (failure) {
    gunzip.destroy();
    throw failure;
  }
  parser.finish();
  digest?.check(head, signer);
}

/** A verified package held in memory, its entries read whole (tests, small tools). */
export function readPackage(buf: Buffer, opts: VerifyOptions): PackageArchive & { dataEntries(): AsyncGenerator<TarEntry> } {
  const p = openPackage({ buffer: buf }, opts);
  return {
    ...p,
    async *dataEntries() {
      const entries: TarEntry[] = [];
      await p.extract((h) => {
        const e = h as TarEntry;
        e.data = Buffer.alloc(0);
        entries.push(e);
        const chunks: Buffer[] = [];
        return h.size ? { data: (c) => void chunks.push(Buffer.from(c)), end: () => (e.data = Buffer.concat(chunks)) } : undefined;
      });
      yield* entries;
    },
  };
}
