// Compression filters: detection, in-process decompression of every method, compression round
// trips, truncated and corrupt input as clean errors.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress, compressionForName, decompress, detectCompression } from '../../../src/core/archive/compress.js';
import { BytesSource, MemorySink, readAll } from '../../../src/core/io.js';
import { archivePath, hasCorpus } from './corpus.js';

const text = Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}\n`).join(''));
const has = (p: string) => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0;
const viaProgram = (p: string, data: Buffer, args: string[] = []) => spawnSync(p, args, { input: data, maxBuffer: 1 << 30 }).stdout;

async function inflate(data: Uint8Array, method: Parameters<typeof decompress>[1] = 'auto') {
  return readAll(await decompress(new BytesSource(data), method));
}

describe('detection', () => {
  it('knows each method by its magic bytes', () => {
    expect(detectCompression(zlib.gzipSync('x'))).toBe('gzip');
    expect(detectCompression(zlib.zstdCompressSync('x'))).toBe('zstd');
    expect(detectCompression(Buffer.from('BZh91AY'))).toBe('bzip2');
    expect(detectCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]))).toBe('xz');
    expect(detectCompression(Buffer.from([0x1f, 0x9d, 0x90]))).toBe('compress');
    expect(detectCompression(Buffer.from('ustar'))).toBe('none');
  });
  it('knows each method by the archive name, as -a does', () => {
    expect(['a.tgz', 'a.tar.gz', 'a.tbz2', 'a.tar.bz2', 'a.txz', 'a.tar.xz', 'a.tar.zst', 'a.tar', 'a.tar.Z'].map(compressionForName)).toEqual(['gzip', 'gzip', 'bzip2', 'bzip2', 'xz', 'xz', 'zstd', 'none', 'compress']);
  });
});

describe('decompression', () => {
  it('gzip, several members in a row', async () => {
    expect(await inflate(Buffer.concat([zlib.gzipSync(text), zlib.gzipSync('tail\n')]))).toEqual(Buffer.concat([text, Buffer.from('tail\n')]));
  });
  it('zstd', async () => {
    expect(await inflate(zlib.zstdCompressSync(text))).toEqual(text);
  });
  it('passes uncompressed data through', async () => {
    expect(await inflate(text)).toEqual(text);
  });
  it.skipIf(!hasCorpus)('bzip2 and xz archives of the corpus give the plain archive', async () => {
    const plain = fs.readFileSync(archivePath('test_extract.tar'));
    expect(await inflate(fs.readFileSync(archivePath('test_extract.tar.bz2')))).toEqual(plain);
    expect(await inflate(fs.readFileSync(archivePath('test_extract.tar.xz')))).toEqual(plain);
    expect(await inflate(fs.readFileSync(archivePath('test_extract.tar.gz')))).toEqual(plain);
  });
  it.skipIf(!has('bzip2'))('bzip2: many blocks and concatenated streams', async () => {
    const big = Buffer.concat([text, text, text, text, text, text, text, text]); // > 900k: several blocks
    const z = viaProgram('bzip2', big, ['-1']);
    expect(await inflate(Buffer.concat([z, viaProgram('bzip2', Buffer.from('more'))]))).toEqual(Buffer.concat([big, Buffer.from('more')]));
  });
  it.skipIf(!has('xz'))('xz: concatenated streams', async () => {
    expect(await inflate(Buffer.concat([viaProgram('xz', text), viaProgram('xz', Buffer.from('more'))]))).toEqual(Buffer.concat([text, Buffer.from('more')]));
  });
  it('truncated or corrupt input fails with a message naming the method', async () => {
    const gz = zlib.gzipSync(text);
    await expect(inflate(gz.subarray(0, gz.length / 2))).rejects.toThrow(/^gzip: unexpected end of file$/);
    const bad = Buffer.from(gz);
    bad.fill(0x55, 100, 200);
    await expect(inflate(bad)).rejects.toThrow(/^gzip: /);
    const zs = zlib.zstdCompressSync(text);
    await expect(inflate(zs.subarray(0, zs.length / 2))).rejects.toThrow(/^zstd: /);
  });
  it.skipIf(!has('bzip2') || !has('xz'))('truncated bzip2 and xz fail cleanly', async () => {
    const bz = viaProgram('bzip2', text);
    await expect(inflate(bz.subarray(0, bz.length / 2))).rejects.toThrow(/^bzip2: /);
    const xz = viaProgram('xz', text);
    await expect(inflate(xz.subarray(0, xz.length / 2))).rejects.toThrow(/^xz: /);
  });
});

describe('compression', () => {
  for (const method of ['gzip', 'zstd', 'bzip2', 'xz'] as const) {
    it.skipIf((method === 'bzip2' || method === 'xz') && !has(method))(`${method} round trip`, async () => {
      const out = new MemorySink();
      const sink = await compress(out, method);
      for (let i = 0; i < text.length; i += 10000) await sink.write(text.subarray(i, i + 10000));
      await sink.close();
      expect(detectCompression(out.bytes())).toBe(method);
      expect(await inflate(out.bytes())).toEqual(text);
    });
  }
  it('a missing program is a clean error, as GNU words it', async () => {
    await expect(compress(new MemorySink(), 'lzop', { env: { PATH: '/nonexistent' } })).rejects.toThrow('lzop: Cannot exec: No such file or directory');
  });
});
