// GNU's quoting of names, checked against GNU cp's messages for every printable ASCII character in
// a few positions (names travel to GNU as UTF-8, so only valid UTF-8 bytes are used; the forms quoteaf picks are intricate: "…" when a quote is the only trouble,
// '…'$'\n''…' for control bytes, and gnulib's odd ''' prefix after a rescan).
import { describe, expect, it } from 'vitest';
import { toUtf8 } from '../../src/core/bytes.js';
import { quote, quoteaf, quotef } from '../../src/core/quote.js';
import { hasTool, runTool } from '../helpers/reference.js';

const NAMES = [
  'plain', 'a b', "it's", 'a\nb', 'caf\xc3\xa9', 'x"y', 'a\\b', '$x', '~x', 'a~', '#a', 'a#', 'a*', '', '-x', '\t', 'a\x7fb', "a'b'c", '!x', 'a=b',
  "it's x", "it's$x", "#it's", "~it's", "it's\n", "\n'", "'\n", "ab'c\nd", "ab\nc'd", '\n', 'a\n', '\na', 'a\n\tb', "''\n", "x'y'z\n", "'", "''",
  ...Array.from({ length: 95 }, (_, i) => `it's${String.fromCharCode(32 + i)}`),
  ...Array.from({ length: 95 }, (_, i) => `${String.fromCharCode(32 + i)}it's`),
];

describe('quoteaf', () => {
  it('reads as GNU shell-escape-always quoting', () => {
    expect(quoteaf('plain')).toBe("'plain'");
    expect(quoteaf("it's")).toBe('"it\'s"');
    expect(quoteaf('a\nb')).toBe("'a'$'\\n''b'");
    expect(quoteaf("it's\n")).toBe("'''it'\\''s'$'\\n'");
    expect(quoteaf('caf\xc3\xa9')).toBe("'caf'$'\\303\\251'");
  });
  it.skipIf(!hasTool('cp'))('matches GNU cp for every test name', () => {
    for (const name of NAMES) {
      const r = runTool(['cp', '--', toUtf8(name), '/nonexistent-dir/']);
      expect(r.stderr, JSON.stringify(name)).toBe(`cp: cannot stat ${quoteaf(name)}: No such file or directory\n`);
    }
  });
});

describe('quotef', () => {
  it('quotes only names that need it', () => {
    expect(quotef('abc')).toBe('abc');
    expect(quotef('a b')).toBe("'a b'");
    expect(quotef('a:b')).toBe("'a:b'");
    expect(quotef('')).toBe("''");
    expect(quotef('{')).toBe("'{'");
    expect(quotef('a{')).toBe('a{');
    expect(quotef('#a')).toBe("'#a'");
  });
  it.skipIf(!hasTool('readlink'))('matches GNU readlink -v for every test name', () => {
    for (const name of NAMES.filter((n) => !n.includes('/'))) {
      const r = runTool(['readlink', '-ve', '--', toUtf8(name)], { cwd: '/' });
      if (r.status === 0) continue; // the name happens to exist in /
      expect(r.stderr, JSON.stringify(name)).toBe(`readlink: ${quotef(name)}: No such file or directory\n`);
    }
  });
});

describe('quote', () => {
  it('uses C escapes inside single quotes', () => {
    expect(quote("a'b\n\\")).toBe("'a\\'b\\n\\\\'");
    expect(quote('x')).toBe("'x'");
    expect(quote('\x01')).toBe("'\\001'");
  });
});
