// rc-update: add services to runlevels, remove them, stack runlevels, show who is where.
import * as os from 'node:os';
import { defineApplet } from '../../core/applet.js';
import { strerror } from '../../core/errors.js';
import { type CliSpec, commonOption, declUsage, getoptLong, usageError, usageText, versionText } from './cli.js';
import { envConfig, envFilter, loadConf, rcSys } from './conf.js';
import { loadDeptree } from './deptree.js';
import { Einfo, contextOut, yesno } from './einfo.js';
import { byteSort, LEVEL_BOOT, LEVEL_SHUTDOWN, LEVEL_SINGLE, LEVEL_SYSINIT, Rc } from './state.js';

const SPEC: CliSpec = {
  usage:
    'Usage: rc-update [options] add <service> [<runlevel>...]\n' +
    '   or: rc-update [options] del <service> [<runlevel>...]\n' +
    '   or: rc-update [options] [show [<runlevel>...]]',
  getopt: 'asu',
  longopts: [
    { name: 'all', letter: 'a', has: 0, help: 'Process all runlevels' },
    { name: 'stack', letter: 's', has: 0, help: 'Stack a runlevel instead of a service' },
    { name: 'update', letter: 'u', has: 0, help: 'Force an update of the dependency tree' },
  ],
};

export default defineApplet({
  name: 'rc-update',
  ...declUsage(SPEC),
  async run(ctx) {
    const env = ctx.env.child();
    const einfo = new Einfo(env, contextOut(ctx));
    const rc = Rc.of(env);
    const applet = ctx.name;
    let all = false;
    let stack = false;
    const operands: string[] = [];
    const quiet = { n: 0 };
    for (const item of getoptLong(ctx.operands, SPEC, operands)) {
      if (item.kind === 'error') return usageError(ctx, applet, SPEC, item.message);
      switch (item.key) {
        case 'a':
          all = true;
          break;
        case 's':
          stack = true;
          break;
        case 'u': {
          const conf = loadConf(rc);
          const shellEnv = env.child();
          envFilter(shellEnv, rc, conf);
          envConfig(shellEnv, rc, conf, os.type());
          const { ok } = await loadDeptree(ctx, rc, conf, shellEnv, einfo, ctx.host, true);
          return ok ? 0 : 1;
        }
        default: {
          const what = commonOption(item.key, env, ctx.operands.length + 1, quiet);
          if (what === 'help') {
            await ctx.stdout.write(usageText(SPEC));
            return 0;
          }
          if (what === 'version') {
            await ctx.stdout.write(versionText(applet, rcSys(loadConf(rc))));
            return 0;
          }
        }
      }
    }
    const verbose = yesno(env.get('EINFO_VERBOSE'));

    let action: 'add' | 'del' | 'show' = 'show';
    let rest = operands;
    if (rest.length) {
      const word = rest[0]!;
      if (word === 'add') action = 'add';
      else if (word === 'delete' || word === 'del') action = 'del';
      else if (word === 'show') action = 'show';
      else {
        await einfo.eerror(`${applet}: invalid command \`${word}'`);
        return 1;
      }
      rest = rest.slice(1);
    }
    let service: string | undefined;
    let levels: string[] = [];
    if (rest.length === 0) {
      if (action !== 'show') {
        await einfo.eerror(`${applet}: no service specified`);
        return 1;
      }
    } else {
      service = rest[0];
      for (const level of rest.slice(1)) {
        if (!rc.runlevelExists(level)) {
          await einfo.eerror(`${applet}: \`${level}' is not a valid runlevel`);
          return 1;
        }
        levels.push(level);
      }
    }

    if (action === 'show') {
      if (service !== undefined) levels.push(service);
      if (levels.length === 0) levels = rc.runlevelList();
      byteSort(levels);
      let out = '';
      for (const svc of byteSort(rc.servicesInRunlevel())) {
        let inOne = false;
        const cols = levels.map((level) => {
          if (rc.inRunlevel(svc, level)) {
            inOne = true;
            return level;
          }
          return ' '.repeat(level.length);
        });
        if (inOne || verbose) out += ` ${svc.padStart(20)} |${cols.map((c) => ` ${c}`).join('')}\n`;
      }
      await ctx.stdout.write(out);
      return 0;
    }

    const name = service!;
    if (action === 'add' && all) {
      await einfo.eerror(`${applet}: the -a option is invalid with add`);
      return 1;
    }
    if (levels.length === 0) levels = all ? rc.runlevelList() : [rc.runlevelGet()];
    if (levels.length === 0) {
      await einfo.eerror(`${applet}: no runlevels found`);
      return 1;
    }

    const add = async (level: string): Promise<number> => {
      const missing = rc.existsError(name);
      if (missing) {
        await einfo.eerror(missing === 'ENOEXEC' ? `${applet}: service \`${name}' is not executable` : `${applet}: service \`${name}' does not exist`);
        return -1;
      }
      if (rc.inRunlevel(name, level)) {
        await einfo.einfo(`${applet}: ${name} already installed in runlevel \`${level}'; skipping`);
        return 0;
      }
      const r = rc.serviceAdd(level, name);
      if (r.ok) {
        await einfo.einfo(`service ${name} added to runlevel ${level}`);
        return 1;
      }
      await einfo.eerror(`${applet}: failed to add service \`${name}' to runlevel \`${level}': ${strerror(r.code)}`);
      return -1;
    };
    const del = async (level: string): Promise<number> => {
      const r = rc.serviceDelete(level, name);
      if (r.ok) {
        await einfo.einfo(`service ${name} removed from runlevel ${level}`);
        return 1;
      }
      if (r.code === 'ENOENT') await einfo.eerror(`${applet}: service \`${name}' is not in the runlevel \`${level}'`);
      else await einfo.eerror(`${applet}: failed to remove service \`${name}' from runlevel \`${level}': ${strerror(r.code)}`);
      return -1;
    };
    const special = [LEVEL_SYSINIT, LEVEL_BOOT, LEVEL_SINGLE, LEVEL_SHUTDOWN];
    const addStack = async (level: string): Promise<number> => {
      for (const l of [level, name]) {
        if (!rc.runlevelExists(l)) {
          await einfo.eerror(`${applet}: runlevel \`${l}' does not exist`);
          return -1;
        }
      }
      if (level === name) {
        await einfo.eerror(`${applet}: cannot stack \`${name}' onto itself`);
        return -1;
      }
      if (special.includes(level) || special.includes(name)) {
        await einfo.eerror(`${applet}: cannot stack the ${LEVEL_SYSINIT} runlevel`);
        return -1;
      }
      try {
        rc.runlevelStack(level, name);
      } catch (err) {
        await einfo.eerror(`${applet}: failed to stack \`${name}' to \`${level}': ${strerror((err as { code?: string }).code ?? 'EIO')}`);
        return -1;
      }
      await einfo.einfo(`runlevel ${name} added to runlevel ${level}`);
      return 1;
    };
    const delStack = async (level: string): Promise<number> => {
      try {
        rc.runlevelUnstack(level, name);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'EIO';
        if (code === 'ENOENT') await einfo.eerror(`${applet}: runlevel \`${name}' is not in the runlevel \`${level}'`);
        else await einfo.eerror(`${applet}: failed to remove runlevel \`${name}' from runlevel \`${level}': ${strerror(code)}`);
        return -1;
      }
      await einfo.einfo(`runlevel ${name} removed from runlevel ${level}`);
      return 1;
    };
    const act = action === 'add' ? (stack ? addStack : add) : stack ? delStack : del;

    let status = 0;
    let updated = 0;
    for (const level of levels) {
      if (!rc.runlevelExists(level)) {
        await einfo.eerror(`${applet}: runlevel \`${level}' does not exist`);
        continue;
      }
      const r = await act(level);
      if (r < 0) status = 1;
      updated += r;
    }
    if (status === 0 && updated === 0 && action === 'del') {
      await einfo.ewarn(`${applet}: service \`${name}' not found in any of the specified runlevels`);
      return 1;
    }
    return status;
  },
});
