// INCRBYFLOAT's arithmetic, done the way Redis does it on x86-64: strtold into an x87 80-bit long
// double (64-bit significand), one correctly rounded addition, then "%.17Lf" with trailing zeros
// removed. A JS double has 11 fewer significand bits, so 0.1 + 0.2 would print 0.30000000000000004
// where Redis prints 0.3; exact BigInt arithmetic reproduces Redis's digits instead. Values are held
// as sign * mantissa * 2^exp and every rounding is round-half-even, as the FPU and glibc do.

/** A finite long double: (-1)^neg * m * 2^e, with m < 2^64. */
export interface LongDouble {
  readonly neg: boolean;
  readonly m: bigint;
  readonly e: number;
}

/** What strtold may produce that Redis accepts: a finite value or an infinity. */
export type Parsed = LongDouble | typeof POS_INF | typeof NEG_INF;

export const POS_INF = 'inf';
export const NEG_INF = '-inf';

/** Redis's MAX_LONG_DOUBLE_CHARS: longer arguments are refused before strtold sees them. */
const MAX_CHARS = 5 * 1024;
const SIGNIFICAND_BITS = 64;
/** Exponent of the lowest bit of the smallest subnormal (2^-16445). */
const EXP_MIN = -16445;
/** Largest exponent a full 64-bit mantissa may have before the value overflows (2^16384). */
const EXP_MAX = 16384 - SIGNIFICAND_BITS;
const TOP = 1n << 64n;
const HALF_TOP = 1n << 63n;
/**
 * Scales beyond these make any non-zero mantissa overflow (the largest long double is about
 * 1.19e4932 = 2^16384) or round to zero (the smallest is about 3.6e-4951 = 2^-16445); checking them
 * first bounds the size of the BigInts.
 */
const DEC_SCALE_MAX = 4940;
const DEC_SCALE_MIN = -4960;
const BIN_SCALE_MAX = 16400;
const BIN_SCALE_MIN = -16500;
const TEN17 = 10n ** 17n;

/** +0, what a missing key counts as. */
export const ZERO: LongDouble = { neg: false, m: 0n, e: 0 };

/**
 * Redis's string2ld: the whole argument must be a number strtold reads completely (no leading space,
 * nothing left over, not even after a NUL byte), NaN and out-of-range values (overflow, or underflow
 * to zero) are refused. Null when Redis would answer "value is not a valid float".
 */
export function parseLongDouble(s: string): Parsed | null {
  if (s.length === 0 || s.length >= MAX_CHARS) return null;
  if (isCSpace(s.charCodeAt(0))) return null;

  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  const rest = s.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return neg ? NEG_INF : POS_INF;
  const value =
    rest.length > 2 && rest[0] === '0' && rest[1] === 'x' ? parseHex(rest.slice(2), neg) : parseDecimal(rest, neg);
  return value;
}

/** [digits][.digits][e[+-]digits] with at least one mantissa digit. */
function parseDecimal(s: string, neg: boolean): LongDouble | null {
  let i = 0;
  let digits = '';
  while (i < s.length && isDigit(s.charCodeAt(i))) digits += s[i++];
  let fractionDigits = 0;
  if (s[i] === '.') {
    i++;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      digits += s[i++];
      fractionDigits++;
    }
  }
  if (digits.length === 0) return null;
  const exp = parseExponent(s, i, 'e');
  if (exp === null) return null;
  const mantissa = BigInt(digits);
  if (mantissa === 0n) return { neg, m: 0n, e: 0 };
  const scale = exp - fractionDigits;
  if (scale > DEC_SCALE_MAX || scale + digits.length < DEC_SCALE_MIN) return null;
  const rounded = scale >= 0 ? round(neg, mantissa * 10n ** BigInt(scale), 1n) : round(neg, mantissa, 10n ** BigInt(-scale));
  return rounded === null || rounded.m === 0n ? null : rounded;
}

/** Hex digits[.hexdigits][p[+-]digits] after "0x", with at least one hex digit. */
function parseHex(s: string, neg: boolean): LongDouble | null {
  let i = 0;
  let digits = '';
  while (i < s.length && isHexDigit(s.charCodeAt(i))) digits += s[i++];
  let fractionDigits = 0;
  if (s[i] === '.') {
    i++;
    while (i < s.length && isHexDigit(s.charCodeAt(i))) {
      digits += s[i++];
      fractionDigits++;
    }
  }
  if (digits.length === 0) return null;
  const exp = parseExponent(s, i, 'p');
  if (exp === null) return null;
  const mantissa = BigInt('0x' + digits);
  if (mantissa === 0n) return { neg, m: 0n, e: 0 };
  const scale = exp - 4 * fractionDigits;
  if (scale > BIN_SCALE_MAX || scale + 4 * digits.length < BIN_SCALE_MIN) return null;
  const rounded = scale >= 0 ? round(neg, mantissa << BigInt(scale), 1n) : round(neg, mantissa, 1n << BigInt(-scale));
  return rounded === null || rounded.m === 0n ? null : rounded;
}

/** The exponent part starting at `i` (0 when absent); null when anything else is left over. */
function parseExponent(s: string, i: number, marker: 'e' | 'p'): number | null {
  if (i === s.length) return 0;
  if (s[i] !== marker) return null;
  i++;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    sign = s[i] === '-' ? -1 : 1;
    i++;
  }
  if (i === s.length) return null;
  let exp = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return null;
    // Saturate: anything this large already overflows or underflows.
    if (exp < 1e9) exp = exp * 10 + (c - 0x30);
  }
  return sign * exp;
}

/** The sum as the FPU computes it; null when it is infinite or NaN. */
export function addLongDouble(a: Parsed, b: Parsed): LongDouble | null {
  if (typeof a === 'string' || typeof b === 'string') return null;
  const e = Math.min(a.e, b.e);
  const sa = a.m << BigInt(a.e - e);
  const sb = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -sa : sa) + (b.neg ? -sb : sb);
  if (sum === 0n) return { neg: a.neg && b.neg, m: 0n, e: 0 };
  const neg = sum < 0n;
  const magnitude = neg ? -sum : sum;
  return e >= 0 ? round(neg, magnitude << BigInt(e), 1n) : round(neg, magnitude, 1n << BigInt(-e));
}

/**
 * Round p/q (both positive) to the nearest long double, ties to even. Null on overflow; a result
 * with m = 0 means the value underflowed to zero.
 */
function round(neg: boolean, p: bigint, q: bigint): LongDouble | null {
  // k = floor(log2(p/q)).
  let k = bitLength(p) - bitLength(q);
  if (k >= 0 ? p < q << BigInt(k) : p << BigInt(-k) < q) k--;
  let e = Math.max(k - (SIGNIFICAND_BITS - 1), EXP_MIN);
  const num = e >= 0 ? p : p << BigInt(-e);
  const den = e >= 0 ? q << BigInt(e) : q;
  let m = num / den;
  const twice = (num - m * den) * 2n;
  if (twice > den || (twice === den && (m & 1n) === 1n)) m++;
  if (m === TOP) {
    m = HALF_TOP;
    e++;
  }
  if (e > EXP_MAX) return null;
  return { neg, m, e };
}

function bitLength(n: bigint): number {
  const hex = n.toString(16);
  const first = parseInt(hex[0]!, 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(first));
}

/** printf("%.17Lf") with trailing zeros (and a bare '.') removed, and "-0" printed as "0": Redis's LD_STR_HUMAN. */
export function formatLongDouble(v: LongDouble): string {
  let scaled: bigint;
  if (v.e >= 0) {
    scaled = (v.m << BigInt(v.e)) * TEN17;
  } else {
    const num = v.m * TEN17;
    const den = 1n << BigInt(-v.e);
    scaled = num / den;
    const twice = (num - scaled * den) * 2n;
    if (twice > den || (twice === den && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(18, '0');
  const whole = digits.slice(0, -17);
  let fraction = digits.slice(-17);
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 0x30) end--;
  fraction = fraction.slice(0, end);
  const text = fraction.length === 0 ? whole : `${whole}.${fraction}`;
  if (!v.neg || text === '0') return text;
  return `-${text}`;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66);
}

/** C's isspace in the "C" locale. */
function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
