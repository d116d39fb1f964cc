// The progress meter's lines, against BusyBox 1.35's (measured: `busybox wget` on loopback).
import { describe, expect, it } from 'vitest';
import { compactSize, ProgressMeter, type ProgressOptions } from '../../../src/applets/wget/progress.js';

function meter(o: Partial<ProgressOptions> & { clock: { t: number } }) {
  const out: string[] = [];
  const m = new ProgressMeter({ write: (s) => out.push(s), tty: false, columns: 80, name: 'file.bin', begin: 0, total: 3000, now: () => o.clock.t, ...o });
  return { m, out };
}

describe('ProgressMeter', () => {
  it('draws BusyBox\'s line: name, percentage, bar, size, ETA', () => {
    const clock = { t: 100 };
    const { m, out } = meter({ clock });
    m.update(100);
    expect(out).toEqual([]); // not within the first second
    clock.t = 101;
    m.update(600);
    clock.t = 103;
    m.update(3000);
    m.finish(3000);
    expect(out).toEqual([
      'file.bin              20% |******                          |   600  0:00:04 ETA\n',
      'file.bin             100% |********************************|  3000  0:00:00 ETA\n',
    ]);
  });
  it('scales sizes above 99999 to k, M ..., and leaves out percentage and bar without a total', () => {

    const clock = { t: 0 };
    const { m, out } = meter({ clock, total: undefined, name: 'a-very-long-file-name-indeed.tar.gz' });
    clock.t = 1;
    m.update(1234567);
    m.finish(5 * 1024 * 1024 * 1024);
    expect(out).toEqual(['a-very-long-file-nam 1205k --:--:-- ETA\n', 'a-very-long-file-nam 5120M --:--:-- ETA\n']);
  });
  it('writes sizes in five columns as BusyBox does', () => {
    expect([24500, 85700, 100864, 600000, 99999, 0].map(compactSize)).toEqual(['24500', '85700', '98.5k', ' 585k', '99999', '    0']);
  });
  it('redraws in place on a terminal and ends the line once', () => {
    const clock = { t: 0 };
    const { m, out } = meter({ clock, tty: true, columns: 60 });
    clock.t = 1;
    m.update(1500);
    m.finish(3000);
    expect(out).toEqual(['\rfile.bin              50% |******      |  1500  0:00:01 ETA', '\rfile.bin             100% |************|  3000  0:00:00 ETA', '\n']);
  });
  it('counts bytes that were already there (-c) and says when the transfer stalls', () => {
    const clock = { t: 0 };
    const { m, out } = meter({ clock, begin: 1000 });
    clock.t = 1;
    m.update(500);
    clock.t = 7;
    m.update(500);
    expect(out).toEqual([
      'file.bin              50% |****************                |  1500  0:00:03 ETA\n',
      'file.bin              50% |****************                |  1500  - stalled -\n',
    ]);
    m.stop();
  });
});
