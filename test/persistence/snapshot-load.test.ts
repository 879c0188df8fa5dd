// Loading a snapshot in one pass (the server's way, loadNewestSnapshot with onReset): the frames
// are checked first, so damaged and half-written files are passed over before any key is handed
// over; a file whose frames are intact but whose content disagrees (here: the trailer's key
// count) is noticed while loading, what was handed over is undone (onReset) and the next one used.

import t from 'tap';
import { Engine } from '../../storage/engine';
import { canonicalDump } from '../../storage/dump';
import { encodeFrame, packValue } from '../../storage/log/frame';
import { loadNewestSnapshot, snapshotFileName, verifySnapshotFrames, writeSnapshotNow, type SnapshotEntry } from '../../storage/snapshot';
import { DIR, freshFs } from '../log/helpers';

function engineWith(n: number, prefix: string): Engine {
  const engine = new Engine({ databases: 2 });
  for (let i = 0; i < n; i++) engine.replay({ op: 'set', db: i % 2, key: `${prefix}${i}`, value: `v${i}`, expireAtMs: i % 3 === 0 ? 1_900_000_000_000 : null });
  return engine;
}

t.test('one-pass load: damaged files are skipped before any key is handed over; inconsistent content is undone', async (t) => {
  const fs = freshFs();
  const older = engineWith(50, 'old');
  await writeSnapshotNow(fs, DIR, 100, older.dbs);

  // Offset 200: intact frames, but the trailer claims one key more than the chunk holds.
  const frames = [
    packValue(['sluice-snapshot', 1, 200, Date.now()]),
    packValue(['keys', [[0, 'x', 's', 'y', null], [1, 'z', 's', 'w', null]]]),
    packValue(['end', 3, 1]),
  ].map((p) => encodeFrame(p));
  fs.putFile(`${DIR}/snapshots/${snapshotFileName(200)}`, Buffer.concat(frames));
  t.equal(verifySnapshotFrames(fs, `${DIR}/snapshots/${snapshotFileName(200)}`).keyCount, 3, 'its frames pass the cheap check');

  // Offset 300: half written (no trailer).
  fs.putFile(`${DIR}/snapshots/${snapshotFileName(300)}`, Buffer.concat(frames.slice(0, 2)));

  const engine = new Engine({ databases: 2 });
  const handed: string[] = [];
  let resets = 0;
  const load = loadNewestSnapshot(
    fs,
    DIR,
    (e: SnapshotEntry) => {
      handed.push(e.key);
      engine.replay({ op: 'set', db: e.db, key: e.key, value: e.value as string, expireAtMs: e.expireAtMs });
    },
    {
      onReset: () => {
        resets++;
        engine.replay({ op: 'flushall' });
      },
    },
  );
  t.equal(load.loaded?.offset, 100, 'the older, whole snapshot is loaded');
  t.equal(load.skipped.length, 2);
  t.match(load.skipped[0]?.reason, /no trailer/, 'the half-written one fails the frame check');
  t.match(load.skipped[1]?.reason, /trailer counts 3\/1 but read 2\/1/, 'the inconsistent one fails while loading');
  t.equal(resets, 1, 'what it handed over was undone once');
  t.same(handed.slice(0, 2), ['x', 'z'], 'the half-written one handed nothing over');
  t.equal(canonicalDump(engine), canonicalDump(older), 'the keyspace is exactly the older snapshot');
});
