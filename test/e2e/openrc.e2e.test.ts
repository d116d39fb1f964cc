// OpenRC through the built executable, in throwaway systems whose whole userland is toolbox (with
// a real /usr/bin/sleep as the test daemon), chrooted in a private PID and mount namespace:
// Alpine's way of running a service, daemons that start and stop by pidfile, supervision with
// respawn and health checks, start-stop-daemon by itself, interrupted starts, dependency loops.
import { describe, expect, it } from 'vitest';
import { canIsolate, type CommandResult, SERVICES, toolboxSystem, withoutCaching } from '../helpers/openrc.js';

const out = (r: CommandResult) => withoutCaching(r.stdout);

/** Shell text that waits (10 s at most) for a file to appear: a loaded machine can be slow. */
/** Shell text that waits (15 s at most) for a supervised service's daemon to be another; sets $new. */
const WAIT_CHANGE = (service: string, old: string) =>
  `i=0; while new=$(cat /run/openrc/options/${service}/child_pid 2>/dev/null); [ "$new" = "${old}" -o -z "$new" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done`;

const WAIT_FOR = (file: string) => `i=0; while [ ! -e ${file} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done`;

describe.skipIf(!canIsolate)('OpenRC e2e', () => {
  it('the Alpine sequence: rc-update add docker boot, service docker start/status/stop, openrc boot', () => {
    const sys = toolboxSystem({
      files: { docker: SERVICES.docker!, netup: SERVICES.netup!, firewall: SERVICES.firewall!, sleeper: SERVICES.sleeper! },
      runlevels: { default: ['sleeper'] },
    });
    const r = sys.run([
      'rc-update add docker boot',
      'service docker start',
      'service docker status',
      'rc-status',
      'rc-status boot | sed "s/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/TIME/"',
      'service docker stop',
      'service docker status',
      'openrc boot',
      'service docker status; cat /run/openrc/softlevel; echo; kill -0 $(cat /run/openrc/options/docker/child_pid) && echo daemon running',
      'service docker stop; service netup stop',
    ]);
    expect(r[0]).toMatchObject({ status: 0, stdout: ' * service docker added to runlevel boot\n', stderr: '' });
    expect(r[1]).toMatchObject({ status: 0, stderr: '' });
    expect(out(r[1]!)).toBe(' * Bringing up the network ... [ ok ]\n * Starting docker ... [ ok ]\n');
    expect(r[2]).toEqual({ command: 'service docker status', status: 0, stdout: ' * status: started\n', stderr: '' });
    expect(r[3]!.stdout).toBe(
      'Runlevel: default\n' +
        ` sleeper${' '.repeat(59)}[  stopped  ]\n` +
        'Dynamic Runlevel: hotplugged\nDynamic Runlevel: needed/wanted\n' +
        ` netup${' '.repeat(61)}[  started  ]\n` +
        'Dynamic Runlevel: manual\n',
    );
    expect(r[4]!.stdout).toBe(`Runlevel: boot\n docker${' '.repeat(48)}[  started TIME (0) ]\n`);
    expect(r[5]).toMatchObject({ status: 0, stdout: ' * Stopping docker ... [ ok ]\n', stderr: ' * WARNING: you are stopping a boot service\n' });
    expect(r[6]).toMatchObject({ status: 3, stdout: ' * status: stopped\n' });
    expect(r[7]).toMatchObject({ status: 0, stdout: ' * Starting docker ... [ ok ]\n', stderr: '' });
    expect(r[8]!.stdout).toBe(' * status: started\nboot\ndaemon running\n');
    expect(r[9]!.status).toBe(0);
  });

  it('a background daemon with a pidfile, one that needs it, extra commands, a failing start', () => {
    // (a daemon that died is gone for stop as soon as it is a zombie; PID 1 reaps it a moment later)
    const sys = toolboxSystem({
      files: { sleeper: SERVICES.sleeper!, dependent: SERVICES.dependent!, withcmd: SERVICES.withcmd!, failing: SERVICES.failing! },
      runlevels: { default: ['sleeper', 'withcmd'] },
    });
    const r = sys.run([
      'rc-service dependent start',
      'pid=$(cat /run/sleeper.pid); tr "\\0" " " < /proc/$pid/cmdline; echo; ls /run/openrc/started; cat /run/openrc/daemons/sleeper/001',
      'rc-service withcmd reload; rc-service withcmd start; rc-service withcmd reload',
      'rc-service failing start; ls /run/openrc/starting /run/openrc/failed /run/openrc/exclusive; rc-service failing status',
      'pid=$(cat /run/sleeper.pid); rc-service sleeper stop; { ! kill -0 $pid 2>/dev/null || grep -q "^State:.Z" /proc/$pid/status; } && echo gone; ls /run/openrc/started; test -e /run/sleeper.pid || echo no pidfile',
      'rc-service withcmd stop',
    ]);
    expect(out(r[0]!)).toBe(' * Starting sleeper ... [ ok ]\n * Raising the flag for dependent ... [ ok ]\n');
    expect(r[1]!.stdout).toBe('/usr/bin/sleep 1000 \ndependent\nsleeper\nexec=/usr/bin/sleep\nargv_0=/usr/bin/sleep\nargv_1=1000\npidfile=/run/sleeper.pid\n');
    expect(r[2]).toMatchObject({
      stdout: ' * Starting withcmd ... [ ok ]\n * Reloading withcmd ... [ ok ]\n',
      stderr: " * withcmd: cannot `reload' as it has not been started\n",
    });
    expect(r[3]).toMatchObject({
      status: 3,
      // a failure's message and status column go to stderr
      stdout: ' * Starting failing .../run/openrc/exclusive:\n\n/run/openrc/failed:\n\n/run/openrc/starting:\n * status: stopped\n',
      stderr: `\n * could not start, as designed\n${' '.repeat(42)}[ !! ]\n * ERROR: failing failed to start\n`,
    });
    expect(r[4]).toMatchObject({
      stdout: ' * Lowering the flag for dependent ... [ ok ]\n * Stopping sleeper ... [ ok ]\ngone\nwithcmd\nno pidfile\n',
      stderr: '',
    });
  });

  it('supervise-daemon respawns, gives up after respawn_max, runs health checks', () => {
    const sys = toolboxSystem({
      files: {
        docker: SERVICES.docker!,
        netup: SERVICES.netup!,
        flappy: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/usr/bin/sleep
command_args=0.5
pidfile=/run/flappy.pid
respawn_max=2
respawn_period=60
`,
        checked: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/usr/bin/sleep
command_args=500
pidfile=/run/checked.pid
healthcheck_delay=1
healthcheck_timer=1
healthcheck() { [ ! -e /tmp/unhealthy ]; }
unhealthy() { echo unhealthy >> /tmp/unhealthy.log; rm -f /tmp/unhealthy; }
`,
      },
    });
    const r = sys.run([
      'rc-service flappy start',
      // the daemon ends every half second (after \`rc-service start\` has marked it started, or the
      // start would undo the supervisor's \`failed\`); it gives up after respawn_max: wait for that
      `${WAIT_FOR('/run/openrc/failed/flappy')}; sleep 0.5; rc-service flappy status; rc-status -s | grep flappy; ls /run/openrc/failed`,
      `rc-service docker start; old=$(cat /run/openrc/options/docker/child_pid); kill $old; ${WAIT_CHANGE('docker', '$old')}; [ "$old" != "$new" ] && kill -0 $new && echo respawned; cat /run/openrc/options/docker/start_count; echo`,
      'export RC_SVCNAME=docker; supervise-daemon docker --signal STOP; sleep 0.1; grep State /proc/$(cat /run/openrc/options/docker/child_pid)/status; supervise-daemon docker --signal CONT',
      'kill -9 $(cat /run/docker.pid); sleep 0.2; rc-service docker status; rc-status -c',
      'rc-service docker stop; rc-service docker start; rc-service docker stop',
      `rc-service checked start; old=$(cat /run/openrc/options/checked/child_pid); touch /tmp/unhealthy; ${WAIT_CHANGE('checked', '$old')}; cat /tmp/unhealthy.log; [ "$old" != "$new" ] && echo restarted`,
      'rc-service checked stop; test -e /run/checked.pid || echo no pidfile; rc-service checked status',
    ], { timeout: 90_000 });
    expect(r[0]!.status, JSON.stringify(r[0])).toBe(0);
    expect(r[1]!.stdout).toBe(` * status: stopped\n flappy${' '.repeat(63)}[ failed ]\nflappy\n`);
    expect(r[2]!.stdout).toMatch(/respawned\n1\n$/);
    expect(r[3]!.stdout).toMatch(/^State:\tT \(stopped\)\n$/);
    expect(r[4]).toMatchObject({ stdout: 'docker\n', stderr: ' * status: unsupervised\n' });
    expect(r[5]!.status).toBe(0);
    expect(r[6]!.stdout).toMatch(/unhealthy\nrestarted\n$/);
    expect(r[7]).toMatchObject({ stdout: ' * Stopping checked ... [ ok ]\nno pidfile\n * status: stopped\n', stderr: '' });
  });

  it('start-stop-daemon by itself', () => {
    const sys = toolboxSystem();
    const r = sys.run([
      'start-stop-daemon -S -b -m -p /run/s.pid -x /usr/bin/sleep -- 300',
      'start-stop-daemon -S -b -m -p /run/s.pid -x /usr/bin/sleep -- 300',
      'start-stop-daemon -S -x /nonexistent',
      'start-stop-daemon -S',
      'start-stop-daemon -K -t -p /run/s.pid | sed "s/PID [0-9]*/PID N/"',
      'start-stop-daemon -K -p /run/s.pid; test -e /run/s.pid || echo no pidfile',
      'start-stop-daemon -K -p /run/s.pid',
      'start-stop-daemon -K -x /usr/bin/sleep',
      'start-stop-daemon -K -t -x /usr/bin/sleep',
      'start-stop-daemon -K',
      'start-stop-daemon -S -b -x /usr/bin/sleep -K',
      `start-stop-daemon -S -b -d /tmp -k 077 -1 /tmp/out.log -2 /tmp/err.log -e FOO=bar -x /bin/sh -- -c 'pwd; umask; echo $FOO; echo err >&2; env | grep -c "^RC_"; touch /tmp/done'`,
      `${WAIT_FOR('/tmp/done')}; cat /tmp/out.log /tmp/err.log; ls -l /tmp/out.log | cut -c1-10`,
      `start-stop-daemon -S -x /bin/sh -- -c 'echo foreground; exit 3'`,
      'start-stop-daemon -S -b -w 300 -x /usr/bin/sleep -- not-a-number',
      `start-stop-daemon -S -b -m -p /run/t.pid -x /bin/sh -- -c 'trap "" TERM; sleep 300'`,
      'start-stop-daemon -K -R TERM/1/KILL/1 -p /run/t.pid; echo $?',
      'start-stop-daemon -S -b -m -p /run/u.pid -N 5 -u daemon -x /usr/bin/sleep -- 301; p=$(cat /run/u.pid); cut -d" " -f19 /proc/$p/stat; stat -c %u /proc/$p',
      'start-stop-daemon -s CONT -p /run/u.pid; echo $?; ls /run/u.pid; start-stop-daemon -K -p /run/u.pid; echo $?',
      'start-stop-daemon -K -R foo -p /run/u.pid; start-stop-daemon -K -s BOGUS -p /run/u.pid',
    ]);
    expect(r[0]).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(r[1]).toMatchObject({ status: 1, stderr: ' * start-stop-daemon: /usr/bin/sleep is already running\n' });
    expect(r[2]).toMatchObject({ status: 1, stderr: ' * start-stop-daemon: /nonexistent does not exist\n' });
    expect(r[3]).toMatchObject({ status: 1, stderr: ' * start-stop-daemon: nothing to start\n' });
    expect(r[4]).toMatchObject({ status: 0, stdout: ' * Would send signal 15 to PID N\n' });
    expect(r[5]).toMatchObject({ status: 0, stdout: 'no pidfile\n', stderr: '' });
    expect(r[6]).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(r[7]).toMatchObject({ status: 0, stderr: ' * start-stop-daemon: no matching processes found\n' });
    expect(r[8]).toMatchObject({ status: 1, stderr: ' * start-stop-daemon: no matching processes found\n' });
    expect(r[9]).toMatchObject({ status: 1, stderr: ' * start-stop-daemon: --stop needs --exec, --pidfile, --name or --user\n' });
    expect(r[10]).toMatchObject({ status: 1, stderr: ' * start-stop-daemon: --background is only relevant with --start\n' });
    expect(r[11]).toMatchObject({ status: 0, stderr: '' });
    expect(r[12]!.stdout).toBe('/tmp\n0077\nbar\n0\nerr\n-rw-r-----\n');
    expect(r[13]).toMatchObject({ status: 1, stdout: 'foreground\n', stderr: " * start-stop-daemon: failed to start `/bin/sh'\n" });
    expect(r[14]).toMatchObject({ status: 1, stderr: ' * start-stop-daemon: /usr/bin/sleep died\n' });
    expect(r[16]!.stdout).toBe('0\n');
    expect(r[17]!.stdout).toBe('5\n1\n');
    expect(r[18]!.stdout).toBe('0\n/run/u.pid\n0\n');
    expect(r[19]!.stderr).toBe(" * start-stop-daemon: invalid timeout value in schedule 'foo'\n * start-stop-daemon: `BOGUS' is not a valid signal\n");
  });

  it('an interrupted start leaves the service stopped and unlocked', () => {
    const sys = toolboxSystem({
      files: { slow: '#!/sbin/openrc-run\nstart() {\n\tebegin "Starting slow"\n\tsleep 30\n\teend 0\n}\n' },
    });
    const after = 'ls /run/openrc/starting /run/openrc/exclusive /run/openrc/started; rc-service slow status';
    const r = sys.run([
      // a process of its own, sent SIGTERM (dash runs it, as any shell that forks would)
      `/usr/libexec/dash -c 'rc-service slow start & p=$!; ${WAIT_FOR('/run/openrc/starting/slow')}; sleep 0.3; ls /run/openrc/starting /run/openrc/exclusive; kill -TERM $p; wait $p; echo status=$?'`,
      after,
      // a job of our shell, in its process: the job is interrupted, not the process
      `rc-service slow start & p=$!; ${WAIT_FOR('/run/openrc/starting/slow')}; sleep 0.3; kill -TERM $p; wait $p; echo status=$?`,
      after,
    ]);
    expect(out(r[0]!)).toBe(' * Starting slow .../run/openrc/exclusive:\nslow\n\n/run/openrc/starting:\nslow\nstatus=1\n');
    expect(r[0]!.stderr).toBe(' * slow: caught SIGTERM, aborting\n');
    const stopped = { status: 3, stdout: '/run/openrc/exclusive:\n\n/run/openrc/started:\n\n/run/openrc/starting:\n * status: stopped\n' };
    expect(r[1]).toMatchObject(stopped);
    expect(r[2]!.stdout).toBe(' * Starting slow ...status=143\n');
    expect(r[3]).toMatchObject(stopped);
  });

  it('dependency loops are reported, not waited for', () => {
    const sys = toolboxSystem({
      files: {
        loopa: '#!/sbin/openrc-run\ndepend() { need loopb; }\nstart() { ebegin "a"; eend 0; }\n',
        loopb: '#!/sbin/openrc-run\ndepend() { need loopa; }\nstart() { ebegin "b"; eend 0; }\n',
        early: '#!/sbin/openrc-run\ndepend() { before late; }\nstart() { einfo early; }\n',
        late: '#!/sbin/openrc-run\ndepend() { before early; }\nstart() { einfo late; }\n',
      },
      runlevels: { default: ['early', 'late'] },
    });
    const r = sys.run(['rc-service loopa start', 'rc-service loopa status; rc-service loopb status', 'openrc default | grep -c "^ \\* "'], { timeout: 30_000 });
    expect(r[0]).toMatchObject({
      status: 1,
      stderr:
        ' * Found an unresolvable dependency: loopa n> loopb n> loopa.\n' +
        ' * ERROR: cannot start loopb as loopa would not start\n' +
        ' * ERROR: cannot start loopa as loopb would not start\n',
    });
    expect(r[1]!.stdout).toBe(' * status: stopped\n * status: stopped\n');
    expect(r[2]!.stdout).toBe('2\n');
  });

  it('openrc sysinit on a system OpenRC did not boot, and scripts refusing to run there', () => {
    const sys = toolboxSystem({ unbooted: true, files: { sleeper: SERVICES.sleeper! } });
    const r = sys.run(['rc-service sleeper start', 'openrc sysinit >/dev/null; ls /run/openrc; cat /run/openrc/softlevel', 'rc-service sleeper start; rc-service sleeper stop']);
    // OpenRC's order: the lock in the state directory first (softlevel is checked by the script)
    expect(r[0]).toMatchObject({ status: 1, stderr: ' * sleeper: failed to acquire lock: No such file or directory\n' });
    expect(r[1]!.stdout).toBe('daemons\ndeptree\nexclusive\nfailed\nhotplugged\ninactive\noptions\nscheduled\nsoftlevel\nstarted\nstarting\nstopping\ntmp\nwasinactive\nsysinit');
    expect(out(r[2]!)).toBe(' * Starting sleeper ... [ ok ]\n * Stopping sleeper ... [ ok ]\n');
  });
});
