// XREAD BLOCK. Against real Redis (several raw connections per server, the same script, every
// reply and its order byte for byte) where Redis 7.0 and 7.2 agree: waking on XADD, `$`, many
// streams, every reader of a stream served, timeouts, CLIENT UNBLOCK, MULTI. Then Redis 7.2's
// re-run semantics on Sluice alone: a blocked XREAD runs again whenever one of its streams is
// written, with `$` fixed to what it meant when the client blocked (7.0 served it directly).

import t from 'tap';
import { redisSkip } from '../support/differential';
import { startRedis, startSluice, type RunningServer } from '../support/servers';
import { runScenario, type Step } from '../blocking/scenario';

const scenarios: ReadonlyArray<{ name: string; steps: Step[]; resp3?: boolean }> = [
  {
    name: 'an XADD wakes the reader with the new entry; $ means after the last ID at the call',
    resp3: true,
    steps: [
      { c: 'd', cmd: ['XADD', 's', '1-0', 'old', 'x'] },
      { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      { blocked: 1 },
      { c: 'a', none: 50 },
      { c: 'd', cmd: ['XADD', 's', '2-0', 'new', 'y'] },
      { c: 'a', read: true },
      { blocked: 0 },
      { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 'missing', '$'] },
      { blocked: 1 },
      { c: 'd', cmd: ['XADD', 'missing', '1-1', 'f', 'v'] },
      { c: 'a', read: true },
    ],
  },
  {
    name: 'many streams: the one written answers; every reader of a stream is served',
    resp3: true,
    steps: [
      { c: 'd', cmd: ['XADD', 'b', '5-0', 'f', 'v'] },
      { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', 'b', 'c', '0', '$', '0'] },
      { c: 'b', send: ['XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'b', '5-0'] },
      { c: 'c', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 'b', '9-0'] },
      { blocked: 3 },
      { c: 'd', cmd: ['XADD', 'b', '6-0', 'g', 'w'] },
      { c: 'a', read: true },
      { c: 'b', read: true },
      { c: 'c', none: 50 },
      { c: 'd', cmd: ['XADD', 'c', '1-0', 'h', 'u'] },
      { c: 'd', cmd: ['XADD', 'b', '10-0', 'i', 't'] },
      { c: 'c', read: true },
      { blocked: 0 },
    ],
  },
  {
    name: 'timeouts, CLIENT UNBLOCK, data already there with BLOCK, MULTI',
    resp3: true,
    steps: [
      { c: 'a', cmd: ['XREAD', 'BLOCK', '20', 'STREAMS', 's', '$'] },
      { c: 'a', cmd: ['XREAD', 'COUNT', '1', 'BLOCK', '10', 'STREAMS', 's', 'r', '0', '0'] },
      { c: 'd', cmd: ['XADD', 's', '1-0', 'f', 'v'] },
      { c: 'a', cmd: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '0'] },
      { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      { blocked: 1 },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '$id:a'] },
      { c: 'a', read: true },
      { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      { blocked: 1 },
      { c: 'd', cmd: ['CLIENT', 'UNBLOCK', '$id:a', 'ERROR'] },
      { c: 'a', read: true },
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      { c: 'a', cmd: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '0'] },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'a', cmd: ['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '$'] },
      { c: 'a', cmd: ['XREAD', 'BLOCK', 'x', 'STREAMS', 's', '$'] },
    ],
  },
  {
    name: 'a reader blocked on a list key and a stream reader on another key do not mix',
    steps: [
      { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      { c: 'b', send: ['BLPOP', 'l', '0'] },
      { blocked: 2 },
      { c: 'd', cmd: ['RPUSH', 'l', 'x'] },
      { c: 'b', read: true },
      { c: 'a', none: 50 },
      { c: 'd', cmd: ['XADD', 's', '1-0', 'f', 'v'] },
      { c: 'a', read: true },
    ],
  },
];

let redis: RunningServer | undefined;
let sluice: RunningServer | undefined;

t.before(async () => {
  [redis, sluice] = await Promise.all([redisSkip === false ? startRedis() : Promise.resolve(undefined), startSluice()]);
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

t.test('Redis 7.2: a blocked XREAD runs again on each write to its streams, $ fixed at blocking', async (t) => {
  const transcript = await runScenario(sluice!.port, [
    { c: 'd', cmd: ['XADD', 's', '5-0', 'f', 'v'] },
    { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
    { blocked: 1 },
    // Deleted, then written below the ID "$" stood for: nothing newer, the client keeps waiting.
    { c: 'd', cmd: ['DEL', 's'] },
    { c: 'd', cmd: ['XADD', 's', '3-0', 'low', 'x'] },
    { c: 'a', none: 50 },
    // Another type at the key: no run for a stream reader.
    { c: 'd', cmd: ['DEL', 's'] },
    { c: 'd', cmd: ['SET', 's', 'string'] },
    { c: 'a', none: 50 },
    { c: 'd', cmd: ['DEL', 's'] },
    { c: 'd', cmd: ['XADD', 's', '6-0', 'high', 'y'] },
    { c: 'a', read: true },
    // Two streams: the second turned into a string; a write to the first runs the command again,
    // which meets the string: WRONGTYPE.
    { c: 'd', cmd: ['XADD', 'b', '1-0', 'f', 'v'] },
    { c: 'a', send: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', 'b', '$', '$'] },
    { blocked: 1 },
    { c: 'd', cmd: ['DEL', 'b'] },
    { c: 'd', cmd: ['SET', 'b', 'string'] },
    { c: 'd', cmd: ['XADD', 's', '7-0', 'f', 'v'] },
    { c: 'a', read: true },
    { blocked: 0 },
  ]);
  t.same(transcript, [
    'd XADD s 5-0 f v -> $3\r\n5-0\r\n',
    'd DEL s -> :1\r\n',
    'd XADD s 3-0 low x -> $3\r\n3-0\r\n',
    'a waits (nothing)',
    'd DEL s -> :1\r\n',
    'd SET s string -> +OK\r\n',
    'a waits (nothing)',
    'd DEL s -> :1\r\n',
    'd XADD s 6-0 high y -> $3\r\n6-0\r\n',
    'a reads *1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$4\r\nhigh\r\n$1\r\ny\r\n',
    'd XADD b 1-0 f v -> $3\r\n1-0\r\n',
    'd DEL b -> :1\r\n',
    'd SET b string -> +OK\r\n',
    'd XADD s 7-0 f v -> $3\r\n7-0\r\n',
    'a reads -WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
  ]);
});
