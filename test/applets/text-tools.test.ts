// The text applets in-process: what differential tests cannot show — sharing an input with the
// next reader, following files, huge sparse files, temporary files, closed pipes, running applets
// from xargs, and the APIs the shell uses for test and printf.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPrintf } from '../../src/applets/printf.js';
import { evaluateTest } from '../../src/applets/test.js';
import { BytesSource, createPipe, FdSource, readAll } from '../../src/core/io.js';
import { descriptorOffset } from '../../src/core/offset.js';
import { run, tempDir, testHost } from '../helpers/run.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('head', () => {
  it('leaves the rest of a shared input to the next reader (in-process)', async () => {
    const stdin = new BytesSource('one\ntwo\nthree\n');
    expect((await run('head -n 1', { stdin })).stdout).toBe('one\n');
    expect((await run('cat', { stdin })).stdout).toBe('two\nthree\n');
  });
  it('leaves a regular file standard input just after what it printed (across processes)', async () => {
    const file = path.join(tempDir(), 'f');
    fs.writeFileSync(file, 'a\nb\nc\n'.repeat(100000));
    const fd = fs.openSync(file, 'r');
    try {
      const r = await run('head -n 2', { stdin: new FdSource(fd) });
      expect(r.stdout).toBe('a\nb\n');
      expect(descriptorOffset(fd)).toBe(4);
    } finally {
      fs.closeSync(fd);
    }
  });
  it('prints all but the last lines of a stream in constant memory per line', async () => {
    const r = await run(['head', '-n', '-2'], { stdin: 'x\n'.repeat(100000) + 'y\nz' });
    expect(r.stdout).toBe('x\n'.repeat(100000));
  });
  it('stops quietly with 141 when the reader goes away', async () => {
    const { source, sink } = createPipe(16);
    source.close();
    expect((await run('head -c 100000', { stdin: 'x'.repeat(200000), stdout: sink })).status).toBe(141);
  });
});

describe('tail', () => {
  it('reads a huge sparse file from its end', async () => {
    const dir = tempDir();
    const big = path.join(dir, 'sparse');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 8 * 1024 ** 3);
    fs.appendFileSync(big, '\nlast line\nreally last\n');
    const started = Date.now();
    const r = await run('tail -n 2 sparse', { cwd: dir });
    expect(r.stdout).toBe('last line\nreally last\n');
    expect((await run('tail -c 5 sparse', { cwd: dir })).stdout).toBe('last\n');
    expect(Date.now() - started).toBeLessThan(20000); // reading 8 GiB would take far longer
  });
  it('-f prints what is appended, and notices truncation, until aborted', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'log'), 'one\n');
    const ac = new AbortController();
    const pending = run('tail -f -s 0.05 log', { cwd: dir, signal: ac.signal });
    await sleep(300);
    fs.appendFileSync(path.join(dir, 'log'), 'two\n');
    await sleep(300);
    fs.writeFileSync(path.join(dir, 'log'), '');
    await sleep(300);
    fs.appendFileSync(path.join(dir, 'log'), 'three\n');
    await sleep(300);
    ac.abort();
    const r = await pending;
    expect(r.stdout).toBe('one\ntwo\nthree\n');
    expect(r.stderr).toBe('tail: log: file truncated\n');
  });
  it('-F follows a name through rotation, disappearance and reappearance', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'log');
    fs.writeFileSync(log, 'old\n');
    const ac = new AbortController();
    const pending = run('tail -F -s 0.05 log', { cwd: dir, signal: ac.signal });
    await sleep(300);
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, 'new\n');
    await sleep(400);
    fs.rmSync(log);
    await sleep(400);
    fs.writeFileSync(log, 'again\n');
    await sleep(400);
    ac.abort();
    const r = await pending;
    expect(r.stdout).toBe('old\nnew\nagain\n');
    expect(r.stderr).toBe(
      "tail: 'log' has been replaced;  following new file\n" +
        "tail: 'log' has become inaccessible: No such file or directory\n" +
        "tail: 'log' has appeared;  following new file\n",
    );
  });
  it('--pid stops following when the process is gone', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'log'), 'x\n');
    const r = await run('tail -f -s 0.05 --pid=2147483646 log', { cwd: dir });
    expect(r).toMatchObject({ status: 0, stdout: 'x\n' });
  });
});

describe('wc', () => {
  it('counts the bytes of a regular file without reading it', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'sparse'), '');
    fs.truncateSync(path.join(dir, 'sparse'), 16 * 1024 ** 3);
    expect((await run('wc -c sparse', { cwd: dir })).stdout).toBe('17179869184 sparse\n');
  });
});

describe('sort', () => {
  it('merges runs through temporary files and removes them, also after an error', async () => {
    const dir = tempDir();
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    const lines = Array.from({ length: 20000 }, (_, i) => `${(i * 7919) % 20000}\n`).join('');
    fs.writeFileSync(path.join(dir, 'in'), lines);
    const r = await run(['sort', '-n', '-S', '64K', '-T', tmp, 'in'], { cwd: dir });
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['0', '1', '2']);
    expect(fs.readdirSync(tmp)).toEqual([]);
    const bad = await run(['sort', '-S', '64K', '-T', tmp, 'in', 'nosuch'], { cwd: dir });
    expect(bad).toMatchObject({ status: 2, stderr: 'sort: cannot read: nosuch: No such file or directory\n' });
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
  it('keeps every byte and a missing final newline becomes one', async () => {
    const input = Buffer.from([0xff, 10, 0, 10, 0x80, 0x41]);
    expect(Buffer.from((await run('sort', { stdin: input })).stdout, 'latin1')).toEqual(Buffer.from([0, 10, 0x80, 0x41, 10, 0xff, 10]));
  });
});

describe('yes and seq in pipelines', () => {
  it('yes | head -1 ends yes with 141, quietly', async () => {
    const { source, sink } = createPipe();
    const head = run('head -n 1', { stdin: source }).finally(() => source.close());
    const yes = await run('yes', { stdout: sink });
    expect((await head).stdout).toBe('y\n');
    expect(yes).toMatchObject({ status: 141, stderr: '' });
  });
  it('seq 1 inf stops when aborted', async () => {
    const ac = new AbortController();
    const { source, sink } = createPipe();
    const reader = readAll(source);
    setTimeout(() => ac.abort(), 200);
    await run('seq 1 inf', { stdout: sink, signal: ac.signal });
    await sink.close();
    expect((await reader).toString().startsWith('1\n2\n3\n')).toBe(true);
  });
});

describe('xargs', () => {
  it('runs applets in-process through ctx.exec, with stdin from /dev/null', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a'), 'A\n');
    fs.writeFileSync(path.join(dir, 'b'), 'B\n');
    expect(await run('xargs cat', { cwd: dir, stdin: 'a b\n' })).toMatchObject({ status: 0, stdout: 'A\nB\n' });
    expect((await run('xargs -n1 wc -l', { cwd: dir, stdin: 'a\n' })).stdout).toBe('1 a\n');
    expect((await run('xargs cat -', { cwd: dir, stdin: 'a\n' })).stdout).toBe('A\n');
  });
  it('maps command statuses as GNU does', async () => {
    expect((await run('xargs false', { stdin: 'x\n' })).status).toBe(123);
    expect(await run('xargs no-such-command', { stdin: 'x\n', env: { PATH: '/nonexistent' } })).toMatchObject({
      status: 127,
      stderr: 'xargs: no-such-command: No such file or directory\n',
    });
  });
});

describe('evaluateTest (for the shell)', () => {
  const env = { path: (p: string) => path.resolve('/', p), host: testHost(), isTTY: (fd: number) => fd === 1 };
  it('evaluates with GNU rules and messages', () => {
    expect(evaluateTest(['a', '=', 'a'], env)).toEqual({ status: 0 });
    expect(evaluateTest(['-t', '1'], env)).toEqual({ status: 0 });
    expect(evaluateTest(['1', '-eq'], env)).toEqual({ status: 2, error: "missing argument after '-eq'" });
    expect(evaluateTest(['x', ']'], env, { bracket: '[' })).toEqual({ status: 0 });
    expect(evaluateTest(['x'], env, { bracket: '[' })).toEqual({ status: 2, error: "missing ']'" });
  });
  it('speaks ash when asked', () => {
    const ash = { dialect: 'ash' } as const;
    expect(evaluateTest(['abc', '-eq', '1'], env, ash)).toEqual({ status: 2, error: 'abc: bad number' });
    expect(evaluateTest(['1', '-lt', '2x'], env, ash)).toEqual({ status: 2, error: '2x: bad number' });
    expect(evaluateTest(['99999999999999999999', '-eq', '1'], env, ash)).toEqual({ status: 2, error: '99999999999999999999: out of range' });
    expect(evaluateTest(['1', '-eq'], env, ash)).toEqual({ status: 2, error: '-eq: argument expected' });
    expect(evaluateTest(['a', '-foo', 'b'], env, ash)).toEqual({ status: 2, error: '-foo: unknown operand' });
    expect(evaluateTest(['a', 'b', 'c'], env, ash)).toEqual({ status: 2, error: 'b: unknown operand' });
    expect(evaluateTest([' 1', '-eq', '1'], env, ash)).toEqual({ status: 0 });
    expect(evaluateTest(['1', '-eq', '1'], env, { ...ash, bracket: '[' })).toEqual({ status: 2, error: 'missing ]' });
    expect(evaluateTest(['b', '\\<', 'a'], env, ash).status).toBe(2);
    expect(evaluateTest(['a', '<', 'b'], env, ash)).toEqual({ status: 0 });
  });
});

describe('formatPrintf (for the shell)', () => {
  it('formats, reuses the format, and reports as GNU or as ash', () => {
    expect(formatPrintf('%s-%s\n', ['a', 'b', 'c'])).toEqual({ output: 'a-b\nc-\n', errors: [], status: 0, stop: false });
    expect(formatPrintf('%d\n', ['abc'])).toEqual({ output: '0\n', errors: ["'abc': expected a numeric value"], status: 1, stop: false });
    expect(formatPrintf('%d\n', ['abc'], { dialect: 'ash' })).toEqual({ output: '0\n', errors: ["invalid number 'abc'"], status: 1, stop: false });
    expect(formatPrintf('%d|%s\n', [], { dialect: 'ash' })).toEqual({ output: '0|\n', errors: [], status: 0, stop: false });
    expect(formatPrintf('%q\n', ['x'], { dialect: 'ash' })).toMatchObject({ output: '', errors: ['%q\n: invalid format'], status: 1, stop: true });
    expect(formatPrintf('%b %s\n', ['a\\cb', 'x'])).toEqual({ output: 'a', errors: [], status: 0, stop: true });
    expect(formatPrintf('%d\n', ["'A"])).toMatchObject({ output: '65\n', status: 0 });
  });
});

describe('test and [ applets', () => {
  it('answers --help only as [', async () => {
    expect(await run(['test', '--help'])).toMatchObject({ status: 0, stdout: '' });
    expect((await run(['[', '--help'])).stdout).toMatch(/^Usage: test/);
  });
});
