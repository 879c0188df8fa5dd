// The client libraries users point at Sluice, with their default options: ioredis 6 and
// node-redis 6 both negotiate RESP3 with HELLO 3 (AUTH ...) by default, and RESP2 on request.
// Both announce themselves with CLIENT SETINFO on connect.

import Redis from 'ioredis';
import { createClient } from 'redis';
import t from 'tap';
import { startSluice, type RunningServer } from '../support/servers';

let server: RunningServer;

t.before(async () => {
  server = await startSluice(['--requirepass', 's3cret']);
});
t.teardown(() => server.stop());

for (const protocol of [3, 2] as const) {
  t.test(`ioredis, protocol ${protocol}${protocol === 3 ? ' (its default)' : ''}`, async (t) => {
    const client = new Redis({
      host: '127.0.0.1',
      port: server.port,
      password: 's3cret',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      ...(protocol === 2 ? { protocol: 2 } : {}),
    });
    t.teardown(() => client.disconnect());
    await client.connect();
    t.equal(await client.ping(), 'PONG');
    t.equal(await client.echo('héllo'), 'héllo');
    t.equal(await client.client('SETNAME', 'io-conn'), 'OK');
    t.equal(await client.client('GETNAME'), 'io-conn');
    t.equal(await client.select(7), 'OK');
    const info = await client.info('server');
    t.match(info, /^# Server\r\nredis_version:7\.2\.\d+\r\n/);
    const me = String(await client.client('INFO'));
    t.match(me, / name=io-conn /);
    t.match(me, / db=7 /);
    t.match(me, new RegExp(` resp=${protocol} `));
    t.match(me, / lib-name=ioredis lib-ver=\d/, 'CLIENT SETINFO sent on connect');
    await t.rejects(client.call('NOSUCH'), /unknown command 'NOSUCH'/);
  });
}

for (const RESP of [3, 2] as const) {
  t.test(`node-redis, RESP${RESP}${RESP === 3 ? ' (its default)' : ''}`, async (t) => {
    const client = createClient({
      socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false },
      password: 's3cret',
      ...(RESP === 2 ? { RESP: 2 } : {}),
    });
    client.on('error', () => undefined);
    await client.connect();
    t.teardown(() => client.destroy());
    t.equal(await client.ping(), 'PONG');
    t.equal(await client.echo('héllo'), 'héllo');
    t.equal(await client.clientSetName('nr-conn'), 'OK');
    t.equal(await client.clientGetName(), 'nr-conn');
    await client.select(4);
    const info = await client.info('clients');
    t.match(info, /^# Clients\r\nconnected_clients:\d+\r\n/);
    const me = String(await client.clientInfo().then((i) => JSON.stringify(i)));
    t.match(me, /nr-conn/);
    const raw = String(await client.sendCommand(['CLIENT', 'INFO']));
    t.match(raw, / db=4 /);
    t.match(raw, new RegExp(` resp=${RESP} `));
    t.match(raw, / lib-name=node-redis lib-ver=\d/, 'CLIENT SETINFO sent on connect');
  });
}
