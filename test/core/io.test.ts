import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrokenPipe } from '../../src/core/errors.js';
import { BytesSource, MemorySink, OutBuffer, createPipe, eachInput, readAll, readLines } from '../../src/core/io.js';
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
  it('gives a closed reader\'s writer BrokenPipe at once', async () => {
    const { source, sink } = createPipe();
    source.close();
    await expect(sink.write('x')).rejects.toBeInstanceOf(BrokenPipe);
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
