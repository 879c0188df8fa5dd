// GET, SET (every option and error), SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX, MGET, MSET and
// MSETNX against real Redis, byte for byte, in RESP2 and RESP3.
// Not covered here: WRONGTYPE replies, which need a key of another type (Sluice has only strings yet).

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';

/** Every byte value, plus CR LF inside: values and keys must survive untouched. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const CRLF_VALUE = Buffer.from('a\r\nb\r\n$3\r\n*1\r\n\0end', 'latin1');
const BIN_KEY = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x20, 0x80]);

const STRING_COMMANDS = [
  'get', 'set', 'setnx', 'setex', 'psetex', 'getset', 'getdel', 'getex', 'mget', 'mset', 'msetnx', 'incr', 'decr',
  'incrby', 'decrby', 'incrbyfloat', 'append', 'strlen', 'getrange', 'substr', 'setrange', 'lcs',
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const setScript: Step[] = [
  ['SET', 'k', 'v'],
  ['GET', 'k'],
  ['GET', 'missing'],
  ['SET', 'k', ''],
  ['GET', 'k'],
  ['SET', 'bin', ALL_BYTES],
  ['GET', 'bin'],
  ['SET', BIN_KEY, CRLF_VALUE],
  ['GET', BIN_KEY],
  ['SET', 'num', '12345'],
  ['GET', 'num'],
  // Conditions.
  ['SET', 'k', 'nx', 'NX'],
  ['SET', 'new', 'nx', 'NX'],
  ['GET', 'new'],
  ['SET', 'absent', 'xx', 'XX'],
  ['GET', 'absent'],
  ['SET', 'k', 'xx', 'xx'],
  ['GET', 'k'],
  ['SET', 'k', 'v', 'NX', 'NX'],
  ['SET', 'k', 'v', 'XX', 'XX'],
  // GET option: old value first; with NX/XX the reply is the old value whether or not it wrote.
  ['SET', 'g', 'one', 'GET'],
  ['SET', 'g', 'two', 'GET'],
  ['GET', 'g'],
  ['SET', 'g', 'three', 'NX', 'GET'],
  ['GET', 'g'],
  ['SET', 'g2', 'x', 'XX', 'GET'],
  ['GET', 'g2'],
  ['SET', 'g', 'four', 'get', 'xx'],
  ['GET', 'g'],
  ['SET', 'g', 'five', 'GET', 'GET'],
  // Expire options that succeed.
  ['SET', 'e', 'v', 'EX', '100'],
  ['SET', 'e', 'v', 'PX', '100000'],
  ['SET', 'e', 'v', 'EXAT', '4102444800'],
  ['SET', 'e', 'v', 'PXAT', '4102444800000'],
  ['SET', 'e', 'v', 'KEEPTTL'],
  ['SET', 'e', 'v', 'ex', '100', 'ex', '200'],
  ['SET', 'e', 'v', 'EX', '100', 'NX'],
  ['SET', 'e', 'v', 'XX', 'PX', '100000', 'GET'],
  ['SET', 'e', 'v', 'KEEPTTL', 'KEEPTTL'],
  ['SET', 'far', 'v', 'PXAT', '9223372036854775807'],
  ['SET', 'far', 'v', 'EXAT', '9223372036854775'],
  ['GET', 'far'],
  // Option names are C strings to Redis: what follows a NUL byte is ignored.
  ['SET', 'nul', 'v', Buffer.from('EX\0junk', 'latin1'), '100'],
  ['SET', 'nul', 'v', Buffer.from('nx\0', 'latin1')],
  // An absolute time already past is accepted; the key is gone on the next read.
  ['SET', 'past', 'v', 'EXAT', '1'],
  ['GET', 'past'],
  ['SET', 'past', 'v', 'PXAT', '1', 'GET'],
  ['SET', 'past', 'v', 'PXAT', '1000'],
  ['SET', 'past', 'w', 'GET'],
  // Syntax errors.
  ['SET', 'k', 'v', 'NX', 'XX'],
  ['SET', 'k', 'v', 'XX', 'NX'],
  ['SET', 'k', 'v', 'EX'],
  ['SET', 'k', 'v', 'PX'],
  ['SET', 'k', 'v', 'EX', '10', 'PX', '10'],
  ['SET', 'k', 'v', 'PX', '10', 'EX', '10'],
  ['SET', 'k', 'v', 'EX', '10', 'EXAT', '10'],
  ['SET', 'k', 'v', 'PXAT', '10', 'EXAT', '10'],
  ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
  ['SET', 'k', 'v', 'KEEPTTL', 'PX', '10'],
  ['SET', 'k', 'v', 'PERSIST'],
  ['SET', 'k', 'v', 'FOO'],
  ['SET', 'k', 'v', 'NXX'],
  ['SET', 'k', 'v', ''],
  ['SET', 'k', 'v', 'EX', '10', 'junk'],
  // A syntax error wins over a bad number given earlier (options are parsed before values).
  ['SET', 'k', 'v', 'EX', 'abc', 'FOO'],
  // Bad expire values.
  ['SET', 'k', 'v', 'EX', 'abc'],
  ['SET', 'k', 'v', 'EX', '1.5'],
  ['SET', 'k', 'v', 'EX', ' 10'],
  ['SET', 'k', 'v', 'EX', '+10'],
  ['SET', 'k', 'v', 'EX', '010'],
  ['SET', 'k', 'v', 'EX', ''],
  ['SET', 'k', 'v', 'EX', '99999999999999999999'],
  ['SET', 'k', 'v', 'EX', '0'],
  ['SET', 'k', 'v', 'EX', '-1'],
  ['SET', 'k', 'v', 'PX', '0'],
  ['SET', 'k', 'v', 'PX', '-100'],
  ['SET', 'k', 'v', 'EXAT', '0'],
  ['SET', 'k', 'v', 'PXAT', '-1'],
  ['SET', 'k', 'v', 'EX', '9223372036854775'],
  ['SET', 'k', 'v', 'EX', '9223372036854776'],
  ['SET', 'k', 'v', 'EX', '9223372036854775807'],
  ['SET', 'k', 'v', 'PX', '9223372036854775807'],
  ['SET', 'k', 'v', 'PX', '9223372036854000000'],
  ['SET', 'k', 'v', 'EXAT', '9223372036854776'],
  ['SET', 'k', 'v', 'EX', '-9223372036854775808'],
  // The failed SETs above left k alone.
  ['GET', 'k'],
  // Arity.
  ['SET', 'k'],
  ['GET'],
  ['GET', 'a', 'b'],
];

const setnxSetexScript: Step[] = [
  ['SETNX', 'n', 'first'],
  ['SETNX', 'n', 'second'],
  ['GET', 'n'],
  ['SETNX', BIN_KEY, ALL_BYTES],
  ['GET', BIN_KEY],
  ['SETNX', 'n'],
  ['SETEX', 'x', '100', 'v'],
  ['GET', 'x'],
  ['SETEX', 'x', '0', 'v'],
  ['SETEX', 'x', '-5', 'v'],
  ['SETEX', 'x', 'abc', 'v'],
  ['SETEX', 'x', '9223372036854775', 'v'],
  ['SETEX', 'x', '9223372036854775807', 'v'],
  ['SETEX', 'x', '100'],
  ['SETEX', 'x', '100', 'v', 'extra'],
  ['PSETEX', 'p', '100000', CRLF_VALUE],
  ['GET', 'p'],
  ['PSETEX', 'p', '0', 'v'],
  ['PSETEX', 'p', '-1', 'v'],
  ['PSETEX', 'p', '1.5', 'v'],
  ['PSETEX', 'p', '9223372036854775807', 'v'],
  ['PSETEX', 'p', '9223372036854775808', 'v'],
  ['PSETEX', 'p', '100'],
  ['GET', 'p'],
];

const getsetScript: Step[] = [
  ['GETSET', 'gs', 'one'],
  ['GETSET', 'gs', 'two'],
  ['GET', 'gs'],
  ['GETSET', 'gs', ALL_BYTES],
  ['GETSET', 'gs', ''],
  ['GET', 'gs'],
  ['GETSET', 'gs'],
  ['GETDEL', 'gs'],
  ['GETDEL', 'gs'],
  ['GET', 'gs'],
  ['SET', BIN_KEY, CRLF_VALUE],
  ['GETDEL', BIN_KEY],
  ['STRLEN', BIN_KEY],
  ['GETDEL'],
  ['GETDEL', 'a', 'b'],
];

const getexScript: Step[] = [
  ['SET', 'x', 'value'],
  ['GETEX', 'x'],
  ['GETEX', 'x', 'EX', '100'],
  ['GETEX', 'x', 'PX', '100000'],
  ['GETEX', 'x', 'EXAT', '4102444800'],
  ['GETEX', 'x', 'PXAT', '4102444800000'],
  ['GETEX', 'x', 'PERSIST'],
  ['GETEX', 'x', 'persist', 'persist'],
  ['GETEX', 'x', 'ex', '100', 'ex', '5'],
  ['GETEX', 'missing'],
  ['GETEX', 'missing', 'EX', '100'],
  // A missing key answers nil before its expire argument is checked.
  ['GETEX', 'missing', 'EX', 'abc'],
  ['GETEX', 'missing', 'EX', '0'],
  // Option errors come first, even for a missing key.
  ['GETEX', 'missing', 'NX'],
  ['GETEX', 'x', 'NX'],
  ['GETEX', 'x', 'XX'],
  ['GETEX', 'x', 'GET'],
  ['GETEX', 'x', 'KEEPTTL'],
  ['GETEX', 'x', 'EX'],
  ['GETEX', 'x', 'EX', '10', 'PX', '10'],
  ['GETEX', 'x', 'EX', '10', 'PERSIST'],
  ['GETEX', 'x', 'PERSIST', 'EX', '10'],
  ['GETEX', 'x', 'PXAT', '10', 'EXAT', '10'],
  ['GETEX', 'x', 'FOO'],
  ['GETEX', 'x', 'EX', 'abc'],
  ['GETEX', 'x', 'EX', '0'],
  ['GETEX', 'x', 'PX', '-1'],
  ['GETEX', 'x', 'EXAT', '0'],
  ['GETEX', 'x', 'EX', '9223372036854775'],
  ['GETEX', 'x', 'PX', '9223372036854775807'],
  ['GETEX', 'x', 'PXAT', '9223372036854775807'],
  ['GET', 'x'],
  // An absolute time already past: the value comes back and the key is deleted.
  ['GETEX', 'x', 'EXAT', '1'],
  ['GET', 'x'],
  ['STRLEN', 'x'],
  ['SET', 'x', ALL_BYTES],
  ['GETEX', 'x', 'PXAT', '1'],
  ['STRLEN', 'x'],
  ['GETEX'],
];

const multiScript: Step[] = [
  ['MSET', 'a', '1', 'b', '2', BIN_KEY, ALL_BYTES],
  ['MGET', 'a', 'b', 'missing', BIN_KEY, 'a'],
  ['MGET', 'missing'],
  ['MSET', 'a', '1', 'b'],
  ['MSET', 'a'],
  ['MSET', 'dup', 'first', 'dup', 'second'],
  ['GET', 'dup'],
  ['MSETNX', 'a', 'x', 'c', '3'],
  ['MGET', 'a', 'c'],
  ['MSETNX', 'c', '3', 'd', CRLF_VALUE],
  ['MGET', 'c', 'd'],
  ['MSETNX', 'c', '3', 'd'],
  ['MSETNX', 'e'],
  ['MSETNX', 'same', '1', 'same', '2'],
  ['GET', 'same'],
  ['MGET'],
];

t.test('string set/get family matches Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());

  // HELLO, INFO and PTTL belong to other families; the parts that need them wait until they exist.
  const missing = async (...probe: string[]) =>
    (await sluiceKnows(pair, ...probe)) ? false : `Sluice has no ${probe[0]} yet`;
  const [noHello, noInfo, noPttl, noCommand] = await Promise.all([
    missing('HELLO', '2'),
    missing('INFO', 'stats'),
    missing('PTTL', 'no-such-key'),
    missing('COMMAND', 'COUNT'),
  ]);

  for (const resp of [2, 3] as const) {
    t.test(`replies match in RESP${resp}`, { skip: resp === 3 && noHello }, async (t) => {
      await pair.check(t, setScript, { resp });
      await pair.check(t, setnxSetexScript, { resp });
      await pair.check(t, getsetScript, { resp });
      await pair.check(t, getexScript, { resp });
      await pair.check(t, multiScript, { resp });
    });
  }

  t.test('expiry set by SET, SETEX, PSETEX and GETEX takes effect; KEEPTTL and PERSIST behave', async (t) => {
    await pair.check(t, [
      ['SET', 'px', 'v', 'PX', '150'],
      ['PSETEX', 'psetex', '150', 'v'],
      ['SET', 'keep', 'v', 'PX', '150'],
      ['SET', 'keep', 'w', 'KEEPTTL'],
      ['SET', 'cleared', 'v', 'PX', '150'],
      ['SET', 'cleared', 'w'],
      ['SET', 'getset', 'v', 'PX', '150'],
      ['GETSET', 'getset', 'w'],
      ['SET', 'persist', 'v', 'PX', '150'],
      ['GETEX', 'persist', 'PERSIST'],
      ['SET', 'getex', 'v'],
      ['GETEX', 'getex', 'PX', '150'],
      ['SET', 'incr', '1', 'PX', '150'],
      ['INCR', 'incr'],
      ['SET', 'float', '1', 'PX', '150'],
      ['INCRBYFLOAT', 'float', '0.5'],
      ['SET', 'append', 'a', 'PX', '150'],
      ['APPEND', 'append', 'b'],
      ['SET', 'setrange', 'abc', 'PX', '150'],
      ['SETRANGE', 'setrange', '1', 'X'],
      ['MSET', 'mset', 'v'],
      ['SET', 'mset2', 'v', 'PX', '150'],
      ['MSET', 'mset2', 'w'],
    ]);
    await sleep(400);
    await pair.check(
      t,
      [
        ['MGET', 'px', 'psetex', 'keep', 'cleared', 'getset', 'persist', 'getex'],
        ['MGET', 'incr', 'float', 'append', 'setrange', 'mset', 'mset2'],
      ],
      { flush: false },
    );
  });

  t.test('COMMAND INFO and COMMAND DOCS describe the string commands as Redis does', { skip: noCommand }, async (t) => {
    // Summaries are written in Sluice's own words; everything else must be identical.
    const withoutSummary = (reply: Buffer) =>
      reply.toString('latin1').replace(/\$7\r\nsummary\r\n\$\d+\r\n[^\r]*\r\n/g, '<summary>');
    const steps: Step[] = STRING_COMMANDS.flatMap((name): Step[] => [
      ['COMMAND', 'INFO', name],
      { cmd: ['COMMAND', 'DOCS', name], mask: withoutSummary },
    ]);
    await pair.check(t, steps);
    await pair.check(t, steps, { resp: 3 });
  });

  t.test('keyspace hits and misses are counted as Redis counts them', { skip: noInfo }, async (t) => {
    const script: Step[] = [
      ['SET', 'h', 'v'],
      ['GET', 'h'],
      ['GET', 'nope'],
      ['SET', 'h', 'w', 'GET'],
      ['SET', 'nope', 'w', 'GET'],
      ['GETDEL', 'nope'],
      ['GETSET', 'h', 'x'],
      ['GETDEL', 'nope'],
      ['GETEX', 'h'],
      ['GETEX', 'nope', 'PERSIST'],
      ['MGET', 'h', 'nope', 'h'],
      ['STRLEN', 'h'],
      ['STRLEN', 'nope'],
      ['GETRANGE', 'h', '0', '-1'],
      ['SUBSTR', 'nope', '0', '-1'],
      ['LCS', 'h', 'nope'],
      ['INCR', 'counter'],
      ['APPEND', 'h', 'y'],
      ['SETNX', 'h', 'z'],
      ['MSETNX', 'h', 'z'],
      ['SETRANGE', 'h', '0', 'q'],
      ['INCRBYFLOAT', 'f', '1'],
      ['GETDEL', 'h'],
    ];
    const before = await stats(pair);
    await pair.check(t, script, { flush: false });
    const now = await stats(pair);
    t.same(
      { hits: now.sluice.hits - before.sluice.hits, misses: now.sluice.misses - before.sluice.misses },
      { hits: now.redis.hits - before.redis.hits, misses: now.redis.misses - before.redis.misses },
      'keyspace_hits / keyspace_misses deltas',
    );
  });

  t.test('PTTL after SET/GETEX options', { skip: noPttl }, async (t) => {
    const ttl = (expectedMs: number) => (reply: Buffer) => {
      const text = reply.toString('latin1');
      const n = Number(text.slice(1, -2));
      return text[0] === ':' && n <= expectedMs && n > expectedMs - 5000 ? `:~${expectedMs}` : text;
    };
    await pair.check(t, [
      ['SET', 'k', 'v', 'EX', '100'],
      { cmd: ['PTTL', 'k'], mask: ttl(100000) },
      ['SET', 'k', 'v', 'KEEPTTL'],
      { cmd: ['PTTL', 'k'], mask: ttl(100000) },
      ['SET', 'k', 'v'],
      ['PTTL', 'k'],
      ['SET', 'k', 'v', 'PX', '50000'],
      { cmd: ['PTTL', 'k'], mask: ttl(50000) },
      ['GETEX', 'k', 'PERSIST'],
      ['PTTL', 'k'],
      ['GETEX', 'k', 'EX', '70'],
      { cmd: ['PTTL', 'k'], mask: ttl(70000) },
      ['GETSET', 'k', 'w'],
      ['PTTL', 'k'],
      ['SETEX', 'k', '30', 'v'],
      { cmd: ['PTTL', 'k'], mask: ttl(30000) },
      ['INCRBYFLOAT', 'k', '1'],
      ['SET', 'n', '1', 'PX', '40000'],
      ['INCR', 'n'],
      { cmd: ['PTTL', 'n'], mask: ttl(40000) },
      ['INCRBYFLOAT', 'n', '1.5'],
      { cmd: ['PTTL', 'n'], mask: ttl(40000) },
      ['APPEND', 'n', '0'],
      { cmd: ['PTTL', 'n'], mask: ttl(40000) },
      ['PSETEX', 'k', '20000', 'v'],
      { cmd: ['PTTL', 'k'], mask: ttl(20000) },
      ['SET', 'k', 'v', 'PXAT', '9223372036854775807'],
      { cmd: ['PTTL', 'k'], mask: (r) => (r.toString('latin1').startsWith(':92233') ? 'far' : r.toString('latin1')) },
      ['GETEX', 'k'],
      { cmd: ['PTTL', 'k'], mask: (r) => (r.toString('latin1').startsWith(':92233') ? 'far' : r.toString('latin1')) },
    ]);
  });
});

/** Whether Sluice knows a command (it answers something other than "unknown command"). */
async function sluiceKnows(pair: DiffPair, ...probe: string[]): Promise<boolean> {
  const client = await RawClient.connect(pair.sluice.port);
  try {
    const reply = (await client.call(...probe)).toString('latin1');
    return !reply.startsWith('-ERR unknown command');
  } finally {
    client.close();
  }
}

interface Counters {
  hits: number;
  misses: number;
}

async function stats(pair: DiffPair): Promise<{ redis: Counters; sluice: Counters }> {
  const read = async (port: number): Promise<Counters> => {
    const client = await RawClient.connect(port);
    try {
      const info = (await client.call('INFO', 'stats')).toString('latin1');
      const field = (name: string) => Number(new RegExp(`(?:^|\n)${name}:(\\d+)`).exec(info)?.[1] ?? NaN);
      return { hits: field('keyspace_hits'), misses: field('keyspace_misses') };
    } finally {
      client.close();
    }
  };
  const [redis, sluice] = await Promise.all([read(pair.redis.port), read(pair.sluice.port)]);
  return { redis, sluice };
}
