// The environment an applet sees: names and values are binary strings (see bytes.ts).
import { toUtf8 } from './bytes.js';

/** A Map-like environment. child() is a cheap copy: the two share storage until either one changes. */
export class Env {
  private vars: Map<string, string>;
  private shared = false;

  constructor(init?: Iterable<readonly [string, string]> | Record<string, string | undefined>) {
    this.vars = new Map();
    if (!init) return;
    const pairs = Symbol.iterator in init ? (init as Iterable<readonly [string, string]>) : Object.entries(init);
    for (const [name, value] of pairs) if (value !== undefined) this.vars.set(name, value);
  }

  get(name: string): string | undefined {
    return this.vars.get(name);
  }
  has(name: string): boolean {
    return this.vars.has(name);
  }
  set(name: string, value: string): void {
    this.own().set(name, value);
  }
  delete(name: string): void {
    if (this.vars.has(name)) this.own().delete(name);
  }
  clear(): void {
    this.vars = new Map();
    this.shared = false;
  }
  get size(): number {
    return this.vars.size;
  }
  entries(): IterableIterator<[string, string]> {
    return this.vars.entries();
  }
  keys(): IterableIterator<string> {
    return this.vars.keys();
  }

  /** An independent copy that costs nothing until one side changes. */
  child(): Env {
    const copy = new Env();
    copy.vars = this.vars;
    copy.shared = this.shared = true;
    return copy;
  }

  /** The environment as a spawned program gets it (Node wants JavaScript strings; they go out as UTF-8). */
  toProcessEnv(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of this.vars) out[toUtf8(name)] = toUtf8(value);
    return out;
  }

  private own(): Map<string, string> {
    if (this.shared) {
      this.vars = new Map(this.vars);
      this.shared = false;
    }
    return this.vars;
  }
}
