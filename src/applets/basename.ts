// basename as GNU has it: `basename NAME [SUFFIX]`, or any number of names with -a/-s.
import { defineApplet } from '../core/applet.js';
import { UsageError } from '../core/errors.js';
import { OutBuffer } from '../core/io.js';
import { quote } from '../core/quote.js';

/** The last component of a name, trailing slashes removed; `/` for a name of slashes only. */
export function baseName(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === '') return name === '' ? '' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Remove `suffix` from the end of `name` unless it is all of it (or the name is a root). */
export function removeSuffix(name: string, suffix: string): string {
  if (name.startsWith('/') || suffix.length >= name.length || !name.endsWith(suffix)) return name;
  return name.slice(0, name.length - suffix.length);
}

export default defineApplet({
  name: 'basename',
  summary: 'Print NAME with any leading directory components removed; also remove a trailing SUFFIX',
  usage: 'basename NAME [SUFFIX]\n   or: basename OPTION... NAME...',
  help: [
    '-a, --multiple\t\tSupport multiple NAMEs, treating each as a NAME',
    '-s, --suffix=SUFFIX\tRemove a trailing SUFFIX; implies -a',
    '-z, --zero\t\tEnd each output line with NUL, not newline',
  ].join('\n'),
  options: {
    a: { long: 'multiple' },
    s: { long: 'suffix', arg: 'string', implies: 'a' },
    z: { long: 'zero' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    if (operands.length === 0) throw new UsageError('missing operand');
    let names = operands;
    let suffix = opts.s;
    if (!opts.a) {
      if (operands.length > 2) throw new UsageError(`extra operand ${quote(operands[2]!)}`);
      names = operands.slice(0, 1);
      suffix = operands[1];
    }
    const end = opts.z ? '\0' : '\n';
    const out = new OutBuffer(ctx.stdout);
    for (const name of names) {
      const base = baseName(name);
      await out.put((suffix ? removeSuffix(base, suffix) : base) + end);
    }
    await out.flush();
    return 0;
  },
});
