// Opening the log at start-up: find the segments, replay every record from the start offset (the
// newest snapshot's offset, 0 without one) into the caller's callback (Engine.replay), cut a torn
// tail and say what was dropped, refuse damage to durable data, and hand back a Log ready to append.
// One loader for every case, as Kafka's: fresh directory, clean shutdown, crash, damage.

import { dirname, join } from 'node:path';
import { systemClock, type Clock } from '../clock';
import { nodeFileSystem, type FileSystem } from '../fs';
import { DEFAULT_SEGMENT_BYTES_MAX, Log, type FsyncPolicy, type LogEvent } from './log';
import { CorruptLogError, scanLog, type RecordCallback } from './scan';
import { listSegments, segmentFileName } from './segment';

export interface OpenLogOptions {
  /** The data directory (config `dir`). */
  readonly dir: string;
  /** Folder of the segments inside `dir` (config `appenddirname`, default 'log'). */
  readonly logDirName?: string;
  /** Config `appendfsync`. */
  readonly fsync: FsyncPolicy;
  /** Roll to a new segment past this size (default 64 MiB). */
  readonly segmentBytesMax?: number;
  /** Replay from here: the newest snapshot's offset, or 0 (default). */
  readonly startOffset?: number;
  /** Each record's effects in log order, all of a record or none; the server passes Engine.replay. */
  readonly replay: RecordCallback;
  readonly fs?: FileSystem;
  readonly clock?: Clock;
  /** Events worth a log line (write/fsync errors, rolls, deletions). */
  readonly onEvent?: (event: LogEvent) => void;
}

export interface TornTailReport {
  /** Global offset the log was truncated at. */
  readonly offset: number;
  readonly segmentPath: string;
  /** Bytes cut off. */
  readonly droppedBytes: number;
  /** Records with a valid checksum among them (written, never known durable). */
  readonly droppedRecords: number;
  readonly reason: string;
}

export interface RecoveryReport {
  readonly logDir: string;
  readonly startOffset: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly segments: number;
  readonly recordsReplayed: number;
  readonly bytesReplayed: number;
  readonly durationMs: number;
  /** The log directory was empty: a new log was started at startOffset. */
  readonly created: boolean;
  readonly truncatedTail: TornTailReport | null;
  /** Segments deleted because the snapshot's offset lies past their end (they hold nothing it lacks). */
  readonly discardedSegments: readonly number[];
}

export function openLog(options: OpenLogOptions): { log: Log; report: RecoveryReport } {
  const started = process.hrtime.bigint();
  const fs = options.fs ?? nodeFileSystem;
  const clock = options.clock ?? systemClock;
  const logDir = join(options.dir, options.logDirName ?? 'log');
  const startOffset = options.startOffset ?? 0;
  const segmentBytesMax = options.segmentBytesMax ?? DEFAULT_SEGMENT_BYTES_MAX;
  const onEvent = options.onEvent ?? (() => {});
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) throw new RangeError(`bad start offset ${startOffset}`);
  if (!(segmentBytesMax > 0)) throw new RangeError(`bad segmentBytesMax ${segmentBytesMax}`);

  ioStep(`cannot create the log directory ${logDir}`, () => ensureDir(fs, options.dir, logDir));

  let segments = listSegments(fs, logDir);
  const discardedSegments: number[] = [];
  if (segments.length > 0) {
    const last = segments[segments.length - 1]!;
    if (startOffset < segments[0]!.baseOffset) {
      throw new CorruptLogError(
        startOffset,
        segments[0]!.path,
        0,
        `the log starts at offset ${segments[0]!.baseOffset}, after the snapshot's offset ${startOffset}: records in between are missing`,
      );
    }
    if (startOffset > last.baseOffset + last.sizeBytes) {
      // The snapshot is newer than anything the log holds (e.g. the log's unsynced tail was lost):
      // its segments add nothing, and a new log starts where the snapshot ends.
      ioStep('cannot delete segments older than the snapshot', () => {
        for (const s of segments) fs.unlink(s.path);
        fs.fsyncDir(logDir);
      });
      discardedSegments.push(...segments.map((s) => s.baseOffset));
      segments = [];
    }
  }

  if (segments.length === 0) {
    const fd = ioStep(`cannot create the first segment in ${logDir}`, () => {
      const fd = fs.open(join(logDir, segmentFileName(startOffset)), 'createExclusive');
      fs.fsyncDir(logDir);
      return fd;
    });
    const log = new Log({
      fs,
      clock,
      logDir,
      fsync: options.fsync,
      segmentBytesMax,
      segmentBases: [startOffset],
      activeFd: fd,
      activeSize: 0,
      tailProtected: false,
      onEvent,
    });
    return {
      log,
      report: {
        logDir,
        startOffset,
        logStartOffset: startOffset,
        logEndOffset: startOffset,
        segments: 1,
        recordsReplayed: 0,
        bytesReplayed: 0,
        durationMs: msSince(started),
        created: true,
        truncatedTail: null,
        discardedSegments,
      },
    };
  }

  const scan = scanLog(fs, logDir, startOffset, options.replay);
  let truncatedTail: TornTailReport | null = null;
  const damage = scan.damage;
  if (damage !== null) {
    if (!damage.isTornTail) {
      throw new CorruptLogError(
        damage.offset,
        damage.segmentPath,
        damage.position,
        `${damage.reason} (${damage.whyNotTornTail ?? 'not a torn tail'}; ${damage.bytesAfter} bytes and ` +
          `${damage.recordsAfter} valid records follow it)`,
      );
    }
    ioStep(`cannot truncate the torn tail of ${damage.segmentPath}`, () => {
      const fd = fs.open(damage.segmentPath, 'readwrite');
      try {
        fs.ftruncate(fd, damage.position);
        fs.fdatasyncSync(fd);
      } finally {
        fs.close(fd);
      }
    });
    truncatedTail = {
      offset: damage.offset,
      segmentPath: damage.segmentPath,
      droppedBytes: damage.bytesAfter,
      droppedRecords: damage.recordsAfter,
      reason: damage.reason,
    };
  }

  const last = segments[segments.length - 1]!;
  const activeSize = scan.validEndOffset - last.baseOffset;
  // What was read may still sit only in the page cache (after a kill -9 the OS had not written it
  // yet): sync it before any new record claims it durable.
  const fd = ioStep(`cannot open ${last.path} for writing`, () => {
    const fd = fs.open(last.path, 'readwrite');
    try {
      fs.fdatasyncSync(fd);
    } catch (err) {
      fs.close(fd);
      throw err;
    }
    return fd;
  });
  const log = new Log({
    fs,
    clock,
    logDir,
    fsync: options.fsync,
    segmentBytesMax,
    segmentBases: segments.map((s) => s.baseOffset),
    activeFd: fd,
    activeSize,
    tailProtected: scan.tailProtected,
    onEvent,
  });
  return {
    log,
    report: {
      logDir,
      startOffset,
      logStartOffset: segments[0]!.baseOffset,
      logEndOffset: scan.validEndOffset,
      segments: segments.length,
      recordsReplayed: scan.records,
      bytesReplayed: scan.bytes,
      durationMs: msSince(started),
      created: false,
      truncatedTail,
      discardedSegments,
    },
  };
}

function ensureDir(fs: FileSystem, dir: string, logDir: string): void {
  const dirStat = fs.stat(dir);
  if (dirStat === null) {
    fs.mkdir(dir);
    fs.fsyncDir(dirname(dir));
  } else if (!dirStat.isDirectory) throw new Error(`${dir} is not a directory`);
  const logStat = fs.stat(logDir);
  if (logStat === null) {
    fs.mkdir(logDir);
    fs.fsyncDir(dir);
  } else if (!logStat.isDirectory) {
    throw new Error(`${logDir} is not a directory`);
  }
}

/** Run an I/O step, prefixing any error with what was being attempted (the errno code stays). */
function ioStep<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const wrapped = new Error(`${what}: ${e.message}`) as NodeJS.ErrnoException;
    if (e.code !== undefined) wrapped.code = e.code;
    (wrapped as { cause?: unknown }).cause = err;
    throw wrapped;
  }
}

function msSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}
