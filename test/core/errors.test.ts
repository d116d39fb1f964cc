import { describe, expect, it } from 'vitest';
import { AppletError, BrokenPipe, errorStatus, errorText, isInternalError, strerror } from '../../src/core/errors.js';
import { signalDescription, signalName, signalNumber, statusFromSignal } from '../../src/core/process.js';

describe('errors', () => {
  it('words system errors as libc does', () => {
    expect(strerror('ENOENT')).toBe('No such file or directory');
    expect(errorText(Object.assign(new Error('ENOENT: no such file'), { code: 'EISDIR' }))).toBe('Is a directory');
    expect(errorText(new AppletError('bad thing'))).toBe('bad thing');
  });
  it('gives statuses', () => {
    expect(errorStatus(new AppletError('x', 2))).toBe(2);
    expect(errorStatus(new BrokenPipe())).toBe(141);
    expect(errorStatus(Object.assign(new Error(), { code: 'EACCES' }))).toBe(1);
  });
  it('tells bugs from conditions', () => {
    expect(isInternalError(new TypeError('x is undefined'))).toBe(true);
    expect(isInternalError(Object.assign(new Error(), { code: 'ENOENT' }))).toBe(false);
  });
  it('knows signals by name and number', () => {
    expect(signalNumber('TERM')).toBe(15);
    expect(signalNumber('sigkill')).toBe(9);
    expect(signalNumber('9')).toBe(9);
    expect(signalNumber('BOGUS')).toBeUndefined();
    expect(signalName(2)).toBe('INT');
    expect(statusFromSignal('SIGTERM')).toBe(143);
    expect(signalDescription(9)).toBe('Killed');
  });
});
