// Every published advisory against node-tar (2018–2026) and GNU tar we found, as a test named after
// it: the archive that exploited it is extracted (or listed, or appended to) here, and nothing
// outside the target may change, nothing may hang, and failures must be clean `tar:` errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type HeaderInit, TarWriter } from '../../src/core/archive/writer.js';
import { MemorySink } from '../../src/core/io.js';
import { run, tempDir } from '../helpers/run.js';

type Entry = Partial<HeaderInit> & { name: string; body?: string };

async function archive(entries: Entry[], format: 'gnu' | 'pax' = 'gnu'): Promise<Buffer> {
  const out = new MemorySink();
  const w = new TarWriter(out, { format });
  for (const e of entries) {
    const type = e.type ?? 'file';
    await w.add({ mode: type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o644, mtime: 1600000000, ...e, type }, e.body ?? '');
  }
  await w.finish();
  return out.bytes();
}

/** A target directory inside a sandbox that also holds `outside/` (with a file `secret`). */
function sandbox() {
  const box = tempDir('tar-sec-');
  const target = path.join(box, 'target');
  const outside = path.join(box, 'outside');
  fs.mkdirSync(target);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret'), 'original\n');
  const before = listing(box);
  return {
    box,
    target,
    outside,
    /** Nothing outside the target changed: same names, same contents. */
    assertOutsideUntouched() {
      const after = listing(box).filter((l) => !l.startsWith('target/') && l !== 'target');
      expect(after).toEqual(before.filter((l) => l !== 'target'));
      expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('original\n');
    },
  };
}

function listing(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(path.join(dir, r));
    out.push(st.isFile() ? `${r}:${fs.readFileSync(path.join(dir, r), 'latin1')}` : r);
    if (st.isDirectory()) out.push(...listing(dir, r));
  }
  return out;
}

async function extract(data: Buffer, target: string, args: string[] = []) {
  const file = path.join(path.dirname(target), `a-${Math.random().toString(36).slice(2)}.tar`);
  fs.writeFileSync(file, data);
  const r = await run(['tar', '-xf', file, ...args], { cwd: target });
  fs.rmSync(file);
  return r;
}

describe('node-tar advisories', () => {
  it('CVE-2018-20834: a file entry after a hard link does not write through the link', async () => {
    const s = sandbox();
    fs.writeFileSync(path.join(s.target, 'victim'), 'keep\n');
    const r = await extract(await archive([{ name: 'h', type: 'link', linkname: 'victim' }, { name: 'h', body: 'pwned\n' }]), s.target);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(s.target, 'victim'), 'utf8')).toBe('keep\n');
    expect(fs.readFileSync(path.join(s.target, 'h'), 'utf8')).toBe('pwned\n');
    s.assertOutsideUntouched();
  });

  it('CVE-2021-32803: a directory replaced by a symlink between entries is not written through', async () => {
    const s = sandbox();
    const r = await extract(
      await archive([
        { name: 'a/', type: 'directory' },
        { name: 'a', type: 'symlink', linkname: s.outside },
        { name: 'a/secret', body: 'pwned\n' },
      ]),
      s.target,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tar: a\/secret: Cannot open: Refusing to follow symbolic link 'a' leading outside the target\n/);
    s.assertOutsideUntouched();
  });

  it('CVE-2021-32804: several leading slashes are all stripped', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: `////${s.outside.slice(1)}/secret`, body: 'pwned\n' }]), s.target);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("tar: Removing leading `////' from member names\n");
    expect(fs.readFileSync(path.join(s.target, s.outside.slice(1), 'secret'), 'utf8')).toBe('pwned\n');
    s.assertOutsideUntouched();
  });

  it('CVE-2021-37701: symlink cache poisoning with trailing slashes and backslashes', async () => {
    const s = sandbox();
    const r = await extract(
      await archive([
        { name: 'a\\b/', type: 'directory' },
        { name: 'a\\b//', type: 'symlink', linkname: s.outside },
        { name: 'a\\b/secret', body: 'pwned\n' },
        { name: 'c/', type: 'directory' },
        { name: 'c', type: 'symlink', linkname: '../outside' },
        { name: 'c/secret', body: 'pwned\n' },
      ]),
      s.target,
    );
    expect(r.status).toBe(2);
    s.assertOutsideUntouched();
  });

  it('CVE-2021-37712: names equal after Unicode normalisation are distinct, none is written through', async () => {
    const s = sandbox();
    const nfc = Buffer.from('caf\u00e9', 'utf8').toString('latin1');
    const nfd = Buffer.from('cafe\u0301', 'utf8').toString('latin1');
    const r = await extract(
      await archive([
        { name: `${nfc}/`, type: 'directory' },
        { name: nfd, type: 'symlink', linkname: s.outside },
        { name: `${nfd}/secret`, body: 'pwned\n' },
        { name: `${nfc}/x`, body: 'fine\n' },
      ]),
      s.target,
    );
    expect(r.status).toBe(2);
    expect(fs.readFileSync(Buffer.from(path.join(s.target, nfc, 'x'), 'latin1'), 'utf8')).toBe('fine\n');
    s.assertOutsideUntouched();
  });

  it('CVE-2021-37713: drive-relative names (c:../x) do not escape', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: 'c:../outside/secret', body: 'inside\n' }, { name: 'C:../../outside/secret', body: 'pwned\n' }]), s.target);
    expect(r.status).toBe(2);
    // on POSIX `c:..` is an ordinary name: a directory inside the target, as GNU tar makes it
    expect(fs.readFileSync(path.join(s.target, 'c:../outside/secret'), 'utf8')).toBe('inside\n');
    expect(r.stderr).toContain("tar: C\\:../../outside/secret: Member name contains '..'");
    s.assertOutsideUntouched();
  });

  it('CVE-2024-28863: a member 20000 directories deep fails quickly and cleanly', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: `${'d/'.repeat(20000)}f`, body: 'x' }]), s.target);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/File name too long/);
    s.assertOutsideUntouched();
  });

  it('CVE-2026-23745: absolute and traversing link targets are not followed out', async () => {
    const s = sandbox();
    const r = await extract(
      await archive([
        { name: 'h1', type: 'link', linkname: `${s.outside}/secret` },
        { name: 'h2', type: 'link', linkname: '../outside/secret' },
        { name: 's1', type: 'symlink', linkname: `${s.outside}/secret` },
        { name: 's1', body: 'pwned\n' },
      ]),
      s.target,
    );
    expect(r.status).toBe(2);
    expect(fs.existsSync(path.join(s.target, 'h1'))).toBe(false);
    expect(fs.existsSync(path.join(s.target, 'h2'))).toBe(false);
    expect(fs.readFileSync(path.join(s.target, 's1'), 'utf8')).toBe('pwned\n'); // replaced, not written through
    s.assertOutsideUntouched();
  });

  it('CVE-2026-23950: colliding names (ß, ss) are distinct; a symlink under one is not followed out', async () => {
    const s = sandbox();
    const sz = Buffer.from('\u00df', 'utf8').toString('latin1');
    const r = await extract(await archive([{ name: 'ss/', type: 'directory' }, { name: sz, type: 'symlink', linkname: s.outside }, { name: `${sz}/secret`, body: 'pwned\n' }, { name: 'ss/ok', body: 'ok\n' }]), s.target);
    expect(r.status).toBe(2);
    expect(fs.readFileSync(path.join(s.target, 'ss/ok'), 'utf8')).toBe('ok\n');
    s.assertOutsideUntouched();
  });

  it('CVE-2026-24842: a hard link target is resolved exactly as the check resolves it', async () => {
    const s = sandbox();
    const r = await extract(
      await archive([
        { name: 'a/b/', type: 'directory' },
        { name: 'h', type: 'link', linkname: 'a/b/../../../outside/secret' },
        { name: 'h', body: 'pwned\n' },
      ]),
      s.target,
    );
    expect(r.status).toBe(2);
    s.assertOutsideUntouched();
  });

  it('CVE-2026-26960: a hard link target reached through a chain of symlinks leading out is refused', async () => {
    const s = sandbox();
    const r = await extract(
      await archive([
        { name: 'up', type: 'symlink', linkname: '..' },
        { name: 'chain', type: 'symlink', linkname: 'up/outside' },
        { name: 'h', type: 'link', linkname: 'chain/secret' },
        { name: 'h', body: 'pwned\n' },
      ]),
      s.target,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("tar: h: Cannot hard link to 'chain/secret': Refusing to follow symbolic link 'chain' leading outside the target");
    s.assertOutsideUntouched();
  });

  it('CVE-2026-29786: a drive-relative hard link target (C:../secret) stays inside', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: 'h', type: 'link', linkname: 'C:../../outside/secret' }, { name: 'h', body: 'pwned\n' }]), s.target);
    expect(r.stderr).toContain("Removing leading `C:../../' from hard link targets");
    s.assertOutsideUntouched();
  });

  it('CVE-2026-59873: a decompression bomb streams in bounded memory', { timeout: 120_000 }, async () => {
    const s = sandbox();
    // 1 GiB of zeros in one member, about 1 MB compressed
    const header = await archive([{ name: 'big', body: '' }]);
    const hdr = Buffer.from(header.subarray(0, 512));
    hdr.write('10000000000\0', 124, 'latin1'); // size: 1 GiB (octal 10000000000)
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : hdr[i]!;
    hdr.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const gz = zlib.createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gz.on('data', (d: Buffer) => parts.push(d));
    const done = new Promise((r) => gz.on('end', r));
    gz.write(hdr);
    const zero = Buffer.alloc(1 << 20);
    for (let i = 0; i < 1024; i++) gz.write(zero);
    gz.end(Buffer.alloc(1024));
    await done;
    const file = path.join(s.box, 'bomb.tgz');
    fs.writeFileSync(file, Buffer.concat(parts));
    const before = process.memoryUsage().rss;
    const r = await run(['tar', '-tvzf', file], { cwd: s.target, env: { TZ: 'UTC' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ 1073741824 2020-09-13 12:26 big\n$/);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    fs.rmSync(file);
  });

  it('CVE-2026-59874: a negative base-256 size ends listing and appending with an error, no loop', { timeout: 30_000 }, async () => {
    const s = sandbox();
    const hdr = Buffer.from((await archive([{ name: 'neg', body: '' }])).subarray(0, 512));
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]).copy(hdr, 124);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : hdr[i]!;
    hdr.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const file = path.join(s.box, 'neg.tar');
    fs.writeFileSync(file, Buffer.concat([hdr, Buffer.alloc(1024)]));
    const t = await run(['tar', '-tf', file], { cwd: s.target });
    expect(t.status).toBe(2);
    expect(t.stderr).toContain('Archive base-256 value is out of off_t range');
    fs.writeFileSync(path.join(s.target, 'new'), 'n');
    const a = await run(['tar', '-rf', file, 'new'], { cwd: s.target });
    expect(a.status).toBe(2);
    fs.rmSync(file);
  });

  it('GHSA-r292-9mhp-454m: deep names through --exclude and member filters do not recurse out of stack', async () => {
    const s = sandbox();
    const deep = `${'d/'.repeat(2000)}f`;
    const file = path.join(s.box, 'deep.tar');
    fs.writeFileSync(file, await archive([{ name: deep, body: 'x' }], 'pax'));
    const r = await run(['tar', '-tf', file, '--exclude=*/x/*', '--wildcards', '*f'], { cwd: s.target });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${deep}\n`);
    fs.rmSync(file);
  });
});

describe('GNU tar advisories', () => {
  it('CVE-2016-6321 (POINTYFEATHER): a member name with .. is refused even when it matches an operand', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: 'etc/motd/../../../outside/secret', body: 'pwned\n' }]), s.target, ['etc/motd']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("tar: etc/motd/../../../outside/secret: Member name contains '..'");
    s.assertOutsideUntouched();
  });

  it('CVE-2018-20482: a file that is shorter than it says (sparse, -S) is padded, not looped on', { timeout: 30_000 }, async () => {
    // sysfs files claim 4096 bytes and give fewer
    const liar = ['/sys/kernel/mm/transparent_hugepage/enabled', '/sys/kernel/profiling', '/sys/power/state'].find((f) => fs.existsSync(f));
    if (!liar) return;
    const s = sandbox();
    const out = path.join(s.box, 'out.tar');
    const r = await run(['tar', '-S', '-cf', out, liar], { cwd: s.target });
    expect(r.stderr).toMatch(/File shrank by \d+ bytes; padding with zeros/);
    expect(r.status).toBe(2);
  });

  it('CVE-2022-48303: malformed base-256 fields are read or refused, never crash', async () => {
    const s = sandbox();
    const hdr = Buffer.from((await archive([{ name: 'f', body: '' }])).subarray(0, 512));
    hdr[136] = 0x80; // base-256 mtime with garbage
    hdr.fill(0xff, 137, 148);
    hdr[108] = 0xff; // negative uid
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : hdr[i]!;
    hdr.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const file = path.join(s.box, 'b256.tar');
    fs.writeFileSync(file, Buffer.concat([hdr, Buffer.alloc(1024)]));
    const r = await run(['tar', '-tvf', file], { cwd: s.target });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stdout).toContain(' f\n');
  });

  it('CVE-2023-39804: a huge xattr keyword in a pax header does not exhaust the stack', async () => {
    const s = sandbox();
    const data = await archive([{ name: 'f', body: 'x', pax: [[`SCHILY.xattr.user.${'k'.repeat(1 << 20)}`, 'v'.repeat(1 << 20)]] }], 'pax');
    const r = await extract(data, s.target);
    expect(r.status, r.stderr.slice(0, 200)).toBe(0);
    expect(fs.readFileSync(path.join(s.target, 'f'), 'utf8')).toBe('x');
  });

  it('CVE-2025-45582: a symlink left by an earlier archive is not written through by a later one', async () => {
    const s = sandbox();
    expect((await extract(await archive([{ name: 'etc', type: 'symlink', linkname: s.outside }]), s.target)).status).toBe(0);
    const r = await extract(await archive([{ name: 'etc/secret', body: 'pwned\n' }]), s.target);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Refusing to follow symbolic link 'etc' leading outside the target");
    s.assertOutsideUntouched();
  });

  it('CVE-2019-9923: a pax header at the end of the archive is a clean error', async () => {
    const s = sandbox();
    const data = await archive([{ name: 'f', body: 'x', pax: [['comment', 'c']] }], 'pax');
    const file = path.join(s.box, 'cut.tar');
    fs.writeFileSync(file, data.subarray(0, 1024)); // the pax header and its data, nothing after
    const r = await run(['tar', '-tf', file], { cwd: s.target });
    expect(r).toMatchObject({ status: 2, stderr: 'tar: Unexpected EOF in archive\ntar: Error is not recoverable: exiting now\n' });
  });

  it('CVE-2021-20193: thousands of extended headers before one member', async () => {
    const s = sandbox();
    const one = await archive([{ name: 'f', body: 'x', pax: [['comment', 'c']] }], 'pax');
    const xhdr = one.subarray(0, 1024);
    const file = path.join(s.box, 'many.tar');
    fs.writeFileSync(file, Buffer.concat([...Array.from({ length: 5000 }, () => xhdr), one]));
    const r = await run(['tar', '-tf', file], { cwd: s.target });
    expect(r).toMatchObject({ status: 0, stdout: 'f\n' });
  });

  it('CVE-2007-4131: ./.. and a/./../.. prefixes do not escape', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: './../outside/secret', body: 'pwned\n' }, { name: 'a/./../../outside/secret', body: 'pwned\n' }]), s.target);
    expect(r.status).toBe(2);
    s.assertOutsideUntouched();
  });

  it('CVE-2001-1267 / CVE-2002-0399: ../ names are stripped and refused', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: '../outside/secret', body: 'pwned\n' }, { name: '../../x', body: 'pwned\n' }]), s.target);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("tar: Removing leading `../' from member names\n");
    s.assertOutsideUntouched();
  });
});

describe('symlinks that stay inside are followed as GNU tar follows them', () => {
  it('lib -> usr/lib, then lib/x lands in usr/lib/x', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: 'usr/lib/', type: 'directory' }, { name: 'lib', type: 'symlink', linkname: 'usr/lib' }, { name: 'lib/x', body: 'x\n' }]), s.target);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(s.target, 'usr/lib/x'), 'utf8')).toBe('x\n');
  });
  it('-P keeps absolute names (the user asked for it)', async () => {
    const s = sandbox();
    const r = await extract(await archive([{ name: `${s.outside}/new`, body: 'abs\n' }]), s.target, ['-P']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(s.outside, 'new'), 'utf8')).toBe('abs\n');
  });
});
