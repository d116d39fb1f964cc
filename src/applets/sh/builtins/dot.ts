// `. FILE [ARGS]` and `source FILE [ARGS]`: run a file's commands in this shell. A name without a
// slash is searched on PATH (then the current directory, as ash does). ARGS become $1... while the
// file runs (ash; dash ignores them).
import * as fs from 'node:fs';
import { fsPath } from '../../../core/bytes.js';
import { errorCode, strerror } from '../../../core/errors.js';
import { DEFAULT_PATH } from '../external.js';
import { runText } from '../script.js';
import { type Shell, Skip } from '../shell.js';
import type { Builtin } from './index.js';

/** The first regular file named `name` in a PATH directory: `.` needs it readable, not executable. */
function findSourceFile(sh: Shell, name: string): string | undefined {
  for (const dir of (sh.get('PATH') ?? DEFAULT_PATH).split(':')) {
    const candidate = `${(dir === '' ? '.' : dir).replace(/\/+$/, '')}/${name}`;
    try {
      if (fs.statSync(fsPath(sh.path(candidate))).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export default {
  special: true,
  run(sh, argv) {
    const name = argv[0]!;
    const file = argv[1];
    if (file === undefined) return 0;
    let path = file;
    if (!file.includes('/')) {
      const found = findSourceFile(sh, file);
      if (found === undefined && !fs.existsSync(fsPath(sh.path(file)))) throw sh.error(`${file}: not found`, name);
      path = found ?? file;
    }
    let text: string;
    try {
      text = fs.readFileSync(fsPath(sh.path(path))).toString('latin1');
    } catch (err) {
      throw sh.error(`can't open '${file}': ${strerror(errorCode(err) ?? 'EIO')}`, name);
    }
    const savedParams = sh.params;
    const savedName = sh.commandName;
    const savedLine = sh.lineno;
    if (argv.length > 2) sh.params = argv.slice(2);
    sh.commandName = file;
    sh.sourceDepth++;
    const finish = () => {
      sh.sourceDepth--;
      sh.commandName = savedName;
      sh.lineno = savedLine;
      if (argv.length > 2) sh.params = savedParams;
      if (sh.skip === Skip.Return) {
        sh.skip = Skip.None;
        sh.skipCount = 0;
      }
      return sh.status;
    };
    let r: number | Promise<number>;
    try {
      r = runText(sh, text, { firstLine: 1 });
    } catch (err) {
      finish();
      throw err;
    }
    if (typeof r !== 'number') return r.then(finish, (err) => {
      finish();
      throw err;
    });
    return finish();
  },
} satisfies Builtin;
