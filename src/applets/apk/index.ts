// apk: Alpine's package manager (APK v2 packages and indexes, signed repositories), spec: apk.md.
// This module is the declaration and the dispatcher; each command lives in commands/ and is loaded
// only when used.
import { defineApplet } from '../../core/applet.js';
import type { Ctx } from '../../core/context.js';
import { ApkUsageError, COMMANDS, GLOBAL_OPTIONS, parseApkArgs } from './cli.js';
import { Apk } from './context.js';

const VERSION = 'apk-tools 2.14.10, compiled for x86_64.';

function usageText(): string {
  const groups: [string, string[]][] = [
    ['Package installation and removal', ['add', 'del']],
    ['System maintenance', ['fix', 'update', 'upgrade', 'cache']],
    ['Querying package information', ['info', 'list', 'dot', 'policy', 'search']],
    ['Repository maintenance', ['index', 'fetch', 'manifest', 'verify']],
    ['Miscellaneous', ['audit', 'stats', 'version']],
  ];
  let s = `${VERSION}\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n`;
  for (const [title, cmds] of groups) {
    s += `\n${title}:\n`;
    for (const c of cmds) s += `  ${c.padEnd(10)}${COMMANDS[c]!.summary}\n`;
  }
  s += '\nThis apk has coffee making abilities.\n';
  return s;
}

export default defineApplet({
  name: 'apk',
  summary: "Alpine's package manager",
  usage: 'apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]',
  help: `Global options: ${GLOBAL_OPTIONS.map((o) => `--${o.long[0]}`).join(' ')}`,
  renderHelp: usageText,
  helpStatus: 1, // as apk-tools
  async run(ctx: Ctx): Promise<number> {
    let parsed;
    try {
      parsed = parseApkArgs(ctx.operands);
    } catch (err) {
      if (err instanceof ApkUsageError) {
        await ctx.stderr.write(`apk: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const { command, opts, args } = parsed;
    if (opts.has('version')) {
      await ctx.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const apk = new Apk(ctx, opts);
    if (opts.has('print-arch')) {
      await ctx.stdout.write(`${apk.printArch()}\n`);
      return 0;
    }
    if (!command || !COMMANDS[command] || opts.has('help')) {
      await ctx.stdout.write(usageText());
      return 1;
    }
    try {
      return await runCommand(apk, command, args);
    } finally {
      await apk.close();
    }
  },
});

async function runCommand(apk: Apk, command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'add':
      return (await import('./commands/add.js')).add(apk, args);
    case 'del':
      return (await import('./commands/del.js')).del(apk, args);
    case 'fix':
      return (await import('./commands/fix.js')).fix(apk, args);
    case 'update':
      return (await import('./commands/update.js')).update(apk);
    case 'upgrade':
      return (await import('./commands/upgrade.js')).upgrade(apk, args);
    case 'cache':
      return (await import('./commands/cache.js')).cache(apk, args);
    case 'info':
      return (await import('./commands/info.js')).info(apk, args);
    case 'list':
      return (await import('./commands/list.js')).list(apk, args);
    case 'dot':
      return (await import('./commands/dot.js')).dot(apk, args);
    case 'policy':
      return (await import('./commands/policy.js')).policy(apk, args);
    case 'search':
      return (await import('./commands/search.js')).search(apk, args);
    case 'index':
      return (await import('./commands/index-cmd.js')).index(apk, args);
    case 'fetch':
      return (await import('./commands/fetch.js')).fetchCmd(apk, args);
    case 'manifest':
      return (await import('./commands/manifest.js')).manifest(apk, args);
    case 'verify':
      return (await import('./commands/verify.js')).verify(apk, args);
    case 'audit':
      return (await import('./commands/audit.js')).audit(apk, args);
    case 'stats':
      return (await import('./commands/stats.js')).stats(apk);
    case 'version':
      return (await import('./commands/version.js')).version(apk, args);
    default:
      return 1;
  }
}
