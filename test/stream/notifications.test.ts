// Keyspace notifications of the stream commands against real Redis: a subscriber listens to every
// __keyspace@*__ and __keyevent@*__ channel while a script of stream commands runs (including the
// ones that must announce nothing: failures, no-ops, reads), and the sequence of messages it
// receives must equal Redis's, byte for byte. Redis 8.2's XDELEX/XACKDEL, which the installed
// Redis lacks, are checked against Sluice alone (events as Redis's source announces them).

import t, { type Test } from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';
import { Twin } from '../support/twins';

let pair: DiffPair;
t.before(async () => {
  if (redisSkip === false) pair = await DiffPair.start();
});
t.teardown(() => pair?.stop());

const SCRIPT: string[][] = [
  // XADD: new key, plain append, NOMKSTREAM on a missing key, errors, trims that remove and that don't
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '1-2', 'f', 'v'],
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 'missing', 'NOMKSTREAM', '*', 'f', 'v'],
  ['XADD', 's', '0-0', 'f', 'v'],
  ['XADD', 's', 'MAXLEN', '10', '1-3', 'f', 'v'],
  ['XADD', 's', 'MAXLEN', '2', '1-4', 'f', 'v'],
  ['XADD', 's', 'MINID', '1-4', '1-5', 'f', 'v'],
  ['XADD', 's', 'MAXLEN', '~', '1', '1-6', 'f', 'v'],
  ['SET', 'str', 'x'],
  ['XADD', 'str', '*', 'f', 'v'],
  // XTRIM
  ['XTRIM', 's', 'MAXLEN', '100'],
  ['XTRIM', 's', 'MAXLEN', '1'],
  ['XTRIM', 'missing', 'MAXLEN', '0'],
  ['XTRIM', 's', 'MINID', '9-9'],
  // XDEL: present, absent, emptied (the key stays)
  ['XADD', 'd', '1-1', 'f', 'v'],
  ['XADD', 'd', '1-2', 'f', 'v'],
  ['XDEL', 'd', '9-9'],
  ['XDEL', 'd', '1-1', '1-1', '7-7'],
  ['XDEL', 'd', '1-2'],
  ['XDEL', 'missing', '1-1'],
  ['EXISTS', 'd'],
  // XSETID
  ['XSETID', 'd', '5-5'],
  ['XSETID', 'd', '6-6'],
  ['XSETID', 'd', '1-1', 'ENTRIESADDED', '1', 'MAXDELETEDID', '2-2'],
  ['XSETID', 'missing', '5-5'],
  // XGROUP: create (MKSTREAM makes a new key), busy, setid, consumers, destroy
  ['XGROUP', 'CREATE', 'g', 'grp', '$', 'MKSTREAM'],
  ['XGROUP', 'CREATE', 'g', 'grp', '$'],
  ['XGROUP', 'CREATE', 'missing', 'grp', '$'],
  ['XADD', 'g', '1-1', 'a', '1'],
  ['XADD', 'g', '1-2', 'a', '2'],
  ['XADD', 'g', '1-3', 'a', '3'],
  ['XGROUP', 'SETID', 'g', 'grp', '0'],
  ['XGROUP', 'SETID', 'g', 'nogroup', '0'],
  ['XGROUP', 'CREATECONSUMER', 'g', 'grp', 'alice'],
  ['XGROUP', 'CREATECONSUMER', 'g', 'grp', 'alice'],
  ['XGROUP', 'DELCONSUMER', 'g', 'grp', 'alice'],
  ['XGROUP', 'DELCONSUMER', 'g', 'grp', 'alice'],
  // Consumers made on the fly by XREADGROUP, XCLAIM, XAUTOCLAIM (those that get entries: Redis 7.0
  // creates the others only from 7.2 on, tested below); XACK announces nothing
  ['XREADGROUP', 'GROUP', 'grp', 'bob', 'COUNT', '2', 'STREAMS', 'g', '>'],
  ['XREADGROUP', 'GROUP', 'grp', 'bob', 'STREAMS', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'grp', 'dave', 'STREAMS', 'g', '>'],
  ['XADD', 'g', '1-4', 'a', '4'],
  ['XREADGROUP', 'GROUP', 'grp', 'erin', 'NOACK', 'STREAMS', 'g', '>'],
  ['XCLAIM', 'g', 'grp', 'frank', '0', '1-1'],
  ['XCLAIM', 'g', 'grp', 'frank', '0', '1-2'],
  ['XAUTOCLAIM', 'g', 'grp', 'hank', '0', '0'],
  ['XAUTOCLAIM', 'g', 'grp', 'hank', '0', '0'],
  ['XACK', 'g', 'grp', '1-1', '1-2', '1-3'],
  ['XPENDING', 'g', 'grp'],
  ['XGROUP', 'DESTROY', 'g', 'grp'],
  ['XGROUP', 'DESTROY', 'g', 'grp'],
  // reads announce nothing
  ['XRANGE', 's', '-', '+'],
  ['XREVRANGE', 'missing', '+', '-'],
  ['XLEN', 's'],
  ['XREAD', 'STREAMS', 's', 'missing', '0', '0'],
  ['DEL', 's', 'd', 'g'],
];

async function runScript(t: Test, flags: string): Promise<void> {
  const admin = await Twin.connect(t, pair, { label: 'admin' });
  await admin.send(['FLUSHALL']);
  await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', flags]);
  const sub = await Twin.connect(t, pair, { label: `notify-keyspace-events ${flags}` });
  await sub.send(['PSUBSCRIBE', '__key*__:*']);
  const cmd = await Twin.connect(t, pair, { label: 'commands' });
  for (const step of SCRIPT) await cmd.send(step);
  await drain(t, sub);
  await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', '']);
}

/** Compare every message the subscribers received, in order, until both fall silent. */
async function drain(t: Test, twin: Twin): Promise<void> {
  let n = 0;
  for (;;) {
    const [r, s] = await Promise.all([
      twin.redis.readReply(300).then((b) => b.toString('latin1'), () => null),
      twin.sluice.readReply(300).then((b) => b.toString('latin1'), () => null),
    ]);
    const shown = (m: string | null) => (m === null ? 'nothing' : m.split('\r\n').filter((_, i) => i % 2 === 0 && i > 2).join(' '));
    t.equal(s === null ? null : shown(s), r === null ? null : shown(r), `${twin.label} #${++n}: ${shown(r)}`);
    if (r === null || s === null) return;
  }
}

for (const flags of ['KEA', 'Et', 'Kg', 'Etn']) {
  t.test(`stream notifications for a script of commands: ${flags}`, { skip: redisSkip }, async (t) => {
    await runScript(t, flags);
  });
}

/** Every __keyevent@0__ message a Sluice subscriber gets while `commands` run: "event key". */
async function sluiceEvents(t: Test, commands: string[][]): Promise<string[]> {
  const sluice = await startSluice(['--notify-keyspace-events', 'Et']);
  t.teardown(() => sluice.stop());
  const [sub, c] = await Promise.all([RawClient.connect(sluice.port), RawClient.connect(sluice.port)]);
  t.teardown(() => {
    sub.close();
    c.close();
  });
  await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
  for (const command of commands) await c.call(...command);
  const events: string[] = [];
  for (;;) {
    const message = await sub.readReply(300).catch(() => null);
    if (message === null) return events;
    const parts = message.toString('latin1').split('\r\n');
    events.push(`${parts[6]!.slice('__keyevent@0__:'.length)} ${parts[8]}`);
  }
}

t.test('Redis 7.2 creates the consumer even when nothing is served or claimed, and announces it', async (t) => {
  const events = await sluiceEvents(t, [
    ['XGROUP', 'CREATE', 'k', 'g', '$', 'MKSTREAM'],
    ['XREADGROUP', 'GROUP', 'g', 'history', 'STREAMS', 'k', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'fresh', 'STREAMS', 'k', '>'],
    ['XCLAIM', 'k', 'g', 'claimer', '0', '1-1'],
    ['XAUTOCLAIM', 'k', 'g', 'auto', '0', '0'],
    ['XAUTOCLAIM', 'k', 'g', 'auto', '0', '0'],
  ]);
  t.same(events, ['xgroup-create k', 'xgroup-createconsumer k', 'xgroup-createconsumer k', 'xgroup-createconsumer k', 'xgroup-createconsumer k']);
});

t.test('XREADGROUP BLOCK creates its consumer (and announces it) before it waits', async (t) => {
  const events = await sluiceEvents(t, [
    ['XGROUP', 'CREATE', 'k', 'g', '$', 'MKSTREAM'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '1', 'STREAMS', 'k', '>'],
  ]);
  t.same(events, ['xgroup-create k', 'xgroup-createconsumer k']);
});

t.test('XDELEX announces xdel when it deleted any entry', async (t) => {
  const events = await sluiceEvents(t, [
    ['XADD', 'k', '1-1', 'f', 'v'],
    ['XDELEX', 'k', 'IDS', '1', '9-9'],
    ['XDELEX', 'k', 'IDS', '2', '1-1', '9-9'],
  ]);
  t.same(events, ['xadd k', 'xdel k']);
});

t.test('XACKDEL announces xdel when it deleted any entry (an acknowledgement alone announces nothing)', async (t) => {
  const events = await sluiceEvents(t, [
    ['XADD', 'k', '1-1', 'f', 'v'],
    ['XGROUP', 'CREATE', 'k', 'g', '0'],
    ['XGROUP', 'CREATE', 'k', 'other', '$'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'k', '>'],
    ['XACKDEL', 'k', 'g', 'IDS', '1', '9-9'],
    ['XACKDEL', 'k', 'g', 'IDS', '1', '1-1'],
  ]);
  t.same(events, ['xadd k', 'xgroup-create k', 'xgroup-create k', 'xgroup-createconsumer k', 'xdel k']);
});

t.test('XADD KEEPREF/DELREF/ACKED trims announce xtrim as plain trims do', async (t) => {
  const events = await sluiceEvents(t, [
    ['XADD', 'k', '1-1', 'f', 'v'],
    ['XGROUP', 'CREATE', 'k', 'g', '0'],
    ['XADD', 'k', 'ACKED', 'MAXLEN', '0', '1-2', 'f', 'v'],
    ['XADD', 'k', 'DELREF', 'MAXLEN', '1', '1-3', 'f', 'v'],
    ['XTRIM', 'k', 'ACKED', 'MAXLEN', '0'],
  ]);
  t.same(events, ['xadd k', 'xgroup-create k', 'xadd k', 'xadd k', 'xtrim k']);
});
