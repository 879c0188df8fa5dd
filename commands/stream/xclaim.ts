// XCLAIM key group consumer min-idle-time id... [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID]
//        [LASTID id]
//
// Give pending entries idle for at least min-idle-time to the consumer (created when missing): the
// delivery time becomes now (or IDLE/TIME, kept within [0, now]) and the count goes up by one
// (RETRYCOUNT sets it; JUSTID leaves it). FORCE makes entries pending that exist in the stream but
// were not; pending entries whose stream entry is gone are dropped from the PEL. LASTID raises the
// group's last delivered ID. The IDs end at the first argument that is not one: options follow.

import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec, Ctx } from '../types';
import { type Counter, type StreamId, compareIds, counterInc, formatId, parseId } from '../../storage/stream';
import { ClaimPlan } from './claim-plan';
import { commitCreatingConsumer, idOrReply } from './common';
import { cText, streamGroupOrReply, writeEntryById, writeIdOf } from './group-common';
import { keysAt } from '../keyspecs';

interface ClaimOptions {
  /** The delivery time claims set, already within [0, now]. */
  readonly deliveryTimeMs: number;
  /** RETRYCOUNT, or -1 when not given. */
  readonly retryCount: Counter;
  readonly force: boolean;
  readonly justId: boolean;
  /** LASTID, or 0-0 when not given (never raises the group's). */
  readonly lastId: StreamId;
}

export const spec = {
  name: 'xclaim',
  arity: -6,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: 'Gives pending entries of a consumer group to another consumer, as if delivered to it.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'group', type: 'string' },
    { name: 'consumer', type: 'string' },
    { name: 'min-idle-time', type: 'string' },
    { name: 'id', type: 'string', multiple: true },
    { name: 'ms', type: 'integer', token: 'IDLE', optional: true },
    { name: 'unix-time-milliseconds', type: 'unix-time', token: 'TIME', optional: true },
    { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true },
    { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
    { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
    { name: 'id', type: 'string', token: 'LASTID', optional: true },
  ],
  tips: ['nondeterministic_output'],
  handler(ctx, argv) {
    const key = argv[1]!.toString('latin1');
    const groupName = argv[2]!.toString('latin1');
    const found = streamGroupOrReply(ctx, key, groupName, 'key-or-group');
    if (found === null) return;
    const { stream, group } = found;
    const minIdle = parseInt64(argv[4]!.toString('latin1'));
    if (minIdle === null) {
      ctx.out.error(ERR.xclaimOption('XCLAIM', 'min-idle-time'));
      return;
    }
    const minIdleMs = minIdle < 0 ? 0 : Number(minIdle);
    const ids: StreamId[] = [];
    let at = 5;
    for (; at < argv.length; at++) {
      const id = parseId(argv[at]!, 0, true);
      if (id === null) break;
      ids.push(id);
    }
    const options = optionsOrReply(ctx, argv, at);
    if (options === null) return;

    const now = ctx.nowMs;
    const consumer = argv[3]!.toString('latin1');
    const plan = new ClaimPlan(group, groupName, consumer, now);
    const claimed: StreamId[] = [];
    for (const id of ids) {
      let entry = plan.pending(id);
      if (!stream.has(id)) {
        if (entry !== null) plan.drop(id);
        continue;
      }
      if (entry === null) {
        if (!options.force) continue;
        // A new pending entry starts as Redis's streamCreateNACK makes it: now, one delivery.
        entry = { owner: null, deliveryTimeMs: now, deliveryCount: 1 };
      } else if (minIdleMs !== 0 && now - entry.deliveryTimeMs < minIdleMs) {
        continue;
      }
      const count = options.retryCount !== -1 && options.retryCount >= 0 ? options.retryCount : options.justId ? entry.deliveryCount : counterInc(entry.deliveryCount);
      plan.claim(id, entry, options.deliveryTimeMs, count);
      claimed.push(id);
    }
    const raise = compareIds(options.lastId, group.lastId) > 0 ? formatId(options.lastId) : undefined;
    commitCreatingConsumer(ctx, key, stream, groupName, consumer, plan.change(raise));
    ctx.out.array(claimed.length);
    for (const id of claimed) {
      if (options.justId) writeIdOf(ctx.out, id);
      else writeEntryById(ctx.out, stream, id);
    }
  },
} satisfies CommandSpec;

function optionsOrReply(ctx: Ctx, argv: readonly Buffer[], from: number): ClaimOptions | null {
  const now = ctx.nowMs;
  let deliveryTimeMs = -1;
  let retryCount: Counter = -1;
  let force = false;
  let justId = false;
  let lastId: StreamId = { ms: 0, seq: 0 };
  for (let j = from; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const opt = keyword(argv[j]!);
    if (opt === 'force') {
      force = true;
    } else if (opt === 'justid') {
      justId = true;
    } else if ((opt === 'idle' || opt === 'time' || opt === 'retrycount') && moreArgs > 0) {
      const n = parseInt64(argv[++j]!.toString('latin1'));
      if (n === null) {
        ctx.out.error(ERR.xclaimOption('XCLAIM', `${opt.toUpperCase()} option`));
        return null;
      }
      if (opt === 'idle') deliveryTimeMs = now - Number(n);
      else if (opt === 'time') deliveryTimeMs = Number(n);
      else retryCount = n;
    } else if (opt === 'lastid' && moreArgs > 0) {
      const id = idOrReply(ctx.out, argv[++j]!, 0, true);
      if (id === null) return null;
      lastId = id;
    } else {
      ctx.out.error(ERR.xclaimUnknownOption(cText(argv[j]!.toString('latin1'))));
      return null;
    }
  }
  // A delivery time outside [0, now] (a client's clock ahead of ours, say) is taken as now.
  if (deliveryTimeMs < 0 || deliveryTimeMs > now) deliveryTimeMs = now;
  return { deliveryTimeMs, retryCount, force, justId, lastId };
}
