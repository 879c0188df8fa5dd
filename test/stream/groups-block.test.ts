// XREADGROUP BLOCK: several raw connections per server run the same script (clients block on
// groups, others write), and every reply and its order must match real Redis byte for byte: one
// new entry goes to one consumer of a group, in the order consumers blocked; each group gets its
// own copy; timeouts, NOACK, many streams, MULTI and CLIENT UNBLOCK. Where Redis 7.2 (which Sluice
// follows) answers differently from the installed 7.0 (the key deleted, the group destroyed, the
// key's type changed while a consumer waits: 7.2 runs the command again and answers its error; the
// consumer is created before it blocks), Sluice is checked alone against 7.2's replies.

import t, { type Test } from 'tap';
import { runScenario, type Step } from '../blocking/scenario';
import { redisSkip } from '../support/differential';
import { startRedis, startSluice, type RunningServer } from '../support/servers';

const read = (consumer: string, ...rest: string[]): string[] => ['XREADGROUP', 'GROUP', 'g', consumer, ...rest];

const scenarios: ReadonlyArray<{ name: string; steps: Step[] }> = [
  {
    name: 'a new entry wakes one consumer, in the order they blocked',
    steps: [
      { c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'] },
      { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { blocked: 1 },
      { c: 'b', send: read('bob', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { blocked: 2 },
      { c: 'c', send: read('carol', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { blocked: 3 },
      { c: 'w', cmd: ['XADD', 's', '1-0', 'f', 'v1'] },
      { c: 'a', read: true },
      { c: 'b', none: 50 },
      { c: 'w', cmd: ['XADD', 's', '2-0', 'f', 'v2'] },
      { c: 'b', read: true },
      { c: 'w', cmd: ['MULTI'] },
      { c: 'w', cmd: ['XADD', 's', '3-0', 'f', 'v3'] },
      { c: 'w', cmd: ['XADD', 's', '4-0', 'f', 'v4'] },
      { c: 'w', cmd: ['EXEC'] },
      { c: 'c', read: true },
      { blocked: 0 },
      { c: 'w', cmd: ['XPENDING', 's', 'g'] },
      { c: 'w', cmd: ['XINFO', 'GROUPS', 's'] },
    ],
  },
  {
    name: 'each group gets the entry; NOACK; many streams',
    steps: [
      { c: 'w', cmd: ['XADD', 's', '1-0', 'f', 'old'] },
      { c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'g', '$'] },
      { c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'h', '$'] },
      { c: 'w', cmd: ['XGROUP', 'CREATE', 't', 'g', '$', 'MKSTREAM'] },
      { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { blocked: 1 },
      { c: 'b', send: ['XREADGROUP', 'GROUP', 'h', 'bob', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      { blocked: 2 },
      { c: 'c', send: read('carol', 'BLOCK', '0', 'STREAMS', 't', 's', '>', '>') },
      { blocked: 3 },
      { c: 'w', cmd: ['XADD', 's', '2-0', 'f', 'new'] },
      { c: 'a', read: true },
      { c: 'b', read: true },
      { c: 'c', none: 50 },
      { c: 'w', cmd: ['XADD', 't', '5-0', 'x', 'y'] },
      { c: 'c', read: true },
      { c: 'w', cmd: ['XPENDING', 's', 'g'] },
      { c: 'w', cmd: ['XPENDING', 's', 'h'] },
      // (not XINFO GROUPS s: 7.2 created carol in s's group too when she blocked, 7.0 did not)
      { c: 'w', cmd: ['XINFO', 'GROUPS', 't'] },
    ],
  },
  {
    name: 'timeouts, history IDs, MULTI and CLIENT UNBLOCK',
    steps: [
      { c: 'w', cmd: ['XADD', 's', '1-0', 'f', 'v'] },
      { c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'g', '0'] },
      { c: 'a', cmd: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { c: 'a', cmd: read('alice', 'BLOCK', '0', 'STREAMS', 's', '0') },
      { c: 'a', cmd: read('alice', 'BLOCK', '0', 'STREAMS', 's', '1-0') },
      { c: 'a', cmd: read('alice', 'BLOCK', '30', 'STREAMS', 's', '>') },
      { c: 'a', cmd: read('alice', 'COUNT', '5', 'BLOCK', '20', 'NOACK', 'STREAMS', 's', '>') },
      { c: 'a', cmd: ['MULTI'] },
      { c: 'a', cmd: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { c: 'a', cmd: ['EXEC'] },
      { c: 'a', cmd: read('alice', 'BLOCK', 'x', 'STREAMS', 's', '>') },
      { c: 'a', cmd: read('alice', 'BLOCK', '-1', 'STREAMS', 's', '>') },
      { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { blocked: 1 },
      { c: 'w', cmd: ['CLIENT', 'UNBLOCK', '$id:a', 'TIMEOUT'] },
      { c: 'a', read: true },
      { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { blocked: 1 },
      { c: 'w', cmd: ['CLIENT', 'UNBLOCK', '$id:a', 'ERROR'] },
      { c: 'a', read: true },
      { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') },
      { blocked: 1 },
      { c: 'w', cmd: ['XACK', 's', 'g', '1-0'] },
      { c: 'w', cmd: ['XGROUP', 'CREATECONSUMER', 's', 'g', 'zed'] },
      { c: 'a', none: 50 },
      { c: 'w', cmd: ['XADD', 's', '2-0', 'f', 'v'] },
      { c: 'a', read: true },
    ],
  },
];

async function both(t: Test, steps: readonly Step[], resp?: 2 | 3): Promise<void> {
  let redis: RunningServer | undefined;
  let sluice: RunningServer | undefined;
  try {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
    const [expected, actual] = await Promise.all([runScenario(redis.port, steps, { resp }), runScenario(sluice.port, steps, { resp })]);
    t.same(actual, expected, 'same replies in the same order');
  } finally {
    await Promise.all([redis?.stop(), sluice?.stop()]);
  }
}

t.test('XREADGROUP BLOCK against Redis', { skip: redisSkip }, async (t) => {
  for (const { name, steps } of scenarios) {
    await t.test(`${name} (RESP2)`, (t) => both(t, steps));
    await t.test(`${name} (RESP3)`, (t) => both(t, steps, 3));
  }
});

t.test("a blocked consumer and what ends its wait, as Redis 7.2 answers", async (t) => {
  const s = await startSluice();
  t.teardown(() => s.stop());
  const noGroup = "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n";
  const cases: Array<[string, Step[], string[]]> = [
    [
      'XGROUP DESTROY',
      [{ c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'] }, { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') }, { blocked: 1 }, { c: 'w', cmd: ['XGROUP', 'DESTROY', 's', 'g'] }, { c: 'a', read: true }],
      ["w XGROUP CREATE s g $ MKSTREAM -> +OK\r\n", 'w XGROUP DESTROY s g -> :1\r\n', `a reads ${noGroup}`],
    ],
    [
      'DEL',
      [{ c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'] }, { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') }, { blocked: 1 }, { c: 'w', cmd: ['DEL', 's'] }, { c: 'a', read: true }],
      ["w XGROUP CREATE s g $ MKSTREAM -> +OK\r\n", 'w DEL s -> :1\r\n', `a reads ${noGroup}`],
    ],
    [
      'a string replacing the stream',
      [{ c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'] }, { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') }, { blocked: 1 }, { c: 'w', cmd: ['SET', 's', 'x'] }, { c: 'a', read: true }],
      ["w XGROUP CREATE s g $ MKSTREAM -> +OK\r\n", 'w SET s x -> +OK\r\n', 'a reads -WRONGTYPE Operation against a key holding the wrong kind of value\r\n'],
    ],
    [
      'the consumer exists while it waits',
      [{ c: 'w', cmd: ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'] }, { c: 'a', send: read('alice', 'BLOCK', '0', 'STREAMS', 's', '>') }, { blocked: 1 }, { c: 'w', cmd: ['XINFO', 'GROUPS', 's'] }],
      [
        "w XGROUP CREATE s g $ MKSTREAM -> +OK\r\n",
        'w XINFO GROUPS s -> *1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n',
      ],
    ],
  ];
  for (const [name, steps, expected] of cases) t.same(await runScenario(s.port, steps), expected, name);
});
