// gzip members one by one, with the compressed bytes of each handed to the caller: what apk needs
// to verify a package (signature over the control member's compressed bytes, datahash over the
// data member's) while reading each member as a tar segment.
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipMembers } from '../../../src/core/archive/gzip-members.js';
import { TarReader } from '../../../src/core/archive/reader.js';
import { TarWriter } from '../../../src/core/archive/writer.js';
import { MemorySink, readAll } from '../../../src/core/io.js';

const members = [Buffer.alloc(200_000, 'a'), Buffer.from('second member\n'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251))];
const compressed = members.map((m) => zlib.gzipSync(m));
const whole = Buffer.concat(compressed);

async function* chunked(data: Buffer, sizes: (i: number) => number) {
  for (let pos = 0, i = 0; pos < data.length; i++) {
    const n = Math.max(1, sizes(i));
    yield data.subarray(pos, pos + n);
    pos += n;
  }
}

async function collect(src: AsyncIterable<Uint8Array>) {
  const seen: Buffer[][] = [];
  const out: Buffer[] = [];
  for await (const m of gunzipMembers(src, (bytes, i) => (seen[i] ??= []).push(Buffer.from(bytes)))) {
    out.push(await readAll(m.data));
    expect(m.compressedSize).toBe(compressed[m.index]!.length);
  }
  return { out, seen: seen.map((parts) => Buffer.concat(parts)) };
}

describe('gunzipMembers', () => {
  const chunkings: [string, (i: number) => number][] = [
    ['whole', () => whole.length],
    ['7-byte chunks', () => 7],
    ['chunks that end exactly where members end', (i) => compressed[i]?.length ?? whole.length],
    ['chunks that end where deflate data ends', (i) => (i % 2 === 0 ? compressed[i / 2]!.length - 8 : 8)],
  ];
  it.each(chunkings)('splits members and their compressed bytes exactly (%s)', async (_, sizes) => {
    const { out, seen } = await collect(chunked(whole, sizes));
    expect(out).toEqual(members);
    expect(seen).toEqual(compressed);
  });
  it('reads the members of an apk-style package as tar segments', async () => {
    const segment = async (entries: [string, string][], end: boolean) => {
      const sink = new MemorySink();
      const w = new TarWriter(sink, { format: 'pax' });
      for (const [name, body] of entries) await w.add({ name, type: 'file', mode: 0o644, mtime: 0, pax: [['APK-TOOLS.checksum.SHA1', 'f'.repeat(40)]] }, body);
      if (end) await w.finish();
      else await w.flush();
      return zlib.gzipSync(sink.bytes());
    };
    const pkg = Buffer.concat([await segment([['.SIGN.RSA.key.rsa.pub', 'sig']], false), await segment([['.PKGINFO', 'pkgname = x\n']], false), await segment([['usr/bin/x', 'binary']], true)]);
    const names: string[][] = [];
    for await (const m of gunzipMembers(chunked(pkg, () => 100))) {
      const list: string[] = [];
      for await (const e of new TarReader(m.data)) list.push(`${e.name}=${(await e.bytes()).toString()}:${e.pax.get('APK-TOOLS.checksum.SHA1')?.length}`);
      names.push(list);
    }
    expect(names).toEqual([['.SIGN.RSA.key.rsa.pub=sig:40'], ['.PKGINFO=pkgname = x\n:40'], ['usr/bin/x=binary:40']]);
  });
  it('skips what the caller did not read of a member', async () => {
    const sizes: number[] = [];
    for await (const m of gunzipMembers(chunked(whole, () => 1000))) sizes.push(m.index);
    expect(sizes).toEqual([0, 1, 2]);
  });
  it('fails cleanly on a bad CRC, a truncated member, and data that is not gzip', async () => {
    const bad = Buffer.from(whole);
    const crcAt = compressed[0]!.length - 8; // first member's CRC
    bad[crcAt] = bad[crcAt]! ^ 1;
    await expect(collect(chunked(bad, () => 5000))).rejects.toThrow('gzip: invalid compressed data--crc error');
    await expect(collect(chunked(whole.subarray(0, 100), () => 30))).rejects.toThrow('gzip: unexpected end of file');
    await expect(collect(chunked(Buffer.from('not gzip at all'), () => 100))).rejects.toThrow('gzip: not in gzip format');
  });
});
