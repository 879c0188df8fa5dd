// Protected mode's refusal, byte for byte: Redis 7.2's text (src/networking.c clientAcceptHandler),
// written to the refused connection, which is then closed and counted in rejected_connections.
//
// Redis 7.0 (the redis-server installed here) sends the same text with a typo in point 4, "Setup a
// an authentication password", which 7.2 corrected to "Set up an authentication password": the
// installed binary's text is checked with that one difference and no other.
//
// Only loopback traffic is possible here, and loopback peers are never refused, so the refused
// connection is a real loopback socket whose peer address the test reports as a documentation
// address (203.0.113.5, TEST-NET-3) before handing it to an in-process server's accept path.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import pino from 'pino';
import t from 'tap';
import { Config } from '../../server/config';
import { PROTECTED_MODE_DENIED } from '../../server/protected-mode';
import { Server } from '../../server/server';
import { RawClient } from '../support/resp';
import { freePort, hasRedis } from '../support/servers';

/** Redis 7.2's refusal, as its source spells it, line by line. */
const REDIS_72_DENIED =
  '-DENIED Redis is running in protected mode because protected ' +
  'mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Redis you ' +
  'may adopt one of the following solutions: ' +
  '1) Just disable protected mode sending the command ' +
  "'CONFIG SET protected-mode no' from the loopback interface " +
  'by connecting to Redis from the same host the server is ' +
  'running, however MAKE SURE Redis is not publicly accessible ' +
  'from internet if you do so. Use CONFIG REWRITE to make this ' +
  'change permanent. ' +
  '2) Alternatively you can just disable the protected mode by ' +
  'editing the Redis configuration file, and setting the protected ' +
  "mode option to 'no', and then restarting the server. " +
  '3) If you started the server manually just for testing, restart ' +
  "it with the '--protected-mode no' option. " +
  '4) Set up an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for ' +
  'the server to start accepting connections from the outside.\r\n';

t.test("the refusal text is Redis 7.2's, byte for byte", async (t) => {
  t.equal(Buffer.compare(Buffer.from(PROTECTED_MODE_DENIED, 'latin1'), Buffer.from(REDIS_72_DENIED, 'latin1')), 0, 'same bytes');
  t.equal(PROTECTED_MODE_DENIED.length, 1066, '1,064 characters and CRLF');
});

t.test('the installed Redis 7.0 sends the same text but for its typo', { skip: hasRedis() ? false : 'redis-server is not installed' }, async (t) => {
  const binary = readFileSync(execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'latin1' }).trim());
  const start = binary.indexOf('-DENIED Redis is running in protected mode');
  t.ok(start >= 0, 'the binary holds the refusal');
  const text = binary.toString('latin1', start, binary.indexOf(0, start));
  t.equal(text.replace('4) Setup a an authentication', '4) Set up an authentication'), REDIS_72_DENIED);
});

/** An in-process server whose accept path gets loopback sockets that say they come from `peer`. */
async function serverSeeing(peer: string, args: string[]): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = new Server(Config.fromArgs(['--port', String(await freePort()), '--bind', '127.0.0.1', '--appendonly', 'no', '--save', '', ...args]), pino({ level: 'silent' }));
  await server.listen();
  const accept = (server as unknown as { accept(socket: Socket): void }).accept.bind(server);
  const front = createServer((socket) => {
    Object.defineProperty(socket, 'remoteAddress', { value: peer });
    accept(socket);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const address = front.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    server,
    port,
    close: async () => {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await server.close();
    },
  };
}

/** Everything a new connection receives until the server closes it. */
function receivedUntilClose(port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.once('close', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

t.test('a remote peer with no password set gets exactly that text, is closed and counted', async (t) => {
  const { server, port, close } = await serverSeeing('203.0.113.5', ['--protected-mode', 'yes']);
  t.teardown(close);
  const got = await receivedUntilClose(port);
  t.equal(Buffer.compare(got, Buffer.from(REDIS_72_DENIED, 'latin1')), 0, 'the exact bytes, then the close');
  t.equal(server.stats.rejectedConnections, 1, 'rejected_connections counts it');
  const local = await RawClient.connect(server.boundPort);
  t.match((await local.call('INFO', 'stats')).toString('latin1'), /\r\nrejected_connections:1\r\n/);
  local.close();
});

t.test('a password, or protected-mode no, lets the same peer in', async (t) => {
  for (const args of [['--requirepass', 'secret'], ['--protected-mode', 'no']]) {
    const { server, port, close } = await serverSeeing('203.0.113.5', args);
    const client = await RawClient.connect(port);
    const reply = (await client.call('PING')).toString('latin1');
    t.equal(reply, args[0] === '--requirepass' ? '-NOAUTH Authentication required.\r\n' : '+PONG\r\n', args.join(' '));
    t.equal(server.stats.rejectedConnections, 0);
    client.close();
    await close();
  }
});
