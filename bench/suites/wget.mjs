// Issue 5: wget against GNU wget, BusyBox wget and curl, all from one nginx on loopback (started
// here with its own configuration under $BENCH_DIR, stopped when the benchmark exits).
// 1 GiB to a file, 1 GiB to /dev/null, 500 files of 10 KB in one invocation. The user and sys
// columns of the 1 GiB rows are the CPU cost per GiB.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

const SMALL_FILES = 500;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not start on port ${port}`);
}

export async function groups(env) {
  if (!env.have('nginx')) return [];
  const port = await freePort();
  const base = path.join(env.work, 'wget');
  const www = path.join(base, 'www');
  const url = `http://127.0.0.1:${port}`;
  const list = path.join(base, 'list.txt');
  const outDir = path.join(base, 'out');
  const outFile = path.join(base, 'out.bin');
  let started;

  const setup = () =>
    (started ??= (async () => {
      fs.mkdirSync(path.join(www, 'small'), { recursive: true });
      fs.mkdirSync(path.join(base, 'tmp'), { recursive: true });
      const big = env.file('wget-1g.bin', 1024 ** 3);
      fs.rmSync(path.join(www, 'big.bin'), { force: true });
      fs.symlinkSync(big, path.join(www, 'big.bin'));
      const small = Buffer.alloc(10 * 1024, 'x');
      const urls = [];
      for (let i = 0; i < SMALL_FILES; i++) {
        const name = `f${String(i).padStart(3, '0')}.bin`;
        fs.writeFileSync(path.join(www, 'small', name), small);
        urls.push(`${url}/small/${name}`);
      }
      fs.writeFileSync(list, `${urls.join('\n')}\n`);
      const conf = path.join(base, 'nginx.conf');
      fs.writeFileSync(
        conf,
        `master_process off; daemon off; pid ${base}/nginx.pid; error_log ${base}/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000; default_type application/octet-stream;
  client_body_temp_path ${base}/tmp; proxy_temp_path ${base}/tmp; fastcgi_temp_path ${base}/tmp;
  uwsgi_temp_path ${base}/tmp; scgi_temp_path ${base}/tmp;
  server { listen 127.0.0.1:${port}; root ${www}; } }
`,
      );
      const nginx = spawn('nginx', ['-p', `${base}/`, '-e', `${base}/error.log`, '-c', conf], { stdio: 'ignore' });
      nginx.unref(); // the benchmark's end ends it
      process.on('exit', () => nginx.kill('SIGKILL'));

      await waitForPort(port);
    })());

  // A fresh directory for each run of the many-files case, so every tool creates 500 new files.
  const inFresh = (cmd) => `rm -rf ${outDir} && mkdir ${outDir} && cd ${outDir} && ${cmd}`;
  const big = `${url}/big.bin`;
  return [
    {
      name: 'wget 1 GiB -> file',
      reference: 'GNU wget',
      setup,
      runs: 3,
      commands: [
        { label: 'toolbox wget', cmd: `${env.tb('wget')} -q -O ${outFile} ${big}` },
        { label: 'GNU wget', cmd: `wget -q -O ${outFile} ${big}`, needs: 'wget' },
        { label: 'busybox wget', cmd: `busybox wget -q -O ${outFile} ${big}`, needs: 'busybox' },
        { label: 'curl', cmd: `curl -s -o ${outFile} ${big}`, needs: 'curl' },
      ],
    },
    {
      name: 'wget 1 GiB -> /dev/null',
      reference: 'GNU wget',
      setup,
      runs: 3,
      commands: [
        { label: 'toolbox wget', cmd: `${env.tb('wget')} -q -O /dev/null ${big}` },
        { label: 'GNU wget', cmd: `wget -q -O /dev/null ${big}`, needs: 'wget' },
        { label: 'busybox wget', cmd: `busybox wget -q -O /dev/null ${big}`, needs: 'busybox' },
        { label: 'curl', cmd: `curl -s -o /dev/null ${big}`, needs: 'curl' },
      ],
    },
    {
      name: `wget ${SMALL_FILES} x 10 KB files (-i)`,
      reference: 'GNU wget',
      setup,
      runs: 6,
      commands: [
        { label: 'toolbox wget', cmd: inFresh(`${env.tb('wget')} -q -i ${list}`), shell: true },
        { label: 'GNU wget', cmd: inFresh(`wget -q -i ${list}`), shell: true, needs: 'wget' },
        // BusyBox has no -i: the URLs as arguments of one invocation.
        { label: 'busybox wget', cmd: inFresh(`xargs busybox wget -q < ${list}`), shell: true, needs: 'busybox' },
        { label: 'curl', cmd: inFresh(`xargs curl -s --remote-name-all < ${list}`), shell: true, needs: 'curl' },
      ],
    },
  ];
}
