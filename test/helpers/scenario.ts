// Differential scenarios for applets that change the file system: build the same fixture in the
// same directory twice, run the reference tool in one and our applet in the other, and compare what
// a user would see (stdout, stderr, status) and what the command left behind (the tree: names,
// types, modes, contents, link targets, hard-link groups; optionally times, owners and sparseness).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, runTool, type ToolResult } from './reference.js';
import { run, tempDir } from './run.js';

export interface TreeOptions {
  /** Compare modification times older than an hour (to the millisecond: Node sets times through a
   *  double); newer ones are shown as `now`. */
  times?: boolean;
  /** Compare access times too. */
  atimes?: boolean;
  /** Compare owners. */
  owners?: boolean;
  /** Compare allocated blocks of regular files (sparse copies). */
  blocks?: boolean;
}

export interface Scenario {
  /** Our command line; argv[0] is the applet. */
  argv: readonly string[];
  /** The reference's command line, when it differs (e.g. ['busybox', 'ps']). */
  reference?: readonly string[];
  /** Builds the fixture in `dir` (the working directory of the command). */
  setup?: (dir: string) => void;
  stdin?: string;
  /** Extra environment; a function gets the fixture directory. */
  env?: Record<string, string> | ((dir: string) => Record<string, string>);
  /** Run both under this umask (the reference through sh, ours with the test process's umask
   *  set for the duration). */
  umask?: number;
  /** Run in this subdirectory of the fixture (it may be a symbolic link). */
  cwd?: string;
  /** Compare the resulting tree (default: yes). */
  tree?: boolean | TreeOptions;
  /** Applied to both results before comparing (e.g. to drop a varying part). */
  normalize?: (r: ToolResult) => ToolResult;
  /** Other directories the command changes (e.g. on another file system): emptied before each
   *  run (setup fills them), compared after, removed at the end. */
  alsoTrees?: readonly string[];
  /** Why ours differs on purpose; `check` then says how (the test still runs both). */
  because?: string;
  check?: (ref: Outcome, ours: Outcome) => void;
  /** Run ours through a command of the caller's (the built binary) instead of in-process. */
  runOurs?: (argv: readonly string[], cwd: string, opts: { stdin?: string; env: Record<string, string> }) => ToolResult | Promise<ToolResult>;
}

export interface Outcome extends ToolResult {
  tree?: string[];
}

const BASE_ENV = { LC_ALL: 'C', TZ: 'UTC' };

/** Run a scenario both ways; returns [reference, ours] for the caller to compare. */
export async function runScenario(s: Scenario, workRoot = tempDir('toolbox-diff-')): Promise<[Outcome, Outcome]> {
  const dir = path.join(workRoot, 'w');
  const treeOpts = s.tree === false ? undefined : s.tree === true || s.tree === undefined ? {} : s.tree;
  const extraEnv = typeof s.env === 'function' ? s.env(dir) : s.env;
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...BASE_ENV, ...extraEnv };
  const cwd = s.cwd ? path.join(dir, s.cwd) : dir;
  const prepare = () => {
    for (const d of [dir, ...(s.alsoTrees ?? [])]) {
      fs.rmSync(d, { recursive: true, force: true });
      fs.mkdirSync(d);
    }
    s.setup?.(dir);
  };
  const shot = () => [dir, ...(s.alsoTrees ?? [])].flatMap((d) => snapshot(d, treeOpts).map((l) => (d === dir ? l : `${d}: ${l}`)));
  try {
    prepare();
    const refArgv = s.reference ?? s.argv;
    const ref: Outcome = runTool(
      s.umask === undefined ? refArgv : ['sh', '-c', `umask ${s.umask.toString(8)}; exec "$@"`, 'sh', ...refArgv],
      { cwd, stdin: s.stdin, env: { ...BASE_ENV, ...extraEnv } },
    );
    if (treeOpts) ref.tree = shot();
    prepare();
    const savedUmask = s.umask === undefined ? undefined : process.umask(s.umask);
    let ours: Outcome;
    try {
      ours = s.runOurs
        ? await s.runOurs(s.argv, cwd, { stdin: s.stdin, env })
        : await run(s.argv, { cwd, stdin: s.stdin, env }).then(({ status, stdout, stderr }) => ({ status, stdout, stderr }));
    } finally {
      if (savedUmask !== undefined) process.umask(savedUmask);
    }
    if (treeOpts) ours.tree = shot();
    const norm = s.normalize ?? ((r: ToolResult) => r);
    return [{ ...norm(ref), tree: ref.tree }, { ...norm(ours), tree: ours.tree }];
  } finally {
    chmodTree(dir);
    fs.rmSync(workRoot, { recursive: true, force: true });
    for (const d of s.alsoTrees ?? []) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Make everything removable again (scenarios make unreadable directories). */
function chmodTree(dir: string): void {
  try {
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return;
    fs.chmodSync(dir, 0o700);
    for (const name of fs.readdirSync(dir)) chmodTree(path.join(dir, name));
  } catch {
    // gone already
  }
}

/** The tree under dir as sorted lines: `path type mode ...`, hard links named by group. */
export function snapshot(dir: string, opts: TreeOptions = {}): string[] {
  const lines: string[] = [];
  const inodes = new Map<string, number>();
  const recent = BigInt(Date.now() - 3600_000) * 1_000_000n;
  const walk = (rel: string) => {
    const abs = rel ? path.join(dir, rel) : dir;
    const st = fs.lstatSync(abs, { bigint: true });
    const mode = Number(st.mode);
    let line = `${rel || '.'} ${(mode & 0o7777).toString(8).padStart(4, '0')}`;
    if (st.isSymbolicLink()) line += ` link -> ${fs.readlinkSync(abs, 'latin1')}`;
    else if (st.isDirectory()) line += ' dir';
    else if (st.isFile()) {
      const data = fs.readFileSync(abs);
      line += ` file ${data.length < 200 ? JSON.stringify(data.toString('latin1')) : createHash('sha1').update(data).digest('hex')}`;
      if (opts.blocks) line += ` blocks=${st.blocks}`;
    } else if (st.isFIFO()) line += ' fifo';
    else if (st.isSocket()) line += ' socket';
    else if (st.isCharacterDevice() || st.isBlockDevice()) line += ` ${st.isCharacterDevice() ? 'chr' : 'blk'} ${st.rdev}`;
    if (!st.isDirectory() && st.nlink > 1n) {
      const key = `${st.dev}:${st.ino}`;
      if (!inodes.has(key)) inodes.set(key, inodes.size + 1);
      line += ` hardlink#${inodes.get(key)}`;
    }
    if (opts.owners) line += ` ${st.uid}:${st.gid}`;
    // Times set by the command itself (now) differ between the two runs: only old ones are compared
    const when = (ns: bigint) => (ns < recent ? String(ns / 1_000_000n) : 'now');
    if (opts.times && rel) line += ` mtime=${when(st.mtimeNs)}`;
    if (opts.atimes && rel && !st.isSymbolicLink()) line += ` atime=${when(st.atimeNs)}`;
    lines.push(line);
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = fs.readdirSync(abs, 'latin1').sort();
      } catch {
        lines.push(`${rel} (unreadable)`);
        return;
      }
      for (const name of names) walk(rel ? path.join(rel, name) : name);
    }
  };
  walk('');
  return lines;
}

/** Build a fixture from a description: `name: 'text'` a file, `name/: null` a directory,
 *  `name: { link: 'target' }`, `{ fifo: true }`, `{ mode }`, `{ mtime }` (seconds). Paths relative
 *  to dir; parents are made; entries are made in order. */
export type Fixture = Record<string, string | null | { text?: string; link?: string; hard?: string; fifo?: boolean; mode?: number; mtime?: number; sparse?: number; uid?: number; gid?: number }>;

export function build(dir: string, fixture: Fixture): void {
  for (const [rel, spec] of Object.entries(fixture)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (spec === null || (rel.endsWith('/') && typeof spec !== 'string')) {
      fs.mkdirSync(abs, { recursive: true });
    } else if (typeof spec === 'string') {
      fs.writeFileSync(abs, spec, 'latin1');
    } else if (spec.link !== undefined) {
      fs.symlinkSync(spec.link, abs);
    } else if (spec.hard !== undefined) {
      fs.linkSync(path.join(dir, spec.hard), abs);
    } else if (spec.fifo) {
      runTool(['mkfifo', abs]);
    } else if (spec.sparse !== undefined) {
      const fd = fs.openSync(abs, 'w');
      fs.writeSync(fd, spec.text ?? 'data', spec.sparse);
      fs.closeSync(fd);
    } else {
      fs.writeFileSync(abs, spec.text ?? '', 'latin1');
    }
    if (typeof spec === 'object' && spec !== null) {
      if (spec.uid !== undefined || spec.gid !== undefined) fs.lchownSync(abs, spec.uid ?? 0, spec.gid ?? 0);
      if (spec.mode !== undefined) fs.chmodSync(abs, spec.mode);
      if (spec.mtime !== undefined) fs.lutimesSync(abs, spec.mtime, spec.mtime);
    }
  }
}

/** Set fixed times on everything under dir (deepest first, so directory times stick). */
export function fixTimes(dir: string, seconds: number): void {
  const walk = (abs: string) => {
    const st = fs.lstatSync(abs);
    if (st.isDirectory()) for (const name of fs.readdirSync(abs)) walk(path.join(abs, name));
    fs.lutimesSync(abs, seconds, seconds);
  };
  for (const name of fs.readdirSync(dir)) walk(path.join(dir, name));
}

/** A describe block comparing each scenario's outcomes; skipped when a reference tool is missing. */
export function describeDiff(title: string, tools: readonly string[], cases: readonly (readonly [string, Scenario])[]): void {
  describe.skipIf(!tools.every((t) => hasTool(t)))(title, () => {
    it.each(cases.map(([name, s]) => [name, s] as const))('%s', async (_, s) => {
      const [ref, ours] = await runScenario(s);
      if (s.check) s.check(ref, ours);
      else expect(ours, s.argv.join(' ')).toEqual(ref);
    });
  });
}
