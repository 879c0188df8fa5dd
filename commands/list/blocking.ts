// What the blocking list commands share: Redis's timeout argument, and blocking on lists until a
// retry of the command serves the client (or answering at once where the client may not block).

import { parseDouble } from '../args';
import { ERR } from '../errors';
import type { Ctx } from '../types';
import { RedisList } from '../../storage/list';

/** LLONG_MAX, the bound of Redis's millisecond timeouts (as a double). */
const LLONG_MAX = 9223372036854775807;

/**
 * Redis 7.2's getTimeoutFromObjectOrReply in seconds: a float (strtold rules), times 1000 rounded
 * up to whole ms. Returns the absolute deadline in unix ms (0: wait forever), or null after the
 * error reply. A negative value that rounds to 0 ms (-0.0001) waits forever, as in Redis.
 */
export function deadlineOrReply(ctx: Ctx, arg: Buffer): number | null {
  const seconds = parseDouble(arg.toString('latin1'));
  if (seconds === null) {
    ctx.out.error(ERR.timeoutNotFloat);
    return null;
  }
  const ms = seconds * 1000;
  if (ms > LLONG_MAX) {
    ctx.out.error(ERR.timeoutOutOfRange);
    return null;
  }
  const timeoutMs = Math.ceil(ms);
  if (timeoutMs < 0) {
    ctx.out.error(ERR.timeoutNegative);
    return null;
  }
  if (timeoutMs === 0) return 0;
  // Redis refuses a deadline that would overflow when added to now.
  if (timeoutMs > LLONG_MAX - ctx.nowMs) {
    ctx.out.error(ERR.timeoutOutOfRange);
    return null;
  }
  return ctx.nowMs + timeoutMs;
}

/**
 * `attempt` found nothing: block on `keys` until a write to one of them lets `attempt` (the whole
 * command, run again) serve the client, or answer with `timedOut` now when the client may not block
 * (inside EXEC). `attempt` returns true once it has written a reply (data or an error).
 * `whenTooShort`: what a retry that finds a list it cannot use means. 'empty' (the default): it
 * found the list empty, nobody behind can be served either. 'skip' (BLMOVEM EXACTLY): the list is
 * too short for this client, those behind it may take what is there.
 */
export function blockOnLists(
  ctx: Ctx,
  keys: readonly string[],
  deadlineMs: number,
  attempt: () => boolean,
  timedOut: () => void,
  whenTooShort: 'empty' | 'skip' = 'empty',
): void {
  if (!ctx.mayBlock) {
    timedOut();
    return;
  }
  ctx.block({
    keys,
    deadlineMs,
    timedOut,
    retry(key) {
      // Redis serves a list waiter only when the key holds a list; another type leaves it waiting.
      const entry = ctx.engine.lookup(ctx.client.dbIndex, key, ctx.nowMs);
      if (entry === undefined) return 'empty';
      if (!(entry.value instanceof RedisList)) return 'skip';
      return attempt() ? 'served' : whenTooShort;
    },
  });
}
