// A chained replica (a replica of a replica) under write load follows its parent across the
// parent's restart, and ends with the same canonical dump (DEBUG DIGEST) as the master.

import t from 'tap';
import { rmSync } from 'node:fs';
import { tempDir } from '../support/servers';
import { converged, replicaArgs, replInfo, startNode, stopAll, writeLoad, type Node } from './helpers';

t.test('a chained replica (replica of a replica) converges under load and across its parent restart', async (t) => {
  const master = await startNode();
  const midDir = tempDir();
  let mid: Node | null = null;
  let leaf: Node | null = null;
  t.teardown(async () => {
    await stopAll(leaf, mid, master);
    rmSync(midDir, { recursive: true, force: true });
  });
  mid = await startNode(replicaArgs(master), midDir);
  const midPort = mid.server.port;
  leaf = await startNode(replicaArgs(mid));
  const load = writeLoad(master.server.port, 5);
  await new Promise((r) => setTimeout(r, 800));
  // The middle replica stops and comes back on its port: both links resume.
  mid.client.close();
  mid.server.process.kill('SIGTERM');
  await new Promise((r) => mid!.server.process.once('exit', r));
  mid = await startNode(replicaArgs(master), midDir, midPort);
  await new Promise((r) => setTimeout(r, 800));
  t.ok((await load.stop()) > 0);
  const common = await converged(master, [mid, leaf]);
  t.not(common, '0'.repeat(40), 'master, replica and chained replica hold the same data');
  const leafInfo = await replInfo(leaf);
  t.equal(leafInfo.get('master_port'), String(midPort));
  t.equal(leafInfo.get('master_replid'), (await replInfo(master)).get('master_replid'), 'one history down the chain');
});
