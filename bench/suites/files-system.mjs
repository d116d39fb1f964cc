// Issue 3, files and system applets: start-up of small applets, and the tree and data work of
// cp, rm and chmod, side by side with GNU coreutils and BusyBox. bench/run.mjs has no per-run
// preparation, so the tree benchmarks pair each copy with a removal (and each removal with a GNU
// copy): the shared half is the same for every row, which understates the differences.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A tree of `dirs` directories with `files` small files each, made once. */
function tree(env, name, dirs, files) {
  const root = path.join(env.work, name);
  const done = path.join(root, '.complete');
  if (fs.existsSync(done)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  for (let d = 0; d < dirs; d++) {
    const dir = path.join(root, `dir${d}`, 'sub');
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < files; f++) fs.writeFileSync(path.join(dir, `file${f}.txt`), `file ${d}/${f}\n`.repeat(4));
    fs.symlinkSync('sub', path.join(root, `dir${d}`, 'link'));
  }
  fs.writeFileSync(done, '');
  return root;
}

export function groups(env) {
  const src = path.join(env.work, 'fs-tree');
  const dst = path.join(env.work, 'fs-tree.copy');
  const setupTree = () => tree(env, 'fs-tree', 100, 50); // 5 000 files, 300 directories, 100 links
  const big = path.join(env.work, 'cp-1g.bin');
  const bigCopy = path.join(env.work, 'cp-1g.copy');
  const gnu = (tool) => execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  const GNU_CP = gnu('cp');
  const GNU_RM = gnu('rm');
  const empty = path.join(env.work, 'empty.js');
  fs.writeFileSync(empty, '');
  const floor = { label: 'node empty script (floor)', cmd: `${env.node} ${empty}` };
  return [
    {
      name: 'startup: basename',
      runs: 20,
      reference: floor.label,
      commands: [
        { label: 'toolbox basename', cmd: `${env.tb('basename')} /usr/lib/x.so .so` },
        floor,
        { label: 'GNU basename', cmd: `${gnu('basename')} /usr/lib/x.so .so` },
        { label: 'busybox basename', cmd: 'busybox basename /usr/lib/x.so .so', needs: 'busybox' },
      ],
    },
    {
      name: 'startup: id',
      runs: 20,
      reference: floor.label,
      commands: [
        { label: 'toolbox id', cmd: env.tb('id') },
        floor,
        { label: 'GNU id', cmd: gnu('id') },
        { label: 'busybox id', cmd: 'busybox id', needs: 'busybox' },
      ],
    },
    {
      name: 'cp -a tree (5k files), then GNU rm -rf',
      runs: 6,
      reference: 'GNU cp',
      setup: setupTree,
      commands: [
        { label: 'toolbox cp', cmd: `${env.tb('cp')} -a ${src} ${dst} && ${GNU_RM} -rf ${dst}`, shell: true },
        { label: 'GNU cp', cmd: `${GNU_CP} -a ${src} ${dst} && ${GNU_RM} -rf ${dst}`, shell: true },
        { label: 'busybox cp', cmd: `busybox cp -a ${src} ${dst} && ${GNU_RM} -rf ${dst}`, shell: true, needs: 'busybox' },
      ],
    },
    {
      name: 'rm -rf tree (5k files), after GNU cp -a',
      runs: 6,
      reference: 'GNU rm',
      setup: setupTree,
      commands: [
        { label: 'toolbox rm', cmd: `${GNU_CP} -a ${src} ${dst} && ${env.tb('rm')} -rf ${dst}`, shell: true },
        { label: 'GNU rm', cmd: `${GNU_CP} -a ${src} ${dst} && ${GNU_RM} -rf ${dst}`, shell: true },
        { label: 'busybox rm', cmd: `${GNU_CP} -a ${src} ${dst} && busybox rm -rf ${dst}`, shell: true, needs: 'busybox' },
      ],
    },
    {
      name: 'chmod -R tree (5k files)',
      runs: 6,
      reference: 'GNU chmod',
      setup: setupTree,
      commands: [
        { label: 'toolbox chmod', cmd: `${env.tb('chmod')} -R u+w ${src}` },
        { label: 'GNU chmod', cmd: `${gnu('chmod')} -R u+w ${src}` },
        { label: 'busybox chmod', cmd: `busybox chmod -R u+w ${src}`, needs: 'busybox' },
      ],
    },
    {
      name: 'cp 1 GiB file',
      runs: 4,
      reference: 'GNU cp',
      memory: true,
      setup: () => env.file('cp-1g.bin', 1024 ** 3),
      commands: [
        { label: 'toolbox cp', cmd: `${env.tb('cp')} ${big} ${bigCopy}` },
        { label: 'GNU cp', cmd: `${GNU_CP} ${big} ${bigCopy}` },
        { label: 'busybox cp', cmd: `busybox cp ${big} ${bigCopy}`, needs: 'busybox' },
      ],
    },
  ];
}
