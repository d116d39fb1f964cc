// Name lists from files: -T (names to archive or extract) and -X (exclude patterns), one per line,
// or NUL-terminated with --null; `-` is standard input.
import * as fs from 'node:fs';
import { fsPath } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorText } from '../../core/errors.js';
import { readAll } from '../../core/io.js';

export async function readPatternFile(ctx: Ctx, file: string, nul: boolean): Promise<string[]> {
  let text: string;
  try {
    text = (file === '-' ? await readAll(ctx.stdin) : fs.readFileSync(fsPath(ctx.path(file)))).toString('latin1');
  } catch (err) {
    throw new AppletError(`${file}: Cannot open: ${errorText(err)}`, 2);
  }
  return text.split(nul ? '\0' : '\n').map((l) => (nul ? l : l.replace(/\r$/, ''))).filter((l) => l !== '');
}
