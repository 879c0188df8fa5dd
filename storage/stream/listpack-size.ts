// How many bytes Redis's listpack for a stream node would take (lpBytes), computed from the entries
// without building it. Sluice stores entries its own, smaller way, but Redis decides where a node
// ends by its listpack size (stream-node-max-bytes) and entry count (stream-node-max-entries), and
// where nodes end is visible: XTRIM/XADD with `~` remove whole nodes, and XINFO STREAM reports
// radix-tree-keys. Tracking lpBytes exactly lets our blocks split where Redis's nodes split.
//
// Rules (listpack.c): an element is its encoding plus a back-length of 1..5 bytes. Strings that read
// as canonical int64 decimals are stored as integers: 0..127 in 1 byte, 13-bit in 2, 16-bit in 3,
// 24-bit in 4, 32-bit in 5, else 9. Other strings: 1 + len when len < 64, 2 + len when < 4096, else
// 5 + len. A listpack has a 6-byte header and a 1-byte end marker.

import { type Counter } from './id';

export const LP_HEADER_AND_END = 7;

/** Size of the back-length field for an element whose encoded part is `l` bytes. */
export function backlenBytes(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Encoded bytes (without back-length) of an integer element; v is a signed int64. */
function intEncBytes(v: Counter): number {
  if (typeof v === 'bigint') {
    if (v >= -2147483648n && v <= 2147483647n) return intEncBytes(Number(v));
    return 9;
  }
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Bytes of an integer element (lpAppendInteger). */
export function lpIntBytes(v: Counter): number {
  return intEncBytes(v) + 1; // integer encodings are at most 9 bytes: a 1-byte back-length
}

/** Bytes of a string element (lpAppend) holding `s` (latin1: one char per byte) or raw bytes. */
export function lpStringBytes(s: string | Uint8Array): number {
  const asInt = lpStringToInt64(s);
  if (asInt !== null) return lpIntBytes(asInt);
  const len = s.length;
  const enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return enc + backlenBytes(enc);
}

/** listpack's lpStringToInt64: canonical decimal int64 of at most 20 bytes, or null. */
export function lpStringToInt64(s: string | Uint8Array): Counter | null {
  const n = s.length;
  if (n === 0 || n >= 21) return null;
  if (typeof s !== 'string') return lpStringToInt64(Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1'));
  const c0 = s.charCodeAt(0);
  // Most values are not numbers: decide on the first byte.
  if (c0 !== 0x2d && (c0 < 0x30 || c0 > 0x39)) return null;
  if (n === 1 && c0 === 0x30) return 0;
  let i = 0;
  if (c0 === 0x2d) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first < 0x31 || first > 0x39) return null;
  // Up to 15 digits the value is accumulated exactly as it is checked (cheaper than Number(s)).
  let value = first - 0x30;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return null;
    value = value * 10 + (c - 0x30);
  }
  if (n - i <= 15) return i === 1 ? -value : value;
  const big = BigInt(s);
  if (big > 0x7fffffffffffffffn || big < -0x8000000000000000n) return null;
  return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
}

/** Bytes of the master entry: count, deleted, num-fields, the field names, and the 0 terminator. */
export function lpMasterBytes(live: number, deleted: number, fieldNameBytes: number, fieldCount: number): number {
  return lpIntBytes(live) + lpIntBytes(deleted) + lpIntBytes(fieldCount) + fieldNameBytes + lpIntBytes(0);
}
