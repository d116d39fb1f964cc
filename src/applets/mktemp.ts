// mktemp as GNU has it: a unique file (0600) or directory (0700) from a template whose last run
// of three or more X's is replaced, in the current directory or a temporary one (-p, -t, $TMPDIR).
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { AppletError, errorCode, errorText, UsageError } from '../core/errors.js';
import { quote } from '../core/quote.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ATTEMPTS = 62 * 62 * 62;

function randomLetters(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += LETTERS[randomInt(LETTERS.length)];
  return s;
}

export default defineApplet({
  name: 'mktemp',
  summary: 'Create a temporary file or directory, safely, and print its name',
  usage: 'mktemp [OPTION]... [TEMPLATE]',
  help: [
    '-d, --directory\t\tCreate a directory, not a file',
    '-u, --dry-run\t\tDo not create anything; merely print a name (unsafe)',
    '-q, --quiet\t\tSuppress diagnostics about file/dir-creation failure',
    '    --suffix=SUFF\tAppend SUFF to TEMPLATE; implied if TEMPLATE does not end in X',
    '-p DIR, --tmpdir[=DIR]\tInterpret TEMPLATE relative to DIR ($TMPDIR, else /tmp, if DIR is not given)',
    '-t\t\t\tInterpret TEMPLATE as a single file name component, relative to $TMPDIR, -p\'s DIR or /tmp',
    '',
    'TEMPLATE must contain at least 3 consecutive \'X\'s in its last component. Without TEMPLATE,',
    'tmp.XXXXXXXXXX is used, and --tmpdir is implied.',
  ].join('\n'),
  options: {
    d: { long: 'directory' },
    u: { long: 'dry-run' },
    q: { long: 'quiet' },
    suffix: { arg: 'string' },
    p: { arg: 'string' },
    tmpdir: { arg: 'optional' },
    t: {},
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    if (operands.length > 1) throw new UsageError('too many templates');
    let useDestDir = opts.p !== undefined || opts.tmpdir !== undefined || !!opts.t;
    const dirArg = opts.p ?? (typeof opts.tmpdir === 'string' ? opts.tmpdir : undefined);
    let template = operands[0];
    if (template === undefined) {
      template = 'tmp.XXXXXXXXXX';
      useDestDir = true;
    }
    let suffix: string;
    if (opts.suffix !== undefined) {
      if (!template.endsWith('X')) throw new AppletError(`with --suffix, template ${quote(template)} must end in X`);
      suffix = opts.suffix;
    } else {
      const lastX = template.lastIndexOf('X');
      suffix = lastX === -1 ? '' : template.slice(lastX + 1);
      template = template.slice(0, template.length - suffix.length);
    }
    if (suffix.includes('/')) throw new AppletError(`invalid suffix ${quote(suffix)}, contains directory separator`);
    const xs = /X*$/.exec(template)![0].length;
    if (xs < 3) throw new AppletError(`too few X's in template ${quote(template + (opts.suffix === undefined ? suffix : ''))}`);

    let name = template;
    if (useDestDir) {
      const tmpdirEnv = ctx.env.get('TMPDIR') || undefined;
      let dir: string;
      if (opts.t) {
        dir = tmpdirEnv ?? (dirArg || '/tmp');
        if (template.includes('/')) throw new AppletError(`invalid template, ${quote(template + suffix)}, contains directory separator`);
      } else {
        dir = dirArg || tmpdirEnv || '/tmp';
        if (template.startsWith('/')) throw new AppletError(`invalid template, ${quote(template + suffix)}; with --tmpdir, it may not be absolute`);
      }
      name = dir.endsWith('/') ? dir + template : `${dir}/${template}`;
    }
    const stem = name.slice(0, name.length - xs);
    let lastError: unknown;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const candidate = stem + randomLetters(xs) + suffix;
      const abs = fsPath(ctx.path(candidate));
      try {
        if (opts.u) {
          try {
            fs.lstatSync(abs);
            continue; // taken: try another
          } catch (err) {
            if (errorCode(err) !== 'ENOENT') throw err;
          }
        } else if (opts.d) fs.mkdirSync(abs, 0o700);
        else fs.closeSync(fs.openSync(abs, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_RDWR, 0o600));
        await ctx.stdout.write(`${candidate}\n`);
        return 0;
      } catch (err) {
        lastError = err;
        if (errorCode(err) !== 'EEXIST') break;
      }
    }
    if (!opts.q) {
      await ctx.stderr.write(`${ctx.name}: failed to create ${opts.d ? 'directory' : 'file'} via template ${quote(name + suffix)}: ${errorText(lastError)}\n`);
    }
    return 1;
  },
});
