// The stream core commands against real Redis, byte for byte, in RESP2 and RESP3: XADD (IDs,
// NOMKSTREAM, MAXLEN/MINID with = and ~ and LIMIT, every error path), XLEN, XRANGE and XREVRANGE
// (COUNT, exclusive and incomplete bounds), WRONGTYPE both ways, and streams through the keyspace
// commands (TYPE, OBJECT ENCODING, COPY, RENAME, MOVE, SWAPDB, DEL, expiry, SCAN TYPE).

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';

const BIG = '18446744073709551615';
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** A "*" ID is the server's clock: compare the reply's shape, digits masked. */
const clockId = (reply: Buffer): string => reply.toString('latin1').replace(/\d+-\d+/g, '<ms>-<seq>').replace(/^\$\d+/, '$<len>');

const xadd: Step[] = [
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '1-0', 'f', 'v'],
  ['XADD', 's', '1', 'f', 'v'],
  ['XADD', 's', '1-*', 'f', 'v'],
  ['XADD', 's', '1-*', 'f', 'v', 'g', 'w'],
  ['XADD', 's', '2-*', 'f', 'v'],
  ['XADD', 's', '2', 'a', '1'],
  ['XADD', 's', '5-0', 'a', '1', 'b', '2', 'c', '3'],
  ['XADD', 's', '0-*', 'f', 'v'],
  ['XADD', 's', 'nomkstream', '6-0', 'f', 'v'],
  ['XADD', 's', '0-0', 'f', 'v'],
  ['XADD', 's', '0', 'f', 'v'],
  ['XADD', 'n', '0-0', 'f', 'v'],
  ['XADD', 'n', '0-1', 'f', 'v'],
  ['XADD', 'n', '0-*', 'f', 'v'],
  ['XADD', 's', 'abc', 'f', 'v'],
  ['XADD', 's', '1-x', 'f', 'v'],
  ['XADD', 's', '-', 'f', 'v'],
  ['XADD', 's', '+', 'f', 'v'],
  ['XADD', 's', '-1', 'f', 'v'],
  ['XADD', 's', '1-*-1', 'f', 'v'],
  ['XADD', 's', '*-1', 'f', 'v'],
  ['XADD', 's', '10-0', 'f'],
  ['XADD', 's', '10-0', 'f', 'v', 'g'],
  ['XADD', 's', '10-0'],
  ['XADD', 's'],
  ['XADD', 's', 'NOMKSTREAM', 'f', 'v'],
  ['XADD', 'missing', 'NOMKSTREAM', '*', 'f', 'v'],
  ['XADD', 'missing', 'nomkstream', '1-1', 'f', 'v'],
  ['EXISTS', 'missing'],
  ['XADD', 'big', `${BIG}-${BIG}`, 'f', 'v'],
  ['XADD', 'big', '*', 'f', 'v'],
  ['XADD', 'big', `${BIG}-*`, 'f', 'v'],
  ['XADD', 'big2', `${BIG}-*`, 'f', 'v'],
  ['XADD', 'big2', `${BIG}-*`, 'f', 'v'],
  ['XADD', 'big3', `${BIG}-${BIG.slice(0, -1)}4`, 'f', 'v'],
  ['XADD', 'big3', `${BIG}-*`, 'f', 'v'],
  ['XADD', 'big3', `${BIG}-*`, 'f', 'v'],
  ['XADD', 'big3', '18446744073709551616-0', 'f', 'v'],
  ['XRANGE', 'big3', '-', '+'],
  ['XADD', 'bin', '1-1', ALL_BYTES, ALL_BYTES, '', ''],
  ['XRANGE', 'bin', '-', '+'],
  { cmd: ['XADD', 'clock', '*', 'f', 'v'], mask: clockId },
  { cmd: ['XADD', 'clock', '*', 'f', 'v'], mask: clockId },
  ['XLEN', 'clock'],
  ['XLEN', 's'],
  ['XLEN', 'missing'],
  ['XRANGE', 's', '-', '+'],
  ['XREVRANGE', 's', '+', '-'],
];

const trims: Step[] = [
  ['XADD', 't', 'MAXLEN', '2', '1-0', 'a', '1'],
  ['XADD', 't', 'MAXLEN', '2', '2-0', 'a', '2'],
  ['XADD', 't', 'MAXLEN', '2', '3-0', 'a', '3'],
  ['XRANGE', 't', '-', '+'],
  ['XADD', 't', 'MAXLEN', '=', '1', '4-0', 'a', '4'],
  ['XRANGE', 't', '-', '+'],
  ['XADD', 't', 'maxlen', '0', '5-0', 'a', '5'],
  ['XLEN', 't'],
  ['EXISTS', 't'],
  ['XADD', 't', 'MINID', '7', '6-0', 'a', '6'],
  ['XLEN', 't'],
  ['XADD', 't', 'MINID', '=', '6-0', '7-0', 'a', '7'],
  ['XRANGE', 't', '-', '+'],
  ['XADD', 't', 'MAXLEN', '~', '1', '8-0', 'a', '8'],
  ['XLEN', 't'],
  ['XADD', 't', 'MAXLEN', '~', '1', 'LIMIT', '10', '9-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '1', 'LIMIT', '10', '9-0', 'a', '9'],
  ['XADD', 't', 'LIMIT', '10', '9-0', 'a', '9'],
  ['XADD', 't', 'LIMIT', '0', '9-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '1', 'MINID', '1', '10-0', 'a', '9'],
  ['XADD', 't', 'MINID', '1', 'MAXLEN', '1', '10-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '-1', '10-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', 'x', '10-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '~', 'x', '10-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '~', '1', 'LIMIT', '-1', '10-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '~', '1', 'LIMIT', 'x', '10-0', 'a', '9'],
  ['XADD', 't', 'MINID', 'x', '10-0', 'a', '9'],
  ['XADD', 't', 'MINID', '~', '-', '10-0', 'a', '9'],
  ['XADD', 't', 'MINID', '1-*', '10-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '10', 'NOMKSTREAM', '10-0', 'a', '9'],
  ['XADD', 'gone', 'MAXLEN', '10', 'NOMKSTREAM', '10-0', 'a', '9'],
  ['XADD', 't', 'MAXLEN', '1', 'x', 'y'],
  ['XADD', 't', 'maxlen', '~'],
  ['XADD', 't', 'MAXLEN', '1', 'LIMIT', '10'],
  ['XADD', 't', 'FOO', '10-0', 'a', '9'],
  ['XLEN', 't'],
  ['XRANGE', 't', '-', '+'],
];

/** Enough entries for several nodes: ~ trims drop whole nodes only. */
function fill(key: string, n: number, firstMs = 1): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) steps.push(['XADD', key, `${firstMs + i}-0`, 'field', `value-${i}`]);
  return steps;
}

const approx: Step[] = [
  ...fill('a', 350),
  ['XADD', 'a', 'MAXLEN', '~', '120', '1000-0', 'f', 'v'],
  ['XLEN', 'a'],
  ['XRANGE', 'a', '-', '+', 'COUNT', '2'],
  ['XADD', 'a', 'MAXLEN', '~', '10', 'LIMIT', '100', '1001-0', 'f', 'v'],
  ['XLEN', 'a'],
  ['XADD', 'a', 'MAXLEN', '~', '10', 'LIMIT', '99', '1002-0', 'f', 'v'],
  ['XLEN', 'a'],
  ['XADD', 'a', 'MINID', '~', '290', '1003-0', 'f', 'v'],
  ['XRANGE', 'a', '-', '+', 'COUNT', '1'],
  ['XADD', 'a', 'MINID', '~', '1002', 'LIMIT', '0', '1004-0', 'f', 'v'],
  ['XLEN', 'a'],
  ['XADD', 'a', 'MAXLEN', '~', '0', '1005-0', 'f', 'v'],
  ['XLEN', 'a'],
  ['XADD', 'a', 'MAXLEN', '=', '3', '1006-0', 'f', 'v'],
  ['XRANGE', 'a', '-', '+'],
  // Big entries fill nodes by bytes.
  ['XADD', 'b', '1-0', 'f', 'x'.repeat(3000)],
  ['XADD', 'b', '2-0', 'f', 'x'.repeat(3000)],
  ['XADD', 'b', '3-0', 'f', 'x'.repeat(3000)],
  ['XADD', 'b', 'MAXLEN', '~', '1', '4-0', 'f', 'y'],
  ['XLEN', 'b'],
];

const ranges: Step[] = [
  ['XADD', 'r', '1-0', 'a', '1'],
  ['XADD', 'r', '1-1', 'b', '2'],
  ['XADD', 'r', '2-0', 'a', '3', 'b', '4'],
  ['XADD', 'r', '3-5', 'c', '5'],
  ['XADD', 'r', `${BIG}-0`, 'd', '6'],
  ['XRANGE', 'r', '-', '+'],
  ['XRANGE', 'r', '-', '+', 'COUNT', '2'],
  ['XRANGE', 'r', '-', '+', 'count', '0'],
  ['XRANGE', 'r', '-', '+', 'COUNT', '-5'],
  ['XRANGE', 'r', '-', '+', 'COUNT', '1', 'COUNT', '3'],
  ['XRANGE', 'r', '1', '1'],
  ['XRANGE', 'r', '1-1', '2'],
  ['XRANGE', 'r', '(1-0', '+'],
  ['XRANGE', 'r', '(1', '+'],
  ['XRANGE', 'r', '-', '(2-0'],
  ['XRANGE', 'r', '-', '(2'],
  ['XRANGE', 'r', '(1-1', '(3-5'],
  ['XRANGE', 'r', '3', '2'],
  ['XRANGE', 'r', `(${BIG}-${BIG}`, '+'],
  ['XRANGE', 'r', '-', '(0-0'],
  ['XRANGE', 'r', '-', '(0'],
  ['XRANGE', 'r', '(-', '+'],
  ['XRANGE', 'r', '-', '(+'],
  ['XRANGE', 'r', '(', '+'],
  ['XRANGE', 'r', 'x', '+'],
  ['XRANGE', 'r', '-', 'y'],
  ['XRANGE', 'r', '1-*', '+'],
  ['XRANGE', 'r', '-', '+', 'COUNT'],
  ['XRANGE', 'r', '-', '+', 'COUNT', 'x'],
  ['XRANGE', 'r', '-', '+', 'LIMIT', '1'],
  ['XRANGE', 'r', 'x', '+', 'COUNT', 'x'],
  ['XRANGE', 'r', '-', '+', 'COUNT', 'x', 'FOO'],
  ['XRANGE', 'missing', '-', '+'],
  ['XRANGE', 'missing', '-', '+', 'COUNT', '0'],
  ['XRANGE', 'missing', 'x', '+'],
  ['XRANGE', 'r', '-'],
  ['XREVRANGE', 'r', '+', '-'],
  ['XREVRANGE', 'r', '+', '-', 'COUNT', '2'],
  ['XREVRANGE', 'r', '+', '-', 'COUNT', '0'],
  ['XREVRANGE', 'r', '2', '1'],
  ['XREVRANGE', 'r', '(2-0', '-'],
  ['XREVRANGE', 'r', '+', '(1-1'],
  ['XREVRANGE', 'r', '1', '2'],
  ['XREVRANGE', 'r', '(0', '-'],
  ['XREVRANGE', 'r', '+', `(${BIG}-${BIG}`],
  ['XREVRANGE', 'r', 'x', '-'],
  ['XREVRANGE', 'r', '+', 'y'],
  ['XREVRANGE', 'missing', '+', '-'],
  ['XREVRANGE', 'r', '+', '-', 'COUNT', '1', 'x'],
  ...fill('long', 250),
  ['XRANGE', 'long', '100', '+', 'COUNT', '3'],
  ['XREVRANGE', 'long', '150', '-', 'COUNT', '3'],
  ['XRANGE', 'long', '(99', '(103'],
  ['XREVRANGE', 'long', '(200', '(196'],
  ['XRANGE', 'long', '-', '+', 'COUNT', '250'],
];

const types: Step[] = [
  ['SET', 'str', 'v'],
  ['RPUSH', 'list', 'a'],
  ['XADD', 'x', '1-0', 'f', 'v'],
  ['XADD', 'str', '*', 'f', 'v'],
  ['XADD', 'list', '1-0', 'f', 'v'],
  ['XADD', 'str', '0-0', 'f', 'v'],
  ['XADD', 'str', 'NOMKSTREAM', '1-0', 'f', 'v'],
  ['XLEN', 'str'],
  ['XRANGE', 'str', '-', '+'],
  ['XRANGE', 'str', 'x', '+'],
  ['XREVRANGE', 'list', '+', '-'],
  ['GET', 'x'],
  ['LPUSH', 'x', 'a'],
  ['LLEN', 'x'],
  ['APPEND', 'x', 'a'],
  ['TYPE', 'x'],
  ['OBJECT', 'ENCODING', 'x'],
  ['SCAN', '0', 'TYPE', 'stream'],
  ['COPY', 'x', 'y'],
  ['XADD', 'y', '2-0', 'g', 'w'],
  ['XRANGE', 'x', '-', '+'],
  ['XRANGE', 'y', '-', '+'],
  ['COPY', 'x', 'y', 'REPLACE'],
  ['XRANGE', 'y', '-', '+'],
  ['COPY', 'x', 'z', 'DB', '1'],
  ['RENAME', 'y', 'y2'],
  ['TYPE', 'y2'],
  ['XLEN', 'y'],
  ['MOVE', 'y2', '2'],
  ['SELECT', '2'],
  ['XRANGE', 'y2', '-', '+'],
  ['SWAPDB', '2', '0'],
  ['XRANGE', 'y2', '-', '+'],
  ['SELECT', '0'],
  ['XRANGE', 'x', '-', '+'],
  ['SWAPDB', '2', '0'],
  ['PEXPIRE', 'x', '100000'],
  ['PERSIST', 'x'],
  ['TTL', 'x'],
  ['PEXPIRE', 'x', '1'],
  ['DEBUG', 'SLEEP', '0.01'],
  ['XLEN', 'x'],
  ['EXISTS', 'x'],
  ['XADD', 'x', '1-0', 'f', 'v'],
  ['DEL', 'x'],
  ['TYPE', 'x'],
  ['SET', 'x', 'now a string'],
  ['TYPE', 'x'],
  ['CONFIG', 'GET', 'stream-node-max-entries'],
  ['CONFIG', 'GET', 'stream-node-max-bytes'],
];

const scripts = [
  ['XADD', xadd],
  ['trims', trims],
  ['approximate trims', approx],
  ['ranges', ranges],
  ['types', types],
] as const;

t.test('stream core commands against Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start({ sluiceArgs: ['--enable-debug-command', 'yes'], redisArgs: ['--enable-debug-command', 'yes'] });
  try {
    for (const [name, script] of scripts) {
      await t.test(`${name} (RESP2)`, (t) => pair.check(t, script));
      await t.test(`${name} (RESP3)`, (t) => pair.check(t, script, { resp: 3 }));
    }
  } finally {
    await pair.stop();
  }
});

t.test('node limits from stream-node-max-entries / -bytes, against Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  try {
    const script: Step[] = [
      ['CONFIG', 'SET', 'stream-node-max-entries', '10'],
      ...fill('n', 95),
      ['XADD', 'n', 'MAXLEN', '~', '50', '1000-0', 'f', 'v'],
      ['XLEN', 'n'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '0'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '200'],
      ...fill('m', 40),
      ['XADD', 'm', 'MAXLEN', '~', '20', '1000-0', 'f', 'v'],
      ['XLEN', 'm'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '0'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '3'],
      ...fill('o', 20),
      ['XADD', 'o', 'MAXLEN', '~', '5', '1000-0', 'f', 'v'],
      ['XLEN', 'o'],
      ['CONFIG', 'GET', 'stream-node-max-entries'],
      ['CONFIG', 'GET', 'stream-node-max-bytes'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '-1'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '1kb'],
      ['CONFIG', 'GET', 'stream-node-max-bytes'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '4096'],
    ];
    await pair.check(t, script);
  } finally {
    await pair.stop();
  }
});
