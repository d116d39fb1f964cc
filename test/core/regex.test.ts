// The regex layer on a table of patterns and subjects whose expected results were taken from GNU sed
// 4.9 (`s/RE/[&|\\1|\\2…]/` on the subject): leftmost-longest extents, glibc's groups, bracket
// expressions, anchors, GNU operators, and glibc's error messages. test/diff/regex.diff.test.ts checks
// many more random patterns against GNU sed and grep directly.
import { describe, expect, it } from 'vitest';
import { dfaVerdict, Regex, RegexSyntaxError } from '../../src/core/regex.js';

// [BRE or ERE, pattern, subject, GNU's result: the subject with the first match bracketed, its
// groups after |, or ERROR and the message]
const TABLE: [string, string, string, string][] = [
  ["E", "a|ab", "xabc", "x[ab]c"],
  ["E", "(a|ab)(c|bcd)(d*)", "abcd", "[abcd|a|bcd|]"],
  ["E", "(a|ab)(b*)", "ab", "[ab|a|b]"],
  ["E", "(ab|a)(bc|c)", "abc", "[abc|ab|c]"],
  ["E", "(a*)*", "b", "[|]b"],
  ["E", "(a*)+", "b", "[|]b"],
  ["E", "(a|b)*", "ab", "[ab|b]"],
  ["E", "((a)|b)*", "ab", "[ab|b|a]"],
  ["E", "(a?)((ab)?)", "ab", "[ab||ab|ab]"],
  ["E", "x(a|ab)*", "xaab", "[xaab|ab]"],
  ["E", "(a|ab)*c", "abac", "[abac|a]"],
  ["E", "(a)?(a)?", "a", "[a|a|]"],
  ["E", "(a{0,2}){2}", "aaa", "[aaa|a]"],
  ["E", "(a*)(ab)*(b*)", "abab", "[abab||ab|]"],
  ["E", "((a)|(b))*", "ab", "[ab|b|a|b]"],
  ["E", "(.*)(.*)", "xy", "[xy|xy|]"],
  ["E", "(.?)(.?)(.?)", "ab", "[ab|a|b|]"],
  ["E", "a+?", "aaa", "[aaa]"],
  ["E", "a{2,3}", "aaaa", "[aaa]a"],
  ["E", "a{,2}", "aaa", "[aa]a"],
  ["E", "a{1}{2}", "aaa", "[aa]a"],
  ["E", "[[:digit:]]+", "ab123c", "ab[123]c"],
  ["E", "[^[:alpha:]]+", "ab12-c", "ab[12-]c"],
  ["E", "[]a]+", "x]a]", "x[]a]]"],
  ["E", "[^]a]+", "]]bcd", "]][bcd]"],
  ["E", "[a-c-]+", "zb-a-", "z[b-a-]"],
  ["E", "\\<b", "a b", "a [b]"],
  ["E", "b\\>", "ab b", "a[b] b"],
  ["E", "\\bb", "ab b", "ab [b]"],
  ["E", "\\Bb", "ab b", "a[b] b"],
  ["E", "\\w+", "--ab_1--", "--[ab_1]--"],
  ["E", "\\W+", "ab--cd", "ab[--]cd"],
  ["E", "\\s+", "a \t b", "a[ \t ]b"],
  ["E", "\\S+", "  ab  ", "  [ab]  "],
  ["E", "^a", "ba", "ba"],
  ["E", "a$", "ab", "ab"],
  ["E", "(^a|b)", "ab", "[a|a]b"],
  ["E", "x*", "abc", "[]abc"],
  ["E", "()", "ab", "[|]ab"],
  ["E", "(|a)b", "ab", "[ab|a]"],
  ["E", "a|", "ba", "[]ba"],
  ["E", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "abcdefghij", "[abcdefghij|a|b|c|d|e|f|g|h|i]"],
  ["E", "(a)\\1", "aa", "[aa|a]"],
  ["E", "(a|b)\\1", "abb", "a[bb|b]"],
  ["E", "(a*)b\\1", "aabaa", "[aabaa|aa]"],
  ["E", "[[=a=]]", "ba", "b[a]"],
  ["E", "[[.-.]]", "a-b", "a[-]b"],
  ["E", "[[.space.]]", "a b", "ERROR Invalid collation character"],
  ["E", "a{1,0}", "a", "ERROR Invalid content of \\{\\}"],
  ["E", "a{99999}", "a", "ERROR Regular expression too big"],
  ["E", "(", "a", "ERROR Unmatched ( or \\("],
  ["E", ")", "a)", "ERROR Unmatched ) or \\)"],
  ["E", "a**", "aa", "[aa]"],
  ["E", "*a", "a", "ERROR Invalid preceding regular expression"],
  ["E", "a|*b", "b", "ERROR Invalid preceding regular expression"],
  ["E", "[z-a]", "a", "ERROR Invalid range end"],
  ["E", "[[:foo:]]", "a", "ERROR Invalid character class name"],
  ["E", "a\\{", "a{", "[a{]"],
  ["E", "(a))", "a", "ERROR Unmatched ) or \\)"],
  ["B", "\\(a\\|ab\\)\\(c\\|bcd\\)", "abcd", "[abcd|a|bcd]"],
  ["B", "a\\+b", "aab", "[aab]"],
  ["B", "a\\?b", "b", "[b]"],
  ["B", "\\(ab\\)*", "ababx", "[abab|ab]x"],
  ["B", "a\\{2\\}", "aaa", "[aa]a"],
  ["B", "*a", "*a", "[*a]"],
  ["B", "^*a", "*a", "[*a]"],
  ["B", "\\(*a\\)", "*a", "[*a|*a]"],
  ["B", "a**", "aa", "ERROR Invalid preceding regular expression"],
  ["B", "a\\{1\\}*", "aa", "ERROR Invalid preceding regular expression"],
  ["B", "a^b", "a^b", "[a^b]"],
  ["B", "a$b", "a$b", "[a$b]"],
  ["B", "\\(^a\\)", "a", "[a|a]"],
  ["B", "b\\(^a\\)", "ba", "ba"],
  ["B", "x\\|^a", "ab", "[a]b"],
  ["B", "\\(a\\)\\|b\\1", "ba", "ERROR Invalid back reference"],
  ["B", "\\(a\\)*b\\1", "b", "b"],
  ["B", "\\(a\\)*b\\1", "aba", "[aba|a]"],
  ["B", "\\(a\\)\\{0\\}b\\1", "ab", "ab"],
  ["B", "\\(a\\)\\2", "aa", "ERROR Invalid back reference"],
  ["B", "\\{1\\}a", "a", "ERROR Invalid preceding regular expression"],
  ["B", "a\\{1", "a", "ERROR Unmatched \\{"],
  ["B", "a\\{1,a\\}", "a", "ERROR Invalid content of \\{\\}"],
  ["B", "\\(a", "a", "ERROR Unmatched ( or \\("],
  ["B", "a\\)", "a", "ERROR Unmatched ) or \\)"],
  ["B", "\\`a", "aa", "[a]a"],
  ["B", "a\\'", "aa", "a[a]"],
  ["B", ".", "\u0001", "[\u0001]"],
  ["B", "[^a]", "\u00e9", "[\u00e9]"],
  ["B", "\u00e9", "a\u00e9", "a[\u00e9]"],
  ["B", "[\u00e0-\u00ef]+", "x\u00e8\u00e9y", "x\u00e8\u00e9y"],
];

function sedLike(syntax: string, pattern: string, subject: string): string {
  let re: Regex;
  try {
    re = new Regex(pattern, { extended: syntax === 'E', dialect: 'sed' });
  } catch (err) {
    if (err instanceof RegexSyntaxError) return `ERROR ${err.message}`;
    throw err;
  }
  const m = re.exec(subject, 0);
  if (!m) return subject;
  let out = `[${subject.slice(m.start, m.end)}`;
  for (let g = 1; g <= Math.min(re.groups, 9); g++) {
    const s = m.groups[2 * g]!;
    const e = m.groups[2 * g + 1]!;
    out += `|${s >= 0 && e >= 0 ? subject.slice(s, e) : ''}`;
  }
  return `${subject.slice(0, m.start)}${out}]${subject.slice(m.end)}`;
}

describe('regex: GNU sed results', () => {
  it.each(TABLE)('%s %j on %j', (syntax, pattern, subject, expected) => {
    expect(sedLike(syntax, pattern, subject)).toBe(expected);
  });
});

describe('regex: options', () => {
  it('folds ASCII case only under ignoreCase (the C locale)', () => {
    const re = new Regex('a\xe9', { ignoreCase: true });
    expect(re.test('A\xe9')).toBe(true);
    expect(re.test('a\xc9')).toBe(false);
  });
  it('ignoreCase with JavaScript\'s i flag (ASCII patterns) folds exactly as the C locale', () => {
    expect(new Regex('zanzibar', { ignoreCase: true }).test('ZanZIBAR')).toBe(true);
    expect(new Regex('[^a]', { ignoreCase: true }).test('\xe9')).toBe(true);
    expect(new Regex('[^a]', { ignoreCase: true }).test('A')).toBe(false);
    expect(new Regex('\\(.\\)\\1', { ignoreCase: true }).test('\xe9\xc9')).toBe(false);
    expect(new Regex('\\(.\\)\\1', { ignoreCase: true }).test('xX')).toBe(true);
  });
  it('ignoreCase back-references compare without case', () => {
    expect(new Regex('\\(a\\)\\1', { ignoreCase: true }).test('aA')).toBe(true);
  });
  it('multiline: ^ and $ at newlines, . and [^x] do not match them', () => {
    const re = new Regex('^b$', { multiline: true });
    expect(re.exec('a\nb\nc')?.start).toBe(2);
    expect(new Regex('a.b', { multiline: true }).test('a\nb')).toBe(false);
    expect(new Regex('a.b').test('a\nb')).toBe(true);
  });
  it('a separator ends records: nothing matches it, anchors see it', () => {
    const re = new Regex('b$', { separator: '\n', dialect: 'grep' });
    expect(re.searchFrom('ab\ncd\n', 0)).toBe(1);
    expect(new Regex('b.c', { separator: '\n' }).test('b\nc')).toBe(false);
    expect(new Regex('[^x]', { separator: '\n' }).test('\n')).toBe(false);
  });
  it('wordMatch and lineMatch', () => {
    expect(new Regex('ab', { wordMatch: true }).exec('abc ab')?.start).toBe(4);
    expect(new Regex('a*', { wordMatch: true }).exec('b c')).toBeNull();
    expect(new Regex('ab', { lineMatch: true }).test('abc')).toBe(false);
  });
  it('several patterns: the leftmost-longest match of any, groups numbered on', () => {
    const re = new Regex(['ab', 'abc', '\\(x\\)\\1'], { dialect: 'grep' });
    expect(re.exec('zabcd')).toMatchObject({ start: 1, end: 4 });
    expect(re.exec('zxx')).toMatchObject({ start: 1, end: 3 });
    expect(re.groups).toBe(1);
  });
  it('matchAt is anchored and longest (expr)', () => {
    const re = new Regex('a\\|ab', { dialect: 'expr' });
    expect(re.matchAt('abc', 0)?.end).toBe(2);
    expect(re.matchAt('xab', 0)).toBeNull();
  });
  it('literal and must-contain strings for the fast paths', () => {
    expect(new Regex('foo').literal).toBe('foo');
    expect(new Regex('fo*x jumps').mustContain).toBe('x jumps');
    expect(new Regex('a\\|b').mustContain).toBeUndefined();
  });
  it("dfa.c's verdict: grep's warnings, the [:space:] mistake", () => {
    expect(dfaVerdict('*a|+b', 'grep', true).warnings).toEqual(['* at start of expression', '+ at start of expression']);
    expect(dfaVerdict('*a', 'grep', false).warnings).toEqual([]);
    expect(dfaVerdict('[:space:]', 'sed', false).error).toBe('character class syntax is [[:space:]], not [:space:]');
    expect(dfaVerdict('[:a]', 'grep', false).error).toBeUndefined();
  });
  it('grep reads leading intervals and repeated anchors as GNU dfa.c does', () => {
    const dfa = (p: string) => new Regex(p, { extended: true, dialect: 'grep', dfaGrammar: true });
    expect(dfa('{2}a').test('a')).toBe(true);
    expect(dfa('{$').test('x{')).toBe(true);
    expect(dfa('1\\`?b').test('a1b')).toBe(true);
  });
});
