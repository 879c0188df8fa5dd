// Replication between Sluice processes on loopback: full and partial resyncs, convergence under
// write load, restarts, histories that differ, and crashes at awkward moments. Replicas are
// compared with their master through DEBUG DIGEST (a hash of the canonical dump) at equal offsets.

import t from 'tap';
import { cmd } from '../persistence/helpers';
import { tempDir } from '../support/servers';
import { rmSync } from 'node:fs';
import { converged, replicaArgs, replInfo, startNode, statsInfo, stopAll, writeLoad, type Node } from './helpers';

t.test('a master and two replicas under write load converge to the same keyspace', async (t) => {
  const master = await startNode();
  let r1: Node | null = null;
  let r2: Node | null = null;
  t.teardown(() => stopAll(r1, r2, master));
  for (let i = 0; i < 200; i++) await cmd(master.client, 'SET', `pre${i}`, `value${i}`);
  const load = writeLoad(master.server.port);
  r1 = await startNode(replicaArgs(master));
  await new Promise((r) => setTimeout(r, 300));
  r2 = await startNode(replicaArgs(master));
  await new Promise((r) => setTimeout(r, 1000));
  const sent = await load.stop();
  t.ok(sent > 0, `${sent} writes sent while the replicas synced`);
  const common = await converged(master, [r1, r2]);
  t.not(common, '0'.repeat(40), 'the same non-empty data set on all three');
  const m = await replInfo(master);
  t.equal(m.get('connected_slaves'), '2');
  t.match(m.get('slave0'), /^ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+$/);
  const s1 = await replInfo(r1);
  t.equal(s1.get('role'), 'slave');
  t.equal(s1.get('master_port'), String(master.server.port));
  t.equal(s1.get('master_replid'), m.get('master_replid'), 'replicas follow the master history');
  // Replicas refuse writes, and ROLE describes each side.
  t.equal((await r1.client.call('SET', 'x', '1')).toString(), "-READONLY You can't write against a read only replica.\r\n");
  const role = (await cmd(r1.client, 'ROLE')) as Array<string | number>;
  t.same(role.slice(0, 4), ['slave', '127.0.0.1', master.server.port, 'connected']);
  const masterRole = (await cmd(master.client, 'ROLE')) as [string, number, string[][]];
  t.equal(masterRole[0], 'master');
  t.equal(masterRole[2].length, 2);
});

t.test('a short disconnect resumes with a partial resync that sends only the missing records', async (t) => {
  const master = await startNode();
  let replica: Node | null = null;
  t.teardown(() => stopAll(replica, master));
  for (let i = 0; i < 100; i++) await cmd(master.client, 'SET', `k${i}`, 'x'.repeat(100));
  replica = await startNode(replicaArgs(master));
  await converged(master, [replica]);
  const before = await statsInfo(master);
  const offsetBefore = Number((await replInfo(master)).get('master_repl_offset'));
  // Cut the link from the master's side and write while the replica is away.
  await cmd(master.client, 'CLIENT', 'KILL', 'TYPE', 'replica');
  for (let i = 0; i < 50; i++) await cmd(master.client, 'SET', `new${i}`, 'y'.repeat(100));
  await converged(master, [replica]);
  const after = await statsInfo(master);
  const offsetAfter = Number((await replInfo(master)).get('master_repl_offset'));
  t.equal(after.get('sync_full'), before.get('sync_full'), 'no full resync');
  t.equal(Number(after.get('sync_partial_ok')), Number(before.get('sync_partial_ok')) + 1, 'one partial resync');
  const sentBytes = Number(after.get('total_net_repl_output_bytes')) - Number(before.get('total_net_repl_output_bytes'));
  const missing = offsetAfter - offsetBefore;
  // The missing records, plus the +CONTINUE line, chunk headers and heartbeats: nothing resent.
  t.ok(sentBytes >= missing && sentBytes < missing + 1024, `sent ${sentBytes} bytes for ${missing} bytes of missing records`);
});

t.test('a restarted replica resumes with a partial resync', async (t) => {
  const master = await startNode();
  const dir = tempDir();
  let replica: Node | null = null;
  t.teardown(async () => {
    await stopAll(replica, master);
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 100; i++) await cmd(master.client, 'RPUSH', 'list', `e${i}`);
  replica = await startNode(replicaArgs(master), dir);
  await converged(master, [replica]);
  // A clean stop keeps the data dir (stop() would remove it: stop the process only).
  replica.client.close();
  replica.server.process.kill('SIGTERM');
  await new Promise((r) => replica!.server.process.once('exit', r));
  replica = null;
  for (let i = 0; i < 20; i++) await cmd(master.client, 'SET', `after${i}`, 'v');
  const before = await statsInfo(master);
  replica = await startNode(replicaArgs(master), dir);
  await converged(master, [replica]);
  const after = await statsInfo(master);
  t.equal(after.get('sync_full'), before.get('sync_full'), 'no full resync after the restart');
  t.equal(Number(after.get('sync_partial_ok')), Number(before.get('sync_partial_ok')) + 1);
  t.equal(await cmd(replica.client, 'LLEN', 'list'), 100);
});

t.test('a replica from a different history gets a full resync and ends equal to its new master', async (t) => {
  const master = await startNode();
  let other: Node | null = null;
  t.teardown(() => stopAll(other, master));
  other = await startNode();
  for (let i = 0; i < 50; i++) await cmd(master.client, 'SET', `m${i}`, 'master');
  for (let i = 0; i < 80; i++) await cmd(other.client, 'SET', `o${i}`, 'other');
  const before = await statsInfo(master);
  t.equal(await cmd(other.client, 'REPLICAOF', '127.0.0.1', String(master.server.port)), 'OK');
  t.equal(await cmd(other.client, 'REPLICAOF', '127.0.0.1', String(master.server.port)), 'OK Already connected to specified master');
  await converged(master, [other]);
  const after = await statsInfo(master);
  t.equal(Number(after.get('sync_full')), Number(before.get('sync_full')) + 1);
  t.equal(Number(after.get('sync_partial_err')), Number(before.get('sync_partial_err')) + 1, 'its own history was refused');
  t.equal(await cmd(other.client, 'GET', 'o1'), null, 'its own data is gone');
  t.equal(await cmd(other.client, 'GET', 'm1'), 'master');
});
