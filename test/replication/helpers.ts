// Master/replica processes for replication tests: start them, drive a write load, and wait until
// replicas reach the master's offset and hold the same data (DEBUG DIGEST of the canonical dump).

import { RawClient, encodeCommand } from '../support/resp';
import { startSluice, type RunningServer } from '../support/servers';
import { cmd, info, waitFor } from '../persistence/helpers';

export const BASE_ARGS = ['--enable-debug-command', 'local', '--save', ''];

export interface Node {
  server: RunningServer;
  client: RawClient;
}

export async function startNode(args: string[] = [], dir?: string, port?: number): Promise<Node> {
  const server = await startSluice([...BASE_ARGS, ...args], { ...(dir === undefined ? {} : { dir }), ...(port === undefined ? {} : { port }) });
  const client = await RawClient.connect(server.port);
  return { server, client };
}

export function replicaArgs(master: Node): string[] {
  return ['--replicaof', '127.0.0.1', String(master.server.port)];
}

export async function replInfo(node: Node): Promise<Map<string, string>> {
  return info(node.client, 'replication');
}

export async function statsInfo(node: Node): Promise<Map<string, string>> {
  return info(node.client, 'stats');
}

export async function digest(node: Node): Promise<string> {
  return (await cmd(node.client, 'DEBUG', 'DIGEST')) as string;
}

/**
 * Wait until every replica's link is up, its offset equals the master's, and the data is the same
 * (the master's active expiry keeps writing, so this is checked as a whole, again until it holds).
 * Returns the common digest.
 */
export async function converged(master: Node, replicas: Node[], timeoutMs = 30000): Promise<string> {
  let common = '';
  await waitFor(
    'replicas to converge',
    async () => {
      const offset = (await replInfo(master)).get('master_repl_offset');
      const want = await digest(master);
      if ((await replInfo(master)).get('master_repl_offset') !== offset) return false;
      for (const r of replicas) {
        const fields = await replInfo(r);
        if (fields.get('master_link_status') !== 'up' || fields.get('slave_repl_offset') !== offset) return false;
        if ((await digest(r)) !== want) return false;
      }
      common = want;
      return true;
    },
    timeoutMs,
  );
  return common;
}

/**
 * A write load on its own connection until stop() is called: strings, counters, lists, streams,
 * expiries, deletes and appends, pipelined. Resolves to the number of commands sent.
 */
export function writeLoad(port: number, seed = 1): { stop: () => Promise<number> } {
  let running = true;
  let sent = 0;
  let rnd = seed;
  const next = () => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff);
  const done = (async () => {
    const client = await RawClient.connect(port);
    try {
      while (running) {
        const batch: Buffer[] = [];
        for (let i = 0; i < 50; i++) {
          const k = `k${next() % 500}`;
          const l = `l${next() % 50}`;
          switch (next() % 8) {
            case 7:
              batch.push(encodeCommand(['XADD', `s${next() % 5}`, 'MAXLEN', '~', '100', '*', 'f', `v${next()}`]));
              break;
            case 0:
              batch.push(encodeCommand(['SET', k, `v${next()}`]));
              break;
            case 1:
              batch.push(encodeCommand(['INCR', `c${next() % 20}`]));
              break;
            case 2:
              batch.push(encodeCommand(['RPUSH', l, `e${next()}`, `f${next()}`]));
              break;
            case 3:
              batch.push(encodeCommand(['LPOP', l]));
              break;
            case 4:
              batch.push(encodeCommand(['PEXPIRE', k, String(1000 + (next() % 5000))]));
              break;
            case 5:
              batch.push(encodeCommand(['DEL', k]));
              break;
            default:
              batch.push(encodeCommand(['APPEND', k, 'x']));
          }
        }
        client.write(Buffer.concat(batch));
        for (let i = 0; i < batch.length; i++) await client.readReply(20000);
        sent += batch.length;
      }
    } finally {
      client.close();
    }
    return sent;
  })();
  return {
    stop: async () => {
      running = false;
      return done;
    },
  };
}

export async function stopAll(...nodes: Array<Node | null>): Promise<void> {
  for (const node of nodes) {
    if (node === null) continue;
    // A server that died by itself is a bug: show what it said.
    const child = node.server.process;
    if (child.exitCode !== null || child.signalCode !== null) {
      console.error(`server on port ${node.server.port} exited by itself (${child.exitCode ?? child.signalCode}):\n${node.server.output()}`);
    }
    node.client.close();
    await node.server.stop();
  }
}
