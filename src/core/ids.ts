// User and group names from a root's etc/passwd and etc/group (not the host's NSS): ls, tar, apk,
// chown and OpenRC all look names up under the root they work on. Parsed files are cached per path
// and re-read when they change.
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

interface Cached<T> {
  mtimeMs: number;
  size: number;
  entries: T[];
}

const cache = new Map<string, Cached<unknown>>();

function load<T>(file: string, parse: (fields: string[]) => T | undefined): T[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(fsPath(file));
  } catch {
    return [];
  }
  const hit = cache.get(file) as Cached<T> | undefined;
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.entries;
  let text: string;
  try {
    text = fs.readFileSync(fsPath(file)).toString('latin1');
  } catch {
    return [];
  }
  const entries: T[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const entry = parse(line.split(':'));
    if (entry) entries.push(entry);
  }
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, entries });
  return entries;
}

const isId = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);

function join(root: string, rel: string): string {
  return root === '/' || root === '' ? `/${rel}` : `${root.replace(/\/+$/, '')}/${rel}`;
}

export function passwd(root = '/'): PasswdEntry[] {
  return load(join(root, 'etc/passwd'), (f) =>
    f.length >= 7 && isId(f[2]) && isId(f[3])
      ? { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), gecos: f[4]!, home: f[5]!, shell: f.slice(6).join(':') }
      : undefined,
  );
}

export function groups(root = '/'): GroupEntry[] {
  return load(join(root, 'etc/group'), (f) =>
    f.length >= 3 && isId(f[2]) ? { name: f[0]!, gid: Number(f[2]), members: f[3] ? f[3].split(',').filter(Boolean) : [] } : undefined,
  );
}

export function userByUid(uid: number, root = '/'): PasswdEntry | undefined {
  return passwd(root).find((e) => e.uid === uid);
}
export function userByName(name: string, root = '/'): PasswdEntry | undefined {
  return passwd(root).find((e) => e.name === name);
}
export function groupByGid(gid: number, root = '/'): GroupEntry | undefined {
  return groups(root).find((e) => e.gid === gid);
}
export function groupByName(name: string, root = '/'): GroupEntry | undefined {
  return groups(root).find((e) => e.name === name);
}

/** The name for a uid, or the number as text when there is none (as ls shows it). */
export function userName(uid: number, root = '/'): string {
  return userByUid(uid, root)?.name ?? String(uid);
}
export function groupName(gid: number, root = '/'): string {
  return groupByGid(gid, root)?.name ?? String(gid);
}

/** `name` or a number → uid; undefined if neither (chown's and tar's rule: a name first). */
export function resolveUid(spec: string, root = '/'): number | undefined {
  const entry = userByName(spec, root);
  if (entry) return entry.uid;
  return /^\d+$/.test(spec) ? Number(spec) : undefined;
}
export function resolveGid(spec: string, root = '/'): number | undefined {
  const entry = groupByName(spec, root);
  if (entry) return entry.gid;
  return /^\d+$/.test(spec) ? Number(spec) : undefined;
}

/** Supplementary groups of a user: its primary group and every group listing it as a member. */
export function groupsOfUser(user: PasswdEntry, root = '/'): number[] {
  const ids = [user.gid];
  for (const g of groups(root)) if (g.members.includes(user.name) && !ids.includes(g.gid)) ids.push(g.gid);
  return ids;
}
