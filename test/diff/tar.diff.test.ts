// tar against GNU tar and bsdtar: archives written by each extract to the same tree with every
// other; `tar -tv` listings match GNU's byte for byte; a tree with long and unicode names, links,
// empty directories, special modes; a 70 MB file; a sparse 10 GiB file; every compression.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';
import { makeTree, snapshot } from './tar-tree.js';

const ENV = { TZ: 'UTC', LC_ALL: 'C' };
const haveGnu = hasTool('tar');
const haveBsd = hasTool('bsdtar');

type Tool = 'ours' | 'gnu' | 'bsdtar';
async function tar(tool: Tool, args: string[], cwd: string) {
  if (tool === 'ours') return run(['tar', ...args], { cwd, env: ENV });
  // bsdtar converts pax names to the locale's charset: give it a UTF-8 one
  const r = runTool([tool === 'gnu' ? 'tar' : 'bsdtar', ...args], { cwd, env: tool === 'bsdtar' ? { LC_ALL: 'C.UTF-8' } : {} });
  return { ...r, cwd };
}

let work: string;
let src: string;
let want: ReturnType<typeof snapshot>;
beforeAll(() => {
  work = tempDir('tar-diff-');
  src = makeTree(work);
  want = snapshot(src);
});

const CREATORS: [string, Tool, string[]][] = [
  ['ours (gnu format)', 'ours', []],
  ['ours (pax format)', 'ours', ['--format=pax']],
  ['GNU tar (gnu format)', 'gnu', []],
  ['GNU tar (pax format)', 'gnu', ['--format=pax']],
  ['bsdtar (restricted pax)', 'bsdtar', []],
];
const EXTRACTORS: [string, Tool, string[]][] = [
  ['ours', 'ours', []],
  ['GNU tar', 'gnu', []],
  ['bsdtar', 'bsdtar', ['-p']],
];
const available = (t: Tool) => t === 'ours' || (t === 'gnu' ? haveGnu : haveBsd);

// Pairs where a reference tool falls short, and what is compared instead.
const NOT_UTF8 = 'latin1-\xe9t\xe9';
const QUIRKS: Record<string, { because: string; status?: number; skip?: string; dirTimes?: false }> = {
  'pax→bsdtar': {
    because: 'bsdtar refuses a pax path that is not UTF-8 ("Pathname can\'t be converted"), for GNU\'s archives as for ours',
    status: 1,
    skip: NOT_UTF8,
  },
  'bsdtar→gnu': {
    because: "GNU tar sets a directory's times when it leaves it, and bsdtar's member order comes back to directories",
    dirTimes: false,
  },
};

describe('round trips between tar implementations', () => {
  for (const [cname, creator, cargs] of CREATORS) {
    for (const [xname, extractor, xargs] of EXTRACTORS) {
      if (creator === 'ours' && extractor === 'ours' && cargs.length) continue;
      const quirk = QUIRKS[`${cargs.includes('--format=pax') ? 'pax' : creator}→${extractor}`];
      it.skipIf(!available(creator) || !available(extractor))(`${cname} → ${xname}`, async () => {
        const archive = path.join(tempDir('tar-diff-a-'), 'a.tar');
        const c = await tar(creator, [...cargs, '-cf', archive, '-C', work, 'src'], work);
        expect(c.status, c.stderr).toBe(0);
        const out = tempDir('tar-diff-x-');
        const x = await tar(extractor, [...xargs, '-xf', archive, '-C', out], out);
        expect(x.status, x.stderr).toBe(quirk?.status ?? 0);
        const expected = quirk?.dirTimes === false ? snapshot(src, { dirTimes: false }) : { ...want };
        const got = snapshot(path.join(out, 'src'), { dirTimes: quirk?.dirTimes });
        if (quirk?.skip) {
          // whatever the tool made of that one name is not compared
          for (const k of Object.keys(got)) if (k.startsWith(quirk.skip.slice(0, 7)) && !(k in want && k !== quirk.skip)) delete got[k];
          delete expected[quirk.skip];
        }
        expect(got).toEqual(expected);
      });
    }
  }
});

describe.skipIf(!haveGnu)('tar -tv matches GNU tar on archives from every writer', () => {
  for (const [cname, creator, cargs] of [...CREATORS, ['GNU tar (ustar format)', 'gnu', ['--format=ustar']] as [string, Tool, string[]], ['GNU tar (v7 format)', 'gnu', ['--format=v7']] as [string, Tool, string[]]]) {
    it.skipIf(!available(creator))(cname, async () => {
      const archive = path.join(tempDir('tar-diff-l-'), 'a.tar');
      await tar(creator, [...cargs, '-cf', archive, '-C', work, 'src'], work);
      for (const flags of ['-tf', '-tvf']) {
        const gnu = runTool(['tar', flags, archive]);
        const ours = await run(['tar', flags, archive], { env: ENV });
        expect({ ...ours, cwd: undefined }, flags).toEqual({ ...gnu, cwd: undefined });
      }
    });
  }
  it('-tv of the archive GNU writes and ours writes agree (same tree, --sort=name)', async () => {
    const a = path.join(tempDir('tar-diff-l-'), 'gnu.tar');
    const b = path.join(tempDir('tar-diff-l-'), 'ours.tar');
    runTool(['tar', '--sort=name', '-cf', a, '-C', work, 'src']);
    await run(['tar', '-cf', b, '-C', work, 'src'], { env: ENV });
    expect((await run(['tar', '-tvf', b], { env: ENV })).stdout).toBe(runTool(['tar', '-tvf', a]).stdout);
  });
});

describe.skipIf(!haveGnu)('formats GNU tar reads from us', () => {
  it.each([['ustar'], ['v7'], ['gnu'], ['pax']])('--format=%s', async (format) => {
    const small = tempDir('tar-diff-s-');
    fs.mkdirSync(path.join(small, 'd'));
    fs.writeFileSync(path.join(small, 'd/f'), 'data\n');
    fs.symlinkSync('f', path.join(small, 'd/l'));
    const archive = path.join(small, 'a.tar');
    const c = await run(['tar', `--format=${format}`, '-cf', archive, 'd'], { cwd: small, env: ENV });
    expect(c.status, c.stderr).toBe(0);
    const gnu = runTool(['tar', '-tvf', archive]);
    expect(gnu.status).toBe(0);
    expect((await run(['tar', '-tvf', archive], { env: ENV })).stdout).toBe(gnu.stdout);
    const out = tempDir('tar-diff-x-');
    expect(runTool(['tar', '-xf', archive, '-C', out]).status).toBe(0);
    expect(snapshot(path.join(out, 'd'))).toEqual(snapshot(path.join(small, 'd')));
  });
});

describe.skipIf(!haveGnu)('compression, both ways', () => {
  const methods: [string, string, string][] = [
    ['-z', 'gzip', 'gz'],
    ['-j', 'bzip2', 'bz2'],
    ['-J', 'xz', 'xz'],
    ['--zstd', 'zstd', 'zst'],
  ];
  it.each(methods)('%s (%s)', async (flag, program, ext) => {
    if (!hasTool(program)) return;
    const dir = tempDir('tar-diff-z-');
    const ours = path.join(dir, `ours.tar.${ext}`);
    const theirs = path.join(dir, `gnu.tar.${ext}`);
    expect((await run(['tar', flag, '-cf', ours, '-C', work, 'src'], { env: ENV })).status).toBe(0);
    expect(runTool(['tar', flag, '-cf', theirs, '-C', work, 'src']).status).toBe(0);
    // GNU extracts ours; ours extracts GNU's, detecting the compression by itself
    const a = tempDir('tar-diff-x-');
    expect(runTool(['tar', flag, '-xf', ours, '-C', a]).status).toBe(0);
    expect(snapshot(path.join(a, 'src'))).toEqual(want);
    const b = tempDir('tar-diff-x-');
    const r = await run(['tar', '-xf', theirs, '-C', b], { env: ENV });
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(path.join(b, 'src'))).toEqual(want);
  });
  it('-a picks the compression from the name, as GNU does', async () => {
    const dir = tempDir('tar-diff-z-');
    await run(['tar', '-caf', path.join(dir, 'x.tar.gz'), '-C', work, 'src/dir'], { env: ENV });
    expect(fs.readFileSync(path.join(dir, 'x.tar.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(runTool(['tar', '-tzf', path.join(dir, 'x.tar.gz')]).stdout).toBe('src/dir/\nsrc/dir/plain.txt\nsrc/dir/sub/\nsrc/dir/sub/deeper/\nsrc/dir/sub/deeper/file\nsrc/dir/sub/hard-link-2\n');
  });
});

describe.skipIf(!haveGnu)('big files', () => {
  it('a 70 MB file, ours → GNU and GNU → ours', { timeout: 120_000 }, async () => {
    const dir = tempDir('tar-diff-big-');
    const bigSrc = path.join(dir, 'big');
    fs.mkdirSync(bigSrc);
    const data = Buffer.alloc(70 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    fs.writeFileSync(path.join(bigSrc, 'file.bin'), data);
    const ours = path.join(dir, 'ours.tar');
    expect((await run(['tar', '-cf', ours, 'big'], { cwd: dir, env: ENV })).status).toBe(0);
    const a = tempDir('tar-diff-x-');
    expect(runTool(['tar', '-xf', ours, '-C', a]).status).toBe(0);
    expect(fs.readFileSync(path.join(a, 'big/file.bin')).equals(data)).toBe(true);
    const gnu = path.join(dir, 'gnu.tar');
    runTool(['tar', '-cf', gnu, 'big'], { cwd: dir });
    const b = tempDir('tar-diff-x-');
    expect((await run(['tar', '-xf', gnu, '-C', b], { env: ENV })).status).toBe(0);
    expect(fs.readFileSync(path.join(b, 'big/file.bin')).equals(data)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  });

  it('a sparse 10 GiB file with -S: GNU → ours, ours (gnu and pax) → GNU; holes stay holes', { timeout: 300_000 }, async () => {
    const dir = tempDir('tar-diff-sparse-');
    const sp = path.join(dir, 'sp');
    fs.mkdirSync(sp);
    const file = path.join(sp, 'sparse.img');
    const fd = fs.openSync(file, 'w');
    const marks = [0, 1024 ** 3 + 512, 5 * 1024 ** 3]; // then a hole to the end
    for (const m of marks) fs.writeSync(fd, Buffer.from(`data at ${m}\n`.repeat(100)), 0, undefined, m);
    fs.ftruncateSync(fd, 10 * 1024 ** 3);
    fs.closeSync(fd);
    const check = (p: string) => {
      const st = fs.statSync(p);
      expect(st.size).toBe(10 * 1024 ** 3);
      expect(st.blocks * 512).toBeLessThan(10 * 1024 * 1024); // still sparse
      const f = fs.openSync(p, 'r');
      for (const m of marks) {
        const buf = Buffer.alloc(12);
        fs.readSync(f, buf, 0, 12, m);
        expect(buf.toString()).toBe(`data at ${m}\n`.repeat(2).slice(0, 12));
      }
      fs.closeSync(f);
    };
    const gnu = path.join(dir, 'gnu.tar');
    expect(runTool(['tar', '-S', '-cf', gnu, 'sp'], { cwd: dir }).status).toBe(0);
    const a = tempDir('tar-diff-x-');
    const r = await run(['tar', '-xf', gnu, '-C', a], { env: ENV });
    expect(r.status, r.stderr).toBe(0);
    check(path.join(a, 'sp/sparse.img'));
    fs.rmSync(a, { recursive: true, force: true });
    for (const format of ['gnu', 'pax']) {
      const ours = path.join(dir, `ours-${format}.tar`);
      const c = await run(['tar', '-S', `--format=${format}`, '-cf', ours, 'sp'], { cwd: dir, env: ENV });
      expect(c.status, c.stderr).toBe(0);
      expect(fs.statSync(ours).size).toBeLessThan(1024 * 1024);
      expect(runTool(['tar', '-tvf', ours]).stdout).toBe(runTool(['tar', '-tvf', gnu]).stdout);
      const b = tempDir('tar-diff-x-');
      expect(runTool(['tar', '-xf', ours, '-C', b]).status).toBe(0);
      check(path.join(b, 'sp/sparse.img'));
      fs.rmSync(b, { recursive: true, force: true });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
