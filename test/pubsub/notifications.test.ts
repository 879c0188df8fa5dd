// Keyspace notifications against real Redis: a subscriber listens to every __keyspace@*__ and
// __keyevent@*__ channel while a script of commands runs, and the whole sequence of messages it
// receives must equal Redis's, byte for byte, for each notify-keyspace-events setting tried.

import t, { type Test } from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';
import { Twin } from '../support/twins';

let pair: DiffPair;
t.before(async () => {
  if (redisSkip === false) pair = await DiffPair.start();
});
t.teardown(() => pair?.stop());

type Step = string[] | { sleepMs: number };

/** Commands of every family that exists, including the ones that must announce nothing. */
const SCRIPT: Step[] = [
  // strings
  ['SET', 's', '1'],
  ['SET', 's', '2', 'EX', '100'],
  ['SET', 's', '3', 'KEEPTTL'],
  ['SET', 's', '4', 'NX'],
  ['SET', 's', '5', 'XX', 'GET'],
  ['SET', 'absent', '5', 'XX'],
  ['SET', 'g', 'v', 'GET'],
  ['SETEX', 'ex', '100', 'v'],
  ['PSETEX', 'px', '100000', 'v'],
  ['SETNX', 'nx', 'v'],
  ['SETNX', 'nx', 'w'],
  ['MSET', 'm1', 'a', 'm2', 'b', 'm1', 'c'],
  ['MSETNX', 'm3', 'a', 'm4', 'b'],
  ['MSETNX', 'm3', 'a', 'm5', 'b'],
  ['GETSET', 'gs', 'v'],
  ['APPEND', 'ap', 'x'],
  ['APPEND', 'ap', 'y'],
  ['SETRANGE', 'sr', '2', 'xy'],
  ['SETRANGE', 'sr', '0', ''],
  ['SETRANGE', 'nothing', '0', ''],
  ['INCR', 'n'],
  ['DECR', 'n'],
  ['INCRBY', 'n', '5'],
  ['DECRBY', 'n', '2'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCR', 's'],
  ['GET', 'missing'],
  ['MGET', 'missing', 's'],
  ['STRLEN', 'missing'],
  ['GETRANGE', 'missing', '0', '1'],
  ['GETDEL', 'gs'],
  ['GETDEL', 'gs'],
  ['GETEX', 'ex', 'EX', '50'],
  ['GETEX', 'ex', 'PERSIST'],
  ['GETEX', 'ex', 'PERSIST'],
  ['GETEX', 'px', 'PXAT', '1000'],
  ['GETEX', 'missing', 'EX', '5'],
  // keyspace
  ['DEL', 'm1', 'missing', 'm2', 'm1'],
  ['UNLINK', 'm3', 'm4'],
  ['EXISTS', 's', 'missing'],
  ['TYPE', 'missing'],
  ['TTL', 'missing'],
  ['PTTL', 's'],
  ['OBJECT', 'ENCODING', 'missing'],
  ['TOUCH', 's', 'missing'],
  ['EXPIRE', 's', '100'],
  ['EXPIRE', 's', '100', 'NX'],
  ['PEXPIRE', 'missing', '100'],
  ['PERSIST', 's'],
  ['PERSIST', 's'],
  ['EXPIREAT', 'nx', '1000'],
  ['SET', 'r', 'v'],
  ['RENAME', 'r', 'r2'],
  ['SET', 'r', 'w'],
  ['RENAME', 'r', 'r2'],
  ['RENAME', 'r2', 'r2'],
  ['RENAMENX', 'r2', 'ap'],
  ['RENAMENX', 'r2', 'r3'],
  ['MOVE', 'r3', '1'],
  ['MOVE', 'n', '1'],
  ['SET', 'n', 'again'],
  ['MOVE', 'n', '1'],
  ['COPY', 'f', 'f2'],
  ['COPY', 'f', 'f2'],
  ['COPY', 'f', 'f2', 'REPLACE'],
  ['COPY', 'f', 'f3', 'DB', '2'],
  ['SELECT', '1'],
  ['SET', 'in1', 'v'],
  ['DEL', 'in1', 'r3'],
  ['SELECT', '0'],
  // lists
  ['LPUSH', 'l', 'a', 'b', 'c'],
  ['RPUSH', 'l', 'd'],
  ['LPUSHX', 'nolist', 'a'],
  ['RPUSHX', 'l', 'e'],
  ['LINSERT', 'l', 'BEFORE', 'a', 'x'],
  ['LINSERT', 'l', 'AFTER', 'nosuch', 'x'],
  ['LSET', 'l', '0', 'z'],
  ['LRANGE', 'nolist', '0', '-1'],
  ['LLEN', 'nolist'],
  ['LINDEX', 'nolist', '0'],
  ['LPOS', 'nolist', 'a'],
  ['LPOP', 'l'],
  ['RPOP', 'l', '2'],
  ['LREM', 'l', '0', 'nosuch'],
  ['LREM', 'l', '1', 'x'],
  ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
  ['LMOVE', 'l', 'l2', 'RIGHT', 'LEFT'],
  ['LMOVE', 'nolist', 'l2', 'RIGHT', 'LEFT'],
  ['RPOPLPUSH', 'l2', 'l2'],
  ['RPUSH', 'one', 'x'],
  ['RPOPLPUSH', 'one', 'one'],
  ['LMOVE', 'one', 'l3', 'LEFT', 'LEFT'],
  ['LMPOP', '2', 'nolist', 'l2', 'LEFT', 'COUNT', '10'],
  ['LMPOP', '1', 'nolist', 'RIGHT'],
  ['RPUSH', 't', 'a', 'b', 'c'],
  ['LTRIM', 't', '0', '-1'],
  ['LTRIM', 't', '1', '0'],
  ['LTRIM', 'nolist', '0', '1'],
  ['RPUSH', 'rm', 'a', 'a'],
  ['LREM', 'rm', '0', 'a'],
  ['LPOP', 'l3', '5'],
  // blocking pops served at once announce what the plain ones do
  ['RPUSH', 'bl', 'a', 'b', 'c'],
  ['BLPOP', 'nolist', 'bl', '0'],
  ['BRPOP', 'bl', '0'],
  ['BLMOVE', 'bl', 'bl2', 'LEFT', 'RIGHT', '0'],
  ['BLMPOP', '0', '1', 'bl2', 'LEFT', 'COUNT', '2'],
  // expiry: lazy (a read finds the key expired), then active (nobody reads it)
  ['SET', 'lazy', 'v', 'PX', '1'],
  { sleepMs: 20 },
  ['GET', 'lazy'],
  ['SET', 'active', 'v', 'PX', '1'],
  { sleepMs: 400 },
  ['SET', 'past', 'v', 'PXAT', '1000'],
  ['GET', 'past'],
  ['DEBUG', 'SLEEP', '0'],
  // whole databases announce nothing
  ['SWAPDB', '0', '1'],
  ['FLUSHDB'],
  ['FLUSHALL'],
];

async function runScript(t: Test, flags: string): Promise<void> {
  const admin = await Twin.connect(t, pair, { label: 'admin' });
  await admin.send(['FLUSHALL']);
  await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', flags]);
  await admin.send(['CONFIG', 'GET', 'notify-keyspace-events']);
  const sub = await Twin.connect(t, pair, { label: `notify-keyspace-events ${flags}` });
  await sub.send(['PSUBSCRIBE', '__key*__:*']);
  const cmd = await Twin.connect(t, pair, { label: 'commands' });
  for (const step of SCRIPT) {
    if ('sleepMs' in step) await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
    else if (step[0] === 'DEBUG') continue;
    else await cmd.send(step);
  }
  await drain(t, sub);
  await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', '']);
}

/** Compare every message the subscribers received, in order, until both fall silent. */
async function drain(t: Test, twin: Twin): Promise<void> {
  let n = 0;
  for (;;) {
    const [r, s] = await Promise.all([
      twin.redis.readReply(300).then((b) => b.toString('latin1'), () => null),
      twin.sluice.readReply(300).then((b) => b.toString('latin1'), () => null),
    ]);
    const shown = (m: string | null) => (m === null ? 'nothing' : m.split('\r\n').filter((_, i) => i % 2 === 0 && i > 2).join(' '));
    t.equal(s === null ? null : shown(s), r === null ? null : shown(r), `${twin.label} #${++n}: ${shown(r)}`);
    if (r === null || s === null) return;
  }
}

for (const flags of ['KEA', 'AKEnm', 'Kg', 'E$l', 'Exn', 'Km', 'A']) {
  t.test(`notifications for a script of commands: ${flags}`, { skip: redisSkip }, async (t) => {
    await runScript(t, flags);
  });
}

t.test('keyspace channels and the db number in them', { skip: redisSkip }, async (t) => {
  const admin = await Twin.connect(t, pair, { label: 'admin' });
  await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
  const sub = await Twin.connect(t, pair, { resp: 3, label: 'RESP3 subscriber' });
  await sub.send(['SUBSCRIBE', '__keyspace@3__:k', '__keyevent@3__:set'], 2);
  const cmd = await Twin.connect(t, pair);
  await cmd.send(['SELECT', '3']);
  await cmd.send(['SET', 'k', 'v']);
  await sub.expect(2, 'keyspace then keyevent');
  await cmd.send(['SELECT', '4']);
  await cmd.send(['SET', 'k', 'v']);
  await sub.quiet();
  // A client subscribed to its own notifications (RESP3): the pushes come before SET's reply.
  await sub.send(['SELECT', '3']);
  await sub.send(['SET', 'k', 'w'], 3);
  await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', '']);
  await admin.send(['FLUSHALL']);
});

t.test('LMOVEM announces as LMOVE does (Sluice only: the installed Redis lacks it)', async (t) => {
  const sluice = await startSluice(['--notify-keyspace-events', 'KEA']);
  t.teardown(() => sluice.stop());
  const [sub, c] = await Promise.all([RawClient.connect(sluice.port), RawClient.connect(sluice.port)]);
  t.teardown(() => {
    sub.close();
    c.close();
  });
  await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
  await c.call('RPUSH', 'src', 'a', 'b', 'c');
  await c.call('LMOVEM', 'src', 'dst', 'LEFT', 'RIGHT', 'COUNT', '3', 'BULK');
  const events: string[] = [];
  for (let i = 0; i < 4; i++) {
    const parts = (await sub.readReply()).toString('latin1').split('\r\n');
    events.push(`${parts[6]} ${parts[8]}`);
  }
  t.same(events, ['__keyevent@0__:rpush src', '__keyevent@0__:rpush dst', '__keyevent@0__:lpop src', '__keyevent@0__:del src']);
});
