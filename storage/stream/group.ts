// Consumer groups: Redis's streamCG, streamConsumer and streamNACK, with the pending entries lists
// (PELs) as ID-ordered B+trees. A pending entry is one object shared by the group's PEL and its
// owner's PEL, as in Redis, so a claim moves it between consumers without copying.
//
// These are storage primitives: they change state exactly as told (times and counts included) and
// make no decisions that depend on a clock or on command options; the command layer decides and
// records the decision as an effect (see effects.ts).

import { type Counter, type StreamId, type U64, compareIds, counterInc } from './id';
import { IdTree } from './id-tree';

/** Redis's SCG_INVALID_ENTRIES_READ: the group's entries-read counter is unknown. */
export const ENTRIES_READ_INVALID = -1;

/** A delivered, not yet acknowledged entry (Redis's streamNACK), keyed by the entry's ID. */
export class PendingEntry {
  /** The entry's ID; never changes while the entry is pending. */
  readonly ms: U64;
  readonly seq: U64;
  /** The consumer that owns it (the group's `unowned` one once XNACK released it); its PEL holds this same object. */
  consumer: Consumer;
  /** Unix ms of the last delivery (XPENDING idle = now - this); 0 once released by XNACK. */
  deliveryTimeMs: number;
  /** Times delivered (XCLAIM RETRYCOUNT may set any value >= 0). */
  deliveryCount: Counter;

  constructor(ms: U64, seq: U64, consumer: Consumer, deliveryTimeMs: number, deliveryCount: Counter) {
    this.ms = ms;
    this.seq = seq;
    this.consumer = consumer;
    this.deliveryTimeMs = deliveryTimeMs;
    this.deliveryCount = deliveryCount;
  }

  get id(): StreamId {
    return { ms: this.ms, seq: this.seq };
  }
}

/** A pending entries list: PendingEntry objects in ID order. */
export type PendingList = IdTree<PendingEntry>;

export class Consumer {
  /** The consumer's name (latin1 bytes). */
  readonly name: string;
  /** Unix ms of the last attempted interaction (XINFO CONSUMERS idle = now - this). */
  seenTimeMs: number;
  /** Unix ms of the last successful interaction (read or claim that got entries), or -1 never (7.2 "inactive"). */
  activeTimeMs: number;
  /** The entries pending for this consumer: a view of the group PEL's objects. */
  readonly pel: PendingList = new IdTree<PendingEntry>();

  constructor(name: string, seenTimeMs: number, activeTimeMs: number) {
    this.name = name;
    this.seenTimeMs = seenTimeMs;
    this.activeTimeMs = activeTimeMs;
  }
}

export class ConsumerGroup {
  /** The group's name (latin1 bytes). */
  readonly name: string;
  /** Last delivered ID: `>` reads serve entries after it. */
  lastId: StreamId;
  /** Logical count of entries read by the group, or ENTRIES_READ_INVALID (-1) when unknown. */
  entriesRead: Counter;
  /** Every pending entry of the group, in ID order. */
  readonly pel: PendingList = new IdTree<PendingEntry>();
  /** Consumers by name. Redis lists them in byte order of the name: see consumersInOrder(). */
  readonly consumers = new Map<string, Consumer>();
  /**
   * The owner of entries XNACK released (Redis 8.8's NULL consumer): named "" in replies, never in
   * `consumers`, so XINFO CONSUMERS, XPENDING's summary and DELCONSUMER do not see it.
   */
  readonly unowned = new Consumer('', 0, -1);
  /**
   * The released entries in the order they were released (Redis's NACK zone at the head of the PEL
   * time list): exactly the entries owned by `unowned`. XREADGROUP CLAIM serves these first.
   */
  readonly nacked = new Set<PendingEntry>();

  constructor(name: string, lastId: StreamId, entriesRead: Counter) {
    this.name = name;
    this.lastId = lastId;
    this.entriesRead = entriesRead;
  }

  consumer(name: string): Consumer | undefined {
    return this.consumers.get(name);
  }

  /** A new consumer (seen now, never active), or null when the name is taken (streamCreateConsumer). */
  createConsumer(name: string, nowMs: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const consumer = new Consumer(name, nowMs, -1);
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** The named consumer, created (seen now, never active) when missing. */
  consumerOrCreate(name: string, nowMs: number): Consumer {
    return this.consumers.get(name) ?? this.createConsumer(name, nowMs)!;
  }

  /**
   * Delete a consumer and its pending entries from the group PEL (streamDelConsumer); returns how
   * many entries it had pending, or -1 when there is no such consumer.
   */
  deleteConsumer(name: string): number {
    const consumer = this.consumers.get(name);
    if (consumer === undefined) return -1;
    const pending = consumer.pel.size;
    consumer.pel.forEach((entry) => {
      this.pel.delete(entry.ms, entry.seq);
    });
    this.consumers.delete(name);
    return pending;
  }

  /** Consumers in Redis's order (byte order of their names). */
  consumersInOrder(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  pending(id: StreamId): PendingEntry | undefined {
    return this.pel.get(id.ms, id.seq);
  }

  /**
   * A first delivery through `>` (not NOACK), as streamReplyWithRange does it: a new pending entry
   * owned by `consumer` (delivered now, count 1); if the ID was already pending (the group's last
   * ID was moved back), the entry moves to `consumer` with time now and count 1. The consumer
   * becomes active now.
   */
  deliver(id: StreamId, consumer: Consumer, nowMs: number): PendingEntry {
    let entry = this.pel.get(id.ms, id.seq);
    if (entry === undefined) {
      entry = new PendingEntry(id.ms, id.seq, consumer, nowMs, 1);
      this.pel.insert(entry);
      consumer.pel.insert(entry);
    } else {
      this.detach(entry);
      entry.consumer = consumer;
      entry.deliveryTimeMs = nowMs;
      entry.deliveryCount = 1;
      consumer.pel.insert(entry);
    }
    consumer.activeTimeMs = nowMs;
    return entry;
  }

  /** Delivered again from the consumer's history (XREADGROUP with an ID): time now, count + 1. */
  redeliver(entry: PendingEntry, nowMs: number): void {
    entry.deliveryTimeMs = nowMs;
    entry.deliveryCount = counterInc(entry.deliveryCount);
  }

  /** Acknowledge: drop from the group PEL and its owner's PEL. False when it was not pending. */
  ack(id: StreamId): boolean {
    return this.remove(id) !== undefined;
  }

  /** Drop a pending entry (XACK, or XCLAIM/XAUTOCLAIM dropping entries deleted from the stream). */
  remove(id: StreamId): PendingEntry | undefined {
    const entry = this.pel.delete(id.ms, id.seq);
    if (entry !== undefined) this.detach(entry);
    return entry;
  }

  /**
   * Set a pending entry's owner, delivery time and count (XCLAIM/XAUTOCLAIM, and their replay),
   * creating it when missing (XCLAIM FORCE). Returns the entry.
   */
  claim(id: StreamId, consumer: Consumer, deliveryTimeMs: number, deliveryCount: Counter): PendingEntry {
    let entry = this.pel.get(id.ms, id.seq);
    if (entry === undefined) {
      entry = new PendingEntry(id.ms, id.seq, consumer, deliveryTimeMs, deliveryCount);
      this.pel.insert(entry);
      consumer.pel.insert(entry);
      return entry;
    }
    if (entry.consumer !== consumer) {
      this.detach(entry);
      entry.consumer = consumer;
      consumer.pel.insert(entry);
    }
    entry.deliveryTimeMs = deliveryTimeMs;
    entry.deliveryCount = deliveryCount;
    return entry;
  }

  /**
   * Release a pending entry back to the group (XNACK): unowned, delivery time 0, this count, last
   * in the released order (an entry released again moves to the end). Creates it when missing
   * (XNACK FORCE). Returns the entry.
   */
  nack(id: StreamId, deliveryCount: Counter): PendingEntry {
    let entry = this.pel.get(id.ms, id.seq);
    if (entry === undefined) {
      entry = new PendingEntry(id.ms, id.seq, this.unowned, 0, deliveryCount);
      this.pel.insert(entry);
    } else {
      this.detach(entry);
      entry.consumer = this.unowned;
      entry.deliveryTimeMs = 0;
      entry.deliveryCount = deliveryCount;
    }
    this.unowned.pel.insert(entry);
    this.nacked.add(entry);
    return entry;
  }

  /** Whether XNACK released this entry and no consumer has taken it since. */
  isNacked(entry: PendingEntry): boolean {
    return entry.consumer === this.unowned;
  }

  /** Take an entry off its owner's PEL (and the released order), before it changes hands or goes. */
  private detach(entry: PendingEntry): void {
    entry.consumer.pel.delete(entry.ms, entry.seq);
    if (entry.consumer === this.unowned) this.nacked.delete(entry);
  }

  /** Move the last delivered ID forward only (XCLAIM LASTID). True when it moved. */
  raiseLastId(id: StreamId): boolean {
    if (compareIds(id, this.lastId) <= 0) return false;
    this.lastId = id;
    return true;
  }
}
