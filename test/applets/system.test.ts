// In-process tests of the system applets: what the differential tests cannot reach (GNU kill's
// formats, which Debian does not ship; terminals; aborts; BusyBox ps columns).
import { describe, expect, it } from 'vitest';
import { parseSignal, signalNameGnu } from '../../src/applets/kill.js';
import { splitString } from '../../src/applets/env.js';
import { Env } from '../../src/core/env.js';
import { run } from '../helpers/run.js';

describe('kill', () => {
  it('lists signals as GNU coreutils does', async () => {
    const r = await run('kill -l');
    const names = r.stdout.trim().split('\n');
    expect(names.slice(0, 5)).toEqual(['HUP', 'INT', 'QUIT', 'ILL', 'TRAP']);
    expect(names[28]).toBe('POLL');
    expect(names).toContain('RTMIN');
    expect(names).toContain('RTMIN+15');
    expect(names).toContain('RTMAX-14');
    expect(names.at(-1)).toBe('RTMAX');
    expect(names).toHaveLength(31 + 31);
  });
  it('converts names, numbers and exit statuses', async () => {
    expect((await run('kill -l 9 KILL sigterm 143 0')).stdout).toBe('KILL\n9\n15\nTERM\nEXIT\n');
    expect(await run('kill -l 128')).toMatchObject({ status: 1, stderr: "kill: '128': invalid signal\n" });
    expect(parseSignal('RTMIN+1')).toBe(35);
    expect(signalNameGnu(50)).toBe('RTMAX-14');
  });
  it('prints GNU\'s table with -t and -L', async () => {
    const r = await run('kill -t');
    expect(r.stdout.split('\n')[0]).toBe(' 1 HUP      Hangup');
    expect(r.stdout).toContain('34 RTMIN    Real-time signal 0\n');
    expect((await run('kill -L 15')).stdout).toBe('15 TERM     Terminated\n');
  });
  it('sends signals, and refuses job specs and bad ids', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn('sleep', ['30']);
    const exited = new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(await run(['kill', '-s', 'USR1', String(child.pid)])).toMatchObject({ status: 0, stderr: '' });
    expect(await exited).toBe('SIGUSR1');
    expect(await run('kill %1')).toMatchObject({ status: 1, stderr: "kill: '%1': job specifications are the shell's; use its kill builtin\n" });
    expect(await run('kill abc')).toMatchObject({ status: 1, stderr: "kill: 'abc': invalid process id\n" });
    expect(await run('kill -9')).toMatchObject({ status: 1, stderr: "kill: no process ID specified\nTry 'kill --help' for more information.\n" });
    expect(await run('kill -FOO 1')).toMatchObject({ status: 1, stderr: "kill: 'FOO': invalid signal\nTry 'kill --help' for more information.\n" });
    expect(await run('kill -l -s 9')).toMatchObject({ status: 1 });
    const gone = await run('kill 2147483646');
    expect(gone).toMatchObject({ status: 1, stderr: "kill: '2147483646': No such process\n" });
  });
});

describe('ps', () => {
  it('shows BusyBox\'s default columns, this process among them', async () => {
    const r = await run('ps');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PID   USER     TIME  COMMAND');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\s*${process.pid} \\S+\\s+\\s*\\d+:\\d\\d `)));
  });
  it('takes -o with headers renamed or dropped', async () => {
    expect((await run('ps -o pid,ppid,comm')).stdout.split('\n')[0]).toBe('PID   PPID  COMMAND');
    expect((await run('ps -o pid= -o comm=')).stdout.split('\n')[0]).toMatch(/^\s*1 /);
    expect((await run('ps -o pid=,comm=')).stdout.split('\n')[0]).toMatch(/^\s*1 /);
    expect((await run('ps -o pid=PROC,comm')).stdout.split('\n')[0]).toBe('PROC COMMAND');
    expect((await run(['ps', '-o', 'pid=PROCESS'])).stdout.split('\n')[0]).toBe('PROCESS');
    expect(await run('ps -o bogus')).toMatchObject({ status: 1, stderr: expect.stringContaining("ps: bad -o argument 'bogus', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss") });
    expect((await run('ps -ef')).stdout.split('\n')[0]).toBe('PID   USER     TIME  COMMAND');
  });
  it('lists threads with -T', async () => {
    const r = await run('ps -T -o pid,comm');
    expect(r.stdout.split('\n').length).toBeGreaterThan((await run('ps -o pid,comm')).stdout.split('\n').length);
  });
});

describe('terminals', () => {
  // tty and nohup on a real terminal: test/e2e/system.e2e.test.ts (through script(1))
  it('tty says when stdin is no terminal', async () => {
    expect(await run('tty')).toMatchObject({ status: 1, stdout: 'not a tty\n' });
    expect(await run('tty -s')).toMatchObject({ status: 1, stdout: '' });
  });
  it('clear writes BusyBox\'s sequence', async () => {
    expect((await run('clear')).stdout).toBe('\x1b[H\x1b[J');
  });
});

describe('sleep and timeout in-process', () => {
  it('sleep stops when aborted, with the status of the signal asked for', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect((await run('sleep 100', { signal: controller.signal })).status).toBe(143);
  });
  it('timeout stops an applet running in-process', async () => {
    expect((await run('timeout 0.1 sleep 100')).status).toBe(124);
    expect((await run('timeout --preserve-status -s INT 0.1 sleep 100')).status).toBe(130);
    expect((await run('timeout 5 sleep 0.01')).status).toBe(0);
  });
});

describe('env -S', () => {
  it('splits as GNU does', () => {
    const env = new Env({ HOME: '/h' });
    expect(splitString('a  b', env)).toEqual(['a', 'b']);
    expect(splitString(`"x y" 'q\\'r' \${HOME} a\\_b "c\\_d"`, env)).toEqual(['x y', "q'r", '/h', 'a', 'b', 'c d']);
    expect(splitString('a # rest', env)).toEqual(['a']);
    expect(splitString('a \\c b', env)).toEqual(['a']);
    expect(splitString("''", env)).toEqual(['']);
    expect(() => splitString('\\q', env)).toThrow("invalid sequence '\\q' in -S");
    expect(() => splitString('$HOME', env)).toThrow('only ${VARNAME} expansion is supported');
  });
});

describe('which and uname', () => {
  it('which finds nothing without PATH entries that hold the name', async () => {
    expect(await run('which definitely-not-a-command', { env: { PATH: '/nonexistent' } })).toMatchObject({ status: 1, stdout: '' });
    expect((await run('which', {})).stderr).toMatch(/^Usage: which \[-a\] COMMAND/);
  });
  it('uname -a puts the fields in GNU\'s order', async () => {
    const os = await import('node:os');
    expect((await run('uname -a')).stdout).toBe(`${os.type()} ${os.hostname()} ${os.release()} ${os.version()} ${os.machine()} GNU/Linux\n`);
  });
});
