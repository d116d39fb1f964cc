// libeinfo: the ` * message` lines every OpenRC tool and init script prints, with libeinfo's rules
// for quietness, verbosity, indentation, colour and the status column of eend. The environment
// plays the part it plays for the C library: EINFO_QUIET, EERROR_QUIET, EINFO_VERBOSE,
// EINFO_COLOR, EINFO_INDENT, EINFO_LASTCMD, COLUMNS and TERM are read from it (and the last two
// EINFO_ variables written to it) as getenv/setenv would.
import type { Env } from '../../core/env.js';

/** Where an Einfo writes, and what it knows about the descriptors. */
export interface EinfoOut {
  write(fd: 1 | 2, text: string): void | Promise<void>;
  isatty(fd: 0 | 1 | 2): boolean;
  /** The terminal width of fd 1 or 2, when it is a terminal that reports one. */
  columns(fd: 1 | 2): number | undefined;
}

export const enum Color {
  Good,
  Warn,
  Bad,
  Hilite,
  Bracket,
  Normal,
}

// libeinfo's defaults: colour number per kind (bold), in Color order.
const DEFAULT_COLORS = [2, 3, 1, 6, 4];
const COLOR_NAMES = ['good', 'warn', 'bad', 'hilite', 'bracket'];

// Terminals libeinfo (built without termcap, as Debian's and Alpine's are) knows to do colour;
// any TERM containing "color" does too.
const COLOR_TERMS = new Set([
  'Eterm', 'ansi', 'con132x25', 'con132x30', 'con132x43', 'con132x60', 'con80x25', 'con80x28', 'con80x30',
  'con80x43', 'con80x50', 'con80x60', 'cons25', 'console', 'cygwin', 'dtterm', 'gnome', 'konsole', 'kterm',
  'linux', 'linux-c', 'mlterm', 'putty', 'rxvt', 'rxvt-cygwin', 'rxvt-cygwin-native', 'rxvt-unicode',
  'screen', 'screen-bce', 'screen-w', 'screen.linux', 'vt100', 'vt220', 'wsvt25', 'xterm', 'xterm-debian',
]);

const INDENT_MAX = 40;
const INDENT_WIDTH = 2;

const YES = new Set(['yes', 'y', 'true', 'on', '1']);
const NO = new Set(['no', 'n', 'false', 'off', '0']);

/** rc_yesno: YES, Y, TRUE, ON or 1 in any case. */
export function yesno(value: string | undefined): boolean {
  return value !== undefined && YES.has(value.toLowerCase());
}

/** True for an explicit no (NO, N, FALSE, OFF, 0). */
export function isNo(value: string | undefined): boolean {
  return value !== undefined && NO.has(value.toLowerCase());
}

/** C's strtoimax(s, &end, base) where the whole string must be a number: undefined otherwise. */
function parseIntC(s: string, base0 = false): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) return undefined;
  const digits = m[2]!;
  let n: number;
  if (base0 && /^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16);
  else if (base0 && digits.startsWith('0')) n = digits.length > 1 ? parseInt(digits, 8) : 0;
  else n = parseInt(digits, 10);
  return m[1] === '-' ? -n : n;
}

export class Einfo {
  /** Colour escapes per Color, computed once TERM says the terminal does colour. */
  private palette: string[] | undefined;
  private termChecked = false;
  private termColours = false;

  constructor(
    /** The process environment this output belongs to (read, and written as the C library does). */
    readonly env: Env,
    private readonly out: EinfoOut,
    /** A prefix before each line (rc_parallel's service name); unused unless set. */
    private prefix?: string,
  ) {}

  // ---- settings read from the environment

  get quiet(): boolean {
    return yesno(this.env.get('EINFO_QUIET'));
  }
  get reallyQuiet(): boolean {
    return yesno(this.env.get('EERROR_QUIET'));
  }
  get verbose(): boolean {
    return yesno(this.env.get('EINFO_VERBOSE'));
  }

  /** Whether output on fd is coloured: a terminal, EINFO_COLOR not a no, TERM a colour terminal. */
  colour(fd: 0 | 1 | 2 | undefined): boolean {
    if (fd === undefined || !this.out.isatty(fd)) return false;
    if (isNo(this.env.get('EINFO_COLOR'))) return false;
    if (!this.termChecked) {
      this.termChecked = true;
      const term = this.env.get('TERM');
      this.termColours = term !== undefined && (term.includes('color') || COLOR_TERMS.has(term));
    }
    return this.termColours;
  }

  /** The escape for a colour, as ecolor() gives it: empty unless a standard stream is a colour terminal. */
  ecolor(color: Color): string {
    const fd = this.out.isatty(1) ? 1 : this.out.isatty(2) ? 2 : this.out.isatty(0) ? 0 : undefined;
    return this.colorFor(fd, color);
  }

  private colorFor(fd: 0 | 1 | 2 | undefined, color: Color): string {
    if (!this.colour(fd)) return '';
    this.palette ??= this.makePalette();
    return this.palette[color]!;
  }

  /** EINFO_COLOR may override colours as `good=2;1:bad=1;0:` (colour number; 0 after ; = not bold). */
  private makePalette(): string[] {
    const spec = this.env.get('EINFO_COLOR');
    const palette: string[] = [];
    for (let i = 0; i < DEFAULT_COLORS.length; i++) {
      let bold = '\x1b[1m';
      let c = DEFAULT_COLORS[i]!;
      const at = spec?.indexOf(COLOR_NAMES[i]!) ?? -1;
      if (spec && at >= 0 && spec[at + COLOR_NAMES[i]!.length] === '=') {
        const value = spec.slice(at + COLOR_NAMES[i]!.length + 1).split(':')[0]!;
        c = parseInt(value, 10) || 0;
        const semi = value.indexOf(';');
        if (semi >= 0 && value[semi + 1] === '0') bold = '\x1b[m';
      }
      palette.push(`${bold}\x1b[3${c & 7}m`);
    }
    palette.push('\x1b[m');
    return palette;
  }

  /** Terminal width for fd: COLUMNS when it is a whole number, else the terminal's, else 80. */
  columns(fd: 1 | 2): number {
    const env = this.env.get('COLUMNS');
    if (env !== undefined) {
      if (env === '') return 0;
      const n = /^[ \t]*[+-]?\d+$/.test(env) ? parseInt(env, 10) : undefined;
      if (n !== undefined) return n;
    }
    return this.out.columns(fd) ?? 80;
  }

  private indent(): string {
    const env = this.env.get('EINFO_INDENT');
    if (env === undefined) return '';
    let amount = parseIntC(env, true) ?? 0;
    if (amount < 0) amount = 0;
    if (amount > INDENT_MAX) amount = INDENT_MAX;
    return ' '.repeat(amount);
  }

  private setLastCmd(cmd: string): void {
    this.env.set('EINFO_LASTCMD', cmd);
  }

  /** One message line's start: ` * ` (coloured) + indent + text. Returns the width libeinfo counts. */
  private async line(fd: 1 | 2, color: Color, text: string): Promise<number> {
    const last = this.env.get('EINFO_LASTCMD');
    let s = '';
    const colour = this.colour(fd);
    // A message after one that left its line open (ebegin, einfon ...) starts on a new line.
    if (last && !colour && last !== 'ewarn' && last.endsWith('n')) s += '\n';
    if (this.prefix) s += `${this.colorFor(fd, color)}${this.prefix}${this.colorFor(fd, Color.Normal)}|`;
    s += ` ${this.colorFor(fd, color)}*${this.colorFor(fd, Color.Normal)} `;
    const indent = this.indent();
    s += indent + text;
    if (colour) s += '\x1b[K';
    await this.out.write(fd, s);
    return indent.length + text.length + 3;
  }

  // ---- the functions

  async einfon(text?: string): Promise<number> {
    if (text === undefined || this.quiet) return 0;
    await this.line(1, Color.Good, text);
    this.setLastCmd('einfon');
    return 0;
  }
  async ewarnn(text?: string): Promise<number> {
    if (text === undefined || this.quiet) return 0;
    await this.line(2, Color.Warn, text);
    this.setLastCmd('ewarnn');
    return 0;
  }
  async eerrorn(text?: string): Promise<number> {
    if (text === undefined || this.reallyQuiet) return 1;
    await this.line(2, Color.Bad, text);
    this.setLastCmd('errorn');
    return 1;
  }
  async einfo(text?: string): Promise<number> {
    if (text === undefined || this.quiet) return 0;
    await this.line(1, Color.Good, text);
    await this.out.write(1, '\n');
    this.setLastCmd('einfo');
    return 0;
  }
  async ewarn(text?: string): Promise<number> {
    if (text === undefined || this.quiet) return 0;
    await this.line(2, Color.Warn, text);
    await this.out.write(2, '\n');
    this.setLastCmd('ewarn');
    return 0;
  }
  async eerror(text?: string): Promise<number> {
    if (text === undefined || this.reallyQuiet) return 1;
    await this.line(2, Color.Bad, text);
    await this.out.write(2, '\n');
    this.setLastCmd('eerror');
    return 1;
  }
  async ebegin(text?: string): Promise<number> {
    if (text === undefined || this.quiet) return 0;
    await this.line(1, Color.Good, text);
    await this.out.write(1, this.colour(1) ? ' ...\n' : ' ...');
    this.setLastCmd('ebegin');
    return 0;
  }
  /** eend and ewend: the status column; a failure's message first (as an error, or a warning for ewend). */
  async eend(status: number, text?: string, warn = false): Promise<number> {
    if (this.quiet) return status;
    await this.doEend(status, text, warn);
    this.setLastCmd(warn ? 'ewend' : 'eend');
    return status;
  }

  // The verbose variants print only under EINFO_VERBOSE.
  async einfovn(text?: string): Promise<number> {
    if (text === undefined || !this.verbose) return 0;
    await this.line(1, Color.Good, text);
    this.setLastCmd('einfovn');
    return 0;
  }
  async ewarnvn(text?: string): Promise<number> {
    if (text === undefined || !this.verbose) return 0;
    await this.line(2, Color.Warn, text);
    this.setLastCmd('ewarnvn');
    return 0;
  }
  async einfov(text?: string): Promise<number> {
    if (text === undefined || !this.verbose) return 0;
    await this.line(1, Color.Good, text);
    await this.out.write(1, '\n');
    this.setLastCmd('einfov');
    return 0;
  }
  async ewarnv(text?: string): Promise<number> {
    if (text === undefined || !this.verbose) return 0;
    await this.line(2, Color.Warn, text);
    // libeinfo ends this warning's line on stdout
    await this.out.write(1, '\n');
    this.setLastCmd('ewarnv');
    return 0;
  }
  async ebeginv(text?: string): Promise<number> {
    if (text === undefined || !this.verbose) return 0;
    await this.line(1, Color.Good, text);
    await this.out.write(1, this.colour(1) ? ' ...\n' : ' ...');
    this.setLastCmd('ebeginv');
    return 0;
  }
  async eendv(status: number, text?: string, warn = false): Promise<number> {
    if (!this.verbose) return 0;
    await this.doEend(status, text, warn);
    this.setLastCmd(warn ? 'ewendv' : 'eendv');
    return status;
  }

  eindent(): void {
    const env = this.env.get('EINFO_INDENT');
    let amount = env === undefined ? 0 : (parseIntC(env, true) ?? 0);
    amount = Math.min(amount + INDENT_WIDTH, INDENT_MAX);
    this.env.set('EINFO_INDENT', String(amount).padStart(8, '0'));
  }
  eoutdent(): void {
    const env = this.env.get('EINFO_INDENT');
    if (env === undefined) return;
    const amount = (parseIntC(env, true) ?? 0) - INDENT_WIDTH;
    if (amount <= 0) this.env.delete('EINFO_INDENT');
    else this.env.set('EINFO_INDENT', String(amount).padStart(8, '0'));
  }

  private async doEend(status: number, text: string | undefined, warn: boolean): Promise<void> {
    let col = 0;
    let fd: 1 | 2 = 1;
    if (text && status !== 0) {
      fd = 2;
      col = await this.line(2, warn ? Color.Warn : Color.Bad, text);
      await this.out.write(2, '\n');
      col += 1;
    }
    await this.ebracket(fd, col, status === 0 ? Color.Good : Color.Bad, status === 0 ? 'ok' : '!!');
  }

  /** The `[ msg ]` column: moved up and right on a colour terminal, else padded after what is there. */
  async ebracket(fd: 1 | 2, col: number, color: Color, msg: string): Promise<void> {
    let cols = this.columns(fd) - (msg.length + 5);
    if (this.env.get('TERM') === 'cons25') cols--;
    if (cols > 0 && this.colour(fd)) {
      const b = this.ecolor(Color.Bracket);
      await this.out.write(fd, `\x1b[A\x1b[${cols}C ${b}[${this.ecolor(color)} ${msg} ${b}]${this.ecolor(Color.Normal)}\n`);
      return;
    }
    const pad = col > 0 && cols - col > 0 ? ' '.repeat(cols - col) : '';
    await this.out.write(fd, `${pad} [ ${msg} ]\n`);
  }
}

/** An EinfoOut over an applet's context. */
export function contextOut(ctx: {
  stdout: { write(s: string): Promise<void>; fd?: number };
  stderr: { write(s: string): Promise<void>; fd?: number };
  stdin: { fd?: number };
  host: { isatty(fd: number): boolean; terminalSize(fd: number): { columns: number } | undefined };
}): EinfoOut {
  const fdOf = (fd: 0 | 1 | 2) => (fd === 0 ? ctx.stdin.fd : fd === 1 ? ctx.stdout.fd : ctx.stderr.fd);
  return {
    write: (fd, text) => (fd === 1 ? ctx.stdout : ctx.stderr).write(text),
    isatty(fd) {
      const real = fdOf(fd);
      return real !== undefined && ctx.host.isatty(real);
    },
    columns(fd) {
      const real = fdOf(fd);
      if (real === undefined || !ctx.host.isatty(real)) return undefined;
      return ctx.host.terminalSize(real)?.columns;
    },
  };
}
