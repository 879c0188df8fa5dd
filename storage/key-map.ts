// The key table of a database: a hash map from keys (latin1 strings) to entries, with the
// behaviour of a JS Map that the keyspace relies on (insertion order, iterators that stay valid
// while keys are added and removed), built for large tables.
//
// Why not a Map: with 100k keys and more, a V8 Map lookup is dominated by cache and TLB misses
// (measured in-process: GET costs ~600 ns/command on 100 keys and ~1,570 ns on 100k, nearly all
// of it in Map.get), and inserting 1M keys took ~0.9 s, half of a restart. Here a probe reads one
// Int32Array slot holding the entry's hash and index side by side, so a miss on another key's slot
// costs no pointer chase; entries live in dense arrays in insertion order.
//
// Layout: `slots` is open addressing with linear probing, two int32 per slot: [hash, index + 1]
// (index + 1 so that 0 means an empty slot; TOMBSTONE marks a removed one, which probes pass over).
// `keys[i]`/`values[i]` hold the i-th inserted entry, or undefined once it is removed. A removal
// leaves a hole in the dense arrays; when holes outnumber live entries the arrays are compacted.
//
// Iterators survive compaction: each holds the generation it was made in and its position; a
// compaction closes the generation with a table mapping old positions to new ones, which an
// iterator follows on its next step. A generation nobody iterates over is garbage.

/** A slot's index word for a removed entry: probes continue past it, inserts may reuse it. */
const TOMBSTONE = -1;
const MIN_SLOTS = 16;
/** reserve() makes room for at most this many keys ahead of them. */
const MAX_RESERVE = 1 << 24;

/** Per-process seed: keys an attacker chooses cannot be aimed at one probe sequence offline. */
const SEED = (Math.random() * 0x100000000) | 0;

/** A 32-bit hash of a latin1 string: FNV-1a steps with a murmur3 finalizer, seeded. */
export function hashKey(key: string): number {
  let h = SEED ^ 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One layout of the dense arrays; `remap` is set when a compaction ends it. */
class Generation {
  /** remap[p]: the position in the next generation of the first live entry at or after p. */
  remap: Int32Array | null = null;
  next: Generation | null = null;
}

export class KeyMap<V> implements ReadonlyMap<string, V> {
  /** [hash, index + 1] pairs; 0 in the index word = empty, TOMBSTONE = removed. */
  private slots = new Int32Array(MIN_SLOTS * 2);
  private mask = MIN_SLOTS - 1;
  /** Slots whose index word is not 0 (live entries and tombstones): bounds probe lengths. */
  private usedSlots = 0;
  private keyList: Array<string | undefined> = [];
  private valueList: Array<V | undefined> = [];
  private live = 0;
  private generation = new Generation();

  get size(): number {
    return this.live;
  }

  get [Symbol.toStringTag](): string {
    return 'KeyMap';
  }

  get(key: string): V | undefined {
    const index = this.find(key, hashKey(key));
    return index < 0 ? undefined : this.valueList[index];
  }

  has(key: string): boolean {
    return this.find(key, hashKey(key)) >= 0;
  }

  /** Store a value: in place for a present key (its position stays), else at the end of the order. */
  set(key: string, value: V): this {
    const hash = hashKey(key);
    const slots = this.slots;
    const mask = this.mask;
    let at = hash & mask;
    let reusable = -1;
    for (;;) {
      const word = slots[at * 2 + 1]!;
      if (word === 0) break;
      if (word === TOMBSTONE) {
        if (reusable < 0) reusable = at;
      } else if (slots[at * 2] === hash && this.keyList[word - 1] === key) {
        this.valueList[word - 1] = value;
        return this;
      }
      at = (at + 1) & mask;
    }
    const index = this.keyList.length;
    this.keyList.push(key);
    this.valueList.push(value);
    this.live++;
    if (reusable >= 0) {
      at = reusable;
    } else {
      this.usedSlots++;
    }
    slots[at * 2] = hash;
    slots[at * 2 + 1] = index + 1;
    // Keep probes short: at most half the slots in use (tombstones included).
    if (this.usedSlots * 2 > this.mask + 1) this.rehash(this.live * 2 > this.mask + 1 ? (this.mask + 1) * 2 : this.mask + 1);
    return this;
  }

  delete(key: string): boolean {
    const hash = hashKey(key);
    const slots = this.slots;
    const mask = this.mask;
    let at = hash & mask;
    for (;;) {
      const word = slots[at * 2 + 1]!;
      if (word === 0) return false;
      if (word !== TOMBSTONE && slots[at * 2] === hash && this.keyList[word - 1] === key) {
        slots[at * 2 + 1] = TOMBSTONE;
        this.keyList[word - 1] = undefined;
        this.valueList[word - 1] = undefined;
        this.live--;
        this.maybeCompact();
        return true;
      }
      at = (at + 1) & mask;
    }
  }

  /**
   * Make room for `count` keys in all, so that inserting up to that many rehashes nothing (a
   * snapshot being loaded knows how many keys it holds). See fit() to give back what was not used.
   */
  reserve(count: number): void {
    if (!(count > 0)) return;
    // A bound, whatever a damaged count claims: past it the table grows as it fills.
    count = Math.min(count, MAX_RESERVE);
    let slots = this.mask + 1;
    while (count * 2 > slots) slots *= 2;
    if (slots > this.mask + 1) this.rehash(slots);
  }

  /** Shrink slots that reserve() made far larger than the keys present need. */
  fit(): void {
    let slots = MIN_SLOTS;
    while (slots < this.live * 2) slots *= 2;
    // Growth by set() leaves between 2 and 4 slots per key: only shrink beyond that.
    if (this.mask + 1 > slots * 2) this.rehash(slots * 2);
  }

  /**
   * A key drawn uniformly at random (RANDOMKEY), or undefined when empty: a random position of the
   * dense arrays, drawn again when it is a hole. Holes are at most as many as live entries plus a
   * few (see maybeCompact), so a draw takes about two tries; a table that is nearly all holes
   * falls back to a walk.
   */
  randomKey(random: () => number = Math.random): string | undefined {
    if (this.live === 0) return undefined;
    const keys = this.keyList;
    for (let tries = 0; tries < 64; tries++) {
      const key = keys[Math.floor(random() * keys.length)];
      if (key !== undefined) return key;
    }
    let nth = Math.floor(random() * this.live);
    for (const key of keys) {
      if (key !== undefined && nth-- === 0) return key;
    }
    return undefined;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, V]> {
    return this.iterate((key, value) => [key, value] as [string, V]);
  }

  keys(): MapIterator<string> {
    return this.iterate((key) => key);
  }

  values(): MapIterator<V> {
    return this.iterate((_key, value) => value);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  // ---- internals

  /** The dense index of a key, or -1. */
  private find(key: string, hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let at = hash & mask;
    for (;;) {
      const word = slots[at * 2 + 1]!;
      if (word === 0) return -1;
      if (word !== TOMBSTONE && slots[at * 2] === hash && this.keyList[word - 1] === key) return word - 1;
      at = (at + 1) & mask;
    }
  }

  /** Rebuild the slots for `count` slots (a power of two), dropping tombstones. */
  private rehash(count: number): void {
    const slots = new Int32Array(count * 2);
    const mask = count - 1;
    const old = this.slots;
    for (let s = 0; s < old.length; s += 2) {
      const word = old[s + 1]!;
      if (word === 0 || word === TOMBSTONE) continue;
      const hash = old[s]!;
      let at = hash & mask;
      while (slots[at * 2 + 1] !== 0) at = (at + 1) & mask;
      slots[at * 2] = hash;
      slots[at * 2 + 1] = word;
    }
    this.slots = slots;
    this.mask = mask;
    this.usedSlots = this.live;
  }

  /** Close the holes of the dense arrays once they outnumber the live entries (and are many). */
  private maybeCompact(): void {
    const length = this.keyList.length;
    const holes = length - this.live;
    if (holes < 64 || holes <= this.live) return;
    const remap = new Int32Array(length + 1);
    const keys: Array<string | undefined> = [];
    const values: Array<V | undefined> = [];
    for (let p = 0; p < length; p++) {
      remap[p] = keys.length;
      const key = this.keyList[p];
      if (key === undefined) continue;
      keys.push(key);
      values.push(this.valueList[p]);
    }
    remap[length] = keys.length;
    this.keyList = keys;
    this.valueList = values;
    const closed = this.generation;
    closed.remap = remap;
    closed.next = new Generation();
    this.generation = closed.next;
    // Slots hold dense indexes: rebuild them, shrinking when the table emptied a lot.
    let count = MIN_SLOTS;
    while (count < this.live * 2) count *= 2;
    this.rehash(Math.min(count, this.mask + 1));
    const slots = this.slots;
    for (let s = 1; s < slots.length; s += 2) if (slots[s]! > 0) slots[s] = remap[slots[s]! - 1]! + 1;
  }

  /**
   * A live iterator, as a Map's: it sees entries added after it was made (in order) and skips
   * those removed before it reaches them.
   */
  private iterate<T>(pick: (key: string, value: V) => T): MapIterator<T> {
    let generation = this.generation;
    let position = 0;
    const next = (): IteratorResult<T, undefined> => {
      while (generation.next !== null) {
        position = generation.remap![position]!;
        generation = generation.next;
      }
      const keys = this.keyList;
      while (position < keys.length) {
        const key = keys[position];
        const value = this.valueList[position];
        position++;
        if (key !== undefined) return { done: false, value: pick(key, value as V) };
      }
      return { done: true, value: undefined };
    };
    const iterator = {
      next,
      [Symbol.iterator]() {
        return iterator;
      },
    };
    return iterator as unknown as MapIterator<T>;
  }
}
