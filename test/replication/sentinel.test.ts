// Failover run by real redis-sentinel: three sentinels (quorum 2) watch a Sluice master and two
// Sluice replicas; the master is killed with SIGKILL while an ioredis client (configured with the
// sentinels) writes, confirming each batch with WAIT 1. Sentinel promotes a replica, ioredis finds
// it, no confirmed write is missing there, and the old master, restarted, is turned into a replica
// of the new one by Sentinel and converges. Skipped without redis-sentinel.

import t from 'tap';
import Redis from 'ioredis';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawClient } from '../support/resp';
import { freePort, startSluice, tempDir } from '../support/servers';
import { pairs, sentinelSkip, startSentinel, type RunningSentinel } from '../support/sentinel';
import { cmd, waitFor } from '../persistence/helpers';
import { BASE_ARGS, converged, replInfo, stopAll, type Node } from './helpers';

const MASTER_NAME = 'mymaster';

/** A Sluice server started with a config file (Sentinel's CONFIG REWRITE writes into it). */
async function startWithConfig(file: string, dir: string, port?: number): Promise<Node> {
  const server = await startSluice(BASE_ARGS, { configFile: file, dir, ...(port === undefined ? {} : { port }) });
  return { server, client: await RawClient.connect(server.port) };
}

/** Sentinel's reconfiguration ends with CLIENT KILL TYPE normal: the test's own connection too. */
async function reconnect(node: Node): Promise<Node> {
  node.client.close();
  node.client = await RawClient.connect(node.server.port);
  return node;
}

/**
 * INFO replication on a connection of its own. Sentinel's reconfiguration ends with CLIENT KILL
 * TYPE normal, which may close that connection between request and reply: ask again then.
 */
async function replInfoNow(node: Node): Promise<Map<string, string>> {
  for (let attempt = 1; ; attempt++) {
    const client = await RawClient.connect(node.server.port);
    try {
      return await replInfo({ server: node.server, client });
    } catch (err) {
      if (attempt >= 5 || !/connection closed/.test((err as Error).message)) throw err;
    } finally {
      client.close();
    }
  }
}

t.test('redis-sentinel fails a Sluice master over; no WAIT-confirmed write is lost', { skip: sentinelSkip }, async (t) => {
  const base = tempDir('sluice-failover-');
  const files = (name: string) => {
    const dir = join(base, name);
    mkdirSync(dir);
    return { dir, conf: join(base, `${name}.conf`) };
  };
  const m = files('master');
  const r1f = files('replica1');
  const r2f = files('replica2');
  const masterPort = await freePort();
  writeFileSync(m.conf, `# master\n`);
  let master: Node | null = await startWithConfig(m.conf, m.dir, masterPort);
  writeFileSync(r1f.conf, `replicaof 127.0.0.1 ${masterPort}\n`);
  writeFileSync(r2f.conf, `replicaof 127.0.0.1 ${masterPort}\n`);
  const r1 = await startWithConfig(r1f.conf, r1f.dir);
  const r2 = await startWithConfig(r2f.conf, r2f.dir);
  const sentinels: RunningSentinel[] = [];
  let redis: Redis | null = null;
  let running = true;
  t.teardown(async () => {
    running = false;
    redis?.disconnect();
    for (const s of sentinels) await s.stop();
    await stopAll(r1, r2, master);
    rmSync(base, { recursive: true, force: true });
  });
  for (let i = 0; i < 100; i++) await cmd(master.client, 'SET', `pre${i}`, `${i}`);
  await converged(master, [r1, r2]);

  for (let i = 0; i < 3; i++) {
    sentinels.push(
      await startSentinel({ masterName: MASTER_NAME, masterPort, quorum: 2, downAfterMs: 2000, failoverTimeoutMs: 6000 }),
    );
  }
  // Each sentinel must know both replicas (INFO's slaveN lines) and the two other sentinels
  // (__sentinel__:hello messages through Sluice's pub/sub) before a failover can be agreed.
  await waitFor(
    'the sentinels to discover the replicas and each other',
    async () => {
      for (const s of sentinels) {
        const state = pairs(await s.call('SENTINEL', 'MASTER', MASTER_NAME));
        if (state.get('num-slaves') !== '2' || state.get('num-other-sentinels') !== '2' || state.get('flags') !== 'master') return false;
      }
      return true;
    },
    20000,
  );

  redis = new Redis({
    sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    name: MASTER_NAME,
    // A command in flight when the connection drops fails rather than being sent again to the
    // next master: a WAIT resent alone would confirm SETs the old master ran.
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
    sentinelRetryStrategy: () => 100,
  });
  redis.on('error', () => {});
  const client = redis;

  // Batches of SETs, each confirmed by WAIT 1 in the same pipeline.
  const confirmed = new Map<string, string>();
  let failedBatches = 0;
  let next = 0;
  const writer = (async () => {
    while (running) {
      const pipeline = client.pipeline();
      const keys: string[] = [];
      for (let i = 0; i < 20; i++, next++) {
        keys.push(`w${next}`);
        pipeline.set(`w${next}`, `value-${next}`);
      }
      pipeline.call('WAIT', '1', '500');
      try {
        const results = await pipeline.exec();
        const replies = (results ?? []).map(([err, value]) => (err === null ? value : err));
        const acked = replies[keys.length];
        if (replies.slice(0, keys.length).every((r) => r === 'OK') && typeof acked === 'number' && acked >= 1) {
          for (const k of keys) confirmed.set(k, `value-${k.slice(1)}`);
        } else {
          failedBatches++;
        }
      } catch {
        failedBatches++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  })();

  await waitFor('writes confirmed before the crash', () => confirmed.size >= 2000, 20000);
  const beforeCrash = confirmed.size;
  master.client.close();
  await master.server.kill();
  master = null;

  const replicaPorts = [r1.server.port, r2.server.port];
  let newPort = 0;
  await waitFor(
    'the sentinels to promote a replica',
    async () => {
      for (const s of sentinels) {
        const addr = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)).toString();
        const port = Number(/\r\n(\d+)\r\n$/.exec(addr)?.[1]);
        if (!replicaPorts.includes(port)) return false;
        newPort = port;
      }
      return true;
    },
    30000,
  );
  const promoted = newPort === r1.server.port ? r1 : r2;
  const other = promoted === r1 ? r2 : r1;
  t.equal((await replInfoNow(promoted)).get('role'), 'master', 'the promoted replica is a master');
  // ioredis asks the sentinels and reaches the new master: writes are confirmed there again.
  const atSwitch = confirmed.size;
  await waitFor('writes confirmed on the new master', () => confirmed.size >= atSwitch + 400, 30000);
  running = false;
  await writer;
  t.ok(confirmed.size > beforeCrash, `${confirmed.size} writes confirmed (${beforeCrash} before the crash), ${failedBatches} batches failed or unconfirmed`);

  await reconnect(promoted);
  const keys = [...confirmed.keys()];
  let missing = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const values = (await cmd(promoted.client, 'MGET', ...chunk)) as Array<string | null>;
    chunk.forEach((k, j) => {
      if (values[j] !== confirmed.get(k)) missing++;
    });
  }
  t.equal(missing, 0, `every WAIT-confirmed write is on the new master (${keys.length} checked)`);
  await waitFor(
    'the other replica to follow the new master',
    async () => (await replInfoNow(other)).get('master_port') === String(newPort),
    20000,
  );
  t.notMatch(readFileSync(join(base, promoted === r1 ? 'replica1.conf' : 'replica2.conf'), 'utf8'), /replicaof/, "CONFIG REWRITE removed the promoted replica's replicaof line");

  // The old master comes back as a master with its own history; Sentinel turns it into a replica.
  master = await startWithConfig(m.conf, m.dir, masterPort);
  const oldMaster = master;
  await waitFor(
    'Sentinel to reconfigure the old master as a replica',
    async () => {
      const fields = await replInfoNow(oldMaster);
      return fields.get('role') === 'slave' && fields.get('master_port') === String(newPort);
    },
    40000,
  );
  for (const node of [promoted, other, oldMaster]) await reconnect(node);
  const common = await converged(promoted, [other, oldMaster], 40000);
  t.not(common, '0'.repeat(40), 'old master, other replica and new master hold the same data');
  t.match(readFileSync(m.conf, 'utf8'), new RegExp(`^replicaof 127\\.0\\.0\\.1 ${newPort}$`, 'm'), "CONFIG REWRITE persisted the old master's replicaof");
  const oldMasterView = pairs(await sentinels[0]!.call('SENTINEL', 'MASTER', MASTER_NAME));
  t.equal(oldMasterView.get('port'), String(newPort));
});
