// SCAN over a database, with Redis's guarantee: a key present from the first call to the last is
// returned at least once (duplicates allowed), every call does bounded work, and a full iteration
// ends even while keys keep being added or deleted.
//
// How: a database's key table (storage/key-map.ts) iterates in insertion order, as a JS Map does,
// and its iterators are live (they survive deletions and compactions and see keys appended later).
// Every key gets an increasing insertion number (KeyEntry.seq) when it enters the table, so along
// the table's order seq only grows. A cursor is the seq of the next entry to
// visit. The live iterator behind a cursor is kept in a small per-database cache; on a miss (evicted,
// another process, a restart) the position is found again by walking from the start to the first
// entry whose seq is >= the cursor, which is exact because of that ordering: nothing is skipped, only
// that one call costs O(position). An iteration stops at the first entry inserted after it began
// (seq >= endSeq), so it ends however fast keys are added or replaced.

import type { Database, KeyEntry } from './keyspace';

/** Open iterations kept per database; beyond it the least recently used one is dropped. */
const OPEN_SCANS_MAX = 256;
/** An iteration left untouched this long is dropped (its iterator can pin a rehashed table's memory). */
const OPEN_SCAN_IDLE_MS = 5 * 60 * 1000;

/** One page of a SCAN: candidate keys (MATCH applied, expiry and TYPE not) and the next cursor (0 = done). */
export interface ScanPage {
  keys: string[];
  cursor: number;
}

interface OpenScan {
  /** A live iterator over the database's entries, just past `pending`. */
  iterator: Iterator<[string, KeyEntry]>;
  /** Entries with seq >= endSeq were inserted after the iteration began: reaching one ends it. */
  endSeq: number;
  /** The entry the cursor points at, read ahead to learn whether anything was left. */
  pending: [string, KeyEntry] | null;
  /** Its seq when it was read ahead (an entry re-inserted since has a new one and is met again later). */
  pendingSeq: number;
  lastUsedMs: number;
}

/** The open iterations of one database's contents, by the cursor handed out for them. */
export class ScanCache {
  /** Cursor → iterations waiting at it (two scans can meet at the same key); oldest cursor first. */
  private readonly open = new Map<number, OpenScan[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The iteration waiting at `cursor`, removed from the cache; the widest one when several wait there. */
  take(cursor: number): OpenScan | undefined {
    const waiting = this.open.get(cursor);
    if (waiting === undefined) return undefined;
    let best = 0;
    // Any of them may continue any scan at this position; the one with the largest end bound covers
    // every key the others would, so no scan loses a key it is owed.
    for (let i = 1; i < waiting.length; i++) if (waiting[i]!.endSeq > waiting[best]!.endSeq) best = i;
    const [scan] = waiting.splice(best, 1);
    if (waiting.length === 0) this.open.delete(cursor);
    this.count--;
    return scan;
  }

  put(cursor: number, scan: OpenScan, nowMs: number): void {
    scan.lastUsedMs = nowMs;
    const waiting = this.open.get(cursor) ?? [];
    // Re-inserting moves the cursor to the young end of the Map, so the oldest is always first.
    this.open.delete(cursor);
    waiting.push(scan);
    this.open.set(cursor, waiting);
    this.count++;
    this.evict(nowMs);
  }

  private evict(nowMs: number): void {
    for (const [cursor, waiting] of this.open) {
      const oldest = waiting[0]!;
      if (this.count <= OPEN_SCANS_MAX && nowMs - oldest.lastUsedMs < OPEN_SCAN_IDLE_MS) return;
      waiting.shift();
      if (waiting.length === 0) this.open.delete(cursor);
      this.count--;
    }
  }
}

/**
 * One SCAN call: visit up to `count` entries from `cursor` (0 starts a new iteration), returning
 * the keys that pass `match` (all when null). Expired keys are included: the caller filters them,
 * as Redis does after sampling.
 */
export function scanKeys(
  db: Database,
  cursor: number,
  count: number,
  match: ((key: string) => boolean) | null,
  nowMs: number,
): ScanPage {
  const scan = (cursor === 0 ? undefined : db.scans.take(cursor)) ?? openAt(db, cursor, nowMs);
  const keys: string[] = [];
  for (let visited = 0; visited < count; visited++) {
    const next = advance(db, scan);
    if (next === null) return { keys, cursor: 0 };
    if (match === null || match(next[0])) keys.push(next[0]);
  }
  // Read one ahead so that an iteration which is over ends now, with cursor 0, as Redis's usually does.
  const ahead = advance(db, scan);
  if (ahead === null) return { keys, cursor: 0 };
  scan.pending = ahead;
  scan.pendingSeq = ahead[1].seq;
  db.scans.put(scan.pendingSeq, scan, nowMs);
  return { keys, cursor: scan.pendingSeq };
}

/** A new iteration positioned at the first entry whose seq is >= cursor (the start for cursor 0). */
function openAt(db: Database, cursor: number, nowMs: number): OpenScan {
  const iterator = db.entries.entries();
  const scan: OpenScan = { iterator, endSeq: db.nextSeq, pending: null, pendingSeq: 0, lastUsedMs: nowMs };
  if (cursor <= 0) return scan;
  if (cursor >= scan.endSeq) {
    // No entry can be at or after this position: the iteration is over.
    scan.endSeq = 0;
    return scan;
  }
  for (;;) {
    const next = iterator.next();
    if (next.done === true) return scan;
    if (next.value[1].seq >= cursor) {
      scan.pending = next.value;
      scan.pendingSeq = next.value[1].seq;
      return scan;
    }
  }
}

/** The next entry of an iteration that is still in the database, or null when the iteration is over. */
function advance(db: Database, scan: OpenScan): [string, KeyEntry] | null {
  const pending = scan.pending;
  if (pending !== null) {
    scan.pending = null;
    // Still the same entry at the same place? (Deleted, or re-inserted further on, otherwise.)
    if (db.entries.get(pending[0]) === pending[1] && pending[1].seq === scan.pendingSeq) return pending;
  }
  const next = scan.iterator.next();
  if (next.done === true || next.value[1].seq >= scan.endSeq) return null;
  return next.value;
}
