// Counts and sizes as GNU's xstrtoumax reads them: decimal digits (leading blanks and `+` allowed)
// and an optional multiplier suffix (`b` 512, `K`/`k` 1024, `KB` 1000, `KiB` 1024, `M`, `G` …),
// limited to the set the calling tool accepts. Values are BigInts: a count may be as large as
// 2^64-1 (`head -n 18446744073709551615`), and only beyond that is it an overflow.

export const UINTMAX_MAX = (1n << 64n) - 1n;

export type CountResult = { value: bigint } | { error: 'invalid' | 'overflow' };

const POWERS: Record<string, number> = { k: 1, K: 1, m: 2, M: 2, g: 3, G: 3, t: 4, T: 4, P: 5, E: 6, Z: 7, Y: 8, R: 9, Q: 10 };

/**
 * Parse `text` like xstrtoumax(text, 10, validSuffixes). A `0` among the valid suffixes allows the
 * second-letter forms `KB` (powers of 1000) and `KiB` (powers of 1024), as GNU's tools do.
 */
export function parseCount(text: string, validSuffixes = '', max = UINTMAX_MAX): CountResult {
  const m = /^[ \t\n\v\f\r]*(\+)?([0-9]*)(.*)$/s.exec(text)!;
  const digits = m[2]!;
  let rest = m[3]!;
  let value: bigint;
  if (digits) value = BigInt(digits);
  else if (rest && validSuffixes.includes(rest[0]!) && !m[1]) value = 1n; // "K" alone means 1K
  else return { error: 'invalid' };
  if (rest === '') return value > max ? { error: 'overflow' } : { value };
  const suffix = rest[0]!;
  if (!validSuffixes.includes(suffix)) return { error: 'invalid' };
  let base = 1024n;
  let consumed = 1;
  if (validSuffixes.includes('0')) {
    if (rest[1] === 'i' && rest[2] === 'B') consumed = 3;
    else if (rest[1] === 'B' || rest[1] === 'D') {
      base = 1000n;
      consumed = 2;
    }
  }
  let factor: bigint;
  if (suffix === 'b') factor = 512n;
  else if (suffix === 'B') factor = 1024n;
  else if (suffix === 'c') factor = 1n;
  else if (suffix === 'w') factor = 2n;
  else if (POWERS[suffix] !== undefined) factor = base ** BigInt(POWERS[suffix]);
  else return { error: 'invalid' };
  rest = rest.slice(consumed);
  if (rest !== '') return { error: 'invalid' };
  value *= factor;
  return value > max ? { error: 'overflow' } : { value };
}
