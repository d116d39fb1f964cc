// A streaming tree walk in the manner of fts(3): each root, then its contents depth first, one
// directory's entry list in memory per level and nothing else, so a walk over millions of files
// runs in constant memory. find, du, ls -R, and the recursive file tools (cp -r, rm -r, chmod -R)
// all use it.
//
//   for (const e of walk(['dir'], { postorder: true })) {
//     if (e.phase === 'pre' && e.name === '.git') e.skip();   // prune
//     if (e.phase === 'error') report(e.error);               // unreadable directory
//   }
//
// Phases: 'leaf' (not a directory, or a directory the walk will not enter because it is a symlink
// not followed), 'pre' (a directory, before its contents), 'error' (its contents could not be
// read; entry.error says why), 'post' (a directory after its contents; only with `postorder`),
// 'loop' (a directory that is one of its own ancestors, reached through a followed symlink).
// A root or entry whose stat fails arrives as 'leaf' with `error` set.
//
// Nothing is stat'ed that need not be: directory entries carry their type (d_type), so a walk that
// only looks at names and types never calls stat. stat()/lstat() are computed once, on demand.
import type * as fs from 'node:fs';
import * as nodeFs from 'node:fs';
import { fsPath } from './bytes.js';
import { errorCode } from './errors.js';
import { joinPath } from './fs.js';
import { resolvePath } from './context.js';

export type Phase = 'leaf' | 'pre' | 'error' | 'post' | 'loop';

export interface WalkOptions {
  /** Symbolic links: never followed (-P, the default), followed for the roots only (-H), or always (-L). */
  follow?: 'never' | 'roots' | 'all';
  /** Do not enter directories on another file system than their root's (-xdev). */
  xdev?: boolean;
  /** Also visit each directory after its contents. */
  postorder?: boolean;
  /** Do not enter directories at this depth (the roots are depth 0). */
  maxDepth?: number;
  /** The directory relative roots are taken from (ctx.cwd); paths stay as given. */
  cwd: string;
}

/** An entry's type as readdir (d_type) or lstat gives it. */
export type EntryType = 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'char' | 'block' | 'unknown';

// Entry types as readdir gives them.
const enum Kind {
  Unknown,
  File,
  Dir,
  Symlink,
  Fifo,
  Socket,
  Char,
  Block,
}

const TYPE_NAMES: EntryType[] = ['unknown', 'file', 'dir', 'symlink', 'fifo', 'socket', 'char', 'block'];

function kindOf(d: fs.Dirent | fs.Stats): Kind {
  if (d.isFile()) return Kind.File;
  if (d.isDirectory()) return Kind.Dir;
  if (d.isSymbolicLink()) return Kind.Symlink;
  if (d.isFIFO()) return Kind.Fifo;
  if (d.isSocket()) return Kind.Socket;
  if (d.isCharacterDevice()) return Kind.Char;
  if (d.isBlockDevice()) return Kind.Block;
  return Kind.Unknown;
}

const isOther = (k: Kind) => k >= Kind.Fifo;

export class WalkEntry {
  phase: Phase = 'leaf';
  /** Why the entry could not be stat'ed (leaf) or its directory read (error). */
  error?: unknown;
  /** A followed symlink whose target is missing: stat() gave the link's own status. */
  dangling = false;
  private lstatCache?: fs.Stats;
  private statCache?: fs.Stats;
  private skipped = false;
  /** Children chosen by the consumer (setChildren), or read when the walk enters the directory. */
  children?: WalkEntry[];

  private pathCache: string | undefined;

  constructor(
    /** The directory relative paths are taken from (the applet's working directory). */
    readonly cwd: string,
    /** The last component (the root as given, for a root). */
    readonly name: string,
    readonly depth: number,
    readonly parent: WalkEntry | undefined,
    private kind: Kind,
    /** Whether symlinks at this entry are followed (stat) or not (lstat). */
    readonly follows: boolean,
    /** Whether the walk follows symlinks below the roots too (-L). */
    private readonly followsBelow: boolean,
  ) {
    if (parent === undefined) this.pathCache = name;
  }

  /** The path as the walk built it: the root as given, joined with each name (built on demand:
   *  a walk that only looks at names never pays for it). */
  get path(): string {
    this.pathCache ??= joinPath(this.parent!.path, this.name);
    return this.pathCache;
  }

  /** The path for system calls: `path`, taken from the working directory when relative. */
  get osPath(): string {
    return resolvePath(this.cwd, this.path);
  }

  /** The entry's own status (symlinks not followed). Throws the system error. */
  lstat(): fs.Stats {
    this.lstatCache ??= nodeFs.lstatSync(fsPath(this.osPath));
    return this.lstatCache;
  }

  /** The status the walk goes by: followed through a symlink when the walk follows this entry (a
   *  dangling link then gives its own lstat), else lstat. Throws the system error. */
  stat(): fs.Stats {
    if (this.statCache) return this.statCache;
    if (!this.follows || this.kind === Kind.File || this.kind === Kind.Dir || isOther(this.kind)) {
      this.statCache = this.lstat();
      // lstat told us the type; a symlink we follow needs stat after all
      if (!this.follows || !this.statCache.isSymbolicLink()) return this.statCache;
    }
    try {
      this.statCache = nodeFs.statSync(fsPath(this.osPath));
    } catch (err) {
      const code = errorCode(err);
      if (code !== 'ENOENT' && code !== 'ELOOP' && code !== 'ENOTDIR') throw err;
      this.statCache = this.lstat(); // a dangling symlink stands for itself
      this.dangling = true;
    }
    return this.statCache;
  }

  /** Whether the statuses are already known (no system call needed for stat()). */
  get hasStat(): boolean {
    return this.statCache !== undefined;
  }

  /** Whether the walk treats this entry as a directory (a followed symlink to one counts). */
  isDirectory(): boolean {
    if (this.kind === Kind.Dir) return true;
    if (this.kind === Kind.File || isOther(this.kind)) return false;
    if (this.kind === Kind.Symlink && !this.follows) return false;
    try {
      return this.stat().isDirectory();
    } catch {
      return false;
    }
  }

  /** Whether the entry itself is a symbolic link. */
  isSymbolicLink(): boolean {
    if (this.kind === Kind.Unknown) {
      try {
        this.kind = kindOf(this.lstat());
      } catch {
        return false;
      }
    }
    return this.kind === Kind.Symlink;
  }

  /** The entry's own type from its directory listing (no system call), 'unknown' if not given. */
  get type(): EntryType {
    return TYPE_NAMES[this.kind]!;
  }

  /** At a 'pre' visit: do not enter this directory. */
  skip(): void {
    this.skipped = true;
  }
  get isSkipped(): boolean {
    return this.skipped;
  }

  /** At a 'pre' visit: read the directory now (the walk then visits these, unless setChildren
   *  changes them). Throws the system error; the walk then reports nothing more for it. */
  readChildren(): WalkEntry[] {
    if (!this.children) {
      const children: WalkEntry[] = [];
      this.forEachName((name, type) => children.push(this.child(name, type)));
      this.children = children;
    }
    return this.children;
  }

  /** At a 'pre' visit: each name in the directory with its type, in the directory's order (or, if
   *  the consumer sorts anyway, in byte order, which is cheaper to get), without making entries
   *  (for a consumer that builds its own records and picks children with child()). Throws the
   *  system error. */
  forEachName(visit: (name: string, type: EntryType) => void, inDirectoryOrder = true): void {
    if (!inDirectoryOrder) {
      // Node's readdir gives the names sorted by byte value, and in one call.
      for (const d of nodeFs.readdirSync(fsPath(this.osPath), { encoding: 'latin1', withFileTypes: true })) visit(d.name, TYPE_NAMES[kindOf(d as fs.Dirent)]!);
      return;
    }
    // opendir keeps the directory's own order (readdir() sorts by name): GNU tools see that order.
    const dir = nodeFs.opendirSync(fsPath(this.osPath), { encoding: 'latin1', bufferSize: 256 });
    try {
      for (let d = dir.readSync(); d; d = dir.readSync()) visit(d.name, TYPE_NAMES[kindOf(d)]!);
    } finally {
      dir.closeSync();
    }
  }

  /** An entry for a name in this directory (for setChildren). */
  child(name: string, type: EntryType = 'unknown'): WalkEntry {
    const kind = TYPE_NAMES.indexOf(type) as Kind;
    return new WalkEntry(this.cwd, name, this.depth + 1, this, kind, this.followsBelow, this.followsBelow);
  }

  /** At a 'pre' visit: the children to visit, in this order (filter or sort readChildren()). */
  setChildren(children: WalkEntry[]): void {
    this.children = children;
  }
}

/** Walk each root in turn (see the top of this file). */
export function* walk(roots: readonly string[], options: WalkOptions): Generator<WalkEntry, void, undefined> {
  const follow = options.follow ?? 'never';
  for (const root of roots) {
    const entry = new WalkEntry(options.cwd, root, 0, undefined, Kind.Unknown, follow !== 'never', follow === 'all');
    try {
      entry.stat();
    } catch (err) {
      entry.error = err;
      entry.phase = 'leaf';
      yield entry;
      continue;
    }
    yield* walkFrom(entry, options, entry.stat().dev);
  }
}

interface Frame {
  dir: WalkEntry;
  children: readonly WalkEntry[];
  next: number;
}

function* walkFrom(root: WalkEntry, options: WalkOptions, rootDev: number): Generator<WalkEntry, void, undefined> {
  const followAll = options.follow === 'all';
  const stack: Frame[] = [];
  // Directories being walked, by device and inode, when symlinks are followed (to find loops).
  const active = followAll ? new Set<string>() : undefined;
  const idOf = (e: WalkEntry) => {
    const st = e.stat();
    return `${st.dev}:${st.ino}`;
  };

  let current: WalkEntry | undefined = root;
  for (;;) {
    if (current) {
      const e: WalkEntry = current;
      current = undefined;
      if (!e.isDirectory()) {
        e.phase = 'leaf';
        yield e;
      } else if (active?.has(idOf(e))) {
        e.phase = 'loop';
        yield e;
      } else {
        e.phase = 'pre';
        yield e;
        const enter =
          !e.isSkipped &&
          (options.maxDepth === undefined || e.depth < options.maxDepth) &&
          !(options.xdev && safeDev(e) !== rootDev);
        let children: WalkEntry[] | undefined;
        if (enter) {
          try {
            children = e.readChildren();
          } catch (err) {
            e.error = err;
            e.phase = 'error';
            yield e;
          }
        }
        if (children) {
          if (active) active.add(idOf(e));
          stack.push({ dir: e, children, next: 0 });
        } else if (options.postorder) {
          e.phase = 'post';
          yield e;
        }
      }
    }
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.next < top.children.length) {
      current = top.children[top.next++];
      continue;
    }
    stack.pop();
    const done = top.dir;
    done.children = undefined; // free the list
    if (active) active.delete(idOf(done));
    if (options.postorder) {
      done.phase = 'post';
      yield done;
    }
  }
}

function safeDev(e: WalkEntry): number | undefined {
  try {
    return e.stat().dev;
  } catch {
    return undefined;
  }
}
