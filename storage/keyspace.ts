// The keyspace: numbered databases of keys, each holding a typed value and optionally an expiry.
// Keys are binary-safe: a key's bytes are held as a latin1 JS string (one char per byte), which
// makes a compact, hashable Map key. Only storage/apply.ts changes a Database, through the methods
// marked "apply only" below, so the invariants SCAN and RANDOMKEY rely on hold in one place.

import { RedisList } from './list';
import { Stream } from './stream/stream';
import { KeyMap } from './key-map';
import { ScanCache } from './scan';

/** A Redis string: its bytes as a latin1 JS string. */
export type StringValue = string;

/** Every value type the keyspace can hold; later families add their classes here. */
export type RedisValue = StringValue | RedisList | Stream;

/** The name TYPE reports for a value (and SCAN's TYPE option matches). */
export function typeName(value: RedisValue): string {
  if (typeof value === 'string') return 'string';
  if (value instanceof RedisList) return 'list';
  if (value instanceof Stream) return 'stream';
  return 'none';
}

/** One key's slot. */
export interface KeyEntry {
  /** The value; its JS type identifies the Redis type. */
  value: RedisValue;
  /** Last access, in LRU clock seconds (unix seconds); OBJECT IDLETIME reads it. */
  accessSec: number;
  /** Set when the value was built in place (APPEND, SETRANGE): Redis reports such strings as "raw". */
  raw: boolean;
  /**
   * Set when Redis would hold the string as made, never as an integer (INCRBYFLOAT's result):
   * "embstr" or "raw" by length even when it reads as a number.
   */
  plain: boolean;
  /**
   * Redis's LFU word: (minutes since epoch mod 2^16) << 8 | logarithmic counter (0..255). Kept on every
   * access whatever the policy, so OBJECT FREQ can answer as soon as an LFU policy is chosen.
   */
  lfu: number;
  /**
   * Insertion sequence number, unique in the engine. Assigned when the key enters its database's
   * table and never changed while it stays there, so along the table's order it only grows.
   */
  seq: number;
}

/**
 * Called just before a key of a guarded table changes: its value is replaced, its expiry set or
 * cleared, or it is removed. `expireAtMs` is its expiry before the change. A background snapshot
 * (storage/snapshot.ts) uses it to save the key as it was when the snapshot began (copy on write).
 * It must not change the keyspace, and must not throw.
 */
export type BeforeChange = (key: string, entry: KeyEntry, expireAtMs: number | undefined) => void;

/**
 * The contents a database held when guardContents was called, kept as they were at that moment
 * for whoever holds the guard: changes made through the database call the hook first, and a table
 * FLUSHDB or SWAPDB moves away from is no longer changed at all (the guard stays with the table).
 */
export interface GuardedContents {
  /** Key → entry, in insertion order (seq grows along it). Keys added later have seq >= the seq at the start. */
  readonly entries: ReadonlyMap<string, KeyEntry>;
  /** Key → absolute expiry in unix ms. */
  readonly expires: ReadonlyMap<string, number>;
  /** Stop calling the hook. */
  release(): void;
}

/** Hands out insertion sequence numbers; one per engine so numbers never repeat across databases. */
export class Sequence {
  /** The next number to hand out; starts at 1 so a SCAN cursor built from it is never 0. */
  private next = 1;

  take(): number {
    return this.next++;
  }

  /** The number the next inserted key will get (keys inserted from now on have seq >= this). */
  peek(): number {
    return this.next;
  }
}

/**
 * The contents of one database. SWAPDB exchanges tables between databases and FLUSHDB replaces
 * one, so whatever belongs to the contents (open SCAN iterators, the active-expiry position) lives
 * here and follows them.
 */
class KeyTable {
  /** Key → entry, in insertion order; `seq` grows along this order (see KeyEntry.seq). */
  readonly entries = new KeyMap<KeyEntry>();
  /** Key → absolute expiry in unix ms; every key here is also in `entries`. */
  readonly expires = new Map<string, number>();
  /** SCAN cursors handed out over this table and the live iterators behind them. */
  readonly scans = new ScanCache();
  /** Where active expiry stopped in `expires` (a live Map iterator), or null to start over. */
  expireCursor: Iterator<[string, number]> | null = null;
  /** The copy-on-write hook of a background snapshot that holds this table, or null (see BeforeChange). */
  beforeChange: BeforeChange | null = null;
}

export class Database {
  private table = new KeyTable();

  constructor(
    readonly index: number,
    private readonly sequence: Sequence = new Sequence(),
  ) {}

  // ---- reads

  /** Key → entry, expired keys included (check `isExpired` or go through Engine.lookup). */
  get entries(): ReadonlyMap<string, KeyEntry> {
    return this.table.entries;
  }

  /** Key → absolute expiry in unix ms. */
  get expires(): ReadonlyMap<string, number> {
    return this.table.expires;
  }

  /** Number of keys, expired ones not yet removed included (as DBSIZE counts them). */
  get size(): number {
    return this.table.entries.size;
  }

  /** The open SCAN iterators of the current contents. */
  get scans(): ScanCache {
    return this.table.scans;
  }

  /** The seq the next inserted key will get: keys present now all have a smaller one. */
  get nextSeq(): number {
    return this.sequence.peek();
  }

  /** The expiry of a key in unix ms, or undefined when it has none. */
  expiryOf(key: string): number | undefined {
    return this.table.expires.size === 0 ? undefined : this.table.expires.get(key);
  }

  /** Whether a key has an expiry that has passed: Redis's keyIsExpired (`now > when`). */
  isExpired(key: string, nowMs: number): boolean {
    const at = this.expiryOf(key);
    return at !== undefined && at < nowMs;
  }

  /** A key drawn uniformly at random, expired or not; undefined when the database is empty. */
  randomKey(): string | undefined {
    return this.table.entries.randomKey();
  }

  /**
   * Up to `limit` [key, atMs] pairs of the expiry table, continuing where the previous call stopped
   * and wrapping round at the end (each pair at most once per call). Active expiry walks with it.
   */
  nextExpiring(limit: number): Array<[string, number]> {
    const table = this.table;
    const out: Array<[string, number]> = [];
    if (table.expires.size === 0) return out;
    const total = table.expires.size;
    let iterator = table.expireCursor ?? table.expires.entries();
    let wrapped = false;
    while (out.length < limit && out.length < total) {
      const next = iterator.next();
      if (next.done === true) {
        if (wrapped) break;
        wrapped = true;
        iterator = table.expires.entries();
        continue;
      }
      out.push(next.value);
    }
    table.expireCursor = iterator;
    return out;
  }

  /**
   * Guard the current contents for a background snapshot: `hook` is called before any change to
   * them, until released. One guard per table at a time.
   */
  guardContents(hook: BeforeChange): GuardedContents {
    const table = this.table;
    if (table.beforeChange !== null) throw new Error(`db ${this.index}: its contents are already guarded`);
    table.beforeChange = hook;
    return {
      entries: table.entries,
      expires: table.expires,
      release() {
        if (table.beforeChange === hook) table.beforeChange = null;
      },
    };
  }

  /** Make room for `count` keys in all without rehashing the key table (loading a snapshot). */
  reserveKeys(count: number): void {
    this.table.entries.reserve(count);
  }

  /** Give back key-table room reserved beyond the keys present. */
  fitKeys(): void {
    this.table.entries.fit();
  }

  // ---- changes (apply only)

  /**
   * Store a value under a key. An existing key keeps its entry (and so its place in the table, its
   * seq) and its LFU counter (Redis's dbSetValue keeps the old lru word); its access
   * time becomes `accessSec`, as the write's own lookup would have set it. A new key gets a fresh
   * entry at the end of the table. The expiry is not touched.
   */
  put(key: string, value: RedisValue, raw: boolean, plain: boolean, accessSec: number, lfu: number): KeyEntry {
    const table = this.table;
    const existing = table.entries.get(key);
    if (existing !== undefined) {
      if (table.beforeChange !== null) table.beforeChange(key, existing, table.expires.get(key));
      existing.value = value;
      existing.raw = raw;
      existing.plain = plain;
      existing.accessSec = accessSec;
      return existing;
    }
    const entry: KeyEntry = { value, accessSec, raw, plain, lfu, seq: 0 };
    this.insert(key, entry);
    return entry;
  }

  /**
   * Call just before changing a key's value in place (a list or stream grown or trimmed where it
   * lies, not replaced through put): a background snapshot then saves the value as it was first.
   * Replacing, removing and expiring keys through the methods here need no such call.
   */
  beforeValueChange(key: string): void {
    const table = this.table;
    if (table.beforeChange === null) return;
    const entry = table.entries.get(key);
    if (entry !== undefined) table.beforeChange(key, entry, table.expires.get(key));
  }

  /** Give an entry taken from elsewhere (RENAME, MOVE) a key here, replacing whatever was there. */
  attach(key: string, entry: KeyEntry): void {
    this.remove(key);
    this.insert(key, entry);
  }

  /** Remove a key and its expiry; returns its entry, or undefined when it was not there. */
  remove(key: string): KeyEntry | undefined {
    const table = this.table;
    const entry = table.entries.get(key);
    if (entry === undefined) return undefined;
    if (table.beforeChange !== null) table.beforeChange(key, entry, table.expires.get(key));
    table.entries.delete(key);
    if (table.expires.size !== 0) table.expires.delete(key);
    return entry;
  }

  setExpiry(key: string, atMs: number): void {
    const table = this.table;
    if (table.beforeChange !== null) {
      const entry = table.entries.get(key);
      if (entry !== undefined) table.beforeChange(key, entry, table.expires.get(key));
    }
    table.expires.set(key, atMs);
  }

  clearExpiry(key: string): void {
    const table = this.table;
    if (table.expires.size === 0) return;
    if (table.beforeChange !== null) {
      const at = table.expires.get(key);
      if (at === undefined) return;
      table.beforeChange(key, table.entries.get(key)!, at);
    }
    table.expires.delete(key);
  }

  /**
   * Empty the database: a fresh table, the old one left to the garbage collector (FLUSHDB ASYNC's
   * spirit) or to the background snapshot guarding it, which finds it unchanged.
   */
  clear(): void {
    this.table = new KeyTable();
  }

  /** Exchange contents with another database (SWAPDB). */
  swapWith(other: Database): void {
    const mine = this.table;
    this.table = other.table;
    other.table = mine;
  }

  private insert(key: string, entry: KeyEntry): void {
    const table = this.table;
    entry.seq = this.sequence.take();
    table.entries.set(key, entry);
  }
}
