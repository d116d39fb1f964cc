// sh against BusyBox ash (the reference) and dash, on the scripts of sh-cases.txt: each runs through
// our shell in-process and as the built executable, and through `busybox sh`; stdout, stderr and
// status must be the same (dash, where a case says so, on stdout and status). Cases where we differ
// from ash on purpose say why and what we print.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binary.js';
import { hasTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

interface Case {
  script: string;
  because?: string;
  stdout?: string;
  file?: boolean;
  dash?: boolean;
  stdin?: string;
}

function loadCases(): Case[] {
  const text = fs.readFileSync(path.join(import.meta.dirname, 'sh-cases.txt'), 'latin1');
  const chunks = text.split(/^----\n/m).slice(1);
  return chunks
    .map((chunk) => {
      const c: Case = { script: '' };
      const lines = chunk.replace(/\n$/, '').split('\n');
      while (lines[0]?.startsWith('#! ')) {
        const d = lines.shift()!.slice(3);
        const colon = d.indexOf(':');
        const key = colon === -1 ? d : d.slice(0, colon);
        const value = colon === -1 ? '' : d.slice(colon + 1).trim();
        if (key === 'because') c.because = value;
        else if (key === 'stdout') c.stdout = JSON.parse(value);
        else if (key === 'stdin') c.stdin = JSON.parse(value);
        else if (key === 'file') c.file = true;
        else if (key === 'dash') c.dash = true;
      }
      c.script = lines.join('\n');
      return c;
    })
    .filter((c) => c.script.trim());
}

const FIXTURES = ['g/a.txt', 'g/b.txt', 'g/.hidden', 'g/c.log', 'g/sub/x.txt'];

function workdir(): string {
  const dir = tempDir('toolbox-shdiff-');
  for (const f of FIXTURES) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

const ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC', HOME: '/root' };

function reference(argv: string[], cwd: string, stdin?: string) {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env: ENV, input: stdin ?? '', timeout: 20_000 });
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1'), status: r.status ?? 128 + 15 };
}

/** A fresh directory for one run of a case, and the arguments that run the case there through a
 *  shell invoked as `sh` (so messages start with `sh:`). */
function setup(c: Case): { dir: string; args: string[] } {
  const dir = workdir();
  if (!c.file) return { dir, args: ['-c', c.script] };
  fs.writeFileSync(path.join(dir, 'script.sh'), c.script);
  return { dir, args: ['script.sh'] };
}

const cases = loadCases();

describe.skipIf(!hasTool('busybox'))('sh vs busybox ash', () => {
  it.each(cases.map((c) => [c.script.split('\n')[0]!.slice(0, 70), c] as const))('%s', async (_, c) => {
    const { dir, args } = setup(c);
    const ours = await run(['sh', ...args], { cwd: dir, env: ENV, stdin: c.stdin ?? '' });
    const got = { stdout: ours.stdout, stderr: ours.stderr, status: ours.status };
    if (c.because) {
      expect(c.stdout, 'a case that differs says what we print').toBeDefined();
      expect(got.stdout).toBe(c.stdout);
    } else {
      const ref = setup(c);
      const ash = reference(['busybox', 'sh', ...ref.args], ref.dir, c.stdin);
      expect(got).toEqual(ash);
    }
    if (c.dash && hasTool('dash')) {
      const ref = setup(c);
      const dash = reference(['dash', ...ref.args], ref.dir, c.stdin);
      expect({ stdout: got.stdout, status: got.status }).toEqual({ stdout: dash.stdout, status: dash.status });
    }
  });
});

// The same table through the executable: everything that runs in-process also runs from the binary.
describe.skipIf(!hasTool('busybox'))('sh executable vs in-process', () => {
  const bin = requireBinary();
  it('gives the same results for every case', async () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      const { dir, args } = setup(c);
      const inProcess = await run(['sh', ...args], { cwd: dir, env: ENV, stdin: c.stdin ?? '' });
      const ref = setup(c);
      const binary = reference([bin, 'sh', ...ref.args], ref.dir, c.stdin);
      const a = { stdout: inProcess.stdout, stderr: inProcess.stderr, status: inProcess.status };
      if (JSON.stringify(a) !== JSON.stringify(binary)) mismatches.push(`${c.script}\n  in-process: ${JSON.stringify(a)}\n  binary:     ${JSON.stringify(binary)}`);
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
