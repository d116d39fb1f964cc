import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPipe } from '../../src/core/io.js';
import { run } from '../helpers/run.js';

describe('cat', () => {
  it('copies files and stdin in order', async () => {
    const r = await run('cat a - b', { files: { a: 'A\n', b: 'B' }, stdin: 'IN\n' });
    expect(r).toMatchObject({ status: 0, stdout: 'A\nIN\nB', stderr: '' });
  });
  it('numbers lines across files, continuing an unterminated line', async () => {
    const r = await run('cat -n a b', { files: { a: 'x\ny', b: 'z\n\nw\n' } });
    expect(r.stdout).toBe('     1\tx\n     2\tyz\n     3\t\n     4\tw\n');
  });
  it('-b numbers nonempty lines and overrides -n; -s squeezes; -E marks ends', async () => {
    const r = await run('cat -nbsE', { stdin: 'a\n\n\n\nb\n' });
    expect(r.stdout).toBe('     1\ta$\n$\n     2\tb$\n');
  });
  it('-A shows every nonprinting byte', async () => {
    const r = await run('cat -A', { stdin: Buffer.from([9, 1, 0x7f, 0x80, 0x9b, 0xff, 0x41, 10]) });
    expect(r.stdout).toBe('^I^A^?M-^@M-^[M-^?A$\n');
  });
  it('reports a missing file, goes on, and fails at the end', async () => {
    const r = await run('cat nope a', { files: { a: 'A\n' } });
    expect(r).toMatchObject({ status: 1, stdout: 'A\n', stderr: 'cat: nope: No such file or directory\n' });
  });
  it('reports a directory operand', async () => {
    const r = await run('cat d a', { files: { 'd/x': '', a: 'A\n' } });
    expect(r).toMatchObject({ status: 1, stdout: 'A\n', stderr: 'cat: d: Is a directory\n' });
  });
  it('reports an unreadable file', async () => {
    const r0 = await run('true', {});
    const f = path.join(r0.cwd, 'secret');
    fs.writeFileSync(f, 'x');
    fs.chmodSync(f, 0);
    if (process.getuid?.() === 0) return; // root reads anything
    const r = await run('cat secret', { cwd: r0.cwd });
    expect(r).toMatchObject({ status: 1, stderr: 'cat: secret: Permission denied\n' });
  });
  it('keeps every byte intact', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff));
    const r = await run('cat', { stdin: bytes });
    expect(Buffer.from(r.stdout, 'latin1')).toEqual(bytes);
  });
  it('words option errors as GNU cat', async () => {
    expect(await run('cat -z')).toMatchObject({
      status: 1,
      stderr: "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n",
    });
    expect((await run('cat --num')).stderr).toBe(
      "cat: option '--num' is ambiguous; possibilities: '--number-nonblank' '--number'\nTry 'cat --help' for more information.\n",
    );
  });
  it('answers --help on stdout from its declaration', async () => {
    const r = await run('cat --help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cat \[-AbeEnstTuv\] \[FILE\]\.\.\.\n\nConcatenate/);
  });
  it('stops quietly with status 141 when its reader goes away (EPIPE)', async () => {
    const { source, sink } = createPipe(16);
    source.close();
    const r = await run('cat', { stdin: 'x'.repeat(100000), stdout: sink });
    expect(r).toMatchObject({ status: 141, stderr: '' });
  });
});

describe('echo', () => {
  it('prints arguments with BusyBox option rules', async () => {
    expect((await run(['echo', 'a', 'b'])).stdout).toBe('a b\n');
    expect((await run(['echo', '-n', 'a'])).stdout).toBe('a');
    expect((await run(['echo', '-nx', 'a'])).stdout).toBe('-nx a\n');
    expect((await run(['echo', '--', 'a'])).stdout).toBe('-- a\n');
    expect((await run(['echo', 'a\\tb'])).stdout).toBe('a\\tb\n');
    expect((await run(['echo', '-e', 'a\\tb'])).stdout).toBe('a\tb\n');
    expect((await run(['echo', '-e', '-E', 'a\\tb'])).stdout).toBe('a\\tb\n');
  });
  it('expands escapes as BusyBox does', async () => {
    const r = await run(['echo', '-e', 'a\\101b\\0101c\\x41d\\x4g\\e\\q\\\\\\1234\\08']);
    expect(r.stdout).toBe('aAbAcAd\x04g\x1b\\q\\S4\x008\n');
    expect((await run(['echo', '-e', 'ab\\ccd', 'ef'])).stdout).toBe('ab');
    expect((await run(['echo', '-e', '\\x', 'a\\'])).stdout).toBe('\\x a\\\n');
  });
  it('prints --help among other words, answers it alone', async () => {
    expect((await run(['echo', 'x', '--help'])).stdout).toBe('x --help\n');
    expect((await run(['echo', '--help'])).stdout).toMatch(/^Usage: echo/);
  });
});

describe('true and false', () => {
  it('return 0 and 1 whatever the arguments', async () => {
    expect(await run('true -x y')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(await run('false --bogus')).toMatchObject({ status: 1, stdout: '', stderr: '' });
  });
});
