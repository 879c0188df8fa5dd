// Transactions and blocked clients against real Redis (several connections, every reply and its
// order compared byte for byte, RESP2 and RESP3): blocking commands inside MULTI answer at once as
// on timeout; waiters are served after the whole EXEC, from what the EXEC left (a push undone by a
// DEL or a POP later in the same EXEC serves nobody); BLMOVE inside EXEC feeds a waiter on its
// destination; a served waiter's pop is a write that fails a WATCH on the key.

import t from 'tap';
import { redisSkip } from '../support/differential';
import { startRedis, startSluice, type RunningServer } from '../support/servers';
import { runScenario, type Step } from '../blocking/scenario';

const scenarios: ReadonlyArray<{ name: string; steps: Step[] }> = [
  {
    name: 'blocking commands inside MULTI answer at once, whatever the timeout',
    steps: [
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['BLPOP', 'q', '0'] },
      { c: 'a', cmd: ['BRPOP', 'q', '0.01'] },
      { c: 'a', cmd: ['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0'] },
      { c: 'a', cmd: ['BRPOPLPUSH', 'q', 'd', '5'] },
      { c: 'a', cmd: ['BLMPOP', '0', '2', 'q', 'r', 'RIGHT', 'COUNT', '3'] },
      { c: 'a', cmd: ['BLPOP', 'q', 'abc'] },
      { c: 'a', cmd: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      { c: 'a', cmd: ['XREAD', 'BLOCK', '10', 'STREAMS', 's', '0-0'] },
      { c: 'a', cmd: ['RPUSH', 'q', 'x'] },
      { c: 'a', cmd: ['BLPOP', 'q', '0'] },
      { c: 'a', cmd: ['BLPOP', 'q', '0'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'a', cmd: ['PING'] },
    ],
  },
  {
    name: 'a push undone later in the same EXEC serves nobody',
    steps: [
      { c: 'b', send: ['BLPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['RPUSH', 'q', 'x'] },
      { c: 'a', cmd: ['DEL', 'q'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'b', none: 100 },
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['RPUSH', 'q', 'x', 'y'] },
      { c: 'a', cmd: ['LPOP', 'q', '2'] },
      { c: 'a', cmd: ['RPUSH', 'q', 'z'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'b', read: true },
      { c: 'a', cmd: ['EXISTS', 'q'] },
    ],
  },
  {
    name: 'waiters are served in order after EXEC, one element each',
    steps: [
      { c: 'b', send: ['BRPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'c', send: ['BLPOP', 'q', 'other', '0'] },
      { blocked: 2 },
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['RPUSH', 'q', '1', '2', '3'] },
      { c: 'a', cmd: ['LLEN', 'q'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'b', read: true },
      { c: 'c', read: true },
      { c: 'a', cmd: ['LRANGE', 'q', '0', '-1'] },
    ],
  },
  {
    name: 'BLMOVE inside EXEC moves at once and feeds a waiter on its destination',
    steps: [
      { c: 'b', send: ['BLPOP', 'dst', '0'] },
      { blocked: 1 },
      { c: 'a', cmd: ['RPUSH', 'src', 'm'] },
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'] },
      { c: 'a', cmd: ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'] },
      { c: 'a', cmd: ['LLEN', 'dst'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'b', read: true },
      { c: 'a', cmd: ['EXISTS', 'src', 'dst'] },
    ],
  },
  {
    name: "a waiter's pop fails a WATCH on the key",
    steps: [
      { c: 'w', cmd: ['WATCH', 'q'] },
      { c: 'b', send: ['BLPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['RPUSH', 'q', 'x'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'b', read: true },
      { c: 'w', cmd: ['MULTI'] },
      { c: 'w', cmd: ['RPUSH', 'q', 'mine'] },
      { c: 'w', cmd: ['EXEC'] },
      { c: 'a', cmd: ['EXISTS', 'q'] },
    ],
  },
  {
    name: 'a client in MULTI is not blocked; DISCARD leaves no waiter',
    steps: [
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['BLPOP', 'q', '0'] },
      { c: 'a', cmd: ['DISCARD'] },
      { c: 'b', cmd: ['RPUSH', 'q', 'x'] },
      { c: 'a', none: 100 },
      { c: 'b', cmd: ['LLEN', 'q'] },
    ],
  },
];

let redis: RunningServer;
let sluice: RunningServer;

t.before(async () => {
  if (redisSkip !== false) return;
  [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
});
t.teardown(async () => {
  await Promise.all([redis?.stop(), sluice?.stop()]);
});

for (const scenario of scenarios) {
  for (const resp of [2, 3] as const) {
    t.test(`${scenario.name} (RESP${resp})`, { skip: redisSkip }, async (t) => {
      const expected = await runScenario(redis.port, scenario.steps, { resp });
      const actual = await runScenario(sluice.port, scenario.steps, { resp });
      t.strictSame(actual, expected);
    });
  }
}
