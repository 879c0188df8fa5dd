// apply() is deterministic: the same effects applied to fresh engines give the same state, whatever
// the clocks say and whatever reads happen in between; and the canonical dump that proves it is
// stable, exact and sensitive to every part of the state.

import t from 'tap';
import { Engine } from '../../storage/engine';
import type { Effect } from '../../storage/effects';
import { canonicalDump, dumpDigest } from '../../storage/dump';
import { scanKeys } from '../../storage/scan';
import { seededRandom } from '../support/random';

const DATABASES = 4;

/** A random but valid-looking effect list over a small key space, so effects collide often. */
function randomEffects(seed: number, count: number): Effect[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const keys = ['a', 'b', 'c', 'd', 'e', '\x00bin\xff', 'k:1', 'k:2'];
  const db = () => Math.floor(random() * DATABASES);
  const bytes = () => String.fromCharCode(...Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * 256)));
  const out: Effect[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.3) {
      const expire = random() < 0.5 ? null : random() < 0.5 ? 'keep' : 1700000000000 + Math.floor(random() * 1e6);
      out.push({ op: 'set', db: db(), key: pick(keys), value: bytes(), expireAtMs: expire });
    } else if (roll < 0.4) out.push({ op: 'append', db: db(), key: pick(keys), bytes: bytes() });
    else if (roll < 0.48) out.push({ op: 'setrange', db: db(), key: pick(keys), offset: Math.floor(random() * 8), bytes: bytes() });
    else if (roll < 0.58) out.push({ op: 'del', db: db(), keys: [pick(keys), pick(keys)], expired: random() < 0.3 });
    else if (roll < 0.68) out.push({ op: 'expire', db: db(), key: pick(keys), atMs: 1700000000000 + Math.floor(random() * 1e6) });
    else if (roll < 0.73) out.push({ op: 'persist', db: db(), key: pick(keys) });
    else if (roll < 0.8) out.push({ op: 'rename', db: db(), from: pick(keys), to: pick(keys) });
    else if (roll < 0.87) out.push({ op: 'copy', db: db(), from: pick(keys), toDb: db(), to: pick(keys) });
    else if (roll < 0.93) out.push({ op: 'move', db: db(), key: pick(keys), toDb: db() });
    else if (roll < 0.96) out.push({ op: 'swapdb', db: db(), other: db() });
    else if (roll < 0.99) out.push({ op: 'flushdb', db: db() });
    else out.push({ op: 'flushall' });
  }
  return out;
}

/** An engine whose clocks read whatever we like: access data must never reach the state. */
class SkewedEngine extends Engine {
  constructor(private readonly skewSec: number) {
    super({ databases: DATABASES });
  }
  override lruClockSec(): number {
    return super.lruClockSec() + this.skewSec;
  }
  override lfuInit(): number {
    return (this.skewSec & 0xffff) << 8;
  }
}

t.test('the same effects give the same state on fresh engines', async (t) => {
  const base = Number(process.env.SEED ?? Date.now() % 1000000);
  t.comment(`seeds ${base}..${base + 49} (rerun with SEED=${base})`);
  for (let seed = base; seed < base + 50; seed++) {
    const effects = randomEffects(seed, 400);
    const a = new Engine({ databases: DATABASES });
    const b = new SkewedEngine(86400 * 365);
    for (const effect of effects) a.replay(effect);
    for (const effect of effects) {
      b.replay(effect);
      // Reads in between (SCAN pages, random keys, lookups far in the past so nothing expires) change nothing.
      const db = b.dbs[effect.op === 'flushall' ? 0 : effect.db]!;
      scanKeys(db, 0, 3, null, 0);
      db.randomKey();
      b.touch(db.index, 'a', 0);
    }
    const dumpA = canonicalDump(a);
    if (dumpA !== canonicalDump(b)) {
      t.fail(`seed ${seed}: states differ`);
      return;
    }
    // Replaying through commit (the live path) reaches the same state too.
    const c = new Engine({ databases: DATABASES });
    let told = 0;
    c.onCommit(() => told++);
    for (const effect of effects) c.commit(effect);
    if (canonicalDump(c) !== dumpA || told !== effects.length) {
      t.fail(`seed ${seed}: commit and replay differ`);
      return;
    }
  }
  t.pass('50 random effect lists of 400 effects each gave identical dumps');
});

t.test('the canonical dump is exact, sorted and stable', async (t) => {
  const engine = new Engine({ databases: 3 });
  const effects: Effect[] = [
    { op: 'set', db: 2, key: 'zeta', value: 'last', expireAtMs: null },
    { op: 'set', db: 0, key: 'b', value: '\x00\xff\r\n', expireAtMs: 1700000000123 },
    { op: 'set', db: 0, key: 'a', value: '', expireAtMs: null },
    { op: 'set', db: 0, key: 'B', value: 'x', expireAtMs: null },
  ];
  for (const effect of effects) engine.replay(effect);
  t.equal(
    canonicalDump(engine),
    [
      'db=0 key=42 type=string value=78 expire=none',
      'db=0 key=61 type=string value= expire=none',
      'db=0 key=62 type=string value=00ff0d0a expire=1700000000123',
      'db=2 key=7a657461 type=string value=6c617374 expire=none',
      '',
    ].join('\n'),
  );
  t.equal(canonicalDump(new Engine({ databases: 2 })), '', 'an empty keyspace dumps as nothing');
  t.match(dumpDigest(engine), /^[0-9a-f]{64}$/);

  // Every part of the state shows: value, expiry, database, key.
  const variants: Effect[] = [
    { op: 'set', db: 0, key: 'a', value: 'changed', expireAtMs: 'keep' },
    { op: 'expire', db: 0, key: 'a', atMs: 1 },
    { op: 'persist', db: 0, key: 'b' },
    { op: 'move', db: 0, key: 'a', toDb: 1 },
    { op: 'rename', db: 0, from: 'a', to: 'c' },
  ];
  const before = dumpDigest(engine);
  for (const variant of variants) {
    const other = new Engine({ databases: 3 });
    for (const effect of effects) other.replay(effect);
    other.replay(variant);
    t.not(dumpDigest(other), before, `${variant.op} changes the dump`);
  }
});

t.test('effects keep the keyspace invariants', async (t) => {
  const engine = new Engine({ databases: DATABASES });
  for (const effect of randomEffects(7, 2000)) {
    engine.replay(effect);
  }
  for (const db of engine.dbs) {
    for (const key of db.expires.keys()) t.ok(db.entries.has(key), `db${db.index}: expiry of ${JSON.stringify(key)} belongs to a key`);
    // seq grows along the Map's order: SCAN depends on it.
    let last = 0;
    for (const entry of db.entries.values()) {
      t.ok(entry.seq > last, `db${db.index}: seq increases along insertion order`);
      last = entry.seq;
    }
    // The key list behind RANDOMKEY holds exactly the keys.
    const drawn = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const key = db.randomKey();
      if (key !== undefined) drawn.add(key);
    }
    t.same([...drawn].sort(), [...db.entries.keys()].sort(), `db${db.index}: random draws cover exactly the keys`);
  }
});
