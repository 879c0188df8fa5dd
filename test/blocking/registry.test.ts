// server/blocking.ts with fake clients and a fake clock: FIFO service, one element for one client,
// clients blocked on several keys served once, timeouts in deadline order behind one timer,
// CLIENT UNBLOCK with TIMEOUT and ERROR, disconnects, chained wakes (BLMOVE into a key another
// client waits on), deleted and retyped keys, FLUSHDB/SWAPDB, XREADGROUP-like waits that must hear
// of deletions, and signalEffect on keyspace effects.

import t from 'tap';
import type { Effect } from '../../storage/effects';
import { UNBLOCKED_BY_CLIENT_UNBLOCK } from '../../server/blocking';
import { World } from './support';

t.test('FIFO: waiters are served in the order they blocked', async (t) => {
  const w = new World();
  const [a, b, c] = [w.client(), w.client(), w.client()];
  w.blpop(a, 0, ['k'], 0);
  w.blpop(b, 0, ['k'], 0);
  w.blpop(c, 0, ['k'], 0);
  t.equal(w.registry.blockedClients, 3);
  w.rpush(0, 'k', 'x', 'y');
  t.equal(w.afterCommand(), 2);
  t.same(a.replies, ['k=x']);
  t.same(b.replies, ['k=y']);
  t.same(c.replies, [], 'nothing left for the third');
  t.ok(w.registry.isBlocked(c.id));
  t.notOk(w.registry.isBlocked(a.id));
  t.same(w.events.filter((e) => e.startsWith('served')), ['served 1', 'served 2']);
  w.rpush(0, 'k', 'z');
  w.afterCommand();
  t.same(c.replies, ['k=z'], 'the third keeps its place and gets the next');
});

t.test('one element wakes one client; the others are not retried past an empty key', async (t) => {
  const w = new World();
  const clients = Array.from({ length: 5 }, () => w.client());
  for (const client of clients) w.blpop(client, 0, ['q'], 0);
  w.lpush(0, 'q', 'job');
  t.equal(w.afterCommand(), 1);
  t.same(
    clients.map((c) => c.replies.length),
    [1, 0, 0, 0, 0],
  );
  // The served client's pop emptied the list: the next retry finds the key empty and ends the key's turn.
  t.same(w.events.filter((e) => e.startsWith('retry')), ['retry 1 q', 'retry 2 q', 'retry 2 q'], 'the pop re-signalled q once');
  t.equal(w.registry.blockedClients, 4);
});

t.test('a client blocked on several keys is served once, from its own first non-empty key', async (t) => {
  const w = new World();
  const a = w.client();
  const b = w.client();
  w.blpop(a, 0, ['k1', 'k2', 'k1'], 0);
  t.same(w.registry.keysOf(a.id), ['k1', 'k2'], 'a key given twice counts once');
  t.equal(w.registry.totalBlockingKeys, 2);
  w.blpop(b, 0, ['k2'], 0);
  // One "command" (MULTI/EXEC) writes k2 then k1: k2's turn comes first, and a's retry runs BLPOP
  // again, which pops k1 (its first key), as Redis 7.2 re-runs the whole command.
  w.rpush(0, 'k2', 'from-k2');
  w.rpush(0, 'k1', 'from-k1');
  t.equal(w.afterCommand(), 2);
  t.same(a.replies, ['k1=from-k1'], 'served once');
  t.same(b.replies, ['k2=from-k2'], 'k2 still had its element for b');
  t.equal(w.registry.totalBlockingKeys, 0, 'no queue left behind');
  t.equal(w.registry.blockedClients, 0);
});

t.test('timeouts fire in deadline order (then client id) behind a single timer', async (t) => {
  const w = new World();
  const [a, b, c, d] = [w.client(), w.client(), w.client(), w.client()];
  w.blpop(a, 0, ['k'], 100);
  w.blpop(b, 0, ['k'], 50);
  w.blpop(c, 0, ['j'], 50);
  w.blpop(d, 0, ['k'], 0);
  t.equal(w.registry.clientsInTimeoutTable, 3, 'the client without a timeout is not in the table');
  t.equal(w.clock.timers.length, 1, 'one timer');
  t.equal(w.clock.timers[0]!.delayMs, 50, 'armed for the earliest deadline');
  w.clock.advance(49);
  t.same(w.events, [], 'nothing before the deadline');
  w.clock.advance(1);
  t.same(w.events, ['timeout 2', 'timeout 3'], 'same deadline: lower client id first');
  t.same(b.replies, ['(nil)']);
  t.same(c.replies, ['(nil)']);
  t.equal(w.clock.timers.length, 1, 'rearmed for the next deadline');
  w.clock.advance(60);
  t.same(w.events, ['timeout 2', 'timeout 3', 'timeout 1']);
  t.equal(w.clock.timers.length, 0, 'no timer once no deadline is left');
  t.ok(w.registry.isBlocked(d.id), 'timeout 0 waits forever');
  t.same(w.registry.keysOf(d.id), ['k']);
  w.rpush(0, 'k', 'v');
  w.afterCommand();
  t.same(d.replies, ['k=v'], 'timed-out clients left their queues');
});

t.test('an earlier deadline rearms the timer; a departed waiter only makes it fire early', async (t) => {
  const w = new World();
  const [a, b] = [w.client(), w.client()];
  w.blpop(a, 0, ['k'], 1000);
  w.blpop(b, 0, ['k'], 10);
  t.equal(w.clock.timers.length, 1);
  t.equal(w.clock.timers[0]!.delayMs, 10);
  w.rpush(0, 'k', 'v');
  w.afterCommand();
  t.same(a.replies, ['k=v']);
  t.equal(w.registry.unblockById(b.id, 'timeout'), true);
  w.clock.advance(10);
  t.same(w.events.filter((e) => !e.startsWith('retry')), ['served 1', 'timeout 2'], 'the early firing finds nobody due');
  // A deadline beyond Node's longest timer is reached in steps.
  const far = w.client();
  w.blpop(far, 0, ['k'], 3_000_000_000);
  t.equal(w.clock.timers[0]!.delayMs, 2147483647);
  w.clock.advance(2147483647);
  t.ok(w.registry.isBlocked(far.id), 'still waiting after the first step');
  w.clock.advance(3_000_000_000 - 2147483647);
  t.same(far.replies, ['(nil)']);
});

t.test('CLIENT UNBLOCK with TIMEOUT and ERROR', async (t) => {
  const w = new World();
  const [a, b, c] = [w.client(), w.client(), w.client()];
  w.blpop(a, 0, ['k', 'j'], 0);
  w.blpop(b, 0, ['k'], 5000);
  t.equal(w.registry.unblockById(a.id, 'timeout'), true);
  t.same(a.replies, ['(nil)'], 'the command\'s own timeout reply');
  t.equal(w.registry.unblockById(b.id, 'error'), true);
  t.same(b.replies, [`-${UNBLOCKED_BY_CLIENT_UNBLOCK}`]);
  t.equal(UNBLOCKED_BY_CLIENT_UNBLOCK, 'UNBLOCKED client unblocked via CLIENT UNBLOCK');
  t.same(w.events, ['timeout 1', 'error 2']);
  t.equal(w.registry.unblockById(a.id, 'timeout'), false, 'no longer blocked');
  t.equal(w.registry.unblockById(c.id, 'error'), false, 'never blocked');
  t.equal(w.registry.unblockById(999, 'error'), false, 'no such client');
  t.equal(w.registry.clientsInTimeoutTable, 0, 'b left the timeout table');
  t.equal(w.registry.totalBlockingKeys, 0);
  w.rpush(0, 'k', 'v');
  t.equal(w.afterCommand(), 0, 'unblocked clients are not served');
  w.clock.advance(10_000);
  t.same(b.replies, [`-${UNBLOCKED_BY_CLIENT_UNBLOCK}`], 'and do not time out later');
});

t.test('a disconnected client is forgotten', async (t) => {
  const w = new World();
  const [a, b] = [w.client(), w.client()];
  w.blpop(a, 0, ['k'], 100);
  w.blpop(b, 0, ['k'], 0);
  w.registry.remove(a);
  t.equal(w.registry.blockedClients, 1);
  t.equal(w.registry.clientsInTimeoutTable, 0);
  w.registry.remove(a);
  w.registry.remove(w.client());
  w.rpush(0, 'k', 'v');
  w.afterCommand();
  t.same(a.replies, []);
  t.same(b.replies, ['k=v']);
  w.clock.advance(1000);
  t.same(a.replies, [], 'no timeout reply either');
  t.same(w.events.filter((e) => !e.startsWith('retry')), ['served 2'], 'no unblocked() for a disconnect');
  t.notOk(w.events.includes('retry 1 k'), 'nor a retry');
});

t.test('chained wakes: BLMOVE into a key another client waits on, in the same pass', async (t) => {
  const w = new World();
  const mover = w.client();
  const popper = w.client();
  const third = w.client();
  w.blmove(mover, 0, 'src', 'dst', 0);
  w.blpop(popper, 0, ['dst'], 0);
  w.blmove(third, 0, 'dst', 'final', 0);
  w.rpush(0, 'src', 'job');
  t.equal(w.afterCommand(), 2, 'one pass serves both');
  t.same(mover.replies, ['job']);
  t.same(popper.replies, ['dst=job'], 'the popper came first on dst');
  t.same(third.replies, []);
  t.equal(w.list(0, 'dst'), undefined);

  // A chain of three moves and a rotation.
  const x = new World();
  const [m1, m2, m3] = [x.client(), x.client(), x.client()];
  x.blmove(m1, 0, 'a', 'b', 0);
  x.blmove(m2, 0, 'b', 'c', 0);
  x.blpop(m3, 0, ['c'], 0);
  x.lpush(0, 'a', 'token');
  t.equal(x.afterCommand(), 3);
  t.same(m3.replies, ['c=token']);

  const r = new World();
  const [rotator, taker] = [r.client(), r.client()];
  r.blmove(rotator, 0, 'k', 'k', 0);
  r.blpop(taker, 0, ['k'], 0);
  r.rpush(0, 'k', 'v');
  t.equal(r.afterCommand(), 2, 'BLMOVE k k rotates, then the next waiter takes the element');
  t.same(rotator.replies, ['v']);
  t.same(taker.replies, ['k=v']);
});

t.test('a client blocked on a key that is deleted or retyped keeps waiting', async (t) => {
  const w = new World();
  const [a, b] = [w.client(), w.client()];
  w.blpop(a, 0, ['k'], 0);
  w.rpush(0, 'other', 'x');
  w.del(0, 'k');
  w.afterCommand();
  t.ok(w.registry.isBlocked(a.id), 'DEL of the key: the retry finds nothing');
  w.set(0, 'k', 'a string');
  w.afterCommand();
  t.ok(w.registry.isBlocked(a.id), 'the key became a string: BLPOP keeps waiting, as in Redis');
  t.same(a.replies, []);
  // A list waiter behind a waiter of another type is still served.
  w.del(0, 'k');
  const stream = w.client();
  w.xadd(0, 's', 'e1');
  w.xreadgroup(stream, 0, 'k2', 0, 0);
  w.blpop(b, 0, ['k2'], 0);
  w.rpush(0, 'k2', 'v');
  w.afterCommand();
  t.same(stream.replies, ['-NOGROUP'], 'the stream waiter errors: its key is not a stream');
  t.same(b.replies, ['k2=v'], 'the list waiter behind it is served');
  w.rpush(0, 'k', 'finally');
  w.afterCommand();
  t.same(a.replies, ['k=finally']);
});

t.test('XREADGROUP-like waits: skipped when nothing is new for them, an error when the key goes', async (t) => {
  const w = new World();
  w.xadd(0, 's', 'e1');
  const [g1, g2, g3] = [w.client(), w.client(), w.client()];
  w.xreadgroup(g1, 0, 's', 2, 0);
  w.xreadgroup(g2, 0, 's', 1, 0);
  t.equal(w.registry.totalBlockingKeysOnNoKey, 1);
  w.xadd(0, 's', 'e2');
  t.equal(w.afterCommand(), 1);
  t.same(g1.replies, [], 'nothing after its position: it keeps its place');
  t.same(g2.replies, ['e2'], 'the waiter behind it is served');
  w.xreadgroup(g3, 0, 's', 3, 0);
  w.del(0, 's');
  t.equal(w.afterCommand(), 2);
  t.same(g1.replies, ['-NOGROUP']);
  t.same(g3.replies, ['-NOGROUP']);
  t.equal(w.registry.totalBlockingKeysOnNoKey, 0);
  t.equal(w.registry.blockedClients, 0);
});

t.test('signalEffect: FLUSHDB, FLUSHALL, SWAPDB, RENAME, COPY, MOVE and effects by shape', async (t) => {
  const w = new World();
  const served = (effect: Effect | Record<string, unknown>) => {
    w.registry.signalEffect(effect as Effect);
    return w.afterCommand();
  };
  const a = w.client();
  w.blpop(a, 0, ['k'], 0);
  // SWAPDB: waiters stay with database 0, which now holds db 1's k.
  w.dbs[1]!.set('k', { type: 'list', items: ['from-db1'] });
  [w.dbs[0], w.dbs[1]] = [w.dbs[1]!, w.dbs[0]!];
  t.equal(served({ op: 'swapdb', db: 0, other: 1 }), 1);
  t.same(a.replies, ['k=from-db1']);

  const b = w.client();
  w.xreadgroup(b, 1, 's', 0, 0);
  w.dbs[1]!.clear();
  t.equal(served({ op: 'flushdb', db: 1 }), 1, 'FLUSHDB wakes the waiters of that database');
  t.same(b.replies, ['-NOGROUP']);

  const c = w.client();
  w.blpop(c, 1, ['x'], 0);
  t.equal(served({ op: 'flushall' }), 0, 'FLUSHALL runs the retries; an empty key keeps BLPOP waiting');
  t.same(w.events.slice(-1), ['retry 3 x']);

  const renamed = w.client();
  w.blpop(renamed, 0, ['to'], 0);
  w.dbs[0]!.set('to', { type: 'list', items: ['r'] });
  t.equal(served({ op: 'rename', db: 0, from: 'from', to: 'to' }), 1);

  const copied = w.client();
  w.blpop(copied, 1, ['dest'], 0);
  w.dbs[1]!.set('dest', { type: 'list', items: ['c'] });
  t.equal(served({ op: 'copy', db: 0, from: 'src', toDb: 1, to: 'dest' }), 1, 'COPY to another database');

  const moved = w.client();
  w.blpop(moved, 1, ['m'], 0);
  w.dbs[1]!.set('m', { type: 'list', items: ['moved'] });
  t.equal(served({ op: 'move', db: 0, key: 'm', toDb: 1 }), 1, 'MOVE wakes the key in the target database');

  const shaped = w.client();
  w.blpop(shaped, 0, ['pushed'], 0);
  w.dbs[0]!.set('pushed', { type: 'list', items: ['p'] });
  t.equal(served({ op: 'rpush', db: 0, key: 'pushed', elements: ['p'] }), 1, 'a list effect with a key');

  const dest = w.client();
  w.blpop(dest, 0, ['d2'], 0);
  w.dbs[0]!.set('d2', { type: 'list', items: ['q'] });
  t.equal(served({ op: 'lmove', db: 0, source: 's2', destination: 'd2' } as Record<string, unknown>), 1, 'source/destination fields');

  const many = w.client();
  w.blpop(many, 0, ['m2'], 0);
  w.dbs[0]!.set('m2', { type: 'list', items: ['z'] });
  t.equal(served({ op: 'del', db: 0, keys: ['nothing', 'm2'] }), 1, 'keys arrays');

  const quiet = w.client();
  w.blpop(quiet, 0, ['e'], 0);
  w.dbs[0]!.set('e', { type: 'list', items: ['never seen'] });
  t.equal(served({ op: 'expire', db: 0, key: 'e', atMs: 1 }), 0, 'quiet ops wake nobody');
  t.equal(served({ op: 'set', db: 2, key: 'e', value: 'x', expireAtMs: null }), 0, 'another database');
  t.equal(served({ op: 'set', db: 0, key: 'e', value: 'x', expireAtMs: null }), 1);
});

t.test('custom quiet ops', async (t) => {
  const w = new World({ quietOps: ['xsetid'] });
  const a = w.client();
  w.xadd(0, 's', 'e1');
  w.xreadgroup(a, 0, 's', 0, 0);
  w.registry.signalEffect({ op: 'xsetid', db: 0, key: 's' } as unknown as Effect);
  t.equal(w.afterCommand(), 0, 'XGROUP SETID must not serve a waiting XREADGROUP');
  w.registry.signalEffect({ op: 'expire', db: 0, key: 's', atMs: 1 });
  t.equal(w.afterCommand(), 1, 'the default quiet list is replaced');
});

t.test('only the clients waiting when a key\'s turn begins are retried in it', async (t) => {
  const w = new World();
  const [a, b] = [w.client(), w.client()];
  // A host that resumes a client at once, running another BLPOP from its backlog.
  w.onUnblocked = (client, reason) => {
    if (reason === 'served' && client === a && a.replies.length === 1) w.blpop(a, 0, ['k'], 0, false);
  };
  w.blpop(a, 0, ['k'], 0);
  w.blpop(b, 0, ['k'], 0);
  w.rpush(0, 'k', '1', '2', '3');
  w.afterCommand();
  t.same(a.replies, ['k=1', 'k=3'], 'a blocked again behind b, and got the third element in a later round');
  t.same(b.replies, ['k=2']);
});

t.test('serveReadyKeys is not re-entered; keysReady tells the host when work appears', async (t) => {
  const w = new World();
  const a = w.client();
  let inner = -1;
  w.registry.block(a, {
    db: 0,
    keys: ['k'],
    deadlineMs: 0,
    retry: () => {
      inner = w.registry.serveReadyKeys();
      a.replies.push('done');
      return 'served';
    },
    timedOut: () => undefined,
  });
  t.equal(w.keysReadyCalls, 0);
  w.registry.signalKeyAsReady(0, 'k');
  w.registry.signalKeyAsReady(0, 'k');
  t.equal(w.keysReadyCalls, 1, 'once, when the first key becomes ready');
  t.equal(w.registry.hasReadyKeys, true);
  t.equal(w.afterCommand(), 1);
  t.equal(inner, 0, 'a nested call returns at once');
  t.equal(w.registry.hasReadyKeys, false);
  w.registry.signalKeyAsReady(0, 'nobody-waits');
  t.equal(w.registry.hasReadyKeys, false, 'keys nobody waits on are not queued');
  t.throws(() => {
    const b = w.client();
    w.blpop(b, 0, ['k'], 0);
    w.blpop(b, 0, ['k'], 0);
  }, /already blocked/);
});

t.test('a retry that throws leaves the registry usable', async (t) => {
  const w = new World();
  const [bad, good] = [w.client(), w.client()];
  w.registry.block(bad, {
    db: 0,
    keys: ['a'],
    deadlineMs: 0,
    retry: () => {
      throw new Error('bug');
    },
    timedOut: () => undefined,
  });
  w.blpop(good, 0, ['b'], 0);
  w.rpush(0, 'a', 'x');
  w.rpush(0, 'b', 'y');
  t.throws(() => w.afterCommand(), /bug/);
  t.equal(w.registry.hasReadyKeys, true, 'b is still queued');
  t.equal(w.afterCommand(), 1);
  t.same(good.replies, ['b=y']);
});

t.test('key-less blocks (WAIT): finished by their owner, timed out, or unblocked', async (t) => {
  const w = new World();
  const [a, b] = [w.client(), w.client()];
  w.registry.block(a, { db: 0, keys: [], deadlineMs: w.clock.now + 100, retry: () => 'skip', timedOut: () => a.replies.push('0 replicas') });
  w.registry.block(b, { db: 0, keys: [], deadlineMs: 0, retry: () => 'skip', timedOut: () => b.replies.push('0 replicas') });
  t.equal(w.registry.blockedClients, 2);
  t.equal(w.registry.totalBlockingKeys, 0);
  t.equal(w.registry.finish(b), true);
  t.equal(w.registry.finish(b), false);
  w.clock.advance(100);
  t.same(a.replies, ['0 replicas']);
  t.same(w.events, ['served 2', 'timeout 1']);
});

t.test('CommandBacklog keeps arrival order and counts bytes', async (t) => {
  const { CommandBacklog } = await import('../../server/blocking');
  const backlog = new CommandBacklog();
  t.equal(backlog.shift(), undefined);
  const argv = (i: number) => [Buffer.from('SET'), Buffer.from(`k${i}`), Buffer.from('v')];
  for (let i = 0; i < 3000; i++) backlog.push(argv(i));
  t.equal(backlog.length, 3000);
  t.equal(backlog.bytes, 3000 * 4 + [...Array(3000).keys()].reduce((sum, i) => sum + String(i).length + 1, 0));
  const order: string[] = [];
  for (let i = 0; i < 2000; i++) order.push(backlog.shift()![1]!.toString());
  t.same(order.slice(0, 3), ['k0', 'k1', 'k2']);
  t.equal(order[1999], 'k1999');
  backlog.push(argv(3000));
  t.equal(backlog.length, 1001);
  let last = '';
  for (let next = backlog.shift(); next !== undefined; next = backlog.shift()) last = next[1]!.toString();
  t.equal(last, 'k3000');
  t.equal(backlog.bytes, 0);
  backlog.push(argv(1));
  backlog.clear();
  t.equal(backlog.length, 0);
  t.equal(backlog.bytes, 0);
});
