import { describe, expect, it } from 'vitest';
import { applyMode, modeString } from '../../src/core/mode.js';

describe('modeString', () => {
  it('shows types and special bits as ls does', () => {
    expect(modeString(0o100644)).toBe('-rw-r--r--');
    expect(modeString(0o040755)).toBe('drwxr-xr-x');
    expect(modeString(0o104755)).toBe('-rwsr-xr-x');
    expect(modeString(0o102644)).toBe('-rw-r-Sr--');
    expect(modeString(0o041777)).toBe('drwxrwxrwt');
    expect(modeString(0o041776)).toBe('drwxrwxrwT');
    expect(modeString(0o120777)).toBe('lrwxrwxrwx');
    expect(modeString(0o020620)).toBe('crw--w----');
    expect(modeString(0o060660)).toBe('brw-rw----');
    expect(modeString(0o010644)).toBe('prw-r--r--');
    expect(modeString(0o140755)).toBe('srwxr-xr-x');
  });
});

describe('applyMode', () => {
  it('takes octal modes', () => {
    expect(applyMode('755', 0o644)).toBe(0o755);
    expect(applyMode('4755', 0)).toBe(0o4755);
    expect(applyMode('755', 0o2755, { isDir: true })).toBe(0o2755);
    expect(applyMode('00755', 0o2755, { isDir: true })).toBe(0o755);
  });
  it('takes symbolic modes', () => {
    expect(applyMode('u+x', 0o644)).toBe(0o744);
    expect(applyMode('go-r', 0o644)).toBe(0o600);
    expect(applyMode('a=rX', 0o700, { isDir: false })).toBe(0o555);
    expect(applyMode('a=rX', 0o600)).toBe(0o444);
    expect(applyMode('a=rX', 0o600, { isDir: true })).toBe(0o555);
    expect(applyMode('u=rwx,g=rx,o=', 0)).toBe(0o750);
    expect(applyMode('g=u', 0o640)).toBe(0o660);
    expect(applyMode('+x', 0o644, { umask: 0o022 })).toBe(0o755);
    expect(applyMode('+w', 0o444, { umask: 0o022 })).toBe(0o644);
    expect(applyMode('u+s,+t', 0o755)).toBe(0o5755);
    expect(applyMode('u+x-w', 0o644)).toBe(0o544);
  });
  it('rejects what chmod rejects', () => {
    expect(() => applyMode('u+q', 0)).toThrow("invalid mode: 'u+q'");
    expect(() => applyMode('99', 0)).toThrow();
  });
});
