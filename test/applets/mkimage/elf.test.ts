// ELF reading checked against readelf (binutils), and library resolution against what the loader does.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readElf, runtimeFiles } from '../../../src/applets/mkimage/elf.js';
import { hasTool } from '../../helpers/reference.js';

const SAMPLES = ['/bin/ls', '/bin/sh', process.execPath].filter((f) => fs.existsSync(f));

describe.skipIf(!hasTool('readelf'))('readElf vs readelf', () => {
  it.each(SAMPLES)('%s', (file) => {
    const dynamic = spawnSync('readelf', ['-d', file], { encoding: 'latin1' }).stdout;
    const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[(.+)\]/g)].map((m) => m[1]);
    const runpath = [...dynamic.matchAll(/\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.+)\]/g)].flatMap((m) => m[1]!.split(':'));
    const program = spawnSync('readelf', ['-l', file], { encoding: 'latin1' }).stdout;
    const interp = /Requesting program interpreter: (.+)\]/.exec(program)?.[1];
    const elf = readElf(file);
    expect(elf.needed).toEqual(needed);
    expect(elf.runpath).toEqual(runpath);
    expect(elf.interpreter).toBe(interp);
  });
});

describe('runtimeFiles', () => {
  it('finds the loader and every library of a program, as the loader would', () => {
    const files = runtimeFiles('/bin/ls');
    expect(files.interpreter).toMatch(/ld-linux/);
    const names = files.libraries.map((l) => l.slice(l.lastIndexOf('/') + 1));
    expect(names).toContain('libc.so.6');
    for (const lib of files.libraries) expect(fs.existsSync(lib), lib).toBe(true);
  });
  it('rejects a file that is not ELF', () => {
    expect(() => readElf('/etc/hostname')).toThrow(/not an ELF file/);
  });
});
