// type NAME...: how each name would be run, in ash's words.
import { RESERVED } from '../ast.js';
import { findCommand } from '../external.js';
import type { Shell } from '../shell.js';
import { singleQuote } from '../quote.js';
import { findBuiltin, SPECIAL_NAMES, type Builtin } from './index.js';

export type Kind =
  | { kind: 'alias'; value: string }
  | { kind: 'keyword' }
  | { kind: 'function' }
  | { kind: 'special' | 'builtin' }
  | { kind: 'applet' }
  | { kind: 'file'; path: string };

/** How `name` resolves (aliases and functions unless told otherwise). */
export function resolve(sh: Shell, name: string, opts: { functions?: boolean; defaultPath?: boolean } = {}): Kind | undefined {
  if (sh.aliases.has(name) && opts.functions !== false) return { kind: 'alias', value: sh.aliases.get(name)! };
  if (RESERVED.has(name) && opts.functions !== false) return { kind: 'keyword' };
  if (opts.functions !== false && sh.funcs.has(name)) return { kind: 'function' };
  if (!name.includes('/') && findBuiltin(sh, name)) return { kind: SPECIAL_NAMES.has(name) ? 'special' : 'builtin' };
  const found = findCommand(sh, name);
  if (!found) return undefined;
  if (found.kind === 'applet') return { kind: 'applet' };
  return { kind: 'file', path: found.path };
}

/** `type`'s sentence for a name (and command -V's). */
export function describe(sh: Shell, name: string): string | undefined {
  const k = resolve(sh, name);
  if (!k) return undefined;
  switch (k.kind) {
    case 'alias':
      return `${name} is an alias for ${k.value}`;
    case 'keyword':
      return `${name} is a shell keyword`;
    case 'function':
      return `${name} is a function`;
    case 'special':
      return `${name} is a special shell builtin`;
    case 'builtin':
      return `${name} is a shell builtin`;
    case 'applet':
      return `${name} is ${name}`;
    case 'file':
      return `${name} is ${k.path}`;
  }
}

/** command -v's line for a name. */
export function commandV(sh: Shell, name: string): string | undefined {
  const k = resolve(sh, name);
  if (!k) return undefined;
  if (k.kind === 'alias') return `alias ${name}=${singleQuote(k.value)}`;
  if (k.kind === 'file') return k.path;
  return name;
}

export default {
  run(sh, argv) {
    let status = 0;
    let out = '';
    for (const name of argv.slice(1)) {
      const line = describe(sh, name);
      if (line === undefined) {
        out += `${name}: not found\n`;
        status = 127;
      } else out += `${line}\n`;
    }
    if (!out) return status;
    const w = sh.writeOut(out);
    return w ? w.then(() => status) : status;
  },
} satisfies Builtin;
