import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { argmatch } from '../../src/core/argmatch.js';
import { backupName, backupSettings } from '../../src/core/backup.js';
import { Env } from '../../src/core/env.js';
import { tempDir } from '../helpers/run.js';

describe('argmatch', () => {
  const choices = [['never', 1], ['no', 1], ['none', 1], ['once', 2], ['always', 3], ['yes', 3]] as const;
  it('takes exact names and unambiguous prefixes', () => {
    expect(argmatch('once', choices, '--x')).toBe(2);
    expect(argmatch('n', choices, '--x')).toBe(1); // never/no/none all mean the same
    expect(argmatch('a', choices, '--x')).toBe(3);
  });
  it('words failures as GNU does', () => {
    expect(() => argmatch('o', [['one', 1], ['other', 2]], '--x')).toThrow("ambiguous argument 'o' for '--x'");
    expect(() => argmatch('', choices, '--x')).toThrow("ambiguous argument '' for '--x'");
    expect(() => argmatch('bogus', choices, '--x')).toThrow(
      "invalid argument 'bogus' for '--x'\nValid arguments are:\n  - 'never', 'no', 'none'\n  - 'once'\n  - 'always', 'yes'",
    );
  });
});

describe('backups', () => {
  it('reads the control word, VERSION_CONTROL and the suffix', () => {
    const env = new Env({ VERSION_CONTROL: 'numbered', SIMPLE_BACKUP_SUFFIX: '.old' });
    expect(backupSettings(undefined, undefined, env)).toEqual({ type: 'none', suffix: '.old' });
    expect(backupSettings(true, undefined, env)).toEqual({ type: 'numbered', suffix: '.old' });
    expect(backupSettings('simple', '.b', env)).toEqual({ type: 'simple', suffix: '.b' });
    expect(backupSettings(true, 'a/b', new Env())).toEqual({ type: 'existing', suffix: '~' });
  });
  it('names simple, numbered and existing-style backups', () => {
    const dir = tempDir();
    const f = path.join(dir, 'f');
    expect(backupName(f, { type: 'simple', suffix: '~' })).toBe(`${f}~`);
    expect(backupName(f, { type: 'existing', suffix: '~' })).toBe(`${f}~`);
    expect(backupName(f, { type: 'numbered', suffix: '~' })).toBe(`${f}.~1~`);
    fs.writeFileSync(`${f}.~7~`, '');
    expect(backupName(f, { type: 'existing', suffix: '~' })).toBe(`${f}.~8~`);
  });
});
