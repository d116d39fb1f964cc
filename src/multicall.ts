// What `toolbox` does when called by its own name: usage, the applet list, installing the links.
import * as fs from 'node:fs';
import { fsPath, toUtf8 } from './core/bytes.js';
import type { ProcessHost } from './core/context.js';
import { resolvePath } from './core/context.js';
import { errorText } from './core/errors.js';
import type { ByteSink } from './core/io.js';
import { appletNames, findApplet } from './registry.js';
import { VERSION } from './version.js';

interface MulticallIo {
  host: ProcessHost;
  stdout: ByteSink;
  stderr: ByteSink;
  cwd: string;
}

function usage(): string {
  const names = appletNames();
  // The applet list wrapped like BusyBox's: a tab, comma-separated, lines under 80 columns.
  const lines: string[] = [];
  let line = '';
  for (const [i, name] of names.entries()) {
    const item = name + (i < names.length - 1 ? ',' : '');
    if (line && 8 + line.length + 1 + item.length > 78) {
      lines.push(line);
      line = item;
    } else line = line ? `${line} ${item}` : item;
  }
  if (line) lines.push(line);
  return (
    `toolbox v${VERSION} multi-call binary.\n\n` +
    'Usage: toolbox [function [arguments]...]\n' +
    '   or: toolbox --list[-full]\n' +
    '   or: toolbox --install [-s] [DIR]\n' +
    '   or: toolbox --version\n' +
    '   or: function [arguments]...\n\n' +
    '\ttoolbox is a multi-call binary that combines many common Unix\n' +
    '\tutilities into a single executable.  Create a link to toolbox for\n' +
    '\teach function you wish to use and toolbox will act like whatever\n' +
    '\tit was invoked as.\n\n' +
    'Currently defined functions:\n' +
    lines.map((l) => `\t${l}\n`).join('')
  );
}

export async function multicall(args: readonly string[], io: MulticallIo): Promise<number> {
  const [option, ...rest] = args;
  switch (option) {
    case undefined:
    case '--help':
      await io.stdout.write(usage());
      return 0;
    case '--version':
      await io.stdout.write(`toolbox v${VERSION}\n`);
      return 0;
    case '--list':
      await io.stdout.write(appletNames().map((n) => `${n}\n`).join(''));
      return 0;
    case '--list-full':
      await io.stdout.write(appletNames().map((n) => `${findApplet(n)!.dir}/${n}\n`).join(''));
      return 0;
    case '--install':
      return install(rest, io);
    default:
      await io.stderr.write(`${option}: applet not found\n`);
      return 127;
  }
}

/** Link every applet to this executable: hard links, or symbolic with -s; all in DIR if given, else
 *  at each applet's standard path. Existing files are left alone, as BusyBox does. */
async function install(args: readonly string[], io: MulticallIo): Promise<number> {
  const symbolic = args[0] === '-s';
  const dirArg = symbolic ? args[1] : args[0];
  if (io.host.self.length !== 1) {
    await io.stderr.write('toolbox: --install needs the built executable (npm run build)\n');
    return 1;
  }
  const self = io.host.self[0]!;
  let status = 0;
  for (const name of appletNames()) {
    const dir = dirArg !== undefined ? resolvePath(io.cwd, dirArg) : `/${findApplet(name)!.dir}`;
    const target = `${dir.replace(/\/+$/, '')}/${name}`;
    try {
      fs.mkdirSync(fsPath(dir), { recursive: true });
      if (symbolic) fs.symlinkSync(toUtf8(self), fsPath(target));
      else fs.linkSync(toUtf8(self), fsPath(target));
    } catch (err) {
      if ((err as { code?: string }).code === 'EEXIST') continue;
      await io.stderr.write(`toolbox: ${target}: ${errorText(err)}\n`);
      status = 1;
    }
  }
  return status;
}
