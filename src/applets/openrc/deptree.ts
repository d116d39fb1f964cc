// The dependency tree (librc-depend): every script's depend() read once by gendepends and cached in
// /run/openrc/deptree (OpenRC's own shell-readable format), rebuilt when an init script, a conf.d
// file, rc.conf or a file a script named with `config` is newer than the cache. Resolution is
// OpenRC's: a depth-first visit over the dependency types asked for, providers of virtual services
// (net, logger) chosen by state and runlevel, back-references (needsme, usesme ...) for stopping.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import type { Env } from '../../core/env.js';
import type { LibraryHooks } from './builtins.js';
import type { RcConf } from './conf.js';
import { rcSys } from './conf.js';
import type { Einfo } from './einfo.js';
import type { ShellContext } from './shell.js';
import { LEVEL_BOOT, LEVEL_SHUTDOWN, LEVEL_SYSINIT, type Rc, readText, State } from './state.js';

/** service → dependency type → services, in the order OpenRC keeps them. */
export type DepTree = Map<string, Map<string, string[]>>;

export const DEP_TRACE = 0x01;
export const DEP_STRICT = 0x02;
export const DEP_START = 0x04;
export const DEP_STOP = 0x08;

function mtimeOf(p: string): number | undefined {
  try {
    return fs.statSync(fsPath(p)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** rc_newer_than / rc_older_than: source is newer (older) than target and, for a directory,
 *  everything in it. The newest (oldest) time seen is kept in `rel` when given. */
export function newerThan(source: string, target: string, newer = true, rel?: { time: number; file: string }): boolean {
  const sourceTime = mtimeOf(source);
  if (sourceTime === undefined) return false;
  const s = Math.floor(sourceTime / 1000);
  const t0 = mtimeOf(target);
  if (t0 === undefined) return true;
  const t = Math.floor(t0 / 1000);
  let ok = true;
  if (newer ? s < t : s > t) {
    if (!rel) return false;
    ok = false;
  }
  if (rel && (newer ? rel.time < t : rel.time > t)) {
    rel.time = t;
    rel.file = target;
  }
  let names: string[];
  try {
    if (!fs.statSync(fsPath(target)).isDirectory()) return ok;
    names = fs.readdirSync(fsPath(target), { encoding: 'latin1' });
  } catch {
    return ok;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (!newerThan(source, `${target}/${name}`, newer, rel)) {
      ok = false;
      if (!rel) break;
    }
  }
  return ok;
}

/** rc_deptree_update_needed, creating the state directories first as librc does. */
export function updateNeeded(rc: Rc, rel: { time: number; file: string }): boolean {
  rc.ensureSvcdir();
  const cache = `${rc.svcdir}/deptree`;
  if (mtimeOf(cache) === undefined) return true;
  for (const dir of [rc.initdir, rc.confdir, rc.pkgInitdir, `${rc.root}/usr/etc/conf.d`, rc.localInitdir, `${rc.root}/usr/local/etc/conf.d`, rc.rcConf]) {
    if (!newerThan(cache, dir, true, rel)) return true;
  }
  const config = readText(`${rc.svcdir}/depconfig`);
  for (const file of config?.split('\n').filter(Boolean) ?? []) {
    if (!newerThan(cache, file, true, rel)) return true;
  }
  return false;
}

/** Read the cache file. */
export function loadTree(rc: Rc): DepTree | undefined {
  const text = readText(`${rc.svcdir}/deptree`);
  if (text === undefined) return undefined;
  const tree: DepTree = new Map();
  let current: Map<string, string[]> | undefined;
  const value = (v: string) => {
    let s = v;
    if (s.startsWith("'")) s = s.slice(1);
    if (s.endsWith("'")) s = s.slice(0, -1);
    return s;
  };
  for (const line of text.split('\n')) {
    const m = /^depinfo_(\d+)_(.+?)=(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === 'service') {
      const name = value(m[3]!);
      if (!name) continue;
      current = new Map();
      tree.set(name, current);
      continue;
    }
    const t = /^(.*)_(\d+)$/.exec(m[2]!);
    if (!t || !current) continue;
    const v = value(m[3]!);
    if (!v) continue;
    let list = current.get(t[1]!);
    if (!list) current.set(t[1]!, (list = []));
    list.push(v);
  }
  return tree;
}

function typeList(info: Map<string, string[]>, type: string): string[] {
  let list = info.get(type);
  if (!list) info.set(type, (list = []));
  return list;
}

function remove(list: string[] | undefined, value: string): void {
  if (!list) return;
  const at = list.indexOf(value);
  if (at >= 0) list.splice(at, 1);
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** Phases 1 and 2 of rc_deptree_update: gendepends' lines into a tree, with librc's rules for
 *  `!name`, .sh names, providing oneself, and before/after cancelling each other. */
export function treeFromDepends(records: readonly [service: string, type: string | undefined, values: string[]][], config: string[]): DepTree {
  const tree: DepTree = new Map();
  for (const [service, type, values] of records) {
    let info = tree.get(service);
    if (!info) tree.set(service, (info = new Map()));
    if (!type) continue;
    for (const dep of values) {
      if (type === 'config') {
        addUnique(config, dep);
        continue;
      }
      const list = typeList(info, type);
      if (type === 'iprovide' && dep === service) continue;
      if (dep.length > 2 && dep.endsWith('.sh')) continue;
      if (dep.startsWith('!')) {
        remove(list, dep.slice(1));
        continue;
      }
      list.push(dep);
      if (type === 'ibefore') remove(info.get('iafter'), dep);
      if (type === 'iafter' || type === 'ineed' || type === 'iwant' || type === 'iuse') remove(info.get('ibefore'), dep);
    }
  }
  for (const info of tree.values()) for (const [type, list] of info) if (list.length === 0) info.delete(type);
  return tree;
}

const DEPPAIRS: readonly [string, string][] = [
  ['ineed', 'needsme'],
  ['iuse', 'usesme'],
  ['iwant', 'wantsme'],
  ['iafter', 'ibefore'],
  ['ibefore', 'iafter'],
  ['iprovide', 'providedby'],
];

/** Phases 2 to 5: drop services keyworded out of this system, add providers, back-references
 *  (and `broken` for needs of services that do not exist), remove before-links that a dependency
 *  chain already orders the other way. Messages for broken needs go to `warn`. */
export function completeTree(tree: DepTree, sys: string | undefined, warn: (text: string) => void): void {
  if (sys) {
    const nosys = `-${sys.toLowerCase()}`;
    const onosys = `no${sys.toLowerCase()}`;
    for (const [service, info] of [...tree]) {
      const keywords = info.get('keyword') ?? [];
      if (!keywords.includes(nosys) && !keywords.includes(onosys)) continue;
      const provides = info.get('iprovide') ?? [];
      tree.delete(service);
      for (const other of tree.values()) {
        for (const [type, list] of [...other]) {
          remove(list, service);
          for (const p of provides) remove(list, p);
          if (list.length === 0) other.delete(type);
        }
      }
    }
  }

  const providers: string[] = [];
  for (const info of tree.values()) for (const p of info.get('iprovide') ?? []) if (!tree.has(p) && !providers.includes(p)) providers.push(p);
  for (const p of providers) tree.set(p, new Map());

  for (const [service, info] of tree) {
    for (const [depend, addto] of DEPPAIRS) {
      for (const dep of info.get(depend) ?? []) {
        const di = tree.get(dep);
        if (!di) {
          if (depend === 'ineed') {
            warn(`Service \`${service}' needs non existent service \`${dep}'\n`);
            addUnique(typeList(info, 'broken'), dep);
          }
          continue;
        }
        addUnique(typeList(di, addto), service);
      }
    }
  }

  const types = ['ineed', 'iwant', 'iuse', 'iafter'];
  for (const [service, info] of tree) {
    const before = info.get('ibefore');
    if (!before) continue;
    const sorted: string[] = [];
    visit({ tree, state: () => 0, inRunlevel: () => false, bootlevel: LEVEL_BOOT }, types, sorted, new Set(), service, undefined, 0);
    for (const b of [...before]) {
      let hit = false;
      for (const s of sorted) {
        const di = tree.get(s);
        if (!di) continue;
        if (s === b) {
          remove(di.get('iafter'), service);
          hit = true;
          break;
        }
        const provided = di.get('iprovide') ?? [];
        if (provided.includes(b)) {
          remove(tree.get(b)?.get('iafter'), service);
          hit = true;
          break;
        }
      }
      if (hit) remove(before, b);
    }
  }
  // what emptied a list leaves no trace (the cache file would hold none)
  for (const info of tree.values()) for (const [type, list] of info) if (list.length === 0) info.delete(type);
}

/** Phase 6: the cache file, and depconfig for the `config` files. */
export function saveTree(rc: Rc, tree: DepTree, config: string[]): void {
  let text = '';
  let i = 0;
  for (const [service, info] of tree) {
    text += `depinfo_${i}_service='${service}'\n`;
    for (const [type, list] of info) list.forEach((s, k) => (text += `depinfo_${i}_${type}_${k}='${s}'\n`));
    i++;
  }
  fs.writeFileSync(fsPath(`${rc.svcdir}/deptree`), text, 'latin1');
  if (config.length) fs.writeFileSync(fsPath(`${rc.svcdir}/depconfig`), config.map((c) => `${c}\n`).join(''), 'latin1');
  else fs.rmSync(fsPath(`${rc.svcdir}/depconfig`), { force: true });
}

/** Run gendepends: every script is read in a subshell and its depend() recorded. */
export async function generateTree(sc: ShellContext, rc: Rc, conf: RcConf, env: Env, hooksBase: Pick<LibraryHooks, 'host'>): Promise<{ tree: DepTree; config: string[] }> {
  // the shell is loaded only when the cache is rebuilt: reading it (rc-status) needs none
  const { runLibrary } = await import('./shell.js');
  const { GENDEPENDS, libraryPath, libraryText } = await import('./library.js');
  const records: [string, string | undefined, string[]][] = [];
  const hooks: LibraryHooks = {
    rc,
    host: hooksBase.host,
    depinfo: (service) => records.push([service, undefined, []]),
    depend: (service, type, values) => records.push([service, type, values]),
  };
  const shellEnv = env.child();
  shellEnv.set('RC_LIBEXECDIR', env.get('RC_LIBEXECDIR') ?? rc.libexecdir);
  shellEnv.set('PATH', libraryPath(shellEnv.get('PATH'), rc.libexecdir));
  // a script read by gendepends sees none of the previous one's dependencies
  const dirs = rc.initDirs().map((d) => `'${d.replace(/'/g, `'\\''`)}'`).join(' ');
  await runLibrary(sc, { env: shellEnv, text: libraryText(GENDEPENDS, rc).replace('@INITDIRS@', dirs), arg0: `${rc.libexecdir}/sh/gendepends.sh`, params: [], hooks });
  const config: string[] = [];
  const tree = treeFromDepends(records, config);
  let warnings = '';
  completeTree(tree, rcSys(conf), (text) => (warnings += text));
  if (warnings) await sc.stderr.write(warnings);
  return { tree, config };
}

/** _rc_deptree_load: the tree, rebuilt first (` * Caching service dependencies ...`) when needed
 *  or forced. `regenerated` tells whether it was. */
export async function loadDeptree(sc: ShellContext, rc: Rc, conf: RcConf, env: Env, einfo: Einfo, host: LibraryHooks['host'], force = false): Promise<{ tree: DepTree | undefined; regenerated: boolean; ok: boolean }> {
  const rel = { time: 0, file: '' };
  let regenerated = false;
  let ok = true;
  if (updateNeeded(rc, rel) || force) {
    // without write access to the cache, use it as it is
    try {
      fs.accessSync(fsPath(`${rc.svcdir}/deptree`), fs.constants.W_OK);
    } catch (err) {
      if ((err as { code?: string }).code === 'EACCES') return { tree: loadTree(rc), regenerated, ok };
    }
    regenerated = true;
    await einfo.ebegin('Caching service dependencies');
    try {
      const { tree, config } = await generateTree(sc, rc, conf, env, { host });
      saveTree(rc, tree, config);
    } catch {
      ok = false;
    }
    await einfo.eend(ok ? 0 : 1, 'Failed to update the dependency tree');
    if (ok) {
      const mtime = mtimeOf(`${rc.svcdir}/deptree`);
      const skewed = `${rc.svcdir}/clock-skewed`;
      if (mtime !== undefined && Math.floor(mtime / 1000) < rel.time) {
        await einfo.eerror(`Clock skew detected with \`${rel.file}'`);
        await einfo.eerrorn(`Adjusting mtime of \`${rc.svcdir}/deptree' to ${new Date(rel.time * 1000).toString()}\n`);
        fs.writeFileSync(fsPath(skewed), `${rel.file}\n`);
        fs.utimesSync(fsPath(`${rc.svcdir}/deptree`), rel.time, rel.time);
      } else fs.rmSync(fsPath(skewed), { force: true });
    }
  }
  return { tree: loadTree(rc), regenerated, ok };
}

// ---- resolution

/** What resolution needs to know about the system. */
export interface DepView {
  tree: DepTree;
  state(service: string): number;
  inRunlevel(service: string, level: string): boolean;
  bootlevel: string;
  /** RC_SVCNAME: the service asking is never listed in its own dependencies. */
  self?: string;
}

export function depView(tree: DepTree, rc: Rc, env: Env): DepView {
  return {
    tree,
    state: (s) => rc.state(s),
    inRunlevel: (s, l) => rc.inRunlevel(s, l),
    bootlevel: env.get('RC_BOOTLEVEL') || LEVEL_BOOT,
    self: env.get('RC_SVCNAME'),
  };
}

function validService(v: DepView, runlevel: string | undefined, service: string, type: string): boolean {
  if (!runlevel || type === 'ineed' || type === 'needsme' || type === 'iwant' || type === 'wantsme') return true;
  if (v.inRunlevel(service, runlevel)) return true;
  if (runlevel === LEVEL_SYSINIT) return false;
  if (runlevel === LEVEL_SHUTDOWN && type === 'iafter') return false;
  if (runlevel !== v.bootlevel && v.inRunlevel(service, v.bootlevel)) return true;
  const state = v.state(service);
  return (state & State.Hotplugged) !== 0 || (state & State.Started) !== 0;
}

function provided1(v: DepView, runlevel: string, list: string[], providers: readonly string[], level: string | undefined, hotplugged: boolean, state: State | undefined): boolean {
  let found = false;
  for (const svc of providers) {
    const st = v.state(svc);
    let ok = true;
    if (level) ok = v.inRunlevel(svc, level);
    else if (hotplugged) ok = (st & State.Hotplugged) !== 0 && !v.inRunlevel(svc, runlevel) && !v.inRunlevel(svc, v.bootlevel);
    if (!ok) continue;
    if (state === State.Started) ok = (st & State.Started) !== 0;
    else if (state === State.Starting) ok = (st & (State.Starting | State.Stopping | State.Inactive)) !== 0;
    if (!ok) continue;
    found = true;
    list.push(svc);
  }
  return found;
}

/** get_provided: which providers of a virtual service count (running ones first, then the
 *  runlevel's, then any — and none when several run and we are not strict). */
function getProvided(v: DepView, info: Map<string, string[]>, runlevel: string, options: number): string[] {
  const providers = info.get('providedby');
  if (!providers) return [];
  if (options & DEP_STOP) return [...providers];
  let list: string[] = [];
  if (options & (DEP_STRICT | DEP_START)) {
    for (const s of providers) {
      if (v.inRunlevel(s, runlevel) || v.inRunlevel(s, v.bootlevel) || (options & DEP_START && v.state(s) & State.Hotplugged)) list.push(s);
    }
    if (list.length) return list;
  }
  const one = () => (list.length > 1 ? [] : list);
  const other = v.bootlevel && runlevel !== v.bootlevel;
  if (provided1(v, runlevel, list, providers, runlevel, false, State.Started)) return one();
  if (provided1(v, runlevel, list, providers, undefined, true, State.Started)) return one();
  if (other && provided1(v, runlevel, list, providers, v.bootlevel, false, State.Started)) return one();
  if (provided1(v, runlevel, list, providers, undefined, false, State.Started)) return one();
  if (provided1(v, runlevel, list, providers, runlevel, false, State.Starting)) return list;
  if (provided1(v, runlevel, list, providers, undefined, true, State.Starting)) return list;
  if (other && provided1(v, runlevel, list, providers, v.bootlevel, false, State.Starting)) return list;
  if (provided1(v, runlevel, list, providers, undefined, false, State.Starting)) return list;
  if (provided1(v, runlevel, list, providers, runlevel, false, State.Stopped)) return list;
  if (provided1(v, runlevel, list, providers, undefined, true, State.Stopped)) return one();
  if (other && provided1(v, runlevel, list, providers, v.bootlevel, false, State.Stopped)) return list;
  list = providers.length ? [providers[0]!] : [];
  return list;
}

function visit(v: DepView, types: readonly string[], sorted: string[], visited: Set<string>, service: string, runlevel: string | undefined, options: number): void {
  if (visited.has(service)) return;
  visited.add(service);
  const info = v.tree.get(service);
  if (!info) return;
  for (const type of types) {
    for (const dep of info.get(type) ?? []) {
      if (!(options & DEP_TRACE) || type === 'iprovide') {
        sorted.push(dep);
        continue;
      }
      const di = v.tree.get(dep);
      if (!di) continue;
      const provided = getProvided(v, di, runlevel ?? '', options);
      if (provided.length) {
        for (const p of provided) {
          if (v.tree.has(p) && validService(v, runlevel, p, type)) visit(v, types, sorted, visited, p, runlevel, options | DEP_TRACE);
        }
      } else if (validService(v, runlevel, dep, type)) visit(v, types, sorted, visited, dep, runlevel, options | DEP_TRACE);
    }
  }
  if (options & DEP_TRACE) {
    for (const p of info.get('iprovide') ?? []) {
      const di = v.tree.get(p);
      if (!di) continue;
      if (getProvided(v, di, runlevel ?? '', options).includes(service)) visit(v, types, sorted, visited, p, runlevel, options | DEP_TRACE);
    }
  }
  if (v.self !== service && !info.has('providedby')) sorted.push(service);
}

/** rc_deptree_depends: the services `services` depend on through `types`, in start order (each
 *  after what it depends on), themselves included (unless asking about oneself). */
export function depends(v: DepView, types: readonly string[], services: readonly string[], runlevel: string | undefined, options: number): string[] {
  const sorted: string[] = [];
  const visited = new Set<string>();
  for (const s of services) {
    if (!v.tree.has(s)) continue;
    visit(v, types, sorted, visited, s, runlevel, options);
  }
  return sorted;
}

/** rc_deptree_depend: one type's list for one service, as recorded. */
export function depend(tree: DepTree, service: string, type: string): string[] {
  return [...(tree.get(service)?.get(type) ?? [])];
}

/** A dependency loop through `types` that comes back to `service`, as OpenRC words it:
 *  `a n> b n> a` (n need, u use, w want, a after). */
export function loopThrough(tree: DepTree, service: string, types: readonly string[] = ['ineed']): string | undefined {
  const letter: Record<string, string> = { ineed: 'n', iuse: 'u', iwant: 'w', iafter: 'a' };
  const path: string[] = [service];
  const seen = new Set<string>();
  const walk = (s: string): boolean => {
    for (const type of types) {
      for (const dep of tree.get(s)?.get(type) ?? []) {
        for (const t of tree.get(dep)?.get('providedby') ?? [dep]) {
          path.push(`${letter[type] ?? '?'}>`, t);
          if (t === service) return true;
          if (!seen.has(t)) {
            seen.add(t);
            if (walk(t)) return true;
          }
          path.length -= 2;
        }
      }
    }
    return false;
  };
  return walk(service) ? path.join(' ') : undefined;
}
