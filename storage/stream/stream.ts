// A Redis stream in memory: entries in packed blocks (block.ts) indexed by their first ID, Redis's
// counters (length, last ID, recorded first ID, max deleted ID, entries added), and the consumer
// groups (group.ts). The behaviour follows Redis's t_stream.c rule for rule — where blocks end,
// what a trim removes, how XDEL keeps the first ID, how entries-read and lag are estimated — so that
// everything a client can observe matches Redis 7.x.
//
// Blocks are held in an array in ID order (`blocks[head..]`); the front of the array is consumed by
// advancing `head` (trims remove blocks from the front), so removing the first block is O(1)
// amortized, finding a block is a binary search, and a range page costs O(log n + block + count).

import { Idmp } from './idmp';
import {
  type Counter,
  type StreamId,
  type U64,
  MAX_ID,
  MIN_ID,
  canon,
  compareIds,
  compareParts,
  counterInc,
  counterSub,
  formatParts,
  isZeroId,
  toBig,
  u64AsInt64,
  u64Inc,
} from './id';
import { type Bytes, Block, BlockWalker, FLAG_DELETED, ResumePoint, entryPositions, latin1Slice } from './block';
import { ConsumerGroup, ENTRIES_READ_INVALID } from './group';

/** Redis's stream-node-max-bytes and stream-node-max-entries (0 means no limit on that axis). */
export interface NodeLimits {
  readonly nodeMaxBytes: number;
  readonly nodeMaxEntries: number;
}

export const DEFAULT_NODE_LIMITS: NodeLimits = Object.freeze({ nodeMaxBytes: 4096, nodeMaxEntries: 100 });

/** A trim request (XTRIM, or XADD's MAXLEN/MINID). limit 0 means unlimited. */
export type TrimSpec =
  | { readonly strategy: 'maxlen'; readonly maxLen: number; readonly approx: boolean; readonly limit: number }
  | { readonly strategy: 'minid'; readonly minId: StreamId; readonly approx: boolean; readonly limit: number };

export interface TrimResult {
  /** Entries removed (XTRIM's reply). */
  readonly removed: number;
  /**
   * An exact, unlimited trim that does the same thing when replayed on the state before this one:
   * record it in the effect (Redis propagates `~` trims the same way, rewritten to `=`).
   */
  readonly replay: TrimSpec;
}

/** Read access to the entry an iterator stands on. Valid until the iterator moves or the stream changes. */
export interface EntryCursor {
  readonly ms: U64;
  readonly seq: U64;
  readonly fieldCount: number;
  /** The buffer holding the field names and values (positions below index into it). */
  readonly buf: Buffer;
  fieldStart(i: number): number;
  fieldEnd(i: number): number;
  valueStart(i: number): number;
  valueEnd(i: number): number;
  /** Field name i as a latin1 string. */
  field(i: number): string;
  /** Value i as a latin1 string. */
  value(i: number): string;
  /** The entry's ID (allocates). */
  id(): StreamId;
  /** "<ms>-<seq>" (allocates). */
  idText(): string;
  /** [name0, value0, name1, value1, ...] as latin1 strings (allocates). */
  pairs(): string[];
}

/** Errors XSETID reports about the stream (checkSetId), in Redis's words. */
export const ERR_XSETID_SMALLER_THAN_MAX_DELETED_ARG =
  'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id';
export const ERR_XSETID_SMALLER_THAN_MAX_DELETED = 'ERR The ID specified in XSETID is smaller than current max_deleted_entry_id';
export const ERR_XSETID_SMALLER_THAN_TOP = 'ERR The ID specified in XSETID is smaller than the target stream top item';
export const ERR_XSETID_ENTRIES_ADDED_SMALLER =
  'ERR The entries_added specified in XSETID is smaller than the target stream length';

export class Stream {
  /** Blocks in ID order; those before `head` are gone (undefined). */
  private blocks: Array<Block | undefined> = [];
  /** Index of the first block still in the stream. */
  private head = 0;
  /** Live entries (XLEN). */
  private len = 0;
  /** The largest ID ever given to an entry or set by XSETID (last-generated-id). */
  private last: StreamId = MIN_ID;
  /** Redis's first_id: the first live entry's ID, 0-0 when empty (recorded-first-entry-id). */
  private first: StreamId = MIN_ID;
  /** The largest ID ever deleted by XDEL (or set by XSETID MAXDELETEDID); 0-0 if none. */
  private maxDeleted: StreamId = MIN_ID;
  /** Entries ever added (XADD count, or set by XSETID ENTRIESADDED). */
  private added: U64 = 0;
  /** Consumer groups by name, or null until the first one is created. Listed in byte order of the name. */
  private groupMap: Map<string, ConsumerGroup> | null = null;
  /** Producer idempotency (XADD IDMP/IDMPAUTO, XCFGSET), or null while never used: defaults then. */
  idmpState: Idmp | null = null;
  /**
   * lastValidId's answer, kept while entries are only appended; undefined once one is removed
   * (XDEL, trims), until the next lookup. Consumer-group reads ask for it on every call.
   */
  private lastLive: StreamId | null | undefined = null;
  /**
   * @internal Where the latest forward read stopped (after its last entry) and where it began
   * (before its first): the next read of a consumer group goes on from the first, and the reply
   * of a read, which walks the same entries again, from the second.
   */
  readonly resumeAfter = new ResumePoint();
  readonly resumeBefore = new ResumePoint();

  /** The idempotency state, created on first use. */
  idmp(): Idmp {
    if (this.idmpState === null) this.idmpState = new Idmp();
    return this.idmpState;
  }

  // ---- counters

  get length(): number {
    return this.len;
  }

  get lastId(): StreamId {
    return this.last;
  }

  get firstId(): StreamId {
    return this.first;
  }

  get maxDeletedEntryId(): StreamId {
    return this.maxDeleted;
  }

  get entriesAdded(): U64 {
    return this.added;
  }

  /** Number of blocks: XINFO STREAM's radix-tree-keys (one block per Redis listpack node). */
  get blockCount(): number {
    return this.blocks.length - this.head;
  }

  // ---- appending

  /**
   * Append an entry; `fields` is [name0, value0, name1, value1, ...] (at least one pair). The ID must
   * be greater than lastId: the caller chose it with nextEntryId. `limits` decide where a new block
   * starts, as stream-node-max-bytes/-entries decide where Redis starts a new listpack node.
   */
  append(id: StreamId, fields: readonly Bytes[], limits: NodeLimits = DEFAULT_NODE_LIMITS): void {
    if (compareIds(id, this.last) <= 0) throw new Error(`stream append: ${formatParts(id.ms, id.seq)} is not after the last ID`);
    if (fields.length === 0 || (fields.length & 1) !== 0) throw new Error('stream append: fields must be name/value pairs');
    let tail = this.blocks.length > this.head ? this.blocks[this.blocks.length - 1]! : null;
    if (tail !== null) {
      let total = 0;
      for (let i = 0; i < fields.length; i++) total += fields[i]!.length;
      if (tail.full(total, limits.nodeMaxBytes, limits.nodeMaxEntries)) {
        tail.seal();
        tail = null;
      }
    }
    if (tail === null) {
      // Room for a node's worth of entries like this one (blocks grow by doubling past it).
      const block = Block.create(id.ms, id.seq, fields, limits.nodeMaxEntries === 0 ? 100 : Math.min(limits.nodeMaxEntries, 1000));
      // Blocks stay ordered by first ID, as Redis's rax keeps its nodes: a new block goes last, except
      // after XSETID moved the last ID below a trimmed block's first ID (Redis then files the new
      // node before it, and keeps appending to the node with the greatest key).
      const at = this.blockIndexFor(id.ms, id.seq) + 1;
      if (at >= this.blocks.length) {
        this.blocks.push(block);
        this.lastLive = id;
      } else {
        this.blocks.splice(Math.max(at, this.head), 0, block);
        this.lastLive = undefined;
      }
    } else {
      // Only an entry above the tail block's last one is what a reverse walk finds first; one stored
      // with its whole ID after XSETID (see FLAG_ABSOLUTE_ID) is not, as in Redis.
      this.lastLive = compareParts(id.ms, id.seq, tail.lastMs, tail.lastSeq) > 0 ? id : undefined;
      tail.append(id.ms, id.seq, fields);
    }
    this.len++;
    this.added = u64Inc(this.added) ?? 0;
    this.last = id;
    if (this.len === 1) this.first = id;
  }

  // ---- reading

  /**
   * An iterator over live entries with start <= ID <= end, ascending (or descending when `reverse`).
   * Call next() until it returns false; the iterator is the cursor. The stream must not change while
   * it is in use.
   */
  iterate(start: StreamId, end: StreamId, reverse = false): StreamIterator {
    return new StreamIterator(this, start, end, reverse, true);
  }

  /**
   * Visit live entries in [start, end], at most `count` of them (0: no limit), ascending or
   * descending; `visit` may return false to stop. Returns how many were visited.
   */
  range(start: StreamId, end: StreamId, count: number, reverse: boolean, visit: (entry: EntryCursor) => boolean | void): number {
    const it = new StreamIterator(this, start, end, reverse, true);
    let n = 0;
    while (it.next()) {
      n++;
      if (visit(it) === false || n === count) break;
    }
    return n;
  }

  /** The live entry with this ID, as a cursor, or null (deleted or never there). */
  entry(id: StreamId): EntryCursor | null {
    const it = new StreamIterator(this, id, id, false, true);
    return it.next() ? it : null;
  }

  /** Whether a live entry has this ID (streamEntryExists). */
  has(id: StreamId): boolean {
    return new StreamIterator(this, id, id, false, false).next();
  }

  /** The last live entry's ID (streamLastValidID), or null when the stream is empty. */
  lastValidId(): StreamId | null {
    if (this.lastLive === undefined) {
      const it = new StreamIterator(this, MIN_ID, MAX_ID, true, false);
      this.lastLive = it.next() ? it.id() : null;
    }
    return this.lastLive;
  }

  /** The first live entry's ID, or null when empty. */
  firstValidId(): StreamId | null {
    const it = new StreamIterator(this, MIN_ID, MAX_ID, false, false);
    return it.next() ? it.id() : null;
  }

  // ---- deleting

  /**
   * XDEL: tombstone each live entry whose ID is listed (duplicates count once), dropping a block
   * when its last live entry goes; keeps max-deleted-entry-id and the recorded first ID as Redis
   * does. Returns how many entries were deleted.
   */
  delete(ids: readonly StreamId[]): number {
    let deleted = 0;
    let firstEntry = false;
    for (const id of ids) {
      if (!this.deleteOne(id)) continue;
      if (compareIds(id, this.first) === 0) firstEntry = true;
      if (compareIds(id, this.maxDeleted) > 0) this.maxDeleted = id;
      deleted++;
    }
    if (deleted > 0) {
      if (this.len === 0) this.first = MIN_ID;
      else if (firstEntry) this.first = this.firstValidId()!;
    }
    return deleted;
  }

  private deleteOne(id: StreamId): boolean {
    const it = new StreamIterator(this, id, id, false, false);
    if (!it.next()) return false;
    this.lastLive = undefined;
    const bi = it.blockIndex;
    const block = this.blocks[bi]!;
    if (block.live === 1) {
      this.removeBlock(bi);
    } else {
      block.buf[it.entryAt] = block.buf[it.entryAt]! | FLAG_DELETED;
      block.live--;
      block.deleted++;
    }
    this.len--;
    return true;
  }

  private removeBlock(bi: number): void {
    const blocks = this.blocks;
    if (bi === this.head) {
      blocks[bi] = undefined;
      this.head++;
      if (this.head === blocks.length) {
        this.blocks = [];
        this.head = 0;
      } else if (this.head >= 64 && this.head * 2 >= blocks.length) {
        this.blocks = blocks.slice(this.head);
        this.head = 0;
      }
    } else {
      blocks.splice(bi, 1);
    }
  }

  // ---- trimming

  /**
   * What trimming would do, without doing it: the entries it would remove and the exact trim to
   * record (apply then calls trim() with that replay). Redis's streamTrim, rule for rule: whole
   * blocks from the front while the rule allows; then, unless approximate, entries inside the
   * first remaining block. `limit` (0: none) stops before a block whose live entries would take
   * the count past it.
   */
  planTrim(spec: TrimSpec): TrimResult {
    return this.trimWalk(spec, false, undefined);
  }

  /**
   * Trim (see planTrim). Emptied blocks are removed; the first remaining block keeps its
   * tombstones and stays even when emptied, as Redis's node does. `onRemoved`, when given, hears
   * every removed entry's ID in order (8.2's DELREF needs them; it costs a walk of each block
   * removed whole).
   */
  trim(spec: TrimSpec, onRemoved?: (ms: U64, seq: U64) => void): TrimResult {
    return this.trimWalk(spec, true, onRemoved);
  }

  private trimWalk(spec: TrimSpec, mutate: boolean, onRemoved: ((ms: U64, seq: U64) => void) | undefined): TrimResult {
    const maxLen = spec.strategy === 'maxlen' ? spec.maxLen : 0;
    const minId = spec.strategy === 'minid' ? spec.minId : MIN_ID;
    const byLength = spec.strategy === 'maxlen';
    const limit = spec.limit;
    let removed = 0;
    let len = this.len;
    let bi = this.head;
    while (bi < this.blocks.length) {
      if (byLength && len <= maxLen) break;
      const block = this.blocks[bi]!;
      const entries = block.live;
      if (limit !== 0 && removed + entries > limit) break;
      const removeWhole = byLength ? len - entries >= maxLen : compareParts(block.lastMs, block.lastSeq, minId.ms, minId.seq) < 0;
      if (removeWhole) {
        if (onRemoved !== undefined) {
          const w = new BlockWalker();
          w.start(block);
          while (w.next()) if ((w.flags & FLAG_DELETED) === 0) onRemoved(w.ms, w.seq);
        }
        if (mutate) {
          this.removeBlock(bi);
          bi = this.head;
        } else {
          bi++;
        }
        len -= entries;
        removed += entries;
        continue;
      }
      if (spec.approx) break;
      // Tombstone entries from the front of this block until the rule is met.
      const walker = new BlockWalker();
      walker.start(block);
      let fromBlock = 0;
      while (walker.next()) {
        const stop = byLength ? len <= maxLen : compareParts(walker.ms, walker.seq, minId.ms, minId.seq) >= 0;
        if (stop) break;
        if ((walker.flags & FLAG_DELETED) === 0) {
          if (onRemoved !== undefined) onRemoved(walker.ms, walker.seq);
          if (mutate) block.buf[walker.at] = walker.flags | FLAG_DELETED;
          fromBlock++;
          len--;
        }
      }
      if (mutate) {
        block.live -= fromBlock;
        block.deleted += fromBlock;
      }
      removed += fromBlock;
      break;
    }
    // The first block left: `bi` when planning (nothing was removed), head when trimming.
    const firstLeft = mutate ? this.head : bi;
    const replay = this.replayOf(spec, len, firstLeft < this.blocks.length ? this.blocks[firstLeft]! : null);
    if (mutate) {
      if (removed > 0) this.lastLive = undefined;
      this.len = len;
      if (len === 0) this.first = MIN_ID;
      else if (removed > 0) this.first = this.firstValidId()!;
    }
    return { removed, replay };
  }

  private replayOf(spec: TrimSpec, lengthAfter: number, firstBlockAfter: Block | null): TrimSpec {
    if (!spec.approx) return spec.limit === 0 ? spec : { ...spec, limit: 0 };
    if (spec.strategy === 'maxlen') return { strategy: 'maxlen', maxLen: lengthAfter, approx: false, limit: 0 };
    // Redis rewrites MINID to the first entry of the first node, tombstones included (or the maximum
    // ID when nothing is left), so the replay stops exactly where this trim stopped.
    const minId = firstBlockAfter === null ? MAX_ID : { ms: firstBlockAfter.firstMs, seq: firstBlockAfter.firstSeq };
    return { strategy: 'minid', minId, approx: false, limit: 0 };
  }

  // ---- XSETID

  /**
   * The error XSETID reports for this stream, or null when the change is allowed (the checks made
   * after the key lookup, in Redis's order). `entriesAdded` is -1 when not given.
   * `checkMaxDeleted`: refuse an ID below max-deleted-entry-id, as Redis 7.4 does (found in its
   * source); Redis 7.0.15 accepts it (checked against the real server). Which one 7.2 follows is
   * not established here: the command layer chooses.
   */
  checkSetId(id: StreamId, entriesAdded: Counter, checkMaxDeleted = true): string | null {
    if (checkMaxDeleted && compareIds(id, this.maxDeleted) < 0) return ERR_XSETID_SMALLER_THAN_MAX_DELETED;
    if (this.len > 0) {
      const top = this.lastValidId()!;
      if (compareIds(id, top) < 0) return ERR_XSETID_SMALLER_THAN_TOP;
      if (entriesAdded !== -1 && this.len > entriesAdded) return ERR_XSETID_ENTRIES_ADDED_SMALLER;
    }
    return null;
  }

  /**
   * XSETID's change: last ID, and entries-added / max-deleted-entry-id when given (entriesAdded -1
   * and maxDeletedId null or 0-0 mean "not given", as in Redis).
   */
  setId(id: StreamId, entriesAdded: Counter = -1, maxDeletedId: StreamId | null = null): void {
    this.last = id;
    if (entriesAdded !== -1) this.added = typeof entriesAdded === 'bigint' ? canon(BigInt.asUintN(64, entriesAdded)) : entriesAdded;
    if (maxDeletedId !== null && !isZeroId(maxDeletedId)) this.maxDeleted = maxDeletedId;
  }

  // ---- consumer groups

  /** The group, or undefined. */
  group(name: string): ConsumerGroup | undefined {
    return this.groupMap === null ? undefined : this.groupMap.get(name);
  }

  get groupCount(): number {
    return this.groupMap === null ? 0 : this.groupMap.size;
  }

  /** A new group (streamCreateCG), or null when the name is taken. entriesRead -1: unknown. */
  createGroup(name: string, lastId: StreamId, entriesRead: Counter = ENTRIES_READ_INVALID): ConsumerGroup | null {
    if (this.groupMap === null) this.groupMap = new Map();
    if (this.groupMap.has(name)) return null;
    const group = new ConsumerGroup(name, lastId, entriesRead);
    this.groupMap.set(name, group);
    return group;
  }

  /** Remove a group; false when absent. */
  destroyGroup(name: string): boolean {
    return this.groupMap !== null && this.groupMap.delete(name);
  }

  /** Groups in Redis's order (byte order of their names). */
  groupsInOrder(): ConsumerGroup[] {
    if (this.groupMap === null) return [];
    return [...this.groupMap.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Whether any group has this ID pending (8.2's KEEPREF/DELREF/ACKED decisions). */
  referenced(id: StreamId): boolean {
    if (this.groupMap === null) return false;
    for (const g of this.groupMap.values()) if (g.pel.has(id.ms, id.seq)) return true;
    return false;
  }

  /**
   * Whether every group has read this ID and none has it pending (8.2's ACKED: the entry may go).
   * True when there are no groups.
   */
  ackedByAllGroups(id: StreamId): boolean {
    if (this.groupMap === null) return true;
    for (const g of this.groupMap.values()) {
      if (compareIds(id, g.lastId) > 0 || g.pel.has(id.ms, id.seq)) return false;
    }
    return true;
  }

  /** Drop this ID from every group's PEL (8.2's DELREF); returns how many PELs held it. */
  dropReferences(id: StreamId): number {
    if (this.groupMap === null) return 0;
    let n = 0;
    for (const g of this.groupMap.values()) if (g.remove(id) !== undefined) n++;
    return n;
  }

  // ---- entries-read and lag (Redis 7.0-7.2 rules; see the note at the end of this file)

  /** streamRangeHasTombstones: whether a deleted entry may lie in [start, end] (null: open end). */
  rangeHasTombstones(start: StreamId | null, end: StreamId | null): boolean {
    if (this.len === 0 || isZeroId(this.maxDeleted)) return false;
    if (compareIds(this.first, this.maxDeleted) > 0) return false;
    const s = start ?? MIN_ID;
    const e = end ?? MAX_ID;
    return compareIds(s, this.maxDeleted) <= 0 && compareIds(this.maxDeleted, e) <= 0;
  }

  /**
   * streamEstimateDistanceFromFirstEverEntry: the logical read counter of `id` (how many entries
   * were added up to it), or ENTRIES_READ_INVALID (-1) when it cannot be known.
   */
  estimateEntriesRead(id: StreamId): Counter {
    const added = this.added;
    if (added === 0) return 0;
    if (this.len === 0 && compareIds(id, this.last) < 1) return u64AsInt64(added);
    const cmpLast = compareIds(id, this.last);
    if (cmpLast === 0) return u64AsInt64(added);
    if (cmpLast > 0) return ENTRIES_READ_INVALID;
    const cmpIdFirst = compareIds(id, this.first);
    const cmpXdelFirst = compareIds(this.maxDeleted, this.first);
    if (isZeroId(this.maxDeleted) || cmpXdelFirst < 0) {
      const beforeFirst = u64AsInt64(u64Sub64(added, this.len));
      if (cmpIdFirst < 0) return beforeFirst;
      if (cmpIdFirst === 0) return counterInc(beforeFirst);
    }
    return ENTRIES_READ_INVALID;
  }

  /** The group's lag (XINFO GROUPS), or null when Redis reports it as nil. */
  groupLag(group: ConsumerGroup): Counter | null {
    const added = u64AsInt64(this.added);
    if (added === 0) return 0;
    if (group.entriesRead !== ENTRIES_READ_INVALID && !this.rangeHasTombstones(group.lastId, null)) {
      return counterSub(added, group.entriesRead);
    }
    const read = this.estimateEntriesRead(group.lastId);
    return read === ENTRIES_READ_INVALID ? null : counterSub(added, read);
  }

  /**
   * What delivering `id` through `>` does to a group's counters (streamReplyWithRange), as a pure
   * function: when id is past the last delivered ID, entries-read is incremented if it is valid and
   * no tombstone lies ahead, else re-estimated, and the last delivered ID becomes id. Null when id
   * is not past lastId (nothing changes). Apply once per delivered entry, in order; the handler uses
   * it to compute the counters it records in the effect.
   */
  groupCountersAfter(lastId: StreamId, entriesRead: Counter, id: StreamId): { lastId: StreamId; entriesRead: Counter } | null {
    if (compareIds(id, lastId) <= 0) return null;
    let read = entriesRead;
    if (read !== ENTRIES_READ_INVALID && !this.rangeHasTombstones(id, null)) read = counterInc(read);
    else if (this.added !== 0) read = this.estimateEntriesRead(id);
    return { lastId: id, entriesRead: read };
  }

  /** groupCountersAfter applied to the group itself. Returns whether the group changed. */
  advanceGroup(group: ConsumerGroup, id: StreamId): boolean {
    const next = this.groupCountersAfter(group.lastId, group.entriesRead, id);
    if (next === null) return false;
    group.lastId = next.lastId;
    group.entriesRead = next.entriesRead;
    return true;
  }

  // ---- internals shared with the iterator, codec and copy

  /** @internal */
  blockAt(i: number): Block | undefined {
    return this.blocks[i];
  }

  /** @internal index of the first live block */
  get headIndex(): number {
    return this.head;
  }

  /** @internal one past the last block */
  get endIndex(): number {
    return this.blocks.length;
  }

  /** @internal the index of the last block whose first ID is <= (ms, seq), or head - 1. */
  blockIndexFor(ms: U64, seq: U64): number {
    let lo = this.head;
    let hi = this.blocks.length - 1;
    let found = this.head - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid]!;
      if (compareParts(b.firstMs, b.firstSeq, ms, seq) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** @internal rebuild from parts (codec, copy): blocks in order and the counters. */
  static restore(
    blocks: Block[],
    length: number,
    lastId: StreamId,
    firstId: StreamId,
    maxDeletedId: StreamId,
    entriesAdded: U64,
    groups: ConsumerGroup[],
    idmp: Idmp | null = null,
  ): Stream {
    const s = new Stream();
    s.idmpState = idmp;
    s.blocks = blocks;
    s.len = length;
    s.last = lastId;
    s.first = firstId;
    s.maxDeleted = maxDeletedId;
    s.added = entriesAdded;
    s.lastLive = undefined;
    if (groups.length > 0) {
      s.groupMap = new Map();
      for (const g of groups) s.groupMap.set(g.name, g);
    }
    return s;
  }
}

function u64Sub64(a: U64, b: number): U64 {
  if (typeof a === 'number') return a - b;
  return canon(BigInt.asUintN(64, toBig(a) - BigInt(b)));
}

/** Iterates live entries in an ID range; it is itself the EntryCursor of the current entry. */
export class StreamIterator implements EntryCursor {
  ms: U64 = 0;
  seq: U64 = 0;
  fieldCount = 0;
  buf: Buffer = EMPTY;
  /** @internal index of the current entry's block in the stream */
  blockIndex = -1;
  /** @internal offset of the current entry in its block */
  entryAt = 0;

  private readonly walker = new BlockWalker();
  private inBlock = false;
  /** Whether next() has returned an entry yet. */
  private found = false;
  private done = false;
  private positions: Int32Array = NO_POSITIONS;
  private fieldsAt = 0;
  private valuesAt = 0;
  private loaded = false;
  // Reverse iteration decodes a block forward into these, then walks them backwards.
  private rAt: number[] | null = null;
  private rMs: U64[] | null = null;
  private rSeq: U64[] | null = null;
  private rFlags: number[] | null = null;
  private rFieldsAt: number[] | null = null;
  private rFieldCount: number[] | null = null;
  private rValuesAt: number[] | null = null;
  private ri = -1;

  constructor(
    private readonly stream: Stream,
    private readonly start: StreamId,
    private readonly end: StreamId,
    private readonly reverse: boolean,
    private readonly wantFields: boolean,
  ) {
    if (compareIds(start, end) > 0) {
      this.done = true;
      return;
    }
    if (!reverse) {
      const i = stream.blockIndexFor(start.ms, start.seq);
      this.blockIndex = Math.max(i, stream.headIndex) - 1;
    } else {
      const i = stream.blockIndexFor(end.ms, end.seq);
      if (i < stream.headIndex) this.done = true;
      this.blockIndex = i + 1;
    }
  }

  /** Move to the next live entry in range; false when there is none. */
  next(): boolean {
    if (this.done) return false;
    return this.reverse ? this.nextReverse() : this.nextForward();
  }

  private nextForward(): boolean {
    const stream = this.stream;
    const w = this.walker;
    const start = this.start;
    const end = this.end;
    for (;;) {
      if (!this.inBlock) {
        this.blockIndex++;
        if (this.blockIndex >= stream.endIndex) return this.finish();
        const block = stream.blockAt(this.blockIndex)!;
        // Skip the block's head when a saved point shows every live entry before it is below start.
        if (stream.resumeAfter.serves(block, start.ms, start.seq)) w.resumeFrom(stream.resumeAfter);
        else if (stream.resumeBefore.serves(block, start.ms, start.seq)) w.resumeFrom(stream.resumeBefore);
        else w.start(block);
        this.inBlock = true;
      }
      for (;;) {
        // Until this read finds its first entry, remember the point before each one it decodes.
        if (!this.found) w.saveTo(stream.resumeBefore, start.ms, start.seq, false);
        if (!w.next()) break;
        if ((w.flags & FLAG_DELETED) !== 0) continue;
        if (compareParts(w.ms, w.seq, start.ms, start.seq) < 0) continue;
        if (compareParts(w.ms, w.seq, end.ms, end.seq) > 0) return this.finish();
        this.settle(w.ms, w.seq, w.at, w.fieldsAt, w.fieldCount, w.valuesAt);
        this.found = true;
        w.saveTo(stream.resumeAfter, w.ms, w.seq, true);
        return true;
      }
      this.inBlock = false;
    }
  }

  private nextReverse(): boolean {
    const stream = this.stream;
    const start = this.start;
    const end = this.end;
    for (;;) {
      if (this.ri < 0) {
        this.blockIndex--;
        if (this.blockIndex < stream.headIndex) return this.finish();
        this.decodeBlock(stream.blockAt(this.blockIndex)!);
      }
      while (this.ri >= 0) {
        const k = this.ri--;
        if ((this.rFlags![k]! & FLAG_DELETED) !== 0) continue;
        const ms = this.rMs![k]!;
        const seq = this.rSeq![k]!;
        if (compareParts(ms, seq, end.ms, end.seq) > 0) continue;
        if (compareParts(ms, seq, start.ms, start.seq) < 0) return this.finish();
        this.settle(ms, seq, this.rAt![k]!, this.rFieldsAt![k]!, this.rFieldCount![k]!, this.rValuesAt![k]!);
        return true;
      }
    }
  }

  private decodeBlock(block: Block): void {
    if (this.rAt === null) {
      this.rAt = [];
      this.rMs = [];
      this.rSeq = [];
      this.rFlags = [];
      this.rFieldsAt = [];
      this.rFieldCount = [];
      this.rValuesAt = [];
    }
    const w = this.walker;
    w.start(block);
    let k = 0;
    while (w.next()) {
      this.rAt[k] = w.at;
      this.rMs![k] = w.ms;
      this.rSeq![k] = w.seq;
      this.rFlags![k] = w.flags;
      this.rFieldsAt![k] = w.fieldsAt;
      this.rFieldCount![k] = w.fieldCount;
      this.rValuesAt![k] = w.valuesAt;
      k++;
    }
    this.ri = k - 1;
    this.buf = block.buf;
  }

  private settle(ms: U64, seq: U64, at: number, fieldsAt: number, fieldCount: number, valuesAt: number): void {
    this.ms = ms;
    this.seq = seq;
    this.entryAt = at;
    this.fieldsAt = fieldsAt;
    this.fieldCount = fieldCount;
    this.valuesAt = valuesAt;
    this.buf = this.stream.blockAt(this.blockIndex)!.buf;
    this.loaded = false;
    if (this.wantFields) this.load();
  }

  private load(): void {
    this.positions = entryPositions(this.buf, this.fieldsAt, this.valuesAt, this.fieldCount, this.positions);
    this.loaded = true;
  }

  private finish(): false {
    this.done = true;
    return false;
  }

  private pos(): Int32Array {
    if (!this.loaded) this.load();
    return this.positions;
  }

  fieldStart(i: number): number {
    return this.pos()[i * 4]!;
  }

  fieldEnd(i: number): number {
    return this.pos()[i * 4 + 1]!;
  }

  valueStart(i: number): number {
    return this.pos()[i * 4 + 2]!;
  }

  valueEnd(i: number): number {
    return this.pos()[i * 4 + 3]!;
  }

  field(i: number): string {
    const p = this.pos();
    return latin1Slice(this.buf, p[i * 4]!, p[i * 4 + 1]!);
  }

  value(i: number): string {
    const p = this.pos();
    return latin1Slice(this.buf, p[i * 4 + 2]!, p[i * 4 + 3]!);
  }

  id(): StreamId {
    return { ms: this.ms, seq: this.seq };
  }

  idText(): string {
    return formatParts(this.ms, this.seq);
  }

  pairs(): string[] {
    const out: string[] = new Array(this.fieldCount * 2);
    for (let i = 0; i < this.fieldCount; i++) {
      out[i * 2] = this.field(i);
      out[i * 2 + 1] = this.value(i);
    }
    return out;
  }
}

const EMPTY = Buffer.alloc(0);
const NO_POSITIONS = new Int32Array(16);

// Which Redis's lag rules these are. Redis 7.0.x and 7.2.x share them (checked against a real
// 7.0.15: see test/stream-storage/lag.test.ts). Redis 7.4 changed them: XINFO GROUPS reports lag 0
// for an empty stream, lag = length when the group's last ID and every tombstone are before the
// first entry; XREADGROUP also requires last_id >= first_id to increment entries-read; and an ID
// before max-deleted-entry-id is never estimated. Those are not implemented here.
