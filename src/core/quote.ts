// Quoting of file names for output, as gnulib's quotearg does for the GNU tools: ls --quoting-style,
// and the quoted names in every GNU message (`cannot access 'a b'`). Names are binary strings; in a
// C locale every byte ≥ 0x80 is unprintable, in a UTF-8 locale valid printable sequences pass through.

export type QuotingStyle =
  | 'literal'
  | 'shell'
  | 'shell-always'
  | 'shell-escape'
  | 'shell-escape-always'
  | 'c'
  | 'c-maybe'
  | 'escape'
  | 'locale'
  | 'clocale';

export const QUOTING_STYLES: readonly QuotingStyle[] = [
  'literal',
  'shell',
  'shell-always',
  'shell-escape',
  'shell-escape-always',
  'c',
  'c-maybe',
  'escape',
  'locale',
  'clocale',
];

export interface QuoteOptions {
  /** Decode multibyte UTF-8 (a UTF-8 locale); otherwise bytes ≥ 0x80 are unprintable (C locale). */
  utf8?: boolean;
  /** Characters to backslash-escape as well (ls -b quotes ' ', -F the indicator characters). */
  alsoQuote?: string;
  /** Drop NUL bytes instead of escaping them (what quotearg does when no size is returned). */
  elideNull?: boolean;
}

const C_ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v' };

// Characters that are harmless in every style (they cannot start a multibyte sequence either).
const SAFE = /[%+,\-./0-9:A-Z\]_a-z]/;
// Characters special to the shell: quoted under the shell styles.
const SHELL_SPECIAL = new Set('!"$&()*;<=>[^`|');

// Names made only of these need no quoting in any style (only the outer quotes of the *-always,
// c and locale styles): the common case, answered without the general algorithm.
const PLAIN = /^[%+,\-./0-9:@A-Z\]_a-z]+$/;

/** Quote `arg` in `style`. */
export function quotearg(arg: string, style: QuotingStyle, options: QuoteOptions = {}): string {
  if (PLAIN.test(arg) && !(options.alsoQuote && [...options.alsoQuote].some((c) => arg.includes(c)))) {
    switch (style) {
      case 'shell-always':
      case 'shell-escape-always':
        return `'${arg}'`;
      case 'c':
      case 'clocale':
        return options.utf8 && style === 'clocale' ? `\xe2\x80\x98${arg}\xe2\x80\x99` : `"${arg}"`;
      case 'locale':
        return options.utf8 ? `\xe2\x80\x98${arg}\xe2\x80\x99` : `'${arg}'`;
      default:
        return arg;
    }
  }
  return restyle(arg, style, options, false);
}

class ForceOuter extends Error {}

function restyle(arg: string, style: QuotingStyle, o: QuoteOptions, noExtra: boolean): string {
  try {
    const first = quoteOnce(arg, style, o, noExtra, false);
    // coreutils 9.1's gnulib: after scanning a name with an apostrophe it quotes the name again
    // without resetting the pending `$'…'` state, so a name ending in an escape gets an extra ''.
    return first.rescanWithPending ? quoteOnce(arg, style, o, noExtra, true).text : first.text;
  } catch (e) {
    if (!(e instanceof ForceOuter)) throw e;
    // The shell styles without outer quotes could not do without them after all.
    const outer: QuotingStyle = style === 'shell-escape' ? 'shell-escape-always' : style === 'shell' ? 'shell-always' : 'c';
    return restyle(arg, outer, o, true);
  }
}

function quoteOnce(
  arg: string,
  style: QuotingStyle,
  o: QuoteOptions,
  noExtra: boolean,
  initiallyPending: boolean,
): { text: string; rescanWithPending?: boolean } {
  let out = '';
  let backslashEscapes = false;
  let elideOuter = false;
  let shellAlways = false; // quoting_style == shell_always_quoting_style after normalisation
  let quoteString = '';
  switch (style) {
    case 'c-maybe':
      elideOuter = true;
      backslashEscapes = true;
      quoteString = '"';
      break;
    case 'c':
      out += '"';
      backslashEscapes = true;
      quoteString = '"';
      break;
    case 'escape':
      backslashEscapes = true;
      break;
    case 'locale':
    case 'clocale': {
      // Untranslated: ‘like this’ in a UTF-8 locale, else 'like this' and "like this".
      const [left, right] = o.utf8 ? ['\xe2\x80\x98', '\xe2\x80\x99'] : style === 'clocale' ? ['"', '"'] : ["'", "'"];
      out += left;
      backslashEscapes = true;
      quoteString = right;
      break;
    }
    case 'shell-escape':
      backslashEscapes = true;
      elideOuter = true;
      shellAlways = true;
      quoteString = "'";
      break;
    case 'shell':
      elideOuter = true;
      shellAlways = true;
      quoteString = "'";
      break;
    case 'shell-escape-always':
      backslashEscapes = true;
      shellAlways = true;
      out += "'";
      quoteString = "'";
      break;
    case 'shell-always':
      shellAlways = true;
      out += "'";
      quoteString = "'";
      break;
    case 'literal':
      break;
  }
  const extra = noExtra ? '' : (o.alsoQuote ?? '');
  let pendingShellEscapeEnd = initiallyPending;
  let encounteredSingleQuote = false;
  let allCompat = true;
  const n = arg.length;

  const startEsc = () => {
    if (elideOuter) throw new ForceOuter();
    if (shellAlways && !pendingShellEscapeEnd) {
      out += "'$'";
      pendingShellEscapeEnd = true;
    }
    out += '\\';
  };
  const endEsc = (escaping: boolean) => {
    if (pendingShellEscapeEnd && !escaping) {
      out += "''";
      pendingShellEscapeEnd = false;
    }
  };

  for (let i = 0; i < n; i++) {
    let c = arg[i]!;
    let escaping = false;
    let compat = false;
    let isRightQuote = false;
    let action: 'store' | 'escape' = 'store';

    if (backslashEscapes && !shellAlways && quoteString && arg.startsWith(quoteString, i)) {
      if (elideOuter) throw new ForceOuter();
      isRightQuote = true;
    }

    const code = c.charCodeAt(0);
    if (c === '\0') {
      if (backslashEscapes) {
        startEsc();
        escaping = true;
        if (!shellAlways && i + 1 < n && arg[i + 1]! >= '0' && arg[i + 1]! <= '9') out += '00';
        c = '0';
      } else if (o.elideNull) continue;
    } else if (c === '?') {
      if (shellAlways && elideOuter) throw new ForceOuter();
    } else if (c in C_ESCAPES || c === '\\') {
      const esc = c === '\\' ? '\\' : C_ESCAPES[c]!;
      const shellEscape = c === '\n' || c === '\r' || c === '\t';
      if (c === '\\' && shellAlways) {
        if (elideOuter) throw new ForceOuter();
        // stored as is
      } else if (c === '\\' && backslashEscapes && elideOuter && quoteString) {
        // stored as is: no need to escape the escape when nothing else needs quoting
      } else {
        if ((shellEscape || c === '\\') && shellAlways && elideOuter) throw new ForceOuter();
        if (backslashEscapes) {
          c = esc;
          action = 'escape';
        }
      }
    } else if ((c === '{' || c === '}') && n !== 1) {
      // only special when alone
    } else if ((c === '#' || c === '~') && i !== 0) {
      // only special at the start
    } else if (c === '{' || c === '}' || c === '#' || c === '~' || c === ' ' || SHELL_SPECIAL.has(c)) {
      if (c !== '!' && !SHELL_SPECIAL.has(c)) compat = true; // { } # ~ and space
      if (shellAlways && elideOuter) throw new ForceOuter();
    } else if (c === "'") {
      encounteredSingleQuote = true;
      compat = true;
      if (shellAlways) {
        if (elideOuter) throw new ForceOuter();
        out += "'\\'";
        pendingShellEscapeEnd = false;
      }
    } else if (SAFE.test(c)) {
      compat = true;
    } else {
      // Other bytes: a multibyte sequence (UTF-8 locale) or a unibyte character.
      let m = 1;
      let printable: boolean;
      if (!o.utf8 || code < 0x80) printable = code >= 0x20 && code < 0x7f;
      else {
        const seq = utf8At(arg, i);
        if (seq.length === 0) printable = false;
        else {
          m = seq.length;
          printable = isPrintableCodePoint(seq.codePoint);
        }
        if (seq.incomplete) {
          printable = false;
          m = n - i;
        }
      }
      compat = printable;
      if (m > 1 || (backslashEscapes && !printable)) {
        const limit = i + m;
        for (;;) {
          if (backslashEscapes && !printable) {
            startEsc();
            escaping = true;
            const b = c.charCodeAt(0);
            out += String.fromCharCode(48 + (b >> 6), 48 + ((b >> 3) & 7));
            c = String.fromCharCode(48 + (b & 7));
          } else if (isRightQuote) {
            out += '\\';
            isRightQuote = false;
          }
          if (limit <= i + 1) break;
          endEsc(escaping);
          out += c;
          c = arg[++i]!;
        }
        endEsc(escaping);
        out += c;
        if (!compat) allCompat = false;
        continue;
      }
    }

    if (action === 'store') {
      const quoteThis = ((backslashEscapes && !shellAlways) || elideOuter) && extra.includes(c) && c !== '';
      if (quoteThis || isRightQuote) action = 'escape';
    }
    if (action === 'escape') {
      startEsc();
      escaping = true;
    }
    endEsc(escaping);
    out += c;
    if (!compat) allCompat = false;
  }

  if (out.length === 0 && shellAlways && elideOuter) throw new ForceOuter();

  // An apostrophe is common enough in names that "don't" reads better than 'don'\''t'.
  const rescan = shellAlways && !elideOuter && encounteredSingleQuote;
  if (rescan && allCompat) return quoteOnce(arg, 'c', o, noExtra, false);
  const rescanWithPending = rescan && pendingShellEscapeEnd && !initiallyPending;

  if (quoteString && !elideOuter) out += quoteString;
  return { text: out, rescanWithPending };
}

/** The UTF-8 sequence starting at s[i]: its code point and length (0 if invalid). */
export function utf8At(s: string, i: number): { codePoint: number; length: number; incomplete?: boolean } {
  const b0 = s.charCodeAt(i);
  let need: number;
  let cp: number;
  let min: number;
  if (b0 < 0x80) return { codePoint: b0, length: 1 };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    need = 1;
    cp = b0 & 0x1f;
    min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    cp = b0 & 0x0f;
    min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    cp = b0 & 0x07;
    min = 0x10000;
  } else return { codePoint: 0, length: 0 };
  for (let k = 1; k <= need; k++) {
    if (i + k >= s.length) return { codePoint: 0, length: 0, incomplete: true };
    const b = s.charCodeAt(i + k);
    if ((b & 0xc0) !== 0x80) return { codePoint: 0, length: 0 };
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { codePoint: 0, length: 0 };
  return { codePoint: cp, length: need + 1 };
}

/** Whether a code point is printable (iswprint in a UTF-8 locale). */
export function isPrintableCodePoint(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
  if (cp === 0x2028 || cp === 0x2029) return false;
  if (cp >= 0xfff9 && cp <= 0xfffb) return false; // interlinear annotation controls
  if ((cp & 0xfffe) === 0xfffe) return false; // noncharacters U+xFFFE/U+xFFFF
  return true;
}

// The forms the GNU tools use in messages.

/** `'name'` as GNU's quoteaf (shell-escape-always): file names in error messages. */
export function quoteaf(name: string, utf8 = false): string {
  return quotearg(name, 'shell-escape-always', { utf8, elideNull: true });
}

/** The name, quoted only when it needs it (quotef: shell-escape). */
export function quotef(name: string, utf8 = false): string {
  // quotearg_n_style_colon: a colon is quoted too, since `name: message` follows
  return quotearg(name, 'shell-escape', { utf8, elideNull: true, alsoQuote: ':' });
}

/** `'text'` as GNU's quote() in a C locale (locale style): option values in messages. */
export function quote(text: string, utf8 = false): string {
  return quotearg(text, 'locale', { utf8, elideNull: true });
}

/** Whether the environment's locale has a UTF-8 character set (LC_ALL, then LC_CTYPE, then LANG). */
export function isUtf8Locale(env: { get(name: string): string | undefined }): boolean {
  const locale = env.get('LC_ALL') || env.get('LC_CTYPE') || env.get('LANG') || '';
  return /\.utf-?8(@|$)/i.test(locale);
}
