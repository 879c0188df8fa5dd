// Replication under network faults: a network cut and a silent network stall, through a loopback
// TCP proxy the test controls. Each ends with the replica's canonical dump (DEBUG DIGEST) equal to
// the master's at the same offset.

import t from 'tap';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { cmd, waitFor } from '../persistence/helpers';
import { converged, replInfo, startNode, statsInfo, stopAll, writeLoad, type Node } from './helpers';

/** A TCP proxy on loopback in front of a server, which the test can cut or stall. */
class Proxy {
  private mode: 'open' | 'refuse' | 'stall' = 'open';
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(targetPort: number): Promise<Proxy> {
    return new Promise((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const proxy = new Proxy(server, typeof address === 'object' && address !== null ? address.port : 0);
        server.on('connection', (client) => proxy.accept(client, targetPort));
        resolve(proxy);
      });
    });
  }

  private accept(client: Socket, targetPort: number): void {
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      // A stalled proxy swallows the bytes: both ends see a connection that says nothing.
      from.on('data', (d) => {
        if (this.mode !== 'stall') to.write(d);
      });
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => undefined);
    }
  }

  /** Close every connection and refuse new ones until heal(). */
  cut(): void {
    this.mode = 'refuse';
    for (const s of this.sockets) s.destroy();
  }

  /** Keep the connections open but pass nothing either way (and refuse nothing). */
  stall(): void {
    this.mode = 'stall';
  }

  heal(): void {
    this.mode = 'open';
    for (const s of this.sockets) s.destroy();
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

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
t.test('a network cut: the replica reconnects by itself and resumes with a partial resync', async (t) => {
  const master = await startNode();
  const proxy = await Proxy.start(master.server.port);
  let replica: Node | null = null;
  t.teardown(async () => {
    await proxy.close();
    await stopAll(replica, master);
  });
  replica = await startNode(['--replicaof', '127.0.0.1', String(proxy.port)]);
  const load = writeLoad(master.server.port, 3);
  await waitFor('the link to come up', async () => (await replInfo(replica!)).get('master_link_status') === 'up', 10000);
  const before = await statsInfo(master);
  proxy.cut();
  await waitFor('the replica to see its link down', async () => (await replInfo(replica!)).get('master_link_status') === 'down', 10000);
  await new Promise((r) => setTimeout(r, 700));
  proxy.heal();
  await new Promise((r) => setTimeout(r, 500));
  t.ok((await load.stop()) > 0, 'writes went on during the cut');
  await converged(master, [replica]);
  const after = await statsInfo(master);
  t.equal(after.get('sync_full'), before.get('sync_full'), 'no full resync');
  t.ok(Number(after.get('sync_partial_ok')) > Number(before.get('sync_partial_ok')), 'a partial resync');
});

t.test('a silent stall: repl-timeout ends the link on both sides, then a partial resync', async (t) => {
  const master = await startNode(['--repl-timeout', '2']);
  const proxy = await Proxy.start(master.server.port);
  let replica: Node | null = null;
  t.teardown(async () => {
    await proxy.close();
    await stopAll(replica, master);
  });
  replica = await startNode(['--repl-timeout', '2', '--replicaof', '127.0.0.1', String(proxy.port)]);
  await fillStrings(master, 'a', 200, 100);
  await converged(master, [replica]);
  const before = await statsInfo(master);
  proxy.stall();
  await fillStrings(master, 'b', 200, 100);
  await waitFor(
    'both sides to give the silent link up',
    async () => (await replInfo(replica!)).get('master_link_status') === 'down' && (await replicaCount(master)) === 0,
    15000,
  );
  proxy.heal();
  await converged(master, [replica]);
  const after = await statsInfo(master);
  t.equal(after.get('sync_full'), before.get('sync_full'), 'no full resync');
  t.equal(await cmd(replica.client, 'GET', 'b199'), 'p'.repeat(100));
});
