// grep in-process: what the differential tests cannot see (standard input left for the next reader,
// pipes fed in pieces, several greps at once, large inputs across buffer boundaries).
import { describe, expect, it } from 'vitest';
import { BytesSource, createPipe } from '../../src/core/io.js';
import { run } from '../helpers/run.js';

describe('grep in-process', () => {
  it('-m leaves standard input just after the last selected line', async () => {
    const stdin = new BytesSource('a1\nb\na2\nc\n');
    const r = await run(['grep', '-m1', 'a'], { stdin });
    expect(r).toMatchObject({ status: 0, stdout: 'a1\n' });
    expect(Buffer.from((await stdin.read())!).toString()).toBe('b\na2\nc\n');
  });
  it('-q stops at the first match', async () => {
    const stdin = new BytesSource('x\nhit\n' + 'y\n'.repeat(1000));
    expect(await run(['grep', '-q', 'hit'], { stdin })).toMatchObject({ status: 0, stdout: '' });
  });
  it('reads a pipe fed in pieces, context across the pieces', async () => {
    const { source, sink } = createPipe(4);
    const writer = (async () => {
      for (const piece of ['on', 'e\ntw', 'o\nthr', 'ee\nfo', 'ur']) await sink.write(piece);
      await sink.close();
    })();
    const r = await run(['grep', '-n', '-C1', 'three'], { stdin: source });
    await writer;
    expect(r.stdout).toBe('2-two\n3:three\n4-four\n');
  });
  it('counts across buffer boundaries in a large input', async () => {
    const line = 'some text with needle in it\n';
    const other = 'and some without\n';
    const input = (line + other.repeat(3)).repeat(50000);
    const r = await run(['grep', '-c', 'needle'], { stdin: input });
    expect(r.stdout).toBe('50000\n');
    const n = await run(['grep', '-n', '-m2', '-v', 'needle'], { stdin: input });
    expect(n.stdout).toBe(`2:${other}3:${other}`);
  });
  it('shows what it found before waiting for more input from a pipe (tail -f | grep)', async () => {
    const { source, sink } = createPipe();
    const out = createPipe();
    const running = run(['grep', 'hit'], { stdin: source, stdout: out.sink });
    await sink.write('miss\nhit 1\n');
    // The writer waits for the match to come out before it ends its input.
    const first = await out.source.read();
    expect(Buffer.from(first!).toString()).toBe('hit 1\n');
    await sink.close();
    expect((await running).status).toBe(0);
  });
  it('runs twice at once without sharing state', async () => {
    const [a, b] = await Promise.all([
      run(['grep', '-c', 'a'], { stdin: 'a\nb\na\n' }),
      run(['grep', '-o', '-E', 'b+'], { stdin: 'abb\nbbb\n' }),
    ]);
    expect(a.stdout).toBe('2\n');
    expect(b.stdout).toBe('bb\nbbb\n');
  });
  it('finds lines with the literal prefilter and with the plain RegExp alike', async () => {
    const input = 'fox jumps\nfoox jumps\nfx jumps\nfox jump\nxx fooox jumps yy\n';
    const prefiltered = await run(['grep', '-n', 'fo*x jumps'], { stdin: input });
    const plain = await run(['grep', '-n', 'fo*x [j]umps'], { stdin: input });
    expect(prefiltered.stdout).toBe('1:fox jumps\n2:foox jumps\n3:fx jumps\n5:xx fooox jumps yy\n');
    expect(plain.stdout).toBe(prefiltered.stdout);
  });
  it('keeps every byte of a selected line (-a)', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 10));
    const r = await run(['grep', '-a', 'A'], { stdin: Buffer.concat([all, Buffer.from('\n')]) });
    expect(Buffer.from(r.stdout, 'latin1')).toEqual(Buffer.concat([all, Buffer.from('\n')]));
  });
  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run(['grep', '-r', 'x', '.'], { signal: controller.signal, files: { a: 'x\n', b: 'x\n' } });
    expect(r.status).toBeLessThanOrEqual(1);
  });
});

describe('expr in-process', () => {
  it('evaluates with arbitrary precision and GNU precedence', async () => {
    expect(await run(['expr', '2', '+', '3', '*', '4'])).toMatchObject({ stdout: '14\n', status: 0 });
    expect(await run(['expr', '99999999999999999999', '*', '10'])).toMatchObject({ stdout: '999999999999999999990\n' });
    expect(await run(['expr', 'abcd', ':', 'a\\(..\\)'])).toMatchObject({ stdout: 'bc\n' });
    expect(await run(['expr', '0', '|', ''])).toMatchObject({ stdout: '0\n', status: 1 });
    expect(await run(['expr', '1', '/', '0'])).toMatchObject({ stderr: 'expr: division by zero\n', status: 2 });
  });
});
