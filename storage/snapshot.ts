// Snapshots: the whole keyspace as of a log offset, so recovery replays only the log after it and
// older segments can be deleted. `<dir>/snapshots/<20-digit offset>.snap` holds the state after
// every record below that offset was applied.
//
// File format: frames exactly as in the log (storage/log/frame.ts: length, CRC-32, msgpack payload):
//   header   ['sluice-snapshot', 1, offset, createdAtMs]
//   chunk    ['keys', [[db, key, type, value, expireAtMs | null], ...]]   (about 256 KiB each)
//   trailer  ['end', keyCount, chunkCount]
// A file without its trailer, with a bad frame, or with counts that disagree is not a snapshot.
//
// Writing is atomic: frames go to `<offset>.snap.tmp`, which is fdatasync'd, renamed into place,
// and the directory fsync'd; only then does the snapshot exist. A crash at any point leaves the
// previous snapshot in force (stray .tmp files are removed at the next load). Before making a
// snapshot at offset O durable the caller must have the log durable up to O (`await log.sync()`),
// so the log never has a hole before a snapshot that claims to cover it.
//
// The writer takes entries one at a time (`add`) and writes them in chunks with small synchronous
// writes to the page cache; only the final fdatasync waits for the disk, off the event loop. So it
// can be fed a slice of keys per event-loop turn by a background snapshot (BGSAVE), given a view
// of the keyspace that stays as of the offset while writes go on — see the copy-on-write hook
// described in the issue-3 report. `writeSnapshotNow` feeds it the whole keyspace at once (SAVE,
// which stops the world in Redis too).

import { join } from 'node:path';
import type { FileSystem } from './fs';
import type { Database, RedisValue } from './keyspace';
import { encodeFrame, packValue, RecordFormatError, unpackValue } from './log/frame';
import { SegmentReader } from './log/segment';

export const SNAPSHOT_DIR_NAME = 'snapshots';
const MAGIC = 'sluice-snapshot';
const VERSION = 1;
const CHUNK_BYTES = 256 * 1024;
const SUFFIX = '.snap';
const TMP_SUFFIX = '.snap.tmp';

export function snapshotFileName(offset: number): string {
  return String(offset).padStart(20, '0') + SUFFIX;
}

/** Value type tags in a snapshot; a family adding a value type adds its tag and codec here. */
type SnapshotType = 's';

function encodeValue(value: RedisValue): [SnapshotType, unknown] {
  if (typeof value === 'string') return ['s', value];
  throw new Error(`snapshot: no codec for a value of type ${typeof value}`);
}

function decodeValue(type: unknown, value: unknown): RedisValue {
  if (type === 's' && typeof value === 'string') return value;
  throw new RecordFormatError(`snapshot: unknown value type ${JSON.stringify(type)}`);
}

/** One key as a snapshot holds it. */
export interface SnapshotEntry {
  readonly db: number;
  readonly key: string;
  readonly value: RedisValue;
  /** Absolute expiry in unix ms, or null. */
  readonly expireAtMs: number | null;
}

export class SnapshotWriter {
  private readonly tmpPath: string;
  readonly path: string;
  private fd: number;
  private position = 0;
  private chunk: unknown[] = [];
  private chunkBytes = 0;
  private chunks = 0;
  /** Keys added so far. */
  keyCount = 0;
  private done = false;

  /** Start a snapshot of the state at log offset `offset` in `<dataDir>/snapshots`. */
  constructor(
    private readonly fs: FileSystem,
    dataDir: string,
    readonly offset: number,
    createdAtMs: number = Date.now(),
  ) {
    const dir = join(dataDir, SNAPSHOT_DIR_NAME);
    if (fs.stat(dir) === null) {
      fs.mkdir(dir);
      fs.fsyncDir(dataDir);
    }
    this.path = join(dir, snapshotFileName(offset));
    this.tmpPath = join(dir, snapshotFileName(offset).replace(SUFFIX, TMP_SUFFIX));
    if (fs.stat(this.tmpPath) !== null) fs.unlink(this.tmpPath);
    this.fd = fs.open(this.tmpPath, 'createExclusive');
    this.writeFrame([MAGIC, VERSION, offset, createdAtMs]);
  }

  add(entry: SnapshotEntry): void {
    const [type, value] = encodeValue(entry.value);
    this.chunk.push([entry.db, entry.key, type, value, entry.expireAtMs]);
    this.chunkBytes += entry.key.length + (typeof value === 'string' ? value.length : 64) + 24;
    this.keyCount++;
    if (this.chunkBytes >= CHUNK_BYTES) this.writeChunk();
  }

  /** Write the trailer, make the file durable, move it into place. Resolves when it is the newest snapshot. */
  async finish(): Promise<string> {
    this.writeChunk();
    this.writeFrame(['end', this.keyCount, this.chunks]);
    await this.fs.fdatasync(this.fd);
    this.fs.close(this.fd);
    this.done = true;
    this.fs.rename(this.tmpPath, this.path);
    this.fs.fsyncDir(join(this.path, '..'));
    return this.path;
  }

  /** Give up: remove the partial file. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.fs.close(this.fd);
    } finally {
      this.fs.unlink(this.tmpPath);
    }
  }

  private writeChunk(): void {
    if (this.chunk.length === 0) return;
    this.writeFrame(['keys', this.chunk]);
    this.chunk = [];
    this.chunkBytes = 0;
    this.chunks++;
  }

  private writeFrame(value: unknown): void {
    const frame = encodeFrame(packValue(value));
    this.fs.write(this.fd, frame, this.position);
    this.position += frame.length;
  }
}

/** Snapshot every key of `dbs` at once (SAVE; tests). The caller has flushed and synced the log to `offset`. */
export async function writeSnapshotNow(
  fs: FileSystem,
  dataDir: string,
  offset: number,
  dbs: readonly Database[],
): Promise<string> {
  const writer = new SnapshotWriter(fs, dataDir, offset);
  try {
    for (const db of dbs) {
      for (const [key, entry] of db.entries) {
        writer.add({ db: db.index, key, value: entry.value, expireAtMs: db.expiryOf(key) ?? null });
      }
    }
  } catch (err) {
    writer.abort();
    throw err;
  }
  return writer.finish();
}

export interface SnapshotFile {
  readonly offset: number;
  readonly path: string;
}

/** Completed snapshots, newest first. */
export function listSnapshots(fs: FileSystem, dataDir: string): SnapshotFile[] {
  const dir = join(dataDir, SNAPSHOT_DIR_NAME);
  if (fs.stat(dir) === null) return [];
  const out: SnapshotFile[] = [];
  for (const name of fs.readdir(dir)) {
    const m = /^(\d{20})\.snap$/.exec(name);
    if (m !== null) out.push({ offset: Number(m[1]), path: join(dir, name) });
  }
  return out.sort((a, b) => b.offset - a.offset);
}

export interface SnapshotInfo {
  readonly offset: number;
  readonly path: string;
  readonly keyCount: number;
  readonly createdAtMs: number;
}

/**
 * Read a snapshot, calling `onEntry` for each key, or only check it when onEntry is omitted.
 * Throws RecordFormatError (with the reason) when the file is not a complete, intact snapshot.
 */
export function readSnapshot(fs: FileSystem, path: string, onEntry?: (entry: SnapshotEntry) => void): SnapshotInfo {
  const fd = fs.open(path, 'read');
  try {
    const reader = new SegmentReader(fs, fd, 0, fs.fsize(fd));
    let header: { offset: number; createdAtMs: number } | null = null;
    let keys = 0;
    let chunks = 0;
    for (;;) {
      const step = reader.next();
      if (step.kind === 'end') throw new RecordFormatError(`${path}: no trailer (written halfway?)`);
      if (step.kind === 'bad') throw new RecordFormatError(`${path}: bad frame at ${step.position}: ${step.reason}`);
      const value = unpackValue(step.payload);
      if (!Array.isArray(value)) throw new RecordFormatError(`${path}: frame at ${step.position} is not an array`);
      if (header === null) {
        if (value[0] !== MAGIC) throw new RecordFormatError(`${path}: not a Sluice snapshot`);
        if (value[1] !== VERSION) throw new RecordFormatError(`${path}: snapshot version ${value[1]} is unknown (newer Sluice?)`);
        header = { offset: Number(value[2]), createdAtMs: Number(value[3]) };
        continue;
      }
      if (value[0] === 'keys' && Array.isArray(value[1])) {
        chunks++;
        for (const row of value[1] as unknown[][]) {
          const [db, key, type, encoded, expireAtMs] = row;
          if (typeof db !== 'number' || typeof key !== 'string') throw new RecordFormatError(`${path}: bad key row`);
          const v = decodeValue(type, encoded);
          keys++;
          onEntry?.({ db, key, value: v, expireAtMs: typeof expireAtMs === 'number' ? expireAtMs : null });
        }
        continue;
      }
      if (value[0] === 'end') {
        if (value[1] !== keys || value[2] !== chunks) {
          throw new RecordFormatError(`${path}: trailer counts ${value[1]}/${value[2]} but read ${keys}/${chunks}`);
        }
        if (reader.next().kind !== 'end') throw new RecordFormatError(`${path}: bytes after the trailer`);
        return { offset: header.offset, path, keyCount: keys, createdAtMs: header.createdAtMs };
      }
      throw new RecordFormatError(`${path}: unknown frame ${JSON.stringify(value[0])}`);
    }
  } finally {
    fs.close(fd);
  }
}

export interface SnapshotLoad {
  /** The snapshot loaded, or null when there is none usable (replay the log from its start). */
  readonly loaded: SnapshotInfo | null;
  /** Snapshots passed over, newest first, with why. */
  readonly skipped: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
  /** Leftover .tmp files of interrupted writes, removed. */
  readonly removedTemporary: readonly string[];
}

/**
 * Load the newest intact snapshot: each candidate is checked in full first, so `onEntry` only ever
 * sees a whole, valid snapshot. Call with the data-dir lock held (it removes stray .tmp files).
 */
export function loadNewestSnapshot(
  fs: FileSystem,
  dataDir: string,
  onEntry: (entry: SnapshotEntry) => void,
): SnapshotLoad {
  const dir = join(dataDir, SNAPSHOT_DIR_NAME);
  const removedTemporary: string[] = [];
  if (fs.stat(dir) !== null) {
    for (const name of fs.readdir(dir)) {
      if (name.endsWith(TMP_SUFFIX)) {
        fs.unlink(join(dir, name));
        removedTemporary.push(join(dir, name));
      }
    }
  }
  const skipped: Array<{ path: string; reason: string }> = [];
  for (const candidate of listSnapshots(fs, dataDir)) {
    let info: SnapshotInfo;
    try {
      info = readSnapshot(fs, candidate.path);
    } catch (err) {
      if (!(err instanceof RecordFormatError)) throw err;
      skipped.push({ path: candidate.path, reason: err.message });
      continue;
    }
    if (info.offset !== candidate.offset) {
      skipped.push({ path: candidate.path, reason: `its header says offset ${info.offset}` });
      continue;
    }
    readSnapshot(fs, candidate.path, onEntry);
    return { loaded: info, skipped, removedTemporary };
  }
  return { loaded: null, skipped, removedTemporary };
}

/** Delete snapshots older than the newest `keep` (after a new one is in place). Returns the paths removed. */
export function pruneSnapshots(fs: FileSystem, dataDir: string, keep = 1): string[] {
  const removed: string[] = [];
  for (const old of listSnapshots(fs, dataDir).slice(keep)) {
    fs.unlink(old.path);
    removed.push(old.path);
  }
  if (removed.length > 0) fs.fsyncDir(join(dataDir, SNAPSHOT_DIR_NAME));
  return removed;
}
