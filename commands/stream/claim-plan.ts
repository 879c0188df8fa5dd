// How XCLAIM and XAUTOCLAIM decide, before anything changes: a pending-entry view that records the
// claims and drops made so far in the command (an ID named twice sees its first claim), and turns
// them into one xclaim change.

import {
  type ConsumerGroup,
  type Counter,
  type EffectClaim,
  type StreamChange,
  type StreamId,
  counterToEffect,
  formatParts,
} from '../../storage/stream';

/** A pending entry as the command sees it: owner null for one FORCE just created. */
export interface PlannedEntry {
  owner: string | null;
  deliveryTimeMs: number;
  deliveryCount: Counter;
}

export class ClaimPlan {
  private readonly touched = new Map<string, PlannedEntry | null>();
  readonly claims: EffectClaim[] = [];
  readonly drops: string[] = [];

  constructor(
    private readonly group: ConsumerGroup,
    private readonly groupName: string,
    private readonly consumer: string,
    private readonly nowMs: number,
  ) {}

  /** The entry as pending now (after this command's earlier claims and drops), or null. */
  pending(id: StreamId): PlannedEntry | null {
    const text = formatParts(id.ms, id.seq);
    if (this.touched.has(text)) return this.touched.get(text)!;
    const entry = this.group.pending(id);
    const view = entry === undefined ? null : { owner: entry.consumer.name, deliveryTimeMs: entry.deliveryTimeMs, deliveryCount: entry.deliveryCount };
    this.touched.set(text, view);
    return view;
  }

  /** Drop a pending entry whose stream entry is gone. */
  drop(id: StreamId): void {
    const text = formatParts(id.ms, id.seq);
    this.touched.set(text, null);
    this.drops.push(text);
  }

  /** Give the entry to the consumer with this delivery time and count. */
  claim(id: StreamId, entry: PlannedEntry, deliveryTimeMs: number, deliveryCount: Counter): void {
    const text = formatParts(id.ms, id.seq);
    entry.owner = this.consumer;
    entry.deliveryTimeMs = deliveryTimeMs;
    entry.deliveryCount = deliveryCount;
    this.touched.set(text, entry);
    this.claims.push({ id: text, deliveryTimeMs, deliveryCount: counterToEffect(deliveryCount) });
  }

  /** The change: the consumer (created when missing) seen now, active now when it claimed anything. */
  change(lastId?: string): StreamChange {
    return {
      op: 'xclaim',
      group: this.groupName,
      consumer: this.consumer,
      seenMs: this.nowMs,
      ...(this.claims.length > 0 ? { activeMs: this.nowMs } : {}),
      claims: this.claims,
      drop: this.drops,
      ...(lastId !== undefined ? { lastId } : {}),
    };
  }
}
