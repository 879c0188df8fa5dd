// The client libraries' subscribers against Sluice: ioredis 6 and node-redis 6, each in RESP3
// (their default) and RESP2: channel, pattern and shard subscriptions, messages in order, and
// unsubscribing, as their pub/sub APIs use them.

import Redis from 'ioredis';
import { createClient } from 'redis';
import t from 'tap';
import { startSluice, type RunningServer } from '../support/servers';

let server: RunningServer;
t.before(async () => {
  server = await startSluice();
});
t.teardown(() => server.stop());

/** Resolves with the first `count` items pushed into `into`. */
function collect<T>(into: T[], count: number, timeoutMs = 5000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (into.length >= count) resolve(into.slice(0, count));
      else if (Date.now() - started > timeoutMs) reject(new Error(`only ${into.length} of ${count} messages arrived`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

for (const protocol of [3, 2] as const) {
  t.test(`ioredis subscriber, protocol ${protocol}`, async (t) => {
    const options = { host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, ...(protocol === 2 ? { protocol: 2 as const } : {}) };
    const sub = new Redis(options);
    const pub = new Redis(options);
    t.teardown(() => {
      sub.disconnect();
      pub.disconnect();
    });
    await Promise.all([sub.connect(), pub.connect()]);
    const got: string[] = [];
    sub.on('message', (channel: string, message: string) => got.push(`message ${channel} ${message}`));
    sub.on('pmessage', (pattern: string, channel: string, message: string) => got.push(`pmessage ${pattern} ${channel} ${message}`));
    sub.on('smessage', (channel: string, message: string) => got.push(`smessage ${channel} ${message}`));
    t.equal(await sub.subscribe('news', 'sport'), 2);
    t.equal(await sub.psubscribe('n*'), 3);
    t.equal(await sub.ssubscribe('orders'), 1);
    t.equal(await pub.publish('news', 'one'), 2);
    t.equal(await pub.publish('sport', 'two'), 1);
    t.equal(await pub.spublish('orders', 'three'), 1);
    t.equal(await pub.publish('nothing', 'four'), 1);
    t.same(await collect(got, 5), ['message news one', 'pmessage n* news one', 'message sport two', 'smessage orders three', 'pmessage n* nothing four']);
    t.same((await pub.pubsub('NUMSUB', 'news', 'sport')) as unknown[], ['news', 1, 'sport', 1]);
    t.equal(await pub.pubsub('NUMPAT'), 1);
    await sub.unsubscribe('news');
    await sub.punsubscribe('n*');
    t.equal(await pub.publish('news', 'lost'), 0);
    t.equal(await pub.publish('sport', 'kept'), 1);
    t.same(await collect(got, 6), [...got.slice(0, 5), 'message sport kept']);
  });
}

for (const RESP of [3, 2] as const) {
  t.test(`node-redis subscriber, RESP${RESP}`, async (t) => {
    const options = { socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false as const }, ...(RESP === 2 ? { RESP: 2 as const } : {}) };
    const pub = createClient(options);
    pub.on('error', () => undefined);
    await pub.connect();
    const sub = pub.duplicate();
    sub.on('error', () => undefined);
    await sub.connect();
    t.teardown(() => {
      sub.destroy();
      pub.destroy();
    });
    const got: string[] = [];
    await sub.subscribe(['alerts', 'logs'], (message, channel) => got.push(`${channel}: ${message}`));
    await sub.pSubscribe('log*', (message, channel) => got.push(`log* ${channel}: ${message}`));
    await sub.sSubscribe('shard', (message, channel) => got.push(`s ${channel}: ${message}`));
    t.equal(await pub.publish('alerts', 'disk full'), 1);
    t.equal(await pub.publish('logs', 'line 1'), 2);
    t.equal(await pub.sPublish('shard', 'sharded'), 1);
    t.same(await collect(got, 4), ['alerts: disk full', 'logs: line 1', 'log* logs: line 1', 's shard: sharded']);
    t.same(await pub.pubSubNumSub(['alerts', 'none']), { alerts: 1, none: 0 });
    t.same(await pub.pubSubChannels('a*'), ['alerts']);
    await sub.unsubscribe('alerts');
    await sub.pUnsubscribe();
    await sub.sUnsubscribe();
    t.equal(await pub.publish('alerts', 'unheard'), 0);
    t.equal(await pub.publish('logs', 'line 2'), 1);
    t.same(await collect(got, 5), [...got.slice(0, 4), 'logs: line 2']);
    t.equal(await pub.pubSubNumPat(), 0);
  });
}
