// Just enough ELF to find what a dynamically linked executable needs at run time: its interpreter
// (PT_INTERP), the libraries it names (DT_NEEDED) and its own search paths (DT_RUNPATH/DT_RPATH),
// then the same for each library, resolved the way the dynamic loader does. No `ldd`: ldd runs the
// loader, which would execute code of the files it inspects.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import { AppletError } from '../../core/errors.js';

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_RPATH = 15;
const DT_RUNPATH = 29;

export interface ElfInfo {
  /** 64 or 32 */
  bits: number;
  /** e_machine: 62 x86_64, 183 aarch64, 3 i386, 40 arm … */
  machine: number;
  interpreter?: string;
  needed: string[];
  runpath: string[];
}

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** Parse the headers of an ELF file. Throws AppletError for a file that is not ELF. */
export function readElf(file: string): ElfInfo {
  const fd = fs.openSync(fsPath(file), 'r');
  try {
    const read = (offset: number, length: number) => {
      const buf = Buffer.alloc(length);
      const n = fs.readSync(fd, buf, 0, length, offset);
      return buf.subarray(0, n);
    };
    const ident = read(0, 64);
    if (ident.length < 52 || ident.readUInt32BE(0) !== 0x7f454c46) throw new AppletError(`${file}: not an ELF file`);
    const is64 = ident[4] === 2;
    const little = ident[5] === 1;
    const u16 = (b: Buffer, o: number) => (little ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const addr = (b: Buffer, o: number) =>
      is64 ? Number(little ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o);
    const machine = u16(ident, 18);
    const phoff = addr(ident, is64 ? 32 : 28);
    const phentsize = u16(ident, is64 ? 54 : 42);
    const phnum = u16(ident, is64 ? 56 : 44);
    const segments: Segment[] = [];
    const table = read(phoff, phentsize * phnum);
    for (let i = 0; i < phnum; i++) {
      const p = i * phentsize;
      segments.push(
        is64
          ? { type: u32(table, p), offset: addr(table, p + 8), vaddr: addr(table, p + 16), filesz: addr(table, p + 32) }
          : { type: u32(table, p), offset: u32(table, p + 4), vaddr: u32(table, p + 8), filesz: u32(table, p + 16) },
      );
    }
    const info: ElfInfo = { bits: is64 ? 64 : 32, machine, needed: [], runpath: [] };
    const interp = segments.find((s) => s.type === PT_INTERP);
    if (interp) info.interpreter = read(interp.offset, interp.filesz).toString('latin1').replace(/\0.*$/s, '');
    const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
    if (!dynamic) return info;
    const dyn = read(dynamic.offset, dynamic.filesz);
    const entrySize = is64 ? 16 : 8;
    const entries: [number, number][] = [];
    for (let o = 0; o + entrySize <= dyn.length; o += entrySize) {
      const tag = is64 ? Number(little ? dyn.readBigInt64LE(o) : dyn.readBigInt64BE(o)) : u32(dyn, o);
      if (tag === DT_NULL) break;
      entries.push([tag, addr(dyn, o + entrySize / 2)]);
    }
    const strtabAddr = entries.find(([t]) => t === DT_STRTAB)?.[1];
    if (strtabAddr === undefined) return info;
    // DT_STRTAB is a virtual address: map it to a file offset through the PT_LOAD segments
    const load = segments.find((s) => s.type === PT_LOAD && strtabAddr >= s.vaddr && strtabAddr < s.vaddr + s.filesz);
    if (!load) return info;
    const strtabOffset = load.offset + (strtabAddr - load.vaddr);
    const string = (index: number) => {
      const chunk = read(strtabOffset + index, 4096);
      const end = chunk.indexOf(0);
      return chunk.subarray(0, end === -1 ? chunk.length : end).toString('latin1');
    };
    for (const [tag, value] of entries) {
      if (tag === DT_NEEDED) info.needed.push(string(value));
      else if (tag === DT_RUNPATH || tag === DT_RPATH) info.runpath.push(...string(value).split(':').filter(Boolean));
    }
    return info;
  } finally {
    fs.closeSync(fd);
  }
}

/** The directories the dynamic loader searches when a library has no RUNPATH hit: those listed in
 *  /etc/ld.so.conf (following `include` globs) and the built-in system directories. */
export function loaderSearchPath(elf: ElfInfo, root = '/'): string[] {
  const dirs: string[] = [];
  const seen = new Set<string>();
  const add = (d: string) => {
    const clean = d.replace(/\/+$/, '') || '/';
    if (!seen.has(clean)) {
      seen.add(clean);
      dirs.push(clean);
    }
  };
  const readConf = (file: string, depth: number) => {
    if (depth > 8) return;
    let text: string;
    try {
      text = fs.readFileSync(fsPath(join(root, file))).toString('latin1');
    } catch {
      return;
    }
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const inc = /^include\s+(.+)$/.exec(line);
      if (inc) for (const f of globFiles(root, inc[1]!.trim())) readConf(f, depth + 1);
      else if (line.startsWith('/')) add(line);
    }
  };
  readConf('/etc/ld.so.conf', 0);
  const lib = elf.bits === 64 && (elf.machine === 62 || elf.machine === 183) ? ['/lib64', '/usr/lib64'] : [];
  for (const d of [...lib, '/lib', '/usr/lib']) add(d);
  return dirs;
}

function join(root: string, p: string): string {
  return root === '/' ? p : `${root.replace(/\/+$/, '')}${p}`;
}

/** Expand an ld.so.conf include pattern (a `*` in the last component is all it ever uses). */
function globFiles(root: string, pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = pattern.slice(0, slash) || '/';
  const re = new RegExp(`^${pattern.slice(slash + 1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return fs
      .readdirSync(fsPath(join(root, dir)), { encoding: 'latin1' })
      .filter((n) => re.test(n))
      .sort()
      .map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}

export interface RuntimeFiles {
  interpreter?: string;
  /** Every library file the program loads, as the loader finds it (paths on the build host). */
  libraries: string[];
}

/** The interpreter and the transitive closure of needed libraries of an executable. */
export function runtimeFiles(executable: string, root = '/'): RuntimeFiles {
  const main = readElf(executable);
  const searchPath = loaderSearchPath(main, root);
  const found = new Map<string, string>();
  const result: RuntimeFiles = { interpreter: main.interpreter, libraries: [] };
  const visit = (elf: ElfInfo, origin: string) => {
    for (const name of elf.needed) {
      if (found.has(name)) continue;
      const own = elf.runpath.map((d) => d.replace(/\$ORIGIN|\$\{ORIGIN\}/g, origin));
      const candidates = name.includes('/') ? [name] : [...own, ...searchPath].map((d) => `${d}/${name}`);
      const hit = candidates.find((c) => isCompatible(join(root, c), main));
      if (!hit) throw new AppletError(`${executable}: cannot find library ${name}`);
      found.set(name, hit);
      result.libraries.push(hit);
      visit(readElf(join(root, hit)), hit.slice(0, hit.lastIndexOf('/')));
    }
  };
  visit(main, executable.slice(0, executable.lastIndexOf('/')));
  return result;
}

/** The loader skips a library of the wrong class or machine and keeps searching. */
function isCompatible(file: string, main: ElfInfo): boolean {
  try {
    const elf = readElf(file);
    return elf.bits === main.bits && elf.machine === main.machine;
  } catch {
    return false;
  }
}
