// APKINDEX text (spec §2) and the installed database's records (spec §8), which share the format:
// `X:value` lines, one record per package, records separated by an empty line.
import { type Dep, formatDeps, type InstalledDir, type InstalledFile, type InstalledInfo, type NameTable, parseDeps, Pkg } from './package.js';

/** A parsed record: the package plus, for the installed database, what only the db records. */
export interface IndexRecord {
  pkg: Pkg;
  installed?: InstalledInfo;
  /** `s:` tag name (installed db). */
  tagName?: string;
}

export function newInstalledInfo(): InstalledInfo {
  return {
    replaces: [],
    replacesPriority: 0,
    repositoryTag: 0,
    brokenFiles: false,
    brokenScript: false,
    brokenXattr: false,
    dirs: [],
    scripts: new Map(),
    triggers: [],
    pendingTriggers: [],
  };
}

/**
 * Parse index or installed-db text. Lines shorter than 3 bytes or without `:` at offset 1 are skipped;
 * unknown lower-case fields are ignored, unknown upper-case ones make the package uninstallable.
 */
export function parseIndex(text: string, names: NameTable, withFiles = false): IndexRecord[] {
  const records: IndexRecord[] = [];
  // the fields of the record being read, kept in locals: an index has thousands of records
  let fields: Record<string, string> | undefined;
  let C = '';
  let P: string | undefined;
  let V: string | undefined;
  let installed: InstalledInfo | undefined;
  let dir: InstalledDir | undefined;
  let file: InstalledFile | undefined;

  const finish = () => {
    if (P !== undefined && V !== undefined) {
      const pkg = new Pkg(names.get(P));
      pkg.identity = C;
      pkg.version = V;
      if (fields) applyFields(pkg, fields, names);
      const rec: IndexRecord = { pkg, installed };
      if (installed && fields) {
        if (fields.r) installed.replaces = parseDeps(fields.r, names, [], false);
        pkg.replaces = installed.replaces;
        installed.replacesPriority = Number(fields.q ?? 0) || 0;
        pkg.replacesPriority = installed.replacesPriority;
        if (fields.s) rec.tagName = fields.s;
        const f = fields.f ?? '';
        installed.brokenFiles = f.includes('f');
        installed.brokenScript = f.includes('s');
        installed.brokenXattr = f.includes('x');
      }
      records.push(rec);
    }
    fields = undefined;
    C = '';
    P = V = undefined;
    installed = withFiles ? newInstalledInfo() : undefined;
    dir = undefined;
    file = undefined;
  };
  installed = withFiles ? newInstalledInfo() : undefined;

  let start = 0;
  const len = text.length;
  while (start < len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    if (end === start) {
      finish();
      start = end + 1;
      continue;
    }
    if (end - start >= 2 && text.charCodeAt(start + 1) === 58 /* : */) {
      const key = text.charCodeAt(start);
      const value = text.slice(start + 2, end);
      switch (key) {
        case 67 /* C */:
          C = value;
          break;
        case 80 /* P */:
          P = value;
          break;
        case 86 /* V */:
          V = value;
          break;
        case 70 /* F */:
          if (installed) {
            dir = { name: value, files: [] };
            installed.dirs.push(dir);
            file = undefined;
          }
          break;
        case 77 /* M */:
          if (dir) dir.acl = value;
          break;
        case 82 /* R */:
          if (dir) {
            file = { name: value };
            dir.files.push(file);
          }
          break;
        case 97 /* a */:
          if (file) file.acl = value;
          break;
        case 90 /* Z */:
          if (file) file.csum = value;
          break;
        default:
          (fields ??= {})[text[start]!] = value;
          break;
      }
    }
    start = end + 1;
  }
  finish();
  return records;
}

const KNOWN_UPPER = 'CPVASITULDFMRZ';

function applyFields(pkg: Pkg, f: Record<string, string>, names: NameTable): void {
  for (const key in f) {
    const v = f[key]!;
    switch (key) {
      case 'A':
        pkg.arch = v;
        break;
      case 'S':
        pkg.size = Number(v) || 0;
        break;
      case 'I':
        pkg.installedSize = Number(v) || 0;
        break;
      case 'T':
        pkg.description = v;
        break;
      case 'U':
        pkg.url = v;
        break;
      case 'L':
        pkg.license = v;
        break;
      case 'o':
        pkg.origin = v;
        break;
      case 'm':
        pkg.maintainer = v;
        break;
      case 't':
        pkg.buildTime = Number(v) || 0;
        break;
      case 'c':
        pkg.commit = v;
        break;
      case 'k':
        pkg.providerPriority = Number(v) || 0;
        break;
      case 'D':
        pkg.dependsText = v;
        break;
      case 'p':
        parseDeps(v, names, pkg.provides, false);
        break;
      case 'i':
        parseDeps(v, names, pkg.installIf, false);
        break;
      default:
        if (key >= 'A' && key <= 'Z' && !KNOWN_UPPER.includes(key)) pkg.uninstallable = true;
    }
  }
}

/** One index record as `apk index` writes it (fields C P V A S I T U L o m t c k D p i), with its
 *  terminating empty line. */
export function formatIndexEntry(pkg: Pkg): string {
  let s = `C:${pkg.identity}\nP:${pkg.name.name}\nV:${pkg.version}\n`;
  if (pkg.arch) s += `A:${pkg.arch}\n`;
  s += `S:${pkg.size}\nI:${pkg.installedSize}\nT:${pkg.description}\nU:${pkg.url}\nL:${pkg.license}\n`;
  if (pkg.origin) s += `o:${pkg.origin}\n`;
  if (pkg.maintainer) s += `m:${pkg.maintainer}\n`;
  if (pkg.buildTime) s += `t:${pkg.buildTime}\n`;
  if (pkg.commit) s += `c:${pkg.commit}\n`;
  if (pkg.providerPriority) s += `k:${pkg.providerPriority}\n`;
  if (pkg.depends.length) s += `D:${formatDeps(pkg.depends)}\n`;
  if (pkg.provides.length) s += `p:${formatDeps(pkg.provides)}\n`;
  if (pkg.installIf.length) s += `i:${formatDeps(pkg.installIf)}\n`;
  return s;
}

/** One installed-db record (spec §8): the index fields, r q s f, then F/M/R/a/Z, then an empty line. */
export function formatInstalledEntry(pkg: Pkg, info: InstalledInfo, tagName: string): string {
  let s = formatIndexEntry(pkg);
  if (info.replaces.length) s += `r:${formatDeps(info.replaces)}\n`;
  if (info.replacesPriority) s += `q:${info.replacesPriority}\n`;
  if (tagName) s += `s:${tagName}\n`;
  if (info.brokenFiles || info.brokenScript || info.brokenXattr)
    s += `f:${info.brokenFiles ? 'f' : ''}${info.brokenScript ? 's' : ''}${info.brokenXattr ? 'x' : ''}\n`;
  const parts: string[] = [s];
  for (const d of info.dirs) {
    parts.push(`F:${d.name}\n`);
    if (d.acl) parts.push(`M:${d.acl}\n`);
    for (const f of d.files) {
      parts.push(`R:${f.name}\n`);
      if (f.acl) parts.push(`a:${f.acl}\n`);
      if (f.csum) parts.push(`Z:${f.csum}\n`);
    }
  }
  parts.push('\n');
  return parts.join('');
}

export type { Dep };
