// INFO stats counts the clients the limits turned away or closed, with Redis's field names:
// rejected_connections (maxclients; compared with Redis, reply bytes included),
// client_query_buffer_limit_disconnections (client-query-buffer-limit) and
// client_output_buffer_limit_disconnections (client-output-buffer-limit), which Redis added after
// 7.0 (the 7.0 server here lacks them, so they are checked on Sluice alone); CONFIG RESETSTAT
// clears them.

import { createConnection, type Socket } from 'node:net';
import t from 'tap';
import { redisSkip } from '../support/differential';
import { RawClient, encodeCommand } from '../support/resp';
import { startRedis, startSluice, type RunningServer } from '../support/servers';

async function stat(client: RawClient, name: string): Promise<string | undefined> {
  const info = (await client.call('INFO', 'stats')).toString('latin1');
  return new RegExp(`\\r\\n${name}:(\\d+)\\r\\n`).exec(info)?.[1];
}

/** A raw connection: everything it receives until the server closes it. */
function openRaw(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((r) => socket.once('close', () => r(received)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Past maxclients: the error, the close, and the count, as the server gives them. */
async function overMaxclients(server: RunningServer): Promise<{ reply: string; rejected: string | undefined; afterReset: string | undefined }> {
  const first = await RawClient.connect(server.port);
  const second = await RawClient.connect(server.port);
  try {
    await second.call('PING');
    const third = await openRaw(server.port);
    const reply = await third.closed;
    const rejected = await stat(first, 'rejected_connections');
    await first.call('CONFIG', 'RESETSTAT');
    return { reply, rejected, afterReset: await stat(first, 'rejected_connections') };
  } finally {
    first.close();
    second.close();
  }
}

t.test('rejected_connections counts clients refused by maxclients, as Redis does', { skip: redisSkip }, async (t) => {
  const args = ['--maxclients', '2'];
  const [redis, sluice] = await Promise.all([startRedis(args), startSluice(args)]);
  t.teardown(() => Promise.all([redis.stop(), sluice.stop()]));
  const expected = await overMaxclients(redis);
  const got = await overMaxclients(sluice);
  t.same(got, expected);
  t.equal(got.reply, '-ERR max number of clients reached\r\n');
  t.equal(got.rejected, '1');
  t.equal(got.afterReset, '0');
});

t.test('client_query_buffer_limit_disconnections counts clients closed for their query buffer', async (t) => {
  const server = await startSluice(['--client-query-buffer-limit', '1mb']);
  const control = await RawClient.connect(server.port);
  t.teardown(async () => {
    control.close();
    await server.stop();
  });
  t.equal(await stat(control, 'client_query_buffer_limit_disconnections'), '0');
  for (let round = 1; round <= 2; round++) {
    // One command announced at 3 MB, 1.5 MB of it sent: more than the limit, still unparsed.
    const big = await openRaw(server.port);
    big.socket.write(Buffer.concat([Buffer.from('*2\r\n$3\r\nSET\r\n$3000000\r\n'), Buffer.alloc(1_500_000, 'x')]));
    t.equal(await big.closed, '', `round ${round}: closed without a reply`);
    t.equal(await stat(control, 'client_query_buffer_limit_disconnections'), String(round));
  }
  t.equal(await stat(control, 'client_output_buffer_limit_disconnections'), '0', 'the other counter stays');
  await control.call('CONFIG', 'RESETSTAT');
  t.equal(await stat(control, 'client_query_buffer_limit_disconnections'), '0', 'CONFIG RESETSTAT clears it');
});

t.test('client_output_buffer_limit_disconnections counts clients closed by their output limit', async (t) => {
  const server = await startSluice(['--client-output-buffer-limit', 'pubsub 1mb 0 0']);
  const control = await RawClient.connect(server.port);
  t.teardown(async () => {
    control.close();
    await server.stop();
  });
  // A subscriber that stops reading: what is published to it piles up until the limit closes it.
  const subscriber = await openRaw(server.port);
  subscriber.socket.write(encodeCommand(['SUBSCRIBE', 'news']));
  for (;;) {
    const clients = (await control.call('PUBSUB', 'NUMSUB', 'news')).toString('latin1');
    if (clients.endsWith(':1\r\n')) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  subscriber.socket.pause();
  const message = Buffer.alloc(64 * 1024, 'm');
  let receivers = 1;
  // Bounded: the kernel's socket buffers take a few MB before the server's own buffer grows.
  for (let i = 0; i < 2000 && receivers === 1; i++) {
    receivers = Number(/^:(\d+)/.exec((await control.call('PUBLISH', 'news', message)).toString('latin1'))![1]);
  }
  t.equal(receivers, 0, 'the subscriber was closed');
  subscriber.socket.destroy();
  t.equal(await stat(control, 'client_output_buffer_limit_disconnections'), '1');
  t.equal(await stat(control, 'client_query_buffer_limit_disconnections'), '0', 'the other counter stays');
  await control.call('CONFIG', 'RESETSTAT');
  t.equal(await stat(control, 'client_output_buffer_limit_disconnections'), '0', 'CONFIG RESETSTAT clears it');
});
