// mkimage: a root filesystem and a container image whose whole userland is toolbox, built without a
// daemon (as apko, ko and jib do): a plain directory, a rootfs tarball, an OCI image layout, or a
// docker-archive for `docker load` / `podman load`. Output is reproducible: sorted entries, numeric
// owners, every mtime set to SOURCE_DATE_EPOCH (0 when unset).
import * as fs from 'node:fs';
import * as os from 'node:os';
import { defineApplet } from '../../core/applet.js';
import { fsPath, toUtf8 } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, UsageError } from '../../core/errors.js';
import { statIfExists, uniqueSuffix } from '../../core/fs.js';
import { findApplet } from '../../registry.js';
import { assembleRootfs, setTreeTimes } from './rootfs.js';

const FORMATS = ['dir', 'tar', 'oci', 'docker'] as const;
type Format = (typeof FORMATS)[number];

const ARCH_NAMES: Record<string, { apk: string; oci: string }> = {
  x64: { apk: 'x86_64', oci: 'amd64' },
  arm64: { apk: 'aarch64', oci: 'arm64' },
  ia32: { apk: 'x86', oci: '386' },
  arm: { apk: 'armv7', oci: 'arm' },
};

export default defineApplet({
  name: 'mkimage',
  summary: 'Build a root filesystem or container image whose userland is toolbox',
  usage: 'mkimage [OPTION]... OUTPUT',
  help: [
    '-f, --format FMT\tdir (default), tar (rootfs tarball), oci (OCI image layout),',
    '\t\t\tdocker (docker-archive for docker/podman load)',
    '-z, --compress ALGO[:LEVEL]  Layer/tarball compression: gzip (default, level 9),',
    '\t\t\tzstd (level 19) or none',
    '-t, --tag NAME[:TAG]\tImage reference (default toolbox:latest)',
    '-p, --package PKG\tInstall PKG with apk (repeatable)',
    '-X, --repository URL\tapk repository for /etc/apk/repositories (repeatable)',
    '-k, --key FILE\t\tTrusted apk signing key for /etc/apk/keys (repeatable)',
    '    --allow-untrusted\tInstall packages without a trusted signature',
    '    --arch ARCH\t\tapk architecture (default: this machine\'s)',
    '-a, --add SRC:DEST\tCopy a file or directory into the image (repeatable)',
    '    --ca-certificates\tCopy this host\'s CA bundle, for HTTPS repositories',
    '    --entrypoint WORD\tImage entrypoint, one argv word per option',
    '    --cmd WORD\t\tImage command, one argv word per option (default /bin/sh)',
    '-e, --env NAME=VALUE\tImage environment (repeatable)',
    '-w, --workdir DIR\tImage working directory',
    '-u, --user USER\t\tImage user',
    '-l, --label KEY=VALUE\tImage label (repeatable)',
    '    --executable FILE\tThe toolbox executable to install (default: this one)',
    '',
    'SOURCE_DATE_EPOCH sets every timestamp (default 0), so the same inputs give the same bytes.',
  ].join('\n'),
  options: {
    f: { long: 'format', arg: 'string' },
    z: { long: 'compress', arg: 'string' },
    t: { long: 'tag', arg: 'string' },
    p: { long: 'package', arg: 'list' },
    X: { long: 'repository', arg: 'list' },
    k: { long: 'key', arg: 'list' },
    'allow-untrusted': {},
    arch: { arg: 'string' },
    a: { long: 'add', arg: 'list' },
    'ca-certificates': {},
    entrypoint: { arg: 'list' },
    cmd: { arg: 'list' },
    e: { long: 'env', arg: 'list' },
    w: { long: 'workdir', arg: 'string' },
    u: { long: 'user', arg: 'string' },
    l: { long: 'label', arg: 'list' },
    executable: { arg: 'string' },
  },
  async run(ctx) {
    const o = ctx.opts;
    if (ctx.operands.length !== 1) throw new UsageError(ctx.operands.length ? `extra operand '${ctx.operands[1]}'` : 'missing operand');
    const output = ctx.path(ctx.operands[0]!);
    const format = (o.f ?? 'dir') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`invalid format '${o.f}' (dir, tar, oci or docker)`);
    const executable = o.executable ? ctx.path(o.executable) : ctx.host.self.length === 1 ? ctx.host.self[0]! : undefined;
    if (!executable) throw new AppletError('running from source: give the built executable with --executable');
    const arch = ARCH_NAMES[os.arch()] ?? { apk: os.arch(), oci: os.arch() };
    const epoch = sourceDateEpoch(ctx);

    const stage = format === 'dir' ? output : `${output.replace(/\/+$/, '')}.${uniqueSuffix()}.stage`;
    if (format === 'dir') prepareEmptyDir(output);
    else fs.mkdirSync(fsPath(stage), { recursive: true });
    try {
      assembleRootfs(stage, {
        executable,
        repositories: o.X ?? [],
        keys: (o.k ?? []).map((k) => ctx.path(k)),
        arch: o.arch ?? arch.apk,
        world: [],
        caBundle: o['ca-certificates'] ? findCaBundle() : undefined,
      });
      await installPackages(ctx, stage, o.p ?? [], o.arch ?? arch.apk);
      for (const spec of o.a ?? []) addFiles(ctx, stage, spec);
      if (format !== 'dir') {
        const { writeImage } = await import('./image.js');
        await writeImage({
          stage,
          output,
          format,
          compression: o.z === undefined && format === 'tar' ? undefined : parseCompression(o.z),
          tag: o.t ?? 'toolbox:latest',
          epoch,
          arch: arch.oci,
          config: {
            entrypoint: o.entrypoint,
            cmd: o.cmd ?? (o.entrypoint ? undefined : ['/bin/sh']),
            env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...(o.e ?? [])],
            workdir: o.w,
            user: o.u,
            labels: Object.fromEntries((o.l ?? []).map(splitAssignment)),
          },
        });
      } else {
        setTreeTimes(stage, epoch);
      }
    } finally {
      if (format !== 'dir') fs.rmSync(fsPath(stage), { recursive: true, force: true });
    }
    return 0;
  },
});

function sourceDateEpoch(ctx: Ctx): number {
  const value = ctx.env.get('SOURCE_DATE_EPOCH');
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value)) throw new AppletError(`invalid SOURCE_DATE_EPOCH '${value}'`);
  return Number(value);
}

export interface Compression {
  algorithm: 'gzip' | 'zstd' | 'none';
  level: number;
}

function parseCompression(spec: string | undefined): Compression {
  const [algorithm = 'gzip', level] = (spec ?? 'gzip').split(':');
  if (algorithm !== 'gzip' && algorithm !== 'zstd' && algorithm !== 'none') {
    throw new UsageError(`invalid compression '${spec}' (gzip, zstd or none)`);
  }
  const defaultLevel = algorithm === 'gzip' ? 9 : algorithm === 'zstd' ? 19 : 0;
  const n = level === undefined ? defaultLevel : Number(level);
  const max = algorithm === 'gzip' ? 9 : 22;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    if (algorithm !== 'none') throw new UsageError(`invalid compression level '${level}'`);
  }
  return { algorithm, level: n };
}

function splitAssignment(spec: string): [string, string] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid KEY=VALUE '${spec}'`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

function prepareEmptyDir(dir: string): void {
  const st = statIfExists(dir);
  if (!st) fs.mkdirSync(fsPath(dir), { recursive: true });
  else if (!st.isDirectory()) throw new AppletError(`${dir}: Not a directory`);
  else if (fs.readdirSync(fsPath(dir)).length) throw new AppletError(`${dir}: Directory not empty`);
}

const CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

function findCaBundle(): string {
  const found = CA_BUNDLES.find((p) => statIfExists(p)?.isFile());
  if (!found) throw new AppletError('no CA bundle found on this host');
  return found;
}

/** Initialise the apk database and install packages, with our own apk, inside the stage. */
async function installPackages(ctx: Ctx, stage: string, packages: string[], arch: string): Promise<void> {
  if (!findApplet('apk')) {
    if (packages.length) throw new AppletError('apk is not available in this toolbox');
    return; // a toolbox built without apk: no database to initialise
  }
  const o = ctx.opts as { k?: string[]; X?: string[]; 'allow-untrusted'?: true };
  const argv = ['apk', '--root', stage, '--initdb', '--arch', arch, '--no-progress', '--keys-dir', `${stage}/etc/apk/keys`];
  if (o['allow-untrusted']) argv.push('--allow-untrusted');
  if (!packages.length) argv.push('-q'); // apk add with nothing to add still prints its `OK:` line
  argv.push('add', ...packages);
  const status = await ctx.exec(argv);
  if (status !== 0) throw new AppletError(`apk failed (status ${status})`);
  // A container runtime mounts /dev: keep it empty in the image
  for (const name of fs.readdirSync(fsPath(`${stage}/dev`), 'latin1')) {
    fs.rmSync(fsPath(`${stage}/dev/${name}`), { recursive: true, force: true });
  }
}

function addFiles(ctx: Ctx, stage: string, spec: string): void {
  const colon = spec.lastIndexOf(':');
  if (colon <= 0 || !spec.slice(colon + 1).startsWith('/')) throw new UsageError(`invalid --add '${spec}' (SRC:/DEST)`);
  const src = ctx.path(spec.slice(0, colon));
  const dest = `${stage}${spec.slice(colon + 1)}`;
  if (!statIfExists(src)) throw new AppletError(`${spec.slice(0, colon)}: No such file or directory`);
  fs.mkdirSync(fsPath(dest.slice(0, dest.lastIndexOf('/')) || stage), { recursive: true });
  fs.cpSync(toUtf8(src), toUtf8(dest), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
}
