// maxmemory: above the limit, commands flagged denyoom are refused with Redis's -OOM error while
// reads, deletes and admin commands keep working; lifting the limit lets writes through again.
// Sluice never evicts (server/memory.ts): every policy acts as noeviction, and nothing is lost.

import t from 'tap';
import pino from 'pino';
import { Config } from '../../server/config';
import { MemoryLimit } from '../../server/memory';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const quiet = pino({ level: 'silent' });

t.test('MemoryLimit measures at most every 10 ms below the limit, and on every check above it', (t) => {
  const config = new Config();
  let used = 100;
  let measured = 0;
  const limit = new MemoryLimit(config, quiet, () => {
    measured++;
    return used;
  });
  t.equal(limit.exceeded(() => 0), false, 'maxmemory 0: no limit');
  t.equal(measured, 0, 'and nothing measured');

  t.equal(config.setMany([['maxmemory', '150']]), null);
  t.equal(limit.exceeded(() => 1000), false);
  t.equal(limit.exceeded(() => 1005), false);
  t.equal(measured, 1, 'one sample serves for 10 ms');
  used = 200;
  t.equal(limit.exceeded(() => 1009), false, 'a stale-but-fresh sample still says below');
  t.equal(limit.exceeded(() => 1010), true, 'the next sample sees the growth');
  used = 120;
  t.equal(limit.exceeded(() => 1011), false, 'above the limit every check measures: freed memory is seen at once');
  t.equal(measured, 3);
  t.equal(config.setMany([['maxmemory', '0']]), null);
  used = 10_000;
  t.equal(limit.exceeded(() => 2000), false, 'lifting the limit takes effect at once');
  t.end();
});

t.test('above maxmemory: the same replies as Redis with noeviction', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const script: Step[] = [
    ['SET', 'kept', 'v'],
    ['RPUSH', 'queue', 'a', 'b'],
    ['CONFIG', 'SET', 'maxmemory', '1'],
    ['SET', 'k', 'v'],
    ['APPEND', 'kept', 'more'],
    ['RPUSH', 'queue', 'c'],
    ['INCR', 'n'],
    ['GET', 'kept'],
    ['LRANGE', 'queue', '0', '-1'],
    ['LPOP', 'queue'],
    ['EXPIRE', 'kept', '100'],
    ['PERSIST', 'kept'],
    ['DEL', 'kept'],
    ['PING'],
    ['CONFIG', 'SET', 'maxmemory', '0'],
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['DEL', 'k', 'queue'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });
});

t.test('INFO and CONFIG: refused writes are counted, every policy keeps the data', async (t) => {
  const server = await startSluice(['--maxmemory-policy', 'allkeys-lru']);
  t.teardown(() => server.stop());
  const client = await RawClient.connect(server.port);
  t.teardown(() => client.close());
  for (let i = 0; i < 100; i++) t.equal((await client.call('SET', `key:${i}`, 'v')).toString(), '+OK\r\n');
  t.equal((await client.call('CONFIG', 'SET', 'maxmemory', '1mb')).toString(), '+OK\r\n');
  t.equal(
    (await client.call('SET', 'one-more', 'v')).toString(),
    "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    'allkeys-lru refuses as noeviction does',
  );
  t.equal((await client.call('DBSIZE')).toString(), ':100\r\n', 'no key was evicted');
  const stats = (await client.call('INFO', 'commandstats')).toString();
  t.match(stats, /cmdstat_set:calls=100,.*rejected_calls=1,failed_calls=0/);
  t.match(server.output(), /maxmemory-policy allkeys-lru acts as noeviction/, 'the policy is logged as acting as noeviction');
  t.equal((await client.call('CONFIG', 'SET', 'maxmemory', '0')).toString(), '+OK\r\n');
  t.equal((await client.call('SET', 'one-more', 'v')).toString(), '+OK\r\n');
});
