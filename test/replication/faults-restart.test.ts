// Replication across restarts: a replica killed with SIGKILL mid-stream and restarted continues
// with a partial resync from its own log, and ends with the same canonical dump (DEBUG DIGEST) as
// the master at the same offset.

import t from 'tap';
import { rmSync } from 'node:fs';
import { tempDir } from '../support/servers';
import { converged, replicaArgs, startNode, statsInfo, stopAll, writeLoad, type Node } from './helpers';

t.test('a replica killed mid-stream and restarted continues with a partial resync', async (t) => {
  const master = await startNode();
  const dir = tempDir();
  let replica: Node | null = null;
  t.teardown(async () => {
    await stopAll(replica, master);
    rmSync(dir, { recursive: true, force: true });
  });
  replica = await startNode(replicaArgs(master), dir);
  await converged(master, [replica]);
  const before = await statsInfo(master);
  const load = writeLoad(master.server.port, 11);
  await new Promise((r) => setTimeout(r, 800));
  replica.client.close();
  await replica.server.kill();
  replica = null;
  await new Promise((r) => setTimeout(r, 300));
  replica = await startNode(replicaArgs(master), dir);
  await new Promise((r) => setTimeout(r, 300));
  t.ok((await load.stop()) > 0, 'writes went on across the crash');
  await converged(master, [replica]);
  const after = await statsInfo(master);
  t.equal(after.get('sync_full'), before.get('sync_full'), 'no full resync after the crash');
  t.ok(Number(after.get('sync_partial_ok')) > Number(before.get('sync_partial_ok')), 'continued from its own log');
});
