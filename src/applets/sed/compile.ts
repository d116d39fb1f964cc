// sed scripts → commands, read as GNU sed 4.9 reads them: the same grammar (addresses, one-line and
// POSIX a/i/c, labels, blocks, s and y with any delimiter), the same escapes (\n \t \xHH \dNNN \oNNN
// \cX) and the same messages with their positions (`-e expression #1, char 5: ...`).
import { AppletError } from '../../core/errors.js';
import { Regex, RegexSyntaxError, dfaVerdict } from '../../core/regex.js';

export type Posixicity = 'extended' | 'correct' | 'basic';

export interface SedSettings {
  extended: boolean;
  posix: Posixicity;
  sandbox: boolean;
  /** -z: lines end in NUL */
  delimiter: string;
}

/** A regex of an address or s command; null means "the last regex used". */
export interface SedRegex {
  regex: Regex;
  /** The M flag. */
  multiline: boolean;
  /** The same pattern for a buffer of many lines (newline-separated), where each line is one
   *  pattern space: what the whole-buffer fast path of a lone `s` command searches. */
  lineRegex(): Regex;
}

export type AddrType = 'num' | 'step' | 'last' | 'regex' | 'plus' | 'tilde' | 'null';

export interface Addr {
  type: AddrType;
  n: number;
  step: number;
  regex: SedRegex | null;
}

/** One piece of a replacement: literal text, then a group (or -1), with case conversion flags. */
export interface ReplPiece {
  prefix: string;
  group: number;
  type: number;
}

export const REPL_ASIS = 0;
export const REPL_UPPERCASE = 1;
export const REPL_LOWERCASE = 2;
export const REPL_UPPERCASE_FIRST = 4;
export const REPL_LOWERCASE_FIRST = 8;
export const REPL_MODIFIERS = REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST;

export interface Subst {
  regex: SedRegex | null;
  replacement: ReplPiece[];
  /** Highest group the replacement refers to. */
  maxGroup: number;
  global: boolean;
  /** 1: print before e, 2: after */
  print: number;
  eval: boolean;
  nth: number;
  outFile?: OutputFile;
}

/** A file written by w/W or s///w, opened once for the whole run (`/dev/stdout` is stdout). */
export interface OutputFile {
  name: string;
  special?: 'stdout' | 'stderr';
  fd?: number;
  missingNewline: boolean;
}

/** A file read line by line by R. */
export interface InputFile {
  name: string;
  fd?: number;
  buffer: string;
  eof: boolean;
}

export interface Cmd {
  a1?: Addr;
  a2?: Addr;
  bang: boolean;
  cmd: string;
  range: 'inactive' | 'active' | 'closed';
  text?: string;
  label?: string;
  jump?: number;
  int?: number;
  subst?: Subst;
  translate?: Uint8Array;
  fileName?: string;
  readAppend?: boolean;
  outFile?: OutputFile;
  inFile?: InputFile;
}

export interface Program {
  cmds: Cmd[];
  /** `#n` on the first line of the script. */
  quiet: boolean;
  outputs: Map<string, OutputFile>;
  inputs: Map<string, InputFile>;
  /** Where errors found while running are reported (GNU keeps its last compile position). */
  lastLocation: string;
}

/** A script piece: a -e string or a -f file's text. */
export interface ScriptPiece {
  text: string;
  /** -f file name; undefined for -e (numbered expressions). */
  file?: string;
}

const EOF = -1;

/** Errors in the script: `sed: -e expression #1, char 3: message`, status 1. */
export class SedScriptError extends AppletError {}

const isBlank = (c: number) => c === 0x20 || c === 0x09;
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

export class Compiler {
  private cmds: Cmd[] = [];
  private blocks: { index: number; location: string }[] = [];
  private labels: { name: string; index: number }[] = [];
  private jumps: { name: string; index: number }[] = [];
  private pendingText: string | null = null;
  private pendingCmd: Cmd | null = null;
  private quiet = false;
  private firstScript = true;
  private exprCount = 0;
  private outputs = new Map<string, OutputFile>();
  private inputs = new Map<string, InputFile>();
  // The current piece.
  private src = '';
  private pos = 0;
  private file: string | undefined;
  private line = 0;

  constructor(private readonly settings: SedSettings) {}

  /** Compile every piece, then check labels and blocks (GNU's check_final_program). */
  compile(pieces: ScriptPiece[]): Program {
    for (const piece of pieces) this.compilePiece(piece);
    if (this.blocks.length) {
      const block = this.blocks[this.blocks.length - 1]!;
      throw new SedScriptError(`${block.location}: unmatched \`{'`);
    }
    if (this.pendingText !== null && this.pendingCmd) {
      this.pendingCmd.text = this.pendingText;
      this.pendingText = null;
    }
    for (const jump of this.jumps) {
      const label = this.labels.find((l) => l.name === jump.name);
      if (label) this.cmds[jump.index]!.jump = label.index;
      else if (jump.name) throw new AppletError(`can't find label for jump to \`${jump.name}'`, 4);
      else this.cmds[jump.index]!.jump = this.cmds.length;
    }
    return { cmds: this.cmds, quiet: this.quiet, outputs: this.outputs, inputs: this.inputs, lastLocation: this.location(true) };
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** Where we are, as GNU words it. After compiling (unmatched `{`, errors while running) GNU no
   *  longer has a position in the text and says char 0. */
  private location(done = false): string {
    return this.file !== undefined
      ? `file ${this.file} line ${this.line}`
      : `-e expression #${this.exprCount}, char ${done ? 0 : this.pos}`;
  }

  private bad(message: string): never {
    throw new SedScriptError(`${this.location()}: ${message}`);
  }

  private inchar(): number {
    if (this.pos >= this.src.length) return EOF;
    const c = this.src.charCodeAt(this.pos++);
    if (c === 0x0a) this.line++;
    return c;
  }

  private savchar(c: number): void {
    if (c === EOF) return;
    if (c === 0x0a && this.line > 0) this.line--;
    this.pos--;
  }

  private inNonblank(): number {
    let c: number;
    do c = this.inchar();
    while (isBlank(c));
    return c;
  }

  private readEndOfCmd(): void {
    const c = this.inNonblank();
    if (c === 0x7d || c === 0x23) this.savchar(c);
    else if (c !== EOF && c !== 0x0a && c !== 0x3b) this.bad('extra characters after command');
  }

  private inInteger(c: number): number {
    let n = 0;
    while (isDigit(c)) {
      n = Math.min(Number.MAX_SAFE_INTEGER, n * 10 + c - 0x30);
      c = this.inchar();
    }
    this.savchar(c);
    return n;
  }

  // ---- the program ------------------------------------------------------------------------------

  private compilePiece(piece: ScriptPiece): void {
    this.src = piece.text;
    this.pos = 0;
    this.file = piece.file;
    if (piece.file === undefined) {
      this.exprCount++;
      this.line = 0;
    } else this.line = 1;
    if (this.pendingText !== null) this.readText(null, 0x0a);
    for (;;) {
      let c: number;
      while ((c = this.inchar()) === 0x3b || isSpace(c));
      if (c === EOF) break;
      const cmd: Cmd = { bang: false, cmd: '', range: 'inactive' };
      const a1 = this.compileAddress(c);
      if (a1) {
        if (a1.type === 'plus' || a1.type === 'tilde') this.bad('invalid usage of +N or ~N as first address');
        cmd.a1 = a1;
        c = this.inNonblank();
        if (c === 0x2c) {
          const a2 = this.compileAddress(this.inNonblank());
          if (!a2) this.bad("unexpected `,'");
          cmd.a2 = a2;
          c = this.inNonblank();
        }
        if (
          cmd.a1.type === 'num' &&
          cmd.a1.n === 0 &&
          ((!cmd.a2 && c !== 0x72) || (cmd.a2 && cmd.a2.type !== 'regex') || this.settings.posix === 'basic')
        ) {
          this.bad('invalid usage of line address 0');
        }
      }
      if (c === 0x21) {
        cmd.bang = true;
        c = this.inNonblank();
        if (c === 0x21) this.bad("multiple `!'s");
      }
      const ch = c === EOF ? '' : String.fromCharCode(c);
      if (this.settings.posix === 'basic') {
        if ('eFvzLQTRW'.includes(ch) && ch) this.bad(`unknown command: \`${ch}'`);
        if ('ail=r'.includes(ch) && ch && cmd.a2) this.bad('command only uses one address');
      }
      cmd.cmd = ch;
      switch (ch) {
        case '#':
          if (cmd.a1) this.bad("comments don't accept any addresses");
          c = this.inchar();
          if (c === 0x6e && this.firstScript && this.line < 2 && this.pos === 2 && (this.src.length === 2 || this.src[2] === '\n')) {
            this.quiet = true;
          }
          while (c !== EOF && c !== 0x0a) c = this.inchar();
          continue;
        case 'v': {
          const version = this.readLabel();
          if (compareVersions(version || '4.0', '4.9') > 0) this.bad('expected newer version of sed');
          continue;
        }
        case '{':
          this.blocks.push({ index: this.cmds.length, location: this.location(true) });
          cmd.bang = !cmd.bang;
          break;
        case '}':
          if (!this.blocks.length) this.bad("unexpected `}'");
          if (cmd.a1) this.bad("`}' doesn't want any addresses");
          this.readEndOfCmd();
          this.cmds[this.blocks.pop()!.index]!.jump = this.cmds.length;
          break;
        case 'e':
          if (this.settings.sandbox) this.bad('e/r/w commands disabled in sandbox mode');
          c = this.inNonblank();
          if (c === EOF || c === 0x0a) {
            cmd.text = '';
            break;
          }
          this.readTextAfter(cmd, c);
          break;
        case 'a':
        case 'i':
        case 'c':
          c = this.inNonblank();
          this.readTextAfter(cmd, c);
          break;
        case ':': {
          if (cmd.a1) this.bad(': doesn\'t want any addresses');
          const label = this.readLabel();
          if (!label) this.bad('":" lacks a label');
          this.labels.push({ name: label, index: this.cmds.length });
          break;
        }
        case 'T':
        case 'b':
        case 't':
          this.jumps.push({ name: this.readLabel(), index: this.cmds.length });
          break;
        case 'Q':
        case 'q':
        case 'L':
        case 'l':
          if ((ch === 'q' || ch === 'Q') && cmd.a2) this.bad('command only uses one address');
          c = this.inNonblank();
          if (isDigit(c) && this.settings.posix !== 'basic') cmd.int = this.inInteger(c);
          else {
            cmd.int = -1;
            this.savchar(c);
          }
          this.readEndOfCmd();
          break;
        case '=':
        case 'd':
        case 'D':
        case 'F':
        case 'g':
        case 'G':
        case 'h':
        case 'H':
        case 'n':
        case 'N':
        case 'p':
        case 'P':
        case 'z':
        case 'x':
          this.readEndOfCmd();
          break;
        case 'r': {
          const name = this.readFilename();
          if (!name) this.bad('missing filename in r/R/w/W commands');
          cmd.fileName = name;
          if (cmd.a1 && cmd.a1.type === 'num' && cmd.a1.n === 0 && !cmd.a2) {
            cmd.a1.n = 1; // 0r FILE: insert before the first line
            cmd.readAppend = false;
          } else cmd.readAppend = true;
          break;
        }
        case 'R':
          cmd.inFile = this.openInput();
          break;
        case 'W':
        case 'w':
          cmd.outFile = this.openOutput();
          break;
        case 's':
          cmd.subst = this.compileSubst();
          break;
        case 'y':
          cmd.translate = this.compileTranslate();
          break;
        default:
          this.bad(ch ? `unknown command: \`${ch}'` : 'missing command');
      }
      this.cmds.push(cmd);
    }
    if (this.settings.posix === 'basic' && this.pendingText !== null) this.bad('incomplete command');
    this.firstScript = false;
  }

  private compileAddress(c: number): Addr | null {
    const addr: Addr = { type: 'null', n: -1, step: 0, regex: null };
    if (c === 0x2f || c === 0x5c) {
      addr.type = 'regex';
      if (c === 0x5c) c = this.inchar();
      const body = this.matchSlash(c, true);
      if (body === null) this.bad('unterminated address regex');
      let flags = '';
      for (;;) {
        c = this.inNonblank();
        if (this.settings.posix !== 'basic' && c === 0x49 /* I */) flags += 'I';
        else if (this.settings.posix !== 'basic' && c === 0x4d /* M */) flags += 'M';
        else {
          this.savchar(c);
          addr.regex = this.compileRegex(body, flags, 0);
          return addr;
        }
      }
    }
    if (isDigit(c)) {
      addr.n = this.inInteger(c);
      addr.type = 'num';
      c = this.inNonblank();
      if (c !== 0x7e /* ~ */ || this.settings.posix === 'basic') this.savchar(c);
      else {
        const step = this.inInteger(this.inNonblank());
        if (step > 0) {
          addr.step = step;
          addr.type = 'step';
        }
      }
      return addr;
    }
    if ((c === 0x2b || c === 0x7e) && this.settings.posix !== 'basic') {
      addr.step = this.inInteger(this.inNonblank());
      if (addr.step !== 0) addr.type = c === 0x2b ? 'plus' : 'tilde';
      return addr;
    }
    if (c === 0x24) {
      addr.type = 'last';
      return addr;
    }
    return null;
  }

  /** Text up to an unescaped delimiter (GNU's match_slash); null if the line or script ends first.
   *  An escaped delimiter loses its backslash (in a replacement `\&` keeps it); brackets in a
   *  regex are skipped whole, so `s/[/]/x/` works. */
  private matchSlash(slash: number, regex: boolean): string | null {
    let b = '';
    let c: number;
    while ((c = this.inchar()) !== EOF && c !== 0x0a) {
      if (c === slash) return b;
      if (c === 0x5c) {
        c = this.inchar();
        if (c === EOF) break;
        if (c !== 0x0a && (c !== slash || (!regex && c === 0x26))) b += '\\';
      } else if (c === 0x5b && regex) {
        b += '[';
        const r = this.snarfCharClass();
        b += r.text;
        c = r.last;
        if (c !== 0x5d) break;
      }
      b += String.fromCharCode(c);
    }
    if (c === 0x0a) this.savchar(c);
    return null;
  }

  /** The inside of a bracket expression, as sed skips it while looking for the delimiter. */
  private snarfCharClass(): { text: string; last: number } {
    let text = '';
    let state = 0;
    let delim = 0;
    let c = this.inchar();
    if (c === 0x5e) {
      text += '^';
      c = this.inchar();
    }
    if (c === 0x5d) {
      text += ']';
      c = this.inchar();
    }
    for (; ; text += String.fromCharCode(c), c = this.inchar()) {
      switch (c) {
        case EOF:
        case 0x0a:
          return { text, last: c };
        case 0x2e:
        case 0x3a:
        case 0x3d:
          if (state === 1) {
            delim = c;
            state = 2;
            continue;
          }
          if (state === 2 && c === delim) {
            state = 3;
            continue;
          }
          break;
        case 0x5b:
          if (state === 0) state = 1;
          continue;
        case 0x5d:
          if (state === 0 || state === 1) return { text, last: c };
          if (state === 3) state = 0;
          break;
      }
      state &= ~1;
    }
  }

  private compileRegex(body: string, flags: string, neededGroups: number): SedRegex | null {
    if (body.length === 0) {
      if (flags) this.bad('cannot specify modifiers on empty regexp');
      return null;
    }
    const pattern = this.normalize(body, 'regex');
    const dialect = this.settings.posix === 'basic' ? 'sed-posix' : 'sed';
    let regex: Regex;
    const regexOptions = {
      extended: this.settings.extended,
      dialect,
      ignoreCase: flags.includes('I'),
      multiline: flags.includes('M'),
    } as const;
    try {
      regex = new Regex(pattern, regexOptions);
    } catch (err) {
      if (err instanceof RegexSyntaxError) this.bad(err.message);
      throw err;
    }
    if (neededGroups > 0 && regex.groups < neededGroups - 1 && this.settings.posix === 'extended') {
      this.bad(`invalid reference \\${neededGroups - 1} on \`s' command's RHS`);
    }
    const verdict = dfaVerdict(pattern, dialect, this.settings.extended);
    if (verdict.error) throw new AppletError(verdict.error, 4);
    let perLine: Regex | undefined;
    const options = { ...regexOptions, separator: '\n' };
    return { regex, multiline: flags.includes('M'), lineRegex: () => (perLine ??= new Regex(pattern, options)) };
  }

  /** GNU's normalize_text: \a \f \n \r \t \v \dNNN \oNNN \xHH \cX become the bytes they name. In a
   *  regex or replacement other escapes pass through; in a/i/c text the backslash goes. */
  private normalize(text: string, kind: 'regex' | 'replacement' | 'text' | 'y'): string {
    let out = '';
    let bracket = 0; // POSIX modes: no conversion inside bracket expressions
    for (let i = 0; i < text.length; ) {
      const ch = text[i]!;
      if (ch === '\\' && i + 1 < text.length && bracket === 0) {
        const e = text[i + 1]!;
        const simple: Record<string, string> = { a: '\x07', f: '\f', '\n': '\n', n: '\n', r: '\r', t: '\t', v: '\v' };
        if (e in simple) {
          out += simple[e];
          i += 2;
          continue;
        }
        if (e === 'd' || e === 'x' || e === 'o') {
          const base = e === 'd' ? 10 : e === 'x' ? 16 : 8;
          const r = convertNumber(text, i + 1, base);
          if (kind === 'replacement' && (r.char === '&' || r.char === '\\')) out += '\\';
          out += r.char;
          i = r.end;
          continue;
        }
        if (e === 'c') {
          if (i + 2 < text.length) {
            const x = text.charCodeAt(i + 2);
            out += String.fromCharCode((x >= 0x61 && x <= 0x7a ? x - 32 : x) ^ 0x40);
            i += 3;
            if (x === 0x5c) {
              if (text[i] !== '\\') this.bad('recursive escaping after \\c not allowed');
              i++;
            }
            continue;
          }
          if (kind !== 'text') out += '\\';
          i += 1;
          continue;
        }
        if (kind !== 'text') out += '\\';
        out += e;
        i += 2;
        continue;
      }
      if (kind === 'regex' && this.settings.posix !== 'extended') {
        if (ch === '[') {
          if (!bracket) bracket = -1;
        } else if ((ch === ':' || ch === '.' || ch === '=') && bracket === -1 && text[i - 1] === '[') {
          bracket = ch.charCodeAt(0);
        } else if (ch === ']') {
          if (bracket === -1) bracket = 0;
          else if (bracket > 0 && text.charCodeAt(i - 2) !== bracket && text.charCodeAt(i - 1) === bracket) bracket = -1;
        }
      }
      out += ch;
      i++;
    }
    return out;
  }

  private compileSubst(): Subst {
    const slash = this.inchar();
    const re = this.matchSlash(slash, true);
    if (re === null) this.bad("unterminated `s' command");
    const rhs = this.matchSlash(slash, false);
    if (rhs === null) this.bad("unterminated `s' command");
    const sub: Subst = { regex: null, replacement: [], maxGroup: 0, global: false, print: 0, eval: false, nth: 0 };
    this.setupReplacement(sub, rhs);
    let flags = '';
    for (;;) {
      const c = this.inNonblank();
      if (c === 0x69 || c === 0x49) {
        if (this.settings.posix === 'basic') this.bad("unknown option to `s'");
        flags += 'I';
      } else if (c === 0x6d || c === 0x4d) {
        if (this.settings.posix === 'basic') this.bad("unknown option to `s'");
        flags += 'M';
      } else if (c === 0x65) {
        if (this.settings.posix === 'basic') this.bad("unknown option to `s'");
        sub.eval = true;
      } else if (c === 0x70) {
        if (sub.print) this.bad("multiple `p' options to `s' command");
        sub.print |= 1 << (sub.eval ? 1 : 0);
      } else if (c === 0x67) {
        if (sub.global) this.bad("multiple `g' options to `s' command");
        sub.global = true;
      } else if (c === 0x77) {
        sub.outFile = this.openOutput();
        break;
      } else if (isDigit(c)) {
        if (sub.nth) this.bad("multiple number options to `s' command");
        sub.nth = this.inInteger(c);
        if (!sub.nth) this.bad("number option to `s' command may not be zero");
      } else if (c === 0x7d || c === 0x23) {
        this.savchar(c);
        break;
      } else if (c === EOF || c === 0x0a || c === 0x3b) break;
      else if (c === 0x0d && this.inchar() === 0x0a) break;
      else this.bad("unknown option to `s'");
    }
    sub.regex = this.compileRegex(re, flags, sub.maxGroup + 1);
    if (sub.eval && this.settings.sandbox) this.bad('e/r/w commands disabled in sandbox mode');
    return sub;
  }

  /** GNU's setup_replacement: & and \1–\9, \L \U \E \l \u, other escapes give the character. */
  private setupReplacement(sub: Subst, raw: string): void {
    const text = this.normalize(raw, 'replacement');
    let type = REPL_ASIS;
    let saveType = REPL_ASIS;
    let base = 0;
    const pieces: ReplPiece[] = [];
    let prefix = '';
    const flush = (group: number) => {
      pieces.push({ prefix, group, type });
      prefix = '';
    };
    for (let p = 0; p < text.length; p++) {
      const ch = text[p]!;
      if (ch === '\\') {
        prefix += text.slice(base, p);
        flush(-1);
        const piece = pieces[pieces.length - 1]!;
        type = saveType;
        p++;
        if (p === text.length) {
          piece.prefix += '\\';
        } else if (this.settings.posix === 'basic' && !isDigit(text.charCodeAt(p))) {
          piece.prefix += text[p];
        } else {
          const e = text[p]!;
          if (isDigit(e.charCodeAt(0))) {
            piece.group = e.charCodeAt(0) - 0x30;
            sub.maxGroup = Math.max(sub.maxGroup, piece.group);
          } else if (e === 'L') type = saveType = REPL_LOWERCASE;
          else if (e === 'U') type = saveType = REPL_UPPERCASE;
          else if (e === 'E') type = saveType = REPL_ASIS;
          else if (e === 'l') {
            saveType = type;
            type |= REPL_LOWERCASE_FIRST;
          } else if (e === 'u') {
            saveType = type;
            type |= REPL_UPPERCASE_FIRST;
          } else piece.prefix += e;
        }
        base = p + 1;
      } else if (ch === '&') {
        prefix += text.slice(base, p);
        flush(0);
        type = saveType;
        base = p + 1;
      }
    }
    if (base < text.length) {
      prefix += text.slice(base);
      flush(-1);
    }
    // The type each piece was created with is the one in force before its escape (GNU assigns the
    // type when the piece is made); keep pieces as built.
    sub.replacement = pieces;
  }

  private compileTranslate(): Uint8Array {
    const slash = this.inchar();
    const src = this.matchSlash(slash, false);
    if (src === null) this.bad("unterminated `y' command");
    const from = this.unescapeY(this.normalize(src, 'y'));
    const dst = this.matchSlash(slash, false);
    if (dst === null) this.bad("unterminated `y' command");
    const to = this.unescapeY(this.normalize(dst, 'y'));
    if (from.length !== to.length) this.bad("strings for `y' command are different lengths");
    const table = new Uint8Array(256);
    for (let i = 0; i < 256; i++) table[i] = i;
    for (let i = 0; i < from.length; i++) table[from.charCodeAt(i)] = to.charCodeAt(i);
    this.readEndOfCmd();
    return table;
  }

  /** In y strings `\\` is a backslash and `\` before anything else is dropped. */
  private unescapeY(s: string): string {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\\' && i + 1 < s.length) out += s[++i];
      else out += s[i];
    }
    return out;
  }

  /** a, i, c (and e with a command): GNU one-liners (`a text`), `a\` text lines, continuations. */
  private readTextAfter(cmd: Cmd, c: number): void {
    if (c === EOF) this.bad("expected \\ after `a', `c' or `i'");
    if (c === 0x5c) c = this.inchar();
    else {
      if (this.settings.posix === 'basic') this.bad("expected \\ after `a', `c' or `i'");
      this.savchar(c);
      c = 0x0a;
    }
    this.pendingCmd = cmd;
    this.readText(cmd, c);
  }

  private readText(cmd: Cmd | null, leadin: number): void {
    if (cmd) {
      this.pendingText = '';
      this.pendingCmd = cmd;
    }
    if (leadin === EOF) return;
    let text = this.pendingText ?? '';
    if (leadin !== 0x0a) text += String.fromCharCode(leadin);
    let c = this.inchar();
    while (c !== EOF && c !== 0x0a) {
      if (c === 0x5c) {
        c = this.inchar();
        if (c !== EOF) text += '\\';
      }
      if (c === EOF) {
        this.pendingText = text + '\n';
        return;
      }
      text += String.fromCharCode(c);
      c = this.inchar();
    }
    text += '\n';
    const target = cmd ?? this.pendingCmd!;
    target.text = this.normalize(text, 'text');
    this.pendingText = null;
  }

  private readLabel(): string {
    let c = this.inNonblank();
    let label = '';
    while (c !== EOF && c !== 0x0a && !isBlank(c) && c !== 0x3b && c !== 0x7d && c !== 0x23) {
      label += String.fromCharCode(c);
      c = this.inchar();
    }
    this.savchar(c);
    return label;
  }

  private readFilename(): string {
    if (this.settings.sandbox) this.bad('e/r/w commands disabled in sandbox mode');
    let c = this.inNonblank();
    let name = '';
    while (c !== EOF && c !== 0x0a) {
      name += String.fromCharCode(c);
      c = this.inchar();
    }
    return name;
  }

  private openOutput(): OutputFile {
    const name = this.readFilename();
    if (!name) this.bad('missing filename in r/R/w/W commands');
    let out = this.outputs.get(name);
    if (!out) {
      out = { name, missingNewline: false };
      if (this.settings.posix === 'extended' && (name === '/dev/stdout' || name === '/dev/stderr')) {
        out.special = name === '/dev/stdout' ? 'stdout' : 'stderr';
      }
      this.outputs.set(name, out);
    }
    return out;
  }

  private openInput(): InputFile {
    const name = this.readFilename();
    if (!name) this.bad('missing filename in r/R/w/W commands');
    let inp = this.inputs.get(name);
    if (!inp) {
      inp = { name, buffer: '', eof: false };
      this.inputs.set(name, inp);
    }
    return inp;
  }
}

function convertNumber(text: string, at: number, base: number): { char: string; end: number } {
  // at: index of the d/o/x letter; up to 3 digits (2 for hex), while the value stays below 256
  let n = 0;
  let p = at + 1;
  for (let max = 1; p < text.length && max <= 255; p++, max *= base) {
    const d = parseInt(text[p]!, 16);
    if (Number.isNaN(d) || d >= base) break;
    n = n * base + d;
  }
  if (p === at + 1) return { char: text[at]!, end: p };
  return { char: String.fromCharCode(n & 0xff), end: p };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
