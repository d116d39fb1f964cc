import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseOptions } from '../../src/core/options.js';

const ls = {
  a: { long: 'all' },
  A: { long: 'almost-all' },
  l: { overrides: '1C' },
  '1': { overrides: 'lC' },
  C: { overrides: 'l1' },
  w: { long: 'width', arg: 'string' },
  color: { arg: 'optional' },
  e: { arg: 'list', long: 'regexp' },
  v: { arg: 'count', long: 'verbose' },
  T: { implies: 'a' },
} as const;

const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('parseOptions', () => {
  it('reads clusters, attached and separate values', () => {
    const p = parseOptions(ls, ['-la', '-w80', 'x', '-w', '90', '-ex', '-e', 'y']);
    expect(p.opts).toEqual({ l: true, a: true, w: '90', e: ['x', 'y'] });
    expect(p.operands).toEqual(['x']);
  });
  it('reads -l1 as two flags, the last of overriding ones winning', () => {
    expect(parseOptions(ls, ['-l1']).opts).toEqual({ '1': true });
    expect(parseOptions(ls, ['-1', '-C', '-l']).opts).toEqual({ l: true });
  });
  it('accepts options after operands, and not after --', () => {
    const p = parseOptions(ls, ['a', '-l', '--', '-a', 'b']);
    expect(p.opts).toEqual({ l: true });
    expect(p.operands).toEqual(['a', '-a', 'b']);
  });
  it('keeps a lone dash as an operand', () => {
    expect(parseOptions(ls, ['-', '-a']).operands).toEqual(['-']);
  });
  it('stops at the first operand when asked', () => {
    const p = parseOptions(ls, ['-a', 'cmd', '-l'], { stopAtOperand: true });
    expect(p.opts).toEqual({ a: true });
    expect(p.operands).toEqual(['cmd', '-l']);
  });
  it('matches unique long prefixes and reports ambiguous ones as getopt does', () => {
    expect(parseOptions(ls, ['--wid=3']).opts).toEqual({ w: '3' });
    expect(parseOptions(ls, ['--width', '4']).opts).toEqual({ w: '4' });
    expect(parseOptions(ls, ['--all']).opts).toEqual({ a: true });
    expect(err(() => parseOptions(ls, ['--al']))).toBe("option '--al' is ambiguous; possibilities: '--all' '--almost-all'");
  });
  it('handles optional values of long options', () => {
    expect(parseOptions(ls, ['--color']).opts).toEqual({ color: true });
    expect(parseOptions(ls, ['--color=never', 'x']).opts).toEqual({ color: 'never' });
    expect(parseOptions(ls, ['--color', 'never']).operands).toEqual(['never']);
  });
  it('counts and implies', () => {
    expect(parseOptions(ls, ['-vv', '--verbose', '-T']).opts).toEqual({ v: 3, T: true, a: true });
  });
  it('words errors exactly as glibc getopt', () => {
    expect(err(() => parseOptions(ls, ['-z']))).toBe("invalid option -- 'z'");
    expect(err(() => parseOptions(ls, ['--bogus']))).toBe("unrecognized option '--bogus'");
    expect(err(() => parseOptions(ls, ['-w']))).toBe("option requires an argument -- 'w'");
    expect(err(() => parseOptions(ls, ['--wid']))).toBe("option '--width' requires an argument");
    expect(err(() => parseOptions(ls, ['--all=1']))).toBe("option '--all' doesn't allow an argument");
    expect(err(() => parseOptions(ls, ['--=x']))).toBe("unrecognized option '--=x'");
  });
  it('sees --help unless the applet defines it', () => {
    expect(parseOptions(ls, ['x', '--help']).help).toBe(true);
    expect(parseOptions(ls, ['--he']).help).toBe(true);
    expect(parseOptions({ h: { long: 'help' } }, ['--help']).opts).toEqual({ h: true });
  });
  it('reads a dash-less first word as tar does', () => {
    const tar = { x: {}, z: {}, f: { arg: 'string' }, C: { arg: 'string' }, v: { arg: 'count' } } as const;
    const p = parseOptions(tar, ['xzfC', 'a.tgz', 'dir', 'member', '-v'], { firstArgNoDash: true });
    expect(p.opts).toEqual({ x: true, z: true, f: 'a.tgz', C: 'dir', v: 1 });
    expect(p.operands).toEqual(['member']);
    expect(err(() => parseOptions(tar, ['xf'], { firstArgNoDash: true }))).toBe("option requires an argument -- 'f'");
    expect(parseOptions(tar, ['-xf', 'a'], { firstArgNoDash: true }).opts).toEqual({ x: true, f: 'a' });
  });
  it('records the order options were given in', () => {
    expect(parseOptions(ls, ['-e', 'a', '-l', '-e', 'b']).order).toEqual([
      ['e', 'a'],
      ['l', true],
      ['e', 'b'],
    ]);
  });
});
