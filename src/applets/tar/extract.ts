// tar -x and -t: the walk over the archive. Names lose leading slashes and `..` prefixes (GNU's
// rule and warnings), members are selected and listed here; extractor.ts puts them in place.
import * as fs from 'node:fs';
import { ArchiveError } from '../../core/archive/header.js';
import { TarReader } from '../../core/archive/reader.js';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorText } from '../../core/errors.js';
import { OutBuffer } from '../../core/io.js';
import { stripUnsafePrefix } from '../../core/safe-path.js';
import { fatal, openForReading, Report } from './common.js';
import type { TarJob } from './index.js';
import { LongLister, quoteName, TimeFormat, utf8Locale } from './list.js';
import { Excluder, MemberFilter } from './match.js';
import { readPatternFile } from './names.js';

// pax keywords GNU tar knows; others get "Ignoring unknown extended header keyword".
const KNOWN_PAX = new Set([
  'atime', 'comment', 'charset', 'ctime', 'gid', 'gname', 'linkpath', 'mtime', 'path', 'size', 'uid', 'uname',
  'GNU.sparse.name', 'GNU.sparse.major', 'GNU.sparse.minor', 'GNU.sparse.realsize', 'GNU.sparse.numblocks',
  'GNU.sparse.size', 'GNU.sparse.offset', 'GNU.sparse.numbytes', 'GNU.sparse.map', 'GNU.dumpdir',
  'GNU.volume.label', 'GNU.volume.filename', 'GNU.volume.size', 'GNU.volume.offset',
  'SCHILY.devmajor', 'SCHILY.devminor', 'SCHILY.acl.access', 'SCHILY.acl.default', 'SCHILY.filetype',
  'RHT.security.selinux',
]);
const knownPax = (key: string) => KNOWN_PAX.has(key) || key.startsWith('SCHILY.xattr.');

export async function extractOrList(ctx: Ctx, job: TarJob): Promise<number> {
  const o = job.opts;
  const report = new Report(ctx);
  const listing = job.mode === 'list';
  const utf8 = utf8Locale((n) => ctx.env.get(n));
  const lister = new LongLister(new TimeFormat(ctx.env, !!o['full-time']), utf8, !!o['numeric-owner']);
  // verbose output goes to stderr when stdout carries data (-O)
  const out = new OutBuffer(o.O && !listing ? ctx.stderr : ctx.stdout);

  let excludes = job.excludes;
  const names: string[] = [];
  let dir: string | undefined;
  let dirArg: string | undefined;
  for (const op of job.operands) {
    if (typeof op === 'string') names.push(op);
    else {
      dir = dir === undefined ? ctx.path(op.dir) : resolveFrom(dir, op.dir);
      dirArg = op.dir;
    }
  }
  try {
    for (const file of o.X ?? []) excludes = excludes.concat(await readPatternFile(ctx, file, false));
    for (const file of o.T ?? []) names.push(...(await readPatternFile(ctx, file, !!o.null)));
  } catch (err) {
    if (err instanceof AppletError) return fatal(ctx, err.message);
    throw err;
  }
  const filter = new MemberFilter(names, !!o.wildcards);
  const excluder = new Excluder(excludes);

  let archive: Awaited<ReturnType<typeof openForReading>>;
  try {
    archive = await openForReading(ctx, job);
  } catch (err) {
    if (err instanceof AppletError) return fatal(ctx, err.message);
    throw err;
  }
  const warnings: [string, 0 | 2][] = [];
  const reader = new TarReader(archive.source, { ignoreZeros: !!o.i, onWarning: (m, s) => void warnings.push([m, s]) });
  const flushWarnings = async () => {
    for (const [m, s] of warnings.splice(0)) await (s === 2 ? report.error(m) : report.warn(m));
  };

  const root = dir ?? ctx.cwd;
  const x = listing ? undefined : new (await import('./extractor.js')).Extractor(ctx, job, report, root);
  if (x && dirArg !== undefined) {
    try {
      if (!fs.statSync(fsPath(root)).isDirectory()) throw Object.assign(new Error('Not a directory'), { code: 'ENOTDIR' });
    } catch (err) {
      archive.close();
      return fatal(ctx, `${dirArg}: Cannot open: ${errorText(err)}`);
    }
  }

  try {
    // Synchronous as far as the archive is in memory or a regular file: an await per member
    // would cost more than the member's own system calls.
    let shownSomething = false;
    for (;;) {
      if (ctx.signal.aborted) throw new AppletError('Interrupted', 130);
      const entry = reader.nextSync() ?? (await reader.next());
      if (warnings.length) await flushWarnings();
      if (!entry) break;
      if (entry.paxRecords.length) for (const r of entry.paxRecords) if (!knownPax(r.key)) await report.warn(`Ignoring unknown extended header keyword '${r.key}'`);
      // Solaris ACLs for the next member: listed as GNU lists them, not applied
      if (entry.type === 'solaris-acl' && !listing) continue;
      const shownName = entry.name;
      let name = entry.name;
      if (name === '') {
        await report.once("Substituting `.' for empty member name");
        name = '.';
      }
      if (!filter.all && !filter.matches(name) && !filter.matches(stripUnsafePrefix(name).name)) continue;
      if (excluder.excludes(name)) continue;

      // the name on disk, and the warnings GNU gives about it (in -t too)
      let target = name;
      let linkName = entry.linkname;
      if (!o.P) {
        // (most names have nothing to strip: no object made for them)
        if (name.charCodeAt(0) === 0x2f || name.includes('..')) {
          const s = stripUnsafePrefix(name);
          if (s.removed) await report.once(`Removing leading \`${s.removed}' from member names`);
          target = s.name === '' ? '.' : s.name;
        }
        if (entry.type === 'link') {
          const l = stripUnsafePrefix(linkName);
          if (l.removed) await report.once(`Removing leading \`${l.removed}' from hard link targets`);
          linkName = l.name;
        }
      }
      if (job.stripComponents) {
        const parts = target.split('/').filter(Boolean);
        if (parts.length <= job.stripComponents) {
          continue;
        }
        target = parts.slice(job.stripComponents).join('/') + (target.endsWith('/') ? '/' : '');
      }

      if (listing || job.verbose) {
        const shown = o['show-transformed-names'] ? target : shownName;
        const line = job.verbose > (listing ? 0 : 1) ? lister.line(entry, shown, linkName) : `${quoteName(shown, utf8)}\n`;
        const p = out.put(line);
        if (p) await p;
        shownSomething = true;
      }
      if (listing) continue; // the reader skips the body
      if (entry.type === 'volume-label' || entry.type === 'multivolume') continue;
      // the member's line comes before any complaint about it
      if (shownSomething) {
        await out.flush();
        shownSomething = false;
      }
      if (!o.P && hasDotDot(name)) {
        await report.error(`${quoteName(name, false, true)}: Member name contains '..'`);
        continue;
      }
      const pending = x!.extract(entry, target, linkName);
      if (pending) await pending;
      if (warnings.length) await flushWarnings();
    }
    await flushWarnings();
  } catch (err) {
    await out.flush();
    await flushWarnings();
    if (x) await x.finishDirectories();
    archive.close();
    // Extracting, GNU reports an archive cut short and finishes; listing, it gives up.
    if (x && err instanceof ArchiveError && err.message === 'Unexpected EOF in archive') {
      await report.error(err.message);
      return report.finish();
    }
    if (err instanceof ArchiveError || err instanceof AppletError) return fatal(ctx, err.message);
    throw err;
  }
  await out.flush();
  if (x) await x.finishDirectories();
  archive.close();
  for (const missing of filter.unmatched()) await report.error(`${quoteName(missing, utf8)}: Not found in archive`);
  return report.finish();
}


/** Whether a name has a `..` component (GNU refuses to extract those, after stripping). */
function hasDotDot(name: string): boolean {
  return name.includes('..') && /(?:^|\/)\.\.(?:\/|$)/.test(name);
}

function resolveFrom(base: string, p: string): string {
  if (p.startsWith('/')) return p;
  return `${base.replace(/\/+$/, '')}/${p}`;
}
