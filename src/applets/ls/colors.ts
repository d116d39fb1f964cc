// LS_COLORS: GNU ls's colour database. Without LS_COLORS, GNU's built-in defaults apply, and only
// when COLORTERM is set or TERM is one dircolors knows. Values are raw SGR parameter strings, so
// they are written as given (picocolors' fixed palette cannot express them).
import { compileGlob } from '../../core/glob.js';
import { quote } from '../../core/quote.js';

/** Two-letter indicator names, in GNU's order. */
export const INDICATORS = [
  'lc', 'rc', 'ec', 'rs', 'no', 'fi', 'di', 'ln', 'pi', 'so', 'bd', 'cd', 'mi', 'or', 'ex', 'do', 'su', 'sg', 'st', 'ow', 'tw', 'ca', 'mh', 'cl',
] as const;
export type Indicator = (typeof INDICATORS)[number];

// GNU's built-in values (undefined: not set).
const DEFAULTS: Partial<Record<Indicator, string>> = {
  lc: '\x1b[',
  rc: 'm',
  rs: '0',
  di: '01;34',
  ln: '01;36',
  pi: '33',
  so: '01;35',
  bd: '01;33',
  cd: '01;33',
  ex: '01;32',
  do: '01;35',
  su: '37;41',
  sg: '30;43',
  st: '37;44',
  ow: '34;42',
  tw: '30;42',
  cl: '\x1b[K',
};

// The TERM patterns of GNU dircolors' database: colour is on for these without LS_COLORS.
const KNOWN_TERMS = [
  'Eterm', 'ansi', '*color*', 'con[0-9]*x[0-9]*', 'cons25', 'console', 'cygwin', '*direct*', 'dtterm', 'gnome', 'hurd', 'jfbterm', 'konsole', 'kterm',
  'linux', 'linux-c', 'mlterm', 'putty', 'rxvt*', 'screen*', 'st', 'terminator', 'tmux*', 'vt100', 'xterm*',
];

interface Extension {
  ext: string;
  seq: string;
}

export class Colors {
  private readonly ind: Partial<Record<Indicator, string>> = { ...DEFAULTS };
  private extensions: Extension[] = [];
  /** ln=target: symlinks take the colour of what they point to. */
  symlinkAsReferent = false;

  /** The colours for this environment, or none when colour is off (with GNU's warnings, if any). */
  static fromEnv(env: { get(name: string): string | undefined }): { colors?: Colors; warnings: string[] } {
    const colors = new Colors();
    const spec = env.get('LS_COLORS');
    if (!spec) {
      const term = env.get('TERM');
      const known = !!term && KNOWN_TERMS.some((p) => compileGlob(p)(term));
      return env.get('COLORTERM') || known ? { colors, warnings: [] } : { warnings: [] };
    }
    const warnings = colors.parse(spec);
    return warnings.length ? { warnings } : { colors, warnings };
  }

  /** The sequence for an indicator, or undefined when it is not set. */
  get(i: Indicator): string | undefined {
    return this.ind[i];
  }

  /** Whether an indicator colours anything ("", "0" and "00" do not). */
  isColored(i: Indicator): boolean {
    const s = this.ind[i];
    if (s === undefined || s.length === 0) return false;
    if (s.length > 2) return true;
    return s[0] !== '0' || s[s.length - 1] !== '0';
  }

  /** The extension colour for a name, if one matches, ignoring case (later definitions win). */
  extensionColor(name: string): string | undefined {
    for (const e of this.extensions) {
      if (e.ext.length > name.length) continue;
      if (asciiLower(name.slice(name.length - e.ext.length)) === asciiLower(e.ext)) return e.seq;
    }
    return undefined;
  }

  /** Parse LS_COLORS; returns GNU's warnings when it cannot be used. */
  private parse(spec: string): string[] {
    let p = 0;
    const unparsable = ['unparsable value for LS_COLORS environment variable'];
    for (;;) {
      const c = spec[p];
      if (c === undefined) break;
      if (c === ':') {
        p++;
        continue;
      }
      if (c === '*') {
        const ext = funky(spec, p + 1, true);
        if (!ext || spec[ext.end] !== '=') return unparsable;
        const seq = funky(spec, ext.end + 1, false);
        if (!seq) return unparsable;
        this.extensions.unshift({ ext: ext.value, seq: seq.value });
        p = seq.end;
        continue;
      }
      const label = spec.slice(p, p + 2);
      if (label.length < 2 || spec[p + 2] !== '=') return unparsable;
      if (!(INDICATORS as readonly string[]).includes(label)) return [`unrecognized prefix: ${quote(label)}`, ...unparsable];
      const value = funky(spec, p + 3, false);
      // (GNU names the label as unrecognised when its value is bad, too)
      if (!value) return [`unrecognized prefix: ${quote(label)}`, ...unparsable];
      this.ind[label as Indicator] = value.value;
      p = value.end;
    }
    if (this.ind.ln === 'target') this.symlinkAsReferent = true;
    return [];
  }
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** GNU's escapes in LS_COLORS values: \a \b \e \f \n \r \t \v \? \_ \ooo \xHH, ^X; ends at `:`
 *  (and at `=` for an extension). */
function funky(s: string, start: number, equalsEnds: boolean): { value: string; end: number } | undefined {
  let out = '';
  let p = start;
  for (;;) {
    const c = s[p];
    if (c === undefined || c === ':' || (c === '=' && equalsEnds)) return { value: out, end: p };
    if (c === '\\') {
      p++;
      const e = s[p];
      if (e === undefined) return undefined;
      if (e >= '0' && e <= '7') {
        let n = 0;
        while (s[p]! >= '0' && s[p]! <= '7') n = ((n << 3) + Number(s[p++])) & 0xff;
        out += String.fromCharCode(n);
        continue;
      }
      if (e === 'x' || e === 'X') {
        p++;
        let n = 0;
        while (/[0-9a-fA-F]/.test(s[p] ?? '')) n = ((n << 4) + parseInt(s[p++]!, 16)) & 0xff;
        out += String.fromCharCode(n);
        continue;
      }
      const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '?': '\x7f', _: ' ' };
      out += simple[e] ?? e;
      p++;
      continue;
    }
    if (c === '^') {
      const n = s[p + 1];
      if (n !== undefined && n >= '@' && n <= '~') out += String.fromCharCode(n.charCodeAt(0) & 0x1f);
      else if (n === '?') out += '\x7f';
      else return undefined;
      p += 2;
      continue;
    }
    out += c;
    p++;
  }
}
