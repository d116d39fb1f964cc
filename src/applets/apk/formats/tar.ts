// apk's view of tar, over the core archive reader and writer: each member of a .apk is inflated
// whole (its raw bytes are hashed), so entries are read from memory, bodies as buffers.
import type { EntryType } from '../../../core/archive/header.js';
import { TarReader } from '../../../core/archive/reader.js';
import { encodeHeader } from '../../../core/archive/writer.js';
import { ApkError, EBADMSG } from '../errors.js';

export interface TarEntry {
  name: string;
  /** The header's type letter: '0' file, '1' hard link, '2' symlink, '5' directory … */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  linkname: string;
  /** PAX records in force (APK-TOOLS.checksum.SHA1, SCHILY.xattr.* …). */
  pax: ReadonlyMap<string, string>;
  /** The body (regular files; empty otherwise). */
  data: Buffer;
}

async function* once(buf: Uint8Array): AsyncGenerator<Uint8Array> {
  yield buf;
}

/** The entries of a tar held in memory. A malformed header is EBADMSG ("BAD archive"). */
export async function* tarEntries(buf: Uint8Array): AsyncGenerator<TarEntry> {
  const reader = new TarReader(once(buf));
  for (;;) {
    let e;
    try {
      e = await reader.next();
    } catch {
      throw new ApkError(EBADMSG);
    }
    if (!e) return;
    const data = e.type === 'file' || e.type === 'contiguous' ? await e.bytes() : Buffer.alloc(0);
    yield {
      name: e.name,
      type: e.typeflag,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      uname: e.uname,
      gname: e.gname,
      mtime: e.mtime,
      linkname: e.linkname,
      pax: e.pax,
      data,
    };
  }
}

/** All entries at once (small members: signatures, control, scripts.tar). */
export async function readTar(buf: Uint8Array): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for await (const e of tarEntries(buf)) out.push(e);
  return out;
}

const TYPES: Record<string, EntryType> = { '0': 'file', '1': 'link', '2': 'symlink', '5': 'directory' };

export interface TarFileInit {
  name: string;
  /** '0' (default), '1', '2' or '5'. */
  type?: string;
  mode?: number;
  mtime?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  linkname?: string;
  /** PAX records; the entry gets an extended header (abuild's APK-TOOLS.checksum.SHA1). */
  pax?: Record<string, string>;
}

/** One entry, header(s) + body padded to 512 bytes: ustar, or pax when records are given. */
export function tarFile(h: TarFileInit, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const type = TYPES[h.type ?? '0'] ?? 'file';
  const header = encodeHeader(
    {
      name: h.name,
      type,
      mode: h.mode ?? 0o644,
      mtime: h.mtime ?? 0,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
      uname: h.uname ?? 'root',
      gname: h.gname ?? 'root',
      size: type === 'file' ? data.length : 0,
      linkname: h.linkname,
      pax: h.pax ? Object.entries(h.pax) : undefined,
    },
    h.pax ? 'pax' : 'ustar',
  );
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([header, data, Buffer.alloc(pad)]);
}

export const TAR_END = Buffer.alloc(1024);
