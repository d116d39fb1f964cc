// Signed APK v2 archives (spec §1, §2): packages and indexes. Everything is verified here, before
// any byte reaches the root: the signature over the control member (or the index member), the
// identity, the datahash of the data member, and that each member is a well-formed tar.
import type { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import { ApkError, EKEYREJECTED, ENOKEY, ENOMSG } from '../errors.js';
import { type GzipMember, splitMembers } from './gzip.js';
import { readTar, type TarEntry, tarEntries } from './tar.js';

type Crypto = typeof import('node:crypto');
export const crypto = (): Crypto => process.getBuiltinModule('node:crypto') as Crypto;

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

async function signaturesOf(member: GzipMember): Promise<Signature[] | undefined> {
  const sigs: Signature[] = [];
  try {
    for (const e of await readTar(member.data)) {
      const m = /^\.SIGN\.([A-Z0-9]+)\.(.+)$/.exec(e.name);
      if (!m) return undefined;
      sigs.push({ alg: m[1]!, keyName: m[2]!, sig: Buffer.from(e.data) });
    }
  } catch {
    return undefined;
  }
  return sigs.length ? sigs : undefined;
}

/** Verify `signed` (the raw compressed bytes) against the first signature whose key is trusted.
 *  Returns true when verified, false when no key is trusted; throws EKEYREJECTED on a bad one. */
function verifySignatures(sigs: Signature[] | undefined, signed: Buffer[], keys: KeyStore): boolean {
  for (const s of sigs ?? []) {
    const digest = DIGEST[s.alg];
    const key = digest && keys.get(s.keyName);
    if (!key) continue;
    const v = crypto().createVerify(digest);
    for (const part of signed) v.update(part);
    if (!v.verify(key, s.sig)) throw new ApkError(EKEYREJECTED);
    return true;
  }
  return false;
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
export async function readIndexArchive(buf: Buffer, opts: VerifyOptions): Promise<IndexArchive> {
  const members = splitMembers(buf);
  let sigs: Signature[] | undefined;
  let body = members[0];
  if (members.length > 1 && (sigs = await signaturesOf(members[0]!))) body = members[1];
  if (!body) throw new ApkError(ENOMSG);
  const trusted = verifySignatures(sigs, [body.raw], opts.keys);
  if (!trusted && !opts.allowUntrusted) throw new ApkError(ENOKEY);
  let index: string | undefined;
  let description = '';
  let data = body.data;
  // the index tar may span the remaining members when unsigned tools concatenated them
  if (members.length > (sigs ? 2 : 1)) data = Buffer.concat(members.slice(sigs ? 1 : 0).map((m) => m.data));
  for (const e of await readTar(data)) {
    if (e.name === 'APKINDEX') index = e.data.toString('latin1');
    else if (e.name === 'DESCRIPTION') description = e.data.toString('latin1');
  }
  if (index === undefined) throw new ApkError(ENOMSG);
  return { index, description, trusted };
}

export interface PackageArchive {
  /** .PKGINFO key/values; repeatable keys collected in order. */
  info: Map<string, string[]>;
  /** Scripts of the control member by action (`post-install` …). */
  scripts: Map<string, Buffer>;
  /** Q1… identity. */
  identity: string;
  /** SHA-1 of the raw control member (with datahash) or control+data. */
  identityBytes: Buffer;
  trusted: boolean;
  /** The data member's tar entries, read as they are asked for (throws EBADMSG when malformed). */
  dataEntries(): AsyncGenerator<TarEntry>;
  /** Size of the whole file. */
  fileSize: number;
  /** Raw members (signature?, control, data), e.g. to copy or hash. */
  hasDatahash: boolean;
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

/** Open and verify a package held in memory. Throws ApkError: ENOKEY untrusted, EKEYREJECTED bad
 *  signature or datahash, EIO when a member does not inflate, EBADMSG for a bad data tar. */
export async function readPackage(buf: Buffer, opts: VerifyOptions): Promise<PackageArchive> {
  const members = splitMembers(buf);
  let i = 0;
  const sigs = members.length > 2 ? await signaturesOf(members[0]!) : undefined;
  if (sigs) i = 1;
  const control = members[i];
  if (!control) throw new ApkError(ENOMSG);
  const dataMembers = members.slice(i + 1);
  let pkginfo: string | undefined;
  const scripts = new Map<string, Buffer>();
  for (const e of await readTar(control.data)) {
    if (e.name === '.PKGINFO') pkginfo = e.data.toString('latin1');
    else if (e.name.startsWith('.') && (SCRIPT_ACTIONS as readonly string[]).includes(e.name.slice(1)))
      scripts.set(e.name.slice(1), Buffer.from(e.data));
  }
  if (pkginfo === undefined) throw new ApkError(ENOMSG);
  const info = parsePkgInfo(pkginfo);
  const datahash = info.get('datahash')?.[0];
  const signed = datahash ? [control.raw] : [control.raw, ...dataMembers.map((m) => m.raw)];
  const trusted = verifySignatures(sigs, signed, opts.keys);
  if (!trusted && !opts.allowUntrusted) throw new ApkError(ENOKEY);
  const sha1 = crypto().createHash('sha1');
  for (const part of signed) sha1.update(part);
  const identityBytes = sha1.digest();
  if (datahash) {
    const sha256 = crypto().createHash('sha256');
    for (const m of dataMembers) sha256.update(m.raw);
    if (sha256.digest('hex') !== datahash.toLowerCase()) throw new ApkError(EKEYREJECTED);
  }
  const data = dataMembers.length === 1 ? dataMembers[0]!.data : Buffer.concat(dataMembers.map((m) => m.data));
  return {
    info,
    scripts,
    identity: q1(identityBytes),
    identityBytes,
    trusted,
    fileSize: buf.length,
    hasDatahash: datahash !== undefined,
    dataEntries: () => tarEntries(data),
  };
}
