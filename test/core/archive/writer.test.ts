// The tar writer: fields of each format, long names, big numbers, errors where a format cannot
// hold an entry, sparse maps, deterministic output; everything read back by our reader.
import { describe, expect, it } from 'vitest';
import { readString } from '../../../src/core/archive/header.js';
import { TarReader } from '../../../src/core/archive/reader.js';
import { encodeHeader, type HeaderInit, splitUstarName, TarWriter, type WriteFormat } from '../../../src/core/archive/writer.js';
import { BytesSource, MemorySink } from '../../../src/core/io.js';

async function archive(format: WriteFormat, entries: [HeaderInit, string?][]): Promise<Buffer> {
  const out = new MemorySink();
  const w = new TarWriter(out, { format });
  for (const [h, body] of entries) await w.add(h, body);
  await w.finish();
  return out.bytes();
}
async function readBack(data: Buffer) {
  const got = [];
  for await (const e of new TarReader(new BytesSource(data))) {
    const body = (await e.bytes()).toString('latin1');
    got.push({ name: e.name, type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, uname: e.uname, gname: e.gname, mtime: e.mtime, linkname: e.linkname, size: e.realSize, body, pax: e.pax, sparse: e.sparse, dev: [e.devmajor, e.devminor], format: e.format });
  }
  return got;
}
const file = (name: string, body: string, more: Partial<HeaderInit> = {}): [HeaderInit, string] => [{ name, type: 'file', mode: 0o644, mtime: 1700000000, uid: 1000, gid: 100, uname: 'me', gname: 'users', ...more }, body];

describe('every format', () => {
  const tree: [HeaderInit, string?][] = [
    [{ name: 'dir/', type: 'directory', mode: 0o755, mtime: 1700000000 }],
    file('dir/a.txt', 'hello\n', { mode: 0o4755 }),
    [{ name: 'dir/link', type: 'symlink', linkname: 'a.txt', mode: 0o777, mtime: 1 }],
    [{ name: 'dir/hard', type: 'link', linkname: 'dir/a.txt', mode: 0o644, mtime: 1 }],
  ];
  for (const format of ['ustar', 'pax', 'gnu', 'v7'] as const) {
    it(`${format}: round trip`, async () => {
      const data = await archive(format, tree);
      expect(data.length % 10240).toBe(0);
      const got = await readBack(data);
      expect(got.map((g) => [g.name, g.type, g.mode, g.body, g.linkname])).toEqual([
        ['dir/', 'directory', 0o755, '', ''],
        ['dir/a.txt', 'file', 0o4755, 'hello\n', ''],
        ['dir/link', 'symlink', 0o777, '', 'a.txt'],
        ['dir/hard', 'link', 0o644, '', 'dir/a.txt'],
      ]);
      expect(got[1]!.uname).toBe(format === 'v7' ? '' : 'me');
    });
  }
  it('ustar header bytes are laid out as GNU tar writes them', () => {
    const b = encodeHeader({ name: 'f', type: 'file', mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', size: 3, mtime: 0o15301077230 }, 'ustar');
    const s = Buffer.from(b).toString('latin1');
    expect(s.slice(100, 157)).toBe('0000644\x000000000\x000000000\x0000000000003\x0015301077230\x00' + s.slice(148, 156) + '0');
    expect(s.slice(148, 156)).toMatch(/^[0-7]{6}\x00 $/);
    expect(s.slice(257, 265)).toBe('ustar\x0000');
    expect(s.slice(329, 345)).toBe('0000000\x000000000\x00');
  });
  it('gnu: magic, no device fields for files', () => {
    const b = encodeHeader({ name: 'f', type: 'file', mode: 0o644, mtime: 0 }, 'gnu');
    expect(Buffer.from(b).toString('latin1', 257, 265)).toBe('ustar  \x00');
    expect(b[329]).toBe(0);
  });
});

describe('long names and big numbers', () => {
  const longName = `${'d'.repeat(80)}/${'e'.repeat(80)}/${'f'.repeat(90)}`;
  const longLink = 'l'.repeat(150);
  it('ustar splits at a slash into prefix and name', async () => {
    const name = `${'p'.repeat(150)}/${'n'.repeat(99)}`;
    expect(splitUstarName(name)).toEqual({ prefix: 'p'.repeat(150), name: 'n'.repeat(99) });
    expect((await readBack(await archive('ustar', [file(name, 'x')])))[0]!.name).toBe(name);
  });
  it('ustar refuses names it cannot hold, in GNU words', async () => {
    await expect(archive('ustar', [file('n'.repeat(120), '')])).rejects.toThrow('file name is too long (cannot be split); not dumped');
    await expect(archive('ustar', [file(`${'a/'.repeat(130)}x`, '')])).rejects.toThrow('file name is too long (max 256); not dumped');
    await expect(archive('v7', [file('n'.repeat(100), '')])).rejects.toThrow('file name is too long (max 99); not dumped');
    await expect(archive('ustar', [[{ name: 's', type: 'symlink', linkname: longLink, mode: 0o777, mtime: 0 }]])).rejects.toThrow('link name is too long');
    await expect(archive('ustar', [file('big-uid', '', { uid: 2 ** 21 })])).rejects.toThrow('value 2097152 out of uid_t range 0..2097151');
    await expect(archive('v7', [[{ name: 'p', type: 'fifo', mode: 0o644, mtime: 0 }]])).rejects.toThrow('Unknown file type; file ignored');
  });
  it('gnu: ././@LongLink for names and link names, base-256 for numbers', async () => {
    const data = await archive('gnu', [[{ name: longName, type: 'symlink', linkname: longLink, mode: 0o777, mtime: -5, uid: 2 ** 40, gid: 2 ** 22 }]]);
    expect(data.toString('latin1', 0, 13)).toBe('././@LongLink');
    const [e] = await readBack(data);
    expect([e!.name, e!.linkname, e!.mtime, e!.uid, e!.gid, e!.format]).toEqual([longName, longLink, -5, 2 ** 40, 2 ** 22, 'gnu']);
  });
  it('pax: records for what ustar cannot hold; vendor records kept; header named %d/PaxHeaders/%f', async () => {
    const data = await archive('pax', [
      file(longName, 'x', { uid: 2 ** 30, mtime: 1700000000.5, uname: 'ü'.repeat(3), pax: [['APK-TOOLS.checksum.SHA1', 'a'.repeat(40)]] }),
      file('plain', 'y'),
    ]);
    expect(data[156]).toBe('x'.charCodeAt(0));
    const named = await archive('pax', [file('a/\xc3\xbc', '')]);
    expect(readString(named, 0, 100)).toBe('a/PaxHeaders/\xc3\xbc');
    const [a, b] = await readBack(data);
    expect([a!.name, a!.uid, a!.mtime, a!.uname, a!.pax.get('APK-TOOLS.checksum.SHA1'), a!.body]).toEqual([longName, 2 ** 30, 1700000000.5, 'ü'.repeat(3), 'a'.repeat(40), 'x']);
    expect([b!.name, b!.body, b!.pax.size]).toEqual(['plain', 'y', 0]);
  });
  it('pax: a size beyond 8 GiB goes into a size record', () => {
    const b = Buffer.from(encodeHeader({ name: 'huge', type: 'file', mode: 0o644, mtime: 0, size: 2 ** 34 }, 'pax')).toString('latin1');
    expect(b).toContain(' size=17179869184\n');
  });
  it('devices keep their numbers', async () => {
    for (const format of ['ustar', 'gnu', 'pax'] as const) {
      const [e] = await readBack(await archive(format, [[{ name: 'null', type: 'chardev', mode: 0o666, mtime: 0, devmajor: 1, devminor: 3 }]]));
      expect([e!.type, e!.dev]).toEqual(['chardev', [1, 3]]);
    }
  });
});

describe('sparse files', () => {
  const map = Array.from({ length: 30 }, (_, i) => ({ offset: i * 10000, length: 10 }));
  const body = 'x'.repeat(300);
  for (const format of ['gnu', 'pax'] as const) {
    it(`${format}: the map survives the round trip (30 ranges: extension blocks for gnu)`, async () => {
      const [e] = await readBack(await archive(format, [file('sp', body, { sparse: { map, realSize: 300000 } })]));
      expect([e!.name, e!.size, e!.sparse, e!.body]).toEqual(['sp', 300000, map, body]);
    });
  }
});

describe('determinism', () => {
  it('the same entries give the same bytes', async () => {
    const entries = [file('a', '1'), file('b', '2', { mtime: 1.25 })];
    for (const format of ['ustar', 'pax', 'gnu', 'v7'] as const) expect(await archive(format, entries)).toEqual(await archive(format, entries));
  });
  it('refuses a body longer or shorter than the header said', async () => {
    const w = new TarWriter(new MemorySink());
    await w.header({ name: 'a', type: 'file', mode: 0o644, mtime: 0, size: 2 });
    expect(() => w.write(Buffer.from('abc'))).toThrow(/more body/);
    expect(() => w.endEntry()).toThrow(/short/);
  });
});
