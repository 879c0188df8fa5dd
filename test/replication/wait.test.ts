// WAIT, WAITAOF's replica part, min-replicas-to-write and replica-serve-stale-data, with real
// replicas on loopback, plus the zero-replica answers compared with Redis.

import t from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { encodeCommand } from '../support/resp';
import { cmd, waitFor } from '../persistence/helpers';
import { converged, replicaArgs, replInfo, startNode, stopAll, type Node } from './helpers';

t.test('WAIT without replicas answers as Redis does (WAITAOF is 7.2, newer than the reference Redis)', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  // WAITAOF (Redis 7.2) without replicas: 0 replicas once its timeout passes.
  const sluice = await startNode();
  t.teardown(() => stopAll(sluice));
  const started = Date.now();
  t.same(await cmd(sluice.client, 'WAITAOF', '0', '1', '100'), [1, 0], 'the local log is durable: 1 even though numlocal was 0');
  t.ok(Date.now() - started >= 90, 'WAITAOF waited for its timeout');
  t.same(await cmd(sluice.client, 'WAITAOF', '1', '0', '0'), [1, 0]);
  await pair.check(t, [
    ['SET', 'k', 'v'],
    ['WAIT', '0', '0'],
    ['WAIT', '1', '50'],
    ['WAIT', 'x', '0'],
    ['WAIT', '1', '-1'],
    ['WAIT', '-1', '0'],
  ]);
});

t.test('WAIT counts the replicas that acknowledged the connection\'s last write', async (t) => {
  const master = await startNode();
  let r1: Node | null = null;
  let r2: Node | null = null;
  t.teardown(() => stopAll(r1, r2, master));
  // No replica: WAIT 1 blocks for its timeout, and commands sent after it wait their turn.
  let started = Date.now();
  master.client.write(Buffer.concat([encodeCommand(['WAIT', '1', '300']), encodeCommand(['PING'])]));
  t.equal((await master.client.readReply()).toString(), ':0\r\n');
  t.ok(Date.now() - started >= 290, 'WAIT waited for its timeout');
  t.equal((await master.client.readReply()).toString(), '+PONG\r\n', 'the next command ran after it');

  r1 = await startNode(replicaArgs(master));
  r2 = await startNode(replicaArgs(master));
  await converged(master, [r1, r2]);
  for (let i = 0; i < 20; i++) {
    await cmd(master.client, 'SET', `k${i}`, String(i));
    started = Date.now();
    t.equal(await cmd(master.client, 'WAIT', '2', '5000'), 2);
  }
  t.ok(Date.now() - started < 2000, 'acknowledged quickly');
  t.equal(await cmd(master.client, 'WAIT', '3', '200'), 2, 'only two replicas exist: the timeout answers with 2');
  const aof = (await cmd(master.client, 'WAITAOF', '1', '2', '5000')) as number[];
  t.same(aof, [1, 2], 'durable on the master and in both replicas\' logs');
  t.equal((await r1.client.call('WAIT', '1', '0')).toString().slice(0, 47), '-ERR WAIT cannot be used with replica instances');
  t.match((await r1.client.call('WAITAOF', '0', '1', '0')).toString(), /^-ERR WAITAOF cannot be used with replica instances/);
  // Inside EXEC, WAIT cannot block: the count at once.
  await cmd(master.client, 'MULTI');
  await cmd(master.client, 'WAIT', '5', '0');
  t.same(await cmd(master.client, 'EXEC'), [2]);
});

t.test('min-replicas-to-write refuses writes without enough good replicas', async (t) => {
  const master = await startNode(['--min-replicas-to-write', '1', '--min-replicas-max-lag', '10']);
  let replica: Node | null = null;
  t.teardown(() => stopAll(replica, master));
  t.equal((await master.client.call('SET', 'a', '1')).toString(), '-NOREPLICAS Not enough good replicas to write.\r\n');
  t.equal(await cmd(master.client, 'GET', 'a'), null, 'reads go on');
  replica = await startNode(replicaArgs(master));
  await waitFor('a good replica', async () => (await replInfo(master)).get('min_slaves_good_slaves') === '1');
  t.equal(await cmd(master.client, 'SET', 'a', '1'), 'OK');
  await converged(master, [replica]);
});

t.test('replica-serve-stale-data no: -MASTERDOWN while the link is down', async (t) => {
  let master: Node | null = await startNode();
  let replica: Node | null = null;
  t.teardown(() => stopAll(replica, master));
  replica = await startNode([...replicaArgs(master), '--replica-serve-stale-data', 'no']);
  await cmd(master.client, 'SET', 'k', 'v');
  await converged(master, [replica]);
  t.equal(await cmd(replica.client, 'GET', 'k'), 'v');
  await stopAll(master);
  master = null;
  await waitFor('the link to drop', async () => (await replInfo(replica!)).get('master_link_status') === 'down');
  t.equal(
    (await replica.client.call('GET', 'k')).toString(),
    "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n",
  );
  const fields = await replInfo(replica);
  t.equal(fields.get('master_link_status'), 'down', 'INFO still answers');
  t.ok(Number(fields.get('master_link_down_since_seconds')) >= 0);
  t.same((await cmd(replica.client, 'ROLE')) as unknown[], ['slave', '127.0.0.1', Number(fields.get('master_port')), 'connect', -1]);
});
