// tr as GNU has it in the C locale: SET1 and SET2 with escapes (\n \NNN …), ranges, [:class:],
// [=c=] and [c*n]/[c*] repeats, -c/-C complement, -d delete, -s squeeze, -t truncate SET1, with
// GNU's validation messages. Byte-table driven: one lookup per input byte.
import { defineApplet } from '../core/applet.js';
import { AppletError, UsageError } from '../core/errors.js';
import { quote } from '../core/quote.js';

type Element =
  | { t: 'char'; c: number }
  | { t: 'range'; lo: number; hi: number }
  | { t: 'class'; name: ClassName }
  | { t: 'equiv'; c: number }
  /** count 0: [c*] (fills SET2 to the length of SET1) */
  | { t: 'repeat'; c: number; count: number };

type ClassName = keyof typeof CLASSES;

const CLASSES = {
  alnum: (c: number) => isDigit(c) || isUpper(c) || isLower(c),
  alpha: (c: number) => isUpper(c) || isLower(c),
  blank: (c: number) => c === 32 || c === 9,
  cntrl: (c: number) => c < 32 || c === 127,
  digit: (c: number) => isDigit(c),
  graph: (c: number) => c > 32 && c < 127,
  lower: (c: number) => isLower(c),
  print: (c: number) => c >= 32 && c < 127,
  punct: (c: number) => c > 32 && c < 127 && !isDigit(c) && !isUpper(c) && !isLower(c),
  space: (c: number) => (c >= 9 && c <= 13) || c === 32,
  upper: (c: number) => isUpper(c),
  xdigit: (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** A parsed SET: its elements and GNU's statistics about them. */
class Spec {
  length = 0;
  hasClass = false;
  hasEquiv = false;
  hasRestrictedClass = false;
  indefinite: Extract<Element, { t: 'repeat' }>[] = [];
  constructor(readonly elements: Element[]) {
    for (const e of elements) {
      switch (e.t) {
        case 'char':
        case 'equiv':
          this.length++;
          if (e.t === 'equiv') this.hasEquiv = true;
          break;
        case 'range':
          this.length += e.hi - e.lo + 1;
          break;
        case 'class':
          this.hasClass = true;
          if (e.name !== 'upper' && e.name !== 'lower') this.hasRestrictedClass = true;
          for (let c = 0; c < 256; c++) if (CLASSES[e.name](c)) this.length++;
          break;
        case 'repeat':
          if (e.count === 0) this.indefinite.push(e);
          else this.length += e.count;
      }
    }
  }
  cursor(): Cursor {
    return new Cursor(this.elements);
  }
  /** The set of bytes the SET names (complemented on request). */
  members(complement = false): Uint8Array {
    const set = new Uint8Array(256);
    const cur = this.cursor();
    for (let c = cur.next(); c !== -1; c = cur.next()) set[c] = 1;
    if (complement) for (let c = 0; c < 256; c++) set[c] = 1 - set[c]!;
    return set;
  }
}

/** GNU's get_next: the SET's characters in order, knowing where each element starts. */
class Cursor {
  private index = 0;
  private offset = 0;
  /** The case class of the element the last character came from. */
  caseClass: 'upper' | 'lower' | undefined;
  constructor(private readonly elements: Element[]) {}
  /** Whether the next character starts a new element. */
  atElementStart(): boolean {
    return this.offset === 0;
  }
  next(): number {
    for (;;) {
      const e = this.elements[this.index];
      this.caseClass = undefined;
      if (!e) return -1;
      let c = -1;
      switch (e.t) {
        case 'char':
        case 'equiv':
          if (this.offset === 0) c = e.c;
          break;
        case 'range':
          if (e.lo + this.offset <= e.hi) c = e.lo + this.offset;
          break;
        case 'repeat':
          if (this.offset < e.count) c = e.c;
          break;
        case 'class': {
          const member = CLASSES[e.name];
          let seen = 0;
          for (let k = 0; k < 256; k++) {
            if (!member(k)) continue;
            if (seen++ === this.offset) {
              c = k;
              break;
            }
          }
          if (e.name === 'upper' || e.name === 'lower') this.caseClass = e.name;
        }
      }
      if (c !== -1) {
        this.offset++;
        return c;
      }
      this.index++;
      this.offset = 0;
    }
  }
  /** Move on to the next element (case conversion consumes a whole class at once). */
  skipElement(): void {
    if (this.offset > 0) {
      this.index++;
      this.offset = 0;
    }
  }
}

export default defineApplet({
  name: 'tr',
  summary: 'Translate, squeeze, and/or delete characters from standard input, writing to standard output',
  usage: 'tr [OPTION]... STRING1 [STRING2]',
  syncStdin: true,
  help: [
    '-c, -C, --complement\tUse the complement of STRING1',
    '-d, --delete\t\tDelete characters in STRING1, do not translate',
    '-s, --squeeze-repeats\tReplace each sequence of a repeated character that is listed in the',
    '\t\t\tlast specified STRING with a single occurrence of that character',
    '-t, --truncate-set1\tFirst truncate STRING1 to the length of STRING2',
    '',
    'STRINGs hold characters, escapes (\\NNN \\\\ \\a \\b \\f \\n \\r \\t \\v), ranges CHAR1-CHAR2,',
    '[CHAR*] (in STRING2: as many as make it as long as STRING1), [CHAR*REPEAT] (octal with a',
    'leading 0), [:alnum:] [:alpha:] [:blank:] [:cntrl:] [:digit:] [:graph:] [:lower:] [:print:]',
    '[:punct:] [:space:] [:upper:] [:xdigit:], and [=CHAR=].',
  ].join('\n'),
  options: {
    c: { long: 'complement' },
    C: {},
    d: { long: 'delete' },
    s: { long: 'squeeze-repeats' },
    t: { long: 'truncate-set1' },
  },
  async run(ctx) {
    const o = ctx.opts;
    const complement = !!(o.c || o.C);
    const del = !!o.d;
    const squeeze = !!o.s;
    const args = ctx.operands;
    const minOperands = 1 + (del === squeeze ? 1 : 0);
    const maxOperands = 1 + (del <= squeeze ? 1 : 0);
    if (args.length < minOperands) {
      if (args.length === 0) throw new UsageError('missing operand');
      throw new UsageError(
        `missing operand after ${quote(args[args.length - 1]!)}\n` +
          (squeeze ? 'Two strings must be given when both deleting and squeezing repeats.' : 'Two strings must be given when translating.'),
      );
    }
    if (args.length > maxOperands) {
      throw new UsageError(
        `extra operand ${quote(args[maxOperands]!)}` +
          (args.length === 2 ? '\nOnly one string may be given when deleting without squeezing repeats.' : ''),
      );
    }
    const translating = args.length === 2 && !del;
    const warnings: string[] = [];
    const s1 = new Spec(parseSet(args[0]!, warnings));
    const s2 = args.length === 2 ? new Spec(parseSet(args[1]!, warnings)) : undefined;
    for (const w of warnings) await ctx.stderr.write(`${ctx.name}: warning: ${w}\n`);
    validate(s1, s2, { complement, translating, truncate: !!o.t });

    let process: Filter;
    if (squeeze && args.length === 1) process = squeezer(identity(), s1.members(complement), undefined);
    else if (del && args.length === 1) process = squeezer(identity(), undefined, s1.members(complement));
    else if (squeeze && del) process = squeezer(identity(), s2!.members(), s1.members(complement));
    else {
      const table = translationTable(s1, s2!, complement);
      process = squeezer(table, squeeze ? s2!.members() : undefined, undefined);
    }
    for (let chunk = await ctx.stdin.read(); chunk; chunk = await ctx.stdin.read()) {
      const out = process(chunk);
      if (out.length) await ctx.stdout.write(out);
    }
    return 0;
  },
});

type Filter = (chunk: Uint8Array) => Uint8Array;

function identity(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

/** Translate through `table`, drop bytes in `deleted`, squeeze runs of output bytes in `squeezed`. */
function squeezer(table: Uint8Array, squeezed: Uint8Array | undefined, deleted: Uint8Array | undefined): Filter {
  let last = -1; // the last byte written, across chunks
  if (!squeezed && !deleted) {
    return (chunk) => {
      const out = Buffer.allocUnsafe(chunk.length);
      for (let i = 0; i < chunk.length; i++) out[i] = table[chunk[i]!]!;
      return out;
    };
  }
  return (chunk) => {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (deleted && deleted[b]) continue;
      const c = table[b]!;
      if (squeezed && c === last && squeezed[c]) continue;
      out[n++] = c;
      last = c;
    }
    return out.subarray(0, n);
  };
}

/** GNU's validate(): the checks, then SET2 stretched to SET1's length by its last character. */
function validate(s1: Spec, s2: Spec | undefined, o: { complement: boolean; translating: boolean; truncate: boolean }): void {
  if (o.complement) {
    const members = s1.members();
    s1.length = 256 - members.reduce((a, b) => a + b, 0);
  }
  if (s1.indefinite.length) throw new AppletError('the [c*] repeat construct may not appear in string1');
  if (!s2) return;
  if (s1.length >= s2.length && s2.indefinite.length === 1) {
    s2.indefinite[0]!.count = s1.length - s2.length;
    s2.length = s1.length;
  }
  if (s2.indefinite.length > 1) throw new AppletError('only one [c*] repeat construct may appear in string2');
  if (!o.translating) {
    if (s2.indefinite.length) throw new AppletError('the [c*] construct may appear in string2 only when translating');
    return;
  }
  if (s2.hasEquiv) throw new AppletError('[=c=] expressions may not appear in string2 when translating');
  if (s2.hasRestrictedClass) {
    throw new AppletError("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'");
  }
  if (!o.complement && s2.hasClass) checkCaseClasses(s1, s2);
  if (s1.length > s2.length && !o.truncate) {
    if (s2.length === 0) throw new AppletError('when not truncating set1, string2 must be non-empty');
    const last = s2.elements[s2.elements.length - 1]!;
    if (last.t === 'class' || last.t === 'equiv') {
      throw new AppletError('when translating with string1 longer than string2,\nthe latter string must not end with a character class');
    }
    const c = last.t === 'range' ? last.hi : last.c;
    s2.elements.push({ t: 'repeat', c, count: s1.length - s2.length });
    s2.length = s1.length;
  }
  if (o.complement && s1.hasClass && !(s2.length === s1.length && homogeneous(s2))) {
    throw new AppletError('when translating with complemented character classes,\nstring2 must map all characters in the domain to one');
  }
}

/** [:upper:] and [:lower:] in SET2 must stand opposite a case class in SET1. */
function checkCaseClasses(s1: Spec, s2: Spec): void {
  const a = s1.cursor();
  const b = s2.cursor();
  for (;;) {
    const startA = a.atElementStart();
    const startB = b.atElementStart();
    const c1 = a.next();
    const c2 = b.next();
    if (startB && b.caseClass && !(startA && a.caseClass)) throw new AppletError('misaligned [:upper:] and/or [:lower:] construct');
    if (c1 === -1 || c2 === -1) return;
    if (b.caseClass) {
      a.skipElement();
      b.skipElement();
    }
  }
}

function homogeneous(s: Spec): boolean {
  const cur = s.cursor();
  const first = cur.next();
  for (let c = cur.next(); c !== -1; c = cur.next()) if (c !== first) return false;
  return true;
}

function translationTable(s1: Spec, s2: Spec, complement: boolean): Uint8Array {
  const table = identity();
  const b = s2.cursor();
  if (complement) {
    const in1 = s1.members();
    for (let c = 0; c < 256; c++) {
      if (in1[c]) continue;
      const c2 = b.next();
      if (c2 === -1) break;
      table[c] = c2;
    }
    return table;
  }
  const a = s1.cursor();
  for (;;) {
    const c1 = a.next();
    const c2 = b.next();
    if (a.caseClass === 'lower' && b.caseClass === 'upper') {
      for (let c = 97; c <= 122; c++) table[c] = c - 32;
    } else if (a.caseClass === 'upper' && b.caseClass === 'lower') {
      for (let c = 65; c <= 90; c++) table[c] = c + 32;
    } else {
      if (c1 === -1 || c2 === -1) break;
      table[c1] = c2;
    }
    if (b.caseClass) {
      a.skipElement();
      b.skipElement();
    }
  }
  return table;
}

/** A SET's text with escapes resolved: each byte, and whether it was escaped (then never special). */
function unescape(s: string, warnings: string[]): { c: number[]; escaped: boolean[] } {
  const c: number[] = [];
  const escaped: boolean[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch !== 92) {
      c.push(ch);
      escaped.push(false);
      continue;
    }
    const next = s[i + 1];
    let v: number;
    const simple: Record<string, number> = { '\\': 92, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (next === undefined) {
      warnings.push('an unescaped backslash at end of string is not portable');
      v = 92;
    } else if (simple[next] !== undefined) v = simple[next]!;
    else if (next >= '0' && next <= '7') {
      v = next.charCodeAt(0) - 48;
      const d2 = s[i + 2];
      if (d2 !== undefined && d2 >= '0' && d2 <= '7') {
        v = v * 8 + d2.charCodeAt(0) - 48;
        i++;
        const d3 = s[i + 2];
        if (d3 !== undefined && d3 >= '0' && d3 <= '7') {
          if (v * 8 + d3.charCodeAt(0) - 48 < 256) {
            v = v * 8 + d3.charCodeAt(0) - 48;
            i++;
          } else {
            const [x, y, z] = [s[i], s[i + 1], s[i + 2]];
            warnings.push(`the ambiguous octal escape \\${x}${y}${z} is being\n\tinterpreted as the 2-byte sequence \\0${x}${y}, ${z}`);
          }
        }
      }
    } else v = next.charCodeAt(0);
    i++;
    c.push(v);
    escaped.push(true);
  }
  return { c, escaped };
}

/** GNU's build_spec_list. */
function parseSet(text: string, warnings: string[]): Element[] {
  const { c: p, escaped } = unescape(text, warnings);
  const len = p.length;
  const is = (i: number, ch: string) => i < len && p[i] === ch.charCodeAt(0) && !escaped[i];
  const out: Element[] = [];
  let i = 0;
  while (i + 2 < len) {
    if (is(i, '[')) {
      if (is(i + 1, ':') || is(i + 1, '=')) {
        const delim = String.fromCharCode(p[i + 1]!);
        let close = -1;
        for (let k = i + 2; k < len - 1; k++) {
          if (is(k, delim) && is(k + 1, ']')) {
            close = k;
            break;
          }
        }
        if (close !== -1) {
          const operand = String.fromCharCode(...p.slice(i + 2, close));
          if (operand === '') {
            throw new AppletError(delim === ':' ? "missing character class name '[::]'" : "missing equivalence class character '[==]'");
          }
          let ok = true;
          if (delim === ':') {
            if (Object.hasOwn(CLASSES, operand)) out.push({ t: 'class', name: operand as ClassName });
            else ok = false;
          } else if (operand.length === 1) out.push({ t: 'equiv', c: operand.charCodeAt(0) });
          else ok = false;
          if (ok) {
            i = close + 2;
            continue;
          }
          if (!starDigitsBracket(p, escaped, i + 2)) {
            if (delim === ':') throw new AppletError(`invalid character class ${quote(printable(operand))}`);
            throw new AppletError(`${printable(operand)}: equivalence class operand must be a single character`);
          }
        }
      }
      const repeat = bracketedRepeat(p, escaped, i + 1);
      if (repeat) {
        out.push({ t: 'repeat', c: repeat.c, count: repeat.count });
        i = repeat.close + 1;
        continue;
      }
    }
    if (is(i + 1, '-')) {
      const lo = p[i]!;
      const hi = p[i + 2]!;
      if (hi < lo) {
        throw new AppletError(`range-endpoints of '${printableChar(lo)}-${printableChar(hi)}' are in reverse collating sequence order`);
      }
      out.push({ t: 'range', lo, hi });
      i += 3;
    } else out.push({ t: 'char', c: p[i++]! });
  }
  for (; i < len; i++) out.push({ t: 'char', c: p[i]! });
  return out;
}

/** `*digits]` at idx (a failed [:…:] or [=…=] that may still be a repeat like [:*3]). */
function starDigitsBracket(p: number[], escaped: boolean[], idx: number): boolean {
  if (p[idx] !== 42 || escaped[idx]) return false;
  for (let i = idx + 1; i < p.length; i++) {
    if (!(p[i]! >= 48 && p[i]! <= 57) || escaped[i]) return p[i] === 93 && !escaped[i];
  }
  return false;
}

/** [c*] or [c*n] starting at start (the c): the character, the count (0 for none) and the `]`. */
function bracketedRepeat(p: number[], escaped: boolean[], start: number): { c: number; count: number; close: number } | undefined {
  if (p[start + 1] !== 42 || escaped[start + 1]) return undefined;
  for (let i = start + 2; i < p.length && !escaped[i]; i++) {
    if (p[i] !== 93) continue;
    const digits = String.fromCharCode(...p.slice(start + 2, i));
    let count = 0;
    if (digits !== '') {
      const octal = digits.startsWith('0');
      const valid = octal ? /^[0-7]+$/.test(digits) : /^[0-9]+$/.test(digits);
      count = valid ? parseInt(digits, octal ? 8 : 10) : NaN;
      if (!valid || !Number.isSafeInteger(count)) {
        throw new AppletError(`invalid repeat count ${quote(printable(digits))} in [c*n] construct`);
      }
    }
    return { c: p[start]!, count, close: i };
  }
  return undefined;
}

function printableChar(c: number): string {
  return c >= 32 && c < 127 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
}

function printable(s: string): string {
  const names: Record<number, string> = { 92: '\\\\', 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
  let out = '';
  for (let i = 0; i < s.length; i++) out += names[s.charCodeAt(i)] ?? printableChar(s.charCodeAt(i));
  return out;
}
