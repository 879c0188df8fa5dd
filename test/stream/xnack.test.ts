// XNACK (Redis 8.8), written from Redis's command documentation: pending entries are released back
// to the group without being acknowledged. Each becomes unowned (consumer "" in XPENDING, idle -1),
// its delivery time 0 so any claim takes it at once, and XREADGROUP CLAIM serves released entries
// first, in the order they were released. SILENT takes one off the delivery count, FAIL keeps it,
// FATAL sets LLONG_MAX; RETRYCOUNT sets it whatever the mode; FORCE makes entries of the stream
// pending that were not. The change is an effect: replay, snapshots and COPY carry it.

import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import t from 'tap';
import { canonicalDump } from '../../storage/dump';
import { Engine } from '../../storage/engine';
import { type Stream, canonicalStream, copyStream, deserializeStream, serializeStream } from '../../storage/stream';
import { RawClient } from '../support/resp';
import { startSluice, tempDir } from '../support/servers';
import { Harness } from './harness';

const T0 = 1_700_000_000_000;
const LLONG_MAX = '9223372036854775807';
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const stream = (h: Harness, key = 's') => h.engine.dbs[0]!.entries.get(key)!.value as Stream;
/** One XPENDING extended row. */
const row = (id: string, consumer: string, idle: number, count: number | string) => `*4\r\n${bulk(id)}${bulk(consumer)}:${idle}\r\n:${count}\r\n`;
/** One XREADGROUP CLAIM entry: [id, [f, v], idle, count]. */
const claimedEntry = (id: string, v: string, idle: number | string, count: number | string) => `*4\r\n${bulk(id)}*2\r\n${bulk('f')}${bulk(v)}:${idle}\r\n:${count}\r\n`;

/** XGROUP CREATE key g 0, as an effect (the harness runs no subcommands), recorded for replays. */
function createGroup(h: Harness, key: string): void {
  const effect = { op: 'stream', db: 0, key, change: { op: 'xgroupcreate', group: 'g', lastId: '0-0', entriesRead: 0 } } as const;
  h.apply(effect);
  h.effects.push(effect);
}

/** s: 1-0..5-0; group g; alice got 1-0..3-0 at T0 (each delivered once). */
function setUp(): Harness {
  const h = new Harness();
  h.nowMs = T0;
  for (let i = 1; i <= 5; i++) h.run('XADD', 's', `${i}-0`, 'f', `v${i}`);
  createGroup(h, 's');
  h.run('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>');
  return h;
}

t.test('FAIL releases entries: unowned, idle -1 in XPENDING, the count kept', async (t) => {
  const h = setUp();
  h.nowMs = T0 + 100;
  t.equal(h.run('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '1-0', '2-0'), ':2\r\n');
  t.equal(h.run('XPENDING', 's', 'g', '-', '+', '10'), '*3\r\n' + row('1-0', '', -1, 1) + row('2-0', '', -1, 1) + row('3-0', 'alice', 100, 1));
  t.equal(
    h.run('XPENDING', 's', 'g'),
    `*4\r\n:3\r\n${bulk('1-0')}${bulk('3-0')}*1\r\n*2\r\n${bulk('alice')}${bulk('1')}`,
    'the summary counts them but lists no owner for them',
  );
  t.equal(h.run('XPENDING', 's', 'g', '-', '+', '10', 'alice'), '*1\r\n' + row('3-0', 'alice', 100, 1), "they left alice's PEL");
  t.equal(h.run('XPENDING', 's', 'g', 'IDLE', '1000000', '-', '+', '10'), '*2\r\n' + row('1-0', '', -1, 1) + row('2-0', '', -1, 1), 'idle enough for any IDLE filter');
  t.equal(h.run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'), `*1\r\n*2\r\n${bulk('s')}*1\r\n*2\r\n${bulk('3-0')}*2\r\n${bulk('f')}${bulk('v3')}`, "alice's history no longer has them");
});

t.test('SILENT takes one delivery off (never below 0), FATAL sets LLONG_MAX, RETRYCOUNT wins', async (t) => {
  const h = setUp();
  h.run('XCLAIM', 's', 'g', 'alice', '0', '1-0', '2-0', '3-0', 'RETRYCOUNT', '4');
  t.equal(h.run('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '1-0'), ':1\r\n');
  t.equal(h.run('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '2-0'), ':1\r\n');
  t.equal(h.run('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '3-0', 'RETRYCOUNT', '7'), ':1\r\n');
  t.equal(h.run('XPENDING', 's', 'g', '-', '+', '10'), '*3\r\n' + row('1-0', '', -1, 3) + row('2-0', '', -1, LLONG_MAX) + row('3-0', '', -1, 7));
  t.equal(h.run('XNACK', 's', 'g', 'SILENT', 'IDS', '4', '1-0', '1-0', '1-0', '1-0'), ':4\r\n', 'an ID named twice is released twice');
  t.equal(h.run('XPENDING', 's', 'g', '-', '1-0', '10'), '*1\r\n' + row('1-0', '', -1, 0), '3 - 4 stops at 0');
  t.equal(h.run('XNACK', 's', 'g', 'FAIL', 'RETRYCOUNT', '0', 'IDS', '1', '2-0'), ':1\r\n', 'options before IDS');
  t.equal(h.run('XPENDING', 's', 'g', '2-0', '2-0', '10'), '*1\r\n' + row('2-0', '', -1, 0));
  t.equal(h.run('XNACK', 's', 'g', 'fail', 'ids', '1', '2-0', 'retrycount', '-5'), ':1\r\n', 'lower case; a negative RETRYCOUNT is ignored, as XCLAIM ignores it');
  t.equal(h.run('XPENDING', 's', 'g', '2-0', '2-0', '10'), '*1\r\n' + row('2-0', '', -1, 0));
});

t.test('only pending IDs count; FORCE makes entries of the stream pending', async (t) => {
  const h = setUp();
  t.equal(h.run('XNACK', 's', 'g', 'FAIL', 'IDS', '3', '4-0', '9-0', '1-0'), ':1\r\n', '4-0 was never delivered, 9-0 does not exist');
  t.equal(h.run('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '4-0', '9-0', 'FORCE'), ':1\r\n', 'FORCE: 4-0 is in the stream, 9-0 is not');
  t.equal(h.run('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '5-0', 'FORCE'), ':1\r\n');
  h.run('XDEL', 's', '2-0');
  t.equal(h.run('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '2-0'), ':1\r\n', 'a pending entry whose stream entry is gone is still released');
  t.equal(h.run('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '2-0', 'RETRYCOUNT', '2', 'FORCE'), ':1\r\n');
  t.equal(
    h.run('XPENDING', 's', 'g', '-', '+', '10'),
    '*5\r\n' + row('1-0', '', -1, 1) + row('2-0', '', -1, 2) + row('3-0', 'alice', 0, 1) + row('4-0', '', -1, 0) + row('5-0', '', -1, LLONG_MAX),
  );
  t.equal(stream(h).group('g')!.pel.size, 5, "the group's PEL holds them");
  t.equal(h.run('XNACK', 's', 'nogroup', 'FAIL', 'IDS', '1', '1-0', 'FORCE'), ':0\r\n', 'a missing group releases nothing');
  t.equal(h.run('XNACK', 'nokey', 'g', 'FAIL', 'IDS', '1', '1-0'), ':0\r\n', 'a missing key releases nothing');
  t.equal(h.run('EXISTS', 'nokey'), ':0\r\n');
});

t.test('released entries are claimed at once: XCLAIM, XAUTOCLAIM, XREADGROUP CLAIM in release order', async (t) => {
  const h = setUp();
  h.nowMs = T0 + 10;
  h.run('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '3-0');
  h.run('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '1-0');
  h.nowMs = T0 + 20;
  t.equal(
    h.run('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'CLAIM', '60000', 'STREAMS', 's', '>'),
    `*1\r\n*2\r\n${bulk('s')}*2\r\n` + claimedEntry('3-0', 'v3', T0 + 20, 1) + claimedEntry('1-0', 'v1', T0 + 20, 0),
    'released entries first, 3-0 (released first) before 1-0, whatever min-idle-time; idle counts from time 0',
  );
  t.equal(h.run('XPENDING', 's', 'g', '-', '+', '10'), '*3\r\n' + row('1-0', 'bob', 0, 1) + row('2-0', 'alice', 20, 1) + row('3-0', 'bob', 0, 2));
  h.run('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '3-0', '1-0');
  t.equal(h.run('XCLAIM', 's', 'g', 'carol', '3600000', '1-0', '2-0', 'JUSTID'), `*1\r\n${bulk('1-0')}`, 'XCLAIM: the released 1-0 is idle enough, 2-0 is not');
  t.equal(h.run('XAUTOCLAIM', 's', 'g', 'dave', '3600000', '0', 'JUSTID'), `*3\r\n${bulk('0-0')}*1\r\n${bulk('3-0')}*0\r\n`, 'XAUTOCLAIM takes the released 3-0');
  t.equal(h.run('XPENDING', 's', 'g', '-', '+', '10'), '*3\r\n' + row('1-0', 'carol', 0, 1) + row('2-0', 'alice', 20, 1) + row('3-0', 'dave', 0, 2));
  h.run('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '2-0');
  t.equal(h.run('XACK', 's', 'g', '2-0'), ':1\r\n', 'XACK drops a released entry');
  t.equal(stream(h).group('g')!.consumer('alice')!.pel.size, 0, 'alice owns nothing any more');
});

t.test('errors: mode, IDS block, RETRYCOUNT, unknown options, IDs, wrong type; none changes anything', async (t) => {
  const h = setUp();
  h.run('SET', 'str', 'x');
  const before = canonicalDump(h.engine);
  const effects = h.effects.length;
  const cases: Array<[string[], string]> = [
    [['XNACK', 's', 'g', 'MAYBE', 'IDS', '1', '1-0'], '-ERR mode must be SILENT, FAIL, or FATAL\r\n'],
    [['XNACK', 's', 'g', 'IDS', '1', '1-0', 'FAIL'], '-ERR mode must be SILENT, FAIL, or FATAL\r\n'],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '0', '1-0'], '-ERR Number of IDs must be a positive integer\r\n'],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', 'x', '1-0'], '-ERR Number of IDs must be a positive integer\r\n'],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '-1', '1-0'], '-ERR Number of IDs must be a positive integer\r\n'],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '3', '1-0', '2-0'], '-ERR The `numids` parameter must match the number of arguments\r\n'],
    [['XNACK', 's', 'g', 'FAIL', 'FORCE', 'FORCE', 'FORCE'], '-ERR IDS option is required\r\n'],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'RETRYCOUNT', 'x'], '-ERR value is not an integer or out of range\r\n'],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'RETRYCOUNT'], "-ERR Unrecognized XNACK option 'RETRYCOUNT'\r\n"],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'JUSTID'], "-ERR Unrecognized XNACK option 'JUSTID'\r\n"],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'IDS'], "-ERR Unrecognized XNACK option 'IDS'\r\n"],
    [['XNACK', 's', 'g', 'FAIL', 'IDS', '2', '1-0', 'bad'], '-ERR Invalid stream ID specified as stream command argument\r\n'],
    [['XNACK', 'str', 'g', 'FAIL', 'IDS', '1', '1-0'], '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n'],
    [['XNACK', 'str', 'g', 'FAIL', 'IDS', '1', 'bad'], '-ERR Invalid stream ID specified as stream command argument\r\n'],
  ];
  for (const [cmd, expected] of cases) t.equal(h.run(...cmd), expected, cmd.join(' '));
  t.equal(canonicalDump(h.engine), before, 'state unchanged');
  t.equal(h.effects.length, effects, 'nothing committed');
});

t.test('the effect replays to the same state; snapshots and COPY keep the release order', async (t) => {
  const h = setUp();
  h.run('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '3-0', '1-0');
  h.run('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '4-0', 'FORCE');
  h.run('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '3-0');
  const replayed = new Engine({ databases: 1 });
  for (const e of h.effects) replayed.commit(e);
  t.equal(canonicalDump(replayed), canonicalDump(h.engine), 'replaying the effects rebuilds it');
  const text = canonicalStream(stream(h));
  t.match(text, /released 1-0 4-0 3-0/, 'the canonical text has the release order (3-0 released again went last)');
  const bytes = serializeStream(stream(h));
  t.equal(bytes[2], 3, 'written as version 3');
  t.equal(canonicalStream(deserializeStream(bytes)), text, 'a snapshot carries it');
  t.equal(canonicalStream(copyStream(stream(h))), text, 'COPY carries it');
  const restored = deserializeStream(bytes);
  const group = restored.group('g')!;
  t.same([...group.nacked].map((e) => `${e.ms}-${e.seq}`), ['1-0', '4-0', '3-0']);
  t.equal(group.unowned.pel.size, 3);
  h.run('XCLAIM', 's', 'g', 'bob', '0', '1-0', '3-0', '4-0');
  t.equal(serializeStream(stream(h))[2], 1, 'once nothing is released, written as before');
  const corrupt = Buffer.from(bytes);
  t.throws(() => deserializeStream(Buffer.concat([corrupt.subarray(0, corrupt.length - 1)])), 'a truncated one is refused');
});

t.test('through the wire: ioredis, RESP2 and RESP3 bytes, COMMAND INFO', async (t) => {
  const s = await startSluice();
  const redis = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis.connect();
  const raw = await RawClient.connect(s.port);
  t.teardown(async () => {
    redis.disconnect();
    raw.close();
    await s.stop();
  });
  await redis.xadd('jobs', '1-0', 'f', 'a');
  await redis.xadd('jobs', '2-0', 'f', 'b');
  await redis.xgroup('CREATE', 'jobs', 'workers', '0');
  await redis.xreadgroup('GROUP', 'workers', 'w1', 'STREAMS', 'jobs', '>');
  t.equal(await redis.call('XNACK', 'jobs', 'workers', 'FAIL', 'IDS', '2', '1-0', '2-0'), 2);
  t.same(await redis.xpending('jobs', 'workers', '-', '+', 10), [
    ['1-0', '', -1, 1],
    ['2-0', '', -1, 1],
  ]);
  const claimed = await redis.xautoclaim('jobs', 'workers', 'w2', 3_600_000, '0', 'JUSTID');
  t.same(claimed, ['0-0', ['1-0', '2-0'], []], 'another consumer takes them at once');
  await t.rejects(redis.call('XNACK', 'jobs', 'workers', 'LATER', 'IDS', '1', '1-0'), /^ERR mode must be SILENT, FAIL, or FATAL$/);
  await t.rejects(redis.call('XNACK', 'jobs', 'workers', 'FAIL'), /wrong number of arguments for 'xnack' command/);

  const info = (await raw.call('COMMAND', 'INFO', 'XNACK')).toString('latin1');
  t.match(info, /^\*1\r\n\*10\r\n\$5\r\nxnack\r\n:-7\r\n\*2\r\n\+write\r\n\+fast\r\n:1\r\n:1\r\n:1\r\n\*3\r\n\+@write\r\n\+@stream\r\n\+@fast\r\n/);
  const docs = (await raw.call('COMMAND', 'DOCS', 'XNACK')).toString('latin1');
  t.match(docs, /8\.8\.0/);
  t.match(docs, /RETRYCOUNT/);
  t.equal((await raw.call('XNACK', 'jobs', 'workers', 'SILENT', 'IDS', '1', '1-0')).toString('latin1'), ':1\r\n', 'RESP2');
  t.equal((await raw.call('HELLO', '3')).subarray(0, 1).toString('latin1'), '%');
  t.equal((await raw.call('XNACK', 'jobs', 'workers', 'FATAL', 'IDS', '1', '2-0')).toString('latin1'), ':1\r\n', 'RESP3: the same integer');
  t.equal(
    (await raw.call('XPENDING', 'jobs', 'workers', '-', '+', '10')).toString('latin1'),
    '*2\r\n' + row('1-0', '', -1, 0) + row('2-0', '', -1, LLONG_MAX),
    'JUSTID left the count at 1; SILENT took it to 0',
  );
});

for (const how of ['the log', 'a snapshot'] as const) {
  t.test(`a restarted server has the same released entries (through ${how})`, async (t) => {
    const dir = tempDir();
    try {
      const args = how === 'the log' ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
      const s = await startSluice(args, { dir });
      const c = await RawClient.connect(s.port);
      for (let i = 1; i <= 4; i++) await c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
      await c.call('XGROUP', 'CREATE', 's', 'g', '0');
      await c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
      await c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '4-0');
      await c.call('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '2-0');
      await c.call('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '3-0', 'RETRYCOUNT', '5');
      // Absolute times (XINFO STREAM FULL), so the two servers' answers compare byte for byte.
      const state = async (client: RawClient) =>
        [await client.call('XINFO', 'STREAM', 's', 'FULL'), await client.call('XPENDING', 's', 'g')].map((b) => b.toString('latin1')).join('');
      const before = await state(c);
      if (how === 'a snapshot') t.equal((await c.call('SAVE')).toString('latin1'), '+OK\r\n');
      c.close();
      await s.kill();
      const restarted = await startSluice(args, { dir });
      const c2 = await RawClient.connect(restarted.port);
      t.equal(await state(c2), before, 'PEL, owners, times and counts as before');
      t.equal(
        (await c2.call('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '3', 'CLAIM', '3600000', 'STREAMS', 's', '>')).toString('latin1').match(/\$3\r\n\d-0\r\n/g)?.join(''),
        `${bulk('4-0')}${bulk('2-0')}${bulk('3-0')}`,
        'XREADGROUP CLAIM still serves them in release order',
      );
      c2.close();
      await restarted.kill();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

t.test('replicas get the same released entries: streamed effects and a full resync', async (t) => {
  const primary = await startSluice();
  t.teardown(() => primary.stop());
  const early = await startSluice(['--replicaof', '127.0.0.1', String(primary.port)]);
  t.teardown(() => early.stop());
  const c = await RawClient.connect(primary.port);
  t.teardown(() => c.close());
  const text = async (client: RawClient, ...cmd: string[]) => (await client.call(...cmd)).toString('latin1');
  // WAIT 1 for nothing written answers 1 once the replica is attached.
  while ((await text(c, 'WAIT', '1', '100')) !== ':1\r\n');
  for (let i = 1; i <= 4; i++) await c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
  await c.call('XGROUP', 'CREATE', 's', 'g', '0');
  await c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
  await c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '3-0');
  await c.call('XNACK', 's', 'g', 'FATAL', 'IDS', '2', '1-0', '4-0');
  await c.call('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '3-0');
  t.equal(await text(c, 'WAIT', '1', '60000'), ':1\r\n', 'the replica acknowledged every write');
  // Absolute times (XINFO STREAM FULL) and released entries (idle -1, not the owned one's idle).
  const state = async (client: RawClient) =>
    (await text(client, 'XINFO', 'STREAM', 's', 'FULL')) + (await text(client, 'XPENDING', 's', 'g')) + (await text(client, 'XPENDING', 's', 'g', '3-0', '4-0', '10'));
  const expected = await state(c);
  t.match(expected, /\$3\r\n3-0\r\n\$0\r\n\r\n:-1\r\n:0\r\n\*4\r\n\$3\r\n4-0\r\n\$0\r\n\r\n:-1\r\n:9223372036854775807\r\n$/, 'released entries in XPENDING');
  const e = await RawClient.connect(early.port);
  t.teardown(() => e.close());
  t.equal(await state(e), expected, 'a replica attached before: the same state from the streamed effects');

  const late = await startSluice(['--replicaof', '127.0.0.1', String(primary.port)]);
  t.teardown(() => late.stop());
  while ((await text(c, 'WAIT', '2', '100')) !== ':2\r\n');
  const l = await RawClient.connect(late.port);
  t.teardown(() => l.close());
  t.equal(await state(l), expected, 'a replica attached after: the same state from its full resync');
});
