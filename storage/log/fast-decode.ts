// A decoder for the msgpack of the frequent log records, reading straight from the bytes of a
// frame: no subarray per frame, no intermediate arrays, strings built in JS.
//
// At start-up every record of the log is decoded once, and for records of a few dozen bytes the
// per-call costs of msgpackr's general decoder made it the largest cost of a log replay after the
// garbage collector. (Snapshot chunks, thousands of keys each, stay with msgpackr: its native
// string extraction is faster there, measured.)
//
// This one handles only the subset Sluice writes for its frequent records: nil, booleans,
// integers, float64 (msgpackr's form of integers beyond 32 bits, e.g. expiry times), strings whose
// characters are all below U+0100 (keys and values are latin1 strings, one char per byte, stored
// as UTF-8), and arrays of these. Anything else (maps, binary, float32, extensions, other
// characters, a head it does not expect) makes it give up, and the caller decodes with msgpackr as
// before. For what it accepts it returns exactly what msgpackr returns with the log's settings
// (frame.ts); test/log/fast-decode.test.ts checks that against msgpackr.

import type { Effect } from '../effects';
import { layoutOfCode } from './effect-layouts';

/** What `readValue` gives up with: never a value msgpackr returns for the subset handled. */
const GIVE_UP = undefined;

type Simple = null | boolean | number | string | Simple[];

let src: Uint8Array = new Uint8Array(0);
/** Scratch for reading a big-endian float64. */
const FLOAT_BYTES = new Uint8Array(8);
const FLOAT_VIEW = new DataView(FLOAT_BYTES.buffer);
let pos = 0;
let end = 0;

/** Arrays to hold character codes for String.fromCharCode.apply, one per length (reused). */
const CHAR_CODES: number[][] = [];
const APPLY_MAX_CHARS = 64;
for (let n = 0; n <= APPLY_MAX_CHARS; n++) CHAR_CODES.push(new Array<number>(n).fill(0));

/**
 * The string held in src[at, at + bytes) as UTF-8, when every character is below U+0100 (ASCII, or
 * C2/C3 two-byte sequences); undefined otherwise.
 */
function readLatin1(at: number, bytes: number): string | undefined {
  const stop = at + bytes;
  if (bytes <= APPLY_MAX_CHARS) {
    let i = at;
    let n = 0;
    // Count characters first: the reused array must have exactly their number.
    while (i < stop) {
      const b = src[i]!;
      if (b < 0x80) i++;
      else if ((b === 0xc2 || b === 0xc3) && i + 1 < stop && (src[i + 1]! & 0xc0) === 0x80) i += 2;
      else return undefined;
      n++;
    }
    const codes = CHAR_CODES[n]!;
    i = at;
    for (let c = 0; c < n; c++) {
      const b = src[i]!;
      if (b < 0x80) {
        codes[c] = b;
        i++;
      } else {
        codes[c] = ((b & 0x1f) << 6) | (src[i + 1]! & 0x3f);
        i += 2;
      }
    }
    return String.fromCharCode.apply(null, codes);
  }
  let ascii = true;
  for (let i = at; i < stop; i++) {
    const b = src[i]!;
    if (b < 0x80) continue;
    if ((b !== 0xc2 && b !== 0xc3) || i + 1 >= stop || (src[i + 1]! & 0xc0) !== 0x80) return undefined;
    ascii = false;
    i++;
  }
  // Checked above to be valid UTF-8 of characters below U+0100: any decoder gives the same string.
  return (ascii ? Buffer.prototype.latin1Slice : Buffer.prototype.utf8Slice).call(src, at, stop) as string;
}

/** Elements of an array header at pos (advancing past it), or -1 when there is none. */
function readArrayHeader(): number {
  if (pos >= end) return -1;
  const b = src[pos]!;
  if ((b & 0xf0) === 0x90) {
    pos++;
    return b & 0x0f;
  }
  if (b === 0xdc && pos + 3 <= end) {
    const n = (src[pos + 1]! << 8) | src[pos + 2]!;
    pos += 3;
    return n;
  }
  if (b === 0xdd && pos + 5 <= end) {
    const n = ((src[pos + 1]! << 24) | (src[pos + 2]! << 16) | (src[pos + 3]! << 8) | src[pos + 4]!) >>> 0;
    pos += 5;
    return n;
  }
  return -1;
}

function u32(at: number): number {
  return ((src[at]! << 24) | (src[at + 1]! << 16) | (src[at + 2]! << 8) | src[at + 3]!) >>> 0;
}

function readString(headerBytes: number, length: number): string | undefined {
  const at = pos + headerBytes;
  if (at + length > end) return GIVE_UP;
  const s = readLatin1(at, length);
  if (s !== undefined) pos = at + length;
  return s;
}

/** One value of the subset at pos (advancing past it), or GIVE_UP (pos then means nothing). */
function readValue(depth: number): Simple | undefined {
  if (pos >= end) return GIVE_UP;
  const b = src[pos]!;
  if (b < 0x80) {
    pos++;
    return b;
  }
  if (b >= 0xe0) {
    pos++;
    return b - 0x100;
  }
  if (b >= 0xa0 && b <= 0xbf) return readString(1, b & 0x1f);
  if ((b & 0xf0) === 0x90) {
    if (depth > 8) return GIVE_UP;
    pos++;
    return readElements(b & 0x0f, depth);
  }
  const room = end - pos - 1;
  switch (b) {
    case 0xc0:
      pos++;
      return null;
    case 0xc2:
      pos++;
      return false;
    case 0xc3:
      pos++;
      return true;
    case 0xcc:
      if (room < 1) return GIVE_UP;
      pos += 2;
      return src[pos - 1]!;
    case 0xcd:
      if (room < 2) return GIVE_UP;
      pos += 3;
      return (src[pos - 2]! << 8) | src[pos - 1]!;
    case 0xce:
      if (room < 4) return GIVE_UP;
      pos += 5;
      return u32(pos - 4);
    case 0xcf:
      if (room < 8) return GIVE_UP;
      pos += 9;
      // As msgpackr computes it (int64AsType 'number'), so even inexact values are the same.
      return u32(pos - 8) * 0x100000000 + u32(pos - 4);
    case 0xcb:
      // msgpackr writes integers beyond 32 bits (expiry times) as float64.
      if (room < 8) return GIVE_UP;
      for (let i = 0; i < 8; i++) FLOAT_BYTES[i] = src[pos + 1 + i]!;
      pos += 9;
      return FLOAT_VIEW.getFloat64(0);
    case 0xd0:
      if (room < 1) return GIVE_UP;
      pos += 2;
      return (src[pos - 1]! << 24) >> 24;
    case 0xd1:
      if (room < 2) return GIVE_UP;
      pos += 3;
      return (((src[pos - 2]! << 8) | src[pos - 1]!) << 16) >> 16;
    case 0xd2:
      if (room < 4) return GIVE_UP;
      pos += 5;
      return u32(pos - 4) | 0;
    case 0xd3:
      if (room < 8) return GIVE_UP;
      pos += 9;
      return (u32(pos - 8) | 0) * 0x100000000 + u32(pos - 4);
    case 0xd9:
      return room < 1 ? GIVE_UP : readString(2, src[pos + 1]!);
    case 0xda:
      return room < 2 ? GIVE_UP : readString(3, (src[pos + 1]! << 8) | src[pos + 2]!);
    case 0xdb:
      return room < 4 ? GIVE_UP : readString(5, u32(pos + 1));
    case 0xdc:
    case 0xdd: {
      if (depth > 8) return GIVE_UP;
      const n = readArrayHeader();
      return n < 0 ? GIVE_UP : readElements(n, depth);
    }
    default:
      return GIVE_UP;
  }
}

function readElements(n: number, depth: number): Simple[] | undefined {
  // An element takes at least a byte: a count beyond the bytes left is damage (let msgpackr say so).
  if (n > end - pos) return GIVE_UP;
  const out: Simple[] = [];
  for (let i = 0; i < n; i++) {
    const v = readValue(depth + 1);
    if (v === GIVE_UP) return GIVE_UP;
    out.push(v);
  }
  return out;
}

/** A decoded record (frame.ts DecodedRecord). */
export interface FastDecodedRecord {
  readonly durableOffset: number;
  readonly effects: Effect[];
}

const RECORD_EFFECTS_V2 = 2;

/**
 * The record whose msgpack payload is buf[start, stop), when it is a version-2 record of effects in
 * positional layouts built from the subset; null otherwise (decode it with decodeRecordPayload,
 * which also reports what is wrong with a bad one). Gives exactly decodeRecordPayload's result.
 */
export function decodeRecordFast(buf: Uint8Array, start: number, stop: number): FastDecodedRecord | null {
  src = buf;
  pos = start;
  end = stop;
  try {
    if (stop - start < 3 || buf[start] !== 0x93 || buf[start + 1] !== RECORD_EFFECTS_V2) return null;
    pos = start + 2;
    const durableOffset = readValue(0);
    if (typeof durableOffset !== 'number' || !Number.isSafeInteger(durableOffset) || durableOffset < 0) return null;
    const count = readArrayHeader();
    if (count < 0 || count > stop - pos) return null;
    const effects: Effect[] = [];
    for (let i = 0; i < count; i++) {
      const effect = readPositionalEffect();
      if (effect === null) return null;
      effects.push(effect);
    }
    if (pos !== stop) return null;
    return { durableOffset, effects };
  } finally {
    src = EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

/** An effect in its positional layout (effect-layouts.ts) at pos, or null. */
function readPositionalEffect(): Effect | null {
  const n = readArrayHeader();
  if (n < 1 || pos >= end) return null;
  const code = src[pos]!;
  if (code >= 0x80) return null;
  const layout = layoutOfCode(code);
  if (layout === undefined || n > layout.fields.length + 1) return null;
  pos++;
  if (code === 1 && n === 5) {
    // The SET every plain SET command logs: [1, db, key, value, expireAtMs].
    const db = readValue(1);
    const key = readValue(1);
    const value = readValue(1);
    const expireAtMs = readValue(1);
    if (db === GIVE_UP || key === GIVE_UP || value === GIVE_UP || expireAtMs === GIVE_UP) return null;
    return { op: 'set', db, key, value, expireAtMs } as unknown as Effect;
  }
  const effect: Record<string, unknown> = { op: layout.op };
  for (let i = 1; i < n; i++) {
    const v = readValue(1);
    if (v === GIVE_UP) return null;
    effect[layout.fields[i - 1]!] = v;
  }
  return effect as unknown as Effect;
}
