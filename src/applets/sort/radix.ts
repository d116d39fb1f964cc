// Fast sorting of decorated lines. JavaScript's Array.prototype.sort calls a comparator for each of
// its n·log n comparisons, which dominates sort's time on big inputs. Instead, the comparison is
// split into stages (each key in turn, then the last resort), and each stage orders the lines by a
// 64-bit value whose order agrees with it — six bytes of text at a time, or a number — using a
// stable LSD radix sort over typed arrays (insertion sort for small groups). Lines that tie go on
// to the next six bytes (an MSD recursion) or the next stage. Stages no number can stand for, and
// numbers too long for a double, use their comparators. Everything is stable, as sort -s needs.

export type Stage<T> =
  | { kind: 'text'; text: (item: T) => string; reverse: boolean }
  /** Items are line numbers; line i is buf[starts[i], ends[i]) (plain sort works on the bytes). */
  | { kind: 'bytes'; buf: Uint8Array; starts: Uint32Array; ends: Uint32Array; reverse: boolean }
  | {
      kind: 'number';
      value: (item: T) => number;
      /** false when equal values may still differ (numbers with more digits than a double keeps) */
      exact: (item: T) => boolean;
      reverse: boolean;
      compare: (a: T, b: T) => number;
    }
  | { kind: 'compare'; compare: (a: T, b: T) => number };

/** Groups smaller than this are sorted by insertion rather than counting passes. */
const SMALL = 64;
const MAX27 = (1 << 27) - 1;

/** Sort items stably by the stages in turn. */
export function radixSortItems<T>(items: T[], stages: Stage<T>[]): T[] {
  const n = items.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const scratch = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const wide = new Uint32Array(1 << 16);
  const narrow = new Uint32Array(1 << 8);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const result: T[] = new Array(n);
  let written = 0;

  /** Sort order[start, end) with a comparator, then either emit it or split it into runs that
   *  compare equal and send those on to the next stage. */
  const byComparator = (start: number, end: number, compare: (a: T, b: T) => number, next: number | undefined): void => {
    const group = Array.from(order.subarray(start, end));
    group.sort((x, y) => compare(items[x]!, items[y]!));
    if (next === undefined) {
      for (const i of group) result[written++] = items[i]!;
      return;
    }
    order.set(group, start);
    for (let s = 0; s < group.length; ) {
      let e = s + 1;
      while (e < group.length && compare(items[group[s]!]!, items[group[e]!]!) === 0) e++;
      sortRange(start + s, start + e, next, 0);
      s = e;
    }
  };

  /** Stable insertion sort of order[start, end) by hi:lo, for groups too small for counting passes. */
  const insertionSort = (start: number, end: number): void => {
    for (let k = start + 1; k < end; k++) {
      const item = order[k]!;
      const h = hi[item]!;
      const l = lo[item]!;
      let j = k - 1;
      for (; j >= start; j--) {
        const other = order[j]!;
        if (hi[other]! < h || (hi[other] === h && lo[other]! <= l)) break;
        order[j + 1] = other;
      }
      order[j + 1] = item;
    }
  };

  /** One stable counting pass over order[start, end) by `bits` bits of words[] from `shift`. */
  const pass = (start: number, end: number, words: Uint32Array, shift: number, bits: number): void => {
    const count = bits === 16 ? wide : narrow;
    const mask = (1 << bits) - 1;
    count.fill(0);
    for (let k = start; k < end; k++) count[(words[order[k]!]! >>> shift) & mask]!++;
    if (count[(words[order[start]!]! >>> shift) & mask] === end - start) return; // the same digit everywhere
    let sum = start;
    for (let d = 0; d <= mask; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let k = start; k < end; k++) {
      const item = order[k]!;
      scratch[count[(words[item]! >>> shift) & mask]!++] = item;
    }
    order.set(scratch.subarray(start, end), start);
  };

  const sortRange = (start: number, end: number, stageIndex: number, depth: number): void => {
    if (end - start === 1) {
      result[written++] = items[order[start]!]!;
      return;
    }
    const stage = stages[stageIndex];
    if (!stage) {
      // Equal in every stage: keep the input order.
      for (let k = start; k < end; k++) result[written++] = items[order[k]!]!;
      return;
    }
    if (stage.kind === 'compare') {
      byComparator(start, end, stage.compare, stageIndex + 1);
      return;
    }
    let longest = 0;
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const item = items[i]!;
      if (stage.kind === 'bytes') {
        const line = item as unknown as number;
        const from = stage.starts[line]! + depth;
        const len = stage.ends[line]! - from;
        if (len + depth > longest) longest = len + depth;
        const b = stage.buf;
        let h = 0;
        let l = 0;
        for (let j = 0; j < 3; j++) h = (h << 9) | (j < len ? b[from + j]! + 1 : 0);
        for (let j = 3; j < 6; j++) l = (l << 9) | (j < len ? b[from + j]! + 1 : 0);
        hi[i] = stage.reverse ? MAX27 - h : h;
        lo[i] = stage.reverse ? MAX27 - l : l;
      } else if (stage.kind === 'text') {
        const s = stage.text(item);
        const len = s.length;
        if (len > longest) longest = len;
        let h = 0;
        let l = 0;
        for (let j = 0; j < 3; j++) h = (h << 9) | (depth + j < len ? s.charCodeAt(depth + j) + 1 : 0);
        for (let j = 3; j < 6; j++) l = (l << 9) | (depth + j < len ? s.charCodeAt(depth + j) + 1 : 0);
        hi[i] = stage.reverse ? MAX27 - h : h;
        lo[i] = stage.reverse ? MAX27 - l : l;
      } else {
        const x = stage.value(item);
        f64[0] = x === 0 ? 0 : x; // -0 sorts with 0
        let l = u32[0]!;
        let h = u32[1]!;
        if (h & 0x80000000) {
          h = ~h >>> 0;
          l = ~l >>> 0;
        } else h = (h | 0x80000000) >>> 0;
        hi[i] = stage.reverse ? ~h >>> 0 : h;
        lo[i] = stage.reverse ? ~l >>> 0 : l;
      }
    }
    if (end - start < SMALL) insertionSort(start, end);
    else {
      const bits = end - start > 16384 ? 16 : 8;
      for (const words of [lo, hi]) for (let shift = 0; shift < 32; shift += bits) pass(start, end, words, shift, bits);
    }
    for (let s = start; s < end; ) {
      const first = order[s]!;
      let e = s + 1;
      while (e < end && hi[order[e]!] === hi[first] && lo[order[e]!] === lo[first]) e++;
      if (e - s === 1) result[written++] = items[first]!;
      else if (stage.kind === 'text' || stage.kind === 'bytes') {
        // Equal so far: six more bytes if any reach that far, else the next stage.
        const line = items[first] as unknown as number;
        const length = stage.kind === 'text' ? stage.text(items[first]!).length : stage.ends[line]! - stage.starts[line]!;
        if (longest >= depth + 6 && length >= depth + 6) sortRange(s, e, stageIndex, depth + 6);
        else sortRange(s, e, stageIndex + 1, 0);
      } else {
        let exact = true;
        for (let k = s; k < e && exact; k++) exact = stage.exact(items[order[k]!]!);
        if (exact) sortRange(s, e, stageIndex + 1, 0);
        else byComparator(s, e, stage.compare, stageIndex + 1);
      }
      s = e;
    }
  };

  if (n > 0) sortRange(0, n, 0, 0);
  return result;
}
