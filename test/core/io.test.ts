import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrokenPipe } from '../../src/core/errors.js';
import { BytesSource, CHUNK_SIZE, FdSource, MemorySink, OutBuffer, createPipe, eachInput, readAll, readLines } from '../../src/core/io.js';
import { tempDir } from '../helpers/run.js';

describe('in-memory pipe', () => {
  it('carries bytes in order and ends when the writer closes', async () => {
    const { source, sink } = createPipe(4);
    const writing = (async () => {
      for (const s of ['ab', 'cdef', 'g']) await sink.write(s);
      await sink.close();
    })();
    expect((await readAll(source)).toString()).toBe('abcdefg');
    await writing;
  });
  it('holds the writer back while the pipe is full (back-pressure)', async () => {
    const { source, sink } = createPipe(4);
    let written = 0;
    const writing = (async () => {
      for (let i = 0; i < 10; i++) {
        await sink.write('xxxx');
        written++;
      }
    })();
    await new Promise((r) => setTimeout(r, 10));
    expect(written).toBeLessThanOrEqual(2);
    source.close();
    await expect(writing).rejects.toBeInstanceOf(BrokenPipe);
  });
  it('copies what it keeps, so writers may reuse their buffer', async () => {
    const { source, sink } = createPipe();
    const buf = Buffer.from('one');
    await sink.write(buf);
    buf.write('two');
    await sink.close();
    expect((await readAll(source)).toString()).toBe('one');
  });
  it('lends chunks to readTransient and reuses their buffers for later copies', async () => {
    const { source, sink } = createPipe(CHUNK_SIZE);
    const writing = (async () => {
      for (let i = 0; i < 6; i++) await sink.write(Buffer.alloc(CHUNK_SIZE, 65 + i));
      await sink.close();
    })();
    const seen: string[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for (let chunk = await source.readTransient!(); chunk; chunk = await source.readTransient!()) {
      expect(chunk.length).toBe(CHUNK_SIZE);
      expect(chunk.every((b) => b === chunk[0])).toBe(true);
      seen.push(String.fromCharCode(chunk[0]!));
      buffers.add(chunk.buffer);
    }
    await writing;
    expect(seen.join('')).toBe('ABCDEF');
    expect(buffers.size).toBeLessThan(6);
  });
  it('keeps chunks handed out by read() for good', async () => {
    const { source, sink } = createPipe(CHUNK_SIZE);
    const writing = (async () => {
      for (let i = 0; i < 4; i++) await sink.write(Buffer.alloc(CHUNK_SIZE, 65 + i));
      await sink.close();
    })();
    const first = await source.readTransient!();
    expect(first![0]).toBe(65);
    const kept: Uint8Array[] = [];
    for (let chunk = await source.read(); chunk; chunk = await source.read()) kept.push(chunk);
    await writing;
    expect(kept.map((c) => String.fromCharCode(c[0]!) + String.fromCharCode(c[CHUNK_SIZE - 1]!)).join(' ')).toBe('BB CC DD');
  });
  it('gives a closed reader\'s writer BrokenPipe at once', async () => {
    const { source, sink } = createPipe();
    source.close();
    await expect(sink.write('x')).rejects.toBeInstanceOf(BrokenPipe);
  });
});

describe('FdSource', () => {
  it('readTransient reuses one buffer; read() gives fresh chunks', async () => {
    const file = path.join(tempDir(), 'f');
    fs.writeFileSync(file, Buffer.concat([Buffer.alloc(CHUNK_SIZE, 1), Buffer.alloc(CHUNK_SIZE, 2), Buffer.alloc(10, 3)]));
    const src = new FdSource(fs.openSync(file, 'r'), true);
    const a = await src.readTransient!();
    expect(a![0]).toBe(1);
    const b = await src.read();
    const c = await src.readTransient!();
    expect([b![0], c![0], c!.length]).toEqual([2, 3, 10]);
    expect(c!.buffer).toBe(a!.buffer);
    expect(b!.buffer).not.toBe(a!.buffer);
    expect(await src.readTransient!()).toBeNull();
    src.close();
  });
});

describe('readLines', () => {
  it('splits across chunks and keeps delimiters and a last unterminated line', async () => {
    const { source, sink } = createPipe();
    void (async () => {
      for (const s of ['a\nb', 'c\n\n', 'd']) await sink.write(s);
      await sink.close();
    })();
    const lines: string[] = [];
    for await (const line of readLines(source)) lines.push(line);
    expect(lines).toEqual(['a\n', 'bc\n', '\n', 'd']);
  });
  it('gives back what it did not use when the reader stops early', async () => {
    const src = new BytesSource('first\nsecond\nthird\n');
    for await (const line of readLines(src)) {
      expect(line).toBe('first\n');
      break;
    }
    expect((await readAll(src)).toString()).toBe('second\nthird\n');
  });
  it('keeps every byte value', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const out: string[] = [];
    for await (const line of readLines(new BytesSource(bytes))) out.push(line);
    expect(Buffer.from(out.join(''), 'latin1')).toEqual(bytes);
  });
});

describe('OutBuffer', () => {
  it('collects small writes and flushes large ones in order', async () => {
    const sink = new MemorySink();
    const out = new OutBuffer(sink, 8);
    for (const s of ['ab', 'cdefgh', 'i', 'jklmnopqrstuvwxyz', '\xff']) await out.put(s);
    await out.flush();
    expect(sink.text()).toBe('abcdefghijklmnopqrstuvwxyz\xff');
  });
});

describe('eachInput', () => {
  it('opens files in turn, reports the ones it cannot open, and closes them', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a'), 'A');
    const ctx = { stdin: new BytesSource('IN'), path: (p: string) => path.resolve(dir, p) };
    const seen: string[] = [];
    for await (const input of eachInput(ctx, ['a', '-', 'missing'])) {
      if (input.error) seen.push(`${input.name}:${(input.error as { code: string }).code}`);
      else seen.push(`${input.name}:${(await readAll(input.source!)).toString()}`);
    }
    expect(seen).toEqual(['a:A', '-:IN', 'missing:ENOENT']);
  });
});

describe('OutBuffer without waiting', () => {
  it('keeps call order when the caller does not await put()', async () => {
    const { source, sink } = createPipe(1 << 20);
    const out = new OutBuffer(sink, 8);
    const pending: (Promise<void> | undefined)[] = [];
    for (const s of ['abc', 'defghijkl', 'm', 'nopqrstuvwxyz0123', '4', '56789']) pending.push(out.put(s));
    pending.push(out.flush());
    await Promise.all(pending);
    await sink.close();
    expect((await readAll(source)).toString()).toBe('abcdefghijklmnopqrstuvwxyz0123456789');
  });
});
