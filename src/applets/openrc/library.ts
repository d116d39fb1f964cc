// The shell side of openrc-run: what OpenRC keeps in /lib/rc/sh (functions.sh, rc-functions.sh,
// openrc-run.sh, start-stop-daemon.sh, supervise-daemon.sh), written for our shell. openrc-run runs
// RUNSCRIPT with the service script's path and one command as $1 and $2, exactly as OpenRC runs
// openrc-run.sh: it sources rc.conf, conf.d and the script, then runs CMD_pre, CMD and CMD_post.
// The helper programs OpenRC keeps in /lib/rc/bin (einfo, service_set_value, checkpath ...) are
// builtins here (builtins.ts). GENDEPENDS is gendepends.sh: it sources every script and records
// what its depend() says.
import type { Rc } from './state.js';

/** Shell text in a template: raw (backslashes reach the shell as written), with the shell's own
 *  `${` written as `\${` so that only unescaped `${...}` interpolates TypeScript. */
function sh(strings: TemplateStringsArray, ...parts: string[]): string {
  return String.raw({ raw: strings.raw.map((s) => s.replaceAll('\\${', '${')) }, ...parts);
}

/** functions.sh and rc-functions.sh: what every script (and gendepends) can call. */
const FUNCTIONS = sh`
RC_GOT_FUNCTIONS="yes"

eindent()
{
	: $(( EINFO_INDENT = \${EINFO_INDENT:-0} + 2 ))
	[ "$EINFO_INDENT" -gt 40 ] && EINFO_INDENT=40
	export EINFO_INDENT
}

eoutdent()
{
	: $(( EINFO_INDENT = \${EINFO_INDENT:-0} - 2 ))
	[ "$EINFO_INDENT" -lt 0 ] && EINFO_INDENT=0
	return 0
}


for arg; do
	case "$arg" in
		--nocolor|--nocolour|-C)
			EINFO_COLOR="NO" ; export EINFO_COLOR
			;;
	esac
done

if [ -t 1 ] && yesno "\${EINFO_COLOR:-YES}"; then
	if [ -z "$GOOD" ]; then
		eval $(eval_ecolors)
	fi
else
	# the e* commands remember the last one in EINFO_LASTCMD, as OpenRC's wrappers do
	_rc_remember_lastcmd
fi

net_fs_list="afs ceph cifs coda davfs fuse fuse.sshfs gfs glusterfs lustre
ncpfs nfs nfs4 ocfs2 shfs smbfs"

`;

/** start-stop-daemon.sh and supervise-daemon.sh: the default start/stop/status of a daemon. */
const SUPERVISORS = sh`

extra_commands="healthcheck unhealthy \${extra_commands}"

`;

/** Functions defined the first time they are called (see builtins.ts): most runs need few of
 *  them, and parsing all would cost more than the rest of the run. Each text defines its name. */
export const LAZY_FUNCTIONS: Readonly<Record<string, string>> = {
  rc_runlevel: sh`
rc_runlevel()
{
	rc-status --runlevel
}
`,
  is_net_fs: sh`
is_net_fs()
{
	[ -z "$1" ] && return 1
	mountinfo --quiet --netdev "$1"  && return 0
	mountinfo --quiet --nonetdev "$1" && return 1
	local t=$(mountinfo --fstype "$1")
	for x in $net_fs_list $extra_net_fs_list; do
		[ "$x" = "$t" ] && return 0
	done
	return 1
}
`,
  is_union_fs: sh`
is_union_fs()
{
	[ ! -x /sbin/unionctl ] && return 1
	unionctl "$1" --list >/dev/null 2>&1
}
`,
  get_bootparam: sh`
get_bootparam()
{
	local match="$1"
	[ -z "$match" -o ! -r /proc/cmdline ] && return 1
	set -- $(cat /proc/cmdline)
	while [ -n "$1" ]; do
		[ "$1" = "$match" ] && return 0
		case "$1" in
			gentoo=*)
				local params="\${1##*=}"
				local IFS=, x=
				for x in $params; do
					[ "$x" = "$match" ] && return 0
				done
				;;
		esac
		shift
	done
	return 1
}
`,
  get_bootparam_value: sh`
get_bootparam_value()
{
	local match="$1" which_value="$2" sep="$3" result value
	if [ -n "$match" -a -r /proc/cmdline ]; then
		set -- $(cat /proc/cmdline)
		while [ -n "$1" ]; do
			case "$1" in
				$match=*)
					value="\${1##*=}"
					case "$which_value" in
						all)
							[ -z "$sep" ] && sep=' '
							if [ -z "$result" ]; then
								result="$value"
							else
								result="\${result}\${sep}\${value}"
							fi
							;;
						last)
							result="$value"
							;;
						*)
							result="$value"
							break
							;;
					esac
					;;
			esac
			shift
		done
	fi
	echo $result
}
`,
  need_if_exists: sh`
need_if_exists()
{
	for x; do
		rc-service --exists "\${x}" && need "\${x}"
	done
}
`,
  _depend: sh`
_depend()
{
	depend
	local _rc_svcname=$(shell_var "$RC_SVCNAME") _deptype= _depends=
	for _deptype in config:CONFIG need:NEED use:USE want:WANT \
	after:AFTER before:BEFORE \
	provide:PROVIDE keyword:KEYWORD; do
		IFS=:
		set -- $_deptype
		unset IFS
		eval _depends=\$rc_\${_rc_svcname}_$1
		[ -z "$_depends" ] && eval _depends=\$rc_$1
		[ -z "$_depends" ] && eval _depends=\$RC_\${_rc_svcname}_$2
		[ -z "$_depends" ] && eval _depends=\$RC_$2
		$1 $_depends
	done
}
`,
  ssd_start: sh`
ssd_start()
{
	if [ -z "$command" ]; then
		ewarn "The command variable is undefined."
		ewarn "There is nothing for \${name:-$RC_SVCNAME} to start."
		ewarn "If this is what you intend, please write a start function."
		ewarn "This will become a failure in a future release."
		return 0
	fi

	local _background=
	ebegin "Starting \${name:-$RC_SVCNAME}"
	if yesno "\${command_background}"; then
		if [ -z "\${pidfile}" ]; then
			eend 1 "command_background option used but no pidfile specified"
			return 1
		fi
		if [ -n "\${command_args_background}" ]; then
			eend 1 "command_background used with command_args_background"
			return 1
		fi
		_background="--background --make-pidfile"
	fi
	if yesno "$start_inactive"; then
		local _inactive=false
		service_inactive && _inactive=true
		mark_service_inactive
	fi
	# eval, so that command_args="this \"is a\" test" makes three words
	eval start-stop-daemon --start \
		--exec $command \
		\${chroot:+--chroot} $chroot \
		\${directory:+--chdir} $directory \
		\${output_log+--stdout} $output_log \
		\${error_log+--stderr} $error_log \
		\${output_logger:+--stdout-logger \"$output_logger\"} \
		\${error_logger:+--stderr-logger \"$error_logger\"} \
		\${procname:+--name} $procname \
		\${pidfile:+--pidfile} $pidfile \
		\${command_user+--user} $command_user \
		\${umask+--umask} $umask \
		$_background $start_stop_daemon_args \
		-- $command_args $command_args_background
	if eend $? "Failed to start \${name:-$RC_SVCNAME}"; then
		service_set_value "command" "\${command}"
		[ -n "\${chroot}" ] && service_set_value "chroot" "\${chroot}"
		[ -n "\${pidfile}" ] && service_set_value "pidfile" "\${pidfile}"
		[ -n "\${procname}" ] && service_set_value "procname" "\${procname}"
		return 0
	fi
	if yesno "$start_inactive"; then
		if ! $_inactive; then
			mark_service_stopped
		fi
	fi
	return 1
}
`,
  ssd_stop: sh`
ssd_stop()
{
	local _progress=
	local startcommand="$(service_get_value "command")"
	local startchroot="$(service_get_value "chroot")"
	local startpidfile="$(service_get_value "pidfile")"
	local startprocname="$(service_get_value "procname")"
	command="\${startcommand:-$command}"
	chroot="\${startchroot:-$chroot}"
	pidfile="\${startpidfile:-$pidfile}"
	procname="\${startprocname:-$procname}"
	[ -n "$command" -o -n "$procname" -o -n "$pidfile" ] || return 0
	yesno "\${command_progress}" && _progress=--progress
	ebegin "Stopping \${name:-$RC_SVCNAME}"
	start-stop-daemon --stop \
		\${retry:+--retry} $retry \
		\${command:+--exec} $command \
		\${procname:+--name} $procname \
		\${pidfile:+--pidfile} $chroot$pidfile \
		\${stopsig:+--signal} $stopsig \
		\${_progress}

	eend $? "Failed to stop \${name:-$RC_SVCNAME}"
}
`,
  ssd_status: sh`
ssd_status()
{
	_status
}
`,
  supervise_start: sh`
supervise_start()
{
	if [ -z "$command" ]; then
		ewarn "The command variable is undefined."
		ewarn "There is nothing for \${name:-$RC_SVCNAME} to start."
		return 1
	fi

	ebegin "Starting \${name:-$RC_SVCNAME}"
	eval supervise-daemon "\${RC_SVCNAME}" --start \
		\${retry:+--retry} $retry \
		\${directory:+--chdir} $directory  \
		\${chroot:+--chroot} $chroot \
		\${output_log+--stdout} \${output_log} \
		\${error_log+--stderr} $error_log \
		\${pidfile:+--pidfile} $pidfile \
		\${respawn_delay:+--respawn-delay} $respawn_delay \
		\${respawn_max:+--respawn-max} $respawn_max \
		\${respawn_period:+--respawn-period} $respawn_period \
		\${healthcheck_delay:+--healthcheck-delay} $healthcheck_delay \
		\${healthcheck_timer:+--healthcheck-timer} $healthcheck_timer \
		\${command_user+--user} $command_user \
		\${umask+--umask} $umask \
		\${supervise_daemon_args:-\${start_stop_daemon_args}} \
		$command \
		-- $command_args $command_args_foreground
	rc=$?
	if [ $rc = 0 ]; then
		[ -n "\${chroot}" ] && service_set_value "chroot" "\${chroot}"
		[ -n "\${pidfile}" ] && service_set_value "pidfile" "\${pidfile}"
	fi
	eend $rc "failed to start \${name:-$RC_SVCNAME}"
}
`,
  supervise_stop: sh`
supervise_stop()
{
	local startchroot="$(service_get_value "chroot")"
	local startpidfile="$(service_get_value "pidfile")"
	chroot="\${startchroot:-$chroot}"
	pidfile="\${startpidfile:-$pidfile}"
	ebegin "Stopping \${name:-$RC_SVCNAME}"
	supervise-daemon "\${RC_SVCNAME}" --stop \
		\${pidfile:+--pidfile} $chroot$pidfile

	eend $? "Failed to stop \${name:-$RC_SVCNAME}"
}
`,
  _check_supervised: sh`
_check_supervised()
{
	local child_pid start_time
	child_pid="$(service_get_value "child_pid")"
	start_time="$(service_get_value "start_time")"
	if [ -n "\${child_pid}" ] && [ -n "\${start_time}" ]; then
		return 1
	fi
	return 0
}
`,
  supervise_status: sh`
supervise_status()
{
	if service_stopping; then
		ewarn "status: stopping"
		return 4
	elif service_starting; then
		ewarn "status: starting"
		return 8
	elif service_inactive; then
		ewarn "status: inactive"
		return 16
	elif service_started; then
		if service_crashed; then
			if ! _check_supervised; then
				eerror "status: unsupervised"
				return 64
			fi
			eerror "status: crashed"
			return 32
		fi
		einfo "status: started"
		return 0
	else
		einfo "status: stopped"
		return 3
	fi
}
`,
  healthcheck: sh`
healthcheck()
{
	return 0
}
`,
  unhealthy: sh`
unhealthy()
{
	return 0
}
`,
  describe: sh`
describe()
{
	if [ -n "$description" ]; then
		einfo "$description"
	else
		ewarn "No description for $RC_SVCNAME"
	fi

	local svc= desc=
	for svc in \${extra_commands:-$opts} $extra_started_commands \
		$extra_stopped_commands; do
		eval desc=\$description_$svc
		if [ -n "$desc" ]; then
			einfo "$HILITE$svc$NORMAL: $desc"
		else
			ewarn "$HILITE$svc$NORMAL: no description"
		fi
	done
}
`,
  _status: sh`
_status()
{
	if service_stopping; then
		ewarn "status: stopping"
		return 4
	elif service_starting; then
		ewarn "status: starting"
		return 8
	elif service_inactive; then
		ewarn "status: inactive"
		return 16
	elif service_crashed; then
		eerror "status: crashed"
		return 32
	elif service_started; then
		einfo "status: started"
		return 0
	else
		einfo "status: stopped"
		return 3
	fi
}
`,
  default_start: sh`
default_start()
{
	local func=ssd_start
	case "$supervisor" in
		runit) func=runit_start ;;
		s6) func=s6_start ;;
		supervise-daemon) func=supervise_start ;;
		?*)
			ewarn "Invalid supervisor, \"$supervisor\", using start-stop-daemon"
			;;
	esac
	$func
}
`,
  default_stop: sh`
default_stop()
{
	local func=ssd_stop
	case "$supervisor" in
		runit) func=runit_stop ;;
		s6) func=s6_stop ;;
		supervise-daemon) func=supervise_stop ;;
		?*)
			ewarn "Invalid supervisor, \"$supervisor\", using start-stop-daemon"
			;;
	esac
	$func
}
`,
  default_status: sh`
default_status()
{
	local func=ssd_status
	case "$supervisor" in
		runit) func=runit_status ;;
		s6) func=s6_status ;;
		supervise-daemon) func=supervise_status ;;
		?*)
			ewarn "Invalid supervisor, \"$supervisor\", using start-stop-daemon"
			;;
	esac
	$func
}
`,
  start: sh`
start()
{
	default_start
}
`,
  stop: sh`
stop()
{
	default_stop
}
`,
  status: sh`
status()
{
	default_status
}
`,
  runit_start: sh`
runit_start() { eerror "$RC_SVCNAME: the runit supervisor is not supported"; return 1; }
`,
  runit_stop: sh`
runit_stop() { eerror "$RC_SVCNAME: the runit supervisor is not supported"; return 1; }
`,
  runit_status: sh`
runit_status() { eerror "$RC_SVCNAME: the runit supervisor is not supported"; return 1; }
`,
  s6_start: sh`
s6_start() { eerror "$RC_SVCNAME: the s6 supervisor is not supported"; return 1; }
`,
  s6_stop: sh`
s6_stop() { eerror "$RC_SVCNAME: the s6 supervisor is not supported"; return 1; }
`,
  s6_status: sh`
s6_status() { eerror "$RC_SVCNAME: the s6 supervisor is not supported"; return 1; }
`,
  cgroup_cleanup: sh`
# control groups are not managed: there is never anything to clean up
cgroup_cleanup() { return 0; }
`,
};

/** openrc-run.sh: load the configuration and the script, then run the command given. */
export const RUNSCRIPT = sh`
verify_boot()
{
	if [ ! -e \${RC_SVCDIR}/softlevel ]; then
		eerror "You are attempting to run an openrc service on a"
		eerror "system which openrc did not boot."
		eerror "You may be inside a chroot or you may have used"
		eerror "another initialization system to boot this system."
		eerror "In this situation, you will get unpredictable results!"
		eerror
		eerror "If you really want to do this, issue the following command:"
		eerror "touch \${RC_SVCDIR}/softlevel"
		exit 1
	fi
	return 0
}

sourcex()
{
	if [ "$1" = "-e" ]; then
		shift
		[ -e "$1" ] || return 1
	fi
	if ! . "$1"; then
		eerror "$RC_SVCNAME: error loading $1"
		exit 1
	fi
}
${FUNCTIONS}
case $RC_SYS in
	PREFIX|SYSTEMD-NSPAWN) ;;
	*)
		extra_stopped_commands="\${extra_stopped_commands} cgroup_cleanup"
		description_cgroup_cleanup="Kill all processes in the cgroup"
		;;
esac

if [ -z "$1" -o -z "$2" ]; then
	eerror "$RC_SVCNAME: not enough arguments"
	exit 1
fi

RC_SERVICE="$1" ; export RC_SERVICE
shift

SVCNAME=$RC_SVCNAME ; export SVCNAME

yesno $RC_DEBUG && set -x

sourcex -e "@RC_CONF@"
if [ -d "@RC_CONF@.d" ]; then
	for _f in "@RC_CONF@".d/*.conf; do
		sourcex -e "$_f"
	done
fi

_conf_d=\${RC_SERVICE%/*}/../conf.d
# net.eth0 and openvpn.work load the configuration of net and openvpn first
_c=\${RC_SVCNAME%%.*}
if [ -n "$_c" -a "$_c" != "$RC_SVCNAME" ]; then
	if ! sourcex -e "$_conf_d/$_c.$RC_RUNLEVEL"; then
		sourcex -e "$_conf_d/$_c"
	fi
fi
unset _c

if ! sourcex -e "$_conf_d/$RC_SVCNAME.$RC_RUNLEVEL"; then
	sourcex -e "$_conf_d/$RC_SVCNAME"
fi
unset _conf_d
${SUPERVISORS}
sourcex "$RC_SERVICE"

_rc_required()
{
	local _test="$1" _what="$2" _p
	shift 2
	for _p; do
		if [ -n "$_p" ] && [ ! $_test "$_p" ]; then
			eerror "$RC_SVCNAME: \`$_p' $_what"
			exit 1
		fi
	done
}
[ -n "$required_dirs" ] && eval "_rc_required -d 'is not a directory' $required_dirs"
[ -n "$required_files" ] && eval "_rc_required -r 'is not readable' $required_files"
unset -f _rc_required

if [ -n "$opts" ]; then
		ewarn "Use of the opts variable is deprecated and will be"
		ewarn "removed in the future."
		ewarn "Please use extra_commands, extra_started_commands or extra_stopped_commands."
fi

if yesno "\${rc_verbose:-$RC_VERBOSE}"; then
	EINFO_VERBOSE=yes
	export EINFO_VERBOSE
fi

for _cmd; do
	if [ "$_cmd" != status -a "$_cmd" != describe ]; then
		if [ -n "\${rc_ulimit:-$RC_ULIMIT}" ]; then
			if ! ulimit \${rc_ulimit:-$RC_ULIMIT}; then
				eerror "\${RC_SVCNAME}: unable to apply RC_ULIMIT settings"
			fi
		fi
		break
	fi
done

while [ -n "$1" ]; do
	if [ "$1" = depend ]; then
		shift
		cd \${RC_SERVICE%/*}
		_depend
		cd /
		continue
	fi

	for _cmd in describe start stop status \${extra_commands:-$opts} \
		$extra_started_commands $extra_stopped_commands
	do
		if [ "$_cmd" = "$1" ]; then
			if [ "$(command -v "$1")" = "$1" ]; then
				# In the background we may fake some commands, so that a service
				# can "start" from inactive and let those that depend on it start.
				if yesno $IN_BACKGROUND; then
					for _cmd in $in_background_fake; do
						if [ "$_cmd" = "$1" ]; then
							shift
							continue 3
						fi
					done
				fi
				for _cmd in $extra_started_commands; do
					if [ "$_cmd" = "$1" ]; then
						if verify_boot && ! service_started; then
							eerror "$RC_SVCNAME: cannot \`$1' as it has not been started"
							exit 1
						fi
					fi
				done
				for _cmd in $extra_stopped_commands; do
					if [ "$_cmd" = "$1" ]; then
						if verify_boot && ! service_stopped; then
							eerror "$RC_SVCNAME: cannot \`$1' as it has not been stopped"
							exit 1
						fi
					fi
				done
				unset _cmd
				case $1 in
						start|stop|status) verify_boot;;
				esac
				if [ "$(command -v "$1_pre")" = "$1_pre" ]
				then
					"$1"_pre || exit $?
				fi
				"$1" || exit $?
				if [ "$(command -v "$1_post")" = "$1_post" ]
				then
					"$1"_post || exit $?
				fi
				shift
				continue 2
			else
				if [ "$_cmd" = "start" -o "$_cmd" = "stop" ]
				then
					shift
					continue 2
				else
					eerror "$RC_SVCNAME: function \`$1' defined but does not exist"
					exit 1
				fi
			fi
		fi
	done
	eerror "$RC_SVCNAME: unknown function \`$1'"
	exit 1
done

exit 0
`;

/** gendepends.sh: every init script's dependencies, recorded by the depend builtins. */
export const GENDEPENDS = sh`
${FUNCTIONS}
depend() {
	:
}
${LAZY_FUNCTIONS._depend!}
_done_dirs=
for _dir in @INITDIRS@
do
	[ -d "$_dir" ] || continue

	for _d in $_done_dirs; do
		[ "$_d" = "$_dir" ] && continue 2
	done
	unset _d
	_done_dirs="$_done_dirs $_dir"

	cd "$_dir"
	for RC_SERVICE in *; do
		[ -x "$RC_SERVICE" -a -f "$RC_SERVICE" ] || continue
		case "$RC_SERVICE" in *.dpkg*) continue ;; esac

		read one two three <"$RC_SERVICE"
		case "$one" in
			\#*/openrc-run) ;;
			\#*/runscript) ;;
			\#!)
				case "$two" in
					*/openrc-run) ;;
					*/runscript) ;;
					*)
						continue
						;;
				esac
				;;
			*)
				continue
				;;
		esac
		unset one two three

		RC_SVCNAME=\${RC_SERVICE##*/} ; export RC_SVCNAME
		SVCNAME=$RC_SVCNAME ; export SVCNAME

		(
		# what scripts print while they are read goes to stderr
		exec 1>&2

		_rc_c=\${RC_SVCNAME%%.*}
		if [ -n "$_rc_c" -a "$_rc_c" != "$RC_SVCNAME" ]; then
			if [ -e "$_dir/../conf.d/$_rc_c" ]; then
				. "$_dir/../conf.d/$_rc_c"
			fi
		fi
		unset _rc_c

		if [ -e "$_dir/../conf.d/$RC_SVCNAME" ]; then
			. "$_dir/../conf.d/$RC_SVCNAME"
		fi

		[ -e "@RC_CONF@" ] && . "@RC_CONF@"
		if [ -d "@RC_CONF@.d" ]; then
			for _f in "@RC_CONF@".d/*.conf; do
				[ -e "$_f" ] && . "$_f"
			done
		fi

		. "$_dir/$RC_SVCNAME"
		_rc_depinfo "$RC_SVCNAME"
		_depend
		)
	done
done
`;

/** A library text with this system's paths filled in. */
export function libraryText(text: string, rc: Rc): string {
  return text.replaceAll('@RC_CONF@', rc.rcConf);
}

const SYSTEM_PATH = '/lib/rc/bin:/bin:/sbin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/bin:/usr/sbin:/usr/local/bin:/usr/local/sbin';
const SYSTEM_DIRS = new Set(['/lib/rc/bin', '/lib/rc/sbin', '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

/** PATH as functions.sh and rc-functions.sh leave it: OpenRC's helper directories and the system
 *  ones first (as functions.sh spells them, twice over), then the rest of what PATH had. */
export function libraryPath(path: string | undefined, libexecdir: string): string {
  const rest = (path ?? '').split(':').filter((p) => p !== '' && !SYSTEM_DIRS.has(p));
  const full = [SYSTEM_PATH, ...rest].join(':');
  return full === `${libexecdir}/sbin` || full.startsWith(`${libexecdir}/sbin:`) ? full : `${libexecdir}/sbin:${full}`;
}
