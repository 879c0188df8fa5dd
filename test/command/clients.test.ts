// COMMAND's replies through the client libraries: node-redis parses COMMAND entries (and builds its
// cluster routing policies from them), ioredis hands them back raw. Both must take Sluice's full
// COMMAND / COMMAND DOCS replies, in RESP2 and RESP3, and read them as they read Redis's.

import Redis from 'ioredis';
import { createClient } from 'redis';
import { DynamicPolicyResolverFactory } from '@redis/client/dist/lib/command-metadata';
import t from 'tap';
import { commandTable } from '../../commands/table';
import { redisSkip } from '../support/differential';
import { startRedis, startSluice, type RunningServer } from '../support/servers';

/** A command the installed Redis 7.0 describes exactly as Sluice (7.2) does, to compare parsed entries. */
const STABLE = ['ping', 'get', 'set', 'del', 'mget', 'command|info'];

function nodeRedis(server: RunningServer, RESP: 2 | 3) {
  const client = createClient({
    socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false },
    ...(RESP === 2 ? { RESP: 2 } : {}),
  });
  client.on('error', () => undefined);
  return client;
}

for (const RESP of [2, 3] as const) {
  t.test(`node-redis RESP${RESP} parses COMMAND, COMMAND INFO/DOCS/LIST/GETKEYS`, { skip: redisSkip }, async (t) => {
    const [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
    t.teardown(() => Promise.all([redis.stop(), sluice.stop()]));
    const [r, s] = [nodeRedis(redis, RESP), nodeRedis(sluice, RESP)];
    await Promise.all([r.connect(), s.connect()]);
    t.teardown(() => (r.destroy(), s.destroy()));

    const all = await s.command();
    t.equal(all.length, commandTable().size, 'client.command() reads every entry');
    t.equal(await s.commandCount(), commandTable().size);
    // Cluster clients build their request routing from this reply.
    const resolver = await DynamicPolicyResolverFactory.create(() => s.command());
    t.ok(resolver, 'routing policies build from Sluice COMMAND');

    const names = STABLE.filter((n) => commandTable().has(n.split('|')[0]!));
    const [ours, theirs] = await Promise.all([s.commandInfo([...names, 'nosuch']), r.commandInfo([...names, 'nosuch'])]);
    t.same(ours, theirs, `commandInfo(${names.join(', ')}, nosuch) parses as Redis's does`);

    const docs = await s.commandDocs(['ping', 'command|info']);
    t.ok(docs !== null && typeof docs === 'object', 'commandDocs parses');
    t.same(await s.commandList({ FILTERBY: { type: 'PATTERN', value: 'command|*' } }).then((l) => [...l].sort()),
      await r.commandList({ FILTERBY: { type: 'PATTERN', value: 'command|*' } }).then((l) => [...l].sort()));
    t.same(await s.commandGetKeys(['mget', 'a', 'b']), await r.commandGetKeys(['mget', 'a', 'b']));
    t.same(await s.commandGetKeysAndFlags(['set', 'k', 'v', 'GET']), await r.commandGetKeysAndFlags(['set', 'k', 'v', 'GET']));
  });
}

for (const protocol of [2, 3] as const) {
  t.test(`ioredis protocol ${protocol} reads COMMAND and COMMAND DOCS`, async (t) => {
    const sluice = await startSluice();
    t.teardown(() => sluice.stop());
    const client = new Redis({ host: '127.0.0.1', port: sluice.port, lazyConnect: true, maxRetriesPerRequest: 0, protocol });
    t.teardown(() => client.disconnect());
    await client.connect();
    const all = (await client.call('COMMAND')) as unknown[];
    t.equal(all.length, commandTable().size, 'COMMAND: one entry per command');
    const entry = all.find((e) => Array.isArray(e) && e[0] === 'command') as unknown[];
    t.equal(entry.length, 10, 'an entry has the 10 fields of Redis 7');
    t.equal(entry[1], -1, 'arity');
    t.equal(await client.command('COUNT'), commandTable().size);
    const docs = await client.call('COMMAND', 'DOCS', 'command');
    t.ok(docs !== null && typeof docs === 'object', 'COMMAND DOCS parses');
    t.same(await client.call('COMMAND', 'INFO', 'nosuch'), [null], 'unknown names are null');
  });
}
