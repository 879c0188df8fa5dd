// Replication between Sluice processes on loopback, continued from replication.test.ts (split so
// that neither file nears tap's per-file time limit on a loaded machine): PSYNC2 after a promotion,
// crashes at awkward moments, and the replication commands' argument errors. Replicas are compared
// with their master through DEBUG DIGEST (a hash of the canonical dump) at equal offsets.

import t from 'tap';
import { cmd, waitFor } from '../persistence/helpers';
import { tempDir } from '../support/servers';
import { RawClient } from '../support/resp';
import { rmSync } from 'node:fs';
import { converged, replicaArgs, replInfo, startNode, statsInfo, stopAll, writeLoad, type Node } from './helpers';

t.test('a promoted replica lets the other replica and the old master continue partially (PSYNC2)', async (t) => {
  const master = await startNode();
  let r1: Node | null = null;
  let r2: Node | null = null;
  t.teardown(() => stopAll(r1, r2, master));
  r1 = await startNode(replicaArgs(master));
  r2 = await startNode(replicaArgs(master));
  for (let i = 0; i < 100; i++) await cmd(master.client, 'SET', `k${i}`, `v${i}`);
  await converged(master, [r1, r2]);
  const oldReplid = (await replInfo(master)).get('master_replid');
  t.equal(await cmd(r1.client, 'REPLICAOF', 'NO', 'ONE'), 'OK');
  const promoted = await replInfo(r1);
  t.equal(promoted.get('role'), 'master');
  t.equal(promoted.get('master_replid2'), oldReplid);
  t.equal(Number(promoted.get('second_repl_offset')), Number(promoted.get('master_repl_offset')) + 1);
  await cmd(r2.client, 'REPLICAOF', '127.0.0.1', String(r1.server.port));
  await cmd(master.client, 'REPLICAOF', '127.0.0.1', String(r1.server.port));
  await cmd(r1.client, 'SET', 'after-failover', '1');
  await converged(r1, [r2, master]);
  const stats = await statsInfo(r1);
  t.equal(stats.get('sync_full'), '0', 'nobody needed a full resync');
  t.equal(stats.get('sync_partial_ok'), '2');
  t.equal(await cmd(master.client, 'GET', 'after-failover'), '1');
});

t.test('a replica killed mid-stream comes back consistent', async (t) => {
  const master = await startNode();
  const dir = tempDir();
  let replica: Node | null = null;
  t.teardown(async () => {
    await stopAll(replica, master);
    rmSync(dir, { recursive: true, force: true });
  });
  replica = await startNode(replicaArgs(master), dir);
  const load = writeLoad(master.server.port, 7);
  await new Promise((r) => setTimeout(r, 800));
  replica.client.close();
  await replica.server.kill();
  replica = null;
  await new Promise((r) => setTimeout(r, 300));
  replica = await startNode(replicaArgs(master), dir);
  await new Promise((r) => setTimeout(r, 500));
  t.ok((await load.stop()) > 0, 'writes went on while the replica was down');
  t.not(await converged(master, [replica]), '0'.repeat(40), 'the same data as the master');
});

t.test('a master killed during a full resync: the replica ends consistent once it is back', async (t) => {
  const masterDir = tempDir();
  let master: Node | null = await startNode(['--appendfsync', 'always'], masterDir);
  const port = master.server.port;
  let replica: Node | null = null;
  t.teardown(async () => {
    await stopAll(replica, master);
    rmSync(masterDir, { recursive: true, force: true });
  });
  // Enough data that the snapshot transfer takes a moment.
  const big = 'z'.repeat(2000);
  for (let batch = 0; batch < 20; batch++) {
    const args: string[] = ['MSET'];
    for (let i = 0; i < 500; i++) args.push(`big${batch}-${i}`, big);
    await cmd(master.client, ...args);
  }
  replica = await startNode(replicaArgs(master));
  await waitFor('the full resync to start', async () => (await replInfo(replica!)).get('master_link_status') !== undefined, 5000);
  master.client.close();
  await master.server.kill();
  master = null;
  // Whatever the replica holds meanwhile, it never claims to be in sync.
  const during = await replInfo(replica);
  t.equal(during.get('master_link_status'), 'down');
  master = await startNode([], masterDir, port);
  await converged(master, [replica]);
  t.equal(await cmd(replica.client, 'DBSIZE'), 10000);
});

t.test('replication commands: REPLCONF, PSYNC and REPLICAOF argument errors', async (t) => {
  const node = await startNode();
  t.teardown(() => stopAll(node));
  const c = node.client;
  t.equal((await c.call('REPLCONF')).toString(), '+OK\r\n');
  t.equal((await c.call('REPLCONF', 'a')).toString(), '-ERR syntax error\r\n');
  t.equal((await c.call('REPLCONF', 'a', 'b')).toString(), '-ERR Unrecognized REPLCONF option: a\r\n');
  t.equal((await c.call('REPLCONF', 'listening-port', 'x')).toString(), '-ERR value is not an integer or out of range\r\n');
  t.equal((await c.call('REPLCONF', 'listening-port', '1234', 'capa', 'eof', 'capa', 'psync2')).toString(), '+OK\r\n');
  // ACK and GETACK are never answered: the next reply is PING's.
  c.write('*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$2\r\n10\r\n*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n');
  t.equal((await c.call('PING')).toString(), '+PONG\r\n');
  t.equal((await c.call('REPLICAOF', '127.0.0.1', 'x')).toString(), '-ERR Invalid master port\r\n');
  t.equal((await c.call('REPLICAOF', 'no', 'two')).toString(), '-ERR Invalid master port\r\n');
  t.equal((await c.call('REPLICAOF', 'no', 'one')).toString(), '+OK\r\n');
  t.equal((await c.call('PSYNC', 'a', 'x')).toString(), '-ERR value is not an integer or out of range\r\n');
  t.same(await cmd(c, 'ROLE'), ['master', 0, []]);
  const other = await RawClient.connect(node.server.port);
  t.teardown(() => other.close());
  // A Redis replica (no "capa sluice") is refused: it could not read Sluice's snapshot.
  t.match((await other.call('PSYNC', '?', '-1')).toString(), /^-ERR Sluice replicates only to Sluice replicas/);
});
