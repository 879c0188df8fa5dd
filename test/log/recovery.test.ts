// Recovery: torn tails at every byte are cut and everything before survives; bit flips refuse to
// open in the middle and are cut in the tail; power losses at random moments (pages persisted in
// any order) never lose an acknowledged record, never replay part of a record, and never need a
// human.

import t from 'tap';
import type { Effect } from '../../storage/effects';
import { encodeFrame, encodeRecordPayload } from '../../storage/log/frame';
import { CorruptLogError } from '../../storage/log/scan';
import { segmentFileName } from '../../storage/log/segment';
import { seededRandom } from '../support/random';
import { freshFs, LOG_DIR, open, recordOf, seedFor, DIR } from './helpers';
import type { FaultyFs, LossMode } from '../support/faulty-fs';

const SEG0 = `${LOG_DIR}/${segmentFileName(0)}`;

/**
 * A log of `turns` turns of 3 records each, closed cleanly (ending with a durability marker) or
 * left as a kill -9 leaves it; returns the records and their start offsets.
 */
async function writeLog(
  fs: FaultyFs,
  turns: number,
  end: 'close' | 'kill' = 'close',
): Promise<{ records: Effect[][]; starts: number[]; end: number }> {
  const { log } = open(fs);
  const records: Effect[][] = [];
  const starts: number[] = [];
  for (let turn = 0; turn < turns; turn++) {
    for (let i = 0; i < 3; i++) {
      const r = recordOf(records.length, 20);
      starts.push(log.logEndOffset);
      records.push(r);
      log.append(r);
    }
    await log.flush();
  }
  const logEnd = log.logEndOffset;
  if (end === 'close') await log.close();
  else fs.crash('process');
  return { records, starts, end: logEnd };
}

function fsWithSegment(content: Buffer): FaultyFs {
  const fs = freshFs();
  fs.mkdir(LOG_DIR);
  fs.persistAll();
  fs.putFile(SEG0, content);
  return fs;
}

t.test('a torn last record is cut at every byte, and everything before it survives', async (t) => {
  const source = freshFs();
  const { records, starts, end } = await writeLog(source, 4);
  const content = source.fileContent(SEG0);
  const lastStart = starts[starts.length - 1]!;
  let checked = 0;
  for (let cut = lastStart; cut < end; cut++) {
    const fs = fsWithSegment(content.subarray(0, cut));
    const { log, report, replayed } = open(fs);
    if (JSON.stringify(replayed) !== JSON.stringify(records.slice(0, -1))) return t.fail(`cut ${cut}: wrong records`);
    if (cut === lastStart) {
      t.equal(report.truncatedTail, null, 'a cut on a frame boundary is a clean end');
    } else {
      const tail = report.truncatedTail;
      if (tail === null || tail.offset !== lastStart || tail.droppedBytes !== cut - lastStart) {
        return t.fail(`cut ${cut}: ${JSON.stringify(tail)}`);
      }
    }
    if (fs.stat(SEG0)!.size !== lastStart) return t.fail(`cut ${cut}: file not truncated`);
    // The log continues cleanly after the cut.
    log.append(recordOf(999));
    await log.close();
    const again = open(fs);
    if (again.replayed.length !== records.length || again.report.truncatedTail !== null) return t.fail(`cut ${cut}: reopen`);
    await again.log.close();
    checked++;
  }
  t.equal(checked, end - lastStart, `every one of ${end - lastStart} cuts recovered`);
});

t.test('a bit flip in the tail record is cut; in the middle it refuses to open', async (t) => {
  const source = freshFs();
  const { records, starts, end } = await writeLog(source, 10, 'kill');
  const content = source.fileContent(SEG0);
  const lastStart = starts[starts.length - 1]!;
  for (let byte = lastStart; byte < end; byte++) {
    const fs = fsWithSegment(content);
    fs.flipBit(SEG0, byte, byte % 8);
    const { log, report, replayed } = open(fs);
    if (replayed.length !== records.length - 1 || report.truncatedTail?.offset !== lastStart) {
      return t.fail(`flip at ${byte}: ${replayed.length} records, ${JSON.stringify(report.truncatedTail)}`);
    }
    await log.close();
  }
  t.pass(`flips in each of the last record's ${end - lastStart} bytes are cut`);

  const random = seededRandom(seedFor('middle flips'));
  for (let n = 0; n < 50; n++) {
    // Anywhere before the last three turns: later records claim that offset was durable.
    const byte = Math.floor(random() * starts[starts.length - 9]!);
    const fs = fsWithSegment(content);
    fs.flipBit(SEG0, byte, Math.floor(random() * 8));
    let error: unknown = null;
    try {
      open(fs);
    } catch (err) {
      error = err;
    }
    if (!(error instanceof CorruptLogError)) return t.fail(`flip at ${byte} was not refused`);
    if (!/sluice-check-log --fix/.test(error.message)) return t.fail('the error does not name the fix');
    if (fs.stat(SEG0)!.size !== content.length) return t.fail('a refused log was changed');
  }
  t.pass('50 random flips in the middle refused, naming sluice-check-log --fix');
});

t.test('after a clean shutdown the durability marker makes a flip in the last record damage, not a tail', async (t) => {
  const source = freshFs();
  const { starts, end } = await writeLog(source, 3, 'close');
  const content = source.fileContent(SEG0);
  t.ok(content.length > end, 'a marker follows the last record');
  for (const byte of [starts[starts.length - 1]! + 3, end - 1]) {
    const fs = fsWithSegment(content);
    fs.flipBit(SEG0, byte, 1);
    t.throws(() => open(fs), /written when the log was durable up to offset/);
  }
  // The marker itself torn: that is a tail again (and costs nothing: it holds no effects).
  const fs = fsWithSegment(content.subarray(0, content.length - 2));
  const opened = open(fs);
  t.equal(opened.replayed.length, 9);
  t.equal(opened.report.truncatedTail?.offset, end);
  await opened.log.close();
});

t.test('valid records after damage: dropped when never known durable, refused when they prove it was', async (t) => {
  const frame = (i: number, claim: number): Buffer => encodeFrame(encodeRecordPayload(recordOf(i, 20), claim));
  const a = frame(0, 0);
  const b = frame(1, 0);
  const hole = Buffer.alloc(b.length); // b's pages never reached the disk
  // c was written in the same unsynced stretch: it claims only what was durable before b.
  const cUnsynced = frame(2, a.length);
  let fs = fsWithSegment(Buffer.concat([a, hole, cUnsynced]));
  const opened = open(fs);
  t.equal(opened.replayed.length, 1);
  t.equal(opened.report.truncatedTail?.offset, a.length);
  t.equal(opened.report.truncatedTail?.droppedRecords, 1, 'the valid unsynced record is dropped with the hole');
  await opened.log.close();
  // c written after b had been fsynced: b's damage is corruption of durable data.
  const cLater = frame(2, a.length + b.length);
  fs = fsWithSegment(Buffer.concat([a, hole, cLater]));
  t.throws(() => open(fs), /written when the log was durable up to offset/);
});

t.test('damage in a segment before the last refuses, even at its end', async (t) => {
  const fs = freshFs();
  const { log } = open(fs, { segmentBytesMax: 400 });
  for (let i = 0; i < 20; i++) {
    log.append(recordOf(i, 30));
    await log.flush();
  }
  await log.close();
  const names = fs.readdir(LOG_DIR).sort();
  t.ok(names.length >= 3);
  const second = `${LOG_DIR}/${names[1]}`;
  fs.truncateFile(second, fs.stat(second)!.size - 1);
  t.throws(() => open(fs, { segmentBytesMax: 400 }), /not the last one/);
  t.throws(() => open(fs, { segmentBytesMax: 400 }), CorruptLogError);
});

t.test('a gap between segments refuses', async (t) => {
  const fs = freshFs();
  const { log } = open(fs, { segmentBytesMax: 200 });
  for (let i = 0; i < 12; i++) {
    log.append(recordOf(i, 30));
    await log.flush();
  }
  await log.close();
  const names = fs.readdir(LOG_DIR).sort();
  fs.unlink(`${LOG_DIR}/${names[1]}`);
  t.throws(() => open(fs, { segmentBytesMax: 200 }), /bytes are missing/);
});

t.test('power loss at random moments: acknowledged records survive, nothing partial, no human needed', async (t) => {
  const seed = seedFor('power loss');
  const random = seededRandom(seed);
  let crashes = 0;
  let cutTails = 0;
  let validAfterHole = 0;
  for (let run = 0; run < 12; run++) {
    const fs = freshFs(seed + run);
    fs.pageBytes = 64; // small pages: unsynced turns span several, persisted in any order
    const policy = run % 3 === 0 ? 'everysec' : 'always';
    const segmentBytesMax = 300 + Math.floor(random() * 3000);
    let history: Effect[][] = [];
    let opened = open(fs, { fsync: policy, segmentBytesMax });
    for (let cycle = 0; cycle < 8; cycle++) {
      const log = opened.log;
      // acked: records whose flush resolved (always), or that a background sync covered (everysec).
      let acked = history.length;
      const offsets: number[] = [];
      const pendingFlushes: Promise<void>[] = [];
      const turns = 1 + Math.floor(random() * 12);
      for (let turn = 0; turn < turns; turn++) {
        fs.holdSyncs = random() < 0.5;
        const n = 1 + Math.floor(random() * 6);
        for (let i = 0; i < n; i++) {
          const r = recordOf(history.length, Math.floor(random() * 200));
          history.push(r);
          offsets.push(log.append(r));
        }
        const count = history.length;
        const flushed = log.flush().then(
          () => {
            if (policy === 'always') acked = Math.max(acked, count);
          },
          () => {},
        );
        pendingFlushes.push(flushed);
        if (random() < 0.7) {
          fs.releaseSyncs();
          await new Promise((r) => setImmediate(r));
        }
        if (policy === 'everysec' && random() < 0.3) {
          opened.clock.advance(1000);
          fs.releaseSyncs();
          await new Promise((r) => setImmediate(r));
        }
      }
      if (policy === 'everysec') {
        const synced = log.syncedOffset;
        const base = acked;
        acked = Math.max(acked, base + offsets.filter((o) => o <= synced).length);
      }
      const mode = (['lose', 'prefix', 'pages', 'keep'] as LossMode[])[Math.floor(random() * 4)]!;
      fs.crash('power', mode);
      crashes++;
      let reopened;
      try {
        reopened = open(fs, { fsync: policy, segmentBytesMax });
      } catch (err) {
        return t.fail(`run ${run} cycle ${cycle} (${mode}): recovery refused: ${(err as Error).message}`);
      }
      const got = reopened.replayed;
      if (got.length < acked) return t.fail(`run ${run} cycle ${cycle} (${mode}): ${got.length} records < ${acked} acknowledged`);
      if (got.length > history.length) return t.fail(`run ${run}: more records than written`);
      for (let i = 0; i < got.length; i++) {
        if (JSON.stringify(got[i]) !== JSON.stringify(history[i])) return t.fail(`run ${run}: record ${i} differs`);
      }
      if (reopened.report.truncatedTail !== null) cutTails++;
      if ((reopened.report.truncatedTail?.droppedRecords ?? 0) > 0) validAfterHole++;
      history = history.slice(0, got.length);
      opened = reopened;
    }
    await opened.log.close();
  }
  t.pass(
    `${crashes} power losses recovered without help (${cutTails} torn tails cut, ` +
      `${validAfterHole} with valid but unsynced records after the damage)`,
  );
});

t.test('a process crash (kill -9) loses nothing that was written, whatever the policy', async (t) => {
  for (const policy of ['always', 'everysec', 'no'] as const) {
    const fs = freshFs();
    const { log } = open(fs, { fsync: policy });
    for (let i = 0; i < 10; i++) log.append(recordOf(i));
    await log.flush();
    log.append(recordOf(10)); // appended, never flushed: not written, not acknowledged
    fs.crash('process');
    const after = open(fs, { fsync: policy });
    t.equal(after.replayed.length, 10, policy);
    await after.log.close();
  }
});

t.test('the data dir and log dir are created durably', async (t) => {
  const fs = freshFs();
  const { log } = open(fs);
  log.append(recordOf(1));
  await log.flush();
  fs.crash('power', 'lose');
  const after = open(fs);
  t.equal(after.replayed.length, 1, 'the first segment and its directories survived');
  t.ok(fs.stat(DIR));
  await after.log.close();
});
