// grep, egrep, fgrep, sed and expr as the built executable, through symlinks in a throwaway rootfs,
// in pipelines driven by the host's /bin/sh.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRootfs } from '../helpers/binary.js';
import { tempDir } from '../helpers/run.js';

const root = makeRootfs({ grep: 'bin', egrep: 'bin', fgrep: 'bin', sed: 'bin', expr: 'usr/bin', cat: 'bin' });
const PATH = `${path.join(root, 'bin')}:${path.join(root, 'usr/bin')}`;

function sh(script: string, opts: { input?: string; cwd?: string } = {}) {
  const r = spawnSync('/bin/sh', ['-c', script], {
    input: opts.input,
    cwd: opts.cwd ?? tempDir(),
    env: { PATH, LC_ALL: 'C' },
    encoding: 'latin1',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('grep, sed, expr through symlinks', () => {
  it('grep filters a pipeline; egrep and fgrep are grep -E and grep -F', () => {
    expect(sh("printf 'one\\ntwo\\nthree\\n' | grep -n t")).toEqual({ status: 0, stdout: '2:two\n3:three\n', stderr: '' });
    expect(sh("printf 'ab\\naab\\nb\\n' | egrep -c 'a+b'")).toEqual({ status: 0, stdout: '2\n', stderr: '' });
    expect(sh("printf 'a+b\\naab\\n' | fgrep 'a+b'")).toEqual({ status: 0, stdout: 'a+b\n', stderr: '' });
    expect(sh('echo x | grep y').status).toBe(1);
    expect(sh('grep x /nonexistent')).toEqual({ status: 2, stdout: '', stderr: 'grep: /nonexistent: No such file or directory\n' });
  });
  it('grep -r over a tree, output to a pipe', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a/b/f.c'), 'int needle;\n');
    fs.writeFileSync(path.join(dir, 'a/g.h'), 'needle\n');
    const r = sh('grep -rl --include=*.c needle . | cat', { cwd: dir });
    expect(r).toEqual({ status: 0, stdout: './a/b/f.c\n', stderr: '' });
  });
  it('sed edits a stream and a file in place', () => {
    expect(sh("printf 'hello world\\n' | sed 's/world/there/;s/^/> /'")).toEqual({ status: 0, stdout: '> hello there\n', stderr: '' });
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'f'), '1\n2\n3\n');
    expect(sh("sed -i.bak '2d' f && cat f f.bak", { cwd: dir }).stdout).toBe('1\n3\n1\n2\n3\n');
    expect(sh("echo x | sed 'k'")).toEqual({ status: 1, stdout: '', stderr: "sed: -e expression #1, char 1: unknown command: `k'\n" });
  });
  it('sed 1q leaves the rest of a file for the next command', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'f'), '1\n2\n3\n');
    // A separate process shares only the descriptor; what sed read ahead is gone (as GNU's read-ahead
    // would be without its stdio rewinding the offset): only the first line is guaranteed.
    expect(sh('sed 1q < f', { cwd: dir }).stdout).toBe('1\n');
  });
  it('expr computes and reports its status', () => {
    expect(sh('expr 6 \\* 7')).toEqual({ status: 0, stdout: '42\n', stderr: '' });
    expect(sh('expr abc : "a\\(.\\)"')).toEqual({ status: 0, stdout: 'b\n', stderr: '' });
    expect(sh('expr 0 + 0')).toEqual({ status: 1, stdout: '0\n', stderr: '' });
    expect(sh('expr 1 +')).toEqual({ status: 2, stdout: '', stderr: "expr: syntax error: missing argument after '+'\n" });
  });
  it('ends quietly with 141 when its reader goes away', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'big'), 'line\n'.repeat(500000));
    // The host's head, closing the pipe after one line; grep and sed must end without a word.
    expect(sh('grep line big | /usr/bin/head -1', { cwd: dir })).toEqual({ status: 0, stdout: 'line\n', stderr: '' });
    expect(sh('sed p big | /usr/bin/head -1', { cwd: dir })).toEqual({ status: 0, stdout: 'line\n', stderr: '' });
    expect(sh('grep line big | /usr/bin/head -1 >/dev/null; exit 0', { cwd: dir }).stderr).toBe('');
  });
});
