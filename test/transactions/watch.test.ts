// WATCH against real Redis: which writes make EXEC answer a null array (*-1, RESP3 _) and which do
// not. Every write command Sluice has, including those that change nothing (DEL of a missing key,
// LTRIM keeping everything, a failed SETNX...), the whole-database writes with Redis's rules
// (FLUSHALL/FLUSHDB touch only watched keys that exist, SWAPDB keys that exist in either database),
// expiry (a key expiring after WATCH counts; one already expired when watched does not, until it is
// written again), other databases, other clients, and UNWATCH/DISCARD/EXEC forgetting the keys.

import t from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { Connections, after, on, type Script } from './support';

interface WatchCase {
  readonly name: string;
  readonly setup?: Script;
  /** What happens between WATCH and MULTI. */
  readonly action: Script;
  /** Keys watched; 'k' by default. */
  readonly watch?: string[];
}

const set = (key: string, value = 'v', ...rest: string[]) => ['SET', key, value, ...rest];

/** Writes (or would-be writes) on the watched key or around it, each in its own run. */
const cases: WatchCase[] = [
  { name: 'nothing', action: [] },
  { name: 'a read', setup: [set('k')], action: [['GET', 'k'], ['EXISTS', 'k'], ['TYPE', 'k'], ['TTL', 'k'], ['OBJECT', 'ENCODING', 'k'], ['TOUCH', 'k']] },
  { name: 'SET to the same value', setup: [set('k')], action: [set('k')] },
  { name: 'SET of another key', action: [set('other')] },
  { name: 'SET creating the key', action: [set('k')] },
  { name: 'SET NX refused', setup: [set('k')], action: [set('k', 'w', 'NX')] },
  { name: 'SET XX of a missing key', action: [set('k', 'w', 'XX')] },
  { name: 'SET KEEPTTL', setup: [set('k', 'v', 'EX', '100')], action: [set('k', 'w', 'KEEPTTL')] },
  { name: 'SET GET', setup: [set('k')], action: [set('k', 'w', 'GET')] },
  { name: 'SETNX refused', setup: [set('k')], action: [['SETNX', 'k', 'w']] },
  { name: 'MSETNX refused', setup: [set('k')], action: [['MSETNX', 'k', 'w', 'other', 'w']] },
  { name: 'MSET', action: [['MSET', 'other', 'w', 'k', 'w']] },
  { name: 'APPEND of nothing to a key', setup: [set('k')], action: [['APPEND', 'k', '']] },
  { name: 'APPEND of nothing to a missing key', action: [['APPEND', 'k', '']] },
  { name: 'SETRANGE of nothing', setup: [set('k')], action: [['SETRANGE', 'k', '0', '']] },
  { name: 'SETRANGE of nothing to a missing key', action: [['SETRANGE', 'k', '3', '']] },
  { name: 'SETRANGE', setup: [set('k')], action: [['SETRANGE', 'k', '0', 'x']] },
  { name: 'INCRBY 0', setup: [set('k', '5')], action: [['INCRBY', 'k', '0']] },
  { name: 'INCR of a non-integer (error)', setup: [set('k')], action: [['INCR', 'k']] },
  { name: 'INCRBYFLOAT 0', setup: [set('k', '5')], action: [['INCRBYFLOAT', 'k', '0']] },
  { name: 'GETSET', setup: [set('k')], action: [['GETSET', 'k', 'v']] },
  { name: 'GETDEL of a missing key', action: [['GETDEL', 'k']] },
  { name: 'GETDEL', setup: [set('k')], action: [['GETDEL', 'k']] },
  { name: 'GETEX without options', setup: [set('k', 'v', 'EX', '100')], action: [['GETEX', 'k']] },
  { name: 'GETEX PERSIST of a key without TTL', setup: [set('k')], action: [['GETEX', 'k', 'PERSIST']] },
  { name: 'GETEX PERSIST', setup: [set('k', 'v', 'EX', '100')], action: [['GETEX', 'k', 'PERSIST']] },
  { name: 'GETEX EX', setup: [set('k')], action: [['GETEX', 'k', 'EX', '100']] },
  { name: 'DEL of a missing key', action: [['DEL', 'k']] },
  { name: 'DEL', setup: [set('k')], action: [['DEL', 'k', 'missing']] },
  { name: 'UNLINK', setup: [set('k')], action: [['UNLINK', 'k']] },
  { name: 'DEL of another key', setup: [set('other')], action: [['DEL', 'other']] },
  { name: 'EXPIRE of a missing key', action: [['EXPIRE', 'k', '100']] },
  { name: 'EXPIRE', setup: [set('k')], action: [['EXPIRE', 'k', '100']] },
  { name: 'EXPIRE GT refused', setup: [set('k', 'v', 'EX', '100')], action: [['EXPIRE', 'k', '50', 'GT']] },
  { name: 'EXPIRE in the past (deletes)', setup: [set('k')], action: [['EXPIRE', 'k', '-1']] },
  { name: 'PEXPIREAT', setup: [set('k')], action: [['PEXPIREAT', 'k', '99999999999999']] },
  { name: 'PERSIST of a key without TTL', setup: [set('k')], action: [['PERSIST', 'k']] },
  { name: 'PERSIST', setup: [set('k', 'v', 'EX', '100')], action: [['PERSIST', 'k']] },
  { name: 'RENAME onto itself', setup: [set('k')], action: [['RENAME', 'k', 'k']] },
  { name: 'RENAME away', setup: [set('k')], action: [['RENAME', 'k', 'other']] },
  { name: 'RENAME onto it', setup: [set('other')], action: [['RENAME', 'other', 'k']] },
  { name: 'RENAMENX refused', setup: [set('k'), set('other')], action: [['RENAMENX', 'other', 'k']] },
  { name: 'COPY from it', setup: [set('k')], action: [['COPY', 'k', 'other']] },
  { name: 'COPY onto it', setup: [set('other')], action: [['COPY', 'other', 'k']] },
  { name: 'COPY refused (exists)', setup: [set('k'), set('other')], action: [['COPY', 'other', 'k']] },
  { name: 'COPY REPLACE onto it', setup: [set('k'), set('other')], action: [['COPY', 'other', 'k', 'REPLACE']] },
  { name: 'COPY to another db', setup: [set('k')], action: [['COPY', 'k', 'k', 'DB', '1']] },
  { name: 'MOVE away', setup: [set('k')], action: [['MOVE', 'k', '1']] },
  { name: 'MOVE of a missing key', action: [['MOVE', 'k', '1']] },
  { name: 'MOVE into it', setup: [['SELECT', '1'], set('k'), ['SELECT', '0']], action: [['SELECT', '1'], ['MOVE', 'k', '0'], ['SELECT', '0']] },
  { name: 'a write to the same name in another db', action: [['SELECT', '1'], set('k'), ['SELECT', '0']] },
  { name: 'FLUSHDB of a missing key', action: [['FLUSHDB']] },
  { name: 'FLUSHDB', setup: [set('k')], action: [['FLUSHDB']] },
  { name: 'FLUSHDB of another db', setup: [set('k'), ['SELECT', '1'], set('k'), ['SELECT', '0']], action: [['SELECT', '1'], ['FLUSHDB'], ['SELECT', '0']] },
  { name: 'FLUSHALL of a missing key', setup: [['SELECT', '1'], set('k'), ['SELECT', '0']], action: [['FLUSHALL']] },
  { name: 'FLUSHALL', setup: [set('k')], action: [['FLUSHALL', 'SYNC']] },
  { name: 'SWAPDB with the key only in the other db', setup: [['SELECT', '1'], set('k'), ['SELECT', '0']], action: [['SWAPDB', '0', '1']] },
  { name: 'SWAPDB with the key in neither', setup: [set('other')], action: [['SWAPDB', '0', '1']] },
  { name: 'SWAPDB with the key here', setup: [set('k')], action: [['SWAPDB', '1', '0']] },
  { name: 'SWAPDB of two other dbs', setup: [['SELECT', '2'], set('k'), ['SELECT', '0']], action: [['SWAPDB', '2', '3']] },
  { name: 'SWAPDB of a db with itself', setup: [set('k')], action: [['SWAPDB', '0', '0']] },
  { name: 'LPUSH', action: [['LPUSH', 'k', 'a']] },
  { name: 'LPUSHX of a missing key', action: [['LPUSHX', 'k', 'a']] },
  { name: 'RPUSHX', setup: [['RPUSH', 'k', 'a']], action: [['RPUSHX', 'k', 'b']] },
  { name: 'LPUSH onto a string (error)', setup: [set('k')], action: [['LPUSH', 'k', 'a']] },
  { name: 'LPOP of a missing key', action: [['LPOP', 'k']] },
  { name: 'LPOP count 0', setup: [['RPUSH', 'k', 'a']], action: [['LPOP', 'k', '0']] },
  { name: 'RPOP emptying the list', setup: [['RPUSH', 'k', 'a']], action: [['RPOP', 'k']] },
  { name: 'LTRIM keeping everything', setup: [['RPUSH', 'k', 'a', 'b']], action: [['LTRIM', 'k', '0', '-1']] },
  { name: 'LTRIM of a missing key', action: [['LTRIM', 'k', '0', '-1']] },
  { name: 'LSET to the same element', setup: [['RPUSH', 'k', 'a']], action: [['LSET', 'k', '0', 'a']] },
  { name: 'LSET out of range (error)', setup: [['RPUSH', 'k', 'a']], action: [['LSET', 'k', '5', 'a']] },
  { name: 'LREM removing nothing', setup: [['RPUSH', 'k', 'a']], action: [['LREM', 'k', '0', 'zz']] },
  { name: 'LREM', setup: [['RPUSH', 'k', 'a', 'b']], action: [['LREM', 'k', '0', 'a']] },
  { name: 'LINSERT without the pivot', setup: [['RPUSH', 'k', 'a']], action: [['LINSERT', 'k', 'BEFORE', 'zz', 'x']] },
  { name: 'LINSERT', setup: [['RPUSH', 'k', 'a']], action: [['LINSERT', 'k', 'BEFORE', 'a', 'x']] },
  { name: 'LMOVE rotating it', setup: [['RPUSH', 'k', 'a', 'b']], action: [['LMOVE', 'k', 'k', 'LEFT', 'RIGHT']] },
  { name: 'LMOVE into it', setup: [['RPUSH', 'other', 'a']], action: [['LMOVE', 'other', 'k', 'LEFT', 'RIGHT']] },
  { name: 'LMOVE out of it', setup: [['RPUSH', 'k', 'a', 'b']], action: [['LMOVE', 'k', 'other', 'LEFT', 'RIGHT']] },
  { name: 'RPOPLPUSH of a missing source', action: [['RPOPLPUSH', 'missing', 'k']] },
  { name: 'LMPOP of missing keys', action: [['LMPOP', '2', 'missing', 'k', 'LEFT']] },
  { name: 'LMPOP', setup: [['RPUSH', 'k', 'a', 'b']], action: [['LMPOP', '1', 'k', 'RIGHT', 'COUNT', '1']] },
  { name: 'XADD', action: [['XADD', 'k', '1-1', 'f', 'v']] },
  { name: 'XADD refused (ID too small)', setup: [['XADD', 'k', '5-1', 'f', 'v']], action: [['XADD', 'k', '1-1', 'f', 'v']] },
  { name: 'XADD NOMKSTREAM of a missing key', action: [['XADD', 'k', 'NOMKSTREAM', '*', 'f', 'v']] },
  { name: 'XTRIM removing nothing', setup: [['XADD', 'k', '1-1', 'f', 'v']], action: [['XTRIM', 'k', 'MAXLEN', '10']] },
  { name: 'XTRIM', setup: [['XADD', 'k', '1-1', 'f', 'v'], ['XADD', 'k', '2-1', 'f', 'v']], action: [['XTRIM', 'k', 'MAXLEN', '1']] },
  { name: 'XDEL of a missing ID', setup: [['XADD', 'k', '1-1', 'f', 'v']], action: [['XDEL', 'k', '9-9']] },
  { name: 'XDEL', setup: [['XADD', 'k', '1-1', 'f', 'v']], action: [['XDEL', 'k', '1-1']] },
  { name: 'XSETID (no change for WATCH)', setup: [['XADD', 'k', '1-1', 'f', 'v']], action: [['XSETID', 'k', '5-5']] },
  { name: 'XRANGE', setup: [['XADD', 'k', '1-1', 'f', 'v']], action: [['XRANGE', 'k', '-', '+'], ['XLEN', 'k']] },
  { name: 'several keys watched, one written', watch: ['a', 'b', 'k', 'c'], action: [set('k')] },
  { name: 'WATCH twice, then a write', action: [['WATCH', 'k', 'k'], set('k')] },
  { name: 'UNWATCH, then a write', action: [['UNWATCH'], set('k')] },
  { name: 'a write, then UNWATCH', action: [set('k'), ['UNWATCH']] },
  { name: 'a write, then WATCH of another key', action: [set('k'), ['WATCH', 'other']] },
  { name: 'DISCARD outside MULTI keeps the watch', action: [['DISCARD'], set('k')] },
  { name: 'RESET, then a write', action: [['RESET'], set('k')] },
  { name: 'MULTI, DISCARD, then a write', action: [['MULTI'], ['DISCARD'], set('k')] },
  { name: 'a write, MULTI and DISCARD, then WATCH again', action: [set('k'), ['MULTI'], ['DISCARD'], ['WATCH', 'k']] },
  { name: 'WATCH in another db, then a write to the key here', action: [['SELECT', '1'], ['WATCH', 'other'], ['SELECT', '0'], set('other')] },
];

/** Expiry: keys with a TTL of `ms`, and the time left to pass. */
const expiryCases: WatchCase[] = [
  { name: 'the key expires after WATCH', setup: [set('k', 'v', 'PX', '150')], action: [after(300, 'PING')] },
  { name: 'the key expires after WATCH and is read (deleted)', setup: [set('k', 'v', 'PX', '150')], action: [after(300, 'GET', 'k')] },
  { name: 'the key is already expired when watched', setup: [set('k', 'v', 'PX', '1'), after(30, 'PING')], action: [] },
  { name: 'already expired when watched, then read', setup: [set('k', 'v', 'PX', '1'), after(30, 'PING')], action: [['GET', 'k']] },
  { name: 'already expired when watched, then DEL', setup: [set('k', 'v', 'PX', '1'), after(30, 'PING')], action: [['DEL', 'k']] },
  { name: 'already expired when watched, then written', setup: [set('k', 'v', 'PX', '1'), after(30, 'PING')], action: [set('k', 'w')] },
  { name: 'already expired when watched, then FLUSHALL', setup: [set('k', 'v', 'PX', '1'), after(30, 'PING')], action: [['FLUSHALL']] },
  {
    name: 'SWAPDB brings an expired key',
    setup: [['SELECT', '1'], set('k', 'v', 'PX', '1'), ['SELECT', '0'], after(30, 'PING')],
    action: [['SWAPDB', '0', '1']],
  },
  {
    name: 'SWAPDB brings a live key over an expired one',
    setup: [set('k', 'v', 'PX', '1'), ['SELECT', '1'], set('k'), ['SELECT', '0'], after(30, 'PING')],
    action: [['SWAPDB', '0', '1']],
  },
];

function watchScript(c: WatchCase): Script {
  return [['FLUSHALL'], ...(c.setup ?? []), ['WATCH', ...(c.watch ?? ['k'])], ...c.action, ['MULTI'], ['PING'], ['EXEC']];
}

t.test('WATCH: which writes make EXEC fail, as in Redis (RESP2)', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const conns = await Connections.open(pair, 1);
  t.teardown(() => conns.close());
  for (const c of cases) await conns.run(t, watchScript(c), `${c.name}: `);
  // Nothing stays watched: the next EXEC runs whatever is written.
  await conns.run(t, [['SET', 'k', 'v'], ['MULTI'], ['PING'], ['EXEC']]);
});

t.test('WATCH and expiry (Redis 7 rules)', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const conns = await Connections.open(pair, 1);
  t.teardown(() => conns.close());
  for (const c of expiryCases) await conns.run(t, watchScript(c), `${c.name}: `);
  // A key expiring while the transaction is queued.
  await conns.run(t, [['FLUSHALL'], set('k', 'v', 'PX', '150'), ['WATCH', 'k'], ['MULTI'], ['PING'], after(300, 'EXEC')], 'expires during MULTI: ');
});

t.test('WATCH in RESP3: the aborted EXEC is a null (_)', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const conns = await Connections.open(pair, 2, { resp: 3 });
  t.teardown(() => conns.close());
  await conns.run(t, [['FLUSHALL'], ['WATCH', 'k'], on(1, 'SET', 'k', 'v'), ['MULTI'], ['GET', 'k'], ['EXEC'], ['MULTI'], ['GET', 'k'], ['EXEC']]);
});

t.test('WATCH with several clients', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const conns = await Connections.open(pair, 3);
  t.teardown(() => conns.close());
  const exec = (i: number): Script => [on(i, 'MULTI'), on(i, 'INCR', 'n'), on(i, 'EXEC')];
  await conns.run(t, [['FLUSHALL'], ['WATCH', 'k'], on(1, 'SET', 'k', 'v'), ...exec(0)], 'another client writes: ');
  await conns.run(t, [['WATCH', 'k'], on(1, 'SET', 'other', 'v'), ...exec(0)], 'another client writes another key: ');
  await conns.run(t, [['WATCH', 'k'], on(1, 'SELECT', '2'), on(1, 'SET', 'k', 'v'), on(1, 'SELECT', '0'), ...exec(0)], 'another db: ');
  await conns.run(t, [['WATCH', 'k'], on(1, 'WATCH', 'k'), on(2, 'DEL', 'k'), ...exec(0), ...exec(1)], 'two watchers: ');
  // A transaction that writes the key fails the other watcher's, not its own.
  await conns.run(t, [['WATCH', 'k'], on(1, 'WATCH', 'k'), on(0, 'MULTI'), on(0, 'SET', 'k', 'mine'), on(0, 'EXEC'), ...exec(1), ['GET', 'k']], 'a transaction writes: ');
  // Queued commands have not run: they change nothing until EXEC.
  await conns.run(
    t,
    [['WATCH', 'k'], on(1, 'MULTI'), on(1, 'SET', 'k', 'queued'), ...exec(0), on(1, 'EXEC'), ['WATCH', 'k'], ...exec(0)],
    'queued, not run: ',
  );
  // A watcher that disconnects leaves nothing behind; the others still see the write.
  await conns.run(t, [['WATCH', 'k'], on(1, 'WATCH', 'k'), on(1, 'QUIT'), on(2, 'SET', 'k', 'x'), ...exec(0)], 'a watcher quits: ');
  await conns.run(t, [on(2, 'GET', 'n')], 'counted: ');
});
