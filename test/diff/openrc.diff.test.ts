// OpenRC against OpenRC 0.45.2's own binaries (Debian's packages, unpacked, never installed): the
// same services in two throwaway systems, one run by toolbox, one by the reference (with toolbox's
// start-stop-daemon, which Debian's package lacks), the same command lines in each, in a private
// PID and mount namespace. stdout, stderr and status of every command must match; the only
// difference allowed everywhere is where ` * Caching service dependencies ... [ ok ]` appears
// (the C tools buffer stdout), and each other one carries its reason.
import { describe, expect, it } from 'vitest';
import { canIsolate, type CommandResult, openrcReference, referenceSystem, type RcSystem, SERVICES, type SystemOptions, toolboxSystem, withoutCaching } from '../helpers/openrc.js';

const reference = canIsolate ? openrcReference() : undefined;
const runIt = reference ? it : it.skip;

function normalize(r: CommandResult): CommandResult {
  return { ...r, stdout: withoutCaching(r.stdout), stderr: withoutCaching(r.stderr) };
}

/** Run the same commands in both systems; compare all but those listed as differing (by index). */
function compare(opts: SystemOptions, commands: string[], differ: Record<number, string> = {}, tty = false): { ours: CommandResult[]; ref: CommandResult[] } {
  const systems: [RcSystem, RcSystem] = [toolboxSystem(opts), referenceSystem(opts)!];
  const [ours, ref] = systems.map((s) => s.run(commands, { tty }).map(normalize)) as [CommandResult[], CommandResult[]];
  commands.forEach((c, i) => {
    if (differ[i] !== undefined) return;
    expect(ours[i], c).toEqual(ref[i]);
  });
  return { ours, ref };
}

const SAMPLE = {
  files: { sleeper: SERVICES.sleeper!, withcmd: SERVICES.withcmd!, dependent: SERVICES.dependent!, failing: SERVICES.failing! },
  runlevels: { default: ['sleeper', 'withcmd'], boot: ['withcmd'] },
};

describe.skipIf(!canIsolate)('OpenRC against 0.45.2', () => {
  runIt('rc-service, the script actions and the state they leave', () => {
    compare(SAMPLE, [
      'rc-service',
      'rc-service sleeper',
      'rc-service nosuch start',
      'service nosuch start',
      'rc-service sleeper start',
      'rc-service sleeper start',
      'rc-service sleeper status',
      'cat /run/openrc/options/sleeper/command; echo; cat /run/openrc/options/sleeper/pidfile; echo; cat /run/openrc/daemons/sleeper/001; ls /run/openrc/started',
      'rc-service withcmd hello',
      'rc-service withcmd reload',
      'rc-service withcmd start',
      'rc-service withcmd reload',
      'rc-service withcmd restart',
      'rc-service withcmd describe',
      'rc-service sleeper describe',
      'rc-service failing start',
      'rc-service failing status; ls /run/openrc/failed /run/openrc/started',
      'rc-service sleeper bogus',
      'rc-service -Z sleeper stop',
      'rc-service dependent start',
      'rc-service sleeper stop',
      'rc-service sleeper status',
      'rc-service dependent status',
      'rc-service -l',
      'rc-service -e sleeper; echo $?; rc-service -e nosuch; echo $?',
      'rc-service -r sleeper; rc-service -r nosuch',
      'rc-service -i nosuch start',
      'rc-service -s sleeper status; rc-service -S sleeper status; rc-service -N sleeper status; rc-service -I sleeper status',
      'rc-service sleeper zap; rc-service sleeper status',
      'rc-service --bogus',
      'rc-service -V; rc-service --help',
    ]);
  });

  runIt('rc-update and rc-status', () => {
    compare(SAMPLE, [
      'rc-update',
      'rc-update show default',
      'rc-update -v show',
      'rc-update show -v boot',
      'rc-update add failing default',
      'rc-update add failing default',
      'rc-update add nosuch default',
      'rc-update add failing nolevel',
      'rc-update del failing default',
      'rc-update del failing default',
      'rc-update -a del withcmd',
      'rc-update -a add withcmd',
      'rc-update frob',
      'rc-update add',
      'rc-update -s add nonetwork default',
      'rc-update -s add default default',
      'rc-update -s add boot default',
      'rc-update show',
      'rc-update -s del nonetwork default',
      'rc-update --help',
      'rc-service sleeper start; rc-service withcmd start',
      'rc-status',
      'rc-status -r; rc-status -l',
      'rc-status -s',
      'rc-status -u',
      'rc-status -c; echo $?',
      'rc-status -m',
      'rc-status -S',
      'rc-status --servicelist',
      'rc-status boot',
      'rc-status nolevel',
      'rc-status -a',
      'rc-service dependent start; rc-status; rc-status -m',
      'rc-status -f ini',
      'rc-status -f json',
      'kill $(cat /run/sleeper.pid); sleep 0.2; rc-service sleeper status; rc-status -c; rc-status',
      'rc-service -c sleeper status',
      'rc-status --help',
    ]);
  });

  runIt('openrc changes runlevels in dependency order', () => {
    compare({ ...SAMPLE, files: { ...SAMPLE.files, docker: SERVICES.docker!, netup: SERVICES.netup!, firewall: SERVICES.firewall! } }, [
      'rc-update add docker boot; rc-update add netup boot; rc-update add dependent default',
      'openrc boot',
      'cat /run/openrc/softlevel; echo',
      'rc-status | sed "s/[0-9][0-9]:[0-9][0-9]:[0-9][0-9] (0)/TIME (0)/"',
      'openrc default',
      'rc-status',
      'openrc default',
      'openrc nonetwork',
      'rc-status; ls /run/openrc/started',
      'openrc -n default',
      'rc-status -r',
      'openrc nosuch',
      'openrc -S',
      'openrc -o nonetwork; cat /run/openrc/krunlevel',
      'openrc; cat /run/openrc/softlevel',
      'openrc shutdown',
      'ls /run/openrc/started',
      'openrc --help',
    ]);
  });

  runIt('a supervised daemon (supervise-daemon is OpenRC 0.45.2\'s in the reference)', () => {
    compare({ ...SAMPLE, files: { ...SAMPLE.files, docker: SERVICES.docker!, netup: SERVICES.netup!, firewall: SERVICES.firewall! } }, [
      'rc-update add docker boot; rc-update add netup boot',
      'service docker start',
      'service docker status',
      // the reference's daemon records its start a moment after the supervisor is up
      'sleep 0.5; cat /run/openrc/daemons/docker/001; ls /run/openrc/options/docker',
      'rc-status -S | sed "s/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/TIME/"',
      'service docker start',
      'kill $(cat /run/openrc/options/docker/child_pid); sleep 2; service docker status; cat /run/openrc/options/docker/start_count',
      'service docker stop',
      'service docker status',
      // (the reference's supervisor writes its pidfile a moment after start returns, later on a busy machine)
      'service docker start; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s /run/docker.pid ] && break; sleep 0.1; done; kill -9 $(cat /run/docker.pid); sleep 0.3; service docker status; rc-status -c; service docker stop',
    ]);
  });

  runIt('the helpers scripts use, and the library around them', () => {
    const helpers = `#!/sbin/openrc-run
extra_commands="show"
show() {
\tyesno yes && echo y1; yesno NO || echo n1; x=on; yesno x && echo y2; z=maybe; yesno z; echo "z=$?"
\tservice_set_value key "a value"; service_get_value key; echo; get_options key; echo
\teinfon "no newline"; einfo "after einfon"
\tewarnn "warn n"; ewarn "after ewarnn"
\tebegin "begin"; ewend 1 "a warning end"
\teend 3; echo "eend=$?"
\teend notnum some message; echo "eend2=$?"
\teindent; einfo "indented"; eindent; einfo "more"; eoutdent; eoutdent; einfo "back"
\tveinfo "verbose only"; EINFO_VERBOSE=yes veinfo "verbose now"
\tEINFO_QUIET=yes einfo "quiet"; EINFO_QUIET=yes eerror "error still"; EERROR_QUIET=yes eerror "gone"
\teinfo; eerror; echo "eerror=$?"
\tshell_var "a-b.c" "d e"
\tcheckpath -d -m 0750 /tmp/cpdir; checkpath -f /tmp/cpdir/file; checkpath -f /tmp/cpdir/file; checkpath -d /tmp/cpdir/file; echo "cp=$?"
\tcheckpath -W /tmp; echo "w=$?"; checkpath -W /nonexistent/x; echo "w2=$?"
\tis_newer_than /etc/init.d/helpers /etc/init.d; echo "newer=$?"
\tservice_started sleeper; echo "ss=$?"; service_stopped sleeper; echo "st=$?"
\techo "svc=$RC_SVCNAME sv=$SVCNAME svcdir=$RC_SVCDIR libexec=$RC_LIBEXECDIR runlevel=$RC_RUNLEVEL cmd=$RC_CMD"
\techo "path=$PATH"
}
`;
    const files = {
      ...SAMPLE.files,
      helpers,
      needsmissing: '#!/sbin/openrc-run\ndepend() { need nosuchsvc; }\nstart() { ebegin "never"; eend 0; }\n',
      reqdirs: '#!/sbin/openrc-run\nrequired_dirs="/nonexistent_dir"\nstart() { einfo "started"; }\n',
      confuser: '#!/sbin/openrc-run\nstart() { einfo "greeting is $greeting, rc_need is $rc_need"; }\n',
      'etc/conf.d/confuser': 'greeting=hello\nrc_need=sleeper\n',
      wanter: '#!/sbin/openrc-run\ndepend() { want failing; use withcmd; after sleeper; }\nstart() { ebegin "Starting wanter"; eend 0; }\nstop() { ebegin "Stopping wanter"; eend 0; }\n',
      stoponly: '#!/sbin/openrc-run\nextra_stopped_commands="clean"\nextra_started_commands="poke"\nclean() { einfo "cleaning"; }\npoke() { einfo "poked"; }\nstart() { einfo "up"; }\nstop() { einfo "down"; }\n',
      selfmark: '#!/sbin/openrc-run\nstart() { ebegin "Going inactive"; mark_service_inactive; eend 0; }\n',
      nodesc: '#!/sbin/openrc-run\nstart() { :; }\n',
    };
    compare({ ...SAMPLE, files }, [
      'rc-service helpers show',
      'rc-service needsmissing start',
      'rc-service reqdirs start',
      'rc-service confuser start',
      'rc-service wanter start',
      'rc-status',
      'rc-service -D wanter stop',
      'rc-service wanter stop',
      'rc-service stoponly poke; rc-service stoponly clean; rc-service stoponly start; rc-service stoponly poke; rc-service stoponly clean',
      'rc-service stoponly describe; rc-service nodesc describe',
      'rc-service selfmark start; rc-service selfmark status; rc-service selfmark start',
      'rc-service -q sleeper start; rc-service -q sleeper start; rc-service -q -q failing start',
      '/etc/init.d/withcmd start; /etc/init.d/withcmd status',
      '/etc/init.d/withcmd --nodeps stop',
      '/etc/init.d/withcmd',
      '/etc/init.d/withcmd -V',
      '/etc/init.d/withcmd --bogus start',
      '/etc/init.d/withcmd ineed iafter; /etc/init.d/sleeper needsme ibefore usesme; /etc/init.d/dependent ineed',
      '/etc/init.d/withcmd depend',
      'openrc-run; openrc-run /nonexistent start',
      'rm /run/openrc/softlevel; rc-service withcmd start; rc-service withcmd status; rc-service withcmd hello; echo default > /run/openrc/softlevel',
      'rc-service -Z dependent start',
      'rc-service --nodeps sleeper stop',
      'rc-service dependent start; rc-service dependent status',
    ]);
  });

  runIt('on a terminal: colours, the status column and rc-status', () => {
    compare(
      SAMPLE,
      [
        'rc-service sleeper start',
        'rc-service withcmd start',
        'rc-service withcmd restart',
        'rc-service withcmd hello',
        'rc-service failing start',
        'rc-service withcmd status',
        'rc-service withcmd describe',
        'rc-status',
        'rc-service -C withcmd status',
        'EINFO_COLOR=NO rc-service withcmd status',
        'NO_COLOR=1 rc-service withcmd status; NO_COLOR=1 rc-status',
        'TERM=dumb rc-service withcmd status; TERM=linux rc-status boot',
        'COLUMNS=60 rc-service failing start',
        'rc-service sleeper stop',
      ],
      {},
      true,
    );
  });

  runIt('the init scripts Debian\'s openrc package ships', () => {
    compare({ debianScripts: true }, [
      'rc-service -l',
      'rc-service agetty start',
      'rc-service agetty describe',
      'rc-service cgroups describe',
      'rc-service cgroups start; rc-service cgroups status',
      'rc-service savecache start',
      'rc-service savecache describe',
      'rc-update -v show',
      '/etc/init.d/agetty ineed iafter iprovide; /etc/init.d/cgroups iafter',
    ]);
  });
});
