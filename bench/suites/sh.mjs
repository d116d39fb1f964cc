// Issue 6: the shell workloads of ../shared/bench/sh/ through toolbox sh, dash and busybox sh, side
// by side (a: $(( )) loop, b: function calls, c: ${x#...} string work, d: $(echo x), e: external
// /bin/true, f: 200 MB through cat | cat).
import * as fs from 'node:fs';
import * as path from 'node:path';

export function groups(env) {
  const dir = path.resolve(env.root, '../shared/bench/sh');
  if (!fs.existsSync(dir)) return [];
  const scripts = fs.readdirSync(dir).filter((f) => f.endsWith('.sh')).sort();
  return scripts.map((script) => {
    const file = path.join(dir, script);
    const pipe = script.startsWith('f_');
    const arg = pipe ? ` ${path.join(env.work, 'sh-pipe-200m.bin')}` : '';
    return {
      name: `sh: ${script.replace(/\.sh$/, '')}`,
      reference: 'dash',
      runs: script.startsWith('e_') ? 3 : 6,
      setup: pipe ? () => env.file('sh-pipe-200m.bin', 200 * 1024 * 1024, 'text') : undefined,
      commands: [
        { label: 'toolbox sh', cmd: `${env.tb('sh')} ${file}${arg}` },
        { label: 'dash', cmd: `dash ${file}${arg}`, needs: 'dash' },
        { label: 'busybox sh', cmd: `busybox sh ${file}${arg}`, needs: 'busybox' },
      ],
    };
  });
}
