// env as GNU has it: a changed environment (-i, -u, NAME=VALUE), an optional working directory
// (-C), then the command run through ctx.exec (an applet in-process, else a program from PATH);
// without a command, the environment printed. -S splits one argument into several, as shebang
// lines need. Statuses: 125 for env's own failures, 126 cannot run, 127 not found.
import * as fs from 'node:fs';
import { type AppletDecl, defineApplet, helpText } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { Env } from '../core/env.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { OutBuffer } from '../core/io.js';
import { type OptionSpecs, parseOptions } from '../core/options.js';
import { CommandError } from '../core/process.js';
import { quote, quoteaf } from '../core/quote.js';

const CANCELED = 125;

/** GNU env's -S: split a string into arguments, with quotes, backslash escapes and ${VAR}. */
export function splitString(s: string, env: Env): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const add = (text: string) => (word = (word ?? '') + text);
  const end = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  let inQuote: "'" | '"' | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inQuote === "'") {
      if (c === "'") inQuote = undefined;
      else if (c === '\\' && (s[i + 1] === '\\' || s[i + 1] === "'")) add(s[++i]!);
      else add(c);
      continue;
    }
    if (c === inQuote) {
      inQuote = undefined;
      continue;
    }
    if (!inQuote && (c === "'" || c === '"')) {
      inQuote = c;
      add('');
      continue;
    }
    if (!inQuote && /\s/.test(c)) {
      end();
      continue;
    }
    if (!inQuote && c === '#' && word === undefined) break; // a comment to the end
    if (c === '$') {
      const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(s.slice(i));
      if (!m) throw new AppletError(`only \${VARNAME} expansion is supported, error at: ${s.slice(i)}`, CANCELED);
      add(env.get(m[1]!) ?? '');
      i += m[0].length - 1;
      continue;
    }
    if (c !== '\\') {
      add(c);
      continue;
    }
    const e = s[++i];
    if (e === undefined) throw new AppletError('invalid backslash at end of string in -S', CANCELED);
    switch (e) {
      case 'c':
        if (inQuote) throw new AppletError("'\\c' must not appear in double-quoted -S string", CANCELED);
        end();
        return words;
      case '_':
        if (inQuote) add(' ');
        else end();
        break;
      case 'f': add('\f'); break;
      case 'n': add('\n'); break;
      case 'r': add('\r'); break;
      case 't': add('\t'); break;
      case 'v': add('\v'); break;
      case '#': case '$': case '\\': case '"': case "'":
        add(e);
        break;
      default:
        throw new AppletError(`invalid sequence '\\${e}' in -S`, CANCELED);
    }
  }
  if (inQuote) throw new AppletError(`no terminating quote in -S string`, CANCELED);
  end();
  return words;
}

const OPTIONS = {
  i: { long: 'ignore-environment' },
  '0': { long: 'null' },
  u: { long: 'unset', arg: 'list' },
  C: { long: 'chdir', arg: 'string' },
  S: { long: 'split-string', arg: 'string' },
  v: { long: 'debug' },
} as const;

/** Replace each -S STRING among the options by the words it splits into, as GNU's option loop
 *  does (the words may hold further options, even another -S). */
function expandSplitStrings(args: string[], env: Env): string[] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--' || arg === '-' || !arg.startsWith('-')) break; // options end here
    let value: string | undefined;
    let consumed = 1;
    let keep: string | undefined;
    const long = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (long) {
      if (!(long[1]!.length >= 2 && 'split-string'.startsWith(long[1]!))) {
        if (long[2] === undefined && ['unset', 'chdir'].some((n) => n.startsWith(long[1]!) && long[1]!.length >= 1)) i++;
        continue;
      }
      if (long[2] !== undefined) value = long[2];
      else {
        value = args[i + 1];
        consumed = 2;
      }
    } else {
      const m = /^-([i0v]*)([uCS])?(.*)$/s.exec(arg);
      if (!m || !m[2]) continue;
      if (m[2] !== 'S') {
        if (m[3] === '') i++; // -u NAME, -C DIR
        continue;
      }
      keep = m[1] ? `-${m[1]}` : undefined;
      if (m[3] !== '') value = m[3];
      else {
        value = args[i + 1];
        consumed = 2;
      }
    }
    if (value === undefined) break; // the parser reports the missing argument
    const words = splitString(value, env);
    args.splice(i, consumed, ...(keep ? [keep] : []), ...words);
    i += keep ? 0 : -1; // read the inserted words as options too
  }
  return args;
}

const decl = defineApplet({
  name: 'env',
  summary: 'Set each NAME to VALUE in the environment and run COMMAND',
  usage: 'env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]',
  help: [
    '-i, --ignore-environment\tStart with an empty environment',
    '-0, --null\t\tEnd each output line with NUL, not newline',
    '-u, --unset=NAME\tRemove variable from the environment',
    '-C, --chdir=DIR\t\tChange working directory to DIR',
    '-S, --split-string=S\tProcess and split S into separate arguments (for shebang lines)',
    '-v, --debug\t\tPrint verbose information for each processing step',
    '',
    'A mere - implies -i. If no COMMAND, print the resulting environment.',
  ].join('\n'),
  usageStatus: CANCELED,
  // No `options`: -S must be expanded before the options are read (see expandSplitStrings)
  async run(ctx) {
    const parsed = parseOptions(OPTIONS, expandSplitStrings([...ctx.operands], ctx.env), { stopAtOperand: true });
    if (parsed.help) {
      await ctx.stdout.write(helpText(decl as AppletDecl<OptionSpecs>));
      return 0;
    }
    const opts = parsed.opts;
    const debug = (text: string) => (opts.v ? ctx.stderr.write(`${text}\n`) : undefined);
    const args = parsed.operands;
    let ignore = !!opts.i;
    if (args[0] === '-') {
      ignore = true;
      args.shift();
    }
    const env = ignore ? new Env() : ctx.env.child();
    if (ignore) await debug('cleaning environ');
    else {
      for (const name of opts.u ?? []) {
        await debug(`unset:    ${name}`);
        if (name === '' || name.includes('=')) throw new AppletError(`cannot unset ${quote(name)}: Invalid argument`, CANCELED);
        env.delete(name);
      }
    }
    while (args.length && args[0]!.includes('=')) {
      const assignment = args.shift()!;
      await debug(`setenv:   ${assignment}`);
      const eq = assignment.indexOf('=');
      env.set(assignment.slice(0, eq), assignment.slice(eq + 1));
    }
    if (opts['0'] && args.length) throw new UsageError('cannot specify --null (-0) with command', CANCELED);
    if (opts.C !== undefined && !args.length) throw new UsageError('must specify command with --chdir (-C)', CANCELED);
    if (!args.length) {
      const out = new OutBuffer(ctx.stdout);
      const end = opts['0'] ? '\0' : '\n';
      for (const [name, value] of env.entries()) await out.put(`${name}=${value}${end}`);
      await out.flush();
      return 0;
    }
    let cwd = ctx.cwd;
    if (opts.C !== undefined) {
      await debug(`chdir:    ${quoteaf(opts.C)}`);
      const dir = ctx.path(opts.C);
      try {
        if (!fs.statSync(fsPath(dir)).isDirectory()) throw Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' });
        fs.accessSync(fsPath(dir), fs.constants.X_OK);
      } catch (err) {
        throw new AppletError(`cannot change directory to ${quoteaf(opts.C)}: ${errorText(err)}`, CANCELED);
      }
      cwd = fs.realpathSync(fsPath(dir), { encoding: 'latin1' });
    }
    if (opts.v) {
      await debug(`executing: ${args[0]}`);
      for (const [n, a] of args.entries()) await debug(`   arg[${n}]= ${quote(a)}`);
    }
    try {
      return await ctx.exec(args, { env, cwd });
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      await ctx.stderr.write(`${ctx.name}: ${quote(args[0]!)}: ${err.message}\n`);
      if (err.status === 127 && /\s/.test(args[0]!)) await ctx.stderr.write(`${ctx.name}: use -[v]S to pass options in shebang lines\n`);
      return err.status;
    }
  },
});

export default decl;
