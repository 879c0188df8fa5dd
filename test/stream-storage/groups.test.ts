// Consumer-group primitives and the stream changes not covered by the Redis-recorded scenarios:
// reassignment on redelivery, claims (FORCE creation, moves, counts), consumer deletion, names in
// byte order, 8.2's reference helpers, trim's removed-ID callback, and the xclaim / xredeliver /
// consumer changes applied as effects.

import t from 'tap';
import {
  type StreamId,
  MAX_ID,
  MIN_ID,
  Stream,
  applyStreamChange,
  canonicalStream,
  formatId,
} from '../../storage/stream';

const id = (ms: number, seq = 0): StreamId => ({ ms, seq });

function filled(n: number, limits = { nodeMaxBytes: 4096, nodeMaxEntries: 4 }): Stream {
  const s = new Stream();
  for (let i = 1; i <= n; i++) s.append(id(i), ['f', String(i)], limits);
  return s;
}

t.test('deliveries, redeliveries and claims', async (t) => {
  const s = filled(10);
  const g = s.createGroup('g', MIN_ID)!;
  t.equal(s.createGroup('g', MIN_ID), null, 'a name is taken once');
  const a = g.consumerOrCreate('a', 10);
  const b = g.consumerOrCreate('b', 20);
  t.equal(g.createConsumer('a', 30), null, 'consumer names too');
  t.equal(a.activeTimeMs, -1, 'a new consumer was never active');
  g.deliver(id(1), a, 100);
  g.deliver(id(2), a, 101);
  t.equal(a.activeTimeMs, 101, 'delivering makes the consumer active');
  // The group's last ID moved back: the same entry delivered again goes to the new reader, count 1.
  g.redeliver(g.pending(id(1))!, 150);
  t.equal(g.pending(id(1))!.deliveryCount, 2, 'history reads count deliveries');
  g.deliver(id(1), b, 200);
  const e = g.pending(id(1))!;
  t.equal(e.consumer, b, 'reassigned');
  t.equal(e.deliveryCount, 1, 'count back to 1');
  t.equal(e.deliveryTimeMs, 200);
  t.same(a.pel.toArray().map((x) => formatId(x.id)), ['2-0'], "left the old owner's PEL");
  t.same(b.pel.toArray().map((x) => formatId(x.id)), ['1-0'], "joined the new owner's PEL");
  // Claims set owner, time and count; FORCE creates.
  g.claim(id(5), a, 300, 0);
  t.equal(g.pending(id(5))!.consumer, a, 'FORCE created a pending entry');
  g.claim(id(1), a, 310, 9);
  t.same([g.pending(id(1))!.deliveryTimeMs, g.pending(id(1))!.deliveryCount], [310, 9]);
  t.equal(b.pel.size, 0, 'claimed away');
  t.ok(g.raiseLastId(id(7)), 'LASTID moves forward');
  t.notOk(g.raiseLastId(id(0, 5)), 'LASTID never moves back');
  t.same(g.lastId, id(7));
  t.equal(g.deleteConsumer('a'), 3, 'DELCONSUMER reports what was pending');
  t.equal(g.pel.size, 0, "and drops it from the group's PEL");
  t.equal(g.deleteConsumer('a'), -1, 'no such consumer');
  t.ok(g.ack(id(9)) === false, 'acking what is not pending');
});

t.test('names are listed in byte order', async (t) => {
  const s = filled(1);
  for (const name of ['b', '\xff', 'A', 'a', '\x00z', 'ab']) s.createGroup(name, MIN_ID);
  t.same(s.groupsInOrder().map((g) => g.name), ['\x00z', 'A', 'a', 'ab', 'b', '\xff']);
  const g = s.group('a')!;
  for (const name of ['zz', 'Z', '\x80', 'z']) g.createConsumer(name, 0);
  t.same(g.consumersInOrder().map((c) => c.name), ['Z', 'z', 'zz', '\x80']);
  t.ok(s.destroyGroup('a'));
  t.notOk(s.destroyGroup('a'));
  t.equal(s.groupCount, 5);
});

t.test("8.2's reference helpers", async (t) => {
  const s = filled(6);
  t.ok(s.ackedByAllGroups(id(3)), 'no groups: acked');
  const g1 = s.createGroup('g1', id(4))!;
  const g2 = s.createGroup('g2', id(2))!;
  g1.deliver(id(3), g1.consumerOrCreate('c', 0), 1);
  t.ok(s.referenced(id(3)));
  t.notOk(s.referenced(id(4)));
  t.notOk(s.ackedByAllGroups(id(3)), 'pending in g1');
  t.notOk(s.ackedByAllGroups(id(1)) && s.ackedByAllGroups(id(3)), 'not read by g2 yet');
  t.ok(s.ackedByAllGroups(id(2)), 'read by both, pending in neither');
  g2.deliver(id(3), g2.consumerOrCreate('d', 0), 1);
  t.equal(s.dropReferences(id(3)), 2, 'dropped from both PELs');
  t.notOk(s.referenced(id(3)));
});

t.test('trim reports the IDs it removes', async (t) => {
  const s = filled(20);
  s.delete([id(2), id(9)]);
  const seen: string[] = [];
  const { removed } = s.trim({ strategy: 'minid', minId: id(11), approx: false, limit: 0 }, (ms, seq) => void seen.push(`${ms}-${seq}`));
  t.equal(removed, 8);
  t.same(seen, ['1-0', '3-0', '4-0', '5-0', '6-0', '7-0', '8-0', '10-0'], 'whole blocks and the partial one, live entries only, in order');
  t.same(s.firstId, id(11));
  // Blocks now hold 2 (11, 12), 4 and 4 live entries.
  const plan = s.planTrim({ strategy: 'maxlen', maxLen: 3, approx: true, limit: 0 });
  t.equal(s.length, 10, 'planning changes nothing');
  t.equal(plan.removed, 6, '~ removes whole blocks only');
  t.same(plan.replay, { strategy: 'maxlen', maxLen: 4, approx: false, limit: 0 }, 'the replay says where it stopped');
  t.equal(s.planTrim({ strategy: 'minid', minId: MAX_ID, approx: true, limit: 3 }).removed, 2, 'LIMIT stops before a block that would exceed it');
  t.same(s.planTrim({ strategy: 'minid', minId: id(14), approx: true, limit: 0 }).replay, { strategy: 'minid', minId: id(13), approx: false, limit: 0 }, 'a ~ MINID replays as the first ID of the first block kept');
});

t.test('claims, redeliveries and consumer changes as effects', async (t) => {
  const live = filled(8);
  const replica = filled(8);
  const changes = [
    { op: 'xgroupcreate', group: 'g', lastId: '0-0', entriesRead: -1 },
    { op: 'xgroupcreateconsumer', group: 'g', consumer: 'idle', atMs: 5 },
    { op: 'xdeliver', group: 'g', consumer: 'a', atMs: 10, ids: ['1-0', '2-0', '3-0'], noack: false, lastId: '3-0', entriesRead: 3 },
    { op: 'xredeliver', group: 'g', consumer: 'a', atMs: 20, ids: ['2-0'] },
    { op: 'xdel', ids: ['3-0'] },
    {
      op: 'xclaim',
      group: 'g',
      consumer: 'b',
      seenMs: 30,
      activeMs: 30,
      claims: [
        { id: '2-0', deliveryTimeMs: 25, deliveryCount: 7 },
        { id: '5-0', deliveryTimeMs: 30, deliveryCount: '9223372036854775807' },
      ],
      drop: ['3-0'],
      lastId: '6-0',
    },
    { op: 'xack', group: 'g', ids: ['1-0'] },
    { op: 'xgroupdelconsumer', group: 'g', consumer: 'idle' },
    { op: 'xgroupsetid', group: 'g', lastId: '4-0', entriesRead: 4 },
    { op: 'xsetid', lastId: '18446744073709551615-0', entriesAdded: '12345678901234567890', maxDeletedId: '3-0' },
    { op: 'xtrim', trim: { strategy: 'minid', minId: '4-0' } },
    { op: 'xgroupcreate', group: 'h', lastId: '8-0', entriesRead: 8 },
    { op: 'xgroupdestroy', group: 'h' },
    { op: 'xack', group: 'missing', ids: ['1-0'] },
  ] as const;
  for (const c of changes) applyStreamChange(live, c);
  const g = live.group('g')!;
  t.same(g.lastId, id(4));
  t.equal(g.entriesRead, 4);
  t.same(g.pel.toArray().map((e) => `${formatId(e.id)}:${e.consumer.name}:${e.deliveryTimeMs}:${e.deliveryCount}`), [
    '2-0:b:25:7',
    '5-0:b:30:9223372036854775807',
  ]);
  t.same(g.consumersInOrder().map((c) => `${c.name}:${c.seenTimeMs}:${c.activeTimeMs}`), ['a:20:10', 'b:30:30']);
  t.equal(live.entriesAdded, 12345678901234567890n);
  t.same(live.maxDeletedEntryId, id(3));
  t.equal(live.length, 5);
  t.equal(live.groupCount, 1);
  // The same changes, as plain data that went through JSON, reach the same state.
  for (const c of JSON.parse(JSON.stringify(changes))) applyStreamChange(replica, c);
  t.equal(canonicalStream(replica), canonicalStream(live));
});
