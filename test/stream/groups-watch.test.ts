// WATCH and consumer groups, against real Redis: Redis signals a stream key as modified when
// entries come or go (XADD, XDEL, XTRIM) and when XGROUP CREATE ... MKSTREAM creates it, but not
// for consumer-group bookkeeping (XREADGROUP, XACK, XCLAIM, XAUTOCLAIM, XGROUP SETID / DESTROY /
// CREATECONSUMER / DELCONSUMER, XGROUP CREATE on an existing stream): a transaction watching the
// key still runs after those.

import t from 'tap';
import { runScenario, type Step } from '../blocking/scenario';
import { redisSkip } from '../support/differential';
import { startRedis, startSluice } from '../support/servers';

function watched(key: string, write: string[]): Step[] {
  return [
    { c: 'a', cmd: ['WATCH', key] },
    { c: 'a', cmd: ['MULTI'] },
    { c: 'a', cmd: ['PING'] },
    { c: 'b', cmd: write },
    { c: 'a', cmd: ['EXEC'] },
  ];
}

const steps: Step[] = [
  { c: 'b', cmd: ['XADD', 's', '1-0', 'f', 'v'] },
  { c: 'b', cmd: ['XADD', 's', '2-0', 'f', 'v'] },
  { c: 'b', cmd: ['XGROUP', 'CREATE', 's', 'g', '0'] },
  ...watched('s', ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>']),
  ...watched('s', ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0']),
  ...watched('s', ['XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 's', '>']),
  ...watched('s', ['XACK', 's', 'g', '1-0']),
  ...watched('s', ['XCLAIM', 's', 'g', 'd', '0', '1-0', 'FORCE']),
  ...watched('s', ['XAUTOCLAIM', 's', 'g', 'e', '0', '0']),
  ...watched('s', ['XGROUP', 'SETID', 's', 'g', '0']),
  ...watched('s', ['XGROUP', 'CREATECONSUMER', 's', 'g', 'zz']),
  ...watched('s', ['XGROUP', 'DELCONSUMER', 's', 'g', 'zz']),
  ...watched('s', ['XGROUP', 'CREATE', 's', 'g2', '0']),
  ...watched('s', ['XGROUP', 'CREATE', 's', 'g3', '0', 'MKSTREAM']),
  ...watched('s', ['XGROUP', 'DESTROY', 's', 'g2']),
  ...watched('new', ['XGROUP', 'CREATE', 'new', 'g', '$', 'MKSTREAM']),
  ...watched('s', ['XADD', 's', '3-0', 'f', 'v']),
];

t.test('WATCH sees stream entries change, not group bookkeeping, as in Redis', { skip: redisSkip }, async (t) => {
  const [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  t.teardown(() => Promise.all([redis.stop(), sluice.stop()]));
  const [expected, actual] = await Promise.all([runScenario(redis.port, steps), runScenario(sluice.port, steps)]);
  t.same(actual, expected, 'same EXEC outcomes');
});
