// APKINDEX text (spec §2) and the installed database's records (spec §8), which share the format:
// `X:value` lines, one record per package, records separated by an empty line.
import { type Dep, formatDeps, type InstalledDir, type InstalledFile, type InstalledInfo, Name, type NameTable, parseDeps, Pkg } from './package.js';

/** A parsed record: the package plus, for the installed database, what only the db records. */
export interface IndexRecord {
  pkg: Pkg;
  installed?: InstalledInfo;
  /** `s:` tag name (installed db). */
  tagName?: string;
}

/** The decimal number in text[start, end) (0 when there is none, as apk's blob parsing). */
function decimal(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  return n;
}

/** Placeholder name of a record whose P: line is still to come. */
const UNNAMED = new Name('', undefined as unknown as NameTable);

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
export function parseIndex(
  text: string,
  names: NameTable,
  withFiles = false,
  each?: (pkg: Pkg, installed?: InstalledInfo, tagName?: string) => void,
): IndexRecord[] {
  const records: IndexRecord[] = [];
  // Fields go straight into a draft package (named when its P: line comes): an index has
  // thousands of records, and building anything per line costs more than the parse itself.
  let pkg: Pkg | undefined;
  let recordStart = 0;
  let P: string | undefined;
  let hasVersion = false;
  let installed: InstalledInfo | undefined;
  let tagName: string | undefined;
  let dir: InstalledDir | undefined;
  let file: InstalledFile | undefined;

  const finish = (recordEnd: number) => {
    if (pkg && P !== undefined && hasVersion) {
      pkg.name = names.get(P);
      pkg.setSource(text, recordStart, recordEnd);
      if (installed) {
        pkg.replaces = installed.replaces;
        pkg.replacesPriority = installed.replacesPriority;
      }
      if (each) each(pkg, installed, tagName);
      else records.push({ pkg, installed, tagName });
    }
    pkg = undefined;
    P = undefined;
    hasVersion = false;
    installed = undefined;
    tagName = undefined;
    dir = undefined;
    file = undefined;
  };

  let start = 0;
  const len = text.length;
  while (start < len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    if (end === start) {
      finish(start);
      start = end + 1;
      continue;
    }
    if (end - start >= 2 && text.charCodeAt(start + 1) === 58 /* : */) {
      const key = text.charCodeAt(start);
      if (!pkg) {
        pkg = new Pkg(UNNAMED);
        recordStart = start;
        if (withFiles) installed = newInstalledInfo();
      }
      // text fields are read from the record when asked for (Pkg.setSource)
      if (key === 65 || key === 84 || key === 85 || key === 76 || key === 111 || key === 109 || key === 99) {
        start = end + 1;
        continue;
      }
      // numbers straight from the text: no string for S I t k q
      if (key === 83 || key === 73 || key === 116 || key === 107) {
        const n = decimal(text, start + 2, end);
        if (key === 83) pkg.size = n;
        else if (key === 73) pkg.installedSize = n;
        else if (key === 116) pkg.buildTime = n;
        else pkg.providerPriority = n;
        start = end + 1;
        continue;
      }
      const value = text.slice(start + 2, end);
      switch (key) {
        case 67 /* C */:
          pkg.identity = value;
          break;
        case 80 /* P */:
          P = value;
          break;
        case 86 /* V */:
          pkg.version = value;
          hasVersion = true;
          break;
        case 68 /* D */:
          pkg.dependsText = value;
          break;
        case 112 /* p */:
          pkg.provides = parseDeps(value, names, [], false);
          break;
        case 105 /* i */:
          pkg.installIf = parseDeps(value, names, [], false);
          break;
        case 114 /* r */:
          if (installed) installed.replaces = parseDeps(value, names, [], false);
          break;
        case 113 /* q */:
          if (installed) installed.replacesPriority = Number(value) || 0;
          break;
        case 115 /* s */:
          tagName = value;
          break;
        case 102 /* f */:
          if (installed) {
            installed.brokenFiles = value.includes('f');
            installed.brokenScript = value.includes('s');
            installed.brokenXattr = value.includes('x');
          }
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
          // unknown upper-case fields make a package uninstallable; lower-case ones are ignored
          if (key >= 65 && key <= 90) pkg.uninstallable = true;
      }
    }
    start = end + 1;
  }
  finish(len);
  return records;
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
