// Alpine version strings (spec §5): tokenised left to right as apk-tools 2.14 does, compared token by
// token. Results are bit masks so a dependency's operator can be tested with one `&`.

export const LESS = 1;
export const EQUAL = 2;
export const GREATER = 4;
export const FUZZY = 8;
/** `><Q1…`: the dependency names one package identity, not a version. */
export const CHECKSUM = LESS | GREATER;
export const ANY = LESS | EQUAL | GREATER;

// Token types, ranked: a token may not follow one of higher rank except where noted in nextToken.
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const REVISION_NO = 5;
const END = 6;
const INVALID = -1;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLower = (c: number) => c >= 97 && c <= 122;

/** A cursor over one version string. */
class Tokens {
  pos = 0;
  type = DIGIT;
  constructor(readonly s: string) {}

  /** Decide the type of the token starting at pos (consuming its separator). */
  private nextType(): void {
    const s = this.s;
    let n = INVALID;
    if (this.pos >= s.length) n = END;
    else {
      const c = s.charCodeAt(this.pos);
      if ((this.type === DIGIT || this.type === DIGIT_OR_ZERO) && isLower(c)) n = LETTER;
      else if (this.type === LETTER && isDigit(c)) n = DIGIT;
      else if (this.type === SUFFIX && isDigit(c)) n = SUFFIX_NO;
      else {
        if (c === 46 /* . */) n = DIGIT_OR_ZERO;
        else if (c === 95 /* _ */) n = SUFFIX;
        else if (c === 45 /* - */ && s.charCodeAt(this.pos + 1) === 114 /* r */) {
          n = REVISION_NO;
          this.pos++;
        }
        this.pos++;
      }
    }
    if (n < this.type) {
      const allowed =
        (n === DIGIT_OR_ZERO && this.type === DIGIT) ||
        (n === SUFFIX && this.type === SUFFIX_NO) ||
        (n === DIGIT && this.type === LETTER);
      if (!allowed) n = INVALID;
    }
    this.type = n;
  }

  /** Read the current token's value and advance to the next token's type. */
  value(): number {
    const s = this.s;
    if (this.pos >= s.length) {
      this.type = END;
      return 0;
    }
    let i = this.pos;
    let v = 0;
    let forced = INVALID;
    switch (this.type) {
      case DIGIT_OR_ZERO:
        if (s.charCodeAt(i) === 48) {
          // leading zeros of a dot component: .01 < .1, and .0 > .00
          while (i + 1 < s.length && s.charCodeAt(i + 1) === 48) i++;
          v = -(i - this.pos);
          forced = DIGIT;
          break;
        }
        v = this.digits(i);
        i = this.pos + this.consumed;
        if (this.consumed >= 18) return this.invalid();
        break;
      case DIGIT:
      case SUFFIX_NO:
      case REVISION_NO:
        v = this.digits(i);
        i = this.pos + this.consumed;
        if (this.consumed >= 18) return this.invalid();
        break;
      case LETTER:
        v = s.charCodeAt(i++);
        break;
      case SUFFIX: {
        const rest = s.slice(i);
        const pre = PRE_SUFFIXES.findIndex((x) => rest.startsWith(x));
        if (pre >= 0) {
          v = pre - PRE_SUFFIXES.length;
          i += PRE_SUFFIXES[pre]!.length;
          break;
        }
        const post = POST_SUFFIXES.findIndex((x) => rest.startsWith(x));
        if (post < 0) return this.invalid();
        v = post;
        i += POST_SUFFIXES[post]!.length;
        break;
      }
      default:
        return this.invalid();
    }
    // (the leading-zero case consumes only the zeros before the last one)
    this.pos = i;
    if (this.pos >= s.length) this.type = END;
    else if (forced !== INVALID) this.type = forced;
    else this.nextType();
    return v;
  }

  private consumed = 0;
  /** The number at i; sets `consumed` to its length. */
  private digits(i: number): number {
    const s = this.s;
    let v = 0;
    let j = i;
    while (j < s.length && isDigit(s.charCodeAt(j))) v = v * 10 + (s.charCodeAt(j++) - 48);
    this.consumed = j - i;
    return v;
  }

  private invalid(): number {
    this.type = INVALID;
    return -1;
  }
}

function compareTokens(a: string, b: string, fuzzy: boolean): number {
  const ta = new Tokens(a);
  const tb = new Tokens(b);
  let av = 0;
  let bv = 0;
  while (ta.type === tb.type && ta.type !== END && ta.type !== INVALID && av === bv) {
    av = ta.value();
    bv = tb.value();
  }
  if (av < bv) return LESS;
  if (av > bv) return GREATER;
  if (ta.type === tb.type || fuzzy) return EQUAL;
  // Equal so far: the longer one is greater, unless what follows is a pre-release suffix.
  if (ta.type === SUFFIX && isPreRelease(a, ta.pos)) return LESS;
  if (tb.type === SUFFIX && isPreRelease(b, tb.pos)) return GREATER;
  if (ta.type > tb.type) return LESS;
  if (tb.type > ta.type) return GREATER;
  return EQUAL;
}

/** Whether the suffix at pos reads as a negative token: a pre-release, or no known suffix at all. */
function isPreRelease(s: string, pos: number): boolean {
  return PRE_SUFFIXES.some((x) => s.startsWith(x, pos)) || !POST_SUFFIXES.some((x) => s.startsWith(x, pos));
}

/** Compare two versions: LESS, EQUAL or GREATER. */
export function compareVersions(a: string, b: string): number {
  return compareTokens(a, b, false);
}

/** Compare for a dependency with operator mask `op` (fuzzy when `~`). */
export function versionMatches(a: string, op: number, b: string): boolean {
  return (compareTokens(a, b, (op & FUZZY) !== 0) & op) !== 0;
}

/** Whether a version string is well formed (`apk version -c`). */
export function isValidVersion(v: string): boolean {
  const t = new Tokens(v);
  while (t.type !== END && t.type !== INVALID) t.value();
  return t.type === END;
}

/** `<`, `<=`, `=`, `~`, `>=`, `>`, `><` or `` for an operator mask. */
export function opString(op: number): string {
  switch (op) {
    case LESS:
      return '<';
    case LESS | EQUAL:
      return '<=';
    case EQUAL | FUZZY:
    case FUZZY:
      return '~';
    case EQUAL:
      return '=';
    case GREATER | EQUAL:
      return '>=';
    case GREATER:
      return '>';
    case CHECKSUM:
      return '><';
    case ANY:
      return '';
    default:
      return '?';
  }
}

/** The mask of an operator string, 0 if it is not one. */
export function opMask(op: string): number {
  let r = 0;
  for (let i = 0; i < op.length; i++) {
    const c = op.charCodeAt(i);
    if (c === 60 /* < */) r |= LESS;
    else if (c === 62 /* > */) r |= GREATER;
    else if (c === 61 /* = */) r |= EQUAL;
    else if (c === 126 /* ~ */) r |= FUZZY | EQUAL;
    else return 0;
  }
  return r;
}
