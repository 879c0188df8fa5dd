// The wire protocol against real Redis: protocol errors (text and closed connection), inline
// commands, deep pipelines, and a bad client that must not disturb its neighbours.

import t from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient, encodeCommand } from '../support/resp';
import { startSluice } from '../support/servers';

async function exchange(port: number, bytes: Buffer | string): Promise<{ reply: string; closed: boolean }> {
  const client = await RawClient.connect(port);
  client.write(bytes);
  const { bytes: got, closed } = await client.readUntilClose(1500);
  client.close();
  return { reply: got.toString('latin1'), closed };
}

t.test('protocol errors match Redis byte for byte and close the connection', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const inputs = [
    '*1\r\n:1\r\n',
    '*x\r\n',
    '*1\r\n$-1\r\n',
    '*1\r\n$abc\r\n',
    'PING\r\n*1\r\n+PING\r\n',
    'SET "a b\r\n',
    "ECHO 'a'b\r\n",
    '*11\r\n', // unauthenticated limits only apply with a password: here it must just wait
  ];
  for (const input of inputs) {
    const [expected, actual] = await Promise.all([exchange(pair.redis.port, input), exchange(pair.sluice.port, input)]);
    t.equal(actual.reply, expected.reply, `reply to ${JSON.stringify(input)}`);
    t.equal(actual.closed, expected.closed, `connection closed after ${JSON.stringify(input)}: ${expected.closed}`);
  }
});

t.test('inline commands match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const input = 'PING\r\nPING "hello world"\r\nECHO "\\x41\\x00B"\r\n\r\nping\n';
  const [expected, actual] = await Promise.all([exchange(pair.redis.port, input), exchange(pair.sluice.port, input)]);
  t.equal(actual.reply, expected.reply);
});

t.test('unauthenticated request limits match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start({ sluiceArgs: ['--requirepass', 'pw'], redisArgs: ['--requirepass', 'pw'] });
  t.teardown(() => pair.stop());
  for (const input of ['*11\r\n', '*1\r\n$20000\r\n', 'PING\r\n']) {
    const [expected, actual] = await Promise.all([exchange(pair.redis.port, input), exchange(pair.sluice.port, input)]);
    t.equal(actual.reply, expected.reply, `reply to ${JSON.stringify(input)}`);
    t.equal(actual.closed, expected.closed, `closed after ${JSON.stringify(input)}`);
  }
});

t.test('100k pipelined commands in one write are answered in order', async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const client = await RawClient.connect(server.port);
  t.teardown(() => client.close());
  const count = 100000;
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) parts.push(encodeCommand(['ECHO', String(i)]));
  client.write(Buffer.concat(parts));
  for (let i = 0; i < count; i++) {
    const reply = (await client.readReply()).toString();
    const expected = `$${String(i).length}\r\n${i}\r\n`;
    if (reply !== expected) {
      t.equal(reply, expected, `reply ${i}`);
      return;
    }
  }
  t.pass(`${count} replies in order`);
});

t.test('a client sending garbage does not disturb another client', async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const good = await RawClient.connect(server.port);
  t.teardown(() => good.close());
  const bad = await exchange(server.port, '*1\r\n$x\r\n');
  t.match(bad.reply, /^-ERR Protocol error: invalid bulk length\r\n$/);
  t.ok(bad.closed);
  t.equal((await good.call('PING')).toString(), '+PONG\r\n');
});
