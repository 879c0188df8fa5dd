// CRC-32 (the zlib/IEEE polynomial) of byte ranges. node:zlib has a native crc32 from Node 20.15 /
// 22.2; older Node 20 releases fall back to the JS implementation giving the same values.
//
// The JS implementation is "slicing by 8" (eight 256-entry tables, eight bytes per step): most log
// records are a few dozen bytes, where a call into native code costs more than the work itself,
// and recovery checks a million of them.

import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, initial?: number) => number;

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** tables[k * 256 + b]: the CRC of byte b followed by k zero bytes (k = 0 is the classic table). */
let tables: Uint32Array | null = null;

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c >>> 0;
    }
  }
  return t;
}

/** CRC-32 of data[start, end), continuing from `initial`, in JS. */
function jsCrc32Range(data: Uint8Array, start: number, end: number, initial: number): number {
  const t = tables ?? (tables = buildTables());
  let crc = ~initial;
  let i = start;
  for (const stop = end - 8; i <= stop; i += 8) {
    const lo = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    crc =
      t[0x700 + (lo & 0xff)]! ^
      t[0x600 + ((lo >>> 8) & 0xff)]! ^
      t[0x500 + ((lo >>> 16) & 0xff)]! ^
      t[0x400 + (lo >>> 24)]! ^
      t[0x300 + data[i + 4]!]! ^
      t[0x200 + data[i + 5]!]! ^
      t[0x100 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < end; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function portableCrc32(data: Uint8Array, initial = 0): number {
  return jsCrc32Range(data, 0, data.length, initial);
}

/**
 * Below this size the JS loop beats a call into native code (a native call costs about as much as
 * 100-200 bytes of slicing-by-8 on Node 20); above it the native one wins.
 */
const NATIVE_FROM_BYTES = 256;

/** CRC-32 of data[start, end), continuing from `initial` (the CRC of the bytes before it). */
export function crc32Range(data: Uint8Array, start: number, end: number, initial = 0): number {
  if (native !== undefined && end - start >= NATIVE_FROM_BYTES) return native(data.subarray(start, end), initial);
  return jsCrc32Range(data, start, end, initial);
}

/** CRC-32 of `data`, continuing from `initial` (the CRC of the bytes before it). */
export const crc32: Crc32 = (data, initial = 0) => crc32Range(data, 0, data.length, initial);

/** The portable implementation, exported so a test can check it against the native one. */
export const crc32Portable: Crc32 = portableCrc32;
