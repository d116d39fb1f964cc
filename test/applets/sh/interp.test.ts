// The interpreter: control flow, functions, subshells, pipelines, redirections, here-documents,
// set -e, traps, background jobs and error reporting, run in-process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KillRequest } from '../../../src/core/process.js';
import { tempDir } from '../../helpers/run.js';
import { out, sh } from './helpers.js';

const CASES: [string, string][] = [
  // control flow
  ['if true; then echo t; elif false; then echo e; else echo f; fi; if false; then :; elif true; then echo elif; fi', 't\nelif\n'],
  ['i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i = 3 ] && continue; echo $i; done', '1\n2\n4\n5\n'],
  ['i=0; until [ $i -ge 3 ]; do echo u$i; i=$((i+1)); done', 'u0\nu1\nu2\n'],
  ['for i in 1 2 3; do for j in a b; do [ $j = b ] && break 2; echo $i$j; done; done; echo end', '1a\nend\n'],
  ['for i in 1 2; do for j in a b; do [ $j = a ] && continue 2; echo no; done; echo no; done; echo end', 'end\n'],
  ['for x in; do echo never; done; echo done', 'done\n'],
  ['f() { for i; do echo arg:$i; done; }; f a b', 'arg:a\narg:b\n'],
  ['while false; do :; done; echo $?', '0\n'],
  ['break; continue; echo outside', 'outside\n'],
  ['for i in 1 2 3; do break 5; done; echo $i', '1\n'],
  ['case abc in a*) echo star;; *) echo other;; esac; case x in y|x) echo yx;; esac', 'star\nyx\n'],
  ["case '*' in '*') echo lit;; esac; case z in [a-y]) echo no;; [!a-y]) echo yes;; esac", 'lit\nyes\n'],
  ['case a in b) echo b;; a) echo a;& c) echo c;; d) echo d;; esac', 'a\nc\n'],
  ['x=abc; case $x in (abc) echo paren;; esac', 'paren\n'],
  ['case "" in "") echo empty;; esac', 'empty\n'],
  ['true && { echo grp; false; } || echo recovered', 'grp\nrecovered\n'],
  ['true | false; echo $?; false | true; echo $?; ! true; echo $?', '1\n0\n1\n'],
  ['set -o pipefail; false | true; echo $?', '1\n'],
  // functions
  ['f() { echo "f: $# $1 $2"; return 3; }; f x y; echo $?', 'f: 2 x y\n3\n'],
  ['f() { local x=1; g; echo $x; }; g() { x=2; }; x=5; f; echo $x', '2\n5\n'],
  ['f() { local x; echo "[${x-unset}]"; }; x=out; f', '[unset]\n'],
  ['set -- one two; f() { echo $#; }; f a b c; echo $#', '3\n2\n'],
  ['f() { return; }; false; f; echo $?', '1\n'],
  ['f() { echo $0; }; f', 'sh\n'],
  ['function g { echo g; }; g; function h() { echo h; }; h', 'g\nh\n'],
  ['f() echo simple; f', 'simple\n'],
  ['f() { echo $FUNCNAME; }; f', 'f\n'],
  ['f() { local -; set -x; }; f; echo $-', 'c\n'],
  // subshells and variables
  ['x=1; (x=2; echo $x); echo $x', '2\n1\n'],
  ['x=1; { x=2; }; echo $x', '2\n'],
  ['x=1; echo $x | { read y; x=3; }; echo $x', '1\n'],
  ['(exit 42); echo $?', '42\n'],
  ['x=3 y=$x; echo $y', '3\n'],
  ['f() { echo "[$q]"; }; p=1 q=$p f; echo "[$q]"', '[1]\n[]\n'],
  ['x=1 true; echo $x', '\n'],
  ['x=1 :; echo $x', '1\n'],
  ['a=1 b=$a sh -c \'echo $b\'', '1\n'],
  // pipelines
  ['echo a | cat; echo b | { read x; echo "got $x"; }', 'a\ngot b\n'],
  ['{ echo out; echo err >&2; } 2>&1 | cat', 'out\nerr\n'],
  ['yes | head -n 2', 'y\ny\n'],
  ['while :; do echo y; done | head -n 1', 'y\n'],
  ['printf "l1\\nl2\\nl3" | while read l; do echo "[$l]"; done; echo "[$l]"', '[l1]\n[l2]\n[]\n'],
  // here-documents and strings
  ['cat <<EOF\nhello $((1+1))\n  \\$x \\\\\nEOF', 'hello 2\n  $x \\\n'],
  ["cat <<'EOF'\nno $x here\nEOF", 'no $x here\n'],
  ['cat <<-EOF\n\ttabbed\n\tEOF', 'tabbed\n'],
  ['x=5; cat <<A; cat <<B\na$x\nA\nb$x\nB', 'a5\nb5\n'],
  ['x=$(cat <<EOF\ninside\nEOF\n); echo "$x"', 'inside\n'],
  ['cat <<EOF\na\\\nb\nEOF', 'ab\n'],
  ['cat <<< "here $((2+3))"', 'here 5\n'],
  ['while read a b; do echo "[$a|$b]"; done <<EOF\none two three\nfour\nEOF', '[one|two three]\n[four|]\n'],
  // eval, aliases, command substitution status
  ['x=1; eval \'x=2; echo $x\'; echo $x', '2\n2\n'],
  ['alias e="echo aliased"\ne hi', 'aliased hi\n'],
  ['alias e="echo "; alias w=world\ne w', 'world\n'],
  ['echo $(exit 3); echo $?; x=$(exit 4); echo $?', '\n0\n4\n'],
  // traps
  ['trap "echo bye" EXIT; echo hi', 'hi\nbye\n'],
  ['trap "echo trapped \\$?" EXIT; false', 'trapped 1\n'],
  ['trap "echo in trap; exit 3" EXIT; echo body; exit 1', 'body\nin trap\n'],
  ['trap "echo int" INT; trap; trap - INT; trap', "trap -- 'echo int' INT\n"],
  ['trap "echo usr1" USR1; kill -USR1 $$; echo after', 'usr1\nafter\n'],
  ['trap "echo usr1" USR1; (kill -USR1 $$); echo next', 'usr1\nnext\n'],
  ['(trap "echo subexit" EXIT; echo in sub); echo out', 'in sub\nsubexit\nout\n'],
  ['x=$(trap "echo substexit" EXIT; echo val); echo "[$x]"', '[val\nsubstexit]\n'],
  ["trap 'echo x' 15; trap", "trap -- 'echo x' TERM\n"],
  ["trap '' QUIT; trap", "trap -- '' QUIT\n"],
  ["trap \"echo 'q'\" HUP; trap", "trap -- 'echo '\"'\"'q'\"'\" HUP\n"],
  // background jobs
  ['sleep 0.1 & wait $!; echo "bg $?"', 'bg 0\n'],
  ['(exit 5) & wait $!; echo $?', '5\n'],
  ['false & true & wait; echo all', 'all\n'],
  ['sleep 5 & kill $!; wait $!; echo $?', '143\n'],
  ['echo 1; echo 2 & wait; echo 3', '1\n2\n3\n'],
  // $LINENO and specials
  ['echo $LINENO; echo $LINENO\necho $LINENO', '0\n0\n1\n'],
  ['f() { echo $LINENO; }\nf', '0\n'],
  ['echo ${PPID:+ppid} ${#$}', 'ppid 0\n'.replace('0', String(String(process.pid).length))],
  ['RANDOM=5; a=$RANDOM; RANDOM=5; b=$RANDOM; [ $a = $b ] && echo seeded', 'seeded\n'],
];

describe('interpreter', () => {
  it.each(CASES)('%s', async (script, want) => expect(await out(script)).toBe(want));
});

describe('set -e', () => {
  const cases: [string, string, number][] = [
    ['set -e; false; echo no', '', 1],
    ['set -e; false || echo ok; if false; then :; fi; while false; do :; done; echo yes', 'ok\nyes\n', 0],
    ['set -e; f() { false; echo inner; }; f || echo handled', 'inner\n', 0],
    ['set -e; ! false; echo bang; false && true; echo andok', 'bang\nandok\n', 0],
    ['set -e; false | true; echo pipe', 'pipe\n', 0],
    ['set -eo pipefail; false | true; echo no', '', 1],
    ['set -e; (false; echo x); echo no', '', 1],
    ['set -e; x=$(false); echo no', '', 1],
    ['set -e; x=$(false; echo in); echo "$x"', '', 1],
    ['set -e; a=$(exit 4)', '', 4],
    ['set -e; trap "echo exit trap \\$?" EXIT; false', 'exit trap 1\n', 1],
  ];
  it.each(cases)('%s', async (script, stdout, status) => expect(await sh(script)).toMatchObject({ stdout, status }));
});

describe('redirections', () => {
  const dir = tempDir();
  it('writes, appends, reads, duplicates and closes', async () => {
    const r = await sh('echo a > f; echo b >> f; cat < f; exec 3>g; echo via3 >&3; exec 3>&-; cat g; echo x >&3', { cwd: dir });
    expect(r).toMatchObject({ stdout: 'a\nb\nvia3\n', stderr: 'sh: 3: Bad file descriptor\n', status: 1 });
  });
  it('noclobber, >| and <>', async () => {
    const r = await sh('set -C; echo a > n; echo b > n; echo c >| n; cat n; echo 1 <> rw; cat rw', { cwd: dir });
    expect(r).toMatchObject({ stdout: 'c\n1\n', stderr: "sh: can't create n: File exists\n" });
  });
  it('reports failures in ash words; the command gets 1 and the shell goes on', async () => {
    const r = await sh('cat < /nonexist; echo $?; echo > /nonexist/x; echo $?; echo > /; echo $?', { cwd: dir });
    expect(r.stdout).toBe('1\n1\n1\n');
    expect(r.stderr).toBe("sh: can't open /nonexist: no such file\nsh: can't create /nonexist/x: nonexistent directory\nsh: can't create /: Is a directory\n");
  });
  it('a failed redirection on a special builtin ends the shell', async () => {
    expect(await sh('eval : > /nonexist/f; echo no')).toMatchObject({ stdout: '', status: 1 });
  });
  it('&> and >& send both outputs', async () => {
    expect(await out('{ echo o; echo e >&2; } &> b; cat b; { echo o2; echo e2 >&2; } >& c; cat c', { cwd: dir })).toBe('o\ne\no2\ne2\n');
  });
  it('compound commands take redirections', async () => {
    expect(await out('for i in 1 2; do echo $i; done > l; while read x; do echo "<$x>"; done < l; if true; then echo y; fi > i; cat i', { cwd: dir })).toBe('<1>\n<2>\ny\n');
  });
  it('a closed stdout is a write error for builtins', async () => {
    expect(await sh('echo hi >&-; echo $?')).toMatchObject({ stdout: '1\n', stderr: 'sh: write error: Bad file descriptor\n' });
  });
});

describe('errors and statuses', () => {
  it('not found is 127, not executable 126, with ash messages', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'noexec'), 'echo x\n');
    const r = await sh('nosuch; echo $?; /x/y; echo $?; ./noexec; echo $?; ./; echo $?', { cwd: dir });
    expect(r.stdout).toBe('127\n127\n126\n126\n');
    expect(r.stderr).toBe('sh: nosuch: not found\nsh: /x/y: not found\nsh: ./noexec: Permission denied\nsh: ./: Permission denied\n');
  });
  it('line numbers appear with an explicit $0', async () => {
    expect((await sh('\nnosuch', { args: ['nm'] })).stderr).toBe('nm: line 1: nosuch: not found\n');
  });
  it('a syntax error stops the shell before the line runs', async () => {
    expect(await sh('echo a; fi')).toMatchObject({ stdout: '', status: 2, stderr: 'sh: syntax error: unexpected "fi"\n' });
    expect(await sh('echo a\nfi')).toMatchObject({ stdout: 'a\n', status: 2 });
  });
  it('readonly variables cannot be assigned', async () => {
    expect(await sh('readonly r=1; r=2; echo after')).toMatchObject({ stdout: '', status: 2, stderr: 'sh: r: is read only\n' });
  });
  it('exit and return statuses', async () => {
    expect((await sh('exit 256')).status).toBe(0);
    expect((await sh('exit 3; echo no')).status).toBe(3);
    expect((await sh('false; exit')).status).toBe(1);
    expect((await sh('return 7; echo no')).status).toBe(7);
    expect(await sh('exit abc')).toMatchObject({ status: 2, stderr: 'sh: exit: line 0: Illegal number: abc\n' });
  });
});

describe('run in-process by another applet: signals arrive as aborts of ctx.signal', () => {
  const abortAfter = (ms: number, request: KillRequest) => {
    const c = new AbortController();
    setTimeout(() => c.abort(request), ms);
    return c.signal;
  };
  it('a trapped signal runs its trap and wakes wait', async () => {
    const r = await sh('trap "echo got USR1; exit 3" USR1; sleep 5 & wait; echo no', { signal: abortAfter(100, new KillRequest(10)) });
    expect(r).toMatchObject({ stdout: 'got USR1\n', status: 3 });
  });
  it('an ignored one is ignored until the KILL that follows it', async () => {
    const r = await sh('trap "" TERM; sleep 5; echo no', { signal: abortAfter(100, new KillRequest(15, 100)) });
    expect(r).toMatchObject({ stdout: '', status: 137 });
  });
  it('an untrapped one ends the shell with 128 + the signal', async () => {
    expect(await sh('sleep 5; echo no', { signal: abortAfter(100, new KillRequest(2)) })).toMatchObject({ stdout: '', status: 130 });
    expect(await sh('while :; do :; done', { signal: abortAfter(100, new KillRequest(15)) })).toMatchObject({ status: 143 });
  });
  it('kill $$ signals the shell, not the process that hosts it', async () => {
    expect(await sh('kill -TERM $$; echo no')).toMatchObject({ stdout: '', status: 143 });
    expect(await sh('trap "echo hup" HUP; kill -HUP $$; echo yes')).toMatchObject({ stdout: 'hup\nyes\n', status: 0 });
  });
});
