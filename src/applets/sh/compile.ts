// Simple commands specialised to closures on their first run. The common shapes (an assignment of
// a literal, an arithmetic or a parameter expansion; a builtin or function named by a literal word
// with literal or "$var" arguments) skip the general machinery of execSimple: no field builder, no
// loops over empty assignment and redirection lists, no command lookup beyond one map. Everything
// else (redirections, command substitutions, other word shapes) keeps the general path.
import type { Param, Simple, Word } from './ast.js';
import { BUILTINS } from './builtins/index.js';
import { arithmetic, expandString, expandWords, paramString, paramValue } from './expand.js';
import { runProgram } from './external.js';
import { callBuiltin, callFunction, checkedDone, EMPTY, type Status, xtrace } from './interp.js';
import type { Shell } from './shell.js';

type Runner = (sh: Shell) => Status;
type StringOf = (sh: Shell) => string;
type ArgvOf = (sh: Shell) => string[];

/** A specialised runner for the command, or undefined when it needs the general path. */
export function simpleRunner(node: Simple): Runner | undefined {
  if (node.redirs.length || node.words.some((w) => w.subst) || node.assigns.some((a) => a.value.subst)) return undefined;
  const line = node.line;
  if (node.words.length === 0) {
    if (node.assigns.length !== 1) return undefined;
    const { name, value } = node.assigns[0]!;
    const valueOf = stringOf(value);
    return (sh) => {
      sh.lineno = line;
      const v = valueOf(sh);
      sh.set(name, v);
      if (sh.opts.xtrace) xtrace(sh, node, EMPTY, [v]);
      sh.status = 0;
      return 0;
    };
  }
  const name = node.words[0]!.lit;
  if (name === undefined || node.assigns.length) return undefined;
  const argvOf = argvGetter(node.words);
  const builtin = BUILTINS.get(name);
  if (builtin?.special) {
    return (sh) => {
      sh.lineno = line;
      const argv = argvOf(sh);
      if (sh.opts.xtrace) xtrace(sh, node, argv, EMPTY);
      sh.prefixAssignments = [];
      return callBuiltin(sh, builtin, argv);
    };
  }
  return (sh) => {
    sh.lineno = line;
    const argv = argvOf(sh);
    if (sh.opts.xtrace) xtrace(sh, node, argv, EMPTY);
    const fn = sh.funcs.get(name);
    if (fn) return callFunction(sh, fn, argv);
    if (builtin) return callBuiltin(sh, builtin, argv);
    const added = sh.io.runtime.extraBuiltins?.get(name);
    if (added) return callBuiltin(sh, added, argv);
    const r = runProgram(sh, argv, sh.exportedEnv());
    return typeof r === 'number' ? checkedDone(sh, r) : r.then((v) => checkedDone(sh, v));
  };
}

/** `"$name"` (not $@ or $*). */
function quotedParam(w: Word): Param | undefined {
  if (w.parts.length !== 1) return undefined;
  const p = w.parts[0]!;
  if (p.t !== 'dq' || p.parts.length !== 1) return undefined;
  const q = p.parts[0]!;
  return q.t === 'param' && q.op === '' && q.name !== '@' && q.name !== '*' ? q : undefined;
}

/** The words as argv: literal words and "$var" words make exactly one field each, so their
 *  array is built directly; any other word takes the general expansion. */
function argvGetter(words: readonly Word[]): ArgvOf {
  const getters: StringOf[] = [];
  for (const w of words) {
    if (w.lit !== undefined) {
      const lit = w.lit;
      getters.push(() => lit);
      continue;
    }
    const qp = quotedParam(w);
    if (!qp) return (sh) => expandWords(sh, words);
    const pname = qp.name;
    getters.push((sh) => {
      const v = paramValue(sh, pname);
      return v !== undefined || !sh.opts.nounset ? (v ?? '') : expandString(sh, w);
    });
  }
  if (words.every((w) => w.lit !== undefined)) {
    const argv = words.map((w) => w.lit!);
    return () => argv.slice();
  }
  switch (getters.length) {
    case 2: {
      const [a, b] = getters as [StringOf, StringOf];
      return (sh) => [a(sh), b(sh)];
    }
    case 3: {
      const [a, b, c] = getters as [StringOf, StringOf, StringOf];
      return (sh) => [a(sh), b(sh), c(sh)];
    }
    case 4: {
      const [a, b, c, d] = getters as [StringOf, StringOf, StringOf, StringOf];
      return (sh) => [a(sh), b(sh), c(sh), d(sh)];
    }
    case 5: {
      const [a, b, c, d, e] = getters as [StringOf, StringOf, StringOf, StringOf, StringOf];
      return (sh) => [a(sh), b(sh), c(sh), d(sh), e(sh)];
    }
    default:
      return (sh) => getters.map((g) => g(sh));
  }
}

/** A word as one string (assignment values). */
function stringOf(w: Word): StringOf {
  if (w.lit !== undefined) {
    const lit = w.lit;
    return () => lit;
  }
  if (w.parts.length === 1) {
    const p = w.parts[0]!;
    if (p.t === 'arith') return (sh) => String(arithmetic(sh, p));
    if (p.t === 'param') return (sh) => paramString(sh, p);
    if (p.t === 'dq' && p.parts.every((q) => q.t === 'q' || (q.t === 'param' && q.name !== '@' && q.name !== '*'))) {
      const pieces: StringOf[] = p.parts.map((q) => {
        if (q.t === 'q') {
          const s = q.s;
          return () => s;
        }
        return (sh) => paramString(sh, q as Param);
      });
      if (pieces.length === 1) return pieces[0]!;
      return (sh) => {
        let out = '';
        for (let i = 0; i < pieces.length; i++) out += pieces[i]!(sh);
        return out;
      };
    }
  }
  return (sh) => expandString(sh, w);
}
