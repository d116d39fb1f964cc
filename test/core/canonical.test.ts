import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePath } from '../../src/core/context.js';
import { canonicalize, isUnder, relativePath, sameName } from '../../src/core/canonical.js';
import { tempDir } from '../helpers/run.js';

describe('canonicalize', () => {
  const dir = fs.realpathSync(tempDir());
  fs.writeFileSync(path.join(dir, 'f'), '');
  fs.mkdirSync(path.join(dir, 'd'));
  fs.symlinkSync('f', path.join(dir, 'lf'));
  fs.symlinkSync('loop2', path.join(dir, 'loop1'));
  fs.symlinkSync('loop1', path.join(dir, 'loop2'));
  const code = (fn: () => unknown) => {
    try {
      fn();
      return 'ok';
    } catch (err) {
      return (err as { code: string }).code;
    }
  };
  it('resolves links and dots', () => {
    expect(canonicalize(`${dir}/d/../lf`, 'existing')).toBe(`${dir}/f`);
    expect(canonicalize(`${dir}//d/./`, 'existing')).toBe(`${dir}/d`);
  });
  it('fails as gnulib does in each mode', () => {
    expect(code(() => canonicalize(`${dir}/f/..`, 'allButLast'))).toBe('ENOTDIR');
    expect(code(() => canonicalize(`${dir}/nope/x`, 'allButLast'))).toBe('ENOENT');
    expect(canonicalize(`${dir}/nope`, 'allButLast')).toBe(`${dir}/nope`);
    expect(code(() => canonicalize(`${dir}/nope`, 'existing'))).toBe('ENOENT');
    expect(canonicalize(`${dir}/nope/../x`, 'missing')).toBe(`${dir}/x`);
    expect(code(() => canonicalize(`${dir}/loop1`, 'existing'))).toBe('ELOOP');
    expect(canonicalize(`${dir}/loop1/x`, 'missing')).toBe(`${dir}/loop1/x`);
    expect(code(() => canonicalize('', 'missing'))).toBe('ENOENT');
  });
  it('keeps links with noSymlinks', () => {
    expect(canonicalize(`${dir}/lf`, 'existing', { noSymlinks: true })).toBe(`${dir}/lf`);
  });
});

describe('names', () => {
  it('makes names absolute without touching ..', () => {
    expect(resolvePath('/a', 'f/..')).toBe('/a/f/..');
    expect(resolvePath('/', 'x')).toBe('/x');
    expect(resolvePath('/a', '/b')).toBe('/b');
  });
  it('computes relative paths', () => {
    expect(relativePath('/a/b/c', '/a/d')).toBe('../b/c');
    expect(relativePath('/a', '/a')).toBe('.');
    expect(relativePath('/x', '/')).toBe('x');
    expect(isUnder('/a/b', '/a')).toBe(true);
    expect(isUnder('/ab', '/a')).toBe(false);
    expect(isUnder('/anything', '/')).toBe(true);
  });
  it('knows one directory entry by two names', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'x'), '');
    expect(sameName(`${dir}/x`, `${dir}/./x`)).toBe(true);
    expect(sameName(`${dir}/x`, `${dir}/y`)).toBe(false);
  });
});
