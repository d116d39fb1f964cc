// core/quote.ts against GNU ls --quoting-style (gnulib's quotearg), in the C locale and in C.UTF-8,
// over names made of every troublesome byte.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUOTING_STYLES, quotearg } from '../../src/core/quote.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { tempDir } from '../helpers/run.js';

const SPECIAL = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\t\x01\x1b\x7f';
function names(): Buffer[] {
  const out = new Set<string>();
  for (const c of SPECIAL) {
    out.add(c === '/' ? 'x' : c);
    out.add(`a${c === '/' ? '' : c}b`);
    out.add(`${c === '/' ? '' : c}end`);
  }
  for (const s of ["don't", "it's a 'x'", 'a\nb', 'tab\there', '{a}', '{', '}', '~', 'a~', '#', 'a#', "'", "''", '-n', 'caf\xc3\xa9', 'bad\xff', 'x\xc3', '\xe2\x80\xa8', 'a\xe2\x82\xacb', "o'\xc3\xa9", '\xc2\x85', 'a"b\'c', "ab'c\t", "o'\xc3", "\xc3o'", "'\x01", "a'b$c", '?', 'a?b', '\\', 'a\\b'])
    out.add(s);
  out.delete('.');
  return [...out].map((s) => Buffer.from(s, 'latin1'));
}

const hasLs = hasTool('ls') && runTool(['ls', '--version']).stdout.includes('GNU');

describe.skipIf(!hasLs)('quotearg vs GNU ls --quoting-style', () => {
  const dir = tempDir();
  const all = names();
  for (const [i, n] of all.entries()) {
    const sub = path.join(dir, String(i));
    fs.mkdirSync(sub);
    fs.writeFileSync(Buffer.concat([Buffer.from(sub + '/'), n]), '');
  }
  for (const locale of ['C', 'C.UTF-8']) {
    it.each(QUOTING_STYLES.map((s) => [s]))(`%s (${locale})`, (style) => {
      for (const [i, n] of all.entries()) {
        const gnu = runTool(['ls', '-A', `--quoting-style=${style}`, path.join(dir, String(i))], { env: { LC_ALL: locale } }).stdout;
        const ours = quotearg(n.toString('latin1'), style, { utf8: locale !== 'C', alsoQuote: style === 'escape' ? ' ' : '' }) + '\n';
        expect(ours, JSON.stringify(n.toString('latin1'))).toBe(gnu);
      }
    });
  }
});
