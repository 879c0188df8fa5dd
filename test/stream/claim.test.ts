// XREADGROUP ... CLAIM min-idle-time (Redis 8.4), written from Redis's command documentation (and
// its source for the order of checks): with `>`, the group's pending entries idle for at least
// min-idle-time are claimed first (oldest delivery first), then new entries are delivered; COUNT
// bounds both together; every entry then carries two more fields, its idle time and how often it
// was delivered before (0 and 0 for new entries). A history ID ignores CLAIM. With BLOCK, the
// client is woken when a pending entry grows idle enough.

import t from 'tap';
import { canonicalDump } from '../../storage/dump';
import { Engine } from '../../storage/engine';
import { type Stream, formatId } from '../../storage/stream';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';
import { Harness } from './harness';

const T0 = 1_700_000_000_000;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
/** [id, [f, v], idle, count] as RESP. */
const claimed = (id: string, v: string, idle: number, count: number) => `*4\r\n${bulk(id)}*2\r\n${bulk('f')}${bulk(v)}:${idle}\r\n:${count}\r\n`;
const plain = (id: string, v: string) => `*2\r\n${bulk(id)}*2\r\n${bulk('f')}${bulk(v)}`;
const reply2 = (key: string, entries: string[]) => `*1\r\n*2\r\n${bulk(key)}*${entries.length}\r\n${entries.join('')}`;

/** XGROUP CREATE key g 0, as an effect (the harness runs no subcommands), recorded for replays. */
function createGroup(h: Harness, key: string): void {
  const effect = { op: 'stream', db: 0, key, change: { op: 'xgroupcreate', group: 'g', lastId: '0-0', entriesRead: 0 } } as const;
  h.apply(effect);
  h.effects.push(effect);
}

/** s: 1-0..5-0; group g from the start; alice got 1-0..3-0 at T0. */
function setUp(): Harness {
  const h = new Harness();
  h.nowMs = T0;
  for (let i = 1; i <= 5; i++) h.run('XADD', 's', `${i}-0`, 'f', `v${i}`);
  createGroup(h, 's');
  h.run('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>');
  return h;
}

t.test('CLAIM takes idle pending entries first, then delivers new ones, with idle time and count', async (t) => {
  const h = setUp();
  h.nowMs = T0 + 100;
  t.equal(
    h.run('XREADGROUP', 'GROUP', 'g', 'bob', 'CLAIM', '50', 'STREAMS', 's', '>'),
    reply2('s', [claimed('1-0', 'v1', 100, 1), claimed('2-0', 'v2', 100, 1), claimed('3-0', 'v3', 100, 1), claimed('4-0', 'v4', 0, 0), claimed('5-0', 'v5', 0, 0)]),
  );
  t.equal(
    h.run('XPENDING', 's', 'g', '-', '+', '10'),
    '*5\r\n' + [1, 2, 3, 4, 5].map((i) => `*4\r\n${bulk(`${i}-0`)}${bulk('bob')}:0\r\n:${i <= 3 ? 2 : 1}\r\n`).join(''),
    'bob owns all five, delivered now; the claimed ones twice',
  );
  h.nowMs = T0 + 300;
  t.equal(
    h.run('XREADGROUP', 'GROUP', 'g', 'carol', 'COUNT', '2', 'CLAIM', '100', 'STREAMS', 's', '>'),
    reply2('s', [claimed('1-0', 'v1', 200, 2), claimed('2-0', 'v2', 200, 2)]),
    'COUNT bounds the claims; equal delivery times go by ID',
  );
  t.equal(h.run('XREADGROUP', 'GROUP', 'g', 'carol', 'CLAIM', '1000', 'STREAMS', 's', '>'), '*-1\r\n', 'nothing idle enough, nothing new: null');
  h.run('XADD', 's', '6-0', 'f', 'v6');
  t.equal(
    h.run('XREADGROUP', 'GROUP', 'g', 'dave', 'CLAIM', '1000', 'STREAMS', 's', '>'),
    reply2('s', [claimed('6-0', 'v6', 0, 0)]),
    'only new entries, still with idle and count',
  );
  h.run('XDEL', 's', '3-0');
  h.nowMs = T0 + 1000;
  t.equal(
    h.run('XREADGROUP', 'GROUP', 'g', 'erin', 'COUNT', '1', 'CLAIM', '0', 'STREAMS', 's', '>'),
    reply2('s', [claimed('4-0', 'v4', 900, 1)]),
    'a pending entry whose entry is gone (3-0) is passed over; the oldest delivery (4-0, at +100) comes first',
  );
  t.equal(h.run('XREADGROUP', 'GROUP', 'g', 'erin', 'CLAIM', '0', 'STREAMS', 's', '0'), reply2('s', [plain('4-0', 'v4')]), 'a history ID ignores CLAIM');
  const group = (h.engine.dbs[0]!.entries.get('s')!.value as Stream).group('g')!;
  t.equal(formatId(group.lastId), '6-0', 'claims never moved the group on');
});

t.test('CLAIM with several streams, a history ID turning it off for the streams after it, and RESP3', async (t) => {
  const h = setUp();
  h.run('XADD', 'other', '1-0', 'f', 'o1');
  createGroup(h, 'other');
  h.run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'other', '>');
  h.nowMs = T0 + 10;
  t.equal(
    h.run('XREADGROUP', 'GROUP', 'g', 'alice', 'CLAIM', '5', 'STREAMS', 's', 'other', '0', '>'),
    `*1\r\n*2\r\n${bulk('s')}*3\r\n${plain('1-0', 'v1')}${plain('2-0', 'v2')}${plain('3-0', 'v3')}`,
    'history on s; on other (after it) CLAIM is off and nothing is new: other is left out',
  );
  h.resp = 3;
  h.nowMs = T0 + 20;
  t.equal(
    h.run('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'CLAIM', '5', 'STREAMS', 'other', 's', '>', '>'),
    `%2\r\n${bulk('other')}*1\r\n*4\r\n${bulk('1-0')}*2\r\n${bulk('f')}${bulk('o1')}:20\r\n:1\r\n${bulk('s')}*1\r\n${claimed('1-0', 'v1', 10, 2)}`,
    'RESP3: a map keyed by stream; COUNT applies per stream',
  );
});

t.test('CLAIM argument errors', async (t) => {
  const h = setUp();
  t.equal(h.run('XREAD', 'CLAIM', '10', 'STREAMS', 's', '0'), '-ERR The CLAIM option is only supported by XREADGROUP. You called XREAD instead.\r\n');
  t.equal(h.run('XREADGROUP', 'GROUP', 'g', 'a', 'CLAIM', 'x', 'STREAMS', 's', '>'), '-ERR min-idle-time is not an integer or out of range\r\n');
  t.equal(h.run('XREADGROUP', 'GROUP', 'g', 'a', 'CLAIM', '-1', 'STREAMS', 's', '>'), '-ERR min-idle-time must be a positive integer\r\n');
  t.equal(h.run('XREADGROUP', 'GROUP', 'g', 'a', 'CLAIM', '99999999999999999999', 'STREAMS', 's', '>'), '-ERR min-idle-time is not an integer or out of range\r\n');
});

t.test('the effects CLAIM records rebuild the same state', async (t) => {
  const h = setUp();
  h.nowMs = T0 + 500;
  h.run('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '4', 'CLAIM', '100', 'STREAMS', 's', '>');
  const copy = new Engine({ databases: 1 });
  for (const e of h.effects) copy.commit(e);
  t.equal(canonicalDump(copy), canonicalDump(h.engine));
});

t.test('XREADGROUP BLOCK with CLAIM wakes when a pending entry grows idle enough', async (t) => {
  const sluice = await startSluice();
  t.teardown(() => sluice.stop());
  const [a, b] = await Promise.all([RawClient.connect(sluice.port), RawClient.connect(sluice.port)]);
  t.teardown(() => {
    a.close();
    b.close();
  });
  await a.call('XADD', 's', '1-0', 'f', 'v');
  await a.call('XGROUP', 'CREATE', 's', 'g', '0');
  await a.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
  const started = Date.now();
  const woke = (await b.call('XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '5000', 'CLAIM', '300', 'STREAMS', 's', '>')).toString('latin1');
  const waited = Date.now() - started;
  t.match(woke, /^\*1\r\n\*2\r\n\$1\r\ns\r\n\*1\r\n\*4\r\n\$3\r\n1-0\r\n\*2\r\n\$1\r\nf\r\n\$1\r\nv\r\n:\d+\r\n:1\r\n$/, 'bob got 1-0 with its idle time and one earlier delivery');
  t.ok(waited >= 200 && waited < 3000, `woken when 1-0 was idle enough (${waited} ms), not at the BLOCK deadline`);
  const timedOut = (await b.call('XREADGROUP', 'GROUP', 'g', 'carol', 'BLOCK', '100', 'CLAIM', '60000', 'STREAMS', 's', '>')).toString('latin1');
  t.equal(timedOut, '*-1\r\n', 'the BLOCK deadline still comes first when it is sooner');
});
