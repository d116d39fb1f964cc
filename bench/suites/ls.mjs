// Issue 3: the file tools over a 100k-file tree, against GNU (coreutils, findutils) and BusyBox.
// Every command writes to /dev/null in the C locale and UTC, start-up included.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** 10 × 10 directories of 1000 files each (100,000 files), some with contents; made once. */
function makeTree(dir) {
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  for (let a = 0; a < 10; a++) {
    for (let b = 0; b < 10; b++) {
      const d = path.join(dir, `dir${a}`, `sub${b}`);
      fs.mkdirSync(d, { recursive: true });
      for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(d, `file${i}.${i % 3 ? 'txt' : 'c'}`), i % 10 ? '' : 'x'.repeat(i));
    }
  }
  fs.writeFileSync(done, '');
}

export function groups(env) {
  const tree = path.join(env.work, 'tree-100k');
  const setup = () => makeTree(tree);
  const c = (cmd) => `LC_ALL=C TZ=UTC ${cmd} > /dev/null`;
  const group = (name, reference, rows) => ({
    name,
    reference,
    setup,
    memory: true,
    commands: rows.map(([label, cmd, needs]) => ({ label, cmd: c(cmd), shell: true, ...(needs ? { needs } : {}) })),
  });
  return [
    group('ls -lR 100k files', 'GNU ls', [
      ['toolbox ls', `${env.tb('ls')} -lR ${tree}`],
      ['GNU ls', `/bin/ls -lR ${tree}`],
      ['busybox ls', `busybox ls -lR ${tree}`, 'busybox'],
    ]),
    group('ls -R 100k files', 'GNU ls', [
      ['toolbox ls', `${env.tb('ls')} -R ${tree}`],
      ['GNU ls', `/bin/ls -R ${tree}`],
      ['busybox ls', `busybox ls -R ${tree}`, 'busybox'],
    ]),
    group('find 100k files', 'GNU find', [
      ['toolbox find', `${env.tb('find')} ${tree}`],
      ['GNU find', `/usr/bin/find ${tree}`],
      ['busybox find', `busybox find ${tree}`, 'busybox'],
    ]),
    group("find -name '*5*.c' 100k files", 'GNU find', [
      ['toolbox find', `${env.tb('find')} ${tree} -name '*5*.c'`],
      ['GNU find', `/usr/bin/find ${tree} -name '*5*.c'`],
      ['busybox find', `busybox find ${tree} -name '*5*.c'`, 'busybox'],
    ]),
    group('find -type f -size +0 100k files', 'GNU find', [
      ['toolbox find', `${env.tb('find')} ${tree} -type f -size +0`],
      ['GNU find', `/usr/bin/find ${tree} -type f -size +0`],
      ['busybox find', `busybox find ${tree} -type f -size +0`, 'busybox'],
    ]),
    group('du -s 100k files', 'GNU du', [
      ['toolbox du', `${env.tb('du')} -s ${tree}`],
      ['GNU du', `/usr/bin/du -s ${tree}`],
      ['busybox du', `busybox du -s ${tree}`, 'busybox'],
    ]),
  ];
}
