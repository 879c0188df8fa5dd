// BLMOVE and BRPOPLPUSH: Redis's blmoveGenericCommand. A missing source blocks; a source of another
// type is WRONGTYPE at once; otherwise it is LMOVE.

import { keyOf } from '../args';
import type { Ctx } from '../types';
import type { ListEnd } from '../../storage/list';
import { blockOnLists } from './blocking';
import { listOrReply, lmove } from './common';

export function blockingMove(ctx: Ctx, argv: readonly Buffer[], whereFrom: ListEnd, whereTo: ListEnd, deadlineMs: number): void {
  const from = keyOf(argv[1]!);
  const to = keyOf(argv[2]!);
  const attempt = (): boolean => {
    const source = listOrReply(ctx, from, true);
    if (source === null) return true;
    if (source === undefined || source.length === 0) return false;
    lmove(ctx, from, to, whereFrom, whereTo);
    return true;
  };
  if (attempt()) return;
  if (!ctx.mayBlock) {
    // Inside EXEC Redis answers a null bulk, while a timeout after blocking is a null array (below).
    ctx.out.nullBulk();
    return;
  }
  // Redis's timeout reply for every list waiter is a null array, BLMOVE's and BRPOPLPUSH's included.
  blockOnLists(ctx, [from], deadlineMs, attempt, () => ctx.out.nullArray());
}
