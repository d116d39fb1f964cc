// Line-oriented reading without a promise per line: a source is read in large chunks and handed
// out as blocks of whole lines (binary strings, one character per byte), which the caller splits
// synchronously. The delimiter is any single byte: newline, or NUL for the -z options.
import type { ByteSource } from './io.js';

/**
 * Blocks of whole lines, each ending with the delimiter; the last block of the input may end
 * without one (a final line with no newline). A caller that stops early gives back what it did
 * not use with `src.unread()` after leaving the loop; the partial line held here is given back
 * first, so the next reader of a shared input continues exactly where this one stopped.
 */
export async function* lineBlocks(src: ByteSource, delimiter = '\n'): AsyncGenerator<string> {
  let carry = '';
  try {
    for (let chunk = await src.read(); chunk; chunk = await src.read()) {
      const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      const last = text.lastIndexOf(delimiter);
      if (last === -1) {
        carry += text;
        continue;
      }
      const block = carry + text.slice(0, last + 1);
      carry = text.slice(last + 1);
      yield block;
    }
    if (carry) {
      const block = carry;
      carry = '';
      yield block;
    }
  } finally {
    if (carry) src.unread(Buffer.from(carry, 'latin1'));
  }
}

/** What a per-line callback returns: false stops; a promise (from OutBuffer.put) is awaited. */
export type LineResult = boolean | void | Promise<boolean | void>;

/** Calls `each` for every line of `src` (without its delimiter; `terminated` is false for a final
 *  line without one), in order, awaiting only when `each` returns a promise. `each` may return false
 *  to stop; the rest of the input stays unread for the next reader. */
export async function forEachLine(
  src: ByteSource,
  delimiter: string,
  each: (line: string, terminated: boolean) => LineResult,
): Promise<void> {
  let rest = '';
  outer: for await (const block of lineBlocks(src, delimiter)) {
    let start = 0;
    while (start < block.length) {
      const end = block.indexOf(delimiter, start);
      const line = end === -1 ? block.slice(start) : block.slice(start, end);
      start = end === -1 ? block.length : end + 1;
      let r = each(line, end !== -1);
      if (r instanceof Promise) r = await r;
      if (r === false) {
        rest = block.slice(start);
        break outer;
      }
    }
  }
  if (rest) src.unread(Buffer.from(rest, 'latin1'));
}

/** How many times `byte` occurs in `chunk`: four bytes at a time (SWAR), about twice as fast as a
 *  memchr per line when lines are short, which is what `wc -l` spends its time on. */
export function countByte(chunk: Uint8Array, byte: number): number {
  let i = 0;
  let count = 0;
  const n = chunk.length;
  while (i < n && (chunk.byteOffset + i) & 3) if (chunk[i++] === byte) count++;
  const words = (n - i) >> 2;
  if (words > 0) {
    const w32 = new Int32Array(chunk.buffer, chunk.byteOffset + i, words);
    const pattern = Math.imul(byte, 0x01010101);
    for (let w = 0; w < words; ) {
      // Each byte lane of acc counts its matches; 255 words at most, so no lane overflows.
      const stop = Math.min(words, w + 255);
      let acc = 0;
      for (; w < stop; w++) {
        const v = w32[w]! ^ pattern;
        acc += (~(((v & 0x7f7f7f7f) + 0x7f7f7f7f) | v) & 0x80808080) >>> 7; // 1 in each lane that matched
      }
      count += (acc & 0xff) + ((acc >>> 8) & 0xff) + ((acc >>> 16) & 0xff) + (acc >>> 24);
    }
    i += words << 2;
  }
  for (; i < n; i++) if (chunk[i] === byte) count++;
  return count;
}
