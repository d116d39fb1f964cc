// The system applets as the built executable through symlinks: on a real terminal (script(1)
// makes one) for tty and nohup, with real signals for kill, timeout and nohup, and with
// hostname changed only inside a private UTS namespace (unshare -u).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRootfs } from '../helpers/binary.js';
import { tempDir } from '../helpers/run.js';

const APPLETS = {
  env: 'usr/bin', printenv: 'usr/bin', id: 'usr/bin', whoami: 'usr/bin', groups: 'usr/bin', uname: 'bin', hostname: 'bin', sleep: 'bin', kill: 'bin',
  which: 'usr/bin', nproc: 'usr/bin', ps: 'bin', timeout: 'usr/bin', nohup: 'usr/bin', sync: 'bin', tty: 'usr/bin', clear: 'usr/bin', echo: 'bin',
};
const root = makeRootfs(APPLETS);
const tool = (name: keyof typeof APPLETS) => path.join(root, APPLETS[name], name);
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C' };

function exec(file: string, args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(file, args, { cwd: opts.cwd ?? tempDir(), input: opts.input, env: opts.env ?? ENV, encoding: 'latin1', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run a command line on a pseudo-terminal; script(1) copies the terminal's output to stdout. */
function onTerminal(command: string, cwd: string) {
  return exec('script', ['-qec', command, '/dev/null'], { cwd });
}

describe.skipIf(!have('script'))('on a terminal', () => {
  it('tty names it', () => {
    const r = onTerminal(tool('tty'), tempDir());
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\/dev\/pts\/\d+\r\n$/);
    expect(onTerminal(`${tool('tty')} -s`, tempDir()).status).toBe(0);
  });
  it('nohup sends output to nohup.out and says so', () => {
    const dir = tempDir();
    const r = onTerminal(`${tool('nohup')} ${tool('echo')} hi`, dir);
    expect(r.stdout).toBe("nohup: ignoring input and appending output to 'nohup.out'\r\n");
    expect(fs.readFileSync(path.join(dir, 'nohup.out'), 'latin1')).toBe('hi\n');
    expect(fs.statSync(path.join(dir, 'nohup.out')).mode & 0o777).toBe(0o600);
    const err = onTerminal(`${tool('nohup')} sh -c 'echo out; echo err >&2' > out.txt`, dir);
    expect(err.stdout).toBe('nohup: ignoring input and redirecting stderr to stdout\r\n');
    expect(fs.readFileSync(path.join(dir, 'out.txt'), 'latin1')).toBe('out\nerr\n');
  });
  it('clear writes its sequence', () => {
    expect(onTerminal(tool('clear'), tempDir()).stdout).toBe('\x1b[H\x1b[J');
  });
});

describe('signals', () => {
  it('nohup keeps its command alive through a hangup', async () => {
    const dir = tempDir();
    const child = spawn(tool('nohup'), ['sh', '-c', 'sleep 0.5; echo survived > proof'], { cwd: dir, env: ENV, detached: true, stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(-child.pid!, 'SIGHUP');
    const status = await new Promise((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig)));
    expect(status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'proof'), 'latin1')).toBe('survived\n');
  });
  it('timeout sends the signal asked for, then KILL after -k', () => {
    // the background sleep gets its own output, so the pipes close when sh goes
    const script = 'trap "echo got USR1; exit 3" USR1; sleep 5 >/dev/null 2>&1 & wait';
    expect(exec(tool('timeout'), ['-s', 'USR1', '0.3', 'sh', '-c', script])).toEqual({ status: 124, stdout: 'got USR1\n', stderr: '' });
    expect(exec(tool('timeout'), ['--preserve-status', '-s', 'USR1', '0.3', 'sh', '-c', script]).status).toBe(3);
    expect(exec(tool('timeout'), ['-k', '0.3', '0.2', 'sh', '-c', 'trap "" TERM; sleep 5 >/dev/null 2>&1']).status).toBe(137);
    expect(exec(tool('timeout'), ['-v', '0.2', 'sleep', '5'])).toEqual({ status: 124, stdout: '', stderr: "timeout: sending signal TERM to command 'sleep'\n" });
    expect(exec(tool('timeout'), ['0.2', tool('sleep'), '5']).status).toBe(124);
  });
  it('kill signals a process; sleep dies of it at once', async () => {
    const child = spawn(tool('sleep'), ['30'], { env: ENV });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    expect(exec(tool('kill'), ['-s', 'TERM', String(child.pid)])).toEqual({ status: 0, stdout: '', stderr: '' });
    const sig = await new Promise((resolve) => child.on('exit', (_c, s) => resolve(s)));
    expect(sig).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('environment and identity', () => {
  it('env runs applets and programs with the environment it was given', () => {
    expect(exec(tool('env'), ['-i', 'A=1', tool('printenv')])).toEqual({ status: 0, stdout: 'A=1\n', stderr: '' });
    expect(exec(tool('env'), ['-i', 'B=2', 'printenv', 'B'], { env: ENV }).stdout).toBe('2\n');
    expect(exec(tool('env'), ['nosuch'])).toEqual({ status: 127, stdout: '', stderr: "env: 'nosuch': No such file or directory\n" });
    expect(exec(tool('env'), ['-C', '/', 'pwd']).stdout).toBe('/\n');
  });
  it('env -S works on a shebang line', () => {
    const dir = tempDir();
    const script = path.join(dir, 'script');
    fs.writeFileSync(script, `#!${tool('env')} -S ${tool('echo')} from shebang\n`, { mode: 0o755 });
    expect(exec(script, [])).toEqual({ status: 0, stdout: `from shebang ${script}\n`, stderr: '' });
  });
  it('id, whoami, groups, uname, nproc, which, ps, sync answer', () => {
    expect(exec(tool('id'), ['-u']).stdout).toBe(`${process.getuid!()}\n`);
    expect(exec(tool('whoami'), []).status).toBe(0);
    expect(exec(tool('groups'), []).status).toBe(0);
    expect(exec(tool('uname'), ['-s']).stdout).toBe('Linux\n');
    expect(Number(exec(tool('nproc'), []).stdout)).toBeGreaterThan(0);
    expect(exec(tool('which'), ['sh']).stdout).toMatch(/\/sh\n$/);
    const ps = exec(tool('ps'), []);
    expect(ps.stdout.split('\n')[0]).toBe('PID   USER     TIME  COMMAND');
    expect(ps.stdout).toContain(`${tool('ps')}\n`);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    expect(exec(tool('sync'), ['f'], { cwd: dir })).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});

describe.skipIf(process.getuid?.() !== 0 || !have('unshare') || !have('setpriv'))('hostname in a private UTS namespace', () => {
  it('sets the name as root, and refuses without privilege', () => {
    const set = exec('unshare', ['-u', 'sh', '-c', `${tool('hostname')} toolbox-test-host && ${tool('hostname')} && ${tool('hostname')} -s`]);
    expect(set).toEqual({ status: 0, stdout: 'toolbox-test-host\ntoolbox-test-host\n', stderr: '' });
    const refused = exec('unshare', ['-u', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', tool('hostname'), 'nope']);
    expect(refused).toEqual({ status: 1, stdout: '', stderr: 'hostname: sethostname: Operation not permitted\n' });
  });
});
