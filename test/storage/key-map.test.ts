// KeyMap against a JS Map as the reference: after every random operation both hold the same
// entries in the same order, and live iterators opened at random moments (some kept across
// thousands of inserts, deletes and compactions) yield exactly what the Map's iterators yield.

import t, { type Test } from 'tap';
import { KeyMap, hashKey } from '../../storage/key-map';
import { seededRandom } from '../support/random';

function sameContents(t: Test, actual: KeyMap<number>, expected: Map<string, number>, label: string): boolean {
  if (actual.size !== expected.size) {
    t.fail(`${label}: size ${actual.size}, expected ${expected.size}`);
    return false;
  }
  const a = [...actual];
  const e = [...expected];
  if (JSON.stringify(a) !== JSON.stringify(e)) {
    t.fail(`${label}: entries or their order differ`);
    return false;
  }
  return true;
}

t.test('random operations and live iterators behave exactly as a Map', async (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const random = seededRandom(seed);
    const actual = new KeyMap<number>();
    const expected = new Map<string, number>();
    // Pairs of iterators opened at the same moment, advanced together.
    const iterators: Array<[Iterator<[string, number]>, Iterator<[string, number]>]> = [];
    // A small key universe makes re-inserting deleted keys (and tombstone reuse) frequent.
    const universe = 200 + Math.floor(random() * 3000);
    let ok = true;
    for (let step = 0; step < 40_000 && ok; step++) {
      const key = `k${Math.floor(random() * universe)}`;
      const roll = random();
      // Phases that mostly insert, then mostly delete, so the table grows, empties and compacts.
      const deleting = Math.floor(step / 5000) % 2 === 1;
      if (roll < (deleting ? 0.25 : 0.6)) {
        actual.set(key, step);
        expected.set(key, step);
      } else if (roll < 0.9) {
        const a = actual.delete(key);
        const e = expected.delete(key);
        if (a !== e) ok = t.fail(`seed ${seed} step ${step}: delete answered ${a}`);
      } else if (roll < 0.95) {
        if (actual.get(key) !== expected.get(key) || actual.has(key) !== expected.has(key)) {
          ok = t.fail(`seed ${seed} step ${step}: get/has of ${key} differ`);
        }
      } else if (roll < 0.96 && iterators.length < 8) {
        iterators.push([actual.entries(), expected.entries()]);
      } else if (iterators.length > 0) {
        const i = Math.floor(random() * iterators.length);
        const [a, e] = iterators[i]!;
        for (let n = Math.floor(random() * 20); n >= 0; n--) {
          const x = a.next();
          const y = e.next();
          if (x.done !== y.done || JSON.stringify(x.value) !== JSON.stringify(y.value)) {
            ok = t.fail(`seed ${seed} step ${step}: iterator yielded ${JSON.stringify(x)}, a Map's ${JSON.stringify(y)}`);
            break;
          }
          if (y.done === true) {
            iterators.splice(i, 1);
            break;
          }
        }
      }
      if (step % 997 === 0) ok = ok && sameContents(t, actual, expected, `seed ${seed} step ${step}`);
    }
    if (ok && sameContents(t, actual, expected, `seed ${seed} end`)) t.pass(`seed ${seed}: 40,000 operations match a Map`);
  }
});

t.test('iterators see keys added after them and skip keys removed before they get there', async (t) => {
  const map = new KeyMap<number>();
  for (let i = 0; i < 10; i++) map.set(`a${i}`, i);
  const keys = map.keys();
  t.equal(keys.next().value, 'a0');
  map.delete('a1');
  map.set('late', 99);
  map.set('a0', 100); // present: keeps its place
  // Empty most of the table so that it compacts under the open iterator.
  for (let i = 0; i < 2000; i++) map.set(`b${i}`, i);
  for (let i = 0; i < 2000; i++) map.delete(`b${i}`);
  t.strictSame([...{ [Symbol.iterator]: () => keys }], ['a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'late']);
  t.equal(map.get('a0'), 100);
  t.strictSame([...map.keys()].slice(0, 2), ['a0', 'a2']);
});

t.test('any key string works, the empty one and every byte value included', async (t) => {
  const map = new KeyMap<string>();
  let all = '';
  for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
  const keys = ['', '\0', all, all.slice(1), 'a'.repeat(100_000)];
  for (const key of keys) map.set(key, `v${key.length}`);
  for (const key of keys) t.equal(map.get(key), `v${key.length}`, `length ${key.length}`);
  t.equal(map.size, keys.length);
  t.ok(map.delete(''));
  t.notOk(map.has(''));
  t.equal(map.get(all), 'v256');
});

t.test('forEach, values and the ReadonlyMap surface', async (t) => {
  const map = new KeyMap<number>();
  map.set('x', 1).set('y', 2);
  const seen: string[] = [];
  map.forEach((value, key, owner) => {
    seen.push(`${key}=${value}`);
    t.equal(owner, map);
  });
  t.strictSame(seen, ['x=1', 'y=2']);
  t.strictSame([...map.values()], [1, 2]);
  t.equal(Object.prototype.toString.call(map), '[object KeyMap]');
});

t.test('the hash spreads similar keys', async (t) => {
  // Keys differing in one character must land in many different slots of a small table.
  const buckets = new Set<number>();
  for (let i = 0; i < 1000; i++) buckets.add(hashKey(`key:${String(i).padStart(12, '0')}`) & 1023);
  t.ok(buckets.size > 550, `${buckets.size} of 1024 slots used by 1000 keys`);
});

t.test('randomKey draws every live key, never a removed one', async (t) => {
  const map = new KeyMap<number>();
  t.equal(map.randomKey(), undefined, 'empty');
  for (let i = 0; i < 1000; i++) map.set(`k${i}`, i);
  // Leave 10 keys among ~990 holes: the draw falls back to its walk as well.
  for (let i = 10; i < 1000; i++) map.delete(`k${i}`);
  const random = seededRandom(11);
  const seen = new Map<string, number>();
  for (let n = 0; n < 5000; n++) {
    const key = map.randomKey(random)!;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  t.strictSame([...seen.keys()].sort(), [...map.keys()].sort(), 'only live keys, each of them');
  for (const [key, count] of seen) t.ok(count > 350 && count < 650, `${key} drawn ${count} times of 5000`);
});

t.test('reserve() and fit() keep the contents and order of a Map, whatever the counts', async (t) => {
  const random = seededRandom(99);
  for (const reserveFor of [0, 1, 10, 1000, 50_000, Number.NaN, Number.POSITIVE_INFINITY, -5]) {
    const actual = new KeyMap<number>();
    const expected = new Map<string, number>();
    actual.reserve(reserveFor);
    const inserts = Math.floor(random() * 3000);
    for (let i = 0; i < inserts; i++) {
      const key = `k${Math.floor(random() * 2000)}`;
      actual.set(key, i);
      expected.set(key, i);
      if (random() < 0.1) {
        actual.delete(key);
        expected.delete(key);
      }
    }
    actual.fit();
    if (!sameContents(t, actual, expected, `reserve(${reserveFor})`)) return;
    for (const key of expected.keys()) if (actual.get(key) !== expected.get(key)) return t.fail(`reserve(${reserveFor}): get(${key})`);
    t.notOk(actual.has('absent'), `reserve(${reserveFor}): a missing key is missing`);
    actual.reserve(10);
    actual.set('after', 1);
    expected.set('after', 1);
    if (!sameContents(t, actual, expected, `reserve(${reserveFor}) then more`)) return;
  }
  t.pass('all reservations');
});
