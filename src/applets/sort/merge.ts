// Merging sorted inputs: sort's temporary runs, and -m. A binary heap holds the current line of
// each input; ties go to the earlier input, so merging keeps sort stable. Lines are read a block
// at a time and written in large pieces.
import * as fs from 'node:fs';
import { type Ordering, type SortRecord, comparator, prepare } from './keys.js';

export interface RunSource {
  lines: AsyncGenerator<string[]>;
}

interface Cursor {
  index: number;
  block: string[];
  at: number;
  record: SortRecord;
  lines: AsyncGenerator<string[]>;
}

/** Write lines, each followed by the delimiter (or, `raw`, the strings as they are) to fd. */
export function writeRun(fd: number, lines: string[], delimiter: string, raw = false): void {
  for (let i = 0; i < lines.length; i += 4096) {
    const part = lines.slice(i, i + 4096);
    const buf = Buffer.from(raw ? part.join('') : part.join(delimiter) + delimiter, 'latin1');
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
  }
}

export async function mergeSources(
  sources: RunSource[],
  ordering: Ordering,
  unique: boolean,
  delimiter: string,
  write: (data: string) => Promise<void>,
): Promise<void> {
  const cmp = comparator(ordering);
  const before = (a: Cursor, b: Cursor) => {
    const d = cmp(a.record, b.record);
    return d < 0 || (d === 0 && a.index < b.index);
  };
  const heap: Cursor[] = [];
  const push = (c: Cursor) => {
    heap.push(c);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const siftDown = () => {
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  /** Move a cursor to its next line; false when its input is done. */
  const advance = async (c: Cursor): Promise<boolean> => {
    c.at++;
    while (c.at >= c.block.length) {
      const next = await c.lines.next();
      if (next.done) return false;
      c.block = next.value;
      c.at = 0;
    }
    c.record = prepare(c.block[c.at]!, ordering);
    return true;
  };
  for (const [index, source] of sources.entries()) {
    const c: Cursor = { index, block: [], at: -1, record: { line: '', keys: [] }, lines: source.lines };
    if (await advance(c)) push(c);
  }
  let out = '';
  let last: SortRecord | undefined;
  while (heap.length) {
    const top = heap[0]!;
    if (!(unique && last && cmp(last, top.record) === 0)) {
      out += top.record.line + delimiter;
      last = top.record;
      if (out.length >= 256 * 1024) {
        await write(out);
        out = '';
      }
    }
    if (await advance(top)) siftDown();
    else {
      const end = heap.pop()!;
      if (heap.length) {
        heap[0] = end;
        siftDown();
      }
    }
  }
  if (out) await write(out);
}
