// Streams beyond the wire: they survive a kill -9 through the durable log and a restart through a
// BGSAVE snapshot (taken while the stream keeps changing), with the same entries, counters, expiry
// and node layout (an approximate trim after the restart removes what it removes on a server that
// never stopped).

import t from 'tap';
import { rmSync } from 'node:fs';
import { RawClient } from '../support/resp';
import { startSluice, tempDir } from '../support/servers';

const text = (b: Buffer) => b.toString('latin1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Streams written through every path that records a stream change. */
async function fill(port: number): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    for (let i = 1; i <= 500; i++) await c.call('XADD', 'events', `${1000 + i}-${i % 3}`, 'n', String(i), 'kind', i % 2 === 0 ? 'even' : 'odd');
    await c.call('XADD', 'events', 'MAXLEN', '~', '300', '2000-*', 'n', 'trim-approx');
    await c.call('XADD', 'events', 'MINID', '1300', '2000-*', 'n', 'trim-exact');
    await c.call('XADD', 'bin', '1-1', Buffer.from([0, 1, 2, 255, 13, 10]), Buffer.alloc(0));
    await c.call('XADD', 'clock', '*', 'f', 'v');
    await c.call('XADD', 'clock', '*', 'f', 'v');
    await c.call('PEXPIRE', 'clock', '1000000');
    // Written with small nodes, then the defaults again: replay must split nodes the same way.
    await c.call('CONFIG', 'SET', 'stream-node-max-entries', '7');
    for (let i = 1; i <= 60; i++) await c.call('XADD', 'small', `${i}-0`, 'f', String(i));
    await c.call('CONFIG', 'SET', 'stream-node-max-entries', '100');
    await c.call('XADD', 'gone', '1-0', 'f', 'v');
    await c.call('DEL', 'gone');
    await c.call('XADD', 'copied', '1-0', 'f', 'v');
    await c.call('COPY', 'copied', 'copy');
    await c.call('XADD', 'copy', '2-0', 'f', 'v2');
    await c.call('RENAME', 'copied', 'renamed');
  } finally {
    c.close();
  }
}

async function contents(port: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    const out: string[] = [];
    for (const key of ['events', 'bin', 'clock', 'small', 'gone', 'copy', 'renamed', 'copied']) {
      out.push(`${key}: ${text(await c.call('TYPE', key))} ${text(await c.call('XLEN', key))}`);
      out.push(text(await c.call('XRANGE', key, '-', '+')));
    }
    return out;
  } finally {
    c.close();
  }
}

/** Approximate trims remove whole nodes: their results show the node layout. */
async function trimResults(port: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    // The last ID and its sequence counter came back too.
    const out: string[] = [text(await c.call('XADD', 'events', '2000-*', 'after', 'restart'))];
    await c.call('XADD', 'small', 'MAXLEN', '~', '30', '100-0', 'f', 'v');
    out.push(text(await c.call('XLEN', 'small')), text(await c.call('XRANGE', 'small', '-', '+', 'COUNT', '1')));
    await c.call('XADD', 'events', 'MAXLEN', '~', '150', '3000-0', 'f', 'v');
    out.push(text(await c.call('XLEN', 'events')), text(await c.call('XRANGE', 'events', '-', '+', 'COUNT', '1')));
    return out;
  } finally {
    c.close();
  }
}

t.test('streams survive a kill -9 through the durable log', async (t) => {
  const dir = tempDir();
  const reference = await startSluice();
  try {
    await fill(reference.port);
    const s = await startSluice(['--appendonly', 'yes', '--appendfsync', 'always'], { dir });
    await fill(s.port);
    const before = await contents(s.port);
    await s.kill();
    const again = await startSluice(['--appendonly', 'yes'], { dir });
    const c = await RawClient.connect(again.port);
    t.match(text(await c.call('PTTL', 'clock')), /^:\d+\r\n$/, 'expiry kept');
    c.close();
    const after = await contents(again.port);
    t.same(after, before, 'same streams after replaying the log');
    // The "*" IDs of 'clock' come from each server's clock.
    const clockless = (lines: string[]) => lines.map((line) => line.replace(/\d{13}-\d+/g, '<clock>'));
    t.same(clockless(after), clockless(await contents(reference.port)), 'as on a server that never stopped');
    t.same(await trimResults(again.port), await trimResults(reference.port), 'same nodes: approximate trims agree');
    await again.kill();
  } finally {
    await reference.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

t.test('streams survive a restart through a BGSAVE snapshot taken while they change', async (t) => {
  const dir = tempDir();
  const reference = await startSluice();
  try {
    await fill(reference.port);
    const s = await startSluice(['--appendonly', 'no'], { dir });
    await fill(s.port);
    const c = await RawClient.connect(s.port);
    const before = await contents(s.port);
    t.equal(text(await c.call('BGSAVE')), '+Background saving started\r\n');
    // Changed while the snapshot may still be writing: the snapshot keeps the stream as it was.
    await c.call('XADD', 'events', '9000-0', 'after', 'bgsave');
    await c.call('DEL', 'small');
    for (let i = 0; i < 100; i++) {
      if (text(await c.call('INFO', 'persistence')).includes('rdb_bgsave_in_progress:0')) break;
      await sleep(50);
    }
    c.close();
    await s.kill();
    const again = await startSluice(['--appendonly', 'no'], { dir });
    t.same(await contents(again.port), before, 'the streams as they were when BGSAVE began');
    t.same(await trimResults(again.port), await trimResults(reference.port), 'same nodes: approximate trims agree');
    await again.kill();
  } finally {
    await reference.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
