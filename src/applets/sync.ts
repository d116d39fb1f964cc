// sync as GNU has it. Node can fsync and fdatasync a file but has no sync(2) or syncfs(2): with
// FILEs each is flushed (-d: data only; -f: the file itself, standing in for its file system);
// without, the system's sync program does it when there is one, else sync says why it cannot.
import * as fs from 'node:fs';
import { defineApplet } from '../core/applet.js';
import { fsPath } from '../core/bytes.js';
import { AppletError, errorCode } from '../core/errors.js';
import { DEFAULT_PATH } from '../core/process.js';
import { quoteaf } from '../core/quote.js';

/** The system's sync, if any (not this executable, which would come back here). */
function systemSync(self: string | undefined): string | undefined {
  const selfReal = self ? safeRealpath(self) : undefined;
  for (const dir of DEFAULT_PATH.split(':')) {
    const candidate = `${dir}/sync`;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (safeRealpath(candidate) !== selfReal) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(fsPath(p), { encoding: 'latin1' });
  } catch {
    return undefined;
  }
}

export default defineApplet({
  name: 'sync',
  summary: 'Synchronize cached writes to persistent storage',
  usage: 'sync [OPTION] [FILE]...',
  help: '-d, --data\t\tSync only file data, no unneeded metadata\n-f, --file-system\tSync the file systems that contain the files',
  options: { d: { long: 'data' }, f: { long: 'file-system' } },
  async run(ctx) {
    const { opts, operands } = ctx;
    if (opts.d && opts.f) throw new AppletError('cannot specify both --data and --file-system');
    if (opts.d && operands.length === 0) throw new AppletError('--data needs at least one argument');
    if (operands.length === 0) {
      const tool = systemSync(ctx.host.self.length === 1 ? ctx.host.self[0] : undefined);
      if (!tool) throw new AppletError('no system sync program to flush all file systems (Node has no sync(2)); name the files to sync');
      return ctx.exec([tool]);
    }
    let status = 0;
    for (const name of operands) {
      const abs = fsPath(ctx.path(name));
      let fd: number;
      try {
        fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      } catch (err) {
        const code = errorCode(err);
        try {
          if (code !== 'EACCES' && code !== 'EISDIR') throw err;
          fd = fs.openSync(abs, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
        } catch {
          status = await ctx.warn(err, `error opening ${quoteaf(name)}`);
          continue;
        }
      }
      try {
        if (opts.d) fs.fdatasyncSync(fd);
        else fs.fsyncSync(fd);
      } catch (err) {
        status = await ctx.warn(err, `error syncing ${quoteaf(name)}`);
      } finally {
        fs.closeSync(fd);
      }
    }
    return status;
  },
});
