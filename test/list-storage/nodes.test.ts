// Chunk boundaries and OBJECT ENCODING: where Redis 7.2 starts a new quicklist node, when a listpack
// becomes a quicklist (list-max-listpack-size, checked before the elements are added) and when a
// quicklist goes back (one packed node of at most half the limit), elements larger than a node,
// many tiny elements, splits and merges on LINSERT and LSET.

import t from 'tap';
import { RedisList } from '../../storage/list';

const x = (n: number) => 'x'.repeat(n);

function pushEach(list: RedisList, elements: readonly string[], end: 'left' | 'right' = 'right', fill?: number): void {
  for (const element of elements) list.push([element], end, fill);
}

t.test('small lists are listpacks; a push that would pass 8 KiB converts first', async (t) => {
  t.equal(RedisList.of(['hello']).encoding, 'listpack');
  t.equal(new RedisList().encoding, 'listpack', 'a new list starts as a listpack');
  // The check adds the raw lengths to the listpack's current bytes (7 when empty): 7 + 8185 = 8192 fits.
  const fits = RedisList.of([x(8185)]);
  t.equal(fits.encoding, 'listpack');
  const over = RedisList.of([x(8186)]);
  t.equal(over.encoding, 'quicklist', '7 + 8186 > 8192');
  t.equal(over.nodeCount, 1);
  // The listpack is now 7 + 5 + 8185 + 2 = 8199 bytes: any push converts it, and the element then
  // needs a node of its own.
  t.same(fits.nodeSizes(), [{ count: 1, sz: 8199, plain: false }]);
  fits.push(['a'], 'right');
  t.equal(fits.encoding, 'quicklist');
  t.same(fits.nodeSizes(), [
    { count: 1, sz: 8199, plain: false },
    { count: 1, sz: 10, plain: false },
  ]);
  // One RPUSH of many elements is checked once, with all of them.
  const batch = RedisList.of(Array.from({ length: 1000 }, () => x(9)));
  t.equal(batch.encoding, 'quicklist', '7 + 9000 > 8192');
});

t.test('elements larger than a node get a plain node of their own', async (t) => {
  const list = RedisList.of(['a', 'b', 'c']);
  list.push([x(9000)], 'right');
  t.equal(list.encoding, 'quicklist');
  list.push([x(8193)], 'left');
  list.push([x(8192)], 'left');
  list.push(['z'], 'right');
  t.same(
    list.nodeSizes().map((n) => [n.count, n.plain]),
    [
      [1, false],
      [1, true],
      [3, false],
      [1, true],
      [1, false],
    ],
    'an 8192-byte element is still packed (into a new node), 8193 bytes is plain',
  );
  t.same(list.toArray(), [x(8192), x(8193), 'a', 'b', 'c', x(9000), 'z']);
  t.equal(list.pop('left'), x(8192));
  t.equal(list.pop('left'), x(8193));
  t.equal(list.index(-2), x(9000));
  t.same(list.range(3, 4), [x(9000), 'z']);
  t.equal(list.verify(), null);
  // A huge element, both ends, then everything around it.
  const huge = 'h'.repeat(300_000);
  const big = RedisList.of(['a', huge, 'b']);
  big.push([huge], 'left');
  t.equal(big.length, 4);
  t.same(big.positions(huge, { count: 0 }), [0, 2]);
  t.equal(big.remove(-1, huge), 1);
  t.same(big.toArray(), [huge, 'a', 'b']);
  t.equal(big.insert('a', huge, 'after'), 4);
  t.same(big.toArray(), [huge, 'a', huge, 'b']);
  t.equal(big.trim(1, 2), 2);
  t.same(big.toArray(), ['a', huge]);
  t.equal(big.set(1, 'small'), true);
  t.same(big.toArray(), ['a', 'small']);
  t.equal(big.encoding, 'quicklist', 'the small element got a node of its own next to the plain one');
  t.equal(big.nodeCount, 2);
  t.equal(big.pop('left'), 'a');
  t.equal(big.encoding, 'listpack', 'down to one small node');
  t.equal(big.verify(), null);
});

t.test('nodes fill to 8 KiB of listpack as Redis fills them', async (t) => {
  // 10-byte strings take 12 listpack bytes. The listpack takes one more while its bytes + 10 <= 8192
  // (682 elements), then becomes the first node; a node accepts one more while sz + 10 + 8 <= 8192.
  const list = new RedisList();
  pushEach(
    list,
    Array.from({ length: 2000 }, (_, i) => `e${String(i).padStart(9, '0')}`),
  );
  t.same(
    list.nodeSizes().map((n) => n.count),
    [682, 681, 637],
    '681 per later node: 7 + 12 * 680 + 18 <= 8192 < 7 + 12 * 681 + 18',
  );
  // Tiny elements: 'a' takes 3 bytes. The listpack holds 2729 before converting (7 + 3 * 2728 + 1 <= 8192),
  // then stays the first node; later nodes take 2726 (7 + 3 * 2725 + 9 <= 8192).
  const tiny = new RedisList();
  pushEach(tiny, Array.from({ length: 8000 }, () => 'a'));
  t.same(
    tiny.nodeSizes().map((n) => n.count),
    [2729, 2726, 2545],
  );
  // Integers pack smaller: '7' takes 2 bytes.
  const ints = new RedisList();
  pushEach(ints, Array.from({ length: 5000 }, () => '7'));
  t.same(
    ints.nodeSizes().map((n) => n.count),
    [4093, 907],
    '7 + 2 * 4092 + 1 <= 8192 < 7 + 2 * 4093 + 1',
  );
  // LPUSH fills from the other end the same way.
  const left = new RedisList();
  pushEach(left, Array.from({ length: 2000 }, (_, i) => `e${String(i).padStart(9, '0')}`), 'left');
  t.same(
    left.nodeSizes().map((n) => n.count),
    [637, 681, 682],
  );
  t.equal(left.index(0), 'e000001999');
  t.equal(list.verify(), null);
  t.equal(left.verify(), null);
});

t.test('a quicklist goes back to a listpack when one node of at most 4 KiB is left', async (t) => {
  const list = new RedisList();
  pushEach(
    list,
    Array.from({ length: 1000 }, (_, i) => `e${String(i).padStart(9, '0')}`),
  );
  t.equal(list.encoding, 'quicklist');
  t.same(list.nodeSizes().map((n) => n.count), [682, 318]);
  t.same(list.popMany(319, 'right'), Array.from({ length: 319 }, (_, i) => `e${String(999 - i).padStart(9, '0')}`));
  t.equal(list.nodeCount, 1, 'the second node is gone');
  t.equal(list.encoding, 'quicklist', 'one node of 681 elements is 8179 bytes: more than 4096');
  list.popMany(340, 'left');
  t.equal(list.length, 341);
  t.equal(list.encoding, 'quicklist', '7 + 12 * 341 = 4099 > 4096');
  list.pop('left');
  t.equal(list.encoding, 'listpack', '7 + 12 * 340 = 4087 <= 4096');
  // Two small nodes stay a quicklist: only a single node converts back.
  const two = RedisList.of([x(8185)]);
  two.push(['a'], 'right');
  t.equal(two.set(0, 'b'), true);
  t.same(two.toArray(), ['b', 'a']);
  t.equal(two.nodeCount, 2);
  t.equal(two.encoding, 'quicklist', 'two nodes, however small');
  t.equal(two.pop('left'), 'b');
  t.equal(two.encoding, 'listpack', 'once a single small node is left');
});

t.test('count-limited nodes (list-max-listpack-size 3): conversions both ways', async (t) => {
  const fill = 3;
  const listpack = (...elements: string[]) => {
    const list = new RedisList();
    pushEach(list, elements, 'right', fill);
    t.equal(list.encoding, 'listpack');
    return list;
  };
  const quicklist = (...elements: string[]) => {
    const list = new RedisList();
    pushEach(list, elements, 'right', fill);
    t.equal(list.encoding, 'quicklist');
    return list;
  };
  let list = listpack('a', 'b', 'c');
  list.push(['d'], 'right', fill);
  t.equal(list.encoding, 'quicklist', 'RPUSH past the count');
  list = listpack('a', 'b', 'c');
  list.insert('b', 'd', 'after', fill);
  t.equal(list.encoding, 'quicklist', 'LINSERT');
  list = listpack('a', 'b', 'c');
  list.insert('nope', 'd', 'after', fill);
  t.equal(list.encoding, 'quicklist', 'LINSERT converts before it looks for the pivot');
  list = listpack('a', 'b', 'c');
  list.set(0, x(50001), fill);
  t.equal(list.encoding, 'quicklist', 'LSET with a large element');
  const source = listpack('a', 'b', 'c');
  const destination = listpack('d', 'e', 'f');
  source.move(destination, 'left', 'right', fill);
  t.equal(destination.encoding, 'quicklist', 'LMOVE into a full listpack');

  list = quicklist('a', 'b', 'c', 'd');
  t.same(list.nodeSizes().map((n) => n.count), [3, 1]);
  list.popMany(3, 'right', fill);
  t.equal(list.encoding, 'listpack', 'RPOP 3 leaves one node of one element (<= 3 / 2)');
  list = quicklist('a', 'a', 'a', 'd');
  list.remove(3, 'a', fill);
  t.equal(list.encoding, 'listpack', 'LREM');
  list = quicklist('a', 'b', 'c', 'd');
  list.trim(1, 1, fill);
  t.equal(list.encoding, 'listpack', 'LTRIM');
  list = quicklist('a', 'b', 'c', 'd');
  list.trim(0, 1, fill);
  t.equal(list.encoding, 'quicklist', 'two elements are more than 3 / 2');
});

t.test('LINSERT into a full node splits it and merges what fits', async (t) => {
  const fill = 4;
  const list = new RedisList();
  pushEach(list, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 'right', fill);
  const counts = () => list.nodeSizes().map((n) => n.count);
  t.same(counts(), [4, 4]);
  // In the middle of a full node: split after the pivot, the element heads the new half; no merge fits.
  t.equal(list.insert('b', 'X', 'after', fill), 9);
  t.same(list.toArray(), ['a', 'b', 'X', 'c', 'd', 'e', 'f', 'g', 'h']);
  t.same(counts(), [2, 3, 4]);
  // A node with room takes the element itself.
  t.equal(list.insert('d', 'Y', 'after', fill), 10);
  t.same(counts(), [2, 4, 4]);
  // At the head of a full node whose previous node is full too: a new node.
  t.equal(list.insert('e', 'Z', 'before', fill), 11);
  t.same(counts(), [2, 4, 1, 4]);
  // At the tail of a full node with room in the next: the element goes to the next node's head.
  t.equal(list.insert('Y', 'V', 'after', fill), 12);
  t.same(counts(), [2, 4, 2, 4]);
  // At the head of a full node with room in the previous: it goes to the previous node's tail.
  t.equal(list.insert('e', 'U', 'before', fill), 13);
  t.same(counts(), [2, 4, 3, 4]);
  t.same(list.toArray(), ['a', 'b', 'X', 'c', 'd', 'Y', 'V', 'Z', 'U', 'e', 'f', 'g', 'h']);
  // Before an element in the middle of a full node: split before it, the element ends the new half.
  t.equal(list.insert('g', 'W', 'before', fill), 14);
  t.same(list.toArray(), ['a', 'b', 'X', 'c', 'd', 'Y', 'V', 'Z', 'U', 'e', 'f', 'W', 'g', 'h']);
  t.same(counts(), [2, 4, 3, 3, 2]);
  t.equal(list.verify(), null);

  // A split whose halves fit their neighbours merges with them.
  const merging = new RedisList();
  pushEach(merging, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 'right', fill);
  merging.remove(1, 'c', fill);
  merging.remove(1, 'd', fill);
  merging.push(['i'], 'right', fill);
  t.same(merging.nodeSizes().map((n) => n.count), [2, 4, 1]);
  t.equal(merging.insert('f', 'X', 'after', fill), 8);
  t.same(merging.toArray(), ['a', 'b', 'e', 'f', 'X', 'g', 'h', 'i']);
  t.same(merging.nodeSizes().map((n) => n.count), [4, 4], '[a b][e f][X g h][i] merged to [a b e f][X g h i]');
  t.equal(merging.verify(), null);

  // Elements inserted next to and inside nodes around a large element.
  const big = new RedisList();
  pushEach(big, ['a', 'b', 'c', 'd'], 'right', fill);
  big.push([x(9000)], 'right', fill);
  big.insert('b', x(10000), 'after', fill);
  t.same(big.toArray(), ['a', 'b', x(10000), 'c', 'd', x(9000)]);
  t.same(
    big.nodeSizes().map((n) => [n.count, n.plain]),
    [
      [2, false],
      [1, true],
      [2, false],
      [1, true],
    ],
  );
  big.insert(x(9000), 'tail', 'after', fill);
  big.insert(x(10000), 'mid', 'before', fill);
  t.same(big.toArray(), ['a', 'b', 'mid', x(10000), 'c', 'd', x(9000), 'tail']);
  t.equal(big.verify(), null);
});

t.test('LSET: large elements split their node; small ones replace a plain node', async (t) => {
  const list = new RedisList();
  pushEach(list, ['a', 'b', 'c', 'd', 'e']);
  list.push([x(9000)], 'right');
  t.same(list.nodeSizes().map((n) => [n.count, n.plain]), [
    [5, false],
    [1, true],
  ]);
  t.equal(list.set(1, x(9001)), true);
  t.same(list.toArray(), ['a', x(9001), 'c', 'd', 'e', x(9000)]);
  t.same(list.nodeSizes().map((n) => [n.count, n.plain]), [
    [1, false],
    [1, true],
    [3, false],
    [1, true],
  ]);
  t.equal(list.set(1, 'B'), true, 'a small element replaces a plain node');
  t.same(list.toArray(), ['a', 'B', 'c', 'd', 'e', x(9000)]);
  t.same(list.nodeSizes().map((n) => [n.count, n.plain]), [
    [1, false],
    [4, false],
    [1, true],
  ], 'it joins the next node when that node has room');
  t.equal(list.set(-1, x(20000)), true, 'a large element replaces a plain one in place');
  t.equal(list.index(-1), x(20000));
  t.equal(list.set(0, x(8500)), true, 'the last element of its node: no split needed');
  t.same(list.toArray(), [x(8500), 'B', 'c', 'd', 'e', x(20000)]);
  t.equal(list.verify(), null);
});

t.test('LTRIM and LREM across many nodes', async (t) => {
  const elements = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 'needle' : `e${String(i).padStart(9, '0')}`));
  const list = RedisList.of(elements);
  t.equal(list.remove(0, 'needle'), elements.filter((e) => e === 'needle').length);
  const rest = elements.filter((e) => e !== 'needle');
  t.same(list.toArray(), rest);
  t.equal(list.trim(1000, -1000), 1000 + 999);
  t.same(list.toArray(), rest.slice(1000, rest.length - 999));
  t.equal(list.verify(), null);
});
