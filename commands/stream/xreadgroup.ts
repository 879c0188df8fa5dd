// XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...
//
// Redis's xreadCommand in its group form. Per stream: `>` delivers entries after the group's last
// delivered ID (new PEL entries owned by the consumer, unless NOACK, and the group's last ID and
// entries-read moved on); any other ID serves the consumer's own pending entries after it again
// (delivery count + 1; an entry deleted meanwhile comes back as [id, nil]). The consumer is created
// when missing and is seen now, whatever is served, so every call is a write: one xdeliver or
// xredeliver change per stream, with the group's counters and the time made concrete.
//
// Streams are decided and committed in order (a key named twice sees the first read's effect), and
// the reply is written afterwards from the stream, whose entries the changes do not touch. BLOCK
// with nothing to read waits through the blocking registry (see block()).

import { ERR } from '../errors';
import type { CommandSpec, Ctx } from '../types';
import {
  type ConsumerGroup,
  type Counter,
  type PendingEntry,
  counterInc,
  MAX_ID,
  type Stream,
  type StreamId,
  StreamIterator,
  compareIds,
  counterToEffect,
  formatId,
  formatParts,
  incrId,
  isMaxId,
} from '../../storage/stream';
import { commitCreatingConsumer, idOrReply, streamOrReply, writeEntry } from './common';
import { parseReadArgsOrReply, writeReadHeader, writeReadKey } from './read';
import { cText, isCStringChar, writeEntryById, writeIdOf } from './group-common';
import { ClaimPlan } from './claim-plan';

/** What XREADGROUP's options asked for (parsed by ./read.ts, shared with XREAD). */
interface ReadGroupArgs {
  readonly groupName: string;
  readonly consumerName: string;
  /** Entries per stream, 0 for no limit. */
  readonly count: number;
  /** BLOCK's deadline in unix ms (0: forever), or -1 when not given. */
  readonly blockUntilMs: number;
  readonly noack: boolean;
  /** CLAIM min-idle-time in ms (Redis 8.4), or -1 when not given. */
  readonly claimMinIdleMs: number;
  /** Index of the first key. */
  readonly keysAt: number;
  readonly streamCount: number;
}

/** A pending entry CLAIM took over: replied with the idle time and delivery count it had before. */
interface Claimed {
  readonly id: StreamId;
  readonly idleMs: number;
  readonly deliveryCount: Counter;
}

/**
 * What was served from one stream, to be written once every stream has been decided. `new`: the
 * idle pending entries CLAIM took (oldest delivery first), then `count` new entries from `start`;
 * with CLAIM (`withMeta`) every entry is written with its idle time and delivery count (0 and 0
 * for new ones).
 */
type Served =
  | {
      readonly kind: 'new';
      readonly key: string;
      readonly stream: Stream;
      readonly claimed: readonly Claimed[];
      readonly start: StreamId;
      readonly count: number;
      readonly withMeta: boolean;
    }
  | { readonly kind: 'history'; readonly key: string; readonly stream: Stream; readonly ids: readonly StreamId[] };

export const spec = {
  name: 'xreadgroup',
  arity: -7,
  flags: ['write', 'blocking', 'movablekeys'],
  acl: ['write', 'stream', 'slow', 'blocking'],
  keys: [0, 0, 0],
  keySpecs: [
    {
      flags: ['RO', 'ACCESS'],
      beginSearch: { type: 'keyword', keyword: 'STREAMS', startfrom: 4 },
      findKeys: { type: 'range', lastkey: -1, step: 1, limit: 2 },
    },
  ],
  summary: "Reads new entries as a consumer of a group, or the consumer's own pending entries again.",
  since: '5.0.0',
  group: 'stream',
  history: [['8.4.0', 'Added the `CLAIM` option.']],
  complexity:
    'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
  arguments: [
    {
      name: 'group_consumer',
      type: 'block',
      token: 'GROUP',
      arguments: [
        { name: 'group', type: 'string' },
        { name: 'consumer', type: 'string' },
      ],
    },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
    { name: 'min-idle-time', type: 'integer', token: 'CLAIM', optional: true, since: '8.4.0' },
    { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true },
    {
      name: 'streams',
      type: 'block',
      token: 'STREAMS',
      arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
        { name: 'id', type: 'string', multiple: true },
      ],
    },
  ],
  handler(ctx, argv) {
    const read = parseReadArgsOrReply(ctx, argv, true);
    if (read === null) return;
    const args: ReadGroupArgs = {
      groupName: read.group!.name.toString('latin1'),
      consumerName: read.group!.consumer.toString('latin1'),
      count: read.count,
      blockUntilMs: read.blockUntilMs,
      noack: read.noack,
      claimMinIdleMs: read.claimMinIdleMs,
      keysAt: read.keysAt,
      streamCount: read.streams,
    };
    const ids = validateOrReply(ctx, argv, args);
    if (ids === null) return;
    if (args.blockUntilMs !== -1 && ctx.mayBlock && !anythingToServe(ctx, argv, args, ids)) {
      block(ctx, argv, args, ids);
      return;
    }
    readNow(ctx, argv, args, ids);
  },
} satisfies CommandSpec;

/** Serve every stream now (committing each one's change), then reply; a null array when nothing was served. */
function readNow(ctx: Ctx, argv: readonly Buffer[], args: ReadGroupArgs, ids: readonly StreamId[]): void {
  const served: Served[] = [];
  let claimMinIdleMs = args.claimMinIdleMs;
  for (let i = 0; i < args.streamCount; i++) {
    const key = argv[args.keysAt + i]!.toString('latin1');
    // A history ID ignores CLAIM, and (as in Redis, whose min-idle-time is one variable for the
    // whole command) so do the streams after it.
    if (!isMaxId(ids[i]!)) claimMinIdleMs = -1;
    const one = serveOne(ctx, key, args, ids[i]!, claimMinIdleMs);
    if (one !== null) served.push(one);
  }
  if (served.length === 0) ctx.out.nullArray();
  else writeServed(ctx, served);
}

/**
 * Whether a read now would serve any stream: a history ID always does; `>` does when the stream
 * holds an entry after the group's last delivered ID. Looks without changing anything.
 */
function anythingToServe(ctx: Ctx, argv: readonly Buffer[], args: ReadGroupArgs, ids: readonly StreamId[]): boolean {
  for (let i = 0; i < args.streamCount; i++) {
    if (!isMaxId(ids[i]!)) return true;
    const entry = ctx.engine.lookup(ctx.client.dbIndex, argv[args.keysAt + i]!.toString('latin1'), ctx.nowMs);
    const stream = entry?.value as Stream;
    const group = stream.group(args.groupName)!;
    const top = stream.length > 0 ? stream.lastValidId() : null;
    if (top !== null && compareIds(top, group.lastId) > 0) return true;
    if (args.claimMinIdleMs !== -1 && claimablePending(stream, group, ctx.nowMs, args.claimMinIdleMs, 1).length > 0) return true;
  }
  return false;
}

/**
 * CLAIM with BLOCK: when the oldest delivery among the streams' pending entries (still in their
 * streams) becomes min-idle-time old, the blocked command runs again (Redis's
 * trackStreamClaimTimeouts); with nothing pending, min-idle-time from now.
 */
function claimWakeMs(ctx: Ctx, argv: readonly Buffer[], args: ReadGroupArgs): number {
  let oldest = Infinity;
  for (let i = 0; i < args.streamCount; i++) {
    const entry = ctx.engine.lookup(ctx.client.dbIndex, argv[args.keysAt + i]!.toString('latin1'), ctx.nowMs);
    if (entry === undefined) continue;
    const stream = entry.value as Stream;
    const group = stream.group(args.groupName);
    if (group === undefined) continue;
    const first = pendingByDeliveryTime(stream, group)[0];
    if (first !== undefined && first.deliveryTimeMs < oldest) oldest = first.deliveryTimeMs;
  }
  return args.claimMinIdleMs + (oldest === Infinity ? ctx.nowMs : oldest);
}

/**
 * BLOCK with nothing to read: the consumer is created (and seen) now, as Redis 7.2 does before it
 * blocks, then the client waits on the keys. Each write to one of them runs the command again
 * (Redis 7.2 re-runs it whole): an error (the key deleted, the group destroyed, another type)
 * ends the wait with that error; new entries for the group serve this client, in the order
 * clients blocked, one read taking what a read takes; otherwise the client keeps waiting.
 */
function block(ctx: Ctx, argv: readonly Buffer[], args: ReadGroupArgs, ids: readonly StreamId[]): void {
  const keys: string[] = [];
  for (let i = 0; i < args.streamCount; i++) {
    const key = argv[args.keysAt + i]!.toString('latin1');
    serveOne(ctx, key, args, ids[i]!, -1);
    keys.push(key);
  }
  ctx.block({
    keys,
    deadlineMs: args.blockUntilMs,
    ...(args.claimMinIdleMs !== -1 ? { wakeAtMs: () => claimWakeMs(ctx, argv, args) } : {}),
    unblockOnNoKey: true,
    timedOut: () => ctx.out.nullArray(),
    retry: () => {
      const again = validateOrReply(ctx, argv, args);
      if (again === null) return 'served';
      if (!anythingToServe(ctx, argv, args, again)) return 'skip';
      readNow(ctx, argv, args, again);
      return 'served';
    },
  });
}

/**
 * Every stream must exist, hold the group, and come with `>` or a valid ID, checked stream by
 * stream in order. The IDs, with `>` as MAX_ID (as Redis encodes it); null after the error reply.
 */
function validateOrReply(ctx: Ctx, argv: readonly Buffer[], args: ReadGroupArgs): StreamId[] | null {
  const ids: StreamId[] = [];
  for (let i = 0; i < args.streamCount; i++) {
    const key = argv[args.keysAt + i]!.toString('latin1');
    const stream = streamOrReply(ctx, key, false);
    if (stream === null) return null;
    if (stream === undefined || stream.group(args.groupName) === undefined) {
      ctx.out.error(ERR.noKeyOrGroupReadgroup(cText(key), cText(args.groupName)));
      return null;
    }
    const idArg = argv[args.keysAt + args.streamCount + i]!;
    if (isCStringChar(idArg, '$')) {
      ctx.out.error(ERR.xreadgroupDollar);
      return null;
    }
    if (isCStringChar(idArg, '>')) {
      ids.push(MAX_ID);
      continue;
    }
    const id = idOrReply(ctx.out, idArg, 0, true);
    if (id === null) return null;
    ids.push(id);
  }
  return ids;
}

/**
 * Decide and commit one stream's read; what to write for it, or null when nothing is served.
 * `claimMinIdleMs` (-1: no CLAIM) applies to `>` only.
 */
function serveOne(ctx: Ctx, key: string, args: ReadGroupArgs, after: StreamId, claimMinIdleMs: number): Served | null {
  // Looked up again, as Redis does (keyspace hits count both lookups).
  const stream = streamOrReply(ctx, key, false) as Stream;
  const group = stream.group(args.groupName)!;
  const consumer = group.consumer(args.consumerName);
  if (!isMaxId(after)) {
    // History: the consumer's own pending entries after `after`, delivered again when still there.
    const start = incrId(after)!;
    const ids: StreamId[] = [];
    const redelivered: string[] = [];
    if (consumer !== undefined) {
      const cursor = consumer.pel.cursor(start.ms, start.seq);
      for (let pending = cursor.next(); pending !== undefined && (args.count === 0 || ids.length < args.count); pending = cursor.next()) {
        ids.push(pending.id);
        if (stream.has(pending.id)) redelivered.push(formatParts(pending.ms, pending.seq));
      }
    }
    commitCreatingConsumer(ctx, key, stream, args.groupName, args.consumerName, { op: 'xredeliver', group: args.groupName, consumer: args.consumerName, atMs: ctx.nowMs, ids: redelivered });
    return { kind: 'history', key, stream, ids };
  }
  const top = stream.length > 0 ? stream.lastValidId() : null;
  const hasNew = top !== null && compareIds(top, group.lastId) > 0;
  const withMeta = claimMinIdleMs !== -1;
  const claimed = withMeta ? claimIdle(ctx, key, stream, group, args, claimMinIdleMs) : [];
  if (!hasNew) {
    // Nothing new: the consumer is still created (when missing) and seen now.
    if (claimed.length === 0) {
      commitCreatingConsumer(ctx, key, stream, args.groupName, args.consumerName, { op: 'xdeliver', group: args.groupName, consumer: args.consumerName, atMs: ctx.nowMs, ids: [], noack: args.noack });
      return null;
    }
    return { kind: 'new', key, stream, claimed, start: MAX_ID, count: 0, withMeta };
  }
  const start = incrId(group.lastId)!;
  if (args.count !== 0 && claimed.length >= args.count) {
    // COUNT is spent on claimed entries: no new one is delivered, the group does not move on.
    return { kind: 'new', key, stream, claimed, start, count: 0, withMeta };
  }
  const delivered = newEntries(stream, group, start, args.count === 0 ? 0 : args.count - claimed.length);
  commitCreatingConsumer(ctx, key, stream, args.groupName, args.consumerName, {
    op: 'xdeliver',
    group: args.groupName,
    consumer: args.consumerName,
    atMs: ctx.nowMs,
    ids: delivered.ids,
    noack: args.noack,
    lastId: formatId(delivered.lastId),
    entriesRead: counterToEffect(delivered.entriesRead),
  });
  return { kind: 'new', key, stream, claimed, start, count: delivered.ids.length, withMeta };
}

/**
 * XREADGROUP CLAIM (Redis 8.4): the group's pending entries idle for at least `minIdleMs`, oldest
 * delivery first, still in the stream, at most COUNT of them, become the consumer's: delivered now,
 * one more delivery. Committed as one xclaim change (which also creates and sees the consumer).
 */
function claimIdle(ctx: Ctx, key: string, stream: Stream, group: ConsumerGroup, args: ReadGroupArgs, minIdleMs: number): Claimed[] {
  const idle = claimablePending(stream, group, ctx.nowMs, minIdleMs, args.count);
  if (idle.length === 0) return [];
  const plan = new ClaimPlan(group, args.groupName, args.consumerName, ctx.nowMs);
  const claimed: Claimed[] = [];
  for (const pending of idle) {
    const id = pending.id;
    claimed.push({ id, idleMs: ctx.nowMs - pending.deliveryTimeMs, deliveryCount: pending.deliveryCount });
    plan.claim(id, plan.pending(id)!, ctx.nowMs, counterInc(pending.deliveryCount));
  }
  commitCreatingConsumer(ctx, key, stream, args.groupName, args.consumerName, plan.change());
  return claimed;
}

/**
 * The pending entries CLAIM would take now: in delivery-time order (ties by ID), those idle for
 * at least `minIdleMs` whose entries are still in the stream, at most `count` (0: all).
 */
function claimablePending(stream: Stream, group: ConsumerGroup, nowMs: number, minIdleMs: number, count: number): PendingEntry[] {
  const claimable: PendingEntry[] = [];
  for (const pending of pendingByDeliveryTime(stream, group)) {
    if (nowMs - pending.deliveryTimeMs < minIdleMs) break;
    claimable.push(pending);
    if (count !== 0 && claimable.length >= count) break;
  }
  return claimable;
}

/**
 * The group's pending entries whose stream entries still exist in the order of Redis's PEL time
 * list: those XNACK released first, in release order (Redis 8.8's NACK zone), then the rest oldest
 * delivery first (ties by ID). Sorted per call: O(P log P) for P pending entries.
 */
function pendingByDeliveryTime(stream: Stream, group: ConsumerGroup): PendingEntry[] {
  const pending: PendingEntry[] = [];
  group.pel.forEach((entry) => {
    if (stream.has(entry.id) && !group.isNacked(entry)) pending.push(entry);
  });
  pending.sort((a, b) => a.deliveryTimeMs - b.deliveryTimeMs || compareIds(a.id, b.id));
  if (group.nacked.size === 0) return pending;
  return [...group.nacked].filter((entry) => stream.has(entry.id)).concat(pending);
}

/** The entries `>` delivers from `start` (at most `count`, 0: all) and the group counters after them. */
function newEntries(stream: Stream, group: ConsumerGroup, start: StreamId, count: number): { ids: string[]; lastId: StreamId; entriesRead: Counter } {
  const ids: string[] = [];
  let lastId = group.lastId;
  let entriesRead = group.entriesRead;
  const it = new StreamIterator(stream, start, MAX_ID, false, false);
  while ((count === 0 || ids.length < count) && it.next()) {
    const id = it.id();
    const next = stream.groupCountersAfter(lastId, entriesRead, id);
    if (next !== null) {
      lastId = next.lastId;
      entriesRead = next.entriesRead;
    }
    ids.push(formatParts(it.ms, it.seq));
  }
  return { ids, lastId, entriesRead };
}

/** What CLAIM's reply shows for a new entry: idle 0, delivered 0 times before. */
const NEW_ENTRY_META: readonly [number, Counter] = [0, 0];

/** RESP2: [[key, entries], ...]; RESP3: {key: entries, ...}. */
function writeServed(ctx: Ctx, served: readonly Served[]): void {
  const out = ctx.out;
  writeReadHeader(out, served.length);
  for (const one of served) {
    writeReadKey(out, Buffer.from(one.key, 'latin1'));
    if (one.kind === 'new') {
      out.array(one.claimed.length + one.count);
      for (const c of one.claimed) writeEntry(out, one.stream.entry(c.id)!, [c.idleMs, c.deliveryCount]);
      const meta = one.withMeta ? NEW_ENTRY_META : undefined;
      const it = new StreamIterator(one.stream, one.start, MAX_ID, false, true);
      for (let n = 0; n < one.count && it.next(); n++) writeEntry(out, it, meta);
    } else {
      out.array(one.ids.length);
      for (const id of one.ids) {
        if (writeEntryById(out, one.stream, id)) continue;
        out.array(2);
        writeIdOf(out, id);
        out.nullArray();
      }
    }
  }
}
