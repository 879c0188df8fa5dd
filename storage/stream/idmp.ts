// Producer idempotency (Redis 8.6's XADD IDMP / IDMPAUTO, XCFGSET): per stream, for each producer
// ID (pid), the idempotent IDs (iids) it recently added and the entry each one became. A repeated
// (pid, iid) adds nothing and answers the first entry's ID.
//
// Redis forgets an iid when its entry's ID is `duration` seconds old (a cron pass, so up to one
// tick late) and, per producer, when more than `maxSize` iids are kept (oldest first). Here both
// rules are deterministic: a lookup ignores iids already old at the command's time, and recording
// an iid first drops those old at the new entry's time, so a replica or a log replay forgets
// exactly what the master forgot.

import { type StreamId } from './id';

/** Redis's defaults (stream-idmp-duration, stream-idmp-maxsize) and XCFGSET's ranges. */
export const IDMP_DEFAULT_DURATION_SEC = 100;
export const IDMP_DEFAULT_MAXSIZE = 100;
export const IDMP_DURATION_RANGE = { min: 1, max: 86400 } as const;
export const IDMP_MAXSIZE_RANGE = { min: 1, max: 10000 } as const;

export class Idmp {
  /** Seconds an iid is remembered, by its entry's ID time (XCFGSET IDMP-DURATION). */
  durationSec = IDMP_DEFAULT_DURATION_SEC;
  /** Most iids remembered per producer (XCFGSET IDMP-MAXSIZE). */
  maxSize = IDMP_DEFAULT_MAXSIZE;
  /** pid → (iid → entry ID), each map in insertion order (oldest first); no empty map is kept. */
  readonly producers = new Map<string, Map<string, StreamId>>();
  /** iids ever recorded (XINFO STREAM iids-added). */
  iidsAdded = 0;
  /** Duplicate XADDs answered (XINFO STREAM iids-duplicates). */
  iidsDuplicates = 0;

  /** The entry a (pid, iid) became, unless forgotten by `nowMs`. */
  lookup(pid: string, iid: string, nowMs: number): StreamId | undefined {
    const id = this.producers.get(pid)?.get(iid);
    return id === undefined || this.expired(id, nowMs) ? undefined : id;
  }

  /** Remember that (pid, iid) became entry `id`: old iids go first, then the producer's oldest beyond maxSize. */
  record(pid: string, iid: string, id: StreamId): void {
    this.forget(idTimeMs(id));
    let iids = this.producers.get(pid);
    if (iids === undefined) {
      iids = new Map();
      this.producers.set(pid, iids);
    }
    iids.delete(iid); // a forgotten iid used again counts as the newest
    iids.set(iid, id);
    this.iidsAdded++;
    while (iids.size > this.maxSize) iids.delete(iids.keys().next().value!);
  }

  /** Drop every iid whose entry is `durationSec` old at `nowMs` (Redis's handleExpiredIdmpEntries). */
  forget(nowMs: number): void {
    for (const [pid, iids] of this.producers) {
      for (const [iid, id] of iids) {
        if (!this.expired(id, nowMs)) break; // oldest first: the rest are younger
        iids.delete(iid);
      }
      if (iids.size === 0) this.producers.delete(pid);
    }
  }

  /**
   * XCFGSET: set what is given; a value that changes clears every producer's iids (Redis keeps
   * them when the value is the same). Returns whether anything changed.
   */
  configure(durationSec: number | null, maxSize: number | null): boolean {
    let changed = false;
    if (durationSec !== null && durationSec !== this.durationSec) {
      this.durationSec = durationSec;
      changed = true;
    }
    if (maxSize !== null && maxSize !== this.maxSize) {
      this.maxSize = maxSize;
      changed = true;
    }
    if (changed) this.producers.clear();
    return changed;
  }

  /** Producers and iids still remembered at `nowMs` (XINFO STREAM pids-tracked, iids-tracked). */
  tracked(nowMs: number): { pids: number; iids: number } {
    let pids = 0;
    let iids = 0;
    for (const map of this.producers.values()) {
      let live = 0;
      for (const id of map.values()) if (!this.expired(id, nowMs)) live++;
      if (live > 0) pids++;
      iids += live;
    }
    return { pids, iids };
  }

  /** Whether this is a fresh state (no snapshot section needed). */
  get isEmpty(): boolean {
    return (
      this.durationSec === IDMP_DEFAULT_DURATION_SEC &&
      this.maxSize === IDMP_DEFAULT_MAXSIZE &&
      this.producers.size === 0 &&
      this.iidsAdded === 0 &&
      this.iidsDuplicates === 0
    );
  }

  copy(): Idmp {
    const c = new Idmp();
    c.durationSec = this.durationSec;
    c.maxSize = this.maxSize;
    c.iidsAdded = this.iidsAdded;
    c.iidsDuplicates = this.iidsDuplicates;
    for (const [pid, iids] of this.producers) c.producers.set(pid, new Map(iids));
    return c;
  }

  private expired(id: StreamId, nowMs: number): boolean {
    return idTimeMs(id) <= nowMs - this.durationSec * 1000;
  }
}

/** An ID's time part as a number (IDs beyond 2^53 ms are far in the future: never old). */
function idTimeMs(id: StreamId): number {
  return typeof id.ms === 'number' ? id.ms : Number.MAX_SAFE_INTEGER;
}
