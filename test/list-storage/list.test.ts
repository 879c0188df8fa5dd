// storage/list.ts operation by operation: Redis's index rules (negative, out of range, empty
// results), LINSERT, LSET, LREM in both directions, LTRIM, LPOS's RANK/COUNT/MAXLEN, pops with and
// without COUNT, LMOVE between lists and onto itself, copies and snapshots.

import t, { type Test } from 'tap';
import { RedisList, listpackEntrySize } from '../../storage/list';

const of = (...elements: string[]) => RedisList.of(elements);

function check(t: Test, list: RedisList, expected: string[], what = 'contents'): void {
  t.same(list.toArray(), expected, what);
  t.equal(list.length, expected.length, 'length');
  t.equal(list.verify(), null, 'invariants hold');
}

t.test('push at both ends keeps Redis order', async (t) => {
  const list = new RedisList();
  t.equal(list.push(['a', 'b', 'c'], 'left'), 3);
  check(t, list, ['c', 'b', 'a'], 'LPUSH a b c gives c b a');
  t.equal(list.push(['x', 'y'], 'right'), 5);
  check(t, list, ['c', 'b', 'a', 'x', 'y']);
  list.push([''], 'left');
  list.push([''], 'right');
  check(t, list, ['', 'c', 'b', 'a', 'x', 'y', ''], 'empty elements are elements');
  const binary = '\x00\xff\r\n\x80';
  list.push([binary], 'right');
  t.equal(list.index(-1), binary, 'binary bytes survive');
});

t.test('LINDEX: negative indexes, out of range', async (t) => {
  const list = of('a', 'b', 'c');
  t.equal(list.index(0), 'a');
  t.equal(list.index(2), 'c');
  t.equal(list.index(-1), 'c');
  t.equal(list.index(-3), 'a');
  t.equal(list.index(3), undefined);
  t.equal(list.index(-4), undefined);
  t.equal(new RedisList().index(0), undefined);
  t.equal(list.index(Number.MAX_SAFE_INTEGER), undefined);
  t.equal(list.index(-Number.MAX_SAFE_INTEGER), undefined);
});

t.test('LRANGE: Redis index rules', async (t) => {
  const list = of('a', 'b', 'c', 'd', 'e');
  t.same(list.range(0, -1), ['a', 'b', 'c', 'd', 'e']);
  t.same(list.range(1, 2), ['b', 'c']);
  t.same(list.range(-2, -1), ['d', 'e']);
  t.same(list.range(-100, 1), ['a', 'b'], 'start before the head is clamped');
  t.same(list.range(3, 100), ['d', 'e'], 'stop past the tail is clamped');
  t.same(list.range(2, 1), [], 'start > stop');
  t.same(list.range(5, 10), [], 'start past the tail');
  t.same(list.range(-1, -2), []);
  t.same(list.range(0, -6), [], 'stop before the head');
  t.same(list.range(-6, -6), []);
  t.same(list.range(0, 0), ['a']);
  t.same(new RedisList().range(0, -1), []);
  const seen: string[] = [];
  t.equal(list.visitRange(1, 3, (buf, offset, length) => seen.push(buf.toString('latin1', offset, offset + length))), 3);
  t.same(seen, ['b', 'c', 'd'], 'visitRange hands out the same elements in place');
});

t.test('LSET', async (t) => {
  const list = of('a', 'b', 'c');
  t.equal(list.set(0, 'A'), true);
  t.equal(list.set(-1, 'C'), true);
  t.equal(list.set(1, 'a much longer element than before'), true);
  check(t, list, ['A', 'a much longer element than before', 'C']);
  t.equal(list.set(1, ''), true);
  check(t, list, ['A', '', 'C'], 'shrinking an element');
  t.equal(list.set(3, 'x'), false, 'index == length is out of range');
  t.equal(list.set(-4, 'x'), false);
  check(t, list, ['A', '', 'C'], 'a failed LSET changes nothing');
});

t.test('LINSERT BEFORE|AFTER', async (t) => {
  const list = of('a', 'b', 'c', 'b');
  t.equal(list.insert('b', 'X', 'before'), 5, 'returns the new length');
  check(t, list, ['a', 'X', 'b', 'c', 'b'], 'only the first pivot counts');
  t.equal(list.insert('b', 'Y', 'after'), 6);
  check(t, list, ['a', 'X', 'b', 'Y', 'c', 'b']);
  t.equal(list.insert('a', 'head', 'before'), 7);
  t.equal(list.insert('b', 'tail', 'after'), 8);
  t.equal(list.index(0), 'head');
  t.equal(list.index(3), 'b');
  t.equal(list.insert('missing', 'Z', 'after'), -1, 'missing pivot');
  t.equal(list.length, 8);
  const last = of('a', 'b');
  last.insert('b', 'c', 'after');
  check(t, last, ['a', 'b', 'c'], 'after the last element');
});

t.test('LREM: count > 0 from the head, < 0 from the tail, 0 all', async (t) => {
  const make = () => of('a', 'x', 'b', 'x', 'c', 'x', 'd');
  let list = make();
  t.equal(list.remove(2, 'x'), 2);
  check(t, list, ['a', 'b', 'c', 'x', 'd'], 'first two from the head');
  list = make();
  t.equal(list.remove(-2, 'x'), 2);
  check(t, list, ['a', 'x', 'b', 'c', 'd'], 'last two from the tail');
  list = make();
  t.equal(list.remove(0, 'x'), 3);
  check(t, list, ['a', 'b', 'c', 'd'], 'all');
  list = make();
  t.equal(list.remove(10, 'x'), 3, 'count beyond the matches');
  list = make();
  t.equal(list.remove(-10, 'x'), 3);
  t.equal(list.remove(0, 'nope'), 0, 'no match');
  check(t, list, ['a', 'b', 'c', 'd']);
  list = of('x', 'x');
  t.equal(list.remove(0, 'x'), 2);
  t.equal(list.length, 0, 'every element removed: the caller deletes the key');
  const long = 'L'.repeat(100);
  list = of(long, 'a', long, 'L'.repeat(99));
  t.equal(list.remove(0, long), 2, 'long elements compare as bytes');
  check(t, list, ['a', 'L'.repeat(99)]);
});

t.test('LTRIM', async (t) => {
  const make = () => of('a', 'b', 'c', 'd', 'e');
  let list = make();
  t.equal(list.trim(1, 3), 2);
  check(t, list, ['b', 'c', 'd']);
  list = make();
  t.equal(list.trim(-2, -1), 3);
  check(t, list, ['d', 'e']);
  list = make();
  t.equal(list.trim(0, 100), 0);
  check(t, list, ['a', 'b', 'c', 'd', 'e'], 'stop past the tail keeps all');
  list = make();
  t.equal(list.trim(-100, 0), 4);
  check(t, list, ['a']);
  list = make();
  t.equal(list.trim(3, 1), 5, 'start > stop empties the list');
  t.equal(list.length, 0);
  list = make();
  t.equal(list.trim(5, 10), 5, 'start past the tail empties the list');
  list = make();
  t.equal(list.trim(0, -6), 5, 'stop before the head empties the list');
});

t.test('LPOS: RANK, COUNT, MAXLEN', async (t) => {
  const list = of('a', 'b', 'c', '1', '2', '3', 'c', 'c');
  t.same(list.positions('c'), [2], 'first match');
  t.same(list.positions('nope'), [], 'no match');
  t.same(list.positions('c', { rank: 2 }), [6]);
  t.same(list.positions('c', { rank: 4 }), [], 'rank past the matches');
  t.same(list.positions('c', { rank: -1 }), [7], 'negative rank scans from the tail');
  t.same(list.positions('c', { rank: -3 }), [2]);
  t.same(list.positions('c', { count: 0 }), [2, 6, 7], 'COUNT 0 means all');
  t.same(list.positions('c', { count: 2 }), [2, 6]);
  t.same(list.positions('c', { count: 0, rank: 2 }), [6, 7]);
  t.same(list.positions('c', { count: 0, rank: -1 }), [7, 6, 2], 'from the tail, indexes are still from the head');
  t.same(list.positions('c', { count: 2, rank: -2 }), [6, 2]);
  t.same(list.positions('c', { count: 0, maxlen: 3 }), [2], 'MAXLEN bounds the comparisons');
  t.same(list.positions('c', { count: 0, maxlen: 2 }), []);
  t.same(list.positions('c', { count: 0, maxlen: 1, rank: -1 }), [7]);
  t.same(list.positions('c', { maxlen: 0 }), [2], 'MAXLEN 0 means no limit');
  t.same(list.positions('c', { rank: 2, maxlen: 7 }), [6]);
  t.same(list.positions('c', { rank: 2, maxlen: 6 }), []);
  t.same(list.positions('1', { count: 0 }), [3], 'integer-like elements match as bytes');
  t.same(new RedisList().positions('a', { count: 0 }), []);
});

t.test('pops, with and without COUNT', async (t) => {
  const list = of('a', 'b', 'c', 'd');
  t.equal(list.pop('left'), 'a');
  t.equal(list.pop('right'), 'd');
  check(t, list, ['b', 'c']);
  t.same(list.popMany(5, 'right'), ['c', 'b'], 'RPOP count pops from the tail, in pop order');
  t.equal(list.length, 0);
  t.equal(list.pop('left'), undefined, 'empty');
  t.same(list.popMany(3, 'left'), []);
  const more = of('a', 'b', 'c');
  t.same(more.popMany(2, 'left'), ['a', 'b']);
  t.same(more.popMany(0, 'left'), [], 'COUNT 0');
  check(t, more, ['c']);
});

t.test('LMOVE between lists and onto itself', async (t) => {
  const source = of('a', 'b', 'c');
  const destination = of('x');
  t.equal(source.move(destination, 'right', 'left'), 'c', 'RPOPLPUSH');
  check(t, source, ['a', 'b']);
  check(t, destination, ['c', 'x']);
  t.equal(source.move(destination, 'left', 'right'), 'a');
  check(t, destination, ['c', 'x', 'a']);
  t.equal(source.move(source, 'left', 'right'), 'b', 'rotation of a one-element list');
  check(t, source, ['b']);
  const rotate = of('1', '2', '3');
  rotate.move(rotate, 'right', 'left');
  check(t, rotate, ['3', '1', '2'], 'RPOPLPUSH k k rotates');
  rotate.move(rotate, 'left', 'right');
  check(t, rotate, ['1', '2', '3']);
  const empty = new RedisList();
  t.equal(empty.move(destination, 'left', 'left'), undefined, 'nothing to move');
  const fresh = new RedisList();
  t.equal(of('only').move(fresh, 'left', 'left'), 'only', 'into a new list');
  check(t, fresh, ['only']);
});

t.test('COPY is deep', async (t) => {
  const list = of('a', 'b', 'c');
  const copy = list.copy();
  copy.push(['d'], 'right');
  copy.set(0, 'A');
  check(t, list, ['a', 'b', 'c'], 'the original is untouched');
  check(t, copy, ['A', 'b', 'c', 'd']);
  t.equal(copy.encoding, list.encoding);
});

t.test('serialize / deserialize', async (t) => {
  for (const elements of [[], ['a'], ['', '\x00\xff', 'x'.repeat(300), '12345', '-7'], Array.from({ length: 3000 }, (_, i) => `element:${i}`)]) {
    const list = RedisList.of(elements);
    const back = RedisList.deserialize(list.serialize());
    t.same(back.toArray(), elements, `${elements.length} elements`);
    t.equal(back.encoding, list.encoding, 'encoding kept');
    t.same(back.nodeSizes(), list.nodeSizes(), 'nodes kept');
    t.equal(back.verify(), null);
  }
  const bytes = RedisList.of(['a', 'b']).serialize();
  const wrongVersion = Buffer.from(bytes);
  wrongVersion[0] = 99;
  t.throws(() => RedisList.deserialize(wrongVersion), /unknown version 99/);
  t.throws(() => RedisList.deserialize(bytes.subarray(0, bytes.length - 1)), /truncated/);
  t.throws(() => RedisList.deserialize(Buffer.concat([bytes, Buffer.from([0])])), /trailing/);
  const badCount = Buffer.from(bytes);
  badCount.writeUInt32LE(3, 11);
  t.throws(() => RedisList.deserialize(badCount), /count 3, found 2/);
  const badEntry = Buffer.from(bytes);
  badEntry[23] = 5;
  t.throws(() => RedisList.deserialize(badEntry), /node 0/);
});

t.test('listpack entry sizes follow listpack.c', async (t) => {
  const cases: Array<[string, number]> = [
    ['', 2],
    ['a', 3],
    ['0', 2],
    ['127', 2],
    ['128', 3],
    ['-1', 3],
    ['-4096', 3],
    ['4095', 3],
    ['4096', 4],
    ['-32768', 4],
    ['32768', 5],
    ['8388607', 5],
    ['8388608', 6],
    ['2147483647', 6],
    ['2147483648', 10],
    ['9223372036854775807', 10],
    ['9223372036854775808', 21],
    ['-0', 4],
    ['01', 4],
    ['+1', 4],
    ['x'.repeat(63), 65],
    ['x'.repeat(64), 67],
    ['x'.repeat(125), 128],
    ['x'.repeat(126), 130],
    ['x'.repeat(4095), 4099],
    ['x'.repeat(4096), 4103],
  ];
  for (const [element, size] of cases) t.equal(listpackEntrySize(element), size, `${JSON.stringify(element.slice(0, 12))} (${element.length} bytes)`);
});
