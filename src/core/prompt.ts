// Yes/no questions on stderr, answered by a line of stdin (GNU's yesno(), BusyBox's
// bb_ask_y_confirmation): `y` or `Y` first means yes; anything else, or end of input, means no.
import type { Ctx } from './context.js';
import { readLines } from './io.js';

/** Ask `question` (written as is, without a newline) and read one line of the answer. Only that
 *  line is consumed; the rest of stdin is left for the next question. */
export async function askYesNo(ctx: Pick<Ctx, 'stdin' | 'stderr'>, question: string): Promise<boolean> {
  await ctx.stderr.write(question);
  for await (const line of readLines(ctx.stdin)) return line.startsWith('y') || line.startsWith('Y');
  return false;
}
