// Many blocked clients through the client libraries applications use (ioredis, node-redis): every
// job reaches exactly one worker, none is lost, waiters are served first come first served, and a
// reliable queue (BLMOVE into a processing list, then LREM) ends empty.

import t from 'tap';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startSluice, type RunningServer } from '../support/servers';
import { seededRandom } from '../support/random';

type NodeRedis = ReturnType<typeof createClient>;

let server: RunningServer;
const opened: Array<{ close(): Promise<unknown> | void }> = [];

t.before(async () => {
  server = await startSluice();
});
t.teardown(async () => {
  for (const c of opened) await c.close();
  await server.stop();
});

async function ioredis(): Promise<Redis> {
  const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  opened.push({ close: () => client.disconnect() });
  return client;
}

async function nodeRedis(resp: 2 | 3): Promise<NodeRedis> {
  const client = createClient({ socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false }, ...(resp === 2 ? { RESP: 2 as const } : {}) });
  client.on('error', () => undefined);
  await client.connect();
  opened.push({ close: () => client.destroy() });
  return client as unknown as NodeRedis;
}

async function blockedClients(control: Redis): Promise<number> {
  return Number(/blocked_clients:(\d+)/.exec(await control.info('clients'))![1]);
}

async function waitBlocked(control: Redis, n: number): Promise<void> {
  for (let i = 0; i < 1000 && (await blockedClients(control)) !== n; i++) await new Promise((r) => setTimeout(r, 5));
}

t.test('every job reaches exactly one worker; the reliable queue ends empty', async (t) => {
  const seed = Date.now() % 100000;
  t.comment(`seed ${seed}`);
  const random = seededRandom(seed);
  const control = await ioredis();
  await control.flushall();
  const JOBS = 1500;
  const delivered: string[] = [];
  // ioredis workers: BLPOP from either of two queues.
  const popWorker = async () => {
    const c = await ioredis();
    for (;;) {
      const got = await c.blpop('jobs:high', 'jobs', 5);
      if (got === null) throw new Error('a worker waited 5 s for a job that never came');
      if (got[1] === 'stop') return;
      delivered.push(got[1]);
    }
  };
  // node-redis workers: a reliable queue, BLMOVE into a processing list, then LREM once done.
  const moveWorker = async (resp: 2 | 3) => {
    const c = await nodeRedis(resp);
    for (;;) {
      const job = (await c.sendCommand(['BLMOVE', 'jobs', 'processing', 'LEFT', 'RIGHT', '5'])) as string | null;
      if (job === null) throw new Error('a worker waited 5 s for a job that never came');
      if (job !== 'stop') delivered.push(job);
      const removed = Number(await c.sendCommand(['LREM', 'processing', '1', job]));
      if (removed !== 1) throw new Error(`LREM of ${job} removed ${removed}`);
      if (job === 'stop') return;
    }
  };
  const workers = [
    ...Array.from({ length: 8 }, () => popWorker()),
    ...Array.from({ length: 4 }, () => moveWorker(2)),
    ...Array.from({ length: 4 }, () => moveWorker(3)),
  ];
  await waitBlocked(control, 16);
  t.equal(await blockedClients(control), 16, 'all workers blocked before the first job');
  const producer = await ioredis();
  let next = 0;
  while (next < JOBS) {
    const batch: string[] = [];
    const size = 1 + Math.floor(random() * 20);
    for (let i = 0; i < size && next < JOBS; i++) batch.push(`job-${next++}`);
    const key = random() < 0.2 ? 'jobs:high' : 'jobs';
    // A pipeline of pushes, sometimes from the left: every element must still go to one worker.
    if (random() < 0.5) await producer.rpush(key, ...batch);
    else await producer.lpush(key, ...batch);
  }
  await producer.rpush('jobs', ...Array.from({ length: workers.length }, () => 'stop'));
  await Promise.all(workers);
  t.equal(delivered.length, JOBS, 'as many deliveries as jobs');
  t.equal(new Set(delivered).size, JOBS, 'no job delivered twice');
  t.same([...delivered].sort(), Array.from({ length: JOBS }, (_, i) => `job-${i}`).sort(), 'no job lost');
  t.equal(await control.exists('jobs', 'jobs:high', 'processing'), 0, 'queues and processing list empty');
  t.equal(await blockedClients(control), 0);
});

t.test('first blocked, first served, across both libraries', async (t) => {
  const control = await ioredis();
  await control.flushall();
  const N = 10;
  const replies: Array<Promise<string | null>> = [];
  for (let i = 0; i < N; i++) {
    if (i % 2 === 0) {
      const c = await ioredis();
      replies.push(c.brpop('fair', 0).then((r) => (r === null ? null : r[1])));
    } else {
      const c = await nodeRedis(3);
      replies.push(c.sendCommand(['BRPOP', 'fair', '0']).then((r) => (r === null ? null : String((r as unknown as string[])[1]))));
    }
    await waitBlocked(control, i + 1);
  }
  // One push of N elements: BRPOP takes from the tail, so client i gets element N-1-i... served in blocking order.
  await control.lpush('fair', ...Array.from({ length: N }, (_, i) => `e${i}`));
  t.same(await Promise.all(replies), Array.from({ length: N }, (_, i) => `e${i}`), 'client i gets the i-th element popped');
  t.equal(await control.exists('fair'), 0);
});

t.test('timeouts through the libraries', async (t) => {
  const io = await ioredis();
  const nr = await nodeRedis(3);
  const started = Date.now();
  const [a, b, c] = await Promise.all([
    io.blpop('none', 0.05),
    nr.sendCommand(['BLMOVE', 'none', 'd', 'LEFT', 'LEFT', '0.05']),
    nr.sendCommand(['PING']),
  ]);
  t.equal(a, null);
  t.equal(b, null);
  t.equal(c, 'PONG', 'a command sent behind a blocked one runs once it times out');
  t.ok(Date.now() - started >= 45, 'waited for the timeout');
});
