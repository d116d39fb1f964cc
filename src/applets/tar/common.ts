// What tar's modes share: GNU's way of reporting (errors make the exit status 2 and end with
// "Exiting with failure status due to previous errors"), opening the archive, owner lookups.
import { type Compression, compressionForName, decompress, detectCompression, spawnFilter } from '../../core/archive/compress.js';
import { FileSource } from '../../core/archive/file-source.js';
import type { Ctx } from '../../core/context.js';
import { AppletError, errorCode, errorText } from '../../core/errors.js';
import type { ByteSource } from '../../core/io.js';
import type { TarJob } from './index.js';

/** GNU tar's reporting: messages on stderr, the worst status kept for the end. */
export class Report {
  status = 0;
  private readonly said = new Set<string>();
  constructor(private readonly ctx: Ctx) {}

  /** `tar: MESSAGE`, and the exit status becomes 2 (GNU's "error"). */
  async error(message: string): Promise<void> {
    this.status = 2;
    await this.ctx.stderr.write(`tar: ${message}\n`);
  }
  /** `tar: NAME: WHAT: ERRNO TEXT` for a failed system call on a member. */
  async fail(name: string, what: string, err: unknown): Promise<void> {
    if (!(err instanceof Error) || (errorCode(err) === undefined && !(err instanceof AppletError))) throw err;
    await this.error(`${name}: ${what}: ${errorText(err)}`);
  }
  /** A warning: printed, status unchanged. */
  async warn(message: string): Promise<void> {
    await this.ctx.stderr.write(`tar: ${message}\n`);
  }
  /** A warning printed once per distinct text (GNU's "Removing leading `/'" notices). */
  async once(message: string): Promise<void> {
    if (this.said.has(message)) return;
    this.said.add(message);
    await this.warn(message);
  }
  /** Status 1: "some files differ" (a file changed while it was read). */
  differ(): void {
    if (this.status === 0) this.status = 1;
  }
  async finish(): Promise<number> {
    if (this.status === 2) await this.ctx.stderr.write('tar: Exiting with failure status due to previous errors\n');
    return this.status;
  }
}

/** A fatal error: GNU prints it, then "Error is not recoverable: exiting now", status 2. */
export async function fatal(ctx: Ctx, message: string): Promise<number> {
  await ctx.stderr.write(`tar: ${message}\ntar: Error is not recoverable: exiting now\n`);
  return 2;
}

/** Open the archive for reading, decompressed; throws AppletError with GNU's wording. */
export async function openForReading(ctx: Ctx, job: TarJob): Promise<{ source: ByteSource; close(): void }> {
  let raw: ByteSource;
  let close = () => {};
  if (job.archive === '-') {
    if (ctx.isTTY(0)) throw new AppletError('Refusing to read archive contents from terminal (missing -f option?)', 2);
    raw = ctx.stdin;
  } else {
    try {
      const file = FileSource.open(ctx.path(job.archive));
      raw = file;
      close = () => file.close();
    } catch (err) {
      throw new AppletError(`${job.archive}: Cannot open: ${errorText(err)}`, 2);
    }
  }
  let method: Compression | 'auto' = job.compression;
  if (job.compressProgram) {
    const source = await decompressWith(ctx, raw, job.compressProgram);
    return { source, close };
  }
  if (method !== 'auto') {
    // GNU checks what the data is anyway: an uncompressed archive read with -z still works
    const head = await peekBytes(raw, 6);
    if (detectCompression(head) === 'none' && head.length >= 6) method = 'none';
  }
  return { source: await decompress(raw, method, filterHost(ctx)), close };
}

async function peekBytes(src: ByteSource, n: number): Promise<Uint8Array> {
  const c = await src.read();
  if (!c) return new Uint8Array(0);
  src.unread(c);
  return c.subarray(0, n);
}

/** -I PROG: the program and its arguments, split on blanks as GNU does. */
export function programWords(program: string): [string, string[]] {
  const words = program.split(/[ \t]+/).filter(Boolean);
  return [words[0] ?? program, words.slice(1)];
}

async function decompressWith(ctx: Ctx, raw: ByteSource, program: string): Promise<ByteSource> {
  const [prog, args] = programWords(program);
  return spawnFilter(raw, prog, [...args, '-d'], filterHost(ctx));
}

export function filterHost(ctx: Ctx): { env: Record<string, string>; stderr: Ctx['stderr'] } {
  return { env: ctx.env.toProcessEnv(), stderr: ctx.stderr };
}

/** The compression to write with: the option given, or with -a the archive's suffix. */
export function writeCompression(job: TarJob): Compression {
  if (job.opts.a && job.archive !== '-') {
    const byName = compressionForName(job.archive);
    if (byName !== 'none') return byName;
  }
  return job.compression === 'auto' ? 'none' : job.compression;
}
