// rm as GNU has it: the tree walk, prompts and refusals are core/remove.ts (mv uses them too);
// here are the options, -I's single question and the missing-operand rules.
import { defineApplet } from '../core/applet.js';
import { argmatch, type ArgTable } from '../core/argmatch.js';
import { AppletError, UsageError } from '../core/errors.js';
import { askYesNo } from '../core/prompt.js';
import { quoteaf } from '../core/quote.js';
import { type Interactive, type RemoveSettings, Remover } from '../core/remove.js';

const INTERACTIVE: ArgTable<Interactive | 'once'> = [
  ['never', 'never'],
  ['no', 'never'],
  ['none', 'never'],
  ['once', 'once'],
  ['always', 'always'],
  ['yes', 'always'],
];

export default defineApplet({
  name: 'rm',
  summary: 'Remove (unlink) the FILE(s)',
  usage: 'rm [OPTION]... [FILE]...',
  help: [
    '-f, --force\t\tIgnore nonexistent files and arguments, never prompt',
    '-i\t\t\tPrompt before every removal',
    '-I\t\t\tPrompt once before removing more than three files, or when removing recursively',
    '    --interactive[=WHEN]\tPrompt according to WHEN: never, once (-I), or always (-i)',
    '    --one-file-system\tWhen removing a hierarchy recursively, skip any directory on a different file system',
    '    --no-preserve-root\tDo not treat \'/\' specially',
    '    --preserve-root[=all]\tDo not remove \'/\' (default); with \'all\', reject any argument on a separate device from its parent',
    '-r, -R, --recursive\tRemove directories and their contents recursively',
    '-d, --dir\t\tRemove empty directories',
    '-v, --verbose\t\tExplain what is being done',
  ].join('\n'),
  // The last of -f, -i, -I and --interactive decides; -f also ignores missing files unless a
  // later -i, -I or --interactive=once/always takes that back (GNU's rules).
  options: {
    f: { long: 'force', overrides: 'i,I,interactive' },
    i: { overrides: 'f,I,interactive' },
    I: { overrides: 'f,i,interactive' },
    interactive: { arg: 'optional', overrides: 'iI' },
    'one-file-system': {},
    'no-preserve-root': { overrides: ['preserve-root'] },
    'preserve-root': { arg: 'optional', overrides: ['no-preserve-root'] },
    r: { long: 'recursive' },
    R: {},
    d: { long: 'dir' },
    v: { long: 'verbose' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    let mode: Interactive | 'once' = opts.f ? 'never' : opts.i ? 'always' : opts.I ? 'once' : 'sometimes';
    if (opts.interactive !== undefined) {
      mode = opts.interactive === true ? 'always' : argmatch(opts.interactive, INTERACTIVE, '--interactive');
    }
    const ignoreMissing = !!opts.f && (opts.interactive === undefined || mode === 'never');
    let preserveRoot: RemoveSettings['preserveRoot'] = opts['no-preserve-root'] ? 'no' : 'root';
    const pr = opts['preserve-root'];
    if (typeof pr === 'string') {
      if (pr !== 'all') throw new AppletError(`unrecognized --preserve-root argument: ${quoteaf(pr)}`);
      preserveRoot = 'all';
    }
    if (operands.length === 0) {
      if (ignoreMissing) return 0;
      throw new UsageError('missing operand');
    }
    const recursive = !!(opts.r || opts.R);
    if (mode === 'once' && (recursive || operands.length > 3)) {
      const n = operands.length;
      const question = `${ctx.name}: remove ${n} ${n === 1 ? 'argument' : 'arguments'}${recursive ? ' recursively' : ''}? `;
      if (!(await askYesNo(ctx, question))) return 0;
    }
    const remover = new Remover(ctx, {
      recursive,
      emptyDirs: !!opts.d,
      verbose: !!opts.v,
      interactive: mode === 'once' ? 'sometimes' : mode,
      ignoreMissing,
      oneFileSystem: !!opts['one-file-system'],
      preserveRoot,
      stdinTty: ctx.isTTY(0),
    });
    try {
      for (const name of operands) await remover.operand(name);
    } finally {
      await remover.flush();
    }
    return remover.status;
  },
});
