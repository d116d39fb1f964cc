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
  cat: ['bin', () => import('./applets/cat.js')],
  echo: ['bin', () => import('./applets/echo.js')],
  egrep: ['bin', () => import('./applets/grep/index.js')],
  expr: ['usr/bin', () => import('./applets/expr.js')],
  false: ['bin', () => import('./applets/false.js')],
  fgrep: ['bin', () => import('./applets/grep/index.js')],
  grep: ['bin', () => import('./applets/grep/index.js')],
  sed: ['bin', () => import('./applets/sed/index.js')],
  true: ['bin', () => import('./applets/true.js')],
};

const applets = new Map<string, AppletEntry>(Object.entries(table).map(([name, [dir, load]]) => [name, { dir, load }]));

export function findApplet(name: string): AppletEntry | undefined {
  return applets.get(name);
}

/** All applet names in byte order (BusyBox's --list order). */
export function appletNames(): string[] {
  return [...applets.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
