// The command runner: builds an applet's context, parses its options, runs it, and turns whatever
// it throws into a message and a status. ctx.exec goes through here too, so a shell pipeline, xargs
// or openrc-run run applets in-process exactly as main.ts runs one for a symlink.
import * as fs from 'node:fs';
import { findApplet } from '../registry.js';
import type { AppletDecl } from './applet.js';
import { helpText } from './applet.js';
import { fsPath } from './bytes.js';
import { type Ctx, type ExecOptions, type ProcessHost, resolvePath, type Stdio } from './context.js';
import type { Env } from './env.js';
import {
  AppletError,
  BrokenPipe,
  errorStatus,
  errorText,
  ExitStatus,
  isInternalError,
  STATUS_BROKEN_PIPE,
  UsageError,
} from './errors.js';
import { type OptionSpecs, parseOptions } from './options.js';
import { CommandError, findInPath, spawnProgram } from './process.js';

/** Everything an applet run needs besides its declaration. */
export interface LaunchInit extends Stdio {
  /** The name used (basename of argv[0]). */
  name: string;
  /** Arguments after the name. */
  args: readonly string[];
  env: Env;
  cwd: string;
  signal: AbortSignal;
  host: ProcessHost;
}

/** Run one applet and return its exit status. Never throws. */
export async function runApplet(decl: AppletDecl<OptionSpecs>, init: LaunchInit): Promise<number> {
  const { name, args } = init;
  const say = (text: string) => init.stderr.write(text).catch(() => {});
  let ctx: Ctx | undefined;
  try {
    if (!decl.options) {
      if (args.length === 1 && args[0] === '--help' && !decl.ownHelp) return await printHelp(decl, init);
      ctx = makeContext(init, {}, args, []);
    } else {
      const parsed = parseOptions(decl.options, decl.rewriteArgs ? decl.rewriteArgs(args) : args, decl);
      if (parsed.help) return await printHelp(decl, init);
      ctx = makeContext(init, parsed.opts, parsed.operands, parsed.order);
    }
    return await decl.run(ctx as Parameters<typeof decl.run>[0]);
  } catch (err) {
    if (err instanceof BrokenPipe) return STATUS_BROKEN_PIPE;
    if (err instanceof ExitStatus) return err.status;
    if (err instanceof UsageError) {
      const status = err.status >= 0 ? err.status : (decl.usageStatus ?? 1);
      if (decl.style === 'busybox') await say(`${name}: ${err.message}\n${helpText(decl)}`);
      else {
        const prefix = decl.style === 'diffutils' ? `${name}: ` : '';
        const usageLine = decl.usageLineOnError ? `Usage: ${decl.usage}\n` : '';
        await say(`${name}: ${err.message}\n${usageLine}${prefix}Try '${name} --help' for more information.\n`);
      }
      return status;
    }
    if (isInternalError(err)) {
      const debug = init.env.get('TOOLBOX_DEBUG');
      const detail = debug && debug !== '0' && err instanceof Error ? `\n${err.stack}` : '';
      await say(`${name}: internal error: ${err instanceof Error ? err.message : String(err)}${detail}\n`);
      return 1;
    }
    await say(`${name}: ${errorText(err)}\n`);
    return errorStatus(err);
  }
}

async function printHelp(decl: AppletDecl<OptionSpecs>, init: LaunchInit): Promise<number> {
  await init.stdout.write(helpText(decl));
  return 0;
}

function makeContext(init: LaunchInit, opts: Ctx['opts'], operands: readonly string[], optionOrder: Ctx['optionOrder']): Ctx {
  const ctx: Ctx = {
    name: init.name,
    argv: [init.name, ...init.args],
    opts,
    operands,
    optionOrder,
    env: init.env,
    cwd: init.cwd,
    signal: init.signal,
    host: init.host,
    stdin: init.stdin,
    stdout: init.stdout,
    stderr: init.stderr,
    isTTY(fd) {
      const stream = fd === 0 ? ctx.stdin : fd === 1 ? ctx.stdout : ctx.stderr;
      return stream.fd !== undefined && ctx.host.isatty(stream.fd);
    },
    exec: (argv, io) => execCommand(ctx, argv, io),
    async warn(err, subject) {
      const text = `${ctx.name}: ${subject === undefined ? '' : `${subject}: `}${errorText(err)}\n`;
      await ctx.stderr.write(text).catch(() => {});
      return err instanceof AppletError || err instanceof BrokenPipe ? errorStatus(err) : 1;
    },
    path: (p) => resolvePath(ctx.cwd, p),
  };
  return ctx;
}

/** Run a command for `parent`: an applet in-process (by name, or by a path that leads to this very
 *  executable), else a program from PATH. Throws CommandError when there is nothing to run. */
export async function execCommand(parent: Ctx, argv: readonly string[], io: ExecOptions = {}): Promise<number> {
  const command = argv[0];
  if (command === undefined || command === '') throw new CommandError('', 'ENOENT');
  const env = io.env ?? parent.env;
  const cwd = io.cwd ?? parent.cwd;
  const stdio: Stdio = {
    stdin: io.stdin ?? parent.stdin,
    stdout: io.stdout ?? parent.stdout,
    stderr: io.stderr ?? parent.stderr,
  };
  const signal = io.signal ? AbortSignal.any([parent.signal, io.signal]) : parent.signal;

  let file: string | undefined;
  let appletName: string | undefined;
  if (!command.includes('/')) {
    if (findApplet(command)) appletName = command;
    else file = findInPath(command, env, cwd);
    if (!appletName && !file) throw new CommandError(command, 'ENOENT');
  } else {
    file = resolvePath(cwd, command);
    appletName = selfApplet(file, parent.host);
  }

  if (appletName) {
    const entry = findApplet(appletName)!;
    const decl = (await entry.load()).default;
    if (decl.inProcess !== false) {
      return runApplet(decl, { name: appletName, args: argv.slice(1), env, cwd, signal, host: nestedHost(parent.host), ...stdio });
    }
    const [self, ...selfArgs] = parent.host.self;
    return spawnProgram({ file: self!, argv: [self!, ...selfArgs, appletName, ...argv.slice(1)], env, cwd, stdio, signal, newSession: io.newSession });
  }
  return spawnProgram({ file: file!, argv, env, cwd, stdio, signal, newSession: io.newSession });
}

/** The host as an applet run in-process by another sees it: without execve, which would replace
 *  the caller too (only the process's own program may do that, e.g. sh's `exec`). */
export function nestedHost(host: ProcessHost): ProcessHost {
  if (!host.execve) return host;
  const { execve: _, ...rest } = host;
  return rest;
}

/** If `file` is this executable under an applet's name (a symbolic or hard link), that applet. */
function selfApplet(file: string, host: ProcessHost): string | undefined {
  if (host.self.length !== 1) return undefined; // running from source: there is no single executable
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (!findApplet(name)) return undefined;
  try {
    const target = fs.statSync(fsPath(file));
    const self = fs.statSync(fsPath(host.self[0]!));
    return target.ino === self.ino && target.dev === self.dev ? name : undefined;
  } catch {
    return undefined;
  }
}
