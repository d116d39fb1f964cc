import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { walk, type WalkOptions } from '../../src/core/walk.js';
import { tempDir } from '../helpers/run.js';

function tree(): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'd/e/f'), { recursive: true });
  fs.writeFileSync(path.join(root, 'd/a'), '');
  fs.writeFileSync(path.join(root, 'd/e/b'), '');
  fs.symlinkSync('e', path.join(root, 'd/ln'));
  fs.symlinkSync('nowhere', path.join(root, 'd/dangling'));
  fs.symlinkSync('..', path.join(root, 'd/e/up'));
  return root;
}

function events(root: string, opts: Partial<WalkOptions> = {}, roots = ['d']): string[] {
  const out: string[] = [];
  for (const e of walk(roots.map((r) => path.join(root, r)), { cwd: '/', ...opts })) out.push(`${e.phase} ${path.relative(root, e.path)}${e.error ? ' !' : ''}`);
  return out.sort();
}

describe('walk', () => {
  it('visits every entry once, directories before their contents', () => {
    const root = tree();
    const seen: string[] = [];
    for (const e of walk([path.join(root, 'd')], { cwd: '/' })) seen.push(path.relative(root, e.path));
    expect(seen[0]).toBe('d');
    expect(seen.indexOf('d/e')).toBeLessThan(seen.indexOf('d/e/b'));
    expect(events(root)).toEqual(
      ['pre d', 'leaf d/a', 'pre d/e', 'leaf d/e/b', 'pre d/e/f', 'leaf d/e/up', 'leaf d/ln', 'leaf d/dangling'].sort(),
    );
  });
  it('visits directories again after their contents with postorder', () => {
    const root = tree();
    const seen: string[] = [];
    for (const e of walk([path.join(root, 'd')], { postorder: true, cwd: '/' })) seen.push(`${e.phase} ${path.relative(root, e.path)}`);
    expect(seen.at(-1)).toBe('post d');
    expect(seen.indexOf('post d/e')).toBeGreaterThan(seen.indexOf('leaf d/e/b'));
  });
  it('follows symlinks with follow: all, and reports loops', () => {
    const root = tree();
    const ev = events(root, { follow: 'all' });
    expect(ev).toContain('pre d/ln');
    expect(ev).toContain('leaf d/ln/b');
    expect(ev).toContain('loop d/e/up');
    expect(ev).toContain('leaf d/dangling');
  });
  it('follows only the roots with follow: roots', () => {
    const root = tree();
    expect(events(root, { follow: 'roots' }, ['d/ln'])).toEqual(['leaf d/ln/b', 'leaf d/ln/up', 'pre d/ln', 'pre d/ln/f']);
    expect(events(root, {}, ['d/ln'])).toEqual(['leaf d/ln']);
  });
  it('prunes, limits depth, and lets the consumer choose the children', () => {
    const root = tree();
    const seen: string[] = [];
    for (const e of walk([path.join(root, 'd')], { cwd: '/' })) {
      seen.push(path.relative(root, e.path));
      if (e.name === 'e') e.skip();
    }
    expect(seen).not.toContain('d/e/b');
    expect(events(root, { maxDepth: 1 })).not.toContain('leaf d/e/b');
    const chosen: string[] = [];
    for (const e of walk([path.join(root, 'd')], { cwd: '/' })) {
      chosen.push(e.name);
      if (e.phase === 'pre' && e.depth === 0) e.setChildren(e.readChildren().filter((c) => c.name === 'a'));
    }
    expect(chosen).toEqual([path.join(root, 'd'), 'a']);
  });
  it('reports missing roots and unreadable directories as errors', () => {
    const root = tree();
    expect(events(root, {}, ['nope'])).toEqual(['leaf nope !']);
    fs.writeFileSync(path.join(root, 'file'), '');
    expect(events(root, {}, ['file'])).toEqual(['leaf file']);
  });
  it('keeps names byte for byte', () => {
    const root = tempDir();
    fs.writeFileSync(Buffer.from(`${root}/caf\xe9`, 'latin1'), '');
    const names = [...walk([root], { cwd: '/' })].map((e) => e.name);
    expect(names).toContain('caf\xe9');
  });
});
