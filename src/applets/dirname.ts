// dirname as GNU has it (gnulib's dir_len): each NAME without its last component.
import { defineApplet } from '../core/applet.js';
import { UsageError } from '../core/errors.js';
import { OutBuffer } from '../core/io.js';

/** The directory part of a name: `.` when there is none, slashes before the last component dropped
 *  (but a leading `/` kept). */
export function dirName(name: string): string {
  let end = name.length;
  while (end > 1 && name[end - 1] === '/') end--; // trailing slashes belong to the last component
  end = name.lastIndexOf('/', end - 1) + 1; // the start of the last component
  if (end === 0) return '.';
  while (end > 1 && name[end - 1] === '/') end--;
  return name.slice(0, end);
}

export default defineApplet({
  name: 'dirname',
  summary: 'Print each NAME with its last non-slash component and trailing slashes removed',
  usage: 'dirname [OPTION] NAME...',
  help: '-z, --zero\tEnd each output line with NUL, not newline\n\nIf NAME contains no /\'s, output \'.\' (meaning the current directory).',
  options: { z: { long: 'zero' } },
  async run(ctx) {
    if (ctx.operands.length === 0) throw new UsageError('missing operand');
    const end = ctx.opts.z ? '\0' : '\n';
    const out = new OutBuffer(ctx.stdout);
    for (const name of ctx.operands) await out.put(dirName(name) + end);
    await out.flush();
    return 0;
  },
});
