// URLs as GNU Wget reads them (the expected values were measured with Wget 1.21: what it sent).
import { describe, expect, it } from 'vitest';
import { formatUrl, hostPort, parseUrl, reencode, requestTarget, resolveUrl, UrlError } from '../../src/core/url.js';

describe('parseUrl', () => {
  it('splits scheme, credentials, host, port, path and query; drops the fragment', () => {
    expect(parseUrl('HTTP://User:Pa%20ss@Example.COM:8080/a/b?x=1#frag')).toEqual({
      scheme: 'http',
      user: 'User',
      password: 'Pa ss',
      host: 'example.com',
      port: 8080,
      path: '/a/b',
      query: 'x=1',
    });
    expect(parseUrl('https://h')).toMatchObject({ port: 443, path: '/', query: undefined });
    expect(parseUrl('http://h/?')).toMatchObject({ path: '/', query: '' });
  });
  it('takes IPv6 literals in brackets and keeps them in Host', () => {
    const u = parseUrl('http://[::1]:8080/x');
    expect([u.host, u.port, hostPort(u)]).toEqual(['::1', 8080, '[::1]:8080']);
    expect(hostPort(parseUrl('http://[fe80::1]/'))).toBe('[fe80::1]');
  });
  it('normalises the request target as Wget does', () => {
    const target = (s: string) => requestTarget(parseUrl(`http://h${s}`));
    expect(target('/s p')).toBe('/s%20p');
    expect(target('/u%7Ev')).toBe('/u~v');
    expect(target('/x%2Fy')).toBe('/x%2Fy');
    expect(target('/h%25')).toBe('/h%25');
    expect(target('/%C3%A9t%E9')).toBe('/%C3%A9t%E9');
    expect(target('/raw\xe9')).toBe('/raw%E9');
    expect(target('/a/../b/./c')).toBe('/b/c');
    expect(target('/d/%2E%2E')).toBe('/');
    expect(target('/q?a=b/c')).toBe('/q?a=b/c');
    expect(target('/q2?a=%41%20b%2Fc')).toBe('/q2?a=A%20b%2Fc');
    expect(target('/bad%zz')).toBe('/bad%25zz');
    expect(reencode('a b"<>\\^`{|}')).toBe('a%20b%22%3C%3E%5C%5E%60%7B%7C%7D');
  });
  it('reads Wget\'s shorthand: no scheme means http', () => {
    expect(formatUrl(parseUrl('127.0.0.1:8080/x'))).toBe('http://127.0.0.1:8080/x');
    expect(formatUrl(parseUrl('example.com/x'))).toBe('http://example.com/x');
    expect(formatUrl(parseUrl('localhost:8080'))).toBe('http://localhost:8080/');
  });
  it('rejects what it cannot fetch', () => {
    for (const bad of ['ftp://h/x', 'xyz://h/', 'host:path/x']) {
      const err = (() => {
        try {
          parseUrl(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err, bad).toBeInstanceOf(UrlError);
      expect((err as UrlError).scheme, bad).toBeDefined();
    }
    expect(() => parseUrl('http://h:99999/')).toThrow('Bad port number');
    expect(() => parseUrl('http://[::1/')).toThrow(UrlError);
    expect(() => parseUrl('http:///x')).toThrow('Invalid host name');
  });
});

describe('resolveUrl', () => {
  const base = parseUrl('http://u:p@h:81/a/b/c?q');
  const at = (ref: string) => formatUrl(resolveUrl(base, ref));
  it('resolves relative, absolute-path, network-path and absolute references', () => {
    expect(at('d')).toBe('http://h:81/a/b/d');
    expect(at('../d')).toBe('http://h:81/a/d');
    expect(at('/x?y')).toBe('http://h:81/x?y');
    expect(at('?z')).toBe('http://h:81/a/b/c?z');
    expect(at('//other/p')).toBe('http://other/p');
    expect(at('https://o:8443/')).toBe('https://o:8443/');
  });
  it('keeps the credentials on the same host only', () => {
    expect(resolveUrl(base, 'd').user).toBe('u');
    expect(resolveUrl(base, 'http://other/').user).toBeUndefined();
  });
});
