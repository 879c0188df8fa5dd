// Stream IDs: <ms>-<seq>, two unsigned 64-bit integers, with Redis's parsing, formatting, ordering,
// increment/decrement and next-ID rules (t_stream.c: streamGenericParseIDOrReply, streamIncrID,
// streamDecrID, streamNextID, streamAppendItem's ID choice).
//
// Representation: each part is a U64 = number | bigint in *canonical* form: a JS number when the
// value is at most Number.MAX_SAFE_INTEGER (2^53 - 1), a bigint only above that (up to 2^64 - 1).
// Why this and not two 32-bit halves or always-bigint:
//  - it is exact: every value up to 2^53 - 1 is an exact double, and everything above is a bigint;
//  - it is fast where it matters: real IDs (ms = unix time ≈ 2^41, small seq) are plain numbers, so
//    hot paths never touch bigint arithmetic; bigints appear only for IDs such as
//    18446744073709551615-18446744073709551615 that tests and odd clients use;
//  - comparison needs no helper: JS compares number and bigint by mathematical value (`<`, `>`),
//    and because the form is canonical, equal values are `===` (a value is never both 5 and 5n);
//  - formatting is `String(x)` for both.
// The price is that arithmetic goes through the helpers below, which keep values canonical.

/** An unsigned 64-bit integer: a number when <= 2^53 - 1, else a bigint (<= 2^64 - 1). Always canonical. */
export type U64 = number | bigint;

/** A signed 64-bit counter (entries-read, lag, delivery counts): canonical like U64, may be negative. */
export type Counter = number | bigint;

/** A stream entry ID. Immutable; both parts canonical U64s. */
export interface StreamId {
  readonly ms: U64;
  readonly seq: U64;
}

export const U64_MAX = 0xffffffffffffffffn;
const SAFE_MAX = Number.MAX_SAFE_INTEGER;
const SAFE_MAX_BIG = BigInt(SAFE_MAX);
const TWO_64 = 0x10000000000000000n;
const INT64_MIN = -0x8000000000000000n;
const INT64_MAX = 0x7fffffffffffffffn;

export const MIN_ID: StreamId = Object.freeze({ ms: 0, seq: 0 });
export const MAX_ID: StreamId = Object.freeze({ ms: U64_MAX, seq: U64_MAX });

// ---- error texts the command layer replies with (Redis's exact words)

export const ERR_INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
export const ERR_INVALID_START = 'ERR invalid start ID for the interval';
export const ERR_INVALID_END = 'ERR invalid end ID for the interval';
export const ERR_XADD_ZERO = 'ERR The ID specified in XADD must be greater than 0-0';
export const ERR_XADD_EXHAUSTED = 'ERR The stream has exhausted the last possible ID, unable to add more items';
export const ERR_XADD_SMALLER = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';

// ---- U64 / Counter arithmetic (canonical in, canonical out)

/** The canonical form of an integer given as a bigint. */
export function canon(x: bigint): U64 {
  return x <= SAFE_MAX_BIG && x >= -SAFE_MAX_BIG ? Number(x) : x;
}

export function toBig(x: Counter): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

/** x + 1, or null when x is 2^64 - 1. */
export function u64Inc(x: U64): U64 | null {
  if (typeof x === 'number' && x < SAFE_MAX) return x + 1;
  const next = toBig(x) + 1n;
  return next > U64_MAX ? null : canon(next);
}

/** x - 1, or null when x is 0. */
export function u64Dec(x: U64): U64 | null {
  if (typeof x === 'number') return x === 0 ? null : x - 1;
  return canon(x - 1n);
}

/** a + b, where the caller knows the sum fits (deltas decoded from a block). */
export function u64Add(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (sum <= SAFE_MAX) return sum;
  }
  return canon(toBig(a) + toBig(b));
}

/** a - b for a >= b. */
export function u64Sub(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return canon(toBig(a) - toBig(b));
}

/** (a - b) as C computes `(int64_t)(uint64_t)(a - b)`: the wrapped difference, read as signed. */
export function int64Diff(a: U64, b: U64): Counter {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return toInt64(toBig(a) - toBig(b));
}

/** A signed counter plus one (wrapping at 2^63 like C's long long in practice). */
export function counterInc(x: Counter): Counter {
  if (typeof x === 'number' && x < SAFE_MAX) return x + 1;
  return toInt64(toBig(x) + 1n);
}

/** a - b on signed 64-bit counters, wrapped to int64 as C's long long arithmetic would. */
export function counterSub(a: Counter, b: Counter): Counter {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b;
    if (d <= SAFE_MAX && d >= -SAFE_MAX) return d;
  }
  return toInt64(toBig(a) - toBig(b));
}

/** Any integer wrapped into int64 range, canonical. */
export function toInt64(x: bigint): Counter {
  return canon(BigInt.asIntN(64, x));
}

/** A uint64 read as C's (long long) cast: values >= 2^63 become negative. */
export function u64AsInt64(x: U64): Counter {
  if (typeof x === 'number') return x;
  return canon(BigInt.asIntN(64, x));
}

/** A signed counter read as uint64 (C's (uint64_t) cast). */
export function int64AsU64(x: Counter): U64 {
  if (typeof x === 'number' && x >= 0) return x;
  return canon(BigInt.asUintN(64, toBig(x)));
}

// ---- IDs

/** An ID from two parts (numbers must be safe non-negative integers, bigints within u64). */
export function makeId(ms: U64 | bigint, seq: U64 | bigint): StreamId {
  return {
    ms: typeof ms === 'bigint' ? canon(ms) : ms,
    seq: typeof seq === 'bigint' ? canon(seq) : seq,
  };
}

/** -1, 0 or 1, as streamCompareID. */
export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/** compareIds on loose parts (no object needed). */
export function compareParts(aMs: U64, aSeq: U64, bMs: U64, bSeq: U64): number {
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

export function idsEqual(a: StreamId, b: StreamId): boolean {
  return a.ms === b.ms && a.seq === b.seq;
}

export function isZeroId(id: StreamId): boolean {
  return id.ms === 0 && id.seq === 0;
}

export function isMaxId(id: StreamId): boolean {
  return id.ms === U64_MAX && id.seq === U64_MAX;
}

/** The ID as Redis prints it: "<ms>-<seq>". */
export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

export function formatParts(ms: U64, seq: U64): string {
  return `${ms}-${seq}`;
}

/** The next ID (streamIncrID), or null when `id` is the last possible one (Redis's C_ERR). */
export function incrId(id: StreamId): StreamId | null {
  const seq = u64Inc(id.seq);
  if (seq !== null) return { ms: id.ms, seq };
  const ms = u64Inc(id.ms);
  return ms === null ? null : { ms, seq: 0 };
}

/** The previous ID (streamDecrID), or null when `id` is 0-0. */
export function decrId(id: StreamId): StreamId | null {
  const seq = u64Dec(id.seq);
  if (seq !== null) return { ms: id.ms, seq };
  const ms = u64Dec(id.ms);
  return ms === null ? null : { ms, seq: U64_MAX };
}

// ---- parsing (byte-exact emulation of streamGenericParseIDOrReply + string2ull)

/** An argument as it arrives: a Buffer slice of the request, or a latin1 string (one char per byte). */
export type IdArg = string | Uint8Array;

function argText(arg: IdArg): string {
  return typeof arg === 'string' ? arg : Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength).toString('latin1');
}

/**
 * Parse a stream ID argument. `missingSeq` fills the sequence of an incomplete ID (`ms`): 0 for a
 * range start, 'max' (2^64 - 1) for a range end. `strict` rejects "-" and "+" (every command except
 * XRANGE/XREVRANGE bounds, XPENDING/XAUTOCLAIM bounds and XGROUP SETID). Null means Redis replies
 * ERR_INVALID_ID.
 */
export function parseId(arg: IdArg, missingSeq: 0 | 'max' = 0, strict = true): StreamId | null {
  const parsed = parseIdGeneric(argText(arg), missingSeq === 'max' ? U64_MAX : 0, strict, false);
  return parsed === null || parsed === 'auto-seq' ? null : parsed.id;
}

/** What XADD's ID argument asks for. */
export type XaddIdSpec =
  | { readonly kind: 'auto' } // "*"
  | { readonly kind: 'ms'; readonly ms: U64 } // "<ms>-*"
  | { readonly kind: 'explicit'; readonly id: StreamId }; // "<ms>-<seq>" or "<ms>" (seq 0)

const AUTO: XaddIdSpec = Object.freeze({ kind: 'auto' });

/** XADD's ID argument: "*", "<ms>-*", or a strict ID. Null means ERR_INVALID_ID. */
export function parseXaddId(arg: IdArg): XaddIdSpec | null {
  const text = argText(arg);
  if (text === '*') return AUTO;
  const parsed = parseIdGeneric(text, 0, true, true);
  if (parsed === null) return null;
  if (parsed === 'auto-seq') return { kind: 'ms', ms: autoSeqMs };
  return { kind: 'explicit', id: parsed.id };
}

/** XADD's 0-0 check, made before the key is even looked up. */
export function isXaddZero(spec: XaddIdSpec): boolean {
  return spec.kind === 'explicit' && isZeroId(spec.id);
}

/** A range bound as XRANGE/XREVRANGE/XPENDING/XAUTOCLAIM parse it: "(" marks it exclusive. */
export interface IntervalBound {
  readonly id: StreamId;
  readonly exclusive: boolean;
}

/**
 * streamParseIntervalIDOrReply: "(" followed by a strict ID is exclusive; otherwise a non-strict ID
 * ("-" and "+" allowed). Null means ERR_INVALID_ID.
 */
export function parseIntervalId(arg: IdArg, missingSeq: 0 | 'max'): IntervalBound | null {
  const text = argText(arg);
  const fill = missingSeq === 'max' ? U64_MAX : 0;
  if (text.length > 1 && text.charCodeAt(0) === 0x28) {
    const parsed = parseIdGeneric(text.slice(1), fill, true, false);
    return parsed === null || parsed === 'auto-seq' ? null : { id: parsed.id, exclusive: true };
  }
  const parsed = parseIdGeneric(text, fill, false, false);
  return parsed === null || parsed === 'auto-seq' ? null : { id: parsed.id, exclusive: false };
}

/**
 * Both bounds of XRANGE-style ranges as Redis resolves them: start parsed with seq 0 and moved up
 * one when exclusive, end with seq max and moved down one when exclusive. Returns the error text
 * on failure, in Redis's order (start is parsed and checked before end).
 */
export function parseRange(
  startArg: IdArg,
  endArg: IdArg,
): { readonly start: StreamId; readonly end: StreamId } | { readonly error: string } {
  const start = parseIntervalId(startArg, 0);
  if (start === null) return { error: ERR_INVALID_ID };
  let startId: StreamId | null = start.id;
  if (start.exclusive) {
    startId = incrId(start.id);
    if (startId === null) return { error: ERR_INVALID_START };
  }
  const end = parseIntervalId(endArg, 'max');
  if (end === null) return { error: ERR_INVALID_ID };
  let endId: StreamId | null = end.id;
  if (end.exclusive) {
    endId = decrId(end.id);
    if (endId === null) return { error: ERR_INVALID_END };
  }
  return { start: startId, end: endId };
}

// The ms part of the last "<ms>-*" parse, handed from parseIdGeneric to parseXaddId without an object.
let autoSeqMs: U64 = 0;

function parseIdGeneric(
  raw: string,
  missingSeq: U64,
  strict: boolean,
  allowAutoSeq: boolean,
): { id: StreamId } | 'auto-seq' | null {
  // Redis copies the argument into a 128-byte buffer and then reads it as a C string.
  if (raw.length > 127) return null;
  const nul = raw.indexOf('\0');
  const buf = nul === -1 ? raw : raw.slice(0, nul);
  if (buf === '-') return strict ? null : { id: MIN_ID };
  if (buf === '+') return strict ? null : { id: MAX_ID };
  const dash = buf.indexOf('-');
  const ms = string2ull(dash === -1 ? buf : buf.slice(0, dash));
  if (ms === null) return null;
  if (dash === -1) return { id: { ms, seq: missingSeq } };
  const rest = buf.slice(dash + 1);
  if (allowAutoSeq && rest === '*') {
    autoSeqMs = ms;
    return 'auto-seq';
  }
  const seq = string2ull(rest);
  return seq === null ? null : { id: { ms, seq } };
}

/**
 * Redis's string2ull: string2ll first (canonical decimal, at most 20 chars; negative means invalid),
 * then glibc strtoull (leading white space, an optional sign — '-' negates modulo 2^64 —, leading
 * zeros, overflow is an error, and the whole string must be consumed).
 */
export function string2ull(s: string): U64 | null {
  const n = s.length;
  if (n === 0) return null;
  const ll = string2ll(s);
  if (ll !== null) return ll < 0 ? null : typeof ll === 'bigint' ? canon(ll) : ll;
  // strtoull
  let i = 0;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (i < n && (s.charCodeAt(i) === 0x2b || s.charCodeAt(i) === 0x2d)) {
    negative = s.charCodeAt(i) === 0x2d;
    i++;
  }
  const digitsStart = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  if (i === digitsStart || i !== n) return null;
  const magnitude = BigInt(s.slice(digitsStart, i));
  if (magnitude > U64_MAX) return null; // ERANGE
  return canon(negative ? (TWO_64 - magnitude) % TWO_64 : magnitude);
}

function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Redis's string2ll: canonical decimal int64 (no '+', no leading zeros, "-0" rejected), <= 20 chars. */
function string2ll(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n >= 21) return null;
  if (n === 1 && s.charCodeAt(0) === 0x30) return 0;
  let i = 0;
  if (s.charCodeAt(0) === 0x2d) {
    i = 1;
    if (n === 1) return null;
  }
  const first = s.charCodeAt(i);
  if (first < 0x31 || first > 0x39) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return null;
  }
  if (n - i <= 15) return Number(s);
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  return canon(big);
}

/** An ID from its canonical "<ms>-<seq>" text (effects, snapshots). Throws on anything else: a bug. */
export function idFromText(text: string): StreamId {
  const dash = text.indexOf('-');
  if (dash <= 0 || dash === text.length - 1) throw new Error(`stream id: bad text ${JSON.stringify(text)}`);
  return { ms: decimalU64(text, 0, dash), seq: decimalU64(text, dash + 1, text.length) };
}

/** Canonical decimal (no sign, no leading zero) in s[start, end), at most 2^64 - 1. */
function decimalU64(s: string, start: number, end: number): U64 {
  const n = end - start;
  if (n > 20 || (n > 1 && s.charCodeAt(start) === 0x30)) throw new Error(`stream id: bad number in ${JSON.stringify(s)}`);
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) throw new Error(`stream id: bad number in ${JSON.stringify(s)}`);
    v = v * 10 + d;
  }
  if (n <= 15) return v;
  const big = BigInt(s.slice(start, end));
  if (big > U64_MAX) throw new Error(`stream id: number out of range in ${JSON.stringify(s)}`);
  return canon(big);
}

// ---- next ID (XADD)

export type NextIdResult = { readonly id: StreamId; readonly error?: undefined } | { readonly error: string };

/**
 * The ID XADD gives a new entry, made concrete so the effect is deterministic: streamNextID for
 * "*" (the clock if it is ahead of lastId's ms, else lastId + 1), lastId.seq + 1 or <ms>-0 for
 * "<ms>-*", the given ID otherwise; then the "must be greater than the top item" rule. Errors:
 * ERR_XADD_EXHAUSTED when lastId is the maximum ID (checked first, as xaddCommand does), and
 * ERR_XADD_SMALLER. ERR_XADD_ZERO is checked by the caller before the lookup (isXaddZero).
 */
export function nextEntryId(lastId: StreamId, spec: XaddIdSpec, nowMs: number): NextIdResult {
  if (isMaxId(lastId)) return { error: ERR_XADD_EXHAUSTED };
  let id: StreamId;
  if (spec.kind === 'auto') {
    if (nowMs > lastId.ms) id = { ms: Math.floor(nowMs), seq: 0 };
    else id = incrId(lastId) ?? MIN_ID;
  } else if (spec.kind === 'ms') {
    if (lastId.ms === spec.ms) {
      const seq = u64Inc(lastId.seq);
      if (seq === null) return { error: ERR_XADD_SMALLER };
      id = { ms: spec.ms, seq };
    } else {
      id = { ms: spec.ms, seq: 0 };
    }
  } else {
    id = spec.id;
  }
  if (compareIds(id, lastId) <= 0) return { error: ERR_XADD_SMALLER };
  return { id };
}
