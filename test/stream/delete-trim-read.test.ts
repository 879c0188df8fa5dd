// XDEL, XTRIM, XSETID and XREAD (without blocking) against real Redis, byte for byte, in RESP2
// and RESP3 (XREAD's reply is a map keyed by stream in RESP3), error paths included; then what
// Redis 7.0 (the installed server) does differently from 7.2 and 7.4, checked on Sluice alone.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const BIG = '18446744073709551615';

function fill(key: string, n: number, firstMs = 1): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) steps.push(['XADD', key, `${firstMs + i}-0`, 'field', `value-${i}`]);
  return steps;
}

const xdel: Step[] = [
  ['XDEL', 'missing', '1-0'],
  ['XDEL', 'missing', 'not-an-id'],
  ['SET', 'str', 'v'],
  ['XDEL', 'str', '1-0'],
  ['XDEL', 'str', 'bad'],
  ...fill('s', 5),
  ['XDEL', 's', 'bad'],
  ['XDEL', 's', '1-0', 'bad'],
  ['XLEN', 's'],
  ['XDEL', 's', '-'],
  ['XDEL', 's', '+'],
  ['XDEL', 's', '2-*'],
  ['XDEL', 's', '2', '2-0', '9-0'],
  ['XDEL', 's', '1-0'],
  ['XRANGE', 's', '-', '+'],
  ['XDEL', 's', '5-0', '4-0', '3-0'],
  ['XLEN', 's'],
  ['EXISTS', 's'],
  ['TYPE', 's'],
  ['XADD', 's', '5-0', 'f', 'v'],
  ['XADD', 's', '5-1', 'f', 'v'],
  ['XRANGE', 's', '-', '+'],
  ...fill('many', 250),
  ['XDEL', 'many', ...Array.from({ length: 120 }, (_, i) => `${i + 1}-0`)],
  ['XLEN', 'many'],
  ['XRANGE', 'many', '-', '+', 'COUNT', '2'],
  ['XADD', 'many', 'MAXLEN', '~', '50', '1000-0', 'f', 'v'],
  ['XLEN', 'many'],
  ['XDEL', 's'],
];

const xtrim: Step[] = [
  ['XTRIM', 'missing', 'MAXLEN', '0'],
  ['XTRIM', 'missing', 'FOO', '1'],
  ['SET', 'str', 'v'],
  ['XTRIM', 'str', 'MAXLEN', '0'],
  ['XTRIM', 'str', 'FOO', '0'],
  ...fill('t', 10),
  ['XTRIM', 't', 'MAXLEN', '8'],
  ['XTRIM', 't', 'maxlen', '=', '6'],
  ['XTRIM', 't', 'MAXLEN', '100'],
  ['XRANGE', 't', '-', '+', 'COUNT', '1'],
  ['XTRIM', 't', 'MINID', '8'],
  ['XTRIM', 't', 'MINID', '=', '9-0'],
  ['XTRIM', 't', 'MINID', '1'],
  ['XRANGE', 't', '-', '+'],
  ['XTRIM', 't', 'MAXLEN', '0'],
  ['XLEN', 't'],
  ['EXISTS', 't'],
  ['XTRIM', 't', 'MAXLEN', '1', 'extra'],
  ['XTRIM', 't', 'MAXLEN'],
  ['XTRIM', 't', 'LIMIT', '10'],
  ['XTRIM', 't', 'LIMIT', '0', 'MAXLEN', '1'],
  ['XTRIM', 't', 'MAXLEN', '1', 'LIMIT', '10'],
  ['XTRIM', 't', 'MAXLEN', '~', '1', 'LIMIT', '-1'],
  ['XTRIM', 't', 'MAXLEN', '-1'],
  ['XTRIM', 't', 'MAXLEN', 'x'],
  ['XTRIM', 't', 'MINID', 'x'],
  ['XTRIM', 't', 'MINID', '-'],
  ['XTRIM', 't', 'MAXLEN', '1', 'MINID', '1'],
  ['XTRIM', 't', 'NOMKSTREAM', 'MAXLEN', '1'],
  ['XTRIM', 't', '*', 'MAXLEN', '1'],
  ...fill('a', 400),
  ['XTRIM', 'a', 'MAXLEN', '~', '250'],
  ['XLEN', 'a'],
  ['XTRIM', 'a', 'MAXLEN', '~', '250'],
  ['XTRIM', 'a', 'MAXLEN', '~', '0', 'LIMIT', '150'],
  ['XLEN', 'a'],
  ['XTRIM', 'a', 'MAXLEN', '~', '0', 'LIMIT', '99'],
  ['XTRIM', 'a', 'MINID', '~', '350'],
  ['XRANGE', 'a', '-', '+', 'COUNT', '1'],
  ['XTRIM', 'a', 'MINID', '~', '399', 'LIMIT', '0'],
  ['XLEN', 'a'],
  ['XTRIM', 'a', 'MINID', '399'],
  ['XRANGE', 'a', '-', '+'],
  ['XADD', 'a', '400-*', 'f', 'v'],
];

const xsetid: Step[] = [
  ['XSETID', 'missing', '1-0'],
  ['XSETID', 'missing', 'bad'],
  ['XSETID', 'missing', '1-0', 'FOO'],
  ['SET', 'str', 'v'],
  ['XSETID', 'str', '1-0'],
  ...fill('s', 3, 10),
  ['XSETID', 's', '5-0'],
  ['XSETID', 's', '11-0'],
  ['XSETID', 's', '12-0'],
  ['XSETID', 's', '12'],
  ['XADD', 's', '12-0', 'f', 'v'],
  ['XSETID', 's', '100-5'],
  ['XADD', 's', '100-5', 'f', 'v'],
  ['XADD', 's', '100-*', 'f', 'v'],
  ['XSETID', 's', '200-0', 'ENTRIESADDED', '10'],
  ['XSETID', 's', '200-0', 'ENTRIESADDED', '1'],
  ['XSETID', 's', '200-0', 'ENTRIESADDED', '-1'],
  ['XSETID', 's', '200-0', 'ENTRIESADDED', 'x'],
  ['XSETID', 's', '200-0', 'entriesadded', '9223372036854775807'],
  ['XSETID', 's', '200-0', 'MAXDELETEDID', '300-0'],
  ['XSETID', 's', '200-0', 'MAXDELETEDID', 'x'],
  ['XSETID', 's', '200-0', 'MAXDELETEDID', '150-0'],
  ['XSETID', 's', '200-0', 'MAXDELETEDID', '150-0', 'ENTRIESADDED', '7'],
  ['XSETID', 's', '200-0', 'ENTRIESADDED'],
  ['XSETID', 's', '200-0', 'MAXDELETEDID'],
  ['XSETID', 's', '200-0', 'FOO', '1'],
  ['XSETID', 's', '-'],
  ['XSETID', 's', '+'],
  ['XSETID', 's', `${BIG}-${BIG}`],
  ['XADD', 's', '*', 'f', 'v'],
  ['XTRIM', 's', 'MAXLEN', '0'],
  ['XSETID', 's', '500-0'],
  ['XADD', 's', '500-*', 'f', 'v'],
  ['XRANGE', 's', '-', '+'],
  ['XSETID', 's'],
];

const xread: Step[] = [
  ...fill('s', 5),
  ['XADD', 'o', '7-0', 'x', '1'],
  ['XADD', 'o', '8-0', 'x', '2', 'y', '3'],
  ['SET', 'str', 'v'],
  ['XREAD', 'STREAMS', 's', '0'],
  ['XREAD', 'STREAMS', 's', '0-0'],
  ['XREAD', 'STREAMS', 's', '3'],
  ['XREAD', 'STREAMS', 's', '3-0'],
  ['XREAD', 'COUNT', '2', 'STREAMS', 's', '0'],
  ['XREAD', 'count', '0', 'STREAMS', 's', '3'],
  ['XREAD', 'COUNT', '-3', 'STREAMS', 's', '3'],
  ['XREAD', 'COUNT', '1', 'COUNT', '2', 'STREAMS', 's', '0'],
  ['XREAD', 'STREAMS', 's', 'o', '2', '0'],
  ['XREAD', 'COUNT', '1', 'STREAMS', 's', 'o', 'missing', '4', '7', '0'],
  ['XREAD', 'STREAMS', 'missing', 's', '0', '5'],
  ['XREAD', 'STREAMS', 's', 's', '0', '3'],
  ['XREAD', 'STREAMS', 's', '$'],
  ['XREAD', 'STREAMS', 'missing', '$'],
  ['XREAD', 'STREAMS', 's', 'o', '$', '7'],
  ['XREAD', 'STREAMS', 's', `${BIG}-${BIG}`],
  ['XREAD', 'STREAMS', 's', '5-0'],
  ['XREAD', 'BLOCK', '100', 'STREAMS', 's', '4'],
  ['XREAD', 'BLOCK', '0', 'COUNT', '1', 'STREAMS', 's', 'o', '0', '0'],
  ['XREAD', 'STREAMS', 's'],
  ['XREAD', 'STREAMS', 's', 'bad'],
  ['XREAD', 'STREAMS', 's', '-'],
  ['XREAD', 'STREAMS', 's', '1-*'],
  ['XREAD', 'STREAMS', 's', '>'],
  ['XREAD', 'STREAMS', 'str', '0'],
  ['XREAD', 'STREAMS', 's', 'str', '0', '0'],
  ['XREAD', 'STREAMS', 's', 'str', 'bad', '0'],
  ['XREAD', 'STREAMS', 'str', 's', '0', 'bad'],
  ['XREAD', 'COUNT', 'x', 'STREAMS', 's', '0'],
  ['XREAD', 'COUNT', '1', 'STREAMS'],
  ['XREAD', 'COUNT', '1', 'FOO', 'STREAMS', 's', '0'],
  ['XREAD', 'BLOCK', 'x', 'STREAMS', 's', '0'],
  ['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '0'],
  ['XREAD', 'BLOCK', '1.5', 'STREAMS', 's', '0'],
  ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
  ['XREAD', 'NOACK', 'STREAMS', 's', '0'],
  ['XREAD', 'GROUP', 'g', 'STREAMS', 's', '0'],
  ['XREAD', 'COUNT', '1', 'BLOCK', '1', 'GROUP', 'g'],
  ['XREAD', 'STREAMS', 'STREAMS', 's', '0', '0'],
  ['XDEL', 's', '5-0'],
  ['XREAD', 'STREAMS', 's', '4'],
  ['XREAD', 'STREAMS', 's', '$'],
  ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'],
  ['COMMAND', 'GETKEYS', 'XREAD', 'STREAMS', 'a', '0'],
];

t.test('XDEL, XTRIM, XSETID, XREAD against Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  try {
    for (const [name, script] of [
      ['XDEL', xdel],
      ['XTRIM', xtrim],
      ['XSETID', xsetid],
      ['XREAD', xread],
    ] as const) {
      await t.test(`${name} (RESP2)`, (t) => pair.check(t, script));
      await t.test(`${name} (RESP3)`, (t) => pair.check(t, script, { resp: 3 }));
    }
  } finally {
    await pair.stop();
  }
});

t.test('7.2 and 7.4 behaviour the installed Redis 7.0 does not have', async (t) => {
  const s = await startSluice();
  const c = await RawClient.connect(s.port);
  const call = async (...args: string[]) => (await c.call(...args)).toString('latin1');
  try {
    // Redis 7.2 (redis/redis#11444): XSETID refuses an ID below the max deleted entry ID; 7.0 took it.
    await call('XADD', 'x', '1-1', 'a', '1');
    await call('XADD', 'x', '1-2', 'b', '2');
    await call('XADD', 'x', '1-3', 'c', '3');
    await call('XDEL', 'x', '1-2', '1-3');
    t.equal(await call('XSETID', 'x', '1-2'), '-ERR The ID specified in XSETID is smaller than current max_deleted_entry_id\r\n');
    t.equal(await call('XSETID', 'x', '1-3'), '+OK\r\n', 'equal to it is fine');
    // Redis 7.4: XREAD's "+" reads the last entry (the last live one, after an XDEL of the top).
    t.equal(await call('XREAD', 'STREAMS', 'x', '+'), '*1\r\n*2\r\n$1\r\nx\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n');
    await call('XADD', 'y', '5-0', 'f', 'v');
    await call('XADD', 'y', '6-0', 'g', 'w');
    t.equal(
      await call('XREAD', 'COUNT', '5', 'STREAMS', 'missing', 'y', 'x', '+', '+', '5-0'),
      '*1\r\n*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n',
      'only the last entry, missing streams left out',
    );
    await call('XTRIM', 'y', 'MAXLEN', '0');
    t.equal(await call('XREAD', 'STREAMS', 'y', '+'), '*-1\r\n', 'an empty stream has no last entry');
    // Redis 7.2 (redis/redis#11799, #12238): the unbalanced-list error names the command in quotes.
    const unbalanced = "-ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.\r\n";
    t.equal(await call('XREAD', 'STREAMS', 'x', 'y', '0'), unbalanced);
    t.equal(await call('XREAD', 'COUNT', '1', 'STREAMS', 'STREAMS', 'x', '0'), unbalanced);
    // Redis 7.2: a BLOCK timeout that would overflow once added to now is refused, even with data.
    t.equal(await call('XREAD', 'BLOCK', '9223372036854775807', 'STREAMS', 'x', '0'), '-ERR timeout is out of range\r\n');
  } finally {
    c.close();
    await s.stop();
  }
});
