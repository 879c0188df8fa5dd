// XINFO STREAM key [FULL [COUNT n]]
//
// The stream's counters (length, radix-tree keys and nodes as Redis's rax would have them, last
// generated ID, max deleted ID, entries added, recorded first ID) and then either the group count
// with the first and last entries, or (FULL) up to COUNT entries (default 10, 0: all) and every
// group with its counters, up to COUNT pending entries, and its consumers with theirs.

import { keyword, parseInt64 } from '../../args';
import { ERR } from '../../errors';
import type { CommandSpec, Ctx, Reply } from '../../types';
import {
  type ConsumerGroup,
  ENTRIES_READ_INVALID,
  IDMP_DEFAULT_DURATION_SEC,
  IDMP_DEFAULT_MAXSIZE,
  MAX_ID,
  MIN_ID,
  type PendingEntry,
  type Stream,
} from '../../../storage/stream';
import { writeEntry, writeRange } from '../common';
import { subcommandSyntaxError, writeIdOf } from '../group-common';
import { xinfoStreamOrReply } from './common';
import { raxNodeCount } from './rax-nodes';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'stream',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RO', 'ACCESS'])],
  summary: "Describes a stream: its counters and first and last entries, or (FULL) its entries, groups and consumers.",
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  history: [
    ['6.0.0', 'Added the `FULL` modifier.'],
    ['7.0.0', 'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields'],
    ['7.2.0', 'Added the `active-time` field, and changed the meaning of `seen-time`.'],
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    {
      name: 'full',
      type: 'block',
      token: 'FULL',
      optional: true,
      arguments: [{ name: 'count', type: 'integer', token: 'COUNT', optional: true }],
    },
  ],
  handler(ctx, argv) {
    const stream = xinfoStreamOrReply(ctx, argv[2]!.toString('latin1'));
    if (stream === null) return;
    const options = argv.length - 3;
    if (options === 0) {
      writeSummary(ctx.out, stream, ctx.nowMs);
      return;
    }
    if ((options !== 1 && options !== 3) || keyword(argv[3]!) !== 'full' || (options === 3 && keyword(argv[4]!) !== 'count')) {
      subcommandSyntaxError(ctx, argv, 'XINFO');
      return;
    }
    let count = 10;
    if (options === 3) {
      const n = parseInt64(argv[5]!.toString('latin1'));
      if (n === null) {
        ctx.out.error(ERR.notInteger);
        return;
      }
      count = n < 0 ? 10 : typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    }
    writeFull(ctx, stream, count);
  },
} satisfies CommandSpec;

/**
 * The counters both forms start with; from Redis 8.6 they include the idempotency settings and
 * counts (what IDMP / IDMPAUTO remember at `nowMs`).
 */
function writeCounters(out: Reply, stream: Stream, nowMs: number): void {
  out.bulk('length');
  out.integer(stream.length);
  out.bulk('radix-tree-keys');
  out.integer(stream.blockCount);
  out.bulk('radix-tree-nodes');
  out.integer(raxNodeCount(stream));
  out.bulk('last-generated-id');
  writeIdOf(out, stream.lastId);
  out.bulk('max-deleted-entry-id');
  writeIdOf(out, stream.maxDeletedEntryId);
  out.bulk('entries-added');
  out.integer(stream.entriesAdded);
  out.bulk('recorded-first-entry-id');
  writeIdOf(out, stream.firstId);
  const idmp = stream.idmpState;
  const tracked = idmp?.tracked(nowMs) ?? { pids: 0, iids: 0 };
  out.bulk('idmp-duration');
  out.integer(idmp?.durationSec ?? IDMP_DEFAULT_DURATION_SEC);
  out.bulk('idmp-maxsize');
  out.integer(idmp?.maxSize ?? IDMP_DEFAULT_MAXSIZE);
  out.bulk('pids-tracked');
  out.integer(tracked.pids);
  out.bulk('iids-tracked');
  out.integer(tracked.iids);
  out.bulk('iids-added');
  out.integer(idmp?.iidsAdded ?? 0);
  out.bulk('iids-duplicates');
  out.integer(idmp?.iidsDuplicates ?? 0);
}

function writeSummary(out: Reply, stream: Stream, nowMs: number): void {
  out.map(16);
  writeCounters(out, stream, nowMs);
  out.bulk('groups');
  out.integer(stream.groupCount);
  out.bulk('first-entry');
  writeEdge(out, stream, false);
  out.bulk('last-entry');
  writeEdge(out, stream, true);
}

/** The first (or last) live entry, or a nil. */
function writeEdge(out: Reply, stream: Stream, last: boolean): void {
  const it = stream.iterate(MIN_ID, MAX_ID, last);
  if (it.next()) writeEntry(out, it);
  else out.nullBulk();
}

function writeFull(ctx: Ctx, stream: Stream, count: number): void {
  const out = ctx.out;
  out.map(15);
  writeCounters(out, stream, ctx.nowMs);
  out.bulk('entries');
  writeRange(out, stream, MIN_ID, MAX_ID, count, false);
  out.bulk('groups');
  const groups = stream.groupsInOrder();
  out.array(groups.length);
  for (const group of groups) writeGroup(out, stream, group, count);
}

function writeGroup(out: Reply, stream: Stream, group: ConsumerGroup, count: number): void {
  out.map(7);
  out.bulk('name');
  out.bulk(group.name);
  out.bulk('last-delivered-id');
  writeIdOf(out, group.lastId);
  out.bulk('entries-read');
  if (group.entriesRead === ENTRIES_READ_INVALID) out.nullBulk();
  else out.integer(group.entriesRead);
  out.bulk('lag');
  const lag = stream.groupLag(group);
  if (lag === null) out.nullBulk();
  else out.integer(lag);
  out.bulk('pel-count');
  out.integer(group.pel.size);
  out.bulk('pending');
  const pending = firstPending(group.pel.cursor(MIN_ID.ms, MIN_ID.seq), count);
  out.array(pending.length);
  for (const entry of pending) {
    out.array(4);
    writeIdOf(out, entry.id);
    out.bulk(entry.consumer.name);
    out.integer(entry.deliveryTimeMs);
    out.integer(entry.deliveryCount);
  }
  out.bulk('consumers');
  const consumers = group.consumersInOrder();
  out.array(consumers.length);
  for (const consumer of consumers) {
    out.map(5);
    out.bulk('name');
    out.bulk(consumer.name);
    out.bulk('seen-time');
    out.integer(consumer.seenTimeMs);
    out.bulk('active-time');
    out.integer(consumer.activeTimeMs);
    out.bulk('pel-count');
    out.integer(consumer.pel.size);
    out.bulk('pending');
    const own = firstPending(consumer.pel.cursor(MIN_ID.ms, MIN_ID.seq), count);
    out.array(own.length);
    for (const entry of own) {
      out.array(3);
      writeIdOf(out, entry.id);
      out.integer(entry.deliveryTimeMs);
      out.integer(entry.deliveryCount);
    }
  }
}

/** Up to `count` pending entries from a cursor (0: all). */
function firstPending(cursor: { next(): PendingEntry | undefined }, count: number): PendingEntry[] {
  const out: PendingEntry[] = [];
  for (let e = cursor.next(); e !== undefined; e = cursor.next()) {
    out.push(e);
    if (count !== 0 && out.length >= count) break;
  }
  return out;
}
