// GNU's quoting of names in messages, as gnulib's quotearg does it in the C locale (bytes outside
// printable ASCII are not printable there). Coreutils words a file name with quoteaf() (`'a b'`,
// `"it's"`, `'a'$'\n''b'`: text a shell can paste back) and most other values with quote()
// (`'a\'b'`, C escapes).

const C_ESCAPES: Record<number, string> = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };

const isPrintable = (c: number) => c >= 0x20 && c < 0x7f;

function cEscape(c: number): string {
  return `\\${C_ESCAPES[c] ?? c.toString(8).padStart(3, '0')}`;
}

// Characters that read the same inside a C string and a shell word: when a name holds a single
// quote and nothing but these, GNU prefers "double quotes" to 'it'\''s'.
const SHELL_AND_C_SAFE = /^[ %'+,\-./0-9:@A-Z\]_a-z]$/;

/** A file name as GNU coreutils' messages show it (quotearg's shell-escape-always style). */
export function quoteaf(name: string): string {
  if (name.includes("'")) {
    let compatible = true;
    for (let i = 0; i < name.length && compatible; i++) {
      const ch = name[i]!;
      compatible = SHELL_AND_C_SAFE.test(ch) || (i === 0 && (ch === '#' || ch === '~'));
    }
    if (compatible) return `"${name}"`;
    // gnulib scans such a name once, then writes it in a second pass that starts in the escape
    // state the scan ended in; reproduced here, odd `'''` prefix included.
    return shellEscape(name, shellEscape(name, false).endsInEscape).text;
  }
  return shellEscape(name, false).text;
}

function shellEscape(name: string, startPending: boolean): { text: string; endsInEscape: boolean } {
  let out = "'";
  let inEscape = false; // inside a $'...' section
  let pending = startPending;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isPrintable(c)) {
      if (!inEscape) {
        out += "'$'";
        inEscape = true;
        pending = true;
      }
      out += cEscape(c);
      continue;
    }
    if (c === 0x27) {
      out += "'\\''";
      inEscape = false;
      pending = false;
      continue;
    }
    if (pending) {
      out += "''";
      pending = false;
    }
    inEscape = false;
    out += name[i];
  }
  return { text: `${out}'`, endsInEscape: pending };
}

// What makes quotef() quote a name: shell metacharacters (and `:`, which would confuse the
// `name: message` form), anything unprintable, `#`/`~` in front, or a lone brace.
const NEEDS_QUOTING = /[ !"$&'()*:;<=>?[\\^`|]|[^\x20-\x7e]|^[#~]|^[{}]$/;

/** A file name as GNU shows it where quoting is only added when needed (quotef: `a b` → `'a b'`,
 *  `abc` → `abc`); used before a colon, as in `readlink: x: No such file or directory`. */
export function quotef(name: string): string {
  return name === '' || NEEDS_QUOTING.test(name) ? quoteaf(name) : name;
}

/** A value as GNU's quote() shows it in the C locale: 'single quotes', C backslash escapes. */
export function quote(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (isPrintable(c)) out += s[i];
    else out += cEscape(c);
  }
  return `${out}'`;
}
