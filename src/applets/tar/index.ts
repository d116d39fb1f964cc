// tar, as GNU tar behaves: create, extract, list, append and update archives in every format the
// core reads and writes, compressed or not, from and to files or pipes, with GNU's messages and
// exit statuses (2 for errors, 64 for a bad command line, 1 when a file changed while read).
// The archive work lives in core/archive (shared with apk); this folder is the command:
// index.ts (options, modes), extract.ts, create.ts, list.ts (the -tv format), match.ts (names).
import { defineApplet } from '../../core/applet.js';
import type { Compression } from '../../core/archive/compress.js';
import type { WriteFormat } from '../../core/archive/writer.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, UsageError } from '../../core/errors.js';
import { type OptionSpecs, type OptsOf, parseOptions } from '../../core/options.js';

const OPTIONS = {
  A: { long: ['catenate', 'concatenate'] },
  c: { long: 'create' },
  d: { long: ['diff', 'compare'] },
  r: { long: 'append' },
  t: { long: 'list' },
  u: { long: 'update' },
  x: { long: ['extract', 'get'] },
  f: { long: 'file', arg: 'string' },
  C: { long: 'directory', arg: 'list' },
  v: { long: 'verbose', arg: 'count' },
  z: { long: ['gzip', 'gunzip', 'ungzip'] },
  j: { long: 'bzip2' },
  J: { long: 'xz' },
  Z: { long: ['compress', 'uncompress'] },
  zstd: {},
  lzip: {},
  lzma: {},
  lzop: {},
  a: { long: 'auto-compress' },
  I: { long: 'use-compress-program', arg: 'string' },
  O: { long: 'to-stdout' },
  k: { long: 'keep-old-files', overrides: ['overwrite', 'skip-old-files'] },
  'skip-old-files': { overrides: ['k', 'overwrite'] },
  overwrite: { overrides: ['k', 'skip-old-files'] },
  'keep-newer-files': {},
  U: { long: 'unlink-first' },
  p: { long: ['preserve-permissions', 'same-permissions'], overrides: ['no-same-permissions'] },
  'no-same-permissions': { overrides: ['p'] },
  'same-owner': { overrides: ['no-same-owner'] },
  'no-same-owner': { overrides: ['same-owner'] },
  'numeric-owner': {},
  o: {},
  owner: { arg: 'string' },
  group: { arg: 'string' },
  mode: { arg: 'string' },
  mtime: { arg: 'string' },
  h: { long: 'dereference' },
  P: { long: 'absolute-names' },
  'strip-components': { arg: 'string' },
  exclude: { arg: 'list' },
  X: { long: 'exclude-from', arg: 'list' },
  T: { long: 'files-from', arg: 'list' },
  null: {},
  wildcards: { overrides: ['no-wildcards'] },
  'no-wildcards': { overrides: ['wildcards'] },
  recursion: { overrides: ['no-recursion'] },
  'no-recursion': { overrides: ['recursion'] },
  H: { long: 'format', arg: 'string' },
  posix: {},
  S: { long: 'sparse' },
  m: { long: 'touch' },
  i: { long: 'ignore-zeros' },
  'full-time': {},
  sort: { arg: 'string' },
  b: { long: 'blocking-factor', arg: 'string' },
  B: { long: 'read-full-records' },
  'one-file-system': {},
  'remove-files': {},
  'show-transformed-names': {},
  version: {},
} as const satisfies OptionSpecs;

export type TarOpts = OptsOf<typeof OPTIONS>;
export type Mode = 'create' | 'extract' | 'list' | 'append' | 'update';

/** Everything the modes need, resolved from the command line once. */
export interface TarJob {
  mode: Mode;
  opts: TarOpts;
  /** -f: a path, or '-' for stdin/stdout. */
  archive: string;
  compression: Compression | 'auto';
  /** -I PROG */
  compressProgram?: string;
  /** Operands in order; each -C DIR given among them is a `{ dir }` step (GNU applies -C in order). */
  operands: (string | { dir: string })[];
  verbose: number;
  format: WriteFormat;
  stripComponents: number;
  excludes: string[];
  recordSize: number;
}

const USAGE = 'tar [OPTION...] [FILE]...';
const HELP = `GNU 'tar' saves many files together into a single tape or disk archive, and can
restore individual files from the archive.

Examples:
  tar -cf archive.tar foo bar  # Create archive.tar from files foo and bar.
  tar -tvf archive.tar         # List all files in archive.tar verbosely.
  tar -xf archive.tar          # Extract all files from archive.tar.

 Main operation mode:
  -c, --create               create a new archive
  -r, --append               append files to the end of an archive
  -t, --list                 list the contents of an archive
  -u, --update               only append files newer than copy in archive
  -x, --extract, --get       extract files from an archive

 Operation modifiers:
  -f, --file=ARCHIVE         use archive file or device ARCHIVE ('-': stdin/stdout)
  -C, --directory=DIR        change to directory DIR
  -v, --verbose              verbosely list files processed (-vv: long listing)
  -O, --to-stdout            extract files to standard output
  -k, --keep-old-files       don't replace existing files when extracting
      --skip-old-files       don't replace existing files, silently
      --overwrite            overwrite existing files when extracting
      --keep-newer-files     don't replace existing files that are newer
  -m, --touch                don't extract file modified time
  -p, --preserve-permissions extract information about file permissions (default for root)
      --no-same-permissions  apply the umask to extracted permissions (default for users)
      --same-owner           extract files with their recorded owners (default for root)
      --no-same-owner        extract files as yourself (default for users)
      --numeric-owner        always use numbers for user/group names
      --owner=NAME, --group=NAME, --mode=CHANGES, --mtime=DATE-OR-FILE
                             force these attributes on added files
  -h, --dereference          follow symlinks; archive the files they point to
  -P, --absolute-names       don't strip leading '/'s and '..' from file names
      --strip-components=N   strip N leading components from file names on extraction
      --exclude=PATTERN      exclude files matching PATTERN
  -X, --exclude-from=FILE    exclude patterns listed in FILE
  -T, --files-from=FILE      get names to extract or create from FILE
      --null                 -T reads null-terminated names
      --wildcards            use wildcards in member names
      --no-recursion         avoid descending automatically in directories
  -S, --sparse               handle sparse files efficiently
  -i, --ignore-zeros         ignore zeroed blocks in archive (means EOF)
      --sort=ORDER           directory order when creating: none, name (default)
      --full-time            print file time to its full resolution

 Compression:
  -a, --auto-compress        use archive suffix to determine the compression program
  -z, --gzip                 filter the archive through gzip (in-process)
  -j, --bzip2                filter the archive through bzip2
  -J, --xz                   filter the archive through xz
      --zstd                 filter the archive through zstd (in-process)
  -Z, --compress, --lzip, --lzma, --lzop, -I PROG
                             other filters, through their programs
  (reading detects gzip, bzip2, xz and zstd by their magic bytes)

 Archive format:
  -H, --format=FORMAT        gnu (default), ustar, pax (--posix), v7 (-o)
`;

/** Marks a -C DIR among the operands: NUL never appears in an argument. */
const DIR_MARK = '\0C';

export default defineApplet({
  name: 'tar',
  summary: 'Create, extract or list files from a tar archive',
  usage: USAGE,
  help: HELP,
  style: 'gnu',
  usageStatus: 64,
  async run(ctx) {
    let job: TarJob;
    try {
      job = parseCommandLine(ctx);
    } catch (err) {
      if (err instanceof UsageError || err instanceof CommandLineError) {
        await ctx.stderr.write(`tar: ${err.message}\nTry 'tar --help' or 'tar --usage' for more information.\n`);
        return err instanceof UsageError ? 64 : 2;
      }
      if (err instanceof HelpRequest) {
        await ctx.stdout.write(`Usage: ${USAGE}\n${HELP}`);
        return 0;
      }
      throw err;
    }
    switch (job.mode) {
      case 'extract':
      case 'list': {
        const { extractOrList } = await import('./extract.js');
        return extractOrList(ctx, job);
      }
      default: {
        const { createArchive } = await import('./create.js');
        return createArchive(ctx, job);
      }
    }
  },
});

/** A command line GNU tar refuses with status 2 (not getopt's 64). */
class CommandLineError extends Error {}
class HelpRequest extends Error {}

function parseCommandLine(ctx: Ctx): TarJob {
  const args = markDirectories(ctx.operands);
  const parsed = parseOptions(OPTIONS, args, { firstArgNoDash: true });
  if (parsed.help) throw new HelpRequest();
  const o = parsed.opts;
  if (o.version) throw new HelpRequest();

  const modes = (['A', 'c', 'd', 'r', 't', 'u', 'x'] as const).filter((k) => o[k]);
  if (modes.length === 0) throw new CommandLineError("You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
  if (modes.length > 1) throw new CommandLineError("You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option");
  const letter = modes[0]!;
  if (letter === 'A' || letter === 'd') throw new AppletError(`option -${letter} is not supported by this tar`, 2);
  const mode = ({ c: 'create', r: 'append', t: 'list', u: 'update', x: 'extract' } as const)[letter];

  // -C DIR in order among the operands
  const operands: TarJob['operands'] = [];
  for (const op of parsed.operands) {
    if (op.startsWith(DIR_MARK)) operands.push({ dir: op.slice(DIR_MARK.length) });
    else operands.push(op);
  }
  // a -C given in the old-style first word (tar xzfC a.tgz dir) or anywhere the marker could not
  // be placed applies before everything
  for (const dir of [...(o.C ?? [])].reverse()) operands.unshift({ dir });

  let compression: TarJob['compression'] = 'auto';
  const pick = (c: Compression) => {
    compression = c;
  };
  if (o.z) pick('gzip');
  if (o.j) pick('bzip2');
  if (o.J) pick('xz');
  if (o.Z) pick('compress');
  if (o.zstd) pick('zstd');
  if (o.lzip) pick('lzip');
  if (o.lzma) pick('lzma');
  if (o.lzop) pick('lzop');

  let format: WriteFormat = 'gnu';
  if (o.o && (mode === 'create' || mode === 'append' || mode === 'update')) format = 'v7';
  if (o.posix) format = 'pax';
  if (o.H !== undefined) {
    const f = o.H === 'posix' ? 'pax' : o.H === 'oldgnu' ? 'gnu' : o.H;
    if (f !== 'gnu' && f !== 'ustar' && f !== 'pax' && f !== 'v7') throw new CommandLineError(`${o.H}: Invalid archive format`);
    format = f;
  }
  let stripComponents = 0;
  if (o['strip-components'] !== undefined) {
    if (!/^\d+$/.test(o['strip-components'])) throw new CommandLineError(`${o['strip-components']}: Invalid number of elements`);
    stripComponents = Number(o['strip-components']);
  }
  let recordSize = 20 * 512;
  if (o.b !== undefined) {
    if (!/^\d+$/.test(o.b) || Number(o.b) < 1) throw new CommandLineError(`${o.b}: Invalid blocking factor`);
    recordSize = Number(o.b) * 512;
  }
  if (o.sort !== undefined && !['none', 'name', 'inode'].includes(o.sort)) throw new CommandLineError(`invalid argument '${o.sort}' for '--sort'`);

  const archive = o.f ?? ctx.env.get('TAPE') ?? '-';
  if (o.a && compression === 'auto' && mode === 'create') compression = 'none'; // decided from the name in create
  return {
    mode,
    opts: o,
    archive,
    compression,
    compressProgram: o.I,
    operands,
    verbose: o.v ?? 0,
    format,
    stripComponents,
    excludes: [...(o.exclude ?? [])],
    recordSize,
  };
}

// Letters and long options that take a value: their value is never a -C.
const VALUE_LETTERS = new Set(Object.entries(OPTIONS).filter(([k, s]) => k.length === 1 && 'arg' in s && s.arg !== 'count').map(([k]) => k));
const LONG_NAMES: [string, string][] = Object.entries(OPTIONS).flatMap(([k, s]) => {
  const longs = 'long' in s ? (typeof s.long === 'string' ? [s.long] : [...s.long]) : [];
  return (k.length > 1 ? [k, ...longs] : longs).map((n) => [n, k] as [string, string]);
});

function longKey(name: string): string | undefined {
  const exact = LONG_NAMES.find(([n]) => n === name);
  if (exact) return exact[1];
  const keys = new Set(LONG_NAMES.filter(([n]) => n.startsWith(name)).map(([, k]) => k));
  return keys.size === 1 ? [...keys][0] : undefined;
}

/** Turn every `-C DIR` (in any spelling) after the first word into one marked operand, so its
 *  position among the file operands survives option parsing. */
function markDirectories(args: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  if (args[0] !== undefined && args[0] !== '' && !args[0].startsWith('-')) {
    // old-style first word: its value-taking letters take the following words; -C there is first anyway
    const takes = [...args[0]].filter((l) => VALUE_LETTERS.has(l)).length;
    out.push(...args.slice(0, 1 + takes));
    i = 1 + takes;
  }
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = longKey(a.slice(2, eq === -1 ? undefined : eq));
      if (key === 'C') {
        const value = eq !== -1 ? a.slice(eq + 1) : args[i + 1];
        if (value === undefined) out.push(a);
        else {
          out.push(DIR_MARK + value);
          if (eq === -1) i++;
        }
        continue;
      }
      out.push(a);
      if (eq === -1 && key && takesValue(key) && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (a.length > 1 && a.startsWith('-')) {
      let done = false;
      for (let j = 1; j < a.length && !done; j++) {
        const letter = a[j]!;
        if (letter === 'C') {
          const value = j + 1 < a.length ? a.slice(j + 1) : args[i + 1];
          if (value === undefined) {
            out.push(a);
          } else {
            if (j > 1) out.push(a.slice(0, j));
            out.push(DIR_MARK + value);
            if (j + 1 >= a.length) i++;
          }
          done = true;
        } else if (VALUE_LETTERS.has(letter)) {
          out.push(a);
          if (j + 1 >= a.length && i + 1 < args.length) out.push(args[++i]!);
          done = true;
        }
      }
      if (!done) out.push(a);
      continue;
    }
    out.push(a);
  }
  return out;
}

function takesValue(key: string): boolean {
  const spec = (OPTIONS as OptionSpecs)[key];
  return spec?.arg === 'string' || spec?.arg === 'list';
}
