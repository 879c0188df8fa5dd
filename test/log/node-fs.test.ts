// The log on the real file system (node:fs): a round trip with segment rolls, and kill -9 of a
// child process writing under appendfsync always at random moments: every record it was told is
// durable is there after restart, and the log is a clean prefix of what it appended.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Effect } from '../../storage/effects';
import { openLog } from '../../storage/log/recovery';
import { seededRandom } from '../support/random';
import { recordOf, seedFor } from './helpers';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('round trip on node:fs with segment rolls', async (t) => {
  const dir = tempDir(t);
  const { log } = openLog({ dir, fsync: 'always', segmentBytesMax: 2048, replay: () => {} });
  const records: Effect[][] = [];
  for (let turn = 0; turn < 50; turn++) {
    for (let i = 0; i < 4; i++) {
      const r = recordOf(records.length, 40);
      records.push(r);
      log.append(r);
    }
    await log.flush();
  }
  t.ok(log.segmentCount > 3);
  t.equal(log.stats.writes, 50, 'one write per turn');
  await log.close();
  const replayed: Effect[][] = [];
  const again = openLog({ dir, fsync: 'everysec', segmentBytesMax: 2048, replay: (e) => replayed.push(e) });
  t.strictSame(replayed, records);
  t.equal(again.report.truncatedTail, null);
  await again.log.close();
});

t.test('kill -9 while appending under appendfsync always loses no acknowledged record', async (t) => {
  const random = seededRandom(seedFor('kill -9'));
  const dir = tempDir(t);
  const child = join(__dirname, 'crash-child.js');
  let lastAcked = 0;
  for (let round = 0; round < 4; round++) {
    const proc = spawn(process.execPath, [child, dir, '3000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = 0;
    let buffered = '';
    let started: () => void = () => {};
    const firstAck = new Promise<void>((resolve) => (started = resolve));
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('acked ')) acked = Number(line.slice(6));
      if (acked > lastAcked) started();
    });
    // Kill it at a random moment once it is writing (start-up takes long on a loaded machine).
    await firstAck;
    await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 200)));
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const replayed: Effect[][] = [];
    const { log, report } = openLog({ dir, fsync: 'always', segmentBytesMax: 3000, replay: (e) => replayed.push(e) });
    await log.close();
    t.ok(acked > lastAcked, `round ${round}: the child acknowledged up to record ${acked}`);
    t.ok(replayed.length >= acked, `round ${round}: ${replayed.length} records recovered >= ${acked} acknowledged`);
    const wrong = replayed.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(recordOf(i, i % 50)));
    t.equal(wrong, -1, `round ${round}: every record is the one appended at its place`);
    if (report.truncatedTail !== null) t.comment(`round ${round}: torn tail cut: ${JSON.stringify(report.truncatedTail)}`);
    lastAcked = replayed.length;
  }
});
