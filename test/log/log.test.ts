// The Log at run time: append + flush + reopen, segment rolling, group commit (counted on the
// faulty fs), the fsync policies, reading from an offset, retention.

import t from 'tap';
import type { Effect } from '../../storage/effects';
import { segmentFileName } from '../../storage/log/segment';
import { freshFs, LOG_DIR, nextTurn, open, recordOf, setEffect } from './helpers';

t.test('records appended and flushed come back in order after reopening', async (t) => {
  const fs = freshFs();
  const a = open(fs);
  t.equal(a.report.created, true);
  t.equal(a.log.logEndOffset, 0);
  const records = Array.from({ length: 50 }, (_, i) => recordOf(i));
  const ends: number[] = [];
  for (const r of records) ends.push(a.log.append(r));
  t.equal(a.log.writtenOffset, 0, 'nothing written before flush');
  await a.log.flush();
  t.equal(a.log.writtenOffset, ends[ends.length - 1]);
  t.equal(a.log.syncedOffset, a.log.writtenOffset, "'always': durable once flush resolves");
  await a.log.close();

  const b = open(fs);
  t.strictSame(b.replayed, records);
  t.equal(b.report.recordsReplayed, 50);
  t.equal(b.report.truncatedTail, null);
  t.ok(b.log.logEndOffset > ends[ends.length - 1]!, 'the shutdown marker follows the last record');
  b.log.append(recordOf(50));
  await b.log.flush();
  await b.log.close();
  t.equal(open(fs).replayed.length, 51, 'appending after reopen continues the log');
});

t.test('add()/endRecord() make one record per command; flush closes an open one', async (t) => {
  const fs = freshFs();
  const a = open(fs);
  a.log.add(setEffect('a', '1'));
  a.log.add(setEffect('b', '2'));
  const end = a.log.endRecord();
  t.ok(end > 0);
  t.equal(a.log.endRecord(), end, 'an empty record is not written');
  a.log.add(setEffect('c', '3'));
  a.log.append([setEffect('d', '4')]); // closes the open record first, keeping order
  a.log.add(setEffect('e', '5'));
  await a.log.flush();
  await a.log.close();
  const keys = open(fs).replayed.map((r) => r.map((e) => (e as { key: string }).key).join(''));
  t.strictSame(keys, ['ab', 'c', 'd', 'e']);
});

t.test('group commit: N appends in one turn cost one write and one fdatasync', async (t) => {
  const fs = freshFs();
  const { log } = open(fs);
  fs.resetCounts();
  for (let i = 0; i < 1000; i++) log.append(recordOf(i));
  await log.flush();
  t.equal(fs.counts.writes, 1, 'one write');
  t.equal(fs.counts.fdatasyncs, 1, 'one fdatasync');

  // Turns finishing while an fdatasync is in flight share the next one.
  fs.holdSyncs = true;
  fs.resetCounts();
  log.append(recordOf(1));
  const first = log.flush();
  log.append(recordOf(2));
  const second = log.flush();
  log.append(recordOf(3));
  const third = log.flush();
  // Writing while an fdatasync runs would wait for it: the later turns stay in memory and go out
  // in one write just before the next fdatasync.
  t.equal(fs.counts.writes, 1, 'the first turn writes; the next two wait for the fdatasync in flight');
  t.equal(fs.counts.fdatasyncs, 1, 'one fdatasync in flight');
  let settled = 0;
  void first.then(() => settled++);
  void second.then(() => settled++);
  void third.then(() => settled++);
  await nextTurn();
  t.equal(settled, 0, 'no reply before its fdatasync');
  fs.releaseSyncs();
  await first;
  t.equal(settled, 1, 'the first turn is durable');
  t.equal(fs.counts.writes, 2, 'the next two turns share one write');
  t.equal(fs.counts.fdatasyncs, 2, 'and one fdatasync');
  await nextTurn();
  t.equal(settled, 1, 'later turns wait for the fdatasync that covers them');
  fs.releaseSyncs();
  await Promise.all([second, third]);
  t.equal(fs.counts.fdatasyncs, 2);

  // A turn that appended nothing still waits for bytes it may have read to be durable.
  log.append(recordOf(4));
  const writer = log.flush();
  const reader = log.flush();
  let readerDone = false;
  void reader.then(() => (readerDone = true));
  await nextTurn();
  t.equal(readerDone, false, 'a read-only turn waits for the in-flight fdatasync');
  fs.releaseSyncs();
  await Promise.all([writer, reader]);
  fs.holdSyncs = false;
  await log.close();
});

t.test("'everysec' writes every turn and fdatasyncs once a second; 'no' never until close", async (t) => {
  const fs = freshFs();
  const a = open(fs, { fsync: 'everysec' });
  fs.resetCounts();
  for (let turn = 0; turn < 5; turn++) {
    a.log.append(recordOf(turn));
    await a.log.flush();
  }
  t.equal(fs.counts.writes, 5);
  t.equal(fs.counts.fdatasyncs, 0, 'no fdatasync on the write path');
  t.equal(a.log.syncedOffset, 0);
  a.clock.advance(1000);
  await nextTurn();
  t.equal(fs.counts.fdatasyncs, 1, 'one background fdatasync after a second');
  t.equal(a.log.syncedOffset, a.log.writtenOffset);
  a.clock.advance(1000);
  await nextTurn();
  t.equal(fs.counts.fdatasyncs, 1, 'nothing new: no fdatasync');
  await a.log.close();

  const b = open(fs, { fsync: 'no' });
  fs.resetCounts();
  b.log.append(recordOf(9));
  await b.log.flush();
  b.clock.advance(5000);
  await nextTurn();
  t.equal(fs.counts.fdatasyncs, 0);
  await b.log.close();
  t.equal(fs.counts.fdatasyncs, 2, 'close syncs under every policy (and again after its durability marker)');
  t.equal(open(fs).replayed.length, 6);
});

t.test('segments roll past segmentBytesMax and recovery reads across them', async (t) => {
  const fs = freshFs();
  const a = open(fs, { segmentBytesMax: 1000 });
  const records: Effect[][] = [];
  for (let turn = 0; turn < 40; turn++) {
    for (let i = 0; i < 3; i++) {
      const r = recordOf(turn * 3 + i, 40);
      records.push(r);
      a.log.append(r);
    }
    await a.log.flush();
  }
  t.ok(a.log.segmentCount > 5, `${a.log.segmentCount} segments`);
  const names = fs.readdir(LOG_DIR).sort();
  t.equal(names[0], segmentFileName(0));
  // Each segment starts where the previous ends, and each is at most one turn over the limit.
  let expected = 0;
  for (const name of names) {
    t.equal(name, segmentFileName(expected));
    const size = fs.stat(`${LOG_DIR}/${name}`)!.size;
    t.ok(size < 1000 + 300, `${name}: ${size} bytes`);
    expected += size;
  }
  t.equal(expected, a.log.logEndOffset);
  await a.log.close();
  const b = open(fs, { segmentBytesMax: 1000 });
  t.strictSame(b.replayed, records);
  t.equal(b.report.segments, names.length);
  await b.log.close();
});

t.test('readFrom yields the records from an offset, across segments', async (t) => {
  const fs = freshFs();
  const { log } = open(fs, { segmentBytesMax: 500 });
  const offsets: number[] = [0];
  for (let i = 0; i < 30; i++) {
    offsets.push(log.append(recordOf(i, 30)));
    if (i % 4 === 3) await log.flush();
  }
  await log.flush();
  const all = [...log.readFrom(0)];
  t.equal(all.length, 30);
  t.strictSame(
    all.map((r) => r.offset),
    offsets.slice(0, 30),
  );
  t.strictSame(all[7]!.effects, recordOf(7, 30));
  const fromMiddle = [...log.readFrom(offsets[17]!)];
  t.equal(fromMiddle.length, 13);
  t.equal(fromMiddle[0]!.endOffset, offsets[18]);
  t.strictSame([...log.readFrom(log.writtenOffset)], []);
  t.throws(() => [...log.readFrom(log.writtenOffset + 1)], RangeError);
  await log.close();
});

t.test('a crash before retention removed its files: the log reopens with them and the next pass deletes them', async (t) => {
  const fs = freshFs();
  const { log } = open(fs, { segmentBytesMax: 300 });
  for (let i = 0; i < 40; i++) {
    log.append(recordOf(i, 30));
    await log.flush();
  }
  await log.sync();
  const files = fs.readdir(LOG_DIR).length;
  const cut = log.logEndOffset - 500;
  const deleted = log.truncateBefore(cut);
  const start = log.logStartOffset;
  const tail = [...log.readFrom(start)].length;
  fs.crash('process');
  t.equal(fs.readdir(LOG_DIR).length, files, 'nothing was removed before the crash');

  const reopened = open(fs, { segmentBytesMax: 300, startOffset: start });
  t.equal(reopened.replayed.length, tail, 'replay starts at the snapshot offset, the leftovers are skipped');
  t.equal(reopened.log.segmentCount, files, 'the leftover segments are the oldest ones again');
  t.equal(reopened.log.truncateBefore(cut).length, deleted.length, 'the next retention pass drops them');
  await reopened.log.deletionsSettled();
  t.equal(fs.readdir(LOG_DIR).length, files - deleted.length);
  await reopened.log.close();
});

t.test('truncateBefore deletes whole segments before an offset, never the active one', async (t) => {
  const fs = freshFs();
  const { log } = open(fs, { segmentBytesMax: 300 });
  for (let i = 0; i < 40; i++) {
    log.append(recordOf(i, 30));
    await log.flush();
  }
  const before = log.segmentCount;
  const cut = log.logEndOffset - 500;
  const deleted = log.truncateBefore(cut);
  t.ok(deleted.length > 0);
  t.equal(log.segmentCount, before - deleted.length);
  t.ok(log.logStartOffset <= cut, 'the segment holding the offset stays');
  t.equal(fs.readdir(LOG_DIR).length, before, 'files are removed in the background, not in the call');
  await log.deletionsSettled();
  t.equal(fs.readdir(LOG_DIR).length, log.segmentCount);
  t.throws(() => [...log.readFrom(0)], RangeError, 'deleted offsets are out of range');
  const remaining = [...log.readFrom(log.logStartOffset)].length;
  t.equal(log.truncateBefore(Number.MAX_SAFE_INTEGER).length, before - deleted.length - 1);
  t.equal(log.segmentCount, 1, 'the active segment always stays');
  await log.close();
  // Recovery replays from the log start when no snapshot covers the deleted part... and a start
  // offset before the first segment is refused, naming the gap.
  t.throws(() => open(fs, { segmentBytesMax: 300 }), /records in between are missing/);
  const reopened = open(fs, { segmentBytesMax: 300, startOffset: fs.readdir(LOG_DIR).map((n) => Number(n.slice(0, 20)))[0] });
  t.ok(reopened.replayed.length <= remaining);
  await reopened.log.close();
});

t.test('a snapshot offset past the log end starts a fresh log there', async (t) => {
  const fs = freshFs();
  const a = open(fs);
  a.log.append(recordOf(1));
  await a.log.close();
  const end = a.log.logEndOffset;
  const b = open(fs, { startOffset: end + 1000 });
  t.strictSame(b.report.discardedSegments, [0]);
  t.equal(b.log.logStartOffset, end + 1000);
  t.equal(b.log.logEndOffset, end + 1000);
  b.log.append(recordOf(2));
  await b.log.close();
  const c = open(fs, { startOffset: end + 1000 });
  t.strictSame(c.replayed, [recordOf(2)]);
  await c.log.close();
});
