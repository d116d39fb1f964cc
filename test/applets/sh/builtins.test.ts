// The builtins: output formats, options, messages and statuses as BusyBox ash has them.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/run.js';
import { out, sh } from './helpers.js';

type Case = [script: string, expected: { stdout?: string; stderr?: string; status?: number }];

function table(name: string, cases: Case[]) {
  describe(name, () => {
    it.each(cases)('%s', async (script, want) => expect(await sh(script, { env: { PATH: '/usr/bin:/bin', HOME: '/root' } })).toMatchObject(want));
  });
}

table('echo', [
  ['echo -n a; echo -e "b\\tc"; echo -e "d\\ce"; echo x', { stdout: 'ab\tc\ndx\n' }],
  ['echo -nx; echo --; echo -E "a\\tb"; echo -ne "q\\n"', { stdout: '-nx\n--\na\\tb\nq\n' }],
  ['echo -e "\\0101\\x42\\101\\e" | od -An -c', { stdout: '   A   B   A 033  \\n\n' }],
]);

table('printf', [
  ["printf '%s-%s\\n' a b c", { stdout: 'a-b\nc-\n' }],
  ["printf '%5.2f|%-5d|%05d|%+d|%x|%X|%o|%#x|%#o\\n' 3.14159 42 42 42 255 255 8 255 8", { stdout: ' 3.14|42   |00042|+42|ff|FF|10|0xff|010\n' }],
  ["printf '%e|%g|%G|%c|%5s|%-5s|%.2s\\n' 12345.678 0.0001 1e20 hello ab ab abc", { stdout: '1.234568e+04|0.0001|1E+20|h|   ab|ab   |ab\n' }],
  ["printf '%i %u\\n' -5 -1", { stdout: '-5 18446744073709551615\n' }],
  ["printf '%d %d %d %d\\n' \"'A\" 0x1f 010 ' 7'", { stdout: '65 31 8 7\n' }],
  ["printf '%d\\n' 12abc; echo $?", { stdout: '0\n1\n', stderr: "sh: invalid number '12abc'\n" }],
  ["printf '%d %s|\\n' 1", { stdout: '1 |\n', status: 0 }],
  ["printf '%b\\n' 'a\\tb\\c' x; echo", { stdout: 'a\tb\n' }],
  ["printf 'a\\cb'; echo", { stdout: 'a\n' }],
  ["printf '%q\\n' x; echo $?", { stdout: '1\n', stderr: 'sh: %q\\n: invalid format\n' }],
  ["printf '\\x41\\101\\n'", { stdout: 'AA\n' }],
  ["printf '%*d|%-*d|%.*f\\n' 5 1 4 2 2 3.14159", { stdout: '    1|2   |3.14\n' }],
  ['printf', { stderr: 'sh: usage: printf FORMAT [ARGUMENT...]\n', status: 2 }],
  ["printf '%g %g %g %g\\n' 100000 1000000 0.00001 123.456", { stdout: '100000 1e+06 1e-05 123.456\n' }],
]);

table('test and [', [
  ['[ a = a ] && [ a != b ] && [ -n a ] && [ -z "" ] && [ 2 -gt 1 ] && [ a \\< b ] && echo ok', { stdout: 'ok\n' }],
  ['test; echo $?; test ""; echo $?; test x; echo $?', { stdout: '1\n1\n0\n' }],
  ['[ 1 -eq 1 ; echo $?', { stdout: '2\n', stderr: 'sh: missing ]\n' }],
  ['[ a -foo b ]; echo $?', { stdout: '2\n', stderr: 'sh: -foo: unknown operand\n' }],
  ['test a b c; echo $?', { stdout: '2\n', stderr: 'sh: b: unknown operand\n' }],
  ['[ abc -eq 1 ]; echo $?', { stdout: '2\n', stderr: 'sh: abc: bad number\n' }],
  ['[ 99999999999999999999 -eq 1 ]', { stderr: 'sh: 99999999999999999999: out of range\n', status: 2 }],
  ['test 1 -eq', { stderr: 'sh: -eq: argument expected\n', status: 2 }],
  ['[ " 1 " -eq 1 ] && [ -1 -lt 0 ] && [ +1 -eq 1 ] && echo nums', { stdout: 'nums\n' }],
  ['[ ! a = a ]; echo $?; [ \\( a = a \\) ]; echo $?; [ "" -o x ]; echo $?', { stdout: '1\n0\n0\n' }],
  ['[ -d / -a -f /etc/passwd ] && [ ! -e /nonexist ] && [ -x /bin/sh ] && echo files', { stdout: 'files\n' }],
  ['[[ a == a ]]; echo $?; [[ a', { stdout: '0\n', stderr: 'sh: missing ]]\n', status: 2 }],
  ['test -v x', { stderr: 'sh: x: unknown operand\n', status: 2 }],
]);

table('cd and pwd', [
  ['cd /nonexist; echo $?', { stdout: '2\n', stderr: "sh: cd: line 0: can't cd to /nonexist: No such file or directory\n" }],
  ['cd /etc/passwd', { stderr: "sh: cd: line 0: can't cd to /etc/passwd: Not a directory\n", status: 2 }],
  ['cd /usr/bin; cd ..; pwd; echo $OLDPWD; cd -', { stdout: '/usr\n/usr/bin\n/usr/bin\n' }],
  ['cd; pwd', { stdout: '/root\n' }],
  ['CDPATH=/usr; cd bin; pwd', { stdout: '/usr/bin\n/usr/bin\n' }],
  ['cd /tmp; (cd /; pwd); pwd', { stdout: '/\n/tmp\n' }],
]);

table('variables: export, readonly, unset, local, set', [
  ['export 1x=2; echo no', { stderr: 'sh: export: line 0: 1x: bad variable name\n', status: 2 }],
  ['x=1; export x y; export -p | grep -E "^export [xy]"', { stdout: "export x='1'\nexport y\n" }],
  ['readonly r=1; readonly -p | grep " r="', { stdout: "readonly r='1'\n" }],
  ['readonly r=1; export r=3', { stderr: 'sh: export: line 0: r: is read only\n', status: 2 }],
  ['readonly r=1; unset r', { stderr: 'sh: unset: line 0: r: is read only\n', status: 2 }],
  ['unset -v 1x', { stderr: 'sh: unset: line 0: 1x: bad variable name\n', status: 2 }],
  ['local x', { stderr: 'sh: local: line 0: not in a function\n', status: 2 }],
  ['f() { :; }; unset f; type f; unset -f f; type f', { stdout: 'f is a function\nf: not found\n', status: 127 }],
  ["x='a b'; y=\"it's\"; set | grep -E '^[xy]='", { stdout: "x='a b'\ny='it'\"'\"'s'\n" }],
  ['set -o | head -3; set +o | tail -1', { stdout: 'errexit         off\nnoglob          off\nignoreeof       off\nset +o pipefail\n' }],
  ['set -Q; echo no', { stderr: 'sh: set: line 0: illegal option -Q\n', status: 2 }],
  ['set -o bogus; echo $?', { stdout: '1\n', stderr: 'sh: set: line 0: illegal option -o bogus\n' }],
  ['set -- a b c; echo $#; shift 2; echo "$@"; shift 5; echo $?', { stdout: '3\nc\n1\n' }],
  ['set -- a b; shift x', { stderr: 'sh: shift: line 0: Illegal number: x\n', status: 2 }],
  ['set -euf; echo $-; set +euf; echo $-', { stdout: 'ucfe\nc\n' }],
]);

table('type, command, hash, alias', [
  ['type echo cd if :; type nosuch; echo $?', { stdout: 'echo is a shell builtin\ncd is a shell builtin\nif is a shell keyword\n: is a special shell builtin\nnosuch: not found\n127\n' }],
  ['f() { :; }; type f; alias ll="ls -l"; type ll', { stdout: 'f is a function\nll is an alias for ls -l\n' }],
  ['type cat', { stdout: 'cat is cat\n' }],
  ['command -v cd; command -v nosuch; echo $?; alias ll="ls -l"; command -v ll', { stdout: "cd\n127\nalias ll='ls -l'\n" }],
  ['command -V cd', { stdout: 'cd is a shell builtin\n' }],
  ['f() { echo func; }; command f 2>/dev/null; echo $?', { stdout: '127\n' }],
  ['command eval "if"; echo $?', { stdout: '2\n', stderr: 'sh: eval: line 0: syntax error: unexpected end of file (expecting "then")\n' }],
  ['hash nope', { stderr: 'sh: hash: line 0: nope: not found\n', status: 1 }],
  ['alias a1="echo x"; alias a1; alias nope; echo $?', { stdout: "a1='echo x'\n1\n", stderr: 'alias: nope not found\n' }],
  ['unalias nope; echo $?', { stdout: '1\n', stderr: 'unalias: nope not found\n' }],
]);

table('read', [
  ['echo "a b c" | { read x y; echo "$x|$y"; }', { stdout: 'a|b c\n' }],
  ['echo "  x  " | { read; echo "[$REPLY]"; }; echo "  x  " | { read v; echo "[$v]"; }', { stdout: '[  x  ]\n[x]\n' }],
  ['printf "abc" | { read v; echo "[$v] $?"; }', { stdout: '[abc] 1\n' }],
  ['printf "abcdef" | { read -n 3 x; echo "$x $?"; read y; echo "$y $?"; }', { stdout: 'abc 0\ndef 1\n' }],
  ['printf "a:b;c" | { read -d ";" x; echo "$x"; }', { stdout: 'a:b\n' }],
  ['echo "a:b:c:d" | { IFS=: read a b; echo "$a|$b"; }', { stdout: 'a|b:c:d\n' }],
  ['echo "a:b::" | { IFS=: read a b c d; echo "$a|$b|$c|$d"; }', { stdout: 'a|b||\n' }],
  [String.raw`printf 'a\\\nb\n' | { read x; echo "$x"; }; printf 'a\\\\nb\n' | { read -r x; echo "$x"; }`, { stdout: 'ab\na\\\\nb\n' }],
  ['echo "a\\ b c" | { read x y; echo "[$x][$y]"; }', { stdout: '[a b][c]\n' }],
  ['read -t 0.05 x; echo $?', { stdout: '1\n' }],
  ['read -a x', { stderr: 'sh: read: line 0: illegal option -a\n', status: 2 }],
  ['read 1x', { stderr: "sh: read: '1x': bad variable name\n", status: 1 }],
  ['read -u 5 x 5<<EOF\nhello\nEOF\necho $x', { stdout: 'hello\n' }],
]);

table('getopts', [
  ['while getopts ab: o -ab1 x; do echo "$o $OPTIND ${OPTARG-U}"; done; echo "end $o $OPTIND ${OPTARG-U}"', { stdout: 'a 2 \nb 2 1\nend ? 2 U\n' }],
  ['getopts a o -x; echo "$o ${OPTARG-U} $?"', { stdout: '? U 0\n', stderr: 'Illegal option -x\n' }],
  ['getopts :a o -x; echo "$o $OPTARG"; OPTIND=1; getopts :b: o -b; echo "$o $OPTARG"', { stdout: '? x\n: b\n' }],
  ['getopts b: o -b; echo "$o"', { stdout: '?\n', stderr: 'No arg for -b option\n' }],
  ['getopts ab o -a -- -b; getopts ab o -a -- -b; echo "$o $OPTIND $?"', { stdout: '? 3 1\n' }],
  ['getopts', { stderr: 'sh: getopts: line 0: usage: getopts optstring var [arg]\n', status: 2 }],
]);

table('trap, kill, jobs, wait', [
  ['trap x BOGUS; echo $?', { stdout: '1\n', stderr: 'sh: trap: line 0: BOGUS: invalid signal specification\n' }],
  ['trap -p', { stderr: 'sh: trap: line 0: illegal option -p\n', status: 2 }],
  ['kill -l | head -3; kill -l 9 137 KILL', { stdout: ' 1) HUP\n 2) INT\n 3) QUIT\nKILL\nKILL\n9\n' }],
  ['kill -BOGUS 1; echo $?', { stdout: '1\n', stderr: "sh: bad signal name 'BOGUS'\n" }],
  ['kill; echo $?', { stdout: '1\n', stderr: 'sh: you need to specify whom to kill\n' }],
  ['kill %3; echo $?', { stdout: '2\n', stderr: 'sh: kill: line 0: %3: no such job\n' }],
  ['jobs %3; echo $?', { stdout: '2\n', stderr: 'sh: jobs: line 0: %3: no such job\n' }],
  ['fg', { stderr: 'sh: fg: line 0: No current job\n', status: 2 }],
  ['wait 99999; echo $?', { stdout: '127\n' }],
  ['sleep 1 & sleep 2 & jobs; kill %1 %2; wait', { stdout: '[2]+  Running                    \n[1]-  Running                    \n' }],
  ['trap "echo got" USR1; sleep 2 & (sleep 0.1; kill -USR1 $$) & wait %1; echo "wait $?"; kill %1', { stdout: 'got\nwait 138\n' }],
]);

table('others', [
  ['umask 022; umask; umask -S; umask 077; umask; umask u=rwx,g=rx; umask', { stdout: '0022\nu=rwx,g=rx,o=rx\n0077\n0027\n' }],
  ['umask 999; echo $?', { stdout: '2\n', stderr: 'sh: umask: line 0: illegal mode: 999\n' }],
  ['times | sed "s/[0-9]/0/g"', { stdout: '0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n' }],
  ['let a=1+2 b=a*2; echo $a $b $?; let 0; echo $?', { stdout: '3 6 0\n1\n' }],
  ['let; echo $?', { stdout: '2\n', stderr: 'sh: let: line 0: expression expected\n' }],
  ['break 0', { stderr: 'sh: break: line 0: Illegal number: 0\n', status: 2 }],
  ['. /nonexist', { stderr: "sh: .: line 0: can't open '/nonexist': No such file or directory\n", status: 2 }],
  ['source nosuchfile', { stderr: 'sh: source: line 0: nosuchfile: not found\n', status: 2 }],
  ['exec /nonexist', { stderr: 'sh: exec: line 0: /nonexist: not found\n', status: 127 }],
  ['ulimit -n | grep -qE "^[0-9]+|unlimited$" && echo lim', { stdout: 'lim\n' }],
  ['help | head -2', { stdout: 'Built-in commands:\n------------------\n' }],
]);

describe('. and source', () => {
  it('run a file in this shell, with arguments as $1.. while it runs, and return ends it', async () => {
    const dir = tempDir();
    const r = await out('printf "echo in \\$1 \\$#\\nx=set\\nreturn 4\\necho no\\n" > f.sh; set -- outer; . ./f.sh a b; echo "$? $x $1"; source ./f.sh; echo $?', { cwd: dir });
    expect(r).toBe('in a 2\n4 set outer\nin outer 1\n4\n');
  });
  it('report errors with the file name and line', async () => {
    const dir = tempDir();
    const r = await sh('printf "\\n\\nnosuch\\n" > f.sh; . ./f.sh', { cwd: dir });
    expect(r.stderr).toBe('sh: ./f.sh: line 3: nosuch: not found\n');
  });
});
