// PUBLISH and SPUBLISH reach replicas as in Redis: subscribers of a replica (and of a replica of a
// replica) receive what is published on the master, after the writes that came before it. The
// messages are not records of the log (Redis propagates PUBLISH to replicas, not to the AOF), so
// master_repl_offset does not move for them.

import t from 'tap';
import { RawClient, encodeCommand } from '../support/resp';
import { cmd, decode, waitFor, type Value } from '../persistence/helpers';
import { converged, replicaArgs, replInfo, startNode, stopAll, type Node } from './helpers';

async function subscriber(node: Node, ...commands: string[][]): Promise<RawClient> {
  const client = await RawClient.connect(node.server.port);
  for (const c of commands) await client.call(...c);
  return client;
}

async function nextMessage(client: RawClient): Promise<Value[]> {
  return decode(await client.readReply(10000)) as Value[];
}

t.test('messages published on the master reach subscribers of replicas and chained replicas', async (t) => {
  const master = await startNode();
  let replica: Node | null = null;
  let chained: Node | null = null;
  const clients: RawClient[] = [];
  t.teardown(async () => {
    for (const c of clients) c.close();
    await stopAll(chained, replica, master);
  });
  replica = await startNode(replicaArgs(master));
  chained = await startNode(replicaArgs(replica));
  await cmd(master.client, 'SET', 'warm', 'up');
  await converged(master, [replica, chained]);

  const onReplica = await subscriber(replica, ['SUBSCRIBE', 'news'], ['PSUBSCRIBE', 'n*'], ['SSUBSCRIBE', 'shard']);
  const onChained = await subscriber(chained, ['SUBSCRIBE', 'news']);
  clients.push(onReplica, onChained);
  const offsetBefore = (await replInfo(master)).get('master_repl_offset');
  t.equal(await cmd(master.client, 'PUBLISH', 'news', 'hello'), 0, 'nobody listens on the master itself');
  t.same(await nextMessage(onReplica), ['message', 'news', 'hello']);
  t.same(await nextMessage(onReplica), ['pmessage', 'n*', 'news', 'hello']);
  t.same(await nextMessage(onChained), ['message', 'news', 'hello'], 'passed on by the replica to its own replica');
  t.equal(await cmd(master.client, 'SPUBLISH', 'shard', 'sharded'), 0);
  t.same(await nextMessage(onReplica), ['smessage', 'shard', 'sharded']);
  t.equal((await replInfo(master)).get('master_repl_offset'), offsetBefore, 'messages take no place in the log');

  // A message published on a replica stays there: its replicas follow its master's stream only.
  t.equal(await cmd(replica.client, 'PUBLISH', 'news', 'local'), 2);
  t.same(await nextMessage(onReplica), ['message', 'news', 'local']);
  await nextMessage(onReplica);
  t.equal(await cmd(master.client, 'PUBLISH', 'news', 'after-local'), 0);
  t.same(await nextMessage(onChained), ['message', 'news', 'after-local'], 'the chained replica never saw "local"');
});

t.test('a message follows the writes published before it, on replicas and chained replicas', async (t) => {
  const master = await startNode();
  let replica: Node | null = null;
  let chained: Node | null = null;
  const clients: RawClient[] = [];
  t.teardown(async () => {
    for (const c of clients) c.close();
    await stopAll(chained, replica, master);
  });
  replica = await startNode(replicaArgs(master));
  chained = await startNode(replicaArgs(replica));
  await converged(master, [replica, chained]);
  for (const node of [replica, chained]) {
    const sub = await subscriber(node, ['SUBSCRIBE', 'written']);
    clients.push(sub);
    const reader = await RawClient.connect(node.server.port);
    clients.push(reader);
    const rounds = 200;
    // Pipelined on the master: each SET, then the message naming it; every third one inside MULTI
    // with a second write after the PUBLISH (the message comes after the whole transaction).
    const pipeline: Buffer[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 3 === 0) {
        pipeline.push(
          encodeCommand(['MULTI']),
          encodeCommand(['SET', `k${i}`, `v${i}`]),
          encodeCommand(['PUBLISH', 'written', String(i)]),
          encodeCommand(['SET', `after${i}`, 'x']),
          encodeCommand(['EXEC']),
        );
      } else {
        pipeline.push(encodeCommand(['SET', `k${i}`, `v${i}`]), encodeCommand(['PUBLISH', 'written', String(i)]));
      }
    }
    const writer = await RawClient.connect(master.server.port);
    clients.push(writer);
    writer.write(Buffer.concat(pipeline));
    let late = 0;
    for (let i = 0; i < rounds; i++) {
      const message = await nextMessage(sub);
      const n = Number(message[2]);
      if (n !== i) {
        t.fail(`message ${n} arrived where ${i} was expected`);
        break;
      }
      const [value, after] = (await Promise.all([cmd(reader, 'GET', `k${n}`), n % 3 === 0 ? cmd(reader, 'GET', `after${n}`) : 'x'])) as Value[];
      if (value !== `v${n}` || after !== 'x') late++;
    }
    t.equal(late, 0, `on the ${node === replica ? 'replica' : 'chained replica'}: each message came after its writes`);
    await cmd(master.client, 'FLUSHALL');
  }
});

t.test('messages around a cut link arrive in order and at most once', async (t) => {
  const master = await startNode();
  let replica: Node | null = null;
  t.teardown(() => stopAll(replica, master));
  await cmd(master.client, 'SET', 'k', 'v');
  replica = await startNode(replicaArgs(master));
  await converged(master, [replica]);
  const sub = await subscriber(replica, ['SUBSCRIBE', 'c']);
  t.teardown(() => sub.close());
  // The link is cut and resumed while messages flow: none is delivered twice or out of order.
  const publisher = (async () => {
    for (let i = 0; i < 100; i++) {
      await cmd(master.client, 'PUBLISH', 'c', String(i));
      if (i === 30) await cmd(master.client, 'CLIENT', 'KILL', 'TYPE', 'replica');
    }
  })();
  await publisher;
  await converged(master, [replica]);
  await cmd(master.client, 'PUBLISH', 'c', 'end');
  const received: string[] = [];
  await waitFor(
    'the last message',
    async () => {
      const m = await nextMessage(sub);
      received.push(String(m[2]));
      return m[2] === 'end';
    },
    20000,
  );
  const numbers = received.filter((r) => r !== 'end').map(Number);
  t.same(numbers, [...numbers].sort((a, b) => a - b), 'in order');
  t.equal(new Set(numbers).size, numbers.length, 'none twice');
  t.ok(numbers.length >= 30, `${numbers.length} of 100 delivered (those published while the link was down are not replayed: unlike Redis, whose backlog holds them)`);
});
