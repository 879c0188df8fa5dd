// XPENDING key group [[IDLE min-idle] start end count [consumer]]
//
// The summary form: how many entries are pending, the smallest and greatest pending IDs, and the
// consumers with pending entries and how many each ([name, count as a bulk string]). The extended
// form: pending entries with start <= ID <= end, at most count, each [id, owner, idle ms,
// deliveries], from the group's PEL or one consumer's; a cursor into the PEL's B+tree makes a page
// O(log n + count) (IDLE filters while scanning, as Redis does).

import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec, Ctx } from '../types';
import { type ConsumerGroup, type PendingList, type StreamId, compareParts } from '../../storage/stream';
import { rangeOrReply } from './common';
import { idleSince, streamGroupOrReply, writeIdOf } from './group-common';
import { keysAt } from '../keyspecs';

interface PageArgs {
  readonly minIdleMs: number;
  readonly start: StreamId;
  readonly end: StreamId;
  readonly count: number;
  readonly consumer: string | null;
}

export const spec = {
  name: 'xpending',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
  summary: "Reports a consumer group's pending entries: a summary, or a page of entries with their owner, idle time and deliveries.",
  since: '5.0.0',
  group: 'stream',
  complexity:
    'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
  history: [['6.2.0', 'Added the `IDLE` option and exclusive range intervals.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'group', type: 'string' },
    {
      name: 'filters',
      type: 'block',
      optional: true,
      arguments: [
        { name: 'min-idle-time', type: 'integer', token: 'IDLE', since: '6.2.0', optional: true },
        { name: 'start', type: 'string' },
        { name: 'end', type: 'string' },
        { name: 'count', type: 'integer' },
        { name: 'consumer', type: 'string', optional: true },
      ],
    },
  ],
  tips: ['nondeterministic_output'],
  handler(ctx, argv) {
    if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) {
      ctx.out.error(ERR.syntax);
      return;
    }
    // The range is parsed before the key is looked up: syntax errors come first.
    const page = argv.length >= 6 ? pageArgsOrReply(ctx, argv) : null;
    if (argv.length >= 6 && page === null) return;
    const found = streamGroupOrReply(ctx, argv[1]!.toString('latin1'), argv[2]!.toString('latin1'), 'key-or-group');
    if (found === null) return;
    const { group } = found;
    if (page === null) {
      writeSummary(ctx, group.pel, group.consumersInOrder());
      return;
    }
    let pel: PendingList = group.pel;
    if (page.consumer !== null) {
      const consumer = group.consumer(page.consumer);
      if (consumer === undefined) {
        ctx.out.array(0);
        return;
      }
      pel = consumer.pel;
    }
    writePage(ctx, group, pel, page);
  },
} satisfies CommandSpec;

function pageArgsOrReply(ctx: Ctx, argv: readonly Buffer[]): PageArgs | null {
  let at = 3;
  let minIdleMs = 0;
  if (keyword(argv[3]!) === 'idle') {
    const n = parseInt64(argv[4]!.toString('latin1'));
    if (n === null) {
      ctx.out.error(ERR.notInteger);
      return null;
    }
    if (argv.length < 8) {
      ctx.out.error(ERR.syntax);
      return null;
    }
    minIdleMs = Number(n);
    at += 2;
  }
  const n = parseInt64(argv[at + 2]!.toString('latin1'));
  if (n === null) {
    ctx.out.error(ERR.notInteger);
    return null;
  }
  const count = n < 0 ? 0 : typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
  const range = rangeOrReply(ctx.out, argv[at]!, argv[at + 1]!);
  if (range === null) return null;
  // Without IDLE a ninth argument is never read: Redis takes the consumer from the seventh.
  const consumer = at + 3 < argv.length ? argv[at + 3]!.toString('latin1') : null;
  return { minIdleMs, start: range.start, end: range.end, count, consumer };
}

function writeSummary(ctx: Ctx, pel: PendingList, consumers: ReadonlyArray<{ readonly name: string; readonly pel: PendingList }>): void {
  const out = ctx.out;
  out.array(4);
  out.integer(pel.size);
  const first = pel.first();
  const last = pel.last();
  if (first === undefined || last === undefined) {
    out.nullBulk();
    out.nullBulk();
    out.nullArray();
    return;
  }
  writeIdOf(out, first.id);
  writeIdOf(out, last.id);
  const busy = consumers.filter((c) => c.pel.size > 0);
  out.array(busy.length);
  for (const consumer of busy) {
    out.array(2);
    out.bulk(consumer.name);
    out.bulk(String(consumer.pel.size));
  }
}

function writePage(ctx: Ctx, group: ConsumerGroup, pel: PendingList, page: PageArgs): void {
  const out = ctx.out;
  const now = ctx.nowMs;
  // Collected first: the reply's length comes before its items.
  const rows = [];
  const cursor = pel.cursor(page.start.ms, page.start.seq);
  for (let entry = cursor.next(); rows.length < page.count && entry !== undefined; entry = cursor.next()) {
    if (compareParts(entry.ms, entry.seq, page.end.ms, page.end.seq) > 0) break;
    if (page.minIdleMs !== 0 && now - entry.deliveryTimeMs < page.minIdleMs) continue;
    rows.push(entry);
  }
  out.array(rows.length);
  for (const entry of rows) {
    out.array(4);
    writeIdOf(out, entry.id);
    out.bulk(entry.consumer.name);
    // An entry XNACK released shows idle -1 (Redis 8.8's documented reply).
    out.integer(group.isNacked(entry) ? -1 : idleSince(now, entry.deliveryTimeMs));
    out.integer(entry.deliveryCount);
  }
}
