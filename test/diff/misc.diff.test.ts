// tee, yes, base64, cmp and the checksum applets against GNU (coreutils, diffutils).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_BYTES, both, fixtureDir, words } from '../helpers/differential.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run } from '../helpers/run.js';

const big = Buffer.from(Array.from({ length: 300000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));
const dir = fixtureDir({
  f3: 'a\nb\nc\n',
  c1: 'abc\ndef\n',
  c2: 'abc\ndxf\n',
  c3: 'abc\n',
  c4: 'abc\ndef\nghi',
  e1: 'abc',
  e2: 'abcd',
  e3: 'a\nb\nc\n',
  e4: 'a\nb\nc\nd',
  e5: '\n\n',
  e6: '\n\n\n',
  h1: Buffer.from([0x80, 0xff, 0x7f, 0x00]),
  h2: 'abcd',
  bytes: ALL_BYTES,
  big,
  empty: '',
  'a\\b': 'x',
  'n\nl': 'y',
  'c\rr': 'z',
  'sp ace': 'w',
  'dir/x': '',
});

describe.skipIf(!hasTool('tee'))('tee vs GNU', () => {
  it.each(['', 'out1', 'out1 out2', '-a out1', '-i out1', '-p out1', 'nosuchdir/x out1', '--output-error=warn out1', '--output-error=e', '--output-error=bad', '- out1', '--append out1', '-x', 'dir'])(
    'tee %s',
    async (line) => {
      const refDir = fixtureDir({ out1: 'old\n' });
      const ourDir = fixtureDir({ out1: 'old\n' });
      fs.mkdirSync(path.join(refDir, 'dir'));
      fs.mkdirSync(path.join(ourDir, 'dir'));
      const ref = runTool(['tee', ...words(line)], { cwd: refDir, stdin: ALL_BYTES });
      const ours = await run(['tee', ...words(line)], { cwd: ourDir, stdin: ALL_BYTES });
      expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr }).toEqual(ref);
      for (const f of ['out1', 'out2', '-']) {
        const a = path.join(refDir, f);
        const b = path.join(ourDir, f);
        expect(fs.existsSync(b), f).toBe(fs.existsSync(a));
        if (fs.existsSync(a)) expect(fs.readFileSync(b), f).toEqual(fs.readFileSync(a));
      }
    },
  );
});

describe.skipIf(!hasTool('yes'))('yes vs GNU', () => {
  it.each([[], ['a', 'b'], ['--', 'x'], [''], ['-x'], ['--x'], ['a', '-']])('yes %j | head -c 100000', async (...args) => {
    const ref = runTool(['sh', '-c', `yes ${args.map((a) => `'${a}'`).join(' ')} | head -c 100000`]);
    const { createPipe } = await import('../../src/core/io.js');
    const { source, sink } = createPipe();
    const head = run(['head', '-c', '100000'], { stdin: source }).finally(() => source.close());
    const yes = await run(['yes', ...args], { stdout: sink });
    await sink.close();
    const h = await head;
    expect(h.stdout).toBe(ref.stdout);
    if (yes.stderr) expect(yes.stderr).toBe(ref.stderr.replace(/.*sh: \d+: /, ''));
  });
});

describe.skipIf(!hasTool('base64'))('base64 vs GNU', () => {
  it.each(['', '-w 20', '-w 0', '-w 1', '-w 4', '-w 76', '-w +5', '-w -0', '-w 99999999999999999999999', '-w x', '-w -1', '--wrap=3', '-x'])(
    'encode %s',
    async (line) => {
      for (const input of ['bytes', 'big', 'empty', 'f3']) {
        const { ours, ref } = await both(['base64', ...words(line), input], { cwd: dir });
        expect(ours, `base64 ${line} ${input}`).toEqual(ref);
      }
    },
  );
  it.each(['YQ', 'YQ=', 'YW Jj', 'YWJj=YWJj', 'YWJ!', '!YWJj', 'YWJj\nZGVm\n', 'YW\nJj', '====', 'YQ==YQ==', 'Y', 'YQ==\n', 'YQ==Y', '\n\n', 'YW\n\nJj\n', 'YWJjZA', 'YWJjZA=', 'YWJjZA==', 'YWJjZA===', 'a=b=', 'YWJj\r\n', ''])(
    'decode %j',
    async (input) => {
      for (const opt of [['-d'], ['-di'], ['--decode', '--ignore-garbage']]) {
        const { ours, ref } = await both(['base64', ...opt], { cwd: dir, stdin: input });
        expect(ours, `${opt.join(' ')} ${JSON.stringify(input)}`).toEqual(ref);
      }
    },
  );
  it('round-trips every byte and large input', async () => {
    for (const input of [ALL_BYTES, big]) {
      const enc = await run(['base64'], { stdin: input });
      const dec = await run(['base64', '-d'], { stdin: enc.stdout });
      expect(Buffer.from(dec.stdout, 'latin1')).toEqual(input);
    }
  });
  it.each(['f3 f3', 'nosuch'])('errors: %s', async (line) => {
    const { ours, ref } = await both(['base64', ...words(line)], { cwd: dir });
    expect(ours).toEqual(ref);
  });
});

describe.skipIf(!hasTool('cmp'))('cmp vs GNU diffutils', () => {
  it.each([
    'c1 c1', 'c1 c2', 'c1 c3', 'c3 c1', '-l c1 c2', '-s c1 c2', '-s c1 c3', '-b c1 c2', '-lb c1 c2', '-n 5 c1 c2', '-n 6 c1 c2', '-i 1 c1 c2',
    '-i 1:2 c1 c2', 'c1 c2 1 1', 'c1 c2 5', '-l c1 c3', '-l c3 c1', 'c1 nosuch', 'c1', 'c1 -', '- c1', '-x c1 c2', 'c1 c2 c3 c4', 'c1 c2 c3 c4 c5',
    '-n x c1 c2', '-i x c1 c2', '-n 1K c1 c2', '-i 1K c1 c2', 'c1 c2 1K', '-ls c1 c2', '--print-bytes c1 c2', '--verbose c1 c2', '--quiet c1 c2',
    '--silent c1 c3', '/dev/null c1', 'c1 /dev/null', '-l /dev/null c1', 'dir c1', 'c1 dir', '-s nosuch c1', 'c1 c2 x', '-n -1 c1 c2',
    '-b bytes big', '-l bytes big', '-lb bytes big', '-lb h1 h2', '-b h1 h2', 'c1 c1 4', 'c1 c2 2 0', 'e1 e2', 'e3 e4', 'e5 e6', 'c4 c1',
    '-i 2 e3 e4', '-n 3 e1 e2', 'e2 e1', '-l e3 e4', '-b e5 e6', '-i 1:1 c1 c2', '-i 1: c1 c2', '-i :1 c1 c2', '-i 1:x c1 c2',
    '-n 99999999999999999999999 c1 c2', '-n 18446744073709551615 c1 c2', '-n 9223372036854775807 c1 c2', '-i 9223372036854775808 c1 c2',
    '', '- -', 'c1 c1 1 2', 'big big', 'big bytes', 'bytes bytes 0 1', '--bytes=3 e1 e2', '--ignore-initial=1 c1 c2',
  ])('cmp %s', async (line) => {
    const { ours, ref } = await both(['cmp', ...words(line)], { cwd: dir, stdin: 'abc\ndxf\n' });
    expect(ours).toEqual(ref);
  });
});

describe.skipIf(!hasTool('md5sum'))('checksums vs GNU', () => {
  const names = ['md5sum', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum'];
  it.each(names)('%s over files, stdin, odd names, --tag, -b, -z', async (name) => {
    for (const line of ['f3 bytes big empty', "'a\\b' 'n\nl' 'c\rr' 'sp ace'", '-', '', '-b f3', '--tag f3 a\\b', '--tag -b f3', '-z f3 a\\b', '--tag -z f3', 'nosuch dir f3', '--binary --text f3', '--text f3']) {
      const args = line === "'a\\b' 'n\nl' 'c\rr' 'sp ace'" ? ['a\\b', 'n\nl', 'c\rr', 'sp ace'] : words(line);
      const { ours, ref } = await both([name, ...args], { cwd: dir, stdin: ALL_BYTES });
      expect(ours, `${name} ${line}`).toEqual(ref);
    }
  });
  it.each(['--status', '--quiet f3', '--strict f3', '-w f3', '--ignore-missing f3', '--tag -c f3', '--tag -t f3', '-c -z f3', '-c -b f3', '-c nosuch', '-c dir', '-c /dev/null', '-x'])(
    'md5sum option errors: %s',
    async (line) => {
      const { ours, ref } = await both(['md5sum', ...words(line)], { cwd: dir });
      expect(ours).toEqual(ref);
    },
  );
  it('checks lists as GNU does: formats, escapes, BSD reversed lines, warnings, statuses', async () => {
    const sum = (await run(['md5sum', 'f3'], { cwd: dir })).stdout.slice(0, 32);
    const lists: Record<string, string> = {
      good: (await run(['md5sum', 'f3', 'bytes', 'a\\b', 'n\nl'], { cwd: dir })).stdout,
      mixed: `${sum}  f3\nbogus line\nd41d8cd98f00b204e9800998ecf8427e  nosuch\nd41d8cd98f00b204e9800998ecf8427e  f3\nMD5 (f3) = ${sum}\n`,
      forms: `${sum} f3\n${sum.toUpperCase()}  f3\n  ${sum}  f3\n# comment\n\n${sum} *f3\n${sum}\tf3\n${sum}  f3\r\nMD5 (f3)=${sum}\nMD5 (f3) = ${sum}\nSHA1 (f3) = ${sum}\nMD5(f3)= ${sum}\n\\${sum}  f3\n`,
      bsd: `${sum} f3\n${sum}  f3\n`,
      gnu: `${sum}  f3\n${sum} f3\n`,
      escapes: `\\${sum}  x\\qy\n\\${sum}  a\\\\b\n${sum}  a\\\\b\n`,
      cr: (await run(['md5sum', 'c\rr'], { cwd: dir })).stdout,
      empty: '',
    };
    for (const [name, text] of Object.entries(lists)) fs.writeFileSync(path.join(dir, `list-${name}`), text);
    for (const list of Object.keys(lists)) {
      for (const opts of [[], ['--quiet'], ['--status'], ['-w'], ['--strict'], ['--ignore-missing'], ['--warn', '--strict']]) {
        const { ours, ref } = await both(['md5sum', '-c', ...opts, `list-${list}`], { cwd: dir });
        expect(ours, `md5sum -c ${opts.join(' ')} list-${list}`).toEqual(ref);
      }
    }
    const { ours, ref } = await both(['md5sum', '-c', 'list-bsd', 'list-gnu'], { cwd: dir });
    expect(ours).toEqual(ref);
    const fromStdin = await both(['md5sum', '-c'], { cwd: dir, stdin: lists.good });
    expect(fromStdin.ours).toEqual(fromStdin.ref);
    const sha = await both(['sha256sum', '-c'], { cwd: dir, stdin: (await run(['sha256sum', 'f3', 'big'], { cwd: dir })).stdout });
    expect(sha.ours).toEqual(sha.ref);
  });
});

// BusyBox's letters: -s (for --status) and -w; its output format is GNU's.
describe.skipIf(!hasTool('busybox'))('checksums vs BusyBox', () => {
  it('md5sum -c -s and sha1sum agree with BusyBox', async () => {
    for (const name of ['md5sum', 'sha1sum', 'sha256sum', 'sha512sum']) {
      const bb = runTool(['busybox', name, 'f3', 'bytes'], { cwd: dir });
      const ours = await run([name, 'f3', 'bytes'], { cwd: dir });
      expect(ours.stdout).toBe(bb.stdout);
      const listed = runTool(['busybox', name, '-c', '-s', '-'], { cwd: dir, stdin: bb.stdout });
      const check = await run([name, '-c', '-s', '-'], { cwd: dir, stdin: bb.stdout });
      expect(check.status).toBe(listed.status);
      expect(check.stdout).toBe(listed.stdout);
    }
  });
});
