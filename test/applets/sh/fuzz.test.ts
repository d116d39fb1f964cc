// Random and mutated scripts through the parser and the interpreter: whatever the input, the shell
// reports shell errors (syntax errors, not found ...) and never a JavaScript exception.
//
// The interpreter runs with no applets and no programs (the registry is emptied and scripts have no
// `/`, so no path can name a program or leave the throwaway directory; `cd` is filtered out), a host
// whose kill and signal subscriptions do nothing, and a time limit per script.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { ProcessHost } from '../../../src/core/context.js';
import { Env } from '../../../src/core/env.js';
import { BytesSource, MemorySink } from '../../../src/core/io.js';
import { runApplet } from '../../../src/core/run.js';
import { parse, ParseError } from '../../../src/applets/sh/parser.js';
import { tempDir, testHost } from '../../helpers/run.js';

vi.mock('../../../src/registry.js', () => ({ findApplet: () => undefined, appletNames: () => [] }));
vi.mock('../../../src/applets/sh/builtins/ulimit.js', () => ({ default: { run: () => 0 } }));

const ALPHABET = [
  ...' \t\n;&|()<>{}$`\'"\\*?[]!#=-+:%~,.@^0123456789abcxyzEOF',
  'if ', 'then ', 'else ', 'elif ', 'fi', 'for ', 'in ', 'do ', 'done', 'while ', 'until ', 'case ', 'esac', ';;',
  'echo ', 'x=', '$x', '${x', '$(', '$((', '))', '<<', '<<-', '>&', '&&', '||', 'f()', 'local ', 'set -', 'trap ',
  'eval ', 'exit', 'return', 'break', 'continue', 'shift', 'read ', 'test ', '[ ', ' ]', 'printf ', 'wait', 'kill ',
  'export ', 'readonly ', 'unset ', 'getopts ', 'alias ', '.', '"$@"', '$#', '$?', "$'", '\\n',
];

function seeds(): string[] {
  const text = fs.readFileSync(path.join(import.meta.dirname, '../../diff/sh-cases.txt'), 'latin1');
  return text
    .split(/^----\n/m)
    .slice(1)
    .map((c) => c.replace(/^#!.*\n/gm, '').replace(/\//g, ''))
    .filter((c) => c.trim() && !/\bcd\b|chdir|CDPATH/.test(c));
}

const fuzzHost: ProcessHost = {
  ...testHost(),
  kill: () => {},
  onSignal: () => () => {},
  umask: () => 0o022,
};

async function runScript(script: string): Promise<{ status: number; stderr: string }> {
  const dir = tempDir('toolbox-shfuzz-');
  const decl = (await import('../../../src/applets/sh/index.js')).default;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 500);
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  try {
    const status = await runApplet(decl, {
      name: 'sh', args: ['-c', script], env: new Env({ PATH: '', HOME: dir }), cwd: dir, signal: stop.signal,
      host: fuzzHost, stdin: new BytesSource(''), stdout, stderr,
    });
    return { status, stderr: stderr.text() };
  } finally {
    clearTimeout(timer);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** SH_FUZZ_RUNS scales the number of runs (for a longer search than the test suite's). */
const scale = Number(process.env.SH_FUZZ_RUNS ?? '1');

const unsafe = (s: string) => s.includes('/') || /\bcd\b|chdir|CDPATH/.test(s);

describe('fuzz', () => {
  it('the parser only ever throws syntax errors', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }), (pieces) => {
        try {
          parse(pieces.join(''));
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 5000 * scale },
    );
  });

  it('random scripts run without a JavaScript error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }), async (pieces) => {
        const script = pieces.join('');
        fc.pre(!unsafe(script));
        const r = await runScript(script);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(Number.isInteger(r.status)).toBe(true);
      }),
      { numRuns: 1000 * scale },
    );
  }, 120_000 * scale);

  it('mutated scripts run without a JavaScript error', async () => {
    const base = seeds();
    const mutation = fc.record({ at: fc.nat(), len: fc.nat({ max: 4 }), insert: fc.constantFrom('', ...ALPHABET) });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...base), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, edits) => {
        let script = seed;
        for (const e of edits) {
          const at = e.at % (script.length + 1);
          script = script.slice(0, at) + e.insert + script.slice(at + e.len);
        }
        fc.pre(!unsafe(script));
        const r = await runScript(script);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(Number.isInteger(r.status)).toBe(true);
      }),
      { numRuns: 1500 * scale },
    );
  }, 180_000 * scale);
});
