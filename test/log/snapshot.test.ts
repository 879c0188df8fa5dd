// Snapshots: exact round trip; snapshot + log from its offset equals the whole history applied
// directly (also after deleting the segments it covers); written atomically (a crash at any step
// leaves the previous snapshot in force); damaged or half-written snapshots are passed over.

import t from 'tap';
import { ManualClock } from '../../storage/clock';
import { canonicalDump } from '../../storage/dump';
import { Engine } from '../../storage/engine';
import { openLog } from '../../storage/log/recovery';
import {
  listSnapshots,
  loadNewestSnapshot,
  pruneSnapshots,
  SnapshotWriter,
  writeSnapshotNow,
  type SnapshotEntry,
} from '../../storage/snapshot';
import type { FaultyFs } from '../support/faulty-fs';
import { seededRandom } from '../support/random';
import { ALL_BYTES, DIR, EffectGenerator, freshFs, seedFor } from './helpers';

const DATABASES = 4;

function restoreInto(engine: Engine): (e: SnapshotEntry) => void {
  return (e) => engine.replay({ op: 'set', db: e.db, key: e.key, value: e.value as string, expireAtMs: e.expireAtMs });
}

function randomEngine(seed: number, effects: number): Engine {
  const engine = new Engine({ databases: DATABASES });
  const generator = new EffectGenerator(seededRandom(seed), engine);
  for (let i = 0; i < effects; i++) generator.next();
  engine.replay({ op: 'set', db: 3, key: ALL_BYTES, value: ALL_BYTES, expireAtMs: 1_800_000_000_000 });
  return engine;
}

t.test('a snapshot round-trips the keyspace exactly', async (t) => {
  const fs = freshFs();
  const engine = randomEngine(seedFor('snapshot round trip'), 3000);
  // Enough keys for several chunks.
  for (let i = 0; i < 5000; i++) engine.replay({ op: 'set', db: 1, key: `bulk:${i}`, value: 'v'.repeat(100), expireAtMs: null });
  await writeSnapshotNow(fs, DIR, 1234, engine.dbs);
  const restored = new Engine({ databases: DATABASES });
  const load = loadNewestSnapshot(fs, DIR, restoreInto(restored));
  t.equal(load.loaded?.offset, 1234);
  t.equal(load.loaded?.keyCount, engine.dbs.reduce((n, db) => n + db.size, 0));
  t.equal(canonicalDump(restored), canonicalDump(engine));
});

t.test('snapshot + the log after its offset equals the whole history, also once covered segments are deleted', async (t) => {
  const seed = seedFor('snapshot + log');
  const random = seededRandom(seed);
  for (let run = 0; run < 5; run++) {
    const fs = freshFs(seed + run);
    const direct = new Engine({ databases: DATABASES });
    const generator = new EffectGenerator(random, direct);
    const { log } = openLog({ dir: DIR, fsync: 'always', segmentBytesMax: 2000, fs, clock: new ManualClock(), replay: () => {} });
    const snapshotTurn = 10 + Math.floor(random() * 30);
    for (let turn = 0; turn < 50; turn++) {
      for (let c = 0; c < 1 + Math.floor(random() * 5); c++) log.append([generator.next()]);
      await log.flush();
      if (turn === snapshotTurn) {
        await log.sync();
        await writeSnapshotNow(fs, DIR, log.logEndOffset, direct.dbs);
        if (random() < 0.5) log.truncateBefore(log.logEndOffset);
      }
    }
    await log.close();

    const engine = new Engine({ databases: DATABASES });
    const load = loadNewestSnapshot(fs, DIR, restoreInto(engine));
    t.ok(load.loaded !== null);
    const reopened = openLog({
      dir: DIR,
      fsync: 'always',
      segmentBytesMax: 2000,
      startOffset: load.loaded!.offset,
      fs,
      clock: new ManualClock(),
      replay: (effects) => effects.forEach((e) => engine.replay(e)),
    });
    t.equal(canonicalDump(engine), canonicalDump(direct), `run ${run}: snapshot at turn ${snapshotTurn} + log = direct`);
    await reopened.log.close();
  }
});

async function twoSnapshots(fs: FaultyFs): Promise<{ older: Engine; newer: Engine }> {
  const older = randomEngine(1, 200);
  await writeSnapshotNow(fs, DIR, 100, older.dbs);
  const newer = randomEngine(2, 300);
  return { older, newer };
}

t.test('a crash at any step of writing a snapshot leaves the previous one in force', async (t) => {
  for (const step of ['before-finish', 'before-rename', 'after-rename', 'done'] as const) {
    const fs = freshFs();
    const { older, newer } = await twoSnapshots(fs);
    const writer = new SnapshotWriter(fs, DIR, 200);
    for (const db of newer.dbs) for (const [key, e] of db.entries) writer.add({ db: db.index, key, value: e.value, expireAtMs: db.expiryOf(key) ?? null });
    if (step === 'before-finish') {
      fs.crash('process'); // leaves the .tmp file behind
    } else if (step === 'before-rename') {
      // Complete but its fdatasync has not returned: the crash comes before the rename.
      fs.holdSyncs = true;
      const finishing = writer.finish();
      void finishing.catch(() => {});
      fs.crash('power');
    } else if (step === 'after-rename') {
      fs.failNextDirSync('EIO');
      await t.rejects(writer.finish());
      fs.crash('power', 'lose'); // the rename was not made durable
    } else {
      await writer.finish();
      fs.crash('power');
    }
    const engine = new Engine({ databases: DATABASES });
    const load = loadNewestSnapshot(fs, DIR, restoreInto(engine));
    const want = step === 'done' ? newer : older;
    t.equal(load.loaded?.offset, step === 'done' ? 200 : 100, step);
    t.equal(canonicalDump(engine), canonicalDump(want), `${step}: state of the snapshot in force`);
    t.equal(fs.readdir(`${DIR}/snapshots`).filter((n) => n.endsWith('.tmp')).length, 0, `${step}: no .tmp left`);
  }
});

t.test('damaged or half-written snapshots are passed over, with the reason', async (t) => {
  const fs = freshFs();
  const { older } = await twoSnapshots(fs);
  const newer = randomEngine(3, 300);
  const path = await writeSnapshotNow(fs, DIR, 200, newer.dbs);
  const size = fs.stat(path)!.size;
  fs.flipBit(path, Math.floor(size / 2));
  let engine = new Engine({ databases: DATABASES });
  let load = loadNewestSnapshot(fs, DIR, restoreInto(engine));
  t.equal(load.loaded?.offset, 100, 'the older intact one is used');
  t.match(load.skipped[0]?.reason, /bad frame/);
  t.equal(canonicalDump(engine), canonicalDump(older), 'nothing of the damaged one was applied');

  fs.flipBit(path, Math.floor(size / 2)); // repaired
  fs.truncateFile(path, size - 3);
  engine = new Engine({ databases: DATABASES });
  load = loadNewestSnapshot(fs, DIR, restoreInto(engine));
  t.equal(load.loaded?.offset, 100);
  t.match(load.skipped[0]?.reason, /bad frame|no trailer/);

  t.strictSame(pruneSnapshots(fs, DIR, 1), [`${DIR}/snapshots/00000000000000000100.snap`]);
  t.equal(listSnapshots(fs, DIR).length, 1);
  load = loadNewestSnapshot(fs, DIR, () => {});
  t.equal(load.loaded, null, 'no usable snapshot: replay the log from its start');
});
