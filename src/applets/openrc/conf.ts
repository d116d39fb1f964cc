// rc.conf as the C tools read it (rc_conf_value): KEY=VALUE lines of /etc/rc.conf, then of every
// /etc/rc.conf.d/*.conf, the later winning; quotes around a value are dropped. Init scripts source
// the same files with the shell, which is where anything fancier in them takes effect.
import type { Env } from '../../core/env.js';
import { isNo, yesno } from './einfo.js';
import { byteSort, LEVEL_BOOT, LEVEL_DEFAULT, listDir, type Rc, readText, ROOT_VARIABLE, VERSION } from './state.js';

export type RcConf = Map<string, string>;

function parseInto(conf: RcConf, text: string): void {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[ \t]+/, '');
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1);
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      const end = value.indexOf(quote, 1);
      value = end > 0 ? value.slice(1, end) : value.slice(1);
    } else {
      value = value.replace(/[ \t]+#.*$/, '').trimEnd();
    }
    conf.set(key, value);
  }
}

export function loadConf(rc: Rc): RcConf {
  const conf: RcConf = new Map();
  const main = readText(rc.rcConf);
  if (main !== undefined) parseInto(conf, main);
  const dir = `${rc.root}/etc/rc.conf.d`;
  for (const name of byteSort(listDir(dir).filter((n) => n.endsWith('.conf')))) {
    const text = readText(`${dir}/${name}`);
    if (text !== undefined) parseInto(conf, text);
  }
  return conf;
}

const SYS_NAMES = ['XEN0', 'XENU', 'UML', 'VSERVER', 'OPENVZ', 'LXC', 'RKT', 'SYSTEMD-NSPAWN', 'DOCKER'];

function fileMatches(file: string, re: RegExp): boolean {
  const text = readText(file);
  return text !== undefined && text.split(/[\n\0]/).some((line) => re.test(line));
}

/** rc_sys: the kind of system we run in (rc_sys in rc.conf, else detected), or undefined. */
export function rcSys(conf: RcConf): string | undefined {
  const configured = conf.get('rc_sys')?.toUpperCase();
  if (configured && SYS_NAMES.includes(configured)) return configured;
  if (readText('/proc/xen/capabilities') !== undefined || fileMatches('/proc/xen', /./)) {
    return fileMatches('/proc/xen/capabilities', /control_d/) ? 'XEN0' : 'XENU';
  }
  if (fileMatches('/proc/cpuinfo', /UML/)) return 'UML';
  if (fileMatches('/proc/self/status', /(s_context|VxID):[ \t]*[1-9]/)) return 'VSERVER';
  if (readText('/proc/vz/veinfo') !== undefined && readText('/proc/vz/version') === undefined) return 'OPENVZ';
  if (fileMatches('/proc/self/status', /envID:[ \t]*[1-9]/)) return 'OPENVZ';
  for (const [word, sys] of [['lxc', 'LXC'], ['rkt', 'RKT'], ['systemd-nspawn', 'SYSTEMD-NSPAWN'], ['docker', 'DOCKER']] as const) {
    if (fileMatches('/proc/1/environ', new RegExp(`container=${word}`))) return sys;
  }
  return undefined;
}

/** The variables env_filter keeps (besides rc_env_allow's, and our root for tests). */
const ENV_ALLOW = new Set([
  'EERROR_QUIET', 'EINFO_QUIET', 'IN_BACKGROUND', 'IN_DRYRUN', 'IN_HOTPLUG', 'RC_DEBUG', 'RC_NODEPS',
  'LANG', 'LC_MESSAGES', 'TERM', 'EINFO_COLOR', 'EINFO_VERBOSE', ROOT_VARIABLE,
]);

/** env_filter: keep only the allowed variables (all with rc_env_allow="*"), then add what
 *  /etc/profile.env sets and the environment lacks. */
export function envFilter(env: Env, rc: Rc, conf: RcConf): void {
  const allow = (conf.get('rc_env_allow') ?? '').split(' ').filter(Boolean);
  if (allow.includes('*')) return;
  for (const name of [...env.keys()]) if (!ENV_ALLOW.has(name) && !allow.includes(name)) env.delete(name);
  const profile: RcConf = new Map();
  const text = readText(`${rc.root}/etc/profile.env`);
  if (text !== undefined) parseInto(profile, text.replace(/^export[ \t]+/gm, ''));
  for (const [name, value] of profile) if (!env.has(name)) env.set(name, value);
}

export const PATH_PREFIX = '/lib/rc/bin:/bin:/sbin:/usr/bin:/usr/sbin';

/** env_config: the RC_ variables scripts rely on, PATH with the system directories first, and
 *  rc.conf's quiet, verbose and colour settings. */
export function envConfig(env: Env, rc: Rc, conf: RcConf, uname: string): void {
  const path = env.get('PATH');
  if (path === undefined) env.set('PATH', PATH_PREFIX);
  else if (!path.startsWith(PATH_PREFIX)) {
    const prefix = PATH_PREFIX.split(':');
    env.set('PATH', [PATH_PREFIX, ...path.split(':').filter((p) => !prefix.includes(p))].join(':'));
  }
  env.set('RC_VERSION', VERSION);
  env.set('RC_LIBEXECDIR', rc.libexecdir);
  env.set('RC_SVCDIR', rc.svcdir);
  env.set('RC_TMPDIR', `${rc.svcdir}/tmp`);
  env.set('RC_BOOTLEVEL', LEVEL_BOOT);
  env.set('RC_RUNLEVEL', rc.runlevelGet());
  const krunlevel = readText(`${rc.svcdir}/krunlevel`);
  env.set('RC_DEFAULTLEVEL', krunlevel !== undefined ? (krunlevel.split('\n')[0] ?? '') : LEVEL_DEFAULT);
  const sys = rcSys(conf);
  if (sys) env.set('RC_SYS', sys);
  env.set('RC_UNAME', uname);
  if (yesno(conf.get('rc_quiet'))) env.set('EINFO_QUIET', 'YES');
  if (yesno(conf.get('rc_verbose'))) env.set('EINFO_VERBOSE', 'YES');
  const color = conf.get('rc_color');
  if ((color !== undefined && isNo(color)) || yesno(conf.get('rc_nocolor'))) env.set('EINFO_COLOR', 'NO');
}
