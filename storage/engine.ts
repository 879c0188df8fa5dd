// The storage engine: the databases, the one path that changes them (commit → apply), and the
// reads that respect expiry. It knows nothing of sockets or RESP; the server listens to commits
// to log them, count them and wake whoever waits on a key.

import { apply, type ApplyTarget } from './apply';
import type { Effect } from './effects';
import { isSharedInteger } from './encoding';
import { Database, Sequence, type KeyEntry } from './keyspace';
import { LFU_DEFAULTS, lfuAccess, lfuInit, type LfuTuning } from './lfu';

export type CommitListener = (effect: Effect) => void;

export interface EngineOptions {
  databases: number;
}

/** Access data of one shared integer object (see sharedAccess). */
export interface SharedAccess {
  accessSec: number;
  lfu: number;
}

export class Engine implements ApplyTarget {
  readonly dbs: Database[];
  private readonly listeners: CommitListener[] = [];
  private readonly beforeListeners: CommitListener[] = [];
  /**
   * When false (a replica), an expired key reads as missing but is not deleted here: the master's
   * own deletion arrives through replication, as in Redis.
   */
  deleteExpiredOnAccess = true;
  /** Keys removed by expiry since start (INFO expired_keys). */
  expiredKeys = 0;
  /**
   * Whether reads update the LFU counters (an LFU maxmemory-policy is set). Redis keeps either LRU
   * or LFU data per key depending on the policy; counting on every read otherwise costs a random
   * draw per access for an answer nobody can ask for (OBJECT FREQ refuses without an LFU policy).
   */
  trackLfu = false;
  /** lfu-log-factor and lfu-decay-time, kept up to date by the server's config. */
  readonly lfuTuning: LfuTuning = { ...LFU_DEFAULTS };
  /**
   * Redis shares one object per integer 0..9999 among all keys holding it, so reading any of them
   * refreshes the access time OBJECT IDLETIME reports for all. Keyed by the integer's text; an
   * integer never read since start counts from the start, as Redis's objects made at start-up do.
   */
  private readonly sharedAccess = new Map<string, SharedAccess>();
  private readonly startedSec = Math.floor(Date.now() / 1000);

  constructor(options: EngineOptions) {
    const sequence = new Sequence();
    this.dbs = Array.from({ length: options.databases }, (_, i) => new Database(i, sequence));
  }

  /**
   * The clock new entries are stamped with (access time, LFU minutes), in unix ms. The server sets
   * it to each command's start time and refreshes it a few times a second, as Redis's cached LRU
   * clock; it is not read from the system per write, which also keeps log replay free of clock
   * reads (replayed keys count as accessed at load time, as in Redis).
   */
  clockMs = Date.now();

  lruClockSec(): number {
    return Math.floor(this.clockMs / 1000);
  }

  lfuInit(): number {
    return lfuInit(this.clockMs);
  }

  /** Be told of every effect after it is applied (the log, replication, watchers, stats). */
  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /**
   * Be told of every effect just before it is applied, while the keys it replaces are still there
   * (FLUSHALL must know which watched keys existed).
   */
  onBeforeCommit(listener: CommitListener): void {
    this.beforeListeners.push(listener);
  }

  /** Apply a write and tell the listeners: the only way the keyspace changes at run time. */
  commit(effect: Effect): void {
    for (const listener of this.beforeListeners) listener(effect);
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
   * deleted on the spot (lazy expiry) through a logged 'del' effect. A key is expired once the
   * time is past its expiry (Redis's `now > when`).
   */
  lookup(dbIndex: number, key: string, nowMs: number): KeyEntry | undefined {
    const entry = this.dbs[dbIndex]!.entries.get(key);
    if (entry === undefined || this.expireIfDue(dbIndex, key, nowMs)) return undefined;
    return entry;
  }

  /**
   * Lazy expiry alone: whether the key's expiry has passed, deleting it then (unless a replica)
   * without fetching its entry. A write that replaces the value whatever it was (plain SET) needs
   * only this, and a database with no expiries answers without touching the key table at all.
   */
  expireIfDue(dbIndex: number, key: string, nowMs: number): boolean {
    const expires = this.dbs[dbIndex]!.expires;
    if (expires.size === 0) return false;
    const at = expires.get(key);
    if (at === undefined || at >= nowMs) return false;
    if (this.deleteExpiredOnAccess) this.commit({ op: 'del', db: dbIndex, keys: [key], expired: true });
    return true;
  }

  /** Like lookup, and marks the key as just accessed (for OBJECT IDLETIME and FREQ). */
  touch(dbIndex: number, key: string, nowMs: number): KeyEntry | undefined {
    const entry = this.lookup(dbIndex, key, nowMs);
    if (entry !== undefined) this.noteAccess(entry, nowMs);
    return entry;
  }

  /** Record an access to an entry: its LRU time and LFU counter (or its shared integer's). */
  noteAccess(entry: KeyEntry, nowMs: number): void {
    const sec = Math.floor(nowMs / 1000);
    entry.accessSec = sec;
    if (this.trackLfu) entry.lfu = lfuAccess(entry.lfu, nowMs, this.lfuTuning);
    if (isSharedInteger(entry.value, entry.raw || entry.plain)) {
      const shared = this.sharedAccessOf(entry.value);
      shared.accessSec = sec;
      if (this.trackLfu) shared.lfu = lfuAccess(shared.lfu, nowMs, this.lfuTuning);
    }
  }

  /** Access data of the shared object for an integer 0..9999 (see sharedAccess). */
  sharedAccessOf(integer: string): SharedAccess {
    let shared = this.sharedAccess.get(integer);
    if (shared === undefined) {
      // Made at start-up, with the LFU counter a new object gets.
      shared = { accessSec: this.startedSec, lfu: lfuInit(this.startedSec * 1000) };
      this.sharedAccess.set(integer, shared);
    }
    return shared;
  }

  /**
   * A random live key (RANDOMKEY), or undefined when the database is empty. Expired keys drawn are
   * deleted and another is drawn. A replica cannot delete them, so when every key is volatile it
   * gives up after 100 draws and returns an expired one, as Redis does, rather than spin forever.
   */
  randomKey(dbIndex: number, nowMs: number): string | undefined {
    const db = this.dbs[dbIndex]!;
    const allVolatile = db.size === db.expires.size;
    let tries = 100;
    for (;;) {
      const key = db.randomKey();
      if (key === undefined || !db.isExpired(key, nowMs)) return key;
      if (this.deleteExpiredOnAccess) {
        this.commit({ op: 'del', db: dbIndex, keys: [key], expired: true });
      } else if (allVolatile && --tries === 0) {
        return key;
      }
    }
  }

  /** Number of keys (expired ones not yet removed included, as Redis's DBSIZE does). */
  keyCount(dbIndex: number): number {
    return this.dbs[dbIndex]!.size;
  }
}
