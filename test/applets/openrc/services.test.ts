// The OpenRC commands in-process, on a system under a root of their own (TOOLBOX_OPENRC_ROOT):
// the spec's transcripts (openrc-samples/) for rc-service, rc-update and rc-status, and the
// script actions of services that start no process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureRoot, SERVICES, withoutCaching } from '../../helpers/openrc.js';
import { run } from '../../helpers/run.js';

const FLAG = (name: string, deps = '') => `#!/sbin/openrc-run
${deps ? `depend() {\n\t${deps}\n}\n` : ''}start() {
\tebegin "Raising the flag for ${name}"
\teend 0
}
stop() {
\tebegin "Lowering the flag for ${name}"
\teend 0
}
`;

function system(started: string[] = []) {
  const root = fixtureRoot({
    files: { sleeper: SERVICES.sleeper!, withcmd: SERVICES.withcmd!, dependent: SERVICES.dependent!, failing: SERVICES.failing! },
    runlevels: { default: ['sleeper', 'withcmd'], boot: ['withcmd'] },
  });
  for (const s of started) fs.symlinkSync(path.join(root, 'etc/init.d', s), path.join(root, 'run/openrc/started', s));
  const env = { TOOLBOX_OPENRC_ROOT: root, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  return { root, rc: (cmd: string | string[], extra: Record<string, string> = {}, tty?: number[]) => run(cmd, { env: { ...env, ...extra }, tty }) };
}

const RUNSCRIPT_USAGE = `Usage: sleeper [options] stop | start | restart | describe | zap

Options: [ dDsSvl:ZChqVv ]
  -d, --debug                       set xtrace when running the script
  -Z, --dry-run                     show what would be done
  -s, --ifstarted                   only run commands when started
  -S, --ifstopped                   only run commands when stopped
  -D, --nodeps                      ignore dependencies
  -l, --lockfd <arg>                fd of the exclusive lock from rc
  -h, --help                        Display this help output
  -C, --nocolor                     Disable color output
  -V, --version                     Display software version
  -v, --verbose                     Run verbosely
  -q, --quiet                       Run quietly (repeat to suppress errors)
`;

const row = (name: string, state: string) => ` ${name}${' '.repeat(66 - name.length)}[  ${state}  ]\n`;

describe('rc-service', () => {
  it('wants a service, and prints openrc-run\'s usage for one without a command (30-no-args)', async () => {
    const s = system();
    expect(await s.rc('rc-service')).toMatchObject({ status: 1, stdout: '', stderr: ' * rc-service: you need to specify a service\n' });
    expect(await s.rc('rc-service sleeper')).toMatchObject({ status: 1, stdout: RUNSCRIPT_USAGE, stderr: '' });
    expect(await s.rc('service nosuch start')).toMatchObject({ status: 1, stderr: " * service: service `nosuch' does not exist\n" });
    expect(await s.rc('rc-service -i nosuch start')).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('lists, tests and resolves services', async () => {
    const s = system();
    expect(await s.rc('rc-service -l')).toMatchObject({ status: 0, stdout: 'dependent\nfailing\nsleeper\nwithcmd\n' });
    expect((await s.rc('rc-service -e sleeper')).status).toBe(0);
    expect(await s.rc('rc-service -e nosuch')).toMatchObject({ status: 1, stdout: '', stderr: '' });
    expect(await s.rc('rc-service -r sleeper')).toMatchObject({ status: 0, stdout: `${s.root}/etc/init.d/sleeper\n` });
    expect(await s.rc('rc-service -r nosuch')).toMatchObject({ status: 1, stdout: '' });
    expect((await s.rc('rc-service -V')).stdout).toBe('rc-service (OpenRC) 0.45.2\n');
    expect(await s.rc('rc-service --bogus')).toMatchObject({ status: 1, stderr: "rc-service: unrecognized option '--bogus'\n" });
    expect((await s.rc('rc-service --help')).stdout).toMatch(/^Usage: rc-service \[options\] \[-i\] <service> <cmd>\.\.\.\n {3}or: rc-service \[options\] -e <service>\n/);
  });

  it('runs only in the state asked for (-s -S -N -I -c)', async () => {
    const s = system(['sleeper']);
    expect(await s.rc('rc-service -S sleeper status')).toMatchObject({ status: 0, stdout: '' });
    expect(await s.rc('rc-service -N sleeper status')).toMatchObject({ status: 0, stdout: '' });
    expect(await s.rc('rc-service -I sleeper status')).toMatchObject({ status: 0, stdout: '' });
    expect(await s.rc('rc-service -c sleeper status')).toMatchObject({ status: 0, stdout: '' });
    expect(await s.rc('rc-service -s sleeper status')).toMatchObject({ status: 0, stdout: ' * status: started\n' });
  });
});

describe('openrc-run', () => {
  function flags() {
    const root = fixtureRoot({ files: { base: FLAG('base'), top: FLAG('top', 'need base'), failing: SERVICES.failing!, withcmd: SERVICES.withcmd! } });
    const env = { TOOLBOX_OPENRC_ROOT: root, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
    return { root, rc: (cmd: string) => run(cmd, { env }), ls: (dir: string) => fs.readdirSync(path.join(root, 'run/openrc', dir)).sort() };
  }

  it('starts what a service needs first, and stops what needs it first', async () => {
    const s = flags();
    const start = await s.rc('rc-service top start');
    expect(withoutCaching(start.stdout)).toBe(' * Raising the flag for base ... [ ok ]\n * Raising the flag for top ... [ ok ]\n');
    expect(s.ls('started')).toEqual(['base', 'top']);
    expect(fs.readlinkSync(path.join(s.root, 'run/openrc/started/top'))).toBe(path.join(s.root, 'etc/init.d/top'));
    expect(await s.rc('rc-service top start')).toMatchObject({ status: 0, stdout: '', stderr: ' * WARNING: top has already been started\n' });
    expect(await s.rc('rc-service -Z base stop')).toMatchObject({ status: 0, stdout: ' * stop: top base\n' });
    expect(await s.rc('rc-service base stop')).toMatchObject({ status: 0, stdout: ' * Lowering the flag for top ... [ ok ]\n * Lowering the flag for base ... [ ok ]\n' });
    expect(s.ls('started')).toEqual([]);
    expect(s.ls('exclusive')).toEqual([]);
    expect(await s.rc('rc-service base stop')).toMatchObject({ status: 0, stderr: ' * WARNING: base is already stopped\n' });
  });

  it('leaves a service stopped when its start fails', async () => {
    const s = flags();
    const r = await s.rc('rc-service failing start');
    expect(r.status).toBe(1);
    expect(withoutCaching(r.stdout)).toBe(' * Starting failing ...');
    expect(r.stderr).toBe(`\n * could not start, as designed\n${' '.repeat(42)}[ !! ]\n * ERROR: failing failed to start\n`);
    expect([s.ls('started'), s.ls('starting'), s.ls('failed'), s.ls('exclusive')]).toEqual([[], [], [], []]);
    expect(await s.rc('rc-service failing status')).toMatchObject({ status: 3, stdout: ' * status: stopped\n' });
  });

  it('status, zap, describe, extra commands and unknown ones', async () => {
    const s = flags();
    await s.rc('rc-service base start');
    expect(await s.rc('rc-service base status')).toMatchObject({ status: 0, stdout: ' * status: started\n' });
    expect(await s.rc('rc-service base zap')).toMatchObject({ status: 0, stdout: ' * Manually resetting base to stopped state\n' });
    expect(await s.rc('rc-service base status')).toMatchObject({ status: 3, stdout: ' * status: stopped\n' });
    expect(await s.rc('rc-service withcmd describe')).toMatchObject({
      status: 0,
      stdout: ' * Has extra commands\n * hello: Say hello\n * cgroup_cleanup: Kill all processes in the cgroup\n',
      stderr: ' * reload: no description\n',
    });
    expect(await s.rc('rc-service base describe')).toMatchObject({
      stdout: ' * cgroup_cleanup: Kill all processes in the cgroup\n',
      stderr: ' * No description for base\n * healthcheck: no description\n * unhealthy: no description\n',
    });
    expect(await s.rc('rc-service withcmd hello')).toMatchObject({
      status: 1,
      stdout: " * Hello from withcmd (runlevel 'default')\n",
      stderr: ' * a warning line\n * an error line\n',
    });
    expect(await s.rc('rc-service withcmd reload')).toMatchObject({ status: 1, stderr: " * withcmd: cannot `reload' as it has not been started\n" });
    expect(await s.rc('rc-service withcmd frob')).toMatchObject({ status: 1, stderr: " * withcmd: unknown function `frob'\n" });
  });
});

describe('rc-update', () => {
  it('shows services and their runlevels (32-update-show)', async () => {
    const s = system();
    const both = `              sleeper |      default                           \n              withcmd | boot default                           \n`;
    expect(await s.rc('rc-update show')).toMatchObject({ status: 0, stdout: both });
    expect(await s.rc('rc-update')).toMatchObject({ status: 0, stdout: both });
    expect((await s.rc('rc-update show default')).stdout).toBe('              sleeper | default\n              withcmd | default\n');
    expect((await s.rc('rc-update -v show')).stdout).toBe(
      `            dependent |                                        \n              failing |                                        \n${both}`,
    );
    expect((await s.rc('rc-update show -v boot')).stdout).toBe(
      '            dependent |     \n              failing |     \n              sleeper |     \n              withcmd | boot\n',
    );
  });

  it('adds, deletes and stacks, with OpenRC\'s messages', async () => {
    const s = system();
    expect(await s.rc('rc-update add failing default')).toMatchObject({ status: 0, stdout: ' * service failing added to runlevel default\n' });
    expect(await s.rc('rc-update add failing default')).toMatchObject({ status: 0, stdout: " * rc-update: failing already installed in runlevel `default'; skipping\n" });
    expect(await s.rc('rc-update add nosuch default')).toMatchObject({ status: 1, stderr: " * rc-update: service `nosuch' does not exist\n" });
    expect(await s.rc('rc-update add failing nolevel')).toMatchObject({ status: 1, stderr: " * rc-update: `nolevel' is not a valid runlevel\n" });
    expect(await s.rc('rc-update del failing')).toMatchObject({ status: 0, stdout: ' * service failing removed from runlevel default\n' });
    expect(await s.rc('rc-update del failing default')).toMatchObject({ status: 1, stderr: " * rc-update: service `failing' is not in the runlevel `default'\n" });
    const all = await s.rc('rc-update -a del withcmd');
    expect(all.status).toBe(1);
    expect(all.stdout.split('\n').filter(Boolean).sort()).toEqual([' * service withcmd removed from runlevel boot', ' * service withcmd removed from runlevel default']);
    expect(await s.rc('rc-update frob')).toMatchObject({ status: 1, stderr: " * rc-update: invalid command `frob'\n" });
    expect(await s.rc('rc-update -s add nonetwork default')).toMatchObject({ status: 0, stdout: ' * runlevel nonetwork added to runlevel default\n' });
    expect(fs.readlinkSync(path.join(s.root, 'etc/runlevels/default/nonetwork'))).toBe('../nonetwork');
    expect(await s.rc('rc-update -s add boot default')).toMatchObject({ status: 1, stderr: ' * rc-update: cannot stack the sysinit runlevel\n' });
    expect(await s.rc('rc-update -s del nonetwork default')).toMatchObject({ status: 0, stdout: ' * runlevel nonetwork removed from runlevel default\n' });
  });
});

describe('rc-status', () => {
  const dynamic = 'Dynamic Runlevel: hotplugged\nDynamic Runlevel: needed/wanted\nDynamic Runlevel: manual\n';

  it('shows the current runlevel in start order, then the dynamic ones (36-status-default)', async () => {
    const s = system(['sleeper', 'withcmd']);
    const r = await s.rc('rc-status');
    expect(withoutCaching(r.stdout)).toBe(`Runlevel: default\n${row('sleeper', 'started')}${row('withcmd', 'started')}${dynamic}`);
    expect(r.status).toBe(0);
  });

  it('lists runlevels, services, the unused, the crashed, the manual (38-status-flags)', async () => {
    const s = system(['sleeper', 'withcmd']);
    expect((await s.rc('rc-status -r')).stdout).toBe('default\n');
    expect((await s.rc('rc-status -l')).stdout.split('\n').filter(Boolean).sort()).toEqual(['boot', 'default', 'nonetwork', 'shutdown', 'sysinit']);
    const list = `${row('sleeper', 'started')}${row('withcmd', 'started')}${row('dependent', 'stopped')}${row('failing', 'stopped')}`;
    expect(withoutCaching((await s.rc('rc-status -s')).stdout).split('\n').sort()).toEqual(list.split('\n').sort());
    expect(withoutCaching((await s.rc('rc-status --servicelist')).stdout).split('\n').sort()).toEqual(list.split('\n').sort());
    expect(withoutCaching((await s.rc('rc-status -u')).stdout).split('\n').sort()).toEqual(`${row('dependent', 'stopped')}${row('failing', 'stopped')}`.split('\n').sort());
    expect(await s.rc('rc-status -c')).toMatchObject({ status: 1, stdout: '' });
    expect(withoutCaching((await s.rc('rc-status -m')).stdout)).toBe('');
    expect(withoutCaching((await s.rc('rc-status -S')).stdout)).toBe('');
  });

  it('shows a runlevel asked for, or says it does not exist (39-status-level)', async () => {
    const s = system(['sleeper', 'withcmd']);
    expect(withoutCaching((await s.rc('rc-status boot')).stdout)).toBe(`Runlevel: boot\n${row('withcmd', 'started')}`);
    expect(await s.rc('rc-status nolevel')).toMatchObject({ status: 1, stdout: '', stderr: " * runlevel `nolevel' does not exist\n" });
  });

  it('lists services started by hand as manual (40-status-manual)', async () => {
    const s = system(['sleeper', 'withcmd', 'dependent']);
    expect(withoutCaching((await s.rc('rc-status')).stdout)).toBe(`Runlevel: default\n${row('sleeper', 'started')}${row('withcmd', 'started')}${dynamic}${row('dependent', 'started')}`);
    expect(withoutCaching((await s.rc('rc-status -m')).stdout)).toBe(row('dependent', 'started'));
  });

  it('prints ini with -f ini and refuses other formats', async () => {
    const s = system(['sleeper']);
    expect((await s.rc('rc-status -f ini')).stdout).toBe('[default]\nsleeper =  started \nwithcmd =  stopped \n[Dynamic hotplugged]\n[Dynamic needed/wanted]\n[Dynamic manual]\n');
    expect(await s.rc('rc-status -f json')).toMatchObject({ status: 1, stderr: ' * rc-status: invalid argument to --format switch\n\n' });
  });
});
