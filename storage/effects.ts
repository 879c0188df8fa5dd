// Effects: the deterministic description of a write. Handlers compute them (with times and random
// choices already made concrete); storage/apply.ts is the only code that turns them into changes.
// The durable log records effects and replicas apply them, so every field here is plain data that
// msgpackr can encode, and an effect means the same thing whenever and wherever it is applied.
//
// Keys and values are latin1 strings holding the exact bytes (see storage/keyspace.ts).

import type { StreamChange } from './stream/effects';

export type Effect =
  /**
   * Store a string. expireAtMs: absolute expiry; null clears any expiry; 'keep' keeps the current one.
   * plain: the string is held as made, never as an integer (INCRBYFLOAT's result; OBJECT ENCODING).
   */
  | {
      readonly op: 'set';
      readonly db: number;
      readonly key: string;
      readonly value: string;
      readonly expireAtMs: number | null | 'keep';
      readonly plain?: boolean;
    }
  /** Append bytes to a string (creating it when missing). */
  | { readonly op: 'append'; readonly db: number; readonly key: string; readonly bytes: string }
  /** Overwrite part of a string at an offset, zero-padding when it is shorter (creating it when missing). */
  | { readonly op: 'setrange'; readonly db: number; readonly key: string; readonly offset: number; readonly bytes: string }
  /** Remove keys; `expired` marks removals done by expiry (counted as expired_keys). */
  | { readonly op: 'del'; readonly db: number; readonly keys: readonly string[]; readonly expired?: boolean }
  /** Set an absolute expiry on an existing key. */
  | { readonly op: 'expire'; readonly db: number; readonly key: string; readonly atMs: number }
  /** Remove the expiry of a key. */
  | { readonly op: 'persist'; readonly db: number; readonly key: string }
  /** Move a key to a new name in the same db, replacing any value there; the expiry moves with it. */
  | { readonly op: 'rename'; readonly db: number; readonly from: string; readonly to: string }
  /** Copy a key's value (and expiry) to another key, possibly in another db, replacing any value there. */
  | { readonly op: 'copy'; readonly db: number; readonly from: string; readonly toDb: number; readonly to: string }
  /** Move a key to another db (the destination must not have it). */
  | { readonly op: 'move'; readonly db: number; readonly key: string; readonly toDb: number }
  /** Empty one database. */
  | { readonly op: 'flushdb'; readonly db: number }
  /** Empty every database. */
  | { readonly op: 'flushall' }
  /** Exchange the contents of two databases. */
  | { readonly op: 'swapdb'; readonly db: number; readonly other: number }
  // ---- lists. `fill` is list-max-listpack-size when the write was made (replay gives the same nodes).
  /** Push elements one by one at the head (lpush) or tail (rpush), creating the list when missing. */
  | { readonly op: 'lpush' | 'rpush'; readonly db: number; readonly key: string; readonly elements: readonly string[]; readonly fill: number }
  /** Pop `count` elements from the head (lpop) or tail (rpop); the key is deleted when the list empties. */
  | { readonly op: 'lpop' | 'rpop'; readonly db: number; readonly key: string; readonly count: number; readonly fill: number }
  /** Replace the element at an index (which exists). */
  | { readonly op: 'lset'; readonly db: number; readonly key: string; readonly index: number; readonly element: string; readonly fill: number }
  /** Insert an element before or after the first occurrence of pivot. */
  | {
      readonly op: 'linsert';
      readonly db: number;
      readonly key: string;
      readonly where: 'before' | 'after';
      readonly pivot: string;
      readonly element: string;
      readonly fill: number;
    }
  /** Remove up to |count| occurrences of element (count < 0: from the tail; 0: all); deletes an emptied list. */
  | { readonly op: 'lrem'; readonly db: number; readonly key: string; readonly count: number; readonly element: string; readonly fill: number }
  /** Keep only the range start..stop (Redis's index rules); deletes an emptied list. */
  | { readonly op: 'ltrim'; readonly db: number; readonly key: string; readonly start: number; readonly stop: number; readonly fill: number }
  /** Move one element from one end of `from` to one end of `to` (created when missing); deletes an emptied source. */
  | {
      readonly op: 'lmove';
      readonly db: number;
      readonly from: string;
      readonly to: string;
      readonly whereFrom: 'left' | 'right';
      readonly whereTo: 'left' | 'right';
      readonly fill: number;
    }
  /**
   * LMOVEM/BLMOVEM: pop `count` elements (the caller checked there are that many) from one end of
   * `from`, then push them at one end of `to` (created when missing; may be `from`): one by one in
   * pop order, or (bulk) as a block keeping their order in `from`. Deletes an emptied source.
   */
  | {
      readonly op: 'lmovem';
      readonly db: number;
      readonly from: string;
      readonly to: string;
      readonly whereFrom: 'left' | 'right';
      readonly whereTo: 'left' | 'right';
      readonly count: number;
      readonly bulk: boolean;
      readonly fill: number;
    }
  /** Store a whole list as RedisList.serialize() wrote it (snapshot loading), with its expiry or null. */
  | { readonly op: 'lrestore'; readonly db: number; readonly key: string; readonly bytes: Buffer; readonly expireAtMs: number | null }
  // ---- streams
  /**
   * A change to the stream at a key (storage/stream/effects.ts says what each one does). The
   * stream is created for changes that need it (createsStream: XADD, XGROUP CREATE MKSTREAM); a
   * change to a missing key or a non-stream does nothing.
   */
  | { readonly op: 'stream'; readonly db: number; readonly key: string; readonly change: StreamChange }
  /** Store a whole stream as serializeStream() wrote it (snapshot loading), with its expiry or null. */
  | { readonly op: 'xrestore'; readonly db: number; readonly key: string; readonly bytes: Buffer; readonly expireAtMs: number | null };

export type EffectOp = Effect['op'];
