// Transactions as application code uses them: ioredis multi()/exec(), watch() and its null result,
// an EXECABORT with its previous errors; node-redis multi().exec(), WatchError, MultiErrorReply for
// an error inside EXEC, execAsPipeline. The same calls against real Redis and Sluice must give the
// same JavaScript values, over RESP2 and RESP3, and a few are checked against what they must be.

import Redis from 'ioredis';
import { createClient, WatchError } from 'redis';
import t from 'tap';
import { redisSkip } from '../support/differential';
import { startRedis, startSluice, type RunningServer } from '../support/servers';

/** An error as a comparable value. */
function errorValue(err: unknown): string {
  const e = err as Error & { previousErrors?: Error[] };
  const previous = e.previousErrors?.map((p) => p.message).join(' | ');
  return `${e.constructor.name}: ${e.message}${previous !== undefined ? ` (previous: ${previous})` : ''}`;
}

/** Replace errors (and error-valued entries of arrays) by their messages. */
function plain(value: unknown): unknown {
  if (value instanceof Error) return errorValue(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

async function ioredisSession(port: number, protocol: 2 | 3): Promise<Record<string, unknown>> {
  const options = { port, host: '127.0.0.1', protocol, lazyConnect: true, maxRetriesPerRequest: 0 };
  const redis = new Redis(options);
  const other = new Redis(options);
  await Promise.all([redis.connect(), other.connect()]);
  try {
    await redis.flushall();
    const r: Record<string, unknown> = {};
    r.exec = plain(await redis.multi().set('a', '1').incr('a').lpush('a', 'x').get('a').exec());
    r.empty = plain(await redis.multi().exec());
    r.execAbort = await redis.multi().set('b', '1').call('NOSUCHCOMMAND').exec().then(plain, errorValue);
    r.bAfterAbort = await redis.get('b');
    r.arity = await redis.multi().set('b', '1').call('GET').exec().then(plain, errorValue);
    r.watchOk = await redis.watch('k');
    r.watchedUntouched = plain(await redis.multi().set('k', 'mine').exec());
    await redis.watch('k');
    await other.set('k', 'theirs');
    r.watchedTouched = plain(await redis.multi().set('k', 'mine').exec());
    r.kAfter = await redis.get('k');
    await redis.watch('k');
    r.unwatch = await redis.unwatch();
    await other.set('k', 'again');
    r.afterUnwatch = plain(await redis.multi().get('k').exec());
    // An optimistic-locking loop: increment through WATCH/GET/MULTI/SET/EXEC while another client
    // interferes once.
    let attempts = 0;
    for (;;) {
      attempts++;
      await redis.watch('counter');
      const current = Number((await redis.get('counter')) ?? '0');
      if (attempts === 1) await other.incr('counter');
      const result = await redis.multi().set('counter', String(current + 1)).exec();
      if (result !== null) break;
    }
    r.attempts = attempts;
    r.counter = await redis.get('counter');
    r.pipelinedMulti = plain(await redis.pipeline().call('MULTI').set('p', '1').get('p').call('EXEC').exec());
    return r;
  } finally {
    redis.disconnect();
    other.disconnect();
  }
}

async function nodeRedisSession(port: number, RESP: 2 | 3): Promise<Record<string, unknown>> {
  const client = createClient({ socket: { port, host: '127.0.0.1', reconnectStrategy: false }, RESP });
  const other = createClient({ socket: { port, host: '127.0.0.1', reconnectStrategy: false }, RESP });
  await Promise.all([client.connect(), other.connect()]);
  try {
    await client.flushAll();
    const r: Record<string, unknown> = {};
    r.exec = plain(await client.multi().set('a', '1').incr('a').get('a').exec());
    r.runtimeError = await client
      .multi()
      .set('a', 'x')
      .incr('a')
      .get('a')
      .exec()
      .then(plain, (err: Error & { replies?: unknown[]; errorIndexes?: number[] }) => `${errorValue(err)} replies=${JSON.stringify(plain(err.replies))} at=${JSON.stringify(err.errorIndexes)}`);
    r.execAbort = await client.multi().set('b', '1').addCommand(['NOSUCHCOMMAND']).exec().then(plain, errorValue);
    r.watch = await client.watch('k');
    await other.set('k', 'theirs');
    r.watchError = await client.multi().set('k', 'mine').exec().then(plain, (err: unknown) => (err instanceof WatchError ? `WatchError: ${(err as Error).message}` : errorValue(err)));
    r.kAfter = await client.get('k');
    await client.watch('k');
    r.untouched = plain(await client.multi().set('k', 'mine').exec());
    r.asPipeline = plain(await client.multi().set('p', '1').get('p').execAsPipeline());
    return r;
  } finally {
    client.destroy();
    other.destroy();
  }
}

let redis: RunningServer;
let sluice: RunningServer;

t.before(async () => {
  if (redisSkip !== false) return;
  [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
});
t.teardown(async () => {
  await Promise.all([redis?.stop(), sluice?.stop()]);
});

for (const protocol of [2, 3] as const) {
  t.test(`ioredis multi()/watch(), protocol ${protocol}`, { skip: redisSkip }, async (t) => {
    const expected = await ioredisSession(redis.port, protocol);
    const actual = await ioredisSession(sluice.port, protocol);
    t.strictSame(actual, expected, 'the same values as from Redis');
    t.equal(actual.watchedTouched, null, 'a watched key written by another client: exec() gives null');
    t.match(String(actual.execAbort), /EXECABORT Transaction discarded because of previous errors/);
    t.equal(actual.attempts, 2, 'the optimistic loop retried once');
    t.equal(actual.counter, '2');
  });

  t.test(`node-redis multi().exec() and WatchError, RESP${protocol}`, { skip: redisSkip }, async (t) => {
    const expected = await nodeRedisSession(redis.port, protocol);
    const actual = await nodeRedisSession(sluice.port, protocol);
    t.strictSame(actual, expected, 'the same values as from Redis');
    t.match(String(actual.watchError), /^WatchError: /, 'a WatchError when the watched key changed');
    t.strictSame(actual.untouched, ['OK']);
  });
}
