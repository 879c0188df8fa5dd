// An EXEC is one atomic group of effects: all its effects in one log record (read back from the
// segments), replayed all or nothing (a torn EXEC record at the tail is dropped whole; kill -9
// while clients run transactions never leaves half of one), and its whole reply is held for
// durability as one write: when the record cannot be made durable the EXEC answers -MISCONF as a
// whole, and a later EXEC with queued writes is refused with the reason. The seed is printed;
// SEED=... replays the same schedule.

import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { nodeFileSystem } from '../../storage/fs';
import { scanLog } from '../../storage/log/scan';
import type { Effect } from '../../storage/effects';
import { RawClient, encodeCommand } from '../support/resp';
import { seededRandom } from '../support/random';
import { startSluice, tempDir } from '../support/servers';
import { seedFor } from '../log/helpers';
import { cmd, decode, segments, terminate, waitFor, type Value } from '../persistence/helpers';

const ARGS = ['--appendfsync', 'always', '--save', ''];

interface RecordRead {
  readonly offset: number;
  readonly endOffset: number;
  readonly effects: Effect[];
}

/** Every record of the log in `dir`, oldest first. */
function records(dir: string): RecordRead[] {
  const out: RecordRead[] = [];
  const first = segments(dir)[0]!;
  scanLog(nodeFileSystem, join(dir, 'log'), Number(first.slice(0, first.indexOf('.'))), (effects, offset, endOffset) => out.push({ offset, endOffset, effects }));
  return out;
}

/** "op key" for each effect of a record. */
function describe(record: RecordRead): string[] {
  return record.effects.map((e) => `${e.op} ${'key' in e ? e.key : 'keys' in e ? e.keys.join(',') : ''}`.trim());
}

/** Send commands in one write and read one reply per command. */
async function pipeline(client: RawClient, commands: string[][]): Promise<Buffer[]> {
  client.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
  const replies: Buffer[] = [];
  for (let i = 0; i < commands.length; i++) replies.push(await client.readReply());
  return replies;
}

t.test('the effects of an EXEC are one log record; aborted and read-only ones write none', async (t) => {
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startSluice(ARGS, { dir });
  const client = await RawClient.connect(server.port);
  t.equal(await cmd(client, 'SET', 'a', '1'), 'OK');
  const exec = await pipeline(client, [
    ['MULTI'], ['SET', 'x', '1'], ['INCR', 'n'], ['RPUSH', 'l', 'a', 'b'], ['LPUSH', 'x', 'oops'], ['DEL', 'a'], ['SET', 'y', '2'], ['EXEC'],
  ]);
  t.equal(exec.at(-1)!.toString(), '*6\r\n+OK\r\n:1\r\n:2\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n:1\r\n+OK\r\n');
  await pipeline(client, [['MULTI'], ['GET', 'x'], ['EXISTS', 'y'], ['EXEC']]);
  await pipeline(client, [['MULTI'], ['SET', 'never', '1'], ['NOSUCHCOMMAND'], ['EXEC']]);
  await pipeline(client, [['WATCH', 'x'], ['SET', 'x', '2'], ['MULTI'], ['SET', 'never', '1'], ['EXEC']]);
  // A transaction that starts a snapshot: the snapshot waits, the record stays whole.
  const bg = await pipeline(client, [['MULTI'], ['SET', 'p', '1'], ['BGSAVE'], ['SET', 'q', '1'], ['EXEC']]);
  t.equal(bg.at(-1)!.toString(), '*3\r\n+OK\r\n+Background saving scheduled\r\n+OK\r\n');
  client.close();
  await terminate(server);

  const seen = records(dir).map(describe);
  t.strictSame(seen, [['set a'], ['set x', 'set n', 'rpush l', 'del a', 'set y'], ['set x'], ['set p', 'set q']], 'one record per write command and per EXEC');
});

t.test('a torn EXEC record at the tail is dropped whole', async (t) => {
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let server = await startSluice(ARGS, { dir });
  let client = await RawClient.connect(server.port);
  t.equal(await cmd(client, 'SET', 'before', '1'), 'OK');
  const big = 'v'.repeat(4000);
  const keys = Array.from({ length: 20 }, (_, i) => `tx${i}`);
  const replies = await pipeline(client, [['MULTI'], ...keys.map((k) => ['SET', k, big]), ['INCR', 'before'], ['EXEC']]);
  t.equal((decode(replies.at(-1)!) as Value[]).length, 21, 'the EXEC ran');
  client.close();
  await server.kill();

  // Cut the segment in the middle of the EXEC's record, as a crash during its write would.
  const last = records(dir).at(-1)!;
  t.equal(last.effects.length, 21, 'the last record is the whole EXEC');
  const segment = join(dir, 'log', segments(dir).at(-1)!);
  const cutAt = last.offset + Math.floor((last.endOffset - last.offset) / 2);
  truncateSync(segment, cutAt - Number(segments(dir).at(-1)!.slice(0, 20)));

  server = await startSluice(ARGS, { dir });
  client = await RawClient.connect(server.port);
  t.equal(await cmd(client, 'GET', 'before'), '1', 'the record before it is there, the INCR is not');
  t.strictSame(await cmd(client, 'EXISTS', ...keys), 0, 'none of the EXEC is there');
  t.match(server.output(), /Torn tail of the log truncated/);
  client.close();
  await terminate(server);
});

t.test('kill -9 while clients run transactions never leaves half of one', async (t) => {
  const seed = seedFor('transactions kill -9');
  const random = seededRandom(seed);
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const writers = 3;
  // Per writer: the highest EXEC acknowledged, and the highest sent.
  const floor = new Array<number>(writers).fill(-1);
  const ceiling = new Array<number>(writers).fill(-1);
  const next = new Array<number>(writers).fill(0);
  for (let round = 0; round < 4; round++) {
    const server = await startSluice(ARGS, { dir });
    const clients = await Promise.all(Array.from({ length: writers }, () => RawClient.connect(server.port)));
    const running = clients.map(async (client, w) => {
      for (;;) {
        const i = next[w]!++;
        ceiling[w] = i;
        const commands = [['MULTI'], ['SET', `a:${w}`, String(i)], ['INCR', `c:${w}`], ['RPUSH', `l:${w}`, String(i)], ['SET', `b:${w}`, String(i)], ['EXEC']];
        let replies: Buffer[];
        try {
          replies = await pipeline(client, commands);
        } catch {
          return; // killed
        }
        const exec = decode(replies.at(-1)!);
        if (!Array.isArray(exec) || exec.length !== 4) throw new Error(`EXEC answered ${JSON.stringify(exec)}`);
        floor[w] = i;
      }
    });
    await new Promise((r) => setTimeout(r, 50 + Math.floor(random() * 250)));
    await server.kill();
    await Promise.all(running);
    for (const c of clients) c.close();

    const check = await startSluice(ARGS, { dir });
    const client = await RawClient.connect(check.port);
    for (let w = 0; w < writers; w++) {
      const [a, b, c, len] = [await cmd(client, 'GET', `a:${w}`), await cmd(client, 'GET', `b:${w}`), await cmd(client, 'GET', `c:${w}`), await cmd(client, 'LLEN', `l:${w}`)];
      const last = a === null ? -1 : Number(a);
      t.equal(b, a, `round ${round} writer ${w}: both SETs of the last EXEC or neither`);
      t.equal(c === null ? 0 : Number(c), last + 1, `round ${round} writer ${w}: one INCR per EXEC applied`);
      t.equal(len, last + 1, `round ${round} writer ${w}: one RPUSH per EXEC applied`);
      t.ok(last >= floor[w]! && last <= ceiling[w]!, `round ${round} writer ${w}: ${last} between acknowledged ${floor[w]} and sent ${ceiling[w]}`);
      // What a restart shows is the new floor: the next round goes on from there.
      floor[w] = last;
      ceiling[w] = last;
      next[w] = last + 1;
    }
    client.close();
    await check.kill();
  }
});

t.test("a failed log: the whole EXEC answers -MISCONF, later EXECs with writes are refused with the reason", async (t) => {
  const controlDir = tempDir('sluice-fs-control-');
  const control = join(controlDir, 'faults');
  writeFileSync(control, '');
  const dir = tempDir();
  t.teardown(() => {
    rmSync(controlDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  // The server reads its fault switches from this file (storage/fs-control.ts).
  process.env.SLUICE_TEST_FS_CONTROL = control;
  const server = await startSluice(ARGS, { dir });
  delete process.env.SLUICE_TEST_FS_CONTROL;
  const client = await RawClient.connect(server.port);
  const misconf = 'MISCONF Errors writing to the AOF file: No space left on device';
  t.equal(await cmd(client, 'SET', 'a', '1'), 'OK');

  writeFileSync(control, 'write ENOSPC');
  const replies = await pipeline(client, [['MULTI'], ['SET', 'x', '1'], ['GET', 'a'], ['SET', 'y', '1'], ['EXEC']]);
  t.strictSame(replies.map((r) => r.toString()), ['+OK\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '+QUEUED\r\n', `-${misconf}\r\n`], 'one error for the whole EXEC');
  // Queued before the failure was seen, refused at EXEC.
  t.equal(await cmd(client, 'MULTI'), 'OK');
  t.equal(await cmd(client, 'GET', 'a'), 'QUEUED', 'reads queue');
  t.equal(await cmd(client, 'SET', 'z', '1'), `-${misconf}`, 'a write is refused while queueing');
  t.equal(await cmd(client, 'EXEC'), '-EXECABORT Transaction discarded because of previous errors.');
  t.strictSame(await pipeline(client, [['MULTI'], ['GET', 'a'], ['EXEC']]).then((r) => r.map((b) => b.toString())), ['+OK\r\n', '+QUEUED\r\n', '*1\r\n$1\r\n1\r\n'], 'a read-only EXEC runs');

  writeFileSync(control, '');
  await waitFor('the write retry to succeed', async () => (await cmd(client, 'SET', 'retry', '1')) === 'OK', 5000);
  t.equal(await cmd(client, 'MULTI'), 'OK');
  t.equal(await cmd(client, 'SET', 'w', '1'), 'QUEUED');
  writeFileSync(control, 'write ENOSPC');
  // The failure is seen by the next turn's write: make one fail first.
  const other = await RawClient.connect(server.port);
  t.equal(await cmd(other, 'SET', 'fail', '1'), `-${misconf}`);
  t.equal(await cmd(client, 'EXEC'), `-EXECABORT Transaction discarded because of: ${misconf}`, 'EXEC with a queued write is refused with the reason');
  t.equal(await cmd(client, 'EXEC'), '-ERR EXEC without MULTI', 'and the transaction is gone');
  writeFileSync(control, '');
  other.close();
  client.close();
  await terminate(server);
});
