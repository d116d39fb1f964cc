// grep -P: Perl-compatible patterns, run by JavaScript's own RegExp (a Perl-style backtracking
// engine, leftmost-first like PCRE), line by line as GNU grep runs PCRE. Not PCRE: \K, possessive
// quantifiers, atomic groups, \Q…\E and inline flags like (?i) are JavaScript syntax errors or mean
// something else; case folding under -i also folds Latin-1 letters.
import { AppletError } from '../../core/errors.js';
import type { Extractor, Finder } from './search.js';

// V8's wording → PCRE2's, for the common mistakes.
const MESSAGES: [RegExp, string][] = [
  [/Unterminated group/, 'missing closing parenthesis'],
  [/Unmatched '\)'/, 'unmatched closing parenthesis'],
  [/Unterminated character class/, 'missing terminating ] for character class'],
  [/Nothing to repeat/, 'quantifier does not follow a repeatable item'],
  [/Invalid group/, 'unrecognized character after (? or (?-'],
];

export function perlMatcher(
  patterns: readonly string[],
  o: { ignoreCase: boolean; wordMatch: boolean; lineMatch: boolean; eol: string },
): { find: Finder; extract: Extractor } {
  if (patterns.length > 1) throw new AppletError('the -P option only supports a single pattern', 2);
  let source = patterns[0] ?? '';
  if (o.lineMatch) source = `^(?:${source})$`;
  else if (o.wordMatch) source = `(?<!\\w)(?:${source})(?!\\w)`;
  let re: RegExp;
  try {
    re = new RegExp(source, o.ignoreCase ? 'gi' : 'g');
  } catch (err) {
    const text = (err as Error).message.replace(/^.*: /, '');
    const known = MESSAGES.find(([pattern]) => pattern.test(text));
    throw new AppletError(known ? known[1] : text, 2);
  }
  const eolByte = o.eol.charCodeAt(0);
  const find: Finder = (h, from, lim) => {
    const data = h.data;
    for (let p = from; p < lim; ) {
      const nl = data.indexOf(eolByte, p);
      const end = nl < 0 || nl > lim ? lim : nl;
      re.lastIndex = 0;
      const m = re.exec(data.toString('latin1', p, end));
      if (m) return p + m.index;
      p = end + 1;
    }
    return -1;
  };
  const extract: Extractor = {
    exec(line, from) {
      re.lastIndex = from;
      const m = re.exec(line);
      return m ? { start: m.index, end: m.index + m[0].length } : null;
    },
  };
  return { find, extract };
}
