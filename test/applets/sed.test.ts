// sed in-process: what the differential tests cannot see (the whole-buffer fast path against the
// cycle, stdin left for the next reader, in-place editing details, pipes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BytesSource, createPipe } from '../../src/core/io.js';
import { run, tempDir } from '../helpers/run.js';

const INPUT = 'the cat\nthe the dog\n\nxyz 123 45\nno newline the';

describe('sed: the whole-buffer path gives what the cycle gives', () => {
  // A lone s command takes the fast path; with a no-op second command it runs the normal cycle.
  it.each([
    's/the/THE/',
    's/the/THE/g',
    's/[0-9]*/<&>/',
    's/[0-9]\\+/N/g',
    's/^/> /',
    's/$/ </',
    's/\\(t\\)\\(h\\)/\\2\\1/g',
    's/.*/\\U&/',
    's/\\b[a-z]/\\u&/g',
    's/x*/-/',
    's/e$/E/',
    's/the//2',
    's/ \\+/_/g',
    's/[[:space:]]*$//',
  ])('%s', async (script) => {
    const fast = await run(['sed', script], { stdin: INPUT });
    const slow = await run(['sed', '-e', script, '-e', ':end'], { stdin: INPUT });
    expect(fast).toMatchObject({ stdout: slow.stdout, status: 0 });
  });
});

describe('sed: input and output', () => {
  it('q leaves the rest of standard input to the next reader', async () => {
    const stdin = new BytesSource('1\n2\n3\n');
    const r = await run(['sed', '1q'], { stdin });
    expect(r.stdout).toBe('1\n');
    const rest = await stdin.read();
    expect(Buffer.from(rest!).toString()).toBe('2\n3\n');
  });
  it('reads a pipe fed in small pieces', async () => {
    const { source, sink } = createPipe(8);
    const writer = (async () => {
      for (const piece of ['a', 'b\nc', 'd\n', 'e']) await sink.write(piece);
      await sink.close();
    })();
    const r = await run(['sed', '-n', '$!N;s/\\n/+/p;$p'], { stdin: source });
    await writer;
    expect(r.stdout).toBe('ab+cd\ne');
  });
  it('shows what it did before waiting for more input from a pipe (tail -f | sed)', async () => {
    for (const script of ['s/a/A/', 's/a/A/;p']) {
      const { source, sink } = createPipe();
      const out = createPipe();
      const running = run(['sed', script], { stdin: source, stdout: out.sink });
      await sink.write('abc\n');
      const first = await out.source.read();
      expect(Buffer.from(first!).toString()).toMatch(/^Abc\n/);
      await sink.close();
      expect((await running).status).toBe(0);
    }
  });
  it('-i keeps the mode and writes through a temporary file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'a\nb\n');
    fs.chmodSync(file, 0o751);
    const before = fs.statSync(file).ino;
    const r = await run(['sed', '-i.orig', 's/a/A/', 'f'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(file, 'latin1')).toBe('A\nb\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o751);
    expect(fs.statSync(file).ino).not.toBe(before);
    expect(fs.readFileSync(path.join(dir, 'f.orig'), 'latin1')).toBe('a\nb\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['f', 'f.orig']);
  });
  it('-i refuses what is not a regular file', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'd'));
    const r = await run(['sed', '-i', 'p', 'd'], { cwd: dir });
    expect(r).toMatchObject({ status: 4, stderr: "sed: couldn't edit d: not a regular file\n" });
  });
  it('w files are created even when nothing is written, once per name', async () => {
    const dir = tempDir();
    const r = await run(['sed', '-n', '/zzz/w out\n/a/w out'], { cwd: dir, stdin: 'a\nb\na\n' });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out'), 'latin1')).toBe('a\na\n');
  });
  it('w /dev/stdout and /dev/stderr are our own streams', async () => {
    const r = await run(['sed', '-n', 'w /dev/stdout'], { stdin: 'x\n' });
    expect(r.stdout).toBe('x\n');
    const e = await run(['sed', '-n', 'w /dev/stderr'], { stdin: 'x\n' });
    expect(e.stderr).toBe('x\n');
  });
  it('r /dev/stdin reads our standard input', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'f'), '1\n2\n');
    const r = await run(['sed', '1r /dev/stdin', 'f'], { cwd: dir, stdin: 'in\n' });
    expect(r.stdout).toBe('1\nin\n2\n');
  });
  it('keeps every byte', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const r = await run(['sed', 's/\\x00/NUL/'], { stdin: all });
    expect(Buffer.from(r.stdout, 'latin1')).toEqual(Buffer.concat([Buffer.from('NUL'), all.subarray(1)]));
  });
});
