// chmod as GNU has it: symbolic and octal modes (core/mode.ts), -R through the tree in fts order,
// -v/-c reports, --reference, and GNU's mode-as-option form (`chmod -w file`), which also warns
// when the umask kept a requested change from happening.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { type FtsEntry, SKIP, walkTree } from '../core/fts.js';
import { OutBuffer } from '../core/io.js';
import { applyMode, modeString } from '../core/mode.js';
import { quote, quoteaf, quotef } from '../core/quote.js';

// A NUL cannot be in an argument: it marks the words rewriteArgs found to be modes.
const MODE_MARK = '\0';
const FLAG_LETTERS = 'Rcfv';
const MODE_LETTERS = 'rwxXstugoa,+=-01234567';

/** GNU reads `-w`, `-rwx`, `-x,u+w` as modes: a word whose option letters reach a mode letter is
 *  a mode (the flags before it still count: `-vw`). Those words are marked as operands here. */
function markModeWords(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      out.push(arg);
      // --reference FILE: the next word is its value
      if (!arg.includes('=') && arg.length > 2 && 'reference'.startsWith(arg.slice(2)) && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      out.push(arg);
      continue;
    }
    let flags = '';
    let isMode = false;
    for (const letter of arg.slice(1)) {
      if (FLAG_LETTERS.includes(letter)) flags += letter;
      else {
        isMode = MODE_LETTERS.includes(letter);
        break;
      }
    }
    if (!isMode) out.push(arg);
    else {
      if (flags) out.push(`-${flags}`);
      out.push(MODE_MARK + arg);
    }
  }
  return out;
}

function describe(mode: number): string {
  return `${(mode & 0o7777).toString(8).padStart(4, '0')} (${modeString(mode).slice(1)})`;
}

export default defineApplet({
  name: 'chmod',
  summary: 'Change the mode of each FILE to MODE',
  usage: 'chmod [OPTION]... MODE[,MODE]... FILE...\n   or: chmod [OPTION]... OCTAL-MODE FILE...\n   or: chmod [OPTION]... --reference=RFILE FILE...',
  help: [
    '-c, --changes\t\tLike verbose but report only when a change is made',
    '-f, --silent, --quiet\tSuppress most error messages',
    '-v, --verbose\t\tOutput a diagnostic for every file processed',
    '    --no-preserve-root\tDo not treat \'/\' specially (the default)',
    '    --preserve-root\tFail to operate recursively on \'/\'',
    '    --reference=RFILE\tUse RFILE\'s mode instead of MODE values',
    '-R, --recursive\t\tChange files and directories recursively',
    '',
    'Each MODE is of the form \'[ugoa]*([-+=]([rwxXst]*|[ugo]))+|[-+=][0-7]+\'.',
  ].join('\n'),
  options: {
    c: { long: 'changes', overrides: 'v' },
    f: { long: ['silent', 'quiet'] },
    v: { long: 'verbose', overrides: 'c' },
    'no-preserve-root': { overrides: ['preserve-root'] },
    'preserve-root': { overrides: ['no-preserve-root'] },
    reference: { arg: 'string' },
    R: { long: 'recursive' },
  },
  rewriteArgs: markModeWords,
  async run(ctx) {
    const { opts } = ctx;
    const modeWords = ctx.operands.filter((o) => o.startsWith(MODE_MARK)).map((o) => o.slice(1));
    const operands = ctx.operands.filter((o) => !o.startsWith(MODE_MARK));
    // A mode given as an option (-w) warns when the umask changes the outcome, as GNU does.
    const diagnoseSurprises = modeWords.length > 0;
    let mode: string | undefined = modeWords.length ? modeWords.join(',') : undefined;
    let referenceMode: number | undefined;
    if (opts.reference !== undefined) {
      try {
        referenceMode = fs.statSync(fsPath(ctx.path(opts.reference))).mode & 0o7777;
      } catch (err) {
        throw new AppletError(`failed to get attributes of ${quoteaf(opts.reference)}: ${errorText(err)}`);
      }
    } else if (mode === undefined) mode = operands.shift();
    if (operands.length === 0) {
      if (mode === undefined || opts.reference !== undefined || modeWords.length) throw new UsageError('missing operand');
      throw new UsageError(`missing operand after ${quote(mode)}`);
    }
    const umask = ctx.host.umask();
    const newMode = (old: number, isDir: boolean, mask: number) =>
      referenceMode !== undefined ? referenceMode : applyMode(mode!, old & 0o7777, { isDir, umask: mask });
    if (mode !== undefined && referenceMode === undefined) {
      try {
        newMode(0, false, umask);
      } catch {
        throw new UsageError(`invalid mode: ${quote(mode)}`);
      }
    }

    const verbosity = opts.v ? 'high' : opts.c ? 'changes' : 'off';
    const quiet = !!opts.f;
    const root = opts.R && opts['preserve-root'] ? fs.statSync('/') : undefined;
    const out = new OutBuffer(ctx.stdout);
    const report = async (line: string) => {
      const pending = out.put(line);
      if (pending) await pending;
    };
    const complain = async (text: string) => {
      await out.flush();
      if (!quiet) await ctx.stderr.write(`${ctx.name}: ${text}\n`);
    };
    let ok = true;

    const visit = async (e: FtsEntry) => {
      if (e.info === 'DP') return;
      if (e.info === 'NS') {
        await complain(`cannot access ${quoteaf(e.path)}: ${errorText(e.error)}`);
        if (verbosity === 'high') await report(`${quoteaf(e.path)} could not be accessed\n`);
        ok = false;
        return;
      }
      if (e.info === 'DNR') {
        await out.flush();
        await ctx.stderr.write(`${ctx.name}: cannot read directory ${quoteaf(e.path)}: ${errorText(e.error)}\n`);
        ok = false;
        return;
      }
      if (e.info === 'SLNONE') {
        await complain(`cannot operate on dangling symlink ${quoteaf(e.path)}`);
        if (verbosity === 'high') await report(`${quoteaf(e.path)} could not be accessed\n`);
        ok = false;
        return;
      }
      const st = e.st!;
      if (root && st.dev === root.dev && st.ino === root.ino) {
        await out.flush();
        if (e.path === '/') await ctx.stderr.write(`${ctx.name}: it is dangerous to operate recursively on ${quoteaf('/')}\n`);
        else await ctx.stderr.write(`${ctx.name}: it is dangerous to operate recursively on ${quoteaf(e.path)} (same as ${quoteaf('/')})\n`);
        await ctx.stderr.write(`${ctx.name}: use --no-preserve-root to override this failsafe\n`);
        ok = false;
        return SKIP;
      }
      if (e.info === 'SL') {
        if (verbosity === 'high') await report(`neither symbolic link ${quoteaf(e.path)} nor referent has been changed\n`);
        return;
      }
      const old = st.mode & 0o7777;
      const wanted = newMode(st.mode, st.isDirectory(), umask);
      let failed = false;
      try {
        fs.chmodSync(fsPath(e.abs), wanted);
      } catch (err) {
        failed = true;
        ok = false;
        await complain(`changing permissions of ${quoteaf(e.path)}: ${errorText(err)}`);
      }
      if (verbosity !== 'off') {
        let changed = !failed && old !== wanted;
        if (!failed && wanted & 0o7000) {
          // the kernel may drop set-id bits: look at what the file got
          changed = (fs.statSync(fsPath(e.abs)).mode & 0o7777) !== old;
        }
        if (failed) await report(`failed to change mode of ${quoteaf(e.path)} from ${describe(old)} to ${describe(wanted)}\n`);
        else if (changed) await report(`mode of ${quoteaf(e.path)} changed from ${describe(old)} to ${describe(wanted)}\n`);
        else if (verbosity === 'high') await report(`mode of ${quoteaf(e.path)} retained as ${describe(wanted)}\n`);
      }
      if (!failed && diagnoseSurprises) {
        const naive = newMode(st.mode, st.isDirectory(), 0);
        if (wanted & ~naive) {
          await out.flush();
          await ctx.stderr.write(`${ctx.name}: ${quotef(e.path)}: new permissions are ${modeString(wanted).slice(1)}, not ${modeString(naive).slice(1)}\n`);
          ok = false;
        }
      }
      if (!opts.R) return SKIP;
    };
    try {
      await walkTree(operands, { follow: 'comfollow', cwd: ctx.cwd, signal: ctx.signal }, visit);
    } finally {
      await out.flush();
    }
    return ok ? 0 : 1;
  },
});
