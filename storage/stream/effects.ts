// Stream changes as deterministic effects: what the command layer records in the log (inside an
// Effect that names db and key) and what apply() does with them. Every time, ID and counter is
// concrete: `*` IDs, `$`, now, the group counters a read leaves behind, the exact trim a `~` trim
// amounted to. Replaying the changes on the same starting state reaches the same state, with no
// clock and no Redis rule evaluated twice.
//
// Plain data only (the log encodes with msgpackr, whose 64-bit integers come back as doubles), so
// IDs travel as their "<ms>-<seq>" text and counters as numbers, or decimal strings beyond 2^53.
// Names and field values are latin1 strings holding the exact bytes, as everywhere in storage/.
//
// Suggested wrapping in storage/effects.ts: `{ op: 'stream'; db; key; change: StreamChange }`, with
// apply() creating the stream for xadd / xgroupcreate (MKSTREAM) when the key is missing and
// calling applyStreamChange; or one Effect variant per change with the same fields.

import { type Counter, type StreamId, canon, formatId, idFromText } from './id';
import { type ConsumerGroup } from './group';
import { type NodeLimits, type Stream, type TrimSpec, DEFAULT_NODE_LIMITS } from './stream';

/** A counter in an effect: a number when safe, else its decimal text. */
export type EffectCounter = number | string;

/** An exact trim (approx false, no limit): TrimResult.replay in effect form. */
export type EffectTrim =
  | { readonly strategy: 'maxlen'; readonly maxLen: number }
  | { readonly strategy: 'minid'; readonly minId: string };

/** One claimed entry's final state (XCLAIM / XAUTOCLAIM). */
export interface EffectClaim {
  readonly id: string;
  readonly deliveryTimeMs: number;
  readonly deliveryCount: EffectCounter;
}

/**
 * The IDMP settings a stream created by this change starts with (stream-idmp-duration and
 * stream-idmp-maxsize when it was created), present only when they are not Redis's defaults.
 */
export interface EffectIdmpConfig {
  readonly durationSec: number;
  readonly maxSize: number;
}

/** One released entry's final delivery count (XNACK). */
export interface EffectNack {
  readonly id: string;
  readonly deliveryCount: EffectCounter;
}

export type StreamChange =
  /**
   * XADD: append `fields` under `id` (concrete). The node limits in force, when not Redis's
   * defaults, so a replica splits blocks where the master did. XADD's MAXLEN/MINID follows as an
   * xtrim change, planned on the stream after the append (Stream.planTrim), when it removes any.
   * `idmp` (XADD IDMP / IDMPAUTO, Redis 8.6): the producer and idempotent ID the entry is recorded
   * under (IDMPAUTO's iid is the hash the handler computed). `idmpConfig`: only when the XADD
   * creates the stream.
   */
  | {
      readonly op: 'xadd';
      readonly id: string;
      readonly fields: readonly string[];
      readonly nodeMaxBytes?: number;
      readonly nodeMaxEntries?: number;
      readonly idmp?: { readonly pid: string; readonly iid: string };
      readonly idmpConfig?: EffectIdmpConfig;
    }
  /** XADD IDMP / IDMPAUTO answered from an earlier entry: one more duplicate counted. */
  | { readonly op: 'xidmpdup' }
  /** XCFGSET when it changes a value (which clears the remembered iids); absent fields stay. */
  | { readonly op: 'xcfgset'; readonly durationSec?: number; readonly maxSize?: number }
  /** XTRIM (or XADD's trim) when it removes entries: Stream.planTrim's replay, exact and unlimited. */
  | { readonly op: 'xtrim'; readonly trim: EffectTrim }
  /** XDEL: the IDs as given (duplicates and absent ones are harmless). */
  | { readonly op: 'xdel'; readonly ids: readonly string[] }
  /** XSETID: the new last ID; entries-added / max-deleted-id only when given. */
  | { readonly op: 'xsetid'; readonly lastId: string; readonly entriesAdded?: EffectCounter; readonly maxDeletedId?: string }
  /** XGROUP CREATE with `$` resolved; entriesRead -1 when not given. */
  | { readonly op: 'xgroupcreate'; readonly group: string; readonly lastId: string; readonly entriesRead: EffectCounter; readonly idmpConfig?: EffectIdmpConfig }
  /** XGROUP SETID with `$` resolved; entriesRead -1 when not given. */
  | { readonly op: 'xgroupsetid'; readonly group: string; readonly lastId: string; readonly entriesRead: EffectCounter }
  | { readonly op: 'xgroupdestroy'; readonly group: string }
  | { readonly op: 'xgroupcreateconsumer'; readonly group: string; readonly consumer: string; readonly atMs: number }
  | { readonly op: 'xgroupdelconsumer'; readonly group: string; readonly consumer: string }
  /**
   * XREADGROUP `>`: the consumer (created when missing) is seen at atMs; `ids` were delivered in
   * order (PEL entries at atMs, count 1, unless noack); the group's counters end as given (omitted
   * when nothing was delivered).
   */
  | {
      readonly op: 'xdeliver';
      readonly group: string;
      readonly consumer: string;
      readonly atMs: number;
      readonly ids: readonly string[];
      readonly noack: boolean;
      readonly lastId?: string;
      readonly entriesRead?: EffectCounter;
    }
  /** XREADGROUP with an ID: these pending entries (still in the stream) were delivered again at atMs. */
  | { readonly op: 'xredeliver'; readonly group: string; readonly consumer: string; readonly atMs: number; readonly ids: readonly string[] }
  /** XACK: drop these IDs from the group's PEL. */
  | { readonly op: 'xack'; readonly group: string; readonly ids: readonly string[] }
  /**
   * XCLAIM / XAUTOCLAIM: the consumer (created when missing) is seen at seenMs and, when activeMs is
   * set, active then; each claim sets owner, time and count (creating the entry under FORCE);
   * `drop` lists pending IDs removed because their entries are gone; lastId raises the group's last
   * delivered ID (XCLAIM LASTID) when greater.
   */
  | {
      readonly op: 'xclaim';
      readonly group: string;
      readonly consumer: string;
      readonly seenMs: number;
      readonly activeMs?: number;
      readonly claims: readonly EffectClaim[];
      readonly drop: readonly string[];
      readonly lastId?: string;
    }
  /**
   * XNACK (Redis 8.8): each entry, in order, released back to the group with its final delivery
   * count (unowned, delivery time 0, last in the released order), created when missing (FORCE).
   */
  | { readonly op: 'xnack'; readonly group: string; readonly nacks: readonly EffectNack[] };

export type StreamChangeOp = StreamChange['op'];

export function counterToEffect(c: Counter): EffectCounter {
  return typeof c === 'number' ? c : c.toString();
}

export function counterFromEffect(c: EffectCounter): Counter {
  return typeof c === 'number' ? c : canon(BigInt(c));
}

export function trimToEffect(spec: TrimSpec): EffectTrim {
  return spec.strategy === 'maxlen' ? { strategy: 'maxlen', maxLen: spec.maxLen } : { strategy: 'minid', minId: formatId(spec.minId) };
}

export function trimFromEffect(trim: EffectTrim): TrimSpec {
  return trim.strategy === 'maxlen'
    ? { strategy: 'maxlen', maxLen: trim.maxLen, approx: false, limit: 0 }
    : { strategy: 'minid', minId: idFromText(trim.minId), approx: false, limit: 0 };
}

/**
 * Whether Redis signals the key as modified for this change (what WATCH notices): entries added or
 * removed. Consumer-group changes and XSETID leave watchers alone, as in Redis; XGROUP CREATE
 * counts only when MKSTREAM creates the stream, which the caller knows (the key did not exist).
 */
export function changesEntries(change: StreamChange): boolean {
  return change.op === 'xadd' || change.op === 'xtrim' || change.op === 'xdel';
}

/** Whether a change needs the stream to exist first (apply creates it for these). */
export function createsStream(change: StreamChange): boolean {
  return change.op === 'xadd' || change.op === 'xgroupcreate';
}

/**
 * Apply a change to a stream. Changes naming a group or consumer that does not exist, or IDs
 * that are not there, do nothing for that part (a handler never records such a change; replaying
 * one must not throw). `limits` are the node limits when the change does not carry its own.
 */
export function applyStreamChange(stream: Stream, change: StreamChange, limits: NodeLimits = DEFAULT_NODE_LIMITS): void {
  switch (change.op) {
    case 'xadd': {
      const own =
        change.nodeMaxBytes !== undefined || change.nodeMaxEntries !== undefined
          ? {
              nodeMaxBytes: change.nodeMaxBytes ?? DEFAULT_NODE_LIMITS.nodeMaxBytes,
              nodeMaxEntries: change.nodeMaxEntries ?? DEFAULT_NODE_LIMITS.nodeMaxEntries,
            }
          : limits;
      const id = idFromText(change.id);
      if (change.idmpConfig !== undefined) stream.idmp().configure(change.idmpConfig.durationSec, change.idmpConfig.maxSize);
      stream.append(id, change.fields, own);
      if (change.idmp !== undefined) stream.idmp().record(change.idmp.pid, change.idmp.iid, id);
      return;
    }
    case 'xidmpdup':
      stream.idmp().iidsDuplicates++;
      return;
    case 'xcfgset':
      stream.idmp().configure(change.durationSec ?? null, change.maxSize ?? null);
      return;
    case 'xtrim':
      stream.trim(trimFromEffect(change.trim));
      return;
    case 'xdel':
      stream.delete(change.ids.map(idFromText));
      return;
    case 'xsetid':
      stream.setId(
        idFromText(change.lastId),
        change.entriesAdded === undefined ? -1 : counterFromEffect(change.entriesAdded),
        change.maxDeletedId === undefined ? null : idFromText(change.maxDeletedId),
      );
      return;
    case 'xgroupcreate':
      if (change.idmpConfig !== undefined) stream.idmp().configure(change.idmpConfig.durationSec, change.idmpConfig.maxSize);
      stream.createGroup(change.group, idFromText(change.lastId), counterFromEffect(change.entriesRead));
      return;
    case 'xgroupsetid': {
      const group = stream.group(change.group);
      if (group === undefined) return;
      group.lastId = idFromText(change.lastId);
      group.entriesRead = counterFromEffect(change.entriesRead);
      return;
    }
    case 'xgroupdestroy':
      stream.destroyGroup(change.group);
      return;
    case 'xgroupcreateconsumer':
      stream.group(change.group)?.createConsumer(change.consumer, change.atMs);
      return;
    case 'xgroupdelconsumer':
      stream.group(change.group)?.deleteConsumer(change.consumer);
      return;
    case 'xdeliver': {
      const group = stream.group(change.group);
      if (group === undefined) return;
      const consumer = group.consumerOrCreate(change.consumer, change.atMs);
      consumer.seenTimeMs = change.atMs;
      if (!change.noack) for (const id of change.ids) group.deliver(idFromText(id), consumer, change.atMs);
      if (change.lastId !== undefined) group.lastId = idFromText(change.lastId);
      if (change.entriesRead !== undefined) group.entriesRead = counterFromEffect(change.entriesRead);
      return;
    }
    case 'xredeliver': {
      const group = stream.group(change.group);
      if (group === undefined) return;
      const consumer = group.consumerOrCreate(change.consumer, change.atMs);
      consumer.seenTimeMs = change.atMs;
      for (const text of change.ids) {
        const entry = group.pending(idFromText(text));
        if (entry !== undefined) group.redeliver(entry, change.atMs);
      }
      return;
    }
    case 'xack': {
      const group = stream.group(change.group);
      if (group === undefined) return;
      for (const id of change.ids) group.ack(idFromText(id));
      return;
    }
    case 'xclaim': {
      const group = stream.group(change.group);
      if (group === undefined) return;
      const consumer = group.consumerOrCreate(change.consumer, change.seenMs);
      consumer.seenTimeMs = change.seenMs;
      if (change.activeMs !== undefined) consumer.activeTimeMs = change.activeMs;
      for (const id of change.drop) group.remove(idFromText(id));
      for (const c of change.claims) group.claim(idFromText(c.id), consumer, c.deliveryTimeMs, counterFromEffect(c.deliveryCount));
      if (change.lastId !== undefined) group.raiseLastId(idFromText(change.lastId));
      return;
    }
    case 'xnack': {
      const group = stream.group(change.group);
      if (group === undefined) return;
      for (const n of change.nacks) group.nack(idFromText(n.id), counterFromEffect(n.deliveryCount));
      return;
    }
  }
}

/** The group counters as an effect records them (xdeliver's lastId / entriesRead). */
export function groupCountersToEffect(group: Pick<ConsumerGroup, 'lastId' | 'entriesRead'>): { lastId: string; entriesRead: EffectCounter } {
  return { lastId: formatId(group.lastId), entriesRead: counterToEffect(group.entriesRead) };
}

/** An ID as effects carry it. */
export function idToEffect(id: StreamId): string {
  return formatId(id);
}
