// ECHO, SELECT, HELLO, AUTH (no password configured), QUIT and RESET against real Redis, byte for
// byte in RESP2 and RESP3. HELLO's version and id legitimately differ and are masked.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';

/** HELLO's map with the server version and connection id blanked out (both differ by design). */
function maskHello(reply: Buffer): string {
  return reply
    .toString('latin1')
    .replace(/(\$7\r\nversion\r\n)\$\d+\r\n[^\r]*\r\n/, '$1<version>')
    .replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1<id>');
}

const hello = (...args: string[]): Step => ({ cmd: ['HELLO', ...args], mask: maskHello });

t.test('connection commands match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());

  const script: Step[] = [
    ['ECHO', 'hello'],
    ['ECHO', ''],
    ['ECHO', Buffer.from([0, 255, 13, 10])],
    ['ECHO'],
    ['ECHO', 'a', 'b'],
    ['echo', 'lower case'],

    ['SELECT', '0'],
    ['SELECT', '15'],
    ['SELECT', '16'],
    ['SELECT', '-1'],
    ['SELECT', 'x'],
    ['SELECT', ''],
    ['SELECT', '1.5'],
    ['SELECT', '01'],
    ['SELECT', '+1'],
    ['SELECT', ' 1'],
    ['SELECT', '2147483648'],
    ['SELECT', '-2147483649'],
    ['SELECT', '99999999999999999999'],
    ['SELECT'],
    ['SELECT', '1', '2'],

    hello(),
    hello('2'),
    hello('1'),
    hello('4'),
    hello('-1'),
    hello('0'),
    hello('x'),
    hello('3.0'),
    hello('02'),
    hello('99999999999999999999'),
    hello('2', 'AUTH'),
    hello('2', 'AUTH', 'default'),
    hello('2', 'FOO'),
    hello('2', 'SETNAME'),
    hello('2', 'setname', 'conn-1'),
    ['CLIENT', 'GETNAME'],
    hello('2', 'SETNAME', ''),
    ['CLIENT', 'GETNAME'],
    hello('2', 'SETNAME', 'a b'),
    hello('2', 'SETNAME', 'a\nb'),
    // No password: the default user accepts any password, whatever the username case says.
    hello('2', 'AUTH', 'default', 'anything'),
    hello('2', 'AUTH', 'nobody', 'anything'),
    hello('2', 'AUTH', 'Default', 'anything'),

    ['AUTH'],
    ['AUTH', 'secret'],
    ['AUTH', 'default', 'secret'],
    ['AUTH', 'nobody', 'secret'],
    ['AUTH', 'a', 'b', 'c'],

    ['RESET'],
    ['RESET', 'x'],
    ['CLIENT', 'GETNAME'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });

  // HELLO switches the protocol: its own reply and those after it speak the new one.
  await pair.check(t, [hello('3'), ['ECHO', 'x'], ['CLIENT', 'GETNAME'], hello('2'), ['CLIENT', 'GETNAME']]);
  // RESET goes back to RESP2, database 0 and no name.
  await pair.check(
    t,
    [hello('3', 'SETNAME', 'n'), ['SELECT', '3'], ['SET', 'k', 'in-db-3'], ['RESET'], ['CLIENT', 'GETNAME'], ['GET', 'k'], ['SELECT', '3'], ['GET', 'k']],
    { resp: 3 },
  );
  // QUIT answers +OK, with or without arguments, then the connection is closed.
  await pair.check(t, [['QUIT']]);
  await pair.check(t, [['QUIT', 'extra', 'args']], { resp: 3 });

  // Nothing pipelined after QUIT runs.
  for (const port of [pair.redis.port, pair.sluice.port]) {
    const client = await RawClient.connect(port);
    client.write('*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n');
    const { bytes, closed } = await client.readUntilClose(2000);
    t.equal(bytes.toString(), '+OK\r\n', 'nothing after +OK');
    t.ok(closed, 'closed');
    client.close();
  }
});
