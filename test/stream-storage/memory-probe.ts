// Not a test by itself (memory.test.ts runs it in a child process with --expose-gc): appends N
// entries of three small fields to a Stream and prints one JSON line with the memory they take
// (heap + external bytes and RSS, before and after, with full GCs), the raw bytes of their fields,
// and how long appends, range pages, PEL work and a snapshot round trip took.
//
//   node --expose-gc dist/test/stream-storage/memory-probe.js [entries]

import { MAX_ID, Stream, deserializeStream, serializeStream } from '../../storage/stream';

declare const gc: () => void;

function settle(): NodeJS.MemoryUsage {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage();
}

function main(): void {
  const n = Number(process.argv[2] ?? 1_000_000);
  // Three small fields, as an application would send them: f1 <counter> f2 <short tag> f3 <word>.
  const tags = Array.from({ length: 97 }, (_, i) => `t${i}`);
  const words = ['alpha', 'beta', 'gamma', 'delta'];
  let rawBytes = 0;
  const before = settle();
  const stream = new Stream();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const fields = ['f1', String(i), 'f2', tags[i % 97]!, 'f3', words[i & 3]!];
    for (const f of fields) rawBytes += f.length;
    // About ten entries per millisecond, as XADD * under load makes them.
    stream.append({ ms: 1_700_000_000_000 + Math.floor(i / 10), seq: i % 10 }, fields);
  }
  const appendNs = Number(process.hrtime.bigint() - t0);
  const after = settle();
  const used = after.heapUsed + after.external - (before.heapUsed + before.external);
  const rss = after.rss - before.rss;

  // Range pages of 10 from random places, both directions.
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pages = 100_000;
  const t1 = process.hrtime.bigint();
  let seen = 0;
  for (let p = 0; p < pages; p++) {
    const i = Math.floor(rnd() * n);
    const from = { ms: 1_700_000_000_000 + Math.floor(i / 10), seq: i % 10 };
    seen += p % 2 === 0 ? stream.range(from, MAX_ID, 10, false, () => {}) : stream.range({ ms: 0, seq: 0 }, from, 10, true, () => {});
  }
  const rangeNs = Number(process.hrtime.bigint() - t1) / pages;

  // A group reads everything (100k pending), then acks it.
  const group = stream.createGroup('g', { ms: 0, seq: 0 })!;
  const consumer = group.consumerOrCreate('c', 0);
  const t2 = process.hrtime.bigint();
  const delivered = Math.min(n, 100_000);
  stream.range({ ms: 0, seq: 0 }, MAX_ID, delivered, false, (e) => {
    const id = e.id();
    stream.advanceGroup(group, id);
    group.deliver(id, consumer, 1);
  });
  const deliverNs = Number(process.hrtime.bigint() - t2) / delivered;
  const pelMemory = settle();
  const pelBytes = (pelMemory.heapUsed + pelMemory.external - (after.heapUsed + after.external)) / delivered;
  const t3 = process.hrtime.bigint();
  group.pel.forEach((e) => void e);
  const ids = group.pel.toArray().map((e) => e.id);
  for (const id of ids) group.ack(id);
  const ackNs = Number(process.hrtime.bigint() - t3) / delivered;
  const settledBeforeSecond = settle();

  // A second stream of the same entries: its RSS cost is the marginal one, once V8's young
  // generation has grown to its working size (the first million pays ~30 MB for that).
  const second = new Stream();
  for (let i = 0; i < n; i++) {
    second.append({ ms: 1_700_000_000_000 + Math.floor(i / 10), seq: i % 10 }, ['f1', String(i), 'f2', tags[i % 97]!, 'f3', words[i & 3]!]);
  }
  const afterSecond = settle();
  const marginalRss = (afterSecond.rss - settledBeforeSecond.rss) / n;
  if (second.length !== n) throw new Error('second stream');

  const t4 = process.hrtime.bigint();
  const bytes = serializeStream(stream);
  const back = deserializeStream(bytes);
  const snapshotMs = Number(process.hrtime.bigint() - t4) / 1e6;
  if (back.length !== stream.length) throw new Error('round trip lost entries');

  process.stdout.write(
    JSON.stringify({
      entries: n,
      blocks: stream.blockCount,
      rawFieldBytesPerEntry: rawBytes / n,
      rawValueBytesPerEntry: (rawBytes - 6 * n) / n,
      bytesPerEntry: used / n,
      rssPerEntry: rss / n,
      marginalRssPerEntry: marginalRss,
      appendNsPerEntry: appendNs / n,
      rangePageNs: rangeNs,
      rangeEntries: seen,
      deliverNsPerEntry: deliverNs,
      pelBytesPerPending: pelBytes,
      ackNsPerEntry: ackNs,
      snapshotBytes: bytes.length,
      snapshotRoundTripMs: snapshotMs,
    }) + '\n',
  );
}

main();
