// Issue 2: start-up and cat throughput.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function groups(env) {
  const empty = path.join(env.work, 'empty.js');
  fs.writeFileSync(empty, '');
  const small = path.join(env.work, 'small.txt');
  fs.writeFileSync(small, 'hello\n'.repeat(10));
  const big = path.join(env.work, 'cat-4g.bin');
  const setup = () => env.file('cat-4g.bin', 4 * 1024 ** 3);
  return [
    {
      name: 'startup: true',
      runs: 30,
      reference: 'node empty script (floor)',
      commands: [
        { label: 'toolbox true', cmd: env.tb('true') },
        { label: 'node empty script (floor)', cmd: `${env.node} ${empty}` },
        { label: 'busybox true', cmd: 'busybox true', needs: 'busybox' },
        { label: 'GNU true', cmd: '/bin/true' },
      ],
    },
    {
      name: 'startup: cat small file',
      runs: 30,
      reference: 'node empty script (floor)',
      commands: [
        { label: 'toolbox cat', cmd: `${env.tb('cat')} ${small}` },
        { label: 'node empty script (floor)', cmd: `${env.node} ${empty}` },
        { label: 'busybox cat', cmd: `busybox cat ${small}`, needs: 'busybox' },
        { label: 'GNU cat', cmd: `/bin/cat ${small}` },
      ],
    },
    {
      name: 'cat 4 GiB file -> /dev/null',
      reference: 'GNU cat',
      setup,
      memory: true,
      commands: [
        { label: 'toolbox cat', cmd: `${env.tb('cat')} ${big} > /dev/null`, shell: true },
        { label: 'GNU cat', cmd: `/bin/cat ${big} > /dev/null`, shell: true },
        { label: 'busybox cat', cmd: `busybox cat ${big} > /dev/null`, shell: true, needs: 'busybox' },
      ],
    },
    {
      name: 'cat 4 GiB file -> pipe',
      reference: 'GNU cat',
      setup,
      memory: true,
      commands: [
        { label: 'toolbox cat', cmd: `${env.tb('cat')} ${big} | /bin/cat > /dev/null`, shell: true },
        { label: 'GNU cat', cmd: `/bin/cat ${big} | /bin/cat > /dev/null`, shell: true },
        { label: 'busybox cat', cmd: `busybox cat ${big} | /bin/cat > /dev/null`, shell: true, needs: 'busybox' },
      ],
    },
    {
      name: 'cat 4 GiB pipe -> pipe',
      reference: 'GNU cat',
      setup,
      memory: true,
      commands: [
        { label: 'toolbox cat', cmd: `/bin/cat ${big} | ${env.tb('cat')} | /bin/cat > /dev/null`, shell: true },
        { label: 'GNU cat', cmd: `/bin/cat ${big} | /bin/cat | /bin/cat > /dev/null`, shell: true },
        { label: 'busybox cat', cmd: `/bin/cat ${big} | busybox cat | /bin/cat > /dev/null`, shell: true, needs: 'busybox' },
      ],
    },
  ];
}
