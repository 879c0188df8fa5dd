// XNACK key group <SILENT|FAIL|FATAL> IDS numids id... [RETRYCOUNT count] [FORCE] (Redis 8.8)
//
// Release pending entries back to the group without acknowledging them: each becomes unowned
// (consumer ""), its delivery time 0 (idle enough for any claim), last in the group's released
// order (XREADGROUP CLAIM serves released entries first, in that order). The delivery count:
// SILENT takes one off (not below 0), FAIL keeps it, FATAL sets LLONG_MAX; RETRYCOUNT sets it
// whatever the mode. FORCE makes an entry pending (unowned, count 0, RETRYCOUNT or LLONG_MAX under
// FATAL) when it is in the stream but not in the PEL. Replies with how many IDs were released;
// an ID given twice is released twice. IDS and the options may come in any order, as Redis parses
// them in one loop.
//
// Redis's documentation gives no error texts. These follow Redis's own source for XNACK where
// known (the mode and unknown-option errors) and XACKDEL's IDS block otherwise; a missing key or
// group releases nothing (0), as XACK does.

import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import { keysAt } from '../keyspecs';
import type { CommandSpec, Ctx } from '../types';
import { type Counter, type EffectNack, counterSub, counterToEffect, formatParts } from '../../storage/stream';
import { IDS_ARGUMENT, commitStream, idsOrReply, streamOrReply } from './common';
import { cText } from './group-common';

type NackMode = 'silent' | 'fail' | 'fatal';

/** Redis's LLONG_MAX: FATAL's delivery count. */
const FATAL_DELIVERY_COUNT: Counter = 0x7fffffffffffffffn;

interface NackArgs {
  readonly mode: NackMode;
  readonly idArgs: readonly Buffer[];
  /** RETRYCOUNT, or -1 when not given (a negative count is ignored, as XCLAIM's is). */
  readonly retryCount: Counter;
  readonly force: boolean;
}

export const spec = {
  name: 'xnack',
  arity: -7,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: "Releases pending messages back to the group's PEL without acknowledging them, making them available for re-delivery.",
  since: '8.8.0',
  group: 'stream',
  complexity: 'O(1) for each message ID processed.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'group', type: 'string' },
    {
      name: 'mode',
      type: 'oneof',
      arguments: [
        { name: 'silent', type: 'pure-token', token: 'SILENT' },
        { name: 'fail', type: 'pure-token', token: 'FAIL' },
        { name: 'fatal', type: 'pure-token', token: 'FATAL' },
      ],
    },
    IDS_ARGUMENT,
    { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true },
    { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
  ],
  handler(ctx, argv) {
    const args = parseOrReply(ctx, argv);
    if (args === null) return;
    const ids = idsOrReply(ctx.out, args.idArgs);
    if (ids === null) return;
    const key = argv[1]!.toString('latin1');
    const groupName = argv[2]!.toString('latin1');
    const stream = streamOrReply(ctx, key, false);
    if (stream === null) return;
    const group = stream?.group(groupName);
    if (stream === undefined || group === undefined) {
      ctx.out.integer(0);
      return;
    }

    // Counts as this command leaves them, so an ID named twice is adjusted twice.
    const counts = new Map<string, Counter>();
    const nacks: EffectNack[] = [];
    for (const id of ids) {
      const text = formatParts(id.ms, id.seq);
      const before = counts.get(text) ?? group.pending(id)?.deliveryCount;
      if (before === undefined && !(args.force && stream.has(id))) continue;
      const after = nextCount(args, before);
      counts.set(text, after);
      nacks.push({ id: text, deliveryCount: counterToEffect(after) });
    }
    if (nacks.length > 0) commitStream(ctx, key, { op: 'xnack', group: groupName, nacks });
    ctx.out.integer(nacks.length);
  },
} satisfies CommandSpec;

/** The delivery count a released entry gets; `before` undefined for one FORCE creates. */
function nextCount(args: NackArgs, before: Counter | undefined): Counter {
  if (isSet(args.retryCount)) return args.retryCount;
  if (args.mode === 'fatal') return FATAL_DELIVERY_COUNT;
  if (before === undefined) return 0;
  // SILENT undoes one delivery, never going below 0.
  if (args.mode === 'silent' && isPositive(before)) return counterSub(before, 1);
  return before;
}

function isSet(count: Counter): boolean {
  return typeof count === 'number' ? count >= 0 : count >= 0n;
}

function isPositive(count: Counter): boolean {
  return typeof count === 'number' ? count > 0 : count > 0n;
}

/** Mode, then IDS / RETRYCOUNT / FORCE in any order; null after the error reply. */
function parseOrReply(ctx: Ctx, argv: readonly Buffer[]): NackArgs | null {
  const mode = keyword(argv[3]!);
  if (mode !== 'silent' && mode !== 'fail' && mode !== 'fatal') {
    ctx.out.error(ERR.xnackMode);
    return null;
  }
  let idArgs: Buffer[] | null = null;
  let retryCount: Counter = -1;
  let force = false;
  for (let i = 4; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const opt = keyword(argv[i]!);
    if (opt === 'ids' && moreArgs > 0) {
      const n = parseInt64(argv[i + 1]!.toString('latin1'));
      if (n === null || n <= 0) {
        ctx.out.error(ERR.numidsNotPositive);
        return null;
      }
      if (n > moreArgs - 1) {
        ctx.out.error(ERR.numidsMismatch);
        return null;
      }
      idArgs = argv.slice(i + 2, i + 2 + Number(n));
      i += 1 + Number(n);
    } else if (opt === 'retrycount' && moreArgs > 0) {
      const n = parseInt64(argv[++i]!.toString('latin1'));
      if (n === null) {
        ctx.out.error(ERR.notInteger);
        return null;
      }
      retryCount = n;
    } else if (opt === 'force') {
      force = true;
    } else {
      ctx.out.error(ERR.xnackUnknownOption(cText(argv[i]!.toString('latin1'))));
      return null;
    }
  }
  if (idArgs === null) {
    ctx.out.error(ERR.idsRequired);
    return null;
  }
  return { mode, idArgs, retryCount, force };
}
