// The arithmetic INCR, DECR, INCRBY and DECRBY share: the value is read as a signed 64-bit integer
// with Redis's strict rules, the result must stay in range, and the key keeps its time to live.

import { ERR } from '../errors';
import { keyOf, parseInt64 } from '../args';
import { writeStringOrReply } from '../lookup';
import type { Ctx } from '../types';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Add `delta` to the integer at `keyArg` (a missing key counts as 0) and reply with the result. */
export function incrementBy(ctx: Ctx, keyArg: Buffer, delta: number | bigint): void {
  const key = keyOf(keyArg);
  const current = writeStringOrReply(ctx, key);
  if (current === null) return;
  let value: number | bigint = 0;
  if (current !== undefined) {
    const parsed = parseInt64(current);
    if (parsed === null) {
      ctx.out.error(ERR.notInteger);
      return;
    }
    value = parsed;
  }
  const result = addInt64(value, delta);
  if (result === null) {
    ctx.out.error(ERR.overflow);
    return;
  }
  ctx.commit({ op: 'set', db: ctx.client.dbIndex, key, value: String(result), expireAtMs: 'keep' });
  // INCR, DECR, INCRBY and DECRBY all announce "incrby", as in Redis.
  ctx.notify('string', 'incrby', key);
  ctx.out.integer(result);
}

/** a + b in signed 64 bits; null on overflow. Stays in plain numbers while the sum is a safe integer. */
function addInt64(a: number | bigint, b: number | bigint): number | bigint | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    // Two safe integers whose rounded sum is safe were added exactly.
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  if (sum > INT64_MAX || sum < INT64_MIN) return null;
  return Number.isSafeInteger(Number(sum)) ? Number(sum) : sum;
}
