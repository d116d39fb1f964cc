// The in-process contract, enforced: below main.ts nothing touches process globals, and every
// registered applet loads and declares itself consistently.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appletNames, findApplet } from '../../src/registry.js';
import { VERSION } from '../../src/version.js';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const FORBIDDEN = [
  /\bprocess\.exit\b/,
  /\bprocess\.cwd\(/,
  /\bprocess\.chdir\(/,
  /\bprocess\.env\b/,
  /\bprocess\.(stdout|stderr|stdin)\b/,
  /\bprocess\.on\(/,
  /\bprocess\.argv\b/,
  /\bprocess\.umask\(/,
];

describe('applet contract', () => {
  it('no module but main.ts uses process globals', () => {
    const offenders: string[] = [];
    for (const file of sources('src')) {
      if (file === path.join('src', 'main.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const re of FORBIDDEN) if (re.test(text)) offenders.push(`${file}: ${re.source}`);
    }
    expect(offenders).toEqual([]);
  });
  it('every registered applet loads, and its declaration matches its entry', async () => {
    for (const name of appletNames()) {
      const decl = (await findApplet(name)!.load()).default;
      expect(decl.summary, name).toBeTruthy();
      expect(decl.usage, name).toBeTruthy();
    }
  });
  it('the version matches package.json', () => {
    expect(JSON.parse(fs.readFileSync('package.json', 'utf8')).version).toBe(VERSION);
  });
});
