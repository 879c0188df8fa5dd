// Snapshots: the whole keyspace as of a log offset, so recovery replays only the log after it and
// older segments can be deleted. `<dir>/snapshots/<20-digit offset>.snap` holds the state after
// every record below that offset was applied.
//
// File format: frames exactly as in the log (storage/log/frame.ts: length, CRC-32, msgpack payload):
//   header   ['sluice-snapshot', 1, offset, createdAtMs]
//   chunk    ['keys', [[db, key, type, value, expireAtMs | null], ...]]   (about 64 KiB each; any size reads)
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
// writes to the page cache; only the final fdatasync waits for the disk, off the event loop.
// BackgroundSnapshot feeds it a slice of keys per event-loop turn (BGSAVE, BGREWRITEAOF, automatic
// snapshots) while writes go on, keeping the keyspace as of the offset through the copy-on-write
// hook of storage/keyspace.ts. `writeSnapshotBlocking` writes the whole keyspace at once (SAVE,
// which stops the world in Redis too).

import { join } from 'node:path';
import type { FileSystem } from './fs';
import type { Database, GuardedContents, KeyEntry, RedisValue } from './keyspace';
import { encodeFrame, packValue, RecordFormatError, unpackValue } from './log/frame';
import { SegmentReader } from './log/segment';
import { RedisList } from './list';
import { Stream, deserializeStream, serializeStream } from './stream';

export const SNAPSHOT_DIR_NAME = 'snapshots';
const MAGIC = 'sluice-snapshot';
const VERSION = 1;
/**
 * Bytes of keys per chunk frame. A chunk is decoded whole at load, so its rows all live until it
 * is done: 64 KiB keeps them out of most young-generation collections (loading 1M small keys cost
 * ~8% less CPU than with 256 KiB chunks; 16 KiB no better). Readers take any size.
 */
const CHUNK_BYTES = 64 * 1024;
const SUFFIX = '.snap';
const TMP_SUFFIX = '.snap.tmp';

export function snapshotFileName(offset: number): string {
  return String(offset).padStart(20, '0') + SUFFIX;
}

/** Value type tags in a snapshot; a family adding a value type adds its tag and codec here. */
type SnapshotType = 's' | 'l' | 'x';

function encodeValue(value: RedisValue): [SnapshotType, unknown] {
  if (typeof value === 'string') return ['s', value];
  if (value instanceof RedisList) return ['l', value.serialize()];
  if (value instanceof Stream) return ['x', serializeStream(value)];
  throw new Error(`snapshot: no codec for a value of type ${typeof value}`);
}

function decodeValue(type: unknown, value: unknown): RedisValue {
  if (type === 's' && typeof value === 'string') return value;
  if (type === 'l' && value instanceof Uint8Array) return RedisList.deserialize(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  if (type === 'x' && value instanceof Uint8Array) return deserializeStream(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
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
    this.chunkBytes += entry.key.length + (typeof value === 'string' ? value.length : value instanceof Uint8Array ? value.length : 64) + 24;
    this.keyCount++;
    if (this.chunkBytes >= CHUNK_BYTES) this.writeChunk();
  }

  /** Bytes written to the file so far. */
  get bytesWritten(): number {
    return this.position;
  }

  /** Write the trailer, make the file durable, move it into place. Resolves when it is the newest snapshot. */
  async finish(): Promise<string> {
    this.writeTrailer();
    try {
      await this.fs.fdatasync(this.fd);
    } catch (err) {
      this.abort();
      throw err;
    }
    return this.publish();
  }

  /** finish(), blocking the event loop for the fdatasync (SAVE, which stops the world in Redis too). */
  finishSync(): string {
    this.writeTrailer();
    try {
      this.fs.fdatasyncSync(this.fd);
    } catch (err) {
      this.abort();
      throw err;
    }
    return this.publish();
  }

  private writeTrailer(): void {
    if (this.done) throw new Error('snapshot already finished or aborted');
    try {
      this.writeChunk();
      this.writeFrame(['end', this.keyCount, this.chunks]);
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  private publish(): string {
    this.fs.close(this.fd);
    this.done = true;
    try {
      this.fs.rename(this.tmpPath, this.path);
    } catch (err) {
      try {
        this.fs.unlink(this.tmpPath);
      } catch {
        /* the rename error is the one to report */
      }
      throw err;
    }
    this.fs.fsyncDir(join(this.path, '..'));
    return this.path;
  }

  /** Give up: remove the partial file (best effort: a leftover .tmp is removed at the next load). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.fs.close(this.fd);
    } catch {
      /* already failing */
    }
    try {
      this.fs.unlink(this.tmpPath);
    } catch {
      /* already failing */
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

/** Snapshot every key of `dbs` at once (tests). The caller has flushed and synced the log to `offset`. */
export async function writeSnapshotNow(
  fs: FileSystem,
  dataDir: string,
  offset: number,
  dbs: readonly Database[],
): Promise<string> {
  return writeAllKeys(new SnapshotWriter(fs, dataDir, offset), dbs).finish();
}

/**
 * Snapshot every key of `dbs` at once, blocking the event loop until the file is durable and in
 * place (SAVE, SHUTDOWN, turning appendonly on). Returns the writer (path, keyCount, bytes).
 * The caller has synced the log to `offset`.
 */
export function writeSnapshotBlocking(
  fs: FileSystem,
  dataDir: string,
  offset: number,
  dbs: readonly Database[],
): SnapshotWriter {
  const writer = writeAllKeys(new SnapshotWriter(fs, dataDir, offset), dbs);
  writer.finishSync();
  return writer;
}

function writeAllKeys(writer: SnapshotWriter, dbs: readonly Database[]): SnapshotWriter {
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
  return writer;
}

/**
 * A snapshot written a slice at a time while the server keeps serving (BGSAVE, BGREWRITEAOF and
 * the automatic snapshots): the keyspace as it was when the snapshot began, at log offset `offset`.
 *
 * Redis forks and lets the kernel copy pages on write; here each database's contents are guarded
 * (Database.guardContents) and a key that existed at the start is written, as it was, just before
 * its first change (copy on write, per key). The walk goes through each database's table in
 * insertion order, where `seq` grows: a key with seq >= startSeq was added after the start (skip,
 * and everything after it too); one with seq <= the last seq walked was written already; one saved
 * by the hook is skipped when the walk reaches it. A table replaced by FLUSHDB or moved by SWAPDB
 * keeps its guard and is simply no longer changed. Values are immutable strings today; a family
 * whose values change in place must encode them in the hook before the change (it is called first).
 */
export class BackgroundSnapshot {
  private readonly writer: SnapshotWriter;
  /** Every key inserted from now on gets a seq at least this large. */
  private readonly startSeq: number;
  private readonly tables: Array<{
    readonly db: number;
    readonly contents: GuardedContents;
    /** Where the walk is; null once this table is done. */
    iterator: Iterator<[string, KeyEntry]> | null;
    /** seq of the last entry walked: entries with seq <= it are in the file. */
    lastSeq: number;
    /** Keys the hook wrote ahead of the walk (removed as the walk passes them). */
    readonly saved: Set<string>;
  }>;
  private tableIndex = 0;
  /** Keys in the databases when the snapshot began (INFO current_save_keys_total). */
  readonly keysTotal: number;
  /** Set when writing failed (in the hook, which must not throw, or in a step). */
  private failure: Error | null = null;
  private finished = false;

  constructor(fs: FileSystem, dataDir: string, offset: number, dbs: readonly Database[], createdAtMs: number = Date.now()) {
    this.writer = new SnapshotWriter(fs, dataDir, offset, createdAtMs);
    this.startSeq = dbs.length > 0 ? dbs[0]!.nextSeq : 0;
    let total = 0;
    this.tables = dbs.map((db) => {
      total += db.size;
      const state = {
        db: db.index,
        contents: null as unknown as GuardedContents,
        iterator: null as Iterator<[string, KeyEntry]> | null,
        lastSeq: 0,
        saved: new Set<string>(),
      };
      state.contents = db.guardContents((key, entry, expireAtMs) => this.beforeChange(state, key, entry, expireAtMs));
      state.iterator = state.contents.entries.entries();
      return state;
    });
    this.keysTotal = total;
  }

  get offset(): number {
    return this.writer.offset;
  }

  /** Keys written so far (INFO current_save_keys_processed). */
  get keysWritten(): number {
    return this.writer.keyCount;
  }

  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  /** The error that stopped the snapshot, or null. */
  get error(): Error | null {
    return this.failure;
  }

  private beforeChange(
    table: BackgroundSnapshot['tables'][number],
    key: string,
    entry: KeyEntry,
    expireAtMs: number | undefined,
  ): void {
    if (this.failure !== null || entry.seq >= this.startSeq || entry.seq <= table.lastSeq || table.saved.has(key)) return;
    table.saved.add(key);
    this.write(table.db, key, entry, expireAtMs);
  }

  private write(db: number, key: string, entry: KeyEntry, expireAtMs: number | undefined): void {
    if (this.failure !== null) return;
    try {
      this.writer.add({ db, key, value: entry.value, expireAtMs: expireAtMs ?? null });
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private fail(err: Error): void {
    if (this.failure !== null) return;
    this.failure = err;
    this.release();
    this.writer.abort();
  }

  /**
   * Walk on for about `budgetMs` milliseconds. Returns true once every key is written (then call
   * finish()). Throws the write error when the snapshot failed.
   */
  step(budgetMs: number): boolean {
    if (this.failure !== null) throw this.failure;
    const deadline = performance.now() + budgetMs;
    let n = 0;
    while (this.tableIndex < this.tables.length) {
      const table = this.tables[this.tableIndex]!;
      const iterator = table.iterator;
      if (iterator === null) {
        this.tableIndex++;
        continue;
      }
      const next = iterator.next();
      if (next.done === true || next.value[1].seq >= this.startSeq) {
        // Entries after the first new one are all new (seq grows along the Map).
        table.iterator = null;
        table.contents.release();
        this.tableIndex++;
        continue;
      }
      const [key, entry] = next.value;
      table.lastSeq = entry.seq;
      if (table.saved.size > 0 && table.saved.delete(key)) continue;
      this.write(table.db, key, entry, table.contents.expires.get(key));
      if (this.failure !== null) throw this.failure;
      if ((++n & 127) === 0 && performance.now() >= deadline) return false;
    }
    return true;
  }

  /** Trailer, fdatasync, rename: the snapshot exists once this resolves. The walk must be complete. */
  async finish(): Promise<string> {
    if (this.failure !== null) throw this.failure;
    if (this.tableIndex < this.tables.length) throw new Error('snapshot walk not complete');
    this.finished = true;
    this.release();
    return this.writer.finish();
  }

  /** Give up (shutdown, SAVE taking over, an error elsewhere): stop guarding, remove the partial file. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.release();
    this.writer.abort();
  }

  private release(): void {
    for (const table of this.tables) {
      table.iterator = null;
      table.contents.release();
    }
    this.tableIndex = this.tables.length;
  }
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
      // msgpackr, not fast-decode.ts: a chunk holds thousands of strings, which msgpackr's native
      // string extraction reads faster than JS builds them (measured).
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

/** msgpack's encoding of a chunk frame's start: a 2-element array, then the string "keys". */
const KEYS_FRAME_PREFIX = Buffer.from([0x92, 0xa4, 0x6b, 0x65, 0x79, 0x73]);

/**
 * The cheap check of a snapshot file: every frame's checksum, the header, a trailer whose chunk
 * count matches the chunks present, nothing after it. Chunks are recognised by their first bytes,
 * not decoded; readSnapshot decodes them (and checks the key count) while loading.
 */
export function verifySnapshotFrames(fs: FileSystem, path: string): SnapshotInfo {
  const fd = fs.open(path, 'read');
  try {
    const reader = new SegmentReader(fs, fd, 0, fs.fsize(fd));
    let header: { offset: number; createdAtMs: number } | null = null;
    let chunks = 0;
    for (;;) {
      const step = reader.next();
      if (step.kind === 'end') throw new RecordFormatError(`${path}: no trailer (written halfway?)`);
      if (step.kind === 'bad') throw new RecordFormatError(`${path}: bad frame at ${step.position}: ${step.reason}`);
      const payload = step.payload;
      if (header !== null && payload.length >= KEYS_FRAME_PREFIX.length && KEYS_FRAME_PREFIX.equals(payload.subarray(0, KEYS_FRAME_PREFIX.length))) {
        chunks++;
        continue;
      }
      const value = unpackValue(payload);
      if (!Array.isArray(value)) throw new RecordFormatError(`${path}: frame at ${step.position} is not an array`);
      if (header === null) {
        if (value[0] !== MAGIC) throw new RecordFormatError(`${path}: not a Sluice snapshot`);
        if (value[1] !== VERSION) throw new RecordFormatError(`${path}: snapshot version ${value[1]} is unknown (newer Sluice?)`);
        header = { offset: Number(value[2]), createdAtMs: Number(value[3]) };
        continue;
      }
      if (value[0] === 'keys') {
        chunks++;
        continue;
      }
      if (value[0] === 'end') {
        if (value[2] !== chunks) throw new RecordFormatError(`${path}: trailer says ${value[2]} chunks but found ${chunks}`);
        if (reader.next().kind !== 'end') throw new RecordFormatError(`${path}: bytes after the trailer`);
        return { offset: header.offset, path, keyCount: Number(value[1]), createdAtMs: header.createdAtMs };
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
 * Load the newest intact snapshot. Without `onReset`, each candidate is decoded in full first, so
 * `onEntry` only ever sees a whole, valid snapshot. With it (the server: a restart decodes 1M keys
 * once, not twice), each candidate's frames are checked first (checksums, header, trailer: what
 * damage and half-written files fail), then it is loaded in one pass; should its content still
 * prove unreadable, `onReset` undoes what was handed over and the next candidate is tried.
 * Call with the data-dir lock held (it removes stray .tmp files).
 */
export function loadNewestSnapshot(
  fs: FileSystem,
  dataDir: string,
  onEntry: (entry: SnapshotEntry) => void,
  options: {
    readonly onReset?: () => void;
    /** Called with the snapshot about to be loaded (its key count from the trailer), before its first entry. */
    readonly onStart?: (info: SnapshotInfo) => void;
  } = {},
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
  const onReset = options.onReset;
  for (const candidate of listSnapshots(fs, dataDir)) {
    let info: SnapshotInfo;
    try {
      info = onReset !== undefined ? verifySnapshotFrames(fs, candidate.path) : readSnapshot(fs, candidate.path);
    } catch (err) {
      if (!(err instanceof RecordFormatError)) throw err;
      skipped.push({ path: candidate.path, reason: err.message });
      continue;
    }
    if (info.offset !== candidate.offset) {
      skipped.push({ path: candidate.path, reason: `its header says offset ${info.offset}` });
      continue;
    }
    options.onStart?.(info);
    try {
      info = readSnapshot(fs, candidate.path, onEntry);
    } catch (err) {
      if (!(err instanceof RecordFormatError) || onReset === undefined) throw err;
      onReset();
      skipped.push({ path: candidate.path, reason: err.message });
      continue;
    }
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
