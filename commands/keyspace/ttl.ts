import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { Ctx, CommandSpec } from '../types';
import { peekKey } from './common';

/**
 * TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key, -1 for one without expiry, else the
 * time left (`absolute` false) or the expiry itself, in ms or in seconds rounded to nearest.
 */
export function replyExpiry(ctx: Ctx, argv: readonly Buffer[], inMs: boolean, absolute: boolean): void {
  const key = keyOf(argv[1]!);
  if (peekKey(ctx, key) === undefined) {
    ctx.out.integer(-2);
    return;
  }
  const at = ctx.engine.dbs[ctx.client.dbIndex]!.expiryOf(key);
  if (at === undefined) {
    ctx.out.integer(-1);
    return;
  }
  const ms = Math.max(0, absolute ? at : at - ctx.nowMs);
  ctx.out.integer(inMs ? ms : Math.floor((ms + 500) / 1000));
}

/** The COMMAND DOCS history TTL and PTTL share. */
export const TTL_HISTORY: CommandSpec['history'] = [['2.8.0', 'Added the -2 reply.']];

export const spec = {
  name: 'ttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
  summary: 'Replies with the seconds a key has left to live (-1 without expiry, -2 when missing).',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  history: TTL_HISTORY,
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  tips: ['nondeterministic_output'],
  handler: (ctx, argv) => replyExpiry(ctx, argv, false, false),
} satisfies CommandSpec;
