// Pending entries lists: the ID-ordered B+tree against a sorted-array model (with its structural
// invariants checked as it grows and shrinks), and paging a 100k-entry PEL: a page of 10 from any
// ID must cost O(log n + 10), so thousands of pages take milliseconds, the same at 1k and 100k.

import t from 'tap';
import { seededRandom } from '../support/random';
import { type StreamId, IdTree, Stream, compareIds, formatId } from '../../storage/stream';

interface Item {
  readonly ms: number;
  readonly seq: number;
}

t.test('IdTree agrees with a sorted array', async (t) => {
  const base = Number(process.env.SEED ?? Date.now() % 1000000);
  t.comment(`seeds ${base}..${base + 29} (rerun with SEED=${base})`);
  for (let seed = base; seed < base + 30; seed++) {
    const random = seededRandom(seed);
    const int = (n: number) => Math.floor(random() * n);
    const tree = new IdTree<Item>();
    let model: Item[] = [];
    const cmp = (a: Item, b: Item) => compareIds(a, b);
    const span = [50, 500, 5000][seed % 3]!;
    const appendMode = seed % 2 === 0;
    let next = 0;
    for (let step = 0; step < 4000; step++) {
      const r = random();
      if (r < 0.55) {
        const item = appendMode && random() < 0.8 ? { ms: Math.floor(next / 3), seq: next++ % 3 } : { ms: int(span), seq: int(3) };
        const had = model.some((m) => cmp(m, item) === 0);
        const inserted = tree.insert(item);
        if (inserted === had) t.fail(`seed ${seed} step ${step}: insert returned ${inserted}`);
        if (!had) model.push(item);
      } else if (r < 0.9) {
        const key = model.length > 0 && random() < 0.8 ? model[int(model.length)]! : { ms: int(span), seq: int(3) };
        const removed = tree.delete(key.ms, key.seq);
        const i = model.findIndex((m) => cmp(m, key) === 0);
        if ((removed === undefined) !== (i === -1)) t.fail(`seed ${seed} step ${step}: delete`);
        if (i !== -1) model.splice(i, 1);
      } else {
        const key = { ms: int(span), seq: int(3) };
        const reverse = random() < 0.5;
        const cur = tree.cursor(key.ms, key.seq, reverse);
        const got: string[] = [];
        for (let k = 0; k < 7; k++) {
          const it = cur.next();
          if (it === undefined) break;
          got.push(formatId(it));
        }
        model.sort(cmp);
        const want = (reverse ? model.filter((m) => cmp(m, key) <= 0).reverse() : model.filter((m) => cmp(m, key) >= 0)).slice(0, 7).map(formatId);
        if (got.join(',') !== want.join(',')) t.fail(`seed ${seed} step ${step}: cursor ${got.join(',')} != ${want.join(',')}`);
        const hit = tree.get(key.ms, key.seq);
        if ((hit !== undefined) !== model.some((m) => cmp(m, key) === 0)) t.fail(`seed ${seed} step ${step}: get`);
      }
      if (step % 97 === 0) {
        tree.check();
        model.sort(cmp);
        if (tree.toArray().map(formatId).join(',') !== model.map(formatId).join(',')) t.fail(`seed ${seed} step ${step}: contents`);
        if (tree.size !== model.length) t.fail(`seed ${seed} step ${step}: size`);
      }
      // Now and then drain most of it, to exercise merges down to a single leaf and back.
      if (step % 1500 === 1499) {
        for (const m of model.splice(0, model.length - 3)) tree.delete(m.ms, m.seq);
        tree.check();
      }
    }
    tree.check();
    model.sort(cmp);
    t.equal(tree.first() && formatId(tree.first()!), model[0] && formatId(model[0]), `seed ${seed}: first`);
    t.equal(tree.last() && formatId(tree.last()!), model[model.length - 1] && formatId(model[model.length - 1]!), `seed ${seed}: last`);
  }
});

/** A group whose PEL holds about `n` entries spread over three consumers. */
function bigGroup(n: number): { stream: Stream; ids: StreamId[] } {
  const stream = new Stream();
  const ids: StreamId[] = [];
  for (let i = 0; i < n * 1.3; i++) {
    const id = { ms: 1_700_000_000_000 + (i >> 2), seq: i & 3 };
    stream.append(id, ['f', 'v']);
    ids.push(id);
  }
  const group = stream.createGroup('g', { ms: 0, seq: 0 })!;
  const consumers = ['a', 'b', 'c'].map((name) => group.consumerOrCreate(name, 0));
  ids.forEach((id, i) => group.deliver(id, consumers[i % 3]!, 1000 + i));
  const random = seededRandom(7);
  for (const id of ids) if (random() < 0.23) group.ack(id);
  for (const id of ids) if (random() < 0.1 && group.pending(id) !== undefined) group.claim(id, consumers[0]!, 5, 2);
  return { stream, ids };
}

function pageCost(stream: Stream, ids: StreamId[], pages: number): number {
  const group = stream.group('g')!;
  const random = seededRandom(11);
  const started = process.hrtime.bigint();
  let seen = 0;
  for (let p = 0; p < pages; p++) {
    const from = ids[Math.floor(random() * ids.length)]!;
    // XPENDING key g <from> + 10, on the group PEL and on one consumer's PEL.
    const cur = group.pel.cursor(from.ms, from.seq);
    for (let k = 0; k < 10 && cur.next() !== undefined; k++) seen++;
    const own = group.consumer('b')!.pel.cursor(from.ms, from.seq);
    for (let k = 0; k < 10 && own.next() !== undefined; k++) seen++;
  }
  if (seen === 0) throw new Error('no pages');
  return Number(process.hrtime.bigint() - started) / 1e6;
}

t.test('a 100k-entry PEL pages in O(log n + count)', async (t) => {
  const large = bigGroup(100_000);
  const group = large.stream.group('g')!;
  t.ok(group.pel.size > 95_000 && group.pel.size < 105_000, `PEL holds ${group.pel.size} entries`);
  // A balanced tree with nodes at least a quarter full (check() enforces both) is what makes a
  // seek O(log n): at fanout >= 16, 100k entries need at most 1 + log16(100k / 16) < 5 levels.
  const depth = group.pel.check();
  t.ok(depth <= 5, `the group PEL is ${depth} levels deep`);
  for (const c of group.consumers.values()) t.ok(c.pel.check() <= 5, `consumer ${c.name}'s PEL is balanced and shallow`);
  t.equal([...group.consumers.values()].reduce((n, c) => n + c.pel.size, 0), group.pel.size, 'consumer PELs partition the group PEL');

  // A page starts exactly at its ID and holds the next entries in order, anywhere in the PEL.
  const sorted = group.pel.toArray();
  const random = seededRandom(11);
  for (let p = 0; p < 200; p++) {
    const at = Math.floor(random() * sorted.length);
    const from = sorted[at]!;
    const cursor = group.pel.cursor(from.ms, from.seq);
    const page: unknown[] = [];
    for (let k = 0; k < 10; k++) {
      const next = cursor.next();
      if (next === undefined) break;
      page.push(next);
    }
    if (page.length !== Math.min(10, sorted.length - at) || page.some((e, k) => e !== sorted[at + k])) {
      t.fail(`page at ${at} is wrong`);
      break;
    }
  }
  // Wall-clock figures are for the reader only (performance is measured in bench/, not asserted).
  t.comment(`20k pages of 10 (group + consumer PEL) at 100k pending: ${pageCost(large.stream, large.ids, 20_000).toFixed(1)} ms`);
});
