// Record framing and the record payload codec.
//
// A frame on disk:
//
//   offset 0  length   u32 LE  payload bytes, 1 ..= MAX_PAYLOAD_BYTES
//   offset 4  checksum u32 LE  CRC-32 of the payload, seeded with the length (crc32(payload, length))
//   offset 8  payload          msgpack: [RECORD_EFFECTS_V2, durableOffset, effects[]]
//                              (durableOffset always as a uint64: see encodeRecordPayload)
//
// One frame is one record, and one record is the complete set of effects of one command (or of a
// whole EXEC, or of one expiry cycle): a frame is all-or-nothing on replay, so a half-written
// transaction cannot be replayed in part. Seeding the checksum with the length makes it cover the
// length too (a flipped length bit is caught even if the bytes it points to looked like a frame)
// in one pass over contiguous bytes: the CRC was the largest cost of recovery with two calls.
//
// `durableOffset` is the log offset known to be on stable storage (fdatasync returned) when the
// record was appended. Recovery uses it to tell a torn tail from damage to acknowledged data: a
// bad frame at offset C followed by a valid record claiming durableOffset > C means C had been
// durable, so the bad bytes are not an interrupted write but corruption (refuse to start); when no
// later record makes that claim, the bad frame and anything after it were never known durable and
// are dropped as a torn tail (e.g. pages of an unsynced write that the OS persisted out of order).
//
// The first element of the payload is a tag naming the record's kind and version, so the format
// can evolve: a reader meeting a tag it does not know refuses with a clear error rather than
// guessing. Version 1 held every effect as the plain object of storage/effects.ts (a msgpack map);
// version 2, written now, holds the frequent ones as positional arrays (effect-layouts.ts), which
// halves a SET's record and its decoding time; both are read. Keys and values are latin1 strings
// (one char per byte) and msgpack strings round-trip them exactly (as UTF-8, so bytes 0x80-0xff
// take two bytes on disk).

import { Packr } from 'msgpackr';
import type { Effect } from '../effects';
import { crc32Range } from './crc32';
import { packEffect, unpackEffect } from './effect-layouts';
import { decodeRecordFast } from './fast-decode';

export const FRAME_HEADER_BYTES = 8;
/** Put a limit on everything: a record (one command's effects) may not exceed 2 GiB. */
export const MAX_PAYLOAD_BYTES = 2 ** 31;

/** Tag of a record holding effects as maps, version 1: [1, durableOffset, effects] (read only). */
export const RECORD_EFFECTS_V1 = 1;
/** Tag of a record holding effects with positional layouts, version 2: [2, durableOffset, effects]. */
export const RECORD_EFFECTS_V2 = 2;

const packr = new Packr({
  // Plain msgpack maps and arrays: no shared structures that a reader would need from elsewhere.
  useRecords: false,
  mapsAsObjects: true,
  variableMapSize: true,
  // Offsets and expiry times beyond 2^32 come back as numbers, not BigInt.
  int64AsType: 'number',
});

export interface DecodedRecord {
  /** The log offset that was durable when this record was appended (see above). */
  readonly durableOffset: number;
  /** The effects, to be applied in order, all of them or none. */
  readonly effects: Effect[];
}

/** A payload whose checksum is right but whose content this version cannot read. */
export class RecordFormatError extends Error {
  override readonly name = 'RecordFormatError';
}

/**
 * The payload's first bytes: a 3-element array, the tag, then durableOffset as a msgpack uint64
 * (0xcf and 8 bytes, big-endian). A fixed width lets a replica stamp its own durableOffset into a
 * record received from its master without changing the record's size, so both logs keep the same
 * offsets (server/replication). Readers accept any integer encoding (older records are shorter).
 */
const FIXED_PREFIX = Buffer.from([0x93, RECORD_EFFECTS_V2, 0xcf]);
/** The same head as written by version 1 (a replica may restamp records of an older master). */
const FIXED_PREFIX_V1 = Buffer.from([0x93, RECORD_EFFECTS_V1, 0xcf]);
const DURABLE_OFFSET_AT = FIXED_PREFIX.length;
const FIXED_HEAD_BYTES = DURABLE_OFFSET_AT + 8;

export function encodeRecordPayload(effects: readonly Effect[], durableOffset: number): Buffer {
  const body = packr.pack(effects.map(packEffect));
  const payload = Buffer.allocUnsafe(FIXED_HEAD_BYTES + body.length);
  FIXED_PREFIX.copy(payload, 0);
  payload.writeBigUInt64BE(BigInt(durableOffset), DURABLE_OFFSET_AT);
  body.copy(payload, FIXED_HEAD_BYTES);
  return payload;
}

/**
 * Rewrite, in place, the durableOffset of a payload made by encodeRecordPayload. False when the
 * payload does not have the fixed-width head (a record written by an older Sluice).
 */
export function restampDurableOffset(payload: Buffer, durableOffset: number): boolean {
  if (payload.length < FIXED_HEAD_BYTES || !(hasPrefix(payload, FIXED_PREFIX) || hasPrefix(payload, FIXED_PREFIX_V1))) return false;
  payload.writeBigUInt64BE(BigInt(durableOffset), DURABLE_OFFSET_AT);
  return true;
}

function hasPrefix(payload: Buffer, prefix: Buffer): boolean {
  return payload.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/** msgpack with the log's settings, for other framed files (snapshots). */
export function packValue(value: unknown): Buffer {
  return packr.pack(value);
}

/** The inverse of packValue; throws RecordFormatError on bytes that are not msgpack. */
export function unpackValue(bytes: Uint8Array): unknown {
  try {
    return packr.unpack(bytes);
  } catch (err) {
    throw new RecordFormatError(`not valid msgpack: ${(err as Error).message}`);
  }
}

/** decodeRecordPayload of buf[start, end), without a subarray when the fast decoder reads it. */
export function decodeRecordPayloadAt(buf: Buffer, start: number, end: number): DecodedRecord {
  return decodeRecordFast(buf, start, end) ?? decodeRecordPayloadGeneral(buf.subarray(start, end));
}

export function decodeRecordPayload(payload: Uint8Array): DecodedRecord {
  return decodeRecordFast(payload, 0, payload.length) ?? decodeRecordPayloadGeneral(payload);
}

/** The decoder for every record: msgpackr, then the checks (fast-decode.ts handles the common ones). */
export function decodeRecordPayloadGeneral(payload: Uint8Array): DecodedRecord {
  let value: unknown;
  try {
    value = packr.unpack(payload);
  } catch (err) {
    throw new RecordFormatError(`record payload is not valid msgpack: ${(err as Error).message}`);
  }
  if (!Array.isArray(value) || value.length < 1) throw new RecordFormatError('record payload is not a tagged array');
  const tag: unknown = value[0];
  if (tag !== RECORD_EFFECTS_V1 && tag !== RECORD_EFFECTS_V2) {
    throw new RecordFormatError(
      `record kind/version ${JSON.stringify(tag)} is unknown to this Sluice (written by a newer version?)`,
    );
  }
  const durableOffset = value[1];
  const effects = value[2];
  if (typeof durableOffset !== 'number' || !Number.isSafeInteger(durableOffset) || durableOffset < 0) {
    throw new RecordFormatError('record has no valid durableOffset');
  }
  if (!Array.isArray(effects)) throw new RecordFormatError('record has no effects array');
  if (tag === RECORD_EFFECTS_V1) {
    for (const e of effects) {
      if (e === null || typeof e !== 'object' || Array.isArray(e) || typeof (e as { op?: unknown }).op !== 'string') {
        throw new RecordFormatError('record holds an effect without an op');
      }
    }
    return { durableOffset, effects: effects as Effect[] };
  }
  // Rebuilt in place: the array is this decode's own.
  for (let i = 0; i < effects.length; i++) {
    const effect = unpackEffect(effects[i]);
    if (effect === null) throw new RecordFormatError('record holds an effect without an op (or an unknown layout)');
    effects[i] = effect;
  }
  return { durableOffset, effects: effects as Effect[] };
}

/** Bytes a frame around `payloadBytes` takes. */
export function frameBytes(payloadBytes: number): number {
  return FRAME_HEADER_BYTES + payloadBytes;
}

/** Write a frame around `payload` into `target` at `at`; returns the frame's size. */
export function writeFrame(target: Buffer, at: number, payload: Uint8Array): number {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`record payload of ${payload.length} bytes is outside 1..${MAX_PAYLOAD_BYTES}`);
  }
  target.writeUInt32LE(payload.length, at);
  target.set(payload, at + FRAME_HEADER_BYTES);
  target.writeUInt32LE(frameChecksum(target, at, payload.length), at + 4);
  return FRAME_HEADER_BYTES + payload.length;
}

/** A whole frame as a new Buffer (tests, the check tool). */
export function encodeFrame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(frameBytes(payload.length));
  writeFrame(out, 0, payload);
  return out;
}

function frameChecksum(buf: Uint8Array, at: number, payloadBytes: number): number {
  return crc32Range(buf, at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + payloadBytes, payloadBytes);
}

/** What lies at a position of a buffer holding bytes [0, end) of a file region. */
export type FrameCheck =
  /** A whole frame with a matching checksum: payload is buf[payloadStart, payloadStart + payloadBytes). */
  | { readonly kind: 'ok'; readonly payloadStart: number; readonly payloadBytes: number; readonly frameBytes: number }
  /** The frame continues past `end`: `needBytes` in all (may be an intact frame not yet read, or a torn one). */
  | { readonly kind: 'short'; readonly needBytes: number }
  /** Not a frame: a zero or oversized length, or a checksum mismatch. */
  | { readonly kind: 'bad'; readonly reason: string };

export function checkFrame(buf: Buffer, at: number, end: number): FrameCheck {
  if (end - at < FRAME_HEADER_BYTES) return { kind: 'short', needBytes: FRAME_HEADER_BYTES };
  const length = buf.readUInt32LE(at);
  if (length === 0) return { kind: 'bad', reason: 'zero length' };
  if (length > MAX_PAYLOAD_BYTES) return { kind: 'bad', reason: `length ${length} over the limit` };
  const total = FRAME_HEADER_BYTES + length;
  if (end - at < total) return { kind: 'short', needBytes: total };
  const stored = buf.readUInt32LE(at + 4);
  const actual = frameChecksum(buf, at, length);
  if (stored !== actual) return { kind: 'bad', reason: 'checksum mismatch' };
  return { kind: 'ok', payloadStart: at + FRAME_HEADER_BYTES, payloadBytes: length, frameBytes: total };
}
