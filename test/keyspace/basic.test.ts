// DEL, UNLINK, EXISTS, TYPE, DBSIZE, TOUCH, RANDOMKEY, KEYS, FLUSHDB, FLUSHALL, RENAME, RENAMENX,
// COPY, MOVE and SWAPDB against real Redis, byte for byte, in RESP2 and RESP3, errors included;
// and the COMMAND INFO of every keyspace command.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { sortedArray, intWithin } from './masks';

const BIN_KEY = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x20, 0x80]);

const existence: Step[] = [
  ['SET', 'a', '1'],
  ['SET', 'b', 'hello'],
  ['DEL', 'a', 'nokey', 'a'],
  ['DEL', 'a'],
  ['EXISTS', 'b', 'b', 'nokey'],
  ['UNLINK', 'b', 'x', 'b'],
  ['EXISTS', 'b'],
  ['SET', BIN_KEY, 'v'],
  ['EXISTS', BIN_KEY],
  ['TYPE', BIN_KEY],
  ['DEL', BIN_KEY],
  ['SET', 's', 'v'],
  ['TYPE', 's'],
  ['TYPE', 'nokey'],
  ['DBSIZE'],
  ['TOUCH', 's', 'nokey', 's'],
  ['TOUCH', 'nokey'],
  ['RANDOMKEY'],
  ['KEYS', '*'],
  ['KEYS', 's'],
  ['KEYS', 'x*'],
  ['KEYS', '[a-z]'],
  ['KEYS', '[^s]'],
  ['KEYS', '?'],
  ['KEYS', ''],
  ['SET', 'key:1', 'v'],
  ['SET', 'key:2', 'v'],
  ['SET', 'kex:3', 'v'],
  ['SET', 'x\\y', 'v'],
  { cmd: ['KEYS', '*'], mask: sortedArray },
  { cmd: ['KEYS', 'key:*'], mask: sortedArray },
  { cmd: ['KEYS', 'ke[xy]:*'], mask: sortedArray },
  { cmd: ['KEYS', 'k*:[13]'], mask: sortedArray },
  ['KEYS', 'x\\\\y'],
  ['KEYS', 'x\\y'],
  ['DBSIZE'],
  ['DEL', 's', 'key:1', 'key:2', 'kex:3', 'x\\y'],
  ['RANDOMKEY'],
  ['KEYS', '*'],
  ['DBSIZE'],
  // Arity is checked before any handler runs.
  ['DEL'],
  ['UNLINK'],
  ['EXISTS'],
  ['TYPE'],
  ['TYPE', 'a', 'b'],
  ['KEYS'],
  ['KEYS', 'a', 'b'],
  ['DBSIZE', 'x'],
  ['RANDOMKEY', 'x'],
  ['TOUCH'],
];

const flushing: Step[] = [
  ['SET', 'a', '1'],
  ['FLUSHDB', 'x'],
  ['FLUSHDB', 'async', 'x'],
  ['FLUSHDB', 'sync', 'sync'],
  ['DBSIZE'],
  ['FLUSHDB', 'ASYNC'],
  ['DBSIZE'],
  ['SET', 'a', '1'],
  ['FLUSHDB', 'sync'],
  ['DBSIZE'],
  ['FLUSHDB'],
  ['SET', 'a', '1'],
  ['COPY', 'a', 'a', 'DB', '3'],
  ['FLUSHDB'],
  ['SWAPDB', '0', '3'],
  ['DBSIZE'],
  ['FLUSHALL', 'lazy'],
  ['FLUSHALL', 'sync', 'async'],
  ['FLUSHALL', 'Async'],
  ['DBSIZE'],
  ['SET', 'a', '1'],
  ['FLUSHALL', 'SYNC'],
  ['DBSIZE'],
  ['FLUSHALL'],
];

const renaming: Step[] = [
  ['SET', 'a', '1'],
  ['PEXPIRE', 'a', '100000'],
  ['RENAME', 'a', 'b'],
  ['EXISTS', 'a'],
  ['GET', 'b'],
  { cmd: ['PTTL', 'b'], mask: intWithin(90000, 100000) },
  ['RENAME', 'nokey', 'x'],
  ['RENAME', 'nokey', 'nokey'],
  ['RENAME', 'b', 'b'],
  ['RENAMENX', 'b', 'b'],
  ['RENAMENX', 'nokey', 'b'],
  ['RENAMENX', 'nokey', 'nokey'],
  ['SET', 'c', '3'],
  ['RENAMENX', 'b', 'c'],
  ['GET', 'c'],
  ['RENAMENX', 'b', 'd'],
  ['EXISTS', 'b'],
  ['TTL', 'd'],
  // RENAME over a key with its own expiry: the destination takes the source's (none here).
  ['SET', 'e', '5', 'EX', '50'],
  ['PERSIST', 'd'],
  ['RENAME', 'd', 'e'],
  ['GET', 'e'],
  ['TTL', 'e'],
  ['SET', BIN_KEY, 'bin'],
  ['RENAME', BIN_KEY, 'plain'],
  ['GET', 'plain'],
  ['RENAME', 'plain', BIN_KEY],
  ['GET', BIN_KEY],
  ['RENAME', 'a'],
  ['RENAMENX', 'a', 'b', 'c'],
];

const copying: Step[] = [
  ['SET', 'src', 'v'],
  ['COPY', 'src', 'src'],
  ['COPY', 'src', 'src', 'DB', '0'],
  ['COPY', 'nokey', 'nokey'],
  ['COPY', 'src', 'src', 'DB', '1'],
  ['COPY', 'src', 'dst', 'DB', 'x'],
  ['COPY', 'src', 'dst', 'DB', '16'],
  ['COPY', 'src', 'dst', 'DB', '-1'],
  ['COPY', 'src', 'dst', 'DB', '99999999999'],
  ['COPY', 'src', 'dst', 'DB', '1.5'],
  ['COPY', 'src', 'dst', 'foo'],
  ['COPY', 'src', 'dst', 'DB'],
  ['COPY', 'src', 'dst', 'DB', '1', 'foo'],
  ['COPY', 'src', 'dst', 'foo', 'DB', 'x'],
  ['COPY', 'src', 'dst', 'DB', 'x', 'foo'],
  ['COPY', 'nokey', 'dst'],
  ['COPY', 'nokey', 'dst', 'DB', '16'],
  ['COPY', 'src', 'dst'],
  ['COPY', 'src', 'dst'],
  ['SET', 'src', 'v2'],
  ['COPY', 'src', 'dst', 'REPLACE'],
  ['GET', 'dst'],
  ['COPY', 'src', 'dst', 'replace', 'replace'],
  ['EXPIRE', 'src', '100'],
  ['COPY', 'src', 'dst2'],
  ['TTL', 'dst2'],
  ['COPY', 'src', 'dst', 'REPLACE'],
  ['TTL', 'dst'],
  ['COPY', 'src'],
  // What went to db 1 is looked at by swapping it in.
  ['SWAPDB', '0', '1'],
  ['KEYS', '*'],
  ['GET', 'src'],
  ['SWAPDB', '1', '0'],
  ['GET', 'src'],
];

const moving: Step[] = [
  ['SET', 'src', 'v', 'EX', '100'],
  ['MOVE', 'src', 'x'],
  ['MOVE', 'src', '16'],
  ['MOVE', 'src', '0'],
  ['MOVE', 'src', '-1'],
  ['MOVE', 'src', '99999999999'],
  ['MOVE', 'src', '-99999999999'],
  ['MOVE', 'src', ''],
  ['MOVE', 'nokey', '0'],
  ['MOVE', 'nokey', '1'],
  ['MOVE', 'nokey', '16'],
  ['COPY', 'src', 'src', 'DB', '1'],
  ['MOVE', 'src', '1'],
  ['EXISTS', 'src'],
  ['MOVE', 'src', '2'],
  ['EXISTS', 'src'],
  ['SWAPDB', '0', '2'],
  ['GET', 'src'],
  ['TTL', 'src'],
  ['MOVE', 'src'],
  ['MOVE', 'src', '1', '2'],
];

const swapping: Step[] = [
  ['SWAPDB', 'x', '1'],
  ['SWAPDB', '1', 'x'],
  ['SWAPDB', 'x', 'y'],
  ['SWAPDB', '1', '16'],
  ['SWAPDB', '16', 'x'],
  ['SWAPDB', '-1', '0'],
  ['SWAPDB', '0', '0'],
  ['SWAPDB', '99999999999', '0'],
  ['SWAPDB', '0', '99999999999'],
  ['SWAPDB', '2147483648', '0'],
  ['SWAPDB', '0'],
  ['SET', 'a', 'zero'],
  ['SWAPDB', '0', '15'],
  ['EXISTS', 'a'],
  ['DBSIZE'],
  ['SWAPDB', '15', '0'],
  ['GET', 'a'],
  ['SELECT', '15'],
  ['SET', 'b', 'fifteen'],
  ['SWAPDB', '15', '0'],
  ['GET', 'b'],
  ['EXISTS', 'a'],
  ['SELECT', '0'],
  ['GET', 'a'],
  ['GET', 'b'],
];

const KEYSPACE_COMMANDS = [
  'del', 'unlink', 'exists', 'type', 'keys', 'scan', 'randomkey', 'rename', 'renamenx', 'copy', 'move',
  'swapdb', 'dbsize', 'flushdb', 'flushall', 'expire', 'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl',
  'expiretime', 'pexpiretime', 'persist', 'touch',
  // OBJECT's own entry lists its subcommands in Redis's hash order, which changes from run to run.
  'object|encoding', 'object|freq', 'object|idletime', 'object|refcount', 'object|help',
];

t.test('keyspace commands match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  for (const [name, script] of Object.entries({ existence, flushing, renaming, copying, moving, swapping })) {
    await t.test(name, async (t) => {
      await pair.check(t, script);
      await pair.check(t, script, { resp: 3 });
    });
  }
  await t.test('COMMAND INFO', async (t) => {
    const script: Step[] = KEYSPACE_COMMANDS.map((name) => ['COMMAND', 'INFO', name]);
    await pair.check(t, script);
    await pair.check(t, script, { resp: 3 });
  });
});
