// The applet table: name → where it is installed and how to load it. Nothing else lives here: only
// the invoked applet's module is ever loaded, so start-up stays small however many applets there are.
// Aliases (`[` for test, `service` for rc-service) are entries that load the same module.
import type { AppletDecl } from './core/applet.js';
import type { OptionSpecs } from './core/options.js';

export type InstallDir = 'bin' | 'sbin' | 'usr/bin' | 'usr/sbin';
type Loader = () => Promise<{ default: AppletDecl<OptionSpecs> }>;

export interface AppletEntry {
  /** Standard install directory, relative to the root (`toolbox --install`, `--list-full`). */
  readonly dir: InstallDir;
  readonly load: Loader;
}

// One line per applet, sorted by name.
const table: Record<string, [InstallDir, Loader]> = {
  '[': ['usr/bin', () => import('./applets/test.js')],
  '[[': ['usr/bin', () => import('./applets/test.js')],
  apk: ['sbin', () => import('./applets/apk/index.js')],
  ash: ['bin', () => import('./applets/sh/index.js')],
  base64: ['usr/bin', () => import('./applets/base64.js')],
  basename: ['usr/bin', () => import('./applets/basename.js')],
  cat: ['bin', () => import('./applets/cat.js')],
  chgrp: ['bin', () => import('./applets/chgrp.js')],
  chmod: ['bin', () => import('./applets/chmod.js')],
  chown: ['bin', () => import('./applets/chown.js')],
  clear: ['usr/bin', () => import('./applets/clear.js')],
  cmp: ['usr/bin', () => import('./applets/cmp.js')],
  cp: ['bin', () => import('./applets/cp.js')],
  cut: ['usr/bin', () => import('./applets/cut.js')],
  date: ['bin', () => import('./applets/date.js')],
  df: ['bin', () => import('./applets/df.js')],
  dirname: ['usr/bin', () => import('./applets/dirname.js')],
  du: ['usr/bin', () => import('./applets/du.js')],
  echo: ['bin', () => import('./applets/echo.js')],
  egrep: ['bin', () => import('./applets/grep/index.js')],
  env: ['usr/bin', () => import('./applets/env.js')],
  expr: ['usr/bin', () => import('./applets/expr.js')],
  false: ['bin', () => import('./applets/false.js')],
  fgrep: ['bin', () => import('./applets/grep/index.js')],
  find: ['usr/bin', () => import('./applets/find/index.js')],
  grep: ['bin', () => import('./applets/grep/index.js')],
  groups: ['usr/bin', () => import('./applets/groups.js')],
  head: ['usr/bin', () => import('./applets/head.js')],
  hostname: ['bin', () => import('./applets/hostname.js')],
  id: ['usr/bin', () => import('./applets/id.js')],
  install: ['usr/bin', () => import('./applets/install.js')],
  kill: ['bin', () => import('./applets/kill.js')],
  ln: ['bin', () => import('./applets/ln.js')],
  ls: ['bin', () => import('./applets/ls/index.js')],
  md5sum: ['usr/bin', () => import('./applets/md5sum.js')],
  mkdir: ['bin', () => import('./applets/mkdir.js')],
  mkimage: ['usr/bin', () => import('./applets/mkimage/index.js')],
  mktemp: ['bin', () => import('./applets/mktemp.js')],
  mv: ['bin', () => import('./applets/mv.js')],
  nohup: ['usr/bin', () => import('./applets/nohup.js')],
  nproc: ['usr/bin', () => import('./applets/nproc.js')],
  openrc: ['sbin', () => import('./applets/openrc/openrc.js')],
  'openrc-run': ['sbin', () => import('./applets/openrc/openrc-run.js')],
  printenv: ['usr/bin', () => import('./applets/printenv.js')],
  printf: ['usr/bin', () => import('./applets/printf.js')],
  ps: ['bin', () => import('./applets/ps.js')],
  pwd: ['bin', () => import('./applets/pwd.js')],
  'rc-service': ['sbin', () => import('./applets/openrc/rc-service.js')],
  'rc-status': ['bin', () => import('./applets/openrc/rc-status.js')],
  'rc-update': ['sbin', () => import('./applets/openrc/rc-update.js')],
  readlink: ['bin', () => import('./applets/readlink.js')],
  realpath: ['usr/bin', () => import('./applets/realpath.js')],
  rm: ['bin', () => import('./applets/rm.js')],
  rmdir: ['bin', () => import('./applets/rmdir.js')],
  sed: ['bin', () => import('./applets/sed/index.js')],
  seq: ['usr/bin', () => import('./applets/seq.js')],
  service: ['sbin', () => import('./applets/openrc/rc-service.js')],
  sh: ['bin', () => import('./applets/sh/index.js')],
  sha1sum: ['usr/bin', () => import('./applets/sha1sum.js')],
  sha224sum: ['usr/bin', () => import('./applets/sha224sum.js')],
  sha256sum: ['usr/bin', () => import('./applets/sha256sum.js')],
  sha384sum: ['usr/bin', () => import('./applets/sha384sum.js')],
  sha512sum: ['usr/bin', () => import('./applets/sha512sum.js')],
  sleep: ['bin', () => import('./applets/sleep.js')],
  sort: ['usr/bin', () => import('./applets/sort/index.js')],
  'start-stop-daemon': ['sbin', () => import('./applets/openrc/start-stop-daemon.js')],
  stat: ['usr/bin', () => import('./applets/stat.js')],
  'supervise-daemon': ['sbin', () => import('./applets/openrc/supervise-daemon.js')],
  sync: ['bin', () => import('./applets/sync.js')],
  tail: ['usr/bin', () => import('./applets/tail.js')],
  tar: ['bin', () => import('./applets/tar/index.js')],
  tee: ['usr/bin', () => import('./applets/tee.js')],
  test: ['usr/bin', () => import('./applets/test.js')],
  timeout: ['usr/bin', () => import('./applets/timeout.js')],
  touch: ['bin', () => import('./applets/touch.js')],
  tr: ['usr/bin', () => import('./applets/tr.js')],
  true: ['bin', () => import('./applets/true.js')],
  tty: ['usr/bin', () => import('./applets/tty.js')],
  uname: ['bin', () => import('./applets/uname.js')],
  uniq: ['usr/bin', () => import('./applets/uniq.js')],
  wc: ['usr/bin', () => import('./applets/wc.js')],
  wget: ['usr/bin', () => import('./applets/wget/index.js')],
  which: ['usr/bin', () => import('./applets/which.js')],
  whoami: ['usr/bin', () => import('./applets/whoami.js')],
  xargs: ['usr/bin', () => import('./applets/xargs.js')],
  yes: ['usr/bin', () => import('./applets/yes.js')],
};

const applets = new Map<string, AppletEntry>(Object.entries(table).map(([name, [dir, load]]) => [name, { dir, load }]));

export function findApplet(name: string): AppletEntry | undefined {
  return applets.get(name);
}

/** All applet names in byte order (BusyBox's --list order). */
export function appletNames(): string[] {
  return [...applets.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
