// The tar read corpus (libarchive's test archives, ../shared/corpus/tar), when it is present.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS_DIR = path.resolve('../shared/corpus/tar');
export const hasCorpus = fs.existsSync(path.join(CORPUS_DIR, 'expected.json'));

export interface CorpusEntry {
  path?: string;
  path_hex?: string;
  type: string;
  size: number;
  mode: string;
  mtime: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  linkname?: string;
  sha256?: string;
  sparse?: boolean;
}
export interface TreeItem {
  type: 'file' | 'dir' | 'symlink' | string;
  size?: number;
  sha256?: string;
  target?: string;
}
export interface CorpusArchive {
  compression: 'none' | 'gzip' | 'bzip2' | 'xz';
  gnu_tar_list_rc: number;
  gnu_tar_extract_rc: number;
  bsdtar_list_rc: number;
  names_agree: { gnu_vs_bsdtar: boolean; gnu_vs_python: boolean };
  python_tarfile_error: string | null;
  entries: CorpusEntry[];
  extracted_tree_gnu: Record<string, TreeItem>;
}

export function corpus(): [string, CorpusArchive][] {
  if (!hasCorpus) return [];
  const expected = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'expected.json'), 'utf8')) as Record<string, CorpusArchive>;
  return Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : 1));
}

export function archivePath(name: string): string {
  return path.join(CORPUS_DIR, 'archives', name);
}

/** A corpus name as a binary string (path_hex holds names that are not UTF-8). */
export function entryName(e: CorpusEntry): string {
  return e.path_hex !== undefined ? Buffer.from(e.path_hex, 'hex').toString('latin1') : Buffer.from(e.path!, 'utf8').toString('latin1');
}
