// The storage engine: the databases, the one path that changes them (commit → apply), and the
// reads that respect expiry. It knows nothing of sockets or RESP; the server listens to commits
// to log them, count them and wake whoever waits on a key.

import { apply, type ApplyTarget } from './apply';
import type { Effect } from './effects';
import { Database, type KeyEntry } from './keyspace';

export type CommitListener = (effect: Effect) => void;

export interface EngineOptions {
  databases: number;
}

export class Engine implements ApplyTarget {
  readonly dbs: Database[];
  private readonly listeners: CommitListener[] = [];
  /**
   * When false (a replica), an expired key reads as missing but is not deleted here: the master's
   * own deletion arrives through replication, as in Redis.
   */
  deleteExpiredOnAccess = true;
  /** Keys removed by expiry since start (INFO expired_keys). */
  expiredKeys = 0;

  constructor(options: EngineOptions) {
    this.dbs = Array.from({ length: options.databases }, (_, i) => new Database(i));
  }

  lruClockSec(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Be told of every effect after it is applied (the log, replication, watchers, stats). */
  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** Apply a write and tell the listeners: the only way the keyspace changes at run time. */
  commit(effect: Effect): void {
    apply(this, effect);
    if (effect.op === 'del' && effect.expired === true) this.expiredKeys += effect.keys.length;
    for (const listener of this.listeners) listener(effect);
  }

  /** Apply an effect read back from the log or received from a master, telling no one. */
  replay(effect: Effect): void {
    apply(this, effect);
  }

  /**
   * The live entry of a key, or undefined when it is missing or expired. An expired key is
   * deleted on the spot (lazy expiry) through a logged 'del' effect.
   */
  lookup(dbIndex: number, key: string, nowMs: number): KeyEntry | undefined {
    const db = this.dbs[dbIndex]!;
    const entry = db.entries.get(key);
    if (entry === undefined) return undefined;
    if (db.expires.size !== 0) {
      const at = db.expires.get(key);
      if (at !== undefined && at <= nowMs) {
        if (this.deleteExpiredOnAccess) this.commit({ op: 'del', db: dbIndex, keys: [key], expired: true });
        return undefined;
      }
    }
    return entry;
  }

  /** Like lookup, and marks the key as just accessed (for OBJECT IDLETIME). */
  touch(dbIndex: number, key: string, nowMs: number): KeyEntry | undefined {
    const entry = this.lookup(dbIndex, key, nowMs);
    if (entry !== undefined) entry.accessSec = Math.floor(nowMs / 1000);
    return entry;
  }

  /** Number of keys (expired ones not yet removed included, as Redis's DBSIZE does). */
  keyCount(dbIndex: number): number {
    return this.dbs[dbIndex]!.size;
  }
}
