// Replication when histories or offsets do not line up: PSYNC requests naming another history or an
// offset the master never had, histories that split after a promotion, a replica that lags past
// the backlog, and a replica disconnected by client-output-buffer-limit. Each ends with the
// replicas' canonical dump (DEBUG DIGEST) equal to the master's at the same offset.

import t from 'tap';
import { rmSync } from 'node:fs';
import { RawClient } from '../support/resp';
import { tempDir } from '../support/servers';
import { cmd, waitFor } from '../persistence/helpers';
import { converged, replicaArgs, replInfo, startNode, statsInfo, stopAll, type Node } from './helpers';

async function replicaCount(master: Node): Promise<number> {
  return Number((await replInfo(master)).get('connected_slaves'));
}

async function fillStrings(node: Node, prefix: string, count: number, size: number): Promise<void> {
  const value = 'p'.repeat(size);
  for (let i = 0; i < count; i += 50) {
    const args = ['MSET'];
    for (let j = i; j < Math.min(count, i + 50); j++) args.push(`${prefix}${j}`, value);
    await cmd(node.client, ...args);
  }
}
t.test('PSYNC naming another history, or an offset the master never had, gets a full resync', async (t) => {
  const master = await startNode();
  t.teardown(() => stopAll(master));
  await fillStrings(master, 'k', 100, 10);
  const fields = await replInfo(master);
  const replid = fields.get('master_replid')!;
  const end = Number(fields.get('master_repl_offset'));
  const psync = async (id: string, offset: number): Promise<string> => {
    const c = await RawClient.connect(master.server.port);
    try {
      await c.call('REPLCONF', 'capa', 'eof', 'capa', 'psync2', 'capa', 'sluice');
      c.write(`*3\r\n$5\r\nPSYNC\r\n$${id.length}\r\n${id}\r\n$${String(offset).length}\r\n${offset}\r\n`);
      return (await c.readReply()).toString().split('\r\n')[0]!;
    } finally {
      c.close();
    }
  };
  t.equal(await psync(replid, end + 1), `+CONTINUE ${replid}`, 'the same history at its end continues');
  t.equal(await psync(replid, 1), `+CONTINUE ${replid}`, 'from the start (the whole log is kept)');
  t.match(await psync(replid, end + 2), /^\+FULLRESYNC /, 'an offset past the end: that replica has more than the master');
  t.match(await psync('f'.repeat(40), end + 1), /^\+FULLRESYNC /, 'another history at the same offset');
  t.match(await psync('?', -1), /^\+FULLRESYNC /);
});

t.test('histories split after a promotion: rejoining either way is a full resync, never a divergent replica', async (t) => {
  const a = await startNode();
  let b: Node | null = null;
  t.teardown(() => stopAll(b, a));
  b = await startNode(replicaArgs(a));
  await fillStrings(a, 'shared', 100, 20);
  await converged(a, [b]);
  // b is promoted while a goes on as a master too: two histories from one offset.
  t.equal(await cmd(b.client, 'REPLICAOF', 'NO', 'ONE'), 'OK');
  await cmd(a.client, 'SET', 'only-a', 'x'.repeat(30));
  await cmd(b.client, 'SET', 'only-b', 'y');
  await cmd(b.client, 'SET', 'only-b2', 'y');
  // a rejoins b: b knows a's old id as its replid2, but only up to the split, and a wrote past it.
  const before = await statsInfo(b);
  await cmd(a.client, 'REPLICAOF', '127.0.0.1', String(b.server.port));
  await converged(b, [a]);
  const after = await statsInfo(b);
  t.equal(Number(after.get('sync_full')), Number(before.get('sync_full')) + 1, 'a full resync');
  t.equal(await cmd(a.client, 'GET', 'only-a'), null, "a's own write after the split is gone");
  t.equal(await cmd(a.client, 'GET', 'only-b'), 'y');
});

t.test('a replica that lags past the backlog gets a full resync', async (t) => {
  const master = await startNode(['--segment-bytes', '16kb', '--repl-backlog-size', '16kb']);
  const dir = tempDir();
  let replica: Node | null = null;
  t.teardown(async () => {
    await stopAll(replica, master);
    rmSync(dir, { recursive: true, force: true });
  });
  replica = await startNode(replicaArgs(master), dir);
  await fillStrings(master, 'early', 50, 100);
  await converged(master, [replica]);
  const replicaOffset = Number((await replInfo(replica)).get('slave_repl_offset'));
  replica.client.close();
  replica.server.process.kill('SIGTERM');
  await new Promise((r) => replica!.server.process.once('exit', r));
  replica = null;
  // Far more than the backlog, then a snapshot: the log before it goes.
  await fillStrings(master, 'late', 400, 500);
  t.equal(await cmd(master.client, 'BGSAVE'), 'Background saving started');
  await waitFor(
    'the log the replica needs to be gone',
    async () => Number((await replInfo(master)).get('repl_backlog_first_byte_offset')) > replicaOffset + 1,
    15000,
  );
  const before = await statsInfo(master);
  replica = await startNode(replicaArgs(master), dir);
  await converged(master, [replica]);
  const after = await statsInfo(master);
  t.equal(Number(after.get('sync_full')), Number(before.get('sync_full')) + 1, 'a full resync');
  t.equal(Number(after.get('sync_partial_err')), Number(before.get('sync_partial_err')) + 1, 'its partial resync was refused');
  t.equal(await cmd(replica.client, 'DBSIZE'), 450);
});

t.test('client-output-buffer-limit replica: a replica that does not read is dropped, then resumes', async (t) => {
  const master = await startNode(['--client-output-buffer-limit', 'replica 2mb 1mb 1']);
  let replica: Node | null = null;
  t.teardown(async () => {
    if (replica !== null && replica.server.process.exitCode === null) replica.server.process.kill('SIGCONT');
    await stopAll(replica, master);
  });
  replica = await startNode(replicaArgs(master));
  await converged(master, [replica]);
  const before = await statsInfo(master);
  // A stopped process reads nothing: once the kernel's socket buffers are full, the master's
  // pending output for it grows past the limit.
  replica.server.process.kill('SIGSTOP');
  const value = 'v'.repeat(100_000);
  for (let i = 0; i < 250; i++) await cmd(master.client, 'SET', `big${i % 50}`, value);
  await waitFor('the master to drop the replica', async () => (await replicaCount(master)) === 0, 15000);
  t.match(master.server.output(), /overcoming of output buffer limits/, 'logged as Redis logs it');
  replica.server.process.kill('SIGCONT');
  await converged(master, [replica]);
  const after = await statsInfo(master);
  t.equal(after.get('sync_full'), before.get('sync_full'), 'the log was kept: a partial resync');
  t.ok(Number(after.get('sync_partial_ok')) > Number(before.get('sync_partial_ok')));
});
