// List effects are deterministic: applied to fresh engines they give the same canonical dump, the
// same nodes and the same encodings (the fill travels with each effect); emptied lists are deleted;
// COPY is deep; a list survives snapshot encoding (lrestore) node for node.

import t from 'tap';
import { Engine } from '../../storage/engine';
import type { Effect } from '../../storage/effects';
import { canonicalDump } from '../../storage/dump';
import { RedisList } from '../../storage/list';
import { encodingOf } from '../../storage/encoding';
import { seededRandom } from '../support/random';

function randomListEffects(seed: number, count: number): Effect[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const keys = ['a', 'b', 'c'];
  const fills = [-2, -1, 2, 5];
  const element = () => (random() < 0.1 ? 'x'.repeat(Math.floor(random() * 5000)) : String(Math.floor(random() * 20)));
  const out: Effect[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const fill = pick(fills);
    const key = pick(keys);
    if (roll < 0.35) {
      const elements = Array.from({ length: 1 + Math.floor(random() * 20) }, element);
      out.push({ op: random() < 0.5 ? 'lpush' : 'rpush', db: 0, key, elements, fill });
    } else if (roll < 0.5) out.push({ op: random() < 0.5 ? 'lpop' : 'rpop', db: 0, key, count: 1 + Math.floor(random() * 5), fill });
    else if (roll < 0.58) out.push({ op: 'lset', db: 0, key, index: Math.floor(random() * 4), element: element(), fill });
    else if (roll < 0.66) out.push({ op: 'linsert', db: 0, key, where: random() < 0.5 ? 'before' : 'after', pivot: element(), element: element(), fill });
    else if (roll < 0.74) out.push({ op: 'lrem', db: 0, key, count: Math.floor(random() * 5) - 2, element: element(), fill });
    else if (roll < 0.8) out.push({ op: 'ltrim', db: 0, key, start: Math.floor(random() * 3), stop: Math.floor(random() * 40) - 5, fill });
    else if (roll < 0.9) {
      out.push({ op: 'lmove', db: 0, from: key, to: pick(keys), whereFrom: random() < 0.5 ? 'left' : 'right', whereTo: random() < 0.5 ? 'left' : 'right', fill });
    } else if (roll < 0.95) {
      const ends = { whereFrom: random() < 0.5 ? 'left' : 'right', whereTo: random() < 0.5 ? 'left' : 'right' } as const;
      out.push({ op: 'lmovem', db: 0, from: key, to: pick(keys), ...ends, count: 1 + Math.floor(random() * 8), bulk: random() < 0.5, fill });
    } else out.push({ op: 'copy', db: 0, from: key, toDb: 0, to: pick(keys) });
  }
  return out;
}

const shape = (engine: Engine) =>
  [...engine.dbs[0]!.entries].map(([key, entry]) => `${key}:${encodingOf(entry)}:${JSON.stringify((entry.value as RedisList).nodeSizes())}`).sort().join('\n');

t.test('the same list effects give the same state, nodes and encodings', async (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const effects = randomListEffects(seed, 400);
    const a = new Engine({ databases: 1 });
    const b = new Engine({ databases: 1 });
    for (const effect of effects) {
      // Effects on a missing or emptied key do nothing; an emptied list never stays as a key.
      a.replay(effect);
      for (const [key, entry] of a.dbs[0]!.entries) {
        if ((entry.value as RedisList).length === 0) t.fail(`seed ${seed}: empty list left at ${key}`);
        const problem = (entry.value as RedisList).verify();
        if (problem !== null) t.fail(`seed ${seed}: ${key}: ${problem}`);
      }
    }
    for (const effect of effects) b.replay(effect);
    t.equal(canonicalDump(b), canonicalDump(a), `seed ${seed}: same dump`);
    t.equal(shape(b), shape(a), `seed ${seed}: same nodes`);
  }
});

t.test('COPY of a list is deep; lrestore rebuilds the same nodes', async (t) => {
  const e = new Engine({ databases: 2 });
  e.replay({ op: 'rpush', db: 0, key: 'l', elements: Array.from({ length: 500 }, (_, i) => `v${i}`), fill: -2 });
  e.replay({ op: 'copy', db: 0, from: 'l', toDb: 1, to: 'c' });
  e.replay({ op: 'rpop', db: 0, key: 'l', count: 10, fill: -2 });
  t.equal((e.dbs[1]!.entries.get('c')!.value as RedisList).length, 500);
  t.equal((e.dbs[0]!.entries.get('l')!.value as RedisList).length, 490);
  const original = e.dbs[1]!.entries.get('c')!.value as RedisList;
  e.replay({ op: 'lrestore', db: 0, key: 'r', bytes: original.serialize(), expireAtMs: 1700000000000 });
  const restored = e.dbs[0]!.entries.get('r')!.value as RedisList;
  t.same(restored.nodeSizes(), original.nodeSizes());
  t.same(restored.toArray(), original.toArray());
  t.equal(e.dbs[0]!.expiryOf('r'), 1700000000000);
  t.match(canonicalDump(e), /type=list value=\[/);
});
