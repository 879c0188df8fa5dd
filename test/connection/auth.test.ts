// Authentication with requirepass: NOAUTH, AUTH in both forms, HELLO AUTH, RESET logging out, and
// requirepass changed at run time, against real Redis. The two places where Redis 7.2 differs from
// the 7.0 server the tests run against are checked on Sluice alone, with 7.2's bytes.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';

function maskHello(reply: Buffer): string {
  return reply
    .toString('latin1')
    .replace(/(\$7\r\nversion\r\n)\$\d+\r\n[^\r]*\r\n/, '$1<version>')
    .replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1<id>');
}

const hello = (...args: string[]): Step => ({ cmd: ['HELLO', ...args], mask: maskHello });

const HELLO_NOAUTH =
  '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n';

t.test('authentication matches Redis', { skip: redisSkip }, async (t) => {
  const args = ['--requirepass', 'secret'];
  const pair = await DiffPair.start({ sluiceArgs: args, redisArgs: args });
  t.teardown(() => pair.stop());

  await pair.check(t, [
    ['PING'],
    ['ECHO', 'x'],
    // Arity and unknown-command errors come before NOAUTH; so does DEBUG's protection.
    ['ECHO'],
    ['NOSUCH', 'a'],
    ['CLIENT', 'NOSUCH'],
    ['DEBUG', 'SLEEP', '0'],
    ['SELECT', '1'],
    ['AUTH', 'wrong'],
    ['AUTH', 'default', 'wrong'],
    ['AUTH', 'nobody', 'secret'],
    ['AUTH', 'DEFAULT', 'secret'],
    ['AUTH', 'a', 'b', 'c'],
    hello('3', 'AUTH', 'default', 'wrong'),
    hello('3', 'AUTH', 'nobody', 'secret'),
    ['PING'],
    ['AUTH', 'secret'],
    ['PING'],
    // A failed attempt does not log an authenticated connection out.
    ['AUTH', 'wrong'],
    ['PING'],
    ['RESET'],
    ['PING'],
    ['AUTH', 'default', 'secret'],
    ['PING'],
    ['RESET'],
    hello('3', 'AUTH', 'default', 'secret', 'SETNAME', 'cli'),
    ['CLIENT', 'GETNAME'],
    ['PING'],
    hello('2', 'AUTH', 'default', 'wrong'),
    hello(),
  ]);
  await pair.check(t, [['QUIT']]);

  // requirepass changed at run time: connections already in stay in; new ones must authenticate.
  await pair.check(t, [['AUTH', 'secret'], ['CONFIG', 'SET', 'requirepass', 'other'], ['PING'], ['AUTH', 'secret'], ['PING']]);
  await pair.check(t, [['PING'], ['AUTH', 'secret'], ['AUTH', 'other'], ['PING']], { resp: 3 });
  // With no password again, everyone is let in, even connections that never authenticated.
  const [stillOutR, stillOutS] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
  await pair.check(t, [['AUTH', 'other'], ['CONFIG', 'SET', 'requirepass', '']]);
  t.equal((await stillOutS.call('PING')).toString(), (await stillOutR.call('PING')).toString(), 'an old connection is let in');
  stillOutR.close();
  stillOutS.close();
  await pair.check(t, [['PING'], ['AUTH', 'secret'], ['AUTH', 'default', 'anything'], ['CONFIG', 'SET', 'requirepass', 'secret']]);

  // Redis 7.2's wording of HELLO's NOAUTH error names the protocol argument.
  const sluice = await RawClient.connect(pair.sluice.port);
  t.equal((await sluice.call('HELLO')).toString(), HELLO_NOAUTH);
  t.equal((await sluice.call('HELLO', '3', 'SETNAME', 'x')).toString(), HELLO_NOAUTH);
  // Redis 7.2 checks SETNAME before authenticating: a bad name leaves the connection logged out.
  t.equal(
    (await sluice.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'a b')).toString(),
    '-ERR Client names cannot contain spaces, newlines or special characters.\r\n',
  );
  t.equal((await sluice.call('PING')).toString(), '-NOAUTH Authentication required.\r\n');
  sluice.close();
});
