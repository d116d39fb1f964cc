// Making special files. Node has no mknod(2) or mkfifo(3): FIFOs and device nodes are made by the
// system's own mkfifo/mknod when one is installed (never by this executable, which cannot either),
// sockets by binding a Unix socket. Without the tools, the one operation fails with a clear message.
import * as fs from 'node:fs';
import { fsPath, toUtf8 } from './bytes.js';
import type { ProcessHost } from './context.js';
import type { Env } from './env.js';
import { AppletError } from './errors.js';
import { uniqueSuffix } from './fs.js';
import { DEFAULT_PATH } from './process.js';

export type SpecialKind = 'fifo' | 'char' | 'block' | 'socket';

export interface SpecialRequest {
  /** Absolute name of the node to make (it must not exist). */
  path: string;
  kind: SpecialKind;
  /** Permission bits the node gets, exactly (the caller has applied the umask if it wants one). */
  mode: number;
  /** Device number (char and block devices). */
  rdev?: number;
}

/** Linux's major and minor numbers of a dev_t (glibc's gnu_dev_major/minor). */
export function deviceNumbers(rdev: number): { major: number; minor: number } {
  const dev = BigInt(rdev);
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/** The system's `name` tool (not this executable, which would have to ask the system too). */
function findTool(name: string, env: Env, host: ProcessHost): string | undefined {
  const self = host.self.length === 1 ? realpathOrSelf(host.self[0]!) : undefined;
  const dirs = (env.get('PATH') ?? DEFAULT_PATH).split(':').filter((d) => d.startsWith('/'));
  for (const dir of new Set(dirs)) {
    const candidate = `${dir.replace(/\/+$/, '')}/${name}`;
    try {
      fs.accessSync(fsPath(candidate), fs.constants.X_OK);
      if (!fs.statSync(fsPath(candidate)).isFile()) continue;
      if (self !== undefined && realpathOrSelf(candidate) === self) continue;
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function realpathOrSelf(p: string): string {
  try {
    return fs.realpathSync(fsPath(p), { encoding: 'latin1' });
  } catch {
    return p;
  }
}

/** Run a tool; its failure becomes an error carrying the tool's own reason (`Operation not permitted`). */
async function runTool(file: string, args: string[]): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => {
    execFile(toUtf8(file), args.map(toUtf8), { encoding: 'latin1', env: { LC_ALL: 'C', PATH: DEFAULT_PATH } }, (err, _out, stderr) => {
      if (!err) return resolve();
      const lines = String(stderr).trim().split('\n');
      const last = lines[lines.length - 1] ?? '';
      const reason = last.slice(last.lastIndexOf(': ') + 2) || `${file} failed`;
      reject(new AppletError(reason));
    });
  });
}

async function makeSocket(path: string, mode: number): Promise<void> {
  const net = await import('node:net');
  // Bind under a temporary name beside the target, rename it into place, then close: closing
  // a listening socket unlinks its (temporary) name, leaving the renamed node behind.
  const slash = path.lastIndexOf('/');
  const tmp = `${path.slice(0, slash + 1)}.sock${uniqueSuffix()}`;
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(toUtf8(tmp), () => resolve());
    });
    fs.linkSync(fsPath(tmp), fsPath(path)); // fails like mknod if the target exists
    fs.unlinkSync(fsPath(tmp));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  fs.chmodSync(fsPath(path), mode & 0o7777);
}

/** Make a FIFO, device node or socket. Throws an errno error or AppletError with the reason. */
export async function makeSpecial(req: SpecialRequest, env: Env, host: ProcessHost): Promise<void> {
  if (fs.existsSync(fsPath(req.path)) || isLink(req.path)) {
    const err: NodeJS.ErrnoException = new Error('EEXIST');
    err.code = 'EEXIST';
    throw err;
  }
  if (req.kind === 'socket') return makeSocket(req.path, req.mode);
  const octal = (req.mode & 0o7777).toString(8);
  if (req.kind === 'fifo') {
    const tool = findTool('mkfifo', env, host) ?? findTool('mknod', env, host);
    if (!tool) throw new AppletError('no mkfifo or mknod program (Node cannot make FIFOs itself)');
    if (tool.endsWith('/mkfifo')) await runTool(tool, ['-m', octal, '--', req.path]);
    else await runTool(tool, ['-m', octal, '--', req.path, 'p']);
    return;
  }
  const tool = findTool('mknod', env, host);
  if (!tool) throw new AppletError('no mknod program (Node cannot make device nodes itself)');
  const { major, minor } = deviceNumbers(req.rdev ?? 0);
  await runTool(tool, ['-m', octal, '--', req.path, req.kind === 'char' ? 'c' : 'b', String(major), String(minor)]);
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(fsPath(p)).isSymbolicLink();
  } catch {
    return false;
  }
}
