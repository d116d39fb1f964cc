// Issue 3: grep and sed through 1 GiB of text, side by side with GNU grep/sed and BusyBox (which
// takes a minute or more per run here: two runs per command).
import * as fs from 'node:fs';
import * as path from 'node:path';

const GIB = 1024 ** 3;

/** 1 GiB of varied text lines (words, numbers, punctuation), made once: a literal appears in a few
 *  lines out of a hundred, so the searches measure scanning, not printing. */
function makeText(file) {
  if (fs.existsSync(file) && fs.statSync(file).size === GIB) return;
  const words = 'the quick brown fox jumps over lazy dog alpha beta gamma delta error warning info debug request response server client timeout retry'.split(' ');
  let seed = 12345;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const lines = [];
  for (let i = 0; i < 20000; i++) {
    const n = 4 + rnd(10);
    const parts = [];
    for (let j = 0; j < n; j++) parts.push(rnd(7) === 0 ? String(rnd(100000)) : words[rnd(words.length)]);
    if (rnd(50) === 0) parts.push('zanzibar');
    lines.push(`${parts.join(' ')}${rnd(3) === 0 ? ',' : '.'}`);
  }
  const block = Buffer.from(lines.join('\n') + '\n');
  const fd = fs.openSync(`${file}.tmp`, 'w');
  for (let left = GIB; left > 0; left -= block.length) fs.writeSync(fd, block, 0, Math.min(left, block.length));
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
}

export function groups(env) {
  const file = path.join(env.work, 'text-1g.txt');
  const setup = () => makeText(file);
  // Output to a pipe, not /dev/null: GNU grep stops at the first match when it sees /dev/null (and
  // the pipeline's status is cat's, so a search that finds nothing is no failure).
  const piped = (name, args) => ({
    name,
    reference: `GNU ${args[0]}`,
    setup,
    runs: 2,
    commands: [
      { label: `toolbox ${args.join(' ')}`, cmd: `${env.tb(args[0])} ${args.slice(1).join(' ')} ${file} | /bin/cat > /dev/null`, shell: true },
      { label: `GNU ${args[0]}`, cmd: `/bin/${args[0]} ${args.slice(1).join(' ')} ${file} | /bin/cat > /dev/null`, shell: true },
      { label: `busybox ${args[0]}`, cmd: `busybox ${args.join(' ')} ${file} | /bin/cat > /dev/null`, shell: true, needs: 'busybox' },
    ],
  });
  return [
    piped('grep literal 1 GiB', ['grep', 'zanzibar']),
    piped("grep regex 1 GiB", ['grep', "'[0-9][0-9][0-9][0-9][0-9] [a-z]*ing'"]),
    piped('grep -E alternation 1 GiB', ['grep', '-E', "'timeout|retry'"]),
    piped('grep -c literal 1 GiB', ['grep', '-c', 'zanzibar']),
    piped('grep -c regex 1 GiB', ['grep', '-c', "'er[a-z]* [0-9]'"]),
    piped('grep -v literal 1 GiB', ['grep', '-v', 'the']),
    piped('grep -i literal 1 GiB', ['grep', '-i', 'ZANZIBAR']),
    piped('sed s/x/y/ 1 GiB', ['sed', 's/the/THE/']),
    piped('sed s/re/y/g 1 GiB', ['sed', "'s/[0-9][0-9]*/N/g'"]),
  ];
}
