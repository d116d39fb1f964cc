// Running a compiled sed program, as GNU sed 4.9's execute.c does: cycles over the input lines
// (across files, or each file on its own with -s/-i), pattern and hold space, ranges, the append
// queue (a, r, R), missing final newlines kept, in-place editing through a temporary file.
//
// The program runs synchronously; only input that is not buffered yet (and e, which runs a command)
// makes it wait. Before any step with a side effect that needs more input (n, N, a `$` address),
// the step checks that the input can answer without waiting; if not, it returns WAIT with nothing
// done, and the run resumes at the same command once more input has been read.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorText } from '../../core/errors.js';
import { uniqueSuffix } from '../../core/fs.js';
import { BytesSource, type ByteSource, FdSource, MemorySink, readAll, StringBatch } from '../../core/io.js';
import type { Match } from '../../core/regex.js';
import {
  type Addr,
  type Cmd,
  type OutputFile,
  type Program,
  REPL_ASIS,
  REPL_LOWERCASE,
  REPL_LOWERCASE_FIRST,
  REPL_MODIFIERS,
  REPL_UPPERCASE,
  REPL_UPPERCASE_FIRST,
  type ReplPiece,
  type SedRegex,
  type Subst,
} from './compile.js';

export interface RunOptions {
  quiet: boolean;
  /** -s (and -i): each file is its own input. */
  separate: boolean;
  /** -i: GNU's extension form, each `*` standing for the file's name as given; "*" alone: no
   *  backup. undefined: not -i. */
  inPlace?: string;
  followSymlinks: boolean;
  delimiter: string;
  /** `l` line length (-l); 0: no wrapping. */
  lineWrap: number;
  /** Not --posix: N at the end of input prints the pattern space. */
  posixExtended: boolean;
  unbuffered: boolean;
}

const WAIT = Symbol('wait');
type Step = typeof WAIT | Promise<void> | 'end' | number;

interface Line {
  text: string;
  chomped: boolean;
}

/** One input file or stream, read into a binary-string buffer. */
class LineSource {
  private buf = '';
  private pos = 0;
  ended = false;
  /** A regular file is read synchronously into one reused buffer (fresh buffers cost page faults). */
  private readonly fd: number | undefined;
  private readBuffer: Buffer | undefined;
  constructor(
    readonly src: ByteSource,
    readonly owned: boolean,
    private readonly delimiter: string,
  ) {
    this.fd = src instanceof FdSource && src.isRegularFile() ? src.fd : undefined;
  }
  line(): Line | null | undefined {
    const i = this.buf.indexOf(this.delimiter, this.pos);
    if (i >= 0) {
      const text = this.buf.slice(this.pos, i);
      this.pos = i + 1;
      return { text, chomped: true };
    }
    if (!this.ended) return undefined;
    if (this.pos < this.buf.length) {
      const text = this.buf.slice(this.pos);
      this.pos = this.buf.length;
      return { text, chomped: false };
    }
    return null;
  }
  /** Reads never wait (a regular file). */
  get regular(): boolean {
    return this.fd !== undefined;
  }
  /** Every complete line in the buffer, newlines included (undefined if there is none). */
  takeLines(): string | undefined {
    const last = this.buf.lastIndexOf(this.delimiter);
    if (last < this.pos) return undefined;
    const lines = this.buf.slice(this.pos, last + 1);
    this.pos = last + 1;
    return lines;
  }
  /** Whether any input is left: true, false, or undefined if that is not known without reading. */
  hasData(): boolean | undefined {
    if (this.pos < this.buf.length) return true;
    return this.ended ? false : undefined;
  }
  canReadLine(): boolean {
    return this.ended || this.buf.indexOf(this.delimiter, this.pos) >= 0;
  }
  async fill(): Promise<void> {
    let text: string;
    const back = this.src.takeUnread?.();
    if (back) text = Buffer.from(back.buffer, back.byteOffset, back.byteLength).toString('latin1');
    else if (this.fd !== undefined) {
      this.readBuffer ??= Buffer.allocUnsafe(1024 * 1024);
      const n = fs.readSync(this.fd, this.readBuffer, 0, this.readBuffer.length, null);
      if (n === 0) {
        this.ended = true;
        return;
      }
      text = this.readBuffer.toString('latin1', 0, n);
    } else {
      const chunk = await this.src.read();
      if (!chunk) {
        this.ended = true;
        return;
      }
      text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    }
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
  }
  /** Input read but not used, for whoever reads the stream next. */
  giveBack(): void {
    if (this.pos < this.buf.length) this.src.unread(Buffer.from(this.buf.slice(this.pos), 'latin1'));
    this.buf = '';
    this.pos = 0;
  }
  close(): void {
    if (this.owned) this.src.close();
  }
}

/** Where output goes: stdout, a w file, or -i's temporary file; remembers a missing last newline. */
class Output {
  missingNewline = false;
  constructor(readonly out: StringBatch) {}
}

export class SedRun {
  private ps = '';
  private chomped = true;
  private hold = '';
  /** Whether the hold space's text ended in a newline: travels with the text, as GNU's does. */
  private holdChomped = true;
  private replaced = false;
  private appendQueue: ({ text: string } | { file: string })[] = [];
  private pc = 0;
  private inCycle = false;
  private lastRegex: SedRegex | null = null;
  private readonly pending: Promise<void>[] = [];
  // input
  private files: string[];
  private fileIndex = 0;
  private current: LineSource | null = null;
  private currentName = '-';
  private lineNumber = 0;
  private resetAtNextFile = true;
  private badCount = 0;
  // output
  private readonly stdout: Output;
  private output: Output;
  private inPlace: { name: string; target: string; temp: string; fd: number; st: fs.Stats } | null = null;
  private readonly outputs = new Map<OutputFile, Output>();

  constructor(
    private readonly ctx: Ctx,
    private readonly program: Program,
    private readonly opts: RunOptions,
    files: readonly string[],
  ) {
    this.files = files.length ? [...files] : ['-'];
    this.stdout = new Output(new StringBatch(ctx.stdout, 64 * 1024));
    this.output = this.stdout;
  }

  async run(): Promise<number> {
    if (this.opts.inPlace !== undefined && this.files.length === 1 && this.files[0] === '-' && !this.ctx.operands.length) {
      throw new AppletError('no input files', 4);
    }
    this.openOutputFiles();
    const simple = this.simpleSubstitution();
    if (simple) {
      try {
        await this.runSimple(simple);
      } finally {
        await this.flushAll();
      }
      return this.badCount ? 2 : 0;
    }
    let status = 0;
    try {
      for (;;) {
        if (!this.inCycle) {
          const r = this.readPatternSpace(false);
          if (r === WAIT) {
            await this.waitForInput();
            continue;
          }
          if (!r) break;
          this.pc = 0;
          this.inCycle = true;
        }
        const step = this.execute();
        if (this.pending.length) await this.flushPending();
        if (step === WAIT) await this.waitForInput();
        else if (step instanceof Promise) await step;
        else if (step === 'end') this.inCycle = false;
        else {
          status = step;
          // GNU leaves standard input just after the last line it read (its stdio does).
          if (this.current && !this.current.owned) this.current.giveBack();
          break;
        }
      }
      this.closedown();
    } finally {
      await this.flushAll();
    }
    return this.badCount ? 2 : status;
  }

  // ---- the fast path ----------------------------------------------------------------------------

  /** A script that is one unaddressed `s` command whose regex JavaScript matches exactly as POSIX
   *  does can run over whole buffers of lines with one replace() each, instead of a cycle per line:
   *  the output is the same. (With g, a pattern that can match empty is left to the cycle: sed and
   *  JavaScript disagree on an empty match right after a match.) */
  private simpleSubstitution(): { sub: Subst; re: RegExp; groups: number } | undefined {
    const cmds = this.program.cmds;
    const o = this.opts;
    if (cmds.length !== 1 || o.quiet || o.inPlace !== undefined || o.unbuffered || o.delimiter !== '\n') return undefined;
    const cmd = cmds[0]!;
    const sub = cmd.subst;
    if (cmd.cmd !== 's' || cmd.a1 || cmd.bang || !sub || !sub.regex) return undefined;
    if (sub.print || sub.eval || sub.outFile || sub.nth > 1 || sub.regex.multiline) return undefined;
    const line = sub.regex.lineRegex();
    if (!line.jsExact || (sub.global && line.canMatchEmpty) || sub.maxGroup > line.groups) return undefined;
    return { sub, re: line.search, groups: line.groups };
  }

  private async runSimple(simple: { sub: Subst; re: RegExp; groups: number }): Promise<void> {
    const { sub, re, groups } = simple;
    const pieces = sub.replacement;
    const global = sub.global;
    // Without g only each line's first match is replaced: remember where the line of the last
    // replaced match ends.
    let text = '';
    let lineEnd = -1;
    const replacer = (m: string, ...rest: unknown[]): string => {
      const offset = rest[groups] as number;
      if (!global) {
        if (offset <= lineEnd) return m; // the end of a line (before its newline) is still that line
        lineEnd = text.indexOf('\n', offset);
        if (lineEnd < 0) lineEnd = text.length;
      }
      let out = '';
      let pendingModifier = 0;
      for (const p of pieces) {
        let type = p.type & REPL_MODIFIERS ? p.type : p.type | pendingModifier;
        pendingModifier = 0;
        if (p.prefix) {
          out += convertCase(p.prefix, type);
          type &= ~REPL_MODIFIERS;
        }
        if (p.group >= 0) {
          const g = p.group === 0 ? m : (rest[p.group - 1] as string | undefined);
          if (g) out += convertCase(g, type);
          else if (p.type & REPL_MODIFIERS) pendingModifier = type & REPL_MODIFIERS;
        }
      }
      return out;
    };
    for (;;) {
      const r = this.readLine();
      if (r === WAIT) {
        await this.waitForInput();
        continue;
      }
      if (!r) break;
      // One line was taken to find the input; the rest of the buffer goes in bulk.
      const bulk = this.current!.takeLines();
      text = bulk === undefined ? `${r.text}${r.chomped ? '\n' : ''}` : `${r.text}\n${bulk}`;
      // Without the last newline: past it there is no line for `$` or an empty match to see.
      const chomped = bulk === undefined ? r.chomped : true;
      if (chomped) text = text.slice(0, -1);
      lineEnd = -1;
      const out = text.replace(re, replacer);
      this.outputMissingNewline();
      this.put(this.output, chomped ? `${out}\n` : out);
      if (!chomped) this.output.missingNewline = true;
      if (this.pending.length) await this.flushPending();
    }
    this.closedown();
  }

  // ---- input ------------------------------------------------------------------------------------

  private async waitForInput(): Promise<void> {
    if (!this.current) return;
    if (this.ctx.signal.aborted) {
      this.current.ended = true; // stop reading: what is buffered is the end of the input
      return;
    }
    try {
      // Before waiting on a pipe or terminal, show what is done (`tail -f log | sed s/x/y/`).
      if (!this.current.regular) await this.flushAll();
      await this.current.fill();
    } catch (err) {
      throw new AppletError(`read error on ${this.currentName}: ${errorText(err)}`, 4);
    }
  }

  private readLine(): Line | null | typeof WAIT {
    for (;;) {
      if (this.current) {
        const line = this.current.line();
        if (line === undefined) return WAIT;
        if (line) {
          this.lineNumber++;
          return line;
        }
        this.closedown();
      }
      if (this.fileIndex >= this.files.length) return null;
      if (this.resetAtNextFile) {
        this.lineNumber = 0;
        this.hold = '';
        this.holdChomped = true;
        for (const cmd of this.program.cmds) cmd.range = cmd.a1 && cmd.a1.type === 'num' && cmd.a1.n === 0 ? 'active' : 'inactive';
        for (const input of this.program.inputs.values()) {
          if (input.fd !== undefined) fs.closeSync(input.fd);
          input.fd = undefined;
          input.buffer = '';
          input.eof = false;
        }
        if (this.opts.inPlace !== undefined) this.output.missingNewline = false;
        this.resetAtNextFile = this.opts.separate;
      }
      this.openNext();
    }
  }

  /** GNU's test_eof: is the current line the last one? undefined: not known without reading. */
  private isLast(): boolean | undefined {
    if (this.current) {
      const has = this.current.hasData();
      if (has !== false) return has === undefined ? undefined : false;
    }
    if (this.opts.separate) return true;
    for (;;) {
      this.closedown();
      if (this.fileIndex >= this.files.length) return true;
      this.openNext();
      if (this.current) {
        const has = (this.current as LineSource).hasData();
        if (has !== false) return has === undefined ? undefined : false;
      }
    }
  }

  private openNext(): void {
    const name = this.files[this.fileIndex++]!;
    this.currentName = name;
    if (name === '-' && this.opts.inPlace === undefined) {
      this.current = new LineSource(this.ctx.stdin, false, this.opts.delimiter);
      return;
    }
    let path = this.ctx.path(name);
    if (this.opts.followSymlinks) path = followSymlink(path);
    let fd: number;
    try {
      fd = fs.openSync(fsPath(path), 'r');
    } catch (err) {
      this.badCount++;
      this.message(`can't read ${name}: ${errorText(err)}`);
      return;
    }
    if (fs.fstatSync(fd).isDirectory() && this.opts.inPlace === undefined) {
      // GNU opens a directory and fails reading it, which ends everything.
      fs.closeSync(fd);
      throw new AppletError(`read error on ${name}: Is a directory`, 4);
    }
    this.current = new LineSource(new FdSource(fd, true), true, this.opts.delimiter);
    if (this.opts.inPlace !== undefined) this.startInPlace(name, path, fd);
  }

  private startInPlace(name: string, path: string, fd: number): void {
    const st = fs.fstatSync(fd);
    if (this.ctx.host.isatty(fd)) throw new AppletError(`couldn't edit ${name}: is a terminal`, 4);
    if (!st.isFile()) {
      fs.closeSync(fd);
      this.current = null;
      throw new AppletError(`couldn't edit ${name}: not a regular file`, 4);
    }
    const slash = path.lastIndexOf('/');
    const dir = slash >= 0 ? path.slice(0, slash + 1) : '';
    let temp = '';
    let tfd = -1;
    for (let tries = 0; tfd < 0; tries++) {
      temp = `${dir}sed${uniqueSuffix().slice(-6)}`;
      try {
        tfd = fs.openSync(fsPath(temp), 'wx', 0o600);
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST' || tries > 100) {
          throw new AppletError(`couldn't open temporary file ${temp}: ${errorText(err)}`, 4);
        }
      }
    }
    const sink = { fd: tfd, write: async (chunk: Uint8Array | string) => void writeAllSync(tfd, chunk), close: async () => {} };
    this.output = new Output(new StringBatch(sink, 64 * 1024));
    this.inPlace = { name, target: path, temp, fd: tfd, st };
  }

  /** Close the current input; for -i put the edited file in place (keeping mode and owner). */
  private closedown(): void {
    const current = this.current;
    this.current = null;
    if (!current) return;
    current.close();
    const ip = this.inPlace;
    if (!ip) return;
    this.inPlace = null;
    const out = this.output;
    this.output = this.stdout;
    // The temporary file's buffer is flushed synchronously by its sink.
    void out.out.flush();
    try {
      try {
        fs.fchownSync(ip.fd, ip.st.uid, ip.st.gid);
      } catch {
        try {
          fs.fchownSync(ip.fd, -1, ip.st.gid);
        } catch {
          // not ours to give away
        }
      }
      fs.fchmodSync(ip.fd, ip.st.mode & 0o7777);
    } finally {
      fs.closeSync(ip.fd);
    }
    const ext = this.opts.inPlace!;
    try {
      if (ext !== '*') fs.renameSync(fsPath(ip.target), fsPath(this.ctx.path(ext.replaceAll('*', ip.name))));
      fs.renameSync(fsPath(ip.temp), fsPath(ip.target));
    } catch (err) {
      fs.rmSync(fsPath(ip.temp), { force: true });
      throw new AppletError(`cannot rename ${ip.name}: ${errorText(err)}`, 4);
    }
  }

  private readPatternSpace(append: boolean): boolean | typeof WAIT {
    if (this.appendQueue.length) this.dumpAppendQueue();
    this.replaced = false;
    const line = this.readLine();
    if (line === WAIT) return WAIT;
    if (!line) return false;
    this.ps = append ? `${this.ps}${this.opts.delimiter}${line.text}` : line.text;
    this.chomped = line.chomped;
    return true;
  }

  // ---- output -----------------------------------------------------------------------------------

  private put(out: Output, s: string): void {
    out.out.put(s);
    if (out.out.full) this.pending.push(out.out.flush());
  }

  private async flushPending(): Promise<void> {
    while (this.pending.length) await this.pending.shift();
  }

  private async flushAll(): Promise<void> {
    await this.flushPending();
    await this.stdout.out.flush();
    for (const out of this.outputs.values()) await out.out.flush();
  }

  private outputLine(text: string, nl: boolean, out: Output = this.output): void {
    let s = out.missingNewline ? this.opts.delimiter : '';
    out.missingNewline = false;
    s += text;
    if (nl) s += this.opts.delimiter;
    else out.missingNewline = true;
    this.put(out, s);
    if (this.opts.unbuffered) this.pending.push(out.out.flush());
  }

  private outputMissingNewline(out: Output = this.output): void {
    if (out.missingNewline) {
      this.put(out, this.opts.delimiter);
      out.missingNewline = false;
    }
  }

  private message(text: string): void {
    this.pending.push(this.stdout.out.flush().then(() => this.ctx.stderr.write(`${this.ctx.name}: ${text}\n`)));
  }

  private openOutputFiles(): void {
    for (const file of this.program.outputs.values()) {
      let out: Output;
      if (file.special === 'stdout') out = this.stdout;
      else if (file.special === 'stderr') out = new Output(new StringBatch(this.ctx.stderr, 1));
      else {
        let fd: number;
        try {
          fd = fs.openSync(fsPath(this.ctx.path(file.name)), 'w');
        } catch (err) {
          throw new AppletError(`couldn't open file ${file.name}: ${errorText(err)}`, 4);
        }
        file.fd = fd;
        const sink = { fd, write: async (chunk: Uint8Array | string) => void writeAllSync(fd, chunk), close: async () => void fs.closeSync(fd) };
        out = new Output(new StringBatch(sink, 64 * 1024));
      }
      this.outputs.set(file, out);
    }
  }

  /** a, r and R output queued for the end of the cycle. */
  private dumpAppendQueue(): void {
    this.outputMissingNewline();
    for (const item of this.appendQueue) {
      if ('text' in item) this.put(this.output, item.text);
      else {
        try {
          this.put(this.output, fs.readFileSync(fsPath(this.ctx.path(item.file))).toString('latin1'));
        } catch {
          // A file that cannot be read is an empty file (POSIX).
        }
      }
    }
    this.appendQueue = [];
  }

  // ---- addresses --------------------------------------------------------------------------------

  private regexFor(re: SedRegex | null): SedRegex {
    if (re) {
      this.lastRegex = re;
      return re;
    }
    if (!this.lastRegex) throw new AppletError(`${this.program.lastLocation}: no previous regular expression`, 1);
    return this.lastRegex;
  }

  private matchAddr(addr: Addr): boolean {
    switch (addr.type) {
      case 'null':
        return true;
      case 'regex':
        return this.regexFor(addr.regex).regex.searchFrom(this.ps, 0) >= 0;
      case 'step':
        return this.lineNumber >= addr.n && (this.lineNumber - addr.n) % addr.step === 0;
      case 'plus':
      case 'tilde':
        return addr.n <= this.lineNumber;
      case 'last':
        return this.isLast() === true;
      case 'num':
        return addr.n === this.lineNumber;
    }
  }

  /** GNU's match_address_p, ranges and all. */
  private matches(cmd: Cmd): boolean {
    const a1 = cmd.a1;
    if (!a1) return true;
    const a2 = cmd.a2;
    if (cmd.range !== 'active') {
      if (!a2) return this.matchAddr(a1);
      if (a1.type === 'num') {
        if (cmd.range === 'closed' || this.lineNumber < a1.n) return false;
      } else if (!this.matchAddr(a1)) return false;
      cmd.range = 'active';
      switch (a2.type) {
        case 'regex':
          return true; // a range with a regex end always has at least two lines
        case 'num':
          if (this.lineNumber >= a2.n) cmd.range = 'closed';
          return this.lineNumber <= a2.n || this.matchAddr(a1);
        case 'plus':
          a2.n = this.lineNumber + a2.step;
          return true;
        case 'tilde':
          a2.n = this.lineNumber + (a2.step - (this.lineNumber % a2.step));
          return true;
        default:
          break;
      }
    }
    if (a2!.type === 'num') {
      if (this.lineNumber >= a2!.n) cmd.range = 'closed';
      return this.lineNumber <= a2!.n;
    }
    if (this.matchAddr(a2!)) cmd.range = 'closed';
    return true;
  }

  private needsLastTest(cmd: Cmd): boolean {
    return cmd.a1?.type === 'last' || cmd.a2?.type === 'last';
  }

  // ---- the program ------------------------------------------------------------------------------

  /** Run commands from this.pc until the cycle ends (or input or a command must be waited for). */
  private execute(): Step {
    const cmds = this.program.cmds;
    const delim = this.opts.delimiter;
    while (this.pc < cmds.length) {
      const cmd = cmds[this.pc]!;
      if (this.needsLastTest(cmd) && this.isLast() === undefined) return WAIT;
      if (this.matches(cmd) === cmd.bang) {
        this.pc++;
        continue;
      }
      switch (cmd.cmd) {
        case 'a':
          this.appendQueue.push({ text: cmd.text ?? '' });
          break;
        case '{':
        case 'b':
          this.pc = cmd.jump!;
          continue;
        case '}':
        case ':':
          break;
        case 'c':
          if (cmd.range !== 'active' && cmd.text) this.outputLine(cmd.text.slice(0, -1), true);
          return 'end';
        case 'd':
          return 'end';
        case 'D': {
          const nl = this.ps.indexOf(delim);
          if (nl < 0) return 'end';
          this.ps = this.ps.slice(nl + 1);
          this.pc = 0;
          continue;
        }
        case 'e': {
          this.pc++;
          return this.runCommand(cmd);
        }
        case 'g':
          this.ps = this.hold;
          this.chomped = this.holdChomped;
          break;
        case 'G':
          this.ps += delim + this.hold;
          this.chomped = this.holdChomped;
          break;
        case 'h':
          this.hold = this.ps;
          this.holdChomped = this.chomped;
          break;
        case 'H':
          this.hold += delim + this.ps;
          this.holdChomped = this.chomped;
          break;
        case 'i':
          if (cmd.text) this.outputLine(cmd.text.slice(0, -1), true);
          break;
        case 'l':
          this.list(cmd.int === -1 || cmd.int === undefined ? this.opts.lineWrap : cmd.int);
          break;
        case 'L':
          throw new AppletError('INTERNAL ERROR: Bad cmd L', 4);
        case 'n': {
          const last = this.isLast();
          if (last === undefined || (!last && !this.current?.canReadLine())) return WAIT;
          if (!this.opts.quiet) this.outputLine(this.ps, this.chomped);
          if (last) return 'end';
          this.readPatternSpace(false);
          break;
        }
        case 'N': {
          const last = this.isLast();
          if (last === undefined || (!last && !this.current?.canReadLine())) return WAIT;
          if (last) {
            if (this.opts.posixExtended && !this.opts.quiet) this.outputLine(this.ps, this.chomped);
            return 'end';
          }
          this.readPatternSpace(true);
          break;
        }
        case 'p':
          this.outputLine(this.ps, this.chomped);
          break;
        case 'P': {
          const nl = this.ps.indexOf(delim);
          this.outputLine(nl < 0 ? this.ps : this.ps.slice(0, nl), nl < 0 ? this.chomped : true);
          break;
        }
        case 'q':
          if (!this.opts.quiet) this.outputLine(this.ps, this.chomped);
          this.dumpAppendQueue();
          return Math.max(0, Math.min(cmd.int ?? 0, 0x7fffffff));
        case 'Q':
          return Math.max(0, Math.min(cmd.int ?? 0, 0x7fffffff));
        case 'r':
          if (cmd.fileName === '/dev/stdin') {
            // Our standard input, not the process's: read it whole, then queue or print it.
            this.pc++;
            return readAll(this.ctx.stdin).then((data) => {
              if (cmd.readAppend) this.appendQueue.push({ text: data.toString('latin1') });
              else this.put(this.output, data.toString('latin1'));
            });
          }
          if (cmd.readAppend) this.appendQueue.push({ file: cmd.fileName! });
          else {
            try {
              this.put(this.output, fs.readFileSync(fsPath(this.ctx.path(cmd.fileName!))).toString('latin1'));
            } catch {
              // unreadable: nothing
            }
          }
          break;
        case 'R': {
          const line = this.readLineOf(cmd);
          if (line !== null) this.appendQueue.push({ text: line });
          break;
        }
        case 's': {
          const after = this.substitute(cmd.subst!);
          if (after) {
            this.pc++;
            return after;
          }
          break;
        }
        case 't':
          if (this.replaced) {
            this.replaced = false;
            this.pc = cmd.jump!;
            continue;
          }
          break;
        case 'T':
          if (!this.replaced) {
            this.pc = cmd.jump!;
            continue;
          }
          this.replaced = false;
          break;
        case 'w':
          this.outputLine(this.ps, this.chomped, this.outputs.get(cmd.outFile!)!);
          break;
        case 'W': {
          const nl = this.ps.indexOf(delim);
          this.outputLine(nl < 0 ? this.ps : this.ps.slice(0, nl), nl < 0 ? this.chomped : true, this.outputs.get(cmd.outFile!)!);
          break;
        }
        case 'x': {
          const t = this.ps;
          this.ps = this.hold;
          this.hold = t;
          const c = this.chomped;
          this.chomped = this.holdChomped;
          this.holdChomped = c;
          break;
        }
        case 'y': {
          const table = cmd.translate!;
          let out = '';
          const ps = this.ps;
          for (let i = 0; i < ps.length; i++) out += String.fromCharCode(table[ps.charCodeAt(i)]!);
          this.ps = out;
          break;
        }
        case 'z':
          this.ps = '';
          break;
        case '=':
          this.outputMissingNewline();
          this.put(this.output, `${this.lineNumber}${delim}`);
          break;
        case 'F':
          this.outputMissingNewline();
          this.put(this.output, `${this.currentName}${delim}`);
          break;
      }
      this.pc++;
    }
    if (!this.opts.quiet) this.outputLine(this.ps, this.chomped);
    return 'end';
  }

  /** The next line of an R file, or null at its end. */
  private readLineOf(cmd: Cmd): string | null {
    const input = cmd.inFile!;
    if (input.fd === undefined && !input.eof) {
      try {
        input.fd = fs.openSync(fsPath(this.ctx.path(input.name)), 'r');
      } catch {
        input.eof = true;
      }
    }
    const delim = this.opts.delimiter;
    for (;;) {
      const nl = input.buffer.indexOf(delim);
      if (nl >= 0) {
        const line = input.buffer.slice(0, nl + 1);
        input.buffer = input.buffer.slice(nl + 1);
        return line;
      }
      if (input.eof || input.fd === undefined) {
        if (!input.buffer) return null;
        const line = input.buffer;
        input.buffer = '';
        return line;
      }
      const buf = Buffer.allocUnsafe(64 * 1024);
      const n = fs.readSync(input.fd, buf, 0, buf.length, null);
      if (n === 0) input.eof = true;
      else input.buffer += buf.toString('latin1', 0, n);
    }
  }

  /** `l`: the pattern space unambiguously, wrapped at `width` columns. */
  private list(width: number): void {
    this.outputMissingNewline();
    const ps = this.ps;
    let out = '';
    let col = 0;
    const names: Record<number, string> = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };
    for (let i = 0; i < ps.length; i++) {
      const c = ps.charCodeAt(i);
      let o: string;
      if (c >= 0x20 && c < 0x7f) o = c === 0x5c ? '\\\\' : ps[i]!;
      else if (names[c]) o = `\\${names[c]}`;
      else o = `\\${c.toString(8).padStart(3, '0')}`;
      if (width > 0 && width - o.length <= col) {
        out += `\\${this.opts.delimiter}`;
        col = 0;
      }
      out += o;
      col += o.length;
    }
    this.put(this.output, `${out}$${this.opts.delimiter}`);
  }

  /** `e command` prints the command's output; `e` alone runs the pattern space and keeps the output. */
  private runCommand(cmd: Cmd): Promise<void> {
    const text = cmd.text ?? '';
    const own = text.length === 0;
    const command = own ? this.ps : text.slice(0, -1);
    if (!own) this.outputMissingNewline();
    return this.shell(command).then((out) => {
      if (own) this.ps = out.endsWith(this.opts.delimiter) ? out.slice(0, -1) : out;
      else this.put(this.output, out);
    });
  }

  private async shell(command: string): Promise<string> {
    await this.flushPending();
    await this.output.out.flush();
    const sink = new MemorySink();
    await this.ctx.exec(['/bin/sh', '-c', command], { stdout: sink, stdin: new BytesSource('') });
    return sink.text();
  }

  // ---- s ----------------------------------------------------------------------------------------

  /** GNU's do_subst. Returns a promise only for the e flag. */
  private substitute(sub: Subst): Promise<void> | undefined {
    const re = this.regexFor(sub.regex).regex;
    const line = this.ps;
    const wantGroups = sub.maxGroup > 0;
    let m = re.exec(line, 0, wantGroups);
    if (!m) return undefined;
    let out = '';
    let start = 0;
    let lastEnd = 0;
    let count = 0;
    let again = true;
    do {
      const offset = m.start;
      let matched = m.end - m.start;
      if (start < offset) {
        out += line.slice(start, offset);
        start = offset;
      }
      // An empty match right after the previous match does not count (`baaac` → s/a*/x/g → xbxcx).
      if ((matched > 0 || count === 0 || offset > lastEnd) && ++count >= (sub.nth || 1)) {
        this.replaced = true;
        out += appendReplacement(sub.replacement, m, line);
        again = sub.global;
      } else {
        if (matched === 0) {
          if (start < line.length) matched = 1;
          else break;
        }
        out += line.slice(offset, offset + matched);
      }
      start = offset + matched;
      lastEnd = m.end;
    } while (again && start <= line.length && (m = re.exec(line, start, wantGroups)) !== null);
    if (start < line.length) out += line.slice(start);
    if (count < (sub.nth || 1)) return undefined;
    this.ps = out;
    if (sub.print & 1) this.outputLine(this.ps, this.chomped);
    const finish = () => {
      if (sub.print & 2) this.outputLine(this.ps, this.chomped);
      if (sub.outFile) this.outputLine(this.ps, this.chomped, this.outputs.get(sub.outFile)!);
    };
    if (sub.eval) {
      return this.shell(this.ps).then((result) => {
        this.ps = result.endsWith(this.opts.delimiter) ? result.slice(0, -1) : result;
        finish();
      });
    }
    finish();
    return undefined;
  }
}

/** The replacement for one match (GNU's append_replacement), with \U \L \u \l \E. */
function appendReplacement(pieces: ReplPiece[], m: Match, line: string): string {
  let out = '';
  let pendingModifier = 0;
  for (const p of pieces) {
    let type = p.type & REPL_MODIFIERS ? p.type : p.type | pendingModifier;
    pendingModifier = 0;
    if (p.prefix) {
      out += convertCase(p.prefix, type);
      type &= ~REPL_MODIFIERS;
    }
    if (p.group >= 0) {
      const s = m.groups[2 * p.group]!;
      const e = m.groups[2 * p.group + 1]!;
      if (s >= 0 && e >= 0 && e !== s) out += convertCase(line.slice(s, e), type);
      else if (p.type & REPL_MODIFIERS) pendingModifier = type & REPL_MODIFIERS; // \u\1\2 with \1 empty: applies to \2
    }
  }
  return out;
}

/** Case conversion as GNU's str_append_modified in the C locale: ASCII letters only; any other
 *  byte above 127 (not a character in the C locale) ends a one-letter \u or \l unused. */
function convertCase(s: string, type: number): string {
  if (type === REPL_ASIS) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      type &= ~(REPL_LOWERCASE_FIRST | REPL_UPPERCASE_FIRST);
      if (type === REPL_ASIS) return out + s.slice(i);
      out += s[i];
      continue;
    }
    if (c === 0) return out + s.slice(i);
    let ch = s[i]!;
    if (type & (REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST)) {
      ch = type & REPL_UPPERCASE_FIRST ? ch.toUpperCase() : ch.toLowerCase();
      type &= ~(REPL_LOWERCASE_FIRST | REPL_UPPERCASE_FIRST);
      if (type === REPL_ASIS) return out + ch + s.slice(i + 1);
    } else if (type & REPL_UPPERCASE) ch = ch.toUpperCase();
    else if (type & REPL_LOWERCASE) ch = ch.toLowerCase();
    out += ch;
  }
  return out;
}

function writeAllSync(fd: number, chunk: Uint8Array | string): void {
  const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function followSymlink(path: string): string {
  try {
    return fs.realpathSync(fsPath(path), { encoding: 'latin1' }) as unknown as string;
  } catch {
    return path;
  }
}

