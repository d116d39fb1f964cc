// read [-r] [-s] [-p PROMPT] [-t SECONDS] [-n COUNT] [-d DELIM] [-u FD] [NAME...]: a line (or up to
// DELIM, or COUNT characters) from standard input or FD, split by IFS into the NAMEs (the last gets
// the rest); without NAMEs, REPLY gets the line as is. Without -r a backslash quotes the next
// character and joins continued lines. Data is read synchronously when it is already there; what
// was read beyond the line is given back to the source for the next reader.
import { isName } from '../lexer.js';
import type { Shell } from '../shell.js';
import type { ByteSource } from '../../../core/io.js';
import type { Builtin } from './index.js';

interface Opts {
  raw: boolean;
  prompt?: string;
  timeout?: number;
  count?: number;
  delim: string;
  fd: number;
}

function parse(sh: Shell, argv: string[]): { opts: Opts; names: string[] } | number {
  const opts: Opts = { raw: false, delim: '\n', fd: 0 };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (c === 'r') opts.raw = true;
      else if (c === 's') continue;
      else if ('ptndu'.includes(c)) {
        const value = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
        if (value === undefined) {
          void sh.warn(`-${c}: requires an argument`, 'read');
          return 2;
        }
        if (c === 'p') opts.prompt = value;
        else if (c === 'd') opts.delim = value === '' ? '\0' : value[0]!;
        else {
          if (!/^[0-9]+(\.[0-9]*)?$/.test(value) || (c !== 't' && value.includes('.'))) {
            void sh.warn(`invalid ${c === 't' ? 'timeout' : c === 'n' ? 'count' : 'file descriptor'}: '${value}'`, 'read');
            return 1;
          }
          if (c === 't') opts.timeout = Number(value);
          else if (c === 'n') opts.count = Number(value);
          else opts.fd = Number(value);
        }
        break;
      } else {
        void sh.warn(`illegal option -${c}`, 'read');
        return 2;
      }
    }
  }
  const names = argv.slice(i);
  for (const n of names) {
    if (!isName(n)) {
      void sh.writeErr(`${sh.arg0}: read: '${n}': bad variable name\n`);
      return 1;
    }
  }
  return { opts, names };
}

/** Accumulates the line: characters and which of them a backslash protected. */
class Line {
  text = '';
  escaped: boolean[] = [];
  private pendingBackslash = false;
  /** The delimiter was seen (as opposed to end of input or the count). */
  ended = false;
  constructor(private readonly opts: Opts) {}

  /** Take characters from `s`; returns how many were used. */
  take(s: string): number {
    const { raw, delim, count } = this.opts;
    for (let i = 0; i < s.length; i++) {
      if (count !== undefined && this.text.length >= count) return i;
      const c = s[i]!;
      if (this.pendingBackslash) {
        this.pendingBackslash = false;
        if (c === '\n') continue; // a continued line
        this.text += c;
        this.escaped.push(true);
        continue;
      }
      if (c === '\\' && !raw) {
        this.pendingBackslash = true;
        continue;
      }
      if (c === delim) {
        this.ended = true;
        return i + 1;
      }
      this.text += c;
      this.escaped.push(false);
    }
    return s.length;
  }

  get full(): boolean {
    return this.ended || (this.opts.count !== undefined && this.text.length >= this.opts.count);
  }
}

/** Assign the fields of the line to the names, as IFS splitting with `read`'s rules. */
function assign(sh: Shell, line: Line, names: string[]): void {
  if (names.length === 0) {
    sh.set('REPLY', line.text);
    return;
  }
  const ifs = sh.get('IFS') ?? ' \t\n';
  const { text, escaped } = line;
  const isSep = (i: number) => !escaped[i] && ifs.includes(text[i]!);
  const isWhite = (i: number) => isSep(i) && ' \t\n'.includes(text[i]!);
  let i = 0;
  while (i < text.length && isWhite(i)) i++;
  for (let n = 0; n < names.length; n++) {
    if (n === names.length - 1) {
      let end = text.length;
      while (end > i && isWhite(end - 1)) end--;
      sh.set(names[n]!, text.slice(i, Math.max(i, end)));
      break;
    }
    const start = i;
    while (i < text.length && !isSep(i)) i++;
    sh.set(names[n]!, text.slice(start, i));
    // the separator: white space, at most one other IFS character, white space
    while (i < text.length && isWhite(i)) i++;
    if (i < text.length && isSep(i) && !isWhite(i)) {
      i++;
      while (i < text.length && isWhite(i)) i++;
    }
  }
}

function feed(line: Line, source: ByteSource, chunk: Uint8Array): void {
  const s = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
  const used = line.take(s);
  if (used < s.length) source.unread(Buffer.from(s.slice(used), 'latin1'));
}

async function readAsync(sh: Shell, source: ByteSource, line: Line, opts: Opts, names: string[]): Promise<number> {
  const deadline = opts.timeout !== undefined ? Date.now() + opts.timeout * 1000 : undefined;
  while (!line.full) {
    let chunk: Uint8Array | null;
    if (deadline === undefined) chunk = await source.read();
    else {
      const left = deadline - Date.now();
      if (left <= 0) return 1;
      const pending = source.read();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left)));
      const r = await Promise.race([pending, timedOut]);
      clearTimeout(timer);
      if (r === 'timeout') {
        // the read still completes later: give its data back to the source
        void pending.then((c) => c && source.unread(c), () => {});
        return 1;
      }
      chunk = r;
    }
    if (chunk === null) break;
    feed(line, source, chunk);
  }
  assign(sh, line, names);
  return line.ended || (opts.count !== undefined && line.full) ? 0 : 1;
}

export default {
  run(sh, argv) {
    const parsed = parse(sh, argv);
    if (typeof parsed === 'number') return parsed;
    const { opts, names } = parsed;
    const source = sh.fds[opts.fd]?.source;
    if (!source) return 1;
    if (opts.prompt !== undefined && source.fd !== undefined && sh.host.isatty(source.fd)) void sh.writeErr(opts.prompt);
    const line = new Line(opts);
    if (opts.count === 0) {
      assign(sh, line, names);
      return 0;
    }
    if (opts.timeout === undefined && source.readNow) {
      while (!line.full) {
        const chunk = source.readNow();
        if (chunk === undefined) return readAsync(sh, source, line, opts, names);
        if (chunk === null) break;
        feed(line, source, chunk);
      }
      assign(sh, line, names);
      return line.full ? 0 : 1;
    }
    return readAsync(sh, source, line, opts, names);
  },
} satisfies Builtin;
