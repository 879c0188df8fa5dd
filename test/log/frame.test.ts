// Record framing and the payload codec: exact round trips (every byte value in keys and values,
// every effect op), the checksum catching every single-bit flip, and clear errors for what this
// version cannot read.

import t from 'tap';
import { Packr } from 'msgpackr';
import type { Effect } from '../../storage/effects';
import { crc32, crc32Portable } from '../../storage/log/crc32';
import {
  checkFrame,
  decodeRecordPayload,
  encodeFrame,
  encodeRecordPayload,
  FRAME_HEADER_BYTES,
  RecordFormatError,
  restampDurableOffset,
} from '../../storage/log/frame';
import { seededRandom } from '../support/random';
import { ALL_BYTES, randomBytes, seedFor } from './helpers';

const everyOp: Effect[] = [
  { op: 'set', db: 0, key: ALL_BYTES, value: ALL_BYTES + ALL_BYTES, expireAtMs: null },
  { op: 'set', db: 15, key: 'k', value: '', expireAtMs: 'keep' },
  { op: 'set', db: 1, key: '\0', value: '\xff', expireAtMs: 1_700_000_000_123 },
  { op: 'append', db: 0, key: ALL_BYTES, bytes: ALL_BYTES },
  { op: 'setrange', db: 2, key: 'k', offset: 536_870_911, bytes: '\x80\x81' },
  { op: 'del', db: 0, keys: [ALL_BYTES, 'a', ''] },
  { op: 'del', db: 0, keys: ['x'], expired: true },
  { op: 'expire', db: 3, key: 'k', atMs: 8_640_000_000_000_000 },
  { op: 'persist', db: 0, key: 'k' },
  { op: 'rename', db: 0, from: ALL_BYTES, to: 'b' },
  { op: 'copy', db: 0, from: 'a', toDb: 9, to: ALL_BYTES },
  { op: 'move', db: 0, key: 'a', toDb: 1 },
  { op: 'flushdb', db: 4 },
  { op: 'flushall' },
  { op: 'swapdb', db: 0, other: 1 },
  // Ops with a positional layout in version 2, with and without their optional fields.
  { op: 'set', db: 0, key: 'n', value: '1.5', expireAtMs: null, plain: true },
  { op: 'lpush', db: 0, key: 'l', elements: ['a', ALL_BYTES], fill: -2 },
  { op: 'rpush', db: 1, key: 'l', elements: [], fill: 128 },
  { op: 'lpop', db: 0, key: 'l', count: 3, fill: -2 },
  { op: 'rpop', db: 0, key: 'l', count: 1, fill: -2 },
  { op: 'lmove', db: 0, from: 'a', to: 'b', whereFrom: 'left', whereTo: 'right', fill: -2 },
  { op: 'stream', db: 0, key: 's', change: { op: 'xadd', id: '1-1', fields: ['f', 'v'] } },
  { op: 'stream', db: 2, key: 's', change: { op: 'xdel', ids: ['1-1', '2-0'] } },
];

t.test('every effect op round-trips exactly, every byte value included', async (t) => {
  const payload = encodeRecordPayload(everyOp, 2 ** 40 + 3);
  const decoded = decodeRecordPayload(payload);
  t.equal(decoded.durableOffset, 2 ** 40 + 3);
  t.strictSame(decoded.effects, everyOp);
  const first = decoded.effects[0] as Extract<Effect, { op: 'set' }>;
  t.equal(first.key, ALL_BYTES, 'key holds bytes 0..255');
  for (let i = 0; i < 256; i++) t.equal(first.key.charCodeAt(i), i);
});

t.test('random binary keys and values round-trip through a frame', async (t) => {
  const random = seededRandom(seedFor('frame round trip'));
  for (let n = 0; n < 200; n++) {
    const effects: Effect[] = Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
      op: 'set',
      db: Math.floor(random() * 16),
      key: randomBytes(random, 64),
      value: randomBytes(random, random() < 0.05 ? 100_000 : 300),
      expireAtMs: random() < 0.5 ? null : Math.floor(random() * 2 ** 50),
    }));
    const frame = encodeFrame(encodeRecordPayload(effects, n));
    const check = checkFrame(frame, 0, frame.length);
    if (check.kind !== 'ok') return t.fail(`frame ${n}: ${check.kind}`);
    t.equal(check.frameBytes, frame.length);
    const decoded = decodeRecordPayload(frame.subarray(check.payloadStart, check.payloadStart + check.payloadBytes));
    if (JSON.stringify(decoded.effects) !== JSON.stringify(effects)) return t.fail(`record ${n} differs`);
  }
  t.pass('200 records identical');
});

t.test('the checksum catches every single-bit flip of a frame', async (t) => {
  const frame = encodeFrame(encodeRecordPayload([{ op: 'set', db: 0, key: 'key', value: 'value', expireAtMs: null }], 0));
  let caught = 0;
  for (let byte = 0; byte < frame.length; byte++) {
    for (let bit = 0; bit < 8; bit++) {
      const copy = Buffer.from(frame);
      copy[byte]! ^= 1 << bit;
      const check = checkFrame(copy, 0, copy.length);
      if (check.kind !== 'ok') caught++;
    }
  }
  t.equal(caught, frame.length * 8, 'no flipped frame passes');
});

t.test('short and bad frames are told apart', async (t) => {
  const frame = encodeFrame(encodeRecordPayload([{ op: 'flushall' }], 0));
  for (let cut = 0; cut < frame.length; cut++) {
    const check = checkFrame(frame, 0, cut);
    t.equal(check.kind, 'short', `cut at ${cut}`);
  }
  t.equal(checkFrame(Buffer.alloc(16), 0, 16).kind, 'bad', 'zeros: zero length');
  t.equal(checkFrame(frame, 0, frame.length).kind, 'ok');
  t.equal(FRAME_HEADER_BYTES, 8);
});

t.test('an unknown record kind is refused with a clear error', async (t) => {
  const packr = new Packr({ useRecords: false });
  t.throws(() => decodeRecordPayload(packr.pack([99, 0, []])), RecordFormatError);
  t.throws(() => decodeRecordPayload(packr.pack([99, 0, []])), /newer version/);
  t.throws(() => decodeRecordPayload(packr.pack({ a: 1 })), RecordFormatError);
  t.throws(() => decodeRecordPayload(packr.pack([1, -1, []])), /durableOffset/);
  t.throws(() => decodeRecordPayload(packr.pack([1, 0, [{ nope: 1 }]])), /without an op/);
  t.throws(() => decodeRecordPayload(Buffer.from([0xc1])), RecordFormatError);
});

/** The payload version 1 wrote: every effect a map, the same fixed-width head. */
function versionOnePayload(effects: readonly Effect[], durableOffset: number): Buffer {
  const body = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true }).pack(effects);
  const head = Buffer.from([0x93, 1, 0xcf, 0, 0, 0, 0, 0, 0, 0, 0]);
  head.writeBigUInt64BE(BigInt(durableOffset), 3);
  return Buffer.concat([head, body]);
}

t.test('records written by version 1 (effects as maps) still read the same', async (t) => {
  const decoded = decodeRecordPayload(versionOnePayload(everyOp, 77));
  t.equal(decoded.durableOffset, 77);
  t.strictSame(decoded.effects, everyOp);
  const payload = versionOnePayload(everyOp, 1);
  t.ok(restampDurableOffset(payload, 2 ** 33), 'a version-1 head can be restamped');
  t.equal(decodeRecordPayload(payload).durableOffset, 2 ** 33);
});

t.test('version 2 writes frequent effects positionally: a small SET takes half the bytes', async (t) => {
  const set: Effect = { op: 'set', db: 0, key: 'key:123456', value: 'v000123456', expireAtMs: null };
  const v2 = encodeRecordPayload([set], 5);
  const v1 = versionOnePayload([set], 5);
  t.ok(v2.length <= 40, `version 2: ${v2.length} bytes`);
  t.ok(v2.length * 1.6 < v1.length, `version 1 took ${v1.length} bytes`);
  t.ok(restampDurableOffset(v2, 9));
  t.strictSame(decodeRecordPayload(v2), { durableOffset: 9, effects: [set] });
});

t.test('an effect with a field its layout does not list keeps the map form and every field', async (t) => {
  const unusual = { op: 'set', db: 0, key: 'k', value: 'v', expireAtMs: null, future: [1, 2] } as unknown as Effect;
  const undefinedField = { op: 'del', db: 0, keys: ['k'], expired: undefined } as unknown as Effect;
  const decoded = decodeRecordPayload(encodeRecordPayload([unusual, undefinedField], 0));
  t.strictSame(decoded.effects[0], unusual);
  t.same(decoded.effects[1], { op: 'del', db: 0, keys: ['k'] });
});

t.test('a version-2 element that is neither a known layout nor an effect map is refused', async (t) => {
  const packr = new Packr({ useRecords: false });
  t.throws(() => decodeRecordPayload(packr.pack([2, 0, [[999, 0, 'k']]])), /unknown layout/);
  t.throws(() => decodeRecordPayload(packr.pack([2, 0, [[1, 0, 'k', 'v', null, false, 'extra']]])), /unknown layout/);
  t.throws(() => decodeRecordPayload(packr.pack([2, 0, ['set']])), RecordFormatError);
  t.throws(() => decodeRecordPayload(packr.pack([2, 0, [{ nope: 1 }]])), /without an op/);
  t.strictSame(decodeRecordPayload(packr.pack([2, 0, [[4, 3, 'k']]])).effects, [{ op: 'persist', db: 3, key: 'k' }]);
});

t.test('CRC-32: native and portable agree with the standard check value', async (t) => {
  const check = Buffer.from('123456789', 'latin1');
  t.equal(crc32(check), 0xcbf43926);
  t.equal(crc32Portable(check), 0xcbf43926);
  const random = seededRandom(7);
  const data = Buffer.from(randomBytes(random, 5000), 'latin1');
  t.equal(crc32Portable(data.subarray(100), crc32Portable(data.subarray(0, 100))), crc32(data), 'chaining');
  for (const seed of [0, 1, 37, 0xffff, 2 ** 31, 0xffffffff]) t.equal(crc32Portable(data, seed), crc32(data, seed), `seeded ${seed}`);
});
