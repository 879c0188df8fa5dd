// The WATCH registry inside a running server (in process, to see its size): every way a client
// stops watching releases its keys — EXEC, DISCARD, UNWATCH, RESET, QUIT, a dropped connection, a
// touched key (the transaction is doomed, nothing needs watching any more) — so no key stays
// registered for a client that is gone. Also CLIENT LIST's multi-mem= as Redis 7.2 counts it.

import pino from 'pino';
import t from 'tap';
import { Config } from '../../server/config';
import { Server } from '../../server/server';
import type { StreamChange } from '../../storage/stream/effects';
import { RawClient } from '../support/resp';
import { freePort } from '../support/servers';
import { cmd, waitFor } from '../persistence/helpers';

async function startInProcess(): Promise<Server> {
  const port = String(await freePort());
  const server = new Server(Config.fromArgs(['--port', port, '--bind', '127.0.0.1', '--appendonly', 'no', '--save', '']), pino({ level: 'silent' }));
  await server.listen();
  return server;
}

t.test('watched keys are released however a client stops watching', async (t) => {
  const server = await startInProcess();
  t.teardown(() => server.close());
  const a = await RawClient.connect(server.boundPort);
  const b = await RawClient.connect(server.boundPort);
  t.teardown(() => {
    a.close();
    b.close();
  });
  const watched = () => server.watches.size;

  t.equal(await cmd(a, 'WATCH', 'k1', 'k2', 'k1'), 'OK');
  t.equal(watched(), 2, 'a key given twice is watched once');
  t.equal(await cmd(a, 'SELECT', '1'), 'OK');
  t.equal(await cmd(a, 'WATCH', 'k1'), 'OK');
  t.equal(watched(), 3, 'the same name in another database is another key');
  t.equal(await cmd(a, 'UNWATCH'), 'OK');
  t.equal(watched(), 0, 'UNWATCH');

  await cmd(a, 'WATCH', 'k1');
  await cmd(a, 'MULTI');
  await cmd(a, 'PING');
  t.strictSame(await cmd(a, 'EXEC'), ['PONG']);
  t.equal(watched(), 0, 'EXEC');

  await cmd(a, 'WATCH', 'k1');
  await cmd(a, 'MULTI');
  await cmd(a, 'DISCARD');
  t.equal(watched(), 0, 'DISCARD');

  await cmd(a, 'WATCH', 'k1', 'k2');
  await cmd(b, 'SELECT', '1');
  await cmd(b, 'SET', 'k2', 'v');
  t.equal(watched(), 0, 'a touched key releases all of its client\'s keys');
  t.equal(await cmd(a, 'WATCH', 'k3'), 'OK');
  t.equal(watched(), 0, 'a doomed transaction watches nothing more');
  await cmd(a, 'MULTI');
  t.equal(await cmd(a, 'EXEC'), null);

  await cmd(a, 'WATCH', 'k1');
  t.equal(await cmd(a, 'RESET'), 'RESET');
  t.equal(watched(), 0, 'RESET');

  await cmd(a, 'WATCH', 'k1');
  await cmd(b, 'WATCH', 'k1');
  t.equal(watched(), 2);
  await cmd(a, 'QUIT');
  await waitFor('QUIT to release the keys', () => watched() === 1, 2000);
  b.close();
  await waitFor('a dropped connection to release the keys', () => watched() === 0, 2000);
});

t.test("multi-mem= counts queued arguments, reserved queue slots and watched keys (Redis 7.2's formula)", async (t) => {
  const server = await startInProcess();
  t.teardown(() => server.close());
  const a = await RawClient.connect(server.boundPort);
  t.teardown(() => a.close());
  const multiMem = async () => Number(/ multi-mem=(\d+) /.exec(String(await cmd(a, 'CLIENT', 'INFO')))![1]);
  t.equal(await multiMem(), 0);
  await cmd(a, 'WATCH', 'x', 'y');
  t.equal(await multiMem(), 2 * 56, 'a list node and a watchedKey per watched key');
  await cmd(a, 'UNWATCH');
  await cmd(a, 'MULTI');
  await cmd(a, 'SET', 'a', '1');
  await cmd(a, 'GET', 'a');
  await cmd(a, 'GET', 'bb');
  const info = server.clientById(1)!.describe();
  // SET a 1: 5 bytes + 3 pointers; GET a: 4 + 2; GET bb: 5 + 2; 4 slots of 24 bytes (2, doubled).
  t.match(info, / multi=3 /);
  t.match(info, new RegExp(` multi-mem=${5 + 24 + 4 + 16 + 5 + 16 + 4 * 24} `));
  await cmd(a, 'DISCARD');
  t.equal(await multiMem(), 0);
});

t.test('stream changes touch WATCH as Redis signals them: entries added or removed, a stream created', async (t) => {
  const server = await startInProcess();
  t.teardown(() => server.close());
  const a = await RawClient.connect(server.boundPort);
  t.teardown(() => a.close());
  // EXEC's answer after `change` runs between WATCH k and MULTI (effects committed directly, as a
  // handler would: XGROUP, XREADGROUP, XACK and XCLAIM have no commands yet).
  const execAfter = async (change: () => void): Promise<unknown> => {
    await cmd(a, 'WATCH', 'k');
    change();
    await cmd(a, 'MULTI');
    await cmd(a, 'PING');
    return cmd(a, 'EXEC');
  };
  const stream = (change: StreamChange) => () => server.commit({ op: 'stream', db: 0, key: 'k', change });
  t.strictSame(await execAfter(stream({ op: 'xgroupcreate', group: 'g', lastId: '0-0', entriesRead: -1 })), null, 'XGROUP CREATE MKSTREAM creating the key');
  t.strictSame(await execAfter(stream({ op: 'xgroupcreate', group: 'h', lastId: '0-0', entriesRead: -1 })), ['PONG'], 'XGROUP CREATE on an existing stream');
  t.strictSame(await execAfter(stream({ op: 'xgroupcreateconsumer', group: 'g', consumer: 'c', atMs: 1 })), ['PONG'], 'XGROUP CREATECONSUMER');
  t.strictSame(await execAfter(stream({ op: 'xsetid', lastId: '5-5' })), ['PONG'], 'XSETID');
  t.strictSame(await execAfter(stream({ op: 'xgroupdestroy', group: 'h' })), ['PONG'], 'XGROUP DESTROY');
  t.strictSame(await execAfter(stream({ op: 'xadd', id: '6-1', fields: ['f', 'v'] })), null, 'XADD');
  t.strictSame(await execAfter(stream({ op: 'xdel', ids: ['6-1'] })), null, 'XDEL');
});
