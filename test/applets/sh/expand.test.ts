// Word expansion: parameters and their operators, field splitting, pathname expansion, tilde,
// command substitution and quoting, as ash and dash do them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/run.js';
import { out, sh } from './helpers.js';

const CASES: [string, string][] = [
  // positional parameters and "$@"
  ['set -- a "b c" ""; for i in "$@"; do echo "[$i]"; done', '[a]\n[b c]\n[]\n'],
  ['set -- a "b c" ""; for i in $*; do echo "[$i]"; done', '[a]\n[b]\n[c]\n'],
  ['set -- a "b c" ""; echo "$*"; IFS=; echo "$*"', 'a b c \nab c\n'],
  ['set -- a "b c"; IFS=; for i in $*; do echo "[$i]"; done', '[a]\n[b c]\n'],
  ['set --; for i in "$@"; do echo x; done; for i in "$*"; do echo "[$i]"; done', '[]\n'],
  ['set -- a b; echo "x$@y"', 'xa by\n'],
  ['set -- 1 2 3 4 5 6 7 8 9 10 11; echo $10 ${10} ${11}', '10 10 11\n'],
  ['set -- a b c; echo ${#@} ${#*} $#', '5 5 3\n'],
  // field splitting
  ['IFS=:; x="a::b:"; for i in $x; do echo "[$i]"; done', '[a]\n[]\n[b]\n'],
  ['IFS=:; x=":a"; set -- $x; echo $#', '2\n'],
  ['IFS=" :"; x=" a : b :: c "; for i in $x; do echo "[$i]"; done', '[a]\n[b]\n[]\n[c]\n'],
  ['IFS=" :"; x=" :a"; set -- $x; echo $#', '2\n'],
  ['IFS=": "; x="a: :b"; set -- $x; echo $#', '3\n'],
  ['x="  a  b  "; set -- $x; echo $#', '2\n'],
  ['unset IFS; x="a   b"; set -- $x; echo $#', '2\n'],
  ['IFS=; x="a b"; set -- $x; echo $#', '1\n'],
  ['x="a b"; echo "$x"; echo $x', 'a b\na b\n'],
  ['x=""; set -- $x; echo $#; set -- "$x"; echo $#', '0\n1\n'],
  // parameter operators
  ['echo ${x-def} ${x:-def2} ${x=set} $x ${x+alt} ${x:+alt2}', 'def def2 set set alt alt2\n'],
  ['x=; echo "[${x-d}]" "[${x:-d}]" "[${x+a}]" "[${x:+a}]"', '[] [d] [a] []\n'],
  ['v=hello.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${#v}', 'hello.tar hello tar.gz gz 12\n'],
  ['v=/usr/local/bin; echo ${v%/*} ${v##*/} ${v#/} ${v%%/*}x', '/usr/local bin usr/local/bin x\n'],
  ['v=hello; echo ${v/l/L} ${v//l/L} ${v/#h/H} ${v/%o/O} ${v/l} ${v/x/y} ${v/l*/Z}', 'heLlo heLLo Hello hellO helo hello heZ\n'],
  ['s=abcdef; echo ${s:1} ${s:1:2} ${s: -2} ${s:(-2)} ${s:1:-1} ${s: -3:2} ${s:10}x', 'bcdef bc ef ef bcde de x\n'],
  ['set -- a b c d; echo ${@:2} / ${@:2:2} / ${*:3} / ${@: -1}', 'b c d / b c / c d / d\n'],
  ['p="*"; v="a*b"; echo "${v#"$p"}" ${v#*"$p"} "${v#$p}" "${v##$p}"', 'a*b b a*b \n'],
  ['x=a; echo ${x:-${y:-z}w} "${z:-"a b"}" ${z:-a  b}', 'a a b a b\n'],
  [': ${u:=assigned}; echo $u', 'assigned\n'],
  ['set -- ab ac; echo ${@#a} "${@%c}"', 'b c ab a\n'],
  ['echo "[${@-x}]" "[${*-y}]" "[${@:-x}]"', '[] [] [x]\n'],
  ['echo ${#-} ${#-x}', '1 0\n'],
  // quoting
  ["echo 'a'\"b\"c\\ d \"\\$x\" '\\n' \"\\\\\"", 'abc d $x \\n \\\n'],
  ['echo "\\a\\$\\"\\`\\\\"', '\\a$"`\\\n'],
  ["echo $'a\\tb\\x41\\101\\'q'", 'a\tbAA\'q\n'],
  ['echo "$\'x\'"', "$'x'\n"],
  ['echo $ "$" $1x ${#} $@x', '$ $ x 0 x\n'],
  // command substitution
  ['echo $(echo a; echo b) "$(echo c)" `echo d`', 'a b c d\n'],
  ["x=$(printf 'a\\n\\n\\n'); echo \"[$x]\"", '[a]\n'],
  ['echo "$(echo "nested $(echo deep)")"', 'nested deep\n'],
  ['echo `echo \\`echo inner\\``', 'inner\n'],
  ['echo "$(echo "a   b")" $(echo "a   b")', 'a   b a b\n'],
  ['x=$(exit 4); echo $?', '4\n'],
  ['echo $(echo $((1+1)))', '2\n'],
  // arithmetic in words
  ['x=7; echo $(( x * 2 )) $(( $x * 2 )) $(( x++ )) $x $(( --x ))', '14 14 7 8 7\n'],
  ['i=1; echo $((i+=1)) $i', '2 2\n'],
  // tilde
  ['HOME=/h; echo ~ ~/x a~ "~" \\~', '/h /h/x a~ ~ ~\n'],
  ['HOME=/h; x=~/a:~/b; echo $x', '/h/a:/h/b\n'],
  ['echo ~root ~nosuchuser', '/root ~nosuchuser\n'],
  // braces are literal
  ['echo a{b,c} { a}', 'a{b,c} { a}\n'],
];

describe('expansion', () => {
  it.each(CASES)('%s', async (script, want) => expect(await out(script)).toBe(want));
});

describe('expansion errors', () => {
  it('${x?} and ${x:?msg} end the shell with status 2', async () => {
    expect(await sh('echo ${x?}; echo no')).toMatchObject({ status: 2, stdout: '', stderr: 'sh: x: parameter not set\n' });
    expect(await sh('x=; echo ${x:?}')).toMatchObject({ status: 2, stderr: 'sh: x: parameter not set or null\n' });
    expect(await sh('echo ${x?my msg}')).toMatchObject({ status: 2, stderr: 'sh: x: my msg\n' });
  });
  it('set -u: unset parameters are errors, "$@" is not', async () => {
    expect(await sh('set -u; echo $zz')).toMatchObject({ status: 2, stderr: 'sh: zz: parameter not set\n' });
    expect(await sh('set -u; echo $1')).toMatchObject({ status: 2, stderr: 'sh: 1: parameter not set\n' });
    expect(await sh('set -u; echo "$@" ok ${x-d}')).toMatchObject({ status: 0, stdout: 'ok d\n' });
  });
  it('arithmetic errors end the shell with status 2', async () => {
    expect(await sh('echo $((1/0)); echo no')).toMatchObject({ status: 2, stdout: '', stderr: 'sh: divide by zero\n' });
    expect(await sh('echo $((1+))')).toMatchObject({ status: 2, stderr: 'sh: arithmetic syntax error\n' });
  });
  it('${1=x} cannot assign', async () => {
    expect(await sh('echo ${1=x}')).toMatchObject({ status: 2, stderr: 'sh: 1: bad variable name\n' });
  });
});

describe('pathname expansion', () => {
  const dir = tempDir();
  for (const f of ['a.txt', 'b.txt', '.hidden', 'c.log', 'sub/x.txt']) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  it('expands unquoted patterns, keeps quoted and unmatched ones', async () => {
    expect(await out('echo *; echo *.txt */*.txt; echo "*" \\* nomatch*; echo .*', { cwd: dir })).toBe(
      'a.txt b.txt c.log sub\na.txt b.txt sub/x.txt\n* * nomatch*\n. .. .hidden\n',
    );
  });
  it('expands patterns that come from variables, not from quotes', async () => {
    expect(await out('x="*.log"; echo $x "$x"', { cwd: dir })).toBe('c.log *.log\n');
  });
  it('set -f turns it off', async () => {
    expect(await out('set -f; echo *; set +f; echo *.log', { cwd: dir })).toBe('*\nc.log\n');
  });
  it('[ is an ordinary word', async () => {
    expect(await out('echo [ ] [x', { cwd: dir })).toBe('[ ] [x\n');
  });
});
