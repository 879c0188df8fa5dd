// Consumer groups beyond the wire: groups, consumers and PELs (owners, delivery times and counts,
// seen and active times, last IDs, entries-read) survive a kill -9 through the durable log and a
// restart through a snapshot, exactly: XINFO STREAM FULL shows every one of them as absolute
// values, so the state after the restart must be byte for byte the state before.

import { rmSync } from 'node:fs';
import t from 'tap';
import { RawClient } from '../support/resp';
import { startSluice, tempDir } from '../support/servers';

const text = (b: Buffer) => b.toString('latin1');

/** Every path that records a group change: create, read, ack, claim, consumers, setid, destroy. */
async function exercise(port: number): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    for (let i = 1; i <= 300; i++) await c.call('XADD', 'jobs', `${i}-0`, 'n', String(i));
    await c.call('XGROUP', 'CREATE', 'jobs', 'workers', '0');
    await c.call('XGROUP', 'CREATE', 'jobs', 'audit', '$', 'ENTRIESREAD', '300');
    await c.call('XGROUP', 'CREATE', 'jobs', 'gone', '0');
    await c.call('XGROUP', 'CREATE', 'fresh', 'g', '$', 'MKSTREAM');
    await c.call('XREADGROUP', 'GROUP', 'workers', 'alice', 'COUNT', '50', 'STREAMS', 'jobs', '>');
    await c.call('XREADGROUP', 'GROUP', 'workers', 'bob', 'COUNT', '120', 'STREAMS', 'jobs', '>');
    await c.call('XREADGROUP', 'GROUP', 'workers', 'carol', 'NOACK', 'COUNT', '10', 'STREAMS', 'jobs', '>');
    await c.call('XREADGROUP', 'GROUP', 'workers', 'alice', 'COUNT', '5', 'STREAMS', 'jobs', '0');
    await c.call('XREADGROUP', 'GROUP', 'gone', 'x', 'STREAMS', 'jobs', '>');
    await c.call('XACK', 'jobs', 'workers', '1-0', '2-0', '3-0', '60-0', '999-0');
    await c.call('XCLAIM', 'jobs', 'workers', 'dave', '0', '10-0', '11-0', '12-0', 'TIME', '1000000000000', 'RETRYCOUNT', '9');
    await c.call('XCLAIM', 'jobs', 'workers', 'dave', '0', '200-0', 'FORCE', 'JUSTID', 'LASTID', '250-0');
    await c.call('XAUTOCLAIM', 'jobs', 'workers', 'erin', '0', '100-0', 'COUNT', '7');
    await c.call('XGROUP', 'CREATECONSUMER', 'jobs', 'workers', 'idle-one');
    await c.call('XGROUP', 'CREATECONSUMER', 'jobs', 'audit', 'reader');
    await c.call('XGROUP', 'DELCONSUMER', 'jobs', 'workers', 'bob');
    await c.call('XGROUP', 'SETID', 'jobs', 'audit', '150-0', 'ENTRIESREAD', '150');
    await c.call('XREADGROUP', 'GROUP', 'audit', 'reader', 'COUNT', '3', 'STREAMS', 'jobs', '>');
    await c.call('XGROUP', 'DESTROY', 'jobs', 'gone');
    await c.call('XREADGROUP', 'GROUP', 'g', 'late', 'STREAMS', 'fresh', '>');
  } finally {
    c.close();
  }
}

/** Everything a client can see of the groups, times included (all absolute in FULL). */
async function groupsState(port: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    const out: string[] = [];
    for (const key of ['jobs', 'fresh']) {
      out.push(text(await c.call('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0')));
      out.push(text(await c.call('XINFO', 'GROUPS', key)));
    }
    out.push(text(await c.call('XPENDING', 'jobs', 'workers')));
    return out;
  } finally {
    c.close();
  }
}

t.test('consumer groups survive a kill -9 through the durable log', async (t) => {
  const dir = tempDir();
  try {
    const s = await startSluice(['--appendonly', 'yes', '--appendfsync', 'always'], { dir });
    await exercise(s.port);
    const before = await groupsState(s.port);
    await s.kill();
    const again = await startSluice(['--appendonly', 'yes'], { dir });
    t.same(await groupsState(again.port), before, 'groups, consumers and PELs as they were');
    // And they keep working: the next read continues where the group was.
    const c = await RawClient.connect(again.port);
    t.equal(text(await c.call('XREADGROUP', 'GROUP', 'workers', 'alice', 'COUNT', '1', 'STREAMS', 'jobs', '>')).includes('251-0'), true);
    c.close();
    await again.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.test('consumer groups survive a restart through a snapshot', async (t) => {
  const dir = tempDir();
  try {
    const s = await startSluice(['--appendonly', 'no'], { dir });
    await exercise(s.port);
    const before = await groupsState(s.port);
    const c = await RawClient.connect(s.port);
    t.equal(text(await c.call('SAVE')), '+OK\r\n');
    c.close();
    await s.kill();
    const again = await startSluice(['--appendonly', 'no'], { dir });
    t.same(await groupsState(again.port), before, 'groups, consumers and PELs as they were');
    await again.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
