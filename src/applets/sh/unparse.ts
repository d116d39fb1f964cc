// Syntax tree → shell text that parses back to the same tree. Used for job listings and `jobs`
// output, and by the parser's round-trip tests.
import type { Command, Part, Redir, Word } from './ast.js';

type Ctx = 'word' | 'dq' | 'pattern' | 'dqArg' | 'arith' | 'heredoc';

class Printer {
  out = '';
  private heredocs: Redir[] = [];

  /** End a line; here-document bodies started on it follow. */
  nl(): void {
    this.out += '\n';
    for (const r of this.heredocs) {
      this.out += r.quoted ? quotedBodyText(r.body) : partsText(r.body?.parts ?? [], 'heredoc');
      this.out += `${delimiter(r.target)}\n`;
    }
    this.heredocs = [];
  }

  command(c: Command): void {
    switch (c.t) {
      case 'simple': {
        const items = [
          ...c.assigns.map((a) => `${a.name}=${wordText(a.value)}`),
          ...c.words.map(wordText),
          ...c.redirs.map((r) => this.redir(r)),
        ];
        this.out += items.join(' ');
        return;
      }
      case 'pipe':
        if (c.bang) this.out += '! ';
        c.cmds.forEach((cmd, i) => {
          if (i) this.out += ' | ';
          this.command(cmd);
        });
        return;
      case 'and':
      case 'or':
        this.command(c.left);
        this.out += c.t === 'and' ? ' && ' : ' || ';
        this.command(c.right);
        return;
      case 'seq':
        c.cmds.forEach((cmd, i) => {
          if (i) this.nl();
          this.command(cmd);
        });
        return;
      case 'bg':
        this.command(c.cmd);
        this.out += ' &';
        return;
      case 'sub':
        this.out += '(';
        this.nl();
        this.command(c.body);
        this.nl();
        this.out += ')';
        break;
      case 'group':
        this.out += '{';
        this.nl();
        this.command(c.body);
        this.nl();
        this.out += '}';
        break;
      case 'if':
        this.ifChain(c);
        this.out += 'fi';
        break;
      case 'while':
      case 'until':
        this.out += `${c.t} `;
        this.command(c.cond);
        this.nl();
        this.out += 'do';
        this.nl();
        this.command(c.body);
        this.nl();
        this.out += 'done';
        break;
      case 'for':
        this.out += `for ${c.name}`;
        if (c.words) this.out += ` in${c.words.map((w) => ` ${wordText(w)}`).join('')}`;
        this.nl();
        this.out += 'do';
        this.nl();
        this.command(c.body);
        this.nl();
        this.out += 'done';
        break;
      case 'case':
        this.out += `case ${wordText(c.word)} in`;
        this.nl();
        for (const item of c.items) {
          this.out += `${item.patterns.map(wordText).join(' | ')})`;
          this.nl();
          if (item.body) {
            this.command(item.body);
            this.nl();
          }
          this.out += item.fallthrough ? ';&' : ';;';
          this.nl();
        }
        this.out += 'esac';
        break;
      case 'func':
        this.out += c.keyword ? `function ${c.name} ` : `${c.name}() `;
        this.command(c.body);
        return;
    }
    if ('redirs' in c) for (const r of c.redirs) this.out += ` ${this.redir(r)}`;
  }

  private ifChain(c: Command & { t: 'if' }): void {
    this.out += c.elif ? 'elif ' : 'if ';
    this.command(c.cond);
    this.nl();
    this.out += 'then';
    this.nl();
    this.command(c.then);
    this.nl();
    if (c.else?.t === 'if' && c.else.elif) this.ifChain(c.else);
    else if (c.else) {
      this.out += 'else';
      this.nl();
      this.command(c.else);
      this.nl();
    }
  }

  private redir(r: Redir): string {
    if (r.op === '<<' || r.op === '<<-') this.heredocs.push(r);
    return `${r.fd ?? ''}${r.op}${wordText(r.target)}`;
  }
}

function delimiter(w: Word): string {
  return w.parts.map((p) => (p.t === 'lit' || p.t === 'q' ? p.s : p.t === 'dq' ? p.parts.map((q) => (q.t === 'q' ? q.s : '')).join('') : '')).join('');
}

function quotedBodyText(w: Word | undefined): string {
  return w?.parts.map((p) => (p.t === 'q' ? p.s : '')).join('') ?? '';
}

function singleQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

export function wordText(w: Word): string {
  return partsText(w.parts, 'word');
}

function partsText(parts: Part[], ctx: Ctx): string {
  return parts.map((p) => partText(p, ctx)).join('');
}

function partText(p: Part, ctx: Ctx): string {
  switch (p.t) {
    case 'lit':
      return p.s;
    case 'q':
      if (ctx === 'dq' || ctx === 'dqArg') return p.s.replace(/[$`"\\]|}/g, (c) => (c === '}' && ctx === 'dq' ? c : `\\${c}`));
      if (ctx === 'heredoc') return p.s.replace(/[$`\\]/g, (c) => `\\${c}`);
      return singleQuote(p.s);
    case 'dq':
      return `"${partsText(p.parts, 'dq')}"`;
    case 'tilde':
      return `~${p.user}`;
    case 'cmd': {
      const body = p.body ? commandText(p.body) : '';
      if (p.backquote) return `\`${body.replace(/[\\`$]/g, (c) => `\\${c}`)}\``;
      return `$(${body.startsWith('(') ? ' ' : ''}${body}\n)`;
    }
    case 'arith':
      return `$((${partsText(p.expr.parts, 'arith')}))`;
    case 'param': {
      if (!p.brace) return `$${p.name}`;
      const inDq = ctx === 'dq' || ctx === 'dqArg' || ctx === 'heredoc';
      const argCtx = (pattern: boolean): Ctx => (inDq && !pattern ? 'dqArg' : 'pattern');
      switch (p.op) {
        case '':
          return `\${${p.name}}`;
        case 'len':
          return `\${#${p.name}}`;
        case '-':
        case '=':
        case '?':
        case '+':
          return `\${${p.name}${p.colon ? ':' : ''}${p.op}${partsText(p.arg?.parts ?? [], argCtx(false))}}`;
        case '#':
        case '##':
        case '%':
        case '%%':
          return `\${${p.name}${p.op}${partsText(p.arg?.parts ?? [], argCtx(true))}}`;
        case '/':
        case '//':
        case '/#':
        case '/%': {
          const rep = p.arg2 ? `/${partsText(p.arg2.parts, argCtx(false))}` : '';
          return `\${${p.name}${p.op}${partsText(p.arg?.parts ?? [], argCtx(true))}${rep}}`;
        }
        case ':': {
          const len = p.arg2 ? `:${partsText(p.arg2.parts, argCtx(false))}` : '';
          const off = partsText(p.arg?.parts ?? [], argCtx(false));
          return `\${${p.name}:${/^[-=?+]/.test(off) ? ' ' : ''}${off}${len}}`;
        }
      }
    }
  }
}

/** A command as shell text. */
export function commandText(c: Command): string {
  const p = new Printer();
  p.command(c);
  p.nl();
  return p.out.replace(/\n$/, '');
}
