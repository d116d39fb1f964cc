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
  base64: ['usr/bin', () => import('./applets/base64.js')],
  cat: ['bin', () => import('./applets/cat.js')],
  cmp: ['usr/bin', () => import('./applets/cmp.js')],
  cut: ['usr/bin', () => import('./applets/cut.js')],
  date: ['bin', () => import('./applets/date.js')],
  echo: ['bin', () => import('./applets/echo.js')],
  false: ['bin', () => import('./applets/false.js')],
  head: ['usr/bin', () => import('./applets/head.js')],
  md5sum: ['usr/bin', () => import('./applets/md5sum.js')],
  printf: ['usr/bin', () => import('./applets/printf.js')],
  seq: ['usr/bin', () => import('./applets/seq.js')],
  sha1sum: ['usr/bin', () => import('./applets/sha1sum.js')],
  sha224sum: ['usr/bin', () => import('./applets/sha224sum.js')],
  sha256sum: ['usr/bin', () => import('./applets/sha256sum.js')],
  sha384sum: ['usr/bin', () => import('./applets/sha384sum.js')],
  sha512sum: ['usr/bin', () => import('./applets/sha512sum.js')],
  sort: ['usr/bin', () => import('./applets/sort/index.js')],
  tail: ['usr/bin', () => import('./applets/tail.js')],
  tee: ['usr/bin', () => import('./applets/tee.js')],
  test: ['usr/bin', () => import('./applets/test.js')],
  tr: ['usr/bin', () => import('./applets/tr.js')],
  true: ['bin', () => import('./applets/true.js')],
  uniq: ['usr/bin', () => import('./applets/uniq.js')],
  wc: ['usr/bin', () => import('./applets/wc.js')],
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
