// XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]
//
// XCLAIM by scanning: walks the group's PEL from start, giving entries idle for at least
// min-idle-time to the consumer (delivered now, one more delivery unless JUSTID), at most COUNT
// (default 100) and looking at no more than 10 x COUNT entries. Pending entries whose stream entry
// is gone are dropped and listed in the reply (they count toward COUNT). Replies
// [next start or 0-0, claimed entries (or IDs), dropped IDs].

import { totalmem } from 'node:os';
import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec, Ctx } from '../types';
import { MIN_ID, type StreamId, counterInc, incrId, parseIntervalId } from '../../storage/stream';
import { ClaimPlan } from './claim-plan';
import { commitCreatingConsumer } from './common';
import { streamGroupOrReply, writeEntryById, writeIdOf } from './group-common';
import { keysAt } from '../keyspecs';

/** Redis scans at most this many PEL entries per entry it may claim. */
const ATTEMPTS_FACTOR = 10;
/** COUNT's upper bound: LONG_MAX / max(sizeof(streamID), ATTEMPTS_FACTOR). */
const COUNT_MAX = 9223372036854775807n / 16n;

export const spec = {
  name: 'xautoclaim',
  arity: -6,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'DELETE'])],
  summary: "Gives a consumer the idle pending entries of its group, scanning the PEL like a cursor.",
  since: '6.2.0',
  group: 'stream',
  complexity: 'O(1) if COUNT is small.',
  history: [['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'group', type: 'string' },
    { name: 'consumer', type: 'string' },
    { name: 'min-idle-time', type: 'string' },
    { name: 'start', type: 'string' },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
  ],
  tips: ['nondeterministic_output'],
  handler(ctx, argv) {
    const minIdle = parseInt64(argv[4]!.toString('latin1'));
    if (minIdle === null) {
      ctx.out.error(ERR.xclaimOption('XAUTOCLAIM', 'min-idle-time'));
      return;
    }
    const minIdleMs = minIdle < 0 ? 0 : Number(minIdle);
    const start = startOrReply(ctx, argv[5]!);
    if (start === null) return;
    let count = 100;
    let justId = false;
    for (let j = 6; j < argv.length; j++) {
      const opt = keyword(argv[j]!);
      if (opt === 'count' && argv.length - 1 - j > 0) {
        const n = parseInt64(argv[++j]!.toString('latin1'));
        if (n === null || n < 1 || BigInt(n) > COUNT_MAX) {
          ctx.out.error(ERR.xautoclaimCount);
          return;
        }
        count = Number(n);
      } else if (opt === 'justid') {
        justId = true;
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }
    const key = argv[1]!.toString('latin1');
    const groupName = argv[2]!.toString('latin1');
    const found = streamGroupOrReply(ctx, key, groupName, 'key-or-group');
    if (found === null) return;
    const { stream, group } = found;
    // Redis allocates COUNT stream IDs for the deleted-ID list up front and fails when the system
    // cannot give that much memory; more than the machine's RAM is what Linux refuses by default.
    if (count * 16 > totalmem()) {
      ctx.out.error(ERR.xautoclaimNoMemory);
      return;
    }

    const now = ctx.nowMs;
    const consumer = argv[3]!.toString('latin1');
    const plan = new ClaimPlan(group, groupName, consumer, now);
    const claimed: StreamId[] = [];
    const deleted: StreamId[] = [];
    const cursor = group.pel.cursor(start.ms, start.seq);
    let attempts = count * ATTEMPTS_FACTOR;
    let left = count;
    let ended = false;
    while (attempts-- > 0 && left > 0) {
      const pending = cursor.next();
      if (pending === undefined) {
        ended = true;
        break;
      }
      const id = pending.id;
      if (!stream.has(id)) {
        plan.drop(id);
        deleted.push(id);
        left--;
        continue;
      }
      if (minIdleMs !== 0 && now - pending.deliveryTimeMs < minIdleMs) continue;
      const entry = plan.pending(id)!;
      plan.claim(id, entry, now, justId ? entry.deliveryCount : counterInc(entry.deliveryCount));
      claimed.push(id);
      left--;
    }
    const next = ended ? undefined : cursor.next();
    commitCreatingConsumer(ctx, key, stream, groupName, consumer, plan.change());

    const out = ctx.out;
    out.array(3);
    writeIdOf(out, next === undefined ? MIN_ID : next.id);
    out.array(claimed.length);
    for (const id of claimed) {
      if (justId) writeIdOf(out, id);
      else writeEntryById(out, stream, id);
    }
    out.array(deleted.length);
    for (const id of deleted) writeIdOf(out, id);
  },
} satisfies CommandSpec;

/** The start bound: an ID, "-"/"+", or "(" for exclusive; null after the error reply. */
function startOrReply(ctx: Ctx, arg: Buffer): StreamId | null {
  const bound = parseIntervalId(arg, 0);
  if (bound === null) {
    ctx.out.error(ERR.streamInvalidId);
    return null;
  }
  if (!bound.exclusive) return bound.id;
  const next = incrId(bound.id);
  if (next === null) ctx.out.error(ERR.streamInvalidStart);
  return next;
}
