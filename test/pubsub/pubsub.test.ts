// Pub/Sub against real Redis, byte for byte: subscription confirmations and their counts,
// messages and pattern messages, unsubscribing from nothing or from everything, the commands a
// RESP2 subscriber may run (and the error for the others), RESP3 pushes between replies, shard
// channels, PUBSUB introspection, RESET and disconnection leaving every subscription.

import t, { type Test } from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';
import { Twin } from '../support/twins';

let pair: DiffPair;
t.before(async () => {
  if (redisSkip === false) pair = await DiffPair.start();
});
t.teardown(() => pair?.stop());

/** The subscriptions of both servers start empty in each test: every subscriber of the last one is gone. */
async function settle(pub: Twin): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const [r, s] = await Promise.all([pub.redis.call('PUBSUB', 'NUMPAT'), pub.sluice.call('PUBSUB', 'NUMPAT')]);
    const [rc, sc] = await Promise.all([pub.redis.call('PUBSUB', 'CHANNELS'), pub.sluice.call('PUBSUB', 'CHANNELS')]);
    if (r.toString() === ':0\r\n' && s.toString() === ':0\r\n' && rc.toString() === '*0\r\n' && sc.toString() === '*0\r\n') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const resp of [2, 3] as const) {
  t.test(`channels and patterns, RESP${resp}`, { skip: redisSkip }, async (t) => {
    const pub = await Twin.connect(t, pair, { label: 'publisher' });
    await settle(pub);
    const sub = await Twin.connect(t, pair, { resp });
    await sub.send(['SUBSCRIBE', 'news', 'sport', 'news'], 3);
    await sub.send(['PSUBSCRIBE', 'n*', 'h?llo', 'n*'], 3);
    await pub.send(['PUBLISH', 'news', 'hello world']);
    await sub.expect(2, 'message then pmessage');
    await pub.send(['PUBLISH', 'hallo', Buffer.from([0, 1, 2, 255])]);
    await sub.expect(1, 'binary pmessage');
    await pub.send(['PUBLISH', 'nobody', 'x']);
    await sub.expect(1, 'pmessage n*');
    await pub.send(['PUBLISH', 'elsewhere', 'x']);
    await sub.quiet();
    await pub.send(['PUBSUB', 'NUMSUB', 'news', 'sport', 'nobody']);
    await pub.send(['PUBSUB', 'NUMSUB']);
    await pub.send(['PUBSUB', 'NUMPAT']);
    await pub.send(['PUBSUB', 'CHANNELS', 'n*']);
    await pub.send(['PUBSUB', 'CHANNELS', 'x', 'y']);
    await pub.send(['PUBSUB', 'NUMPAT', 'x']);
    await sub.send(['UNSUBSCRIBE', 'sport', 'never']);
    await sub.expect(1);
    await sub.send(['PUNSUBSCRIBE', 'h?llo', 'never*'], 2);
    await sub.send(['PING'], 1);
    await sub.send(['PING', 'ahoy'], 1);
    await sub.send(['GET', 'k']);
    await sub.send(['CLIENT', 'NOSUCH']);
    if (resp === 2) await sub.send(['CLIENT', 'LIST']);
    await sub.send(['SELECT', '0']);
    await sub.send(['UNSUBSCRIBE']);
    await sub.send(['PUNSUBSCRIBE']);
    // Subscribed to nothing now: unsubscribing from everything still confirms, with a null name.
    await sub.send(['UNSUBSCRIBE']);
    await sub.send(['PUNSUBSCRIBE']);
    await sub.send(['SUNSUBSCRIBE']);
    await sub.send(['GET', 'k']);
    await sub.send(['PING']);
    await pub.send(['PUBLISH', 'news', 'gone']);
    await sub.quiet();
  });

  t.test(`shard channels, RESP${resp}`, { skip: redisSkip }, async (t) => {
    const pub = await Twin.connect(t, pair, { label: 'publisher' });
    await settle(pub);
    const sub = await Twin.connect(t, pair, { resp });
    await sub.send(['SSUBSCRIBE', 'orders', 'orders', 'stock'], 3);
    await sub.send(['SUBSCRIBE', 'orders']);
    await pub.send(['SPUBLISH', 'orders', 'o1']);
    await sub.expect(1, 'smessage');
    await pub.send(['PUBLISH', 'orders', 'o2']);
    await sub.expect(1, 'message');
    // (Redis lists channels in hash order: each listing here has at most one.)
    await pub.send(['PUBSUB', 'SHARDCHANNELS', 'o*']);
    await pub.send(['PUBSUB', 'SHARDCHANNELS', 'st*']);
    await pub.send(['PUBSUB', 'SHARDNUMSUB', 'orders', 'stock', 'none']);
    await sub.send(['GET', 'x']);
    await sub.send(['SUNSUBSCRIBE', 'stock', 'none'], 2);
    await pub.send(['PUBSUB', 'SHARDCHANNELS']);
    await sub.send(['SUNSUBSCRIBE'], 1);
    await sub.send(['GET', 'x']);
    await sub.send(['UNSUBSCRIBE'], 1);
    await sub.send(['GET', 'x']);
    await pub.send(['SPUBLISH', 'orders', 'o3']);
    await sub.quiet();
  });
}

t.test('RESP3 subscribers run any command; pushes arrive between replies', { skip: redisSkip }, async (t) => {
  const pub = await Twin.connect(t, pair, { label: 'publisher' });
  await settle(pub);
  const sub = await Twin.connect(t, pair, { resp: 3 });
  await sub.send(['SUBSCRIBE', 'self'], 1);
  await sub.send(['SET', 'k', 'v']);
  await sub.send(['GET', 'k']);
  await sub.send(['PING']);
  // Publishing to its own channel: the push comes before PUBLISH's reply, as in Redis.
  await sub.send(['PUBLISH', 'self', 'me'], 2);
  await pub.send(['PUBLISH', 'self', 'other']);
  await sub.send(['GET', 'k'], 2);
  await sub.send(['RESET']);
  await pub.send(['PUBLISH', 'self', 'after reset']);
  await sub.quiet();
  await sub.send(['GET', 'k']);
});

t.test('RESET and disconnection leave every subscription', { skip: redisSkip }, async (t) => {
  const pub = await Twin.connect(t, pair, { label: 'publisher' });
  await settle(pub);
  const sub = await Twin.connect(t, pair);
  await sub.send(['SUBSCRIBE', 'a', 'b'], 2);
  await sub.send(['PSUBSCRIBE', 'a*'], 1);
  await sub.send(['SSUBSCRIBE', 's'], 1);
  await sub.send(['RESET']);
  await sub.send(['GET', 'k']);
  await pub.send(['PUBSUB', 'NUMSUB', 'a', 'b']);
  await pub.send(['PUBSUB', 'NUMPAT']);
  await pub.send(['PUBSUB', 'SHARDNUMSUB', 's']);
  await pub.send(['PUBLISH', 'a', 'm']);
  await sub.quiet();

  const gone = await Twin.connect(t, pair);
  await gone.send(['SUBSCRIBE', 'c'], 1);
  await gone.send(['PSUBSCRIBE', 'c*'], 1);
  gone.close();
  await settle(pub);
  await pub.send(['PUBLISH', 'c', 'nobody hears']);
  await pub.send(['PUBSUB', 'NUMSUB', 'c']);
});

t.test('glob patterns as Redis matches them', { skip: redisSkip }, async (t) => {
  const pub = await Twin.connect(t, pair, { label: 'publisher' });
  await settle(pub);
  const patterns = ['*', 'a?c', 'a\\*c', 'a[bc]d', 'a[^b]d', 'a[b-d]e', 'a[d-b]e', 'a[\\]]b', 'a[b', 'ab\\', '[a-', '\\?', '*c*', 'A*', 'x[*]y', '[]]', 'a**b'];
  const channels = ['abc', 'a*c', 'axc', 'abd', 'acd', 'aad', 'ace', 'a]b', 'ab', 'ab\\', 'a-', '?', 'x', 'ccc', 'Abc', 'x*y', ']', 'aXYZb', '', 'a[b'];
  for (const pattern of patterns) {
    const sub = await Twin.connect(t, pair, { label: `PSUBSCRIBE ${pattern}` });
    await sub.send(['PSUBSCRIBE', pattern]);
    for (const channel of channels) {
      await pub.send(['PUBLISH', channel, `to ${channel}`]);
    }
    await pub.send(['PUBSUB', 'CHANNELS', pattern]);
    // Every pattern message this subscriber got, compared in order, then nothing more.
    await drain(t, sub);
    sub.close();
  }
});

/** Compare everything a subscriber received until it falls silent. */
async function drain(t: Test, twin: Twin): Promise<void> {
  for (;;) {
    const r = await twin.redis.readReply(150).then((b) => b.toString('latin1'), () => null);
    const s = await twin.sluice.readReply(150).then((b) => b.toString('latin1'), () => null);
    t.equal(s, r, `${twin.label}: ${r === null ? 'no more messages' : JSON.stringify(r.split('\r\n').at(-2))}`);
    if (r === null || s === null) return;
  }
}

t.test('CLIENT INFO and INFO stats show subscriptions as Redis does', { skip: redisSkip }, async (t) => {
  const pub = await Twin.connect(t, pair, { label: 'publisher' });
  await settle(pub);
  const sub = await Twin.connect(t, pair, { resp: 3 });
  await sub.send(['SUBSCRIBE', 'a', 'b'], 2);
  await sub.send(['PSUBSCRIBE', 'p*'], 1);
  await sub.send(['SSUBSCRIBE', 's1', 's2', 's3'], 3);
  const fields = (info: string) => (/ (flags=\S+) .*( sub=\d+ psub=\d+ ssub=\d+) /.exec(info) ?? []).slice(1).join('');
  const [r, s] = await Promise.all([sub.redis.call('CLIENT', 'INFO'), sub.sluice.call('CLIENT', 'INFO')]);
  t.equal(fields(s.toString()), fields(r.toString()), 'flags=P sub= psub= ssub=');
  const stats = (info: string) => info.split('\r\n').filter((l) => l.startsWith('pubsub')).join(' ');
  const [ri, si] = await Promise.all([pub.redis.call('INFO', 'stats'), pub.sluice.call('INFO', 'stats')]);
  t.equal(stats(si.toString()), stats(ri.toString()), 'INFO stats pubsub_*');
  await sub.send(['RESET']);
  const [r2, s2] = await Promise.all([sub.redis.call('CLIENT', 'INFO'), sub.sluice.call('CLIENT', 'INFO')]);
  t.equal(fields(s2.toString()), fields(r2.toString()), 'after RESET');
});

t.test("PUBSUB HELP is Redis 7.2's text", async (t) => {
  // Not differential: the Redis 7.0.15 under test drops the connection on PUBSUB HELP.
  const sluice = await startSluice();
  t.teardown(() => sluice.stop());
  const c = await RawClient.connect(sluice.port);
  t.teardown(() => c.close());
  const lines = [
    'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    'CHANNELS [<pattern>]',
    "    Return the currently active channels matching a <pattern> (default: '*').",
    'NUMPAT',
    '    Return number of subscriptions to patterns.',
    'NUMSUB [<channel> ...]',
    '    Return the number of subscribers for the specified channels, excluding',
    '    pattern subscriptions(default: no channels).',
    'SHARDCHANNELS [<pattern>]',
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    'SHARDNUMSUB [<shardchannel> ...]',
    '    Return the number of subscribers for the specified shard level channel(s)',
    'HELP',
    '    Print this help.',
  ];
  t.equal((await c.call('PUBSUB', 'HELP')).toString(), `*${lines.length}\r\n${lines.map((l) => `+${l}\r\n`).join('')}`);
  t.equal((await c.call('PUBSUB', 'NOSUCH')).toString(), "-ERR unknown subcommand 'NOSUCH'. Try PUBSUB HELP.\r\n");
});
