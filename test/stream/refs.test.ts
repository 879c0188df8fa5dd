// Redis 8.2's consumer-group reference policies, written from Redis's command documentation (and
// its source for the order of checks): XDELEX (one result per ID: -1 not found, 1 deleted, 2 kept
// because still referenced), XACKDEL (the same, for IDs pending in one group), and
// KEEPREF / DELREF / ACKED on XTRIM and XADD's trim. Consumer groups are made by effects (the
// group commands are another module's), commands run in process (harness.ts); every effect the
// commands record must rebuild the same state when replayed.

import t from 'tap';
import { canonicalDump } from '../../storage/dump';
import { Engine } from '../../storage/engine';
import { type Stream, type StreamChange, serializeStream } from '../../storage/stream';
import { Harness } from './harness';

const x = (change: StreamChange) => ({ op: 'stream', db: 0, key: 's', change }) as const;

/**
 * s: entries 1-0..6-0. g1 read up to 4-0 and acknowledged 1-0 and 4-0 (2-0, 3-0 pending);
 * g2 read everything and acknowledged all but 5-0.
 */
function setUp(h: Harness): void {
  for (let i = 1; i <= 6; i++) h.run('XADD', 's', `${i}-0`, 'f', String(i));
  h.apply(x({ op: 'xgroupcreate', group: 'g1', lastId: '0-0', entriesRead: 0 }));
  h.apply(x({ op: 'xdeliver', group: 'g1', consumer: 'c', atMs: 1, ids: ['1-0', '2-0', '3-0', '4-0'], noack: false, lastId: '4-0', entriesRead: 4 }));
  h.apply(x({ op: 'xack', group: 'g1', ids: ['1-0', '4-0'] }));
  h.apply(x({ op: 'xgroupcreate', group: 'g2', lastId: '0-0', entriesRead: 0 }));
  const all = ['1-0', '2-0', '3-0', '4-0', '5-0', '6-0'];
  h.apply(x({ op: 'xdeliver', group: 'g2', consumer: 'c', atMs: 1, ids: all, noack: false, lastId: '6-0', entriesRead: 6 }));
  h.apply(x({ op: 'xack', group: 'g2', ids: all.filter((id) => id !== '5-0') }));
}

const stream = (h: Harness) => h.engine.dbs[0]!.entries.get('s')!.value as Stream;
const pel = (h: Harness, group: string) => {
  const ids: string[] = [];
  stream(h).group(group)!.pel.forEach((e) => {
    ids.push(`${e.ms}-${e.seq}`);
  });
  return ids;
};
const ints = (...n: number[]) => `*${n.length}\r\n${n.map((v) => `:${v}\r\n`).join('')}`;

t.test('XDELEX: the three policies, one result per ID', async (t) => {
  const h = new Harness();
  setUp(h);
  t.equal(h.run('XDELEX', 'missing', 'IDS', '2', '1-0', '2-0'), ints(-1, -1), 'a missing key: -1 for each ID');
  t.equal(h.run('XDELEX', 's', 'IDS', '3', '1-0', '1-0', '99-0'), ints(1, -1, -1), 'KEEPREF by default; a repeated ID is gone the second time');
  t.equal(h.run('XDELEX', 's', 'ACKED', 'IDS', '4', '2-0', '4-0', '6-0', '100-0'), ints(2, 1, 2, 2), 'ACKED: pending (2-0) or unread by g1 (6-0, 100-0) stays');
  t.same(pel(h, 'g1'), ['2-0', '3-0'], 'ACKED changes no PEL');
  t.equal(h.run('XDELEX', 's', 'IDS', '1', '2-0', 'KEEPREF'), ints(1), 'KEEPREF after the IDS block; the PEL entry stays behind');
  t.same(pel(h, 'g1'), ['2-0', '3-0']);
  t.equal(h.run('XDELEX', 's', 'DELREF', 'IDS', '3', '3-0', '5-0', '2-0'), ints(1, 1, -1), 'DELREF');
  t.same(pel(h, 'g1'), [], 'DELREF dropped 3-0 and the dangling 2-0');
  t.same(pel(h, 'g2'), [], 'and 5-0 from g2');
  t.equal(h.run('XRANGE', 's', '-', '+'), '*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\n6\r\n');
  h.resp = 3;
  t.equal(h.run('XDELEX', 's', 'acked', 'IDS', '2', '6-0', '7-0'), ints(2, 2), 'RESP3: the same array of integers');
  t.equal(h.run('XDELEX', 's', 'delref', 'ids', '1', '6-0'), ints(1));
  t.equal(h.run('XLEN', 's'), ':0\r\n');
});

t.test('XDELEX argument errors', async (t) => {
  const h = new Harness();
  setUp(h);
  h.run('SET', 'str', 'v');
  t.equal(h.run('XDELEX', 's', 'IDS', '0', '1-0'), '-ERR Number of IDs must be a positive integer\r\n');
  t.equal(h.run('XDELEX', 's', 'IDS', 'x', '1-0'), '-ERR Number of IDs must be a positive integer\r\n');
  t.equal(h.run('XDELEX', 's', 'IDS', '-1', '1-0'), '-ERR Number of IDs must be a positive integer\r\n');
  t.equal(h.run('XDELEX', 's', 'IDS', '3', '1-0', '2-0'), '-ERR The `numids` parameter must match the number of arguments\r\n');
  t.equal(h.run('XDELEX', 's', 'IDS', '1', '1-0', '2-0'), '-ERR syntax error\r\n', 'an extra argument');
  t.equal(h.run('XDELEX', 's', 'FOO', 'IDS', '1', '1-0'), '-ERR syntax error\r\n');
  t.equal(h.run('XDELEX', 's', 'KEEPREF', 'DELREF', '1-0'), '-ERR syntax error\r\n', 'no IDS block');
  t.equal(h.run('XDELEX', 's', 'IDS', '2', '1-0', 'bad'), '-ERR Invalid stream ID specified as stream command argument\r\n');
  t.equal(h.run('XDELEX', 'str', 'IDS', '1', '1-0'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  t.equal(h.run('XDELEX', 'str', 'FOO'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', 'the type is checked before the options');
  t.equal(h.run('XDELEX', 's', 'KEEPREF'), '-ERR IDS option is required\r\n');
  t.equal(h.run('XDELEX', 's', 'IDS'), '-ERR syntax error\r\n', 'IDS without its count');
  t.equal(h.run('XDELEX', 's', 'ACKED', 'ACKED', 'IDS', '1', '1-0'), '-ERR syntax error\r\n', 'a second policy');
  t.equal(h.run('XDELEX', 'missing', 'IDS', '2', '1-0', 'bad'), ints(-1, -1), 'a missing key: -1 each, the IDs unchecked');
  t.equal(h.run('XLEN', 's'), ':6\r\n', 'nothing deleted by a refused command');
  t.equal(h.run('XDELEX', 's', 'IDS', '1', '9-0', 'IDS', '1', '1-0'), ints(1), 'a later IDS block replaces an earlier one');
});

t.test('XACKDEL: acknowledge, then delete as the policy allows', async (t) => {
  const h = new Harness();
  setUp(h);
  h.run('SET', 'str', 'v');
  t.equal(h.run('XACKDEL', 'missing', 'g1', 'IDS', '1', '1-0'), ints(-1), 'a missing key: -1 for each ID');
  t.equal(h.run('XACKDEL', 's', 'nogroup', 'IDS', '2', '2-0', 'bad'), ints(-1, -1), 'a missing group: -1 each, the IDs unchecked');
  t.equal(h.run('XACKDEL', 's', 'g1', 'IDS', '2', '2-0', '1-0'), ints(1, -1), 'KEEPREF: 2-0 acknowledged and deleted; 1-0 was not pending');
  t.same(pel(h, 'g1'), ['3-0']);
  t.equal(h.run('XLEN', 's'), ':5\r\n');
  t.equal(h.run('XACKDEL', 's', 'g2', 'ACKED', 'IDS', '2', '5-0', '5-0'), ints(2, -1), 'ACKED: 5-0 acknowledged but g1 has not read it; the repeat is no longer pending');
  t.same(pel(h, 'g2'), [], 'the acknowledgement stays even when the entry does');
  t.equal(h.run('XLEN', 's'), ':5\r\n');
  h.run('XDEL', 's', '3-0');
  t.equal(h.run('XACKDEL', 's', 'g1', 'DELREF', 'IDS', '1', '3-0'), ints(1), 'an entry already gone still counts as acknowledged and deleted');
  t.same(pel(h, 'g1'), []);
  h.resp = 3;
  t.equal(h.run('XACKDEL', 's', 'g1', 'IDS', '1', '4-0'), ints(-1), 'RESP3: the same array');
  // Errors, in Redis's order: the type, the options, then the IDs.
  h.resp = 2;
  t.equal(h.run('XACKDEL', 'str', 'g', 'FOO'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  t.equal(h.run('XACKDEL', 's', 'g1', 'FOO', 'IDS', '1', '1-0'), '-ERR syntax error\r\n');
  t.equal(h.run('XACKDEL', 's', 'g1', 'DELREF', 'ACKED', 'IDS', '1', '1-0'), '-ERR syntax error\r\n');
  t.equal(h.run('XACKDEL', 's', 'g1', 'IDS', '0', '1-0'), '-ERR Number of IDs must be a positive integer\r\n');
  t.equal(h.run('XACKDEL', 's', 'g1', 'IDS', '3', '1-0'), '-ERR The `numids` parameter must match the number of arguments\r\n');
  t.equal(h.run('XACKDEL', 's', 'g1', 'ACKED', 'x'), '-ERR syntax error\r\n');
  t.equal(h.run('XACKDEL', 's', 'g1', 'ACKED'), '-ERR IDS option is required\r\n');
  t.equal(h.run('XACKDEL', 's', 'g1', 'IDS', '2', '6-0', '+'), '-ERR Invalid stream ID specified as stream command argument\r\n');
});

t.test('XACKDEL DELREF and ACKED across groups', async (t) => {
  const h = new Harness();
  h.run('XADD', 's', '1-0', 'f', 'v');
  h.run('XADD', 's', '2-0', 'f', 'v');
  for (const group of ['ga', 'gb']) {
    h.apply(x({ op: 'xgroupcreate', group, lastId: '0-0', entriesRead: 0 }));
    h.apply(x({ op: 'xdeliver', group, consumer: 'c', atMs: 1, ids: ['1-0', '2-0'], noack: false, lastId: '2-0', entriesRead: 2 }));
  }
  t.equal(h.run('XACKDEL', 's', 'ga', 'ACKED', 'IDS', '1', '1-0'), ints(2), 'gb still holds 1-0');
  t.same(pel(h, 'gb'), ['1-0', '2-0']);
  t.equal(h.run('XACKDEL', 's', 'gb', 'ACKED', 'IDS', '1', '1-0'), ints(1), 'now every group has acknowledged it');
  t.equal(h.run('XACKDEL', 's', 'ga', 'DELREF', 'IDS', '1', '2-0'), ints(1));
  t.same(pel(h, 'gb'), [], "DELREF dropped gb's reference too");
  t.equal(h.run('XLEN', 's'), ':0\r\n');
  t.equal(h.run('EXISTS', 's'), ':1\r\n', 'the emptied stream stays');
});

t.test('XTRIM and XADD with KEEPREF, DELREF, ACKED', async (t) => {
  const h = new Harness();
  setUp(h);
  t.equal(h.run('XTRIM', 's', 'ACKED', 'MAXLEN', '0'), ':1\r\n', 'ACKED stops before 2-0, still pending in g1');
  t.equal(h.run('XTRIM', 's', 'MAXLEN', '0', 'ACKED'), ':0\r\n', 'the policy may follow the strategy');
  t.equal(h.run('XTRIM', 's', 'KEEPREF', 'MINID', '3'), ':1\r\n', 'KEEPREF removes 2-0 and leaves its PEL entry');
  t.same(pel(h, 'g1'), ['2-0', '3-0']);
  t.equal(h.run('XADD', 's', 'DELREF', 'MAXLEN', '3', '7-0', 'f', '7'), '$3\r\n7-0\r\n');
  t.equal(h.run('XRANGE', 's', '-', '+', 'COUNT', '1'), '*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\n5\r\n', 'XADD trimmed 3-0 and 4-0');
  t.same(pel(h, 'g1'), ['2-0'], 'DELREF dropped 3-0 (2-0 was trimmed before, by KEEPREF)');
  t.same(pel(h, 'g2'), ['5-0']);
  t.equal(h.run('XADD', 's', 'ACKED', 'MAXLEN', '=', '1', '8-0', 'f', '8'), '$3\r\n8-0\r\n');
  t.equal(h.run('XLEN', 's'), ':4\r\n', 'ACKED: 5-0 is pending in g2, so nothing went');
  t.equal(h.run('XTRIM', 's', 'DELREF', 'MINID', '6'), ':1\r\n');
  t.same(pel(h, 'g2'), [], 'DELREF dropped 5-0');
  // Without consumer groups the policies change nothing.
  for (let i = 1; i <= 5; i++) h.run('XADD', 'plain', `${i}-0`, 'f', 'v');
  t.equal(h.run('XTRIM', 'plain', 'ACKED', 'MAXLEN', '2'), ':3\r\n');
  t.equal(h.run('XTRIM', 'plain', 'DELREF', 'MAXLEN', '1'), ':1\r\n');
  // One policy at most (streamParseAddOrTrimArgsOrReply takes a policy only while none is set).
  t.equal(h.run('XTRIM', 'plain', 'acked', 'keepref', 'MAXLEN', '0'), '-ERR syntax error\r\n', 'XTRIM: a second policy is a syntax error');
  t.equal(h.run('XADD', 'plain', 'ACKED', 'DELREF', '*', 'f', 'v'), '-ERR Invalid stream ID specified as stream command argument\r\n', 'XADD: a second policy reads as the ID');
  t.equal(h.run('XLEN', 'plain'), ':1\r\n');
});

t.test('the recorded effects rebuild the same state', async (t) => {
  const h = new Harness();
  setUp(h);
  // A copy of the starting state (groups included), then the commands' effects replayed on it.
  const copy = new Engine({ databases: 1 });
  copy.commit({ op: 'xrestore', db: 0, key: 's', bytes: serializeStream(stream(h)), expireAtMs: null });
  t.equal(canonicalDump(copy), canonicalDump(h.engine), 'the copy starts equal');
  h.effects.length = 0;
  h.run('XDELEX', 's', 'DELREF', 'IDS', '2', '2-0', '6-0');
  h.run('XTRIM', 's', 'ACKED', 'MAXLEN', '0');
  h.run('XADD', 's', 'DELREF', 'MINID', '5', '9-0', 'f', 'v');
  h.run('XDELEX', 's', 'ACKED', 'IDS', '1', '9-0');
  h.run('XACKDEL', 's', 'g1', 'ACKED', 'IDS', '2', '3-0', '9-0');
  h.run('XACKDEL', 's', 'g2', 'DELREF', 'IDS', '1', '5-0');
  t.ok(h.effects.length >= 6, 'the commands recorded effects');
  for (const e of h.effects) copy.commit(e);
  t.equal(canonicalDump(copy), canonicalDump(h.engine), 'replaying them gives the same state');
});
