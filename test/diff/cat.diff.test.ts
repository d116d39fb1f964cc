// cat against GNU cat (the reference) on every combination of its flags, and against BusyBox cat
// where BusyBox has the flag and the same semantics.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, runTool } from '../helpers/reference.js';
import { run, tempDir } from '../helpers/run.js';

const INPUTS: Record<string, Buffer> = {
  plain: Buffer.from('one\ntwo\n'),
  blanks: Buffer.from('\n\na\tb\n\n\n\nc\n\n'),
  binary: Buffer.from([...Array.from({ length: 256 }, (_, i) => i), 10, 0x41, 9, 9, 10, 10, 10, 0xc3, 0xa9]),
  unterminated: Buffer.from('x\n\ny'),
  empty: Buffer.alloc(0),
};

const LETTERS = ['n', 'b', 's', 'v', 'E', 'T'];
const COMBOS: string[][] = [];
for (let mask = 0; mask < 1 << LETTERS.length; mask++) COMBOS.push(LETTERS.filter((_, i) => mask & (1 << i)).map((l) => `-${l}`));
COMBOS.push(['-e'], ['-t'], ['-A'], ['-u'], ['-et', '-n'], ['--number', '--show-all'], ['--squeeze-blank', '-b'], ['-A', '-b', '-s']);

const dir = tempDir();
for (const [name, data] of Object.entries(INPUTS)) fs.writeFileSync(path.join(dir, name), data);
const names = Object.keys(INPUTS);

describe.skipIf(!hasTool('cat'))('cat vs GNU cat', () => {
  it.each(COMBOS.map((c) => [c.join(' ') || '(none)', c]))('%s over every input, several files at once', async (_, flags) => {
    for (const operands of [...names.map((n) => [n]), names, ['blanks', '-', 'unterminated', 'unterminated']]) {
      const argv = ['cat', ...(flags as string[]), ...operands];
      const gnu = runTool(argv, { cwd: dir, stdin: INPUTS.blanks });
      const ours = await run(argv, { cwd: dir, stdin: INPUTS.blanks });
      expect({ ...ours, cwd: undefined }, argv.join(' ')).toEqual({ ...gnu, cwd: undefined });
    }
  });
  it.each([['missing file', ['cat', 'plain', 'nope', 'plain']], ['directory', ['cat', '.', 'plain']], ['bad option', ['cat', '-z']], ['bad long option', ['cat', '--bogus']], ['ambiguous', ['cat', '--show']]])(
    'errors: %s',
    async (_, argv) => {
      const gnu = runTool(argv as string[], { cwd: dir });
      const ours = await run(argv as string[], { cwd: dir });
      expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr }).toEqual(gnu);
    },
  );
});

// BusyBox lacks -s -E -T; under -n/-b it numbers each file on its own, ends an unterminated last line
// with a newline, treats NUL as a line end, and with -v separates numbers by two spaces instead of a
// tab. We follow GNU in all of these; compared here where the two agree.
describe.skipIf(!hasTool('busybox'))('cat vs BusyBox cat', () => {
  it.each([
    ['-v', ['plain', 'blanks', 'binary']],
    ['-e', ['plain', 'blanks', 'binary']],
    ['-t', ['plain', 'blanks', 'binary']],
    ['-A', ['plain', 'blanks', 'binary']],
    ['-u', ['plain', 'blanks', 'binary']],
    ['-n', ['plain', 'blanks']],
    ['-b', ['plain', 'blanks']],
  ] as const)('%s', async (flag, inputs) => {
    for (const input of inputs) {
      const bb = runTool(['busybox', 'cat', flag, input], { cwd: dir });
      const ours = await run(['cat', flag, input], { cwd: dir });
      expect(ours.stdout, `${flag} ${input}`).toBe(bb.stdout);
      expect(ours.status).toBe(bb.status);
    }
  });
});
