// Expiry without readers: keys whose time has passed disappear on their own (DBSIZE drops, INFO
// counts them as expired_keys) in every database. And with readers: KEYS, SCAN, EXISTS, RANDOMKEY,
// TTL and GET never show a key whose time has passed, even before active expiry got to it.

import t from 'tap';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function int(reply: Buffer): number {
  const text = reply.toString('latin1');
  if (!text.startsWith(':')) throw new Error(`not an integer reply: ${JSON.stringify(text)}`);
  return Number(text.slice(1, -2));
}

t.test('active expiry removes keys nobody reads', async (t) => {
  const server = await startSluice();
  const client = await RawClient.connect(server.port);
  t.teardown(async () => {
    client.close();
    await server.stop();
  });
  for (let i = 0; i < 500; i++) await client.call('SET', `short:${i}`, 'v', 'PX', '100');
  for (let i = 0; i < 10; i++) await client.call('SET', `long:${i}`, 'v', 'EX', '1000');
  for (let i = 0; i < 10; i++) await client.call('SET', `forever:${i}`, 'v');
  await client.call('SELECT', '3');
  // Counted before any can expire, however slow the machine is today: the time to live comes after.
  for (let i = 0; i < 200; i++) await client.call('SET', `short:${i}`, 'v');
  await client.call('SET', 'forever', 'v');
  t.equal(int(await client.call('DBSIZE')), 201, 'db 3 holds its keys before they expire');
  for (let i = 0; i < 200; i++) await client.call('PEXPIRE', `short:${i}`, '100');

  // Nothing reads the keys; only DBSIZE (which does not expire anything) is asked.
  const deadline = Date.now() + 60000;
  let size0 = -1;
  let size3 = -1;
  while (Date.now() < deadline) {
    await sleep(100);
    size3 = int(await client.call('DBSIZE'));
    await client.call('SELECT', '0');
    size0 = int(await client.call('DBSIZE'));
    await client.call('SELECT', '3');
    if (size0 === 20 && size3 === 1) break;
  }
  t.equal(size0, 20, 'db 0: only keys with time left or no expiry remain');
  t.equal(size3, 1, 'db 3: only the key without expiry remains');
  const info = (await client.call('INFO', 'stats')).toString('latin1');
  t.match(info, /expired_keys:700\r\n/, 'INFO counts 700 expired keys');
});

t.test('expired keys are never shown, even before they are removed', async (t) => {
  // Active expiry off (DEBUG SET-ACTIVE-EXPIRE 0, as Redis's tests do): reads always meet the
  // expired keys first, and nothing else removes them between two reads.
  const server = await startSluice(['--enable-debug-command', 'yes']);
  const client = await RawClient.connect(server.port);
  t.teardown(async () => {
    client.close();
    await server.stop();
  });
  t.equal((await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toString('latin1'), '+OK\r\n');
  for (let round = 0; round < 3; round++) {
    await client.call('FLUSHALL');
    await client.call('SET', 'keep', 'v');
    for (let i = 0; i < 100; i++) await client.call('SET', `gone:${i}`, 'v', 'PX', '30');
    await sleep(60);
    const present = int(await client.call('DBSIZE'));
    t.equal(present, 101, `round ${round}: the expired keys are still there`);
    t.equal((await client.call('KEYS', '*')).toString('latin1'), '*1\r\n$4\r\nkeep\r\n', 'KEYS shows only the live key');
    t.equal((await client.call('KEYS', 'gone:*')).toString('latin1'), '*0\r\n', 'KEYS with a pattern too');
    t.equal(int(await client.call('DBSIZE')), present, 'KEYS only reads');
    t.equal(int(await client.call('EXISTS', 'gone:1', 'gone:2', 'keep')), 1, 'EXISTS counts only the live key');
    t.equal((await client.call('TTL', 'gone:3')).toString('latin1'), ':-2\r\n', 'TTL of an expired key is -2');
    t.equal((await client.call('GET', 'gone:4')).toString('latin1'), '$-1\r\n', 'GET of an expired key is null');
    for (let i = 0; i < 20; i++) {
      const key = (await client.call('RANDOMKEY')).toString('latin1');
      if (key !== '$4\r\nkeep\r\n') t.fail(`RANDOMKEY returned ${JSON.stringify(key)}`);
    }
    t.equal(
      (await client.call('SCAN', '0', 'COUNT', '1000')).toString('latin1'),
      '*2\r\n$1\r\n0\r\n*1\r\n$4\r\nkeep\r\n',
      'SCAN returns only the live key',
    );
    t.equal(
      (await client.call('SCAN', '0', 'TYPE', 'string', 'COUNT', '1000')).toString('latin1'),
      '*2\r\n$1\r\n0\r\n*1\r\n$4\r\nkeep\r\n',
      'SCAN TYPE too',
    );
    t.equal(int(await client.call('DBSIZE')), 1, 'SCAN removed the expired keys it met');
  }
  // And back on: keys nobody reads go again.
  t.equal((await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toString('latin1'), '+OK\r\n');
  await client.call('SET', 'gone', 'v', 'PX', '1');
  while (int(await client.call('DBSIZE')) !== 1) await sleep(50);
  t.pass('active expiry removed the key once switched back on');
});
