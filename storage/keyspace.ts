// The keyspace: numbered databases of keys, each holding a typed value and optionally an expiry.
// Keys are binary-safe: a key's bytes are held as a latin1 JS string (one char per byte), which
// makes a compact, hashable Map key. Only storage/apply.ts changes a Database.

/** A Redis string: its bytes as a latin1 JS string. */
export type StringValue = string;

/** Every value type the keyspace can hold; later families add their classes here. */
export type RedisValue = StringValue;

/** The name TYPE reports for a value. */
export function typeName(value: RedisValue): string {
  if (typeof value === 'string') return 'string';
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
}

export class Database {
  /** Key → entry. Insertion order has no meaning to clients. */
  readonly entries = new Map<string, KeyEntry>();
  /** Key → absolute expiry in unix ms; every key here is also in `entries`. */
  readonly expires = new Map<string, number>();

  constructor(readonly index: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The expiry of a key in unix ms, or undefined when it has none. */
  expiryOf(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  /** Whether a key exists but its time has passed (it is then as good as gone). */
  isExpired(key: string, nowMs: number): boolean {
    const at = this.expiryOf(key);
    return at !== undefined && at <= nowMs;
  }
}

/** A bounded-time scan cursor for Redis's SCAN over a JS Map (see commands/keyspace/scan.ts). */
export interface ScanPage {
  keys: string[];
  cursor: number;
}
