// Shell patterns: matching, prefix/suffix lengths for ${x#p} and friends, pathname expansion.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapePattern, glob, hasMagic, Pattern, PatternCache } from '../../../src/applets/sh/pattern.js';
import { tempDir } from '../../helpers/run.js';

describe('matching', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true], ['*', 'abc', true], ['a*', 'abc', true], ['*c', 'abc', true], ['*b*', 'abc', true],
    ['a?c', 'abc', true], ['a?c', 'ac', false], ['[abc]', 'b', true], ['[!abc]', 'b', false], ['[^abc]', 'd', true],
    ['[a-c]x', 'bx', true], ['[[:digit:]]*', '7up', true], ['[[:alpha:]]', '1', false], ['[[:space:]]', ' ', true],
    ['[]]', ']', true], ['[!]]', 'a', true], ['[a-]', '-', true], ['\\*', '*', true], ['\\*', 'a', false],
    ['[', '[', true], ['a[b', 'a[b', true], ['*.tar.gz', 'x.tar.gz', true], ['*/', 'a/b/', true],
    ['a*b*c', 'aXbYc', true], ['a*b*c', 'aXbY', false], ['.*', '.x', true], ['[.]*', '.x', true],
  ];
  it.each(cases)('%s ~ %s → %s', (p, s, want) => expect(new Pattern(p).matches(s)).toBe(want));
  it('escapes quoted characters', () => {
    expect(new Pattern(escapePattern('*?[x]')).matches('*?[x]')).toBe(true);
    expect(hasMagic(escapePattern('a*'))).toBe(false);
    expect(hasMagic('a*')).toBe(true);
    expect(hasMagic('[')).toBe(false);
  });
});

describe('prefix and suffix removal', () => {
  const s = '/usr/local/lib/sh.tar.gz';
  const cases: [string, 'prefix' | 'suffix', boolean, number][] = [
    ['*/', 'prefix', true, 15], ['*/', 'prefix', false, 1], ['/usr', 'prefix', false, 4], ['*.', 'prefix', false, 18],
    ['/*', 'suffix', false, 10], ['/*', 'suffix', true, 24], ['.*', 'suffix', false, 3], ['.*', 'suffix', true, 7],
    ['[.]g?', 'suffix', false, 3], ['*[/]l*', 'prefix', true, 24], ['*[/]l', 'prefix', true, 12], ['x*', 'prefix', true, -1],
  ];
  it.each(cases)('%s %s longest=%s → %d', (p, side, longest, n) => {
    const pat = new Pattern(p);
    expect(side === 'prefix' ? pat.prefixLength(s, longest) : pat.suffixLength(s, longest)).toBe(n);
  });
  it('finds the leftmost, longest match', () => {
    expect(new Pattern('l*o').find('hello world')).toEqual([2, 8]);
    expect(new Pattern('o').find('hello world', 5)).toEqual([7, 8]);
    expect(new Pattern('z').find('hello')).toBeUndefined();
  });
});

describe('pathname expansion', () => {
  const dir = tempDir();
  for (const f of ['a.txt', 'b.txt', 'c.log', '.hidden', 'sub/x.txt', 'sub/y.md']) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  const cache = new PatternCache();
  it('expands relative patterns, sorted, without hidden files', () => {
    expect(glob('*', dir, cache)).toEqual(['a.txt', 'b.txt', 'c.log', 'sub']);
    expect(glob('*.txt', dir, cache)).toEqual(['a.txt', 'b.txt']);
    expect(glob('*/*.txt', dir, cache)).toEqual(['sub/x.txt']);
    expect(glob('*/', dir, cache)).toEqual(['sub/']);
    expect(glob('./?.log', dir, cache)).toEqual(['./c.log']);
  });
  it('matches dot files (and . ..) only with a leading dot', () => {
    expect(glob('.*', dir, cache)).toEqual(['.', '..', '.hidden']);
  });
  it('returns nothing when nothing matches', () => {
    expect(glob('*.none', dir, cache)).toEqual([]);
    expect(glob('nodir/*', dir, cache)).toEqual([]);
  });
  it('expands absolute patterns', () => {
    expect(glob(`${dir}/sub/*.md`, '/', cache)).toEqual([`${dir}/sub/y.md`]);
  });
});
