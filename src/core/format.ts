// Number and layout formatting shared by ls, du, df, stat and friends: GNU's human-readable sizes
// (gnulib human.c: `-h` powers of 1024 with K M G …, `--si` powers of 1000 with k M G …, rounding up
// by default), block-size specifications (`--block-size=1M`, BLOCK_SIZE), and the column layout
// ls -C/-x use to fit names into a line.
import { AppletError } from './errors.js';

export interface HumanOptions {
  /** Pick the power of the base that keeps the number short (-h, --si). */
  autoscale?: boolean;
  /** Powers of 1024 (else 1000). */
  base1024?: boolean;
  /** Append the power's letter (K, M …; k for 1000). */
  suffix?: boolean;
  /** Append B (or iB for powers of 1024) after the letter. */
  bytesSuffix?: boolean;
  /** A space between the number and the suffix. */
  spaceBeforeUnit?: boolean;
  /** Group thousands (`'` prefix of a block size); the C locale has no separator, so digits stay as they are. */
  groupDigits?: boolean;
  /** How to round an inexact result; GNU rounds up unless told otherwise. */
  round?: 'ceiling' | 'floor' | 'nearest';
}

/** The options GNU tools use for -h and --si. */
export const HUMAN_1024: HumanOptions = { autoscale: true, base1024: true, suffix: true };
export const HUMAN_SI: HumanOptions = { autoscale: true, suffix: true };

const POWER_LETTERS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y', 'R', 'Q'];
const EXPONENT_MAX = 8; // gnulib stops at Y

/**
 * `n` units of `fromBlock` bytes, expressed in units of `toBlock` bytes, as GNU's human_readable
 * prints it: `humanReadable(1536, 1, 1, HUMAN_1024)` → `1.5K`; `humanReadable(8, 512, 1024)` → `4`.
 */
export function humanReadable(n: number, opts: HumanOptions = {}, fromBlock = 1, toBlock = 1): string {
  // Exact in doubles: scale up, or divide rounding up or down (ls -s, du, df's usual cases).
  if (!opts.autoscale && !opts.suffix && Number.isSafeInteger(n)) {
    if (toBlock <= fromBlock && fromBlock % toBlock === 0) {
      const value = n * (fromBlock / toBlock);
      if (Number.isSafeInteger(value)) return String(value);
    } else if (fromBlock > 0 && toBlock % fromBlock === 0 && opts.round !== 'nearest') {
      const divisor = toBlock / fromBlock;
      const q = Math.floor(n / divisor);
      return String(opts.round === 'floor' || q * divisor === n ? q : q + 1);
    }
  }
  return humanBig(BigInt(Math.trunc(n)), opts, BigInt(fromBlock), BigInt(toBlock));
}

function humanBig(n: bigint, opts: HumanOptions, from: bigint, to: bigint): string {
  const round = opts.round ?? 'ceiling';
  const base = opts.base1024 ? 1024n : 1000n;
  let amt: bigint;
  let tenths = 0n;
  // 0: exact; 1: below the half tenth; 2: exactly half; 3: above the half
  let rounding = 0n;
  let exponent = -1;
  let fraction = '';

  if (to <= from && from % to === 0n) amt = n * (from / to);
  else if (from !== 0n && to % from === 0n) {
    const divisor = to / from;
    const r10 = (n % divisor) * 10n;
    const r2 = (r10 % divisor) * 2n;
    amt = n / divisor;
    tenths = r10 / divisor;
    rounding = r2 < divisor ? (r2 > 0n ? 1n : 0n) : divisor < r2 ? 3n : 2n;
  } else {
    // Block sizes that are not multiples of each other: exact rational arithmetic.
    const num = n * from;
    amt = num / to;
    const rem = num % to;
    const r10 = rem * 10n;
    tenths = r10 / to;
    const r2 = (r10 % to) * 2n;
    rounding = r2 < to ? (r2 > 0n ? 1n : 0n) : to < r2 ? 3n : 2n;
  }

  if (opts.autoscale) {
    exponent = 0;
    if (base <= amt) {
      do {
        const r10 = (amt % base) * 10n + tenths;
        const r2 = (r10 % base) * 2n + (rounding >> 1n);
        amt /= base;
        tenths = r10 / base;
        rounding = r2 < base ? (r2 + rounding !== 0n ? 1n : 0n) : base < r2 + rounding ? 3n : 2n;
        exponent++;
      } while (base <= amt && exponent < EXPONENT_MAX);
      if (amt < 10n) {
        if (round === 'nearest' ? 2n < rounding + (tenths & 1n) : round === 'ceiling' && rounding > 0n) {
          tenths++;
          rounding = 0n;
          if (tenths === 10n) {
            amt++;
            tenths = 0n;
          }
        }
        if (amt < 10n) {
          fraction = `.${tenths}`;
          tenths = 0n;
          rounding = 0n;
        }
      }
    }
  }
  if (round === 'nearest' ? 5n < tenths + (rounding + (amt & 1n) > 0n ? 1n : 0n) : round === 'ceiling' && tenths + rounding > 0n) {
    amt++;
    if (opts.autoscale && amt === base && exponent < EXPONENT_MAX) {
      exponent++;
      fraction = '.0';
      amt = 1n;
    }
  }
  let out = amt.toString() + fraction;
  if (opts.suffix) {
    if (exponent < 0) {
      exponent = 0;
      for (let power = 1n; power < to; power *= base) if (++exponent === EXPONENT_MAX) break;
    }
    if ((exponent || opts.bytesSuffix) && opts.spaceBeforeUnit) out += ' ';
    if (exponent) out += !opts.base1024 && exponent === 1 ? 'k' : POWER_LETTERS[exponent]!;
    if (opts.bytesSuffix) out += opts.base1024 && exponent ? 'iB' : 'B';
  }
  return out;
}

/** A block size and how to print amounts in it, as --block-size, BLOCK_SIZE and friends give it. */
export interface BlockSize {
  size: number;
  human: HumanOptions;
}

const SUFFIX_POWERS: Record<string, number> = { k: 1, K: 1, m: 2, M: 2, g: 3, G: 3, t: 4, T: 4, p: 5, P: 5, e: 6, E: 6, z: 7, Z: 7, y: 8, Y: 8 };

/**
 * Parse a GNU block size (`1K`, `M`, `1MB`, `KiB`, `human-readable`, `si`, `'1K` for grouping).
 * Throws AppletError with GNU's words about `what` (`--block-size`) when it is not valid.
 */
export function parseBlockSize(spec: string, what = '--block-size'): BlockSize {
  const human: HumanOptions = {};
  let s = spec;
  if (s.startsWith("'")) {
    human.groupDigits = true;
    s = s.slice(1);
  }
  if (s === 'human-readable') return { size: 1, human: { ...human, ...HUMAN_1024 } };
  if (s === 'si') return { size: 1, human: { ...human, ...HUMAN_SI } };
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?(.*)$/s.exec(s)!;
  const digits = m[1];
  const rest = m[2]!;
  if (digits === undefined && (rest === '' || !(rest[0]! in SUFFIX_POWERS))) throw new AppletError(`invalid ${what} argument '${spec}'`);
  let value = digits === undefined ? 1 : Number(digits.startsWith('0') && digits.length > 1 && !/^0[xX]/.test(digits) ? parseInt(digits, 8) : digits);
  if (rest) {
    const power = SUFFIX_POWERS[rest[0]!];
    if (power === undefined) throw new AppletError(`invalid suffix in ${what} argument '${spec}'`);
    let base = 1024;
    let tail = rest.slice(1);
    if (tail.startsWith('iB')) tail = tail.slice(2);
    else if (tail.startsWith('B') || tail.startsWith('D')) {
      base = 1000;
      tail = tail.slice(1);
    }
    if (tail) throw new AppletError(`invalid suffix in ${what} argument '${spec}'`);
    value *= base ** power;
    if (digits === undefined) {
      // No number: the unit itself is printed (`--block-size=K` shows `4K`).
      human.suffix = true;
      if (rest.endsWith('B')) human.bytesSuffix = true;
      if (!rest.endsWith('B') || rest.endsWith('iB')) human.base1024 = true;
    }
  }
  if (!Number.isSafeInteger(value)) throw new AppletError(`${what} argument '${spec}' too large`);
  if (value === 0) throw new AppletError(`invalid ${what} argument '${spec}'`);
  return { size: value, human };
}

/**
 * The block size from the environment: the applet's own variable (LS_BLOCK_SIZE, DU_BLOCK_SIZE,
 * DF_BLOCK_SIZE) first, then BLOCK_SIZE, then BLOCKSIZE; 1024 (512 under POSIXLY_CORRECT) when none
 * is set or valid.
 */
export function envBlockSize(env: { get(name: string): string | undefined }, own?: string): BlockSize {
  for (const name of [own, 'BLOCK_SIZE', 'BLOCKSIZE']) {
    const value = name ? env.get(name) : undefined;
    if (value === undefined) continue;
    try {
      return parseBlockSize(value);
    } catch {
      break;
    }
  }
  return { size: env.get('POSIXLY_CORRECT') !== undefined ? 512 : 1024, human: {} };
}

/** Print `amount` (in units of `fromBlock` bytes) in the given block size. */
export function formatBlocks(amount: number, fromBlock: number, bs: BlockSize): string {
  return humanReadable(amount, bs.human, fromBlock, bs.human.autoscale ? 1 : bs.size);
}

// ----- column layout (ls -C and -x) -----

export interface ColumnLayout {
  columns: number;
  rows: number;
  /** The width each column takes, separator included (the last column has none). */
  widths: number[];
}

/**
 * GNU ls's layout: the most columns whose widest entries (plus two spaces between columns) fit in
 * `lineWidth`. `byColumns` fills down then across (-C), otherwise across then down (-x).
 */
export function fitColumns(lengths: readonly number[], lineWidth: number, byColumns: boolean): ColumnLayout {
  const n = lengths.length;
  const minColumnWidth = 3;
  const maxIdx = Math.floor(lineWidth / minColumnWidth) + (lineWidth % minColumnWidth !== 0 ? 1 : 0);
  const maxCols = maxIdx > 0 && maxIdx < n ? maxIdx : n;
  const valid: boolean[] = [];
  const lineLen: number[] = [];
  const colArr: number[][] = [];
  for (let i = 0; i < maxCols; i++) {
    valid.push(true);
    lineLen.push((i + 1) * minColumnWidth);
    colArr.push(new Array<number>(i + 1).fill(minColumnWidth));
  }
  for (let f = 0; f < n; f++) {
    const nameLength = lengths[f]!;
    for (let i = 0; i < maxCols; i++) {
      if (!valid[i]) continue;
      const idx = byColumns ? Math.floor(f / Math.floor((n + i) / (i + 1))) : f % (i + 1);
      const realLength = nameLength + (idx === i ? 0 : 2);
      const cols = colArr[i]!;
      if (cols[idx]! < realLength) {
        lineLen[i]! += realLength - cols[idx]!;
        cols[idx] = realLength;
        valid[i] = lineLen[i]! < lineWidth;
      }
    }
  }
  let columns = maxCols;
  while (columns > 1 && !valid[columns - 1]) columns--;
  if (columns < 1) columns = 1;
  const rows = Math.ceil(n / columns);
  return { columns, rows, widths: colArr[columns - 1] ?? [0] };
}

/** Whitespace from column `from` to column `to`, with tabs where they fit (tabSize 0: spaces only). */
export function indent(from: number, to: number, tabSize: number): string {
  let out = '';
  while (from < to) {
    if (tabSize !== 0 && Math.floor(to / tabSize) > Math.floor((from + 1) / tabSize)) {
      out += '\t';
      from += tabSize - (from % tabSize);
    } else {
      out += ' ';
      from++;
    }
  }
  return out;
}
