// rc-status: the services of a runlevel (or of all) with their states, in the order they start,
// then the dynamic ones: hotplugged, pulled in by others, started by hand.
import * as os from 'node:os';
import { defineApplet } from '../../core/applet.js';
import type { Ctx } from '../../core/context.js';
import type { Env } from '../../core/env.js';
import { type CliSpec, commonOption, declUsage, getoptLong, usageError, usageText, versionText } from './cli.js';
import { envConfig, envFilter, loadConf, type RcConf, rcSys } from './conf.js';
import { daemonsCrashed } from './daemons.js';
import { DEP_START, DEP_STRICT, DEP_TRACE, depends, type DepTree, depView, loadDeptree } from './deptree.js';
import { Color, Einfo, contextOut } from './einfo.js';
import { LEVEL_BOOT, LEVEL_SYSINIT, Rc, State } from './state.js';

const SPEC: CliSpec = {
  usage: 'Usage: rc-status [options] -f ini <runlevel>...\n   or: rc-status [options] [-a | -c | -l | -m | -r | -s | -u]',
  getopt: 'acf:lmrsSu',
  longopts: [
    { name: 'all', letter: 'a', has: 0, help: 'Show services from all run levels' },
    { name: 'crashed', letter: 'c', has: 0, help: 'Show crashed services' },
    { name: 'format', letter: 'f', has: 1, help: 'format status to be parsable (currently arg must be ini)' },
    { name: 'list', letter: 'l', has: 0, help: 'Show list of run levels' },
    { name: 'manual', letter: 'm', has: 0, help: 'Show manually started services' },
    { name: 'runlevel', letter: 'r', has: 0, help: 'Show the name of the current runlevel' },
    { name: 'servicelist', letter: 's', has: 0, help: 'Show service list' },
    { name: 'supervised', letter: 'S', has: 0, help: 'show supervised services' },
    { name: 'unused', letter: 'u', has: 0, help: 'Show services not assigned to any runlevel' },
  ],
};

/** `HH:MM:SS (N)` or `D day(s) HH:MM:SS (N)` since start_time, for supervised services. */
function uptime(rc: Rc, service: string, now: number): string | undefined {
  const count = rc.valueGet(service, 'start_count');
  const time = rc.valueGet(service, 'start_time');
  if (count === undefined || time === undefined) return undefined;
  const m = /^(\d{1,4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})/.exec(time);
  const start = m ? new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!).getTime() / 1000 : -1;
  let secs = Math.trunc(now / 1000 - start);
  const days = Math.trunc(secs / 86400);
  secs %= 86400;
  const hours = Math.trunc(secs / 3600);
  secs %= 3600;
  const mins = Math.trunc(secs / 60);
  secs %= 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${two(hours)}:${two(mins)}:${two(secs)} (${count})`;
  return days > 0 ? `${days} day(s) ${clock}` : clock;
}

class Status {
  private tree: DepTree | undefined;
  private treeLoaded = false;
  private out = '';

  constructor(
    private readonly ctx: Ctx,
    private readonly rc: Rc,
    private readonly conf: RcConf,
    private readonly env: Env,
    private readonly einfo: Einfo,
    private readonly ini: boolean,
  ) {}

  async flush(): Promise<void> {
    if (this.out) await this.ctx.stdout.write(this.out);
    this.out = '';
  }

  async loadTree(): Promise<DepTree | undefined> {
    if (!this.treeLoaded) {
      this.treeLoaded = true;
      await this.flush();
      const shellEnv = this.env.child();
      envFilter(shellEnv, this.rc, this.conf);
      envConfig(shellEnv, this.rc, this.conf, os.type());
      this.tree = (await loadDeptree(this.ctx, this.rc, this.conf, shellEnv, this.einfo, this.ctx.host)).tree;
    }
    return this.tree;
  }

  level(prefix: string | undefined, level: string): void {
    if (this.ini) {
      this.out += `[${prefix ? `${prefix} ` : ''}${level}]\n`;
      return;
    }
    const tty = this.ctx.isTTY(1);
    this.out += `${prefix ? `${prefix} ` : ''}Runlevel: ${tty ? `${this.einfo.ecolor(Color.Hilite)}${level}${this.einfo.ecolor(Color.Normal)}` : level}\n`;
  }

  private service(service: string, now: number): void {
    const state = this.rc.state(service);
    let status: string;
    let color = Color.Bad;
    if (state & State.Stopping) status = 'stopping ';
    else if (state & State.Starting) {
      status = 'starting ';
      color = Color.Warn;
    } else if (state & State.Inactive) {
      status = 'inactive ';
      color = Color.Warn;
    } else if (state & State.Started) {
      if (daemonsCrashed(this.rc, this.ctx.host, service)) {
        const supervised = this.rc.valueGet(service, 'child_pid') !== undefined && this.rc.valueGet(service, 'start_time') !== undefined;
        status = supervised ? ' unsupervised ' : ' crashed ';
      } else {
        const up = uptime(this.rc, service, now);
        status = up ? ` started ${up}` : ' started ';
        color = Color.Good;
      }
    } else if (state & State.Scheduled) {
      status = 'scheduled';
      color = Color.Warn;
    } else if (state & State.Failed) {
      status = 'failed';
      color = Color.Warn;
    } else status = ' stopped ';

    if (this.ini) {
      this.out += `${service} = ${status}\n`;
      return;
    }
    const name = ` ${service}`;
    this.out += name;
    const colour = this.einfo.colour(1);
    if (colour && this.einfo.ecolor(Color.Good)) this.out += '\n';
    let cols = this.einfo.columns(1) - (status.length + 5);
    if (this.env.get('TERM') === 'cons25') cols--;
    if (cols > 0 && colour) {
      const b = this.einfo.ecolor(Color.Bracket);
      this.out += `\x1b[A\x1b[${cols}C ${b}[${this.einfo.ecolor(color)} ${status} ${b}]${this.einfo.ecolor(Color.Normal)}\n`;
    } else this.out += `${cols - name.length > 0 ? ' '.repeat(cols - name.length) : ''} [ ${status} ]\n`;
  }

  /** The services of a list (those in `runlevel` when given) in start order. */
  async services(runlevel: string | undefined, svcs: readonly string[]): Promise<void> {
    const tree = await this.loadTree();
    const now = Date.now();
    if (!tree) {
      for (const s of svcs) if (!runlevel || this.rc.inRunlevel(s, runlevel)) this.service(s, now);
      return;
    }
    const level = runlevel ?? this.rc.runlevelGet();
    const order = depends(depView(tree, this.rc, this.env), ['ineed', 'iuse', 'iafter'], svcs, level, DEP_STRICT | DEP_TRACE | DEP_START);
    for (const s of order) {
      if (!svcs.includes(s)) continue;
      if (!runlevel || this.rc.inRunlevel(s, runlevel)) this.service(s, now);
    }
  }

  async stacked(runlevel: string, levels: readonly string[]): Promise<void> {
    for (const level of this.rc.runlevelStacks(runlevel)) {
      if (levels.includes(level)) continue;
      this.level('Stacked', level);
      await this.services(level, this.rc.servicesInRunlevel(level));
    }
  }

  /** Services in no runlevel. */
  unassigned(): string[] {
    const levels = this.rc.runlevelList();
    return this.rc.servicesInRunlevel().filter((s) => !levels.some((l) => this.rc.inRunlevel(s, l)));
  }
}

export default defineApplet({
  name: 'rc-status',
  ...declUsage(SPEC),
  async run(ctx) {
    const env = ctx.env.child();
    const einfo = new Einfo(env, contextOut(ctx));
    const rc = Rc.of(env);
    const conf = loadConf(rc);
    const applet = ctx.name;
    const operands: string[] = [];
    const quiet = { n: 0 };
    let ini = false;
    let showAll = false;
    let levels: string[] | undefined;
    const status = () => new Status(ctx, rc, conf, env, einfo, ini);
    for (const item of getoptLong(ctx.operands, SPEC, operands)) {
      if (item.kind === 'error') return usageError(ctx, applet, SPEC, item.message);
      switch (item.key) {
        case 'a':
          showAll = true;
          levels = rc.runlevelList();
          break;
        case 'c': {
          let found = false;
          let out = '';
          for (const s of rc.servicesInState(State.Started)) {
            if (daemonsCrashed(rc, ctx.host, s)) {
              out += `${s}\n`;
              found = true;
            }
          }
          await ctx.stdout.write(out);
          return found ? 0 : 1;
        }
        case 'f':
          if (item.value!.toLowerCase() !== 'ini') {
            // 0.45.2's message ends with a newline of its own
            await einfo.eerror(`${applet}: invalid argument to --format switch\n`);
            return 1;
          }
          ini = true;
          env.set('EINFO_QUIET', 'YES');
          break;
        case 'l':
          await ctx.stdout.write(rc.runlevelList().map((l) => `${l}\n`).join(''));
          return 0;
        case 'm': {
          const st = status();
          const list = st.unassigned().filter((s) => !(rc.state(s) & (State.Stopped | State.Hotplugged)));
          await st.services(undefined, list);
          await st.flush();
          return 0;
        }
        case 'r':
          await ctx.stdout.write(`${rc.runlevelGet()}\n`);
          return 0;
        case 'S': {
          const st = status();
          await st.services(undefined, rc.servicesInState(State.Started).filter((s) => rc.valueGet(s, 'child_pid') !== undefined));
          await st.flush();
          return 0;
        }
        case 's': {
          const st = status();
          await st.services(undefined, rc.servicesInRunlevel());
          await st.flush();
          return 0;
        }
        case 'u': {
          const st = status();
          await st.services(undefined, st.unassigned());
          await st.flush();
          return 0;
        }
        default: {
          const what = commonOption(item.key, env, ctx.operands.length + 1, quiet);
          if (what === 'help') {
            await ctx.stdout.write(usageText(SPEC));
            return 0;
          }
          if (what === 'version') {
            await ctx.stdout.write(versionText(applet, rcSys(conf)));
            return 0;
          }
        }
      }
    }

    const st = status();
    levels ??= [];
    let levelsGiven = false;
    let given = operands.length ? 0 : 1;
    for (const level of operands) {
      if (rc.runlevelExists(level)) {
        levelsGiven = true;
        levels.push(level);
        given++;
      } else await einfo.eerror(`runlevel \`${level}' does not exist`);
    }
    if (given === 0) return 1;
    let runlevel: string | undefined;
    if (levels.length === 0) {
      runlevel = rc.runlevelGet();
      levels.push(runlevel);
    }

    await st.loadTree();
    for (const level of levels) {
      st.level(undefined, level);
      await st.services(level, rc.servicesInRunlevel(level));
      await st.stacked(level, levels);
    }

    if (showAll || !levelsGiven) {
      st.level('Dynamic', 'hotplugged');
      await st.services(undefined, rc.servicesInState(State.Hotplugged));

      let dynLevels = levels;
      if (showAll) dynLevels = [runlevel ?? rc.runlevelGet()];
      dynLevels = [...dynLevels, LEVEL_SYSINIT, LEVEL_BOOT];
      const inLevels = new Set(dynLevels.flatMap((l) => rc.servicesInRunlevelStacked(l)));
      let services = rc.servicesInRunlevel().filter((s) => {
        const state = rc.state(s);
        return !((inLevels.has(s) || state & (State.Stopped | State.Hotplugged)) && !(state & State.Failed));
      });
      const needed: string[] = [];
      const tree = await st.loadTree();
      if (tree) {
        for (const level of dynLevels) {
          const keep: string[] = [];
          for (const s of services) {
            const view = { ...depView(tree, rc, env), self: s };
            if (depends(view, ['needsme', 'wantsme'], [s], level, DEP_TRACE).length) needed.push(s);
            else keep.push(s);
          }
          services = keep;
        }
      }
      st.level('Dynamic', 'needed/wanted');
      await st.services(undefined, needed);
      st.level('Dynamic', 'manual');
      await st.services(undefined, services);
    }
    await st.flush();
    return 0;
  },
});
