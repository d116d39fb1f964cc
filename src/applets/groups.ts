// groups as GNU has it: the process's groups, or each USER's as `user : group...`.
import { defineApplet } from '../core/applet.js';
import { groupByGid, groupsOfUser } from '../core/ids.js';
import { groupList, lookupUser } from './id.js';
import { quote } from '../core/quote.js';

export default defineApplet({
  name: 'groups',
  summary: 'Print group memberships for each USERNAME or, if none, for the current process',
  usage: 'groups [OPTION]... [USERNAME]...',
  options: {},
  async run(ctx) {
    const names = (gids: number[]) => {
      let missing: number | undefined;
      const text = gids.map((g) => groupByGid(g)?.name ?? ((missing ??= g), String(g))).join(' ');
      return { text, missing };
    };
    let status = 0;
    let out = '';
    const report = async (gids: number[], prefix: string) => {
      const { text, missing } = names(gids);
      if (missing !== undefined) {
        await ctx.stdout.write(out);
        out = '';
        await ctx.stderr.write(`${ctx.name}: cannot find name for group ID ${missing}\n`);
        status = 1;
      }
      out += `${prefix}${text}\n`;
    };
    if (ctx.operands.length === 0) {
      const h = ctx.host;
      await report(groupList({ rgid: h.gid(), egid: h.egid(), groups: h.groups() }), '');
    } else {
      for (const spec of ctx.operands) {
        const user = lookupUser(spec);
        if (!user) {
          await ctx.stdout.write(out);
          out = '';
          await ctx.stderr.write(`${ctx.name}: ${quote(spec)}: no such user\n`);
          status = 1;
          continue;
        }
        await report(groupList({ rgid: user.gid, egid: user.gid, groups: groupsOfUser(user) }), `${spec} : `);
      }
    }
    await ctx.stdout.write(out);
    return status;
  },
});
