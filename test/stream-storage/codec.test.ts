// Snapshots and copies of a whole stream: exact round trips (counters past 2^53, tombstones, zombie
// blocks left by exact trims, groups, consumers that were never active, large values), copies that
// share nothing with the original, and damaged input refused with StreamFormatError (never a
// crash, never a silently different stream).

import t from 'tap';
import {
  type StreamId,
  MAX_ID,
  MIN_ID,
  STREAM_CODEC_VERSION,
  Stream,
  StreamFormatError,
  canonicalStream,
  copyStream,
  deserializeStream,
  serializeStream,
} from '../../storage/stream';

function sample(): Stream {
  const s = new Stream();
  const limits = { nodeMaxBytes: 4096, nodeMaxEntries: 5 };
  for (let i = 0; i < 40; i++) {
    const fields = i % 7 === 3 ? ['other', 'x'.repeat(i * 500), 'z', '\x00\xff'] : ['f', String(i), 'g', `v${i}`];
    s.append({ ms: 1_700_000_000_000 + (i >> 1), seq: i & 1 }, fields, limits);
  }
  s.append({ ms: 9007199254740993n, seq: 18446744073709551615n }, ['big', 'id'], limits);
  s.delete([{ ms: 1_700_000_000_003, seq: 1 }, { ms: 1_700_000_000_010, seq: 0 }]);
  // An exact trim leaves its first block with tombstones; that block must survive the round trip.
  s.trim({ strategy: 'maxlen', maxLen: 33, approx: false, limit: 0 });
  s.setId({ ms: 9007199254740993n, seq: 18446744073709551615n }, 12345678901234567n, { ms: 1_700_000_000_010, seq: 0 });
  const g = s.createGroup('g\xff', { ms: 1_700_000_000_005, seq: 0 }, 9007199254740993n)!;
  const a = g.consumerOrCreate('alice', 100);
  g.consumerOrCreate('never-active', 200);
  const b = g.consumerOrCreate('bob', 300);
  g.deliver({ ms: 1_700_000_000_006, seq: 0 }, a, 1000);
  g.deliver({ ms: 1_700_000_000_006, seq: 1 }, b, 1001);
  g.claim({ ms: 1_700_000_000_007, seq: 0 }, b, 5, 9223372036854775807n);
  g.claim({ ms: 9007199254740993n, seq: 18446744073709551615n }, a, 6, 2);
  s.createGroup('empty', MIN_ID, -1);
  return s;
}

t.test('round trip', async (t) => {
  const s = sample();
  const bytes = serializeStream(s);
  t.equal(bytes[2], STREAM_CODEC_VERSION, 'versioned');
  const back = deserializeStream(bytes);
  t.equal(canonicalStream(back), canonicalStream(s), 'same data');
  t.equal(back.blockCount, s.blockCount, 'same blocks (tombstoned ones included)');
  t.same(serializeStream(back), bytes, 'same bytes again');
  t.equal(back.entriesAdded, 12345678901234567n, 'entries-added past 2^53');
  t.equal(back.group('g\xff')!.entriesRead, 9007199254740993n, 'entries-read past 2^53');
  t.equal(back.group('g\xff')!.pending({ ms: 1_700_000_000_007, seq: 0 })!.deliveryCount, 9223372036854775807n, 'delivery count of RETRYCOUNT 2^63 - 1');
  t.equal(back.group('g\xff')!.consumer('never-active')!.activeTimeMs, -1, 'never active');
  // The restored stream keeps working: appends go on in the tail block, reads see everything.
  const limits = { nodeMaxBytes: 4096, nodeMaxEntries: 5 };
  for (const x of [s, back]) x.append({ ms: 9007199254740993n, seq: 0 }.seq === 0 ? { ms: 18446744073709551615n, seq: 1 } : MAX_ID, ['after', 'restore'], limits);
  t.equal(canonicalStream(back), canonicalStream(s), 'same after appending to both');
  t.equal(back.blockCount, s.blockCount, 'same blocks after appending to both');
  const empty = new Stream();
  t.equal(canonicalStream(deserializeStream(serializeStream(empty))), canonicalStream(empty), 'an empty stream');
});

t.test('a copy shares nothing', async (t) => {
  const s = sample();
  const before = canonicalStream(s);
  const c = copyStream(s);
  t.equal(canonicalStream(c), before, 'equal at first');
  c.append({ ms: 18446744073709551615n, seq: 5 }, ['only', 'copy']);
  c.delete([c.firstValidId()!]);
  c.trim({ strategy: 'maxlen', maxLen: 3, approx: false, limit: 0 });
  const g = c.group('g\xff')!;
  g.ack({ ms: 1_700_000_000_006, seq: 0 });
  g.claim({ ms: 1_700_000_000_006, seq: 1 }, g.consumer('alice')!, 77, 7);
  g.deleteConsumer('bob');
  c.destroyGroup('empty');
  g.lastId = MAX_ID as StreamId;
  t.equal(canonicalStream(s), before, 'the original is untouched');
});

t.test('damaged input is refused', async (t) => {
  const bytes = serializeStream(sample());
  let refused = 0;
  for (let cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length >> 9)) {
    try {
      deserializeStream(bytes.subarray(0, cut));
      t.fail(`a ${cut}-byte prefix was accepted`);
    } catch (err) {
      if (!(err instanceof StreamFormatError)) t.fail(`a ${cut}-byte prefix threw ${(err as Error).name}: ${(err as Error).message}`);
      else refused++;
    }
  }
  t.ok(refused > 100, `${refused} truncations refused`);
  const wrongVersion = Buffer.from(bytes);
  wrongVersion[2] = 99;
  t.throws(() => deserializeStream(wrongVersion), StreamFormatError, 'unknown version');
  t.throws(() => deserializeStream(Buffer.concat([bytes, Buffer.from([0])])), StreamFormatError, 'trailing bytes');
  // Flipped bytes: either refused, or (for bytes inside a value) a stream that still checks out.
  let crashes = 0;
  for (let i = 3; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 1500))) {
    const damaged = Buffer.from(bytes);
    damaged[i] = damaged[i]! ^ 0x5a;
    try {
      const s = deserializeStream(damaged);
      canonicalStream(s);
    } catch (err) {
      if (!(err instanceof StreamFormatError)) crashes++;
    }
  }
  t.equal(crashes, 0, 'no flipped byte crashes the reader');
});
