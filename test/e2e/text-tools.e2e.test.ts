// The text applets as users run them: the built executable through symlinks in a throwaway rootfs,
// in shell pipelines, sharing descriptors with other processes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRootfs } from '../helpers/binary.js';
import { tempDir } from '../helpers/run.js';

const APPLETS = ['head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'tee', 'xargs', 'seq', 'yes', 'test', '[', 'printf', 'cmp', 'md5sum', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'base64', 'cat', 'echo'];
const root = makeRootfs(Object.fromEntries(APPLETS.map((a) => [a, 'usr/bin'])));
const bin = path.join(root, 'usr/bin');

/** Run a bash command line with our applets first on PATH (bash's own test, [, printf and echo
 *  builtins disabled, so ours run). */
function sh(script: string, opts: { cwd?: string; input?: string | Buffer } = {}) {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `enable -n test [ printf echo\n${script}`], {
    cwd: opts.cwd ?? tempDir(),
    input: opts.input,
    env: { PATH: `${bin}:/usr/bin:/bin`, LC_ALL: 'C' },
    encoding: 'latin1',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('text applets through symlinks', () => {
  it('run in pipelines with each other', () => {
    expect(sh('seq 1 100000 | sort -rn | head -n 3')).toEqual({ status: 0, stdout: '100000\n99999\n99998\n', stderr: '' });
    expect(sh("printf 'b\\na\\nb\\nc\\n' | sort | uniq -c | sort -rn | head -n 1 | tr -s ' ' | cut -d ' ' -f 2,3").stdout).toBe('2 b\n');
    expect(sh('seq 10 | tee copy | wc -l; cat copy | tail -n 2').stdout).toBe('10\n9\n10\n');
  });
  it('end quietly with 141 when their reader goes away', () => {
    expect(sh('yes | head -n 1; echo "${PIPESTATUS[0]}"')).toEqual({ status: 0, stdout: 'y\n141\n', stderr: '' });
    expect(sh('seq 1 inf | head -n 2; echo "${PIPESTATUS[0]}"').stdout).toBe('1\n2\n141\n');
    expect(sh('cat /dev/zero | head -c 5 | wc -c').stdout.trim()).toBe('5');
  });
  it('leave a shared file descriptor where GNU head leaves it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'f'), 'header\nrow 1\nrow 2\n');
    expect(sh('(head -n 1 >/dev/null; cat) < f', { cwd: dir }).stdout).toBe('row 1\nrow 2\n');
    expect(sh('{ head -c 3; echo; tail -n 1; } < f', { cwd: dir }).stdout).toBe('hea\nrow 2\n');
  });
  it('xargs runs applets and programs', () => {
    expect(sh("printf 'a\\nb\\n' | xargs -I{} echo '[{}]'").stdout).toBe('[a]\n[b]\n');
    expect(sh("seq 5 | xargs -n 2 sh -c 'echo $#' x").stdout).toBe('2\n2\n1\n');
    expect(sh('echo x | xargs false; echo $?').stdout).toBe('123\n');
    expect(sh('echo x | xargs nosuch; echo $?')).toMatchObject({ stdout: '127\n', stderr: 'xargs: nosuch: No such file or directory\n' });
  });
  it('test and [ give statuses and GNU messages', () => {
    expect(sh('[ 1 -lt 2 ] && test -n x && ! [ a = b ] && echo ok').stdout).toBe('ok\n');
    expect(sh('[ 1 -lt 2; echo $?')).toEqual({ status: 0, stdout: '2\n', stderr: "[: missing ']'\n" });
    expect(sh('test --help; echo $?').stdout).toBe('0\n');
    expect(sh('[ --help ]; echo $?').stdout).toBe('0\n');
    expect(sh('"[" --help').stdout).toMatch(/^Usage: test/);
  });
  it('printf, seq and base64 keep every byte', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bytes'), bytes);
    expect(sh('base64 bytes | base64 -d | cmp - bytes && echo same', { cwd: dir }).stdout).toBe('same\n');
    expect(sh("printf '%b' '\\0377\\0200' | od -An -tx1", { cwd: dir }).stdout.trim()).toBe('ff 80');
    expect(sh('seq -w 8 10 | tr "\\n" " "').stdout).toBe('08 09 10 ');
  });
  it('check sums they wrote', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a'), 'alpha\n');
    expect(sh('sha256sum a > sums && sha256sum -c sums && md5sum a | md5sum -c --quiet && echo ok', { cwd: dir }).stdout).toBe('a: OK\nok\n');
  });
  it('sort merges runs from temporary files', () => {
    const dir = tempDir();
    expect(sh('seq 1 200000 | sort -r -S 256K -T . | sort -n -S 256K -T . | md5sum; seq 1 200000 | md5sum; ls', { cwd: dir }).stdout).toMatch(
      /^(\w+) {2}-\n\1 {2}-\n$/,
    );
  });
  it('tail -f follows a growing file until --pid ends', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'log'), 'start\n');
    const r = sh('(sleep 0.5; echo more >> log; sleep 0.5) & tail -f -s 0.1 --pid=$! log', { cwd: dir });
    expect(r).toEqual({ status: 0, stdout: 'start\nmore\n', stderr: '' });
  });
  it('wc and tail handle a huge sparse file without reading all of it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 32 * 1024 ** 3);
    fs.appendFileSync(file, '\nend\n');
    expect(sh('wc -c big; tail -n 1 big; tail -c 4 big', { cwd: dir }).stdout).toBe('34359738373 big\nend\nend\n');
  });
});
