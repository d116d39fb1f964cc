// A backtracking matcher for what JavaScript's RegExp cannot answer exactly: the longest match at a
// position (POSIX leftmost-longest), glibc's groups for it (the first path, in priority order, that
// ends there: earlier alternatives first, repetitions greedy, groups keeping their last iteration),
// and back-references to groups that did not take part (which fail in glibc, match empty in JS).
//
// The program is the syntax tree flattened into instructions; {m,n} is unrolled as glibc does.
// Without back-references every (instruction, position) pair is explored at most once per call, so
// a call costs O(program × subject); with them the search is exhaustive, as glibc's is.
import { isWordChar, toLower } from './charset.js';
import { RegexSyntaxError, type Assertion, type Node } from './parse.js';
import type { MatchEnv } from './to-js.js';

const enum Op {
  SET,
  SPLIT, // a: preferred branch, b: the other
  JMP,
  SAVE, // a: slot, b: 1 if the group is a repeated element's optional copy (glibc's opt_subexp)
  ASSERT, // a: assertion code
  BACKREF, // a: group
  MARK, // a: loop register: remember where this iteration started
  CHECK, // a: loop register: fail an iteration that consumed nothing
  MATCH,
}

const ASSERTIONS: Assertion[] = ['bol', 'eol', 'bob', 'eob', 'word', 'notword', 'wordstart', 'wordend', 'nowordbefore', 'nowordafter'];
const MAX_PROGRAM = 1 << 21;

const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) WORD[c] = isWordChar(c) ? 1 : 0;

export class Program {
  private ops: number[] = [];
  private as: number[] = [];
  private bs: number[] = [];
  private readonly sets: Uint8Array[] = [];
  private loops = 0;
  readonly hasBackrefs: boolean;
  private visited = new Uint32Array(0);
  private generation = 0;

  constructor(
    root: Node,
    readonly groups: number,
    private readonly env: MatchEnv,
    private readonly ignoreCase: boolean,
  ) {
    let backrefs = false;
    const walk = (n: Node) => {
      if (n.type === 'backref') backrefs = true;
      else if (n.type === 'cat') n.items.forEach(walk);
      else if (n.type === 'alt') n.alts.forEach(walk);
      else if (n.type === 'group' || n.type === 'repeat') walk(n.body);
    };
    walk(root);
    this.hasBackrefs = backrefs;
    this.emit(Op.SAVE, 0);
    this.compile(root);
    this.emit(Op.SAVE, 1);
    this.emit(Op.MATCH);
  }

  private emit(op: Op, a = 0, b = 0): number {
    if (this.ops.length >= MAX_PROGRAM) throw new RegexSyntaxError('Regular expression too big');
    this.ops.push(op);
    this.as.push(a);
    this.bs.push(b);
    return this.ops.length - 1;
  }

  private compile(node: Node, optionalCopy = false): void {
    switch (node.type) {
      case 'set': {
        const set = node.set.slice();
        if (this.env.separator !== undefined) set[this.env.separator] = 0;
        this.sets.push(set);
        this.emit(Op.SET, this.sets.length - 1);
        return;
      }
      case 'empty':
        return;
      case 'assert':
        this.emit(Op.ASSERT, ASSERTIONS.indexOf(node.kind));
        return;
      case 'backref':
        this.emit(Op.BACKREF, node.index);
        return;
      case 'group':
        this.emit(Op.SAVE, 2 * node.index, optionalCopy ? 1 : 0);
        this.compile(node.body);
        this.emit(Op.SAVE, 2 * node.index + 1, optionalCopy ? 1 : 0);
        return;
      case 'cat':
        for (const item of node.items) this.compile(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        node.alts.forEach((alt, i) => {
          if (i < node.alts.length - 1) {
            const split = this.emit(Op.SPLIT);
            this.as[split] = this.ops.length;
            this.compile(alt);
            jumps.push(this.emit(Op.JMP));
            this.bs[split] = this.ops.length;
          } else this.compile(alt);
        });
        for (const j of jumps) this.as[j] = this.ops.length;
        return;
      }
      case 'repeat': {
        const { min, max, body } = node;
        for (let i = 0; i < min; i++) this.compile(body);
        if (max === Infinity) {
          const nullable = canBeEmpty(body);
          const reg = nullable ? this.loops++ : 0;
          const head = this.emit(Op.SPLIT);
          this.as[head] = this.ops.length;
          if (nullable) this.emit(Op.MARK, reg);
          this.compile(body, true);
          if (nullable) this.emit(Op.CHECK, reg);
          this.emit(Op.JMP, head);
          this.bs[head] = this.ops.length;
        } else {
          // x{0,n} as (x(x(x)?)?)?, each optional copy preferred.
          const splits: number[] = [];
          for (let i = min; i < max; i++) {
            const split = this.emit(Op.SPLIT);
            this.as[split] = this.ops.length;
            splits.push(split);
            this.compile(body, true);
          }
          for (const s of splits) this.bs[s] = this.ops.length;
        }
        return;
      }
    }
  }

  /** The end of the longest match starting exactly at `start`, or -1. */
  longest(s: string, start: number): number {
    return this.run(s, start, -1, null);
  }

  /** The groups of the first path (in priority order) from `start` that ends exactly at `end`:
   *  [start0, end0, start1, end1, …], -1 for groups that did not take part; null if there is none. */
  groupsFor(s: string, start: number, end: number): Int32Array | null {
    const events: number[] = [];
    if (this.run(s, start, end, events) < 0) return null;
    return replayGroups(events, this.groups);
  }

  /** Leftmost-longest search from `from` (when JavaScript cannot do the searching). */
  search(s: string, from: number): number {
    for (let p = from; p <= s.length; p++) {
      if (this.longest(s, p) >= 0) return p;
    }
    return -1;
  }

  private assert(kind: number, s: string, pos: number): boolean {
    const env = this.env;
    const prev = pos > 0 ? s.charCodeAt(pos - 1) : -1;
    const next = pos < s.length ? s.charCodeAt(pos) : -1;
    switch (ASSERTIONS[kind]) {
      case 'bol':
        return prev < 0 || prev === env.separator || (!!env.anchorsAtNewline && prev === 10);
      case 'eol':
        return next < 0 || next === env.separator || (!!env.anchorsAtNewline && next === 10);
      case 'bob':
        return prev < 0 || prev === env.separator;
      case 'eob':
        return next < 0 || next === env.separator;
      case 'word':
        return (prev >= 0 && WORD[prev] === 1) !== (next >= 0 && WORD[next] === 1);
      case 'notword':
        return (prev >= 0 && WORD[prev] === 1) === (next >= 0 && WORD[next] === 1);
      case 'wordstart':
        return !(prev >= 0 && WORD[prev] === 1) && next >= 0 && WORD[next] === 1;
      case 'wordend':
        return prev >= 0 && WORD[prev] === 1 && !(next >= 0 && WORD[next] === 1);
      case 'nowordbefore':
        return !(prev >= 0 && WORD[prev] === 1);
      case 'nowordafter':
        return !(next >= 0 && WORD[next] === 1);
    }
    return false;
  }

  /** Depth-first in priority order. target < 0: explore everything, return the farthest end. Else
   *  stop at the first path ending at target, filling caps. */
  private run(s: string, start: number, target: number, events: number[] | null): number {
    const { ops, as, bs, sets } = this;
    const caps = new Int32Array(2 * (this.groups + 1)).fill(-1);
    const regs = new Int32Array(this.loops).fill(-1);
    const len = s.length;
    const width = len - start + 1;
    // Visited (pc, pos) pairs, stamped with a generation so the table is reused between calls.
    const prune = !this.hasBackrefs;
    const cells = ops.length * width;
    let seen: Set<number> | undefined;
    if (prune) {
      if (cells <= 1 << 24) {
        if (this.visited.length < cells) this.visited = new Uint32Array(Math.max(cells, this.visited.length * 2));
        if (++this.generation === 0xffffffff) {
          this.visited.fill(0);
          this.generation = 1;
        }
      } else seen = new Set();
    }
    const gen = this.generation;
    const visited = this.visited;
    const seenStates = this.hasBackrefs ? new Set<string>() : undefined;
    // Backtrack stack: [pc, pos, trailLength, eventsLength]; trail: [slot (regs as negative), old
    // value]; events (target mode): the path's group boundaries, [slot, optional copy?, pos].
    const stack: number[] = [];
    const trail: number[] = [];
    let best = -1;
    let pc = 0;
    let pos = start;
    for (;;) {
      let fail = false;
      if (prune) {
        const key = pc * width + (pos - start);
        if (seen) {
          if (seen.has(key)) fail = true;
          else seen.add(key);
        } else if (visited[key] === gen) fail = true;
        else visited[key] = gen;
      } else if (seenStates && ops[pc] === Op.SPLIT) {
        const key = `${pc},${pos},${caps.join(',')},${regs.join(',')}`;
        if (seenStates.has(key)) fail = true;
        else seenStates.add(key);
      }
      if (!fail) {
        switch (ops[pc]) {
          case Op.SET:
            if (pos < len && sets[as[pc]!]![s.charCodeAt(pos)] === 1) {
              pos++;
              pc++;
            } else fail = true;
            break;
          case Op.SPLIT:
            stack.push(bs[pc]!, pos, trail.length, events ? events.length : 0);
            pc = as[pc]!;
            break;
          case Op.JMP:
            pc = as[pc]!;
            break;
          case Op.SAVE: {
            const slot = as[pc]!;
            trail.push(slot, caps[slot]!);
            caps[slot] = pos;
            events?.push(slot, bs[pc]!, pos);
            pc++;
            break;
          }
          case Op.MARK: {
            const r = as[pc]!;
            trail.push(-1 - r, regs[r]!);
            regs[r] = pos;
            pc++;
            break;
          }
          case Op.CHECK:
            if (regs[as[pc]!] === pos) fail = true;
            else pc++;
            break;
          case Op.ASSERT:
            if (this.assert(as[pc]!, s, pos)) pc++;
            else fail = true;
            break;
          case Op.BACKREF: {
            const g = as[pc]!;
            const from = caps[2 * g]!;
            const to = caps[2 * g + 1]!;
            if (from < 0 || to < 0) {
              fail = true; // a group that did not take part matches nothing (glibc)
              break;
            }
            const n = to - from;
            if (pos + n > len) {
              fail = true;
              break;
            }
            for (let k = 0; k < n; k++) {
              const a = s.charCodeAt(from + k);
              const b = s.charCodeAt(pos + k);
              if (a !== b && !(this.ignoreCase && toLower(a) === toLower(b))) {
                fail = true;
                break;
              }
            }
            if (!fail) {
              pos += n;
              pc++;
            }
            break;
          }
          case Op.MATCH:
            if (target < 0) {
              if (pos > best) best = pos;
              if (best === len) return best;
              fail = true;
            } else if (pos === target) return pos;
            else fail = true;
            break;
        }
      }
      if (fail) {
        if (stack.length === 0) return target < 0 ? best : -1;
        const eventsLength = stack.pop()!;
        if (events) events.length = eventsLength;
        const mark = stack.pop()!;
        pos = stack.pop()!;
        pc = stack.pop()!;
        while (trail.length > mark) {
          const old = trail.pop()!;
          const slot = trail.pop()!;
          if (slot >= 0) caps[slot] = old;
          else regs[-1 - slot] = old;
        }
      }
    }
  }
}

/** The groups glibc reports for a path, from its group boundaries in order (update_regs in
 *  regexec.c): a group that matches empty in an optional copy of itself, after having matched
 *  before, leaves every group as it was at that last non-empty match. */
function replayGroups(events: number[], groups: number): Int32Array {
  let caps = new Int32Array(2 * (groups + 1)).fill(-1);
  let previous = caps.slice();
  for (let i = 0; i < events.length; i += 3) {
    const slot = events[i]!;
    const optional = events[i + 1] === 1;
    const pos = events[i + 2]!;
    if (slot % 2 === 0) {
      caps[slot] = pos;
      caps[slot + 1] = -1;
    } else if (caps[slot - 1]! < pos) {
      caps[slot] = pos;
      previous = caps.slice();
    } else if (optional && previous[slot - 1] !== -1) {
      caps = previous.slice();
    } else caps[slot] = pos;
  }
  for (let g = 0; g <= groups; g++) if (caps[2 * g + 1] === -1) caps[2 * g] = -1;
  return caps;
}

/** Whether node can match the empty string (its loops then need a guard against empty iterations). */
export function canBeEmpty(node: Node): boolean {
  switch (node.type) {
    case 'set':
      return false;
    case 'empty':
    case 'assert':
    case 'backref':
      return true;
    case 'group':
      return canBeEmpty(node.body);
    case 'repeat':
      return node.min === 0 || canBeEmpty(node.body);
    case 'cat':
      return node.items.every(canBeEmpty);
    case 'alt':
      return node.alts.some(canBeEmpty);
  }
}
