// Issue 4: tar against GNU tar, bsdtar, BusyBox tar and node-tar (the npm `tar` package), side by
// side: create and extract a tree of 50k small files plus a few large ones, plain and with -z,
// and list a 1 GiB archive. Targets: within 1.3× of GNU tar's wall time, ≥3× faster than node-tar.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function groups(env) {
  const tree = path.join(env.work, 'tar-tree');
  const nodeTar = path.join(env.root, 'node_modules/tar');
  const small = path.join(env.work, 'tar-small.tar');
  const smallGz = path.join(env.work, 'tar-small.tar.gz');
  const big = path.join(env.work, 'tar-1g.tar');
  const out = (name) => path.join(env.work, `tar-out-${name}`);

  // 50 000 files of 100 B to 4 KiB in 500 directories, and three 20 MB text files
  const setupTree = () => {
    const marker = path.join(tree, '.complete');
    if (!fs.existsSync(marker)) {
      fs.rmSync(tree, { recursive: true, force: true });
      const line = 'the quick brown fox jumps over the lazy dog 0123456789\n';
      for (let d = 0; d < 500; d++) {
        const dir = path.join(tree, `d${Math.floor(d / 50)}`, `sub${d}`);
        fs.mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `file${f}.txt`), line.repeat(2 + ((d * 100 + f) % 70)));
      }
      fs.mkdirSync(path.join(tree, 'large'), { recursive: true });
      for (let i = 0; i < 3; i++) fs.copyFileSync(env.file('tar-large.txt', 20 * 1024 * 1024, 'text'), path.join(tree, 'large', `large${i}.txt`));
      fs.writeFileSync(marker, '');
    }
    if (!fs.existsSync(small)) execFileSync('tar', ['-cf', small, '-C', env.work, 'tar-tree']);
    if (!fs.existsSync(smallGz)) execFileSync('tar', ['-czf', smallGz, '-C', env.work, 'tar-tree']);
    for (const name of ['ours', 'gnu', 'bsdtar', 'busybox', 'node-tar']) fs.mkdirSync(out(name), { recursive: true });
  };
  const setupBig = () => {
    if (fs.existsSync(big)) return;
    const dir = path.join(env.work, 'tar-1g');
    fs.mkdirSync(dir, { recursive: true });
    const file = env.file('tar-256m.bin', 256 * 1024 * 1024);
    for (let i = 0; i < 4; i++) if (!fs.existsSync(path.join(dir, `part${i}`))) fs.linkSync(file, path.join(dir, `part${i}`));
    // hard links would be stored once: write distinct members by archiving the file four times
    execFileSync('sh', ['-c', `tar -cf ${big} -C ${path.dirname(file)} ${path.basename(file)} && for i in 1 2 3; do tar -rf ${big} -C ${path.dirname(file)} ${path.basename(file)}; done`]);
  };

  const node = (script) => `${env.node} -e ${JSON.stringify(`const tar=require(${JSON.stringify(nodeTar)});${script}`)}`;
  const create = (gz) => {
    const ext = gz ? 'tar.gz' : 'tar';
    const z = gz ? 'z' : '';
    return [
      { label: 'toolbox tar', cmd: `${env.tb('tar')} -c${z}f ${out('ours')}/c.${ext} -C ${env.work} tar-tree` },
      { label: 'GNU tar', cmd: `tar -c${z}f ${out('gnu')}/c.${ext} -C ${env.work} tar-tree` },
      { label: 'bsdtar', cmd: `bsdtar -c${z}f ${out('bsdtar')}/c.${ext} -C ${env.work} tar-tree`, needs: 'bsdtar' },
      { label: 'busybox tar', cmd: `busybox tar -c${z}f ${out('busybox')}/c.${ext} -C ${env.work} tar-tree`, needs: 'busybox' },
      { label: 'node-tar', cmd: node(`tar.c({file:${JSON.stringify(`${out('node-tar')}/c.${ext}`)},cwd:${JSON.stringify(env.work)},gzip:${gz}},['tar-tree'])`) },
    ];
  };
  // Extraction over the previous run's tree: every tool replaces 50k existing files each run.
  const extract = (gz) => {
    const archive = gz ? smallGz : small;
    const z = gz ? 'z' : '';
    return [
      { label: 'toolbox tar', cmd: `${env.tb('tar')} -x${z}f ${archive} -C ${out('ours')}` },
      { label: 'GNU tar', cmd: `tar -x${z}f ${archive} -C ${out('gnu')}` },
      { label: 'bsdtar', cmd: `bsdtar -x${z}f ${archive} -C ${out('bsdtar')}`, needs: 'bsdtar' },
      { label: 'busybox tar', cmd: `busybox tar -x${z}f ${archive} -C ${out('busybox')}`, needs: 'busybox' },
      { label: 'node-tar', cmd: node(`tar.x({file:${JSON.stringify(archive)},cwd:${JSON.stringify(out('node-tar'))}})`) },
    ];
  };
  return [
    { name: 'tar create 50k files + 60 MB', runs: 3, reference: 'GNU tar', setup: setupTree, commands: create(false) },
    { name: 'tar create -z 50k files + 60 MB', runs: 3, reference: 'GNU tar', setup: setupTree, commands: create(true) },
    { name: 'tar extract 50k files + 60 MB', runs: 3, reference: 'GNU tar', setup: setupTree, commands: extract(false) },
    { name: 'tar extract -z 50k files + 60 MB', runs: 3, reference: 'GNU tar', setup: setupTree, commands: extract(true) },
    {
      name: 'tar list 1 GiB archive (-tvf)',
      runs: 6,
      reference: 'GNU tar',
      setup: setupBig,
      memory: true,
      commands: [
        { label: 'toolbox tar', cmd: `${env.tb('tar')} -tvf ${big}`, shell: true },
        { label: 'GNU tar', cmd: `tar -tvf ${big}` },
        { label: 'bsdtar', cmd: `bsdtar -tvf ${big}`, needs: 'bsdtar' },
        { label: 'busybox tar', cmd: `busybox tar -tvf ${big}`, needs: 'busybox' },
        { label: 'node-tar', cmd: node(`tar.t({file:${JSON.stringify(big)},onReadEntry:e=>{}})`) },
      ],
    },
  ];
}
