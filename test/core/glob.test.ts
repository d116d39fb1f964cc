import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGlob, fnmatch, type GlobFlags, hasGlobChars } from '../../src/core/glob.js';

// fixtures/fnmatch-glibc.json: glibc 2.36 fnmatch() (LC_ALL=C) over every pattern × string × flag
// set, recorded with Python's ctypes. Strings are latin1 (one char per byte).
const table = JSON.parse(fs.readFileSync(new URL('./fixtures/fnmatch-glibc.json', import.meta.url), 'utf8')) as {
  strs: string[];
  rows: [flags: string, pattern: string, results: string][];
};
const FLAGS: Record<string, GlobFlags> = {
  '0': {},
  P: { pathname: true },
  D: { period: true },
  PD: { pathname: true, period: true },
  C: { casefold: true },
  N: { noescape: true },
  L: { leadingDir: true },
};

describe('fnmatch vs glibc', () => {
  it.each(Object.keys(FLAGS))('flags %s', (flag) => {
    for (const [f, pattern, results] of table.rows) {
      if (f !== flag) continue;
      const m = compileGlob(pattern, FLAGS[flag]);
      const ours = table.strs.map((s) => (m(s) ? '1' : '0')).join('');
      expect(ours, `${JSON.stringify(pattern)} [${table.strs.map((s) => JSON.stringify(s)).join(' ')}]`).toBe(results);
    }
  });
});

describe('glob helpers', () => {
  it('caches compiled patterns', () => {
    expect(fnmatch('*.ts', 'a.ts')).toBe(true);
    expect(fnmatch('*.ts', 'a.js')).toBe(false);
  });
  it('tells patterns from plain words', () => {
    expect(hasGlobChars('a*b')).toBe(true);
    expect(hasGlobChars('a\\*b')).toBe(false);
    expect(hasGlobChars('plain')).toBe(false);
  });
});
