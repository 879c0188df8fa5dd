// What redis-sentinel reads from and sends to a monitored server, checked against real Redis:
// INFO replication's fields (names and order, for a master with a replica and for the replica),
// the reconfiguration transaction Sentinel sends (MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL TYPE
// normal and pubsub, EXEC), and CONFIG REWRITE persisting REPLICAOF in the config file.

import t from 'tap';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';
import { freePort, startRedis, startSluice, tempDir, type RunningServer } from '../support/servers';
import { cmd, decode, info, waitFor, type Value } from '../persistence/helpers';
import { BASE_ARGS } from './helpers';

/** INFO replication's field names, with slaveN's value reduced to its keys. */
async function fieldShape(port: number): Promise<string[]> {
  const client = await RawClient.connect(port);
  try {
    const fields = await info(client, 'replication');
    return [...fields].map(([name, value]) => (/^slave\d+$/.test(name) ? `${name}:${value.replace(/=[^,]*/g, '=')}` : name));
  } finally {
    client.close();
  }
}

/**
 * ROLE without what depends on timing or on the log: a replica's link state (Redis's and Sluice's
 * connection attempts run on their own clocks) and a master's offset (Sluice's is its log's end,
 * which the harness's FLUSHALL moved; Redis's stays 0 without a backlog).
 */
function roleShape(reply: Buffer): string {
  const role = decode(reply) as Value[];
  if (role[0] === 'slave') return JSON.stringify(role.slice(0, 3));
  return JSON.stringify([role[0], typeof role[1], role[2]]);
}

async function linkUp(port: number): Promise<boolean> {
  const client = await RawClient.connect(port);
  try {
    return (await info(client, 'replication')).get('master_link_status') === 'up';
  } finally {
    client.close();
  }
}

t.test('INFO replication has the fields Redis shows, in its order (master and replica)', { skip: redisSkip }, async (t) => {
  const servers: RunningServer[] = [];
  t.teardown(async () => {
    for (const s of servers.reverse()) await s.stop();
  });
  const redisMaster = await startRedis();
  servers.push(redisMaster);
  const redisReplica = await startRedis(['--replicaof', '127.0.0.1', String(redisMaster.port)]);
  servers.push(redisReplica);
  const sluiceMaster = await startSluice(BASE_ARGS);
  servers.push(sluiceMaster);
  const sluiceReplica = await startSluice([...BASE_ARGS, '--replicaof', '127.0.0.1', String(sluiceMaster.port)]);
  servers.push(sluiceReplica);
  await waitFor('both replicas to be up', async () => (await linkUp(redisReplica.port)) && (await linkUp(sluiceReplica.port)), 20000);
  t.same(await fieldShape(sluiceMaster.port), await fieldShape(redisMaster.port), 'master');
  t.same(await fieldShape(sluiceReplica.port), await fieldShape(redisReplica.port), 'replica');
  // Sentinel also reads run_id (INFO server): 40 hex characters.
  const client = await RawClient.connect(sluiceReplica.port);
  t.teardown(() => client.close());
  t.match((await info(client, 'server')).get('run_id'), /^[0-9a-f]{40}$/);
  // With the link down, master_link_down_since_seconds appears (Sentinel's master-link-down-time).
  await cmd(client, 'REPLICAOF', '127.0.0.1', String(await freePort()));
  const down = await info(client, 'replication');
  t.equal(down.get('master_link_status'), 'down');
  t.match(down.get('master_link_down_since_seconds'), /^-?\d+$/);
});

t.test("Sentinel's reconfiguration transaction answers as in Redis", { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start({ sluiceArgs: BASE_ARGS });
  t.teardown(() => pair.stop());
  const nowhere = String(await freePort());
  await pair.check(t, [
    ['MULTI'],
    ['SLAVEOF', '127.0.0.1', nowhere],
    ['CONFIG', 'REWRITE'],
    ['CLIENT', 'KILL', 'TYPE', 'normal'],
    ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
    ['EXEC'],
    { cmd: ['ROLE'], mask: roleShape },
    ['MULTI'],
    ['SLAVEOF', 'NO', 'ONE'],
    ['CONFIG', 'REWRITE'],
    ['CLIENT', 'KILL', 'TYPE', 'normal'],
    ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
    ['EXEC'],
    { cmd: ['ROLE'], mask: roleShape },
  ]);
  // Sluice has no scripting: SCRIPT (which Sentinel sends only to an instance answering -BUSY,
  // something only a running script causes) is an unknown command, as in a server without it.
  const client = await RawClient.connect(pair.sluice.port);
  t.teardown(() => client.close());
  t.equal((await client.call('SCRIPT', 'KILL')).toString(), "-ERR unknown command 'SCRIPT', with args beginning with: 'KILL' \r\n");
});

t.test('CONFIG REWRITE writes REPLICAOF into the config file, and removes it after REPLICAOF NO ONE', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'sluice.conf');
  writeFileSync(file, '# my config\nport 1\nreplicaof 127.0.0.1 9\nappendfsync everysec\n');
  const server = await startSluice(BASE_ARGS, { configFile: file });
  const client = await RawClient.connect(server.port);
  t.teardown(async () => {
    client.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const elsewhere = String(await freePort());
  t.equal(await cmd(client, 'REPLICAOF', '127.0.0.1', elsewhere), 'OK');
  t.equal(await cmd(client, 'CONFIG', 'REWRITE'), 'OK');
  const asReplica = readFileSync(file, 'utf8');
  t.match(asReplica, new RegExp(`^# my config\\n[^]*^replicaof 127\\.0\\.0\\.1 ${elsewhere}\\nappendfsync everysec\\n`, 'm'), 'rewritten in place');
  t.equal(asReplica.match(/^replicaof /gm)?.length, 1);
  t.equal(await cmd(client, 'REPLICAOF', 'NO', 'ONE'), 'OK');
  t.equal(await cmd(client, 'CONFIG', 'REWRITE'), 'OK');
  const asMaster = readFileSync(file, 'utf8');
  t.notMatch(asMaster, /replicaof/, 'a master keeps no replicaof line');
  t.match(asMaster, /^appendfsync everysec$/m, 'the other lines stay');
});
