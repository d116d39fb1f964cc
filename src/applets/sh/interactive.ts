// The interactive shell: prompts (PS1/PS2 with ash's escapes, then parameter expansion), line
// editing, history (kept in HISTFILE) and Tab completion through node:readline on the terminal,
// Ctrl-C that cancels the line or interrupts the running command without ending the shell, Ctrl-D
// that ends it, the ENV file at start-up, and notices of finished background jobs.
//
// No job control: the runtime cannot put children in their own process groups or hand them the
// terminal (no setpgid/tcsetpgrp), so there is no Ctrl-Z/fg/bg of stopped jobs. Ctrl-Z stops the
// whole shell as it would a non-job-control ash.
import * as fs from 'node:fs';
import type { Interface } from 'node:readline';
import { fsPath, fromUtf8, toUtf8 } from '../../core/bytes.js';
import type { Ctx } from '../../core/context.js';
import { userByUid } from '../../core/ids.js';
import { KillRequest } from '../../core/process.js';
import { BUILTINS } from './builtins/index.js';
import { jobLine } from './builtins/jobs.js';
import { ShellError, ShellExit } from './errors.js';
import { expandHeredoc } from './expand.js';
import { execute, settle } from './interp.js';
import { ParseError, Parser, parseExpandable } from './parser.js';
import { runToEnd } from './index.js';
import { runText, syntaxError } from './script.js';
import type { Shell } from './shell.js';
import { type Command, RESERVED } from './ast.js';
import { appletNames } from '../../registry.js';

/** Thrown out of a command by ^C (SIGINT without a trap). */
class Interrupted {}

/** ash's prompt escapes: \u \h \H \w \W \$ \t \A \@ \e \[ \] \n \\ \NNN; unknown ones print the letter. */
export function promptEscapes(sh: Shell, ps: string): string {
  let out = '';
  for (let i = 0; i < ps.length; i++) {
    const c = ps[i]!;
    if (c !== '\\' || i + 1 >= ps.length) {
      out += c;
      continue;
    }
    const e = ps[++i]!;
    const home = sh.get('HOME');
    const tilde = (p: string) => (home && home !== '/' && (p === home || p.startsWith(`${home}/`)) ? `~${p.slice(home.length)}` : p);
    const host = sh.get('HOSTNAME') ?? '';
    const now = new Date();
    const hhmm = `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
    switch (e) {
      case 'u':
        out += sh.get('USER') ?? userByUid(sh.host.euid())?.name ?? String(sh.host.euid());
        break;
      case 'h':
        out += host.split('.')[0];
        break;
      case 'H':
        out += host;
        break;
      case 'w':
        out += tilde(sh.cwd);
        break;
      case 'W': {
        const w = tilde(sh.cwd);
        out += w === '/' ? '/' : w.slice(w.lastIndexOf('/') + 1);
        break;
      }
      case '$':
        out += sh.host.euid() === 0 ? '#' : '$';
        break;
      case 't':
      case 'A':
      case '@':
        out += hhmm;
        break;
      case 'e':
        out += '\x1b';
        break;
      case '[':
      case ']':
        break;
      case 'n':
        out += '\n';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      default:
        if (/[0-7]/.test(e)) {
          let digits = e;
          while (digits.length < 3 && /[0-7]/.test(ps[i + 1] ?? '')) digits += ps[++i];
          out += String.fromCharCode(parseInt(digits, 8) & 0xff);
        } else out += e;
    }
  }
  return out;
}

/** A prompt: escapes, then parameter, command and arithmetic expansion (ash's ASH_EXPAND_PRMT). */
function prompt(sh: Shell, name: 'PS1' | 'PS2'): string {
  const ps = sh.get(name) ?? (name === 'PS1' ? '\\w \\$ ' : '> ');
  const escaped = promptEscapes(sh, ps);
  if (!escaped.includes('$') && !escaped.includes('`')) return escaped;
  try {
    return expandHeredoc(sh, parseExpandable(escaped));
  } catch {
    return escaped;
  }
}

/** Names for completing the first word of a command. */
function commandNames(sh: Shell): string[] {
  const names = new Set<string>([...BUILTINS.keys(), ...sh.funcs.keys(), ...sh.aliases.keys(), ...appletNames(), ...RESERVED]);
  for (const dir of (sh.get('PATH') ?? '').split(':')) {
    try {
      for (const e of fs.readdirSync(fsPath(dir || '.'), { encoding: 'latin1' })) names.add(e);
    } catch {
      // unreadable PATH entry
    }
  }
  return [...names].sort();
}

/** Tab completion: commands in command position, file names elsewhere. */
function complete(sh: Shell, lineUtf8: string): [string[], string] {
  const line = fromUtf8(lineUtf8);
  const m = /(?:^|[\s;|&(`])([^\s;|&(`]*)$/.exec(line);
  const word = m?.[1] ?? '';
  const before = line.slice(0, line.length - word.length);
  const commandPosition = /(^|[;|&(`]|&&|\|\|)\s*$/.test(before) && !word.includes('/');
  let hits: string[];
  if (commandPosition) hits = commandNames(sh).filter((n) => n.startsWith(word));
  else {
    const home = sh.get('HOME') ?? '';
    const expanded = word.startsWith('~/') ? home + word.slice(1) : word;
    const slash = expanded.lastIndexOf('/');
    const dirPart = slash === -1 ? '' : expanded.slice(0, slash + 1);
    const base = expanded.slice(slash + 1);
    let entries: fs.Dirent<string>[] = [];
    try {
      entries = fs.readdirSync(fsPath(sh.path(dirPart || '.')), { encoding: 'latin1', withFileTypes: true }) as unknown as fs.Dirent<string>[];
    } catch {
      entries = [];
    }
    const shown = word.slice(0, word.length - base.length);
    hits = entries
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => {
        let dir = e.isDirectory();
        if (e.isSymbolicLink()) {
          try {
            dir = fs.statSync(fsPath(sh.path(dirPart + e.name))).isDirectory();
          } catch {
            dir = false;
          }
        }
        return shown + e.name + (dir ? '/' : '');
      })
      .sort();
  }
  if (hits.length === 1 && !hits[0]!.endsWith('/')) hits = [`${hits[0]} `];
  return [hits.map(toUtf8), toUtf8(word)];
}

/** The history file and its size limit (BusyBox: HISTFILE, default ~/.ash_history; HISTFILESIZE). */
function historyFile(sh: Shell): string | undefined {
  const file = sh.get('HISTFILE');
  if (file !== undefined) return file || undefined;
  const home = sh.get('HOME');
  return home ? `${home.replace(/\/$/, '')}/.ash_history` : undefined;
}

function historyLimit(sh: Shell): number {
  const n = Number(sh.get('HISTFILESIZE') ?? '255');
  return Number.isInteger(n) && n >= 0 ? n : 255;
}

function loadHistory(sh: Shell): void {
  const file = historyFile(sh);
  if (!file) return;
  try {
    const lines = fs.readFileSync(fsPath(sh.path(file))).toString('latin1').split('\n').filter(Boolean);
    sh.history = lines.slice(-historyLimit(sh));
  } catch {
    sh.history = [];
  }
}

function saveHistory(sh: Shell): void {
  const file = historyFile(sh);
  if (!file) return;
  try {
    const lines = sh.history.slice(-historyLimit(sh));
    fs.writeFileSync(fsPath(sh.path(file)), lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  } catch {
    // an unwritable history file is not worth a message at every prompt
  }
}

/** Report background jobs that have finished since the last prompt. */
function notifyJobs(sh: Shell): void {
  for (const job of [...sh.jobs.list]) {
    if (job.status === undefined) continue;
    void sh.writeErr(jobLine(sh, job, false).replace(/ +\n$/, '\n'));
    sh.jobs.remove(job);
  }
}

/** Run the interactive shell until exit or end of input. */
export async function interact(sh: Shell, ctx: Ctx, profiles?: () => Promise<void>): Promise<number> {
  const readline = process.getBuiltinModule('node:readline');
  const tty = process.getBuiltinModule('node:tty');
  const inFd = ctx.stdin.fd ?? 0;
  const outFd = ctx.stderr.fd ?? 2;
  const input = new tty.ReadStream(inFd);
  const output = new tty.WriteStream(outFd);
  sh.variable('PS1').value ??= '\\w \\$ ';
  loadHistory(sh);

  let foreground: AbortController | undefined;
  // ^C while a command runs: the terminal sends SIGINT to us and to its programs. Programs die by
  // themselves; in-process applets are aborted; the interpreter unwinds at its next step.
  sh.interactiveSignals = new Set([2, 3, 15]);
  sh.defaultSignalHandler = (sig) => {
    if (sig === 2) throw new Interrupted();
    return true; // QUIT and TERM are ignored by an interactive shell
  };
  for (const sig of [2, 3, 15] as const) {
    const name = sig === 2 ? 'SIGINT' : sig === 3 ? 'SIGQUIT' : 'SIGTERM';
    sh.signalSubs.set(sig, sh.host.onSignal(name, () => {
      if (sig === 2) foreground?.abort(new KillRequest(2));
      sh.signalArrived(sig);
    }));
  }

  const rl: Interface = readline.createInterface({
    input,
    output,
    terminal: true,
    history: sh.history.slice().reverse().map(toUtf8),
    historySize: historyLimit(sh),
    removeHistoryDuplicates: false,
    completer: (line: string) => complete(sh, line),
    tabSize: 8,
  });
  let lineWaiter: ((line: string | null) => void) | undefined;
  rl.on('line', (l) => {
    const wake = lineWaiter;
    lineWaiter = undefined;
    wake?.(fromUtf8(l));
  });
  rl.on('close', () => {
    const wake = lineWaiter;
    lineWaiter = undefined;
    wake?.(null);
  });
  let interrupted = false;
  rl.on('SIGINT', () => {
    // ^C at the prompt: discard the line, new prompt
    output.write('^C\n');
    interrupted = true;
    (rl as unknown as { line: string }).line = '';
    const wake = lineWaiter;
    lineWaiter = undefined;
    wake?.('');
  });
  const readLine = (p: string): Promise<string | null> => {
    rl.setPrompt(toUtf8(p));
    if (!input.isRaw) input.setRawMode(true);
    rl.resume();
    rl.prompt();
    return new Promise((resolve) => (lineWaiter = resolve));
  };

  const run = async (): Promise<number> => {
    await profiles?.();
    const env = sh.get('ENV');
    if (env) {
      const file = expandedEnv(sh, env);
      if (file && fs.existsSync(fsPath(sh.path(file)))) await sourceQuietly(sh, file);
    }
    for (;;) {
      notifyJobs(sh);
      let text = '';
      let first = true;
      let parsed: Command[] | undefined;
      interrupted = false;
      while (!parsed) {
        const line = await readLine(prompt(sh, first ? 'PS1' : 'PS2'));
        if (line === null) {
          if (!first) break;
          if (sh.opts.ignoreeof) {
            output.write('Use "exit" to leave shell.\n');
            continue;
          }
          output.write('\n');
          return sh.status;
        }
        if (interrupted) {
          sh.status = 130;
          text = '';
          first = true;
          interrupted = false;
          continue;
        }
        text += `${line}\n`;
        first = false;
        const cmds: Command[] = [];
        try {
          const parser = new Parser(text, { aliases: (n) => sh.aliases.get(n), firstLine: 1, final: false });
          for (let c = parser.parseNext(); c; c = parser.parseNext()) cmds.push(c);
          parsed = cmds;
        } catch (err) {
          if (err instanceof ParseError && err.incomplete) continue;
          if (err instanceof ParseError) {
            try {
              throw syntaxError(sh, err);
            } catch {
              sh.status = 2;
            }
            parsed = [];
          } else throw err;
        }
      }
      if (!parsed) continue;
      const entry = text.replace(/\n$/, '');
      if (entry.trim()) {
        sh.history.push(entry);
        if (sh.history.length > historyLimit(sh)) sh.history.shift();
        saveHistory(sh);
      }
      rl.pause();
      if (input.isRaw) input.setRawMode(false);
      foreground = new AbortController();
      sh.io.signal = foreground.signal;
      for (const cmd of parsed) {
        try {
          const r = execute(sh, cmd);
          if (typeof r !== 'number') await r;
          await settle(sh);
        } catch (err) {
          if (err instanceof Interrupted) {
            output.write('\n');
            sh.status = 130;
            sh.pendingTraps = [];
            break;
          }
          if (err instanceof ShellError) {
            sh.status = err.status;
            break;
          }
          throw err;
        } finally {
          sh.skip = 0;
        }
      }
      foreground = undefined;
    }
  };

  try {
    return await runToEnd(sh, run);
  } finally {
    saveHistory(sh);
    rl.close();
    input.destroy();
    output.destroy();
    for (const unsubscribe of sh.signalSubs.values()) unsubscribe();
  }
}

/** $ENV after parameter expansion. */
function expandedEnv(sh: Shell, value: string): string {
  return expandHeredoc(sh, parseExpandable(value));
}

/** Run a start-up file; its errors are reported and do not end the shell. */
async function sourceQuietly(sh: Shell, file: string): Promise<void> {
  let text: string;
  try {
    text = fs.readFileSync(fsPath(sh.path(file))).toString('latin1');
  } catch {
    return;
  }
  const saved = sh.commandName;
  sh.commandName = file;
  try {
    await runText(sh, text, { firstLine: 1 });
  } catch (err) {
    if (err instanceof ShellExit) throw err;
    if (!(err instanceof ShellError)) throw err;
  } finally {
    sh.commandName = saved;
  }
}
