// OBJECT under an LFU eviction policy, against real Redis: FREQ reports the logarithmic counter
// (new keys start at 5; the first read always counts), IDLETIME is refused.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';

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
];

t.test('OBJECT FREQ and IDLETIME under allkeys-lfu match Redis', { skip: redisSkip }, async (t) => {
  const policy = ['--maxmemory-policy', 'allkeys-lfu'];
  const pair = await DiffPair.start({ redisArgs: policy, sluiceArgs: policy });
  t.teardown(() => pair.stop());
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });
});
