// md5sum, sha1sum, sha224sum, sha256sum, sha384sum and sha512sum as GNU has them (this module
// builds each one's declaration): `HASH  NAME` lines (`*` for -b), BSD-style --tag, -z, names with
// backslashes or newlines escaped; -c checks a list with --quiet, --status, --strict, -w and
// --ignore-missing, GNU's line parser (including its memory of a "reversed BSD" list) and its
// warnings and statuses. BusyBox's -s is --status.
import * as fs from 'node:fs';
import type { Hash } from 'node:crypto';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { UsageError, errorCode, errorText } from '../core/errors.js';
import { type ByteSource, FdSource, OutBuffer, eachInput } from '../core/io.js';
import { forEachLine } from '../core/lines.js';
import { quotef } from '../core/quote.js';

/** One algorithm: the applet name, Node's hash name, GNU's tag (`MD5 (f) = …`). */
export interface Algorithm {
  applet: string;
  hash: string;
  tag: string;
  /** Hex digits in a digest. */
  hexLength: number;
}

const OPTIONS = {
  b: { long: 'binary' },
  c: { long: 'check' },
  'ignore-missing': {},
  quiet: {},
  status: {},
  s: {},
  strict: {},
  tag: {},
  t: { long: 'text' },
  w: { long: 'warn' },
  z: { long: 'zero' },
} as const;

export function checksumApplet(algo: Algorithm) {
  const name = algo.applet;
  return defineApplet({
    name,
    summary: `Print or check ${algo.tag} checksums`,
    usage: `${name} [OPTION]... [FILE]...`,
    syncStdin: true,
    help: [
      'With no FILE, or when FILE is -, read standard input.',
      '',
      '-b, --binary\t\tRead in binary mode (marks names with *)',
      `-c, --check\t\tRead ${algo.tag} sums from the FILEs and check them`,
      '    --tag\t\tCreate a BSD-style checksum',
      '-t, --text\t\tRead in text mode (default)',
      '-z, --zero\t\tEnd each output line with NUL, not newline, and disable file name escaping',
      '',
      'When checking:',
      '    --ignore-missing\tDon\'t fail or report status for missing files',
      '    --quiet\t\tDon\'t print OK for each successfully verified file',
      '    --status, -s\tDon\'t output anything, status code shows success',
      '    --strict\t\tExit non-zero for improperly formatted checksum lines',
      '-w, --warn\t\tWarn about improperly formatted checksum lines',
    ].join('\n'),
    options: OPTIONS,
    async run(ctx) {
      const o = ctx.opts;
      const status = !!(o.status || o.s);
      if (o.c) {
        if (o.tag) throw new UsageError('the --tag option is meaningless when verifying checksums');
        if (o.b || o.t) throw new UsageError('the --binary and --text options are meaningless when verifying checksums');
        if (o.z) throw new UsageError('the --zero option is not supported when verifying checksums');
        return check(ctx, algo, {
          quiet: !!o.quiet,
          status,
          strict: !!o.strict,
          warn: !!o.w,
          ignoreMissing: !!o['ignore-missing'],
        });
      }
      for (const [flag, word] of [
        ['ignore-missing', 'ignore-missing'],
        ['quiet', 'quiet'],
        ['status', 'status'],
        ['s', 'status'],
        ['strict', 'strict'],
        ['w', 'warn'],
      ] as const) {
        if (o[flag]) throw new UsageError(`the --${word} option is meaningful only when verifying checksums`);
      }
      if (o.tag && o.t) throw new UsageError('--tag does not support --text mode');
      return printSums(ctx, algo, { tag: !!o.tag, binary: !!o.b && !o.t, zero: !!o.z });
    },
  });
}

async function digest(algo: Algorithm, src: ByteSource): Promise<string> {
  const crypto = process.getBuiltinModule('node:crypto');
  const hash: Hash = crypto.createHash(algo.hash);
  if (src instanceof FdSource && src.isRegularFile() && !src.hasUnread()) {
    // Straight from the descriptor, no promise per chunk.
    const buf = Buffer.allocUnsafe(256 * 1024);
    for (let n = fs.readSync(src.fd, buf); n > 0; n = fs.readSync(src.fd, buf)) hash.update(buf.subarray(0, n));
  } else for (let chunk = await src.read(); chunk; chunk = await src.read()) hash.update(chunk);
  return hash.digest('hex');
}

/** GNU's output escaping: a leading backslash, and \\ \n \r within the name. */
function escapeName(name: string): { escaped: boolean; text: string } {
  if (!/[\\\n\r]/.test(name)) return { escaped: false, text: name };
  return { escaped: true, text: name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r') };
}

async function printSums(ctx: Ctx, algo: Algorithm, o: { tag: boolean; binary: boolean; zero: boolean }): Promise<number> {
  const out = new OutBuffer(ctx.stdout);
  let status = 0;
  for await (const input of eachInput(ctx, ctx.operands)) {
    if (input.error) {
      await out.flush();
      status = await ctx.warn(input.error, quotef(input.name));
      continue;
    }
    let hex: string;
    try {
      hex = await digest(algo, input.source!);
    } catch (err) {
      if (errorCode(err) === undefined) throw err;
      await out.flush();
      status = await ctx.warn(err, quotef(input.name));
      continue;
    }
    const { escaped, text } = o.zero ? { escaped: false, text: input.name } : escapeName(input.name);
    const line = o.tag ? `${algo.tag} (${text}) = ${hex}` : `${hex} ${o.binary ? '*' : ' '}${text}`;
    const p = out.put(`${escaped ? '\\' : ''}${line}${o.zero ? '\0' : '\n'}`);
    if (p) await p;
  }
  await out.flush();
  return status;
}

interface CheckOptions {
  quiet: boolean;
  status: boolean;
  strict: boolean;
  warn: boolean;
  ignoreMissing: boolean;
}

/** A parsed check line: the expected digest and the file name. */
interface Entry {
  hex: string;
  name: string;
}

/** GNU's split_3 and bsd_split_3. `reversed` is GNU's bsd_reversed, kept across all check files:
 *  -1 unknown, 1 once a `HASH NAME` (one space) line was seen, 0 once a `HASH  NAME` line was. */
function parseLine(line: string, algo: Algorithm, state: { reversed: number }): Entry | undefined {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  let escaped = false;
  if (line[i] === '\\') {
    i++;
    escaped = true;
  }
  let hex: string;
  let name: string;
  if (line.startsWith(algo.tag, i)) {
    i += algo.tag.length;
    if (line[i] === ' ') i++;
    if (line[i] !== '(') return undefined;
    const rest = line.slice(i + 1);
    const close = rest.lastIndexOf(')');
    if (close === -1) return undefined;
    name = rest.slice(0, close);
    let j = close + 1;
    while (rest[j] === ' ' || rest[j] === '\t') j++;
    if (rest[j] !== '=') return undefined;
    j++;
    while (rest[j] === ' ' || rest[j] === '\t') j++;
    hex = rest.slice(j);
  } else {
    if (line.length - i < algo.hexLength + 2 + (line[i] === '\\' ? 1 : 0)) return undefined;
    hex = line.slice(i, i + algo.hexLength);
    i += algo.hexLength;
    if (line[i] !== ' ' && line[i] !== '\t') return undefined;
    i++;
    if (!/^[0-9a-fA-F]*$/.test(hex)) return undefined;
    if (line.length - i === 1 || (line[i] !== ' ' && line[i] !== '*')) {
      if (state.reversed === 0) return undefined;
      state.reversed = 1;
    } else if (state.reversed !== 1) {
      state.reversed = 0;
      i++;
    }
    name = line.slice(i);
  }
  if (escaped) {
    const unescaped = unescapeName(name);
    if (unescaped === undefined) return undefined;
    name = unescaped;
  }
  if (hex.length !== algo.hexLength || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  return { hex: hex.toLowerCase(), name };
}

function unescapeName(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      out += s[i];
      continue;
    }
    const c = s[++i];
    if (c === '\\') out += '\\';
    else if (c === 'n') out += '\n';
    else if (c === 'r') out += '\r';
    else return undefined;
  }
  return out;
}

async function check(ctx: Ctx, algo: Algorithm, o: CheckOptions): Promise<number> {
  const out = new OutBuffer(ctx.stdout);
  const state = { reversed: -1 };
  let status = 0;
  const warn = async (text: string) => {
    await out.flush();
    await ctx.stderr.write(`${ctx.name}: ${text}\n`);
  };
  for await (const input of eachInput(ctx, ctx.operands)) {
    const listName = input.name === '-' ? 'standard input' : input.name;
    if (input.error) {
      await warn(`${quotef(listName)}: ${errorText(input.error)}`);
      status = 1;
      continue;
    }
    let improper = 0;
    let mismatched = 0;
    let unreadable = 0;
    let matched = 0; // verified and found equal (GNU's matched_checksums)
    let properLines = 0;
    let lineNumber = 0;
    const entries: Entry[] = [];
    try {
      // Lines are gathered first: a check list names files that may be the list itself.
      await forEachLine(input.source!, '\n', (raw) => {
        lineNumber++;
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line === '' || line.startsWith('#')) return;
        const entry = parseLine(line, algo, state);
        if (!entry) {
          improper++;
          entries.push({ hex: '', name: `\0${lineNumber}` });
          return;
        }
        entries.push(entry);
      });
    } catch (err) {
      if (errorCode(err) === undefined) throw err;
      await warn(`${quotef(listName)}: read error`);
      status = 1;
      continue;
    }
    for (const entry of entries) {
      if (entry.hex === '') {
        if (o.warn) await warn(`${quotef(listName)}: ${entry.name.slice(1)}: improperly formatted ${algo.tag} checksum line`);
        continue;
      }
      properLines++;
      let actual: string | undefined;
      let failure: unknown;
      try {
        if (entry.name === '-') actual = await digest(algo, ctx.stdin);
        else {
          const fd = fs.openSync(fsPath(ctx.path(entry.name)), 'r');
          try {
            actual = await digest(algo, new FdSource(fd));
          } finally {
            fs.closeSync(fd);
          }
        }
      } catch (err) {
        if (errorCode(err) === undefined) throw err;
        failure = err;
      }
      const shown = entry.name.includes('\n') ? `\\${escapeName(entry.name).text}` : entry.name;
      if (failure !== undefined) {
        if (o.ignoreMissing && errorCode(failure) === 'ENOENT') continue;
        unreadable++;
        await warn(`${quotef(entry.name)}: ${errorText(failure)}`);
        if (!o.status) {
          const p = out.put(`${shown}: FAILED open or read\n`);
          if (p) await p;
        }
        continue;
      }
      const ok = actual === entry.hex;
      if (ok) matched++;
      else mismatched++;
      if (!o.status && (!ok || !o.quiet)) {
        const p = out.put(`${shown}: ${ok ? 'OK' : 'FAILED'}\n`);
        if (p) await p;
      }
    }
    if (properLines === 0) {
      await warn(`${quotef(listName)}: no properly formatted checksum lines found`);
      status = 1;
      continue;
    }
    if (!o.status) {
      const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
      if (improper) await warn(`WARNING: ${improper} ${plural(improper, 'line is', 'lines are')} improperly formatted`);
      if (unreadable) await warn(`WARNING: ${unreadable} listed ${plural(unreadable, 'file', 'files')} could not be read`);
      if (mismatched) {
        await warn(`WARNING: ${mismatched} computed ${plural(mismatched, 'checksum', 'checksums')} did NOT match`);
      }
      if (o.ignoreMissing && matched === 0) await warn(`${quotef(listName)}: no file was verified`);
    }
    if (mismatched || unreadable || (o.strict && improper) || (o.ignoreMissing && matched === 0)) status = 1;
  }
  await out.flush();
  return status;
}
