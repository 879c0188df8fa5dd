// ACL LOG: the latest denials, newest first, with Redis's grouping (the same denial within a
// minute bumps the count of the entry instead of adding one) and acllog-max-len as its bound.

import type { AclLogEntry } from '../../commands/types';

/** Denials within this many ms of an entry's last update are counted in it (Redis's grouping). */
const GROUPING_MAX_DELTA_MS = 60_000;
/** Redis looks this far back for an entry to group with. */
const GROUPING_SCAN = 10;

interface StoredEntry {
  count: number;
  readonly reason: AclLogEntry['reason'];
  readonly context: AclLogEntry['context'];
  readonly object: string;
  readonly username: string;
  clientInfo: string;
  readonly entryId: number;
  readonly createdMs: number;
  updatedMs: number;
}

export class AclLog {
  /** Newest first. */
  private entries: StoredEntry[] = [];
  /** Next entry-id; ids stay unique across ACL LOG RESET, as in Redis. */
  private nextId = 0;

  constructor(private readonly maxLen: () => number) {}

  add(entry: Omit<StoredEntry, 'count' | 'entryId' | 'createdMs' | 'updatedMs'>, nowMs: number): void {
    const scanned = this.entries.slice(0, GROUPING_SCAN);
    const match = scanned.find(
      (e) =>
        e.reason === entry.reason &&
        e.context === entry.context &&
        Math.abs(e.updatedMs - nowMs) <= GROUPING_MAX_DELTA_MS &&
        e.object === entry.object &&
        e.username === entry.username,
    );
    if (match !== undefined) {
      this.entries.splice(this.entries.indexOf(match), 1);
      this.entries.unshift(match);
      match.clientInfo = entry.clientInfo;
      match.updatedMs = nowMs;
      match.count++;
      return;
    }
    this.entries.unshift({ ...entry, count: 1, entryId: this.nextId++, createdMs: nowMs, updatedMs: nowMs });
    this.trim();
  }

  /** Drop the oldest entries past acllog-max-len (also when the directive shrinks). */
  trim(): void {
    const max = this.maxLen();
    if (this.entries.length > max) this.entries.length = max;
  }

  latest(count: number, nowMs: number): AclLogEntry[] {
    return this.entries.slice(0, count).map((e) => ({
      count: e.count,
      reason: e.reason,
      context: e.context,
      object: e.object,
      username: e.username,
      // The command's cached clock may trail the wall clock that stamped the entry by a moment.
      ageSeconds: Math.max(0, nowMs - e.updatedMs) / 1000,
      clientInfo: e.clientInfo,
      entryId: e.entryId,
      timestampCreated: e.createdMs,
      timestampLastUpdated: e.updatedMs,
    }));
  }

  reset(): void {
    this.entries = [];
  }
}
