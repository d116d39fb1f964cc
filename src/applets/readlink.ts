// readlink as GNU has it: a symbolic link's target, or with -f/-e/-m the canonical name. Failures
// are silent unless -v, as in GNU (and BusyBox).
import { defineApplet } from '../core/applet.js';
import { type CanonMode, canonicalize } from '../core/canonical.js';
import { UsageError } from '../core/errors.js';
import { readlink } from '../core/fs.js';
import { OutBuffer } from '../core/io.js';
import { quotef } from '../core/quote.js';

export default defineApplet({
  name: 'readlink',
  summary: 'Print the value of a symbolic link or the canonical file name',
  usage: 'readlink [OPTION]... FILE...',
  help: [
    '-f, --canonicalize\t\tFollow every symlink in every component; all but the last must exist',
    '-e, --canonicalize-existing\tFollow every symlink; all components must exist',
    '-m, --canonicalize-missing\tFollow every symlink; no component need exist',
    '-n, --no-newline\t\tDo not output the trailing delimiter',
    '-q, --quiet, -s, --silent\tSuppress most error messages (the default)',
    '-v, --verbose\t\t\tReport error messages',
    '-z, --zero\t\t\tEnd each output line with NUL, not newline',
  ].join('\n'),
  options: {
    f: { long: 'canonicalize', overrides: 'em' },
    e: { long: 'canonicalize-existing', overrides: 'fm' },
    m: { long: 'canonicalize-missing', overrides: 'fe' },
    n: { long: 'no-newline' },
    q: { long: 'quiet', overrides: 'v' },
    s: { long: 'silent', overrides: 'v' },
    v: { long: 'verbose', overrides: 'qs' },
    z: { long: 'zero' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    if (operands.length === 0) throw new UsageError('missing operand');
    const mode: CanonMode | undefined = opts.f ? 'allButLast' : opts.e ? 'existing' : opts.m ? 'missing' : undefined;
    let newline = !opts.n;
    if (!newline && operands.length > 1) {
      await ctx.stderr.write(`${ctx.name}: ignoring --no-newline with multiple arguments\n`);
      newline = true;
    }
    const end = newline ? (opts.z ? '\0' : '\n') : '';
    const out = new OutBuffer(ctx.stdout);
    let status = 0;
    for (const name of operands) {
      try {
        const value = mode ? canonicalize(ctx.path(name), mode) : readlink(ctx.path(name));
        await out.put(value + end);
      } catch (err) {
        status = 1;
        if (opts.v) {
          await out.flush();
          await ctx.warn(err, quotef(name));
        }
      }
    }
    await out.flush();
    return status;
  },
});
