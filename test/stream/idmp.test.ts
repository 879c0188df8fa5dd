// XADD IDMP / IDMPAUTO and XCFGSET (Redis 8.6), written from Redis's command documentation and its
// source (errors, order of checks, what is forgotten when): a (producer, idempotent ID) recorded
// recently makes a retried XADD answer the first entry's ID and add nothing. The state is durable:
// effects rebuild it, snapshots carry it, and a restarted server (log replay or snapshot) still
// recognises a retry.

import { rmSync } from 'node:fs';
import t from 'tap';
import { canonicalDump } from '../../storage/dump';
import { Engine } from '../../storage/engine';
import { type Stream, canonicalStream, deserializeStream, serializeStream } from '../../storage/stream';
import { RawClient } from '../support/resp';
import { startSluice, tempDir } from '../support/servers';
import { Harness } from './harness';

const T0 = 1_700_000_000_000;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const stream = (h: Harness, key = 's') => h.engine.dbs[0]!.entries.get(key)!.value as Stream;

t.test('a retried XADD answers the first entry and adds nothing', async (t) => {
  const h = new Harness();
  h.nowMs = T0;
  const first = h.run('XADD', 's', 'IDMP', 'p1', 'payment-abc', '*', 'amount', '100');
  t.equal(first, bulk(`${T0}-0`));
  h.nowMs = T0 + 5;
  t.equal(h.run('XADD', 's', 'IDMP', 'p1', 'payment-abc', 'MAXLEN', '0', '*', 'amount', '200'), first, 'same ID; no trim either');
  t.equal(h.run('XLEN', 's'), ':1\r\n');
  t.equal(h.run('XADD', 's', 'IDMP', 'p2', 'payment-abc', '*', 'amount', '1'), bulk(`${T0 + 5}-0`), 'producers are separate');
  t.equal(h.run('XADD', 's', 'MAXLEN', '~', '100', 'IDMP', 'p1', 'other', '*', 'a', '1'), bulk(`${T0 + 5}-1`), 'IDMP may follow the trim options');
  t.equal(h.run('XADD', 's', 'NOMKSTREAM', 'KEEPREF', 'IDMP', 'p1', 'other', '*', 'a', '2'), bulk(`${T0 + 5}-1`));
  t.equal(h.run('XADD', 'missing', 'NOMKSTREAM', 'IDMP', 'p1', 'x', '*', 'a', '1'), '$-1\r\n', 'NOMKSTREAM on a missing key: nil, as without IDMP');
  const idmp = stream(h).idmpState!;
  t.equal(idmp.iidsAdded, 3);
  t.equal(idmp.iidsDuplicates, 2);
  // The duplicate answers the recorded ID even when that entry is gone since.
  h.run('XDEL', 's', `${T0}-0`);
  t.equal(h.run('XADD', 's', 'IDMP', 'p1', 'payment-abc', '*', 'amount', '300'), first);
});

t.test('IDMPAUTO: the fields are the idempotent ID, in any order', async (t) => {
  const h = new Harness();
  h.nowMs = T0;
  const id = h.run('XADD', 's', 'IDMPAUTO', 'p', '*', 'a', '1', 'b', '2');
  t.equal(h.run('XADD', 's', 'IDMPAUTO', 'p', '*', 'b', '2', 'a', '1'), id, 'pairs in another order: the same message');
  t.not(h.run('XADD', 's', 'IDMPAUTO', 'p', '*', 'a', '2', 'b', '1'), id, 'values swapped: another message');
  t.not(h.run('XADD', 's', 'IDMPAUTO', 'p', '*', 'a1', '', 'b', '2'), id, 'a byte moved from value to field: another message');
  t.not(h.run('XADD', 's', 'IDMPAUTO', 'q', '*', 'a', '1', 'b', '2'), id, 'another producer');
  t.equal(h.run('XLEN', 's'), ':4\r\n');
});

t.test('what is remembered: IDMP-MAXSIZE per producer, IDMP-DURATION by the entry ID time', async (t) => {
  const h = new Harness();
  h.nowMs = T0;
  h.run('XADD', 's', '*', 'f', 'v');
  t.equal(h.run('XCFGSET', 's', 'IDMP-MAXSIZE', '2', 'IDMP-DURATION', '10'), '+OK\r\n');
  const a = h.run('XADD', 's', 'IDMP', 'p', 'a', '*', 'f', 'v');
  h.run('XADD', 's', 'IDMP', 'p', 'b', '*', 'f', 'v');
  h.run('XADD', 's', 'IDMP', 'q', 'x', '*', 'f', 'v');
  h.run('XADD', 's', 'IDMP', 'p', 'c', '*', 'f', 'v');
  t.not(h.run('XADD', 's', 'IDMP', 'p', 'a', '*', 'f', 'v'), a, "p's oldest (a) went when c came: a is new again");
  const x = h.run('XADD', 's', 'IDMP', 'q', 'x', '*', 'f', 'v');
  t.equal(x, bulk(`${T0}-3`), "q's own limit: x is still remembered");
  h.nowMs = T0 + 9_999;
  t.equal(h.run('XADD', 's', 'IDMP', 'q', 'x', '*', 'f', 'v'), x, 'not yet 10 s old');
  h.nowMs = T0 + 10_000;
  t.equal(h.run('XADD', 's', 'IDMP', 'q', 'x', '*', 'f', 'v'), bulk(`${T0 + 10_000}-0`), '10 s after its entry: forgotten');
  const idmp = stream(h).idmpState!;
  t.same([...idmp.producers.keys()], ['q'], 'recording dropped every producer whose iids were all old');
});

t.test('XCFGSET: errors, and a change clears what was remembered', async (t) => {
  const h = new Harness();
  h.nowMs = T0;
  h.run('SET', 'str', 'v');
  t.equal(h.run('XCFGSET', 'missing', 'IDMP-DURATION', '5'), '-ERR no such key\r\n');
  t.equal(h.run('XCFGSET', 'str', 'IDMP-DURATION', '5'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  const id = h.run('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
  t.equal(h.run('XCFGSET', 's'), '-ERR At least one parameter must be specified\r\n');
  t.equal(h.run('XCFGSET', 's', 'IDMP-DURATION'), '-ERR syntax error\r\n');
  t.equal(h.run('XCFGSET', 's', 'FOO', '1'), '-ERR syntax error\r\n');
  t.equal(h.run('XCFGSET', 's', 'IDMP-DURATION', 'x'), '-ERR value is not an integer or out of range\r\n');
  t.equal(h.run('XCFGSET', 's', 'IDMP-DURATION', '0'), '-ERR IDMP-DURATION must be between 1 and 86400 seconds\r\n');
  t.equal(h.run('XCFGSET', 's', 'IDMP-DURATION', '86401'), '-ERR IDMP-DURATION must be between 1 and 86400 seconds\r\n');
  t.equal(h.run('XCFGSET', 's', 'IDMP-MAXSIZE', '10001'), '-ERR IDMP-MAXSIZE must be between 1 and 10000 entries\r\n');
  t.equal(h.run('XCFGSET', 's', 'IDMP-MAXSIZE', '5', 'IDMP-MAXSIZE', '6'), '-ERR IDMP-MAXSIZE specified multiple times\r\n');
  t.equal(h.run('XCFGSET', 's', 'idmp-duration', '5', 'IDMP-DURATION', '6'), '-ERR IDMP-DURATION specified multiple times\r\n');
  t.equal(h.run('XCFGSET', 's', 'IDMP-DURATION', '100', 'IDMP-MAXSIZE', '100'), '+OK\r\n', 'the defaults again: nothing changes');
  t.equal(h.run('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v'), id, 'still remembered');
  h.effects.length = 0;
  t.equal(h.run('XCFGSET', 's', 'IDMP-DURATION', '200'), '+OK\r\n');
  t.same(h.effects, [{ op: 'stream', db: 0, key: 's', change: { op: 'xcfgset', durationSec: 200 } }]);
  t.not(h.run('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v'), id, 'the change cleared it');
});

t.test('XADD IDMP argument errors', async (t) => {
  const h = new Harness();
  const err = (...args: string[]) => h.run('XADD', 's', ...args);
  t.equal(err('IDMP', 'p1', '*', 'f', 'v'), '-ERR Invalid stream ID specified as stream command argument\r\n', 'IDMP takes two arguments: * was the iid');
  t.equal(err('IDMP', 'p1', 'iid1', '1-1', 'f', 'v'), '-ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs\r\n');
  t.equal(err('IDMPAUTO', 'p1', '5-*', 'f', 'v'), '-ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs\r\n');
  t.equal(err('IDMP', 'p1', 'i', 'IDMP', 'p2', 'j', '*', 'f', 'v'), '-ERR syntax error, IDMP/IDMPAUTO specified multiple times\r\n');
  t.equal(err('IDMPAUTO', 'p1', 'IDMP', 'p2', 'j', '*', 'f', 'v'), '-ERR syntax error, IDMP/IDMPAUTO specified multiple times\r\n');
  t.equal(err('IDMP', '', 'i', '*', 'f', 'v'), '-ERR syntax error, IDMP requires a non-empty producer ID\r\n');
  t.equal(err('IDMP', 'p', '', '*', 'f', 'v'), '-ERR syntax error, IDMP requires a non-empty idempotent ID\r\n');
  t.equal(err('IDMPAUTO', '', '*', 'f', 'v'), '-ERR syntax error, IDMPAUTO requires a non-empty producer ID\r\n');
  t.equal(h.run('EXISTS', 's'), ':0\r\n', 'nothing was created');
});

t.test('effects and snapshots carry the idempotency state', async (t) => {
  const h = new Harness();
  h.nowMs = T0;
  h.run('XADD', 's', 'IDMP', 'p', 'a', '*', 'f', 'v');
  h.run('XCFGSET', 's', 'IDMP-MAXSIZE', '50');
  h.run('XADD', 's', 'IDMP', 'p', 'b', '*', 'f', 'v');
  h.run('XADD', 's', 'IDMPAUTO', 'q', '*', 'f', 'v');
  h.run('XADD', 's', 'IDMP', 'p', 'b', '*', 'f', 'w');
  const replayed = new Engine({ databases: 1 });
  for (const e of h.effects) replayed.commit(e);
  t.equal(canonicalDump(replayed), canonicalDump(h.engine), 'replaying the effects rebuilds it');
  t.match(canonicalStream(stream(h)), /idmp duration=100 maxsize=50 added=3 duplicates=1/);
  const copy = deserializeStream(serializeStream(stream(h)));
  t.equal(canonicalStream(copy), canonicalStream(stream(h)), 'a snapshot of the stream carries it');
  const plain = new Harness();
  plain.run('XADD', 'k', '1-1', 'f', 'v');
  t.equal(serializeStream(stream(plain, 'k'))[2], 1, 'a stream without it is written as before (version 1)');
});

for (const how of ['the log', 'a snapshot'] as const) {
  t.test(`a restarted server still recognises a retry (through ${how})`, async (t) => {
    const dir = tempDir();
    try {
      const args = how === 'the log' ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
      const s = await startSluice(args, { dir });
      const c = await RawClient.connect(s.port);
      const first = (await c.call('XADD', 'orders', 'IDMP', 'checkout', 'order-17', '*', 'total', '42')).toString('latin1');
      await c.call('XADD', 'orders', 'IDMPAUTO', 'cart', '*', 'item', 'book');
      await c.call('XCFGSET', 'orders', 'IDMP-MAXSIZE', '1000');
      const again = (await c.call('XADD', 'orders', 'IDMP', 'checkout', 'order-18', '*', 'total', '7')).toString('latin1');
      if (how === 'a snapshot') t.equal((await c.call('SAVE')).toString('latin1'), '+OK\r\n');
      c.close();
      await s.kill();
      const restarted = await startSluice(args, { dir });
      const c2 = await RawClient.connect(restarted.port);
      t.equal((await c2.call('XADD', 'orders', 'IDMP', 'checkout', 'order-18', '*', 'total', '7')).toString('latin1'), again, 'the retry gets the first ID');
      t.not((await c2.call('XADD', 'orders', 'IDMP', 'checkout', 'order-17', '*', 'total', '42')).toString('latin1'), first, 'XCFGSET cleared order-17 before the restart, and that stayed so');
      t.equal((await c2.call('XLEN', 'orders')).toString('latin1'), ':4\r\n');
      c2.close();
      await restarted.kill();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

t.test("XINFO STREAM shows Redis 8.6's idempotency fields, in both forms", async (t) => {
  const sluice = await startSluice();
  t.teardown(() => sluice.stop());
  const c = await RawClient.connect(sluice.port);
  t.teardown(() => c.close());
  await c.call('XADD', 's', '*', 'f', 'v');
  const fresh = '$13\r\nidmp-duration\r\n:100\r\n$12\r\nidmp-maxsize\r\n:100\r\n$12\r\npids-tracked\r\n:0\r\n$12\r\niids-tracked\r\n:0\r\n$10\r\niids-added\r\n:0\r\n$15\r\niids-duplicates\r\n:0\r\n';
  const summary = (await c.call('XINFO', 'STREAM', 's')).toString('latin1');
  t.ok(summary.startsWith('*32\r\n'), 'sixteen fields');
  t.ok(summary.includes(`recorded-first-entry-id\r\n$${summary.split('recorded-first-entry-id\r\n$')[1]!.split('\r\n')[0]}`), 'after recorded-first-entry-id');
  t.ok(summary.includes(fresh), 'defaults and zero counts on a stream that never used IDMP');
  await c.call('XCFGSET', 's', 'IDMP-DURATION', '30', 'IDMP-MAXSIZE', '5');
  await c.call('XADD', 's', 'IDMP', 'p1', 'a', '*', 'f', 'v');
  await c.call('XADD', 's', 'IDMP', 'p1', 'b', '*', 'f', 'v');
  await c.call('XADD', 's', 'IDMPAUTO', 'p2', '*', 'f', 'v');
  await c.call('XADD', 's', 'IDMP', 'p1', 'a', '*', 'f', 'v');
  const used = '$13\r\nidmp-duration\r\n:30\r\n$12\r\nidmp-maxsize\r\n:5\r\n$12\r\npids-tracked\r\n:2\r\n$12\r\niids-tracked\r\n:3\r\n$10\r\niids-added\r\n:3\r\n$15\r\niids-duplicates\r\n:1\r\n';
  t.ok((await c.call('XINFO', 'STREAM', 's')).toString('latin1').includes(used));
  const full = (await c.call('XINFO', 'STREAM', 's', 'FULL')).toString('latin1');
  t.ok(full.startsWith('*30\r\n') && full.includes(used), 'FULL: fifteen fields, the same six among them');
  await c.call('HELLO', '3');
  t.ok((await c.call('XINFO', 'STREAM', 's')).toString('latin1').startsWith('%16\r\n'), 'RESP3: a map of sixteen');
});

t.test('stream-idmp-duration / stream-idmp-maxsize: what new streams start with (CONFIG, file, log)', async (t) => {
  const dir = tempDir();
  try {
    const args = ['--appendonly', 'yes', '--appendfsync', 'always', '--stream-idmp-maxsize', '2'];
    const s = await startSluice(args, { dir });
    const c = await RawClient.connect(s.port);
    const text = async (...cmd: string[]) => (await c.call(...cmd)).toString('latin1');
    const idmpFields = (duration: number, maxSize: number) => `$13\r\nidmp-duration\r\n:${duration}\r\n$12\r\nidmp-maxsize\r\n:${maxSize}\r\n`;
    t.equal(await text('CONFIG', 'GET', 'stream-idmp-duration'), `*2\r\n${bulk('stream-idmp-duration')}${bulk('100')}`, 'the default');
    t.equal(await text('CONFIG', 'GET', 'stream-idmp-maxsize'), `*2\r\n${bulk('stream-idmp-maxsize')}${bulk('2')}`, 'from the command line');
    for (const [name, value] of [
      ['stream-idmp-duration', '0'],
      ['stream-idmp-duration', '86401'],
      ['stream-idmp-maxsize', '0'],
      ['stream-idmp-maxsize', '10001'],
      ['stream-idmp-maxsize', '-1'],
    ] as const) {
      const range = name === 'stream-idmp-duration' ? '1 and 86400' : '1 and 10000';
      t.equal(await text('CONFIG', 'SET', name, value), `-ERR CONFIG SET failed (possibly related to argument '${name}') - argument must be between ${range} inclusive\r\n`);
    }
    t.equal(await text('CONFIG', 'SET', 'stream-idmp-duration', 'x'), `-ERR CONFIG SET failed (possibly related to argument 'stream-idmp-duration') - argument couldn't be parsed into an integer\r\n`);

    // A stream created now keeps maxsize 2: a producer's third iid pushes out its first.
    const a = await text('XADD', 'old', 'IDMP', 'p', 'a', '*', 'f', 'v');
    await text('XADD', 'old', 'IDMP', 'p', 'b', '*', 'f', 'v');
    t.equal(await text('XADD', 'old', 'IDMP', 'p', 'a', '*', 'f', 'v'), a, 'a is still remembered');
    await text('XADD', 'old', 'IDMP', 'p', 'c', '*', 'f', 'v');
    t.not(await text('XADD', 'old', 'IDMP', 'p', 'a', '*', 'f', 'v'), a, 'only two kept: a was forgotten');
    t.ok((await text('XINFO', 'STREAM', 'old')).includes(idmpFields(100, 2)));

    t.equal(await text('CONFIG', 'SET', 'stream-idmp-duration', '86400', 'stream-idmp-maxsize', '10000'), '+OK\r\n');
    t.equal(await text('CONFIG', 'GET', 'stream-idmp-maxsize'), `*2\r\n${bulk('stream-idmp-maxsize')}${bulk('10000')}`);
    t.ok((await text('XINFO', 'STREAM', 'old')).includes(idmpFields(100, 2)), 'an existing stream keeps its own values');
    await text('XADD', 'new', '*', 'f', 'v');
    t.ok((await text('XINFO', 'STREAM', 'new')).includes(idmpFields(86400, 10000)), 'a new stream (XADD) starts with the new ones');
    await text('XGROUP', 'CREATE', 'grouped', 'g', '$', 'MKSTREAM');
    t.ok((await text('XINFO', 'STREAM', 'grouped')).includes(idmpFields(86400, 10000)), 'so does one XGROUP CREATE MKSTREAM makes');
    t.equal(await text('XCFGSET', 'new', 'IDMP-MAXSIZE', '7'), '+OK\r\n');
    t.ok((await text('XINFO', 'STREAM', 'new')).includes(idmpFields(86400, 7)), 'XCFGSET changes one stream');
    t.equal(await text('CONFIG', 'SET', 'stream-idmp-duration', '100', 'stream-idmp-maxsize', '100'), '+OK\r\n');
    await text('XADD', 'plain', '*', 'f', 'v');
    t.ok((await text('XINFO', 'STREAM', 'plain')).includes(idmpFields(100, 100)));

    const before = await Promise.all(['old', 'new', 'grouped', 'plain'].map((k) => text('XINFO', 'STREAM', k, 'FULL')));
    c.close();
    await s.kill();
    // Restarted with the default directives: the log carries what each stream was created with.
    const restarted = await startSluice(['--appendonly', 'yes', '--appendfsync', 'always'], { dir });
    const c2 = await RawClient.connect(restarted.port);
    const after = await Promise.all(['old', 'new', 'grouped', 'plain'].map(async (k) => (await c2.call('XINFO', 'STREAM', k, 'FULL')).toString('latin1')));
    t.same(after, before, 'the same settings after a log replay');
    c2.close();
    await restarted.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
