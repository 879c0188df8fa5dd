// I/O failures: a failed write or fsync puts the log in a failed state (never silently goes on),
// nothing acknowledged is lost, nothing half-written is replayed; failed writes are retried and
// clear the state, failed fsyncs do not. Also read-only and permission-denied directories, and the
// lock file that keeps two servers off one data directory.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { acquireDirLock, DirLockedError, LOCK_FILE_NAME, pidIsAlive } from '../../storage/log/lock';
import { LogFailedError } from '../../storage/log/log';
import { segmentFileName } from '../../storage/log/segment';
import { DIR, freshFs, LOG_DIR, nextTurn, open, recordOf } from './helpers';

async function rejection(p: Promise<unknown>): Promise<Error | null> {
  try {
    await p;
    return null;
  } catch (err) {
    return err as Error;
  }
}

for (const code of ['ENOSPC', 'EIO'] as const) {
  t.test(`${code} on write: failed state, retried, nothing acknowledged lost`, async (t) => {
    const fs = freshFs();
    const { log, clock, events } = open(fs);
    for (let i = 0; i < 5; i++) log.append(recordOf(i));
    await log.flush();
    const acknowledged = log.syncedOffset;

    fs.failNextWrite({ code, tornBytes: 'random' });
    log.append(recordOf(5));
    log.append(recordOf(6));
    const err = await rejection(log.flush());
    t.type(err, LogFailedError, 'the flush is not acknowledged');
    t.match(err?.message, code);
    t.equal(log.status, 'err');
    t.equal((log.lastError as NodeJS.ErrnoException).code, code);
    t.equal(log.writtenOffset, acknowledged, 'nothing counted as written');
    t.ok(events.some((e) => e.kind === 'write-error'));

    // While failed, flushes keep failing and appended records are kept, not dropped.
    log.append(recordOf(7));
    t.type(await rejection(log.flush()), LogFailedError);

    // The once-a-second retry succeeds once the disk does.
    clock.advance(1000);
    await nextTurn();
    t.equal(log.status, 'ok', 'a successful retry clears the state');
    t.equal(log.lastError, null);
    t.ok(events.some((e) => e.kind === 'write-recovered'));
    await log.flush();
    t.equal(log.syncedOffset, log.logEndOffset);
    fs.crash('power');
    const after = open(fs);
    t.equal(after.replayed.length, 8, 'the records appended during the failure were written by the retry');
    await after.log.close();
  });

  t.test(`${code} on write then a crash before the retry: the torn write is dropped whole`, async (t) => {
    const fs = freshFs();
    const { log } = open(fs);
    for (let i = 0; i < 5; i++) log.append(recordOf(i));
    await log.flush();
    // The torn prefix stays in the file (the best-effort truncate fails too) and a crash follows.
    fs.failNextWrite({ code, tornBytes: 30 });
    log.append(recordOf(5, 100));
    log.append(recordOf(6, 100));
    fs.failNextTruncate('EIO');
    t.type(await rejection(log.flush()), LogFailedError);
    t.ok(fs.stat(`${LOG_DIR}/${segmentFileName(0)}`)!.size > log.writtenOffset, 'a torn prefix is on disk');
    fs.crash('process');
    const after = open(fs);
    t.equal(after.replayed.length, 5, 'acknowledged records survive, the torn one is not replayed');
    t.equal(after.report.truncatedTail?.droppedBytes, 30);
    await after.log.close();
  });
}

t.test('a full disk: writes fail with ENOSPC until space is freed', async (t) => {
  const fs = freshFs();
  const { log, clock } = open(fs, { fsync: 'everysec' });
  fs.capacityBytes = 500;
  let failedAt = -1;
  for (let i = 0; i < 50 && failedAt < 0; i++) {
    log.append(recordOf(i, 20));
    if ((await rejection(log.flush())) !== null) failedAt = i;
  }
  t.ok(failedAt > 0, `disk full after ${failedAt} turns`);
  t.equal((log.lastError as NodeJS.ErrnoException).code, 'ENOSPC');
  t.ok(fs.stat(`${LOG_DIR}/${segmentFileName(0)}`)!.size <= 500);
  clock.advance(1000);
  t.equal(log.status, 'err', 'still full: still failed');
  fs.capacityBytes = null;
  clock.advance(1000);
  t.equal(log.status, 'ok');
  await log.close();
  t.equal(open(fs).replayed.length, failedAt + 1);
});

t.test('a failed fdatasync is final: flushes reject, retries do not clear it, close reports it', async (t) => {
  const fs = freshFs();
  const { log, clock, events } = open(fs);
  log.append(recordOf(0));
  await log.flush();
  fs.failNextFsync('EIO');
  log.append(recordOf(1));
  const err = await rejection(log.flush());
  t.type(err, LogFailedError);
  t.match(err?.message, /fsync failed/);
  t.equal(log.status, 'err');
  t.ok(events.some((e) => e.kind === 'fsync-error'));
  clock.advance(5000);
  await nextTurn();
  t.equal(log.status, 'err', 'no retry clears a failed fsync');
  log.append(recordOf(2));
  t.type(await rejection(log.flush()), LogFailedError);
  t.type(await rejection(log.close()), LogFailedError, 'close says the data is not durable');
  // The record whose fsync failed was never acknowledged; after a power loss it may or may not be
  // there, but never in part, and the acknowledged one is.
  fs.crash('power');
  const after = open(fs);
  t.ok(after.replayed.length >= 1 && after.replayed.length <= 2, `${after.replayed.length} records`);
  t.strictSame(after.replayed[0], recordOf(0));
  await after.log.close();
});

t.test('failures while rolling a segment', async (t) => {
  const fs = freshFs();
  const a = open(fs, { segmentBytesMax: 100 });
  a.log.append(recordOf(0, 90));
  await a.log.flush();
  // Creating the next segment is denied: a write failure, retried.
  fs.denyWrites(LOG_DIR);
  a.log.append(recordOf(1, 90));
  t.type(await rejection(a.log.flush()), LogFailedError);
  t.equal((a.log.lastError as NodeJS.ErrnoException).code, 'EACCES');
  fs.allowWrites();
  a.clock.advance(1000);
  await nextTurn();
  t.equal(a.log.status, 'ok');
  t.equal(a.log.segmentCount, 2);
  // The directory fsync after creating a segment fails: final.
  fs.failNextDirSync('EIO');
  a.log.append(recordOf(2, 90));
  t.type(await rejection(a.log.flush()), LogFailedError);
  a.clock.advance(1000);
  t.equal(a.log.status, 'err');
  fs.crash('process');
  const b = open(fs, { segmentBytesMax: 100 });
  t.equal(b.replayed.length, 2);
  // The old segment's fdatasync at the roll fails: final.
  b.log.append(recordOf(3, 90));
  fs.failNextFsync('EIO');
  t.type(await rejection(b.log.flush()), LogFailedError);
  t.match(b.log.lastError?.message, 'EIO');
  t.equal(b.log.status, 'err');
});

t.test('a read-only or forbidden data directory is a clear error at open', async (t) => {
  const fs = freshFs();
  fs.denyWrites(DIR, 'EROFS');
  t.throws(() => open(fs), { code: 'EROFS', message: /cannot create the log directory/ });
  fs.allowWrites();
  const { log } = open(fs);
  log.append(recordOf(1));
  await log.close();
  fs.denyWrites(LOG_DIR, 'EACCES');
  t.throws(() => open(fs), { code: 'EACCES', message: /cannot open .* for writing/ });
});

t.test('the lock file keeps a second server off the directory', async (t) => {
  const fs = freshFs();
  const alive = new Set([111]);
  const isAlive = (pid: number): boolean => alive.has(pid);
  const first = acquireDirLock(DIR, { fs, pid: 111, isAlive });
  t.equal(fs.fileContent(`${DIR}/${LOCK_FILE_NAME}`).toString(), '111\n');
  t.throws(() => acquireDirLock(DIR, { fs, pid: 222, isAlive }), DirLockedError);
  t.throws(() => acquireDirLock(DIR, { fs, pid: 222, isAlive }), /in use by process 111/);
  // The holder dies without releasing: the lock is stale and taken over.
  alive.delete(111);
  const second = acquireDirLock(DIR, { fs, pid: 222, isAlive });
  t.equal(fs.fileContent(`${DIR}/${LOCK_FILE_NAME}`).toString(), '222\n');
  first.release(); // not ours any more: leaves it alone
  t.ok(fs.stat(`${DIR}/${LOCK_FILE_NAME}`));
  second.release();
  t.equal(fs.stat(`${DIR}/${LOCK_FILE_NAME}`), null);
  // An empty lock file (crash between create and write) is stale.
  fs.putFile(`${DIR}/${LOCK_FILE_NAME}`, Buffer.alloc(0));
  acquireDirLock(DIR, { fs, pid: 333, isAlive }).release();
});

t.test('the lock on a real directory, with real pids', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-lock-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const lock = acquireDirLock(dir);
  t.equal(readFileSync(join(dir, LOCK_FILE_NAME), 'latin1'), `${process.pid}\n`);
  t.throws(() => acquireDirLock(dir), DirLockedError, 'our own live pid holds it');
  lock.release();
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const deadPid = Number(child.stdout.toString());
  t.equal(pidIsAlive(deadPid), false, 'an exited process is not alive');
  acquireDirLock(dir, { pid: deadPid }); // as if it had crashed holding the lock
  const taken = acquireDirLock(dir);
  t.equal(taken.pid, process.pid, 'stale lock taken over');
  taken.release();
});
