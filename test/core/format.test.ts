import { describe, expect, it } from 'vitest';
import { fitColumns, humanReadable, HUMAN_1024, HUMAN_SI, indent, parseBlockSize, formatBlocks } from '../../src/core/format.js';

// Expected values measured with GNU ls -l (coreutils 9.1) on files of these sizes.
const SIZES = [0, 1, 999, 1000, 1023, 1024, 1025, 1536, 10239, 10240, 10241, 102400, 999999, 1000000, 1000001, 1048575, 1048576, 1048577, 9999999, 10485759, 123456789, 5000000000, 1099511627776];
const GNU: Record<string, string> = {
  '-h': '0 1 999 1000 1023 1.0K 1.1K 1.5K 10K 10K 11K 100K 977K 977K 977K 1.0M 1.0M 1.1M 9.6M 10M 118M 4.7G 1.0T',
  '--si': '0 1 999 1.0k 1.1k 1.1k 1.1k 1.6k 11k 11k 11k 103k 1.0M 1.0M 1.1M 1.1M 1.1M 1.1M 10M 11M 124M 5.0G 1.1T',
  K: '0K 1K 1K 1K 1K 1K 2K 2K 10K 10K 11K 100K 977K 977K 977K 1024K 1024K 1025K 9766K 10240K 120564K 4882813K 1073741824K',
  '1K': '0 1 1 1 1 1 2 2 10 10 11 100 977 977 977 1024 1024 1025 9766 10240 120564 4882813 1073741824',
  KB: '0kB 1kB 1kB 1kB 2kB 2kB 2kB 2kB 11kB 11kB 11kB 103kB 1000kB 1000kB 1001kB 1049kB 1049kB 1049kB 10000kB 10486kB 123457kB 5000000kB 1099511628kB',
  MiB: '0MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 1MiB 2MiB 10MiB 10MiB 118MiB 4769MiB 1048576MiB',
  '1000': '0 1 1 1 2 2 2 2 11 11 11 103 1000 1000 1001 1049 1049 1049 10000 10486 123457 5000000 1099511628',
};

describe('humanReadable', () => {
  it('matches GNU -h and --si', () => {
    expect(SIZES.map((n) => humanReadable(n, HUMAN_1024)).join(' ')).toBe(GNU['-h']);
    expect(SIZES.map((n) => humanReadable(n, HUMAN_SI)).join(' ')).toBe(GNU['--si']);
  });
  it.each(['K', '1K', 'KB', 'MiB', '1000'])('matches GNU --block-size=%s', (spec) => {
    const bs = parseBlockSize(spec);
    expect(SIZES.map((n) => formatBlocks(n, 1, bs)).join(' ')).toBe(GNU[spec]);
  });
  it('converts between block sizes', () => {
    expect(humanReadable(8, {}, 512, 1024)).toBe('4');
    expect(humanReadable(3, {}, 512, 1024)).toBe('2');
    expect(humanReadable(3, { round: 'floor' }, 512, 1024)).toBe('1');
    expect(humanReadable(2048, HUMAN_1024, 512, 1)).toBe('1.0M');
  });
});

describe('parseBlockSize', () => {
  it('reads GNU forms', () => {
    expect(parseBlockSize('1M').size).toBe(1048576);
    expect(parseBlockSize('1MB').size).toBe(1000000);
    expect(parseBlockSize('KiB')).toEqual({ size: 1024, human: { suffix: true, bytesSuffix: true, base1024: true } });
    expect(parseBlockSize('human-readable').human.autoscale).toBe(true);
    expect(parseBlockSize('si').human.base1024).toBeUndefined();
  });
  it('rejects what GNU rejects, in its words', () => {
    expect(() => parseBlockSize('x')).toThrow("invalid --block-size argument 'x'");
    expect(() => parseBlockSize('1x')).toThrow("invalid suffix in --block-size argument '1x'");
    expect(() => parseBlockSize('0')).toThrow("invalid --block-size argument '0'");
    expect(() => parseBlockSize('1KBB')).toThrow('invalid suffix');
  });
});

describe('fitColumns', () => {
  it('fits as many columns as the widest names allow', () => {
    expect(fitColumns([1, 1, 1], 80, true)).toEqual({ columns: 3, rows: 1, widths: [3, 3, 3] });
    const many = Array.from({ length: 30 }, () => 10);
    expect(fitColumns(many, 80, true)).toMatchObject({ columns: 7, rows: 5 }); // 5 rows fill 6 columns, as GNU's
    expect(fitColumns([78, 5, 5], 80, true).columns).toBe(1);
  });
  it('indents with tabs where they fit', () => {
    expect(indent(3, 10, 8)).toBe('\t  ');
    expect(indent(3, 10, 0)).toBe('       ');
  });
});
