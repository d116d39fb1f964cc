// $(( )) arithmetic: C precedence, 64-bit wrap, literals in every base, variables holding numbers
// or expressions, and ash's error texts (compared with BusyBox 1.35 by hand).
import { describe, expect, it } from 'vitest';
import { compile, parseNumber, run } from '../../../src/applets/sh/arith.js';

function calc(expr: string, vars: Record<string, string> = {}): { value: string; vars: Record<string, string> } {
  const store = new Map(Object.entries(vars));
  const value = run(compile(expr), { get: (n) => store.get(n), set: (n, v) => void store.set(n, v) });
  return { value: String(value), vars: Object.fromEntries(store) };
}

const CASES: [string, string][] = [
  ['1+2*3', '7'], ['(1+2)*3', '9'], ['2**10', '1024'], ['2**3**2', '512'], ['-2**2', '4'],
  ['7/2', '3'], ['-7/2', '-3'], ['-7%2', '-1'], ['10/-3', '-3'], ['1<<4', '16'], ['1<<64', '1'],
  ['1<<63', '-9223372036854775808'], ['1<<-1', '-9223372036854775808'], ['-8>>1', '-4'],
  ['9223372036854775807+1', '-9223372036854775808'], ['9223372036854775808', '-9223372036854775808'],
  ['18446744073709551615', '-1'], ['99999999999999999999', '0'], ['0x7fffffffffffffff*2', '-2'],
  ['3000000000*4000000000', '-6446744073709551616'], ['-9223372036854775808/-1', '-9223372036854775808'],
  ['-9223372036854775808%-1', '0'], ['010', '8'], ['0x1F', '31'], ['0X10', '16'], ['2#101', '5'],
  ['36#z', '35'], ['64#_', '63'], ['64#@', '62'], ['16#fF', '255'], ['37#1', '1'], ['2#', '0'],
  ['1?2:3', '2'], ['0?2:3', '3'], ['1 ? 0 ? 7 : 8 : 9', '8'], ['x=5,x+1', '6'], ['!0', '1'], ['!5', '0'],
  ['~0', '-1'], ['~5', '-6'], ['1&&0', '0'], ['0||3', '1'], ['3>2', '1'], ['3 > 2 > 1', '0'], ['1==1', '1'],
  ['1!=1', '0'], ['2<=2', '1'], ['6 & 3 | 8 ^ 1', '11'], ['1 << 2 + 1', '8'], ['++1', '1'], ['--1', '1'],
  ['+-+-1', '1'], ['-(-9223372036854775807-1)', '-9223372036854775808'], [' ', '0'], ['', '0'],
  ['5 - 3 - 1', '1'], ['0 && (y=5)', '0'],
];

describe('arithmetic values', () => {
  it.each(CASES)('%s = %s', (expr, value) => expect(calc(expr).value).toBe(value));
});

describe('variables', () => {
  it('reads numbers, empty and unset as 0, and names recursively (ash)', () => {
    expect(calc('x+1', { x: ' 7 ' }).value).toBe('8');
    expect(calc('x+1', { x: '' }).value).toBe('1');
    expect(calc('nope+1').value).toBe('1');
    expect(calc('x+1', { x: 'abc', abc: '4' }).value).toBe('5');
    expect(calc('x*2', { x: '1+2' }).value).toBe('6');
    expect(calc('x', { x: '-3' }).value).toBe('-3');
    expect(calc('x', { x: '0x10' }).value).toBe('16');
  });
  it('assigns with every operator', () => {
    const r = calc('a<<=1, a>>=1, a|=8, a&=12, a^=1, a%=4, a*=7, a/=2, a-=1, a+=10', { a: '5' });
    expect(r.value).toBe('12');
    expect(r.vars.a).toBe('12');
  });
  it('increments and decrements, pre and post', () => {
    const r = calc('x++ + ++x', { x: '4' });
    expect(r).toEqual({ value: '10', vars: { x: '6' } });
    expect(calc('x--', { x: '4' })).toEqual({ value: '4', vars: { x: '3' } });
    expect(calc('--x', { x: '4' })).toEqual({ value: '3', vars: { x: '3' } });
  });
  it('does not evaluate the side not taken', () => {
    expect(calc('0 && (y=5)').vars.y).toBeUndefined();
    expect(calc('1 || (y=5)').vars.y).toBeUndefined();
    expect(calc('1 ? 2 : (y=5)').vars.y).toBeUndefined();
  });
});

describe('errors (ash wording)', () => {
  const errors: [string, string][] = [
    ['1+', 'arithmetic syntax error'], ['a b', 'arithmetic syntax error'], ['08', 'arithmetic syntax error'],
    ['()', 'arithmetic syntax error'], ['x=', 'arithmetic syntax error'], ['1=2', 'arithmetic syntax error'],
    ['0x', 'arithmetic syntax error'], ['1e3', 'arithmetic syntax error'], ['1.5', 'arithmetic syntax error'],
    ['2#102', 'arithmetic syntax error'], ['1#1', 'arithmetic syntax error'], ['1 ? 2 : y=5', 'arithmetic syntax error'],
    ['1/0', 'divide by zero'], ['1%0', 'divide by zero'], ['2**-1', 'exponent less than 0'],
  ];
  it.each(errors)('%s: %s', (expr, message) => expect(() => calc(expr)).toThrow(message));
  it('detects a variable that names itself', () => expect(() => calc('x', { x: 'x' })).toThrow('expression recursion loop detected'));
});

describe('literals', () => {
  it('keeps small values as numbers and large ones exact', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber('9007199254740993')).toBe(9007199254740993n);
  });
});
