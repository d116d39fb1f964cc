// Issue 7: apk. apk-tools is not installable here (not in Debian, not on npm), so each group names
// the apk-tools 2.14.10 timings measured for the issue; the ratio column is to the bare-node floor.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const COUNT = 50;

export async function groups(env) {
  const dir = path.join(env.work, 'apk');
  const repo = path.join(dir, 'repo');
  const keys = path.join(dir, 'keys');
  const template = path.join(dir, 'installed-template');
  const corpus = path.resolve(env.root, '../shared/corpus/apk');
  const index316 = path.join(corpus, 'v3.16-main-x86_64-APKINDEX.tar.gz');
  const repo316 = path.join(dir, 'repo316');
  const names = Array.from({ length: COUNT }, (_, i) => `bench${String(i).padStart(2, '0')}`);
  const empty = path.join(env.work, 'empty.js');
  fs.writeFileSync(empty, '');
  let server;
  let url;

  async function setupRepo() {
    if (url) return;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // the test suite's fixture builder (abuild's format, signed with node:crypto), bundled once
    const builderJs = path.join(dir, 'builder.mjs');
    execFileSync(path.join(env.root, 'node_modules/.bin/esbuild'), [
      path.join(env.root, 'test/applets/apk/builder.ts'),
      '--bundle', '--platform=node', '--format=esm', `--outfile=${builderJs}`, '--log-level=warning',
    ]);
    const b = await import(pathToFileURL(builderJs).href);
    const key = b.signingKey();
    b.writeKeysDir(key, keys);
    await b.buildRepo(
      repo,
      names.map((name, i) => ({
        name,
        version: '1.0-r0',
        depends: i ? [names[i - 1]] : [],
        files: { [`usr/share/${name}/data.txt`]: `${name}\n`.repeat(20), [`usr/bin/${name}`]: { data: `#!/bin/sh\necho ${name}\n`, mode: 0o755 } },
      })),
    );
    // a loopback HTTP server in its own process (hyperfine blocks this one)
    server = spawn(env.node, ['-e', SERVER, repo], { stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(String(d).trim())));
    fs.writeFileSync(path.join(dir, 'port'), url.slice(url.lastIndexOf(':') + 1));
    process.on('exit', () => server.kill());
    // a root with all of them installed, copied before each `del`
    execFileSync(env.tb('apk'), ['--root', template, '--initdb', '--keys-dir', keys, '-X', url, '--no-progress', '-q', 'add', ...names]);
    fs.mkdirSync(path.join(repo316, 'x86_64'), { recursive: true });
    if (fs.existsSync(index316)) fs.copyFileSync(index316, path.join(repo316, 'x86_64/APKINDEX.tar.gz'));
  }

  const root = path.join(dir, 'root');
  // the server's port is known only after setup: commands read it from a file
  const repoUrl = `http://127.0.0.1:$(cat ${path.join(dir, 'port')})`;
  const apk = env.tb('apk');
  return [
    {
      name: `apk: --initdb add ${COUNT} small packages from loopback HTTP (apk-tools 2.14.10 measured: 72–98 ms)`,
      setup: setupRepo,
      reference: 'node empty script (floor)',
      commands: [
        {
          label: 'toolbox apk add',
          cmd: `rm -rf ${root} && ${apk} --root ${root} --initdb --keys-dir ${keys} -X ${repoUrl} --no-progress -q add ${names.join(' ')}`,
          shell: true,
        },
        { label: 'node empty script (floor)', cmd: `${env.node} ${empty}` },
      ],
    },
    {
      name: `apk: del ${COUNT} packages (apk-tools 2.14.10 measured: 143 ms; ours includes a cp -a of the root)`,
      setup: setupRepo,
      reference: 'node empty script (floor)',
      commands: [
        {
          label: 'toolbox apk del',
          cmd: `rm -rf ${root} && cp -a ${template} ${root} && ${apk} --root ${root} --keys-dir ${keys} -X ${repoUrl} -q del ${names.join(' ')}`,
          shell: true,
        },
        { label: 'cp -a of the root alone', cmd: `rm -rf ${root} && cp -a ${template} ${root}`, shell: true },
        { label: 'node empty script (floor)', cmd: `${env.node} ${empty}` },
      ],
    },
    {
      name: 'apk: real v3.16 index, solve alpine-base (-s) (apk-tools 2.14.10 measured: 47–86 ms)',
      setup: setupRepo,
      reference: 'node empty script (floor)',
      commands: [
        {
          label: 'toolbox apk -s add alpine-base',
          cmd: `${apk} --root ${template} --keys-dir ${corpus}/keys -X ${repo316} -s add alpine-base`,
        },
        { label: 'node empty script (floor)', cmd: `${env.node} ${empty}` },
      ],
    },
  ];
}

const SERVER = `
const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
const dir = process.argv[1];
const s = http.createServer((req, res) => {
  const f = path.join(dir, path.normalize(decodeURIComponent(req.url.split('?')[0])));
  fs.readFile(f, (err, data) => err ? res.writeHead(404).end() : res.writeHead(200, { 'content-length': data.length }).end(data));
});
s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port));
`;
