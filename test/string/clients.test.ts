// The string commands as application code sees them through ioredis, over RESP2 and RESP3: the same
// calls against real Redis and Sluice must give the same JavaScript values, and a few are also
// checked against what they must be (binary round trips, exact big integers, TTLs).

import t from 'tap';
import Redis from 'ioredis';
import { startRedis, startSluice, type RunningServer } from '../support/servers';
import { redisSkip } from '../support/differential';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** Run the same application-level calls against a server and return everything they returned. */
async function session(port: number, protocol: 2 | 3): Promise<Record<string, unknown>> {
  const redis = new Redis({ port, host: '127.0.0.1', protocol, ...(protocol === 3 ? { replyMapping: 'resp3' as const } : {}), lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis.connect();
  try {
    await redis.flushall();
    const r: Record<string, unknown> = {};
    r.set = await redis.set('k', 'v');
    r.get = await redis.get('k');
    r.setGet = await redis.set('k', 'w', 'GET');
    r.setNx = await redis.set('k', 'x', 'NX');
    r.setXxGet = await redis.set('k', 'y', 'XX', 'GET');
    r.setEx = await redis.set('ttl', 'v', 'EX', 100);
    r.ttlAfterSetEx = Math.ceil((await redis.pttl('ttl')) / 10000);
    r.keepTtl = await redis.set('ttl', 'w', 'KEEPTTL');
    r.ttlAfterKeep = Math.ceil((await redis.pttl('ttl')) / 10000);
    r.getexPersist = await redis.getex('ttl', 'PERSIST');
    r.ttlAfterPersist = await redis.pttl('ttl');
    r.getexPx = await redis.getex('ttl', 'PX', 50000);
    r.ttlAfterGetex = Math.ceil((await redis.pttl('ttl')) / 10000);
    r.getexPastExat = await redis.getex('ttl', 'EXAT', 1);
    r.afterPastExat = await redis.get('ttl');
    r.setBinary = await redis.set(Buffer.from([0, 255, 13, 10]), ALL_BYTES);
    r.getBinary = (await redis.getBuffer(Buffer.from([0, 255, 13, 10])))?.equals(ALL_BYTES);
    r.mset = await redis.mset({ a: '1', b: '2', c: '3' });
    r.mget = await redis.mget('a', 'missing', 'c');
    r.msetnx = await redis.msetnx('c', '9', 'd', '4');
    r.msetnxNew = await redis.msetnx('d', '4', 'e', '5');
    r.getset = await redis.getset('a', '10');
    r.getdel = await redis.getdel('a');
    r.getdelMissing = await redis.getdel('a');
    r.incr = await redis.incr('n');
    r.incrby = await redis.incrby('n', 41);
    r.decrby = await redis.decrby('n', 2);
    r.decr = await redis.decr('n');
    r.incrbyfloat = await redis.incrbyfloat('f', '0.1');
    r.incrbyfloat2 = await redis.incrbyfloat('f', '0.2');
    r.append = await redis.append('s', 'Hello');
    r.append2 = await redis.append('s', ' World');
    r.strlen = await redis.strlen('s');
    r.getrange = await redis.getrange('s', -5, -1);
    r.setrange = await redis.setrange('s', 6, 'Redis');
    r.afterSetrange = await redis.get('s');
    r.lcs = await redis.lcs('s', 'b');
    await redis.mset('key1', 'ohmytext', 'key2', 'mynewtext');
    r.lcsIdx = await redis.call('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '2', 'WITHMATCHLEN');
    r.lcsLen = await redis.lcs('key1', 'key2', 'LEN');
    r.overflow = await redis.incrby('n', '9223372036854775807').catch((e: Error) => e.message);
    r.syntax = await redis.call('SET', 'k', 'v', 'NX', 'XX').catch((e: Error) => e.message);
    r.badExpire = await redis.set('k', 'v', 'EX', 0).catch((e: Error) => e.message);
    r.notFloat = await redis.incrbyfloat('s', '1').catch((e: Error) => e.message);
    // A pipeline of the benchmarked commands.
    const pipeline = redis.pipeline();
    for (let i = 0; i < 50; i++) pipeline.set(`p${i}`, String(i)).incr(`p${i}`).get(`p${i}`);
    r.pipeline = await pipeline.exec();
    return r;
  } finally {
    redis.disconnect();
  }
}

/** Big integers must come back exact: read them as strings. */
async function bigNumbers(port: number): Promise<unknown[]> {
  const redis = new Redis({ port, host: '127.0.0.1', stringNumbers: true, lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis.connect();
  try {
    await redis.set('big', '9007199254740993');
    return [
      await redis.incr('big'),
      await redis.incrby('big', '9214364837600034000'),
      await redis.incrby('big', '813'),
      await redis.incr('big').catch((e: Error) => e.message),
      await redis.decrby('big', '9223372036854775807'),
      await redis.get('big'),
    ];
  } finally {
    redis.disconnect();
  }
}

t.test('ioredis sees the same values from Sluice as from Redis', { skip: redisSkip }, async (t) => {
  let redisServer: RunningServer | null = null;
  let sluiceServer: RunningServer | null = null;
  t.teardown(async () => {
    await Promise.all([redisServer?.stop(), sluiceServer?.stop()]);
  });
  [redisServer, sluiceServer] = await Promise.all([startRedis(), startSluice()]);

  for (const protocol of [2, 3] as const) {
    const expected = await session(redisServer.port, protocol);
    const actual = await session(sluiceServer.port, protocol);
    t.same(actual, expected, `RESP${protocol}: every call returns what Redis returns`);
    t.equal(actual.getBinary, true, `RESP${protocol}: all 256 byte values round-trip`);
    t.equal(actual.incrbyfloat2, '0.3', `RESP${protocol}: INCRBYFLOAT prints long double digits`);
    t.equal(actual.afterPastExat, null, `RESP${protocol}: GETEX EXAT in the past deletes the key`);
    t.equal(actual.ttlAfterPersist, -1, `RESP${protocol}: GETEX PERSIST removes the TTL`);
  }

  const big = await bigNumbers(sluiceServer.port);
  t.same(big, await bigNumbers(redisServer.port), 'big integers match Redis');
  t.same(
    big,
    ['9007199254740994', '9223372036854774994', '9223372036854775807', 'ERR increment or decrement would overflow', '0', '0'],
    'integers beyond 2^53 are exact',
  );
});
