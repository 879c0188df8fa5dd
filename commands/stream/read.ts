// What XREAD and XREADGROUP share (Redis's xreadCommand serves both): the option loop before
// STREAMS (with XREADGROUP's GROUP, NOACK and, from Redis 8.4, CLAIM) and its errors in Redis's order, and the reply's outer shape, an array of
// [key, entries] pairs in RESP2 and a map key → entries in RESP3.

import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { Ctx, Reply } from '../types';

/** The options of an XREAD / XREADGROUP call, as parsed (IDs are resolved per stream later). */
export interface ReadArgs {
  /** COUNT: entries per stream at most; 0 for no limit (a negative COUNT reads as 0, as in Redis). */
  readonly count: number;
  /** BLOCK's timeout as an absolute unix ms (0: forever), or -1 when BLOCK was not given. */
  readonly blockUntilMs: number;
  /** Index of the first key after STREAMS. */
  readonly keysAt: number;
  /** Number of streams (keys); their IDs follow the keys. */
  readonly streams: number;
  /** XREADGROUP's GROUP <group> <consumer>, or null. */
  readonly group: { readonly name: Buffer; readonly consumer: Buffer } | null;
  /** XREADGROUP's NOACK. */
  readonly noack: boolean;
  /** XREADGROUP's CLAIM min-idle-time (Redis 8.4) in ms, or -1 when not given. */
  readonly claimMinIdleMs: number;
}

/**
 * Parse the options up to STREAMS (xreadgroup: GROUP and NOACK allowed). Null after the error
 * reply. Errors follow Redis's order: each option as met, then a missing STREAMS, then XREADGROUP
 * without GROUP.
 */
export function parseReadArgsOrReply(ctx: Ctx, argv: readonly Buffer[], xreadgroup: boolean): ReadArgs | null {
  const out = ctx.out;
  let count = 0;
  let blockUntilMs = -1;
  let keysAt = 0;
  let streams = 0;
  let group: ReadArgs['group'] = null;
  let noack = false;
  let claimMinIdleMs = -1;
  for (let i = 1; i < argv.length; i++) {
    const moreArgs = argv.length - i - 1;
    const opt = keyword(argv[i]!);
    if (opt === 'claim' && moreArgs > 0) {
      if (!xreadgroup) {
        out.error(ERR.xreadClaimOption);
        return null;
      }
      const n = parseInt64(argv[++i]!.toString('latin1'));
      if (n === null) {
        out.error(ERR.claimMinIdleNotInteger);
        return null;
      }
      if (n < 0) {
        out.error(ERR.claimMinIdleNegative);
        return null;
      }
      claimMinIdleMs = Number(n);
    } else if (opt === 'block' && moreArgs > 0) {
      const until = timeoutMsOrReply(ctx, argv[++i]!);
      if (until === null) return null;
      blockUntilMs = until;
    } else if (opt === 'count' && moreArgs > 0) {
      const n = parseInt64(argv[++i]!.toString('latin1'));
      if (n === null) {
        out.error(ERR.notInteger);
        return null;
      }
      count = n < 0 ? 0 : Number(n);
    } else if (opt === 'streams' && moreArgs > 0) {
      keysAt = i + 1;
      const rest = argv.length - keysAt;
      if (rest % 2 !== 0) {
        out.error(ERR.xreadUnbalanced(xreadgroup ? 'xreadgroup' : 'xread', xreadgroup ? '>' : '$'));
        return null;
      }
      streams = rest / 2;
      break;
    } else if (opt === 'group' && moreArgs >= 2) {
      if (!xreadgroup) {
        out.error(ERR.xreadGroupOption);
        return null;
      }
      group = { name: argv[i + 1]!, consumer: argv[i + 2]! };
      i += 2;
    } else if (opt === 'noack') {
      if (!xreadgroup) {
        out.error(ERR.xreadNoackOption);
        return null;
      }
      noack = true;
    } else {
      out.error(ERR.syntax);
      return null;
    }
  }
  if (keysAt === 0) {
    out.error(ERR.syntax);
    return null;
  }
  if (xreadgroup && group === null) {
    out.error(ERR.xreadgroupMissingGroup);
    return null;
  }
  return { count, blockUntilMs, keysAt, streams, group, noack, claimMinIdleMs };
}

/**
 * Redis's getTimeoutFromObjectOrReply in milliseconds: a 64-bit integer, not negative; 0 means
 * forever, anything else becomes an absolute time from the command's start. Null after the error.
 */
export function timeoutMsOrReply(ctx: Ctx, arg: Buffer): number | null {
  const value = parseInt64(arg.toString('latin1'));
  if (value === null) {
    ctx.out.error(ERR.timeoutNotInteger);
    return null;
  }
  if (value < 0) {
    ctx.out.error(ERR.timeoutNegative);
    return null;
  }
  if (value === 0) return 0;
  if (BigInt(value) > 9223372036854775807n - BigInt(ctx.nowMs)) {
    ctx.out.error(ERR.timeoutOutOfRange);
    return null;
  }
  return ctx.nowMs + Number(value);
}

/** The outer header of a read reply with `streams` streams: RESP2 array, RESP3 map. */
export function writeReadHeader(out: Reply, streams: number): void {
  if (out.resp === 2) out.array(streams);
  else out.map(streams);
}

/** One stream's key in a read reply; its entries follow (RESP2 wraps the pair in an array). */
export function writeReadKey(out: Reply, key: Buffer): void {
  if (out.resp === 2) out.array(2);
  out.bulk(key);
}
