// chown (and, through changeOwnership, chgrp) as GNU has them: OWNER[:[GROUP]] specs resolved
// against the root's /etc/passwd and /etc/group (core/ids.ts), --from, --reference, -h, -R with
// -H/-L/-P, GNU's -v/-c wording, and directories changed after their contents, as GNU's fts loop does.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import type { Ctx } from '../core/context.js';
import { AppletError, errorText, UsageError } from '../core/errors.js';
import { type FtsEntry, type FtsFollow, SKIP, walkTree } from '../core/fts.js';
import { groupByName, groupName, userByName, userName } from '../core/ids.js';
import { OutBuffer } from '../core/io.js';
import type { OptionSpecs } from '../core/options.js';
import { quote, quoteaf, quotef } from '../core/quote.js';

const MAX_ID = 0xfffffffe; // (uid_t) -1 means "unchanged"

/** A user or group as a spec gives it: the id (-1: leave as is) and the name to report (absent
 *  for numbers, which are reported as numbers). */
interface Target {
  uid: number;
  gid: number;
  userName?: string;
  groupName?: string;
}

function numericId(s: string): number | undefined {
  if (!/^\+?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= MAX_ID ? n : undefined;
}

/** gnulib's parse_with_separator: `user`, `user:group`, `user:` (login group), `:group`. */
function parseWithSeparator(spec: string, sep: number): Target | string {
  const user = sep === -1 ? spec || undefined : spec.slice(0, sep) || undefined;
  const group = sep === -1 || sep === spec.length - 1 ? undefined : spec.slice(sep + 1);
  const t: Target = { uid: -1, gid: -1 };
  if (user !== undefined) {
    const pw = user.startsWith('+') ? undefined : userByName(user);
    if (!pw) {
      if (sep !== -1 && group === undefined) return 'invalid spec';
      const n = numericId(user);
      if (n === undefined) return 'invalid user';
      t.uid = n;
    } else {
      t.uid = pw.uid;
      t.userName = user;
      if (group === undefined && sep !== -1) {
        t.gid = pw.gid;
        t.groupName = groupName(pw.gid);
      }
    }
  }
  if (group !== undefined) {
    const gr = group.startsWith('+') ? undefined : groupByName(group);
    if (gr) {
      t.gid = gr.gid;
      t.groupName = group;
    } else {
      const n = numericId(group);
      if (n === undefined) return 'invalid group';
      t.gid = n;
    }
  }
  return t;
}

/** OWNER[:[GROUP]], with the old `.` separator accepted when the whole is no user name. */
export function parseOwnerSpec(spec: string): { target: Target; dotWarning: boolean } {
  const colon = spec.indexOf(':');
  let parsed = parseWithSeparator(spec, colon);
  let dotWarning = false;
  if (typeof parsed === 'string' && colon === -1 && spec.includes('.')) {
    const retry = parseWithSeparator(spec, spec.indexOf('.'));
    if (typeof retry !== 'string') {
      parsed = retry;
      dotWarning = true;
    }
  }
  if (typeof parsed === 'string') throw new AppletError(`${parsed}: ${quote(spec)}`);
  return { target: parsed, dotWarning };
}

/** chgrp's GROUP: a name, else a number. */
function parseGroup(name: string): Target {
  if (name === '') return { uid: -1, gid: -1 };
  const gr = groupByName(name);
  const gid = gr?.gid ?? numericId(name);
  if (gid === undefined) throw new AppletError(`invalid group: ${quote(name)}`);
  return { uid: -1, gid, groupName: name };
}

/** `user:group`, `user` or `group`, as GNU's messages show an ownership. */
function ownership(user: string | undefined, group: string | undefined): string | undefined {
  if (user !== undefined) return group !== undefined ? `${user}:${group}` : user;
  return group;
}

export const OWNERSHIP_OPTIONS = {
  c: { long: 'changes', overrides: 'v' },
  f: { long: ['silent', 'quiet'] },
  v: { long: 'verbose', overrides: 'c' },
  dereference: { overrides: 'h' },
  h: { long: 'no-dereference', overrides: ['dereference'] },
  'no-preserve-root': { overrides: ['preserve-root'] },
  'preserve-root': { overrides: ['no-preserve-root'] },
  reference: { arg: 'string' },
  R: { long: 'recursive' },
  H: { overrides: 'LP' },
  L: { overrides: 'HP' },
  P: { overrides: 'HL' },
} as const satisfies OptionSpecs;

type OwnershipOpts = { [K in keyof typeof OWNERSHIP_OPTIONS]?: K extends 'reference' ? string : true } & { from?: string };

/** The body of chown and chgrp: what changes is all that differs. */
export async function changeOwnership(ctx: Ctx, opts: OwnershipOpts, kind: 'chown' | 'chgrp'): Promise<number> {
  const operands = [...ctx.operands];
  let target: Target;
  if (opts.reference !== undefined) {
    let st: fs.Stats;
    try {
      st = fs.statSync(fsPath(ctx.path(opts.reference)));
    } catch (err) {
      throw new AppletError(`failed to get attributes of ${quoteaf(opts.reference)}: ${errorText(err)}`);
    }
    target = kind === 'chown'
      ? { uid: st.uid, gid: st.gid, userName: userName(st.uid), groupName: groupName(st.gid) }
      : { uid: -1, gid: st.gid, groupName: groupName(st.gid) };
  } else {
    const spec = operands.shift();
    if (spec === undefined) throw new UsageError('missing operand');
    if (operands.length === 0) throw new UsageError(`missing operand after ${quote(spec)}`);
    if (kind === 'chgrp') target = parseGroup(spec);
    else {
      const parsed = parseOwnerSpec(spec);
      if (parsed.dotWarning) await ctx.stderr.write(`${ctx.name}: warning: '.' should be ':': ${quote(spec)}\n`);
      target = parsed.target;
      // ":group" is reported as an ownership, not a group, as GNU does
      if (target.userName === undefined && target.groupName !== undefined) target.userName = '';
    }
  }
  if (operands.length === 0) throw new UsageError('missing operand');

  let required: Target = { uid: -1, gid: -1 };
  if (opts.from !== undefined) {
    const parsed = parseOwnerSpec(opts.from);
    if (parsed.dotWarning) await ctx.stderr.write(`${ctx.name}: warning: '.' should be ':': ${quote(opts.from)}\n`);
    required = parsed.target;
  }

  const recurse = !!opts.R;
  let follow: FtsFollow = 'physical';
  let dereference = opts.dereference ? 1 : opts.h ? 0 : -1;
  if (recurse) {
    follow = opts.L ? 'logical' : opts.H ? 'comfollow' : 'physical';
    if (follow === 'physical') {
      if (dereference === 1) throw new AppletError('-R --dereference requires either -H or -L');
      dereference = 0;
    }
  }
  const referent = dereference !== 0;
  const verbosity = opts.v ? 'high' : opts.c ? 'changes' : 'off';
  const quiet = !!opts.f;
  const root = recurse && opts['preserve-root'] ? fs.statSync('/') : undefined;
  const out = new OutBuffer(ctx.stdout);
  const complain = async (text: string) => {
    await out.flush();
    if (!quiet) await ctx.stderr.write(`${ctx.name}: ${text}\n`);
  };
  const rootWarning = async (path: string) => {
    await out.flush();
    if (path === '/') await ctx.stderr.write(`${ctx.name}: it is dangerous to operate recursively on ${quoteaf('/')}\n`);
    else await ctx.stderr.write(`${ctx.name}: it is dangerous to operate recursively on ${quoteaf(path)} (same as ${quoteaf('/')})\n`);
    await ctx.stderr.write(`${ctx.name}: use --no-preserve-root to override this failsafe\n`);
  };
  const isRoot = (st: fs.Stats | undefined) => !!root && !!st && st.dev === root.dev && st.ino === root.ino;
  const newUser = target.userName ?? (target.uid !== -1 ? String(target.uid) : undefined);
  const newGroup = target.groupName ?? (target.gid !== -1 ? String(target.gid) : undefined);
  let status = 0;

  const visit = async (e: FtsEntry): Promise<typeof SKIP | void> => {
    let ok = true;
    if (e.info === 'D' && recurse) {
      if (isRoot(e.st)) {
        await rootWarning(e.path);
        status = 1;
        return SKIP;
      }
      return;
    }
    if (e.info === 'DP' && !recurse) return;
    if (e.info === 'NS') {
      await complain(`cannot access ${quoteaf(e.path)}: ${errorText(e.error)}`);
      ok = false;
    } else if (e.info === 'DNR') {
      await complain(`cannot read directory ${quoteaf(e.path)}: ${errorText(e.error)}`);
      ok = false;
    }
    let st = ok ? e.st : undefined;
    let doChown = ok;
    if (ok && st && referent && st.isSymbolicLink()) {
      try {
        st = fs.statSync(fsPath(e.abs));
      } catch (err) {
        await complain(`cannot dereference ${quoteaf(e.path)}: ${errorText(err)}`);
        ok = false;
        doChown = false;
      }
    }
    if (doChown && st) {
      doChown = (required.uid === -1 || required.uid === st.uid) && (required.gid === -1 || required.gid === st.gid);
    }
    if (ok && st?.isDirectory() && isRoot(st)) {
      await rootWarning(e.path);
      status = 1;
      return SKIP;
    }
    if (doChown) {
      try {
        if (referent) fs.chownSync(fsPath(e.abs), target.uid, target.gid);
        else fs.lchownSync(fsPath(e.abs), target.uid, target.gid);
      } catch (err) {
        ok = false;
        await complain(`${target.uid !== -1 ? 'changing ownership' : 'changing group'} of ${quoteaf(e.path)}: ${errorText(err)}`);
      }
    }
    if (verbosity !== 'off') {
      const changed = doChown && ok && st !== undefined && !((target.uid === -1 || target.uid === st.uid) && (target.gid === -1 || target.gid === st.gid));
      if (changed || verbosity === 'high') {
        const oldUser = st && newUser !== undefined ? userName(st.uid) : undefined;
        const oldGroup = st && newGroup !== undefined ? groupName(st.gid) : undefined;
        await report(out, e.path, !ok ? 'failed' : changed ? 'changed' : 'retained', newUser, newGroup, ownership(oldUser, oldGroup));
      }
    }
    if (!ok) status = 1;
    if (!recurse) return SKIP;
  };
  try {
    await walkTree(operands, { follow, cwd: ctx.cwd, signal: ctx.signal }, visit);
  } finally {
    await out.flush();
  }
  return status;
}

/** GNU's describe_change. */
async function report(
  out: OutBuffer,
  path: string,
  how: 'changed' | 'failed' | 'retained',
  user: string | undefined,
  group: string | undefined,
  old: string | undefined,
): Promise<void> {
  const spec = ownership(user, group);
  const what = user !== undefined ? 'ownership' : group !== undefined ? 'group' : undefined;
  const name = quoteaf(path);
  let line: string;
  if (how === 'changed') line = what ? `changed ${what} of ${name} from ${old} to ${spec}` : `no change to ownership of ${name}`;
  else if (how === 'failed') {
    if (!what) line = `failed to change ownership of ${name}`;
    else line = old !== undefined ? `failed to change ${what} of ${name} from ${old} to ${spec}` : `failed to change ${what} of ${name} to ${spec}`;
  } else line = what ? `${what} of ${name} retained as ${old}` : `ownership of ${name} retained`;
  const pending = out.put(`${line}\n`);
  if (pending) await pending;
}

export default defineApplet({
  name: 'chown',
  summary: 'Change the owner and/or group of each FILE to OWNER and/or GROUP',
  usage: 'chown [OPTION]... [OWNER][:[GROUP]] FILE...\n   or: chown [OPTION]... --reference=RFILE FILE...',
  help: [
    '-c, --changes\t\tLike verbose but report only when a change is made',
    '-f, --silent, --quiet\tSuppress most error messages',
    '-v, --verbose\t\tOutput a diagnostic for every file processed',
    '    --dereference\tAffect the referent of each symbolic link (the default)',
    '-h, --no-dereference\tAffect symbolic links instead of any referenced file',
    '    --from=CURRENT_OWNER:CURRENT_GROUP\tChange only files owned by them',
    '    --no-preserve-root\tDo not treat \'/\' specially (the default)',
    '    --preserve-root\tFail to operate recursively on \'/\'',
    '    --reference=RFILE\tUse RFILE\'s owner and group',
    '-R, --recursive\t\tOperate on files and directories recursively',
    '-H\t\t\tWith -R, traverse a command-line symbolic link to a directory',
    '-L\t\t\tWith -R, traverse every symbolic link to a directory',
    '-P\t\t\tWith -R, do not traverse any symbolic links (default)',
    '',
    'Owner is unchanged if missing. Group is unchanged if missing, but changed to the login group',
    'if implied by a \':\' following a symbolic OWNER. Names come from /etc/passwd and /etc/group.',
  ].join('\n'),
  options: { ...OWNERSHIP_OPTIONS, from: { arg: 'string' } },
  run: (ctx) => changeOwnership(ctx, ctx.opts as OwnershipOpts, 'chown'),
});
