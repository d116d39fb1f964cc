// realpath as GNU has it: canonical names, optionally relative to a directory (--relative-to) and
// only for names under a base (--relative-base).
import { defineApplet } from '../core/applet.js';
import { type CanonMode, canonicalize, isUnder, relativePath } from '../core/canonical.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { OutBuffer } from '../core/io.js';
import { quotef } from '../core/quote.js';

export default defineApplet({
  name: 'realpath',
  summary: 'Print the resolved absolute file name; all but the last component must exist',
  usage: 'realpath [OPTION]... FILE...',
  help: [
    '-e, --canonicalize-existing\tAll components of the path must exist',
    '-m, --canonicalize-missing\tNo path components need exist or be a directory',
    '-L, --logical\t\t\tResolve \'..\' components before symlinks',
    '-P, --physical\t\t\tResolve symlinks as encountered (default)',
    '-q, --quiet\t\t\tSuppress most error messages',
    '    --relative-to=DIR\t\tPrint the resolved path relative to DIR',
    '    --relative-base=DIR\t\tPrint absolute paths unless paths below DIR',
    '-s, --strip, --no-symlinks\tDon\'t expand symlinks',
    '-z, --zero\t\t\tEnd each output line with NUL, not newline',
  ].join('\n'),
  options: {
    e: { long: 'canonicalize-existing', overrides: 'm' },
    m: { long: 'canonicalize-missing', overrides: 'e' },
    L: { long: 'logical', overrides: 'Ps' },
    P: { long: 'physical', overrides: 'Ls' },
    q: { long: 'quiet' },
    'relative-to': { arg: 'string' },
    'relative-base': { arg: 'string' },
    s: { long: ['strip', 'no-symlinks'], overrides: 'PL' },
    z: { long: 'zero' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    if (operands.length === 0) throw new UsageError('missing operand');
    const mode: CanonMode = opts.e ? 'existing' : opts.m ? 'missing' : 'allButLast';
    // -L: `..` first, lexically (without following links), then the links
    const canon = (name: string) => {
      const abs = ctx.path(name);
      if (opts.L) return canonicalize(canonicalize(abs, mode, { noSymlinks: true }), mode);
      return canonicalize(abs, mode, { noSymlinks: !!opts.s });
    };
    const canonOption = (name: string | undefined) => {
      if (name === undefined) return undefined;
      try {
        return canon(name);
      } catch (err) {
        throw new AppletError(`${quotef(name)}: ${errorText(err)}`);
      }
    };
    let base = canonOption(opts['relative-base']);
    let relativeTo = canonOption(opts['relative-to']) ?? base;
    if (base !== undefined && relativeTo !== undefined && !isUnder(relativeTo, base)) base = relativeTo = undefined;

    const end = opts.z ? '\0' : '\n';
    const out = new OutBuffer(ctx.stdout);
    let status = 0;
    for (const name of operands) {
      let resolved: string;
      try {
        resolved = canon(name);
      } catch (err) {
        status = 1;
        if (!opts.q) {
          await out.flush();
          await ctx.warn(err, quotef(name));
        }
        continue;
      }
      const relative = relativeTo !== undefined && (base === undefined || isUnder(resolved, base));
      await out.put((relative ? relativePath(resolved, relativeTo!) : resolved) + end);
    }
    await out.flush();
    return status;
  },
});
