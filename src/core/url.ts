// HTTP(S) URLs as GNU Wget reads them. Strings are binary strings (one char per byte), so a URL's raw
// bytes survive. Parsing normalises the way Wget does, which decides what the server is asked for:
// unsafe characters (space, controls, bytes ≥ 0x80, `"<>\^`{|}` and a stray `%`) are %-encoded,
// escapes of harmless characters are decoded (`%7E` → `~`), escapes of reserved or unsafe ones kept
// (`%2F`, `%20`), dot segments removed, scheme and host lower-cased, the fragment dropped.

export interface Url {
  /** `http` or `https` (lower case). */
  readonly scheme: string;
  /** Credentials from the URL, %-decoded; undefined when absent. */
  readonly user?: string;
  readonly password?: string;
  /** Lower-cased host; an IPv6 literal without its brackets. */
  readonly host: string;
  readonly port: number;
  /** The path, beginning with `/`, normalised as above. */
  readonly path: string;
  /** The query without its `?`; undefined when the URL has no `?`. */
  readonly query?: string;
}

export const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/** A URL that cannot be used: malformed, or a scheme we do not speak. */
export class UrlError extends Error {
  constructor(
    message: string,
    readonly url: string,
    /** The scheme, when the problem is that it is not http or https. */
    readonly scheme?: string,
  ) {
    super(message);
    this.name = 'UrlError';
  }
}

// Wget's character classes (url.c): R reserved, U unsafe. Bytes ≥ 0x80 are unsafe.
const R = 1;
const U = 2;
const CHAR_CLASS = new Uint8Array(256);
(() => {
  for (let c = 0; c < 32; c++) CHAR_CLASS[c] = U;
  for (let c = 127; c < 256; c++) CHAR_CLASS[c] = U;
  for (const ch of ' "%<>\\^`{|}') CHAR_CLASS[ch.charCodeAt(0)] = U;
  for (const ch of '$&+,/;=?') CHAR_CLASS[ch.charCodeAt(0)] = R;
  for (const ch of '#:@[]') CHAR_CLASS[ch.charCodeAt(0)] = R | U;
})();

const HEX = '0123456789ABCDEF';
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const hexValue = (c: number) => (c <= 57 ? c - 48 : (c | 0x20) - 87);

function percent(c: number): string {
  return `%${HEX[c >> 4]}${HEX[c & 15]}`;
}

/** Wget's reencode_escapes: encode unsafe bytes, decode escapes of harmless ones. */
export function reencode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      if (i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
        const decoded = hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2));
        if (CHAR_CLASS[decoded]) out += `%${s[i + 1]!.toUpperCase()}${s[i + 2]!.toUpperCase()}`;
        else out += String.fromCharCode(decoded);
        i += 2;
      } else out += '%25';
    } else if (CHAR_CLASS[c] === U) out += percent(c);
    else out += s[i];
  }
  return out;
}

/** Decode every %XX escape (for credentials and file names). */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** RFC 3986 remove_dot_segments. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (seg === '.' || seg === '..') {
      if (seg === '..' && out.length > 1) out.pop();
      if (last) out.push('');
    } else out.push(seg);
  }
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Wget's shorthand rule: a URL without `scheme://` is http (`host:8080/x`, `host/x`); a host followed
 *  by a colon and a non-number is Wget's FTP shorthand, which we report as an unsupported scheme. */
function withScheme(text: string): string {
  if (SCHEME.test(text)) return text;
  const p = text.search(/[:/]/);
  if (p > 0 && text[p] === ':') {
    const digits = /^\d*/.exec(text.slice(p + 1))![0].length;
    const after = text[p + 1 + digits];
    if (!(digits && (after === '/' || after === undefined))) return `ftp://${text.slice(0, p)}/${text.slice(p + 1)}`;
  }
  return `http://${text}`;
}

/** Parse an absolute http/https URL (or Wget's shorthand `host[:port]/path`). Throws UrlError. */
export function parseUrl(input: string): Url {
  const text = withScheme(input.trim());
  const scheme = SCHEME.exec(text)![1]!.toLowerCase();
  if (!(scheme in DEFAULT_PORTS)) throw new UrlError(`Unsupported scheme '${scheme}'`, input, scheme);
  const norm = reencode(text.slice(scheme.length + 3));
  const hashAt = norm.indexOf('#');
  const rest = hashAt < 0 ? norm : norm.slice(0, hashAt);
  const end = rest.search(/[/?]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const pathAndQuery = end < 0 ? '/' : rest.slice(end);

  let user: string | undefined;
  let password: string | undefined;
  let hostPort = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    hostPort = authority.slice(at + 1);
    const colon = userinfo.indexOf(':');
    user = percentDecode(colon < 0 ? userinfo : userinfo.slice(0, colon));
    password = colon < 0 ? undefined : percentDecode(userinfo.slice(colon + 1));
  }

  let host: string;
  let portText = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new UrlError('Unterminated IPv6 numeric address', input);
    host = hostPort.slice(1, close);
    if (!/^[0-9a-fA-F:.]+$/.test(host) || !host.includes(':')) throw new UrlError('Invalid IPv6 numeric address', input);
    const after = hostPort.slice(close + 1);
    if (after && !after.startsWith(':')) throw new UrlError('Invalid host name', input);
    portText = after.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? '' : hostPort.slice(colon + 1);
    if (host === '' || /[^a-zA-Z0-9._~!$&'()*+,;=%-]/.test(host)) {
      if (!/[\x80-\xff]/.test(host) || /[\s/?#@]/.test(host)) throw new UrlError('Invalid host name', input);
    }
  }
  let port = DEFAULT_PORTS[scheme]!;
  if (portText !== '') {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UrlError('Bad port number', input);
    port = Number(portText);
  }

  const q = pathAndQuery.indexOf('?');
  const path = removeDotSegments(q < 0 ? pathAndQuery : pathAndQuery.slice(0, q));
  const query = q < 0 ? undefined : pathAndQuery.slice(q + 1);
  return { scheme, user, password, host: host.toLowerCase(), port, path, query };
}

/** host[:port] as the Host header and URLs write it (IPv6 in brackets, default port left out). */
export function hostPort(url: Url): string {
  const host = url.host.includes(':') ? `[${url.host}]` : url.host;
  return url.port === DEFAULT_PORTS[url.scheme] ? host : `${host}:${url.port}`;
}

/** The request target: path and query. */
export function requestTarget(url: Url): string {
  return url.query === undefined ? url.path : `${url.path}?${url.query}`;
}

/** The URL as text, without credentials (messages, proxy request lines). */
export function formatUrl(url: Url): string {
  return `${url.scheme}://${hostPort(url)}${requestTarget(url)}`;
}

/** Resolve a reference (a redirect's Location) against a base URL, as RFC 3986 §5.2 does. */
export function resolveUrl(base: Url, reference: string): Url {
  const ref = reference.trim();
  if (SCHEME.test(ref)) return parseUrl(ref);
  // A relative reference keeps the base's authority, credentials included (as Wget's uri_merge does).
  const userinfo = base.user === undefined ? '' : `${encodeUserinfo(base.user)}${base.password === undefined ? '' : `:${encodeUserinfo(base.password)}`}@`;
  const origin = `${base.scheme}://${userinfo}${hostPort(base)}`;
  if (ref.startsWith('//')) return parseUrl(`${base.scheme}:${ref}`);
  if (ref === '' || ref.startsWith('#')) return base;
  if (ref.startsWith('/')) return parseUrl(origin + ref);
  if (ref.startsWith('?')) return parseUrl(origin + base.path + ref);
  const dir = base.path.slice(0, base.path.lastIndexOf('/') + 1);
  return parseUrl(origin + dir + ref);
}

function encodeUserinfo(s: string): string {
  return s.replace(/[%:@/?#\x00-\x20\x7f-\xff]/g, (c) => percent(c.charCodeAt(0)));
}

/** Whether `host` is an IP address literal (no DNS, no TLS server name). */
export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
