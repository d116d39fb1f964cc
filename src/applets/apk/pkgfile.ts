// A package record from a .PKGINFO (local .apk files, `apk index`).
import { parseDeps, type NameTable, Pkg } from './package.js';

export function pkgFromInfo(names: NameTable, info: Map<string, string[]>, identity: string, fileSize: number): Pkg {
  const one = (k: string) => info.get(k)?.[0] ?? '';
  const all = (k: string) => (info.get(k) ?? []).join(' ');
  const pkg = new Pkg(names.get(one('pkgname')));
  pkg.version = one('pkgver');
  pkg.description = one('pkgdesc');
  pkg.url = one('url');
  pkg.buildTime = Number(one('builddate')) || 0;
  pkg.installedSize = Number(one('size')) || 0;
  pkg.arch = one('arch');
  pkg.origin = one('origin');
  pkg.commit = one('commit');
  pkg.maintainer = one('maintainer');
  pkg.license = one('license');
  pkg.providerPriority = Number(one('provider_priority')) || 0;
  pkg.replacesPriority = Number(one('replaces_priority')) || 0;
  pkg.dependsText = all('depend');
  pkg.provides = parseDeps(all('provides'), names);
  pkg.installIf = parseDeps(all('install_if'), names);
  pkg.replaces = parseDeps(all('replaces'), names);
  pkg.triggers = all('triggers').split(' ').filter(Boolean);
  pkg.identity = identity;
  pkg.size = fileSize;
  return pkg;
}
