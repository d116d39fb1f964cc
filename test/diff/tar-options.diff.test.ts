// tar's options against GNU tar: each case runs in two copies of one fixture directory, GNU tar in
// one and ours in the other; stdout, stderr, status and the resulting tree must agree, and any
// archive a case writes must list (by GNU tar) the same. A case that differs on purpose says why.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';
import { makeTree, snapshot } from './tar-tree.js';

interface Case {
  argv: string[];
  stdin?: 'a.tar' | 'a.tgz' | 'a.txz' | 'names' | 'names0';
  prep?: (dir: string) => void;
  /** Archives the command writes, to be listed by GNU tar afterwards. */
  writes?: string;
  because?: string;
  /** Compare the archive bytes, not only their listing. */
  sameBytes?: boolean;
}

const CASES: Record<string, Case> = {
  'old-style first word: tf': { argv: ['tf', 'a.tar'] },
  'old-style first word: tvf': { argv: ['tvf', 'a.tar'] },
  '-t with member operands': { argv: ['-tf', 'a.tar', 'src/dir', 'src/empty-file'] },
  '-t member not in the archive': { argv: ['-tf', 'a.tar', 'src/dir', 'nothere'] },
  '-t --wildcards': { argv: ['-tf', 'a.tar', '--wildcards', '*.txt'] },
  '-t --exclude': { argv: ['-tf', 'a.tar', '--exclude=*.txt', '--exclude', 'src/dir/sub'] },
  '-t --full-time': { argv: ['--full-time', '-tvf', 'a.tar'] },
  '-t --numeric-owner': { argv: ['--numeric-owner', '-tvf', 'a.tar'] },
  '-x into -C': { argv: ['-xf', 'a.tar', '-C', 'out'] },
  '-xv': { argv: ['-xvf', 'a.tar', '-C', 'out'] },
  '-xvv': { argv: ['-xvvf', 'a.tar', '-C', 'out'] },
  '-xO one member': { argv: ['-xOf', 'a.tar', 'src/dir/plain.txt'] },
  '-xO everything': { argv: ['-xOf', 'a.tar'] },
  '--strip-components=1': { argv: ['-xf', 'a.tar', '--strip-components=1', '-C', 'out'] },
  '--strip-components=2 with members': { argv: ['-xvf', 'a.tar', '--strip-components=2', '-C', 'out', 'src/dir'] },
  '-k keeps an existing file, GNU error': {
    argv: ['-xkf', 'a.tar', '-C', 'out', 'src/dir/plain.txt'],
    prep: (d) => writeAt(d, 'out/src/dir/plain.txt', 'mine\n'),
  },
  '--skip-old-files': { argv: ['--skip-old-files', '-xf', 'a.tar', '-C', 'out'], prep: (d) => writeAt(d, 'out/src/dir/plain.txt', 'mine\n') },
  '--overwrite': { argv: ['--overwrite', '-xf', 'a.tar', '-C', 'out'], prep: (d) => writeAt(d, 'out/src/dir/plain.txt', 'mine\n') },
  'replaces an existing file by default': { argv: ['-xf', 'a.tar', '-C', 'out'], prep: (d) => writeAt(d, 'out/src/dir/plain.txt', 'mine\n') },
  '--keep-newer-files': {
    argv: ['--keep-newer-files', '-xf', 'a.tar', '-C', 'out', 'src/dir/plain.txt', 'src/empty-file'],
    prep: (d) => {
      writeAt(d, 'out/src/dir/plain.txt', 'newer\n');
      writeAt(d, 'out/src/empty-file', 'older\n');
      fs.utimesSync(path.join(d, 'out/src/empty-file'), 1000, 1000);
    },
  },
  '-m does not restore mtimes': { argv: ['-xmf', 'a.tar', '-C', 'out', 'src/dir/plain.txt'], because: 'compared without file times' },
  '--no-same-permissions applies the umask': { argv: ['--no-same-permissions', '-xf', 'a.tar', '-C', 'out'] },
  '--no-same-owner': { argv: ['--no-same-owner', '-xf', 'a.tar', '-C', 'out'] },
  '-x from stdin, gzip detected': {
    argv: ['-xf', '-', '-C', 'out'],
    stdin: 'a.tgz',
    because: 'GNU tar detects compression only on files ("Archive is compressed. Use -z option" from a pipe); we detect it on pipes too, so `wget -O - URL | tar x` works',
  },
  '-xz from stdin': { argv: ['-xzf', '-', '-C', 'out'], stdin: 'a.tgz' },
  '-tv from stdin, xz detected': {
    argv: ['-tvf', '-'],
    stdin: 'a.txz',
    because: 'GNU tar detects compression only on files ("Archive is compressed. Use -z option" from a pipe); we detect it on pipes too, so `wget -O - URL | tar x` works',
  },
  '-t from stdin by default (no -f)': { argv: ['-t'], stdin: 'a.tar' },
  '-c --sort=name, the same bytes as GNU tar': { argv: ['-cf', 'new.tar', '--sort=name', 'src'], writes: 'new.tar', sameBytes: true },
  '-c --format=pax': { argv: ['-cf', 'new.tar', '--format=pax', '--sort=name', 'src'], writes: 'new.tar', because: 'GNU adds atime/ctime records to every pax header; compared by listing' },
  '-c --format=ustar, same bytes': { argv: ['-cf', 'new.tar', '--format=ustar', '--sort=name', 'src/dir'], writes: 'new.tar', sameBytes: true },
  '-c --format=v7, same bytes': { argv: ['-cf', 'new.tar', '--format=v7', '--sort=name', 'src/dir'], writes: 'new.tar', sameBytes: true },
  '-c --format=ustar, names too long': {
    argv: ['-cf', 'new.tar', '--format=ustar', '--sort=name', 'src'],
    writes: 'new.tar',
    because: 'GNU tar says "link name is too long; not dumped" and then stores the link with its target cut at 100 bytes; we do not store it',
  },
  '-cv': { argv: ['-cvf', 'new.tar', '--sort=name', 'src'], writes: 'new.tar' },
  '-cvv': { argv: ['-cvvf', 'new.tar', '--sort=name', 'src'], writes: 'new.tar' },
  '-c to stdout, same bytes': { argv: ['-cf', '-', '--sort=name', 'src/dir'] },
  '-cz': { argv: ['-czf', 'new.tgz', '--sort=name', 'src'], writes: 'new.tgz' },
  '-c --owner --group --mode --mtime': {
    argv: ['-cf', 'new.tar', '--sort=name', '--owner=nobody', '--group=nogroup', '--mode=go-w,u+s', '--mtime=@1000000000', 'src/dir'],
    writes: 'new.tar',
    sameBytes: true,
  },
  '-c --mtime=DATE': { argv: ['-cf', 'new.tar', '--mtime=2001-02-03 04:05:06', 'src/dir/plain.txt'], writes: 'new.tar', sameBytes: true },
  '-c --numeric-owner': { argv: ['-cf', 'new.tar', '--numeric-owner', '--sort=name', 'src/dir'], writes: 'new.tar', sameBytes: true },
  '-c with -C in order': { argv: ['-cf', 'new.tar', '--sort=name', '-C', 'src', 'dir/sub', '-C', 'dir', 'plain.txt', '--directory=..', 'empty-dir'], writes: 'new.tar', sameBytes: true },
  '-ch follows symlinks': { argv: ['-chf', 'new.tar', 'src/rel-link'], writes: 'new.tar', sameBytes: true },
  '-c strips a leading slash, with GNU notice': { argv: ['-cf', 'new.tar', '/etc/hostname'], writes: 'new.tar' },
  '-c strips ../, with GNU notice': { argv: ['-cf', 'new.tar', '-C', 'src/dir', '../empty-file'], writes: 'new.tar', sameBytes: true },
  '-c missing file': { argv: ['-cf', 'new.tar', '--sort=name', 'src/dir', 'missing'], writes: 'new.tar' },
  '-c -T names': { argv: ['-cf', 'new.tar', '-T', 'names.txt'], writes: 'new.tar', sameBytes: true },
  '-c --null -T names': { argv: ['-cf', 'new.tar', '--null', '-T', 'names0.txt'], writes: 'new.tar', sameBytes: true },
  '-c -T - (stdin)': { argv: ['-cf', 'new.tar', '-T', '-'], stdin: 'names', writes: 'new.tar', sameBytes: true },
  '-c -X exclude-from': { argv: ['-cf', 'new.tar', '--sort=name', '-X', 'excludes.txt', 'src'], writes: 'new.tar' },
  '-c --no-recursion': { argv: ['-cf', 'new.tar', '--no-recursion', 'src', 'src/dir'], writes: 'new.tar', sameBytes: true },
  '-c --exclude': { argv: ['-cf', 'new.tar', '--sort=name', '--exclude=sub', '--exclude=*.txt', 'src'], writes: 'new.tar' },
  '-r appends': { argv: ['-rf', 'b.tar', 'src/empty-file', 'src/dir/plain.txt'], writes: 'b.tar', sameBytes: true },
  '-u adds only newer files': {
    argv: ['-uvf', 'b.tar', 'src/dir/plain.txt', 'src/empty-file'],
    prep: (d) => fs.utimesSync(path.join(d, 'src/empty-file'), 2000000000, 2000000000),
    writes: 'b.tar',
    sameBytes: true,
  },
  'error: no mode': { argv: [] },
  'error: two modes': { argv: ['-cx'] },
  'error: empty archive': { argv: ['-c', '-f', 'x.tar'] },
  'error: invalid option': { argv: ['-y'] },
  'error: unrecognized long option': { argv: ['--bogus'] },
  'error: missing option value': { argv: ['-f'] },
  'error: missing archive': { argv: ['-xf', 'missing.tar'] },
  'error: bad format': { argv: ['--format=bogus', '-cf', 'x.tar', 'src'] },
  'error: bad strip count': { argv: ['--strip-components=x', '-xf', 'a.tar'] },
  'error: append to a compressed archive': { argv: ['-rzf', 'a.tgz', 'src'] },
  'error: -C to a missing directory': { argv: ['-xf', 'a.tar', '-C', 'nowhere'] },
  'error: truncated archive': { argv: ['-xf', 'cut.tar', '-C', 'out'] },
  'error: truncated gzip': {
    argv: ['-xzf', 'cut.tgz', '-C', 'out'],
    because: 'GNU tar reports what gzip said and "Child returned status 1"; decompressing in-process we report the same condition in one line',
  },
};

function writeAt(dir: string, rel: string, data: string) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), data);
}

let fixture: string;
beforeAll(() => {
  fixture = tempDir('tar-opt-fixture-');
  makeTree(fixture);
  fs.mkdirSync(path.join(fixture, 'out'));
  runTool(['tar', '--sort=name', '-cf', 'a.tar', 'src'], { cwd: fixture });
  runTool(['tar', '--sort=name', '-cf', 'b.tar', 'src/dir'], { cwd: fixture });
  fs.writeFileSync(path.join(fixture, 'a.tgz'), zlib.gzipSync(fs.readFileSync(path.join(fixture, 'a.tar'))));
  runTool(['sh', '-c', 'xz -c a.tar > a.txz'], { cwd: fixture });
  const tar = fs.readFileSync(path.join(fixture, 'a.tar'));
  fs.writeFileSync(path.join(fixture, 'cut.tar'), tar.subarray(0, 3000));
  fs.writeFileSync(path.join(fixture, 'cut.tgz'), zlib.gzipSync(tar).subarray(0, 600));
  fs.writeFileSync(path.join(fixture, 'names.txt'), 'src/dir/plain.txt\nsrc/empty-dir\nsrc/rel-link\n');
  fs.writeFileSync(path.join(fixture, 'names0.txt'), 'src/dir/plain.txt\0src/spaces and\ttab\0');
  fs.writeFileSync(path.join(fixture, 'excludes.txt'), 'sub\n*.txt\n');
});

function copyFixture(): string {
  const dir = tempDir('tar-opt-');
  runTool(['cp', '-a', `${fixture}/.`, dir]);
  return dir;
}

describe.skipIf(!hasTool('tar'))('tar options against GNU tar', () => {
  it.each(Object.entries(CASES))('%s', async (_, c) => {
    const gnuDir = copyFixture();
    const ourDir = copyFixture();
    c.prep?.(gnuDir);
    c.prep?.(ourDir);
    const stdinOf = (dir: string) =>
      c.stdin === 'names' ? Buffer.from('src/dir/plain.txt\nsrc/empty-dir\n') : c.stdin === 'names0' ? Buffer.from('') : c.stdin ? fs.readFileSync(path.join(dir, c.stdin)) : undefined;
    const gnu = runTool(['tar', ...c.argv], { cwd: gnuDir, stdin: stdinOf(gnuDir) ?? '' });
    const ours = await run(['tar', ...c.argv], { cwd: ourDir, stdin: stdinOf(ourDir) ?? '', env: { TZ: 'UTC', LC_ALL: 'C' } });
    if (c.because?.startsWith('GNU tar detects compression only on files')) {
      expect(gnu.stderr).toMatch(/Archive is compressed. Use -. option/);
      const plain = await run(['tar', ...c.argv.map((a) => (a === '-xf' ? '-xzf' : a === '-tvf' ? '-tvJf' : a))], { cwd: gnuDir, stdin: stdinOf(gnuDir), env: { TZ: 'UTC', LC_ALL: 'C' } });
      const gnuPlain = runTool(['tar', ...c.argv.map((a) => (a === '-xf' ? '-xzf' : a === '-tvf' ? '-tvJf' : a))], { cwd: gnuDir, stdin: stdinOf(gnuDir) });
      expect(ours).toMatchObject({ status: 0, stderr: '', stdout: gnuPlain.stdout });
      expect(plain.status).toBe(0);
      return;
    }
    if (c.because?.startsWith('GNU tar reports what gzip said')) {
      expect(ours.status).toBe(gnu.status);
      expect(ours.stderr).toMatch(/^tar: gzip: unexpected end of file\ntar: Error is not recoverable: exiting now\n$/);
      return;
    }
    expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr }).toEqual(gnu);
    if (c.because?.startsWith('GNU tar says "link name is too long')) {
      const names = (d: string) => runTool(['tar', '-tf', path.join(d, c.writes!)]).stdout.split('\n');
      expect(names(ourDir)).toEqual(names(gnuDir).filter((n) => n !== 'src/long-target-link'));
      return;
    }
    const dirTimes = !c.because?.includes('file times');
    const tree = (d: string) => (fs.existsSync(path.join(d, 'out')) ? snapshot(path.join(d, 'out'), { dirTimes }) : {});
    const strip = (t: ReturnType<typeof snapshot>) => (dirTimes ? t : Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { ...v, mtime: undefined }])));
    expect(strip(tree(ourDir))).toEqual(strip(tree(gnuDir)));
    if (c.writes) {
      const list = (d: string) => runTool(['tar', '-tvf', path.join(d, c.writes!)]);
      expect(list(ourDir)).toEqual(list(gnuDir));
      if (c.sameBytes) expect(fs.readFileSync(path.join(ourDir, c.writes)).equals(fs.readFileSync(path.join(gnuDir, c.writes)))).toBe(true);
    }
    fs.rmSync(gnuDir, { recursive: true, force: true });
    fs.rmSync(ourDir, { recursive: true, force: true });
  });
});
