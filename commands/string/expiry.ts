// The options SET and GETEX share (NX XX GET KEEPTTL PERSIST EX PX EXAT PXAT), parsed with Redis's
// rules, and the conversion of an expire argument into the absolute unix-ms time effects carry.

import { ERR, cString } from '../errors';
import { parseInt64 } from '../args';
import type { Ctx, Reply } from '../types';

export type ExpireUnit = 'ex' | 'px' | 'exat' | 'pxat';

export interface StringOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  /** The expire option given last, with its argument; null when there is none. */
  expireUnit: ExpireUnit | null;
  expireArg: Buffer | null;
}

const INT64_MAX = 9223372036854775807n;
/** LLONG_MAX / 1000: more seconds than this cannot be turned into milliseconds. */
const SECONDS_MAX = 9223372036854775n;

/**
 * Parse the options after `from` for SET (`forSet`) or GETEX, or reply "syntax error". As in Redis,
 * an option is refused when it conflicts with one seen before it (NX after XX, PX after EX, ...), but
 * repeating the same option is allowed and the last expire wins. Option names are compared as C
 * strings, so "EX\0junk" reads as EX, the way Redis reads it.
 */
export function parseStringOptionsOrReply(out: Reply, argv: readonly Buffer[], from: number, forSet: boolean): StringOptions | null {
  const o: StringOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, expireUnit: null, expireArg: null };
  for (let j = from; j < argv.length; j++) {
    const opt = cString(argv[j]!).toLowerCase();
    const hasNext = j + 1 < argv.length;
    const unit = o.expireUnit;
    if (opt === 'nx' && forSet && !o.xx) {
      o.nx = true;
    } else if (opt === 'xx' && forSet && !o.nx) {
      o.xx = true;
    } else if (opt === 'get' && forSet) {
      o.get = true;
    } else if (opt === 'keepttl' && forSet && !o.persist && unit === null) {
      o.keepTtl = true;
    } else if (opt === 'persist' && !forSet && unit === null && !o.keepTtl) {
      o.persist = true;
    } else if (
      (opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') &&
      (unit === null || unit === opt) &&
      !o.keepTtl &&
      !o.persist &&
      hasNext
    ) {
      o.expireUnit = opt;
      o.expireArg = argv[++j]!;
    } else {
      out.error(ERR.syntax);
      return null;
    }
  }
  return o;
}

/**
 * The absolute expiry in unix ms for an expire argument, or null after replying with Redis's error:
 * "not an integer" when it does not parse, "invalid expire time in '<cmd>' command" when it is not
 * positive or the time would not fit a signed 64-bit millisecond count.
 */
export function expireAtOrReply(ctx: Ctx, arg: Buffer, unit: ExpireUnit, cmd: string): number | null {
  const n = parseInt64(arg.toString('latin1'));
  if (n === null) {
    ctx.out.error(ERR.notInteger);
    return null;
  }
  if (n <= 0) {
    ctx.out.error(ERR.invalidExpire(cmd));
    return null;
  }
  const seconds = unit === 'ex' || unit === 'exat';
  const relative = unit === 'ex' || unit === 'px';
  if (typeof n === 'number') {
    // When the result is a safe integer every step before it was exact too.
    const ms = (seconds ? n * 1000 : n) + (relative ? ctx.nowMs : 0);
    if (Number.isSafeInteger(ms)) return ms;
  }
  // Far-future times: check Redis's overflow rules exactly in 64-bit arithmetic.
  const big = BigInt(n);
  if (seconds && big > SECONDS_MAX) {
    ctx.out.error(ERR.invalidExpire(cmd));
    return null;
  }
  const ms = (seconds ? big * 1000n : big) + (relative ? BigInt(ctx.nowMs) : 0n);
  if (ms > INT64_MAX) {
    ctx.out.error(ERR.invalidExpire(cmd));
    return null;
  }
  return Number(ms);
}
