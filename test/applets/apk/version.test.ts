import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  EQUAL,
  GREATER,
  isValidVersion,
  LESS,
  opMask,
  versionMatches,
} from '../../../src/applets/apk/version.js';
import { corpusPath } from './fixtures.js';

const symbol = (r: number) => (r === LESS ? '<' : r === EQUAL ? '=' : r === GREATER ? '>' : '?');
const vectors = corpusPath('../../specs/apk-version-vectors.txt');

describe.skipIf(!vectors)('apk version vectors (measured with apk-tools 2.14.10)', () => {
  const lines = vectors ? fs.readFileSync(vectors, 'latin1').split('\n') : [];
  for (const line of lines) {
    const cmp = /^(\S+) ([<=>]) (\S+)$/.exec(line);
    if (cmp) it(`${cmp[1]} ${cmp[2]} ${cmp[3]}`, () => expect(symbol(compareVersions(cmp[1]!, cmp[3]!))).toBe(cmp[2]));
    const valid = /^valid\? (\S+) rc=(\d)$/.exec(line);
    if (valid) it(`valid ${valid[1]}`, () => expect(isValidVersion(valid[1]!)).toBe(valid[2] === '0'));
  }
});

describe('fuzzy and operators', () => {
  it('~ matches a prefix, both ways', () => {
    expect(versionMatches('1.35.0-r17', opMask('~'), '1.35')).toBe(true);
    expect(versionMatches('1.35.0-r17', opMask('~'), '1.35.0.5')).toBe(true);
    expect(versionMatches('1.36.0-r0', opMask('~'), '1.35')).toBe(false);
  });
  it('operators', () => {
    expect(versionMatches('2.0', opMask('>='), '1.0')).toBe(true);
    expect(versionMatches('1.0', opMask('<'), '1.0')).toBe(false);
    expect(versionMatches('1.0-r1', opMask('>'), '1.0')).toBe(true);
  });
});

// Property tests: comparison is antisymmetric and transitive over generated versions.
function randomVersion(rand: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  let v = String(Math.floor(rand() * 12));
  for (let n = Math.floor(rand() * 3); n > 0; n--) v += `.${pick(['0', '1', '01', '10', '2', '00', '9'])}`;
  if (rand() < 0.2) v += pick(['a', 'b', 'z']);
  for (let n = Math.floor(rand() * 2); n > 0; n--) v += `_${pick(['alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'])}${pick(['', '1', '2', '10'])}`;
  if (rand() < 0.5) v += `-r${Math.floor(rand() * 11)}`;
  return v;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
}

describe('version comparison properties', () => {
  const rand = lcg(7);
  const versions = Array.from({ length: 300 }, () => randomVersion(rand));
  it('generated versions are valid', () => {
    for (const v of versions) expect(isValidVersion(v), v).toBe(true);
  });
  it('antisymmetric and reflexive', () => {
    for (let i = 0; i < versions.length; i++) {
      const a = versions[i]!;
      expect(compareVersions(a, a)).toBe(EQUAL);
      const b = versions[(i * 7 + 3) % versions.length]!;
      const ab = compareVersions(a, b);
      const ba = compareVersions(b, a);
      expect(ab === LESS ? ba === GREATER : ab === GREATER ? ba === LESS : ba === EQUAL, `${a} ${b}`).toBe(true);
    }
  });
  it('sorting is consistent (transitive)', () => {
    const sorted = [...versions].sort((a, b) => (compareVersions(a, b) === LESS ? -1 : compareVersions(a, b) === GREATER ? 1 : 0));
    for (let i = 0; i + 1 < sorted.length; i++)
      for (let j = i + 1; j < Math.min(sorted.length, i + 25); j++)
        expect(compareVersions(sorted[i]!, sorted[j]!) !== GREATER, `${sorted[i]} ${sorted[j]}`).toBe(true);
  });
});
