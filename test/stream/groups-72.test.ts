// What Redis 7.2 answers differently from the installed 7.0, checked on Sluice alone with 7.2's
// exact forms (test/command/redis72.ts lists these differences):
//  - XINFO CONSUMERS has four fields: idle is the time since the consumer was last seen (any
//    attempt), inactive the time since it last got entries, -1 if it never did;
//  - XINFO STREAM FULL shows each consumer's active-time (-1 if never active) after seen-time;
//  - XREADGROUP, XCLAIM and XAUTOCLAIM create the consumer even when they deliver nothing;
//  - XREADGROUP's unbalanced-streams error names xreadgroup and '>'.

import t from 'tap';
import { decodeReply, show } from '../command/resp-value';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const text = (b: Buffer) => b.toString('latin1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test("Redis 7.2's consumer fields and consumer creation", async (t) => {
  const s = await startSluice();
  const c = await RawClient.connect(s.port);
  t.teardown(async () => {
    c.close();
    await s.stop();
  });
  await c.call('XADD', 's', '1-0', 'f', 'v');
  await c.call('XGROUP', 'CREATE', 's', 'g', '$');

  // Nothing new: the consumer exists anyway, seen now, never active.
  t.equal(text(await c.call('XREADGROUP', 'GROUP', 'g', 'reader', 'STREAMS', 's', '>')), '*-1\r\n');
  t.equal(text(await c.call('XCLAIM', 's', 'g', 'claimer', '0', '1-0')), '*0\r\n');
  t.equal(text(await c.call('XAUTOCLAIM', 's', 'g', 'auto', '0', '0')), '*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n');
  const fresh = show(decodeReply(await c.call('XINFO', 'CONSUMERS', 's', 'g')));
  t.match(fresh, /^\[\["name", "auto", "pending", :0, "idle", :\d+, "inactive", :-1\], \["name", "claimer", "pending", :0, "idle", :\d+, "inactive", :-1\], \["name", "reader", "pending", :0, "idle", :\d+, "inactive", :-1\]\]$/);

  await sleep(30);
  await c.call('XADD', 's', '2-0', 'f', 'v');
  await c.call('XREADGROUP', 'GROUP', 'g', 'reader', 'STREAMS', 's', '>');
  await sleep(30);
  // An attempt that gets nothing refreshes idle, not inactive.
  await c.call('XREADGROUP', 'GROUP', 'g', 'reader', 'STREAMS', 's', '>');
  const info = decodeReply(await c.call('XINFO', 'CONSUMERS', 's', 'g'));
  const reader = show(info).match(/\["name", "reader", "pending", :1, "idle", :(\d+), "inactive", :(\d+)\]/);
  t.ok(reader, 'reader has one pending entry, an idle time and an inactive time');
  t.ok(Number(reader![1]) < Number(reader![2]), `idle ${reader![1]} (since the last attempt) < inactive ${reader![2]} (since entries came)`);
  t.ok(Number(reader![2]) >= 25, 'inactive counts from the read that got the entry');

  // XINFO STREAM FULL: seen-time, then active-time, both absolute.
  const full = show(decodeReply(await c.call('XINFO', 'STREAM', 's', 'FULL')));
  t.match(full, /\["name", "auto", "seen-time", :\d{13}, "active-time", :-1, "pel-count", :0, "pending", \[\]\]/);
  t.match(full, /\["name", "reader", "seen-time", :\d{13}, "active-time", :\d{13}, "pel-count", :1, "pending", \[\["2-0", :\d{13}, :1\]\]\]/);
  await c.call('HELLO', '3');
  const full3 = show(decodeReply(await c.call('XINFO', 'STREAM', 's', 'FULL')));
  t.match(full3, /\{"name": "reader", "seen-time": :\d{13}, "active-time": :\d{13}, "pel-count": :1, "pending": \[\["2-0", :\d{13}, :1\]\]\}/);
  t.match(show(decodeReply(await c.call('XINFO', 'CONSUMERS', 's', 'g'))), /\{"name": "reader", "pending": :1, "idle": :\d+, "inactive": :\d+\}/);
});

t.test("XREADGROUP's unbalanced-streams error as 7.2 words it", async (t) => {
  const s = await startSluice();
  const c = await RawClient.connect(s.port);
  t.teardown(async () => {
    c.close();
    await s.stop();
  });
  t.equal(
    text(await c.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'b', '>')),
    "-ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.\r\n",
  );
});
