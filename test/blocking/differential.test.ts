// Blocking list commands against real Redis: several raw connections per server run the same
// script (one blocks, others write, CLIENT UNBLOCK...), and every reply and its order must match
// byte for byte. Where Redis 7.2 (which Sluice follows) differs from the installed 7.0, the case
// is in server.test.ts instead.

import t from 'tap';
import { redisSkip } from '../support/differential';
import { startRedis, startSluice, type RunningServer } from '../support/servers';
import { runScenario, type Step } from './scenario';

const scenarios: ReadonlyArray<{ name: string; steps: Step[]; resp3?: boolean }> = [
  {
    name: 'argument errors and immediate answers',
    resp3: true,
    steps: [
      ...['abc', '', 'nan', '-1', '-0.5', '1.5x', ' 1', '1 '].map((timeout) => ({ c: 'a', cmd: ['BLPOP', 'q', timeout] })),
      { c: 'a', cmd: ['BLPOP', 'q'] },
      { c: 'a', cmd: ['BRPOPLPUSH', 'q', 'd', 'x'] },
      { c: 'a', cmd: ['BLMOVE', 'q', 'd', 'up', 'left', '0'] },
      { c: 'a', cmd: ['BLMOVE', 'q', 'd', 'left', 'down', 'bad'] },
      { c: 'a', cmd: ['BLMOVE', 'q', 'd', 'left', 'right', 'bad'] },
      { c: 'a', cmd: ['BLMPOP', '0', '0', 'a', 'left'] },
      { c: 'a', cmd: ['BLMPOP', 'bad', '1', 'a', 'left'] },
      { c: 'a', cmd: ['BLMPOP', '-1', '1', 'a', 'left', 'count', '0'] },
      { c: 'a', cmd: ['BLMPOP', '0', '2', 'a', 'left'] },
      { c: 'a', cmd: ['BLMPOP', '0', '1', 'a', 'middle'] },
      { c: 'a', cmd: ['BLMPOP', '0', '1', 'a', 'left', 'count', '1', 'count', '2'] },
      { c: 'a', cmd: ['BLMPOP', '0', '1', 'a', 'left', 'count'] },
      { c: 'a', cmd: ['SET', 's', 'v'] },
      { c: 'a', cmd: ['BLPOP', 's', '0'] },
      { c: 'a', cmd: ['BLPOP', 'missing', 's', '0'] },
      { c: 'a', cmd: ['RPUSH', 'l', '1', '2', '3'] },
      { c: 'a', cmd: ['BLPOP', 'l', 's', '0'] },
      { c: 'a', cmd: ['BRPOP', 'missing', 'l', '0'] },
      { c: 'a', cmd: ['BLMOVE', 's', 'd', 'left', 'left', '0'] },
      { c: 'a', cmd: ['BLMOVE', 'l', 's', 'left', 'left', '0'] },
      { c: 'a', cmd: ['BRPOPLPUSH', 'l', 'd', '0'] },
      { c: 'a', cmd: ['LRANGE', 'd', '0', '-1'] },
      { c: 'a', cmd: ['RPUSH', 'm', 'x', 'y', 'z'] },
      { c: 'a', cmd: ['BLMPOP', '0', '3', 'nope', 'm', 's', 'right', 'COUNT', '2'] },
      { c: 'a', cmd: ['BLMPOP', '0', '2', 'm', 'nope', 'LEFT', 'count', '10'] },
      { c: 'a', cmd: ['EXISTS', 'm'] },
      { c: 'a', cmd: ['BLPOP', 'q', '0.01'] },
      { c: 'a', cmd: ['BRPOP', 'q', 'r', '0.02'] },
      { c: 'a', cmd: ['BLMOVE', 'q', 'd', 'right', 'left', '0.01'] },
      { c: 'a', cmd: ['BRPOPLPUSH', 'q', 'd', '.01'] },
      { c: 'a', cmd: ['BLMPOP', '0.01', '1', 'q', 'left'] },
      { c: 'a', cmd: ['BLPOP', 'q', '1e-4'] },
    ],
  },
  {
    name: 'FIFO among blocked clients, one element to one client',
    steps: [
      { c: 'a', send: ['BLPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'b', send: ['BRPOP', 'q', '0'] },
      { blocked: 2 },
      { c: 'c', send: ['BLPOP', 'q', '0'] },
      { blocked: 3 },
      { c: 'd', cmd: ['RPUSH', 'q', '1', '2'] },
      { c: 'a', read: true },
      { c: 'b', read: true },
      { c: 'c', none: 100 },
      { c: 'd', cmd: ['LLEN', 'q'] },
      { c: 'd', cmd: ['LPUSH', 'q', '3', '4'] },
      { c: 'c', read: true },
      { c: 'd', cmd: ['LRANGE', 'q', '0', '-1'] },
    ],
  },
  {
    name: 'many keys: the written key serves, the first client blocked wins',
    resp3: true,
    steps: [
      { c: 'a', send: ['BLPOP', 'k1', 'k2', 'k3', '0'] },
      { blocked: 1 },
      { c: 'b', send: ['BRPOP', 'k3', 'k2', '0'] },
      { blocked: 2 },
      { c: 'c', send: ['BLPOP', 'k3', 'k3', '0'] },
      { blocked: 3 },
      { c: 'd', cmd: ['RPUSH', 'k3', 'x', 'y'] },
      { c: 'a', read: true },
      { c: 'b', read: true },
      { c: 'd', cmd: ['RPUSH', 'k2', 'z'] },
      { c: 'c', none: 100 },
      { c: 'd', cmd: ['EXISTS', 'k2'] },
      { c: 'd', cmd: ['RPUSH', 'k3', 'w'] },
      { c: 'c', read: true },
    ],
  },
  {
    name: 'BLMOVE into a list another client waits on: the chain is served in the same pass',
    steps: [
      { c: 'a', send: ['BLMOVE', 'src', 'mid', 'LEFT', 'RIGHT', '0'] },
      { blocked: 1 },
      { c: 'b', send: ['BRPOPLPUSH', 'mid', 'dst', '0'] },
      { blocked: 2 },
      { c: 'c', send: ['BLPOP', 'dst', '0'] },
      { blocked: 3 },
      { c: 'd', cmd: ['RPUSH', 'src', 'job1', 'job2'] },
      { c: 'a', read: true },
      { c: 'b', read: true },
      { c: 'c', read: true },
      { c: 'd', cmd: ['LRANGE', 'src', '0', '-1'] },
      { c: 'd', cmd: ['EXISTS', 'mid', 'dst'] },
      { c: 'a', send: ['BLMOVE', 'ring', 'ring', 'RIGHT', 'LEFT', '0'] },
      { blocked: 1 },
      { c: 'd', cmd: ['RPUSH', 'ring', '1', '2', '3'] },
      { c: 'a', read: true },
      { c: 'd', cmd: ['LRANGE', 'ring', '0', '-1'] },
    ],
  },
  {
    name: 'a key deleted, overwritten with another type, and re-created',
    steps: [
      { c: 'a', send: ['BLPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'd', cmd: ['SET', 'q', 'str'] },
      { c: 'a', none: 100 },
      { c: 'd', cmd: ['DEL', 'q'] },
      { c: 'd', cmd: ['RPUSH', 'q', 'v'] },
      { c: 'a', read: true },
      { c: 'b', send: ['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0'] },
      { blocked: 1 },
      { c: 'd', cmd: ['SET', 'd', 'str'] },
      { c: 'd', cmd: ['RPUSH', 'q', 'w'] },
      { c: 'b', read: true },
      { c: 'd', cmd: ['LRANGE', 'q', '0', '-1'] },
    ],
  },
  {
    name: 'CLIENT UNBLOCK with TIMEOUT and ERROR',
    resp3: true,
    steps: [
      { c: 'a', send: ['BLPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '$id:a'] },
      { c: 'a', read: true },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '$id:a'] },
      { c: 'a', send: ['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0'] },
      { blocked: 1 },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '$id:a', 'timeout'] },
      { c: 'a', read: true },
      { c: 'a', send: ['BLMPOP', '0', '2', 'q', 'r', 'LEFT'] },
      { blocked: 1 },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '$id:a', 'sideways'] },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', 'abc', 'ERROR'] },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', 'abc'] },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '1', 'error', 'more'] },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '-5', 'error'] },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '$id:a', 'ERROR'] },
      { c: 'a', read: true },
      { c: 'a', cmd: ['PING'] },
      { c: 'd', cmd: ['RPUSH', 'q', 'x'] },
    ],
  },
  {
    name: 'commands sent while blocked wait for the reply, then run in order',
    steps: [
      { c: 'a', send: ['BLPOP', 'q', '0'] },
      { c: 'a', send: ['PING'] },
      { c: 'a', send: ['LLEN', 'q'] },
      { c: 'a', send: ['BLPOP', 'q', '0'] },
      { c: 'a', send: ['ECHO', 'after'] },
      { blocked: 1 },
      { c: 'd', cmd: ['RPUSH', 'q', 'x', 'y'] },
      { c: 'a', read: true },
      { c: 'a', read: true },
      { c: 'a', read: true },
      { c: 'a', read: true },
      { c: 'a', read: true },
      { c: 'd', cmd: ['EXISTS', 'q'] },
    ],
  },
  {
    name: 'timeouts in deadline order; a disconnected waiter is forgotten',
    steps: [
      { c: 'a', send: ['BLPOP', 'q', '0.3'] },
      { c: 'b', send: ['BRPOP', 'q', '0.1'] },
      { c: 'c', send: ['BLPOP', 'q', '0'] },
      { blocked: 3 },
      { c: 'b', read: true },
      { c: 'a', read: true },
      { c: 'c', close: true },
      { blocked: 0 },
      { c: 'd', cmd: ['RPUSH', 'q', 'kept'] },
      { c: 'd', cmd: ['LRANGE', 'q', '0', '-1'] },
    ],
  },
  {
    name: 'inside MULTI/EXEC blocking commands do not block; pushes in EXEC serve waiters after it',
    resp3: true,
    steps: [
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['BLPOP', 'empty', '0'] },
      { c: 'a', cmd: ['BRPOP', 'empty', 'other', '10'] },
      { c: 'a', cmd: ['BLMOVE', 'empty', 'd', 'LEFT', 'RIGHT', '0'] },
      { c: 'a', cmd: ['BRPOPLPUSH', 'empty', 'd', '0'] },
      { c: 'a', cmd: ['BLMPOP', '0', '1', 'empty', 'LEFT'] },
      { c: 'a', cmd: ['BLPOP', 'empty', '-1'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'b', send: ['BLPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'c', send: ['BRPOP', 'q', '0'] },
      { blocked: 2 },
      { c: 'd', cmd: ['MULTI'] },
      { c: 'd', cmd: ['RPUSH', 'q', 'x', 'y', 'z'] },
      { c: 'd', cmd: ['LPOP', 'q'] },
      { c: 'd', cmd: ['BLPOP', 'q', '0'] },
      { c: 'd', cmd: ['EXEC'] },
      { c: 'b', read: true },
      { c: 'c', none: 100 },
      { c: 'd', cmd: ['RPUSH', 'q', 'w'] },
      { c: 'c', read: true },
    ],
  },
  {
    name: 'BLMPOP serves up to COUNT from the written list',
    resp3: true,
    steps: [
      { c: 'a', send: ['BLMPOP', '0', '2', 'a', 'b', 'RIGHT', 'COUNT', '5'] },
      { blocked: 1 },
      { c: 'b', send: ['BLMPOP', '0', '1', 'b', 'LEFT', 'COUNT', '2'] },
      { blocked: 2 },
      { c: 'd', cmd: ['RPUSH', 'b', '1', '2', '3'] },
      { c: 'a', read: true },
      { c: 'b', none: 100 },
      { c: 'd', cmd: ['LPUSH', 'b', 'p', 'q', 'r'] },
      { c: 'b', read: true },
      { c: 'd', cmd: ['LRANGE', 'b', '0', '-1'] },
    ],
  },
];

let redis: RunningServer | undefined;
let sluice: RunningServer | undefined;

t.before(async () => {
  if (redisSkip !== false) return;
  [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
});

t.teardown(async () => {
  await Promise.all([redis?.stop(), sluice?.stop()]);
});

for (const scenario of scenarios) {
  for (const resp of scenario.resp3 === true ? ([2, 3] as const) : ([2] as const)) {
    t.test(`${scenario.name} (RESP${resp})`, { skip: redisSkip }, async (t) => {
      const expected = await runScenario(redis!.port, scenario.steps, { resp });
      const actual = await runScenario(sluice!.port, scenario.steps, { resp });
      t.ok(expected.length > 0, 'the script recorded replies');
      for (let i = 0; i < Math.max(expected.length, actual.length); i++) t.equal(actual[i], expected[i], expected[i] ?? actual[i] ?? '');
    });
  }
}
