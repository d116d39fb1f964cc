// Text is bytes. Inside toolbox every string that carries user data (arguments, environment values,
// file names, file contents) is a *binary string*: one UTF-16 code unit per byte, 0–255, as Node's
// 'latin1' encoding produces. Nothing is ever lost or replaced, whatever the encoding of the data.
// Conversions happen only at the edges: process arguments and environment arrive as UTF-8 strings
// (fromUtf8), file-system calls take Buffers (fsPath), spawned programs get UTF-8 strings (toUtf8),
// and display width is measured on the decoded UTF-8 text.

/** Binary string → bytes. */
export function toBytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** Bytes → binary string. */
export function fromBytes(b: Uint8Array, start = 0, end = b.length): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', start, end);
}

const nonAscii = /[^\x00-\x7f]/;

/** A JavaScript (UTF-16) string, such as Node gives for argv and env, → binary string of its UTF-8 bytes. */
export function fromUtf8(s: string): string {
  return nonAscii.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** Binary string → JavaScript string, decoding its bytes as UTF-8 (invalid sequences become U+FFFD). */
export function toUtf8(s: string): string {
  return nonAscii.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** A binary-string path as the Buffer node:fs needs to see the exact bytes. */
export function fsPath(p: string): Buffer | string {
  return nonAscii.test(p) ? Buffer.from(p, 'latin1') : p;
}

/** Columns a binary string takes on a UTF-8 terminal (wide East Asian characters count 2). */
export function displayWidth(s: string): number {
  if (!nonAscii.test(s)) return s.length;
  let width = 0;
  for (const ch of toUtf8(s)) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    if (cp >= 0x300 && cp <= 0x36f) continue; // combining marks
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
