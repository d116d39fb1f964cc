// Issue 3 (text tools): sort of a 100 MB file (plain, -n, -k2), and wc -l and tail -n of a 1 GiB
// file, each side by side with GNU coreutils and BusyBox.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** 100 MB of lines like "48213 kovela tamu 7731": a number, two words from a 2000-word vocabulary,
 *  another number; deterministic, so runs are comparable. */
function sortInput(env) {
  const p = path.join(env.work, 'sort-100m.txt');
  const size = 100 * 1024 * 1024;
  if (fs.existsSync(p) && fs.statSync(p).size >= size) return p;
  let seed = 12345;
  const rand = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'be', 'do', 'fu', 'gi', 'ha', 'ju', 'pe', 'so'];
  const vocabulary = Array.from({ length: 2000 }, () => Array.from({ length: 2 + rand(3) }, () => syllables[rand(16)]).join(''));
  const fd = fs.openSync(`${p}.tmp`, 'w');
  let written = 0;
  while (written < size) {
    let chunk = '';
    for (let i = 0; i < 20000; i++) chunk += `${rand(100000)} ${vocabulary[rand(2000)]} ${vocabulary[rand(2000)]} ${rand(10000)}\n`;
    written += fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  fs.renameSync(`${p}.tmp`, p);
  return p;
}

export function groups(env) {
  const sortFile = path.join(env.work, 'sort-100m.txt');
  const big = path.join(env.work, 'text-1g.txt');
  const sortSetup = () => sortInput(env);
  const bigSetup = () => env.file('text-1g.txt', 1024 ** 3, 'text');
  const sortGroup = (name, flags) => ({
    name,
    reference: 'GNU sort',
    setup: sortSetup,
    runs: 2,
    memory: true,
    commands: [
      { label: 'toolbox sort', cmd: `${env.tb('sort')} ${flags} ${sortFile} > /dev/null`, shell: true },
      { label: 'GNU sort', cmd: `/usr/bin/sort ${flags} ${sortFile} > /dev/null`, shell: true },
      { label: 'GNU sort --parallel=1', cmd: `/usr/bin/sort --parallel=1 ${flags} ${sortFile} > /dev/null`, shell: true },
      { label: 'busybox sort', cmd: `busybox sort ${flags} ${sortFile} > /dev/null`, shell: true, needs: 'busybox' },
    ],
  });
  return [
    sortGroup('sort 100 MB', ''),
    sortGroup('sort -n 100 MB', '-n'),
    sortGroup('sort -k2 100 MB', '-k2'),
    {
      name: 'wc -l 1 GiB',
      reference: 'GNU wc',
      setup: bigSetup,
      memory: true,
      commands: [
        { label: 'toolbox wc -l', cmd: `${env.tb('wc')} -l ${big}` },
        { label: 'GNU wc', cmd: `/usr/bin/wc -l ${big}` },
        { label: 'busybox wc', cmd: `busybox wc -l ${big}`, needs: 'busybox' },
      ],
    },
    {
      name: 'tail -n 10 1 GiB',
      reference: 'GNU tail',
      setup: bigSetup,
      runs: 20,
      commands: [
        { label: 'toolbox tail -n 10', cmd: `${env.tb('tail')} -n 10 ${big}` },
        { label: 'GNU tail', cmd: `/usr/bin/tail -n 10 ${big}` },
        { label: 'busybox tail', cmd: `busybox tail -n 10 ${big}`, needs: 'busybox' },
      ],
    },
    {
      name: 'tail -n 10 1 GiB through a pipe',
      reference: 'GNU tail',
      setup: bigSetup,
      commands: [
        { label: 'toolbox tail -n 10', cmd: `/bin/cat ${big} | ${env.tb('tail')} -n 10`, shell: true },
        { label: 'GNU tail', cmd: `/bin/cat ${big} | /usr/bin/tail -n 10`, shell: true },
        { label: 'busybox tail', cmd: `/bin/cat ${big} | busybox tail -n 10`, shell: true, needs: 'busybox' },
      ],
    },
  ];
}
