// Output file names, as GNU Wget picks them (measured, Wget 1.21 with its default
// --restrict-file-names=unix): the last path component of the URL as given, `index.html` when it is
// empty, the query kept after a `?`; %-escapes decoded, except that `/` and control characters are
// written back as %XX (so a name never leaves the directory and never holds a control byte).
import { percentDecode } from '../../core/url.js';
import type { Url } from '../../core/url.js';

function fileSafe(decoded: string): string {
  return decoded.replace(/[\x00-\x1f\x7f/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The local name for a URL. */
export function urlFileName(url: Url): string {
  const last = url.path.slice(url.path.lastIndexOf('/') + 1);
  const name = fileSafe(percentDecode(last)) || 'index.html';
  return url.query === undefined ? name : `${name}?${fileSafe(percentDecode(url.query))}`;
}

/** The file name a Content-Disposition header proposes, reduced to its last path component; undefined
 *  when it has none we could use. (GNU Wget mangles `../x` names instead; we take the base name.) */
export function dispositionFileName(header: string): string | undefined {
  let name: string | undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^;]*)/i.exec(header);
  if (extended) {
    // RFC 8187: charset'language'%-encoded bytes; we keep the bytes whatever the charset.
    const m = /^[^']*'[^']*'(.*)$/.exec(extended[1]!.trim());
    if (m) name = percentDecode(m[1]!);
  }
  if (name === undefined) {
    const plain = /(?:^|;)\s*filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/i.exec(header);
    if (plain) name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1]!.trim();
  }
  if (name === undefined) return undefined;
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  if (base === '' || base === '.' || base === '..') return undefined;
  return fileSafe(base);
}
