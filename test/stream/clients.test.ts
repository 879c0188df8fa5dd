// Streams through the client libraries applications use: many ioredis and node-redis readers
// blocked in XREAD on the same streams each receive every entry a producer adds (fan-out, unlike
// list pops), in order, with `$` and with their last seen IDs; node-redis decodes RESP3 maps.

import t from 'tap';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startSluice, type RunningServer } from '../support/servers';

let server: RunningServer;
const opened: Array<() => unknown> = [];

t.before(async () => {
  server = await startSluice();
});
t.teardown(async () => {
  for (const close of opened) await close();
  await server.stop();
});

async function ioredis(): Promise<Redis> {
  const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  opened.push(() => client.disconnect());
  return client;
}

async function blockedClients(control: Redis): Promise<number> {
  return Number(/blocked_clients:(\d+)/.exec(await control.info('clients'))![1]);
}

async function waitBlocked(control: Redis, n: number): Promise<void> {
  for (let i = 0; i < 500 && (await blockedClients(control)) !== n; i++) await new Promise((r) => setTimeout(r, 10));
}

t.test('ioredis: 20 readers blocked on $ each get every entry, in order', async (t) => {
  const control = await ioredis();
  await control.xadd('events', '1-0', 'kind', 'old');
  const readers = await Promise.all(Array.from({ length: 20 }, () => ioredis()));
  const received: string[][] = readers.map(() => []);
  const loops = readers.map(async (r, i) => {
    let last = '$';
    while (received[i]!.length < 5) {
      const reply = (await r.xread('BLOCK', 0, 'STREAMS', 'events', last)) as Array<[string, Array<[string, string[]]>]>;
      for (const [id, fields] of reply[0]![1]) {
        received[i]!.push(`${id}:${fields.join('=')}`);
        last = id;
      }
    }
  });
  await waitBlocked(control, 20);
  for (let n = 2; n <= 6; n++) {
    await control.xadd('events', `${n}-0`, 'kind', `new${n}`);
    if (n === 3) await waitBlocked(control, 20);
  }
  await Promise.all(loops);
  const expected = [2, 3, 4, 5, 6].map((n) => `${n}-0:kind=new${n}`);
  for (let i = 0; i < readers.length; i++) t.same(received[i], expected, `reader ${i}`);
  t.equal(await blockedClients(control), 0, 'nobody left blocked');
});

t.test('node-redis (RESP3): XREAD over several streams, blocking and not', async (t) => {
  const client = createClient({ socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false }, RESP: 3 });
  client.on('error', () => undefined);
  await client.connect();
  opened.push(() => client.destroy());
  const producer = await ioredis();
  await producer.xadd('a', '1-0', 'f', 'a1');
  await producer.xadd('b', '1-0', 'f', 'b1');
  const now = await client.sendCommand(['XREAD', 'COUNT', '5', 'STREAMS', 'a', 'b', 'c', '0', '0', '0']);
  t.same(JSON.parse(JSON.stringify(now)), { a: [['1-0', ['f', 'a1']]], b: [['1-0', ['f', 'b1']]] }, 'a RESP3 map keyed by stream');
  const waiting = client.sendCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 'a', 'b', 'c', '$', '$', '$']);
  await waitBlocked(producer, 1);
  await producer.xadd('c', '5-0', 'f', 'c5');
  t.same(JSON.parse(JSON.stringify(await waiting)), { c: [['5-0', ['f', 'c5']]] }, 'woken by the stream written');
  t.equal(await client.sendCommand(['XREAD', 'BLOCK', '30', 'STREAMS', 'a', '$']), null, 'a timeout is null');
});
