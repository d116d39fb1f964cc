// The shell as people use it: the built executable through bin/sh and bin/ash links in a throwaway
// rootfs, running scripts, -c strings and standard input, mixing applets with programs from PATH,
// receiving signals, and driven interactively through a pseudo-terminal.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRootfs } from '../helpers/binary.js';
import { hasTool } from '../helpers/reference.js';
import { tempDir } from '../helpers/run.js';

const root = makeRootfs({ sh: 'bin', ash: 'bin', cat: 'bin', echo: 'bin', true: 'bin', false: 'bin' });
const SH = path.join(root, 'bin/sh');
const ENV = { PATH: `${path.join(root, 'bin')}:/usr/bin:/bin`, LC_ALL: 'C', HOME: root };

function sh(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(SH, args, { input: opts.input ?? '', cwd: opts.cwd ?? tempDir(), env: { ...ENV, ...opts.env }, encoding: 'latin1', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('invocation', () => {
  it('runs -c with $0 and arguments', () => {
    expect(sh(['-c', 'echo $0 $# "$@"'])).toEqual({ status: 0, stdout: 'sh 0\n', stderr: '' });
    expect(sh(['-c', 'echo $0 $# "$@"', 'name', 'a b', 'c'])).toEqual({ status: 0, stdout: 'name 2 a b c\n', stderr: '' });
  });
  it('runs a script file with arguments, without needing the execute bit', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 's.sh'), '#!/bin/sh\necho "$0" "$1"\nnosuch\necho $LINENO\nexit 3\n');
    expect(sh(['s.sh', 'arg'], { cwd: dir })).toEqual({ status: 3, stdout: 's.sh arg\n4\n', stderr: 's.sh: line 3: nosuch: not found\n' });
  });
  it('reads commands from standard input (-s too), leaving later lines to read', () => {
    expect(sh([], { input: 'echo $-\nread x\nthis is data\necho "got $x"\n' })).toEqual({ status: 0, stdout: 's\ngot this is data\n', stderr: '' });
    expect(sh(['-s', 'a', 'b'], { input: 'echo $1 $2\n' }).stdout).toBe('a b\n');
  });
  it('is also ash', () => {
    const r = spawnSync(path.join(root, 'bin/ash'), ['-c', 'echo $0'], { env: ENV, encoding: 'latin1' });
    expect(r.stdout).toBe('ash\n');
  });
  it('reports a missing script and bad options as ash does', () => {
    expect(sh(['./nope.sh'])).toEqual({ status: 2, stdout: '', stderr: "sh: can't open './nope.sh': No such file or directory\n" });
    expect(sh(['-Q'])).toMatchObject({ status: 2, stderr: 'sh: illegal option -Q\n' });
    expect(sh(['-c'])).toMatchObject({ status: 2, stderr: 'sh: -c requires an argument\n' });
  });
  it('-n parses without running; -x traces', () => {
    expect(sh(['-n', '-c', 'echo hi'])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(sh(['-n', '-c', 'if'])).toMatchObject({ status: 2 });
    expect(sh(['-xc', 'echo $((1+1))'])).toEqual({ status: 0, stdout: '2\n', stderr: '+ echo 2\n' });
  });
});

describe('commands', () => {
  it('mixes applets and programs from PATH in pipelines', () => {
    const r = sh(['-c', 'printf "b\\na\\nc\\n" | sort | cat | tr a-z A-Z | head -n 2; echo x | /usr/bin/od -c | cat | head -1']);
    expect(r).toEqual({ status: 0, stdout: 'A\nB\n0000000   x  \\n\n', stderr: '' });
  });
  it('ends a pipeline at once when its reader stops (yes | head)', () => {
    const started = Date.now();
    expect(sh(['-c', 'yes | head -n 3; cat /dev/zero | head -c 5 | od -An -c'])).toEqual({ status: 0, stdout: 'y\ny\ny\n  \\0  \\0  \\0  \\0  \\0\n', stderr: '' });
    expect(Date.now() - started).toBeLessThan(20_000);
  });
  it('gives programs the redirected descriptors, environment and directory', () => {
    const dir = tempDir();
    const r = sh(['-c', `cd ${dir} && X=1 /usr/bin/env | grep -c "^X=1$"; /bin/pwd; exec 3>out; /bin/sh -c "echo to3 >&3"; cat out; /usr/bin/printf "%s\\n" err 2>&1 >/dev/null 1>&2 | cat`], { cwd: '/' });
    expect(r.stdout).toBe(`1\n${dir}\nto3\nerr\n`);
    expect(fs.readFileSync(path.join(dir, 'out'), 'latin1')).toBe('to3\n');
  });
  it('here-documents reach programs and applets', () => {
    expect(sh(['-c', 'x=5; /bin/cat <<EOF\nval $x\nEOF\ncat <<-E | /usr/bin/wc -l\n\ta\n\tb\n\tE']).stdout).toBe('val 5\n2\n');
  });
  it('reports signals that killed a command, and 128+n', () => {
    expect(sh(['-c', '/bin/sh -c \'kill -TERM $$\'; echo $?'])).toEqual({ status: 0, stdout: '143\n', stderr: 'Terminated\n' });
  });
  it('exec replaces the shell with the program', () => {
    const r = sh(['-c', 'echo $$; exec /bin/sh -c \'echo $$\'']);
    const [a, b] = r.stdout.trim().split('\n');
    expect(a).toBe(b);
  });
  it('background jobs, $!, wait and kill', () => {
    const r = sh(['-c', '/bin/sleep 10 & p=$!; kill -0 $p && echo alive; kill $p; wait $p; echo "status $?"; (exit 3) & wait $!; echo $?']);
    expect(r).toMatchObject({ stdout: 'alive\nstatus 143\n3\n' });
  });
});

describe('traps and signals', () => {
  it('runs traps for signals sent by other processes, and EXIT', async () => {
    const child = spawn(SH, ['-c', 'trap "echo got TERM; exit 5" TERM; trap "echo bye" EXIT; echo ready; while :; do /bin/sleep 0.05; done'], { env: ENV });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out === 'ready\n') child.kill('SIGTERM');
    });
    const status = await new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    expect(out).toBe('ready\ngot TERM\nbye\n');
    expect(status).toBe(5);
  });
  it('dies of an untrapped signal', async () => {
    const child = spawn(SH, ['-c', 'echo ready; while :; do :; done'], { env: ENV });
    child.stdout.once('data', () => child.kill('SIGTERM'));
    const sig = await new Promise((resolve) => child.on('exit', (_c, s) => resolve(s)));
    expect(sig).toBe('SIGTERM');
  });
  it('SIGUSR1 without a trap ends the shell (it does not start the Node debugger)', () => {
    expect(sh(['-c', 'kill -USR1 $$; echo no'])).toMatchObject({ status: 138, stdout: '', stderr: '' });
    expect(sh(['-c', 'trap "echo t" USR1; kill -USR1 $$; trap - USR1; kill -USR1 $$; echo no'])).toMatchObject({ status: 138, stdout: 't\n' });
  });
  it('wait is interrupted by a trapped signal', () => {
    const r = sh(['-c', 'trap "echo usr1" USR1; /bin/sleep 5 & (/bin/sleep 0.2; kill -USR1 $$) & wait %1; echo "wait $?"; kill %1']);
    expect(r.stdout).toBe('usr1\nwait 138\n');
  });
});

describe.skipIf(!hasTool('python3'))('interactive', () => {
  // A pseudo-terminal session: prompts, line editing, history, completion, ^C, PS2, ENV, exit.
  const driver = `
import os, pty, sys, time, select, json
pid, fd = pty.fork()
if pid == 0:
    os.execve(sys.argv[1], [sys.argv[1], '-i'], json.loads(sys.argv[2]))
def read(t):
    out = b''
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out
log = read(3.0)
for step in json.loads(sys.argv[3]):
    os.write(fd, step.encode('latin1'))
    log += read(1.2)
_, status = os.waitpid(pid, 0)
sys.stdout.write(log.decode('latin1'))
sys.stdout.write('\\nEXIT %d\\n' % os.WEXITSTATUS(status))
`;
  it('edits, completes, remembers, survives ^C, continues lines and exits', () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, '.shrc'), 'greet() { echo hello from env; }\n');
    fs.mkdirSync(path.join(home, 'somedir'));
    const env = { ...ENV, HOME: home, ENV: '$HOME/.shrc', PS1: 'P\\$ ', TERM: 'xterm' };
    const steps = ['greet\r', 'echo $((6*7))\r', 'if true\r', 'then echo cont\r', 'fi\r', 'cd ~/some', '\t', '\r', 'pwd\r', 'sleep 10\r', '\x03', 'echo st $?\r', 'half typed\x03', '\x1b[A\x1b[A\r', 'exit 4\r'];
    const r = spawnSync('python3', ['-c', driver, SH, JSON.stringify(env), JSON.stringify(steps)], { encoding: 'latin1', timeout: 60_000, cwd: home });
    const screen = r.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
    expect(screen).toContain('hello from env');
    expect(screen).toContain('42');
    expect(screen).toContain('> ');
    expect(screen).toContain('cont');
    expect(screen).toContain(`${home}/somedir`);
    expect(screen).toContain('^C');
    expect(screen).toContain('st 130');
    expect(screen).toContain('P# ');
    expect(screen).toMatch(/EXIT 4\n$/);
    const history = fs.readFileSync(path.join(home, '.ash_history'), 'latin1');
    expect(history).toContain('echo $((6*7))\n');
    expect(history).toContain('if true\nthen echo cont\nfi\n');
  }, 90_000);
});
