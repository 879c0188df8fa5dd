// Client libraries logging in as an ACL user: ioredis and node-redis, RESP2 and RESP3, with a
// username and password; the allowed commands work and a refused one surfaces Redis's NOPERM text.

import t from 'tap';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const NOPERM_DEL = "NOPERM User app has no permissions to run the 'del' command";

t.test('ioredis and node-redis log in as an ACL user', async (t) => {
  const server = await startSluice(['--requirepass', 'adminpw']);
  t.teardown(() => server.stop());
  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());
  await admin.call('AUTH', 'adminpw');
  t.equal((await admin.call('ACL', 'SETUSER', 'app', 'on', '>apppw', '~app:*', '+@read', '+@write', '-del', '+ping', '+client', '+info', '+select', '+hello', '+command')).toString(), '+OK\r\n');

  for (const protocol of [2, 3] as const) {
    const io = new Redis({ port: server.port, host: '127.0.0.1', username: 'app', password: 'apppw', protocol, lazyConnect: true, maxRetriesPerRequest: 0 });
    await io.connect();
    t.equal(await io.set('app:k', `io${protocol}`), 'OK', `ioredis RESP${protocol} SET`);
    t.equal(await io.get('app:k'), `io${protocol}`);
    t.equal(await io.call('ACL', 'WHOAMI').catch((e: Error) => e.message), "NOPERM User app has no permissions to run the 'acl|whoami' command");
    t.equal(await io.del('app:k').catch((e: Error) => e.message), NOPERM_DEL);
    t.equal(await io.get('other').catch((e: Error) => e.message), 'NOPERM No permissions to access a key');
    io.disconnect();

    const bad = new Redis({ port: server.port, host: '127.0.0.1', username: 'app', password: 'wrong', protocol, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // ioredis reports the AUTH error as an 'error' event, then fails the connect.
    const errors: string[] = [];
    bad.on('error', (e: Error) => errors.push(e.message));
    t.not(await bad.connect().then(() => 'connected', (e: Error) => e.message), 'connected');
    t.match(errors.join('\n'), /WRONGPASS invalid username-password pair or user is disabled\./, `ioredis RESP${protocol} wrong password`);
    bad.disconnect();

    const node = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false }, username: 'app', password: 'apppw', RESP: protocol });
    await node.connect();
    t.equal(await node.set('app:n', `node${protocol}`), 'OK', `node-redis RESP${protocol} SET`);
    t.equal(await node.get('app:n'), `node${protocol}`);
    t.equal(await node.del('app:n').then(String, (e: Error) => e.message), NOPERM_DEL);
    t.equal(await node.get('other').then(String, (e: Error) => e.message), 'NOPERM No permissions to access a key');
    node.destroy();

    const nodeBad = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false }, username: 'app', password: 'wrong', RESP: protocol });
    nodeBad.on('error', () => undefined);
    t.match(await nodeBad.connect().then(() => 'connected', (e: Error) => e.message), /WRONGPASS/, `node-redis RESP${protocol} wrong password`);
    await nodeBad.destroy();
  }
  const clients = (await admin.call('CLIENT', 'LIST')).toString('latin1');
  t.match(clients, / user=default /, 'the admin connection is the default user');
});
