// The core helpers the text applets share: counts with suffixes, line blocks, byte counting,
// descriptor offsets, the software long double and C printf conversions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFloat, formatInteger, formatString } from '../../src/core/cformat.js';
import { add, compare, fromBigInt, multiply, parseFloat80, toExponential, toFixed } from '../../src/core/float80.js';
import { BytesSource, FdSource } from '../../src/core/io.js';
import { countByte, forEachLine, lineBlocks } from '../../src/core/lines.js';
import { parseCount } from '../../src/core/numbers.js';
import { advanceOffset, descriptorOffset, regularFileAt } from '../../src/core/offset.js';
import { tempDir } from '../helpers/run.js';

describe('parseCount', () => {
  it('reads digits and suffixes as xstrtoumax does', () => {
    expect(parseCount('10')).toEqual({ value: 10n });
    expect(parseCount(' +7')).toEqual({ value: 7n });
    expect(parseCount('2K', 'kKMG0')).toEqual({ value: 2048n });
    expect(parseCount('2KB', 'kKMG0')).toEqual({ value: 2000n });
    expect(parseCount('2KiB', 'kKMG0')).toEqual({ value: 2048n });
    expect(parseCount('K', 'kKMG0')).toEqual({ value: 1024n });
    expect(parseCount('3b', 'b')).toEqual({ value: 1536n });
    expect(parseCount('1x', 'kK')).toEqual({ error: 'invalid' });
    expect(parseCount('-1')).toEqual({ error: 'invalid' });
    expect(parseCount('')).toEqual({ error: 'invalid' });
    expect(parseCount('18446744073709551615')).toEqual({ value: (1n << 64n) - 1n });
    expect(parseCount('18446744073709551616')).toEqual({ error: 'overflow' });
  });
});

describe('line helpers', () => {
  it('hands out whole lines, whatever the chunking, and gives back what was not used', async () => {
    const src = new BytesSource('');
    const chunks = ['ab', 'c\nde', 'f\n\ng', 'h'];
    let i = 0;
    const chunked = Object.assign(Object.create(src), { read: async () => (i < chunks.length ? Buffer.from(chunks[i++]!) : src.read()) });
    const blocks: string[] = [];
    for await (const b of lineBlocks(chunked)) blocks.push(b);
    expect(blocks.join('')).toBe('abc\ndef\n\ngh');
    expect(blocks.every((b, k) => k === blocks.length - 1 || b.endsWith('\n'))).toBe(true);
  });
  it('forEachLine stops early and leaves the rest for the next reader', async () => {
    const src = new BytesSource('one\ntwo\nthree\nfour');
    const seen: string[] = [];
    await forEachLine(src, '\n', (line) => {
      seen.push(line);
      return seen.length < 2;
    });
    expect(seen).toEqual(['one', 'two']);
    const { readAll } = await import('../../src/core/io.js');
    expect((await readAll(src)).toString()).toBe('three\nfour');
  });
  it('counts bytes four at a time, at any alignment', () => {
    const buf = Buffer.from('a\nb\n\n\nccc\n'.repeat(1000));
    for (let start = 0; start < 8; start++) {
      const part = buf.subarray(start, buf.length - start);
      expect(countByte(part, 10)).toBe([...part].filter((b) => b === 10).length);
    }
    expect(countByte(Buffer.from([0, 1, 0, 0, 2]), 0)).toBe(3);
  });
});

describe('descriptor offsets', () => {
  it('reads where a descriptor stands and moves it forward', () => {
    const file = path.join(tempDir(), 'f');
    fs.writeFileSync(file, '0123456789');
    const fd = fs.openSync(file, 'r');
    try {
      expect(descriptorOffset(fd)).toBe(0);
      advanceOffset(fd, 4);
      expect(descriptorOffset(fd)).toBe(4);
      expect(regularFileAt(new FdSource(fd))).toEqual({ fd, offset: 4 });
      const b = Buffer.alloc(3);
      fs.readSync(fd, b, 0, 3, null);
      expect(b.toString()).toBe('456');
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe('float80 (x87 long double)', () => {
  const p = (s: string) => parseFloat80(s).value;
  it('parses as strtold does', () => {
    expect(parseFloat80('  -1.5e3xyz')).toMatchObject({ end: 8, overflow: false });
    expect(parseFloat80('0x1.8p1').value).toEqual(fromBigInt(3n));
    expect(parseFloat80('inFinity').value).toEqual({ kind: 'inf', neg: false });
    expect(parseFloat80('-nan(123)').value).toEqual({ kind: 'nan', neg: true });
    expect(parseFloat80('abc').end).toBe(0);
    expect(parseFloat80('1e5000').overflow).toBe(true);
    expect(parseFloat80('1e-5000').underflow).toBe(true);
    expect(parseFloat80('0x1p-16445').underflow).toBe(false);
  });
  it('rounds to 64 significant bits, so 0.1 prints as GNU printf prints it', () => {
    expect(toFixed(p('0.1') as never, 20)).toBe('0.10000000000000000000');
    expect(toFixed(p('0.1') as never, 25)).toBe('0.1000000000000000000013553');
    expect(toFixed(p('2.5') as never, 0)).toBe('2');
    expect(toFixed(p('3.5') as never, 0)).toBe('4');
    expect(toExponential(p('123456') as never, 2)).toEqual({ digits: '123', exp: 5 });
  });
  it('adds, multiplies and compares with one rounding each', () => {
    expect(compare(add(p('1'), p('2')), p('3'))).toBe(0);
    expect(compare(p('9223372036854775809'), p('9223372036854775808'))).toBe(1); // 64 bits, not a double's 53
    expect(compare(multiply(fromBigInt(3n), p('0.5')), p('1.5'))).toBe(0);
    expect(compare(p('nan'), p('1'))).toBeUndefined();
    expect(compare(p('-0'), p('0'))).toBe(0);
  });
});

describe('C printf conversions', () => {
  it('formats integers, strings and long doubles as glibc does', () => {
    expect(formatInteger(-42n, { flags: '0', width: 6, conv: 'd' })).toBe('-00042');
    expect(formatInteger(255n, { flags: '#', conv: 'x' })).toBe('0xff');
    expect(formatInteger(8n, { flags: '#', conv: 'o' })).toBe('010');
    expect(formatInteger(0n, { flags: '', precision: 0, conv: 'd' })).toBe('');
    expect(formatString('abcdef', { flags: '-', width: 5, precision: 3, conv: 's' })).toBe('abc  ');
    const x = parseFloat80('1234.5678').value;
    expect(formatFloat(x, { flags: '', conv: 'g' })).toBe('1234.57');
    expect(formatFloat(x, { flags: '+', precision: 2, conv: 'e' })).toBe('+1.23e+03');
    expect(formatFloat(parseFloat80('1').value, { flags: '', conv: 'a' })).toBe('0x8p-3');
    expect(formatFloat(parseFloat80('-inf').value, { flags: '0', width: 6, conv: 'f' })).toBe('  -inf');
    expect(formatFloat(parseFloat80('0.0001').value, { flags: '#', conv: 'g' })).toBe('0.000100000');
  });
});
