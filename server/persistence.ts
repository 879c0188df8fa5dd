// Persistence as the server runs it: the durable log (storage/log) and snapshots (storage/snapshot)
// wired to the engine, with Redis's commands, settings and INFO fields on top.
//
//   start        take the data-dir lock, load the newest snapshot, replay the log after it
//   per command  every committed effect joins the open record; endRecord() after the command makes
//                it one record, replayed all or nothing
//   per turn     commitTurn(): the group commit; the turn's replies leave when it settles
//   snapshots    SAVE (blocking), BGSAVE / BGREWRITEAOF / automatic ones (a few ms per turn, copy
//                on write), then the segments the newest snapshot covers are deleted, keeping
//                `repl-backlog-size` bytes of log for replicas
//   failure      a write or fsync error puts the log in the 'err' state: write commands get
//                -MISCONF, and the replies of writes whose records could not be made durable are
//                turned into that error too (flush.ts)
//   shutdown     optional snapshot, then the log's final fdatasync and durability marker, then
//                the lock is released
//
// `appendonly no` keeps the log closed to new records: data lives in memory and in snapshots only.
// Turning it on at run time first writes a snapshot (blocking), so the log that follows is
// complete; turning it off writes and syncs what is pending.

import { join } from 'node:path';
import type { PersistenceApi, StatusOrError } from '../commands/types';
import { ERR } from '../commands/errors';
import type { Effect } from '../storage/effects';
import type { Engine } from '../storage/engine';
import type { FileSystem } from '../storage/fs';
import { serverFileSystem } from '../storage/fs-control';
import { Stream, serializeStream } from '../storage/stream';
import { acquireDirLock, openLog, type DirLock, type FsyncPolicy, type Log, type LogEvent } from '../storage/log';
import { parseSegmentFileName } from '../storage/log/segment';
import {
  BackgroundSnapshot,
  listSnapshots,
  loadNewestSnapshot,
  pruneSnapshots,
  readSnapshot,
  SNAPSHOT_DIR_NAME,
  snapshotFileName,
  writeSnapshotBlocking,
  type SnapshotEntry,
} from '../storage/snapshot';
import type { Config } from './config';
import type { Logger } from './logger';

/** What persistence needs from the server. */
export interface PersistenceHost {
  readonly config: Config;
  readonly log: Logger;
  readonly engine: Engine;
  /** Writes since the last successful save (Redis's server.dirty). */
  dirty: number;
  lastSaveSec: number;
  /** WAITAOF: this turn's replies wait for an fdatasync of everything written (whatever the policy). */
  requireDurableTurn(): void;
  /** An EXEC is running: its effects must stay one record, so snapshots wait until it ends. */
  readonly inExec: boolean;
}

/** A background snapshot: 'rdb' started as BGSAVE (or a save point), 'aof' as BGREWRITEAOF (or log growth). */
type JobKind = 'rdb' | 'aof';

interface Job {
  readonly kind: JobKind;
  readonly snapshot: BackgroundSnapshot;
  readonly startedMs: number;
  /** server.dirty when it started: what a success subtracts. */
  readonly dirtyAtStart: number;
  /** The walk is done and the file is being synced and renamed. */
  finishing: boolean;
}

/** Milliseconds of snapshot work per event-loop turn. */
const SNAPSHOT_SLICE_MS = 2;
/** How often save points, log growth and scheduled jobs are checked (Redis's serverCron at hz 10). */
const CRON_INTERVAL_MS = 100;
/** After a failed background save, save points wait this long before trying again (Redis's value). */
const BGSAVE_RETRY_DELAY_SEC = 5;

/** strerror(3)'s text for the errors a disk gives, as Redis prints them; the message otherwise. */
export function strerror(err: Error | null): string {
  const e = err as (NodeJS.ErrnoException & { cause?: unknown }) | null;
  if (e === null) return 'Unknown error';
  const code = e.code ?? (e.cause as NodeJS.ErrnoException | undefined)?.code;
  const texts: Record<string, string> = {
    ENOSPC: 'No space left on device',
    EIO: 'Input/output error',
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    EROFS: 'Read-only file system',
    EDQUOT: 'Disk quota exceeded',
    EFBIG: 'File too large',
    ENOENT: 'No such file or directory',
    ENOTDIR: 'Not a directory',
    EISDIR: 'Is a directory',
    EBADF: 'Bad file descriptor',
    EMFILE: 'Too many open files',
    ENFILE: 'Too many open files in system',
    EEXIST: 'File exists',
  };
  if (code !== undefined && texts[code] !== undefined) return texts[code]!;
  const cause = e.cause instanceof Error ? e.cause : e;
  return cause.message;
}

export class Persistence implements PersistenceApi {
  readonly fs: FileSystem;
  private lock: DirLock | null = null;
  private log: Log | null = null;
  /** appendonly yes: committed effects go to the log. */
  private logging: boolean;
  private job: Job | null = null;
  /** A BGSAVE / BGREWRITEAOF asked for while another job ran: started by the cron when it ends. */
  private rdbScheduled = false;
  private aofScheduled = false;
  /** CONFIG SET appendonly inside EXEC: applied once the EXEC ends (null: nothing asked). */
  private appendOnlyAfterExec: boolean | null = null;
  private cronTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The log's final sync at shutdown, once close() began: later turns' replies wait for it. */
  private closing: Promise<void> | null = null;
  /**
   * A replica: the log holds exactly its master's records (appendReplicated), so effects committed
   * here (local writes on a writable replica) are not logged, and no durability marker is added.
   */
  replicated = false;
  /** Replication: called after records reach the files (a master ships them from there). */
  onLogWritten: (() => void) | null = null;
  /** Replication: the lowest offset a connected replica still needs; retention keeps it. */
  retentionFloor: (() => number) | null = null;
  /** Waiting for the running (or next) background snapshot: replicas in a full resync. */
  private snapshotWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  // INFO persistence, with Redis's meanings.
  private lastBgsaveOk = true;
  private lastBgsaveTrySec = 0;
  private lastBgsaveTimeSec = -1;
  private rdbSaves = 0;
  private lastBgrewriteOk = true;
  private lastRewriteTimeSec = -1;
  private aofRewrites = 0;
  private aofRewriteFailuresInARow = 0;
  private lastLoadKeysLoaded = 0;
  /** Offset of the newest snapshot (the log before it is not needed to recover); log start without one. */
  private baseOffset = 0;
  /** Size of that snapshot file: aof_base_size, the baseline of auto-aof-rewrite-percentage. */
  private baseSizeBytes = 0;

  constructor(
    private readonly host: PersistenceHost,
    fs: FileSystem = serverFileSystem(),
  ) {
    this.fs = fs;
    this.logging = host.config.getBool('appendonly');
  }

  private get dir(): string {
    return this.host.config.get('dir');
  }

  // ---- start-up

  /**
   * Before listening: lock the data directory, load the newest snapshot, replay the log after it.
   * Throws DirLockedError, CorruptLogError (names sluice-check-log) or an I/O error with what was
   * being attempted; main.ts prints it and exits.
   */
  open(): void {
    const { config, engine, log: logger } = this.host;
    const dir = this.dir;
    this.lock = acquireDirLock(dir, { fs: this.fs });
    try {
      const started = performance.now();
      let loaded = 0;
      const databases = engine.dbs.length;
      // Each database's key table is sized for the keys still to come when its first key arrives
      // (a snapshot lists its keys database by database), and trimmed once all are in.
      let expectedKeys = 0;
      let sizedDbs = new Set<number>();
      const snap = loadNewestSnapshot(
        this.fs,
        dir,
        (e) => {
          if (!sizedDbs.has(e.db) && e.db < databases) {
            sizedDbs.add(e.db);
            engine.dbs[e.db]!.reserveKeys(expectedKeys - loaded);
          }
          this.loadSnapshotEntry(e);
          loaded++;
        },
        {
          onStart: (info) => {
            expectedKeys = info.keyCount;
          },
          // Loaded in one pass after a check of its frames; should it still prove unreadable, start over.
          onReset: () => {
            engine.replay({ op: 'flushall' });
            loaded = 0;
            sizedDbs = new Set<number>();
          },
        },
      );
      for (const db of engine.dbs) db.fitKeys();
      for (const s of snap.skipped) logger.warn({ path: s.path, reason: s.reason }, 'Snapshot not usable, trying an older one');
      for (const p of snap.removedTemporary) logger.info({ path: p }, 'Removed an interrupted snapshot');
      if (snap.loaded !== null) {
        logger.info(
          { path: snap.loaded.path, offset: snap.loaded.offset, keys: loaded, ms: Math.round(performance.now() - started) },
          'Snapshot loaded',
        );
      }
      const { log, report } = openLog({
        dir,
        logDirName: config.get('appenddirname'),
        fsync: config.get('appendfsync') as FsyncPolicy,
        segmentBytesMax: config.getInt('segment-bytes'),
        startOffset: snap.loaded?.offset ?? 0,
        fs: this.fs,
        replay: (effects) => {
          for (const effect of effects) {
            checkDatabases(effect, databases);
            engine.replay(effect);
          }
        },
        onEvent: this.onLogEvent,
      });
      this.log = log;
      log.onWritten = this.logWritten;
      if (report.truncatedTail !== null) {
        const t = report.truncatedTail;
        logger.warn(
          { offset: t.offset, segment: t.segmentPath, droppedBytes: t.droppedBytes, droppedRecords: t.droppedRecords, reason: t.reason },
          `Torn tail of the log truncated at offset ${t.offset}: ${t.droppedBytes} bytes dropped (a write interrupted by a crash, never acknowledged)`,
        );
      }
      if (report.discardedSegments.length > 0) {
        logger.warn({ segments: report.discardedSegments }, 'Log segments older than the snapshot deleted');
      }
      this.lastLoadKeysLoaded = loaded;
      this.baseOffset = snap.loaded?.offset ?? log.logStartOffset;
      this.baseSizeBytes = snap.loaded !== null ? (this.fs.stat(snap.loaded.path)?.size ?? 0) : 0;
      logger.info(
        {
          keys: engine.dbs.reduce((n, db) => n + db.size, 0),
          snapshotKeys: loaded,
          records: report.recordsReplayed,
          logStartOffset: report.logStartOffset,
          logEndOffset: report.logEndOffset,
          segments: report.segments,
          ms: Math.round(performance.now() - started),
          logMs: Math.round(report.durationMs),
        },
        'DB loaded from disk',
      );
    } catch (err) {
      this.lock.release();
      this.lock = null;
      throw err;
    }
    config.watch('appendfsync', (v) => this.log?.setFsyncPolicy(v as FsyncPolicy));
    config.guard('appendonly', (v) => this.setAppendOnly(v === 'yes'));
    this.cronTimer = setInterval(this.cron, CRON_INTERVAL_MS);
    this.cronTimer.unref();
  }

  /** One key of a snapshot into the engine (start-up, and a replica's full resync). */
  private loadSnapshotEntry(e: SnapshotEntry): void {
    const engine = this.host.engine;
    if (e.db >= engine.dbs.length) throw tooFewDatabases(e.db, engine.dbs.length);
    if (typeof e.value === 'string') engine.replay({ op: 'set', db: e.db, key: e.key, value: e.value, expireAtMs: e.expireAtMs });
    else if (e.value instanceof Stream) engine.replay({ op: 'xrestore', db: e.db, key: e.key, bytes: serializeStream(e.value), expireAtMs: e.expireAtMs });
    else engine.replay({ op: 'lrestore', db: e.db, key: e.key, bytes: e.value.serialize(), expireAtMs: e.expireAtMs });
  }

  private readonly logWritten = (): void => {
    this.onLogWritten?.();
  };

  private readonly onLogEvent = (event: LogEvent): void => {
    const logger = this.host.log;
    switch (event.kind) {
      case 'write-error':
        logger.warn({ offset: event.offset, err: event.error.message }, `Error writing to the AOF file: ${strerror(event.error)}`);
        return;
      case 'write-recovered':
        logger.warn({ offset: event.offset }, 'AOF write error looks solved, Sluice can write again.');
        return;
      case 'fsync-error':
        logger.error(
          { offset: event.offset, err: event.error.message },
          `Can't persist AOF for fsync error: ${strerror(event.error)}. Writes are refused until the server is restarted.`,
        );
        return;
      case 'segment-rolled':
        logger.debug({ baseOffset: event.baseOffset }, 'New log segment');
        return;
      case 'segments-deleted':
        logger.debug({ baseOffsets: event.baseOffsets }, 'Log segments covered by the snapshot deleted');
        return;
      case 'segment-delete-error':
        logger.warn(
          { path: event.path, err: event.error.message },
          'Could not delete a log segment covered by the snapshot; it is retried after the next restart',
        );
        return;
    }
  };

  // ---- per command and per turn

  /** Engine commit listener: the effect joins the open record. */
  readonly addEffect = (effect: Effect): void => {
    if (this.logging && !this.replicated && this.log !== null) this.log.add(effect);
  };

  /** After each command (and later after a whole EXEC): close its record. True when it had effects. */
  endRecord(): boolean {
    if (!this.logging || this.log === null) return false;
    const log = this.log;
    if (!log.hasOpenRecord) return false;
    log.endRecord();
    return true;
  }

  /**
   * End of an event-loop turn (OutputScheduler): write the turn's records in one write; null when
   * its replies may leave now, else a promise that settles when they may (rejects when the records
   * could not be made durable). `durable`: wait for an fdatasync whatever the policy (WAITAOF).
   */
  commitTurn(durable: boolean): Promise<void> | null {
    if (!this.logging || this.log === null) return null;
    // Shutting down: the final fdatasync covers every record; replies wait for it.
    if (this.closing !== null) return this.closing;
    return durable ? this.log!.sync() : this.log!.flushTurn();
  }

  /** The -MISCONF error while the log cannot be written (checked before write commands and PING), else null. */
  writesDenied(): string | null {
    if (!this.logging || this.log === null || this.log.status === 'ok') return null;
    return ERR.misconf(strerror(this.log.lastError));
  }

  /** The error that replaces the replies of writes whose records could not be made durable. */
  failedWriteReply(error: Error): string {
    return ERR.misconf(strerror((error as { cause?: Error }).cause ?? error));
  }

  // ---- commands

  save(): string | null {
    if (this.job?.kind === 'rdb') return ERR.bgsaveInProgress;
    if (this.job !== null) this.abortJob('SAVE takes over from the background rewrite');
    try {
      this.snapshotBlocking();
      return null;
    } catch (err) {
      this.host.log.warn({ err: (err as Error).message }, `Failed saving the DB: ${strerror(err as Error)}`);
      return ERR.saveFailed;
    }
  }

  bgsave(schedule: boolean): StatusOrError {
    if (this.job?.kind === 'rdb') return { error: ERR.bgsaveInProgress };
    // Inside EXEC Redis schedules rather than starts: a snapshot must not cut the EXEC's record.
    if (this.job !== null || this.host.inExec) {
      if (!schedule && !this.host.inExec) return { error: ERR.bgsaveOtherChild };
      this.rdbScheduled = true;
      return { ok: 'Background saving scheduled' };
    }
    return this.startJob('rdb') ? { ok: 'Background saving started' } : { error: ERR.saveFailed };
  }

  bgrewriteaof(): StatusOrError {
    if (this.job?.kind === 'aof') return { error: ERR.bgrewriteaofInProgress };
    if (this.job !== null || this.host.inExec) {
      this.aofScheduled = true;
      this.aofRewriteFailuresInARow = 0;
      return { ok: 'Background append only file rewriting scheduled' };
    }
    return this.startJob('aof') ? { ok: 'Background append only file rewriting started' } : { error: ERR.bgrewriteaofFailed };
  }

  /** WAITAOF's numlocal can be asked for (appendonly yes). */
  waitAofLocalPossible(): boolean {
    return this.logging;
  }

  waitAofLocal(numlocal: number): { local: number } | { error: string } {
    if (numlocal > 0 && !this.logging) return { error: ERR.waitaofNoAof };
    if (!this.logging || this.log === null || this.log.status === 'err') return { local: 0 };
    this.host.requireDurableTurn();
    return { local: 1 };
  }

  // ---- snapshots

  /** SAVE: sync the log to its end, write every key, fdatasync, rename; all blocking. */
  private snapshotBlocking(): void {
    const log = this.log!;
    // The snapshot claims every record below its offset: they must be durable first. With
    // appendonly off nothing new is appended, and a failed log only matters when logging.
    if (this.logging || log.status === 'ok') log.syncBlocking();
    const offset = log.logEndOffset;
    const started = performance.now();
    const dirty = this.host.dirty;
    const writer = writeSnapshotBlocking(this.fs, this.dir, offset, this.host.engine.dbs);
    this.rdbSaves++;
    this.afterSnapshot(offset, writer.bytesWritten, dirty);
    this.host.log.info(
      { offset, keys: writer.keyCount, bytes: writer.bytesWritten, ms: Math.round(performance.now() - started) },
      'DB saved on disk',
    );
  }

  /** Start a background snapshot at the log's end. False (and logged) when it cannot start. */
  private startJob(kind: JobKind): boolean {
    const log = this.log;
    if (log === null) return false;
    // Effects already applied must lie below the snapshot's offset: close the open record (effects
    // of active expiry; a command that starts a snapshot has none of its own). EXEC, when it lands,
    // must schedule instead, as Redis does inside a transaction, so its record stays whole.
    if (this.logging) log.endRecord();
    let snapshot: BackgroundSnapshot;
    try {
      snapshot = new BackgroundSnapshot(this.fs, this.dir, log.logEndOffset, this.host.engine.dbs);
    } catch (err) {
      this.host.log.warn({ err: (err as Error).message }, `Can't save in background: ${strerror(err as Error)}`);
      this.jobEnded(kind, false);
      return false;
    }
    this.job = { kind, snapshot, startedMs: Date.now(), dirtyAtStart: this.host.dirty, finishing: false };
    if (kind === 'rdb') this.rdbSaves++;
    this.host.log.info(
      { offset: snapshot.offset, keys: snapshot.keysTotal },
      kind === 'rdb' ? 'Background saving started' : 'Background append only file rewriting started',
    );
    setImmediate(this.stepJob);
    return true;
  }

  private readonly stepJob = (): void => {
    const job = this.job;
    if (job === null || job.finishing) return;
    let done: boolean;
    try {
      done = job.snapshot.step(SNAPSHOT_SLICE_MS);
    } catch (err) {
      this.jobFailed(job, err as Error);
      return;
    }
    if (!done) {
      setImmediate(this.stepJob);
      return;
    }
    job.finishing = true;
    // Every record below the snapshot's offset must be durable before the snapshot exists.
    const durable = this.logging ? this.log!.sync() : Promise.resolve();
    durable
      .then(() => job.snapshot.finish())
      .then(
        () => this.jobSucceeded(job),
        (err: Error) => this.jobFailed(job, err),
      );
  };

  private jobSucceeded(job: Job): void {
    if (this.job !== job) return;
    this.job = null;
    this.settleSnapshotWaiters(null);
    const { snapshot } = job;
    this.afterSnapshot(snapshot.offset, snapshot.bytesWritten, job.dirtyAtStart);
    this.jobEnded(job.kind, true, job.startedMs);
    this.host.log.info(
      { offset: snapshot.offset, keys: snapshot.keysWritten, bytes: snapshot.bytesWritten, ms: Date.now() - job.startedMs },
      job.kind === 'rdb' ? 'Background saving terminated with success' : 'Background AOF rewrite terminated with success',
    );
  }

  private jobFailed(job: Job, err: Error): void {
    job.snapshot.abort();
    if (this.job !== job) return;
    this.job = null;
    this.settleSnapshotWaiters(err);
    this.jobEnded(job.kind, false, job.startedMs);
    this.host.log.warn(
      { err: err.message },
      job.kind === 'rdb' ? `Background saving error: ${strerror(err)}` : `Background AOF rewrite terminated with error: ${strerror(err)}`,
    );
  }

  private jobEnded(kind: JobKind, ok: boolean, startedMs?: number): void {
    const seconds = startedMs === undefined ? -1 : Math.floor((Date.now() - startedMs) / 1000);
    if (kind === 'rdb') {
      this.lastBgsaveOk = ok;
      this.lastBgsaveTimeSec = seconds;
    } else {
      this.lastBgrewriteOk = ok;
      this.lastRewriteTimeSec = seconds;
      if (ok) this.aofRewrites++;
      this.aofRewriteFailuresInARow = ok ? 0 : this.aofRewriteFailuresInARow + 1;
    }
  }

  private abortJob(why: string): void {
    const job = this.job;
    if (job === null) return;
    this.job = null;
    job.snapshot.abort();
    this.settleSnapshotWaiters(new Error(`background snapshot stopped: ${why}`));
    this.host.log.warn({ why }, job.kind === 'rdb' ? 'Background saving stopped' : 'Background AOF rewrite stopped');
  }

  /** A snapshot at `offset` is in place: drop older snapshots and the log segments it covers. */
  private afterSnapshot(offset: number, bytes: number, dirtyAtStart: number): void {
    this.host.dirty = Math.max(0, this.host.dirty - dirtyAtStart);
    this.host.lastSaveSec = Math.floor(Date.now() / 1000);
    this.baseOffset = offset;
    this.baseSizeBytes = bytes;
    try {
      pruneSnapshots(this.fs, this.dir);
      const log = this.log;
      if (log !== null) {
        // Keep repl-backlog-size bytes of log before its end for replicas' partial resync.
        // Also what connected replicas still have to read.
        const backlogStart = log.logEndOffset - this.host.config.getInt('repl-backlog-size');
        log.truncateBefore(Math.min(offset, backlogStart, this.retentionFloor?.() ?? Infinity));
      }
    } catch (err) {
      this.host.log.warn({ err: (err as Error).message }, 'Could not delete old snapshots or log segments');
    }
  }

  // ---- automatic snapshots

  private readonly cron = (): void => {
    if (this.closed || this.log === null) return;
    const log = this.log;
    // Effects committed outside a command (active expiry) wait in the open record: write them.
    if (this.logging && log.hasOpenRecord) log.flushTurn()?.catch(() => {});
    if (this.job !== null) return;
    if (this.aofScheduled) {
      this.aofScheduled = false;
      this.startJob('aof');
      return;
    }
    if (this.rdbScheduled) {
      this.rdbScheduled = false;
      this.startJob('rdb');
      return;
    }
    const nowSec = Math.floor(Date.now() / 1000);
    const { config, dirty, lastSaveSec } = this.host;
    const points = parseSavePoints(config.get('save'));
    for (const [seconds, changes] of points) {
      if (dirty >= changes && nowSec - lastSaveSec > seconds && (this.lastBgsaveOk || nowSec - this.lastBgsaveTrySec > BGSAVE_RETRY_DELAY_SEC)) {
        this.host.log.info(`${changes} changes in ${seconds} seconds. Saving...`);
        this.lastBgsaveTrySec = nowSec;
        this.startJob('rdb');
        return;
      }
    }
    const percentage = config.getInt('auto-aof-rewrite-percentage');
    if (this.logging && percentage > 0) {
      const current = this.currentSize();
      if (current > config.getInt('auto-aof-rewrite-min-size')) {
        const base = this.baseSizeBytes > 0 ? this.baseSizeBytes : 1;
        const growth = Math.floor((current * 100) / base) - 100;
        if (growth >= percentage) {
          this.host.log.info(`Starting automatic rewriting of AOF on ${growth}% growth`);
          this.startJob('aof');
        }
      }
    }
  };

  /** aof_current_size: the newest snapshot plus the log written after it. */
  private currentSize(): number {
    const log = this.log!;
    return this.baseSizeBytes + Math.max(0, log.logEndOffset - this.baseOffset);
  }

  // ---- appendonly at run time

  /** CONFIG SET appendonly: null when done, or why not (Redis's "Unable to turn on AOF"). */
  private setAppendOnly(on: boolean): string | null {
    if (this.host.inExec) {
      // Switching now would cut the EXEC's record (off) or snapshot half of it (on).
      this.appendOnlyAfterExec = on;
      return null;
    }
    if (on === this.logging) return null;
    const log = this.log;
    if (log === null) return 'Unable to turn on AOF. Check server logs.';
    if (!on) {
      // What was appended so far is written and synced; nothing more is added.
      try {
        log.syncBlocking();
      } catch (err) {
        this.host.log.warn({ err: (err as Error).message }, 'Could not sync the log while turning appendonly off');
      }
      this.logging = false;
      this.host.log.info('Append only file disabled');
      return null;
    }
    // Writes made while off are only in memory: a snapshot at the log's end makes the log that
    // follows complete again. A background job would race with it; the snapshot supersedes it.
    if (this.job !== null) this.abortJob('appendonly turned on');
    try {
      if (log.status === 'ok') log.syncBlocking();
      const offset = log.logEndOffset;
      const writer = writeSnapshotBlocking(this.fs, this.dir, offset, this.host.engine.dbs);
      this.afterSnapshot(offset, writer.bytesWritten, this.host.dirty);
    } catch (err) {
      this.host.log.warn({ err: (err as Error).message }, `Sluice needs a snapshot to enable the AOF but can't write one: ${strerror(err as Error)}`);
      return 'Unable to turn on AOF. Check server logs.';
    }
    this.logging = true;
    this.host.log.info('Append only file enabled');
    return null;
  }

  /** After an EXEC: apply a CONFIG SET appendonly it made; a failure to turn it on sets it back to no. */
  afterExec(): void {
    const on = this.appendOnlyAfterExec;
    if (on === null) return;
    this.appendOnlyAfterExec = null;
    const refusal = this.setAppendOnly(on);
    if (refusal !== null) {
      this.host.log.warn(`appendonly yes set inside a transaction could not be applied: ${refusal}`);
      this.host.config.setMany([['appendonly', 'no']]);
    }
  }

  // ---- shutdown

  /**
   * SHUTDOWN's checks and save, run before anything closes: stop a background snapshot, write a
   * snapshot when asked to (SAVE, or save points configured and not NOSAVE). Returns an error reply
   * when the save failed and `force` is not given; the server then keeps running.
   */
  prepareShutdown(mode: 'save' | 'nosave' | 'default', force: boolean): string | null {
    if (this.job !== null) this.abortJob('shutting down');
    const wantSave = mode === 'save' || (mode === 'default' && parseSavePoints(this.host.config.get('save')).length > 0);
    if (!wantSave || this.log === null) return null;
    this.host.log.info('Saving the final snapshot before exiting.');
    try {
      this.snapshotBlocking();
    } catch (err) {
      this.host.log.warn({ err: (err as Error).message }, `Error trying to save the DB, ${force ? 'exiting anyway (FORCE)' : "can't exit"}: ${strerror(err as Error)}`);
      if (!force) return ERR.shutdownFailed;
    }
    return null;
  }

  /** Last step of shutdown: the log's final fdatasync and durability marker, then the lock. */
  close(): Promise<void> {
    if (this.closing === null) this.closing = this.closeLog();
    return this.closing;
  }

  private async closeLog(): Promise<void> {
    this.closed = true;
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.abortJob('shutting down');
    try {
      if (this.log !== null) {
        await this.log.close({ marker: !this.replicated });
        this.host.log.info({ logEndOffset: this.log.logEndOffset, ...this.log.stats }, 'The log is durable and closed.');
      }
    } catch (err) {
      this.host.log.error({ err: (err as Error).message }, `Could not make the log durable at shutdown: ${strerror(err as Error)}`);
      throw err;
    } finally {
      this.lock?.release();
      this.lock = null;
    }
  }

  // ---- INFO persistence

  /** INFO persistence fields, in Redis's order and with its names. */
  infoFields(): Array<[string, string | number]> {
    const job = this.job;
    const nowMs = Date.now();
    const log = this.log;
    const running = (kind: JobKind) => job !== null && job.kind === kind;
    const fields: Array<[string, string | number]> = [
      ['loading', 0],
      ['async_loading', 0],
      ['current_save_keys_processed', job !== null ? job.snapshot.keysWritten : 0],
      ['current_save_keys_total', job !== null ? job.snapshot.keysTotal : 0],
      ['rdb_changes_since_last_save', this.host.dirty],
      ['rdb_bgsave_in_progress', running('rdb') ? 1 : 0],
      ['rdb_last_save_time', this.host.lastSaveSec],
      ['rdb_last_bgsave_status', this.lastBgsaveOk ? 'ok' : 'err'],
      ['rdb_last_bgsave_time_sec', this.lastBgsaveTimeSec],
      ['rdb_current_bgsave_time_sec', running('rdb') ? Math.floor((nowMs - job!.startedMs) / 1000) : -1],
      ['rdb_saves', this.rdbSaves],
      ['rdb_last_load_keys_expired', 0],
      ['rdb_last_load_keys_loaded', this.lastLoadKeysLoaded],
      ['aof_enabled', this.logging ? 1 : 0],
      ['aof_rewrite_in_progress', running('aof') ? 1 : 0],
      ['aof_rewrite_scheduled', this.aofScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', this.lastRewriteTimeSec],
      ['aof_current_rewrite_time_sec', running('aof') ? Math.floor((nowMs - job!.startedMs) / 1000) : -1],
      ['aof_last_bgrewrite_status', this.lastBgrewriteOk ? 'ok' : 'err'],
      ['aof_rewrites', this.aofRewrites],
      ['aof_rewrites_consecutive_failures', this.aofRewriteFailuresInARow],
      ['aof_last_write_status', log === null || log.status === 'ok' ? 'ok' : 'err'],
    ];
    if (this.logging && log !== null) {
      fields.push(
        ['aof_current_size', this.currentSize()],
        ['aof_base_size', this.baseSizeBytes],
        ['aof_pending_rewrite', this.aofScheduled ? 1 : 0],
        ['aof_buffer_length', log.logEndOffset - log.writtenOffset],
        ['aof_pending_bio_fsync', log.fsyncInProgress ? 1 : 0],
        ['aof_delayed_fsync', 0],
      );
    }
    return fields;
  }

  /** The log's offsets for INFO replication (master_repl_offset is the log's end). */
  get logEndOffset(): number {
    return this.log?.logEndOffset ?? 0;
  }

  get logStartOffset(): number {
    return this.log?.logStartOffset ?? 0;
  }

  // ---- replication

  /** The log itself, for replication (null while a full resync replaces it). */
  get replicationLog(): Log | null {
    return this.log;
  }

  /** Whether the log takes records (appendonly yes and open): replication needs it. */
  get logOpen(): boolean {
    return this.logging && this.log !== null;
  }

  /** A replica: append a record received from the master (see Log.appendReplicated). */
  appendReplicated(payload: Buffer, claimedDurableOffset: number): void {
    this.log!.appendReplicated(payload, claimedDurableOffset);
  }

  /** A replica: write the received records now (one write per chunk received). */
  flushReplicated(): void {
    const log = this.log;
    if (log === null) return;
    log.flushTurn()?.catch(() => {});
  }

  /**
   * A full resync: a snapshot this server has, at an offset its log still holds from, so that
   * the snapshot followed by the log from its offset is the whole state. Starts a background
   * snapshot when there is none usable (or waits for the one running).
   */
  async snapshotForReplica(): Promise<{ offset: number; path: string }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const log = this.log;
      if (log === null) throw new Error('the log is being replaced');
      const newest = listSnapshots(this.fs, this.dir)[0];
      if (newest !== undefined && newest.offset >= log.logStartOffset && newest.offset <= log.writtenOffset && this.job?.kind !== 'rdb') {
        return newest;
      }
      const waited = new Promise<void>((resolve, reject) => this.snapshotWaiters.push({ resolve, reject }));
      if (this.job === null && !this.startJob('rdb')) {
        this.settleSnapshotWaiters(new Error('could not start a snapshot'));
      }
      await waited;
    }
    throw new Error('no usable snapshot for the replica');
  }

  private settleSnapshotWaiters(err: Error | null): void {
    const waiters = this.snapshotWaiters;
    this.snapshotWaiters = [];
    for (const w of waiters) {
      if (err === null) w.resolve();
      else w.reject(err);
    }
  }

  /**
   * A replica's full resync: the keyspace and the log are replaced by the snapshot received from
   * the master (a complete file at `receivedPath`, taken at `offset`), and a new log starts at that
   * offset. The caller has already given up the old replication id (a crash half-way leaves no
   * claim to any history, so the next sync is a full one). Returns the number of keys loaded.
   */
  async resetFromSnapshot(receivedPath: string, offset: number): Promise<number> {
    const { config, engine } = this.host;
    const fs = this.fs;
    const info = readSnapshot(fs, receivedPath);
    if (info.offset !== offset) throw new Error(`the snapshot received is at offset ${info.offset}, not ${offset}`);
    if (this.job !== null) this.abortJob('full resync from the master');
    const old = this.log;
    this.log = null;
    if (old !== null) {
      old.onWritten = null;
      try {
        await old.close({ marker: false });
      } catch (err) {
        this.host.log.warn({ err: (err as Error).message }, 'Could not close the log before the full resync');
      }
    }
    // Old history first: segments and snapshots; then the new snapshot is put in place.
    const logDir = join(this.dir, config.get('appenddirname'));
    if (fs.stat(logDir) !== null) {
      for (const name of fs.readdir(logDir)) if (parseSegmentFileName(name) !== null) fs.unlink(join(logDir, name));
      fs.fsyncDir(logDir);
    }
    for (const snap of listSnapshots(fs, this.dir)) fs.unlink(snap.path);
    const snapDir = join(this.dir, SNAPSHOT_DIR_NAME);
    const path = join(snapDir, snapshotFileName(offset));
    fs.rename(receivedPath, path);
    fs.fsyncDir(snapDir);
    engine.replay({ op: 'flushall' });
    let keys = 0;
    readSnapshot(fs, path, (e) => {
      this.loadSnapshotEntry(e);
      keys++;
    });
    const { log } = openLog({
      dir: this.dir,
      logDirName: config.get('appenddirname'),
      fsync: config.get('appendfsync') as FsyncPolicy,
      segmentBytesMax: config.getInt('segment-bytes'),
      startOffset: offset,
      fs,
      replay: () => {},
      onEvent: this.onLogEvent,
    });
    this.log = log;
    log.onWritten = this.logWritten;
    this.baseOffset = offset;
    this.baseSizeBytes = fs.stat(path)?.size ?? 0;
    this.lastLoadKeysLoaded = keys;
    return keys;
  }

  /** The newest snapshot's offset and file, for tests and tools. */
  newestSnapshot(): { offset: number; path: string } | null {
    return listSnapshots(this.fs, this.dir)[0] ?? null;
  }
}

/** The `save` directive as [seconds, changes] pairs. */
export function parseSavePoints(value: string): Array<[number, number]> {
  const parts = value.split(/\s+/).filter((p) => p !== '');
  const points: Array<[number, number]> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) points.push([Number(parts[i]), Number(parts[i + 1])]);
  return points;
}

function tooFewDatabases(db: number, databases: number): Error {
  return new Error(
    `the data holds database ${db} but the server is configured with databases ${databases}: ` +
      `start it with --databases ${db + 1} or more`,
  );
}

/** Refuse effects naming a database the configuration does not have (databases was lowered). */
function checkDatabases(effect: Effect, databases: number): void {
  const e = effect as { db?: number; toDb?: number; other?: number };
  if (e.db !== undefined && e.db >= databases) throw tooFewDatabases(e.db, databases);
  if (e.toDb !== undefined && e.toDb >= databases) throw tooFewDatabases(e.toDb, databases);
  if (e.other !== undefined && e.other >= databases) throw tooFewDatabases(e.other, databases);
}
