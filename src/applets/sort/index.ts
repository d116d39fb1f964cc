// sort as GNU has it in the C locale: keys (-k, -t, -b), every ordering (-d -f -g -h -i -M -n -R
// -r -V), stability (-s), uniqueness (-u), GNU's last-resort comparison of whole lines, checking
// (-c/-C), merging (-m), -o (which may name an input), -z, and GNU's messages and statuses (2 for
// trouble). Inputs larger than the buffer (-S, default a sixteenth of the memory, at most 256 MiB)
// are sorted in runs written to temporary files (-T, TMPDIR, /tmp) and merged, so a huge input never
// has to fit in memory.
import * as fs from 'node:fs';
import { argmatch } from '../../core/argmatch.js';
import { defineApplet } from '../../core/applet.js';
import { fsPath } from '../../core/bytes.js';
import { uniqueSuffix } from '../../core/fs.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorCode, errorText } from '../../core/errors.js';
import { type ByteSource, FdSource, OutBuffer, readAll } from '../../core/io.js';
import { lineBlocks } from '../../core/lines.js';
import { parseCount } from '../../core/numbers.js';
import { quote, quotef } from '../../core/quote.js';
import { type KeySpec, type Ordering, type SortRecord, comparator, emptyFlags, incompatibleOptions, isDefaultKey, keyComparators, keyText, parseKey, prepare, prepareKey, setOrdering } from './keys.js';
import { type NumericKey, prepareNumeric } from './compare.js';
import { mergeSources, type RunSource, writeRun } from './merge.js';
import { radixSortItems, type Stage } from './radix.js';

const MIN_BUFFER = 64 * 1024;
const MAX_DEFAULT_BUFFER = 256 * 1024 * 1024;

const OPTIONS = {
  b: { long: 'ignore-leading-blanks' },
  d: { long: 'dictionary-order' },
  f: { long: 'ignore-case' },
  g: { long: 'general-numeric-sort' },
  i: { long: 'ignore-nonprinting' },
  M: { long: 'month-sort' },
  h: { long: 'human-numeric-sort' },
  n: { long: 'numeric-sort' },
  R: { long: 'random-sort' },
  'random-source': { arg: 'string' },
  r: { long: 'reverse' },
  sort: { arg: 'list' },
  V: { long: 'version-sort' },
  'batch-size': { arg: 'string' },
  c: {},
  C: {},
  check: { arg: 'optional' },
  'compress-program': { arg: 'string' },
  debug: {},
  'files0-from': { arg: 'string' },
  k: { long: 'key', arg: 'list' },
  m: { long: 'merge' },
  o: { long: 'output', arg: 'list' },
  s: { long: 'stable' },
  S: { long: 'buffer-size', arg: 'list' },
  t: { long: 'field-separator', arg: 'list' },
  T: { long: 'temporary-directory', arg: 'list' },
  u: { long: 'unique' },
  z: { long: 'zero-terminated' },
  parallel: { arg: 'string' },
} as const;

const SORT_WORDS = [
  ['general-numeric', 'g'],
  ['human-numeric', 'h'],
  ['month', 'M'],
  ['numeric', 'n'],
  ['random', 'R'],
  ['version', 'V'],
] as const;

export default defineApplet({
  name: 'sort',
  summary: 'Write sorted concatenation of all FILE(s) to standard output',
  usage: 'sort [OPTION]... [FILE]...\n  or:  sort [OPTION]... --files0-from=F',
  usageStatus: 2,
  syncStdin: true,
  help: [
    'With no FILE, or when FILE is -, read standard input.',
    '',
    'Ordering options:',
    '-b, --ignore-leading-blanks\tIgnore leading blanks',
    '-d, --dictionary-order\t\tConsider only blanks and alphanumeric characters',
    '-f, --ignore-case\t\tFold lower case to upper case characters',
    '-g, --general-numeric-sort\tCompare according to general numerical value',
    '-i, --ignore-nonprinting\tConsider only printable characters',
    "-M, --month-sort\t\tCompare (unknown) < 'JAN' < ... < 'DEC'",
    '-h, --human-numeric-sort\tCompare human readable numbers (e.g., 2K 1G)',
    '-n, --numeric-sort\t\tCompare according to string numerical value',
    '-R, --random-sort\t\tShuffle, but group identical keys',
    '    --random-source=FILE\tGet random bytes from FILE',
    '-r, --reverse\t\t\tReverse the result of comparisons',
    '    --sort=WORD\t\t\tSort according to WORD: general-numeric -g, human-numeric -h, month -M,',
    '\t\t\t\tnumeric -n, random -R, version -V',
    '-V, --version-sort\t\tNatural sort of (version) numbers within text',
    '',
    'Other options:',
    '    --batch-size=NMERGE\t\tMerge at most NMERGE inputs at once',
    '-c, --check, --check=diagnose-first\tCheck for sorted input; do not sort',
    '-C, --check=quiet, --check=silent\tLike -c, but do not report first bad line',
    '    --files0-from=F\t\tRead input from the files named by NUL-terminated names in file F',
    '-k, --key=KEYDEF\t\tSort via a key; KEYDEF gives location and type',
    '-m, --merge\t\t\tMerge already sorted files; do not sort',
    '-o, --output=FILE\t\tWrite result to FILE instead of standard output',
    '-s, --stable\t\t\tStabilize sort by disabling last-resort comparison',
    '-S, --buffer-size=SIZE\t\tUse SIZE for the main memory buffer (K by default; b, M, G, %)',
    '-t, --field-separator=SEP\tUse SEP instead of non-blank to blank transition',
    '-T, --temporary-directory=DIR\tUse DIR for temporaries, not $TMPDIR or /tmp',
    '    --parallel=N\t\tAccepted; sorting runs on one thread',
    '-u, --unique\t\t\tOutput only the first of an equal run',
    '-z, --zero-terminated\t\tLine delimiter is NUL, not newline',
    '',
    'KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position, where F is a field number',
    'and C a character position in the field; both are origin 1, and the stop position defaults',
    "to the line's end. OPTS is one or more single-letter ordering options [bdfgiMhnRrV], which",
    'override global ordering options for that key.',
  ].join('\n'),
  options: OPTIONS,
  async run(ctx) {
    const o = ctx.opts;
    const fail = (message: string): never => {
      throw new AppletError(message, 2);
    };

    // Global ordering options, and those of --sort=WORD.
    const global = emptyFlags();
    let letters = '';
    for (const k of ['b', 'd', 'f', 'g', 'i', 'M', 'h', 'n', 'R', 'r', 'V'] as const) if (o[k]) letters += k;
    for (const word of o.sort ?? []) letters += argmatch(word, SORT_WORDS, '--sort', 1);
    setOrdering(letters, 0, global, 'both');

    const keys: KeySpec[] = (o.k ?? []).map(parseKey);
    for (const key of keys) {
      if (isDefaultKey(key) && !key.reverse) {
        const { reverse: _, ...inherited } = global;
        Object.assign(key, inherited, { reverse: global.reverse });
      }
    }
    // No -k: the global options make the one key, unless there are none (then lines compare whole).
    if (keys.length === 0 && !isDefaultKey(global)) {
      keys.push({ ...global, startField: Infinity, startChar: 0, endField: Infinity, endChar: 0 });
    }
    for (const key of keys) {
      const bad = incompatibleOptions(key);
      if (bad) fail(`options '-${bad}' are incompatible`);
    }

    let tab: string | undefined;
    for (const t of o.t ?? []) {
      let sep = t;
      if (sep === '') fail('empty tab');
      if (sep.length > 1) {
        if (sep === '\\0') sep = '\0';
        else fail(`multi-character tab ${quote(sep)}`);
      }
      if (tab !== undefined && tab !== sep) fail('incompatible tabs');
      tab = sep;
    }

    const outputs = [...new Set(o.o ?? [])];
    if (outputs.length > 1) fail('multiple output files specified');
    const output = outputs[0];

    let bufferSize = defaultBuffer();
    if (o.S) {
      let chosen = 0;
      for (const spec of o.S) chosen = Math.max(chosen, parseBufferSize(spec));
      bufferSize = Math.max(chosen, MIN_BUFFER);
    }
    let batch = 16;
    if (o['batch-size'] !== undefined) {
      const r = parseCount(o['batch-size']);
      if (!('value' in r)) fail(`invalid --batch-size argument ${quote(o['batch-size'])}`);
      batch = Number((r as { value: bigint }).value);
      if (batch < 2) fail(`invalid --batch-size argument ${quote(o['batch-size'])}\nsort: minimum --batch-size argument is '2'`);
    }
    if (o.parallel !== undefined) {
      const r = parseCount(o.parallel);
      if (!('value' in r)) fail(`invalid --parallel argument ${quote(o.parallel)}`);
      if ((r as { value: bigint }).value === 0n) fail('number in parallel must be nonzero');
    }

    let check: 'diagnose' | 'quiet' | undefined;
    if (o.c) check = 'diagnose';
    if (o.C) check = 'quiet';
    if (o.check !== undefined) {
      check =
        o.check === true
          ? 'diagnose'
          : argmatch(o.check, [['quiet', 'quiet'], ['silent', 'quiet'], ['diagnose-first', 'diagnose']] as const, '--check', 1);
    }

    let names: string[];
    if (o['files0-from'] !== undefined) {
      if (ctx.operands.length) {
        throw new AppletError(`extra operand ${quote(ctx.operands[0]!)}\nfile operands cannot be combined with --files0-from`, 2);
      }
      names = await fileList(ctx, o['files0-from']);
    } else names = ctx.operands.length ? [...ctx.operands] : ['-'];

    const salt = await randomSalt(ctx, o['random-source']);
    const ordering: Ordering = { keys, tab, reverse: global.reverse, noLastResort: !!(o.s || o.u), salt };
    const delimiter = o.z ? '\0' : '\n';

    if (check) {
      if (names.length > 1) fail(`extra operand ${quote(names[1]!)} not allowed with -${check === 'quiet' ? 'C' : 'c'}`);
      if (output !== undefined) fail(`options '-${check === 'quiet' ? 'C' : 'c'}o' are incompatible`);
      return checkSorted(ctx, names[0]!, ordering, delimiter, !!o.u, check === 'quiet');
    }

    // Inputs must be readable before anything is written (GNU's check_inputs).
    for (const name of names) {
      if (name === '-') continue;
      try {
        fs.accessSync(fsPath(ctx.path(name)), fs.constants.R_OK);
      } catch (err) {
        fail(`cannot read: ${quotef(name)}: ${errorText(err)}`);
      }
    }
    const job = new SortJob(ctx, ordering, delimiter, !!o.u, bufferSize, batch, o.T ?? []);
    try {
      // The output is opened (not yet truncated) before reading, as GNU does.
      const out = output === undefined ? undefined : openOutput(ctx, output);
      try {
        if (o.m) await job.merge(names, output, out);
        else await job.sort(names, out);
      } finally {
        if (out) fs.closeSync(out.fd);
      }
    } finally {
      job.cleanup();
    }
    return 0;
  },
});

function defaultBuffer(): number {
  const os = process.getBuiltinModule('node:os');
  return Math.max(MIN_BUFFER, Math.min(MAX_DEFAULT_BUFFER, Math.floor(os.totalmem() / 16)));
}

/** -S SIZE: KiB by default, b for bytes, % of the physical memory, or K M G T P E Z Y suffixes. */
function parseBufferSize(spec: string): number {
  const m = /^\s*\+?(\d+)([bkKmMgGtTpPeEzZyYRQ%]?)$/.exec(spec);
  if (!m) throw new AppletError(`invalid -S argument ${quote(spec)}`, 2);
  const n = Number(m[1]);
  const suffix = m[2]!;
  if (suffix === '') return n * 1024;
  if (suffix === 'b') return n;
  if (suffix === '%') return Math.floor((process.getBuiltinModule('node:os').totalmem() * n) / 100);
  const powers: Record<string, number> = { k: 1, K: 1, m: 2, M: 2, g: 3, G: 3, t: 4, T: 4, p: 5, P: 5, e: 6, E: 6, z: 7, Z: 7, y: 8, Y: 8, R: 9, Q: 10 };
  return n * 1024 ** powers[suffix]!;
}

async function fileList(ctx: Ctx, list: string): Promise<string[]> {
  let data: Buffer;
  try {
    data = list === '-' ? await readAll(ctx.stdin) : fs.readFileSync(fsPath(ctx.path(list)));
  } catch (err) {
    throw new AppletError(`open failed: ${quotef(list)}: ${errorText(err)}`, 2);
  }
  const names = data.toString('latin1').split('\0');
  if (names[names.length - 1] === '') names.pop();
  for (const [i, name] of names.entries()) {
    if (name === '') throw new AppletError(`${quotef(list)}:${i + 1}: invalid zero-length file name`, 2);
  }
  return names;
}

/** -R's key: from --random-source (deterministic), else random. */
async function randomSalt(ctx: Ctx, source: string | undefined): Promise<Buffer> {
  const crypto = process.getBuiltinModule('node:crypto');
  if (source === undefined) return crypto.randomBytes(16);
  try {
    const fd = fs.openSync(fsPath(ctx.path(source)), 'r');
    try {
      const buf = Buffer.alloc(16);
      const n = fs.readSync(fd, buf, 0, 16, null);
      if (n < 16) throw new AppletError(`${quotef(source)}: end of file`, 2);
      return buf;
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if (err instanceof AppletError) throw err;
    throw new AppletError(`open failed: ${quotef(source)}: ${errorText(err)}`, 2);
  }
}

interface Output {
  fd: number;
  name: string;
}

function openOutput(ctx: Ctx, name: string): Output {
  try {
    return { fd: fs.openSync(fsPath(ctx.path(name)), fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o666), name };
  } catch (err) {
    throw new AppletError(`open failed: ${quotef(name)}: ${errorText(err)}`, 2);
  }
}

/** Open an input operand as a source (standard input for `-`). */
function openInput(ctx: Ctx, name: string, failure: string): { source: ByteSource; close(): void } {
  if (name === '-') return { source: ctx.stdin, close() {} };
  let fd: number;
  try {
    fd = fs.openSync(fsPath(ctx.path(name)), 'r');
  } catch (err) {
    throw new AppletError(`${failure}: ${quotef(name)}: ${errorText(err)}`, 2);
  }
  const source = new FdSource(fd, true);
  return { source, close: () => source.close() };
}

/** Lines of a source, in blocks (arrays), for code that handles many lines at once. */
export async function* lineArrays(source: ByteSource, delimiter: string, name: string): AsyncGenerator<string[]> {
  try {
    for await (const block of lineBlocks(source, delimiter)) {
      const lines = block.split(delimiter);
      if (block.endsWith(delimiter)) lines.pop();
      yield lines;
    }
  } catch (err) {
    if (errorCode(err) === undefined) throw err;
    throw new AppletError(`read failed: ${quotef(name)}: ${errorText(err)}`, 2);
  }
}

/** Whether the ordering is plain byte order of whole lines (no keys or options but -r/-u/-s). */
function isPlain(o: Ordering): boolean {
  return o.keys.length === 0;
}

class SortJob {
  private temps: string[] = [];
  constructor(
    private readonly ctx: Ctx,
    private readonly ordering: Ordering,
    private readonly delimiter: string,
    private readonly unique: boolean,
    private readonly bufferSize: number,
    private readonly batch: number,
    private readonly tempDirs: readonly string[],
  ) {}

  cleanup(): void {
    for (const t of this.temps) fs.rmSync(fsPath(t), { force: true });
    this.temps = [];
  }

  private tempDir(): string {
    return this.tempDirs[this.tempDirs.length - 1] ?? this.ctx.env.get('TMPDIR') ?? '/tmp';
  }

  private newTemp(): { fd: number; path: string } {
    const dir = this.ctx.path(this.tempDir());
    const path = `${dir.replace(/\/+$/, '')}/sort${uniqueSuffix()}`;
    try {
      const fd = fs.openSync(fsPath(path), 'wx', 0o600);
      this.temps.push(path);
      return { fd, path };
    } catch (err) {
      throw new AppletError(`cannot create temporary file in ${quote(dir)}: ${errorText(err)}`, 2);
    }
  }

  /** Sort the inputs: runs of at most bufferSize bytes, merged if there is more than one. */
  async sort(names: string[], out: Output | undefined): Promise<void> {
    if (isPlain(this.ordering)) return this.sortPlain(names, out);
    const runs: string[] = [];
    let lines: string[] = [];
    let bytes = 0;
    for (const name of names) {
      const input = openInput(this.ctx, name, 'open failed');
      try {
        for await (const block of lineArrays(input.source, this.delimiter, name)) {
          for (const line of block) {
            lines.push(line);
            bytes += line.length + 1;
          }
          if (bytes >= this.bufferSize) {
            runs.push(this.writeTempRun(this.sortLines(lines)));
            lines = [];
            bytes = 0;
          }
        }
      } finally {
        input.close();
      }
    }
    if (runs.length === 0) {
      await this.writeLines(this.sortLines(lines), out);
      return;
    }
    if (lines.length) runs.push(this.writeTempRun(this.sortLines(lines)));
    lines = [];
    await this.mergeRuns(runs, out);
  }

  /** Plain byte order of whole lines: the input stays bytes (no string per line), sorted as line
   *  offsets into one buffer per run. */
  private async sortPlain(names: string[], out: Output | undefined): Promise<void> {
    const delimiter = this.delimiter.charCodeAt(0);
    const runs: string[] = [];
    let chunks: Buffer[] = [];
    let size = 0;
    const takeRun = (all: boolean): Buffer | undefined => {
      const data = Buffer.concat(chunks, size);
      const cut = all ? data.length : data.lastIndexOf(delimiter) + 1;
      if (cut === 0) return undefined; // one line longer than the buffer: keep reading
      chunks = cut < data.length ? [data.subarray(cut)] : [];
      size = data.length - cut;
      return data.subarray(0, cut);
    };
    for (const name of names) {
      const input = openInput(this.ctx, name, 'open failed');
      try {
        let last = delimiter;
        for (let chunk = await input.source.read(); chunk; chunk = await input.source.read()) {
          const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          chunks.push(buf);
          size += buf.length;
          last = buf[buf.length - 1]!;
          if (size >= this.bufferSize) {
            const run = takeRun(false);
            if (run) runs.push(await this.writeTempBytes(run));
          }
        }
        if (last !== delimiter) {
          // Each file's last line ends there, newline or not.
          chunks.push(Buffer.from([delimiter]));
          size++;
        }
      } catch (err) {
        if (errorCode(err) === undefined) throw err;
        throw new AppletError(`read failed: ${quotef(name)}: ${errorText(err)}`, 2);
      } finally {
        input.close();
      }
    }
    const rest = takeRun(true) ?? Buffer.alloc(0);
    if (runs.length === 0) {
      const sink = this.sink(out);
      await this.emitSorted(rest, (data) => sink.write(data));
      await sink.flush();
      return;
    }
    if (rest.length) runs.push(await this.writeTempBytes(rest));
    chunks = [];
    await this.mergeRuns(runs, out);
  }

  /** Sort a buffer of whole lines (each ended by the delimiter) and hand the result out in pieces. */
  private async emitSorted(data: Buffer, write: (piece: Uint8Array) => Promise<void>): Promise<void> {
    const delimiter = this.delimiter.charCodeAt(0);
    let n = 0;
    for (let at = data.indexOf(delimiter); at !== -1; at = data.indexOf(delimiter, at + 1)) n++;
    const starts = new Uint32Array(n);
    const ends = new Uint32Array(n);
    for (let i = 0, pos = 0; i < n; i++) {
      const end = data.indexOf(delimiter, pos);
      starts[i] = pos;
      ends[i] = end;
      pos = end + 1;
    }
    const lines = Array.from({ length: n }, (_, i) => i);
    const order = radixSortItems(lines, [{ kind: 'bytes', buf: data, starts, ends, reverse: this.ordering.reverse }]);
    const piece = Buffer.allocUnsafe(256 * 1024);
    let used = 0;
    let previous = -1;
    for (const i of order) {
      const s = starts[i]!;
      const e = ends[i]!;
      if (this.unique && previous !== -1 && data.compare(data, s, e, starts[previous], ends[previous]) === 0) continue;
      previous = i;
      const len = e - s + 1; // with its delimiter
      if (used + len > piece.length) {
        if (used) await write(piece.subarray(0, used));
        used = 0;
        if (len > piece.length) {
          await write(data.subarray(s, e + 1));
          continue;
        }
      }
      data.copy(piece, used, s, e + 1);
      used += len;
    }
    if (used) await write(piece.subarray(0, used));
  }

  private async writeTempBytes(data: Buffer): Promise<string> {
    const temp = this.newTemp();
    try {
      await this.emitSorted(data, async (piece) => writeAll(temp.fd, piece));
    } catch (err) {
      if (errorCode(err) === undefined) throw err;
      throw new AppletError(`write failed: ${quotef(temp.path)}: ${errorText(err)}`, 2);
    } finally {
      fs.closeSync(temp.fd);
    }
    return temp.path;
  }

  /** -m: merge inputs that are already sorted. An input that is also the output is copied first. */
  async merge(names: string[], outputName: string | undefined, out: Output | undefined): Promise<void> {
    let outStat: fs.Stats | undefined;
    if (out) outStat = fs.fstatSync(out.fd);
    const sources = names.map((name) => {
      if (outStat && name !== '-' && outputName !== undefined) {
        const st = statOrUndefined(this.ctx.path(name));
        if (st && st.ino === outStat.ino && st.dev === outStat.dev) {
          const copy = this.newTemp();
          fs.closeSync(copy.fd);
          fs.copyFileSync(fsPath(this.ctx.path(name)), fsPath(copy.path));
          return copy.path;
        }
      }
      return name;
    });
    await this.mergeRuns(sources, out, names);
  }

  /** Sort lines by keys, one column per key: text keys (and the last resort) as bytes in one
   *  buffer, numbers in a Float64Array, so the radix passes read typed arrays, not objects. */
  private sortLines(lines: string[]): string[] {
    const o = this.ordering;
    if (isPlain(o)) {
      const sorted = radixSortItems(lines, [{ kind: 'text', text: (s) => s, reverse: o.reverse }]);
      return this.unique ? sorted.filter((line, i) => i === 0 || line !== sorted[i - 1]) : sorted;
    }
    const n = lines.length;
    const perKey = keyComparators(o);
    const bytesOf = (texts: string[], reverse: boolean): Extract<Stage<number>, { kind: 'bytes' }> => {
      const starts = new Uint32Array(texts.length);
      const ends = new Uint32Array(texts.length);
      let at = 0;
      for (let i = 0; i < texts.length; i++) {
        starts[i] = at;
        at += texts[i]!.length;
        ends[i] = at;
      }
      return { kind: 'bytes', buf: Buffer.from(texts.join(''), 'latin1'), starts, ends, reverse };
    };
    // For -u: whether lines i and j have equal keys.
    const equalities: ((i: number, j: number) => boolean)[] = [];
    const stages: Stage<number>[] = o.keys.map((key, k): Stage<number> => {
      const texts = lines.map((line) => keyText(line, key, o.tab));
      if (key.numeric || key.month) {
        const values = new Float64Array(n);
        // Numbers a double cannot hold exactly keep their exact form, for ties.
        const exact = new Map<number, NumericKey>();
        for (let i = 0; i < n; i++) {
          if (key.month) values[i] = prepareKey(texts[i]!, key, o.salt) as number;
          else {
            const v = prepareNumeric(texts[i]!);
            values[i] = v.value;
            if (v.long) exact.set(i, v);
          }
        }
        const numberOf = (i: number): NumericKey => exact.get(i) ?? prepareNumeric(texts[i]!);
        const compare = key.month
          ? (a: number, b: number) => perKey[k]!(values[a]!, values[b]!)
          : (a: number, b: number) => perKey[k]!(numberOf(a), numberOf(b));
        equalities.push((i, j) => values[i] === values[j] && (!exact.has(i) && !exact.has(j) ? true : compare(i, j) === 0));
        return { kind: 'number', value: (i) => values[i]!, exact: (i) => !exact.has(i), reverse: key.reverse, compare };
      }
      if (key.general || key.human || key.version || key.random) {
        const prepared = texts.map((t) => prepareKey(t, key, o.salt));
        const compare = (a: number, b: number) => perKey[k]!(prepared[a]!, prepared[b]!);
        equalities.push((i, j) => compare(i, j) === 0);
        return { kind: 'compare', compare };
      }
      const stage = bytesOf(texts, key.reverse);
      const buf = stage.buf as Buffer;
      equalities.push((i, j) => buf.compare(buf, stage.starts[i], stage.ends[i], stage.starts[j], stage.ends[j]) === 0);
      return stage;
    });
    if (!o.noLastResort) stages.push(bytesOf(lines, o.reverse));
    const order = radixSortItems(
      Array.from({ length: n }, (_, i) => i),
      stages,
    );
    if (!this.unique) return order.map((i) => lines[i]!);
    const out: string[] = [];
    let last = -1;
    for (const i of order) {
      if (last !== -1 && equalities.every((eq) => eq(last, i))) continue;
      out.push(lines[i]!);
      last = i;
    }
    return out;
  }

  private writeTempRun(lines: string[]): string {
    const temp = this.newTemp();
    try {
      writeRun(temp.fd, lines, this.delimiter);
    } catch (err) {
      throw new AppletError(`write failed: ${quotef(temp.path)}: ${errorText(err)}`, 2);
    } finally {
      fs.closeSync(temp.fd);
    }
    return temp.path;
  }

  private sink(out: Output | undefined): { write(data: string | Uint8Array): Promise<void>; flush(): Promise<void> } {
    if (!out) {
      const buffer = new OutBuffer(this.ctx.stdout, 256 * 1024);
      return {
        write: async (data) => {
          const p = buffer.put(data);
          if (p) await p;
        },
        flush: () => buffer.flush(),
      };
    }
    // The output file was opened (not truncated) before the inputs were read, as GNU does.
    fs.ftruncateSync(out.fd, 0);
    const fail = (err: unknown): never => {
      throw new AppletError(`write failed: ${quotef(out.name)}: ${errorText(err)}`, 2);
    };
    let pending = '';
    const flush = async () => {
      try {
        writeAll(out.fd, Buffer.from(pending, 'latin1'));
      } catch (err) {
        fail(err);
      }
      pending = '';
    };
    return {
      write: async (data) => {
        if (typeof data !== 'string') {
          await flush();
          try {
            writeAll(out.fd, data);
          } catch (err) {
            fail(err);
          }
          return;
        }
        pending += data;
        if (pending.length >= 256 * 1024) await flush();
      },
      flush,
    };
  }

  private async writeLines(lines: string[], out: Output | undefined): Promise<void> {
    const sink = this.sink(out);
    const d = this.delimiter;
    for (let i = 0; i < lines.length; i += 4096) {
      const part = lines.slice(i, i + 4096);
      await sink.write(part.join(d) + d);
    }
    await sink.flush();
  }

  /** Merge sorted files (runs), at most `batch` at a time, into the output. */
  private async mergeRuns(paths: string[], out: Output | undefined, shown = paths): Promise<void> {
    let names = paths;
    let labels = shown;
    while (names.length > this.batch) {
      const next: string[] = [];
      for (let i = 0; i < names.length; i += this.batch) {
        const group = names.slice(i, i + this.batch);
        if (group.length === 1) {
          next.push(group[0]!);
          continue;
        }
        const temp = this.newTemp();
        try {
          let buffer = '';
          await this.mergeInto(group, labels.slice(i, i + this.batch), false, async (data) => {
            buffer += data;
            if (buffer.length >= 256 * 1024) {
              writeRun(temp.fd, [buffer], '', true);
              buffer = '';
            }
          });
          writeRun(temp.fd, [buffer], '', true);
        } finally {
          fs.closeSync(temp.fd);
        }
        next.push(temp.path);
      }
      names = next;
      labels = next;
    }
    const sink = this.sink(out);
    await this.mergeInto(names, labels, this.unique, (data) => sink.write(data));
    await sink.flush();
  }

  private async mergeInto(names: string[], labels: string[], unique: boolean, write: (data: string) => Promise<void>): Promise<void> {
    const opened = names.map((name) => openInput(this.ctx, name, 'cannot read'));
    try {
      const sources: RunSource[] = opened.map((input, i) => ({ lines: lineArrays(input.source, this.delimiter, labels[i] ?? names[i]!) }));
      await mergeSources(sources, this.ordering, unique, this.delimiter, write);
    } finally {
      for (const input of opened) input.close();
    }
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(fsPath(p));
  } catch {
    return undefined;
  }
}

/** -c/-C: report the first line out of order (with -u, also a repeated one). */
async function checkSorted(ctx: Ctx, name: string, o: Ordering, delimiter: string, unique: boolean, quiet: boolean): Promise<number> {
  const input = openInput(ctx, name, 'open failed');
  const cmp = comparator(o);
  try {
    let prev: SortRecord | undefined;
    let lineNo = 0;
    for await (const block of lineArrays(input.source, delimiter, name)) {
      for (const line of block) {
        lineNo++;
        const rec = prepare(line, o);
        if (prev) {
          const d = cmp(prev, rec);
          if (d > 0 || (unique && d === 0)) {
            if (!quiet) await ctx.stderr.write(`${ctx.name}: ${name}:${lineNo}: disorder: ${line}\n`);
            return 1;
          }
        }
        prev = rec;
      }
    }
  } finally {
    input.close();
  }
  return 0;
}

/** Write all of data at the descriptor's offset. */
function writeAll(fd: number, data: Uint8Array): void {
  for (let off = 0; off < data.length; ) off += fs.writeSync(fd, data, off, data.length - off);
}
