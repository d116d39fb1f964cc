// rc-service (and `service`, the same applet under another name): find a service's script and run
// it with the commands given, or answer -e/-l/-r questions about services.
import { defineApplet } from '../../core/applet.js';
import * as os from 'node:os';
import { type CliSpec, commonOption, declUsage, getoptLong, usageError, usageText, versionText } from './cli.js';
import { envConfig, envFilter, loadConf, rcSys } from './conf.js';
import { daemonsCrashed } from './daemons.js';
import { Einfo, contextOut } from './einfo.js';
import { byteSort, Rc, State } from './state.js';

const SPEC: CliSpec = {
  usage:
    'Usage: rc-service [options] [-i] <service> <cmd>...\n' +
    '   or: rc-service [options] -e <service>\n' +
    '   or: rc-service [options] -l\n' +
    '   or: rc-service [options] -r <service>',
  getopt: 'cdDe:ilr:INsSZ',
  longopts: [
    { name: 'debug', letter: 'd', has: 0, help: 'set xtrace when running the command' },
    { name: 'nodeps', letter: 'D', has: 0, help: 'ignore dependencies' },
    { name: 'exists', letter: 'e', has: 1, help: 'tests if the service exists or not' },
    { name: 'ifcrashed', letter: 'c', has: 0, help: 'if the service is crashed run the command' },
    { name: 'ifexists', letter: 'i', has: 0, help: 'if the service exists run the command' },
    { name: 'ifinactive', letter: 'I', has: 0, help: 'if the service is inactive run the command' },
    { name: 'ifnotstarted', letter: 'N', has: 0, help: 'if the service is not started run the command' },
    { name: 'ifstarted', letter: 's', has: 0, help: 'if the service is started run the command' },
    { name: 'ifstopped', letter: 'S', has: 0, help: 'if the service is stopped run the command' },
    { name: 'list', letter: 'l', has: 0, help: 'list all available services' },
    { name: 'resolve', letter: 'r', has: 1, help: 'resolve the service name to an init script' },
    { name: 'dry-run', letter: 'Z', has: 0, help: 'dry run (show what would happen)' },
  ],
};

export default defineApplet({
  name: 'rc-service',
  ...declUsage(SPEC),
  async run(ctx) {
    const env = ctx.env.child();
    // only quiet when told so here
    env.delete('EINFO_QUIET');
    const einfo = new Einfo(env, contextOut(ctx));
    const rc = Rc.of(env);
    const applet = ctx.name;
    const flags = new Set<string>();
    const operands: string[] = [];
    const quiet = { n: 0 };
    const args = ctx.operands;
    for (const item of getoptLong(args, SPEC, operands)) {
      if (item.kind === 'error') return usageError(ctx, applet, SPEC, item.message);
      switch (item.key) {
        case 'd':
          env.set('RC_DEBUG', 'yes');
          break;
        case 'D':
          env.set('RC_NODEPS', 'yes');
          break;
        case 'e':
          return rc.resolve(item.value!) ? 0 : 1;
        case 'l': {
          const list = byteSort(rc.servicesInRunlevel());
          if (list.length === 0) return 1;
          await ctx.stdout.write(list.map((s) => `${s}\n`).join(''));
          return 0;
        }
        case 'r': {
          const file = rc.resolve(item.value!);
          if (!file) return 1;
          await ctx.stdout.write(`${file}\n`);
          return 0;
        }
        case 'Z':
          env.set('IN_DRYRUN', 'yes');
          break;
        case 'c':
        case 'i':
        case 'I':
        case 'N':
        case 's':
        case 'S':
          flags.add(item.key);
          break;
        default: {
          const what = commonOption(item.key, env, args.length + 1, quiet);
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

    const name = operands[0];
    if (name === undefined) {
      await einfo.eerror(`${applet}: you need to specify a service`);
      return 1;
    }
    const file = rc.resolve(name);
    if (!file) {
      if (flags.has('i')) return 0;
      await einfo.eerror(`${applet}: service \`${name}' does not exist`);
      return 1;
    }
    const state = rc.state(name);
    if (flags.has('c') && !daemonsCrashed(rc, ctx.host, name)) return 0;
    if (flags.has('I') && !(state & State.Inactive)) return 0;
    if (flags.has('N') && state & State.Started) return 0;
    if (flags.has('s') && !(state & State.Started)) return 0;
    if (flags.has('S') && !(state & State.Stopped)) return 0;
    const conf = loadConf(rc);
    envFilter(env, rc, conf);
    envConfig(env, rc, conf, os.type());
    const { runService, withSession } = await import('./runscript.js');
    return withSession(ctx, env, (session) => runService(ctx, session, file, operands.slice(1), env));
  },
});
