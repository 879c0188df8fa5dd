// storage/scan.ts on its own: random changes between SCAN calls, cached iterators dropped at random
// (as eviction or a restart would), and the guarantee checked exactly: every key present from the
// first call to the last is returned, each iteration ends, and a page visits at most COUNT keys.

import t from 'tap';
import { Engine } from '../../storage/engine';
import { scanKeys } from '../../storage/scan';
import { seededRandom } from '../support/random';

t.test('every key present throughout an iteration is returned', async (t) => {
  const base = Number(process.env.SEED ?? Date.now() % 1000000);
  t.comment(`seeds ${base}..${base + 199} (rerun with SEED=${base})`);
  for (let seed = base; seed < base + 200; seed++) {
    const random = seededRandom(seed);
    const engine = new Engine({ databases: 2 });
    const names = Array.from({ length: 60 }, (_, i) => `k${i}`);
    for (const key of names) if (random() < 0.7) engine.commit({ op: 'set', db: 0, key, value: 'v', expireAtMs: null });
    const db = engine.dbs[0]!;

    // Keys present at the start that nothing removes until the end are owed to the scan.
    const owed = new Set(db.entries.keys());
    const returned = new Set<string>();
    let cursor = 0;
    let calls = 0;
    do {
      const count = 1 + Math.floor(random() * 8);
      const page = scanKeys(db, cursor, count, null, 0);
      if (page.keys.length > count) t.fail(`seed ${seed}: a page of ${page.keys.length} keys for COUNT ${count}`);
      for (const key of page.keys) returned.add(key);
      cursor = page.cursor;
      // Drop the cached iterator now and then: the cursor must carry the position on its own.
      if (cursor !== 0 && random() < 0.3) db.scans.take(cursor);
      for (let i = 0, n = Math.floor(random() * 6); i < n; i++) {
        const key = names[Math.floor(random() * names.length)]!;
        const roll = random();
        if (roll < 0.25) {
          engine.commit({ op: 'del', db: 0, keys: [key] });
          owed.delete(key);
        } else if (roll < 0.45) {
          // Deleted and created again: it left, so it is no longer owed.
          if (db.entries.has(key)) owed.delete(key);
          engine.commit({ op: 'del', db: 0, keys: [key] });
          engine.commit({ op: 'set', db: 0, key, value: 'again', expireAtMs: null });
        } else if (roll < 0.6) {
          const to = names[Math.floor(random() * names.length)]!;
          if (db.entries.has(key) && key !== to) {
            owed.delete(key);
            owed.delete(to);
            engine.commit({ op: 'rename', db: 0, from: key, to });
          }
        } else if (roll < 0.7) {
          if (db.entries.has(key)) owed.delete(key);
          engine.commit({ op: 'move', db: 0, key, toDb: 1 });
        } else {
          // Overwriting in place keeps the key (and its place in the iteration).
          engine.commit({ op: 'set', db: 0, key, value: 'changed', expireAtMs: null });
        }
      }
      calls++;
    } while (cursor !== 0 && calls < 1000);
    if (cursor !== 0) {
      t.fail(`seed ${seed}: the iteration did not end`);
      return;
    }
    const missed = [...owed].filter((k) => !returned.has(k));
    if (missed.length > 0) {
      t.fail(`seed ${seed}: missed ${missed.join(' ')}`);
      return;
    }
  }
  t.pass('200 random iterations returned every key owed to them');
});

t.test('MATCH filters the keys visited, COUNT bounds the visit', async (t) => {
  const engine = new Engine({ databases: 1 });
  for (let i = 0; i < 100; i++) engine.commit({ op: 'set', db: 0, key: `${i % 2 === 0 ? 'even' : 'odd'}:${i}`, value: '', expireAtMs: null });
  const db = engine.dbs[0]!;
  const page = scanKeys(db, 0, 10, (key) => key.startsWith('even'), 0);
  t.equal(page.keys.length, 5, 'ten keys visited, five of them match');
  t.not(page.cursor, 0);
  const rest: string[] = [...page.keys];
  let cursor = page.cursor;
  while (cursor !== 0) {
    const next = scanKeys(db, cursor, 10, (key) => key.startsWith('even'), 0);
    rest.push(...next.keys);
    cursor = next.cursor;
  }
  t.equal(rest.length, 50, 'all fifty even keys, once each');
  t.equal(new Set(rest).size, 50);
});

t.test('flushes and swaps do not break open iterations', async (t) => {
  const engine = new Engine({ databases: 2 });
  for (let i = 0; i < 20; i++) engine.commit({ op: 'set', db: 0, key: `a${i}`, value: '', expireAtMs: null });
  for (let i = 0; i < 20; i++) engine.commit({ op: 'set', db: 1, key: `b${i}`, value: '', expireAtMs: null });
  const db0 = engine.dbs[0]!;
  const first = scanKeys(db0, 0, 5, null, 0);
  engine.commit({ op: 'swapdb', db: 0, other: 1 });
  // The cursor now applies to what db 0 holds; the iteration still ends and returns only its keys.
  const seen: string[] = [];
  let cursor = first.cursor;
  while (cursor !== 0) {
    const page = scanKeys(db0, cursor, 5, null, 0);
    seen.push(...page.keys);
    cursor = page.cursor;
  }
  t.ok(seen.every((k) => db0.entries.has(k)), 'only keys of the current contents');
  engine.commit({ op: 'flushdb', db: 0 });
  t.same(scanKeys(db0, first.cursor, 5, null, 0), { keys: [], cursor: 0 }, 'an old cursor on an emptied database ends at once');
});
