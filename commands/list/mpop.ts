// Popping from the first non-empty list of several: LMPOP, BLMPOP, BLPOP and BRPOP share it, and
// LMPOP and BLMPOP share their numkeys / LEFT|RIGHT / COUNT arguments.

import { keyOf, keyword } from '../args';
import { ERR } from '../errors';
import type { Ctx } from '../types';
import type { ListEnd } from '../../storage/list';
import { atLeastOrReply, endOrReply, listFill, listOrReply, notifyElementsRemoved, replyElements } from './common';

/** LMPOP's and BLMPOP's arguments after the timeout. */
export interface MpopArgs {
  readonly keys: string[];
  readonly where: ListEnd;
  readonly count: number;
}

/** Redis's lmpopGenericCommand parsing, from numkeys at argv[numkeysAt]; null after the error reply. */
export function mpopArgsOrReply(ctx: Ctx, argv: readonly Buffer[], numkeysAt: number): MpopArgs | null {
  const numkeys = atLeastOrReply(ctx.out, argv[numkeysAt]!, 1, ERR.numkeysNotPositive);
  if (numkeys === null) return null;
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) {
    ctx.out.error(ERR.syntax);
    return null;
  }
  const where = endOrReply(ctx.out, argv[whereAt]!);
  if (where === null) return null;
  let count = -1;
  for (let i = whereAt + 1; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (count === -1 && keyword(argv[i]!) === 'count' && more > 0) {
      const n = atLeastOrReply(ctx.out, argv[++i]!, 1, ERR.countNotPositive);
      if (n === null) return null;
      count = n;
    } else {
      ctx.out.error(ERR.syntax);
      return null;
    }
  }
  const keys: string[] = [];
  for (let i = numkeysAt + 1; i < whereAt; i++) keys.push(keyOf(argv[i]!));
  return { keys, where, count: count === -1 ? 1 : count };
}

/**
 * Pop from the first non-empty list among `keys`, in their order. `count` null: one element,
 * replied as [key, element] (BLPOP); else up to `count`, replied as [key, [elements]] (LMPOP).
 * A key of another type met first gets WRONGTYPE. True once a reply is written; false (nothing
 * written) when every key is missing.
 */
export function popFirstOrReply(ctx: Ctx, keys: readonly string[], where: ListEnd, count: number | null): boolean {
  for (const key of keys) {
    const list = listOrReply(ctx, key, true);
    if (list === null) return true;
    if (list === undefined || list.length === 0) continue;
    const n = Math.min(count ?? 1, list.length);
    // Elements in pop order: from the head forwards, or from the tail backwards.
    const elements = where === 'left' ? list.range(0, n - 1) : list.range(-n, -1).reverse();
    ctx.commit({ op: where === 'left' ? 'lpop' : 'rpop', db: ctx.client.dbIndex, key, count: n, fill: listFill(ctx) });
    ctx.out.array(2);
    ctx.out.bulk(key);
    if (count === null) ctx.out.bulk(elements[0]!);
    else replyElements(ctx.out, elements);
    notifyElementsRemoved(ctx, key, where === 'left' ? 'lpop' : 'rpop');
    return true;
  }
  return false;
}
