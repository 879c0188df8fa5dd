// The durable log: effect records appended in memory during an event-loop turn, written with one
// write at the end of the turn and, under appendfsync always, made durable by one fdatasync before
// the turn's replies may leave (group commit). Kafka's words: baseOffset (a segment's first byte),
// logStartOffset (the first byte still kept), logEndOffset (just past the last appended record).
//
// Offsets, in order, and what must stay true of them:
//   logStartOffset <= syncedOffset <= writtenOffset <= logEndOffset
//   syncedOffset:  bytes below it are on stable storage (an fdatasync that began after they were
//                  written has returned, or the segment was synced when it was rolled).
//   writtenOffset: bytes below it have been handed to the OS (the page cache).
//   logEndOffset:  bytes below it have been appended; [writtenOffset, logEndOffset) are in `pending`.
//
// Failure: a write error (ENOSPC, EIO, ...) or an fsync error puts the log in a failed state
// (`lastError` set, `status` 'err'); the server must then refuse writes (MISCONF). Records appended
// meanwhile stay in memory, never dropped. A failed write is retried once a second and the state
// clears when it succeeds. A failed fsync is final: after it the kernel may have dropped the dirty
// pages (Linux marks them clean), so no later fsync could prove they reached the disk; restarting
// (recovery reads what really is in the files) is the only way back.
//
// Created by openLog() in recovery.ts, which scans and repairs the files first.

import { join } from 'node:path';
import type { Clock } from '../clock';
import type { Effect } from '../effects';
import type { FileSystem } from '../fs';
import { decodeRecordPayload, encodeRecordPayload, FRAME_HEADER_BYTES, restampDurableOffset, writeFrame } from './frame';
import { CorruptLogError } from './scan';
import { SegmentReader, segmentFileName } from './segment';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

export const DEFAULT_SEGMENT_BYTES_MAX = 64 * 1024 * 1024;

/** How often everysec syncs and a failed write is retried. */
export const BACKGROUND_INTERVAL_MS = 1000;

/** Something worth a log line; the server turns these into its own logger's lines. */
export type LogEvent =
  | { readonly kind: 'write-error'; readonly error: Error; readonly offset: number }
  | { readonly kind: 'write-recovered'; readonly offset: number }
  | { readonly kind: 'fsync-error'; readonly error: Error; readonly offset: number }
  | { readonly kind: 'segment-rolled'; readonly baseOffset: number }
  | { readonly kind: 'segments-deleted'; readonly baseOffsets: readonly number[] }
  /** Retention could not remove a segment file; the next retention pass after a restart retries it. */
  | { readonly kind: 'segment-delete-error'; readonly error: Error; readonly path: string };

/** One record read back from the log. */
export interface LogRecord {
  /** Global offset of the record's frame. */
  readonly offset: number;
  /** Global offset just past it (the replication offset after applying it). */
  readonly endOffset: number;
  readonly effects: Effect[];
}

/** Counters for INFO persistence and tests. */
export interface LogStats {
  recordsAppended: number;
  /** write calls made (one per flush that had records, plus retries). */
  writes: number;
  bytesWritten: number;
  /** fdatasync calls started (background and at rolls). */
  fsyncs: number;
  writeErrors: number;
  fsyncErrors: number;
  /** Duration of the last completed fdatasync, microseconds. */
  lastFsyncMicros: number;
}

/** The state recovery hands to the Log. */
export interface LogInit {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly logDir: string;
  readonly fsync: FsyncPolicy;
  readonly segmentBytesMax: number;
  /** Base offsets of the segments, oldest first; the last is the active one. */
  readonly segmentBases: number[];
  /** Open read/write fd of the active segment. */
  readonly activeFd: number;
  /** Size of the active segment (its bytes are all valid frames). */
  readonly activeSize: number;
  /** Whether the last record is a durability marker (see close()). */
  readonly tailProtected: boolean;
  readonly onEvent: (event: LogEvent) => void;
}

export class LogFailedError extends Error {
  override readonly name = 'LogFailedError';
}

const RESOLVED: Promise<void> = Promise.resolve();
const INITIAL_PENDING_BYTES = 64 * 1024;
const KEEP_PENDING_BYTES = 1024 * 1024;

interface SyncWaiter {
  readonly offset: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export class Log {
  private readonly fs: FileSystem;
  private readonly clock: Clock;
  readonly logDir: string;
  private policy: FsyncPolicy;
  readonly segmentBytesMax: number;
  private readonly onEvent: (event: LogEvent) => void;

  /** Base offsets of the segment files, oldest first; contiguous; the last one is being written. */
  private readonly segmentBases: number[];
  /** fd of the active segment. */
  private activeFd: number;
  /** Bytes in the active segment file: writtenOffset - its base. */
  private activeSize: number;
  /** fds of rolled segments whose background fdatasync is still in flight; closed when it ends. */
  private readonly retiredFds: number[] = [];

  /** Encoded frames not yet written: pending[0, pendingBytes). Kept across failed writes. */
  private pending = Buffer.allocUnsafe(INITIAL_PENDING_BYTES);
  private pendingBytes = 0;
  /** Effects added with add() since the last endRecord(): the open record. */
  private openRecord: Effect[] = [];

  private _writtenOffset: number;
  private _syncedOffset: number;
  private _logEndOffset: number;

  /** The fdatasync in flight (at most one at a time), settled or not. */
  private inflightSync: Promise<void> | null = null;
  /** Flushes under 'always' waiting for their bytes to be durable, by increasing offset. */
  private waiters: SyncWaiter[] = [];

  /** Why writes must stop, or null when healthy. */
  private failure: 'write' | 'fsync' | null = null;
  /**
   * Whether the log ends with a durability marker: an empty record claiming its own offset durable,
   * so that damage anywhere before it is recognised as damage, not as a torn tail (scan.ts).
   */
  private tailProtected: boolean;
  private _lastError: Error | null = null;
  private closed = false;
  /** Segment files being removed in the background (retention); close() waits for them. */
  private deletions: Promise<void> = Promise.resolve();
  private readonly stopTimer: () => void;
  /** Called after appended records were handed to the OS (replication ships them from the files). */
  onWritten: (() => void) | null = null;

  readonly stats: LogStats = {
    recordsAppended: 0,
    writes: 0,
    bytesWritten: 0,
    fsyncs: 0,
    writeErrors: 0,
    fsyncErrors: 0,
    lastFsyncMicros: 0,
  };

  constructor(init: LogInit) {
    this.fs = init.fs;
    this.clock = init.clock;
    this.logDir = init.logDir;
    this.policy = init.fsync;
    this.segmentBytesMax = init.segmentBytesMax;
    this.onEvent = init.onEvent;
    this.segmentBases = [...init.segmentBases];
    this.activeFd = init.activeFd;
    this.activeSize = init.activeSize;
    this.tailProtected = init.tailProtected;
    const end = this.activeBase + init.activeSize;
    this._writtenOffset = end;
    this._syncedOffset = end;
    this._logEndOffset = end;
    this.stopTimer = this.clock.every(BACKGROUND_INTERVAL_MS, this.background);
  }

  // ---- offsets and state

  get logStartOffset(): number {
    return this.segmentBases[0]!;
  }
  get logEndOffset(): number {
    return this._logEndOffset;
  }
  get writtenOffset(): number {
    return this._writtenOffset;
  }
  get syncedOffset(): number {
    return this._syncedOffset;
  }
  /** Bytes of log on disk (logStartOffset to writtenOffset). */
  get sizeBytes(): number {
    return this._writtenOffset - this.logStartOffset;
  }
  get segmentCount(): number {
    return this.segmentBases.length;
  }
  get fsyncPolicy(): FsyncPolicy {
    return this.policy;
  }
  /** The error that stops writes, or null when the log is healthy. */
  get lastError(): Error | null {
    return this._lastError;
  }
  /** Redis's aof_last_write_status. */
  get status(): 'ok' | 'err' {
    return this.failure === null ? 'ok' : 'err';
  }
  /** Whether an fdatasync is running now (aof_fsync_in_progress-like). */
  get fsyncInProgress(): boolean {
    return this.inflightSync !== null;
  }

  private get activeBase(): number {
    return this.segmentBases[this.segmentBases.length - 1]!;
  }

  // ---- appending

  /** Add an effect to the open record (the current command's). endRecord() or flush() closes it. */
  add(effect: Effect): void {
    this.assertOpen();
    this.openRecord.push(effect);
  }

  /**
   * Close the open record: its effects become one frame, replayed all or nothing. Call after each
   * command (after EXEC for a transaction). Returns logEndOffset (just past the record).
   */
  endRecord(): number {
    if (this.openRecord.length === 0) return this._logEndOffset;
    const effects = this.openRecord;
    this.openRecord = [];
    return this.appendRecord(effects);
  }

  /**
   * Append one record holding `effects` (all or nothing on replay), after closing any open record.
   * Buffered in memory until flush(). Returns the offset just past the record: once
   * syncedOffset (or writtenOffset, by policy) reaches it the record is durable.
   */
  append(effects: readonly Effect[]): number {
    this.assertOpen();
    this.endRecord();
    if (effects.length === 0) return this._logEndOffset;
    return this.appendRecord(effects);
  }

  private appendRecord(effects: readonly Effect[]): number {
    const payload = encodeRecordPayload(effects, this._syncedOffset);
    const size = FRAME_HEADER_BYTES + payload.length;
    this.reservePending(size);
    writeFrame(this.pending, this.pendingBytes, payload);
    this.pendingBytes += size;
    this._logEndOffset += size;
    this.stats.recordsAppended++;
    this.tailProtected = false;
    return this._logEndOffset;
  }

  /**
   * Append a record received from a replication master: its payload as the master framed it, with
   * this log's own durableOffset stamped in (same size, so the record lands at the master's offset).
   * A payload of an older format, whose claim cannot be restamped, is kept as it is once this log
   * is durable up to the claim (a blocking fdatasync), so the claim is true here too.
   */
  appendReplicated(payload: Buffer, claimedDurableOffset: number): number {
    this.assertOpen();
    this.endRecord();
    if (!restampDurableOffset(payload, this._syncedOffset) && claimedDurableOffset > this._syncedOffset) {
      if (this.pendingBytes > 0 && this.failure === null) this.writePending();
      this.syncNow();
    }
    const size = FRAME_HEADER_BYTES + payload.length;
    this.reservePending(size);
    writeFrame(this.pending, this.pendingBytes, payload);
    this.pendingBytes += size;
    this._logEndOffset += size;
    this.stats.recordsAppended++;
    this.tailProtected = false;
    return this._logEndOffset;
  }

  private reservePending(size: number): void {
    const need = this.pendingBytes + size;
    if (need <= this.pending.length) return;
    let capacity = this.pending.length;
    while (capacity < need) capacity *= 2;
    const bigger = Buffer.allocUnsafe(capacity);
    this.pending.copy(bigger, 0, 0, this.pendingBytes);
    this.pending = bigger;
  }

  /**
   * End of turn: close the open record, write every pending record with one write and, under
   * 'always', resolve once an fdatasync covering them (and everything before) has completed; under
   * 'everysec' and 'no' resolve once written. With nothing new to write, still waits under 'always'
   * for bytes written earlier to become durable, so a reply that read them cannot leave before they
   * are on disk. Rejects with lastError when the log is failed: nothing appended is acknowledged.
   * Under 'always', while an fdatasync is in flight the records wait in memory (see writeOrDefer).
   */
  flush(): Promise<void> {
    this.assertOpen();
    this.endRecord();
    if (this.failure !== null) return Promise.reject(this.failedError());
    if (!this.writeOrDefer(this.policy === 'always')) return Promise.reject(this.failedError());
    if (this.policy !== 'always') return RESOLVED;
    return this.waitForSync(this._logEndOffset);
  }

  /**
   * flush() for the end of an event-loop turn, without a promise when none is needed: null when
   * the turn's replies may leave at once (everysec and no once written; always when everything
   * written is already durable), else the promise flush() would return.
   */
  flushTurn(): Promise<void> | null {
    this.assertOpen();
    this.endRecord();
    if (this.failure !== null) return Promise.reject(this.failedError());
    const always = this.policy === 'always';
    if (!this.writeOrDefer(always)) return Promise.reject(this.failedError());
    if (!always || this._logEndOffset <= this._syncedOffset) return null;
    return this.waitForSync(this._logEndOffset);
  }

  /**
   * Write the pending records now, or, when they are to be made durable (`durable`) and an
   * fdatasync is in flight, leave them for the next one: a write now would wait for the one in
   * flight (the kernel holds pages under writeback stable) and could not be covered by it anyway.
   * They go out in one write just before the next fdatasync starts (startSync), which also turns
   * the writes of several turns into one. False on a write error.
   */
  private writeOrDefer(durable: boolean): boolean {
    if (this.pendingBytes === 0 || (durable && this.inflightSync !== null)) return true;
    return this.writePending();
  }

  /** Whether effects were added since the last endRecord() (an open record). */
  get hasOpenRecord(): boolean {
    return this.openRecord.length > 0;
  }

  /**
   * Write everything appended and fdatasync it now, blocking the event loop (SAVE, SHUTDOWN,
   * turning appendonly on: barriers Redis also runs synchronously). Throws LogFailedError when the
   * log is failed or the write or fdatasync fails.
   */
  syncBlocking(): void {
    this.assertOpen();
    this.endRecord();
    if (this.failure !== null) throw this.failedError();
    if (this.pendingBytes > 0 && !this.writePending()) throw this.failedError();
    this.syncNow();
    if (this.failure !== null) throw this.failedError();
  }

  /** Flush and make everything durable now, whatever the policy (WAITAOF, SAVE-like barriers). */
  sync(): Promise<void> {
    this.assertOpen();
    this.endRecord();
    if (this.failure !== null) return Promise.reject(this.failedError());
    if (!this.writeOrDefer(true)) return Promise.reject(this.failedError());
    return this.waitForSync(this._logEndOffset);
  }

  /** CONFIG SET appendfsync. Switching to 'always' syncs what is already written. */
  setFsyncPolicy(policy: FsyncPolicy): void {
    this.policy = policy;
    if (policy === 'always') this.startSync();
  }

  private failedError(): Error {
    const cause = this._lastError;
    const err = new LogFailedError(
      `the log cannot accept writes: ${this.failure === 'fsync' ? 'fsync' : 'write'} failed: ${cause?.message ?? 'unknown'}`,
    );
    (err as { cause?: unknown }).cause = cause;
    return err;
  }

  /** Write pending[0, pendingBytes) at the end of the active segment, rolling first when due. */
  private writePending(): boolean {
    const bytes = this.pending.subarray(0, this.pendingBytes);
    if (this.activeSize > 0 && this.activeSize + bytes.length > this.segmentBytesMax) {
      if (!this.roll()) return false;
    }
    this.stats.writes++;
    try {
      this.fs.write(this.activeFd, bytes, this.activeSize);
    } catch (err) {
      // Best effort: cut the torn prefix so the file ends on a frame. Not needed for correctness
      // (the retry rewrites the same bytes at the same position; recovery drops a torn tail).
      try {
        this.fs.ftruncate(this.activeFd, this.activeSize);
      } catch {
        /* the write error is the one to report */
      }
      this.stats.writeErrors++;
      this.fail('write', err as Error);
      return false;
    }
    this.activeSize += bytes.length;
    this._writtenOffset += bytes.length;
    this.stats.bytesWritten += bytes.length;
    this.pendingBytes = 0;
    if (this.pending.length > KEEP_PENDING_BYTES) this.pending = Buffer.allocUnsafe(INITIAL_PENDING_BYTES);
    if (this.failure === 'write') {
      this.failure = null;
      this._lastError = null;
      this.onEvent({ kind: 'write-recovered', offset: this._writtenOffset });
    }
    this.onWritten?.();
    return true;
  }

  /**
   * Start a new segment at writtenOffset. The old one is fdatasync'd first (under every policy), so
   * a segment is complete on disk before the next one exists: damage before the last segment is
   * then never a torn write, and recovery can refuse it. The new file's directory entry is synced
   * before any record in it can be acknowledged.
   */
  private roll(): boolean {
    const oldFd = this.activeFd;
    try {
      this.stats.fsyncs++;
      this.fs.fdatasyncSync(oldFd);
    } catch (err) {
      this.stats.fsyncErrors++;
      this.fail('fsync', err as Error);
      return false;
    }
    this.markSynced(this._writtenOffset);
    const base = this._writtenOffset;
    let fd: number;
    try {
      fd = this.fs.open(join(this.logDir, segmentFileName(base)), 'createExclusive');
    } catch (err) {
      this.stats.writeErrors++;
      this.fail('write', err as Error);
      return false;
    }
    try {
      this.fs.fsyncDir(this.logDir);
    } catch (err) {
      this.fs.close(fd);
      this.stats.fsyncErrors++;
      this.fail('fsync', err as Error);
      return false;
    }
    if (this.inflightSync !== null) this.retiredFds.push(oldFd);
    else this.fs.close(oldFd);
    this.segmentBases.push(base);
    this.activeFd = fd;
    this.activeSize = 0;
    this.onEvent({ kind: 'segment-rolled', baseOffset: base });
    return true;
  }

  // ---- durability

  private waitForSync(offset: number): Promise<void> {
    if (offset <= this._syncedOffset) return RESOLVED;
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ offset, resolve, reject });
      this.startSync();
    });
  }

  /**
   * Start an fdatasync of the active segment covering everything appended (records left pending
   * while the previous one ran are written first), unless one is running.
   */
  private startSync(): void {
    if (this.inflightSync !== null || this.closed || this.failure === 'fsync') return;
    if (this.pendingBytes > 0 && this.failure === null && !this.writePending()) this.rejectUnwritten();
    if (this._writtenOffset <= this._syncedOffset) return;
    const target = this._writtenOffset;
    const started = process.hrtime.bigint();
    this.stats.fsyncs++;
    this.inflightSync = this.fs.fdatasync(this.activeFd).then(
      () => {
        this.inflightSync = null;
        this.stats.lastFsyncMicros = Number((process.hrtime.bigint() - started) / 1000n);
        this.closeRetired();
        this.markSynced(target);
        // Bytes written while that one ran are covered by the next one.
        if (this.waiters.length > 0) this.startSync();
      },
      (err: Error) => {
        this.inflightSync = null;
        this.closeRetired();
        this.stats.fsyncErrors++;
        this.fail('fsync', err);
      },
    );
  }

  /** After a failed write: waiters whose records were not written cannot be acknowledged. */
  private rejectUnwritten(): void {
    const err = this.failedError();
    const keep: SyncWaiter[] = [];
    for (const w of this.waiters) {
      if (w.offset > this._writtenOffset) w.reject(err);
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private markSynced(offset: number): void {
    if (offset > this._syncedOffset) this._syncedOffset = offset;
    let i = 0;
    while (i < this.waiters.length && this.waiters[i]!.offset <= this._syncedOffset) {
      this.waiters[i]!.resolve();
      i++;
    }
    if (i > 0) this.waiters = this.waiters.slice(i);
  }

  private closeRetired(): void {
    while (this.retiredFds.length > 0) this.fs.close(this.retiredFds.pop()!);
  }

  private fail(kind: 'write' | 'fsync', error: Error): void {
    if (this.failure !== 'fsync') this.failure = kind;
    this._lastError = error;
    this.onEvent({ kind: kind === 'write' ? 'write-error' : 'fsync-error', error, offset: this._writtenOffset });
    if (kind === 'fsync') {
      const waiters = this.waiters;
      this.waiters = [];
      const err = this.failedError();
      for (const w of waiters) w.reject(err);
    }
  }

  /** Once a second: retry a failed write; under everysec, sync what was written. */
  private readonly background = (): void => {
    if (this.closed) return;
    if (this.failure === 'write' && this.pendingBytes > 0) {
      if (!this.writePending()) return;
      if (this.policy === 'always') this.startSync();
    }
    if (this.policy === 'everysec') this.startSync();
  };

  // ---- reading and retention

  /**
   * The records from `fromOffset` (a record boundary, at least logStartOffset) up to what has been
   * written when the iteration reaches the end, in order. For replication and tests; reads are
   * synchronous and bounded (1 MiB at a time, or one record).
   */
  *readFrom(fromOffset: number): Generator<LogRecord> {
    if (fromOffset < this.logStartOffset || fromOffset > this._writtenOffset) {
      throw new RangeError(
        `offset ${fromOffset} is outside the log (${this.logStartOffset}..${this._writtenOffset})`,
      );
    }
    let offset = fromOffset;
    while (offset < this._writtenOffset) {
      const index = this.segmentIndexOf(offset);
      if (index < 0) throw new RangeError(`offset ${offset} is no longer in the log (retention)`);
      const base = this.segmentBases[index]!;
      const isActive = index === this.segmentBases.length - 1;
      const end = isActive ? this._writtenOffset - base : this.segmentBases[index + 1]! - base;
      const path = join(this.logDir, segmentFileName(base));
      const fd = this.fs.open(path, 'read');
      try {
        const reader = new SegmentReader(this.fs, fd, offset - base, end);
        for (;;) {
          const step = reader.next();
          if (step.kind === 'end') break;
          if (step.kind === 'bad') {
            throw new CorruptLogError(base + step.position, path, step.position, step.reason, 'read');
          }
          const record = decodeRecordPayload(step.payload);
          const recordOffset = base + step.position;
          offset = recordOffset + step.frameBytes;
          yield { offset: recordOffset, endOffset: offset, effects: record.effects };
        }
      } finally {
        this.fs.close(fd);
      }
      offset = base + end;
    }
  }

  /**
   * The raw bytes of the log from `fromOffset` (at least logStartOffset) up to at most `maxBytes`
   * of what has been written, across segments: what a master sends its replicas. Empty at the end.
   */
  readBytes(fromOffset: number, maxBytes: number): Buffer {
    const end = Math.min(this._writtenOffset, fromOffset + maxBytes);
    if (fromOffset < this.logStartOffset || fromOffset > this._writtenOffset) {
      throw new RangeError(`offset ${fromOffset} is outside the log (${this.logStartOffset}..${this._writtenOffset})`);
    }
    const out = Buffer.allocUnsafe(end - fromOffset);
    let offset = fromOffset;
    while (offset < end) {
      const index = this.segmentIndexOf(offset);
      const base = this.segmentBases[index]!;
      const segmentEnd = index === this.segmentBases.length - 1 ? this._writtenOffset : this.segmentBases[index + 1]!;
      const upTo = Math.min(end, segmentEnd);
      const fd = this.fs.open(join(this.logDir, segmentFileName(base)), 'read');
      try {
        while (offset < upTo) {
          const n = this.fs.read(fd, out, offset - fromOffset, upTo - offset, offset - base);
          if (n === 0) throw new Error(`segment ${base} ends before offset ${upTo}`);
          offset += n;
        }
      } finally {
        this.fs.close(fd);
      }
    }
    return out;
  }

  private segmentIndexOf(offset: number): number {
    for (let i = this.segmentBases.length - 1; i >= 0; i--) if (this.segmentBases[i]! <= offset) return i;
    return -1;
  }

  /**
   * Retention: delete the segments that lie wholly before `offset` (never the active one). The
   * caller computes `offset` from its rules (newest snapshot's offset, replication backlog size).
   * Returns the base offsets deleted; logStartOffset becomes the first remaining base at once.
   *
   * The files themselves are removed off the event loop (see FileSystem.unlinkAsync): they are no
   * longer part of the log. A crash before they are gone leaves files wholly before the snapshot:
   * the log reopens with them as its oldest segments and the next retention pass deletes them.
   */
  truncateBefore(offset: number): number[] {
    this.assertOpen();
    const deleted: number[] = [];
    while (this.segmentBases.length > 1 && this.segmentBases[1]! <= offset) {
      deleted.push(this.segmentBases.shift()!);
    }
    if (deleted.length > 0) {
      const paths = deleted.map((base) => join(this.logDir, segmentFileName(base)));
      this.deletions = this.deletions.then(() => this.removeFiles(paths));
      this.onEvent({ kind: 'segments-deleted', baseOffsets: deleted });
    }
    return deleted;
  }

  /** Resolves once every segment file retention dropped so far is gone (or failed to go). */
  deletionsSettled(): Promise<void> {
    return this.deletions;
  }

  private async removeFiles(paths: readonly string[]): Promise<void> {
    let removed = 0;
    for (const path of paths) {
      try {
        await this.fs.unlinkAsync(path);
        removed++;
      } catch (err) {
        this.onEvent({ kind: 'segment-delete-error', error: err as Error, path });
      }
    }
    if (removed === 0) return;
    try {
      this.fs.fsyncDir(this.logDir);
    } catch (err) {
      this.onEvent({ kind: 'segment-delete-error', error: err as Error, path: this.logDir });
    }
  }

  // ---- shutdown

  /**
   * Flush, make everything durable (under every policy, as Redis does at shutdown), end the log
   * with a durability marker, and close the files. Rejects with the failure when some appended
   * record could not be made durable.
   *
   * The marker: records claim what was durable when they were appended, so nothing claims the last
   * turn's records; a bit flip in them would pass for a torn tail and be cut without a word. After
   * the final fdatasync, an empty record claiming its own offset durable covers them (one more
   * small write and fdatasync per clean shutdown).
   */
  async close(options: { readonly marker?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.endRecord();
    let error: Error | null = null;
    // A last try for records held back by a failed write (not after a failed fsync: see above).
    if (this.failure !== 'fsync' && this.pendingBytes > 0) this.writePending();
    while (this.inflightSync !== null) await this.inflightSync;
    this.syncNow();
    // A replica leaves the marker out: its log must hold exactly its master's bytes (same offsets).
    if (options.marker !== false && this.failure === null && !this.tailProtected && this._writtenOffset > this.logStartOffset) {
      const payload = encodeRecordPayload([], this._writtenOffset);
      this.reservePending(FRAME_HEADER_BYTES + payload.length);
      this.pendingBytes += writeFrame(this.pending, this.pendingBytes, payload);
      this._logEndOffset += FRAME_HEADER_BYTES + payload.length;
      if (this.writePending()) this.syncNow();
      this.tailProtected = this.failure === null;
    }
    if (this.failure !== null) error = this.failedError();
    this.closed = true;
    this.stopTimer();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error ?? new LogFailedError('log closed'));
    this.closeRetired();
    this.fs.close(this.activeFd);
    await this.deletions;
    if (error !== null) throw error;
  }

  /** fdatasync the active segment now, blocking (close). */
  private syncNow(): void {
    if (this.failure !== null || this._writtenOffset <= this._syncedOffset) return;
    try {
      this.stats.fsyncs++;
      this.fs.fdatasyncSync(this.activeFd);
      this.markSynced(this._writtenOffset);
    } catch (err) {
      this.stats.fsyncErrors++;
      this.fail('fsync', err as Error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('log is closed');
  }
}
