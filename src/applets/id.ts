// id as GNU has it: the process's (or a user's) ids and groups, names from the root's /etc/passwd
// and /etc/group (core/ids.ts).
import { defineApplet } from '../core/applet.js';
import { AppletError } from '../core/errors.js';
import { groupByGid, groupsOfUser, type PasswdEntry, userByName, userByUid } from '../core/ids.js';
import { quote } from '../core/quote.js';

interface Who {
  ruid: number;
  euid: number;
  rgid: number;
  egid: number;
  groups: number[];
}

/** A user operand: a name, else a number (GNU tries the name first; `+N` means a number). */
export function lookupUser(spec: string): PasswdEntry | undefined {
  const byName = spec.startsWith('+') ? undefined : userByName(spec);
  if (byName) return byName;
  return /^\+?\d+$/.test(spec) ? userByUid(Number(spec)) : undefined;
}

/** The group list as GNU prints it: the real gid, the effective one if different, then the rest. */
export function groupList(w: Pick<Who, 'rgid' | 'egid' | 'groups'>): number[] {
  const list = [w.rgid];
  if (w.egid !== w.rgid) list.push(w.egid);
  for (const g of w.groups) if (g !== w.rgid && g !== w.egid && !list.includes(g)) list.push(g);
  return list;
}

export default defineApplet({
  name: 'id',
  summary: 'Print user and group information for each specified USER, or (when USER omitted) for the current process',
  usage: 'id [OPTION]... [USER]...',
  help: [
    '-a\t\tIgnore, for compatibility with other versions',
    '-Z, --context\tPrint only the security context of the process',
    '-g, --group\tPrint only the effective group ID',
    '-G, --groups\tPrint all group IDs',
    '-n, --name\tPrint a name instead of a number, for -u, -g, -G',
    '-r, --real\tPrint the real ID instead of the effective ID, with -u, -g, -G',
    '-u, --user\tPrint only the effective user ID',
    '-z, --zero\tDelimit entries with NUL characters, not whitespace',
  ].join('\n'),
  options: {
    a: {},
    Z: { long: 'context' },
    g: { long: 'group' },
    G: { long: 'groups' },
    n: { long: 'name' },
    r: { long: 'real' },
    u: { long: 'user' },
    z: { long: 'zero' },
  },
  async run(ctx) {
    const { opts, operands } = ctx;
    const only = [opts.u, opts.g, opts.G, opts.Z].filter(Boolean).length;
    if (opts.Z) throw new AppletError('--context (-Z) works only on an SELinux-enabled kernel');
    if (only > 1) throw new AppletError('cannot print "only" of more than one choice');
    if (only === 0 && (opts.n || opts.r)) throw new AppletError('cannot print only names or real IDs in default format');
    if (only === 0 && opts.z) throw new AppletError('option --zero not permitted in default format');

    const targets: (Who & { user?: PasswdEntry })[] = [];
    let status = 0;
    if (operands.length === 0) {
      const h = ctx.host;
      targets.push({ ruid: h.uid(), euid: h.euid(), rgid: h.gid(), egid: h.egid(), groups: h.groups() });
    } else {
      for (const spec of operands) {
        const user = lookupUser(spec);
        if (!user) {
          await ctx.stderr.write(`${ctx.name}: ${quote(spec)}: no such user\n`);
          status = 1;
          continue;
        }
        targets.push({ ruid: user.uid, euid: user.uid, rgid: user.gid, egid: user.gid, groups: groupsOfUser(user), user });
      }
    }
    let out = '';
    const warnMissing = async (what: 'user' | 'group', id: number) => {
      await ctx.stderr.write(`${ctx.name}: cannot find name for ${what} ID ${id}\n`);
      status = 1;
    };
    for (const w of targets) {
      if (opts.u || opts.g) {
        const id = opts.u ? (opts.r ? w.ruid : w.euid) : opts.r ? w.rgid : w.egid;
        let text = String(id);
        if (opts.n) {
          const name = opts.u ? userByUid(id)?.name : groupByGid(id)?.name;
          if (name === undefined) await warnMissing(opts.u ? 'user' : 'group', id);
          else text = name;
        }
        out += text + (opts.z ? '\0' : '\n');
      } else if (opts.G) {
        const ids = groupList(opts.r ? { ...w, egid: w.rgid } : w);
        const parts: string[] = [];
        for (const g of ids) {
          const name = opts.n ? groupByGid(g)?.name : undefined;
          if (opts.n && name === undefined) await warnMissing('group', g);
          parts.push(name ?? String(g));
        }
        out += opts.z ? parts.map((p) => `${p}\0`).join('') : `${parts.join(' ')}\n`;
        if (opts.z && operands.length > 1) out += '\0';
      } else {
        const user = (uid: number) => `${uid}${userByUid(uid) ? `(${userByUid(uid)!.name})` : ''}`;
        const group = (gid: number) => `${gid}${groupByGid(gid) ? `(${groupByGid(gid)!.name})` : ''}`;
        let line = `uid=${user(w.ruid)} gid=${group(w.rgid)}`;
        if (w.euid !== w.ruid) line += ` euid=${user(w.euid)}`;
        if (w.egid !== w.rgid) line += ` egid=${group(w.egid)}`;
        line += ` groups=${groupList(w).map(group).join(',')}`;
        out += `${line}\n`;
      }
    }
    await ctx.stdout.write(out);
    return status;
  },
});
