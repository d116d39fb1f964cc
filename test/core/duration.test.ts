import { describe, expect, it } from 'vitest';
import { parseDuration, waitFor } from '../../src/core/duration.js';

describe('parseDuration', () => {
  it('reads C numbers with suffixes', () => {
    expect(parseDuration('1.5')).toBe(1.5);
    expect(parseDuration('.5s')).toBe(0.5);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('1d')).toBe(86400);
    expect(parseDuration('1e-3')).toBe(0.001);
    expect(parseDuration('0x1p-4')).toBe(0.0625);
    expect(parseDuration('0x.8')).toBe(0.5);
    expect(parseDuration(' 3')).toBe(3);
    expect(parseDuration('inf')).toBe(Infinity);
    expect(parseDuration('infinityd')).toBe(Infinity);
  });
  it('rejects what GNU rejects', () => {
    for (const bad of ['', 'x', '1x', '-1', 'nan', '1 ', '1ss', '0s5']) expect(parseDuration(bad), bad).toBeUndefined();
  });
});

describe('waitFor', () => {
  it('waits, and stops at once when aborted', async () => {
    expect(await waitFor(0.01, new AbortController().signal)).toBe(true);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 10);
    expect(await waitFor(Infinity, controller.signal)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
