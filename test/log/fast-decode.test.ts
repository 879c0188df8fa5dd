// The fast decoder of log records (storage/log/fast-decode.ts) against msgpackr's general path:
// whenever it answers, it answers exactly what the general decoder gives (records, and the
// keyspace rebuilt from them), it answers for the records a running server writes most,
// and it gives up (never throws, never guesses) on everything else: other encodings, truncated
// and bit-flipped payloads. Also the slicing-by-8 CRC against node:zlib's.

import t from 'tap';
import * as zlib from 'node:zlib';
import { Packr } from 'msgpackr';
import { canonicalDump } from '../../storage/dump';
import type { Effect } from '../../storage/effects';
import { Engine } from '../../storage/engine';
import { crc32Portable, crc32Range } from '../../storage/log/crc32';
import { decodeRecordFast } from '../../storage/log/fast-decode';
import { decodeRecordPayload, decodeRecordPayloadGeneral, encodeRecordPayload } from '../../storage/log/frame';
import { seededRandom } from '../support/random';
import { ALL_BYTES, EffectGenerator, randomBytes, seedFor } from './helpers';

const DATABASES = 4;

/** Random records as a server writes them: mostly one effect, sometimes an EXEC's several. */
function randomRecords(seed: number, count: number): { records: Effect[][]; direct: Engine } {
  const random = seededRandom(seed);
  const direct = new Engine({ databases: DATABASES });
  const generator = new EffectGenerator(random, direct);
  const records: Effect[][] = [];
  for (let i = 0; i < count; i++) {
    const n = random() < 0.8 ? 1 : 2 + Math.floor(random() * 5);
    const effects: Effect[] = [];
    for (let j = 0; j < n; j++) effects.push(generator.next());
    records.push(effects);
  }
  return { records, direct };
}

t.test('every record the fast decoder reads equals the general decode, and the keyspace is the same', async (t) => {
  const seed = seedFor('fast decode records');
  const { records, direct } = randomRecords(seed, 4000);
  const random = seededRandom(seed + 1);
  const viaFast = new Engine({ databases: DATABASES });
  const viaGeneral = new Engine({ databases: DATABASES });
  let fast = 0;
  let mismatches = 0;
  for (const effects of records) {
    const durableOffset = random() < 0.5 ? Math.floor(random() * 1000) : Math.floor(random() * 2 ** 50);
    const payload = encodeRecordPayload(effects, durableOffset);
    const general = decodeRecordPayloadGeneral(payload);
    const quick = decodeRecordFast(payload, 0, payload.length);
    if (quick !== null) {
      fast++;
      if (JSON.stringify(quick) !== JSON.stringify(general) || quick.effects.length !== general.effects.length) mismatches++;
      else t.strictSame(quick, general);
    }
    for (const e of decodeRecordPayload(payload).effects) viaFast.replay(e);
    for (const e of general.effects) viaGeneral.replay(e);
  }
  t.equal(mismatches, 0, 'no record decodes differently');
  t.ok(fast > records.length / 3, `the fast path read ${fast} of ${records.length} records`);
  t.equal(canonicalDump(viaFast), canonicalDump(viaGeneral), 'same keyspace through either decoder');
  t.equal(canonicalDump(viaFast), canonicalDump(direct), 'and the keyspace the effects built directly');
});

t.test('list records: the same keyspace through either decoder', async (t) => {
  const random = seededRandom(seedFor('fast decode lists'));
  const viaFast = new Engine({ databases: DATABASES });
  const viaGeneral = new Engine({ databases: DATABASES });
  let fast = 0;
  for (let i = 0; i < 2000; i++) {
    const key = `list:${Math.floor(random() * 5)}`;
    const roll = random();
    const fill = random() < 0.5 ? -2 : 128;
    const effect: Effect =
      roll < 0.5
        ? { op: random() < 0.5 ? 'lpush' : 'rpush', db: 1, key, elements: ['a', randomBytes(random, 80), ALL_BYTES], fill }
        : roll < 0.8
          ? { op: random() < 0.5 ? 'lpop' : 'rpop', db: 1, key, count: 1 + Math.floor(random() * 3), fill }
          : { op: 'lmove', db: 1, from: key, to: `list:${Math.floor(random() * 5)}`, whereFrom: 'left', whereTo: 'right', fill };
    const payload = encodeRecordPayload([effect], i);
    if (decodeRecordFast(payload, 0, payload.length) !== null) fast++;
    for (const e of decodeRecordPayload(payload).effects) viaFast.replay(e);
    for (const e of decodeRecordPayloadGeneral(payload).effects) viaGeneral.replay(e);
  }
  t.equal(fast, 2000, 'every list record read by the fast path');
  t.equal(canonicalDump(viaFast), canonicalDump(viaGeneral));
});

t.test('the fast path takes the frequent records, bytes 0..255 included', async (t) => {
  const common: Effect[][] = [
    [{ op: 'set', db: 0, key: 'key:1', value: 'vvvvvvvvvv', expireAtMs: null }],
    [{ op: 'set', db: 15, key: ALL_BYTES, value: ALL_BYTES + ALL_BYTES, expireAtMs: 1_700_000_000_123 }],
    [{ op: 'set', db: 1, key: 'k', value: '', expireAtMs: 'keep' }],
    [{ op: 'set', db: 0, key: 'n', value: '1.5', expireAtMs: null, plain: true }],
    [{ op: 'set', db: 0, key: 'x'.repeat(70000), value: 'y'.repeat(300), expireAtMs: 2 ** 40 }],
    [{ op: 'del', db: 2, keys: ['a', '', ALL_BYTES], expired: true }],
    [{ op: 'expire', db: 3, key: 'k', atMs: 8_640_000_000_000_000 }],
    [{ op: 'persist', db: 0, key: 'k' }, { op: 'append', db: 0, key: 'k', bytes: '\x00\x7f\x80\xff' }],
    [{ op: 'lpush', db: 0, key: 'l', elements: ['a', ALL_BYTES], fill: -2 }],
    [{ op: 'lpop', db: 0, key: 'l', count: 300, fill: -70000 }],
    [{ op: 'lmove', db: 0, from: 'a', to: 'b', whereFrom: 'left', whereTo: 'right', fill: 128 }],
  ];
  for (const effects of common) {
    const payload = encodeRecordPayload(effects, 12345);
    const quick = decodeRecordFast(payload, 0, payload.length);
    t.not(quick, null, `fast: ${effects[0]!.op}`);
    t.strictSame(quick, decodeRecordPayloadGeneral(payload), `same: ${effects[0]!.op}`);
    // Read where it lies inside a larger buffer, too.
    const padded = Buffer.concat([Buffer.from([0xc1, 0xc1]), payload, Buffer.from([0xc1])]);
    t.strictSame(decodeRecordFast(padded, 2, 2 + payload.length), quick);
  }
});

t.test('what the fast path does not handle is left to the general decoder', async (t) => {
  const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true, int64AsType: 'number' });
  const head = (tag: number): number[] => [0x93, tag, 0xcf, 0, 0, 0, 0, 0, 0, 0, 5];
  const cases: Array<[string, Buffer]> = [
    ['a version-1 record (maps)', Buffer.concat([Buffer.from(head(1)), packr.pack([{ op: 'persist', db: 0, key: 'k' }])])],
    ['an effect without a layout (a map)', encodeRecordPayload([{ op: 'flushall' }], 0)],
    ['a character beyond U+00FF', Buffer.concat([Buffer.from(head(2)), packr.pack([[4, 0, 'k€']])])],
    ['a float32', Buffer.concat([Buffer.from(head(2)), Buffer.from([0x91, 0x94, 3, 0, 0xa1, 0x6b, 0xca, 0x3f, 0xc0, 0, 0])])],
    ['an unknown layout code', Buffer.concat([Buffer.from(head(2)), packr.pack([[99, 0, 'k']])])],
    ['too many fields', Buffer.concat([Buffer.from(head(2)), packr.pack([[4, 0, 'k', 1]])])],
    ['a trailing byte', Buffer.concat([encodeRecordPayload([{ op: 'persist', db: 0, key: 'k' }], 0), Buffer.from([0])])],
    ['a negative durableOffset', Buffer.concat([Buffer.from([0x93, 2, 0xff]), packr.pack([[4, 0, 'k']])])],
    ['an unknown tag', Buffer.concat([Buffer.from(head(3)), packr.pack([[4, 0, 'k']])])],
    ['a binary field', Buffer.concat([Buffer.from(head(2)), packr.pack([[4, 0, Buffer.from('k')]])])],
    ['an undefined field in a layout', Buffer.concat([Buffer.from(head(2)), packr.pack([[1, 0, 'k', undefined, null]])])],
  ];
  for (const [what, payload] of cases) t.equal(decodeRecordFast(payload, 0, payload.length), null, what);
  // And decodeRecordPayload still answers (or refuses) as the general decoder does.
  for (const [what, payload] of cases) {
    let general: unknown;
    try {
      general = decodeRecordPayloadGeneral(payload);
    } catch (err) {
      t.throws(() => decodeRecordPayload(payload), { message: (err as Error).message }, `${what}: same refusal`);
      continue;
    }
    t.strictSame(decodeRecordPayload(payload), general, `${what}: same result`);
  }
});

t.test('truncated and bit-flipped payloads: the fast path gives up or agrees with the general one', async (t) => {
  const { records } = randomRecords(seedFor('fast decode damage'), 300);
  const random = seededRandom(seedFor('fast decode flips'));
  let answered = 0;
  let disagreements = 0;
  for (const effects of records) {
    const payload = encodeRecordPayload(effects, 77);
    for (let cut = 0; cut < payload.length; cut++) {
      if (decodeRecordFast(payload, 0, cut) !== null) disagreements++; // a prefix is never a whole record
    }
    for (let flip = 0; flip < 20; flip++) {
      const damaged = Buffer.from(payload);
      const at = Math.floor(random() * damaged.length);
      damaged[at]! ^= 1 << Math.floor(random() * 8);
      const quick = decodeRecordFast(damaged, 0, damaged.length);
      if (quick === null) continue;
      answered++;
      let general: unknown;
      try {
        general = decodeRecordPayloadGeneral(damaged);
      } catch {
        disagreements++;
        continue;
      }
      if (JSON.stringify(general) !== JSON.stringify(quick)) disagreements++;
    }
  }
  t.equal(disagreements, 0, `no disagreement (${answered} damaged payloads still decoded, identically)`);
});

t.test('CRC-32 of byte ranges: slicing-by-8 equals node:zlib for every length and alignment', async (t) => {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array, i?: number) => number }).crc32;
  const random = seededRandom(11);
  const data = Buffer.from(randomBytes(random, 0) + ALL_BYTES.repeat(8), 'latin1');
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
  let bad = 0;
  let checked = 0;
  for (let length = 0; length <= 600; length++) {
    for (const start of [0, 1, 3, 7, 100]) {
      const seed = Math.floor(random() * 2 ** 32);
      const want = native !== undefined ? native(data.subarray(start, start + length), seed) : crc32Portable(data.subarray(start, start + length), seed);
      if (crc32Range(data, start, start + length, seed) !== want) bad++;
      if (crc32Portable(data.subarray(start, start + length), seed) !== want) bad++;
      checked++;
    }
  }
  t.equal(bad, 0, `${checked} ranges`);
});
