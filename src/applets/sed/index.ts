// sed as GNU sed 4.9 has it: every command, GNU's addresses and extensions, -n -e -f -E/-r
// -i[SUFFIX] -s -z -u -l --posix --sandbox --follow-symlinks; exit statuses 1 (bad script),
// 2 (missing input file), 4 (I/O trouble), or q/Q's own.
import * as fs from 'node:fs';
import { defineApplet, helpText } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import { AppletError, errorText } from '../../core/errors.js';
import { readAll } from '../../core/io.js';
import { Compiler, type Posixicity, type ScriptPiece } from './compile.js';
import { SedRun } from './execute.js';

const decl = defineApplet({
  name: 'sed',
  summary: 'Stream editor: run SCRIPT on each line of the FILEs (or standard input).',
  usage: 'sed [OPTION]... {script-only-if-no-other-script} [input-file]...',
  help: [
    '  -n, --quiet, --silent',
    '                 suppress automatic printing of pattern space',
    '  -e script, --expression=script',
    '                 add the script to the commands to be executed',
    '  -f script-file, --file=script-file',
    '                 add the contents of script-file to the commands to be executed',
    '  --follow-symlinks',
    '                 follow symlinks when processing in place',
    '  -i[SUFFIX], --in-place[=SUFFIX]',
    '                 edit files in place (makes backup if SUFFIX supplied)',
    '  -l N, --line-length=N',
    "                 specify the desired line-wrap length for the `l' command",
    '  --posix',
    '                 disable all GNU extensions.',
    '  -E, -r, --regexp-extended',
    '                 use extended regular expressions in the script',
    '                 (for portability use POSIX -E).',
    '  -s, --separate',
    '                 consider files as separate rather than as a single',
    '                 continuous long stream.',
    '      --sandbox',
    '                 operate in sandbox mode (disable e/r/w commands).',
    '  -u, --unbuffered',
    '                 load minimal amounts of data from the input files and flush',
    '                 the output buffers more often',
    '  -z, --null-data',
    '                 separate lines by NUL characters',
    '      --help     display this help and exit',
    '      --version  output version information and exit',
    '',
    'If no -e, --expression, -f, or --file option is given, then the first',
    'non-option argument is taken as the sed script to interpret.  All',
    'remaining arguments are names of input files; if no input files are',
    'specified, then the standard input is read.',
  ].join('\n'),
  options: {
    n: { long: ['quiet', 'silent'] },
    e: { long: 'expression', arg: 'list' },
    f: { long: 'file', arg: 'list' },
    E: { long: 'regexp-extended' },
    r: {},
    i: { long: 'in-place', arg: 'optional' },
    l: { long: 'line-length', arg: 'string' },
    s: { long: 'separate' },
    z: { long: 'null-data' },
    u: { long: 'unbuffered' },
    b: { long: 'binary' },
    posix: {},
    sandbox: {},
    'follow-symlinks': {},
    version: {},
  },
  style: 'busybox',
  usageStatus: 1,
  async run(ctx) {
    const o = ctx.opts;
    if (o.version) {
      await ctx.stdout.write('sed (toolbox) 4.9\n');
      return 0;
    }
    const operands = [...ctx.operands];
    const pieces: ScriptPiece[] = [];
    for (const [key, value] of ctx.optionOrder ?? []) {
      if (key === 'e') pieces.push({ text: String(value) });
      else if (key === 'f') {
        const name = String(value);
        let text: string;
        try {
          text = name === '-' ? (await readAll(ctx.stdin)).toString('latin1') : fs.readFileSync(fsPath(ctx.path(name))).toString('latin1');
        } catch (err) {
          throw new AppletError(`couldn't open file ${name}: ${errorText(err)}`, 4);
        }
        // A script file's last line need not end in a newline; its commands end with it anyway.
        pieces.push({ text, file: name });
      }
    }
    if (pieces.length === 0) {
      if (operands.length === 0) {
        await ctx.stderr.write(helpText(decl));
        return 1;
      }
      pieces.push({ text: operands.shift()! });
    }
    let posix: Posixicity = ctx.env.has('POSIXLY_CORRECT') ? 'correct' : 'extended';
    if (o.posix) posix = 'basic';
    let lineWrap = 70;
    if (typeof o.l === 'string') lineWrap = parseInt(o.l, 10) || 0; // atoi(), as GNU
    const delimiter = o.z ? '\0' : '\n';
    const compiler = new Compiler({ extended: !!(o.E || o.r), posix, sandbox: !!o.sandbox, delimiter });
    const program = compiler.compile(pieces);
    // GNU's in-place extension: `*` stands for the file's name as given ("*" alone: no backup).
    const inPlace = o.i === undefined ? undefined : o.i === true ? '*' : String(o.i).includes('*') ? String(o.i) : `*${String(o.i)}`;
    if (inPlace !== undefined && operands.length === 0) throw new AppletError('no input files', 4);
    const run = new SedRun(
      ctx,
      program,
      {
        quiet: !!o.n || program.quiet,
        separate: !!o.s || inPlace !== undefined,
        inPlace,
        followSymlinks: !!o['follow-symlinks'],
        delimiter,
        lineWrap,
        posixExtended: posix === 'extended',
        unbuffered: !!o.u,
      },
      operands,
    );
    return run.run();
  },
});
export default decl;
