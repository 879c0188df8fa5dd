// OBJECT under an LFU eviction policy, against real Redis: FREQ reports the logarithmic counter
// (new keys start at 5; the first read always counts), IDLETIME is refused. Both servers run with
// lfu-decay-time 0: the counter otherwise loses one at each wall-clock minute boundary, and a script
// (or the two servers' start-ups, for shared integers) straddling one would compare counters taken
// on either side of it. Decay itself is checked on the pure functions, with the time given.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { LFU_INIT_VAL, lfuAccess, lfuCounter, lfuInit } from '../../storage/lfu';

const script: Step[] = [
  ['SET', 'c', 'hello'],
  ['OBJECT', 'FREQ', 'c'],
  ['GET', 'c'],
  ['OBJECT', 'FREQ', 'c'],
  ['OBJECT', 'IDLETIME', 'c'],
  ['OBJECT', 'IDLETIME', 'nokey'],
  ['OBJECT', 'FREQ', 'nokey'],
  ['SET', 'n', '42'],
  ['OBJECT', 'REFCOUNT', 'n'],
  ['OBJECT', 'FREQ', 'n'],
  ['SET', 'big', '123456'],
  ['OBJECT', 'FREQ', 'big'],
  ['OBJECT', 'ENCODING', 'big'],
  ['TOUCH', 'big'],
  ['OBJECT', 'FREQ', 'big'],
  ['CONFIG', 'GET', 'lfu-decay-time'],
  ['CONFIG', 'SET', 'lfu-log-factor', '0'],
  ['CONFIG', 'GET', 'lfu-log-factor'],
  ['CONFIG', 'SET', 'lfu-log-factor', '-1'],
  ['CONFIG', 'SET', 'lfu-decay-time', 'x'],
  // Log factor 0: every access counts.
  ['GET', 'big'],
  ['GET', 'big'],
  ['OBJECT', 'FREQ', 'big'],
  ['CONFIG', 'SET', 'lfu-log-factor', '10'],
];

t.test('OBJECT FREQ and IDLETIME under allkeys-lfu match Redis', { skip: redisSkip }, async (t) => {
  const policy = ['--maxmemory-policy', 'allkeys-lfu', '--lfu-decay-time', '0'];
  const pair = await DiffPair.start({ redisArgs: policy, sluiceArgs: policy });
  t.teardown(() => pair.stop());
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });
});

t.test('the LFU counter decays by one per lfu-decay-time minutes and grows logarithmically', async (t) => {
  const minute = 60_000;
  const created = 1_000 * minute;
  const word = lfuInit(created);
  t.equal(lfuCounter(word, created), LFU_INIT_VAL, 'a new key starts at 5');
  t.equal(lfuCounter(word, created + minute - 1), LFU_INIT_VAL, 'no decay within the minute');
  t.equal(lfuCounter(word, created + minute), LFU_INIT_VAL - 1, 'one minute: one less');
  t.equal(lfuCounter(word, created + 3 * minute, { logFactor: 10, decayTimeMin: 2 }), LFU_INIT_VAL - 1, 'decay-time 2: one less after 3 minutes');
  t.equal(lfuCounter(word, created + 9 * minute), 0, 'never below 0');
  t.equal(lfuCounter(word, created + 600 * minute, { logFactor: 10, decayTimeMin: 0 }), LFU_INIT_VAL, 'decay-time 0: never');
  // Increments: certain at the initial value, with probability 1/((c - 5) * factor + 1) above it.
  const at = (counter: number) => ((created / minute) << 8) | counter;
  t.equal(lfuCounter(lfuAccess(at(5), created, undefined, () => 0.999999), created), 6, 'the first access always counts');
  t.equal(lfuCounter(lfuAccess(at(6), created, undefined, () => 1 / 11 - 1e-9), created), 7, 'just under 1/11 counts at 6');
  t.equal(lfuCounter(lfuAccess(at(6), created, undefined, () => 1 / 11), created), 6, '1/11 does not');
  t.equal(lfuCounter(lfuAccess(at(255), created, undefined, () => 0), created), 255, '255 is the ceiling');
  t.equal(lfuCounter(lfuAccess(at(5), created + 2 * minute, undefined, () => 0.5), created + 2 * minute), 4, 'decay first, then the increment');
});
