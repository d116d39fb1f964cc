// Writing the assembled rootfs as a layer (a reproducible tar: sorted, numeric owners, fixed mtimes),
// and the layer as a rootfs tarball, an OCI image layout or a docker-archive.
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { TarWriter } from '../../core/archive/writer.js';
import { fsPath } from '../../core/bytes.js';
import { AppletError } from '../../core/errors.js';
import { uniqueSuffix } from '../../core/fs.js';
import { type ByteSink, FdSink } from '../../core/io.js';
import type { Compression } from './index.js';
import { setTreeTimes } from './rootfs.js';

export interface ImageConfigOptions {
  entrypoint?: string[];
  cmd?: string[];
  env: string[];
  workdir?: string;
  user?: string;
  labels: Record<string, string>;
}

export interface ImageOptions {
  stage: string;
  output: string;
  format: 'tar' | 'oci' | 'docker';
  /** Absent for `tar`: then the output name's suffix decides (.gz/.tgz, .zst, else none). */
  compression?: Compression;
  tag: string;
  epoch: number;
  /** OCI architecture name (amd64, arm64 …). */
  arch: string;
  config: ImageConfigOptions;
}

const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: { none: 'application/vnd.oci.image.layer.v1.tar', gzip: 'application/vnd.oci.image.layer.v1.tar+gzip', zstd: 'application/vnd.oci.image.layer.v1.tar+zstd' },
};

export async function writeImage(opts: ImageOptions): Promise<void> {
  const work = `${opts.output.replace(/\/+$/, '')}.${uniqueSuffix()}`;
  const layerTar = `${work}.layer.tar`;
  try {
    const diffId = await writeLayer(opts.stage, layerTar, opts.epoch);
    if (opts.format === 'tar') {
      const compression = opts.compression ?? compressionFromName(opts.output);
      await compressFile(layerTar, work, compression);
      fs.renameSync(fsPath(work), fsPath(opts.output));
    } else if (opts.format === 'oci') {
      await writeOciLayout(opts, layerTar, diffId, work);
      fs.renameSync(fsPath(work), fsPath(opts.output));
    } else {
      await writeDockerArchive(opts, layerTar, diffId, work);
      fs.renameSync(fsPath(work), fsPath(opts.output));
    }
  } finally {
    fs.rmSync(fsPath(layerTar), { force: true });
    fs.rmSync(fsPath(work), { recursive: true, force: true });
  }
}

function compressionFromName(name: string): Compression {
  if (/\.(tgz|gz)$/.test(name)) return { algorithm: 'gzip', level: 9 };
  if (/\.(zst|tzst)$/.test(name)) return { algorithm: 'zstd', level: 19 };
  return { algorithm: 'none', level: 0 };
}

/** A sink writing to a file and hashing what passes. */
class HashingFileSink implements ByteSink {
  readonly fd = undefined;
  private readonly file: FdSink;
  readonly hash: Hash = createHash('sha256');
  size = 0;
  constructor(path: string) {
    this.file = new FdSink(fs.openSync(fsPath(path), 'w', 0o644), true);
  }
  async write(chunk: Uint8Array | string): Promise<void> {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    this.hash.update(bytes);
    this.size += bytes.length;
    await this.file.write(bytes);
  }
  close(): Promise<void> {
    return this.file.close();
  }
}

/** The rootfs as one tar layer; returns its digest (the diff_id). */
async function writeLayer(stage: string, file: string, epoch: number): Promise<string> {
  const sink = new HashingFileSink(file);
  try {
    const tar = new TarWriter(sink, { format: 'pax' });
    await addTree(tar, stage, '', epoch);
    await tar.finish();
  } finally {
    await sink.close();
  }
  return `sha256:${sink.hash.digest('hex')}`;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function addTree(tar: TarWriter, stage: string, rel: string, epoch: number): Promise<void> {
  const names = fs.readdirSync(fsPath(rel ? `${stage}/${rel}` : stage), 'latin1').sort(byteOrder);
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    const full = `${stage}/${path}`;
    const st = fs.lstatSync(fsPath(full));
    const common = { mode: st.mode & 0o7777, uid: 0, gid: 0, mtime: epoch };
    if (st.isDirectory()) {
      await tar.add({ ...common, name: `${path}/`, type: 'directory' });
      await addTree(tar, stage, path, epoch);
    } else if (st.isSymbolicLink()) {
      await tar.add({ ...common, name: path, type: 'symlink', linkname: fs.readlinkSync(fsPath(full), 'latin1') });
    } else if (st.isFile()) {
      await tar.add({ ...common, name: path, type: 'file', size: st.size }, readChunks(full));
    } else {
      throw new AppletError(`${path}: cannot put this kind of file in an image layer`);
    }
  }
}

async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  const fd = fs.openSync(fsPath(file), 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) yield buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Compress a file into another, returning the digest and size of what was written. */
async function compressFile(from: string, to: string, c: Compression): Promise<{ digest: string; size: number }> {
  const zlib = await import('node:zlib');
  const { pipeline } = await import('node:stream/promises');
  const hash = createHash('sha256');
  let size = 0;
  const compressor =
    c.algorithm === 'gzip'
      ? zlib.createGzip({ level: c.level })
      : c.algorithm === 'zstd'
        ? zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: c.level } })
        : undefined;
  const counter = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  const input = fs.createReadStream(fsPath(from), { highWaterMark: 1024 * 1024 });
  const output = fs.createWriteStream(fsPath(to), { mode: 0o644 });
  if (compressor) await pipeline(input, compressor, counter, output);
  else await pipeline(input, counter, output);
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

function imageConfig(opts: ImageOptions, diffId: string): string {
  const created = new Date(opts.epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const c = opts.config;
  const config: Record<string, unknown> = { Env: c.env };
  if (c.entrypoint) config.Entrypoint = c.entrypoint;
  if (c.cmd) config.Cmd = c.cmd;
  if (c.workdir) config.WorkingDir = c.workdir;
  if (c.user) config.User = c.user;
  if (Object.keys(c.labels).length) config.Labels = Object.fromEntries(Object.entries(c.labels).sort(([a], [b]) => byteOrder(a, b)));
  return JSON.stringify({
    created,
    architecture: opts.arch,
    os: 'linux',
    config,
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: 'toolbox mkimage', comment: 'toolbox rootfs' }],
  });
}

function splitTag(tag: string): { name: string; tag: string } {
  const colon = tag.lastIndexOf(':');
  return colon > tag.lastIndexOf('/') ? { name: tag.slice(0, colon), tag: tag.slice(colon + 1) } : { name: tag, tag: 'latest' };
}

const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

async function writeOciLayout(opts: ImageOptions, layerTar: string, diffId: string, dir: string): Promise<void> {
  const blobs = `${dir}/blobs/sha256`;
  fs.mkdirSync(fsPath(blobs), { recursive: true });
  const compression = opts.compression ?? { algorithm: 'gzip', level: 9 };
  const tmpBlob = `${blobs}/.layer`;
  const layer = await compressFile(layerTar, tmpBlob, compression);
  fs.renameSync(fsPath(tmpBlob), fsPath(`${blobs}/${layer.digest.slice(7)}`));
  const config = imageConfig(opts, diffId);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, digest: digestOf(config), size: Buffer.byteLength(config) },
    layers: [{ mediaType: MEDIA.layer[compression.algorithm], digest: layer.digest, size: layer.size }],
  });
  const ref = splitTag(opts.tag);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [
      {
        mediaType: MEDIA.manifest,
        digest: digestOf(manifest),
        size: Buffer.byteLength(manifest),
        annotations: { 'io.containerd.image.name': `${ref.name}:${ref.tag}`, 'org.opencontainers.image.ref.name': ref.tag },
      },
    ],
  });
  for (const text of [config, manifest]) fs.writeFileSync(fsPath(`${blobs}/${digestOf(text).slice(7)}`), text);
  fs.writeFileSync(fsPath(`${dir}/oci-layout`), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(fsPath(`${dir}/index.json`), index);
  setTreeTimes(dir, opts.epoch);
}

/** The format `docker save` wrote before Docker 25 and `docker load`/`podman load` accept: one
 *  directory per layer holding layer.tar, the config as <digest>.json, manifest.json, repositories. */
async function writeDockerArchive(opts: ImageOptions, layerTar: string, diffId: string, file: string): Promise<void> {
  const config = imageConfig(opts, diffId);
  const configName = `${digestOf(config).slice(7)}.json`;
  const layerDir = diffId.slice(7);
  const ref = splitTag(opts.tag);
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [`${ref.name}:${ref.tag}`], Layers: [`${layerDir}/layer.tar`] }]);
  const repositories = JSON.stringify({ [ref.name]: { [ref.tag]: layerDir } });
  const legacyJson = JSON.stringify({ id: layerDir, created: new Date(opts.epoch * 1000).toISOString().replace(/\.000Z$/, 'Z'), os: 'linux' });
  const layerSize = fs.statSync(fsPath(layerTar)).size;
  const sink = new FdSink(fs.openSync(fsPath(file), 'w', 0o644), true);
  try {
    const tar = new TarWriter(sink, { format: 'pax' });
    const base = { uid: 0, gid: 0, mtime: opts.epoch };
    const entries: [string, () => Promise<void>][] = [
      [configName, () => tar.add({ ...base, name: configName, type: 'file', mode: 0o644 }, config)],
      [`${layerDir}/`, () => tar.add({ ...base, name: `${layerDir}/`, type: 'directory', mode: 0o755 })],
      [`${layerDir}/VERSION`, () => tar.add({ ...base, name: `${layerDir}/VERSION`, type: 'file', mode: 0o644 }, '1.0')],
      [`${layerDir}/json`, () => tar.add({ ...base, name: `${layerDir}/json`, type: 'file', mode: 0o644 }, legacyJson)],
      [
        `${layerDir}/layer.tar`,
        () => tar.add({ ...base, name: `${layerDir}/layer.tar`, type: 'file', mode: 0o644, size: layerSize }, readChunks(layerTar)),
      ],
      ['manifest.json', () => tar.add({ ...base, name: 'manifest.json', type: 'file', mode: 0o644 }, manifest)],
      ['repositories', () => tar.add({ ...base, name: 'repositories', type: 'file', mode: 0o644 }, repositories)],
    ];
    for (const [, add] of entries.sort(([a], [b]) => byteOrder(a, b))) await add();
    await tar.finish();
  } finally {
    await sink.close();
  }
}
