// The parser: every construct parses to the expected tree and prints back (unparse) to text that
// parses to the same tree; syntax errors carry ash's wording and the right line.
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/applets/sh/ast.js';
import { parse, ParseError } from '../../../src/applets/sh/parser.js';
import { commandText } from '../../../src/applets/sh/unparse.js';

/** The tree without positions (they differ between the original text and the printed one). */
function shape(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === 'pos' || k === 'line' ? undefined : v)));
}

function roundTrip(src: string): void {
  const ast = parse(src);
  expect(ast, src).not.toBeNull();
  const printed = commandText(ast!);
  const again = parse(printed);
  expect(shape(again), `${src}\n--- printed as ---\n${printed}`).toEqual(shape(ast));
}

const CONSTRUCTS = [
  'echo hello world',
  'x=1 y="a b" cmd arg',
  'x=1',
  'echo >out 2>&1 <in >>app 3<>rw 4>|clob 5<&- 6>&-',
  'cmd &>both',
  'cat <<<"here $x"',
  'a | b | c',
  '! a | b',
  'a && b || c',
  'a & b; c &',
  '( a; b ) >out',
  '{ a; b; } 2>err',
  'if a; then b; elif c; then d; else e; fi',
  'if a; then b; fi',
  'while a; do b; done',
  'until a; do b; done <in',
  'for x in a b "c d"; do echo $x; done',
  'for x; do echo $x; done',
  'for x in; do :; done',
  'case $x in a|b) echo ab;; "c") echo c;& *) echo other;; esac',
  'case x in esac',
  'case x in (a) ;; esac',
  'f() { echo f; }',
  'f() ( echo sub )',
  'function g { echo g; }',
  'f() echo simple',
  'echo "double $x ${y} $(cmd) `old` $((1+2))" \'single\' \\e\\s\\c',
  'echo ${x} ${#x} ${x-d} ${x:-d} ${x=d} ${x:=d} ${x?m} ${x:?m} ${x+a} ${x:+a}',
  'echo ${x#p} ${x##p*} ${x%p} ${x%%*p} ${x/a/b} ${x//a/b} ${x/#a/b} ${x/%a/b} ${x/a}',
  'echo ${x:1} ${x:1:2} ${x: -1} ${@:2} "${@}" "$*" $# $? $$ $! $- $0 ${10}',
  'echo "${x:-"nested quotes"}" "${x#"$p"}" ${x:-a b}',
  'echo $(echo $(echo deep)) `echo \\`inner\\``',
  'echo $(( (1 + 2) * 3 ** 2 / x-- ? a : b ))',
  "echo $'tab\\there'",
  'echo ~ ~user/dir x=~/a',
  'PATH=~/bin:~other/x cmd',
  'cat <<EOF\nbody $x\n\\$literal\nEOF',
  "cat <<'EOF'\n$not expanded\nEOF",
  'cat <<-EOF\n\tstripped\n\tEOF',
  'cat <<A; cat <<B\nfirst\nA\nsecond\nB',
  'x=$(cat <<EOF\ninside\nEOF\n)',
  'a\\\nb',
  'echo a # comment',
  'echo a;echo b',
  '[ "$x" = y ] && echo yes',
  'echo {a,b} a{ }x',
  'exec 3>&1 >file',
  'echo $(case x in x) echo y;; esac)',
];

describe('parser round trip', () => {
  it.each(CONSTRUCTS)('%s', (src) => roundTrip(src));
});

describe('parse trees', () => {
  it('splits words into quoted and unquoted parts', () => {
    const ast = parse(`echo a"b $c"'d'\\e`) as Command & { t: 'simple' };
    expect(shape(ast.words[1]!.parts)).toEqual([
      { t: 'lit', s: 'a' },
      { t: 'dq', parts: [{ t: 'q', s: 'b ' }, { t: 'param', name: 'c', op: '' }] },
      { t: 'q', s: 'de' },
    ]);
  });
  it('recognises reserved words only in command position', () => {
    const ast = parse('echo if then fi') as Command & { t: 'simple' };
    expect(ast.words.map((w) => w.lit)).toEqual(['echo', 'if', 'then', 'fi']);
  });
  it('records lines of commands', () => {
    const ast = parse('a\n\nb\nif c\nthen d\nfi') as Command & { t: 'seq' };
    expect(ast.cmds.map((c) => c.line)).toEqual([1, 3, 4]);
  });
  it('counts -c text from line 0 when told', () => {
    const ast = parse('a\nb', { firstLine: 0 }) as Command & { t: 'seq' };
    expect(ast.cmds.map((c) => c.line)).toEqual([0, 1]);
  });
  it('expands aliases in command position, and after an alias ending in a blank', () => {
    const aliases = new Map([['e', 'echo '], ['w', 'world'], ['ll', 'ls -l']]);
    const ast = parse('e w; ll x', { aliases: (n) => aliases.get(n) }) as Command & { t: 'seq' };
    expect(commandText(ast)).toBe('echo world\nls -l x');
  });
  it('does not expand an alias inside itself', () => {
    const aliases = new Map([['ls', 'ls -F']]);
    expect(commandText(parse('ls', { aliases: (n) => aliases.get(n) })!)).toBe('ls -F');
  });
  it('treats $(( as arithmetic only when )) closes it', () => {
    const ast = parse('echo $((echo a) )') as Command & { t: 'simple' };
    expect(ast.words[1]!.parts[0]!.t).toBe('cmd');
  });
  it('lets an unterminated here-document run to the end', () => {
    const ast = parse('cat <<EOF\nno end') as Command & { t: 'simple' };
    expect(ast.redirs[0]!.body!.lit).toBe('no end');
  });
});

// ash's messages (measured with BusyBox 1.35).
const ERRORS: [string, string, number][] = [
  ['if', 'syntax error: unexpected end of file (expecting "then")', 1],
  ['if true; then', 'syntax error: unexpected end of file (expecting "fi")', 1],
  ['then', 'syntax error: unexpected "then"', 1],
  ['fi', 'syntax error: unexpected "fi"', 1],
  ['while true; do done', 'syntax error: unexpected "done"', 1],
  ['case x in', 'syntax error: unexpected end of file (expecting ")")', 1],
  ['case x', 'syntax error: unexpected end of file (expecting "in")', 1],
  ['case x in a) ;; esac;;', 'syntax error: unexpected ";;"', 1],
  ['case a in (a|b) x;; (c)', 'syntax error: unexpected end of file (expecting ";;")', 1],
  ['echo $(', 'syntax error: unexpected end of file (expecting ")")', 1],
  ['echo $((1+2)', "syntax error: missing '))'", 1],
  ['(', 'syntax error: unexpected end of file (expecting ")")', 1],
  [')', 'syntax error: unexpected ")"', 1],
  ['( )', 'syntax error: unexpected ")"', 1],
  ['{ }', 'syntax error: unexpected "}"', 1],
  ['{ echo', 'syntax error: unexpected end of file (expecting "}")', 1],
  ['a &&', 'syntax error: unexpected end of file', 1],
  ['a |', 'syntax error: unexpected end of file', 1],
  ['| a', 'syntax error: unexpected "|"', 1],
  ['echo "abc', 'syntax error: unterminated quoted string', 1],
  ["echo 'abc", 'syntax error: unterminated quoted string', 1],
  ['echo `abc', 'syntax error: EOF in backquote substitution', 1],
  ['echo ${x', "syntax error: missing '}'", 1],
  ['echo ${x!}', 'syntax error: bad substitution', 1],
  ['echo ${}', 'syntax error: bad substitution', 1],
  ['echo ${a b}', 'syntax error: bad substitution', 1],
  ['for', 'syntax error: bad for loop variable', 1],
  ['for 1 in', 'syntax error: bad for loop variable', 1],
  ['for x in a b', 'syntax error: unexpected end of file', 1],
  ['for x in a b; do', 'syntax error: unexpected end of file (expecting "done")', 1],
  ['for x in a; { echo $x; }', 'syntax error: unexpected "{" (expecting "do")', 1],
  ['f()', 'syntax error: unexpected end of file', 1],
  ['function', 'syntax error: unexpected end of file (expecting "word")', 1],
  ['echo >', 'syntax error: unexpected end of file', 1],
  ['echo >\n', 'syntax error: unexpected newline', 1],
  ['a && && b', 'syntax error: unexpected "&&"', 1],
  ['a; ; b', 'syntax error: unexpected ";"', 1],
  ['echo a &;', 'syntax error: unexpected ";"', 1],
  ['! !', 'syntax error: unexpected "!"', 1],
  ['true | ! false', 'syntax error: unexpected "!"', 1],
  ['{ echo; } foo', 'syntax error: unexpected word', 1],
  ['if a; then b; else; fi', 'syntax error: unexpected ";"', 1],
  ['echo ok\nif\nthen', 'syntax error: unexpected "then"', 3],
  ['echo "a\nb\nc', 'syntax error: unterminated quoted string', 3],
];

describe('syntax errors', () => {
  it.each(ERRORS)('%s', (src, message, line) => {
    let err: unknown;
    try {
      parse(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toBe(message);
    expect((err as ParseError).line).toBe(line);
  });
  it('marks errors at the end of the text as incomplete (an interactive shell reads on)', () => {
    for (const src of ['if true', 'echo "a', 'a |', 'case x in', 'f() {']) {
      try {
        parse(src);
      } catch (e) {
        expect((e as ParseError).incomplete, src).toBe(true);
      }
    }
    try {
      parse('fi');
    } catch (e) {
      expect((e as ParseError).incomplete).toBe(false);
    }
  });
});
