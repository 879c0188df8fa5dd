// Background snapshots (storage/snapshot.ts BackgroundSnapshot over storage/keyspace.ts's
// copy-on-write hook): whatever the writes made while the walk goes on — overwrites, appends,
// expiries, deletes, renames, copies, moves, FLUSHDB, SWAPDB, FLUSHALL — the file holds the keyspace
// exactly as it was when the snapshot began; guards are released at the end or on abort; a write
// error inside the hook fails the snapshot without disturbing the command that triggered it.

import t from 'tap';
import { canonicalDump } from '../../storage/dump';
import { Engine } from '../../storage/engine';
import { BackgroundSnapshot, listSnapshots, loadNewestSnapshot, type SnapshotEntry } from '../../storage/snapshot';
import { seededRandom } from '../support/random';
import { DIR, EffectGenerator, freshFs, seedFor } from '../log/helpers';

const DATABASES = 4;

function restored(fs: ReturnType<typeof freshFs>): Engine {
  const engine = new Engine({ databases: DATABASES });
  const into = (e: SnapshotEntry) => engine.replay({ op: 'set', db: e.db, key: e.key, value: e.value as string, expireAtMs: e.expireAtMs });
  const load = loadNewestSnapshot(fs, DIR, into);
  if (load.loaded === null) throw new Error(`no snapshot loaded: ${JSON.stringify(load.skipped)}`);
  return engine;
}

/** An engine with `bulk` keys spread over the databases plus random history. */
function filledEngine(random: () => number, bulk: number): { engine: Engine; generator: EffectGenerator } {
  const engine = new Engine({ databases: DATABASES });
  const generator = new EffectGenerator(random, engine);
  for (let i = 0; i < 300; i++) generator.next();
  for (let i = 0; i < bulk; i++) {
    const expireAtMs = i % 7 === 0 ? 1_800_000_000_000 + i : null;
    engine.replay({ op: 'set', db: i % DATABASES, key: `bulk:${i}`, value: `value ${i} `.repeat(1 + (i % 5)), expireAtMs });
  }
  return { engine, generator };
}

/** A write touching the bulk keys too (the generator's own keys are few). */
function bulkWrite(random: () => number, engine: Engine, bulk: number): void {
  const i = Math.floor(random() * bulk);
  const db = Math.floor(random() * DATABASES);
  const key = `bulk:${i}`;
  const roll = random();
  if (roll < 0.4) engine.replay({ op: 'set', db, key, value: `new ${roll}`, expireAtMs: 'keep' });
  else if (roll < 0.55) engine.replay({ op: 'append', db, key, bytes: '+' });
  else if (roll < 0.7) engine.replay({ op: 'del', db, keys: [key] });
  else if (roll < 0.8) engine.replay({ op: 'expire', db, key, atMs: 1_900_000_000_000 });
  else if (roll < 0.85) engine.replay({ op: 'persist', db, key });
  else if (roll < 0.95) engine.replay({ op: 'rename', db, from: key, to: `bulk:${Math.floor(random() * bulk)}` });
  else engine.replay({ op: 'move', db, key, toDb: (db + 1) % DATABASES });
}

t.test('a background snapshot holds the keyspace as it was at its start, whatever changes meanwhile', async (t) => {
  const base = seedFor('background snapshot');
  for (let round = 0; round < 12; round++) {
    const seed = base + round;
    const random = seededRandom(seed);
    const fs = freshFs(seed);
    const bulk = 3000;
    const { engine, generator } = filledEngine(random, bulk);
    const expected = canonicalDump(engine);
    const snapshot = new BackgroundSnapshot(fs, DIR, 1000 + round, engine.dbs);
    t.equal(snapshot.keysTotal, engine.dbs.reduce((n, db) => n + db.size, 0), 'keys at the start');
    let steps = 0;
    // Flushes are rarer in some rounds, so that most keys are still there when the walk comes.
    const writesPerStep = 1 + (round % 4) * 3;
    for (;;) {
      for (let i = 0; i < writesPerStep; i++) {
        // The generator also flushes now and then; mostly single-key writes keep the walk long.
        if (random() < 0.15) generator.next();
        else bulkWrite(random, engine, bulk);
      }
      steps++;
      // A zero budget walks 128 entries per step: many interleavings per snapshot.
      if (snapshot.step(0)) break;
    }
    // Writes after the walk and before the file is in place change nothing either.
    for (let i = 0; i < 20; i++) generator.next();
    await snapshot.finish();
    const got = canonicalDump(restored(fs));
    if (got !== expected) t.fail(`seed ${seed}: the snapshot differs from the state at its start`);
    else t.pass(`seed ${seed}: exact after ${steps} steps (${snapshot.keysWritten} keys)`);
    // The guards are gone: a new snapshot can guard the tables again.
    const again = new BackgroundSnapshot(fs, DIR, 5000 + round, engine.dbs);
    while (!again.step(1000)) {
      /* walk */
    }
    await again.finish();
    t.equal(canonicalDump(restored(fs)), canonicalDump(engine), `seed ${seed}: a second snapshot holds the current state`);
  }
});

t.test('FLUSHALL and SWAPDB during the walk: the old tables are kept as they were', async (t) => {
  const fs = freshFs();
  const engine = new Engine({ databases: DATABASES });
  for (let i = 0; i < 2000; i++) engine.replay({ op: 'set', db: i % 2, key: `k${i}`, value: `v${i}`, expireAtMs: null });
  const expected = canonicalDump(engine);
  const snapshot = new BackgroundSnapshot(fs, DIR, 7, engine.dbs);
  snapshot.step(0);
  engine.replay({ op: 'swapdb', db: 0, other: 3 });
  engine.replay({ op: 'set', db: 3, key: 'k1000', value: 'changed after the swap', expireAtMs: null });
  engine.replay({ op: 'del', db: 3, keys: ['k1002', 'k4'] });
  snapshot.step(0);
  engine.replay({ op: 'flushall' });
  engine.replay({ op: 'set', db: 1, key: 'k1', value: 'new', expireAtMs: null });
  while (!snapshot.step(0)) {
    /* walk */
  }
  await snapshot.finish();
  t.equal(canonicalDump(restored(fs)), expected);
});

t.test('abort stops guarding and removes the partial file', async (t) => {
  const fs = freshFs();
  const engine = new Engine({ databases: DATABASES });
  for (let i = 0; i < 1000; i++) engine.replay({ op: 'set', db: 0, key: `k${i}`, value: 'v', expireAtMs: null });
  const snapshot = new BackgroundSnapshot(fs, DIR, 9, engine.dbs);
  snapshot.step(0);
  snapshot.abort();
  t.same(fs.readdir(`${DIR}/snapshots`), [], 'no file left');
  t.same(listSnapshots(fs, DIR), []);
  engine.replay({ op: 'set', db: 0, key: 'k1', value: 'after', expireAtMs: null });
  const next = new BackgroundSnapshot(fs, DIR, 10, engine.dbs);
  while (!next.step(1000)) {
    /* walk */
  }
  await next.finish();
  t.equal(canonicalDump(restored(fs)), canonicalDump(engine));
});

t.test('a write error in the hook fails the snapshot, not the write that triggered it', async (t) => {
  const fs = freshFs();
  const engine = new Engine({ databases: DATABASES });
  // Values large enough that the hook's saves fill a chunk (and so write) quickly.
  for (let i = 0; i < 600; i++) engine.replay({ op: 'set', db: 0, key: `k${i}`, value: 'x'.repeat(1000), expireAtMs: null });
  const snapshot = new BackgroundSnapshot(fs, DIR, 11, engine.dbs);
  fs.failNextWrite({ code: 'ENOSPC' });
  for (let i = 599; i >= 0; i--) engine.replay({ op: 'set', db: 0, key: `k${i}`, value: 'y', expireAtMs: null });
  t.equal(engine.dbs[0]!.entries.get('k0')!.value, 'y', 'the writes happened');
  t.equal((snapshot.error as NodeJS.ErrnoException | null)?.code, 'ENOSPC', 'the snapshot failed');
  t.throws(() => snapshot.step(1000), /ENOSPC/);
  await t.rejects(snapshot.finish(), /ENOSPC/);
  t.same(fs.readdir(`${DIR}/snapshots`), [], 'the partial file is gone');
  // Guards released: the next snapshot works.
  const next = new BackgroundSnapshot(fs, DIR, 12, engine.dbs);
  while (!next.step(1000)) {
    /* walk */
  }
  await next.finish();
  t.equal(canonicalDump(restored(fs)), canonicalDump(engine));
});

t.test('a value changed in place is saved first when its owner says so (beforeValueChange)', async (t) => {
  const fs = freshFs();
  const engine = new Engine({ databases: DATABASES });
  for (let i = 0; i < 1000; i++) engine.replay({ op: 'set', db: 0, key: `k${i}`, value: `v${i}`, expireAtMs: null });
  const expected = canonicalDump(engine);
  const snapshot = new BackgroundSnapshot(fs, DIR, 13, engine.dbs);
  snapshot.step(0);
  // What a list or stream family does: announce, then mutate the entry where it lies.
  for (const key of ['k999', 'k500', 'k0']) {
    engine.dbs[0]!.beforeValueChange(key);
    (engine.dbs[0]!.entries.get(key) as { value: string }).value = 'changed in place';
  }
  while (!snapshot.step(0)) {
    /* walk */
  }
  await snapshot.finish();
  t.equal(canonicalDump(restored(fs)), expected);
});
