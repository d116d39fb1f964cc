// A file-tree walk with the semantics of gnulib's fts as chmod, chown and chgrp use it: the
// command-line names first, directories reported before (D) and after (DP) their entries, entries
// in readdir order, symbolic links followed never (physical), on the command line only (-H), or
// everywhere (-L, with directory cycles detected). The visitor can prune a directory.
//
// Why not walk.ts: chmod -v and chown -v print in fts's order, which is readdir(3) order (walk.ts
// reads sorted names), a root that cannot be followed is SLNONE here (walk.ts stands a dangling
// link in for itself), and names are resolved against the applet's cwd, not the process's. Worth
// merging into walk.ts as options when its other users want the same.
import * as fs from 'node:fs';
import { fsPath } from './bytes.js';
import { readdirInOrder } from './dirents.js';
import { ExitStatus } from './errors.js';

/** What an entry is, in fts's terms: D directory (preorder), DP directory (postorder), F any other
 *  file, SL a symbolic link not followed, SLNONE a link that could not be followed, NS a name that
 *  could not be stat'ed, DNR a directory that could not be read (instead of DP), DC a cycle. */
export type FtsInfo = 'D' | 'DP' | 'F' | 'SL' | 'SLNONE' | 'NS' | 'DNR' | 'DC';

export interface FtsEntry {
  /** The name as the user would write it: the operand, then `/entry` per level. */
  path: string;
  /** The absolute name for system calls. */
  abs: string;
  /** 0 for command-line names. */
  level: number;
  info: FtsInfo;
  /** Stats (following or not, as the mode says); absent for NS. */
  st?: fs.Stats;
  /** The error for NS and DNR. */
  error?: unknown;
}

/** physical: never follow links; comfollow: follow command-line links only; logical: follow all. */
export type FtsFollow = 'physical' | 'comfollow' | 'logical';

export interface FtsOptions {
  follow: FtsFollow;
  /** Absolute name of the working directory, for relative operands. */
  cwd: string;
  signal?: AbortSignal;
}

/** Returned by the visitor for a D entry: do not enter this directory (no DP follows). */
export const SKIP = 'skip';

type Visitor = (entry: FtsEntry) => Promise<typeof SKIP | void> | typeof SKIP | void;

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function statEntry(abs: string, follow: boolean): Pick<FtsEntry, 'info' | 'st' | 'error'> {
  if (follow) {
    try {
      const st = fs.statSync(fsPath(abs));
      return { info: st.isDirectory() ? 'D' : 'F', st };
    } catch (error) {
      try {
        const lst = fs.lstatSync(fsPath(abs));
        if (lst.isSymbolicLink()) return { info: 'SLNONE', st: lst, error };
      } catch {
        // not there at all
      }
      return { info: 'NS', error };
    }
  }
  try {
    const st = fs.lstatSync(fsPath(abs));
    return { info: st.isDirectory() ? 'D' : st.isSymbolicLink() ? 'SL' : 'F', st };
  } catch (error) {
    return { info: 'NS', error };
  }
}

/** Walk each root in turn, calling visit for every entry. */
export async function walkTree(roots: readonly string[], opts: FtsOptions, visit: Visitor): Promise<void> {
  const ancestors: fs.Stats[] = [];
  const walk = async (path: string, abs: string, level: number): Promise<void> => {
    if (opts.signal?.aborted) throw new ExitStatus(130);
    const follow = opts.follow === 'logical' || (opts.follow === 'comfollow' && level === 0);
    const found = statEntry(abs, follow);
    const entry: FtsEntry = { path, abs, level, ...found };
    if (entry.info === 'D' && opts.follow === 'logical' && ancestors.some((a) => a.dev === entry.st!.dev && a.ino === entry.st!.ino)) {
      entry.info = 'DC';
    }
    if ((await visit(entry)) === SKIP || entry.info !== 'D') return;
    let names: string[];
    try {
      names = readdirInOrder(abs).map((e) => e.name);
    } catch (error) {
      await visit({ ...entry, info: 'DNR', error });
      return;
    }
    ancestors.push(entry.st!);
    try {
      for (const name of names) await walk(join(path, name), join(abs, name), level + 1);
    } finally {
      ancestors.pop();
    }
    await visit({ ...entry, info: 'DP' });
  };
  for (const root of roots) {
    const abs = root === '' || root.startsWith('/') ? root : join(opts.cwd, root);
    await walk(root, abs, 0);
  }
}
